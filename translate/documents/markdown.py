"""Markdown (.md): UTF-8 bytes in, the same Markdown with its text in English out.

Takes a CommonMark file (with GitHub tables and ~~strikethrough~~); `MarkdownDocument(data).segments()` are
the texts of its headings, paragraphs, list items, block quotes' paragraphs and table cells, and the texts of
their emphasis and links; `rebuild(translations)` gives the bytes back with only that text replaced, in place
in the original source, so everything else is byte for byte as it was: block markers, indentation, code spans
and code blocks, HTML, link and image URLs and titles, reference definitions, front matter (a `---` block at
the very top), blank lines. Emphasis and link text come out around the corresponding English words
(`translate.documents.inline`); images (their alt text included), code spans, autolinks and inline HTML are
kept as they are, where they fall in the sentence. A paragraph's lines become one line of English.

The parser is markdown-it-py: its block tokens map each inline text to its source lines, and its children
tokens are found in that text one after the other, so the exact source of every text and markup is known.
A piece of inline text the parser rewrote beyond recognition (tabs inside indentation) is left as it was and
listed in `skipped`.
"""

from __future__ import annotations

import html
import re
from typing import Any, Sequence

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle

from translate.documents.document import DocumentError, refuse_binary
from translate.documents.inline import Mark, Run, Runs, Text, has_letters
from translate.documents.rebuilt import Rebuilt
from translate.documents.text import BOM, decode, encode

NAME = "markdown"
SUFFIXES = (".md", ".markdown")

_PARSER = MarkdownIt("commonmark").enable("table").enable("strikethrough")
_ESCAPE = re.compile(r"([\\`*_\[\]<])")  # what in the English would otherwise start markup
_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_EMPHASIS = {"em": "em", "strong": "strong", "s": "s"}


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


class _Unlocatable(Exception):
    """The parser's text cannot be found in the source at the expected place."""


def front_matter(text: str) -> int:
    """Where the body starts: after a YAML front matter block (`---` on the first line to `---` or `...`)."""
    if not re.match(r"---[ \t]*\r?\n", text):
        return 0
    end = _FRONT_END.search(text, text.index("\n") + 1)
    if end is None:
        return 0
    newline = text.find("\n", end.end())
    return len(text) if newline < 0 else newline + 1


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _match_text(content: str, pos: int, text: str) -> int:
    """Where `text` (as the parser decoded it: escapes and entities resolved) ends in `content` from `pos`."""
    i = 0
    while i < len(text):
        entity = _ENTITY.match(content, pos)
        decoded = html.unescape(entity.group()) if entity else ""
        if entity and decoded != entity.group() and text.startswith(decoded, i):
            pos, i = entity.end(), i + len(decoded)
        elif content.startswith(text[i], pos):
            pos, i = pos + 1, i + 1
        elif content.startswith("\\" + text[i], pos):
            pos, i = pos + 2, i + 1
        else:
            raise _Unlocatable
    return pos


def _expect(content: str, pos: int, what: str) -> int:
    if not content.startswith(what, pos):
        raise _Unlocatable
    return pos + len(what)


def _spaces(content: str, pos: int) -> int:
    while pos < len(content) and content[pos] in " \t\n":
        pos += 1
    return pos


def _label_end(content: str, pos: int) -> int:
    """After the `]` that closes the `[` before `pos` (nested brackets and escapes allowed)."""
    depth = 1
    while pos < len(content):
        ch = content[pos]
        if ch == "\\":
            pos += 2
            continue
        depth += ch == "["
        depth -= ch == "]"
        pos += 1
        if depth == 0:
            return pos
    raise _Unlocatable


def _destination_end(content: str, pos: int) -> int:
    """After a link's `(destination "title")` or `[reference]` starting at `pos` (none: `pos`)."""
    if content.startswith("(", pos):
        pos = _spaces(content, pos + 1)
        found = parseLinkDestination(content, pos, len(content))
        if found.ok:
            pos = _spaces(content, found.pos)
            title = parseLinkTitle(content, pos, len(content))
            if title.ok:
                pos = _spaces(content, title.pos)
        return _expect(content, pos, ")")
    if content.startswith("[", pos):
        return _label_end(content, pos + 1)
    return pos


def _pieces(children: Sequence[Any], content: str) -> list[tuple[Text | Mark | None, int, int]]:
    """Each child token as a piece with its range in `content` (None: a hard line break)."""
    out: list[tuple[Text | Mark | None, int, int]] = []
    pos, i = 0, 0
    while i < len(children):
        token = children[i]
        kind, start = token.type, pos
        if kind == "text":
            pos = _match_text(content, pos, token.content)
            if pos > start:
                out.append((Text(token.content), start, pos))
        elif kind == "softbreak":
            pos = _spaces(content, pos)
            out.append((Text(" "), start, pos))
        elif kind == "hardbreak":  # a line break ends the block, as <br> does in HTML
            pos = _spaces(content, _expect(content, pos, "\\") if content.startswith("\\", pos) else pos)
            out.append((None, start, pos))
        elif kind.endswith(("_open", "_close")) and kind.rsplit("_", 1)[0] in _EMPHASIS:
            pos = _expect(content, pos, token.markup)
            out.append((Mark("open" if kind.endswith("_open") else "close", kind.rsplit("_", 1)[0]), start, pos))
        elif kind == "link_open" and token.markup in ("autolink", "linkify"):
            pos = content.index(">", pos) + 1 if token.markup == "autolink" else pos
            while children[i].type != "link_close":
                i += 1
                if token.markup == "linkify" and children[i].type == "text":
                    pos = _match_text(content, pos, children[i].content)
            out.append((Mark("atom"), start, pos))
        elif kind == "link_open":
            pos = _expect(content, pos, "[")
            out.append((Mark("open", "link"), start, pos))
        elif kind == "link_close":
            pos = _destination_end(content, _expect(content, pos, "]"))
            out.append((Mark("close", "link"), start, pos))
        elif kind == "image":
            pos = _destination_end(content, _label_end(content, _expect(content, pos, "![")))
            out.append((Mark("atom"), start, pos))
        elif kind == "code_inline":
            pos = _expect(content, pos, token.markup)
            end = content.find(token.markup, pos)
            while end >= 0 and content.startswith("`", end + len(token.markup)):
                end = content.find(token.markup, end + len(token.markup) + 1)
            if end < 0:
                raise _Unlocatable
            pos = end + len(token.markup)
            out.append((Mark("atom"), start, pos))
        elif kind == "html_inline":
            pos = _expect(content, pos, token.content)
            out.append((Mark("atom"), start, pos))
        else:
            raise _Unlocatable
        i += 1
    return out


class MarkdownDocument:
    def __init__(self, data: bytes):
        refuse_binary(data, "Markdown")
        self.source, self.bom = decode(data)
        self.skipped: list[DocumentError] = []
        body_start = front_matter(self.source)
        body = self.source[body_start:]
        line_starts = [body_start] + [body_start + m.end() for m in re.finditer(r"\n", body)]
        used: dict[int, int] = {}  # line → how far its inline texts have been found (table rows hold several)
        self.places: list[tuple[int, int, list[tuple[int, int]]]] = []  # per run: (start, end, marks' ranges)
        runs: list[Run] = []
        for token in _PARSER.parse(body):
            if token.type != "inline" or not token.map or not has_letters(token.content):
                continue
            try:
                runs += self._runs(token, line_starts, used)
            except (_Unlocatable, ValueError):
                self.skipped.append(DocumentError(
                    "text the Markdown parser rewrote (tabs in indentation?) left untranslated",
                    line=self.source[:line_starts[token.map[0]]].count("\n") + 1))
        self.runs = Runs(runs)

    def _runs(self, token: Any, line_starts: list[int], used: dict[int, int]) -> list[Run]:
        # Where each line of the inline text is in the source: line i of the content on source line map[0] + i.
        starts, offset = [], 0
        for i, line in enumerate(token.content.split("\n")):
            number = token.map[0] + i
            begin = line_starts[number]
            end = line_starts[number + 1] if number + 1 < len(line_starts) else len(self.source)
            found = self.source.find(line, begin + used.get(number, 0), end)
            if found < 0:
                raise _Unlocatable
            used[number] = found + len(line) - begin
            starts.append((offset, found))
            offset += len(line) + 1

        def absolute(position: int) -> int:
            line_offset, found = next(s for s in reversed(starts) if s[0] <= position)
            return found + position - line_offset

        runs, line = [], []
        for piece in [*_pieces(token.children or [], token.content), (None, 0, 0)]:
            if piece[0] is not None:
                line.append(piece)
                continue
            run = Run([p for p, _, _ in line])
            if has_letters(run.text):
                marks = [(absolute(a), absolute(b)) for p, a, b in line if isinstance(p, Mark)]
                self.places.append((absolute(line[0][1]), absolute(line[-1][2]), marks))
                runs.append(run)
            line = []
        return runs

    def segments(self) -> list[str]:
        return self.runs.segments()

    def rebuild(self, translations: Sequence[Any]) -> bytes:
        return encode(self.rebuilt(translations).text)

    def rebuilt(self, translations: Sequence[Any]) -> Rebuilt:
        """The translated Markdown as text, with the review flags placed in it (`translate.documents.rebuilt`)."""
        english = self.runs.english(translations)
        out, position = Rebuilt(), 0
        out.raw(BOM if self.bom else "")  # the text is the whole document's, as `rebuild` writes it
        for run, translation, texts, (start, end, marks) in zip(self.runs.runs, translations, english, self.places):
            out.raw(self.source[position:start])
            out.run(run, translation, texts, [self.source[a:b] for a, b in marks], _escape)
            position = end
        out.raw(self.source[position:])
        return out

    def terms(self, translations: Sequence[Any]) -> list:
        return self.runs.terms(translations)

    def text_count(self) -> int:
        return len(self.runs.runs)

    def summary(self) -> str:
        return self.runs.summary("Markdown blocks")


def read(data: bytes, *, fields: Sequence[str] = ()) -> MarkdownDocument:
    """`data` as a Markdown document (`fields` is JSONL's option)."""
    return MarkdownDocument(data)

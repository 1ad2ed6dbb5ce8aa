"""HTML (.html, .htm, and the API's `format=html`): UTF-8 bytes in, the same HTML with its text in English out.

Takes a page or a fragment; `HtmlDocument(data).segments()` are its blocks' texts (a block is the inline
content between two block-level tags: a paragraph, a heading, a table cell, a list item…) and the texts of
their inline elements, `rebuild(translations)` the translated bytes. Only text is replaced: every tag,
attribute, entity outside the translated text, comment, doctype and all whitespace outside the text are
copied byte for byte from the input, in their order, so the output's element tree is the input's. Inline
elements (`b`, `i`, `em`, `strong`, `a`, `span`, `sup`…) come out around the corresponding English words
(`translate.documents.inline`). `script`, `style`, `code`, `pre`, `textarea`, `svg`, `math` and any element
with `translate="no"` or class `notranslate` are copied untouched, with everything inside them.

The parser is the standard library's `html.parser`: lenient as browsers are (it never refuses markup, and
unclosed or crossing inline tags are kept as they were), and it reports where each tag starts, so the
input can be copied exactly around the text. Bytes that are not UTF-8, or binary data, raise DocumentError.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any, Sequence

from translate.documents.document import DocumentError, refuse_binary
from translate.documents.inline import Mark, Run, Runs, Text, has_letters
from translate.documents.rebuilt import Rebuilt
from translate.documents.text import BOM, decode, encode

NAME = "html"
SUFFIXES = (".html", ".htm")

# Inline elements: inside a sentence. Any other element (p, div, li, td, h1, br-less blocks, unknown ones)
# ends the block before it and starts a new one after it.
INLINE = frozenset("a abbr acronym b bdi bdo big cite data del dfn em font i ins kbd label mark nobr q rb rp "
                   "rt rtc ruby s samp small span strike strong sub sup time tt u var".split())
POINTS = frozenset("img wbr".split())  # inline and empty: a point in the sentence (a <br> ends a block)
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
UNTOUCHED = frozenset("script style code pre textarea svg math".split())
UNTOUCHED_INLINE = frozenset("script style code textarea svg math".split())  # an atom where in a sentence


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _untouched(tag: str, attrs: Sequence[tuple[str, str | None]]) -> bool:
    if tag in UNTOUCHED:
        return True
    values = {name.lower(): (value or "") for name, value in attrs}
    return (values.get("translate", "").strip().lower() == "no"
            or "notranslate" in values.get("class", "").split())


class _Events(HTMLParser):
    """Every construct of the input with the offset where it starts (what lies between two starts is the
    first one's raw text)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.events: list[tuple[int, str, str, list]] = []
        self.feed(text)
        self.close()

    def _add(self, kind: str, tag: str = "", attrs: list | None = None) -> None:
        line, column = self.getpos()
        self.events.append((self.line_starts[line - 1] + column, kind, tag, attrs or []))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._add("start", tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._add("empty", tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._add("end", tag)

    def handle_data(self, data: str) -> None:
        self._add("text")

    def handle_entityref(self, name: str) -> None:
        self._add("text")

    def handle_charref(self, name: str) -> None:
        self._add("text")

    def handle_comment(self, data: str) -> None:
        self._add("other")

    def handle_decl(self, decl: str) -> None:
        self._add("other")

    def handle_pi(self, data: str) -> None:
        self._add("other")

    def unknown_decl(self, data: str) -> None:
        self._add("other")


class HtmlDocument:
    def __init__(self, data: bytes):
        refuse_binary(data, "HTML")
        self.source, self.bom = decode(data)
        self.skipped: list[DocumentError] = []
        self.chunks: list[str | int] = []  # raw text, or the index of a translated run
        self.run_marks: list[list[str]] = []  # each run's marks' raw text
        runs: list[Run] = []
        pieces: list[Text | Mark] = []
        raws: list[str] = []  # the raw text of the pending run, piece by piece
        mark_raws: list[str] = []

        def flush() -> None:
            run = Run(pieces) if pieces else None
            if run is not None and has_letters(run.text):
                self.chunks.append(len(runs))
                runs.append(run)
                self.run_marks.append(list(mark_raws))
            else:
                self.chunks.append("".join(raws))
            pieces.clear(), raws.clear(), mark_raws.clear()

        def mark(kind: str, raw: str, name: str = "") -> None:
            pieces.append(Mark(kind, name))
            raws.append(raw)
            mark_raws.append(raw)

        events = _Events(self.source).events
        ends = [e[0] for e in events[1:]] + [len(self.source)]
        hidden: tuple[str, int, bool] | None = None  # (tag, depth, block) of the untouched element we are in
        hidden_raw: list[str] = []
        for (start, kind, tag, attrs), end in zip(events, ends):
            raw = self.source[start:end]
            if hidden is not None:
                hidden_raw.append(raw)
                name, depth, block = hidden
                if kind == "start" and tag == name and tag not in VOID:
                    hidden = (name, depth + 1, block)
                elif kind == "end" and tag == name:
                    hidden = (name, depth - 1, block) if depth > 1 else None
                if hidden is None:
                    self._hidden_done("".join(hidden_raw), block, flush, mark)
                    hidden_raw = []
                continue
            if kind in ("start", "empty") and _untouched(tag, attrs):
                block = not (tag in INLINE or tag in POINTS or tag in UNTOUCHED_INLINE)
                if kind == "empty" or tag in VOID:
                    self._hidden_done(raw, block, flush, mark)
                else:
                    hidden, hidden_raw = (tag, 1, block), [raw]
                continue
            if kind == "text":
                pieces.append(Text(html.unescape(raw)))
                raws.append(raw)
            elif kind == "other":
                mark("atom", raw)
            elif tag in POINTS or (kind == "empty" and tag in INLINE):
                mark("atom", raw)
            elif tag in INLINE:
                mark("open" if kind == "start" else "close", raw, tag)
            else:  # a block-level tag: the run before it is done
                flush()
                self.chunks.append(raw)
        if hidden is not None:  # an untouched element never closed: untouched to the end
            self._hidden_done("".join(hidden_raw), hidden[2], flush, mark)
        flush()
        self.runs = Runs(runs)

    def _hidden_done(self, raw: str, block: bool, flush: Any, mark: Any) -> None:
        if block:
            flush()
            self.chunks.append(raw)
        else:
            mark("atom", raw)

    def segments(self) -> list[str]:
        return self.runs.segments()

    def rebuild(self, translations: Sequence[Any]) -> bytes:
        return encode(self.rebuilt(translations).text)

    def rebuilt(self, translations: Sequence[Any]) -> Rebuilt:
        """The translated HTML as text, with the review flags placed in it (`translate.documents.rebuilt`)."""
        english = self.runs.english(translations)
        out = Rebuilt()
        out.raw(BOM if self.bom else "")  # the text is the whole document's, as `rebuild` writes it
        for chunk in self.chunks:
            if isinstance(chunk, str):
                out.raw(chunk)
            else:
                out.run(self.runs.runs[chunk], translations[chunk], english[chunk], self.run_marks[chunk], _escape)
        return out

    def terms(self, translations: Sequence[Any]) -> list:
        return self.runs.terms(translations)

    def text_count(self) -> int:
        return len(self.runs.runs)

    def summary(self) -> str:
        return self.runs.summary("HTML blocks")


def read(data: bytes, *, fields: Sequence[str] = ()) -> HtmlDocument:
    """`data` as an HTML document (`fields` is JSONL's option)."""
    return HtmlDocument(data)

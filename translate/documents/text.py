"""Plain text (.txt, standard input, an API's `q`): UTF-8 bytes to text and back, and parts for progress.

Takes a file's bytes; `TextDocument(data).segments()` is the text cut after line breaks into parts of about
`PART_CHARS` characters, and `rebuild(english_parts)` the English bytes (the BOM kept if the input had one;
`\\r\\n` and every other character of the layout are the pipeline's to keep). `translate_in_parts` does the
same for texts already decoded, on `Translation`s, shifting each term's offsets into its whole text.
Text that is not UTF-8 raises `DocumentError` with its line, column and byte offset.

Cutting only after "\\n" is safe: a paragraph is one line and a term never crosses a sentence, so no
sentence or term is cut by a part's end.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Sequence

from translate.documents.document import DocumentError, english_of, segment_terms

if TYPE_CHECKING:
    from translate.pipeline import Translation
    from translate.terms import TermReport

NAME = "text"
SUFFIXES = (".txt",)
PART_CHARS = 2_000  # every surface cuts long texts at this size: the unit of progress and of one model call
BOM = "\ufeff"


def not_utf8(data: bytes, error: UnicodeDecodeError) -> DocumentError:
    """The DocumentError for bytes that are not UTF-8: the line, the byte and its column, its offset."""
    line = data[: error.start].count(b"\n") + 1
    column = error.start - data.rfind(b"\n", 0, error.start)
    return DocumentError(f"not valid UTF-8 (byte 0x{data[error.start]:02x} at column {column})",
                         line=line, position=error.start)


def decode(data: bytes) -> tuple[str, bool]:
    """(the text, whether it began with a BOM); DocumentError when `data` is not UTF-8."""
    try:
        return data.decode("utf-8-sig"), data.startswith(BOM.encode())
    except UnicodeDecodeError as e:
        raise not_utf8(data, e) from None


def encode(text: str, bom: bool = False) -> bytes:
    return ((BOM if bom else "") + text).encode("utf-8")


def split_in_parts(text: str, part_chars: int = PART_CHARS) -> list[str]:
    """`text` cut after line breaks into parts of at most `part_chars` (a longer line is a part of its own);
    "".join(parts) == text, and there is always at least one part."""
    parts, current, size = [], [], 0
    for line in re.split(r"(?<=\n)", text):
        if current and size + len(line) > part_chars:
            parts.append("".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line)
    if current:
        parts.append("".join(current))
    return [p for p in parts if p] or [text]


def starts_of(parts: Sequence[str]) -> list[int]:
    """Where each part begins in "".join(parts)."""
    starts, position = [], 0
    for part in parts:
        starts.append(position)
        position += len(part)
    return starts


def joined(parts: Sequence["Translation"], starts: Sequence[int]) -> "Translation":
    """One text's Translation from its parts' (each term's offsets moved from its part into the whole; the
    k-th alternative of the whole made of each part's k-th, as translate.alternatives.compose does)."""
    from translate.alternatives import compose
    from translate.pipeline import Translation

    terms = [t.shifted(start) for part, start in zip(parts, starts) for t in part.terms]
    alternatives = compose([p.text for p in parts], [p.alternatives for p in parts],
                           max((len(p.alternatives) for p in parts), default=0), "".join)
    # Review flags point into the English: each part's moved by the English of the parts before it.
    flags = [f.shifted(start) for part, start in zip(parts, starts_of([p.text for p in parts])) for f in part.flags]
    return Translation("".join(p.text for p in parts), terms, alternatives, flags=flags,
                       sentences=sum(p.sentences for p in parts))


def translate_in_parts(texts: Sequence[str], translate: Callable[..., list["Translation"]], *,
                       call_chars: int | None = PART_CHARS,
                       report: Callable[[int, int], None] | None = None,
                       contexts: bool | Sequence[str] = False) -> list["Translation"]:
    """Every text translated in parts of whole lines, with term offsets into each whole text.

    `translate` takes a list of parts (from one text or several short ones) and returns their Translations;
    it is called once per group of about `call_chars` characters (None: once for everything), and
    `report(done, total)` hears how many groups are done before the first and after each. With `contexts`,
    `translate(parts, contexts=wholes)` also gets the whole document of each part, so that its names are kept
    consistent across the parts (Translator.translate_documents' `contexts`): True, each text is a document of
    its own; a sequence, the document each text belongs to.
    """
    wholes = list(texts) if contexts is True else list(contexts) if contexts else None
    pieces = [(i, part) for i, text in enumerate(texts) for part in split_in_parts(text)]
    groups: list[list[tuple[int, str]]] = []
    size = 0  # characters in the last group
    for piece in pieces:
        if groups and (call_chars is None or size + len(piece[1]) <= call_chars):
            groups[-1].append(piece)
            size += len(piece[1])
        else:
            groups.append([piece])
            size = len(piece[1])
    sources: list[list[str]] = [[] for _ in texts]
    results: list[list["Translation"]] = [[] for _ in texts]
    for done, group in enumerate(groups):
        if report is not None:
            report(done, len(groups))
        parts = [p for _, p in group]
        done_group = (translate(parts, contexts=[wholes[i] for i, _ in group]) if wholes is not None
                      else translate(parts))
        for (i, part), result in zip(group, done_group):
            sources[i].append(part)
            results[i].append(result)
    if report is not None:
        report(len(groups), len(groups))
    return [joined(parts, starts_of(source)) for parts, source in zip(results, sources)]


class TextDocument:
    """A UTF-8 text file read from its bytes; its segments are its parts of whole lines."""

    def __init__(self, data: bytes):
        self.text, self.bom = decode(data)
        self.parts = split_in_parts(self.text)
        self.skipped: list[DocumentError] = []  # a text is read whole or not at all

    def segments(self) -> list[str]:
        return list(self.parts)

    def rebuild(self, translations: Sequence["Translation | str"]) -> bytes:
        return encode("".join(english_of(t) for t in translations), self.bom)

    def terms(self, translations: Sequence["Translation | str"]) -> list["TermReport"]:
        """Term offsets into the whole text."""
        return segment_terms(self.parts, translations)

    def text_count(self) -> int:
        return len(self.parts)

    def summary(self) -> str:
        return ""


def read(data: bytes, *, fields: Sequence[str] = ()) -> TextDocument:
    """`data` as a text document (`fields` is JSONL's option; text has none)."""
    return TextDocument(data)

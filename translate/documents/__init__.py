"""The document layer: an input (a text, JSONL, HTML, Markdown, DOCX or SRT file; a JSONL record; an HTML
string) as translatable segments, and its English put back together, for every surface (Python API, CLI,
web, HTTP).

Takes an input's bytes and its format name (`format_of(path)` picks one by extension); `read(data, format)`
returns a `Document`: `segments()` are the texts to translate, `rebuild(translations)` the translated bytes,
`terms(translations)` the term reports with offsets into the document's text. `translate_documents(docs,
translate)` / `translate_data(data, format, translate)` is the one path every surface takes: all segments of
all documents in one call of `translate` (a list of texts → their `Translation`s: a Translator's
`translate_documents`, or a server host's), then each document rebuilt. One module per format (`text`,
`jsonl`, `html`, `markdown`, `docx`, `srt`), each with `NAME`, `SUFFIXES` and `read(data, *, fields)`; a new
format is a new module listed in `FORMATS`. Streaming callers use a module's per-record functions instead
(see `translate.documents.jsonl`). A file that cannot be read as its format raises `DocumentError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from translate.documents import docx, html, jsonl, markdown, srt, text
from translate.documents.document import Document, DocumentError
from translate.documents.text import PART_CHARS, translate_in_parts

if TYPE_CHECKING:
    from translate.pipeline import Translation
    from translate.terms import TermReport

FORMATS = {module.NAME: module for module in (text, jsonl, html, markdown, docx, srt)}
SUFFIXES = tuple(suffix for module in FORMATS.values() for suffix in module.SUFFIXES)
DEFAULT_FIELDS = jsonl.DEFAULT_FIELDS
TEXT_FORMATS = (text.NAME, html.NAME, markdown.NAME)  # decoded text: what an API's string may be

__all__ = ["DEFAULT_FIELDS", "FORMATS", "SUFFIXES", "Document", "DocumentError", "Translated", "format_of",
           "known_format", "read", "translate_data", "translate_documents", "translate_texts"]


@dataclass(frozen=True)
class Translated:
    """One document translated: its bytes, its term reports (offsets into its text), the document read and
    the translations of its text segments (`Document.text_count`)."""

    data: bytes
    terms: list["TermReport"]
    document: Document
    translations: list["Translation"]


def format_of(path: Path | str, forced: str = "auto") -> str:
    """The format of `path`: `forced` unless it is "auto", else by extension; text for anything else."""
    if forced != "auto":
        return forced
    return known_format(path) or text.NAME


def known_format(path: Path | str) -> str | None:
    """The format `path`'s extension names, or None."""
    suffix = Path(path).suffix.lower()
    return next((name for name, module in FORMATS.items() if suffix in module.SUFFIXES), None)


def read(data: bytes, format: str, *, fields: Sequence[str] = DEFAULT_FIELDS) -> Document:
    """`data` read as `format` (a name of `FORMATS`); `fields` are the JSONL fields to translate."""
    return FORMATS[format].read(data, fields=fields)


def translate_documents(docs: Sequence[Document], translate: Callable[..., list["Translation"]], *,
                        call_chars: int | None = PART_CHARS, report: Callable[[int, int], None] | None = None,
                        contexts: bool = False) -> list[Translated]:
    """Every document's segments translated together (in parts of whole lines, `call_chars` characters per
    call of `translate`, `report(done, total)` after each), then each document rebuilt. With `contexts`,
    `translate` also gets each segment's whole document (`translate_in_parts`), so a name reads the same in
    every block of it."""
    return [Translated(doc.rebuild(mine), doc.terms(mine), doc, mine[:doc.text_count()])
            for doc, mine in zip(docs, _segment_translations(docs, translate, call_chars=call_chars, report=report,
                                                             contexts=contexts))]


def _segment_translations(docs: Sequence[Document], translate: Callable[..., list["Translation"]], *,
                          call_chars: int | None = PART_CHARS, report: Callable[[int, int], None] | None = None,
                          contexts: bool = False) -> list[list["Translation"]]:
    """Each document's segments' Translations, all translated together (see `translate_documents`)."""
    segments = [doc.segments() for doc in docs]
    wholes = [whole for ss in segments for whole in ["\n".join(ss)] * len(ss)] if contexts else False
    flat = translate_in_parts([s for ss in segments for s in ss], translate, call_chars=call_chars, report=report,
                              contexts=wholes)
    out, position = [], 0
    for own in segments:
        out.append(flat[position:position + len(own)])
        position += len(own)
    return out


def translate_data(data: bytes, format: str, translate: Callable[[list[str]], list["Translation"]], *,
                   fields: Sequence[str] = DEFAULT_FIELDS, **options: Any) -> Translated:
    """`data` read as `format`, translated and rebuilt (`options`: those of `translate_documents`)."""
    return translate_documents([read(data, format, fields=fields)], translate, **options)[0]


def translate_texts(texts: Sequence[str], format: str, translate: Callable[..., list["Translation"]],
                    **options: Any) -> list["Translation"]:
    """Strings of a text format (an API's `q` items: plain text, or HTML with `format="html"`), each one
    document, all translated together; `options` are `translate_documents`' (`call_chars`, `contexts`…).
    Plain text keeps everything of its translations (alternatives, flags); markup gives the rebuilt markup,
    its term reports (offsets into its blocks' texts) and its review flags (offsets into the rebuilt markup,
    `translate.documents.rebuilt`)."""
    if format == text.NAME:
        return translate_in_parts(texts, translate, **options)
    from translate.pipeline import Translation

    docs = [read(t.encode("utf-8"), format) for t in texts]
    out = []
    for doc, mine in zip(docs, _segment_translations(docs, translate, **options)):
        rebuilt, own = doc.rebuilt(mine), mine[:doc.text_count()]
        out.append(Translation(rebuilt.text, doc.terms(mine), flags=rebuilt.flags,
                               sentences=sum(t.sentences for t in own)))
    return out

"""What every document format has in common: the `Document` interface (and the `translate.errors.DocumentError`
it raises).

A format module turns an input's bytes into a `Document`: `segments()` are the texts to translate, in order,
and `rebuild(translations)` (one `Translation` — or English string — per segment, same order) gives the
translated file's bytes, with everything that is not translated (layout, other fields, markup) as it was;
`terms(translations)` are the term reports with offsets into the document's text (text: the whole text;
JSONL: its translated fields put end to end; markup: its blocks' texts joined by "\n"); `skipped` lists what
could not be read and was left out (JSONL lines), `summary()` says what was found. A markup format's segments
are its blocks' texts followed by the texts of their inline elements, which place those elements in the
English (`translate.documents.inline`): they are translated in the same call. The text markup formats (HTML,
Markdown) also have `rebuilt(translations)`: the translated document as text with the review flags placed in
it (`translate.documents.rebuilt`), what an API's markup string gets back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, Sequence

from translate.errors import DocumentError

if TYPE_CHECKING:
    from translate.terms import TermReport

__all__ = ["Document", "DocumentError", "english_of", "segment_terms"]


def english_of(translation: Any) -> str:
    """The English of a `Translation`, or the string itself."""
    return translation if isinstance(translation, str) else translation.text


def refuse_binary(data: bytes, what: str) -> None:
    """DocumentError when `data` holds a NUL byte: binary data (an image, a .doc) named as a text format."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DocumentError(f"binary data, not {what} (a NUL byte at offset {nul})", position=nul)


def segment_terms(segments: Sequence[str], translations: Sequence[Any]) -> list["TermReport"]:
    """The translations' term reports, offsets moved into the segments put end to end."""
    found, offset = [], 0
    for segment, translation in zip(segments, translations):
        found += [t.shifted(offset) for t in getattr(translation, "terms", [])]
        offset += len(segment)
    return found


class Document(Protocol):
    """One input, read: the texts to translate and how to put their English back."""

    skipped: list[DocumentError]  # parts of the input that could not be read, left out of the output

    def segments(self) -> list[str]:
        """The texts to translate, in order."""

    def rebuild(self, translations: Sequence[Any]) -> bytes:
        """The translated input: `translations[i]` in place of `segments()[i]`, everything else kept."""

    def terms(self, translations: Sequence[Any]) -> list["TermReport"]:
        """The term reports of `translations`, offsets into the document's text."""

    def text_count(self) -> int:
        """How many of `segments()` are the document's text; the rest (a markup format's inline elements'
        texts) only place markup in the English."""

    def summary(self) -> str:
        """A few words on what was found to translate ("" when there is nothing to add to the text's own)."""

"""What every document format has in common: the `Document` interface (and the `translate.errors.DocumentError`
it raises).

A format module turns an input's bytes into a `Document`: `segments()` are the texts to translate, in order,
and `rebuild(translations)` (one English text per segment, same order) gives the translated file's bytes,
with everything that is not translated (layout, other fields, markup) as it was; `skipped` lists what could
not be read and was left out (JSONL lines), `summary()` says what was found.
"""

from __future__ import annotations

from typing import Protocol, Sequence

from translate.errors import DocumentError

__all__ = ["Document", "DocumentError"]


class Document(Protocol):
    """One input, read: the texts to translate and how to put their English back."""

    skipped: list[DocumentError]  # parts of the input that could not be read, left out of the output

    def segments(self) -> list[str]:
        """The texts to translate, in order."""

    def rebuild(self, translations: Sequence[str]) -> bytes:
        """The translated input: `translations[i]` in place of `segments()[i]`, everything else kept."""

    def summary(self) -> str:
        """A few words on what was found to translate ("" when there is nothing to add to the text's own)."""

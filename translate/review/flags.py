"""`Flag`, the one public report of a sentence that needs an editor's eye.

Takes nothing; each check module returns `Flag`s for one (source, English) pair, with offsets into that
English, and the pipeline shifts them into the whole translated text. The CLI's `--review` JSON, the
`uk-en review --json` lines and the HTTP API's `"flags"` are `as_dict()` of this; the HTTP schema is derived
from these fields and their docstrings.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

KINDS = ("repetition", "length", "untranslated", "number", "term")


@dataclass(frozen=True)
class Flag:
    """A sentence whose English failed a check after every repair was tried."""

    __pydantic_config__ = {"use_attribute_docstrings": True}  # the HTTP schema's descriptions: the docstrings

    kind: str
    """What failed: repetition, length, untranslated, number or term."""
    reason: str
    """One line an editor can act on, e.g. "20 in the source is not in the English"."""
    start: int
    """Character offset in the English of what the flag points at (the whole sentence when nothing narrower)."""
    end: int
    """Character offset just past it."""
    sentence_start: int
    """Character offset in the English of the flagged sentence."""
    sentence_end: int
    """Character offset just past the flagged sentence."""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def shifted(self, offset: int) -> "Flag":
        """The same flag with its offsets moved by `offset` (a sentence's or a part's flags placed in the text)."""
        return dataclasses.replace(self, start=self.start + offset, end=self.end + offset,
                                   sentence_start=self.sentence_start + offset,
                                   sentence_end=self.sentence_end + offset)


def flag(kind: str, reason: str, english: str, start: int | None = None, end: int | None = None) -> Flag:
    """A flag on the sentence `english` (offsets into it); without a span it points at the whole sentence."""
    assert kind in KINDS, kind
    return Flag(kind, reason, 0 if start is None else start, len(english) if end is None else end, 0, len(english))


def flagged_sentences(flags: list[Flag]) -> int:
    """How many distinct sentences `flags` are about."""
    return len({(f.sentence_start, f.sentence_end) for f in flags})

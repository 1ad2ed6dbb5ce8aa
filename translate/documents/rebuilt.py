"""A markup document's English text as it is written out, with its review flags placed in that text.

Takes, run by run, what an HTML or Markdown document writes: raw markup copied from the input (`raw`) and each
run's English (`run`: the texts `Run.rebuild` put between its marks, the marks' raw source, the format's escape
function and the run's `Translation`). Returns `Rebuilt.text`, the whole translated document, and
`Rebuilt.flags`: every run's review flags (`translate.review.Flag`) with their offsets moved from the run's
English into that text, so `text[flag.start:flag.end]` is what the flag points at as the document shows it:
the English from its first character to its last, any inline markup inside it included and characters
escaped as the format writes them (`&amp;` in HTML, `\\*` in Markdown). A span that begins or ends where a
mark sits begins after the mark and ends before it (the English itself, not the markup around it).

Only the runs' own translations carry flags: the span texts a markup document also translates serve to
place its marks, and their flags point at nothing the reader sees.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Callable, Sequence

from translate.documents.document import english_of

if TYPE_CHECKING:
    from translate.documents.inline import Run
    from translate.review import Flag

_SPACE = " \t\n\r\f"  # what Run.rebuild strips from the English before placing it


class Rebuilt:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.flags: list["Flag"] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def raw(self, text: str) -> None:
        """Markup (or untranslated text) copied as it is."""
        self.parts.append(text)
        self.size += len(text)

    def run(self, run: "Run", translation: Any, texts: Sequence[str], marks: Sequence[str],
            escape: Callable[[str], str]) -> None:
        """One run's English: `texts` (len(marks) + 1 of them, from `run.rebuild`) escaped, `marks[i]` after
        `texts[i]`; the translation's flags placed on what was written."""
        pieces = []  # (where the text starts in the run's English with its whitespace, where it is written, it)
        position = 0
        for i, text in enumerate(texts):
            pieces.append((position, self.size, text))
            self.raw(escape(text))
            position += len(text)
            if i < len(marks):
                self.raw(marks[i])
        english = english_of(translation)
        stripped = len(english) - len(english.lstrip(_SPACE))
        inner = len(english.strip(_SPACE))

        def at(offset: int, end: bool) -> int:
            # `texts` joined are the run's leading whitespace, the stripped English, its trailing whitespace.
            point = min(max(offset - stripped, 0), inner) + run.lead
            if end:  # the first text reaching the point: before any mark there
                start, written, text = next(p for p in pieces if point <= p[0] + len(p[2]))
            else:  # the last text starting at or before it: after any mark there
                start, written, text = [p for p in pieces if p[0] <= point][-1]
            return written + len(escape(text[:point - start]))

        for flag in getattr(translation, "flags", ()):
            start, sentence_start = at(flag.start, False), at(flag.sentence_start, False)
            self.flags.append(dataclasses.replace(
                flag, start=start, end=max(at(flag.end, True), start), sentence_start=sentence_start,
                sentence_end=max(at(flag.sentence_end, True), sentence_start)))

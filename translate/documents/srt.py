"""SubRip subtitles (.srt): UTF-8 bytes in, the same cues with English text out.

Takes an SRT file; `SrtDocument(data).segments()` is one text per cue (its lines joined by spaces: a
sentence often runs over a cue's lines), `rebuild(translations)` the subtitles with the same cue count,
numbering, timestamps and position data, each cue's English split over as many lines as it had, at word
boundaries, the lines' lengths balanced. Cues with no letters (music notes, numbers) are copied.

The parser is the `srt` library, strict: a block it cannot read (broken timestamps, a missing number), or a
cue ending before it starts, is a DocumentError naming the cue (by its place and number) and its line.
"""

from __future__ import annotations

from typing import Any, Sequence

import srt

from translate.documents.document import DocumentError, english_of, refuse_binary, segment_terms
from translate.documents.inline import has_letters, split_balanced
from translate.documents.text import decode, encode

NAME = "srt"
SUFFIXES = (".srt",)


class SrtDocument:
    def __init__(self, data: bytes):
        refuse_binary(data, "SRT subtitles")
        text, self.bom = decode(data)
        self.newline = "\r\n" if "\r\n" in text else "\n"
        text = text.replace("\r\n", "\n")
        self.ending = text[len(text.rstrip("\n")):].replace("\n", self.newline)  # srt.compose ends with a blank line
        self.skipped: list[DocumentError] = []
        self.cues: list[srt.Subtitle] = []
        try:
            for cue in srt.parse(text, ignore_errors=False):
                self.cues.append(cue)
        except srt.SRTParseError as e:
            bad = e.expected_start + len(e.unmatched_content) - len(e.unmatched_content.lstrip())
            line = text[:bad].count("\n") + 1
            after = f"after cue {self.cues[-1].index}" if self.cues else "at the start"
            raise DocumentError(f"cue {len(self.cues) + 1} ({after}) is not a valid subtitle block: "
                                f"{e.unmatched_content.strip()[:60]!r}", line=line) from None
        except ValueError as e:  # a number or timestamp srt's pattern matched but could not convert
            raise DocumentError(f"cue {len(self.cues) + 1}: {e}") from None
        for position, cue in enumerate(self.cues, 1):
            if cue.end < cue.start:
                end, start = (srt.timedelta_to_srt_timestamp(t) for t in (cue.end, cue.start))
                raise DocumentError(f"cue {position} (number {cue.index}) ends ({end}) before it starts ({start})")
        self.todo = [i for i, cue in enumerate(self.cues) if has_letters(cue.content)]

    def segments(self) -> list[str]:
        return [" ".join(line.strip() for line in self.cues[i].content.split("\n") if line.strip())
                for i in self.todo]

    def rebuild(self, translations: Sequence[Any]) -> bytes:
        cues = list(self.cues)
        for i, translation in zip(self.todo, translations):
            lines = self.cues[i].content.split("\n")
            english = " ".join(english_of(translation).split())
            parts = [p.strip() for p in split_balanced(english, [max(len(line), 1) for line in lines])]
            parts = [p for p in parts if p] or [english]  # fewer words than lines: a blank line would end the cue
            cues[i] = srt.Subtitle(cues[i].index, cues[i].start, cues[i].end, "\n".join(parts),
                                   proprietary=cues[i].proprietary)
        composed = srt.compose(cues, reindex=False, eol=self.newline).rstrip(self.newline) + self.ending
        return encode(composed, self.bom)

    def terms(self, translations: Sequence[Any]) -> list:
        """Term offsets into the cues' texts joined by "\\n" (one line per cue with text)."""
        return segment_terms([s + "\n" for s in self.segments()], translations)

    def text_count(self) -> int:
        return len(self.todo)

    def summary(self) -> str:
        return f"{len(self.cues)} cues, {len(self.todo)} translated."


def read(data: bytes, *, fields: Sequence[str] = ()) -> SrtDocument:
    """`data` as subtitles (`fields` is JSONL's option)."""
    return SrtDocument(data)

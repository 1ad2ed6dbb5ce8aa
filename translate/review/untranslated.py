"""Source left untranslated: Cyrillic in the English, or the English a copy of the source.

Takes a Ukrainian sentence (or line), its English and the strings the English may hold as they are (glossary
targets); returns a `Flag` when the English holds Cyrillic outside those strings, pointing from its first run of
Cyrillic words to its last. None of the 4,006 human references of FLORES-200 and NTREX-128 holds a Cyrillic letter
(benchmarks/review_calibration.py), so any one is flagged: a clause left in Ukrainian, or a Cyrillic
look-alike letter inside a Latin word ("Kyіv" with a Ukrainian і).
"""

from __future__ import annotations

import re
from typing import Sequence

from translate.review.flags import Flag, flag
from translate.terms import target_pattern

# Cyrillic letters, and the spaces, digits and punctuation between two of them: one run, one flag.
RUN = re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]+"
                 r"(?:[\s\d\W]*?[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]+)*")


def check(source: str, english: str, allowed: Sequence[str] = ()) -> list[Flag]:
    protected = [(m.start(), m.end()) for a in allowed for m in target_pattern(a).finditer(english)]
    runs = [m for m in RUN.finditer(english) if not any(s <= m.start() and m.end() <= e for s, e in protected)]
    if not runs:
        return []
    if " ".join(english.split()).casefold() == " ".join(source.split()).casefold():
        return [flag("untranslated", "the English is a copy of the Ukrainian source", english)]
    more = f" (and {len(runs) - 1} more passage{'s' * (len(runs) > 2)})" if len(runs) > 1 else ""
    return [flag("untranslated", f"“{_short(runs[0].group())}”{more} is left in Ukrainian (Cyrillic)", english,
                 runs[0].start(), runs[-1].end())]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"

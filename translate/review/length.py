"""Length out of proportion with the source: a clause that vanished, a sentence cut short, a runaway.

Takes a Ukrainian sentence (or line) and its English; returns a `Flag` when the English is much shorter or
longer than human translations of such a sentence are, or stops mid-sentence where the source does not.
Lengths count letters and digits only (spaces and punctuation vary by style), each plus `SMOOTHING`, so one
word more or less in a three-word headline is not a disproportion.

Bounds (benchmarks/review_calibration.py derives them from the 4,006 human references of FLORES-200 dev +
devtest and NTREX-128, where English/Ukrainian letter ratios have median 0.97, 1st percentile 0.66 and 99th
1.31): under `SHORT` (0.2 % of the references) or over `LONG` (0.1 %), or under `CUT` when the source ends
a sentence and the English ends with no sentence punctuation (the references do that on 0.5 % of lines,
nearly all of them above 0.8). An English with its second half cut off has a ratio of about 0.5, and no
final stop.
"""

from __future__ import annotations

import re

from translate.review.flags import Flag, flag

SMOOTHING = 10
SHORT = 0.55
LONG = 1.6
CUT = 0.8
ENDS_SENTENCE = re.compile(r"[.!?…][\"'»”’)\]]*\s*$")


def ratio(source: str, english: str) -> float:
    return (_letters(english) + SMOOTHING) / (_letters(source) + SMOOTHING)


def _letters(text: str) -> int:
    return sum(map(str.isalnum, text))  # letters and digits; as fast as counting gets in Python


def check(source: str, english: str) -> list[Flag]:
    r = ratio(source, english)
    if r < SHORT:
        return [flag("length", f"the English is {r:.2f} × the source's length; human translations stay above "
                               f"{SHORT} (a clause may be missing)", english)]
    if r > LONG:
        return [flag("length", f"the English is {r:.2f} × the source's length; human translations stay under "
                               f"{LONG} (something may be added or repeated)", english)]
    if r < CUT and ENDS_SENTENCE.search(source) and not ENDS_SENTENCE.search(english):
        return [flag("length", f"the English stops mid-sentence at {r:.2f} × the source's length (the end may be "
                               "cut off)", english)]
    return []

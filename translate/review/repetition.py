"""Degenerate repetition: a word or phrase repeated beyond what English prose does.

Takes one English sentence (or line); returns the `Flag`s of its repetitions, each pointing at the repeated
run. `degenerate(english)` says whether the pipeline should decode the sentence again with repetition
constraints (`REDECODE`, tried in order). Words are compared in lower case, punctuation between them ignored, so
"Kyiv, Kyiv, Kyiv" is a run of one word three times.

Thresholds (benchmarks/review_calibration.py derives them from the 4,006 English references of FLORES-200
dev + devtest and NTREX-128): a phrase (1–8 words) three times in a row occurs once there ("No, no, no, no,
no."); a phrase of four or more words twice in a row never; a four-word phrase three times in one sentence
in one line (a list of "… concentrations offshore of … County"); a letter group repeated inside one word
never. Weaker signals (a 2–3-word phrase twice in a row, a 3-gram three times) each fire on 0.1–0.2 % of the
references and catch little that these do not, so they are not used.
"""

from __future__ import annotations

import re
from collections import defaultdict

from translate.engines.base import Repetition
from translate.review.flags import Flag, flag

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
TANDEM_TIMES = 3  # a phrase this many times in a row (up to TANDEM_MAX_WORDS words long)
TANDEM_MAX_WORDS = 8
LONG_PHRASE_WORDS = 4  # a phrase this long twice in a row …
SCATTERED_TIMES = 3  # … or this many times anywhere in the sentence
# Inside one word (in lower case): a letter 5 times ("aaaaa") or a group of 2–12 letters 4 times
# ("kyivkyivkyivkyiv"); only words of IN_WORD_MIN letters or more can hold one, and only those are searched.
IN_WORD = re.compile(r"([^\W\d_])\1{4,}|([^\W\d_]{2,12}?)\2{3,}")
IN_WORD_MIN = 5

# The re-decodes of a degenerate sentence, in order, each for those still degenerate after the one before: no
# 3-gram of target tokens twice and a mild penalty on tokens already written (what a loop of a real model
# needs: "X X X" at most), then no 2-gram twice (no word even twice in a row; it also forbids a two-piece name
# or "of the" twice, so it comes only second). On the random-weight model (benchmarks/review_calibration.py,
# tests/test_review_pipeline.py) the first leaves most outputs degenerate, the second none.
REDECODE = (Repetition(no_repeat_ngram_size=3, penalty=1.2), Repetition(no_repeat_ngram_size=2, penalty=1.5))


def check(english: str) -> list[Flag]:
    """One flag per repeated run (the longest reading of each, left to right), offsets into `english`."""
    words = [(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(english)]
    tokens = [w for _, _, w in words]
    flags: list[Flag] = []
    covered = -1  # runs inside an already flagged one are the same problem
    i = 0
    while i < len(tokens):
        run = _tandem_at(tokens, i)
        if run is not None:
            n, times = run
            last = i + n * times - 1
            if words[i][0] > covered:
                phrase = english[words[i][0]:words[i + n - 1][1]]
                flags.append(flag("repetition", f"“{_short(phrase)}” is repeated {times} times in a row", english,
                                  words[i][0], words[last][1]))
                covered = words[last][1]
            i = last + 1
            continue
        i += 1
    flags += _scattered(english, words, tokens, covered)
    for start, end, word in words:
        m = IN_WORD.search(word) if end - start >= IN_WORD_MIN else None
        if m and start + m.start() > covered:
            flags.append(flag("repetition", f"“{_short(m.group(1) or m.group(2))}” is repeated inside a word",
                              english, start + m.start(), start + m.end()))
    return flags


def degenerate(english: str) -> bool:
    return bool(check(english))


def _tandem_at(tokens: list[str], i: int) -> tuple[int, int] | None:
    """(phrase length, times) of the longest degenerate run starting at word `i`, if any."""
    best = None
    for n in range(1, TANDEM_MAX_WORDS + 1):
        if i + 2 * n > len(tokens):
            break
        phrase = tokens[i:i + n]
        times = 1
        while tokens[i + times * n:i + (times + 1) * n] == phrase:
            times += 1
        if times >= TANDEM_TIMES or (n >= LONG_PHRASE_WORDS and times >= 2):
            if best is None or n * times > best[0] * best[1]:
                best = (n, times)
    return best


def _scattered(english: str, words: list[tuple[int, int, str]], tokens: list[str], covered: int) -> list[Flag]:
    """A LONG_PHRASE_WORDS-word phrase SCATTERED_TIMES times or more, not in a row."""
    n = LONG_PHRASE_WORDS
    seen: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(tokens) - n + 1):
        seen[tuple(tokens[i:i + n])].append(i)
    out = []
    for gram, starts in seen.items():
        if len(starts) >= SCATTERED_TIMES and words[starts[0]][0] > covered:
            first, last = starts[0], starts[-1] + n - 1
            out.append(flag("repetition", f"“{_short(' '.join(gram))}” occurs {len(starts)} times", english,
                            words[first][0], words[last][1]))
            covered = words[last][1]
    return out


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"

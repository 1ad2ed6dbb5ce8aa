"""The review of one sentence: every check of `translate.review` on a (source, English) pair.

Takes a Ukrainian sentence (or a line of a test set), its English, the glossary targets the English may hold
as they are, and the terms known to be missing; returns the `Flag`s, offsets into that English, in the
order of the checks: repetition, length, untranslated, number, term. The pipeline runs it on each
translated sentence after its repairs; `uk-en review` on each line of an existing translation.
"""

from __future__ import annotations

from typing import Sequence

from translate.review import length, numbers, repetition, untranslated
from translate.review.flags import Flag, flag


def review(source: str, english: str, *, allowed: Sequence[str] = (),
           missing_terms: Sequence[tuple[str, str]] = ()) -> list[Flag]:
    """`allowed`: strings the English may keep as they are (glossary targets); `missing_terms`: (source
    surface, English target) of each term the English lacks."""
    if not english.strip() and not source.strip():
        return []
    flags = repetition.check(english)
    # A degenerate run is already the reason the length is off: one problem, one flag.
    if not flags:
        flags += length.check(source, english)
    flags += untranslated.check(source, english, allowed)
    flags += numbers.check(source, english)
    flags += [flag("term", f"the glossary term “{surface}” → “{target}” is not in the English", english)
              for surface, target in missing_terms]
    return flags

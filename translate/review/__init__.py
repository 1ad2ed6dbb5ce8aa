"""Review flags: cheap, explainable checks that point an editor at the sentences to read again.

Takes a Ukrainian sentence and its English; returns `Flag`s (kind, one-line reason, character span in the
English). One module per check — `repetition` (a phrase repeated beyond what English prose does), `length`
(out of proportion with the source), `untranslated` (Cyrillic left in the English, or a copy of the source),
`numbers` (digits, dates, amounts and percentages that did not carry over) — plus `flags` (the `Flag` type)
and `runner` (`review`: all checks on one pair). The pipeline (translate/pipeline.py) repairs first —
re-decoding degenerate sentences with `repetition.REDECODE`, forcing missing plain numbers like glossary
terms — and flags what still fails; missing glossary terms become `term` flags.
"""

from __future__ import annotations

from translate.review.flags import KINDS, Flag, flagged_sentences
from translate.review.runner import review

__all__ = ["KINDS", "Flag", "flagged_sentences", "review"]

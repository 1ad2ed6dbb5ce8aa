"""Glossary enforcement: annotate the source, verify the English, repair where a term is missing; and
`TermReport`, the one public report of a matched term.

Takes sentences with the terms placed in them (anything with `start`, `end` — offsets into the sentence —
and `target`, such as a `glossary.Match`); returns the strings the pipeline needs to get hypotheses in which
every term's target appears (or is reported missing). Steps (see design notes):
1. `annotate`: each matched span is replaced by its English target; Marian models copy Latin-script names.
2. `count_target`: a target counts as present case-insensitively, possessive 's allowed, whole words only.
3. `repair_prefix`: where terms are missing, the hypothesis is rebuilt up to the last missing term with each
   term put where it belongs (over a look-alike rendering such as "Kiev", else at the source-proportional
   position) and re-decoded with that forced prefix, so the model continues fluently after it.
4. `tidy`: the target's own capitalisation, no doubled term ("Stoltenberg Stoltenberg"), sentence-initial
   capital kept.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, Sequence


class Placed(Protocol):
    """A term inside one sentence: offsets into the sentence's source text and the English it needs."""

    start: int
    end: int
    target: str


@dataclass(frozen=True)
class TermReport:
    """One glossary term or document name matched in the input, and whether the English has it.

    The CLI's `--terms` JSON and the HTTP API's `"terms"` are `as_dict()` of this; the HTTP schema is derived
    from these fields and their docstrings.
    """

    __pydantic_config__ = {"use_attribute_docstrings": True}  # the HTTP schema's descriptions: the docstrings

    surface: str
    """The term as it appears in the input (any inflected form)."""
    headword: str
    """The glossary entry it matched, or the name's dictionary form (Тарас Бондаренко for Тараса Бондаренка)."""
    target: str
    """The English the glossary (or the name's rendering) asks for."""
    start: int
    """Character offset of the term in the input."""
    end: int
    """Character offset just past the term in the input."""
    applied: bool
    """Whether the English has the target."""
    weak: bool = False
    """A sentence-initial match that may be an ordinary word: reported, not enforced."""
    kind: str = "glossary"
    """"glossary" (an entry of the glossary) or "name" (a person or place no entry covers, kept consistent)."""
    rule: str = "glossary"
    """What gave the target: "glossary", or for names "romanised" (KMU 2010) or "model" (a foreign name)."""
    why: str = ""
    """For names, one line on why the words were taken for a name and how they were rendered."""

    # The names of the first public API (README, design notes): source was the surface, entry the headword.
    source = property(lambda self: self.surface)
    entry = property(lambda self: self.headword)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def shifted(self, offset: int) -> "TermReport":
        """The same report with its offsets moved by `offset` (a part's terms placed in the whole text)."""
        return dataclasses.replace(self, start=self.start + offset, end=self.end + offset)


def annotate(text: str, terms: Sequence[Placed]) -> tuple[str, list[int]]:
    """The source with each term's span replaced by its target, and where each target starts in it."""
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    length = 0
    for term in sorted(terms, key=lambda t: t.start):
        before = text[pos : term.start]
        parts += [before, term.target]
        length += len(before)
        starts.append(length)
        length += len(term.target)
        pos = term.end
    parts.append(text[pos:])
    return "".join(parts), starts


@lru_cache(maxsize=4096)
def target_pattern(target: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in target.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?=(?:['’]s)?(?!\w))", re.IGNORECASE)


def count_target(hypothesis: str, target: str) -> int:
    return len(target_pattern(target).findall(hypothesis))


def missing_terms(hypothesis: str, terms: Sequence[Placed]) -> list[int]:
    """Indices of terms whose target occurs fewer times in the hypothesis than the source asks for."""
    need: dict[str, int] = {}
    for t in terms:
        need[t.target.lower()] = need.get(t.target.lower(), 0) + 1
    seen: dict[str, int] = {}
    missing = []
    for i, t in enumerate(terms):
        key = t.target.lower()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > count_target(hypothesis, t.target):
            missing.append(i)
    return missing


def _lookalike(words: list[str], target: str, lo: int) -> tuple[int, int] | None:
    """(start, end) word range from `lo` on that most resembles the target (a near-miss rendering), if any."""
    n = len(target.split())
    best, best_score = None, 0.0
    for i in range(lo, len(words) - n + 1):
        candidate = re.sub(r"[^\w\s'-]", "", " ".join(words[i : i + n])).lower()
        score = difflib.SequenceMatcher(None, candidate, target.lower()).ratio()
        if score > best_score:
            best, best_score = (i, i + n), score
    return best if best_score >= 0.7 else None


def repair_prefix(source_len: int, hypothesis: str, terms: Sequence[Placed], starts: Sequence[int],
                  missing: Sequence[int]) -> str:
    """The forced prefix for re-decoding: the hypothesis with every missing term put in place, cut after the last."""
    words = hypothesis.split()
    out: list[str] = []
    pos = 0
    for i in sorted(missing, key=lambda i: starts[i]):
        target = terms[i].target
        near = _lookalike(words, target, pos)
        if near is not None:
            cut, resume = near
        else:
            cut = max(pos, min(len(words), round(len(words) * starts[i] / max(source_len, 1))))
            resume = cut
        out += words[pos:cut] + [target]
        pos = resume
    return " ".join(out)


def separate_glued(hypothesis: str, targets: Sequence[str]) -> str:
    """A space after a forced target the model glued its next piece onto ("Ukrinformative" → "Ukrinform ative").

    Only used on repaired sentences: there the target was forced, so letters right after it are a new word.
    """
    for target in set(targets):
        words = [re.escape(w) for w in target.split()]
        glued = re.compile(r"(?<!\w)(" + r"\s+".join(words) + r")(?=[^\W_])(?!['’]s\b)", re.IGNORECASE)
        hypothesis = glued.sub(lambda m: m.group(1) + " ", hypothesis)
    return hypothesis


def tidy(hypothesis: str, targets: Sequence[str]) -> str:
    """Targets in their glossary spelling, never doubled; a sentence-initial lowercase target is capitalised."""
    for target in sorted(set(targets), key=len, reverse=True):
        pattern = target_pattern(target)
        doubled = re.compile(r"(" + pattern.pattern + r")(?:\s+" + pattern.pattern + r")+", re.IGNORECASE)
        hypothesis = doubled.sub(lambda m: m.group(1), hypothesis)

        def spell(m: re.Match[str]) -> str:
            sentence_start = m.start() == 0 or re.search(r"[.!?…]\s*$", hypothesis[: m.start()]) is not None
            if sentence_start and target[:1].islower():
                return target[:1].upper() + target[1:]
            return target

        hypothesis = pattern.sub(spell, hypothesis)
    return hypothesis

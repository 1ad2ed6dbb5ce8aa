"""Quality scores for a test set: sacreBLEU's BLEU, chrF and chrF++ (with signatures) and glossary term accuracy.

Takes aligned lines — sources, hypotheses (English output), references — and returns `Scores`:
`score(hypotheses, references)` is exactly sacreBLEU's corpus scores (default tokenizer 13a, as published
FLORES-200 numbers use); `term_accuracy(sources, hypotheses, glossary)` is the share of glossary terms found
in a source line whose English target appears in the hypothesis of that line (counted per occurrence, the
way the pipeline verifies terms: case-insensitive, whole words, possessive 's allowed).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from translate import terms as termlib
from translate.errors import EvalInputError

if TYPE_CHECKING:
    from translate.glossary import Glossary


@dataclass(frozen=True)
class TermAccuracy:
    matched: int  # glossary terms found in the sources (each occurrence)
    applied: int  # of those, how many have their target in the hypothesis line

    @property
    def accuracy(self) -> float | None:
        return self.applied / self.matched if self.matched else None


@dataclass(frozen=True)
class Scores:
    lines: int
    bleu: float
    chrf: float
    chrf_plus_plus: float
    signatures: dict[str, str]
    terms: TermAccuracy | None = None

    def as_dict(self) -> dict[str, Any]:
        terms = None if self.terms is None else {**asdict(self.terms), "accuracy": self.terms.accuracy}
        return {"lines": self.lines, "bleu": self.bleu, "chrf": self.chrf, "chrf++": self.chrf_plus_plus,
                "signatures": dict(self.signatures), "terms": terms}


def read_lines(path: str | os.PathLike) -> list[str]:
    """One segment per line (the test-set format): UTF-8, `\\n` or `\\r\\n` line ends, final newline optional."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise EvalInputError(f"{path}: cannot be read ({e.strerror or e})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise EvalInputError(f"{path}:{line}: not valid UTF-8") from None
    if text.endswith("\n"):
        text = text[:-1]
    return [line.removesuffix("\r") for line in text.split("\n")] if text else []


def check_aligned(named: dict[str, Sequence[str]]) -> None:
    counts = {name: len(lines) for name, lines in named.items()}
    if len(set(counts.values())) > 1:
        detail = ", ".join(f"{name} has {n}" for name, n in counts.items())
        raise EvalInputError(f"files are not aligned line by line: {detail} lines")


def score(hypotheses: Sequence[str], references: Sequence[str]) -> Scores:
    """Corpus BLEU, chrF and chrF++ as sacreBLEU computes them, each with its signature."""
    from sacrebleu.metrics import BLEU, CHRF

    check_aligned({"hypotheses": hypotheses, "references": references})
    hyps, refs = list(hypotheses), [list(references)]
    metrics = {"bleu": BLEU(), "chrf": CHRF(), "chrf++": CHRF(word_order=2)}
    results = {name: metric.corpus_score(hyps, refs) for name, metric in metrics.items()}
    return Scores(
        lines=len(hyps),
        bleu=results["bleu"].score,
        chrf=results["chrf"].score,
        chrf_plus_plus=results["chrf++"].score,
        signatures={name: str(metric.get_signature()) for name, metric in metrics.items()},
    )


def term_accuracy(sources: Sequence[str], hypotheses: Sequence[str], glossary: "Glossary") -> TermAccuracy:
    """Glossary terms matched in each source line, and how many of them the hypothesis line renders."""
    check_aligned({"sources": sources, "hypotheses": hypotheses})
    matched = applied = 0
    for source, hypothesis in zip(sources, hypotheses):
        found = glossary.find(source)
        matched += len(found)
        applied += len(found) - len(termlib.missing_terms(hypothesis, found))
    return TermAccuracy(matched=matched, applied=applied)


def evaluate(sources: Sequence[str], hypotheses: Sequence[str], references: Sequence[str],
             glossary: "Glossary | None" = None) -> Scores:
    """`score` plus, with a glossary, `term_accuracy`."""
    check_aligned({"sources": sources, "hypotheses": hypotheses, "references": references})
    scores = score(hypotheses, references)
    if glossary is None:
        return scores
    return Scores(**{**scores.__dict__, "terms": term_accuracy(sources, hypotheses, glossary)})

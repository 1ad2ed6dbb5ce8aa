"""Language detection for `source: "auto"` and `POST /detect`, with lingua-language-detector.

Takes a text; `detect(text)` returns its candidate languages as `Candidate(language, confidence)`, most likely
first, confidence 0–100 (lingua's relative confidence × 100); `best(text, default)` the most likely one.
A text with no letters (a date, a number, emoji) has no language: `detect` returns [] and `best` gives
`default` with confidence 0.

`for_translation(text, offered)` is the choice `source: "auto"` makes: lingua's top candidate when it is
sure of it (confidence ≥ `SURE`), else the first of the model's languages (Ukrainian first) with at least
half the top's confidence — a short line that lingua finds nearly as Russian as Ukrainian ("Столтенберг
говорив.": ru 63, uk 37) is translated as Ukrainian, with the glossary.

lingua was chosen for accuracy on short texts (`python benchmarks/detectors.py` compares it with langdetect
and py3langid on FLORES-200 / NTREX-128 lines and on one-line inputs). The detector is built once per
process, restricted to `LANGUAGES`: the East Slavic languages the models translate (uk, ru, be), English,
and the five most spoken other European languages in Latin script, Polish among them (de, fr, es, it, pl),
so that input in one of them is named in the 400 rather than taken for another (a text in another
Latin-script language is named as the nearest listed one, and refused all the same). Bulgarian, Macedonian
and Serbian are left out on purpose: with them, lingua takes short Ukrainian lines holding a name for one of
them ("Столтенберг говорив." came out Bulgarian), and a Ukrainian newsroom gets far more of those than
South Slavic text (which is now taken as Russian or Ukrainian and translated, poorly, rather than refused).
Each language more costs load time and memory: lingua loads a language's models on first use, only for the
scripts it sees: about 1 s and 50 MB for the three Cyrillic ones, 3 s and 150 MB for the six Latin ones on a
2-core machine; all 75 would take about 1 GB.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

LANGUAGES = ("uk", "ru", "be", "en", "de", "fr", "es", "it", "pl")
# Below this confidence (0–100) the top candidate is not taken over a language the model translates that has at
# least half its confidence (see `for_translation`).
SURE = 70.0
# lingua's accuracy does not grow past a few hundred characters; a long text is judged by its start.
MAX_CHARS = 1_000


@dataclass(frozen=True)
class Candidate:
    language: str  # ISO 639-1 code
    confidence: float  # 0–100

    def as_dict(self) -> dict[str, float | str]:
        """LibreTranslate's shape: {"confidence": …, "language": …}."""
        return {"confidence": self.confidence, "language": self.language}


_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _detector() -> "LanguageDetector":
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detector() -> "LanguageDetector":
    """The process's one detector (built on first use; its language models load lazily, once)."""
    with _lock:  # two first requests at once must not build it twice
        return _detector()


def detect(text: str) -> list[Candidate]:
    """The candidate languages of `text`, most likely first; those lingua gives no confidence are left out."""
    values = detector().compute_language_confidence_values(text[:MAX_CHARS])
    candidates = [Candidate(v.language.iso_code_639_1.name.lower(), round(v.value * 100, 1)) for v in values]
    return [c for c in candidates if c.confidence > 0]


def best(text: str, default: str) -> Candidate:
    """The most likely language of `text`; `default` with confidence 0 for a text with no language."""
    candidates = detect(text)
    return candidates[0] if candidates else Candidate(default, 0.0)


def for_translation(text: str, offered: tuple[str, ...]) -> Candidate:
    """The language `source: "auto"` translates `text` as (see the module docstring); `offered[0]` at 0 for a
    text with no language."""
    candidates = detect(text)
    if not candidates:
        return Candidate(offered[0], 0.0)
    top = candidates[0]
    if top.confidence >= SURE:
        return top
    by_code = {c.language: c for c in candidates}
    for code in offered:
        if code in by_code and by_code[code].confidence * 2 >= top.confidence:
            return by_code[code]
    return top


def combined(texts: list[str], default: str) -> list[Candidate]:
    """LibreTranslate's answer to /detect for a list: each language's confidence averaged over the texts,
    weighted by their lengths, most likely first; [default at 0] when no text has a language."""
    weights: dict[str, float] = {}
    total = 0
    for text in texts:
        size = len(text[:MAX_CHARS])
        total += size
        for c in detect(text):
            weights[c.language] = weights.get(c.language, 0.0) + c.confidence * size
    if not weights or not total:
        return [Candidate(default, 0.0)]
    ranked = sorted(weights.items(), key=lambda item: -item[1])
    return [Candidate(code, round(weight / total, 1)) for code, weight in ranked if round(weight / total, 1) > 0]


def name(code: str) -> str:
    """The English name of a language `code` the detector knows ("German" for de)."""
    from lingua import IsoCode639_1, Language

    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())).name.title()
    except AttributeError:
        return code

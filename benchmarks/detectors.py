"""Language detectors side by side: lingua (as `translate.detection` configures it) against langdetect and
py3langid, on FLORES-200 / NTREX-128 lines, on short prefixes of them, and on hand-written one-line inputs.

    python benchmarks/detectors.py [--lines 300]

Reads `flores200/{dev,devtest}.LANG` and `ntrex128/ntrex128.LANG` for LANG in uk, ru, be, en from
`UKEN_EVAL_DIR` (default ../shared/eval beside this checkout) — whichever are there (the shared folder holds
uk and en only: put rus_Cyrl / bel_Cyrl lines there as .ru / .be to score those), and
`benchmarks/data/detect_short.tsv` (20 one-line inputs per language: headlines, greetings, single words).
Every detector is asked the same thing; py3langid is restricted to the same languages as lingua, langdetect
cannot be (it always chooses among its 55). An answer counts when it is the right ISO 639-1 code. The last
column is the server's own choice for `source: "auto"` with the zle model (`detection.for_translation`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from translate import detection  # noqa: E402

EVAL = Path(os.environ.get("UKEN_EVAL_DIR", ROOT.parent / "shared" / "eval"))
LANGS = ("uk", "ru", "be", "en")
FILES = ("flores200/dev", "flores200/devtest", "ntrex128/ntrex128")
SHORT = ROOT / "benchmarks" / "data" / "detect_short.tsv"


def lingua_detector():
    return lambda text: detection.best(text, "").language or None


def langdetect_detector():
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # its answers are random otherwise

    def run(text: str) -> str | None:
        try:
            return detect(text).split("-")[0]
        except LangDetectException:
            return None

    return run


def langid_detector():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(detection.LANGUAGES))
    return lambda text: identifier.classify(text)[0]


def auto_choice():
    """What `source: "auto"` translates a text as with the zle model (lingua, a model language preferred when
    lingua is not sure): how often the server's own choice is right."""
    return lambda text: detection.for_translation(text, ("uk", "ru", "be")).language


DETECTORS = {"lingua": lingua_detector, "langdetect": langdetect_detector, "py3langid": langid_detector,
             "auto's choice": auto_choice}


def corpora(lines: int) -> dict[str, list[tuple[str, str]]]:
    """{set name: [(language, text)]}: whole lines, their first 3 words, their first word, the one-liners."""
    sets: dict[str, list[tuple[str, str]]] = defaultdict(list)
    missing = []
    for lang in LANGS:
        found = [EVAL / f"{name}.{lang}" for name in FILES if (EVAL / f"{name}.{lang}").exists()]
        if not found:
            missing.append(lang)
        texts = [t for path in found for t in path.read_text(encoding="utf-8").splitlines() if t.strip()][:lines]
        sets["FLORES/NTREX lines"] += [(lang, t) for t in texts]
        sets["  first 3 words"] += [(lang, " ".join(t.split()[:3])) for t in texts]
        sets["  first word"] += [(lang, t.split()[0]) for t in texts if any(c.isalpha() for c in t.split()[0])]
    for row in SHORT.read_text(encoding="utf-8").splitlines():
        if row and not row.startswith("#"):
            lang, text = row.split("\t", 1)
            sets["one-line inputs (hand-written)"].append((lang, text))
    if missing:
        print(f"note: no FLORES/NTREX lines for {', '.join(missing)} in {EVAL}: those are scored on the one-line "
              f"inputs only", file=sys.stderr)
    return dict(sets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=300, help="lines per language and file set (default 300)")
    args = parser.parse_args()
    sets = corpora(args.lines)
    detectors = {name: make() for name, make in DETECTORS.items()}
    for run in detectors.values():  # first use loads models: not part of the timing
        run("Привіт, як справи?")
        run("Hello, how are you?")
    scores: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    seconds: dict[str, float] = defaultdict(float)
    for set_name, items in sets.items():
        for name, run in detectors.items():
            started = time.perf_counter()
            for lang, text in items:
                score = scores[(set_name, lang, name)]
                score[0] += run(text) == lang
                score[1] += 1
            seconds[name] += time.perf_counter() - started
    names = list(detectors)
    print(f"## accuracy by input and language (lingua restricted to {', '.join(detection.LANGUAGES)})")
    print("| input | lang | n | " + " | ".join(names) + " | lingua ÷ best other |")
    print("|---|---|---|" + "---|" * len(names) + "---|")
    for set_name in sets:
        for lang in LANGS + ("all",):
            if lang == "all":
                cells = {n: [sum(scores[(set_name, la, n)][i] for la in LANGS) for i in (0, 1)] for n in names}
            else:
                cells = {n: scores[(set_name, lang, n)] for n in names}
            total = cells[names[0]][1]
            if not total:
                continue
            acc = {n: cells[n][0] / total for n in names}
            other = max(acc[n] for n in names if n not in ("lingua", "auto's choice"))
            ratio = f"{acc['lingua'] / other:.2f}" if other else "∞"
            print(f"| {set_name} | {lang} | {total} | " + " | ".join(f"{acc[n]:.3f}" for n in names) + f" | {ratio} |")
    count = sum(len(items) for items in sets.values())
    print("\n| detector | ms per input |")
    print("|---|---|")
    for name in names:
        print(f"| {name} | {1000 * seconds[name] / count:.2f} |")


if __name__ == "__main__":
    main()

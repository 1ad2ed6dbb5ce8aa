"""Calibration of the review flags (translate/review/): quiet on human translations, firing on broken output.

    python benchmarks/review_calibration.py                    # references, corruptions, cost on 32 sentences
    python benchmarks/review_calibration.py --sentences 64 --arch base --backend ctranslate2

Reads FLORES-200 (dev, devtest) and NTREX-128 from UKEN_EVAL_DIR (default ../shared/eval) and prints:

1. References: the share of human reference sentences (FLORES-200 devtest, NTREX-128; dev too, which the
   thresholds were also read from) that the checks flag, per kind and in all (target ≤ 2 %). The glossary
   check is left out: a reference spelling a name otherwise (Kiev) is the glossary's business, not a false
   alarm of the review.
2. Synthetic corruptions of the devtest and NTREX-128 references, and the share of each the review catches
   (target ≥ 95 % each): a 2–4-word phrase repeated to three times in a row (a model stuck in a loop), the
   second half cut off (at the word boundary before the middle), the second half of the words replaced by the
   second half of the Ukrainian source (a clause left untranslated), and one number of the English that
   carries a source number changed by one (only lines that have such a number).
3. Cost, on a random-weight Marian model of the real architecture (tests/random_marian.py): translation time
   with review off (and no glossary: no repairs at all), then the review's own checks on that output timed
   alone (target < 5 % of the translation), then the whole pipeline with review on (its re-decodes included).
   Random weights write degenerate English, so this also shows that every repetition in the raw output is gone
   after the re-decode with repetition constraints, or flagged.

The constants the checks ship with (translate/review/length.py, repetition.py) come from tables 1 and 2.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
EVAL = Path(os.environ.get("UKEN_EVAL_DIR", ROOT.parent / "shared" / "eval"))
CORPORA = {
    "FLORES-200 dev": ("flores200/dev.uk", "flores200/dev.en"),
    "FLORES-200 devtest": ("flores200/devtest.uk", "flores200/devtest.en"),
    "NTREX-128": ("ntrex128/ntrex128.uk", "ntrex128/ntrex128.en"),
}
KINDS = ("repetition", "length", "untranslated", "number")
DIGITS = re.compile(r"\d+")


def load(name: str) -> list[tuple[str, str]]:
    uk, en = CORPORA[name]
    sources = (EVAL / uk).read_text(encoding="utf-8").splitlines()
    references = (EVAL / en).read_text(encoding="utf-8").splitlines()
    return list(zip(sources, references))


def references_table() -> None:
    from translate.review import review

    print("## 1. Human references flagged (target ≤ 2 %)")
    print("| corpus | lines | " + " | ".join(KINDS) + " | any |")
    print("|---|---|" + "---|" * (len(KINDS) + 1))
    for name in CORPORA:
        pairs = load(name)
        kinds: Counter[str] = Counter()
        flagged = 0
        for source, english in pairs:
            flags = review(source, english)
            flagged += bool(flags)
            kinds.update({f.kind for f in flags})
        cells = " | ".join(f"{100 * kinds[k] / len(pairs):.2f} %" for k in KINDS)
        print(f"| {name} | {len(pairs)} | {cells} | **{100 * flagged / len(pairs):.2f} %** |")
    print()


def repeat_phrase(source: str, english: str, rng: random.Random) -> str | None:
    words = english.split()
    if len(words) < 6:
        return None
    n = rng.randint(2, 4)
    i = rng.randrange(0, len(words) - n)
    phrase = words[i:i + n]
    return " ".join(words[:i + n] + phrase + phrase + words[i + n:])


def cut_half(source: str, english: str, rng: random.Random) -> str | None:
    if len(english.split()) < 4:
        return None
    cut = english.rfind(" ", 0, len(english) // 2)
    return english[:cut] if cut > 0 else None


def leave_ukrainian(source: str, english: str, rng: random.Random) -> str | None:
    en, uk = english.split(), source.split()
    if len(en) < 4 or len(uk) < 4:
        return None
    return " ".join(en[:len(en) // 2] + uk[len(uk) // 2:])


def change_number(source: str, english: str, rng: random.Random) -> str | None:
    from translate.review import numbers

    carried = set().union(*(n.accepted for n in numbers.numbers(source))) if numbers.numbers(source) else set()
    for m in DIGITS.finditer(english):
        if not any(v == int(m.group()) for v in carried if not isinstance(v, tuple)):
            continue
        changed = str(int(m.group()) + 1).zfill(len(m.group()))
        return english[:m.start()] + changed + english[m.end():]
    return None


CORRUPTIONS = {
    "phrase repeated (3 × in a row)": (repeat_phrase, "repetition"),
    "second half cut": (cut_half, "length"),
    "clause left in Ukrainian": (leave_ukrainian, "untranslated"),
    "number changed": (change_number, "number"),
}


def corruptions_table() -> None:
    from translate.review import review

    pairs = load("FLORES-200 devtest") + load("NTREX-128")
    print("## 2. Synthetic corruptions caught (FLORES-200 devtest + NTREX-128 references; target ≥ 95 % each)")
    print("| corruption | lines | caught (any flag) | caught by its own check |")
    print("|---|---|---|---|")
    for name, (corrupt, kind) in CORRUPTIONS.items():
        rng = random.Random(0)
        tried = caught = own = 0
        for source, english in pairs:
            broken = corrupt(source, english, rng)
            if broken is None:
                continue
            flags = review(source, broken)
            tried += 1
            caught += bool(flags)
            own += any(f.kind == kind for f in flags)
        print(f"| {name} | {tried} | **{100 * caught / tried:.1f} %** | {100 * own / tried:.1f} % ({kind}) |")
    print()


def cost_table(args: argparse.Namespace) -> None:
    import random_marian

    from translate import Translator
    from translate.review import review
    from translate.review import numbers, repetition

    sources = [s for s, _ in load("FLORES-200 devtest")][:args.sentences]
    with tempfile.TemporaryDirectory() as folder:
        model = random_marian.build(folder, args.arch)
        translator = Translator(str(model), glossary=None, backend=args.backend, device="cpu",
                                threads=args.threads, beam_size=args.beam)
        translator.translate_batch(sources[:2])  # warm-up (and a CTranslate2 conversion), not timed
        started = time.perf_counter()
        raw = [t.text for t in translator.translate_documents(sources, review=False)]
        plain = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(args.repeat):
            for source, english in zip(sources, raw):
                repetition.degenerate(english)  # the re-decode's test
                numbers.missing(source, english)  # the number repair's test
                review(source, english)  # the flags
        checks = (time.perf_counter() - started) / args.repeat
        started = time.perf_counter()
        reviewed = translator.translate_documents(sources, review=True)
        full = time.perf_counter() - started
    degenerate = [i for i, english in enumerate(raw) if repetition.degenerate(english)]
    still = [i for i in degenerate if repetition.degenerate(reviewed[i].text)]
    flagged = [i for i in still if any(f.kind == "repetition" for f in reviewed[i].flags)]
    print(f"## 3. Cost ({args.arch} random-weight model, {args.backend}, {len(sources)} FLORES-200 devtest "
          f"sentences, beam {args.beam}, threads {args.threads}, CPU)")
    print("| step | seconds | × translation |")
    print("|---|---|---|")
    print(f"| translation, review off (no repairs) | {plain:.2f} | 1.000 |")
    print(f"| review checks alone (re-decode test, number test, flags) | {checks:.4f} | "
          f"**{checks / plain:.4f}** ({100 * checks / plain:.2f} %, target < 5 %) |")
    print(f"| translation, review on (re-decodes and number repairs included) | {full:.2f} | {full / plain:.3f} |")
    print()
    print(f"Random weights: {len(degenerate)} of {len(sources)} raw outputs repeat degenerately; after the "
          f"re-decode with repetition constraints {len(still)} still do, and {len(flagged)} of those are flagged "
          f"({'all gone or flagged' if len(flagged) == len(still) else 'NOT ALL FLAGGED'}).")
    print(f"Flagged after review: {sum(bool(t.flags) for t in reviewed)} of {len(sources)} sentences "
          f"({Counter(f.kind for t in reviewed for f in t.flags).most_common()}).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=32, help="FLORES sentences translated for the cost table")
    parser.add_argument("--arch", default="base", choices=("tiny", "base", "big"))
    parser.add_argument("--backend", default="transformers", choices=("transformers", "ctranslate2"))
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5, help="passes of the checks timed (the mean counts)")
    parser.add_argument("--no-cost", action="store_true", help="only the reference and corruption tables")
    args = parser.parse_args()
    if not all((EVAL / p).exists() for pair in CORPORA.values() for p in pair):
        sys.exit(f"evaluation data not found under {EVAL} (set UKEN_EVAL_DIR to the folder holding flores200/ "
                 "and ntrex128/)")
    references_table()
    corruptions_table()
    if not args.no_cost:
        cost_table(args)


if __name__ == "__main__":
    main()

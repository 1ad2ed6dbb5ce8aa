"""Glossary speed: index build time and matching throughput at 100, 1,000 and 10,000 entries.

Takes the FLORES-200 and NTREX-128 Ukrainian text under $UKEN_EVAL_DIR (default ../shared/eval) (repeated to 1 MB of
characters) and glossary entries: the real ones from translate/data/glossary.tsv when it loads, then
synthetic ones harvested from the same text (capitalised words and word pairs found mid-sentence,
lower-case words), most frequent first. Prints a table:

    entries | cold build s | cached build s | matches | find s | chars/s

"cold" expands every entry with pymorphy3; "cached" starts from the same empty in-process state
but may read the expansions back from the on-disk cache, which is written only for glossaries of
≥ 1,000 entries whose expansion took > 0.5 s (below that, it is a second cold build). Target: ≥ 1 M chars/s
at 10,000 entries.

    python benchmarks/glossary_speed.py [--chars 1000000] [--sizes 100,1000,10000]
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from translate import morphology  # noqa: E402
from translate.glossary import Glossary, GlossaryError, expansions  # noqa: E402
from translate.morphology import fold  # noqa: E402

EVAL = Path(os.environ.get("UKEN_EVAL_DIR", ROOT.parent / "shared" / "eval"))
SOURCES = ["flores200/dev.uk", "flores200/devtest.uk", "ntrex128/ntrex128.uk"]


def corpus(chars: int) -> str:
    parts = [(EVAL / s).read_text(encoding="utf-8") for s in SOURCES if (EVAL / s).is_file()]
    if not parts:
        sys.exit(f"{EVAL} has no FLORES-200/NTREX-128 text: set UKEN_EVAL_DIR to a folder holding "
                 "flores200/{dev,devtest}.{uk,en} and ntrex128/ntrex128.{uk,en,docids} (as ../shared/eval beside a checkout)")
    base = "\n".join(parts)
    return (base * (chars // len(base) + 1))[:chars]


def synthetic_entries(text: str) -> list[tuple[str, str]]:
    """Capitalised words and pairs seen mid-sentence, and lower-case words, by frequency;
    single words by their dictionary form, as a glossary would list them."""
    upper = "А-ЯІЇЄҐ"
    word = rf"[{upper}][а-яіїєґ]+(?:['’][а-яіїєґ]+)?"
    caps = collections.Counter(re.findall(rf"(?<=[а-яіїєґ,] )({word})", text))
    pairs = collections.Counter(" ".join(m) for m in re.findall(rf"(?<=[а-яіїєґ,] )({word}) ({word})", text))
    lower = collections.Counter(re.findall(r"(?<= )([а-яіїєґ]{5,})(?=[ ,.])", text))
    morph = morphology.analyzer()

    def headwords(counts: collections.Counter, capitalise: bool) -> collections.Counter:
        # Glossaries list dictionary forms: count each word under its most likely lemma.
        out: collections.Counter = collections.Counter()
        for w, n in counts.items():
            lemma = morph.parse(w.lower())[0].normal_form
            out[lemma[:1].upper() + lemma[1:] if capitalise else lemma] += n
        return out

    caps, lower = headwords(caps, True), headwords(lower, False)
    sources = [(iter([w for w, _ in c.most_common()]), n) for c, n in ((caps, 7), (pairs, 2), (lower, 1))]
    out: list[str] = []
    # Interleave 7 : 2 : 1 so every size has the same mix.
    while True:
        before = len(out)
        for it, n in sources:
            out.extend(w for _, w in zip(range(n), it))
        if len(out) == before:
            break
    seen, result = set(), []
    for s in out:
        if fold(s) not in seen:
            seen.add(fold(s))
            result.append((s, f"T{len(result)}"))
    return result


def entries(text: str) -> list[tuple[str, str]]:
    real: list[tuple[str, str]] = []
    path = ROOT / "translate" / "data" / "glossary.tsv"
    if path.is_file():
        try:
            real = [(e.source, e.target) for e in Glossary.load(path, cache_dir=False).entries]
        except GlossaryError as exc:
            print(f"(translate/data/glossary.tsv not used: {exc})")
    have = {fold(s) for s, _ in real}
    return real + [p for p in synthetic_entries(text) if fold(p[0]) not in have]


def cold_start() -> None:
    """Forget every in-process expansion and pymorphy3 result (the analyser itself stays loaded)."""
    expansions._EXPANSIONS.clear()
    morphology.parses.cache_clear()
    morphology._lexeme.cache_clear()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--sizes", default="100,1000,10000")
    args = ap.parse_args()
    text = corpus(args.chars)
    pool = entries(text)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"text: {len(text):,} chars; entry pool: {len(pool):,}")
    print(f"{'entries':>8} | {'cold build s':>12} | {'cached build s':>14} | {'matches':>8} | {'find s':>7} | {'chars/s':>10}")
    with tempfile.TemporaryDirectory() as cache:
        for n in sizes:
            cold, cached, matches, best = measure(pool[:n], text, cache)
            print(f"{n:>8,} | {cold:>12.2f} | {cached:>14.2f} | {matches:>8,} | {best:>7.3f} | {len(text) / best:>10,.0f}")


def measure(pairs: list[tuple[str, str]], text: str, cache: str) -> tuple[float, float, int, float]:
    """(cold build s, build s from the disk cache, matches in `text`, best of 3 find s) for a glossary of `pairs`."""
    cold_start()
    t = time.perf_counter()
    Glossary.from_pairs(pairs, cache_dir=cache).find("")
    cold = time.perf_counter() - t
    cold_start()
    t = time.perf_counter()
    g = Glossary.from_pairs(pairs, cache_dir=cache)
    g.find("")
    cached = time.perf_counter() - t
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        found = g.find(text)
        best = min(best, time.perf_counter() - t)
    return cold, cached, len(found), best

if __name__ == "__main__":
    main()

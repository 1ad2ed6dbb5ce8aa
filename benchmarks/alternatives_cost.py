"""What `alternatives: N` costs, and what the key and limit checks cost; prints side-by-side ratios.

    python benchmarks/alternatives_cost.py                    # base architecture, 16 FLORES sentences, beam 4
    python benchmarks/alternatives_cost.py --sentences 32 --arch tiny

Builds a random-weight checkpoint of the real architecture (tests/random_marian.py), then, for each engine,
translates the same FLORES-200 devtest sentences (the shipped glossary on) with 0, 1 and 3 alternatives and
prints the time of each against 0. Alternatives cost one n-best decode of every sentence (the beam widened
to N + 1) plus the glossary repairs of each hypothesis: a random-weight model never writes a term itself, so
every hypothesis of a sentence with a term is re-decoded (more than a real model needs). Then the key and
limit check of one request (`Gate.admit`) with a 1,000-key database and a request limit, against a request
with no checks, in microseconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("UKEN_EVAL_DIR", ROOT.parent / "shared" / "eval"))
FLORES = EVAL / "flores200" / "devtest.uk"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def translation_rows(model: Path, sentences: list[str], beam: int) -> list[str]:
    from translate import Translator

    rows = []
    for backend in ("transformers", "ctranslate2"):
        translator = Translator(str(model), backend=backend, device="cpu", beam_size=beam)
        translator.translate_documents(sentences[:2], alternatives=1)  # warm-up (and CTranslate2's conversion)
        times = {}
        for n in (0, 1, 3):
            started = time.perf_counter()
            results = translator.translate_documents(sentences, alternatives=n)
            times[n] = time.perf_counter() - started
            got = sum(len(r.alternatives) for r in results)
            rows.append(f"| {backend:<12} | {n:>12} | {times[n]:>7.2f} | {times[n] / times[0]:>6.2f} | {got:>17} |")
    return rows


def gate_rows(rounds: int) -> list[str]:
    from translate.keys import KeyStore
    from translate.limits import Gate

    with tempfile.TemporaryDirectory() as folder:
        store = KeyStore(Path(folder) / "keys.sqlite3")
        key = None
        for i in range(1000):
            key, _ = store.add(name=f"k{i}")
        fields = {"q": "Привіт", "api_key": key}
        plain = Gate()
        checked = Gate(keys=store, require_api_key=True, req_limit=10**9)
        rows = []
        for label, gate in (("no key, no limit", plain), ("1,000 keys + req_limit", checked)):
            started = time.perf_counter()
            for _ in range(rounds):
                gate.admit(fields if gate is checked else {"q": "Привіт"}, {}, "127.0.0.1")
            rows.append((label, (time.perf_counter() - started) / rounds * 1e6))
        store.close()
    base = rows[0][1]
    return [f"| {label:<24} | {us:>10.1f} | {us / base:>6.1f} |" for label, us in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="base", choices=("tiny", "base", "big"))
    parser.add_argument("--sentences", type=int, default=16)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2000, help="admissions timed per gate")
    args = parser.parse_args()
    if not FLORES.is_file():
        sys.exit(f"{FLORES} is missing: set UKEN_EVAL_DIR to a folder holding flores200/devtest.uk")
    import random_marian

    sentences = FLORES.read_text(encoding="utf-8").splitlines()[:args.sentences]
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("XDG_CACHE_HOME", str(Path(folder) / "cache"))  # conversions go with the folder
        model = random_marian.build(Path(folder) / "model", args.arch,
                                    extra_corpus=EVAL if args.arch != "tiny" else None)
        print(f"## {args.arch}: {len(sentences)} FLORES-200 devtest sentences, beam {args.beam}, shipped glossary, CPU")
        print("| engine       | alternatives |       s | × (0)  | alternatives made |")
        print("|--------------|--------------|---------|--------|-------------------|")
        print("\n".join(translation_rows(model, sentences, args.beam)))
    print(f"\n## key and limit check of one request, mean of {args.rounds}")
    print("| gate                     |         µs | × none |")
    print("|--------------------------|------------|--------|")
    print("\n".join(gate_rows(args.rounds)))


if __name__ == "__main__":
    main()

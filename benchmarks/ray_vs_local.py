"""A Ray Data job on a local cluster (2 actors) vs the local CLI on the same 500 JSONL records: the same
output (compared byte for byte) and what Ray costs, side by side.

    python benchmarks/ray_vs_local.py                      # tiny random-weight model, 500 records
    python benchmarks/ray_vs_local.py --arch base --records 200 --backend ctranslate2

Builds a random-weight checkpoint (tests/random_marian.py), writes 500 news records (id, title, body of
two FLORES-200 sentences, other fields) and runs, each as its own `uk-en translate` process, wall time
of the whole command (start-up, model loading, Ray's cluster start included):

  (a) local CLI        uk-en translate items.jsonl -o local.jsonl
  (b) Ray, 2 actors    the same with --ray local --ray-actors 2 --ray-cpus C (C = cores / 4: the two actors
                       together take half the cores, the rest is left for Ray Data's reading tasks)

No glossary, no translation memory; greedy decoding (beam 1) unless --beam-size says otherwise. Also
counts how many records differ (0 expected with transformers fp32; CTranslate2 int8 may differ by a
space where a sentence is decoded in a differently padded batch).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("UKEN_EVAL_DIR", ROOT.parent / "shared" / "eval"))
sys.path.insert(0, str(ROOT / "tests"))


def news(n: int) -> list[dict]:
    for path in (EVAL / "flores200" / "devtest.uk", ROOT / "tests" / "data" / "tokenizer-corpus" / "flores200-dev.uk"):
        if path.exists():
            lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            break
    return [{"id": f"item-{i}", "date": f"2025-03-{i % 28 + 1:02d}", "title": lines[i % len(lines)],
             "body": f"{lines[(i + 1) % len(lines)]} {lines[(i + 2) % len(lines)]}", "url": f"https://example.org/{i}"}
            for i in range(n)]


def timed(command: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", default="tiny", choices=("tiny", "base", "big"))
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--backend", default="transformers", choices=("transformers", "ctranslate2"))
    parser.add_argument("--beam-size", type=int, default=1)
    args = parser.parse_args()

    import random_marian

    cores = len(os.sched_getaffinity(0))
    cpus = max(0.25, cores / 4)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"), "HF_HUB_OFFLINE": "1"}
        model = random_marian.build(work / args.arch, args.arch)
        source = work / "items.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in news(args.records)),
                          encoding="utf-8")
        uk_en = [sys.executable, "-m", "translate.cli", "translate", str(source), "--model", str(model),
                 "--backend", args.backend, "--device", "cpu", "--beam-size", str(args.beam_size), "--no-glossary",
                 "--no-cache", "-q"]
        local = timed([*uk_en, "-o", str(work / "local.jsonl")], env)
        on_ray = timed([*uk_en, "-o", str(work / "ray.jsonl"), "--ray", "local", "--ray-actors", "2",
                        "--ray-cpus", f"{cpus:g}"], env)
        a = (work / "local.jsonl").read_text(encoding="utf-8").splitlines()
        b = (work / "ray.jsonl").read_text(encoding="utf-8").splitlines()
        differ = sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))
        same_ids = [json.loads(x)["id"] for x in a] == [json.loads(y)["id"] for y in b]
    print(f"## {args.records} records (title + 2-sentence body), {args.arch} random-weight model, {args.backend}, "
          f"beam {args.beam_size}, {cores} cores")
    print("| method                          | wall s | records/s | × local | records differing | same ids/order |")
    print("|---------------------------------|--------|-----------|---------|-------------------|----------------|")
    for label, wall in (("(a) local CLI", local), (f"(b) Ray local, 2 actors × {cpus:g} CPU", on_ray)):
        print(f"| {label:<31} | {wall:6.1f} | {args.records / wall:9.1f} | {wall / local:7.2f} | "
              f"{0 if wall is local else differ:17d} | {'yes' if wall is local or same_ids else 'NO':>14} |")
    print(f"Ray overhead: {on_ray - local:+.1f} s ({100 * (on_ray / local - 1):+.0f} %) for the whole command")


if __name__ == "__main__":
    main()

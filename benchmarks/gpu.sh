#!/usr/bin/env bash
# GPU speed of the three ways to run the Marian models, on the base (opus-mt-uk-en) and big
# (opus-mt-tc-big-zle-en) architectures, in one run of under 8 minutes on one CUDA GPU:
#
#   (a) transformers fp32, batched   our TransformersEngine with its weights in float32
#   (b) transformers fp16            our TransformersEngine as it runs on CUDA (float16)
#   (c) CTranslate2 int8_float16     our CTranslate2Engine as it runs on CUDA (converted once, not timed)
#
# No hub is needed: random-weight checkpoints of the real architectures are built as the tests build them
# (tests/random_marian.py). Same sentences (FLORES-200 devtest from UKEN_EVAL_DIR, else the dev lines shipped
# for the tests), beam 4, the product's cap (1.5 × source tokens + 10), batches of 64 sentences / 8192
# tokens; random weights never choose </s>, so every method decodes every sentence to its cap.
#
#   benchmarks/gpu.sh                  # both architectures, 512 sentences
#   SENTENCES=256 ARCHS=big benchmarks/gpu.sh
#   GPU_DRY_RUN=1 benchmarks/gpu.sh    # no GPU: the tiny architecture on CPU, to check the script runs
#
# Needs a CUDA build of torch and ctranslate2 in $PY (default .venv/bin/python; the Makefile's venv has the
# CPU build of torch: `pip install torch` from the CUDA index there first).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export SENTENCES=${SENTENCES:-512} ARCHS=${ARCHS:-base big} GPU_DRY_RUN=${GPU_DRY_RUN:-0}
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export XDG_CACHE_HOME="$WORK/cache" WORK
exec timeout 470 "$PY" - <<'EOF'
import gc, os, sys, time
from pathlib import Path

sys.path[:0] = [".", "tests"]
import torch
import random_marian
from translate.config import load_settings
from translate.engines.ctranslate2 import CTranslate2Engine
from translate.engines.transformers import TransformersEngine

dry = os.environ["GPU_DRY_RUN"] == "1"
if not dry and not torch.cuda.is_available():
    sys.exit("gpu.sh: torch sees no CUDA device (GPU_DRY_RUN=1 checks the script on CPU)")
device = "cpu" if dry else "cuda"
archs = ["tiny"] if dry else os.environ["ARCHS"].split()
n = int(os.environ["SENTENCES"]) if not dry else 16
work = Path(os.environ["WORK"])
evals = Path(os.environ.get("UKEN_EVAL_DIR", "../shared/eval")) / "flores200" / "devtest.uk"
corpus = evals if evals.exists() else Path("tests/data/tokenizer-corpus/flores200-dev.uk")
lines = [l.strip() for l in corpus.read_text(encoding="utf-8").splitlines() if l.strip()][:n]
name = torch.cuda.get_device_name(0) if not dry else "CPU (dry run)"
print(f"## {name}: {len(lines)} sentences of {corpus}, beam 4, cap 1.5 × source + 10, batches 64 / 8192 tokens")
print("| arch | method                        |  sent/s |   tok/s | tokens out | load s | peak GPU MB |  × (a) |")
print("|------|-------------------------------|---------|---------|------------|--------|-------------|--------|")

def sync():
    if device == "cuda":
        torch.cuda.synchronize()

for arch in archs:
    started = time.perf_counter()
    model = random_marian.build(work / arch, arch)
    print(f"<!-- {arch}: random-weight checkpoint built in {time.perf_counter() - started:.0f} s -->", flush=True)
    settings = load_settings(None, environment=False, model=str(model), device=device, beam_size=4,
                             batch_size=64, batch_tokens=8192, glossary=None)
    methods = [("(a) transformers fp32 batched", "fp32"), ("(b) transformers fp16", "fp16"),
               ("(c) CTranslate2 int8_float16", "ct2")]
    base = None
    for label, kind in methods:
        if dry and kind == "fp16":
            continue  # float16 matmuls need CUDA
        gc.collect()
        if device == "cuda":
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
        t0 = time.perf_counter()
        if kind == "ct2":
            engine = CTranslate2Engine(settings, compute_type="int8" if dry else "int8_float16")
        else:
            engine = TransformersEngine(settings)
            if kind == "fp32":
                engine.net = engine.net.float()
                engine.dtype = torch.float32
        engine.translate_batch(lines[:4])  # warm-up (CUDA kernels, allocator), not timed
        sync()
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        out = engine.translate_batch(lines)
        sync()
        wall = time.perf_counter() - t0
        tokens = sum(len(engine.tokenizer(text_target=o).input_ids) for o in out)
        peak = torch.cuda.max_memory_allocated() / 2**20 if device == "cuda" and kind != "ct2" else float("nan")
        rate = len(lines) / wall
        base = base or rate
        print(f"| {arch:<4} | {label:<29} | {rate:7.1f} | {tokens / wall:7.0f} | {tokens:10d} | {load:6.1f} | "
              f"{peak:11.0f} | {rate / base:6.2f} |", flush=True)
        del engine
print("peak GPU MB: torch's own allocations (CTranslate2 allocates outside torch: n/a)")
EOF

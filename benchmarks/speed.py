"""Speed and memory of the ways to run a Marian uk→en model on CPU; prints one table per architecture.

    python benchmarks/speed.py                         # base architecture, 64 FLORES sentences, beam 4
    python benchmarks/speed.py --arch both --sentences 32 --threads 2

Builds random-weight checkpoints of the real architectures (opus-mt-uk-en = transformer-base,
opus-mt-tc-big-zle-en = transformer-big; tests/random_marian.py) in a temporary folder, then times, in the
same run and on the same FLORES-200 devtest sentences with the same beam:

  (a) hf sentence-by-sentence  transformers `generate`, one sentence at a time (what tutorials and many
                               servers do), fp32
  (b) hf batched               transformers `generate` on batches of 16 (our default batch_size, the faster
                               size here) in input order, padded, fp32
  (c) Translator transformers  our pipeline, backend="transformers" (length-sorted token-budget batches)
  (d) Translator ctranslate2   our pipeline, backend="ctranslate2" (int8; converted once before timing)
  (d+g) the same with the default glossary (translate/data/glossary.tsv)

Equal output lengths: random weights never choose </s>, so every method decodes every sentence up to its
cap, and all methods get the same per-sentence cap — the product's `ratio × source tokens + offset` (the
defaults 1.5 and 10; (a) through `max_new_tokens`, (b) through the engine's per-row cap processor, (c)/(d)
by the Translator itself). Only sentences that the Translator keeps as one sentence are used, so the caps
really are the same. The "tokens out" column is the target token count each method decoded (</s> included;
with the glossary on, repairs add their re-decoded tokens), so the equality can be checked.
Real translations stop at about 1.1 × source length, so absolute times here are about 1.5× pessimistic,
for every method alike.

Each method runs in its own process (`--repeat N`: N timed passes, the fastest counts); peak memory is that
process's maximum resident set (imports, model and decoding). Each process translates two sentences first
(warm-up, not timed). With the glossary on, a random-weight model never produces a term by itself, so every
sentence with a term is repaired (re-decoded with a forced prefix); the table shows how many, and the
glossary lookup's own cost. On a shared machine other load slows transformers far more than CTranslate2
(it has slowed 8× here): run on an idle machine, or use --repeat.
Finally the CLI's cold start: `uk-en translate` of one line on stdin with the CTranslate2 engine and a
converted tiny model, wall time of the whole process (falls back to `python -c` with the Translator when
translate/cli.py does not exist).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("UKEN_EVAL_DIR", ROOT.parent / "shared" / "eval"))
FLORES = EVAL / "flores200" / "devtest.uk"
GLOSSARY = ROOT / "translate" / "data" / "glossary.tsv"
BATCHED_SIZE = 16  # the same batch size as our default, so (b) vs (c) measures sorting, caps and engine
RATIO, OFFSET = 1.5, 10  # the product's default output cap (translate.config.OPTIONS)
METHODS = {
    "a": "(a) hf sentence-by-sentence",
    "b": f"(b) hf batched ({BATCHED_SIZE})",
    "c": "(c) Translator transformers",
    "d": "(d) Translator ctranslate2",
    "g": "(d+g) ... + glossary",
}

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started (exec), in MiB.

    Linux carries ru_maxrss over from the forked copy of the parent through exec, so a child would report
    at least the parent's size; VmHWM belongs to the process's own address space.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, bytes on macOS


# ---------------------------------------------------------------- child processes: one method each


def run_hf(model: str, sentences: list[str], beam: int, threads: int, batched: bool, repeat: int) -> dict:
    import torch
    from transformers import LogitsProcessorList, MarianMTModel, MarianTokenizer

    from translate.engines.base import output_cap
    from translate.engines.transformers import PrefixAndCap

    torch.set_num_threads(threads)
    tokenizer = MarianTokenizer.from_pretrained(model)
    net = MarianMTModel.from_pretrained(model).eval()
    pad = tokenizer.pad_token_id

    def translate(batch: list[str]) -> int:
        enc = tokenizer(batch, return_tensors="pt", padding=True)
        caps = [output_cap(int(n), RATIO, OFFSET) for n in enc.attention_mask.sum(1)]
        if batched:  # per-row caps (the engine's processor) so every row yields exactly its sentence's tokens
            extra = dict(logits_processor=LogitsProcessorList([PrefixAndCap([[]] * len(batch), caps, beam,
                                                                            tokenizer.eos_token_id, "cpu")]),
                         max_new_tokens=max(caps))
        else:
            extra = dict(max_new_tokens=caps[0])  # the checkpoint's forced_eos closes the last step
        with torch.inference_mode():
            out = net.generate(**enc, num_beams=beam, **extra)
        return int((out != pad).sum())  # generated tokens, </s> included (decoder start is <pad>)

    size = BATCHED_SIZE if batched else 1
    translate(sentences[:2])
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        tokens = sum(translate(sentences[i : i + size]) for i in range(0, len(sentences), size))
        best = min(best, time.perf_counter() - start)
    return dict(seconds=best, tokens=tokens)


def count_decoded_tokens(engine, counter: list[int]) -> None:
    """Count the target tokens each engine decodes (</s> included), by wrapping its tokenizer's decoding.

    Re-tokenising the English would not do: random-weight output re-tokenises into many more pieces.
    """
    tokenizer = engine.tokenizer
    if engine.name == "ctranslate2":  # one decode() per hypothesis; CTranslate2 leaves out </s> (added here)
        decode = tokenizer.decode

        def counting_decode(ids, **kwargs):
            counter[0] += len(ids) + 1
            return decode(ids, **kwargs)

        tokenizer.decode = counting_decode
    else:  # one batch_decode() per batch of generated ids; the decoder start and padding are <pad>
        batch_decode = tokenizer.batch_decode

        def counting_batch_decode(sequences, **kwargs):
            counter[0] += int((sequences != tokenizer.pad_token_id).sum())
            return batch_decode(sequences, **kwargs)

        tokenizer.batch_decode = counting_batch_decode


def run_translator(model: str, sentences: list[str], beam: int, threads: int, backend: str,
                   glossary: str | None, repeat: int) -> dict:
    from translate import Translator

    translator = Translator(model, backend=backend, device="cpu", beam_size=beam, threads=threads,
                            max_length_ratio=RATIO, max_length_offset=OFFSET, glossary=glossary)
    translator.translate_batch(sentences[:2])
    counter = [0]
    count_decoded_tokens(translator.engine, counter)
    seconds = float("inf")
    for _ in range(repeat):
        counter[0] = 0
        start = time.perf_counter()
        translator.translate_batch(sentences)
        seconds = min(seconds, time.perf_counter() - start)
    result = dict(seconds=seconds, tokens=counter[0], info=translator.info(), torch_loaded="torch" in sys.modules)
    if translator.glossary is not None:
        start = time.perf_counter()
        matched = [translator.glossary.find(s) for s in sentences]
        result["glossary_find_seconds"] = time.perf_counter() - start
        result["sentences_with_terms"] = sum(1 for m in matched if m)
    return result


def child(args: argparse.Namespace) -> None:
    sentences = json.loads(Path(args.sentences_file).read_text(encoding="utf-8"))
    if args.child in ("a", "b"):
        result = run_hf(args.model, sentences, args.beam, args.threads, batched=args.child == "b", repeat=args.repeat)
    else:
        backend = "transformers" if args.child == "c" else "ctranslate2"
        glossary = str(GLOSSARY) if args.child == "g" else None
        result = run_translator(args.model, sentences, args.beam, args.threads, backend, glossary, args.repeat)
    result["peak_rss_mb"] = peak_rss_mb()
    print("RESULT " + json.dumps(result))


# ---------------------------------------------------------------- parent: build, pick sentences, time, print


def pick_sentences(count: int, model: str) -> list[str]:
    """The first `count` FLORES sentences that the Translator keeps as one sentence (so caps match)."""
    from transformers import MarianTokenizer

    from translate.segment import segment

    tokenizer = MarianTokenizer.from_pretrained(model)
    picked = []
    for line in FLORES.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        layout = segment(line, max_tokens=200, count_tokens=lambda s: len(tokenizer(s).input_ids))
        pieces = [s for s in layout.sentences if s.translatable]
        if len(pieces) == 1 and pieces[0].text == line:
            picked.append(line)
        if len(picked) == count:
            break
    return picked


def run_child(method: str, model: Path, sentences_file: Path, args: argparse.Namespace, env: dict) -> dict:
    command = [sys.executable, __file__, "--child", method, "--model", str(model), "--sentences-file",
               str(sentences_file), "--beam", str(args.beam), "--threads", str(args.threads),
               "--repeat", str(args.repeat)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        return dict(error=f"exit {done.returncode}: {tail}")
    return json.loads(line.removeprefix("RESULT "))


def glossary_available() -> bool:
    try:
        import translate.glossary  # noqa: F401
    except ImportError:
        return False
    return GLOSSARY.exists()


def print_table(arch: str, count: int, results: dict[str, dict], args: argparse.Namespace) -> None:
    print(f"\n## {arch}: {count} FLORES-200 devtest sentences, beam {args.beam}, threads {args.threads}, "
          f"cap {RATIO} × source + {OFFSET}, CPU, best of {args.repeat}")
    header = f"| {'method':30} | {'sent/s':>7} | {'tok/s':>7} | {'tokens out':>10} | {'peak MB':>7} | " \
             f"{'× (a)':>6} | {'× (b)':>6} |"
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    base_a = results.get("a", {}).get("seconds")
    base_b = results.get("b", {}).get("seconds")
    for key, label in METHODS.items():
        r = results.get(key)
        if r is None:
            continue
        if "error" in r:
            print(f"| {label:30} | {'failed: ' + r['error'].splitlines()[-1][:60]} |")
            continue
        s = r["seconds"]
        tokens = str(r["tokens"])
        ra = f"{base_a / s:.2f}" if base_a else "-"
        rb = f"{base_b / s:.2f}" if base_b else "-"
        print(f"| {label:30} | {count / s:7.2f} | {r['tokens'] / s:7.0f} | {tokens:>10} | "
              f"{r['peak_rss_mb']:7.0f} | {ra:>6} | {rb:>6} |")
    if "d" in results and "g" in results and "error" not in results["g"] and "error" not in results["d"]:
        d, g = results["d"], results["g"]
        print(f"glossary: {g['sentences_with_terms']} of {count} sentences have a term (each repaired: a "
              f"random-weight model never writes a term itself); glossary.find over all sentences "
              f"{g['glossary_find_seconds'] * 1000:.1f} ms = {100 * g['glossary_find_seconds'] / d['seconds']:.2f} % "
              f"of (d); total with repairs +{100 * (g['seconds'] / d['seconds'] - 1):.0f} %")
    if "d" in results and "error" not in results["d"]:
        info = results["d"]["info"]
        print(f"(d) runs {info.get('engine')} {info.get('precision')} with {info.get('threads')} threads; "
              f"torch imported in that process: {results['d']['torch_loaded']}")


def cold_start(tiny: Path, env: dict) -> None:
    """Wall time of a whole `uk-en translate` process for one line, CTranslate2 engine, tiny model converted."""
    from translate.engines.convert import converted_model

    converted_model(str(tiny), "int8")  # the cold start measured is a user's second run, not the conversion
    line = "Генеральний секретар НАТО Єнс Столтенберг прибув до Скоп'є.\n"
    cli = ROOT / "translate" / "cli.py"
    if cli.exists():
        how = "uk-en translate"
        # --no-cache: a second run would otherwise answer from the translation memory without decoding.
        command = [sys.executable, "-m", "translate.cli", "translate", "--model", str(tiny),
                   "--backend", "ctranslate2", "--device", "cpu", "--no-cache", "--quiet"]
    else:
        how = "python -c through the Translator (translate/cli.py does not exist yet)"
        command = [sys.executable, "-c",
                   "import sys; from translate import Translator; "
                   f"print(Translator({str(tiny)!r}, backend='ctranslate2', device='cpu').translate(sys.stdin.read()))"]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(command, input=line, capture_output=True, text=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - start)
        if done.returncode != 0 or not done.stdout.strip():
            print(f"\ncold start: {how} failed (exit {done.returncode}): {done.stderr.strip()[-300:]}")
            return
    print(f"\ncold start, {how}, one line, ctranslate2, converted tiny model: median {statistics.median(times):.2f} s "
          f"wall (runs: {', '.join(f'{t:.2f}' for t in times)}; target < 3 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", choices=("base", "big", "both", "tiny"), default="base",
                        help="tiny: a quick check that the benchmark runs")
    parser.add_argument("--sentences", type=int, default=64, help="FLORES sentences to translate (default 64)")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0 = one per core)")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=1,
                        help="timed passes per method; the fastest counts (other load on shared machines)")
    parser.add_argument("--methods", default="abcdg", help="subset of a b c d g to run (default all)")
    parser.add_argument("--workdir", help="keep built models here and reuse them (default: a temp folder)")
    parser.add_argument("--no-cold-start", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--sentences-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.threads <= 0:
        args.threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if args.child:
        child(args)
        return

    import random_marian
    from translate.engines.convert import converted_model

    if not FLORES.is_file():
        sys.exit(f"{EVAL} has no FLORES-200/NTREX-128 text: set UKEN_EVAL_DIR to a folder holding "
                 "flores200/{dev,devtest}.{uk,en} and ntrex128/ntrex128.{uk,en,docids} (as ../shared/eval beside a checkout)")

    with tempfile.TemporaryDirectory(prefix="uken-speed-") as tmp:
        work = Path(args.workdir) if args.workdir else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        # Conversions of the throwaway models go to a cache inside the work folder, not the user's.
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"), HF_HUB_OFFLINE="1",
                   PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        os.environ.update(XDG_CACHE_HOME=env["XDG_CACHE_HOME"], HF_HUB_OFFLINE="1")
        methods = [m for m in METHODS if m in args.methods]
        if "g" in methods and not glossary_available():
            print("(d+g) skipped: translate/glossary/ or translate/data/glossary.tsv is missing")
            methods.remove("g")
        for arch in ("base", "big") if args.arch == "both" else (args.arch,):
            model = work / arch
            start = time.perf_counter()
            if not (model / "config.json").exists():
                random_marian.build(model, arch, extra_corpus=EVAL if EVAL.is_dir() else None)
            built = time.perf_counter() - start
            start = time.perf_counter()
            converted_model(str(model), "int8")  # once, before timing, as a user's first run would
            print(f"\n{arch}: model ready in {built:.0f} s, converted to CTranslate2 int8 in "
                  f"{time.perf_counter() - start:.1f} s", flush=True)
            sentences = pick_sentences(args.sentences, str(model))
            sentences_file = work / f"sentences-{arch}.json"
            sentences_file.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
            results = {}
            for m in methods:
                results[m] = run_child(m, model, sentences_file, args, env)
                r = results[m]
                print(f"  {METHODS[m]}: " + (r["error"] if "error" in r else f"{r['seconds']:.1f} s"), flush=True)
            print_table(arch, len(sentences), results, args)
        if not args.no_cold_start:
            tiny = work / "tiny"
            if not (tiny / "config.json").exists():
                random_marian.build(tiny, "tiny")
            cold_start(tiny, env)


if __name__ == "__main__":
    main()

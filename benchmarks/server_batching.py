"""Server batching vs one request at a time: 16 concurrent clients, each sending one sentence per request
(a post, a headline) and the next as soon as its answer is back; requests/s and latency side by side.

    python benchmarks/server_batching.py                     # base architecture, 16 clients × 8 requests
    python benchmarks/server_batching.py --clients 16 --requests 12 --backend transformers
    python benchmarks/server_batching.py --model Helsinki-NLP/opus-mt-uk-en   # the real model, where it loads

Builds a random-weight checkpoint of the base architecture (opus-mt-uk-en; tests/random_marian.py) and
serves the same sentences (FLORES-200 devtest from UKEN_EVAL_DIR, else the dev lines shipped for the
tests) through `TranslatorHost.translate`, the call the HTTP API and the web page make, twice in one run:

  (a) one at a time   the server without batching (batch_wait_ms = 0): requests take the model in turns
  (b) batching        translate/engines/batching.py: concurrent requests decoded together (batch_wait_ms),
                      once per `--workers` count (replicas sharing out the cores)

Same model, settings (the product's: beam 4, cap 1.5 × source + 10, names and review on), sentences and
client behaviour; no glossary (a random-weight model never writes a term, so every term would be repaired).
Random weights seldom choose </s>: most sentences would run to their cap, and a batch to the cap of its
longest sentence, which a real model's sentences do not (they end, and leave the batch). So the random
model gets `--eos-bias` on </s> (0: none) and its sentences end; the header says how long its English is
(a real model's is about as long as the Ukrainian; in float32 the bias may not end them). Its English is
still degenerate, so the review decodes most sentences again and the names are repaired (in both modes
alike), which a real model's seldom needs: `--no-review --names off` serves each request with one decode,
as a real model's mostly are. The "decodes/req" column counts the engine calls. The last column is the
share of requests whose English is the same as (a)'s (CTranslate2 int8 can differ where a sentence is
decoded in a differently padded batch).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("UKEN_EVAL_DIR", ROOT.parent / "shared" / "eval"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def sentences(n: int) -> tuple[list[str], str]:
    """n one-sentence requests (headline-sized: 4–30 words) and where they came from."""
    for path in (EVAL / "flores200" / "devtest.uk", ROOT / "tests" / "data" / "tokenizer-corpus" / "flores200-dev.uk"):
        if path.exists():
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
            picked = [line for line in lines if 4 <= len(line.split()) <= 30][:n]
            return picked, str(path)
    raise SystemExit("no FLORES-200 sentences found")


def serve(host, texts: list[str], clients: int) -> tuple[float, list[float], dict[str, str]]:
    """Every client sends its share of `texts` one request at a time; (wall seconds, latencies, English)."""
    latencies: list[float] = []
    english: dict[str, str] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    shares = [texts[c::clients] for c in range(clients)]

    def client(share: list[str]) -> None:
        start.wait()
        for text in share:
            began = time.perf_counter()
            [translation] = host.translate([text])
            with lock:
                latencies.append(time.perf_counter() - began)
                english[text] = translation.text

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - began, latencies, english


def count_calls(engine) -> list[int]:
    """The engine's translate_batch calls from now on, one entry each (instrumentation of this benchmark)."""
    calls: list[int] = []
    decode = engine.translate_batch

    def counted(sources, **kwargs):
        calls.append(len(sources))
        return decode(sources, **kwargs)

    engine.translate_batch = counted
    return calls


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    from translate.config import SERVER_BY_NAME
    from translate.engines.ctranslate2 import core_count

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", default="base", choices=("tiny", "base", "big"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=8, help="requests per client")
    parser.add_argument("--backend", default="auto", choices=("auto", "transformers", "ctranslate2"))
    parser.add_argument("--beam-size", type=int, default=4)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--wait-ms", type=float, default=SERVER_BY_NAME["batch_wait_ms"].default)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="replica counts to serve with")
    parser.add_argument("--review", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--names", default="consistent", choices=("consistent", "off"))
    parser.add_argument("--eos-bias", type=float, default=1.9, help="added to the random model's </s> logit")
    parser.add_argument("--model", help="an existing checkpoint (folder or hub id) instead of a random one")
    args = parser.parse_args()

    import random_marian

    from translate.config import load_server_settings, load_settings
    from translate.host import TranslatorHost
    from translate.web import serving_translator

    texts, where = sentences(args.clients * args.requests)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("XDG_CACHE_HOME", str(Path(folder) / "cache"))  # CTranslate2 conversions
        model = args.model or str(random_marian.build(Path(folder) / args.arch, args.arch, eos_bias=args.eos_bias))
        settings = load_settings(None, environment=False, model=model, glossary=None, backend=args.backend,
                                 device="cpu", beam_size=args.beam_size, threads=args.threads,
                                 review=args.review, names=args.names)
        rows, first = [], {}
        modes = [("(a) one at a time", 0.0, 1)] + [
            (f"(b) batching, {w} worker{'s' * (w > 1)}", args.wait_ms, w) for w in args.workers]
        for label, wait_ms, workers in modes:
            server = load_server_settings(environment=False, batch_wait_ms=wait_ms, workers=workers)
            translator = serving_translator(settings, server)
            host = TranslatorHost(translator)
            host.translate(texts[:2])  # warm-up, not timed
            decodes = count_calls(translator.engine)
            wall, latencies, english = serve(host, texts, args.clients)
            first = first or english
            same = sum(english[t] == first[t] for t in texts) / len(texts)
            rows.append((label, len(latencies) / wall, statistics.median(latencies), p(latencies, 99), wall,
                         len(decodes) / len(texts), same))
            info = translator.info()
            if not rows[1:]:
                ratio = sum(len(english[t]) for t in texts) / sum(len(t) for t in texts)  # a real model's: about 1
            del host, translator
    print(f"## {args.arch}: {args.clients} concurrent clients × {args.requests} one-sentence requests "
          f"({len(texts)} sentences of {where}), {info.get('engine')} {info.get('precision')}, beam {args.beam_size}, "
          f"{core_count()} cores, batches wait up to {args.wait_ms:g} ms; English {ratio:.2f} × the source's length"
          + ("" if args.model else f" (random weights, </s> bias {args.eos_bias:g})"))
    print(f"review {'on' if args.review else 'off'}, names {args.names}")
    print("| server                  |  req/s | p50 latency s | p99 latency s | wall s | decodes/req | × req/s | × p99 "
          "| same as (a) |")
    print("|-------------------------|--------|---------------|---------------|--------|-------------|---------|-------"
          "|-------------|")
    base = rows[0]
    for label, rate, p50, p99, wall, decodes, same in rows:
        print(f"| {label:<23} | {rate:6.2f} | {p50:13.2f} | {p99:13.2f} | {wall:6.1f} | {decodes:11.1f} | "
              f"{rate / base[1]:7.2f} | {p99 / base[3]:5.2f} | {same:11.0%} |")


if __name__ == "__main__":
    main()

"""Server batching vs one request at a time: 16 concurrent clients, each sending one sentence per request
(a post, a headline) and the next as soon as its answer is back; requests/s and latency side by side.

    python benchmarks/server_batching.py                     # base architecture, 16 clients × 8 requests
    python benchmarks/server_batching.py --clients 16 --requests 12 --backend transformers

Builds a random-weight checkpoint of the base architecture (opus-mt-uk-en; tests/random_marian.py) and
serves the same sentences (FLORES-200 devtest from UKEN_EVAL_DIR, else the dev lines shipped for the
tests) through `TranslatorHost.translate`, the call the HTTP API and the web page make, twice in one run:

  (a) one at a time   the server without batching (batch_wait_ms = 0): requests take the model in turns
  (b) batching        translate/engines/batching.py: concurrent requests decoded together (batch_wait_ms)

Same model, settings (the product's: beam 4, cap 1.5 × source + 10), sentences and client behaviour; no
glossary (a random-weight model never writes a term, so every term would be repaired). Random weights
never choose </s>, so every sentence is decoded up to its cap in both modes alike.
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


def serve(host, texts: list[str], clients: int) -> tuple[float, list[float]]:
    """Every client sends its share of `texts` one request at a time; (wall seconds, latencies)."""
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    shares = [texts[c::clients] for c in range(clients)]

    def client(share: list[str]) -> None:
        start.wait()
        for text in share:
            began = time.perf_counter()
            host.translate([text])
            with lock:
                latencies.append(time.perf_counter() - began)

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - began, latencies


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", default="base", choices=("tiny", "base", "big"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=8, help="requests per client")
    parser.add_argument("--backend", default="auto", choices=("auto", "transformers", "ctranslate2"))
    parser.add_argument("--beam-size", type=int, default=4)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--wait-ms", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--model", help="an existing checkpoint folder instead of building a random one")
    args = parser.parse_args()

    import random_marian

    from translate.config import load_server_settings, load_settings
    from translate.host import TranslatorHost
    from translate.web import serving_translator

    texts, where = sentences(args.clients * args.requests)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("XDG_CACHE_HOME", str(Path(folder) / "cache"))  # CTranslate2 conversions
        model = args.model or str(random_marian.build(Path(folder) / args.arch, args.arch))
        settings = load_settings(None, environment=False, model=model, glossary=None, backend=args.backend,
                                 device="cpu", beam_size=args.beam_size, threads=args.threads)
        rows = []
        for label, wait_ms in (("(a) one at a time", 0.0), (f"(b) batching ({args.wait_ms:g} ms)", args.wait_ms)):
            server = load_server_settings(environment=False, batch_wait_ms=wait_ms,
                                          workers=args.workers if wait_ms else 1)
            translator = serving_translator(settings, server)
            host = TranslatorHost(translator)
            host.translate(texts[:2])  # warm-up, not timed
            wall, latencies = serve(host, texts, args.clients)
            rows.append((label, len(latencies) / wall, statistics.median(latencies), p(latencies, 99), wall))
            info = translator.info()
            del host, translator
    print(f"## {args.arch}: {args.clients} concurrent clients × {args.requests} one-sentence requests "
          f"({len(texts)} sentences of {where}), {info.get('engine')} {info.get('precision')}, beam {args.beam_size}, "
          f"threads {info.get('threads')}, CPU")
    print("| server              |  req/s | p50 latency s | p99 latency s | wall s |  × req/s | × p99 |")
    print("|---------------------|--------|---------------|---------------|--------|----------|-------|")
    base = rows[0]
    for label, rate, p50, p99, wall in rows:
        print(f"| {label:<19} | {rate:6.2f} | {p50:13.2f} | {p99:13.2f} | {wall:6.1f} | {rate / base[1]:8.2f} | "
              f"{p99 / base[3]:5.2f} |")


if __name__ == "__main__":
    main()

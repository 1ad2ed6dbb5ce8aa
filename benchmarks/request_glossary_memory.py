"""Server memory and cache files under request glossaries: 40 requests, each with its own largest glossary.

Serves `create_api` with uvicorn on 127.0.0.1 in this process, on a random-weight tiny Marian model
(tests/random_marian.py, tokenizers trained on $UKEN_EVAL_DIR, default ../shared/eval) with the default
glossary (translate/data/glossary.tsv), and sends `--requests` POST /translate requests, each with a different glossary of
as many unique pairs as the server allows (MAX_GLOSSARY_PAIRS, within MAX_GLOSSARY_CHARS): words of the eval text,
topped up with made-up surnames. Prints this process's RSS (Linux /proc) after a warm-up request and after the
run, and the bytes written under the user cache directory (a fresh temporary one), beside the figures the
security issue measured before the caches were bounded.

    python benchmarks/request_glossary_memory.py [--requests 40]
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

EVAL = Path(os.environ.get("UKEN_EVAL_DIR", ROOT.parent / "shared" / "eval"))
SOURCES = ["flores200/dev.uk", "flores200/devtest.uk", "ntrex128/ntrex128.uk"]
BEFORE = {"rss_start_mb": 542, "rss_end_mb": 1788, "cache_mb": 24}  # the issue: 40 requests × 2,800 pairs


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def unique_terms(count: int) -> list[str]:
    """`count` distinct Ukrainian words: the eval text's (capitalised first), then made-up surnames."""
    words: dict[str, None] = {}
    for name in SOURCES:
        path = EVAL / name
        if path.is_file():
            for w in re.findall(r"[А-ЯІЇЄҐа-яіїєґ]{4,}", path.read_text(encoding="utf-8")):
                words.setdefault(w[0].upper() + w[1:])
    syllables = ["Бо", "Ва", "Ли", "Ко", "Ро", "Ме", "Да", "Ти", "Пе", "Су", "Ла", "Ні", "Фе", "Гу", "Зо", "Ша"]
    endings = ["енко", "ський", "чук", "ович", "ак", "ин"]
    for parts in itertools.product(syllables, syllables, syllables, endings):
        if len(words) >= count:
            break
        words.setdefault("".join(parts))
    return list(words)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    cache_home = Path(tempfile.mkdtemp(prefix="uken-bench-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(cache_home)  # before anything reads the user cache directory
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import httpx

    import random_marian
    import servers
    from translate import Translator
    from translate.host import MAX_GLOSSARY_CHARS, MAX_GLOSSARY_PAIRS, TranslatorHost
    from translate.http_api import create_api

    model = random_marian.build(Path(tempfile.mkdtemp(prefix="uken-bench-model-")), "tiny")
    translator = Translator(str(model), glossary="default", backend="transformers",
                            device="cpu", beam_size=1, max_length_ratio=1.0, max_length_offset=4)
    terms = unique_terms(args.requests * MAX_GLOSSARY_PAIRS)
    glossaries = [[[uk, f"Term{n}"] for n, uk in enumerate(terms[i:i + MAX_GLOSSARY_PAIRS], i)]
                  for i in range(0, len(terms), MAX_GLOSSARY_PAIRS)]
    assert all(sum(len(a) + len(b) for a, b in g) <= MAX_GLOSSARY_CHARS for g in glossaries)

    with servers.running(create_api(TranslatorHost(translator))) as url, httpx.Client(timeout=600) as client:
        assert client.post(f"{url}/translate", json={"q": "Привіт, Київ."}).status_code == 200
        cache_before, rss_before = folder_bytes(cache_home), rss_mb()
        started, peak = time.perf_counter(), rss_before
        for glossary in glossaries:
            text = f"{glossary[0][0]} і {glossary[-1][0]} приїхали до Києва."
            response = client.post(f"{url}/translate", json={"q": text, "glossary": glossary})
            assert response.status_code == 200, response.text
            peak = max(peak, rss_mb())
        elapsed = time.perf_counter() - started
        rss_after, cache_after = rss_mb(), folder_bytes(cache_home)

    print(f"## {len(glossaries)} requests, each with its own glossary of {MAX_GLOSSARY_PAIRS:,} unique pairs "
          f"(over the default glossary's {len(translator.glossary):,} entries), {elapsed:.0f} s")
    print("| | RSS after warm-up MB | RSS after the requests MB | growth MB | cache files written MB |")
    print("|---|---|---|---|---|")
    print(f"| before (the issue: 2,800 pairs each, no caps) | {BEFORE['rss_start_mb']:,} | {BEFORE['rss_end_mb']:,} | "
          f"{BEFORE['rss_end_mb'] - BEFORE['rss_start_mb']:,} | {BEFORE['cache_mb']} |")
    print(f"| now | {rss_before:,.0f} | {rss_after:,.0f} (peak {peak:,.0f}) | {rss_after - rss_before:,.0f} | "
          f"{(cache_after - cache_before) / 2**20:.2f} |")


if __name__ == "__main__":
    main()

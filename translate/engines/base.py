"""The `Engine` protocol and the batch planning shared by every engine.

An engine takes source sentences (plain text, one sentence each) and optional forced English prefixes and
returns one English hypothesis per sentence. Engines batch internally: `plan_batches` sorts by length and
packs batches under a sentence count and a padded-token budget; `output_cap` is the per-sentence output
length cap (ratio × source tokens + offset, never the model's 512-token default).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, Sequence, runtime_checkable


@dataclass(frozen=True)
class Repetition:
    """Repetition constraints for one decode (the review's re-decode of a degenerate sentence): no n-gram of
    `no_repeat_ngram_size` target tokens twice (0: no ban), and `penalty` (> 1) dividing the score of every
    token already written. Both engines support both; a forced prefix is kept even where it repeats."""

    no_repeat_ngram_size: int = 0
    penalty: float = 1.0


@runtime_checkable
class Engine(Protocol):
    name: str  # "transformers" or "ctranslate2"
    model: str  # hub id or folder it was loaded from

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Source-side token counts (as the model sees them, </s> included)."""

    def translate_batch(self, sources: Sequence[str], *, prefixes: Sequence[str | None] | None = None,
                        repetition: Repetition | None = None) -> list[str]:
        """Translate every source; a prefix forces the start of that hypothesis (the model continues it);
        `repetition` constrains the whole call (callers pass it only when set)."""

    def info(self) -> dict[str, str]:
        """What runs: engine, model, device, precision, threads — for logs, the CLI and the web page."""


def aligned_prefixes(sources: Sequence[str], prefixes: Sequence[str | None] | None) -> list[str | None]:
    """One prefix (or None) per source, as every engine's translate_batch takes them."""
    prefixes = list(prefixes) if prefixes is not None else [None] * len(sources)
    if len(prefixes) != len(sources):
        raise ValueError("prefixes must be aligned with sources")
    return prefixes


def output_cap(source_tokens: int, ratio: float, offset: int, prefix_tokens: int = 0) -> int:
    """Most target tokens (</s> included) a sentence may produce; always room for a forced prefix."""
    cap = math.ceil(ratio * source_tokens) + offset
    return max(cap, prefix_tokens + offset, 2)


def plan_batches(lengths: Sequence[int], batch_size: int, batch_tokens: int) -> list[list[int]]:
    """Indices grouped into batches, longest first, so padding is small and no batch exceeds the budget.

    The budget counts padded tokens (longest in batch × sentences); a sentence longer than the budget
    still gets a batch of its own rather than being dropped.
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = lengths[current[0]] if current else lengths[i]
        if current and (len(current) >= batch_size or longest * (len(current) + 1) > batch_tokens):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def clean_source(text: str) -> str:
    """What the model is fed: control, zero-width and lone surrogate characters out, whitespace runs single.

    SentencePiece maps such characters to <unk> pieces that derail decoding; they carry no meaning to translate.
    A lone surrogate (a str from JSON "\\ud800" or surrogateescape) cannot even be encoded for the tokenizer.
    """
    out = []
    for ch in text:
        cp = ord(ch)
        if (ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad" or (cp < 32 and ch not in "\t\n\r") or 0x7F <= cp < 0xA0
                or 0xD800 <= cp <= 0xDFFF):
            continue
        out.append(" " if ch.isspace() else ch)
    return " ".join("".join(out).split())

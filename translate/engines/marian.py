"""What both Marian engines share: source cleaning, token counts, forced-prefix ids, length-sorted batching.

An engine class (built from `Settings`) mixes in `MarianBatching`, sets `tokenizer`, `max_source_tokens`,
`batch_size` and `batch_tokens`, and implements `_decode(encoded, forced, repetition)`: source token ids and
forced target ids of one batch (and the call's repetition constraints, or None) in, target token ids out
(and `_decode_nbest(encoded, n)`, each source's n best, for `translate_nbest`: the alternatives' n-best
lists). `translate_batch` (the Engine protocol's) does the rest, and turns ids into English so that a forced
prefix comes back exactly as the string it was given: the target vocabulary may lack some of its letters
(Č, Đ, ł, ğ, a capital), so its tokens are never decoded back.
"""

from __future__ import annotations

from typing import Sequence

from translate.engines.base import Repetition, aligned_prefixes, clean_source, plan_batches


class MarianBatching:
    tokenizer: object
    max_source_tokens: int
    batch_size: int
    batch_tokens: int

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer([clean_source(t) for t in texts]).input_ids]

    def prefix_ids(self, prefix: str | None) -> list[int]:
        """Target-side ids of a forced prefix ("▁Stoltenberg" ≠ "Stoltenberg"), without the closing </s>."""
        if not prefix:
            return []
        ids = self.tokenizer(text_target=prefix).input_ids
        return ids[:-1] if ids and ids[-1] == self.tokenizer.eos_token_id else ids

    def translate_batch(self, sources: Sequence[str], *, prefixes: Sequence[str | None] | None = None,
                        repetition: Repetition | None = None) -> list[str]:
        cleaned = [clean_source(s) for s in sources]
        prefixes = aligned_prefixes(cleaned, prefixes)
        encoded = self.encode(cleaned)
        out = [""] * len(cleaned)
        todo = [i for i, text in enumerate(cleaned) if text]
        lengths = [len(encoded[i]) for i in todo]
        # Our own batches in both engines: identical batching, and each batch's decoding limit comes from
        # its own sentences rather than the whole call's.
        for batch in plan_batches(lengths, self.batch_size, self.batch_tokens):
            idx = [todo[b] for b in batch]
            forced = [self.prefix_ids(prefixes[i]) for i in idx]
            hypotheses = self._decode([encoded[i] for i in idx], forced, repetition)
            for i, ids, prefix_ids in zip(idx, hypotheses, forced):
                # Single spaces: a model may emit bare "▁" pieces, which decode to runs of spaces.
                out[i] = " ".join(self.english(ids, prefixes[i], prefix_ids).split())
        return out

    def translate_nbest(self, sources: Sequence[str], n: int) -> list[list[str]]:
        """Up to `n` English hypotheses per source, best first (the engine's n-best list, its beam widened to
        at least `n`): alternatives to offer. Duplicates after decoding are dropped; an empty source gets [""]."""
        cleaned = [clean_source(s) for s in sources]
        encoded = self.encode(cleaned)
        out: list[list[str]] = [[""] for _ in cleaned]
        todo = [i for i, text in enumerate(cleaned) if text]
        for batch in plan_batches([len(encoded[i]) for i in todo], self.batch_size, self.batch_tokens):
            idx = [todo[b] for b in batch]
            for i, hypotheses in zip(idx, self._decode_nbest([encoded[i] for i in idx], n)):
                out[i] = list(dict.fromkeys(" ".join(self.english(ids, None, []).split()) for ids in hypotheses))
        return out

    def encode(self, cleaned: Sequence[str]) -> list[list[int]]:
        """Source token ids of cleaned sentences; ValueError for one longer than the model takes."""
        encoded = self.tokenizer(list(cleaned)).input_ids
        too_long = [i for i, ids in enumerate(encoded) if len(ids) > self.max_source_tokens]
        if too_long:
            raise ValueError(
                f"sentence {too_long[0]} has {len(encoded[too_long[0]])} tokens, over the model's "
                f"{self.max_source_tokens}; segment it first (translate.segment chunks long sentences)"
            )
        return encoded

    def english(self, ids: Sequence[int], prefix: str | None, prefix_ids: Sequence[int]) -> str:
        """The text of target `ids`; with a forced `prefix`, that very string followed by what the model wrote
        after it, so the prefix's letters never depend on what the target vocabulary can spell."""
        unk = self.tokenizer.unk_token_id
        content = [i for i in ids if i == unk or i not in self.tokenizer.all_special_ids]  # <unk> may be in a prefix
        whole = self.tokenizer.decode(content, skip_special_tokens=True)
        n = len(prefix_ids)
        if not prefix or content[:n] != list(prefix_ids):  # no prefix (an engine always keeps a forced one)
            return whole
        # What the continuation adds to the decoded prefix: a space and words, or a piece glued to its end.
        head = self.tokenizer.decode(content[:n], skip_special_tokens=True)
        if whole.startswith(head):
            return prefix + whole[len(head):]
        return prefix + " " + self.tokenizer.decode(content[n:], skip_special_tokens=True)

    def _decode(self, encoded: list[list[int]], forced: list[list[int]],
                repetition: Repetition | None = None) -> list[list[int]]:
        raise NotImplementedError

    def _decode_nbest(self, encoded: list[list[int]], n: int) -> list[list[list[int]]]:
        """Per source, its `n` best target id sequences, best first."""
        raise NotImplementedError

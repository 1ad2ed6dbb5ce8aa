"""Engine on transformers + torch: MarianMTModel.generate in length-sorted batches.

Takes sentences (and optional forced English prefixes), returns English hypotheses. Each sentence's output
is capped at ratio × source tokens + offset by a logits processor (a per-row cap, so one long sentence
does not raise the cap of its batch-mates), which also forces the prefix tokens used for glossary repair.
`translate_nbest` (alternatives) returns generate()'s `num_return_sequences` best beams.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import torch
from transformers import LogitsProcessor, LogitsProcessorList, MarianMTModel, MarianTokenizer
from transformers.utils import logging as hf_logging

from translate.engines.base import Repetition, output_cap
from translate.engines.loading import load_pretrained
from translate.engines.marian import MarianBatching
from translate.errors import ModelLoadError

if TYPE_CHECKING:
    from translate.config import Settings

log = logging.getLogger("translate")


class PrefixAndCap(LogitsProcessor):
    """Per sentence: force the given target token ids first, then force </s> once the cap is reached."""

    def __init__(self, prefixes: list[list[int]], caps: list[int], num_beams: int, eos_id: int, device):
        width = max((len(p) for p in prefixes), default=0)
        table = torch.full((len(prefixes), max(width, 1)), -1, dtype=torch.long)
        for i, p in enumerate(prefixes):
            table[i, : len(p)] = torch.tensor(p, dtype=torch.long)
        # One row per beam, as generate() lays them out.
        self.forced = table.repeat_interleave(num_beams, dim=0).to(device)
        self.caps = torch.tensor(caps, dtype=torch.long).repeat_interleave(num_beams).to(device)
        self.eos_id = eos_id

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        step = input_ids.shape[1] - 1  # tokens generated so far (the decoder start token excluded)
        forced = self.forced[:, step] if step < self.forced.shape[1] else torch.full_like(self.caps, -1)
        forced = torch.where((forced < 0) & (step + 1 >= self.caps), self.eos_id, forced)
        rows = (forced >= 0).nonzero(as_tuple=True)[0]
        if len(rows):
            scores[rows] = float("-inf")
            scores[rows, forced[rows]] = 0.0
        return scores


class TransformersEngine(MarianBatching):
    name = "transformers"

    def __init__(self, settings: "Settings"):
        model, device, threads = settings.model, settings.device, settings.threads
        if threads > 0:
            torch.set_num_threads(threads)
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise ModelLoadError(f"device={device} was requested but torch sees no CUDA device; use device=auto or cpu.")
        self.model = model
        self.device = torch.device(device)
        self.dtype = torch.float16 if self.device.type == "cuda" else torch.float32
        self.beam_size = settings.beam_size
        self.batch_size = settings.batch_size
        self.batch_tokens = settings.batch_tokens
        self.ratio = settings.max_length_ratio
        self.offset = settings.max_length_offset
        hf_logging.disable_progress_bar()
        self.tokenizer = load_pretrained(MarianTokenizer.from_pretrained, model)
        self.net = load_pretrained(MarianMTModel.from_pretrained, model, dtype=self.dtype)
        self.net.to(self.device).eval()
        self.max_source_tokens = self.net.config.max_position_embeddings
        self.eos_id = self.tokenizer.eos_token_id

    def info(self) -> dict[str, str]:
        return {
            "engine": self.name,
            "model": self.model,
            "device": str(self.device),
            "precision": str(self.dtype).removeprefix("torch."),
            "threads": str(torch.get_num_threads()),
            "beam_size": str(self.beam_size),
        }

    @torch.inference_mode()
    def _decode(self, encoded: list[list[int]], forced: list[list[int]],
                repetition: Repetition | None = None) -> list[list[int]]:
        input_ids, mask = self._padded(encoded)
        caps = [output_cap(len(ids), self.ratio, self.offset, len(f)) for ids, f in zip(encoded, forced)]
        processor = PrefixAndCap(forced, caps, self.beam_size, self.eos_id, self.device)
        generated = self.net.generate(
            input_ids=input_ids.to(self.device),
            attention_mask=mask.to(self.device),
            num_beams=self.beam_size,
            max_length=max(caps) + 1,
            logits_processor=LogitsProcessorList([processor]),
            # generate()'s own processors run before ours, so a forced prefix token still wins over a ban.
            **({"no_repeat_ngram_size": repetition.no_repeat_ngram_size,
                "repetition_penalty": repetition.penalty} if repetition is not None else {}),
        )
        return generated.tolist()

    @torch.inference_mode()
    def _decode_nbest(self, encoded: list[list[int]], n: int) -> list[list[list[int]]]:
        beams = max(self.beam_size, n)  # generate() returns at most as many sequences as it has beams
        input_ids, mask = self._padded(encoded)
        caps = [output_cap(len(ids), self.ratio, self.offset) for ids in encoded]
        processor = PrefixAndCap([[] for _ in encoded], caps, beams, self.eos_id, self.device)
        rows = self.net.generate(
            input_ids=input_ids.to(self.device),
            attention_mask=mask.to(self.device),
            num_beams=beams,
            num_return_sequences=n,
            max_length=max(caps) + 1,
            logits_processor=LogitsProcessorList([processor]),
        ).tolist()
        return [rows[i * n:(i + 1) * n] for i in range(len(encoded))]  # each source's n, best first

    def _padded(self, encoded: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        """The batch's source ids, right-padded, and their attention mask."""
        width = max(len(ids) for ids in encoded)
        input_ids = torch.full((len(encoded), width), self.tokenizer.pad_token_id, dtype=torch.long)
        mask = torch.zeros_like(input_ids)
        for row, ids in enumerate(encoded):
            input_ids[row, : len(ids)] = torch.tensor(ids)
            mask[row, : len(ids)] = 1
        return input_ids, mask

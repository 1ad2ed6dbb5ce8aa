"""Engine on CTranslate2: the Marian checkpoint converted once (int8 on CPU, int8_float16 on CUDA).

Takes sentences (and optional forced English prefixes), returns English hypotheses, behaving like the
transformers engine: the same MarianTokenizer (source tokens end with </s>), the same length-sorted
batches (`plan_batches` with batch_size / batch_tokens), the same beam size, the same per-sentence output cap
(ratio × source tokens + offset), and forced prefixes for glossary repair through CTranslate2's
`target_prefix`; `translate_nbest` (alternatives) returns its `num_hypotheses` best. Only ctranslate2,
sentencepiece and the tokenizer part of transformers are imported; torch is needed only for the one-time
conversion.

Output cap: CTranslate2 has one `max_decoding_length` per call, so each batch is decoded up to its largest
cap and every hypothesis is then cut to its own cap. With greedy search that is exactly what a per-row cap
does; with beam search it differs only for hypotheses that reach the cap — runaway ones, since the cap is
well above a real translation's length — where it keeps the best hypothesis' opening instead of re-ranking
the beams at the cap. Re-decoding those would double the cost exactly when the model degenerates.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from translate.engines.base import Repetition, output_cap
from translate.engines.convert import checkpoint_folder, converted_model
from translate.engines.loading import load_pretrained
from translate.engines.marian import MarianBatching
from translate.errors import BackendError

if TYPE_CHECKING:
    from translate.config import Settings

log = logging.getLogger("translate")


def core_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers, taskset)
    except AttributeError:
        return os.cpu_count() or 1


def split_device(device: str) -> tuple[str, int]:
    """("cpu" | "cuda", device index) for a device setting: auto, cpu, cuda or cuda:N."""
    import ctranslate2

    if device == "auto":
        return ("cuda", 0) if ctranslate2.get_cuda_device_count() > 0 else ("cpu", 0)
    if device.startswith("cuda"):
        index = int(device.partition(":")[2] or 0)
        if index >= ctranslate2.get_cuda_device_count():
            raise BackendError(f"device={device} was requested but CTranslate2 sees no such CUDA device.")
        return "cuda", index
    return "cpu", 0


def pick_compute_type(device: str, index: int = 0) -> str:
    """int8 weights on CPU; int8 weights with float16 activations on CUDA (float16 where int8 is unsupported)."""
    import ctranslate2

    supported = ctranslate2.get_supported_compute_types(device, index)
    preferred = ("int8_float16", "float16", "float32") if device == "cuda" else ("int8", "int8_float32", "float32")
    return next((c for c in preferred if c in supported), "default")


def suppressed_sequences(folder: Path, tokenizer) -> list[list[str]]:
    """The checkpoint's `bad_words_ids` as token strings: transformers' generate() never emits them either."""
    try:
        config = json.loads((folder / "generation_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    banned = []
    for ids in config.get("bad_words_ids") or []:
        tokens = tokenizer.convert_ids_to_tokens(ids)
        # <pad> is not in a converted Marian vocabulary at all (the decoder starts from a zero embedding).
        if tokens and all(t != tokenizer.pad_token for t in tokens):
            banned.append(tokens)
    return banned


class CTranslate2Engine(MarianBatching):
    name = "ctranslate2"

    def __init__(self, settings: "Settings", *, compute_type: str | None = None):
        """`compute_type` overrides the precision chosen for the device (int8 on CPU, int8_float16 on CUDA)."""
        import ctranslate2
        from transformers import MarianTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        model = self.model = settings.model
        self.device, self.device_index = split_device(settings.device)
        self.compute_type = compute_type or pick_compute_type(self.device, self.device_index)
        self.beam_size = settings.beam_size
        self.batch_size = settings.batch_size
        self.batch_tokens = settings.batch_tokens
        self.ratio = settings.max_length_ratio
        self.offset = settings.max_length_offset
        self.threads = settings.threads if settings.threads > 0 else core_count()

        source = checkpoint_folder(model)  # hub id → cached snapshot (our offline messages), folder → checked
        self.tokenizer = load_pretrained(MarianTokenizer.from_pretrained, str(source))
        self.path = converted_model(model, self.compute_type, source=source)
        try:
            self.translator = ctranslate2.Translator(
                str(self.path),
                device=self.device,
                device_index=self.device_index,
                compute_type=self.compute_type,
                inter_threads=1,  # one call at a time; all cores go to that call's batches
                intra_threads=self.threads,
            )
        except (RuntimeError, ValueError, OSError) as e:
            raise BackendError(
                f"CTranslate2 could not load the converted model in {self.path} ({str(e).strip()[:200]}); "
                f"delete that folder to convert again, or use backend=transformers."
            ) from e
        with open(source / "config.json", encoding="utf-8") as f:
            self.max_source_tokens = json.load(f).get("max_position_embeddings", 512)
        self.suppress = suppressed_sequences(source, self.tokenizer) or None

    def info(self) -> dict[str, str]:
        device = self.device if self.device == "cpu" else f"{self.device}:{self.device_index}"
        return {
            "engine": self.name,
            "model": self.model,
            "device": device,
            "precision": self.translator.compute_type,  # what runs: int8 on CPU reads int8_float32
            "threads": str(self.threads),
            "beam_size": str(self.beam_size),
            "converted": str(self.path),
        }

    def _decode(self, encoded: list[list[int]], forced_ids: list[list[int]],
                repetition: Repetition | None = None) -> list[list[int]]:
        forced = [self.tokenizer.convert_ids_to_tokens(ids) for ids in forced_ids]
        # output_cap counts </s>; CTranslate2's max_decoding_length counts the tokens before it (prefix included).
        limits = [output_cap(len(ids), self.ratio, self.offset, len(f)) - 1 for ids, f in zip(encoded, forced)]
        results = self.translator.translate_batch(
            [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded],
            target_prefix=forced if any(forced) else None,
            beam_size=self.beam_size,  # CTranslate2's default is 2
            max_decoding_length=max(limits),
            max_input_length=0,  # never truncate silently: too-long input was rejected above
            suppress_sequences=self.suppress,
            **({"no_repeat_ngram_size": repetition.no_repeat_ngram_size,
                "repetition_penalty": repetition.penalty} if repetition is not None else {}),
        )
        return [self.tokenizer.convert_tokens_to_ids(result.hypotheses[0][:limit])
                for result, limit in zip(results, limits)]

    def _decode_nbest(self, encoded: list[list[int]], n: int) -> list[list[list[int]]]:
        limits = [output_cap(len(ids), self.ratio, self.offset) - 1 for ids in encoded]
        results = self.translator.translate_batch(
            [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded],
            beam_size=max(self.beam_size, n),  # CTranslate2 returns at most beam_size hypotheses
            num_hypotheses=n,
            max_decoding_length=max(limits),
            max_input_length=0,
            suppress_sequences=self.suppress,
        )
        return [[self.tokenizer.convert_tokens_to_ids(h[:limit]) for h in result.hypotheses]
                for result, limit in zip(results, limits)]

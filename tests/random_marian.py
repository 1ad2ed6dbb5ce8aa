"""Build random-weight Marian checkpoints of the real architecture, for tests and benchmarks.

Takes an output folder and a size ("tiny", "base" = opus-mt-uk-en, "big" = opus-mt-tc-big-zle-en);
returns the folder, holding exactly what a hub checkpoint holds (config.json, weights, source.spm,
target.spm, vocab.json, tokenizer_config.json, generation_config.json), so the product loads it through
the same `from_pretrained` path it uses for the real models.

The tokenizers are trained on the FLORES-200 dev lines shipped in tests/data/tokenizer-corpus/, so the tests
need nothing outside the repository; `extra_corpus=` (benchmarks pass `UKEN_EVAL_DIR`) adds more text for a
vocabulary nearer the real models' size. `eos_bias=` (benchmarks of speed) adds that much to the logit of </s>:
random weights seldom choose it, so most sentences run to their length cap, which a real model's do not.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "data" / "tokenizer-corpus"

# d_model, layers (encoder = decoder), heads, ffn, spm vocab per side
SIZES = {
    "tiny": dict(d_model=64, layers=2, heads=4, ffn=128, spm_vocab=1000),
    "base": dict(d_model=512, layers=6, heads=8, ffn=2048, spm_vocab=32000),
    "big": dict(d_model=1024, layers=6, heads=16, ffn=4096, spm_vocab=32000),
}


def _training_lines(lang: str, extra_corpus: Path | None = None) -> list[str]:
    lines = (CORPUS / f"flores200-dev.{lang}").read_text(encoding="utf-8").splitlines()
    if extra_corpus is not None:  # an evaluation folder laid out as ../shared/eval
        for name in ("flores200/devtest", "ntrex128/ntrex128"):
            path = Path(extra_corpus) / f"{name}.{lang}"
            if path.exists():
                lines += path.read_text(encoding="utf-8").splitlines()
    return lines


def _train_spm(lang: str, prefix: Path, vocab_size: int, extra_corpus: Path | None) -> None:
    import sentencepiece as spm

    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(_training_lines(lang, extra_corpus)))
    spm.SentencePieceTrainer.train(
        input=f.name,
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        character_coverage=1.0,
        model_type="unigram",
        # Marian's vocab.json holds the special tokens; the spm models only carry <unk>.
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
        unk_id=0,
        minloglevel=2,
        num_threads=2,
        hard_vocab_limit=False,
    )
    Path(f.name).unlink()


def build(folder: str | Path, size: str = "tiny", seed: int = 0, extra_corpus: str | Path | None = None,
          eos_bias: float = 0.0) -> Path:
    """Write a random-weight Marian uk→en checkpoint of `size` into `folder` and return it."""
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    spec = SIZES[size]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    work = folder / "_spm"
    work.mkdir(exist_ok=True)
    for lang, name in (("uk", "source"), ("en", "target")):
        _train_spm(lang, work / name, spec["spm_vocab"], Path(extra_corpus) if extra_corpus else None)
        (work / f"{name}.model").replace(folder / f"{name}.spm")
        (work / f"{name}.vocab").unlink()
    work.rmdir()

    # One shared vocabulary over both sides' pieces, as the OPUS-MT checkpoints have: </s> first, <pad> last.
    vocab = {"</s>": 0, "<unk>": 1}
    for name in ("source", "target"):
        sp = spm.SentencePieceProcessor(model_file=str(folder / f"{name}.spm"))
        for i in range(sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=spec["d_model"],
        encoder_layers=spec["layers"],
        decoder_layers=spec["layers"],
        encoder_attention_heads=spec["heads"],
        decoder_attention_heads=spec["heads"],
        encoder_ffn_dim=spec["ffn"],
        decoder_ffn_dim=spec["ffn"],
        activation_function="swish",
        max_position_embeddings=512,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        static_position_embeddings=True,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    with torch.no_grad():
        model.final_logits_bias[0, config.eos_token_id] = eos_bias  # both engines add this bias to the logits
    model.save_pretrained(folder)
    # What the OPUS-MT checkpoints ship: without it generate() falls back to greedy and a 21-token cap.
    GenerationConfig(
        bad_words_ids=[[pad]],
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        max_length=512,
        num_beams=4,
        pad_token_id=pad,
    ).save_pretrained(folder)
    MarianTokenizer(
        source_spm=str(folder / "source.spm"),
        target_spm=str(folder / "target.spm"),
        vocab=str(folder / "vocab.json"),
        source_lang="uk",
        target_lang="en",
    ).save_pretrained(folder)
    return folder


if __name__ == "__main__":
    import sys

    print(build(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "tiny"))

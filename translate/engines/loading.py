"""Find a Marian checkpoint (hub id or local folder) the way users expect offline, with one-sentence errors.

Takes a model name and a `from_pretrained` callable; returns what it loaded or raises `ModelLoadError`.
The local HF cache is tried first (instant); the hub only when the cache misses, and only after a quick
reachability check, because `from_pretrained` retries an unreachable hub for 20 s to several minutes and
then raises OSError or even TypeError rather than saying "offline".
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlparse

from translate.errors import ModelLoadError

MARIAN_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
try:
    from safetensors import SafetensorError
except ImportError:  # safetensors comes with transformers; stay importable without it
    SafetensorError = OSError
# What from_pretrained raises for a missing, partial or corrupt checkpoint (TypeError: see module docstring).
LOAD_ERRORS = (OSError, ValueError, TypeError, KeyError, RuntimeError, SafetensorError)


def is_local(model: str) -> bool:
    """A folder path rather than a hub id ('org/name')."""
    if Path(model).expanduser().exists():
        return True
    return model.startswith(("/", ".", "~")) or "\\" in model or model.count("/") > 1


def check_folder(model: str) -> Path:
    folder = Path(model).expanduser()
    if not folder.is_dir():
        raise ModelLoadError(
            f"Model folder '{model}' does not exist: pass a folder holding a Marian checkpoint or a hub id "
            f"such as Helsinki-NLP/opus-mt-uk-en."
        )
    missing = [f for f in MARIAN_FILES if not (folder / f).exists()]
    has_weights = any(folder.glob("*.safetensors")) or any(folder.glob("pytorch_model*.bin"))
    if missing or not has_weights:
        missing += [] if has_weights else ["model weights (*.safetensors or pytorch_model.bin)"]
        raise ModelLoadError(
            f"Model folder '{model}' is not a Marian checkpoint: it lacks {', '.join(missing)}; "
            f"save one with model.save_pretrained() and tokenizer.save_pretrained()."
        )
    return folder


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")


def hub_reachable(timeout: float = 3.0) -> bool:
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    url = urlparse(endpoint)
    try:
        with socket.create_connection((url.hostname, url.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


def not_cached_message(model: str, why: str) -> str:
    return (
        f"Model '{model}' is not in the local Hugging Face cache and {why}: download it once on a connected "
        f"machine (`hf download {model}`, or run this tool there once) and copy the cache folder "
        f"(~/.cache/huggingface), or pass a local model folder instead."
    )


def load_pretrained(loader: Callable[..., Any], model: str, **kwargs: Any) -> Any:
    """`loader(model, **kwargs)` from a folder, the HF cache, or the hub, in that order."""
    kwargs.setdefault("trust_remote_code", False)
    if is_local(model):
        folder = check_folder(model)
        try:
            return loader(str(folder), local_files_only=True, **kwargs)
        except LOAD_ERRORS as e:
            raise ModelLoadError(f"Model folder '{model}' could not be loaded ({first_line(e)}).") from e
    try:
        return loader(model, local_files_only=True, **kwargs)
    except LOAD_ERRORS:
        pass
    if hub_offline():
        raise ModelLoadError(not_cached_message(model, "HF_HUB_OFFLINE is set"))
    if not hub_reachable():
        raise ModelLoadError(not_cached_message(model, "the Hugging Face hub cannot be reached"))
    try:
        return loader(model, **kwargs)
    except LOAD_ERRORS as e:
        raise ModelLoadError(
            f"Model '{model}' could not be downloaded from the Hugging Face hub ({first_line(e)}): check the id "
            f"(e.g. Helsinki-NLP/opus-mt-tc-big-zle-en or Helsinki-NLP/opus-mt-uk-en) or pass a local folder."
        ) from e


def first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__

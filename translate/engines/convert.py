"""Convert a Marian checkpoint to CTranslate2 once, into a per-user cache, safely under concurrency.

Takes a model (hub id or local folder) and a quantisation ("int8", "int8_float16", "float16", ...); returns
the folder of the converted model. The cache folder is `user_cache_dir("uk-en")/ct2/<key>`, where the key
covers the checkpoint (resolved folder plus size and mtime of its config, weights and vocabulary), the
quantisation and the ctranslate2 version, so an edited checkpoint or an upgraded ctranslate2 converts anew.
A conversion writes into a temporary folder next to the target and renames it into place (atomic), under
an exclusive file lock: a second process converting at the same time waits and reuses the first's result.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator

from translate.engines.loading import LOAD_ERRORS, check_folder, first_line, is_local, load_pretrained
from translate.errors import BackendError

log = logging.getLogger("translate")

# What a Marian checkpoint needs: fetched from the hub (tf/flax/rust weights are not), and fingerprinted.
CHECKPOINT_PATTERNS = ("*.json", "*.spm", "*.safetensors", "pytorch_model*.bin")
MARKER = "uk-en-source.json"  # written into every converted folder: what it was converted from


def cache_root() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("uk-en")) / "ct2"


def _snapshot(model: str, *, local_files_only: bool = False, trust_remote_code: bool = False) -> Path:
    """A hub id's snapshot folder (a `load_pretrained` loader); OSError when it is missing or incomplete."""
    del trust_remote_code  # nothing is executed: this only fetches files
    from huggingface_hub import snapshot_download

    folder = snapshot_download(model, local_files_only=local_files_only, allow_patterns=list(CHECKPOINT_PATTERNS))
    # A cache holding only the tokenizer (from an earlier tokenizer-only load) is not a checkpoint: let
    # load_pretrained go on to the hub, or report it as not cached.
    return check_folder(folder)


def checkpoint_folder(model: str) -> Path:
    """The local folder holding `model`'s checkpoint: the folder itself, or the hub cache's snapshot."""
    if is_local(model):
        return check_folder(model).resolve()
    return load_pretrained(_snapshot, model)


def fingerprint(folder: Path) -> list[list[Any]]:
    """Name, size and mtime of every file conversion reads, so a changed checkpoint gets a new key."""
    files = sorted({p for pattern in CHECKPOINT_PATTERNS for p in folder.glob(pattern)})
    return [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in files]


def cache_key(model: str, folder: Path, quantization: str) -> str:
    import ctranslate2

    identity = {
        "folder": str(folder),
        "files": fingerprint(folder),
        "quantization": quantization,
        "ctranslate2": ctranslate2.__version__,
    }
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", model.rstrip("/\\")).strip("._")[-48:] or "model"
    return f"{name}-{quantization}-{digest}"


def is_converted(folder: Path) -> bool:
    return (folder / "model.bin").is_file() and (folder / "config.json").is_file() and (folder / MARKER).is_file()


@contextlib.contextmanager
def exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path` (blocking); the OS releases it if the process dies."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the atomic rename below still keeps the cache consistent
        yield
        return
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def run_converter(source: Path, output: Path, quantization: str) -> None:
    """CTranslate2's transformers converter (a seam the tests count calls through)."""
    from ctranslate2.converters import TransformersConverter

    # trust_remote_code stays at its default (False): a Marian checkpoint needs no code of its own.
    TransformersConverter(str(source)).convert(str(output), quantization=quantization, force=True)


def converted_model(model: str, quantization: str, *, root: Path | None = None, source: Path | None = None) -> Path:
    """Folder of `model` converted to CTranslate2 at `quantization`, converting only when not cached.

    `source` is `model`'s checkpoint folder when the caller has already resolved it.
    """
    source = source or checkpoint_folder(model)
    root = root or cache_root()
    target = root / cache_key(model, source, quantization)
    if is_converted(target):
        return target
    try:
        root.mkdir(parents=True, exist_ok=True)
        with exclusive(root / f"{target.name}.lock"):
            return _convert_locked(model, source, target, quantization)
    except PermissionError as e:
        raise BackendError(
            f"The CTranslate2 cache folder {root} is not writable ({e.strerror}); set XDG_CACHE_HOME to a "
            f"writable folder or use backend=transformers."
        ) from e


def _convert_locked(model: str, source: Path, target: Path, quantization: str) -> Path:
    """Convert into a staging folder next to `target` and rename it into place; the caller holds the lock."""
    root = target.parent
    if is_converted(target):  # another process converted it while we waited for the lock
        return target
    if target.exists():  # an incomplete folder someone left behind by hand: replace it
        shutil.rmtree(target, ignore_errors=True)
    log.info("converting %s to CTranslate2 %s (once) into %s", model, quantization, target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=root))
    try:
        try:
            run_converter(source, staging, quantization)
        except (*LOAD_ERRORS, ImportError, AttributeError, NotImplementedError) as e:
            raise BackendError(
                f"Model '{model}' could not be loaded for conversion to CTranslate2 ({first_line(e)}); "
                f"check the checkpoint or use backend=transformers."
            ) from e
        (staging / MARKER).write_text(
            json.dumps({"model": model, "source": str(source), "quantization": quantization}, indent=1),
            encoding="utf-8",
        )
        try:
            os.replace(staging, target)  # atomic: readers see no folder or a complete one
        except OSError:
            if not is_converted(target):  # without flock a racing process may have renamed first
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target

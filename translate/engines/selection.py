"""Engine selection: `load_engine(settings)` picks the backend (`auto`: CTranslate2 when installed and able
to run the model, else transformers), builds the engine and records why on it (`backend_reason`).

Only the chosen engine's heavy imports happen (torch/transformers or ctranslate2), so start-up stays short.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from translate.engines.base import Engine
from translate.errors import BackendError

if TYPE_CHECKING:
    from translate.config import Settings

log = logging.getLogger("translate")


def resolve_backend(requested: str) -> tuple[str, str]:
    """The backend to use and why (the reason is logged and shown by the CLI and the web page)."""
    if requested != "auto":
        return requested, f"backend={requested} was requested"
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return "transformers", "auto: ctranslate2 is not installed (pip install 'uk-en-translate[fast]' for ~3× speed)"
    return "ctranslate2", "auto: ctranslate2 is installed"


def load_engine(settings: "Settings") -> Engine:
    backend, reason = resolve_backend(settings.backend)
    if backend == "ctranslate2":
        from translate.engines.ctranslate2 import CTranslate2Engine

        try:
            return _with_reason(CTranslate2Engine(settings), reason)
        except BackendError as e:
            if settings.backend != "auto":
                raise
            reason = f"auto: ctranslate2 cannot run this model here ({e})"
            log.warning("falling back to transformers: %s", reason)
    from translate.engines.transformers import TransformersEngine

    return _with_reason(TransformersEngine(settings), reason)


def _with_reason(engine: Engine, reason: str) -> Engine:
    log.info("engine: %s (%s)", engine.name, reason)
    engine.backend_reason = reason
    return engine

"""Inference engines behind one `Engine` protocol; `load_engine(settings)` picks and builds one.

Only the chosen engine's heavy imports happen (torch/transformers or ctranslate2), so start-up stays short.
"""

from __future__ import annotations

from translate.engines.base import Engine, load_engine

__all__ = ["Engine", "load_engine"]

"""Inference engines behind one `Engine` protocol (`base`): `transformers` and `ctranslate2` implement it,
`selection.load_engine(settings)` picks and builds one.

Only the chosen engine's heavy imports happen (torch/transformers or ctranslate2), so start-up stays short.
"""

from __future__ import annotations

from translate.engines.base import Engine
from translate.engines.selection import load_engine

__all__ = ["Engine", "load_engine"]

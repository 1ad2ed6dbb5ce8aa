"""Shared fixtures: a tiny random-weight Marian model of the real architecture, built once per session."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Tests never reach a hub: anything not local must fail fast, as it does for an offline user.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

sys.path.insert(0, str(Path(__file__).parent))
import random_marian  # noqa: E402
from fakes import FakeEngine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "translate" / "examples" / "nato-skopje.uk.txt"  # a copy of ../shared/samples/


@pytest.fixture(autouse=True, scope="session")
def private_user_cache(tmp_path_factory):
    """Per-user caches (CTranslate2 conversions, glossary indexes) go to a temp folder, never ~/.cache."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    yield
    patch.undo()


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    return random_marian.build(tmp_path_factory.mktemp("tiny-marian"), "tiny")


@pytest.fixture(scope="session")
def translator(tiny_model):
    """A Translator on the tiny model, no glossary and no document names (tests/test_names.py turns them on),
    greedy-fast settings that still batch and beam."""
    from translate import Translator

    return Translator(str(tiny_model), glossary=None, names="off", backend="transformers", device="cpu",
                      beam_size=2, max_length_ratio=1.0, max_length_offset=4)


@pytest.fixture(scope="session")
def demo_text() -> str:
    return DEMO.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def fast_translator(tiny_model):
    """Greedy with a short output cap: for property tests that push hundreds of inputs through."""
    from translate import Translator

    return Translator(str(tiny_model), glossary=None, names="off", backend="transformers", device="cpu",
                      beam_size=1, max_length_ratio=0.1, max_length_offset=1)


@pytest.fixture(scope="session")
def tiny_engine(tiny_model):
    """One loaded engine of the tiny model, quick settings, shared by every test that patches it in."""
    from translate.config import load_settings
    from translate.engines import load_engine

    settings = load_settings(None, environment=False, model=str(tiny_model), backend="transformers",
                             device="cpu", beam_size=1, max_length_ratio=0.5, max_length_offset=2)
    return load_engine(settings)


@pytest.fixture
def engine(tiny_engine, monkeypatch) -> FakeEngine:
    """The tiny engine, recorded, as the one every CLI run in this test loads (so no run loads a model)."""
    recording = FakeEngine(wraps=tiny_engine)
    monkeypatch.setattr("translate.engines.load_engine", lambda settings: recording)
    return recording

"""The translation memory: hits skip the engine, keys separate settings, damage is survived, processes share it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fakes import FakeEngine
from translate.cache import CachedEngine, CountingEngine, default_cache_path
from translate.config import load_settings


def settings(**overrides):
    return load_settings(None, environment=False, **{"model": "fake-model", **overrides})


def test_second_request_for_the_same_sentences_does_not_reach_the_engine(tmp_path):
    engine = FakeEngine()
    memory = CachedEngine(engine, tmp_path / "tm.sqlite3", settings=settings())
    first = memory.translate_batch(["Київ.", "Львів."], prefixes=[None, "In "])
    second = memory.translate_batch(["Львів.", "Київ."], prefixes=["In ", None])
    assert second == first[::-1]
    assert engine.sentences == 2
    assert (memory.stats.requested, memory.stats.from_memory, memory.stats.engine_calls) == (4, 2, 1)


def test_memory_persists_across_instances_and_only_misses_are_decoded(tmp_path):
    path = tmp_path / "tm.sqlite3"
    CachedEngine(FakeEngine(), path, settings=settings()).translate_batch(["Один.", "Два."])
    engine = FakeEngine()
    result = CachedEngine(engine, path, settings=settings()).translate_batch(["Два.", "Три.", "Один."])
    assert result == ["ДВА.", "ТРИ.", "ОДИН."]
    assert engine.batches == [["Три."]]


def test_repeated_sentences_in_one_batch_are_decoded_once(tmp_path):
    engine = FakeEngine()
    memory = CachedEngine(engine, tmp_path / "tm.sqlite3", settings=settings())
    boilerplate = "Передає кореспондент Укрінформу."
    assert memory.translate_batch([boilerplate, "Інше.", boilerplate]) == [boilerplate.upper(), "ІНШЕ.", boilerplate.upper()]
    assert engine.batches == [[boilerplate, "Інше."]]


@pytest.mark.parametrize("change", [
    dict(settings=settings(beam_size=1)),
    dict(settings=settings(max_length_ratio=2.0)),
    dict(settings=settings(max_length_offset=3)),
    dict(engine=FakeEngine(precision="int8")),
    dict(engine=FakeEngine(model="other-model"), settings=settings(model="other-model")),
])
def test_other_model_precision_or_decoding_settings_miss_the_memory(tmp_path, change):
    path = tmp_path / "tm.sqlite3"
    CachedEngine(FakeEngine(), path, settings=settings()).translate_batch(["Київ."])
    engine = change.get("engine", FakeEngine())
    CachedEngine(engine, path, settings=change.get("settings", settings())).translate_batch(["Київ."])
    assert engine.sentences == 1


def test_prefix_none_and_empty_prefix_are_different_keys(tmp_path):
    engine = FakeEngine()
    memory = CachedEngine(engine, tmp_path / "tm.sqlite3", settings=settings())
    memory.translate_batch(["Київ."], prefixes=[None])
    memory.translate_batch(["Київ."], prefixes=[""])
    memory.translate_batch(["Київ."], prefixes=["Kyiv"])
    assert engine.sentences == 3


def test_retrained_checkpoint_in_the_same_folder_misses_the_memory(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    weights = folder / "model.safetensors"
    weights.write_bytes(b"old")
    path = tmp_path / "tm.sqlite3"
    CachedEngine(FakeEngine(str(folder)), path).translate_batch(["Київ."])
    weights.write_bytes(b"new weights")
    engine = FakeEngine(str(folder))
    CachedEngine(engine, path).translate_batch(["Київ."])
    assert engine.sentences == 1


def test_garbage_file_is_reported_and_rebuilt(tmp_path, capsys):
    path = tmp_path / "tm.sqlite3"
    path.write_bytes(b"this is not a database\n" * 200)
    engine = FakeEngine()
    memory = CachedEngine(engine, path, settings=settings())
    assert memory.translate_batch(["Київ."]) == ["КИЇВ."]
    assert "damaged" in capsys.readouterr().err
    assert len(memory) == 1
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_truncated_database_never_crashes_a_translation(tmp_path, capsys):
    path = tmp_path / "tm.sqlite3"
    memory = CachedEngine(FakeEngine(), path, settings=settings())
    memory.translate_batch([f"Речення номер {i} з довгим хвостом тексту." * 5 for i in range(400)])
    memory.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\x00" * 100)

    engine = FakeEngine()
    memory = CachedEngine(engine, path, settings=settings())
    sentences = [f"Речення номер {i} з довгим хвостом тексту." * 5 for i in range(400)]
    assert memory.translate_batch(sentences) == [s.upper() for s in sentences]
    assert "damaged" in capsys.readouterr().err


def test_unusable_location_means_translating_without_memory(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    engine = FakeEngine()
    memory = CachedEngine(engine, blocker / "tm.sqlite3", settings=settings())
    assert memory.translate_batch(["Київ."]) == ["КИЇВ."]
    assert memory.translate_batch(["Київ."]) == ["КИЇВ."]
    assert engine.sentences == 2
    assert "cannot be used" in capsys.readouterr().err
    assert memory.info()["translation_memory"].startswith("off")


def test_wrapper_is_an_engine_that_passes_through_info_and_attributes(tmp_path):
    engine = FakeEngine()
    memory = CachedEngine(engine, tmp_path / "tm.sqlite3", settings=settings())
    assert (memory.name, memory.model, memory.backend_reason) == ("fake", "fake-model", "chosen by the test")
    assert memory.count_tokens(["два слова"]) == [3]
    assert memory.info()["translation_memory"] == str(tmp_path / "tm.sqlite3")
    counting = CountingEngine(engine)
    counting.translate_batch(["а", "б"])
    assert counting.stats.decoded == 2 and counting.stats.engine_calls == 1


def test_default_location_is_the_user_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_path() == tmp_path / "uk-en" / "tm.sqlite3"


WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[3])
    from fakes import FakeEngine
    from test_cache import settings
    from translate.cache import CachedEngine

    memory = CachedEngine(FakeEngine(), sys.argv[1], settings=settings())
    start = int(sys.argv[2])
    for round in range(30):
        # Overlapping ranges: both processes write some of the same keys at the same time.
        batch = [f"Речення {i}." for i in range(start + round * 10, start + round * 10 + 20)]
        assert memory.translate_batch(batch) == [s.upper() for s in batch]
""")


def test_two_processes_share_one_memory_file(tmp_path):
    path = tmp_path / "tm.sqlite3"
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    tests = str(Path(__file__).parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([tests, os.environ.get("PYTHONPATH", "")])}
    writers = [subprocess.Popen([sys.executable, str(script), str(path), str(start), tests], env=env,
                                stderr=subprocess.PIPE) for start in (0, 150)]
    errors = [w.communicate(timeout=120)[1].decode() for w in writers]
    assert [w.returncode for w in writers] == [0, 0], errors
    assert errors == ["", ""]  # no warning either: neither process was ever locked out
    written = set(range(0, 310)) | set(range(150, 460))  # each process: 30 rounds of 20 from its start
    assert len(CachedEngine(FakeEngine(), path, settings=settings())) == len(written)

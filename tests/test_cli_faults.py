"""Faults of unattended runs: unwritable outputs, odd inputs, two runs at once, inputs rewritten mid-run,
and a translation memory whose rows or layout are not ours. Each is one clear line, never a traceback, and
never an output that looks complete but is not."""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from fakes import FakeEngine
from test_cache import settings
from test_cli import fast_flags, news_records, read_jsonl, run, write_jsonl
from translate.cache import CachedEngine


@pytest.fixture
def tmpfs():
    """Mount a small tmpfs (root only; the tests run as root, who ignores chmod): `tmpfs(path, ro=...)`."""
    mounted: list[Path] = []

    def mount(path: Path, *, read_only: bool = False, size: str = "64k") -> Path:
        path.mkdir(parents=True, exist_ok=True)
        options = f"size={size}" + (",ro" if read_only else "")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(path)
        return path

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", str(path)], check=True)


def fill(folder: Path) -> None:
    """Write until the file system is full."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def assert_one_line_each(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert all(line.startswith(("error:", "warning:")) or " translated in " in line for line in stderr.splitlines())


# -- 6: faults that aborted the whole run ----------------------------------------------------------------------

def test_jsonl_output_into_a_read_only_folder_is_one_line_and_the_other_file_is_translated(tmp_path, engine,
                                                                                            tiny_model, tmpfs):
    for name in ("ro", "ok"):
        (tmp_path / "in" / name).mkdir(parents=True)
        write_jsonl(tmp_path / "in" / name / "items.jsonl", news_records(3))
    out = tmp_path / "out"
    tmpfs(out / "ro", read_only=True)

    result = run("translate", tmp_path / "in", "-o", out, "--no-cache", *fast_flags(tiny_model))

    assert result.exit_code == 1
    assert f"error: {out / 'ro' / 'items.jsonl'}: cannot be written (Read-only file system); file skipped" \
        in result.stderr
    assert_one_line_each(result.stderr)
    assert [r["id"] for r in read_jsonl(out / "ok" / "items.jsonl")] == ["item-0", "item-1", "item-2"]


@pytest.mark.parametrize("disk, reason", [("read-only", "Read-only file system"), ("full", "No space left on device")])
def test_terms_file_that_cannot_be_written_is_one_line_and_the_translation_goes_on(tmp_path, engine, tiny_model,
                                                                                  tmpfs, disk, reason):
    source = tmp_path / "items.jsonl"
    write_jsonl(source, news_records(4))
    folder = tmpfs(tmp_path / "terms", read_only=disk == "read-only")
    if disk == "full":
        fill(folder)
    out = tmp_path / "items.en.jsonl"

    result = run("translate", source, "-o", out, "--terms", folder / "terms.jsonl", "--chunk-size", "2",
                 "--no-cache", *fast_flags(tiny_model))

    assert result.exit_code == 1
    assert f"error: {folder / 'terms.jsonl'}: cannot be written ({reason})" in result.stderr
    assert result.stderr.count("cannot be written") == 1
    assert_one_line_each(result.stderr)
    assert [r["id"] for r in read_jsonl(out)] == ["item-0", "item-1", "item-2", "item-3"]
    assert not (folder / "terms.jsonl").exists()  # an incomplete report never takes the final name


def test_jsonl_input_whose_file_name_is_not_utf8_is_translated_like_any_other(tmp_path, engine, tiny_model):
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(Path(os.fsdecode(bytes(folder) + b"/\xff.jsonl")), news_records(3))
    write_jsonl(folder / "plain.jsonl", news_records(2))
    out = tmp_path / "out"

    result = run("translate", folder, "-o", out, "--chunk-size", "2", "--terms", tmp_path / "terms.jsonl",
                 "--no-cache", *fast_flags(tiny_model))

    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in read_jsonl(Path(os.fsdecode(bytes(out) + b"/\xff.jsonl")))] == \
        ["item-0", "item-1", "item-2"]
    assert [r["id"] for r in read_jsonl(out / "plain.jsonl")] == ["item-0", "item-1"]
    assert len((tmp_path / "terms.jsonl").read_bytes().splitlines()) == 5


def test_deeply_nested_jsonl_line_is_reported_and_the_other_records_translated(tmp_path, engine, tiny_model):
    source = tmp_path / "items.jsonl"
    first, last = (json.dumps(r, ensure_ascii=False) for r in news_records(2))
    source.write_text(f"{first}\n{'[' * 100_000}\n{last}\n", encoding="utf-8")
    out = tmp_path / "items.en.jsonl"

    result = run("translate", source, "-o", out, "--no-cache", *fast_flags(tiny_model))

    assert result.exit_code == 1
    assert f"error: {source}:2: JSON nested too deeply to read; record skipped" in result.stderr
    assert_one_line_each(result.stderr)
    assert [r["id"] for r in read_jsonl(out)] == ["item-0", "item-1"]


CSV_FAULTS = [
    (b"\xd0\xb0\xd0\xb1\r\xd0\xb2,x\n", "3: a carriage return (CR) inside an unquoted field; quote the field or "
                                         "remove the CR"),
    (b'"' + b"a" * 140_000 + b'",x\n', "3: a field longer than 131,072 characters (a quote that is never closed?)"),
    (b'"never closed,x\n' + "Київ,Kyiv\n".encode() * 20_000,
     "3: a field longer than 131,072 characters (a quote that is never closed?)"),
]


@pytest.mark.parametrize("line, message", CSV_FAULTS, ids=["bare CR", "long field", "unclosed quote"])
def test_csv_glossary_the_csv_module_cannot_read_is_a_glossary_error_with_file_and_line(tmp_path, line, message,
                                                                                      tiny_model):
    glossary = tmp_path / "g.csv"
    glossary.write_bytes("uk,en\nЛьвів,Lviv\n".encode() + line)

    check = run("glossary", "check", glossary)
    assert check.exit_code == 1
    assert check.stdout.splitlines()[0] == f"{glossary}:{message}"

    translate = run("translate", "--glossary", glossary, "--model", tiny_model, input="Привіт.")
    assert translate.exit_code == 2
    assert translate.stderr == f"error: {glossary}:{message}\n"


# -- 7: runs that silently produced wrong output ---------------------------------------------------------------

def test_second_run_onto_an_output_being_written_fails_naming_it(tmp_path, engine, tiny_model):
    source = tmp_path / "items.jsonl"
    write_jsonl(source, news_records(3))
    out = tmp_path / "items.en.jsonl"
    lock = tmp_path / "items.en.jsonl.uk-en-lock"
    with open(lock, "w") as held:  # what the first run holds while it writes
        fcntl.flock(held, fcntl.LOCK_EX)
        second = run("translate", source, "-o", out, "--no-cache", *fast_flags(tiny_model))

    assert second.exit_code == 1
    assert f"error: {out}: another uk-en run is writing it (lock {lock}); file skipped" in second.stderr
    assert not out.exists() and not (tmp_path / "items.en.jsonl.uk-en-part").exists()
    assert engine.calls == 0

    again = run("translate", source, "-o", out, "--no-cache", *fast_flags(tiny_model))
    assert again.exit_code == 0
    assert len(read_jsonl(out)) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.en.jsonl", "items.jsonl"]  # lock file gone


@pytest.mark.parametrize("name", ["items.jsonl", "news.txt"])
def test_input_rewritten_during_the_run_is_reported_and_its_output_not_completed(tmp_path, tiny_engine, tiny_model,
                                                                                monkeypatch, name):
    source = tmp_path / name
    if name.endswith(".jsonl"):
        write_jsonl(source, news_records(6))
        new = "".join(json.dumps({**r, "id": f"new-{i}"}, ensure_ascii=False) + "\n"
                      for i, r in enumerate(news_records(7))).encode()
    else:
        source.write_text("Перша новина.\n", encoding="utf-8")
        new = "Зовсім інша новина.\nІ ще одна.\n".encode()
    def rewrite_before_the_first_call(sources):  # as if someone saved a new version mid-run
        if rewriting.calls == 0:
            source.write_bytes(new)

    rewriting = FakeEngine(wraps=tiny_engine, before_call=rewrite_before_the_first_call)
    monkeypatch.setattr("translate.engines.load_engine", lambda settings: rewriting)
    out = tmp_path / f"en-{name}"

    result = run("translate", source, "-o", out, "--chunk-size", "2", "--no-cache", *fast_flags(tiny_model))

    assert result.exit_code == 1
    assert f"error: {source}: changed while it was being translated; its output was not completed " \
           f"(translate it again)" in result.stderr
    assert not out.exists()

    resumed = run("translate", source, "-o", out, "--resume", "--no-cache", *fast_flags(tiny_model))
    assert resumed.exit_code == 0, resumed.stderr
    if name.endswith(".jsonl"):  # the new content from its start, nothing of the old run
        assert [r["id"] for r in read_jsonl(out)] == [f"new-{i}" for i in range(7)]
    else:
        assert len(out.read_text(encoding="utf-8").splitlines()) == 2


@pytest.mark.parametrize("tamper", [
    "UPDATE memory SET hypothesis = 'garbage' WHERE hypothesis = 'КИЇВ.'",
    # Two valid texts swapped between rows: each row's checksum covers its key too.
    "UPDATE memory SET hypothesis = CASE hypothesis WHEN 'КИЇВ.' THEN 'ЛЬВІВ.' ELSE 'КИЇВ.' END",
], ids=["text altered", "texts swapped"])
def test_altered_memory_rows_are_not_served_but_translated_again(tmp_path, capsys, tamper):
    path = tmp_path / "tm.sqlite3"
    CachedEngine(FakeEngine(), path, settings=settings()).translate_batch(["Київ.", "Львів."])
    with sqlite3.connect(path) as db:
        db.execute(tamper)
    engine = FakeEngine()
    memory = CachedEngine(engine, path, settings=settings())

    assert memory.translate_batch(["Київ.", "Львів."]) == ["КИЇВ.", "ЛЬВІВ."]
    assert "holds altered entries; they are translated again and replaced" in capsys.readouterr().err
    again = FakeEngine()
    memory = CachedEngine(again, path, settings=settings())
    assert memory.translate_batch(["Київ.", "Львів."]) == ["КИЇВ.", "ЛЬВІВ."]
    assert again.sentences == 0  # the altered rows were replaced by good ones


FOREIGN_LAYOUTS = [
    ["CREATE TABLE memory (key TEXT PRIMARY KEY, value TEXT)", "INSERT INTO memory VALUES ('k', NULL)"],
    ["CREATE TABLE memory (key BLOB PRIMARY KEY, hypothesis TEXT NOT NULL) WITHOUT ROWID"],  # an older uk-en
    ["CREATE TABLE memory (key BLOB PRIMARY KEY, hypothesis TEXT NOT NULL, checksum BLOB NOT NULL) WITHOUT ROWID",
     "PRAGMA user_version = 99"],
]


@pytest.mark.parametrize("statements", FOREIGN_LAYOUTS, ids=["other columns, a NULL row", "older uk-en",
                                                            "newer user_version"])
def test_memory_file_with_another_layout_is_rebuilt(tmp_path, capsys, statements):
    path = tmp_path / "tm.sqlite3"
    with sqlite3.connect(path) as db:
        for statement in statements:
            db.execute(statement)
    memory = CachedEngine(FakeEngine(), path, settings=settings())

    assert memory.translate_batch(["Київ."]) == ["КИЇВ."]
    assert "has another layout" in capsys.readouterr().err
    engine = FakeEngine()
    assert CachedEngine(engine, path, settings=settings()).translate_batch(["Київ."]) == ["КИЇВ."]
    assert engine.sentences == 0
    assert capsys.readouterr().err == ""


def test_database_that_is_not_a_memory_is_left_alone_and_translation_goes_on_without_it(tmp_path, capsys):
    path = tmp_path / "app.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (name TEXT)")
        db.execute("INSERT INTO users VALUES ('olena')")
    memory = CachedEngine(FakeEngine(), path, settings=settings())

    assert memory.translate_batch(["Київ."]) == ["КИЇВ."]
    assert f"translation memory {path} is not a translation memory (it has the tables users); translating " \
           f"without it." in capsys.readouterr().err
    assert memory.info()["translation_memory"].startswith("off")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT name FROM users").fetchall() == [("olena",)]


def test_terms_file_being_written_by_another_run_is_one_line_and_the_translation_goes_on(tmp_path, engine,
                                                                                        tiny_model):
    source = tmp_path / "items.jsonl"
    write_jsonl(source, news_records(2))
    out, terms = tmp_path / "items.en.jsonl", tmp_path / "terms.jsonl"
    lock = tmp_path / "terms.jsonl.uk-en-lock"
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run("translate", source, "-o", out, "--terms", terms, "--no-cache", *fast_flags(tiny_model))

    assert result.exit_code == 1
    assert f"error: {terms}: another uk-en run is writing it (lock {lock}); no term report this run, translation " \
           f"goes on" in result.stderr
    assert [r["id"] for r in read_jsonl(out)] == ["item-0", "item-1"]
    assert not terms.exists()

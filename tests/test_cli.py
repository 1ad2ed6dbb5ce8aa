"""The `uk-en` command line on the tiny random-weight model: files, folders, JSONL, pipes, resume, memory, errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakes import FakeEngine
from translate.cli import app
from translate.config import OPTIONS

runner = CliRunner()
UK_SENTENCES = ["Столтенберг прибув до Скоп'є.", "Уряд ухвалив рішення.", "Київ готовий до зими.",
                "Збори проголосували за закон.", "Новина дня: сьогодні тепло."]


def fast_flags(model: Path) -> list[str]:
    """Decoding flags that keep the tiny model quick; the memory off unless a test turns it on; no glossary,
    no document names and no review, whose re-decodes would change the engine calls counted here
    (tests/test_names.py and tests/test_review_cli.py have those)."""
    return ["--model", str(model), "--backend", "transformers", "--device", "cpu", "--beam-size", "1",
            "--max-length-ratio", "0.5", "--max-length-offset", "2", "--no-glossary", "--names", "off",
            "--no-review"]


def news_records(n: int) -> list[dict]:
    return [{"id": f"item-{i}", "title": UK_SENTENCES[i % 5], "date": f"2022-11-{i % 28 + 1:02d}",
             "body": f"{UK_SENTENCES[(i + 1) % 5]} {UK_SENTENCES[(i + 2) % 5]}\n\nАбзац номер {i}.",
             "url": f"https://example.org/{i}"} for i in range(n)]


def write_jsonl(path: Path, records: list[dict], broken_at: int | None = None) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    if broken_at is not None:
        lines.insert(broken_at - 1, '{"id": "broken", "title": "Незакрита')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, [str(a) for a in args], input=input)


# -- JSONL ---------------------------------------------------------------------------------------------------

def test_broken_jsonl_line_is_reported_and_the_other_twenty_records_translated_in_order(tmp_path, engine, tiny_model):
    records = news_records(20)
    source = tmp_path / "items.jsonl"
    write_jsonl(source, records, broken_at=8)
    out = tmp_path / "items.en.jsonl"

    result = run("translate", source, "-o", out, "--fields", "title,body", "--chunk-size", "6", "--no-cache",
                 *fast_flags(tiny_model))

    assert result.exit_code == 1
    assert f"{source}:8: not valid JSON" in result.stderr
    english = read_jsonl(out)
    assert [r["id"] for r in english] == [r["id"] for r in records]
    for before, after in zip(records, english):
        assert list(after) == list(before)  # same fields, same order
        assert (after["date"], after["url"]) == (before["date"], before["url"])
        assert after["title"] != before["title"] and after["body"] != before["body"]
        assert after["body"].count("\n") == before["body"].count("\n")
    assert not list(tmp_path.glob("*.uk-en-*"))  # no part or state file left behind


def test_jsonl_fields_that_are_not_text_are_reported_and_null_fields_pass_through(tmp_path, engine, tiny_model):
    source = tmp_path / "mixed.jsonl"
    source.write_text('{"id": 1, "title": "Уряд ухвалив рішення.", "body": null}\n'
                      '{"id": 2, "title": ["список"], "body": "Київ."}\n'
                      '[1, 2]\n\n'
                      '{"id": 3, "body": "Київ готовий до зими."}\n', encoding="utf-8")
    out = tmp_path / "mixed.en.jsonl"

    result = run("translate", source, "-o", out, "--no-cache", *fast_flags(tiny_model))

    assert result.exit_code == 1
    assert f"{source}:2: field 'title' is list, not text" in result.stderr
    assert f"{source}:3: not a JSON object" in result.stderr
    english = read_jsonl(out)
    assert [r["id"] for r in english] == [1, 3]
    assert english[0]["body"] is None and "title" not in english[1]


def test_jsonl_terms_field_and_terms_file_have_one_entry_per_record(tmp_path, engine, tiny_model):
    records = news_records(5)
    source = tmp_path / "items.jsonl"
    write_jsonl(source, records)
    out, terms = tmp_path / "out.jsonl", tmp_path / "terms.jsonl"

    result = run("translate", source, "-o", out, "--terms", terms, "--terms-field", "terms", "--no-cache",
                 *fast_flags(tiny_model))

    assert result.exit_code == 0, result.stderr
    assert [r["terms"] for r in read_jsonl(out)] == [{"title": [], "body": []}] * 5
    log = read_jsonl(terms)
    assert [(e["input"], e["line"], e["id"]) for e in log] == [(str(source), i + 1, r["id"]) for i, r in enumerate(records)]


# -- text files, folders, pipes ------------------------------------------------------------------------------

def test_folder_with_subfolder_is_mirrored_keeping_each_files_line_count(tmp_path, engine, tiny_model, demo_text):
    src = tmp_path / "news"
    (src / "sport" / "football").mkdir(parents=True)
    files = {
        "nato.txt": demo_text,
        "sport/match.md": "# Матч\n\nКоманда перемогла.\n\n\nФанати раділи.\n",
        "sport/football/crlf.txt": "Перший рядок.\r\nДругий рядок.\r\n\r\n",
        "sport/items.jsonl": json.dumps({"id": 1, "title": "Уряд ухвалив рішення."}, ensure_ascii=False) + "\n",
    }
    for name, text in files.items():
        (src / name).write_bytes(text.encode("utf-8"))
    (src / "photo.jpg").write_bytes(b"\xff\xd8\xff")  # not text: not an input
    out = tmp_path / "english"

    result = run("translate", src, "-o", out, "--no-cache", *fast_flags(tiny_model))

    assert result.exit_code == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted(files)
    for name, text in files.items():
        english = (out / name).read_bytes().decode("utf-8")
        assert english != text
        assert len(english.splitlines()) == len(text.splitlines())
        assert english.count("\r\n") == text.count("\r\n")


def test_undecodable_file_is_reported_with_its_line_and_the_rest_translated(tmp_path, engine, tiny_model):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Уряд ухвалив рішення.\n", encoding="utf-8")
    (src / "bad.txt").write_bytes("Перший рядок.\nДругий ".encode() + b"\xff\xfe" + " рядок.\n".encode())
    out = tmp_path / "out"

    result = run("translate", src, "-o", out, "--no-cache", *fast_flags(tiny_model))

    assert result.exit_code == 1
    assert f"{src / 'bad.txt'}:2: not valid UTF-8" in result.stderr
    assert (out / "good.txt").exists() and not (out / "bad.txt").exists()


def test_stdin_to_stdout_keeps_the_layout(engine, tiny_model):
    text = "  Перший абзац. Друге речення.\r\n\r\n\tДругий абзац.\n   \n22.11.2022\n\n"

    result = run("translate", "--no-cache", *fast_flags(tiny_model), input=text.encode("utf-8"))

    assert result.exit_code == 0, result.stderr
    english = result.stdout_bytes.decode("utf-8")
    assert english.splitlines(keepends=True)[1] == "\r\n"
    assert english.splitlines()[3:] == ["   ", "22.11.2022", ""]
    assert english.startswith("  ") and english.endswith("\n\n") and english.count("\r\n") == 2
    assert "Перший" not in english


def test_installed_console_script_translates_a_pipe(tiny_model, tmp_path):
    script = shutil.which("uk-en", path=str(Path(sys.executable).parent))
    assert script, "the project is not installed in this environment (pip install -e .)"
    text = "Уряд ухвалив рішення.\n\nКиїв готовий до зими.\n"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")}

    done = subprocess.run([script, "translate", *fast_flags(tiny_model)], input=text.encode(), env=env,
                          capture_output=True, timeout=300)

    assert done.returncode == 0, done.stderr.decode()
    english = done.stdout.decode("utf-8")
    assert english.count("\n") == 3 and english.split("\n")[1] == "" and "Уряд" not in english
    assert b"Traceback" not in done.stderr
    assert (tmp_path / "cache" / "uk-en" / "tm.sqlite3").exists()  # the memory is on by default


# -- unattended safety ---------------------------------------------------------------------------------------

KILLING_DRIVER = textwrap.dedent("""
    import os, signal, sys
    import translate.engines as engines

    real_load = engines.load_engine
    limit = int(os.environ["KILL_AFTER_ENGINE_CALLS"])

    sys.path.insert(0, os.environ["TESTS_FOLDER"])
    from fakes import FakeEngine

    def kill_at_the_limit(sources):
        if killed.calls == limit:
            os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no exception handler runs

    killed = None

    def load(settings):
        global killed
        killed = FakeEngine(wraps=real_load(settings), before_call=kill_at_the_limit)
        return killed

    engines.load_engine = load
    from translate.cli import main
    sys.argv[0] = "uk-en"
    main()
""")


def test_run_killed_part_way_then_resumed_gives_every_record_exactly_once(tmp_path, tiny_model, engine):
    records = news_records(20)
    source = tmp_path / "items.jsonl"
    write_jsonl(source, records, broken_at=3)
    out = tmp_path / "items.en.jsonl"
    driver = tmp_path / "driver.py"
    driver.write_text(KILLING_DRIVER, encoding="utf-8")
    args = ["translate", str(source), "-o", str(out), "--chunk-size", "4", "--no-cache", *fast_flags(tiny_model)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "KILL_AFTER_ENGINE_CALLS": "3",
           "TESTS_FOLDER": str(Path(__file__).parent)}

    killed = subprocess.run([sys.executable, str(driver), *args], env=env, capture_output=True, timeout=300)

    assert killed.returncode == -9, killed.stderr.decode()
    assert not out.exists()  # nothing that looks finished
    part = out.with_name(out.name + ".uk-en-part")
    assert len(part.read_text(encoding="utf-8").splitlines()) == 12  # three chunks of four were saved

    resumed = run(*args, "--resume")

    assert resumed.exit_code == 1  # the broken line 3 is still missing from the output, and said so
    assert f"{source}:3: not valid JSON" in resumed.stderr
    assert [r["id"] for r in read_jsonl(out)] == [r["id"] for r in records]
    assert engine.calls == 2  # the resumed run translated only the last two chunks of four
    assert not part.exists()


def test_ctrl_c_stops_cleanly_and_resume_continues_without_duplicates(tmp_path, tiny_engine, monkeypatch, tiny_model):
    records = news_records(12)
    source = tmp_path / "items.jsonl"
    write_jsonl(source, records)
    out, terms = tmp_path / "out" / "items.jsonl", tmp_path / "terms.jsonl"
    args = ["translate", source, "-o", out, "--terms", terms, "--chunk-size", "5", "--no-cache",
            *fast_flags(tiny_model)]
    def ctrl_c_after_the_first_call(sources):
        if interrupting.calls >= 1:
            raise KeyboardInterrupt

    interrupting = FakeEngine(wraps=tiny_engine, before_call=ctrl_c_after_the_first_call)
    monkeypatch.setattr("translate.engines.load_engine", lambda settings: interrupting)

    stopped = run(*args)

    assert stopped.exit_code == 130
    assert "--resume" in stopped.stderr and "Traceback" not in stopped.output
    assert not out.exists()

    finishing = FakeEngine(wraps=tiny_engine)
    monkeypatch.setattr("translate.engines.load_engine", lambda settings: finishing)
    resumed = run(*args, "--resume")

    assert resumed.exit_code == 0, resumed.stderr
    assert [r["id"] for r in read_jsonl(out)] == [r["id"] for r in records]
    assert [e["line"] for e in read_jsonl(terms)] == list(range(1, 13))
    assert finishing.calls == 2  # chunks 2 and 3; chunk 1 was kept from the interrupted run


def test_resume_skips_finished_text_files(tmp_path, engine, tiny_model):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"{i}.txt").write_text(UK_SENTENCES[i] + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run("translate", src, "-o", out, "--no-cache", *fast_flags(tiny_model)).exit_code == 0
    (out / "1.txt").unlink()
    engine.batches.clear()

    result = run("translate", src, "-o", out, "--resume", "--no-cache", *fast_flags(tiny_model))

    assert result.exit_code == 0, result.stderr
    assert engine.sentences == 1 and (out / "1.txt").exists()


def test_resume_after_a_finished_run_keeps_the_terms_report(tmp_path, engine, tiny_model):
    source = tmp_path / "items.jsonl"
    write_jsonl(source, news_records(3))
    out, terms = tmp_path / "items.en.jsonl", tmp_path / "terms.jsonl"
    args = ("translate", source, "-o", out, "--terms", terms, "--no-cache", *fast_flags(tiny_model))
    assert run(*args).exit_code == 0

    resumed = run(*args, "--resume")

    assert resumed.exit_code == 0, resumed.stderr
    assert [e["line"] for e in read_jsonl(terms)] == [1, 2, 3]
    assert len(read_jsonl(out)) == 3


def test_second_run_of_the_same_input_is_served_by_the_translation_memory(tmp_path, engine, tiny_model):
    source = tmp_path / "items.jsonl"
    write_jsonl(source, news_records(8))
    memory = tmp_path / "tm.sqlite3"
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"

    assert run("translate", source, "-o", first, "--cache", memory, *fast_flags(tiny_model)).exit_code == 0
    calls_first = engine.calls
    result = run("translate", source, "-o", second, "--cache", memory, *fast_flags(tiny_model))

    assert result.exit_code == 0, result.stderr
    assert calls_first > 0 and engine.calls == calls_first  # the second run never reached the model
    assert second.read_bytes() == first.read_bytes()
    assert "from the translation memory" in result.stderr


# -- errors and help -----------------------------------------------------------------------------------------

def test_missing_model_is_one_sentence_with_exit_status_2(tmp_path):
    result = run("translate", "--model", str(tmp_path / "nowhere"), "--no-cache", input="Привіт.")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: Model folder") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_bad_setting_is_one_sentence_with_exit_status_2(tiny_model):
    result = run("translate", "--model", str(tiny_model), "--beam-size", "0", "--no-cache", input="Привіт.")
    assert result.exit_code == 2
    assert "--beam-size must be at least 1" in result.stderr and "Traceback" not in result.output


def test_missing_glossary_file_is_reported_before_the_model_loads(tmp_path, monkeypatch):
    monkeypatch.setattr("translate.engines.load_engine", lambda settings: pytest.fail("model loaded first"))
    result = run("translate", "--model", "x", "--glossary", str(tmp_path / "none.tsv"), "--no-cache", input="Привіт.")
    assert result.exit_code == 2 and "none.tsv" in result.stderr


def test_output_over_its_own_input_is_refused(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Привіт.\n", encoding="utf-8")
    result = run("translate", source, "-o", source, "--no-cache")
    assert result.exit_code == 2 and "overwrite" in result.stderr
    assert source.read_text(encoding="utf-8") == "Привіт.\n"


def test_resume_needs_an_output(tmp_path):
    result = run("translate", "--resume", input="Привіт.")
    assert result.exit_code == 2 and "--resume" in result.stderr


def test_verbose_says_which_engine_runs_and_why(engine, tiny_model):
    result = run("translate", "--verbose", "--no-cache", *fast_flags(tiny_model), input="Привіт.")
    assert result.exit_code == 0, result.stderr
    assert "engine: transformers" in result.stderr and "backend_reason" in result.stderr


def test_every_setting_of_the_options_table_is_a_flag_of_translate_and_eval():
    for command in ("translate", "eval", "serve"):
        help_text = run(command, "--help").stdout
        for option in OPTIONS:
            assert "--" + option.name.replace("_", "-") in help_text, (command, option.name)
        assert "--no-glossary" in help_text and "--config" in help_text


@pytest.mark.parametrize("args", [["--help"], ["translate", "--help"], ["eval", "--help"], ["glossary", "--help"],
                                  ["glossary", "check", "--help"], ["glossary", "show", "--help"]])
def test_help_of_every_command_reads_without_error(args):
    result = run(*args)
    assert result.exit_code == 0 and result.stdout.startswith("Usage: uk-en")


# -- glossary ------------------------------------------------------------------------------------------------

BROKEN_GLOSSARY = [
    ("uk\ten\toptions\tnote", None),
    ("Столтенберг\tStoltenberg", None),
    ("лише одна колонка", "expected 2 to 4 tab-separated columns"),
    ("\tEmpty source", "empty source"),
    ("Збори\t", "empty target"),
    (b"\xff\xfe\tbytes".decode("latin-1"), "invalid UTF-8"),
    ("Скоп'є\tSkopje\tcolour=blue", "unknown option"),
    ("Столтенберг\tStoltenberg Jr", "already listed on line 2"),
    ("a\tb\tc\td\te", "expected 2 to 4"),
    ("Київ\tKyiv", None),
]


def test_glossary_check_lists_every_kind_of_error_with_its_line(tmp_path):
    path = tmp_path / "terms.tsv"
    data = b"\n".join(line.encode("latin-1") if "bytes" in line else line.encode("utf-8")
                      for line, _ in BROKEN_GLOSSARY) + b"\n"
    path.write_bytes(data)

    result = run("glossary", "check", path)

    assert result.exit_code == 1
    reported = result.stdout.splitlines()
    for number, (_, error) in enumerate(BROKEN_GLOSSARY, 1):
        mine = [line for line in reported if line.startswith(f"{path}:{number}: ")]
        if error is None:
            assert not mine, mine
        else:
            assert len(mine) == 1 and error in mine[0], (number, error, reported)
    assert reported[-1] == f"{path}: 2 entries, 7 error(s), 0 warning(s)"


def test_glossary_check_warns_about_colliding_forms_and_forms_it_could_not_generate(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("Київ\tKyiv\nКиєва\tKyiv city\nМелоні\tMeloni\n", encoding="utf-8")

    result = run("glossary", "check", path)

    assert result.exit_code == 0, result.stdout
    assert f"{path}:1: warning: the form 'Києва' of 'Київ' is also a form of 'Києва' ({path}:2)" in result.stdout
    assert f"{path}:3: warning: no inflected forms known for 'Мелоні'" in result.stdout
    assert run("glossary", "check", "--strict", path).exit_code == 1


def test_glossary_check_of_a_csv_without_header_stops_at_the_header(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text("Київ,Kyiv\nЛьвів,Lviv\n", encoding="utf-8")
    result = run("glossary", "check", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{path}:1: a CSV glossary starts with the header row uk,en[,options][,note]",
                                          f"{path}: 0 entries, 1 error(s), 0 warning(s)"]


def test_glossary_show_prints_the_entry_and_forms_for_any_inflected_form(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("Північна Македонія\tNorth Macedonia\nСтолтенберг\tStoltenberg\t\tNATO chief\n", encoding="utf-8")

    result = run("glossary", "show", path, "Столтенбергом")

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Столтенберг → Stoltenberg") and f"{path}:2" in lines[0]
    assert "  note: NATO chief" in lines
    assert {"  Столтенберга", "  Столтенбергом"} <= set(lines)
    shown = run("glossary", "show", path, "Північної Македонії")
    assert "  Північної Македонії" in shown.stdout.splitlines()
    missing = run("glossary", "show", path, "Шмигаль")
    assert missing.exit_code == 1 and "no entry" in missing.stderr


def test_glossary_show_lists_the_other_number_with_its_english(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("посол\tambassador\n", encoding="utf-8")

    lines = run("glossary", "show", path, "послів").stdout.splitlines()

    other = lines.index("  in the other number → ambassadors:")
    assert {"  посла", "  послом"} <= set(lines[:other])
    assert {"  посли", "  послів", "  послами"} <= set(lines[other:])


def test_terms_report_shows_glossary_terms_enforced_in_each_file(tmp_path, engine, tiny_model):
    glossary = tmp_path / "g.tsv"
    glossary.write_text("Столтенберг\tStoltenberg\nСкоп'є\tSkopje\n", encoding="utf-8")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Вступ.\nСтолтенберг прибув до Скоп'є.\n", encoding="utf-8")
    (src / "b.txt").write_text("Нічого.\n", encoding="utf-8")
    out, terms = tmp_path / "out", tmp_path / "terms.jsonl"
    flags = [f for f in fast_flags(tiny_model) if f != "--no-glossary"]

    result = run("translate", src, "-o", out, "--terms", terms, "--glossary", glossary, "--no-cache", *flags)

    assert result.exit_code == 0, result.stderr
    log = {Path(e["input"]).name: e["terms"] for e in read_jsonl(terms)}
    assert [(t["surface"], t["target"], t["applied"]) for t in log["a.txt"]] == [
        ("Столтенберг", "Stoltenberg", True), ("Скоп'є", "Skopje", True)]
    assert log["a.txt"][0]["start"] == len("Вступ.\n")  # offsets into the whole file
    assert log["b.txt"] == []
    english = (out / "a.txt").read_text(encoding="utf-8").splitlines()[1]
    assert "Stoltenberg" in english and "Skopje" in english


def test_serve_refuses_a_bad_setting_before_starting_anything():
    result = run("serve", "--beam-size", "0", "--port", "0")
    assert result.exit_code == 2
    assert result.stderr == "error: --beam-size must be at least 1, got 0\n"


# -- first-run rough edges -------------------------------------------------------------------------------------

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_outputs_honour_the_umask_like_open_does(tmp_path, engine, tiny_model, umask, mode):
    src = tmp_path / "in"
    src.mkdir()
    (src / "news.txt").write_text("Уряд ухвалив рішення.\n", encoding="utf-8")
    write_jsonl(src / "items.jsonl", news_records(2))
    out, terms = tmp_path / "out", tmp_path / "terms.jsonl"
    previous = os.umask(umask)
    try:
        result = run("translate", src, "-o", out, "--terms", terms, "--no-cache", *fast_flags(tiny_model))
    finally:
        os.umask(previous)

    assert result.exit_code == 0, result.stderr
    for path in (out / "news.txt", out / "items.jsonl", terms):
        assert path.stat().st_mode & 0o777 == mode, path


@pytest.mark.parametrize("output", [None, "out.txt"])
def test_mistyped_single_input_file_is_no_such_file(tmp_path, monkeypatch, output):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("translate.engines.load_engine", lambda settings: pytest.fail("model loaded"))
    result = run("translate", "nosuch.txt", *(["-o", output] if output else []), "--no-cache")
    assert result.exit_code == 2
    assert result.stderr == "error: nosuch.txt: no such file or folder\n"


class RecordingProgress:
    """A Progress that keeps every event the job sends it."""

    def __init__(self):
        self.events = []

    def __getattr__(self, name):
        return lambda *args: self.events.append((name, *args))


def test_progress_of_one_jsonl_file_counts_its_lines_as_chunks_finish(tmp_path, fast_translator):
    from translate.batch import Job, JsonlUnit

    source = tmp_path / "items.jsonl"
    write_jsonl(source, news_records(7), broken_at=3)  # 8 lines, the third unreadable
    progress = RecordingProgress()

    report = Job(fast_translator, chunk_items=3, progress=progress).run(
        [JsonlUnit(source, tmp_path / "out.jsonl", fields=["title"])])

    assert report.items_done == 7
    # Chunks of three records: lines 1-2 and 4 (the unreadable line 3 counted with the record after it),
    # then 5-7, then 8.
    assert progress.events == [("start", 1), ("expect", 8), ("advance", 4), ("advance", 3), ("advance", 1),
                               ("unit_done",), ("stop",)]


def test_progress_of_one_long_text_file_moves_part_by_part_to_its_line_count(tmp_path, fast_translator):
    from translate.batch import DocumentUnit, Job

    line = "Уряд ухвалив рішення. " * 9 + "\n"  # 199 characters: ten lines fill a part of 2,000
    source = tmp_path / "long.txt"
    source.write_text(line * 30 + "Кінець.", encoding="utf-8")  # 31 lines, the last without a line break
    progress = RecordingProgress()

    Job(fast_translator, chunk_items=1, progress=progress).run([DocumentUnit(source, tmp_path / "long.en.txt")])

    # Three parts of ten lines; the last line, without a line break, fits into the third.
    assert progress.events == [("start", 1), ("expect", 31), ("advance", 10), ("advance", 10), ("advance", 11),
                               ("unit_done",), ("stop",)]


def test_translate_enforces_the_shipped_glossary_without_any_glossary_flag(tmp_path, engine, tiny_model):
    source = tmp_path / "news.txt"
    source.write_text("Мер Києва виступив.\n", encoding="utf-8")
    terms = tmp_path / "terms.jsonl"
    flags = [f for f in fast_flags(tiny_model) if f != "--no-glossary"]

    result = run("translate", source, "-o", tmp_path / "news.en.txt", "--terms", terms, "--no-cache", *flags)

    assert result.exit_code == 0, result.stderr
    [entry] = read_jsonl(terms)
    assert [(t["surface"], t["target"], t["applied"]) for t in entry["terms"]] == [("Києва", "Kyiv", True)]
    assert "Kyiv" in (tmp_path / "news.en.txt").read_text(encoding="utf-8")

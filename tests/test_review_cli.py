"""The review on the command line (`uk-en translate --review FILE` and its summary, `uk-en review --src --hyp`)
and on the HTTP API (`"review": true`), with FakeEngine (the source upper-cased: every sentence a copy, so
every sentence is flagged) or no model at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes import FakeEngine
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from translate import Translator
from translate.cli import app
from translate.host import TranslatorHost
from translate.http_api import create_api

runner = CliRunner()

SOURCES = ["У 2023 році загинули 25 людей.", "Привіт.", "Столтенберг приїхав до Києва 22 листопада.", "Дякую."]
HYPOTHESES = ["In 2023, 26 people died.", "Hello hello hello.", "Stoltenberg came to Kiev on 22 October.", "Thanks."]


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def fake_engine(monkeypatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr("translate.engines.load_engine", lambda settings: fake)
    return fake


@pytest.fixture
def test_set(tmp_path) -> tuple[Path, Path]:
    src, hyp = tmp_path / "test.uk", tmp_path / "test.en"
    src.write_text("\n".join(SOURCES) + "\n", encoding="utf-8")
    hyp.write_text("\n".join(HYPOTHESES) + "\n", encoding="utf-8")
    return src, hyp


def test_review_command_lists_each_flag_by_line_and_sums_up(test_set):
    src, hyp = test_set
    result = run("review", "--src", src, "--hyp", hyp)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{hyp}:1: number: “25” in the source is not in the English",
        f"{hyp}:2: repetition: “Hello” is repeated 3 times in a row",
        f"{hyp}:3: number: “22 листопада” in the source is not in the English",
        f"{hyp}:3: term: the glossary term “Києва” → “Kyiv” is not in the English",
        "3 of 4 lines need review",
    ]


def test_review_command_json_has_one_object_per_line_with_its_flags(test_set):
    src, hyp = test_set
    result = run("review", "--src", src, "--hyp", hyp, "--json", "--no-glossary")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["line"] for line in lines] == [1, 2, 3, 4]
    assert [[f["kind"] for f in line["flags"]] for line in lines] == [["number"], ["repetition"], ["number"], []]
    assert lines[1]["flags"][0] == {"kind": "repetition", "reason": "“Hello” is repeated 3 times in a row",
                                    "start": 0, "end": 17, "sentence_start": 0, "sentence_end": 18}
    assert result.stderr.strip() == "3 of 4 lines need review"


def test_review_command_refuses_files_that_are_not_aligned(test_set):
    src, hyp = test_set
    hyp.write_text("One line.\n", encoding="utf-8")
    result = run("review", "--src", src, "--hyp", hyp)
    assert result.exit_code == 2
    assert f"files are not aligned line by line: {src} has 4, {hyp} has 1 lines" in result.stderr


def test_translate_writes_the_flags_and_says_how_many_sentences_need_review(tmp_path, fake_engine):
    source = tmp_path / "news.txt"
    source.write_text("Перше речення. Друге речення.\n\nТак так так.\n", encoding="utf-8")
    out, review = tmp_path / "news.en.txt", tmp_path / "review.jsonl"
    result = run("translate", source, "-o", out, "--review", review, "--no-cache", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert "3 of 3 sentences need review (flags in " in result.stderr
    [entry] = [json.loads(line) for line in review.read_text(encoding="utf-8").splitlines()]
    assert entry["input"] == str(source) and entry["sentences"] == 3 and "terms" not in entry
    english = out.read_text(encoding="utf-8")
    assert [english[f["start"]:f["end"]] for f in entry["flags"]] == [
        "ПЕРШЕ РЕЧЕННЯ.", "ДРУГЕ РЕЧЕННЯ.", "ТАК ТАК ТАК", "ТАК ТАК ТАК."]


def test_translate_jsonl_review_lines_have_the_flags_of_each_field(tmp_path, fake_engine):
    source = tmp_path / "items.jsonl"
    source.write_text(json.dumps({"id": 7, "title": "Привіт.", "body": "Це 25 людей."}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    review, terms = tmp_path / "review.jsonl", tmp_path / "terms.jsonl"
    result = run("translate", source, "-o", tmp_path / "out.jsonl", "--review", review, "--terms", terms,
                 "--no-cache", "--no-glossary")
    assert result.exit_code == 0, result.output
    [entry] = [json.loads(line) for line in review.read_text(encoding="utf-8").splitlines()]
    assert (entry["line"], entry["id"], entry["sentences"]) == (1, 7, 2)
    assert {name: [f["kind"] for f in flags] for name, flags in entry["flags"].items()} == {
        "title": ["untranslated"], "body": ["untranslated"]}
    [term_entry] = [json.loads(line) for line in terms.read_text(encoding="utf-8").splitlines()]
    assert set(term_entry) == {"input", "line", "id", "terms"}


def test_no_review_turns_the_review_off(tmp_path, fake_engine):
    source = tmp_path / "news.txt"
    source.write_text("Так так так.\n", encoding="utf-8")
    result = run("translate", source, "-o", tmp_path / "out.txt", "--no-review", "--no-cache", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert "need review" not in result.stderr and "needs review" not in result.stderr
    assert fake_engine.calls == 1  # no re-decode either


def test_review_file_and_no_review_contradict_each_other(tmp_path, fake_engine):
    source = tmp_path / "news.txt"
    source.write_text("Привіт.\n", encoding="utf-8")
    result = run("translate", source, "--review", tmp_path / "r.jsonl", "--no-review", "--no-glossary")
    assert result.exit_code == 2
    assert "--review FILE and --no-review contradict each other" in result.stderr


@pytest.fixture(scope="module")
def client():
    with TestClient(create_api(TranslatorHost(Translator(engine=FakeEngine(), glossary=None)))) as client:
        yield client


def test_api_returns_the_flags_when_asked(client):
    answer = client.post("/translate", json={"q": "Так так так.", "source": "uk", "target": "en", "review": True})
    assert answer.status_code == 200, answer.text
    assert [(f["kind"], f["start"], f["end"]) for f in answer.json()["flags"]] == [
        ("repetition", 0, 11), ("untranslated", 0, 12)]


def test_api_flags_are_a_list_per_item_and_absent_unless_asked(client):
    answer = client.post("/translate", json={"q": ["Так так так.", "Hello."], "source": "uk", "review": "true"}).json()
    assert [[f["kind"] for f in flags] for flags in answer["flags"]] == [["repetition", "untranslated"], []]
    assert "flags" not in client.post("/translate", json={"q": "Так так так.", "source": "uk"}).json()


def test_api_refuses_a_review_that_is_not_yes_or_no(client):
    answer = client.post("/translate", json={"q": "Привіт.", "source": "uk", "review": "maybe"})
    assert answer.status_code == 400
    assert answer.json() == {"error": "Invalid request: 'review' must be true or false."}


def test_api_schema_describes_the_flags(client):
    openapi = client.get("/openapi.json").json()
    flag = openapi["components"]["schemas"]["Flag"]["properties"]
    assert set(flag) == {"kind", "reason", "start", "end", "sentence_start", "sentence_end"}
    assert flag["kind"]["description"] == "What failed: repetition, length, untranslated, number or term."
    request = openapi["paths"]["/translate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert request["properties"]["review"]["type"] == "boolean"

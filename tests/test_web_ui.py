"""The web demo: gradio_client calls against a live local server, the page's helpers, and `python app.py` errors."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from translate import web
from translate.pipeline import Translation
from translate.terms import TermReport

from servers import running

# gradio's own pandas calls warn under pandas 3; nothing to do with this project.
pytestmark = [pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

DEMO_TERMS = [("Столтенберг", "Stoltenberg"), ("Північна Македонія", "North Macedonia"), ("НАТО", "NATO"),
              ("Західні Балкани", "Western Balkans")]


@pytest.fixture(scope="module")
def glossary_translator(translator):
    """The session's tiny-model translator with a small demo glossary (the engine is shared, not reloaded)."""
    from translate import Glossary, Translator

    return Translator.from_settings(translator.settings, engine=translator.engine,
                                    glossary=Glossary.from_pairs(DEMO_TERMS))


@pytest.fixture(scope="module")
def live_server(glossary_translator) -> Iterator[str]:
    with running(web.create_app(glossary_translator)) as url:
        yield url


@pytest.fixture(scope="module")
def ui(live_server):
    from gradio_client import Client

    return Client(live_server + "/", verbose=False)


@pytest.fixture(scope="module")
def demo_start(demo_text) -> str:
    """The demo item's first paragraphs (with its blank line): the whole item takes the tiny model too long."""
    return "\n".join(demo_text.split("\n")[:4]) + "\n"


def table(rows):
    return {"headers": ["uk", "en"], "data": [list(r) for r in rows], "metadata": None}


# -------------------------------------------------------------------------------------------- live server
def test_gradio_client_translate_keeps_paragraphs_and_highlights_terms(ui, demo_start):
    html, english, terms, status = ui.predict(demo_start, api_name="/translate")
    assert english.splitlines() != demo_start.splitlines()
    assert web.paragraph_count(english) == web.paragraph_count(demo_start) == 3
    def blank_lines(text):
        return [not line.strip() for line in text.split("\n")]

    assert blank_lines(english) == blank_lines(demo_start)
    rows = terms["data"]
    assert {row[2] for row in rows} == {target for _, target in DEMO_TERMS}
    applied = {row[2] for row in rows if row[3] == "applied"}
    assert applied, "the repair step puts terms in even with random weights"
    for target in applied:
        assert f">{target}</mark>" in html
    for source, _, target, state in rows:
        if state == "MISSED":  # a random-weight model's output cap can leave no room for a term
            assert f"{source} → {target}</mark>" in html
    missed = sum(row[3] == "MISSED" for row in rows)
    assert f"{len(rows)} glossary terms ({sum(row[3] == 'applied' for row in rows)} applied, {missed} missed" in status


def test_session_glossary_applies_to_that_call_only(ui):
    text = "Столтенберг прилетів до Скоп'є."
    _, english, terms, _ = ui.predict(text, table([("Скоп'є", "Skopje"), ("", "")]), api_name="/translate")
    assert "Skopje" in english
    assert {row[2] for row in terms["data"]} == {"Stoltenberg", "Skopje"}
    _, _, terms_after, _ = ui.predict(text, api_name="/translate")
    assert {row[2] for row in terms_after["data"]} == {"Stoltenberg"}


def test_half_filled_session_glossary_row_is_reported(ui):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="row 2"):
        ui.predict("Привіт.", table([("Скоп'є", "Skopje"), ("Київ", "")]), api_name="/translate")


def test_text_over_the_limit_is_refused_in_the_page(ui):
    # The page's requests have the API's body limit, so the text never reaches the handler.
    with pytest.raises(httpx.HTTPStatusError) as refused:
        ui.predict("Привіт. " * 8_000, api_name="/translate")
    assert refused.value.response.status_code == 413 and "limit" in refused.value.response.json()["error"]


def test_file_tab_translates_jsonl_fields_and_keeps_the_rest(ui, tmp_path):
    from gradio_client import handle_file

    records = [{"id": 1, "title": "Столтенберг у Скоп'є", "body": "Перший абзац.\nДругий абзац.", "url": "u1"},
               {"id": 2, "text": "НАТО", "lang": "uk"}]
    source = tmp_path / "news.jsonl"
    source.write_text(json.dumps(records[0], ensure_ascii=False) + "\n{broken\n"
                      + json.dumps(records[1], ensure_ascii=False) + "\n", encoding="utf-8")
    output, status = ui.predict(handle_file(str(source)), api_name="/translate_file")
    assert Path(output).name == "news.en.jsonl"
    translated = [json.loads(line) for line in Path(output).read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in translated] == [1, 2]
    assert translated[0]["url"] == "u1" and translated[1]["lang"] == "uk"
    assert "Stoltenberg" in translated[0]["title"] and "NATO" in translated[1]["text"]
    assert translated[0]["body"].count("\n") == 1
    assert "line 2" in status and "3 fields translated" in status


def test_file_tab_translates_a_text_file_with_its_layout(ui, tmp_path, demo_start):
    from gradio_client import handle_file

    source = tmp_path / "item.uk.txt"
    source.write_bytes(demo_start.replace("\n", "\r\n").encode("utf-8"))
    output, status = ui.predict(handle_file(str(source)), api_name="/translate_file")
    assert Path(output).name == "item.en.txt"
    english = Path(output).read_bytes().decode("utf-8")
    assert english.count("\r\n") == demo_start.count("\n") and english.endswith("\r\n")
    assert web.paragraph_count(english) == web.paragraph_count(demo_start)
    assert "item.uk.txt" in status


def test_page_and_api_are_served_together(live_server):
    page = httpx.get(live_server + "/")
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert httpx.get(live_server + "/docs").status_code == 200
    answer = httpx.post(live_server + "/translate", json={"q": "Привіт", "source": "uk", "target": "en"})
    assert answer.status_code == 200 and answer.json()["translatedText"]


def test_declared_oversized_body_is_refused_before_it_is_sent(live_server):
    host, port = live_server.removeprefix("http://").split(":")
    started = time.perf_counter()
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        # Headers promising 3 MB, then only the first bytes: the answer must not wait for the rest.
        conn.sendall(b"POST /translate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 3000000\r\n\r\n{\"q\": \"")
        response = b""
        while chunk := conn.recv(65536):
            response += chunk
    assert time.perf_counter() - started < 5
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert "limit" in json.loads(body)["error"]
    assert httpx.post(live_server + "/translate", json={"q": "Привіт"}).status_code == 200


# ------------------------------------------------------------------------------------------------ helpers
def test_parts_report_term_offsets_into_the_whole_text(glossary_translator):
    text = "\n".join(f"Столтенберг говорив про НАТО вже {n} раз." for n in range(60))
    calls = []
    translations = web.translate_with_progress(web.TranslatorHost(glossary_translator), [text], [],
                                               report=lambda done, total: calls.append((done, total)))
    terms = translations[0].terms
    assert len(calls) > 2 and calls[-1][0] == calls[-1][1]
    assert len(terms) == 120
    assert all(text[t.start:t.end] == t.surface for t in terms)
    assert web.paragraph_count(translations[0].text) == 60


def test_highlighted_output_escapes_html_and_marks_applied_and_missed_terms():
    translation = Translation("<b>Stoltenberg</b> & Stoltenberg's visit\n\nSecond", [
        TermReport(surface="Столтенберг", headword="Столтенберг", target="Stoltenberg", start=0, end=11,
                   applied=True),
        TermReport(surface="Скоп'є", headword="Скоп'є", target="Skopje", start=20, end=26, applied=False),
    ])
    html = web.highlight_html(translation)
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert html.count('class="term-applied"') == 2
    assert 'class="term-missed"' in html and "Скоп&#x27;є → Skopje" in html
    assert "\n\nSecond" in html and "white-space:pre-wrap" in html


def test_session_glossary_table_skips_blank_rows_and_refuses_half_filled_ones():
    from translate.errors import TranslateError

    assert web.table_pairs([["Скоп'є", " Skopje "], ["", ""], [None, None]]) == [("Скоп'є", "Skopje")]
    with pytest.raises(TranslateError, match="row 2"):
        web.table_pairs([["Київ", "Kyiv"], ["", "Lviv"]])


def test_session_glossary_round_trips_through_a_tsv_file(tmp_path):
    pairs = [("Скоп'є", "Skopje"), ("Збройні сили України", "Armed Forces of Ukraine")]
    assert web.glossary_file_pairs(web.write_tsv(pairs, tmp_path)) == pairs


# ------------------------------------------------------------------------------------- python app.py errors
def test_server_flags_are_generated_from_every_option(capsys):
    from translate.config import OPTIONS

    assert web.main(["--help"]) == 0
    help_text = capsys.readouterr().out
    for flag in ["--config", "--host", "--port", "--api-key", "--max-request-bytes", "--max-items", "--body-timeout",
                 "--max-glossary-pairs", "--max-glossary-chars"]:
        assert flag in help_text
    for option in OPTIONS:
        assert "--" + option.name.replace("_", "-") in help_text


def test_unloadable_model_prints_one_sentence_and_exits_non_zero(tmp_path, capsys):
    assert web.main(["--model", str(tmp_path / "no-model"), "--port", "0"]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "no-model" in lines[0] and "Traceback" not in err
    assert "Web demo:" not in err


def test_model_failing_after_the_server_started_never_announces_the_address(tmp_path, monkeypatch, capsys):
    import threading

    import uvicorn

    from translate.errors import ModelLoadError
    from translate.pipeline import Translator

    serving = threading.Event()
    startup = uvicorn.Server.startup

    async def started(self, *args, **kwargs):
        await startup(self, *args, **kwargs)
        serving.set()

    def fail_once_serving(settings):
        assert serving.wait(120), "the server never started"
        raise ModelLoadError(f"Model folder {tmp_path / 'gone'} does not exist.")

    monkeypatch.setattr(uvicorn.Server, "startup", started)
    monkeypatch.setattr(Translator, "from_settings", staticmethod(fail_once_serving))
    assert web.main(["--model", str(tmp_path / "gone"), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "error: Model folder" in err and "Web demo:" not in err


def test_bad_setting_exits_non_zero_naming_it(capsys):
    assert web.main(["--beam-size", "0", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err == "error: --beam-size must be at least 1, got 0\n"


def test_bad_glossary_file_exits_non_zero_naming_the_line(tiny_model, tmp_path, capsys):
    glossary = tmp_path / "bad.tsv"
    glossary.write_text("uk\ten\nСтолтенберг\tStoltenberg\nбез перекладу\n", encoding="utf-8")
    assert web.main(["--model", str(tiny_model), "--glossary", str(glossary), "--port", "0"]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "bad.tsv" in lines[0] and "3" in lines[0] and "Traceback" not in err


def test_busy_port_exits_non_zero_saying_so(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert web.main(["--port", str(port)]) == 2
    assert f"127.0.0.1:{port}" in capsys.readouterr().err

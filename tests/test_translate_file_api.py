"""LibreTranslate's file translation (`POST /translate_file`, `GET /download_file/…`) and `format=html` on
`/translate`, as LibreTranslate's clients send them: its web page's multipart upload, Mastodon's JSON."""

from __future__ import annotations

import io
import re

import docx
import pytest
from fakes import FakeEngine
from fastapi.testclient import TestClient
from servers import assert_error

from translate import Glossary, Translator
from translate.file_api import Downloads
from translate.host import TranslatorHost
from translate.http_api import create_api

GLOSSARY = Glossary.from_pairs([("Столтенберг", "Stoltenberg"), ("Київ", "Kyiv")], cache_dir=False)
SRT = "1\n00:00:01,000 --> 00:00:02,000\nСтолтенберг у Києві.\n".encode()


def upper_host() -> TranslatorHost:
    return TranslatorHost(Translator(engine=FakeEngine(), glossary=GLOSSARY))


@pytest.fixture(scope="module")
def client():
    with TestClient(create_api(upper_host(), max_request_bytes=20_000)) as client:
        yield client


@pytest.fixture(scope="module")
def keyed():
    with TestClient(create_api(upper_host(), api_key="s3cret")) as client:
        yield client


def upload(client: TestClient, name: str, data: bytes, **fields: str):
    """The request LibreTranslate's own page sends: multipart FormData with file, source, target (api_key)."""
    return client.post("/translate_file", data={"source": "uk", "target": "en", **fields},
                       files={"file": (name, data, "application/octet-stream")})


def download(client: TestClient, answer, **kwargs):
    url = answer.json()["translatedFileUrl"]
    assert url.startswith("http://testserver/download_file/")
    return client.get(url[url.index("/download_file/"):], **kwargs)


@pytest.mark.parametrize("name, data, expected", [
    ("news.srt", SRT, "1\n00:00:01,000 --> 00:00:02,000\nStoltenberg У Kyiv.\n"),
    ("page.html", "<p>Вчора <b>Столтенберг</b> тут.</p>".encode(), "<p>ВЧОРА <b>Stoltenberg</b> ТУТ.</p>"),
    ("notes.md", "# Привіт, *Київ*\n".encode(), "# ПРИВІТ, *Kyiv*\n"),
    ("plain.txt", "Рядок один.\nРядок два.\n".encode(), "РЯДОК ОДИН.\nРЯДОК ДВА.\n"),
])
def test_a_file_is_translated_and_served_at_its_url(client, name, data, expected):
    answer = upload(client, name, data)
    assert answer.status_code == 200 and set(answer.json()) == {"translatedFileUrl"}
    file = download(client, answer)
    assert file.status_code == 200 and file.content.decode() == expected
    assert file.headers["content-disposition"] == f"attachment; filename*=UTF-8''{name}"


def test_a_docx_comes_back_as_a_docx_with_its_runs(client):
    document = docx.Document()
    paragraph = document.add_paragraph("Вчора ввечері ")
    paragraph.add_run("Столтенберг").bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    file = download(client, upload(client, "звіт.docx", buffer.getvalue()))
    english = docx.Document(io.BytesIO(file.content))
    assert [(r.text, r.bold) for r in english.paragraphs[0].runs] == [("ВЧОРА ВВЕЧЕРІ ", None), ("Stoltenberg", True)]
    assert file.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_download_urls_are_unguessable_and_expire():
    now = [0.0]
    store = Downloads(ttl=60, clock=lambda: now[0])
    first, second = store.put("a.txt", b"one"), store.put("a.txt", b"two")
    assert first != second and re.fullmatch(r"[A-Za-z0-9_-]{43}\.a\.txt", first)
    assert store.get(first) == ("a.txt", b"one")
    now[0] = 60.0
    assert store.get(first) is None and store.get(second) is None


def test_an_unknown_download_is_a_json_404(client):
    assert_error(client.get("/download_file/nothing.txt"), 404, "translate it again")


@pytest.mark.parametrize("fields, files, status, words", [
    ({"source": "uk", "target": "en"}, None, 400, ["missing file parameter"]),
    ({"target": "en"}, ("a.txt", b"x"), 400, ["missing source parameter"]),
    ({"source": "uk"}, ("a.txt", b"x"), 400, ["missing target parameter"]),
    ({"source": "uk", "target": "en"}, ("program.exe", b"MZ\x90\x00"), 400, ["file format not supported"]),
    ({"source": "uk", "target": "zz"}, ("a.txt", b"x"), 400, ["zz is not supported"]),
    ({"source": "uk", "target": "en"}, ("broken.srt", b"1\n00:00:0x --> 1\n\xd0\x9d\n"), 400, ["broken.srt", "cue 1"]),
    ({"source": "uk", "target": "en"}, ("report.docx", b"not a zip"), 400, ["report.docx", "not a DOCX file"]),
    ({"source": "uk", "target": "en"}, ("page.html", b"\x00\x01binary"), 400, ["page.html", "binary data"]),
    ({"source": "uk", "target": "en"}, ("big.txt", "Слово ".encode() * 4_000), 413, ["big.txt", "limit"]),
])
def test_bad_file_requests_get_a_json_error_saying_what_is_wrong(client, fields, files, status, words):
    answer = client.post("/translate_file", data=fields, files={"file": files} if files else {"x": ("x", b"")})
    assert_error(answer, status, *words)


def test_an_upload_over_the_size_limit_is_refused(client):
    assert_error(upload(client, "huge.txt", b"a" * 300_000), 413, "limit")


def test_api_key_is_needed_for_the_upload_and_the_download(keyed):
    assert_error(upload(keyed, "a.srt", SRT), 401, "API key")
    assert_error(upload(keyed, "a.srt", SRT, api_key="wrong"), 403, "Invalid API key")
    answer = upload(keyed, "a.srt", SRT, api_key="s3cret")
    assert answer.status_code == 200
    assert_error(download(keyed, answer), 401, "API key")
    assert download(keyed, answer, headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_mastodon_style_html_list_is_translated_with_its_tags(client):
    answer = client.post("/translate", json={
        "q": ['<p>Вчора <a href="https://kyiv.ua" class="mention">Київ</a> чекав.</p>', "<p>Друга <br>частина</p>"],
        "source": "uk", "target": "en", "format": "html", "terms": True})
    assert answer.status_code == 200, answer.text
    assert answer.json()["translatedText"] == [
        '<p>ВЧОРА <a href="https://kyiv.ua" class="mention">Kyiv</a> ЧЕКАВ.</p>', "<p>ДРУГА <br>ЧАСТИНА</p>"]
    assert [(t["surface"], t["start"], t["end"]) for t in answer.json()["terms"][0]] == [("Київ", 6, 10)]


def test_html_string_with_source_auto_is_translated(client):
    answer = client.post("/translate", data={"q": "<p>Сьогодні <b>Столтенберг</b> у Києві.</p>", "source": "auto",
                                             "target": "en", "format": "html"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["translatedText"] == "<p>СЬОГОДНІ <b>Stoltenberg</b> У Kyiv.</p>"

"""`POST /translate_file` with `source: "auto"`: the file's text is detected as `/translate` detects a q item,
and a language the model does not take gets `/translate`'s 400; on FakeEngine (the source upper-cased, the
glossary's terms in English), with a model that takes uk, ru and be and with a Ukrainian-only one."""

from __future__ import annotations

import io
import json

import docx
import pytest
from fakes import FakeEngine
from fastapi.testclient import TestClient
from servers import assert_error

from translate import Glossary, Translator
from translate.host import TranslatorHost
from translate.http_api import create_api

GLOSSARY = Glossary.from_pairs([("Столтенберг", "Stoltenberg"), ("Київ", "Kyiv")], cache_dir=False)
UKRAINIAN = "Генеральний секретар Столтенберг прибув до Києва на переговори з урядом."
RUSSIAN = "Генеральный секретарь Столтенберг прибыл в Киев на переговоры с правительством."
ENGLISH = "The Secretary General arrived in Kyiv for talks with the government on Monday."


def client_for(**settings):
    translator = Translator(engine=FakeEngine(), glossary=GLOSSARY, **settings)
    return TestClient(create_api(TranslatorHost(translator)))


@pytest.fixture(scope="module")
def zle():
    """As opus-mt-tc-big-zle-en (the default model setting): uk, ru and be."""
    with client_for() as client:
        yield client


@pytest.fixture(scope="module")
def uk_only():
    with client_for(source_languages="uk") as client:
        yield client


def a_docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FILES = {  # every format the file API takes, each holding `text` as its one translatable text
    "news.txt": lambda text: f"{text}\n".encode(),
    "page.html": lambda text: f"<p>{text}</p>".encode(),
    "notes.md": lambda text: f"# {text}\n".encode(),
    "cues.srt": lambda text: f"1\n00:00:01,000 --> 00:00:04,000\n{text}\n".encode(),
    "items.jsonl": lambda text: (json.dumps({"id": 1, "title": text}, ensure_ascii=False) + "\n").encode(),
    "report.docx": a_docx,
}


def upload(client: TestClient, name: str, data: bytes, source: str = "auto"):
    return client.post("/translate_file", data={"source": source, "target": "en"},
                       files={"file": (name, data, "application/octet-stream")})


def downloaded(client: TestClient, answer) -> str:
    url = answer.json()["translatedFileUrl"]
    return client.get(url[url.index("/download_file/"):]).content.decode()


def test_a_ukrainian_file_with_auto_is_detected_and_translated_with_the_glossary(zle):
    answer = upload(zle, "news.txt", FILES["news.txt"](UKRAINIAN))
    assert answer.status_code == 200, answer.text
    assert downloaded(zle, answer) == "ГЕНЕРАЛЬНИЙ СЕКРЕТАР Stoltenberg ПРИБУВ ДО Kyiv НА ПЕРЕГОВОРИ З УРЯДОМ.\n"
    detected = answer.json()["detectedLanguage"]
    assert detected["language"] == "uk" and "glossaryApplied" not in answer.json()
    as_text = zle.post("/translate", json={"q": UKRAINIAN, "source": "auto", "target": "en"}).json()
    assert detected == as_text["detectedLanguage"]


def test_a_russian_file_with_auto_is_translated_without_the_glossary_as_translate_does(zle):
    answer = upload(zle, "news.txt", FILES["news.txt"](RUSSIAN))
    assert answer.status_code == 200, answer.text
    assert downloaded(zle, answer) == (  # Столтенберг left as it was: no glossary
        "ГЕНЕРАЛЬНЫЙ СЕКРЕТАРЬ СТОЛТЕНБЕРГ ПРИБЫЛ В КИЕВ НА ПЕРЕГОВОРЫ С ПРАВИТЕЛЬСТВОМ.\n")
    as_text = zle.post("/translate", json={"q": RUSSIAN, "source": "auto", "target": "en"}).json()
    assert answer.json()["detectedLanguage"]["language"] == "ru"
    assert {k: answer.json()[k] for k in ("detectedLanguage", "glossaryApplied")} == {
        "detectedLanguage": as_text["detectedLanguage"], "glossaryApplied": False}


@pytest.mark.parametrize("name", FILES)
def test_an_english_file_of_any_format_gets_the_400_translate_gives(zle, name):
    answer = upload(zle, name, FILES[name](ENGLISH))
    as_text = zle.post("/translate", json={"q": ENGLISH, "source": "auto", "target": "en"})
    assert_error(answer, 400, "English (en) is not supported", f"{name} was detected as English",
                 "translates uk, ru, be to en")
    assert answer.json()["error"] == as_text.json()["error"].replace("the text", name)


def test_a_russian_file_on_a_ukrainian_only_model_gets_the_400_translate_gives(uk_only):
    answer = upload(uk_only, "news.txt", FILES["news.txt"](RUSSIAN))
    as_text = uk_only.post("/translate", json={"q": RUSSIAN, "source": "auto", "target": "en"})
    assert_error(answer, 400, "Russian (ru) is not supported", "news.txt was detected as Russian",
                 "translates uk to en")
    assert answer.json()["error"] == as_text.json()["error"].replace("the text", "news.txt")


def test_a_source_the_model_does_not_take_gets_the_400_translate_gives(uk_only):
    answer = upload(uk_only, "news.txt", FILES["news.txt"](UKRAINIAN), source="ru")
    as_text = uk_only.post("/translate", json={"q": UKRAINIAN, "source": "ru", "target": "en"})
    assert_error(answer, 400, "Source language 'ru' (Russian) is not supported", "translates uk to en")
    assert answer.json() == as_text.json()

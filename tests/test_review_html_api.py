"""Review flags of HTML (and Markdown) input: `POST /translate` with `"format": "html", "review": true`, and
`Translator.translate_markup`; each flag's span slices the returned markup to the flagged English. On
FakeEngine (the source upper-cased: Cyrillic left, repetitions kept) and the tiny random-weight model."""

from __future__ import annotations

import re

import pytest
from fakes import FakeEngine
from fastapi.testclient import TestClient

from translate import Translator
from translate.host import TranslatorHost
from translate.http_api import create_api


@pytest.fixture(scope="module")
def upper():
    return Translator(engine=FakeEngine(), glossary=None, names="off")


@pytest.fixture(scope="module")
def upper_client(upper):
    with TestClient(create_api(TranslatorHost(upper))) as client:
        yield client


@pytest.fixture(scope="module")
def tiny_client(fast_translator):
    with TestClient(create_api(TranslatorHost(fast_translator))) as client:
        yield client


def spans(text: str, flags: list[dict]) -> list[tuple[str, str, str]]:
    return [(f["kind"], text[f["start"]:f["end"]], text[f["sentence_start"]:f["sentence_end"]]) for f in flags]


def test_html_flags_slice_the_returned_html_to_the_flagged_english(upper_client):
    answer = upper_client.post("/translate", json={
        "q": "<p>Вчора <b>Столтенберг</b> прибув.</p><p>Він сказав: <i>так так так</i> &amp; все.</p>",
        "source": "uk", "target": "en", "format": "html", "review": True})
    assert answer.status_code == 200, answer.text
    text = answer.json()["translatedText"]
    assert text == "<p>ВЧОРА <b>СТОЛТЕНБЕРГ</b> ПРИБУВ.</p><p>ВІН СКАЗАВ: <i>ТАК ТАК ТАК</i> &amp; ВСЕ.</p>"
    flags = answer.json()["flags"]
    assert [(f["start"], f["end"], f["sentence_start"], f["sentence_end"]) for f in flags] == [
        (3, 35, 3, 35), (57, 68, 42, 83), (42, 83, 42, 83)]
    assert spans(text, flags) == [
        ("untranslated", "ВЧОРА <b>СТОЛТЕНБЕРГ</b> ПРИБУВ.", "ВЧОРА <b>СТОЛТЕНБЕРГ</b> ПРИБУВ."),
        ("repetition", "ТАК ТАК ТАК", "ВІН СКАЗАВ: <i>ТАК ТАК ТАК</i> &amp; ВСЕ."),
        ("untranslated", "ВІН СКАЗАВ: <i>ТАК ТАК ТАК</i> &amp; ВСЕ.", "ВІН СКАЗАВ: <i>ТАК ТАК ТАК</i> &amp; ВСЕ."),
    ]


def test_each_html_q_item_gets_its_own_flags_and_a_span_starts_after_the_tag_at_its_start(upper_client):
    answer = upper_client.post("/translate", json={
        "q": ["<p><b>Так так так.</b> Друге речення.</p>", "<div>Тихо.</div>"],
        "source": "uk", "target": "en", "format": "html", "review": True})
    assert answer.status_code == 200, answer.text
    first, second = answer.json()["translatedText"]
    assert (first, second) == ("<p><b>ТАК ТАК ТАК</b>. ДРУГЕ РЕЧЕННЯ.</p>", "<div>ТИХО.</div>")
    flags = answer.json()["flags"]
    assert spans(first, flags[0]) == [("repetition", "ТАК ТАК ТАК", "ТАК ТАК ТАК</b>."),
                                      ("untranslated", "ТАК ТАК ТАК</b>.", "ТАК ТАК ТАК</b>."),
                                      ("untranslated", "ДРУГЕ РЕЧЕННЯ.", "ДРУГЕ РЕЧЕННЯ.")]
    assert spans(second, flags[1]) == [("untranslated", "ТИХО.", "ТИХО.")]


def test_html_missing_date_on_the_tiny_model_is_flagged_on_its_sentence(tiny_client, fast_translator):
    sentence = "Зустріч відбулася 22 листопада у Скоп'є."
    answer = tiny_client.post("/translate", json={
        "q": "<p>Зустріч відбулася <b>22 листопада</b> у Скоп'є.</p>", "format": "html", "review": True})
    assert answer.status_code == 200, answer.text
    text, flags = answer.json()["translatedText"], answer.json()["flags"]
    number = [f for f in flags if f["reason"] == "“22 листопада” in the source is not in the English"]
    assert [f["kind"] for f in number] == ["number"]  # a random-weight model never writes the date
    english = text[number[0]["sentence_start"]:number[0]["sentence_end"]]
    # The block is that one sentence: the span is all of its English, inside <p>, tags at its ends left out.
    assert re.fullmatch(r"<p>(?:<[^>]+>)*" + re.escape(english) + r"(?:<[^>]+>)*</p>", text)
    assert re.sub(r"<[^>]+>", "", english) == fast_translator.translate_document(sentence).text


def test_markdown_flags_slice_the_returned_markdown(upper):
    done = upper.translate_markup("# Привіт, *так так так*\n\nДруге & речення.\n", "markdown")
    assert done.text == "# ПРИВІТ, *ТАК ТАК ТАК*\n\nДРУГЕ & РЕЧЕННЯ.\n"
    assert [(f.kind, done.text[f.start:f.end]) for f in done.flags] == [
        ("repetition", "ТАК ТАК ТАК"), ("untranslated", "ПРИВІТ, *ТАК ТАК ТАК"), ("untranslated", "ДРУГЕ & РЕЧЕННЯ.")]

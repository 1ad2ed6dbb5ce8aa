"""Language detection (lingua) and the model's source languages: `POST /detect`, `source: "auto"`, and the
400 for a language the loaded model does not translate."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from servers import assert_error

from translate import detection, languages
from translate.errors import ConfigError
from translate.host import TranslatorHost
from translate.http_api import create_api


@pytest.fixture(scope="module")
def east_slavic(tiny_engine):
    """A translator that, like opus-mt-tc-big-zle-en, takes uk, ru and be (the tiny engine, no model load)."""
    from translate import Translator

    return Translator(tiny_engine.model, engine=tiny_engine, glossary=None, source_languages="uk,ru,be")


@pytest.fixture(scope="module")
def zle_client(east_slavic):
    with TestClient(create_api(TranslatorHost(east_slavic))) as client:
        yield client


@pytest.fixture(scope="module")
def uk_client(tiny_engine):
    from translate import Translator

    translator = Translator(tiny_engine.model, engine=tiny_engine, glossary=None)  # auto: a uk-only model
    with TestClient(create_api(TranslatorHost(translator))) as client:
        yield client


@pytest.mark.parametrize("text, language", [
    ("Генеральний секретар НАТО прибув до Скоп'є на переговори з урядом.", "uk"),
    ("Генеральный секретарь НАТО прибыл в Скопье на переговоры с правительством.", "ru"),
    ("Генеральны сакратар НАТА прыбыў у Скоп'е на перамовы з урадам.", "be"),
    ("The NATO Secretary General arrived in Skopje for talks with the government.", "en"),
    ("Rząd spotkał się w poniedziałek, aby omówić budżet.", "pl"),
    ("Привіт", "uk"),
    ("Спасибо", "ru"),
])
def test_detector_names_the_language_of_a_sentence_or_a_word(text, language):
    assert detection.best(text, "uk").language == language


@pytest.mark.parametrize("text, offered, language", [
    ("Столтенберг говорив.", ("uk", "ru", "be"), "uk"),  # lingua: ru 63, uk 37 — not sure, uk near enough
    ("Столтенберг прибыл.", ("uk", "ru", "be"), "ru"),  # ru 99: sure
    ("Столтенберг говорив.", ("uk",), "uk"),
    ("Дякую всім.", ("uk", "ru", "be"), "uk"),
])
def test_auto_takes_a_language_the_model_translates_unless_lingua_is_sure_of_another(text, offered, language):
    assert detection.for_translation(text, offered).language == language


def test_text_without_letters_has_no_language_and_falls_back_at_zero_confidence():
    assert detection.detect("12.03.2024 — 15:30") == []
    assert detection.best("12.03.2024", "uk") == detection.Candidate("uk", 0.0)


@pytest.mark.parametrize("model, setting, expected", [
    ("Helsinki-NLP/opus-mt-tc-big-zle-en", "auto", ("uk", "ru", "be")),
    ("Helsinki-NLP/opus-mt-uk-en", "auto", ("uk",)),
    ("/models/opus-mt-zle-en", "auto", ("uk", "ru", "be")),
    ("Helsinki-NLP/opus-mt-uk-en", "ru, uk", ("uk", "ru")),
])
def test_source_languages_follow_the_model_unless_the_setting_names_them(model, setting, expected):
    assert languages.source_languages(model, setting) == expected


def test_a_local_model_cards_language_list_decides_auto(tmp_path):
    (tmp_path / "README.md").write_text("---\nlanguage:\n- be\n- en\n- ru\n- uk\ntags:\n- translation\n---\n# m\n",
                                        encoding="utf-8")
    assert languages.source_languages(str(tmp_path), "auto") == ("uk", "ru", "be")


def test_an_unknown_source_language_setting_is_a_config_error_naming_it():
    from translate.config import load_settings

    with pytest.raises(ConfigError, match="'source_languages'.*pl"):
        load_settings(environment=False, source_languages="uk,pl")


def test_detect_answers_libretranslates_list_most_likely_first(zle_client):
    response = zle_client.post("/detect", data={"q": "Добрий день, шановні колеги та друзі!"})
    assert response.status_code == 200
    candidates = response.json()
    assert candidates[0]["language"] == "uk"
    assert 50 < candidates[0]["confidence"] <= 100
    assert [c["confidence"] for c in candidates] == sorted((c["confidence"] for c in candidates), reverse=True)


def test_detect_of_a_list_averages_the_languages_over_the_texts(zle_client):
    response = zle_client.post("/detect", json={"q": ["Добрий день, шановні колеги!", "Доброе утро, дорогие друзья!",
                                                      "Дякую за увагу та підтримку."]})
    assert response.status_code == 200
    assert response.json()[0]["language"] == "uk"
    assert {c["language"] for c in response.json()[:2]} == {"uk", "ru"}


@pytest.mark.parametrize("body", [{}, {"q": ""}, {"q": []}])
def test_detect_without_q_is_libretranslates_400(zle_client, body):
    assert_error(zle_client.post("/detect", json=body), 400, "Invalid request: missing q parameter")


def test_auto_source_reports_the_detected_language_and_translates(zle_client):
    response = zle_client.post("/translate", json={"q": "Дякуємо всім за підтримку.", "source": "auto", "target": "en"})
    assert response.status_code == 200
    assert response.json()["detectedLanguage"]["language"] == "uk"
    assert response.json()["translatedText"].strip()
    assert "glossaryApplied" not in response.json()


def test_auto_source_of_a_list_reports_one_language_per_text(zle_client):
    response = zle_client.post("/translate", json={"q": ["Дякуємо всім за підтримку.", "Спасибо всем за поддержку."],
                                                   "source": "auto", "target": "en"})
    assert response.status_code == 200
    assert [d["language"] for d in response.json()["detectedLanguage"]] == ["uk", "ru"]
    assert response.json()["glossaryApplied"] == [True, False]


def test_no_source_is_ukrainian_as_before_and_only_auto_detects(zle_client):
    given = zle_client.post("/translate", json={"q": "Столтенберг прибыл."}).json()
    assert "detectedLanguage" not in given and "glossaryApplied" not in given
    detected = zle_client.post("/translate", json={"q": "Столтенберг прибыл.", "source": "auto"}).json()
    assert detected["detectedLanguage"]["language"] == "ru" and detected["glossaryApplied"] is False


def test_an_explicit_source_gets_no_detected_language(zle_client):
    response = zle_client.post("/translate", json={"q": "Спасибо всем.", "source": "ru", "target": "en"})
    assert response.status_code == 200
    assert "detectedLanguage" not in response.json()
    assert response.json()["glossaryApplied"] is False


@pytest.mark.parametrize("body, words", [
    ({"q": "The government met on Monday to discuss the budget.", "source": "auto"},
     ["English (en) is not supported", "uk, ru, be"]),
    ({"q": ["Дякуємо всім.", "Die Regierung hat am Montag den Haushalt beraten."], "source": "auto"},
     ["German (de)", "q item 2"]),
    ({"q": "Привет", "source": "pl"}, ["'pl'", "Polish", "uk, ru, be"]),
])
def test_a_language_the_model_does_not_take_is_a_400_naming_it_and_the_model(zle_client, east_slavic, body, words):
    assert_error(zle_client.post("/translate", json=body), 400, east_slavic.settings.model, *words)


def test_a_ukrainian_only_model_refuses_russian_and_offers_only_ukrainian(uk_client):
    assert [entry["code"] for entry in uk_client.get("/languages").json()] == ["uk", "en"]
    assert_error(uk_client.post("/translate", json={"q": "Спасибо всем за поддержку.", "source": "auto"}), 400,
                 "Russian (ru) is not supported", "translates uk to en")
    assert_error(uk_client.post("/translate", json={"q": "Прывітанне", "source": "be"}), 400, "'be'")


def test_languages_offer_russian_and_belarusian_with_the_zle_model(zle_client):
    assert zle_client.get("/languages").json() == [
        {"code": "uk", "name": "Ukrainian", "targets": ["en"]},
        {"code": "ru", "name": "Russian", "targets": ["en"]},
        {"code": "be", "name": "Belarusian", "targets": ["en"]},
        {"code": "en", "name": "English", "targets": []},
    ]

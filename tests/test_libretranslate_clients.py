"""The clients people run, against a live server (the web app with its API, on the tiny random-weight model):
`libretranslatepy` itself, and for Mastodon, Discourse, Weblate, Translate You and LibreTranslate's own web
page the requests each sends and the fields each reads, written from their source code:

- Mastodon, app/lib/translation_service/libre_translate.rb: `GET /languages` with `Content-Type:
  application/json`, reading `code` and `targets`; `POST /translate` JSON {q: [html…], source (blank →
  "auto"), target, format: "html", api_key}, reading `translatedText[i]` and `detectedLanguage[i].language`
  (else the source); 403 means "quota exceeded", 429 "too many requests", any other non-2xx "unexpected".
- Discourse, discourse-translator services/discourse_translator/libretranslate.rb: form posts
  (application/x-www-form-urlencoded) with api_key: `POST /detect` {q} reading `[0]["language"]`; `GET
  /languages` needing both the detected code and "en" among the codes; `POST /translate` {q, source,
  target: "en", format: "html"} reading `translatedText`; any status but 200 is an error.
- Weblate, weblate/machinery/libretranslate.py: `GET /languages` reading the codes; `POST /translate` JSON
  {api_key, q: [texts], source, target} reading `translatedText[i]`.
- Translate You, app/src/main/java/com/bnyro/translate/api/lt/LibreTranslate.kt: `GET languages` reading
  code and name; `POST translate` with every field in the query string (q, source — "auto" when none is
  picked —, target, api_key, format=text) and an empty body, reading `translatedText` and
  `detectedLanguage.language`.
- LibreTranslate's page, libretranslate/templates/app.js.template: `GET /frontend/settings` (language.source
  and .target codes, charLimit, suggestions, filesTranslation, supportedFilesFormat, frontendTimeout) and `GET
  /languages` (each target looked up among the codes); multipart `POST /translate` {q, source, target,
  format, api_key} reading `translatedText`, `detectedLanguage.language` and `.confidence`, or `error`;
  multipart `POST /suggest` {q, s, source, target, api_key} reading `success`.
"""

from __future__ import annotations

import json
from urllib.error import HTTPError

import httpx
import pytest
import servers
from libretranslatepy import LibreTranslateAPI

KEY = "newsroom-key"
http = httpx.Client(timeout=120)  # a client's own timeout is not under test: the machine may be busy
SENTENCE = "Столтенберг прибув до Скоп'є."


@pytest.fixture(scope="module")
def url(tiny_engine, tmp_path_factory):
    """The web app (page + API) as `uk-en serve` builds it: an API key, suggestions on, uk/ru/be."""
    from translate import Translator, web
    from translate.glossary import Glossary

    translator = Translator(tiny_engine.model, engine=tiny_engine, source_languages="uk,ru,be",
                            glossary=Glossary.from_pairs([("Столтенберг", "Stoltenberg")], cache_dir=False))
    app = web.create_app(translator, api_key=KEY, suggestions=True,
                         suggestions_db=str(tmp_path_factory.mktemp("suggestions") / "s.sqlite3"))
    with servers.running(app) as url:
        yield url


# ------------------------------------------------------------------------------------------- libretranslatepy
def test_libretranslatepy_translates_lists_languages_and_detects(url):
    lt = LibreTranslateAPI(url, api_key=KEY)
    english = lt.translate("Столтенберг прибув.", "uk", "en")
    assert isinstance(english, str) and "Stoltenberg" in english
    assert {entry["code"] for entry in lt.languages()} == {"uk", "ru", "be", "en"}
    assert lt.detect("Добрий день, шановні колеги та друзі!")[0]["language"] == "uk"


def test_libretranslatepy_without_the_key_gets_a_json_401(url):
    with pytest.raises(HTTPError) as refused:
        LibreTranslateAPI(url).translate("Привіт", "uk", "en")
    assert refused.value.code == 401
    assert "API key" in json.loads(refused.value.read())["error"]


def test_libretranslatepy_with_a_wrong_key_gets_libretranslates_403(url):
    with pytest.raises(HTTPError) as refused:
        LibreTranslateAPI(url, api_key="wrong").detect("Привіт")
    assert refused.value.code == 403
    assert json.loads(refused.value.read()) == {"error": "Invalid API key"}


# -------------------------------------------------------------------------------------------------- Mastodon
def mastodon_languages(url: str) -> dict:
    response = http.get(f"{url}/languages", headers={"Content-Type": "application/json"})
    assert 200 <= response.status_code < 300
    languages = {entry["code"]: [t for t in entry["targets"] if t != entry["code"]] for entry in response.json()}
    languages[None] = sorted({t for targets in languages.values() for t in targets})
    return languages


def mastodon_translate(url: str, texts: list[str], source: str | None, target: str, api_key: str | None):
    body = {"q": texts, "source": source or "auto", "target": target, "format": "html", "api_key": api_key}
    response = http.post(f"{url}/translate", content=json.dumps(body), headers={"Content-Type": "application/json"})
    if response.status_code == 429:
        return "TooManyRequestsError"
    if response.status_code == 403:
        return "QuotaExceededError"
    if not 200 <= response.status_code < 300:
        return "UnexpectedResponseError"
    data = response.json()
    assert isinstance(data, dict)
    return [(text, (data.get("detectedLanguage") or [{}] * len(texts))[i].get("language") or source)
            for i, text in enumerate(data["translatedText"])]


def test_mastodon_offers_ukrainian_to_english(url):
    languages = mastodon_languages(url)
    assert languages["uk"] == ["en"] and languages["ru"] == ["en"] and languages[None] == ["en"]


def test_mastodon_translates_a_status_in_html_with_its_language(url):
    translations = mastodon_translate(url, ["<p>Столтенберг прибув до Скоп'є.</p>", "<p>Дякуємо всім.</p>"], "uk",
                                      "en", KEY)
    assert [language for _, language in translations] == ["uk", "uk"]
    first = translations[0][0]
    assert first.startswith("<p>") and first.endswith("</p>") and "Stoltenberg" in first


def test_mastodon_with_no_language_sends_auto_and_reads_the_detected_ones(url):
    translations = mastodon_translate(url, ["<p>Дякуємо всім за підтримку.</p>", "<p>Спасибо всем за поддержку.</p>"],
                                      None, "en", KEY)
    assert [language for _, language in translations] == ["uk", "ru"]


def test_mastodon_takes_a_wrong_key_for_an_exceeded_quota(url):
    assert mastodon_translate(url, ["<p>Привіт</p>"], "uk", "en", "wrong") == "QuotaExceededError"


# ------------------------------------------------------------------------------------------------- Discourse
def discourse_post(url: str, path: str, body: dict) -> dict:
    response = http.post(f"{url}{path}", content=str(httpx.QueryParams({**body, "api_key": KEY})),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200, response.text  # Discourse raises TranslatorError on anything else
    return response.json()


def test_discourse_detects_checks_support_and_translates_a_post(url):
    cooked = "<p>Столтенберг прибув до Скоп'є на переговори з урядом країни.</p>"
    detected = discourse_post(url, "/detect", {"q": "Столтенберг прибув до Скоп'є на переговори з урядом країни."})
    language = detected[0]["language"] if detected else "en"
    assert language == "uk"
    codes = [entry["code"] for entry in http.get(f"{url}/languages").json()]
    assert language in codes and "en" in codes  # translate_supported?(detected, :en)
    result = discourse_post(url, "/translate", {"q": cooked, "source": language, "target": "en", "format": "html"})
    assert result["translatedText"].startswith("<p>") and "Stoltenberg" in result["translatedText"]


# -------------------------------------------------------------------------------------------------- Weblate
def test_weblate_lists_languages_and_translates_a_batch_of_strings(url):
    codes = [x["code"] for x in http.get(f"{url}/languages").json()]
    assert "uk" in codes and "en" in codes
    texts = ["Зберегти зміни", "Столтенберг", "Скасувати"]
    response = http.post(f"{url}/translate", json={"api_key": KEY, "q": texts, "source": "uk", "target": "en"})
    response.raise_for_status()
    translated = response.json()["translatedText"]
    suggestions = {text: [{"text": translated[i], "quality": 89, "service": "LibreTranslate", "source": text}]
                   for i, text in enumerate(texts)}
    assert list(suggestions) == texts and all(isinstance(s[0]["text"], str) for s in suggestions.values())
    assert "Stoltenberg" in suggestions["Столтенберг"][0]["text"]


# --------------------------------------------------------------------------------------------- Translate You
def test_translate_you_reads_languages_and_translates_with_query_parameters(url):
    languages = [(entry["code"], entry["name"]) for entry in http.get(f"{url}/languages").json()]
    assert ("uk", "Ukrainian") in languages and ("en", "English") in languages
    response = http.post(f"{url}/translate", params={"q": "Дякуємо всім за підтримку.", "source": "auto",
                                                      "target": "en", "api_key": KEY, "format": "text"})
    assert response.status_code == 200
    assert response.request.headers["content-length"] == "0"
    translation = response.json()
    assert translation["translatedText"] and translation["detectedLanguage"]["language"] == "uk"


# --------------------------------------------------------------------------------- LibreTranslate's web page
def test_libretranslates_page_loads_translates_and_sends_a_suggestion(url):
    settings = http.get(f"{url}/frontend/settings").json()
    langs = http.get(f"{url}/languages").json()
    source, target = settings["language"]["source"]["code"], settings["language"]["target"]["code"]
    assert (source, target) == ("auto", "en")
    assert settings["suggestions"] is True and settings["keyRequired"] is True and settings["charLimit"] == -1
    assert isinstance(settings["frontendTimeout"], int) and isinstance(settings["supportedFilesFormat"], list)
    for lang in langs:  # targetLangs: every target must be one of the languages
        assert all(any(other["code"] == t for other in langs) for t in lang["targets"])

    def page_translate(text: str) -> dict:
        form = {"q": text, "source": source, "target": target, "format": "text", "api_key": KEY}
        return http.post(f"{url}/translate", files={k: (None, v) for k, v in form.items()}).json()

    first = page_translate(SENTENCE)
    assert first["translatedText"] and first["detectedLanguage"]["language"] == "uk"
    assert 0 <= first["detectedLanguage"]["confidence"] <= 100
    form = {"q": SENTENCE, "s": "Stoltenberg arrived in Skopje.", "source": source, "target": target, "api_key": KEY}
    assert http.post(f"{url}/suggest", files={k: (None, v) for k, v in form.items()}).json() == {"success": True}
    assert page_translate(SENTENCE)["translatedText"] == "Stoltenberg arrived in Skopje."


def test_libretranslates_page_shows_the_error_of_a_request_without_its_key(url):
    form = {"q": "Привіт", "source": "uk", "target": "en", "format": "text", "api_key": ""}
    answer = http.post(f"{url}/translate", files={k: (None, v) for k, v in form.items()})
    assert answer.status_code == 401 and "translatedText" not in answer.json() and answer.json()["error"]

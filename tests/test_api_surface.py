"""LibreTranslate's API surface beyond /translate's core: request shapes, /frontend/settings, /suggest (and the
corrections it stores, used before the model), /metrics, CORS, and the glossary for Ukrainian only."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from servers import assert_error

from translate.host import TranslatorHost
from translate.http_api import create_api
from translate.suggestions import SuggestionStore

STOLTENBERG = [("Столтенберг", "Stoltenberg")]


@pytest.fixture(scope="module")
def east_slavic(tiny_engine):
    """A translator taking uk, ru and be, as opus-mt-tc-big-zle-en does, with a one-entry glossary."""
    from translate import Translator
    from translate.glossary import Glossary

    return Translator(tiny_engine.model, engine=tiny_engine, glossary=Glossary.from_pairs(STOLTENBERG, cache_dir=False),
                      source_languages="uk,ru,be")


@pytest.fixture(scope="module")
def client(east_slavic):
    with TestClient(create_api(TranslatorHost(east_slavic))) as client:
        yield client


@pytest.fixture
def store(tmp_path):
    return SuggestionStore(tmp_path / "suggestions.sqlite3")


@pytest.fixture
def suggesting(east_slavic, store):
    with TestClient(create_api(TranslatorHost(east_slavic), suggestions=store)) as client:
        yield client


# ------------------------------------------------------------------------------------------ request shapes
def test_fields_in_the_query_string_of_a_post_are_read_as_translate_you_sends_them(client):
    response = client.post("/translate", params={"q": "Дякую.", "source": "uk", "target": "en", "format": "text"})
    assert response.status_code == 200
    assert isinstance(response.json()["translatedText"], str) and response.json()["translatedText"]


def test_query_string_fields_go_with_body_fields_the_body_winning(client):
    response = client.post("/translate?q=Дякую.&source=pl", json={"source": "uk"})
    assert response.status_code == 200 and "detectedLanguage" not in response.json()


def test_multipart_form_as_libretranslates_web_page_sends_it(client):
    fields = {"q": "Дякуємо всім за підтримку.", "source": "auto", "target": "en", "format": "text", "api_key": ""}
    response = client.post("/translate", files={name: (None, value) for name, value in fields.items()})
    assert response.status_code == 200
    assert response.json()["detectedLanguage"]["language"] == "uk"


def test_get_languages_with_a_form_body_as_libretranslatepy_sends_it(client):
    response = client.request("GET", "/languages", content=b"api_key=abc",
                              headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    assert [entry["code"] for entry in response.json()] == ["uk", "ru", "be", "en"]


def test_an_empty_post_body_without_content_type_is_missing_q(client):
    assert_error(client.post("/translate", content=b""), 400, "missing q parameter")


# ------------------------------------------------------------------------------------- the glossary's language
def test_the_glossary_is_enforced_in_ukrainian_and_not_applied_to_russian(client):
    response = client.post("/translate", json={"q": ["Столтенберг прибув.", "Столтенберг прибыл."], "source": "auto",
                                               "terms": True})
    assert response.status_code == 200
    answer = response.json()
    assert "Stoltenberg" in answer["translatedText"][0]
    assert answer["glossaryApplied"] == [True, False]
    assert "Stoltenberg" in [t["target"] for t in answer["terms"][0]]
    assert answer["terms"][1] == []


def test_a_request_glossary_is_not_applied_to_belarusian_either(client):
    response = client.post("/translate", json={"q": "Міністр прыбыў у Кіеў.", "source": "be",
                                               "glossary": [["Кіеў", "Kyiv"]], "terms": True})
    assert response.status_code == 200
    assert response.json()["glossaryApplied"] is False
    assert response.json()["terms"] == []


# ---------------------------------------------------------------------------------------- frontend settings
def test_frontend_settings_give_what_libretranslates_page_reads(client):
    settings = client.get("/frontend/settings").json()
    assert settings == {
        "charLimit": -1, "frontendTimeout": 500, "apiKeys": False, "keyRequired": False, "suggestions": False,
        "filesTranslation": settings["filesTranslation"], "supportedFilesFormat": settings["supportedFilesFormat"],
        "language": {"source": {"code": "auto", "name": "Auto Detect"}, "target": {"code": "en", "name": "English"}},
    }


def test_frontend_settings_say_a_key_is_required_and_suggestions_are_on(east_slavic, store):
    with TestClient(create_api(TranslatorHost(east_slavic), api_key="k", suggestions=store)) as keyed:
        settings = keyed.get("/frontend/settings").json()
    assert (settings["apiKeys"], settings["keyRequired"], settings["suggestions"]) == (True, True, True)


# ------------------------------------------------------------------------------------------------ suggest
def test_suggest_is_refused_unless_suggestions_are_on(client):
    assert_error(client.post("/suggest", data={"q": "Привіт.", "s": "Hello.", "source": "uk", "target": "en"}), 403,
                 "Suggestions are disabled on this server.")


@pytest.mark.parametrize("missing", ["q", "s", "source", "target"])
def test_suggest_names_a_missing_parameter_in_libretranslates_words(suggesting, missing):
    fields = {"q": "Привіт.", "s": "Hello.", "source": "uk", "target": "en"}
    del fields[missing]
    response = suggesting.post("/suggest", data=fields)
    assert response.status_code == 400
    assert response.json() == {"error": f"Invalid request: missing {missing} parameter"}


def test_a_suggested_correction_is_used_for_that_sentence_from_then_on(suggesting, store):
    sentence = "Столтенберг прибув до Скоп'є."
    before = suggesting.post("/translate", json={"q": sentence, "source": "uk"}).json()["translatedText"]
    response = suggesting.post("/suggest", json={"q": sentence, "s": "Stoltenberg landed in Skopje.", "source": "uk",
                                                 "target": "en"})
    assert response.status_code == 200 and response.json() == {"success": True}
    assert store.lookup([sentence]) == {sentence: "Stoltenberg landed in Skopje."}
    after = suggesting.post("/translate", json={"q": f"Дякую. {sentence}\n\n{sentence}", "source": "uk", "terms": True})
    english = after.json()["translatedText"]
    assert english.endswith("Stoltenberg landed in Skopje.\n\nStoltenberg landed in Skopje.")
    assert english != before
    assert [t["applied"] for t in after.json()["terms"] if t["target"] == "Stoltenberg"] == [True, True]


def test_a_later_suggestion_of_the_same_sentence_replaces_the_earlier(suggesting, store):
    for english in ("Hello there.", "Hi."):
        suggesting.post("/suggest", data={"q": "Привіт.", "s": english, "source": "uk", "target": "en"})
    assert suggesting.post("/translate", json={"q": "Привіт.", "source": "uk"}).json()["translatedText"] == "Hi."
    assert len(store) == 1


def test_a_suggestion_of_several_sentences_is_refused_saying_why(suggesting):
    response = suggesting.post("/suggest", data={"q": "Привіт. Як справи?", "s": "Hi. How are you?", "source": "uk",
                                                 "target": "en"})
    assert_error(response, 400, "2 sentences", "each sentence")


def test_suggest_needs_the_api_key_when_the_server_has_one(east_slavic, store):
    with TestClient(create_api(TranslatorHost(east_slavic), api_key="s3cret", suggestions=store)) as keyed:
        fields = {"q": "Привіт.", "s": "Hello.", "source": "uk", "target": "en"}
        assert keyed.post("/suggest", data=fields).status_code == 401
        assert keyed.post("/suggest", data={**fields, "api_key": "wrong"}).status_code == 403
        assert keyed.post("/suggest", data={**fields, "api_key": "s3cret"}).json() == {"success": True}
    assert len(store) == 1


def test_a_correction_is_keyed_on_the_original_sentence_not_the_glossary_annotated_one(east_slavic, store):
    store.add("Столтенберг прибув.", "Stoltenberg has come.", "uk")
    result = east_slavic.translate_documents(["Столтенберг прибув."], corrections=store)[0]
    assert result.text == "Stoltenberg has come."
    assert [(t.target, t.applied) for t in result.terms if t.target == "Stoltenberg"] == [("Stoltenberg", True)]


# ------------------------------------------------------------------------------------------------- metrics
def test_metrics_are_prometheus_text_counting_requests_by_endpoint_and_status(east_slavic):
    with TestClient(create_api(TranslatorHost(east_slavic))) as fresh:
        fresh.post("/translate", json={"q": "Дякую.", "source": "uk"})
        fresh.post("/translate", json={"source": "uk"})
        response = fresh.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    text = response.text
    assert 'libretranslate_http_request_duration_seconds_count{endpoint="/translate",status="200"} 1.0' in text
    assert 'libretranslate_http_request_duration_seconds_count{endpoint="/translate",status="400"} 1.0' in text
    assert 'uken_translated_characters_total{source="uk"} 6.0' in text
    assert "uken_model_ready 1.0" in text
    assert "api_key" not in text and "request_ip" not in text


def test_metrics_of_a_random_path_are_counted_as_other(east_slavic):
    with TestClient(create_api(TranslatorHost(east_slavic))) as fresh:
        fresh.get("/no/such/page-123")
        text = fresh.get("/metrics").text
    assert 'endpoint="other",status="404"' in text and "page-123" not in text


@pytest.mark.parametrize("options, header, status", [
    (dict(metrics_token="m-tok"), None, 401),
    (dict(metrics_token="m-tok"), "Bearer wrong", 401),
    (dict(metrics_token="m-tok"), "Bearer m-tok", 200),
    (dict(api_key="a-key"), None, 401),
    (dict(api_key="a-key"), "Bearer a-key", 200),
    (dict(api_key="a-key", metrics_token="m-tok"), "Bearer a-key", 401),
])
def test_metrics_need_the_metrics_token_or_else_the_api_key(east_slavic, options, header, status):
    with TestClient(create_api(TranslatorHost(east_slavic), **options)) as fresh:
        response = fresh.get("/metrics", headers={"Authorization": header} if header else {})
    assert response.status_code == status
    if status == 401:
        assert response.json() == {"error": "Unauthorized"}


# ---------------------------------------------------------------------------------------------------- CORS
def test_answers_to_a_page_carry_libretranslates_cors_headers(client):
    response = client.post("/translate", json={"q": "Дякую.", "source": "uk"}, headers={"Origin": "https://a.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-expose-headers"] == "Authorization"
    assert "access-control-allow-credentials" not in response.headers


def test_an_error_answer_carries_cors_headers_too(client):
    response = client.post("/translate", json={"source": "uk"}, headers={"Origin": "https://a.example"})
    assert response.status_code == 400 and response.headers["access-control-allow-origin"] == "*"


def test_a_preflight_request_is_answered_with_the_allowed_methods_and_headers(client):
    response = client.options("/translate", headers={"Origin": "https://a.example",
                                                     "Access-Control-Request-Method": "POST",
                                                     "Access-Control-Request-Headers": "Content-Type, Authorization"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-methods"] == "GET, POST"
    assert response.headers["access-control-max-age"] == "1728000"
    assert {"authorization", "content-type"} <= {h.strip().lower() for h in
                                                 response.headers["access-control-allow-headers"].split(",")}


def test_configured_origins_are_allowed_and_others_refused_in_json(east_slavic):
    with TestClient(create_api(TranslatorHost(east_slavic), cors_origins="https://newsroom.example")) as strict:
        allowed = strict.get("/languages", headers={"Origin": "https://newsroom.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://newsroom.example"
        assert "access-control-allow-origin" not in strict.get("/languages", headers={"Origin": "https://evil.example"}).headers
        refused = strict.options("/translate", headers={"Origin": "https://evil.example",
                                                        "Access-Control-Request-Method": "POST"})
        assert_error(refused, 400, "origin")


def test_no_cors_origins_send_no_cors_headers(east_slavic):
    with TestClient(create_api(TranslatorHost(east_slavic), cors_origins=None)) as closed:
        response = closed.get("/languages", headers={"Origin": "https://a.example"})
    assert "access-control-allow-origin" not in response.headers

"""The LibreTranslate-compatible HTTP API on the tiny random-weight model, through FastAPI's test client."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient
from fakes import FakeEngine
from servers import assert_error

from translate.host import TranslatorHost
from translate.http_api import create_api

LIMIT = 20_000


@pytest.fixture(scope="module")
def client(translator):
    with TestClient(create_api(TranslatorHost(translator), max_request_bytes=LIMIT)) as client:
        yield client


@pytest.fixture(scope="module")
def keyed_client(translator):
    with TestClient(create_api(TranslatorHost(translator), api_key="s3cret")) as client:
        yield client


@pytest.fixture(scope="module")
def glossary():
    from translate.glossary import Glossary

    return Glossary.from_pairs([("Столтенберг", "Stoltenberg"), ("Північна Македонія", "North Macedonia")])


def test_json_request_is_translated_with_its_paragraphs(client, translator):
    text = "Перший абзац новини.\n\nДругий абзац новини."
    response = client.post("/translate", json={"q": text, "source": "uk", "target": "en", "format": "text"})
    assert response.status_code == 200
    english = response.json()["translatedText"]
    assert english == translator.translate(text)
    assert english.count("\n\n") == 1 and all(p.strip() for p in english.split("\n\n"))
    assert "terms" not in response.json()


def test_list_of_texts_is_translated_in_order(client, translator):
    texts = ["Привіт.", "Як справи у Києві?", "Дякую."]
    response = client.post("/translate", json={"q": texts, "source": "uk", "target": "en"})
    assert response.status_code == 200
    assert response.json()["translatedText"] == translator.translate_batch(texts)


def test_form_encoded_request_is_accepted(client, translator):
    response = client.post("/translate", data={"q": "Привіт", "source": "uk", "target": "en"})
    assert response.status_code == 200
    assert response.json()["translatedText"] == translator.translate("Привіт")


def test_auto_source_and_defaults_are_taken_as_ukrainian_to_english(client, translator):
    for body in ({"q": "Привіт", "source": "auto", "target": "en"}, {"q": "Привіт"}):
        response = client.post("/translate", json=body)
        assert response.status_code == 200
        assert response.json()["translatedText"] == translator.translate("Привіт")


JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("request_kwargs, status, words", [
    (dict(content='{"q": "Привіт"'.encode(), headers=JSON), 400, ["JSON"]),  # truncated
    (dict(json=["Привіт"]), 400, ["JSON object"]),
    (dict(json={"source": "uk", "target": "en"}), 400, ["missing q"]),
    (dict(data={"source": "uk", "target": "en"}), 400, ["missing q"]),
    (dict(json={"q": 42}), 400, ["string"]),
    (dict(json={"q": ["Привіт", None]}), 400, ["string"]),
    (dict(json={"q": "Hallo", "source": "de", "target": "en"}), 400, ["'de'"]),
    (dict(json={"q": "Привіт", "source": "uk", "target": "fr"}), 400, ["'fr'"]),
    (dict(json={"q": "# Привіт", "source": "uk", "target": "en", "format": "markdown"}), 400, ["markdown"]),
    (dict(content="<q>Привіт</q>".encode(), headers={"content-type": "application/xml"}), 415, ["application/json"]),
], ids=["truncated JSON", "JSON list", "no q (JSON)", "no q (form)", "q a number", "q holds null", "source de",
        "target fr", "format markdown", "XML body"])
def test_bad_request_is_a_json_error_saying_what_is_wrong(client, request_kwargs, status, words):
    assert_error(client.post("/translate", **request_kwargs), status, *words)


def test_missing_api_key_is_a_401(keyed_client):
    assert_error(keyed_client.post("/translate", json={"q": "Привіт"}), 401, "API key")


def test_wrong_api_key_is_a_403(keyed_client):
    assert_error(keyed_client.post("/translate", json={"q": "Привіт", "api_key": "guess"}), 403, "API key")
    response = keyed_client.post("/translate", json={"q": "Привіт"}, headers={"Authorization": "Bearer guess"})
    assert_error(response, 403, "API key")


def test_right_api_key_in_body_form_or_header_is_served(keyed_client):
    assert keyed_client.post("/translate", json={"q": "Привіт", "api_key": "s3cret"}).status_code == 200
    assert keyed_client.post("/translate", data={"q": "Привіт", "api_key": "s3cret"}).status_code == 200
    response = keyed_client.post("/translate", json={"q": "Привіт"}, headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 200


def test_api_key_is_not_needed_for_languages_and_health(keyed_client):
    assert keyed_client.get("/languages").status_code == 200
    assert keyed_client.get("/health").status_code == 200


def test_glossary_extension_enforces_its_terms_and_reports_them(client):
    text = "Столтенберг прибув до Північної Македонії."
    body = {"q": text, "source": "uk", "target": "en", "terms": True,
            "glossary": [["Столтенберг", "Stoltenberg"], ["Північна Македонія", "North Macedonia"]]}
    response = client.post("/translate", json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "Stoltenberg" in answer["translatedText"] and "North Macedonia" in answer["translatedText"]
    by_target = {t["target"]: t for t in answer["terms"]}
    assert set(by_target) == {"Stoltenberg", "North Macedonia"}
    macedonia = by_target["North Macedonia"]
    assert text[macedonia["start"]:macedonia["end"]] == macedonia["surface"] == "Північної Македонії"
    assert all(t["applied"] for t in answer["terms"])


def test_glossary_extension_applies_to_that_request_only(client):
    with_terms = client.post("/translate", json={"q": "Столтенберг", "terms": True,
                                                  "glossary": [["Столтенберг", "Stoltenberg"]]}).json()
    without = client.post("/translate", json={"q": "Столтенберг", "terms": True}).json()
    assert len(with_terms["terms"]) == 1
    assert without["terms"] == []


def test_terms_for_a_list_are_reported_per_item(client):
    body = {"q": ["Столтенберг говорив.", "Ніхто не говорив.", "Столтенберга чекали."], "terms": True,
            "glossary": [["Столтенберг", "Stoltenberg"]], "source": "uk", "target": "en"}
    answer = client.post("/translate", json=body).json()
    assert [len(items) for items in answer["terms"]] == [1, 0, 1]
    assert answer["terms"][2][0]["surface"] == "Столтенберга"


def test_glossary_extension_in_a_form_is_json_text(client):
    response = client.post("/translate", data={"q": "Столтенберг", "terms": "true",
                                               "glossary": '[["Столтенберг", "Stoltenberg"]]'})
    assert response.status_code == 200
    assert response.json()["terms"][0]["target"] == "Stoltenberg"


@pytest.mark.parametrize("glossary", [
    "Столтенберг=Stoltenberg", [["Столтенберг"]], [["Столтенберг", ""]], [["Столтенберг", 7]], {"uk": "en"},
    [["Київ", "Kyiv"], ["Київ", "Kiev"]],
])
def test_malformed_glossary_extension_is_a_400(client, glossary):
    assert_error(client.post("/translate", json={"q": "Привіт", "glossary": glossary}), 400, "glossary")


def test_three_megabyte_body_is_a_413_at_once_and_the_server_keeps_serving(client):
    body = b'{"q": "' + "Привіт. ".encode() * 220_000 + b'", "source": "uk", "target": "en"}'
    assert len(body) > 3_000_000
    started = time.perf_counter()
    response = client.post("/translate", content=body, headers={"content-type": "application/json"})
    assert time.perf_counter() - started < 2
    assert_error(response, 413, f"{LIMIT:,}")
    assert client.post("/translate", json={"q": "Привіт"}).status_code == 200


def test_streamed_body_over_the_limit_is_a_413(client):
    chunks = iter([b'{"q": "'] + [b"a" * 10_000] * 300 + [b'"}'])
    response = client.post("/translate", content=chunks, headers={"content-type": "application/json"})
    assert response.request.headers.get("transfer-encoding") == "chunked"  # no Content-Length to go by
    assert_error(response, 413, "limit")
    assert client.post("/translate", json={"q": "Привіт"}).status_code == 200


def test_streamed_body_under_the_limit_is_served(client, translator):
    chunks = iter([b'{"q": ', '"Привіт"'.encode(), b"}"])
    response = client.post("/translate", content=chunks, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json()["translatedText"] == translator.translate("Привіт")


def test_languages_lists_ukrainian_to_english(client):
    # English is listed too (no targets): Discourse, Weblate and LibreTranslate's page look the target up there.
    assert client.get("/languages").json() == [{"code": "uk", "name": "Ukrainian", "targets": ["en"]},
                                               {"code": "en", "name": "English", "targets": []}]


def test_health_names_the_model_once_ready(client, translator):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "model": translator.info()["model"]}


def test_health_is_503_while_loading_and_200_after(translator):
    release = threading.Event()

    def load():
        release.wait(30)
        return translator

    host = TranslatorHost.load_in_background(load)
    with TestClient(create_api(host)) as client:
        loading = client.get("/health")
        assert loading.status_code == 503 and loading.json()["status"] == "loading"
        assert_error(client.post("/translate", json={"q": "Привіт"}), 503, "loading")
        release.set()
        assert host.wait(30)
        assert client.get("/health").json()["status"] == "ok"
        assert client.post("/translate", json={"q": "Привіт"}).status_code == 200


def test_health_reports_a_failed_load(translator):
    from translate.errors import ModelLoadError

    def load():
        raise ModelLoadError("Model folder 'nowhere' does not exist.")

    host = TranslatorHost.load_in_background(load, on_error=lambda e: None)
    assert host.wait(30)
    with TestClient(create_api(host)) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json() == {"status": "failed", "error": "Model folder 'nowhere' does not exist."}
        assert_error(client.post("/translate", json={"q": "Привіт"}), 503, "nowhere")


def test_requests_use_the_model_one_at_a_time(translator):
    from translate.host import FifoLock
    from translate.pipeline import Translator

    active, most = [0], [0]
    guard = threading.Lock()
    queued = threading.Semaphore(0)
    all_at_lock = threading.Event()

    class SignallingLock(FifoLock):
        """The host's lock, saying when a caller starts waiting for it."""

        def __enter__(self):
            queued.release()
            return super().__enter__()

    def enter(sources):
        with guard:
            active[0] += 1
            most[0] = max(most[0], active[0])
        # The first engine call holds the model until all four requests have come to the lock; any other call
        # reaching the engine meanwhile is an overlap.
        assert all_at_lock.wait(60), "the requests never reached the model lock"

    def leave(sources):
        with guard:
            active[0] -= 1

    watched = FakeEngine(wraps=translator.engine, before_call=enter, after_call=leave)
    host = TranslatorHost(Translator.from_settings(translator.settings, engine=watched))
    host._model_lock = SignallingLock()  # the same lock class, observed
    statuses = []
    with TestClient(create_api(host)) as client:
        def ask(i):
            statuses.append(client.post("/translate", json={"q": f"Новина номер {i}."}).status_code)

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for _ in range(4):  # every request takes the lock at least once (to segment), so four arrive
            assert queued.acquire(timeout=60)
        all_at_lock.set()
        for t in threads:
            t.join(60)
    assert statuses == [200] * 4
    assert most[0] == 1


def test_openapi_docs_describe_the_translate_endpoint(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/translate"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/x-www-form-urlencoded"} <= set(body)
    assert {"q", "source", "target", "glossary", "terms"} <= set(body["application/json"]["schema"]["properties"])
    assert {"/languages", "/health"} <= set(spec["paths"])

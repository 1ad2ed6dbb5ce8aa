"""Hardening of the HTTP API, the model host, the caches and the Python API against hostile or unlucky input.

Bad bodies answer 400 JSON (never 500), every error is {"error"}, request glossaries and caches are bounded,
a stalled body gets 408, a big request neither starves a small one nor outlives its client.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

import schemathesis
import servers
from fakes import FakeEngine
from servers import assert_error
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from translate.glossary import Glossary, disk_cache, expansions
from translate import morphology
from translate.errors import LimitError
from translate.host import TranslatorHost
from translate.http_api import create_api
from translate.pipeline import Translator


@pytest.fixture(scope="module")
def client(fast_translator):
    with TestClient(create_api(TranslatorHost(fast_translator), api_key="s3cret")) as client:
        yield client


class Gate:
    """A `before_call` hook: a call not holding a `free` sentence reports "big" and waits until let through."""

    def __init__(self, free=()):
        self.free = set(free)
        self.gate = threading.Semaphore(0)
        self.events: queue.Queue[str] = queue.Queue()

    def __call__(self, sources):
        if not self.free & set(sources):
            self.events.put("big")
            assert self.gate.acquire(timeout=60), "the test never let this call go on"


# ------------------------------------------------------------------------------------ the Python API


@pytest.mark.parametrize("text, copied", [
    ("\ud800", "\ud800"),  # nothing else: copied as it is
    ("\udfff\n\n\ud800 \udc00", "\udfff\n\n\ud800 \udc00"),
    ("При\ud800віт, світе.", None),
    ("Перше речення.\ud83d Друге\udfff речення.\n\ud800", None),
])
def test_lone_surrogates_never_raise_in_the_python_api(fast_translator, text, copied):
    english = fast_translator.translate(text)
    assert english.count("\n") == text.count("\n")
    assert fast_translator.translate_batch([text, "Привіт."])[0] == english
    assert fast_translator.translate_document(text).text == english
    if copied is not None:
        assert english == copied


# ------------------------------------------------------------------------------------ no 500s


NESTED = b'{"q": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"


@pytest.mark.parametrize("body, words", [
    (b'{"q": "\\ud800", "api_key": "s3cret"}', ["'q'", "surrogate"]),
    (b'{"q": ["\\u041f\\u0440\\u0438\\udfff\\u0432\\u0456\\u0442"], "api_key": "s3cret"}', ["'q'", "surrogate"]),
    (b'{"q": "x", "glossary": [["\\ud800", "Kyiv"]], "api_key": "s3cret"}', ["'glossary'", "surrogate"]),
    (b'{"q": "x", "api_key": "s3\\ud800cret"}', ["'api_key'", "surrogate"]),
    (NESTED, ["nested too deeply"]),
    (b'{"q": "x", "api_key": "s3cret", "terms": ' + b"7" * 50_000 + b"}", ["not valid JSON"]),
    (b'{"q": "x", "api_key": "s3cret", "source": ' + b"9" * 50_000 + b"}", ["not valid JSON"]),
])
def test_hostile_json_bodies_are_400s_not_500s(client, body, words):
    response = client.post("/translate", content=body, headers={"content-type": "application/json"})
    assert_error(response, 400, *words)


@pytest.fixture(scope="module")
def mounted_client(fast_translator):
    """The API with a FastAPI app mounted at "/", as the web page is: its own errors are {"detail"} or HTML."""
    app = create_api(TranslatorHost(fast_translator))
    ui = FastAPI()

    @ui.get("/page")
    async def page():
        return {"ok": True}

    @ui.get("/gone")
    async def gone():
        return HTMLResponse("<h1>Gone</h1>", status_code=404)

    @ui.get("/locked")
    async def locked():  # gradio's login answers so: a detail that is itself an object with an error
        raise HTTPException(401, detail={"error": "Not authenticated", "auth_message": "Log in first."})

    app.mount("/", ui)
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/nowhere", 404),  # falls through to the mount: FastAPI's {"detail": "Not Found"}
    ("GET", "/gone", 404),  # HTML
    ("POST", "/page", 405),
    ("GET", "/translate", 404),  # a method /translate lacks falls through to the mount too
    ("DELETE", "/languages", 405),
    ("TRACE", "/", 405),
    ("TRACE", "/translate", 405),
    ("PROPFIND", "/page", 405),
])
def test_every_error_answer_is_json_with_an_error_field(mounted_client, method, path, status):
    assert_error(mounted_client.request(method, path), status)


def test_an_error_object_in_a_detail_gives_its_own_message(mounted_client):
    answer = mounted_client.get("/locked")
    assert_error(answer, 401)
    assert answer.json()["error"] == "Not authenticated"
    assert answer.json()["detail"]["auth_message"] == "Log in first."  # gradio's own client still reads it


# ------------------------------------------------------------------------------------ limits


def test_more_items_than_the_batch_limit_is_a_400_in_libretranslates_words(fast_translator):
    with TestClient(create_api(TranslatorHost(fast_translator), max_items=3)) as client:
        assert_error(client.post("/translate", json={"q": ["а", "б", "в", "г"]}), 400,
                     "Invalid request: request (4) exceeds text limit (3)")
        assert client.post("/translate", json={"q": ["а", "б", "в"]}).status_code == 200


@pytest.mark.parametrize("pairs, words", [
    ([["Київ", "Kyiv"], ["Львів", "Lviv"], ["Харків", "Kharkiv"]], ["3 pairs", "limit of 2 pairs"]),
    ([["Дніпропетровськ", "Dnipropetrovsk"]], ["29 characters", "limit of 20 characters"]),
])
def test_request_glossary_over_its_caps_is_refused_on_every_route(fast_translator, pairs, words):
    host = TranslatorHost(fast_translator, max_glossary_pairs=2, max_glossary_chars=20)
    with TestClient(create_api(host)) as client:
        assert_error(client.post("/translate", json={"q": "Київ", "glossary": pairs}), 413, *words)
    with pytest.raises(LimitError) as raised:  # the web page calls host.translate(texts, pairs)
        host.translate(["Київ"], pairs)
    assert all(w in str(raised.value) for w in words)


def test_request_glossaries_are_never_written_to_the_disk_cache(fast_translator, monkeypatch):
    monkeypatch.setattr(disk_cache, "_CACHE_MIN_ENTRIES", 1)  # any glossary would be cached
    monkeypatch.setattr(disk_cache, "_CACHE_AFTER_S", 0.0)
    cache = disk_cache._default_cache_dir()
    # The server's own glossary may keep its disk cache…
    base = Glossary.from_pairs([("Столтенберг", "Stoltenberg")])
    base.find("Столтенберг")
    before = set(cache.glob("*"))
    host = TranslatorHost(Translator.from_settings(fast_translator.settings, engine=fast_translator.engine,
                                                   glossary=base))
    with TestClient(create_api(host)) as client:
        for n in range(3):
            body = {"q": "Київ і Львів.", "glossary": [[f"Місто{n}", f"Town{n}"], ["Київ", "Kyiv"]]}
            assert client.post("/translate", json=body).status_code == 200
    assert set(cache.glob("*")) == before  # …but not a request's


def test_merged_glossary_cache_is_bounded_by_entries_summed(fast_translator):
    host = TranslatorHost(fast_translator, max_cached_glossary_entries=5)
    first_pairs = [("Київ", "Kyiv"), ("Львів", "Lviv")]
    first = host.glossary_with(first_pairs)
    assert host.glossary_with(first_pairs) is first  # cached
    for n in range(3):  # 2 entries each: 8 in all, over the budget of 5
        host.glossary_with([(f"Місто{n}", f"Town{n}"), (f"Село{n}", f"Village{n}")])
    assert host.glossary_with(first_pairs) is not first  # the oldest went first


def test_process_wide_expansion_cache_keeps_at_most_its_bound(monkeypatch):
    monkeypatch.setattr(expansions, "_EXPANSIONS_MAX", 10)
    monkeypatch.setattr(expansions, "_EXPANSIONS", {})
    pairs = [(f"Місто{n}", f"Town{n}") for n in range(30)] + [("Київ", "Kyiv")]
    g = Glossary.from_pairs(pairs, cache_dir=False)
    assert [m.headword for m in g.find("У Києві.")] == ["Київ"]
    assert len(expansions._EXPANSIONS) == 10


@pytest.mark.parametrize("parts", [12, 40])
def test_a_headword_of_many_coordinated_parts_does_not_explode_into_forms(parts):
    expansion = morphology.expand(" і ".join(["Київ"] * parts))
    assert len(expansion.forms) <= morphology.MAX_FORMS


# ------------------------------------------------------------------------------------ slow and huge requests


def raw_request(url: str, head: bytes, body: bytes) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    sock.sendall(head + body)
    return sock


def test_a_body_that_stops_arriving_gets_a_408(fast_translator):
    with servers.running(create_api(TranslatorHost(fast_translator), body_timeout=0.5)) as url:
        sock = raw_request(url, b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                b"Content-Length: 100\r\n\r\n", b'{"q": "Pr')
        started = time.perf_counter()
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            data = sock.recv(65536)
            if not data:
                break
            answer += data
        sock.close()
    assert time.perf_counter() - started < 10
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408")
    assert "0.5 seconds" in json.loads(body)["error"]


def test_a_small_request_is_served_while_a_big_one_is_still_running(fast_translator):
    small = "Привіт, світе."
    gate = Gate(free=[small])
    engine = FakeEngine(wraps=fast_translator.engine, before_call=gate)
    host = TranslatorHost(Translator.from_settings(fast_translator.settings, engine=engine), chunk_sentences=1)
    statuses = {}
    with TestClient(create_api(host)) as client:
        def ask(name, q):
            statuses[name] = client.post("/translate", json={"q": q}).status_code
            gate.events.put(f"{name} done")

        big = threading.Thread(target=ask, args=("big", [f"Новина номер {i}." for i in range(12)]))
        big.start()
        assert gate.events.get(timeout=60) == "big"  # the big request holds the model for its first chunk
        threading.Thread(target=ask, args=("small", small)).start()
        order = []
        while not order or order[-1] == "big":
            gate.gate.release()  # one more chunk of the big request
            order.append(gate.events.get(timeout=60))
        gate.gate.release(100)
        big.join(60)
    assert order[-1] == "small done", order
    assert order.count("big") < 11  # the small one did not wait for all 12 chunks
    assert statuses == {"small": 200, "big": 200}


def test_a_client_that_goes_away_stops_its_translation_between_chunks(fast_translator):
    gate = Gate()
    engine = FakeEngine(wraps=fast_translator.engine, before_call=gate)
    asked: queue.Queue = queue.Queue()
    finished = threading.Event()

    class WatchedHost(TranslatorHost):
        def translate(self, texts, pairs=(), **kwargs):
            asked.put(kwargs.get("cancel"))
            try:
                return super().translate(texts, pairs, **kwargs)
            finally:
                finished.set()

    host = WatchedHost(Translator.from_settings(fast_translator.settings, engine=engine), chunk_sentences=1)
    body = json.dumps({"q": [f"Новина номер {i}." for i in range(6)]}).encode()
    with servers.running(create_api(host)) as url:
        sock = raw_request(url, b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                b"Content-Length: %d\r\n\r\n" % len(body), body)
        assert gate.events.get(timeout=60) == "big"  # the first chunk is at the model
        sock.close()
        cancel = asked.get(timeout=10)
        assert cancel is not None and cancel.wait(10), "the server did not notice the client going away"
        gate.gate.release(100)
        assert finished.wait(60)
    assert engine.calls == 1  # no chunk after the one that was running


# ------------------------------------------------------------------------------------ fuzzing the schema


def test_generated_requests_get_no_5xx_and_answers_that_match_the_schema(fast_translator):
    # Schemathesis's pytest plugin (from_fixture) does not run on pytest 9, so its strategies go to hypothesis.
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    with servers.running(create_api(TranslatorHost(fast_translator), max_items=8)) as url:
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        for operation in [result.ok() for result in schema.get_all_operations()]:
            # Negative data (against the schema) only where there is something to break: a body.
            post = operation.method.upper() == "POST"
            modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if post else [])
            for mode in modes:
                @given(case=operation.as_strategy(generation_mode=mode))
                @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
                def answers_well(case):
                    case.call_and_validate(checks=checks)

                answers_well()

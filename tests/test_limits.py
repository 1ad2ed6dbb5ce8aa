"""Keys and limits on a live server (translate/limits.py): LibreTranslate 1.9's status codes and words for the
request, character and batch limits, per key or per client address; database keys next to the single
api_key; the web page behind its login whenever keys are required."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import httpx
import pytest

from translate import web
from translate.http_api import create_api
from translate.host import TranslatorHost
from translate.keys import KeyStore
from translate.limits import Gate

from servers import assert_error, running

pytestmark = [pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

EMPTY_TABLE = {"headers": ["uk", "en"], "data": [["", ""]], "metadata": None}


@contextmanager
def api(translator, **gate) -> Iterator[str]:
    batch_limit = gate.pop("batch_limit", 128)
    app = create_api(TranslatorHost(translator), gate=Gate(batch_limit=batch_limit, **gate), max_items=batch_limit)
    with running(app) as url:
        yield url


def post(url: str, body: dict, **kwargs) -> httpx.Response:
    return httpx.post(f"{url}/translate", json={"source": "uk", "target": "en", **body}, timeout=60, **kwargs)


@pytest.fixture
def store(tmp_path) -> KeyStore:
    return KeyStore(tmp_path / "keys.sqlite3")


# ------------------------------------------------------------------------------------------ request limit
def test_over_the_request_limit_is_a_429_slowdown(fast_translator):
    with api(fast_translator, req_limit=2) as url:
        assert [post(url, {"q": "Привіт"}).status_code for _ in range(2)] == [200, 200]
        assert_error(post(url, {"q": "Привіт"}), 429)
        assert post(url, {"q": "Привіт"}).json() == {"error": "Slowdown: 2 per 1 minute"}


def test_a_list_q_counts_once_per_item(fast_translator):
    with api(fast_translator, req_limit=3) as url:
        assert post(url, {"q": ["Один", "Два", "Три"]}).status_code == 200
        assert post(url, {"q": "Чотири"}).json() == {"error": "Slowdown: 3 per 1 minute"}


def test_each_key_has_its_own_count_and_limit(fast_translator, store):
    slow, _ = store.add(name="slow", req_limit=1)
    other, _ = store.add(name="other")
    with api(fast_translator, keys=store, req_limit=2) as url:
        assert post(url, {"q": "Привіт", "api_key": slow}).status_code == 200
        assert post(url, {"q": "Привіт", "api_key": slow}).json() == {"error": "Slowdown: 1 per 1 minute"}
        # Another key, and clients without one, are counted apart (and have the server's limit of 2).
        assert [post(url, {"q": "Привіт", "api_key": other}).status_code for _ in range(3)] == [200, 200, 429]
        assert [post(url, {"q": "Привіт"}).status_code for _ in range(3)] == [200, 200, 429]


def test_get_routes_are_never_limited(fast_translator):
    with api(fast_translator, req_limit=1) as url:
        assert [httpx.get(f"{url}/languages").status_code for _ in range(3)] == [200, 200, 200]
        assert post(url, {"q": "Привіт"}).status_code == 200


# ---------------------------------------------------------------------------------- character and batch limits
@pytest.mark.parametrize("q, message", [
    ("Привіт!", "Invalid request: request (7) exceeds text limit (6)"),
    (["Так", "Привіт!"], "Invalid request: request (7) exceeds text limit (6)"),  # each text, as LibreTranslate 1.9
])
def test_a_text_over_the_character_limit_is_a_400(fast_translator, q, message):
    with api(fast_translator, char_limit=6) as url:
        assert post(url, {"q": "Привіт"}).status_code == 200
        answer = post(url, {"q": q})
        assert (answer.status_code, answer.json()) == (400, {"error": message})


def test_a_key_has_its_own_character_and_batch_limits(fast_translator, store):
    roomy, _ = store.add(name="roomy", char_limit=20, batch_limit=3)
    with api(fast_translator, keys=store, char_limit=6, batch_limit=2) as url:
        assert post(url, {"q": ["Один", "Два", "Три"], "api_key": roomy}).status_code == 200
        assert post(url, {"q": "Привіт, світе!", "api_key": roomy}).status_code == 200
        assert post(url, {"q": ["Один", "Два", "Три"]}).json() == {
            "error": "Invalid request: request (3) exceeds text limit (2)"}
        assert post(url, {"q": ["1", "2", "3", "4"], "api_key": roomy}).json() == {
            "error": "Invalid request: request (4) exceeds text limit (3)"}


# ------------------------------------------------------------------------------------------------ keys
def test_database_keys_and_the_api_key_are_all_accepted(fast_translator, store):
    key, _ = store.add(name="desk")
    with api(fast_translator, keys=store, api_key="s3cret") as url:
        assert post(url, {"q": "Привіт", "api_key": key}).status_code == 200
        assert post(url, {"q": "Привіт"}, headers={"Authorization": f"Bearer {key}"}).status_code == 200
        assert post(url, {"q": "Привіт", "api_key": "s3cret"}).status_code == 200
        assert post(url, {"q": "Привіт", "api_key": "guess"}).json() == {"error": "Invalid API key"}
        assert_error(post(url, {"q": "Привіт"}), 401, "Please contact the server operator to get an API key")


def test_a_removed_key_is_refused_from_the_next_request(fast_translator, store):
    key, _ = store.add(name="gone")
    with api(fast_translator, keys=KeyStore(store.path), require_api_key=True) as url:
        assert post(url, {"q": "Привіт", "api_key": key}).status_code == 200
        store.remove("gone")  # as `uk-en keys remove` does, from another process
        assert_error(post(url, {"q": "Привіт", "api_key": key}), 403, "Invalid API key")


def test_keys_are_optional_with_the_database_alone_but_a_wrong_one_is_a_403(fast_translator, store):
    with api(fast_translator, keys=store) as url:  # LibreTranslate's --api-keys: keys choose limits
        assert post(url, {"q": "Привіт"}).status_code == 200
        assert_error(post(url, {"q": "Привіт", "api_key": "guess"}), 403, "Invalid API key")


@pytest.mark.parametrize("origin, status", [("https://newsroom.example", 200), ("https://elsewhere.example", 400),
                                            (None, 400)])
def test_without_a_key_only_the_allowed_origin_is_served(fast_translator, origin, status):
    with api(fast_translator, require_api_key_origin=r"https://newsroom\.example$") as url:
        answer = post(url, {"q": "Привіт"}, headers={"Origin": origin} if origin else {})
        assert answer.status_code == status
        if status == 400:
            assert answer.json() == {"error": "Please contact the server operator to get an API key"}


def test_a_post_route_added_later_is_guarded_too(fast_translator):
    app = create_api(TranslatorHost(fast_translator), api_key="s3cret")

    @app.post("/later")
    async def later() -> dict:
        return {"ok": True}

    with running(app) as url:
        assert_error(httpx.post(f"{url}/later", json={}), 401, "API key")
        assert httpx.post(f"{url}/later", json={"api_key": "s3cret"}).json() == {"ok": True}


def test_a_body_that_cannot_be_read_gets_the_routes_own_error_before_any_key_check(fast_translator):
    with api(fast_translator, api_key="s3cret") as url:
        answer = httpx.post(f"{url}/translate", content=b"{not json", headers={"Content-Type": "application/json"})
        assert_error(answer, 400, "not valid JSON")


# ------------------------------------------------------------------------------------------------ the page
def test_with_database_keys_required_the_page_opens_with_the_api_key_only(fast_translator, store):
    key, _ = store.add(name="desk")
    app = web.create_app(fast_translator, api_key="s3cret", api_keys=True, api_keys_db_path=str(store.path))
    with running(app) as url, httpx.Client(base_url=url) as client:
        assert client.post("/gradio_api/call/translate", json={"data": ["Привіт", EMPTY_TABLE]}).status_code == 401
        assert client.post("/login", data={"username": "u", "password": key}).status_code == 400
        assert client.post("/login", data={"username": "u", "password": "s3cret"}).status_code == 200
        assert client.post("/translate", json={"q": "Привіт", "api_key": key}).status_code == 200


def test_keys_required_without_an_api_key_lock_the_page(fast_translator, store):
    key, _ = store.add(name="desk")
    app = web.create_app(fast_translator, require_api_key=True, api_keys=True, api_keys_db_path=str(store.path))
    with running(app) as url, httpx.Client(base_url=url) as client:
        assert client.post("/gradio_api/call/translate", json={"data": ["Привіт", EMPTY_TABLE]}).status_code == 401
        assert client.post("/login", data={"username": "u", "password": key}).status_code == 400
        assert client.post("/translate", json={"q": "Привіт", "api_key": key}).status_code == 200


def test_the_page_has_the_request_limit_per_client_too(fast_translator):
    app = web.create_app(fast_translator, req_limit=1)
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        results = []
        for _ in range(2):
            started = client.post("/gradio_api/call/translate", json={"data": ["Привіт", EMPTY_TABLE]})
            results.append(client.get(f"/gradio_api/call/translate/{started.json()['event_id']}").text)
        assert "event: complete" in results[0]
        assert "event: error" in results[1] and "Slowdown: 1 per 1 minute" in results[1]
        assert post(url, {"q": "Привіт"}).json() == {"error": "Slowdown: 1 per 1 minute"}  # one count for both

"""The HTTP API: LibreTranslate-compatible uk→en translation over JSON or form posts, on FastAPI.

`create_api(host, api_key=..., max_request_bytes=..., max_items=..., body_timeout=...)` takes a
`TranslatorHost` (the server's one Translator, possibly still loading in the background) and returns a
FastAPI app with:

- `POST /translate`: `{"q": str | [str], "source": "uk" | "auto", "target": "en", "format": "text",
  "api_key"?}` as JSON or form fields → `{"translatedText": str | [str]}`; our extension
  `"glossary": [[uk, en], …]` adds terms for this request (over the server's glossary) and `"terms": true`
  adds `"terms"`: per q item, one report per matched source term.
- `GET /languages`, `GET /health` (200 once the model is ready, 503 before), OpenAPI docs at `/docs`.

Every error answer, on every path (a UI mounted on the app included, 404 and 405 too), is JSON
`{"error": "..."}` (LibreTranslate's shape); methods no route declares (TRACE…) get 405. Bodies over the size
limit answer 413 from the declared Content-Length alone, or as soon as a streamed body passes the limit,
without reading the rest; a body that has not fully arrived within `body_timeout` seconds answers 408.

The model call is blocking: it runs in a worker thread. The host takes the model in turns of a few dozen
sentences, waiters served in arrival order, so a small request never waits for all of a big one, and a
request whose client has gone away stops at its next turn. A request's own glossary is capped (pairs and
characters); merged glossaries are cached up to a total number of entries.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import http
import json
import logging
import re
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Literal, Mapping, Sequence

import anyio
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.routing import Mount
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from translate.config import SERVER_BY_NAME
from translate.errors import GlossaryError, TranslateError

if TYPE_CHECKING:
    from translate.glossary import Glossary
    from translate.pipeline import Translation, Translator

log = logging.getLogger("translate.web")

SOURCE_LANGUAGES = ("uk", "auto")
TARGET_LANGUAGES = ("en",)
LANGUAGES = [{"code": "uk", "name": "Ukrainian", "targets": ["en"]}]
GlossaryPairs = tuple[tuple[str, str], ...]

# Caps on one call's own glossary pairs (the API's "glossary", the web page's session glossary).
MAX_GLOSSARY_PAIRS = SERVER_BY_NAME["max_glossary_pairs"].default
MAX_GLOSSARY_CHARS = SERVER_BY_NAME["max_glossary_chars"].default
# Merged glossaries kept for reuse, bounded by their entries summed: each index is a trie of every form.
MAX_CACHED_GLOSSARY_ENTRIES = 20_000
# Sentences per turn at the model: about a second on CPU, so a waiting small request is served soon.
CHUNK_SENTENCES = 32
# LibreTranslate's batch_limit: most items in one request's q list.
MAX_ITEMS = SERVER_BY_NAME["max_items"].default
BODY_TIMEOUT_S = SERVER_BY_NAME["body_timeout"].default
MAX_REQUEST_BYTES = SERVER_BY_NAME["max_request_bytes"].default

_SURROGATE = re.compile("[\ud800-\udfff]")


class ModelNotReady(Exception):
    """The model is still loading, or failed to load; the message says which."""


class LimitError(TranslateError):
    """A call is over one of the server's limits (e.g. its glossary has too many pairs); the message says which."""


class Cancelled(TranslateError):
    """The caller gave up (its client disconnected); the translation stopped between two turns at the model."""


class FifoLock:
    """A lock that serves waiters in arrival order.

    threading.Lock lets the thread that releases it take it straight back, so a big job taking the model in
    turns would starve everyone else.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._held = False

    def __enter__(self) -> None:
        me = object()
        with self._cond:
            self._queue.append(me)
            try:
                self._cond.wait_for(lambda: not self._held and self._queue[0] is me)
            except BaseException:  # interrupted while waiting: give up the place, let the next one in
                self._queue.remove(me)
                self._cond.notify_all()
                raise
            self._queue.popleft()
            self._held = True

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._held = False
            self._cond.notify_all()


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class TranslatorHost:
    """The server's one Translator: loaded once (perhaps in the background), used by one call at a time.

    The web UI and the HTTP API share it, so both go through `translate`, which takes the model in turns of
    `chunk_sentences` (a FIFO lock: one turn at a time, in arrival order). A call's own glossary pairs are
    capped at `max_glossary_pairs` pairs and `max_glossary_chars` characters (LimitError); merged glossaries
    (the default one plus a user's pairs) are built once and cached, `max_cached_glossary_entries` entries
    in all, least recently used first out.
    """

    def __init__(self, translator: "Translator | None" = None, *, max_glossary_pairs: int = MAX_GLOSSARY_PAIRS,
                 max_glossary_chars: int = MAX_GLOSSARY_CHARS,
                 max_cached_glossary_entries: int = MAX_CACHED_GLOSSARY_ENTRIES,
                 chunk_sentences: int = CHUNK_SENTENCES):
        self._translator = translator
        self._error: str | None = None
        self._ready = threading.Event()
        self._model_lock = FifoLock()  # the model is not re-entrant and a CPU hog: one turn at a time
        self._glossary_lock = threading.Lock()
        self._glossaries: OrderedDict[GlossaryPairs, Glossary] = OrderedDict()
        self._cached_entries = 0
        self.max_glossary_pairs = max_glossary_pairs
        self.max_glossary_chars = max_glossary_chars
        self.max_cached_glossary_entries = max_cached_glossary_entries
        self.chunk_sentences = chunk_sentences
        if translator is not None:
            self._ready.set()

    @classmethod
    def load_in_background(cls, load: Callable[[], "Translator"],
                           on_error: Callable[[BaseException], None] | None = None,
                           **limits: int) -> "TranslatorHost":
        """A host whose translator `load()` builds in a daemon thread; `on_error` hears about a failure.

        `limits` are the keyword arguments of the constructor (max_glossary_pairs…).
        """
        host = cls(**limits)

        def run() -> None:
            try:
                host._translator = load()
            except BaseException as e:  # reported through /health and on_error, never lost in the thread
                host._error = str(e) or type(e).__name__
                if on_error is not None:
                    on_error(e)
                else:  # nobody else will say it
                    log.error("model loading failed: %s", host._error)
            finally:
                host._ready.set()

        threading.Thread(target=run, name="load-translator", daemon=True).start()
        return host

    @property
    def state(self) -> Literal["loading", "ready", "failed"]:
        if not self._ready.is_set():
            return "loading"
        return "ready" if self._translator is not None else "failed"

    @property
    def error(self) -> str | None:
        return self._error

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loading has finished (either way); False if still loading after `timeout` seconds."""
        return self._ready.wait(timeout)

    @property
    def translator(self) -> "Translator":
        if self._translator is not None:
            return self._translator
        if self._ready.is_set():
            raise ModelNotReady(f"The model failed to load: {self._error}")
        raise ModelNotReady("The model is still loading; try again in a moment.")

    def info(self) -> dict[str, str]:
        return self.translator.info()

    def glossary_with(self, pairs: Sequence[Sequence[str]] = ()) -> "Glossary | None":
        """The default glossary with `pairs` merged over it (theirs win); built once per distinct set of pairs.

        LimitError when `pairs` is over the caps; GlossaryError for a malformed pair.
        """
        translator = self.translator
        key: GlossaryPairs = tuple((str(uk), str(en)) for uk, en in pairs)
        if not key:
            return translator.glossary
        if len(key) > self.max_glossary_pairs:
            raise LimitError(f"The request glossary has {len(key):,} pairs, over this server's limit of "
                             f"{self.max_glossary_pairs:,} pairs per request.")
        chars = sum(len(uk) + len(en) for uk, en in key)
        if chars > self.max_glossary_chars:
            raise LimitError(f"The request glossary has {chars:,} characters, over this server's limit of "
                             f"{self.max_glossary_chars:,} characters per request.")
        with self._glossary_lock:
            if key in self._glossaries:
                self._glossaries.move_to_end(key)
                return self._glossaries[key]
        from translate.glossary import Glossary

        # One-off pairs never go to the disk cache (cache_dir=False): each request would leave a file behind.
        extra = Glossary.from_pairs(key, cache_dir=False)  # GlossaryError (a bad pair) goes back to the caller
        merged = extra if translator.glossary is None else translator.glossary.merge(extra, cache_dir=False)
        with self._glossary_lock:
            if key in self._glossaries:  # another thread built it meanwhile
                return self._glossaries[key]
            self._glossaries[key] = merged
            self._cached_entries += len(merged)
            # The newest stays even alone over the budget: the caller is about to use it, and so are the
            # next parts of the same long text.
            while self._cached_entries > self.max_cached_glossary_entries and len(self._glossaries) > 1:
                _, old = self._glossaries.popitem(last=False)
                self._cached_entries -= len(old)
        return merged

    def translate(self, texts: Sequence[str], pairs: Sequence[Sequence[str]] = (), *,
                  cancel: threading.Event | None = None) -> "list[Translation]":
        """`Translator.translate_documents` with the per-call glossary, taking the model in turns.

        Once `cancel` is set, the call raises Cancelled at its next turn instead of going on.
        """
        glossary = self.glossary_with(pairs)
        translator = self.translator

        @contextlib.contextmanager
        def turn() -> Iterator[None]:
            with self._model_lock:
                if cancel is not None and cancel.is_set():
                    raise Cancelled("The caller went away; the translation was stopped.")
                yield

        return translator.translate_documents(list(texts), glossary=glossary, chunk=self.chunk_sentences, turn=turn)


# ---------------------------------------------------------------------------------------------- request schema
# Documentation only: the endpoint parses JSON and form bodies itself so that every mistake gets a
# LibreTranslate-style {"error": ...} answer rather than FastAPI's 422 detail list.


class TranslateRequest(BaseModel):
    q: str | list[str] = Field(description="Ukrainian text, or a list of texts translated together.",
                               examples=["Привіт"])
    source: str = Field("auto", description="Source language: uk, or auto (taken as uk).", examples=["uk"])
    target: str = Field("en", description="Target language: en.", examples=["en"])
    format: str = Field("text", description="Only text is supported.")
    api_key: str | None = Field(None, description="Needed when the server was started with --api-key "
                                                  "(or send the header Authorization: Bearer KEY).")
    glossary: list[list[str]] | None = Field(
        None, description="Extension: extra [uk, en] glossary pairs for this request, over the server's glossary.",
        examples=[[["Столтенберг", "Stoltenberg"]]])
    terms: bool = Field(False, description="Extension: also return the per-term report.")


class TermEntry(BaseModel):
    source: str = Field(description="The term as it appears in the input (any inflected form).")
    start: int = Field(description="Character offset of the term in the input.")
    end: int
    entry: str = Field(description="The glossary headword it matched.")
    target: str = Field(description="The English the glossary asks for.")
    applied: bool = Field(description="Whether the English has it.")
    weak: bool = Field(False, description="A sentence-initial match that may be an ordinary word: reported, not "
                                          "enforced.")


class TranslateResponse(BaseModel):
    translatedText: str | list[str]
    terms: list[TermEntry] | list[list[TermEntry]] | None = Field(
        None, description="Only with terms=true: per q item, one entry per matched term.")


class ErrorResponse(BaseModel):
    error: str


class Language(BaseModel):
    code: str
    name: str
    targets: list[str]


class Health(BaseModel):
    status: Literal["ok", "loading", "failed"]
    model: str | None = None
    error: str | None = None


def _json_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(ref_template="#/components/schemas/{model}")


ERRORS = {status: {"model": ErrorResponse, "description": what} for status, what in {
    400: "Bad request: not JSON (or nested too deeply), not valid Unicode, missing q, too many q items, "
         "unsupported language or format, malformed glossary.",
    401: "An API key is needed and none was sent.",
    403: "The API key is wrong.",
    408: "The request body did not arrive in time.",
    413: "The request body is over the server's size limit, or its glossary over the glossary limits.",
    415: "The body is neither JSON nor a form.",
    503: "The model is still loading (or failed to load).",
}.items()}


# ------------------------------------------------------------------------------------------ request handling
@dataclass(frozen=True)
class TranslateJob:
    texts: list[str]
    single: bool
    pairs: list[tuple[str, str]]
    terms: bool


def _truthy(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on", "0", "false", "no", "off", ""):
        return value.strip().lower() in ("1", "true", "yes", "on")
    raise ApiError(400, f"Invalid request: '{name}' must be true or false.")


def _glossary_pairs(value: Any) -> list[tuple[str, str]]:
    if value is None:
        return []
    if isinstance(value, str):  # form fields carry it as JSON text
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError:
            raise ApiError(400, "Invalid request: 'glossary' must be a JSON list of [uk, en] pairs.") from None
    if not isinstance(value, list):
        raise ApiError(400, "Invalid request: 'glossary' must be a list of [uk, en] pairs.")
    pairs = []
    for i, pair in enumerate(value, 1):
        if (not isinstance(pair, (list, tuple)) or len(pair) != 2
                or not all(isinstance(s, str) and s.strip() for s in pair)):
            raise ApiError(400, f"Invalid request: glossary item {i} must be a pair of non-empty strings "
                                f"[uk, en], got {json.dumps(pair, ensure_ascii=False)[:100]}.")
        pairs.append((pair[0].strip(), pair[1].strip()))
    return pairs


def parse_translate_request(data: Mapping[str, Any], max_items: int = MAX_ITEMS) -> TranslateJob:
    """Check a /translate body (already decoded from JSON or a form); ApiError(400) says what is wrong."""
    q = data.get("q")
    if q is None or q == "" or q == []:
        raise ApiError(400, "Invalid request: missing q parameter.")
    if isinstance(q, str):
        texts, single = [q], True
    elif isinstance(q, list) and all(isinstance(item, str) for item in q):
        texts, single = list(q), False
    else:
        raise ApiError(400, "Invalid request: q must be a string or a list of strings.")
    if len(texts) > max_items:  # LibreTranslate's batch_limit, in its words
        raise ApiError(400, f"Invalid request: request ({len(texts)}) exceeds text limit ({max_items}).")

    source = data.get("source") if data.get("source") is not None else "auto"
    target = data.get("target") if data.get("target") is not None else "en"
    if not isinstance(source, str) or source.strip().lower() not in SOURCE_LANGUAGES:
        raise ApiError(400, f"Source language {source!r} is not supported: this server translates uk (or auto) "
                            f"to en.")
    if not isinstance(target, str) or target.strip().lower() not in TARGET_LANGUAGES:
        raise ApiError(400, f"Target language {target!r} is not supported: this server translates uk to en.")
    fmt = data.get("format") if data.get("format") is not None else "text"
    if fmt != "text":
        raise ApiError(400, f"Format {fmt!r} is not supported: send plain text with format 'text'.")
    return TranslateJob(texts=texts, single=single, pairs=_glossary_pairs(data.get("glossary")),
                        terms=_truthy(data.get("terms", False), "terms"))


async def read_body_fields(request: Request) -> dict[str, Any]:
    """The request's fields from a JSON object or a form (urlencoded or multipart) body."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.form()
        except Exception as e:  # malformed multipart: python-multipart raises several types
            raise ApiError(400, f"Invalid request: the form body could not be read ({e}).") from None
        fields: dict[str, Any] = {}
        for name in form:
            values = [v for v in form.getlist(name) if isinstance(v, str)]
            if values:
                fields[name] = values[0] if len(values) == 1 else values
        _check_unicode(fields)
        return fields
    if content_type not in ("", "application/json", "text/plain") and not content_type.endswith("+json"):
        raise ApiError(415, f"Unsupported Content-Type {content_type!r}: send application/json or a form.")
    body = await request.body()
    try:
        data = json.loads(body)
    except RecursionError:
        raise ApiError(400, "Invalid request: the JSON body is nested too deeply.") from None
    except (ValueError, UnicodeDecodeError) as e:  # ValueError: also an integer of over 4,300 digits
        raise ApiError(400, f"Invalid request: the body is not valid JSON ({e}).") from None
    if not isinstance(data, dict):
        raise ApiError(400, "Invalid request: the body must be a JSON object such as "
                            '{"q": "Привіт", "source": "uk", "target": "en"}.')
    _check_unicode(data)
    return data


def _check_unicode(fields: Mapping[str, Any]) -> None:
    """ApiError(400) naming the field when a string holds a lone surrogate (JSON "\\ud800"): not text, and
    it could not even be encoded into an answer."""
    for name, value in fields.items():
        stack = [name, value]
        while stack:  # iterative: the body may be nested as deep as the JSON parser allows
            item = stack.pop()
            if isinstance(item, str):
                if _SURROGATE.search(item):
                    raise ApiError(400, f"Invalid request: {ascii(name)[1:-1]!r} holds a lone surrogate "
                                        f"character (such as \\ud800), which is not valid Unicode text.")
            elif isinstance(item, dict):
                stack += [*item.keys(), *item.values()]
            elif isinstance(item, list):
                stack += item


def check_api_key(expected: str | None, request: Request, fields: Mapping[str, Any]) -> None:
    if not expected:
        return
    sent = fields.get("api_key")
    authorization = request.headers.get("authorization", "")
    if not sent and authorization.lower().startswith("bearer "):
        sent = authorization[7:].strip()
    if not sent:
        raise ApiError(401, "This server needs an API key: send it as api_key in the body or as the header "
                            "'Authorization: Bearer KEY'.")
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise ApiError(403, "Invalid API key.")


# ------------------------------------------------------------------------------------------- middleware
class BodySizeLimit:
    """ASGI middleware: a request body over its path's limit gets 413 without the rest being read, and one that
    has not fully arrived within `timeout` seconds gets 408 (uvicorn itself waits for a stalled body forever).

    The declared Content-Length is checked before reading anything; the body is then read into memory, at
    most up to the limit, and handed on. `limit_for(path)` gives the limit for a path.
    """

    def __init__(self, app: Callable, limit_for: Callable[[str], int], timeout: float = BODY_TIMEOUT_S):
        self.app = app
        self.limit_for = limit_for
        self.timeout = timeout

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        declared = headers.get("content-length")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        if declared is None and not chunked:
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope.get("path", "/"))
        if declared is not None:
            if not declared.strip().isdigit():
                return await _send_error(send, 400, "Invalid Content-Length header.")
            if int(declared) > limit:
                return await _send_error(send, 413, _too_large(limit))
        chunks, size = [], 0
        with anyio.move_on_after(self.timeout) as deadline:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    return await _send_error(send, 413, _too_large(limit))
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
        if deadline.cancelled_caught:
            return await _send_error(send, 408, f"The request body did not arrive within {self.timeout:g} seconds.")
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


class JsonErrors:
    """ASGI middleware: every error answer is JSON {"error": ...}, whoever made it (a mounted UI's 404 is
    {"detail": ...}, Starlette's own 500 is plain text), and a method no route declares (TRACE…) gets 405.

    A JSON object answer keeps its fields and gains "error"; anything else is replaced. Event streams and
    answers to HEAD pass as they are.
    """

    def __init__(self, app: Callable, routes: Callable[[], list]):
        self.app = app
        self.routes = routes

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        allowed = _declared_methods(self.routes())
        if scope["method"] not in allowed:
            return await _send_error(send, 405, f"Method {scope['method']} is not allowed.",
                                     [(b"allow", ", ".join(sorted(allowed)).encode())])
        held: dict | None = None
        parts: list[bytes] = []

        async def send_json_errors(message: dict) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                if (message["status"] >= 400 and scope["method"] != "HEAD"
                        and not headers.get(b"content-type", b"").startswith(b"text/event-stream")):
                    held = message  # rewritten once its whole body is here
                    return
            elif message["type"] == "http.response.body" and held is not None:
                parts.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = _error_body(held, b"".join(parts))
                headers = [(k, v) for k, v in held.get("headers", [])
                           if k.lower() not in (b"content-length", b"content-type", b"content-encoding")]
                await send({**held, "headers": headers + [(b"content-type", b"application/json"),
                                                          (b"content-length", str(len(body)).encode())]})
                return await send({"type": "http.response.body", "body": body})
            await send(message)

        await self.app(scope, receive, send_json_errors)


def _declared_methods(routes: list) -> set[str]:
    methods = {"HEAD", "OPTIONS"}  # HEAD goes with every GET; OPTIONS is CORS preflight, answered by middleware
    stack = list(routes)
    while stack:
        route = stack.pop()
        methods |= set(getattr(route, "methods", None) or ())
        if isinstance(route, Mount):
            stack += route.routes
    return methods


def _error_body(start: dict, body: bytes) -> bytes:
    """`body` of an error answer as JSON {"error": ...}: unchanged if it is one, else converted or replaced."""
    headers = {k.lower(): v for k, v in start.get("headers", [])}
    status = start["status"]
    data: Any = None
    if headers.get(b"content-type", b"").startswith(b"application/json") and b"content-encoding" not in headers:
        try:
            data = json.loads(body)
        except ValueError:
            pass
    if isinstance(data, dict) and isinstance(data.get("error"), str) and data["error"]:
        return body
    if isinstance(data, dict) and "detail" in data:  # FastAPI's shape: the UI's own client may read it
        detail = data["detail"]
        if isinstance(detail, list):  # validation errors
            detail = "; ".join(str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail)
        return json.dumps({**data, "error": str(detail) or _phrase(status)}).encode()
    return json.dumps({"error": _phrase(status)}).encode()


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP error {status}"


def _too_large(limit: int) -> str:
    return f"The request body is over this server's limit of {limit:,} bytes: send less text per request."


async def _send_error(send: Callable, status: int, message: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *headers]})
    await send({"type": "http.response.body", "body": body})


async def _unless_disconnected(request: Request, cancel: threading.Event, call: Callable[[], Any]) -> Any:
    """`call()` in a worker thread; if the client disconnects meanwhile, `cancel` is set (a host call then stops
    at its next turn at the model)."""
    async def watch() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass
        cancel.set()

    watcher = asyncio.ensure_future(watch())
    try:
        return await run_in_threadpool(call)
    finally:
        watcher.cancel()


# ------------------------------------------------------------------------------------------------ the app
def create_api(host: TranslatorHost, *, api_key: str | None = None, max_request_bytes: int = MAX_REQUEST_BYTES,
               path_limits: Mapping[str, int] | None = None, max_items: int = MAX_ITEMS,
               body_timeout: float = BODY_TIMEOUT_S, title: str = "uk-en-translate") -> FastAPI:
    """The FastAPI app with the translation API; mount a UI on it afterwards (routes here win over a "/" mount).

    `max_request_bytes` limits every request body, a UI mounted on this app included, except on the paths
    that `path_limits` gives their own limit (a UI's upload route). `max_items` is the most texts in one request's q list;
    a body not fully received within `body_timeout` seconds gets 408. Both middlewares wrap a mounted UI too.
    """
    from translate import __version__

    limits = dict(path_limits or {})
    app = FastAPI(title=title, version=__version__,
                  description="Ukrainian→English news translation, LibreTranslate-compatible, with glossary "
                              "terms enforced in any inflected form. Errors are JSON {\"error\": \"...\"}.")
    app.state.host = host
    app.add_middleware(BodySizeLimit, timeout=body_timeout,
                       limit_for=lambda path: limits.get(path.rstrip("/"), max_request_bytes))
    app.add_middleware(JsonErrors, routes=lambda: app.routes)  # outermost: sees every answer

    @app.exception_handler(ApiError)
    async def api_error(request: Request, e: ApiError) -> JSONResponse:
        return JSONResponse({"error": e.message}, status_code=e.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(e.detail)}, status_code=e.status_code, headers=e.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, e: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": f"Invalid request: {e.errors()[0].get('msg', 'bad parameters')}."},
                            status_code=400)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, e: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"error": f"Internal error ({type(e).__name__}); the server log has details."},
                            status_code=500)

    @app.post(
        "/translate", response_model=TranslateResponse, response_model_exclude_none=True, responses=ERRORS,
        summary="Translate Ukrainian text to English (LibreTranslate-compatible)",
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": _json_schema(TranslateRequest)},
            "application/x-www-form-urlencoded": {"schema": _json_schema(TranslateRequest)},
        }}},
    )
    async def translate(request: Request) -> JSONResponse:
        fields = await read_body_fields(request)
        check_api_key(api_key, request, fields)
        job = parse_translate_request(fields, max_items)
        cancel = threading.Event()
        try:
            results = await _unless_disconnected(
                request, cancel, functools.partial(host.translate, job.texts, job.pairs, cancel=cancel))
        except ModelNotReady as e:
            raise ApiError(503, str(e)) from None
        except Cancelled as e:  # nobody is listening; 499 is nginx's "client closed request", for the log
            raise ApiError(499, str(e)) from None
        except LimitError as e:
            raise ApiError(413, str(e)) from None
        except GlossaryError as e:  # e.g. one Ukrainian term given two different targets
            raise ApiError(400, f"Invalid request: glossary {e}") from None
        except TranslateError as e:
            raise ApiError(400, f"Invalid request: {e}") from None
        texts = [r.text for r in results]
        answer: dict[str, Any] = {"translatedText": texts[0] if job.single else texts}
        if job.terms:
            reports = [[t.as_dict() for t in r.terms] for r in results]
            answer["terms"] = reports[0] if job.single else reports
        return JSONResponse(answer)

    @app.get("/languages", response_model=list[Language], summary="Languages this server translates")
    async def languages() -> list[dict[str, Any]]:
        return LANGUAGES

    @app.get("/health", response_model=Health, response_model_exclude_none=True,
             responses={503: {"model": Health, "description": "Still loading, or loading failed."}},
             summary="200 once the model is loaded and ready, 503 before")
    async def health() -> JSONResponse:
        if host.state == "ready":
            return JSONResponse({"status": "ok", "model": host.info().get("model")})
        state = host.state
        return JSONResponse({"status": state, "error": host.error if state == "failed" else "The model is loading."},
                            status_code=503, headers={"Retry-After": "5"} if state == "loading" else None)

    return app

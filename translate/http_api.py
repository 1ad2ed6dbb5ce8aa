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

The model call is blocking: it runs in a worker thread, through the `translate.host.TranslatorHost` the web
page shares (turns at the model in arrival order, glossary caps); a request whose client has gone away stops
at its next turn. The middleware (body limits, timeouts, JSON errors) is `translate.middleware`.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import json
import logging
import re
import threading
from dataclasses import dataclass
from typing import Any, Callable, Literal, Mapping

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from translate.config import SERVER_BY_NAME
from translate.documents.text import translate_in_parts
from translate.errors import Cancelled, GlossaryError, LimitError, ModelNotReady, TranslateError
from translate.host import TranslatorHost
from translate.middleware import BODY_TIMEOUT_S, BodySizeLimit, JsonErrors
from translate.terms import TermReport

log = logging.getLogger("translate.web")

SOURCE_LANGUAGES = ("uk", "auto")
TARGET_LANGUAGES = ("en",)
LANGUAGES = [{"code": "uk", "name": "Ukrainian", "targets": ["en"]}]

# LibreTranslate's batch_limit: most items in one request's q list.
MAX_ITEMS = SERVER_BY_NAME["max_items"].default
MAX_REQUEST_BYTES = SERVER_BY_NAME["max_request_bytes"].default

_SURROGATE = re.compile("[\ud800-\udfff]")


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


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


class TranslateResponse(BaseModel):
    translatedText: str | list[str]
    terms: list[TermReport] | list[list[TermReport]] | None = Field(
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
                request, cancel, functools.partial(
                    translate_in_parts, job.texts, functools.partial(host.translate, pairs=job.pairs, cancel=cancel),
                    call_chars=None))  # each q item a plain-text document; all in one call, the host takes turns
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

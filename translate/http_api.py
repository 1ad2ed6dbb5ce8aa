"""The HTTP API: LibreTranslate-compatible uk→en translation over JSON or form posts, on FastAPI.

`create_api(host, api_key=..., max_request_bytes=..., max_items=..., body_timeout=...)` takes a
`TranslatorHost` (the server's one Translator, possibly still loading in the background) and returns a
FastAPI app with:

- `POST /translate`: `{"q": str | [str], "source": "uk" | "auto", "target": "en", "format": "text" | "html",
  "api_key"?, "alternatives"?}` as JSON or form fields → `{"translatedText": str | [str], "alternatives"?}`
  (alternatives: a list of other translations per text, each with the glossary enforced); our extension
  `"glossary": [[uk, en], …]` adds terms for this request (over the server's glossary) and `"terms": true`
  adds `"terms"`: per q item, one report per matched source term; `"review": true` adds `"flags"`: per q
  item, the review's flags (kind, reason, character span in the English; translate/review/).
  With `"source": "auto"` each text's language is detected (`translate.detection`) and the answer has
  LibreTranslate's `"detectedLanguage": {"language", "confidence"}` (a list for a list); a language the loaded
  model does not translate is a 400 naming it and the model. The glossary applies to Ukrainian only: where a
  text is Russian or Belarusian (opus-mt-tc-big-zle-en takes both) the answer says `"glossaryApplied": false`
  (a list for a list). Fields may come as JSON, a form, or the query string of the POST (Translate You).
  With `"format": "html"` each q item is an HTML document or fragment whose text alone is translated
  (`translate.documents.html`; term offsets index its blocks' texts joined by "\n"; flag offsets index the
  returned HTML, `translate.documents.rebuilt`).
- `POST /translate_file` and `GET /download_file/{name}` (LibreTranslate's file translation) are
  `translate.file_api`'s.
- `GET /health` (200 once the model is ready, 503 before), OpenAPI docs at `/docs`; `GET /languages`,
  `POST /detect`, `GET /frontend/settings`, `POST /suggest`, `GET /metrics` and CORS are
  `translate.api_routes`'.

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
import json
import logging
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Literal, Mapping

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from translate import api_routes, documents, file_api, languages
from translate.api_routes import DetectedLanguage
from translate.config import SERVER_BY_NAME
from translate.errors import Cancelled, GlossaryError, LimitError, ModelNotReady, TranslateError
from translate.host import TranslatorHost
from translate.limits import ApiAccess, Gate, grant_of
from translate.metrics import Metrics, RequestTimer
from translate.middleware import BODY_TIMEOUT_S, BodySizeLimit, JsonErrors
from translate.review import Flag
from translate.terms import TermReport

if TYPE_CHECKING:
    from translate.suggestions import SuggestionStore

log = logging.getLogger("translate.web")

TARGET_LANGUAGES = ("en",)
API_FORMATS = ("text", "html")  # /translate's `format`: a q item is plain text or HTML

# LibreTranslate's batch_limit: most items in one request's q list.
MAX_ITEMS = SERVER_BY_NAME["max_items"].default
MAX_REQUEST_BYTES = SERVER_BY_NAME["max_request_bytes"].default
ALTERNATIVES_LIMIT = SERVER_BY_NAME["alternatives_limit"].default

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
    source: str | None = Field(None, description="Source language: uk (ru and be too with opus-mt-tc-big-zle-en, "
                                                 "see GET /languages), or auto to detect it; without it, uk.",
                               examples=["uk"])
    target: str = Field("en", description="Target language: en.", examples=["en"])
    format: str = Field("text", description="text, or html: only the HTML's text is translated, its tags, "
                                            "attributes and layout kept (translate.documents.html).")
    api_key: str | None = Field(None, description="Needed when the server was started with --api-key "
                                                  "(or send the header Authorization: Bearer KEY).")
    glossary: list[list[str]] | None = Field(
        None, description="Extension: extra [uk, en] glossary pairs for this request, over the server's glossary.",
        examples=[[["Столтенберг", "Stoltenberg"]]])
    terms: bool = Field(False, description="Extension: also return the per-term report.")
    review: bool = Field(False, description="Extension: also return the review flags (sentences an editor should "
                                            "check: repetition, length, untranslated, number, term).")
    alternatives: int = Field(0, description="How many other English translations to return per text (at most "
                                             "the server's alternatives_limit), the glossary enforced in each.")


class TranslateResponse(BaseModel):
    translatedText: str | list[str]
    terms: list[TermReport] | list[list[TermReport]] | None = Field(
        None, description="Only with terms=true: per q item, one entry per matched term.")
    flags: list[Flag] | list[list[Flag]] | None = Field(
        None, description="Only with review=true: per q item, one entry per review flag (empty when fine). "
                          "Offsets are into that item's translatedText as returned: with format html, into the "
                          "HTML, where a span is the English as written there (inline tags inside it, "
                          "characters escaped), starting after and ending before any tag at its ends.")
    alternatives: list[str] | list[list[str]] | None = Field(
        None, description="Only with alternatives > 0: other translations, a list per q item for a list q.")
    detectedLanguage: DetectedLanguage | list[DetectedLanguage] | None = Field(
        None, description="Only with source auto: the detected language, a list for a list q.")
    glossaryApplied: bool | list[bool] | None = Field(
        None, description="Only where a text is not Ukrainian: false for it (the glossary is Ukrainian).")


class ErrorResponse(BaseModel):
    error: str


class Health(BaseModel):
    status: Literal["ok", "loading", "failed"]
    model: str | None = None
    error: str | None = None


def _json_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(ref_template="#/components/schemas/{model}")


ERRORS = {status: {"model": ErrorResponse, "description": what} for status, what in {
    400: "Bad request: not JSON (or nested too deeply), not valid Unicode, missing q, too many q items, a text "
         "over the character limit, too many alternatives, unsupported language or format, malformed glossary; "
         "or no API key where the Origin does not match require_api_key_origin.",
    401: "An API key is needed and none was sent.",
    403: "The API key is wrong.",
    408: "The request body did not arrive in time.",
    413: "The request body is over the server's size limit, or its glossary over the glossary limits.",
    415: "The body is neither JSON nor a form.",
    429: "Over the request limit per minute (\"Slowdown: N per 1 minute\").",
    503: "The model is still loading (or failed to load).",
}.items()}


# ------------------------------------------------------------------------------------------ request handling
@dataclass(frozen=True)
class TranslateJob:
    texts: list[str]
    single: bool
    pairs: list[tuple[str, str]]
    terms: bool
    alternatives: int = 0
    review: bool = False
    source: str | None = None  # a language code, "auto", or None (not given: the model's first, uk); checked
    # against the model's languages by the route
    format: str = "text"  # "text" or "html"


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


def _alternatives(value: Any, limit: int) -> int:
    """The number of alternatives asked for, LibreTranslate's way: negative is 0, over `limit` a 400."""
    try:
        count = max(0, int(value if value not in (None, "") else 0))
    except (TypeError, ValueError):
        raise ApiError(400, "Invalid request: alternatives parameter is not a number") from None
    if count > limit:
        raise ApiError(400, f"Invalid request: alternatives parameter must be <= {limit}")
    return count


def parse_translate_request(data: Mapping[str, Any], max_items: int = MAX_ITEMS,
                            alternatives_limit: int = ALTERNATIVES_LIMIT) -> TranslateJob:
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

    source = data.get("source") if data.get("source") != "" else None
    target = data.get("target") if data.get("target") is not None else "en"
    if source is not None and not isinstance(source, str):
        raise ApiError(400, f"Source language {source!r} is not supported: send a language code or auto.")
    if not isinstance(target, str) or target.strip().lower() not in TARGET_LANGUAGES:
        raise ApiError(400, f"Target language {target!r} is not supported: this server translates uk to en.")
    fmt = data.get("format") if data.get("format") is not None else "text"
    if fmt not in API_FORMATS:
        raise ApiError(400, f"Format {fmt!r} is not supported: send format 'text' or 'html'.")
    return TranslateJob(texts=texts, single=single, pairs=_glossary_pairs(data.get("glossary")),
                        terms=_truthy(data.get("terms", False), "terms"),
                        review=_truthy(data.get("review", False), "review"),
                        alternatives=_alternatives(data.get("alternatives"), alternatives_limit),
                        source=source.strip().lower() if source is not None else None, format=fmt)


async def read_body_fields(request: Request) -> dict[str, Any]:
    """The request's fields: those of its query string (Translate You sends a POST's fields there) under those
    of its body, a JSON object or a form (urlencoded or multipart); an empty body has none."""
    query = _form_fields(request.query_params)
    body = await _body_fields(request)
    return {**query, **body}


def _form_fields(form: Any) -> dict[str, Any]:
    """A form's (or query string's) text fields; a repeated name (q=a&q=b) is a list."""
    fields: dict[str, Any] = {}
    for name in form:
        values = [v for v in form.getlist(name) if isinstance(v, str)]
        if values:
            fields[name] = values[0] if len(values) == 1 else values
    _check_unicode(fields)
    return fields


async def _body_fields(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.form()
        except Exception as e:  # malformed multipart: python-multipart raises several types
            raise ApiError(400, f"Invalid request: the form body could not be read ({e}).") from None
        return _form_fields(form)
    if content_type not in ("", "application/json", "text/plain") and not content_type.endswith("+json"):
        raise ApiError(415, f"Unsupported Content-Type {content_type!r}: send application/json or a form.")
    body = await request.body()
    if not body.strip() and content_type != "application/json":  # a POST of query-string fields only
        return {}
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


def by_glossary_language(texts: list[str], codes: list[str], translate: Callable[[list[str], bool], list]) -> list:
    """`translate(texts, glossary)` once for the Ukrainian texts (glossary=True) and once for the others (False),
    the results in the texts' order: the glossary is Ukrainian."""
    results: list[Any] = [None] * len(texts)
    for glossary in (True, False):
        picked = [i for i, code in enumerate(codes) if (code == languages.GLOSSARY_LANGUAGE) == glossary]
        if picked:
            for i, result in zip(picked, translate([texts[i] for i in picked], glossary)):
                results[i] = result
    return results


# ------------------------------------------------------------------------------------------------ the app
def create_api(host: TranslatorHost, *, api_key: str | None = None, gate: Gate | None = None,
               alternatives_limit: int = ALTERNATIVES_LIMIT, max_request_bytes: int = MAX_REQUEST_BYTES,
               path_limits: Mapping[str, int] | None = None, max_items: int = MAX_ITEMS,
               body_timeout: float = BODY_TIMEOUT_S, title: str = "uk-en-translate",
               cors_origins: str | None = SERVER_BY_NAME["cors_origins"].default,
               suggestions: "SuggestionStore | None" = None, metrics_token: str | None = None) -> FastAPI:
    """The FastAPI app with the translation API; mount a UI on it afterwards (routes here win over a "/" mount).

    `max_request_bytes` limits every request body, a UI mounted on this app included, except on the paths
    that `path_limits` gives their own limit (a UI's upload route). `max_items` is the most texts in one request's q list;
    a body not fully received within `body_timeout` seconds gets 408. Both middlewares wrap a mounted UI too.
    `gate` (translate.limits) checks the keys and limits of every non-GET API request; without it, `api_key`
    alone is checked. `alternatives_limit` caps a request's `alternatives`. `cors_origins` ("*", a
    comma-separated list, or None), `suggestions` (the store POST /suggest fills, None: off) and
    `metrics_token` are `translate.api_routes`'.
    """
    from translate import __version__

    limits = dict(path_limits or {})
    app = FastAPI(title=title, version=__version__,
                  description="Ukrainian→English news translation, LibreTranslate-compatible, with glossary "
                              "terms enforced in any inflected form. Errors are JSON {\"error\": \"...\"}.")
    app.state.host = host
    gate = gate if gate is not None else Gate(api_key=api_key, batch_limit=max_items)
    metrics = app.state.metrics = Metrics(ready=lambda: host.state == "ready")
    host.corrections = suggestions  # used before the model, for the page's translations too
    # Inside the body limits: the key and limits are checked on a body already bounded (translate.limits).
    app.add_middleware(ApiAccess, gate=gate, routes=lambda: app.routes, read_fields=read_body_fields)
    app.add_middleware(BodySizeLimit, timeout=body_timeout,
                       limit_for=lambda path: limits.get(path.rstrip("/"), max_request_bytes))
    api_routes.add_cors(app, cors_origins)  # inside JsonErrors (its refusals are JSON), outside the limits
    app.add_middleware(JsonErrors, routes=lambda: app.routes)  # sees every answer
    app.add_middleware(RequestTimer, metrics=metrics,  # outermost: times every answer, errors included
                       endpoints=lambda: {getattr(r, "path", "") for r in app.routes if hasattr(r, "methods")})

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
        job = parse_translate_request(fields, grant_of(request, max_items).batch_limit, alternatives_limit)
        cancel = threading.Event()
        try:
            offered = api_routes.model_languages(host)
            found = await run_in_threadpool(api_routes.resolve_sources, job.source, job.texts, offered,
                                            host.translator.settings.model)

            def in_parts(texts: list[str], glossary: bool) -> list:
                # each q item a plain-text or HTML document; all in one call, the host takes turns
                return documents.translate_texts(texts, job.format, functools.partial(
                    host.translate, pairs=job.pairs, cancel=cancel, alternatives=job.alternatives, glossary=glossary,
                    **({"review": True} if job.review else {})),  # asked for: reviewed whatever the setting
                    call_chars=None, contexts=True)

            results = await _unless_disconnected(request, cancel, functools.partial(
                by_glossary_language, job.texts, [c.language for c in found], in_parts))
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
        if job.review:
            flags = [[f.as_dict() for f in r.flags] for r in results]
            answer["flags"] = flags[0] if job.single else flags
        if job.alternatives:  # LibreTranslate's field, there only when asked for
            answer["alternatives"] = results[0].alternatives if job.single else [r.alternatives for r in results]
        if job.source == "auto":  # LibreTranslate's field, there only for auto
            detected = [c.as_dict() for c in found]
            answer["detectedLanguage"] = detected[0] if job.single else detected
        applied = [c.language == languages.GLOSSARY_LANGUAGE for c in found]
        if not all(applied):
            answer["glossaryApplied"] = applied[0] if job.single else applied
        for text, candidate in zip(job.texts, found):
            metrics.characters.labels(candidate.language).inc(len(text))
        return JSONResponse(answer)

    api_routes.add_routes(app, host, gate=gate, metrics=metrics, suggestions=suggestions, metrics_token=metrics_token)
    file_api.add_routes(app, host, gate=gate, limits=limits, max_request_bytes=max_request_bytes)

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

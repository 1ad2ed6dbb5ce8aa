"""LibreTranslate's API beyond `/translate`: the routes and middleware `translate.http_api.create_api` adds.

`add_routes(app, host, ...)` takes the FastAPI app, its `TranslatorHost` and the server's choices (the key
gate, CORS origins, the suggestions store, the metrics token) and adds, as LibreTranslate 1.9 has them:

- `GET /languages`: the source languages the loaded model takes (`translate.languages`: uk, and ru and be
  for opus-mt-tc-big-zle-en), each with targets ["en"], and en itself (no targets), as clients look both up.
- `POST /detect`: `q` (a string or a list) → `[{"language", "confidence" 0–100}, …]`, most likely first
  (lingua, `translate.detection`); for a list, one list with each language's confidence averaged over the
  texts, as LibreTranslate answers.
- `GET /frontend/settings`: what LibreTranslate's web page reads first (limits, keys, suggestions, files,
  default languages).
- `POST /suggest`: `q` (one source sentence), `s` (its corrected English), `source`, `target` → `{"success":
  true}`; 403 unless the server runs with suggestions on. The correction is used from then on
  (`translate.suggestions`).
- `GET /metrics`: Prometheus text format (`translate.metrics`); with a metrics token (else the API key, when
  there is one) it needs `Authorization: Bearer TOKEN`, else 401 "Unauthorized".
- CORS headers on every answer to a page of an allowed origin, and answers to preflight requests, with
  Starlette's CORSMiddleware: LibreTranslate's headers (methods GET, POST; headers Authorization,
  Content-Type; Authorization exposed; max age 20 days) but not `Access-Control-Allow-Credentials`: with a
  wildcard origin it would let any site read answers made with the web page's login cookie, and API clients
  send their key in the body or a header, not in a cookie.

`resolve_sources(source, texts, offered, model)` is `/translate`'s language step: the language of each text
(given, or detected for "auto"), or a 400 naming the language and the model when the model does not take it.
API keys and limits on every non-GET route are `translate.limits`' (ApiAccess), so /detect and /suggest are
covered like /translate.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from translate import detection, languages
from translate.documents import SUFFIXES
from translate.detection import Candidate
from translate.metrics import CONTENT_TYPE, Metrics

if TYPE_CHECKING:
    from translate.host import TranslatorHost
    from translate.limits import Gate
    from translate.suggestions import SuggestionStore

# LibreTranslate's web page waits this long (ms) after typing stops before it translates.
FRONTEND_TIMEOUT_MS = 500
CORS_MAX_AGE_S = 60 * 60 * 24 * 20  # LibreTranslate's


# ---------------------------------------------------------------------------------------------- schemas
class DetectRequest(BaseModel):
    q: str | list[str] = Field(description="A text, or a list of texts judged together.", examples=["Привіт"])
    api_key: str | None = Field(None, description="Needed when the server requires a key.")


class DetectedLanguage(BaseModel):
    language: str = Field(description="ISO 639-1 code.", examples=["uk"])
    confidence: float = Field(ge=0, le=100, description="0–100.", examples=[99.6])


class Language(BaseModel):
    code: str
    name: str
    targets: list[str]


class LanguageRef(BaseModel):
    code: str
    name: str


class FrontendLanguages(BaseModel):
    source: LanguageRef
    target: LanguageRef


class FrontendSettings(BaseModel):
    charLimit: int = Field(description="Most characters per text; -1: no limit.")
    frontendTimeout: int
    apiKeys: bool = Field(description="Whether the server takes API keys.")
    keyRequired: bool = Field(description="Whether a request needs one.")
    suggestions: bool = Field(description="Whether POST /suggest is on.")
    filesTranslation: bool
    supportedFilesFormat: list[str]
    language: FrontendLanguages


class SuggestRequest(BaseModel):
    q: str = Field(description="The source sentence, as it will be sent for translation.",
                   examples=["Столтенберг прибув до Скоп'є."])
    s: str = Field(description="Its corrected English.", examples=["Stoltenberg arrived in Skopje."])
    source: str = Field(description="Its language (uk, ru, be or auto).", examples=["uk"])
    target: str = Field(description="en.", examples=["en"])
    api_key: str | None = None


class SuggestResponse(BaseModel):
    success: bool


class ErrorAnswer(BaseModel):
    error: str


def _body(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": schema}, "application/x-www-form-urlencoded": {"schema": schema}}}}


def _errors(**described: str) -> dict[int, dict[str, Any]]:
    return {int(status[1:]): {"model": ErrorAnswer, "description": what} for status, what in described.items()}


ACCESS_ERRORS = dict(e400="Missing or malformed parameter; no key where the Origin needs one.",
                     e401="A key is needed and none was sent.", e403="The key is wrong.",
                     e408="The body did not arrive in time.", e413="The body is over the size limit.",
                     e415="The body is neither JSON nor a form.", e429="Over the request limit per minute.")


# ------------------------------------------------------------------------------------------- languages
def model_languages(host: "TranslatorHost") -> tuple[str, ...]:
    """The source languages of the loaded model (ModelNotReady while it loads)."""
    settings = host.translator.settings
    return languages.source_languages(settings.model, settings.source_languages)


def language_list(offered: tuple[str, ...]) -> list[dict[str, Any]]:
    return ([{"code": code, "name": languages.name(code), "targets": [languages.TARGET]} for code in offered]
            + [{"code": languages.TARGET, "name": languages.name(languages.TARGET), "targets": []}])


def resolve_sources(source: str | None, texts: list[str], offered: tuple[str, ...], model: str,
                    names: list[str] | None = None) -> list[Candidate]:
    """Each text's language: `source` (None: the model's first, uk), or for "auto" the detected one
    (`detection.for_translation`); ApiError(400) naming the language and the model when the model does not
    take it, and the text by `names[i]` where given (a file's name), else as a q item."""
    from translate.http_api import ApiError

    if source is None:
        return [Candidate(offered[0], 100.0)] * len(texts)
    source = source.strip().lower()
    takes = f"the model {model} translates {', '.join(offered)} to en"
    if source != "auto":
        if source not in offered:
            raise ApiError(400, f"Source language {source!r} ({detection.name(source)}) is not supported: {takes}.")
        return [Candidate(source, 100.0)] * len(texts)
    found = [detection.for_translation(text, offered) for text in texts]
    for i, candidate in enumerate(found):
        if candidate.language not in offered:
            where = names[i] if names else f"q item {i + 1}" if len(texts) > 1 else "the text"
            raise ApiError(400, f"{detection.name(candidate.language)} ({candidate.language}) is not supported: "
                                f"{where} was detected as {detection.name(candidate.language)} (confidence "
                                f"{candidate.confidence:g}) and {takes}.")
    return found


# ---------------------------------------------------------------------------------------------- the routes
def add_routes(app: FastAPI, host: "TranslatorHost", *, gate: "Gate", metrics: Metrics,
               suggestions: "SuggestionStore | None" = None, metrics_token: str | None = None) -> None:
    """The routes above, on `app` (see the module docstring)."""
    from translate.http_api import ApiError, read_body_fields

    @app.get("/languages", summary="Languages this server translates", responses=_errors(
        e503="The model is still loading: its languages are not known yet."))
    async def languages_route() -> list[Language]:
        return [Language(**entry) for entry in language_list(_offered(host))]

    @app.post("/detect", summary="Detect the language of a text (or of a list of texts, together)",
              response_model=list[DetectedLanguage], responses=_errors(**ACCESS_ERRORS),
              openapi_extra=_body(DetectRequest))
    async def detect(request: Request) -> JSONResponse:
        fields = await read_body_fields(request)
        texts = _texts(fields.get("q"), ApiError)
        default = languages.GLOSSARY_LANGUAGE
        if isinstance(fields["q"], str):
            found = await run_in_threadpool(detection.detect, texts[0])
            found = found or [Candidate(default, 0.0)]
        else:
            found = await run_in_threadpool(detection.combined, texts, default)
        metrics.detected.labels(found[0].language).inc(len(texts))
        return JSONResponse([c.as_dict() for c in found])

    @app.get("/frontend/settings", response_model=FrontendSettings, summary="What LibreTranslate's web page reads")
    async def frontend_settings() -> dict[str, Any]:
        files = any(getattr(route, "path", None) == "/translate_file" for route in app.routes)
        return {
            "charLimit": gate.char_limit if gate.char_limit is not None else -1,
            "frontendTimeout": FRONTEND_TIMEOUT_MS,
            "apiKeys": gate.key_required or gate.keys is not None,
            "keyRequired": gate.page_needs_login,
            "suggestions": suggestions is not None,
            "filesTranslation": files,
            "supportedFilesFormat": list(SUFFIXES) if files else [],
            "language": {"source": {"code": "auto", "name": "Auto Detect"},
                         "target": {"code": languages.TARGET, "name": languages.name(languages.TARGET)}},
        }

    @app.post("/suggest", summary="Store an editor's corrected translation of a sentence",
              response_model=SuggestResponse,
              responses=_errors(**{**ACCESS_ERRORS, "e403": "Suggestions are off, or the key is wrong."}),
              openapi_extra=_body(SuggestRequest))
    async def suggest(request: Request) -> JSONResponse:
        if suggestions is None:
            raise ApiError(403, "Suggestions are disabled on this server.")
        fields = await read_body_fields(request)
        for name in ("q", "s", "source", "target"):  # LibreTranslate's order and words
            if not isinstance(fields.get(name), str) or not fields[name].strip():
                raise ApiError(400, f"Invalid request: missing {name} parameter")
        q, s = fields["q"], fields["s"]
        target = fields["target"].strip().lower()
        if target != languages.TARGET:
            raise ApiError(400, f"Target language {target!r} is not supported: this server translates to en.")
        source = fields["source"].strip().lower()
        if source == "auto":
            source = (await run_in_threadpool(detection.for_translation, q, languages.KNOWN)).language
        if source not in languages.KNOWN:
            raise ApiError(400, f"Source language {source!r} ({detection.name(source)}) is not supported: "
                                f"suggestions are for {', '.join(languages.KNOWN)} sentences.")
        sentence = _one_sentence(q, ApiError)
        await run_in_threadpool(suggestions.add, sentence, s, source, target)
        metrics.suggestions.inc()
        return JSONResponse({"success": True})

    token = metrics_token or gate.api_key

    @app.get("/metrics", summary="Prometheus metrics (text format)", response_class=Response,
             responses={200: {"content": {CONTENT_TYPE.split(";")[0]: {"schema": {"type": "string"}}},
                              "description": "The metrics."},
                        **_errors(e401="The metrics token (or API key) is needed: Authorization: Bearer TOKEN.")})
    async def metrics_route(request: Request) -> Response:
        if token:
            sent = request.headers.get("authorization", "")
            expected = f"Bearer {token}"
            if not hmac.compare_digest(sent.encode("utf-8", "surrogateescape"),
                                       expected.encode("utf-8", "surrogateescape")):
                raise ApiError(401, "Unauthorized")
        return Response(metrics.exposition(), media_type=CONTENT_TYPE)


def add_cors(app: FastAPI, origins: str | None) -> None:
    """Starlette's CORSMiddleware with LibreTranslate's headers for `origins` ("*", or a comma-separated list;
    None: no CORS headers)."""
    from starlette.middleware.cors import CORSMiddleware

    allowed = [o.strip() for o in (origins or "").split(",") if o.strip()]
    if not allowed:
        return
    app.add_middleware(CORSMiddleware, allow_origins=allowed, allow_methods=["GET", "POST"],
                       allow_headers=["Authorization", "Content-Type"], expose_headers=["Authorization"],
                       max_age=CORS_MAX_AGE_S)


def _offered(host: "TranslatorHost") -> tuple[str, ...]:
    from translate.errors import ModelNotReady
    from translate.http_api import ApiError

    try:
        return model_languages(host)
    except ModelNotReady as e:
        raise ApiError(503, str(e)) from None


def _texts(q: Any, error: type) -> list[str]:
    if q is None or q == "" or q == []:
        raise error(400, "Invalid request: missing q parameter")
    if isinstance(q, str):
        return [q]
    if isinstance(q, list) and all(isinstance(item, str) for item in q):
        return list(q)
    raise error(400, "Invalid request: q must be a string or a list of strings.")


def _one_sentence(q: str, error: type) -> str:
    """The one translatable sentence of `q`, as the translator will see it; 400 for several (a correction is
    used per sentence: one for a whole paragraph would never be looked up)."""
    from translate.segment import segment

    sentences = [s.text for s in segment(q).sentences if s.translatable]
    if len(sentences) != 1:
        raise error(400, f"Invalid request: q holds {len(sentences)} sentences; a suggestion is stored per "
                         f"sentence: send each sentence with its corrected English.")
    return sentences[0]

"""LibreTranslate's file translation on the HTTP API: `POST /translate_file` and `GET /download_file/{name}`.

`add_routes(app, host, gate=..., limits=..., max_request_bytes=...)` adds them to the API app:

- `POST /translate_file`, multipart fields `file` (a .txt, .html/.htm, .md, .docx, .srt or .jsonl file),
  `source` (a language the model takes, or auto), `target` (en), `api_key` → `{"translatedFileUrl": URL}`
  (LibreTranslate 1.9's shape and error words: "Invalid request: missing file parameter", "… file format not
  supported"). The file goes through the document layer as on every other surface
  (`translate.documents.translate_data`): a bad file is a 400 naming it (and its line or cue), and nothing is
  kept. Its upload may be UPLOAD_SIZE_FACTOR × the request limit, its text as much as one request's (413 over
  either). `source` follows `/translate`'s rules (`api_routes.resolve_sources`): with auto, the language of
  the file's text (the texts the document layer reads from it, in order) is detected, and the answer adds
  `"detectedLanguage"`; a language the model does not take is the same 400 as on `/translate`, naming the
  file; a file that is not Ukrainian is translated without the glossary and the answer says
  `"glossaryApplied": false`.
- `GET /download_file/{name}`: the translated file, as an attachment with the input's file name, for
  FILE_TTL_S seconds; then (or for a name never given out) 404. `name` begins with a random 256-bit token,
  so a URL cannot be guessed. With an API key set, the download needs it too (header `Authorization:
  Bearer KEY` or `?api_key=`); both routes count against the request limits (`translate.limits`).

Translated files are held in memory (at most MAX_FILES files, MAX_BYTES bytes; the oldest go first).
"""

from __future__ import annotations

import functools
import mimetypes
import secrets
import threading
import time
from collections import OrderedDict
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from translate import api_routes, documents, languages
from translate.api_routes import DetectedLanguage
from translate.errors import AccessRefused, Cancelled, DocumentError, LimitError, ModelNotReady, TranslateError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from translate.host import TranslatorHost
    from translate.limits import Gate

FILE_TTL_S = 30 * 60
MAX_FILES = 256
MAX_BYTES = 256 * 2**20
UPLOAD_SIZE_FACTOR = 10  # as the web page's File tab: room for a DOCX's packaging and images
MULTIPART_ENVELOPE = 16_384


class TranslateFileResponse(BaseModel):
    translatedFileUrl: str
    detectedLanguage: DetectedLanguage | None = Field(
        None, description="Only with source auto: the language detected in the file's text.")
    glossaryApplied: bool | None = Field(
        None, description="Only where the file is not Ukrainian: false (the glossary is Ukrainian).")


class Downloads:
    """Translated files by their download name, each for `ttl` seconds; at most `max_files` / `max_bytes`."""

    def __init__(self, ttl: float = FILE_TTL_S, max_files: int = MAX_FILES, max_bytes: int = MAX_BYTES,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl, self.max_files, self.max_bytes, self.clock = ttl, max_files, max_bytes, clock
        self.files: OrderedDict[str, tuple[float, str, bytes]] = OrderedDict()  # name → (expiry, filename, data)
        self.lock = threading.Lock()

    def put(self, filename: str, data: bytes) -> str:
        """Keep `data`; its download name (a random token, then the file's name)."""
        name = f"{secrets.token_urlsafe(32)}.{filename}"
        with self.lock:
            self._expire()
            self.files[name] = (self.clock() + self.ttl, filename, data)
            while len(self.files) > self.max_files or sum(len(f[2]) for f in self.files.values()) > self.max_bytes:
                self.files.popitem(last=False)
        return name

    def get(self, name: str) -> tuple[str, bytes] | None:
        with self.lock:
            self._expire()
            found = self.files.get(name)
        return (found[1], found[2]) if found else None

    def _expire(self) -> None:
        now = self.clock()
        for name in [n for n, (expiry, _, _) in self.files.items() if expiry <= now]:
            del self.files[name]


def _file_name(raw: str | None) -> str:
    """The client's file name without any folder part (browsers send C:\\path\\name on some systems)."""
    name = PurePosixPath((raw or "").replace("\\", "/")).name
    return name or "file"


def add_routes(app: "FastAPI", host: "TranslatorHost", *, gate: "Gate", limits: dict[str, int],
               max_request_bytes: int, downloads: Downloads | None = None) -> Downloads:
    """Add /translate_file and /download_file/{name} to `app`; returns the store of translated files."""
    from translate.http_api import ERRORS, ApiError

    store = downloads if downloads is not None else Downloads()
    limits.setdefault("/translate_file", UPLOAD_SIZE_FACTOR * max_request_bytes + MULTIPART_ENVELOPE)

    @app.post("/translate_file", response_model=TranslateFileResponse, response_model_exclude_none=True,
              responses=ERRORS, summary="Translate a file (LibreTranslate-compatible)",
              openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                  "type": "object", "required": ["file", "source", "target"], "properties": {
                      "file": {"type": "string", "format": "binary",
                               "description": "A " + ", ".join(documents.SUFFIXES) + " file."},
                      "source": {"type": "string", "example": "uk"}, "target": {"type": "string", "example": "en"},
                      "api_key": {"type": "string"}}}}}}})
    async def translate_file(request: Request) -> JSONResponse:
        try:
            form = await request.form()
        except Exception as e:  # malformed multipart: python-multipart raises several types
            raise ApiError(400, f"Invalid request: the form body could not be read ({e}).") from None
        upload = form.get("file")
        for name in ("source", "target"):
            if not isinstance(form.get(name), str) or not form.get(name):
                raise ApiError(400, f"Invalid request: missing {name} parameter")
        if not isinstance(upload, UploadFile):
            raise ApiError(400, "Invalid request: missing file parameter")
        source, target = str(form["source"]).strip().lower(), str(form["target"]).strip().lower()
        if target != "en":
            raise ApiError(400, f"{target} is not supported")
        filename = _file_name(upload.filename)
        kind = documents.known_format(filename)
        if kind is None:
            raise ApiError(400, "Invalid request: file format not supported")
        data = await upload.read()
        try:
            document = documents.read(data, kind)
        except DocumentError as e:
            where = f"{filename}:{e.line}" if e.line is not None else filename
            raise ApiError(400, f"Invalid request: {where}: {e.problem}") from None
        size = sum(len(s.encode("utf-8", "surrogatepass")) for s in document.segments())
        if size > max_request_bytes:
            raise ApiError(413, f"The text of {filename} is {size:,} bytes, over this server's limit of "
                                f"{max_request_bytes:,} bytes per translation.")
        cancel = threading.Event()
        try:
            # Judged, like a q item, on the text the document layer reads from the file (markup left out).
            text = "\n".join(document.segments()[:document.text_count()])
            [found] = await run_in_threadpool(api_routes.resolve_sources, source, [text],
                                              api_routes.model_languages(host), host.translator.settings.model,
                                              [filename])
            ukrainian = found.language == languages.GLOSSARY_LANGUAGE
            call = functools.partial(host.translate, cancel=cancel, glossary=ukrainian)
            done = await run_in_threadpool(documents.translate_documents, [document], call, contexts=True)
        except ModelNotReady as e:
            raise ApiError(503, str(e)) from None
        except Cancelled as e:
            raise ApiError(499, str(e)) from None
        except LimitError as e:
            raise ApiError(413, str(e)) from None
        except TranslateError as e:
            raise ApiError(400, f"Invalid request: {e}") from None
        name = store.put(filename, done[0].data)
        answer: dict[str, object] = {"translatedFileUrl": str(request.url_for("download_file", name=name))}
        if source == "auto":  # as /translate answers
            answer["detectedLanguage"] = found.as_dict()
        if not ukrainian:
            answer["glossaryApplied"] = False
        return JSONResponse(answer)

    binary = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}

    @app.get("/download_file/{name}", response_class=Response,
             summary="A translated file, for a while after /translate_file", responses={
                 200: {"description": "The translated file, in its own format.", "content": binary},
                 404: ERRORS[400] | {"description": "No such file, or it expired."},
                 **{status: ERRORS[status] for status in (401, 403, 429)}})
    async def download_file(request: Request, name: str) -> Response:
        try:
            gate.admit(dict(request.query_params), request.headers, (request.client or ("unknown",))[0])
        except AccessRefused as e:
            raise ApiError(e.status, str(e)) from None
        found = store.get(name)
        if found is None:
            raise ApiError(404, f"No such file: translated files can be downloaded for {FILE_TTL_S // 60} minutes; "
                                "translate it again.")
        filename, data = found
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        return Response(data, media_type=kind, headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})

    return store


"""ASGI middleware of the server: body limits and timeouts, and JSON error answers on every path.

`BodySizeLimit(app, limit_for, timeout)` answers 413 for a body over its path's limit (from the declared
Content-Length alone, or as soon as a streamed body passes it) and 408 for a body that has not arrived within
`timeout` seconds. `JsonErrors(app, routes)` makes every error answer JSON `{"error": ...}` (a mounted UI's
included) and answers 405 to a method no route declares (TRACE…).
"""

from __future__ import annotations

import http
import json
from typing import Any, Callable, Sequence

import anyio
from starlette.routing import Mount

from translate.config import SERVER_BY_NAME

BODY_TIMEOUT_S = SERVER_BY_NAME["body_timeout"].default


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
        elif isinstance(detail, dict) and isinstance(detail.get("error"), str):  # gradio's login: {"error": …}
            detail = detail["error"]
        return json.dumps({**data, "error": str(detail) or _phrase(status)}).encode()
    if (headers.get(b"content-type", b"").startswith(b"text/plain") and b"content-encoding" not in headers
            and 0 < len(body) <= 500):
        # A short plain-text refusal says why (Starlette's CORS: "Disallowed CORS origin"): keep its words.
        text = body.decode("utf-8", "replace").strip()
        if text:
            return json.dumps({"error": text}).encode()
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

"""Who may use the API, and how much: API keys and LibreTranslate's request, character and batch limits.

`Gate.from_settings(server_settings)` takes the key settings (`api_key`, `api_keys` + `api_keys_db_path`,
`require_api_key`, `require_api_key_origin`) and the limits (`req_limit`, `req_limit_storage`, `char_limit`,
`max_items` as the batch limit); `Gate.admit(fields, headers, client)` takes one request's fields, headers and
client address and returns its `Grant` (the key it came with and the limits it has), or raises
`AccessRefused` with LibreTranslate 1.9's status and words:

- a key that is neither `api_key` nor in the key database: 403 "Invalid API key";
- no key where one is required: 401 (`api_key` or `require_api_key` set), or, with `require_api_key_origin`
  and an Origin header that does not match it, 400 "Please contact the server operator to get an API key";
- over `req_limit` requests in the last minute (a moving window; a list `q` costs one per item): 429
  "Slowdown: N per 1 minute", counted per key, or per client address for requests without one;
- a `q` list longer than the batch limit, or one text longer than `char_limit`: 400 "Invalid request:
  request (SIZE) exceeds text limit (LIMIT)".

A key of the database may have its own req/char/batch limits (`uk-en keys add --req-limit …`); the others
are the server's. `ApiAccess` is the ASGI middleware putting every non-GET request of an API route (any
route of the FastAPI app, not the page mounted on it) through the gate before the route runs, so a route
added later is covered without calling anything; the route finds the `Grant` with `grant_of(request)`.
`Gate.admit_page(texts, client)` applies the limits to the web page's own translations.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Mapping, Sequence

from translate.errors import AccessRefused, ConfigError
from translate.keys import KeyRecord, KeyStore, default_path

if TYPE_CHECKING:
    from starlette.requests import Request

    from translate.config import ServerSettings

NEED_KEY = "Please contact the server operator to get an API key"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")  # reading the languages, the docs, health; CORS preflight


@dataclass(frozen=True)
class Grant:
    """What an admitted request may do: `key` is "api_key", the database key's id, or None (no key)."""

    key: str | None
    char_limit: int | None
    batch_limit: int


class Gate:
    """The keys and limits of one server. `keys` is the key database, or None when not in use."""

    def __init__(self, *, api_key: str | None = None, keys: KeyStore | None = None, require_api_key: bool = False,
                 require_api_key_origin: str | None = None, req_limit: int | None = None,
                 req_limit_storage: str = "memory://", char_limit: int | None = None, batch_limit: int = 128):
        from limits import strategies
        from limits.errors import ConfigurationError
        from limits.storage import storage_from_string

        self.api_key = api_key
        self.keys = keys
        self.key_required = bool(api_key) or require_api_key
        try:
            self.origin = re.compile(require_api_key_origin) if require_api_key_origin else None
        except re.error as e:
            raise ConfigError(f"is not a regular expression ({e})", key="require_api_key_origin") from None
        self.req_limit = req_limit
        self.char_limit = char_limit
        self.batch_limit = batch_limit
        try:
            # The limits library is what LibreTranslate's Flask-Limiter counts with: the same storage URIs, and
            # its moving window, so a client never gets twice the limit across a minute's boundary.
            self._counter = strategies.MovingWindowRateLimiter(storage_from_string(req_limit_storage))
        except ConfigurationError as e:
            raise ConfigError(str(e), key="req_limit_storage") from None

    @classmethod
    def from_settings(cls, settings: "ServerSettings") -> "Gate":
        keys = KeyStore(settings.api_keys_db_path or default_path()) if settings.api_keys else None
        return cls(api_key=settings.api_key, keys=keys, require_api_key=settings.require_api_key,
                   require_api_key_origin=settings.require_api_key_origin, req_limit=settings.req_limit,
                   req_limit_storage=settings.req_limit_storage, char_limit=settings.char_limit,
                   batch_limit=settings.max_items)

    @property
    def page_needs_login(self) -> bool:
        """Whether the web page must sit behind its login: whenever some API client would need a key."""
        return self.key_required or self.origin is not None

    # -------------------------------------------------------------------------------------------- admission
    def admit(self, fields: Mapping[str, Any], headers: Mapping[str, str], client: str) -> Grant:
        """The Grant of one API request (its body or form `fields`, its `headers`), or AccessRefused."""
        sent = fields.get("api_key")
        authorization = headers.get("authorization", "")
        if not sent and authorization.lower().startswith("bearer "):
            sent = authorization[7:].strip()
        record: KeyRecord | None = None
        if sent:
            if not isinstance(sent, str):
                raise AccessRefused(403, "Invalid API key")
            # Both checks always run, each in constant time: the answer's timing tells nothing about the keys.
            own = bool(self.api_key) and hmac.compare_digest(sent.encode("utf-8", "surrogatepass"),
                                                             str(self.api_key).encode("utf-8", "surrogatepass"))
            record = self.keys.lookup(sent) if self.keys is not None else None
            if not own and record is None:
                raise AccessRefused(403, "Invalid API key")
            key = str(record.id) if record is not None else "api_key"
            bucket = f"key:{key}"
        else:
            if self.key_required:
                raise AccessRefused(401, f"{NEED_KEY}: this server needs one, as api_key in the body or as the "
                                         f"header 'Authorization: Bearer KEY'.")
            if self.origin is not None and not self.origin.match(headers.get("origin", "")):
                raise AccessRefused(400, NEED_KEY)
            key, bucket = None, f"address:{client}"
        return self._limited(bucket, key, record, fields.get("q"))

    def admit_page(self, texts: Sequence[str], client: str) -> Grant:
        """The Grant of one translation on the web page (its login, when needed, is the page's): the server's
        limits, counted per client address like an API request without a key."""
        return self._limited(f"address:{client}", None, None, list(texts))

    def _limited(self, bucket: str, key: str | None, record: KeyRecord | None, q: Any) -> Grant:
        """The request limit first (a refused request still counts, as in LibreTranslate), then q's size."""
        own = record if record is not None else KeyRecord(0, None, "", None, None, None, "")
        req_limit = own.req_limit or self.req_limit
        grant = Grant(key=key, char_limit=own.char_limit or self.char_limit,
                      batch_limit=own.batch_limit or self.batch_limit)
        texts = q if isinstance(q, list) else [q] if isinstance(q, str) else []
        oversize = None
        if isinstance(q, list) and len(q) > grant.batch_limit:
            oversize = (len(q), grant.batch_limit)
        elif grant.char_limit is not None:
            longest = max((len(t) for t in texts if isinstance(t, str)), default=0)
            if longest > grant.char_limit:
                oversize = (longest, grant.char_limit)
        if req_limit is not None:
            from limits import RateLimitItemPerMinute

            item = RateLimitItemPerMinute(req_limit)
            remaining = self._counter.get_window_stats(item, bucket).remaining
            if remaining < 1:
                raise AccessRefused(429, f"Slowdown: {item}")
            cost = 1 if oversize is not None or not isinstance(q, list) else max(1, len(q))
            # A list costs one per item, as LibreTranslate's req_cost; what is over the rest of the window
            # still fills it (the limits library refuses a hit bigger than what is left, and counts nothing).
            self._counter.hit(item, bucket, cost=min(cost, remaining))
        if oversize is not None:
            raise AccessRefused(400, f"Invalid request: request ({oversize[0]}) exceeds text limit ({oversize[1]})")
        return grant


# ------------------------------------------------------------------------------------------------ ASGI side
def grant_of(request: "Request", batch_limit: int) -> Grant:
    """The Grant `ApiAccess` gave this request; without one (the app runs without the middleware), no key and
    `batch_limit`."""
    grant = getattr(request.state, "grant", None)
    return grant if isinstance(grant, Grant) else Grant(key=None, char_limit=None, batch_limit=batch_limit)


class ApiAccess:
    """ASGI middleware: every non-GET request to a route of the API app goes through `gate` first.

    `routes()` lists the app's routes (read at each request: routes added later count), `read_fields(request)`
    is how the routes themselves read a body (JSON or form), so the key and q seen here are the route's. A body
    that cannot be read is answered here with the route's own error, before any key is checked. Put it inside
    the body-size middleware: the body is then already bounded when it is read here.
    """

    def __init__(self, app: Callable, gate: Gate, routes: Callable[[], list],
                 read_fields: Callable[["Request"], Awaitable[dict]]):
        self.app = app
        self.gate = gate
        self.routes = routes
        self.read_fields = read_fields

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS or not self._api_route(scope):
            return await self.app(scope, receive, send)
        from starlette.datastructures import Headers
        from starlette.requests import Request

        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            fields = await self.read_fields(Request(scope, _replay(body, receive)))
        except Exception as e:  # the route's own refusal (ApiError: 400, 415); anything else is a real fault
            if not isinstance(getattr(e, "status", None), int) or not isinstance(getattr(e, "message", None), str):
                raise
            return await _refuse(scope, receive, send, e.status, e.message)
        client = (scope.get("client") or ("unknown",))[0]
        try:
            grant = self.gate.admit(fields, Headers(scope=scope), client)
        except AccessRefused as e:
            return await _refuse(scope, receive, send, e.status, str(e))
        scope.setdefault("state", {})["grant"] = grant
        await self.app(scope, _replay(body, receive), send)

    def _api_route(self, scope: dict) -> bool:
        from fastapi.routing import APIRoute
        from starlette.routing import Match

        return any(isinstance(route, APIRoute) and route.matches(scope)[0] == Match.FULL for route in self.routes())


def _replay(body: bytes, receive: Callable) -> Callable[[], Awaitable[dict]]:
    """A `receive` that gives the whole `body` once, then whatever the client sends (a disconnect)."""
    given = False

    async def replay() -> dict:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(scope: dict, receive: Callable, send: Callable, status: int, message: str) -> None:
    from starlette.responses import JSONResponse

    await JSONResponse({"error": message}, status_code=status)(scope, receive, send)

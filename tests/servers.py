"""Test helpers for live servers: poll /health until ready, and serve an ASGI app on a free local port."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator

import httpx

from translate import web


def wait_until_healthy(url: str, timeout: float = 120, alive=lambda: True) -> None:
    """Poll /health until it answers 200 (the model is loaded), failing early if the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert alive(), "the server stopped before it was ready"
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        threading.Event().wait(0.1)
    raise AssertionError(f"{url}/health did not answer 200 within {timeout} s")


@contextmanager
def running(app) -> Iterator[str]:
    """`app` served by uvicorn in a thread on a free port of 127.0.0.1; stopped on exit."""
    import uvicorn

    sock = web.bind_socket("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        wait_until_healthy(url, alive=thread.is_alive)
        yield url
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()

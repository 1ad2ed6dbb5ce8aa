"""Test helpers for live servers: poll /health until ready, serve an ASGI app on a free local port, run
`python app.py` as a user would, and check error answers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
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


@contextmanager
def app_py(flags: list[str], *, cwd: Path,
           env: dict[str, str | None] | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """`python app.py FLAGS --port 0` in a subprocess: (the process, its URL) once /health answers 200.

    `env` is added to this process's environment (None removes a variable).
    The URL comes from the address the server prints (port 0 → a free one). The server is stopped at the end
    unless the caller already stopped it.
    """
    root = Path(__file__).resolve().parents[1]
    merged = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})}
    env = {name: value for name, value in merged.items() if value is not None}
    server = subprocess.Popen([sys.executable, str(root / "app.py"), *flags, "--port", "0"], cwd=cwd, env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              encoding="utf-8")
    log: list[str] = []
    url: list[str] = []
    announced = threading.Event()

    def read_log() -> None:
        for line in server.stderr:
            log.append(line)
            found = re.search(r"Web demo: (http://\S+?)/\s", line)
            if found and not url:
                url.append(found.group(1))
                announced.set()
        announced.set()

    threading.Thread(target=read_log, daemon=True).start()
    try:
        assert announced.wait(180) and url, "app.py did not start:\n" + "".join(log)
        wait_until_healthy(url[0], timeout=180, alive=lambda: server.poll() is None)
        yield server, url[0]
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(10)


def assert_error(response: httpx.Response, status: int, *words: str) -> None:
    """`response` is a JSON {"error": "..."} answer with `status`, its message naming each of `words`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    message = response.json()["error"]
    assert isinstance(message, str) and message
    for word in words:
        assert word.lower() in message.lower(), message

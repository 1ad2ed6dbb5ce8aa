"""Prometheus metrics of one server app, with the official client library (prometheus-client).

`Metrics(ready=...)` takes a callable saying whether the model is loaded and holds its own registry (one per
app, so two apps in one process, as in the tests, never mix counts); the ASGI middleware
`RequestTimer(app, metrics, endpoints)` times every HTTP request; `Metrics.exposition()` returns the text
format that `GET /metrics` serves (`CONTENT_TYPE`).

Request metrics keep LibreTranslate's names, so dashboards made for it work: the summary
`libretranslate_http_request_duration_seconds{endpoint, status}` and the gauge
`libretranslate_http_requests_in_flight{endpoint}` — without LibreTranslate's `request_ip` and `api_key`
labels, which would put client addresses and keys into the metrics. `endpoint` is the API path, or "other"
(the web page, unknown paths), so a scan of random URLs cannot grow the label set. Ours: characters
translated per source language, detected languages, suggestions stored, and whether the model is ready.
"""

from __future__ import annotations

import time
from typing import Callable, Collection

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Summary, generate_latest

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self, ready: Callable[[], bool] = lambda: True):
        self.registry = CollectorRegistry()
        self.duration = Summary("libretranslate_http_request_duration_seconds", "Time spent on request",
                                ["endpoint", "status"], registry=self.registry)
        self.in_flight = Gauge("libretranslate_http_requests_in_flight", "Active requests", ["endpoint"],
                               registry=self.registry)
        self.characters = Counter("uken_translated_characters", "Characters of source text translated",
                                  ["source"], registry=self.registry)
        self.detected = Counter("uken_detected_languages", "Texts whose language was detected, by language",
                                ["language"], registry=self.registry)
        self.suggestions = Counter("uken_suggestions_stored", "Editors' corrections stored through /suggest",
                                   registry=self.registry)
        self.model_ready = Gauge("uken_model_ready", "1 once the model is loaded and ready, else 0",
                                 registry=self.registry)
        self.model_ready.set_function(lambda: 1.0 if ready() else 0.0)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)



class RequestTimer:
    """ASGI middleware: every HTTP request timed, and counted while in flight, under its endpoint (a path of
    `endpoints()`, else "other") and answer status."""

    def __init__(self, app: Callable, metrics: Metrics, endpoints: Callable[[], Collection[str]]):
        self.app = app
        self.metrics = metrics
        self.endpoints = endpoints

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "/").rstrip("/") or "/"
        endpoint = path if path in self.endpoints() else "other"
        status = [500]  # what it counts as if the app fails before answering

        async def send_status(message: dict) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        gauge = self.metrics.in_flight.labels(endpoint)
        gauge.inc()
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_status)
        finally:
            gauge.dec()
            self.metrics.duration.labels(endpoint, str(status[0])).observe(time.perf_counter() - started)

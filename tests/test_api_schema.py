"""Schemathesis against `/openapi.json` of a live server with every optional route switched on (suggestions,
ru/be, a metrics token): no 5xx, and every answer matches the schema (status, content type, body).

`/translate` itself is fuzzed in test_security_http.py; this run covers the rest of the LibreTranslate
surface (/detect, /suggest, /frontend/settings, /languages, /metrics, /health), valid and invalid bodies.
"""

from __future__ import annotations

import schemathesis
import servers
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from translate.host import TranslatorHost
from translate.http_api import create_api
from translate.suggestions import SuggestionStore

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_the_rest_of_the_surface_gets_no_5xx_and_answers_that_match_the_schema(tiny_engine, tmp_path):
    from translate import Translator

    translator = Translator(tiny_engine.model, engine=tiny_engine, glossary=None, source_languages="uk,ru,be")
    app = create_api(TranslatorHost(translator), max_items=8, suggestions=SuggestionStore(tmp_path / "s.sqlite3"),
                     metrics_token="m")
    with servers.running(app) as url:
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        tested = []
        for operation in operations:
            if operation.path == "/translate":
                continue
            tested.append(operation.path)
            post = operation.method.upper() == "POST"
            for mode in [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if post else []):
                @given(case=operation.as_strategy(generation_mode=mode))
                @settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
                def answers_well(case):
                    case.call_and_validate(checks=CHECKS)

                answers_well()
    assert {"/detect", "/suggest", "/frontend/settings", "/languages", "/metrics", "/health"} <= set(tested)

"""`FakeEngine`, the one engine stand-in of the tests (conftest.py's `engine` fixture puts one in the CLI).

`FakeEngine()` "translates" without a model, deterministically: a forced prefix, then the source in upper
case. `FakeEngine(wraps=engine)` hands every call to a real engine instead. Either way it records every batch
it is asked (`batches`; `calls` and `sentences` count them), and runs `before_call(sources)` and
`after_call(sources)` around each call: a test raises there (Ctrl-C), blocks there (holding the model) or
changes a file there (an input rewritten mid-run).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

Hook = Callable[[list[str]], None]


class FakeEngine:
    def __init__(self, model: str = "fake-model", precision: str = "float32", *, wraps: Any = None,
                 before_call: Hook | None = None, after_call: Hook | None = None):
        self.wraps = wraps
        self.name = wraps.name if wraps is not None else "fake"
        self.model = wraps.model if wraps is not None else model
        self.precision = precision
        self.before_call = before_call
        self.after_call = after_call
        self.batches: list[list[str]] = []
        self.options_seen: list[dict[str, Any]] = []
        self.backend_reason = "chosen by the test"

    def __getattr__(self, name: str) -> Any:  # a wrapped engine's own attributes (its tokenizer, its path…)
        wraps = self.__dict__.get("wraps")
        if wraps is None:
            raise AttributeError(name)
        return getattr(wraps, name)

    @property
    def calls(self) -> int:
        return len(self.batches)

    @property
    def sentences(self) -> int:
        return sum(len(b) for b in self.batches)

    def info(self) -> dict[str, str]:
        if self.wraps is not None:
            return self.wraps.info()
        return {"engine": self.name, "model": self.model, "precision": self.precision, "device": "cpu", "threads": "1"}

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if self.wraps is not None:
            return self.wraps.count_tokens(texts)
        return [len(t.split()) + 1 for t in texts]

    def translate_batch(self, sources: Sequence[str], *, prefixes: Sequence[str | None] | None = None,
                        **options: Any) -> list[str]:
        """`options` (a re-decode's `repetition`) go to the wrapped engine; recorded in `options_seen`."""
        sources = list(sources)
        self.options_seen.append(options)
        if self.before_call is not None:
            self.before_call(sources)
        self.batches.append(sources)
        try:
            if self.wraps is not None:
                return self.wraps.translate_batch(sources, prefixes=prefixes, **options)
            return [(p or "") + s.upper() for s, p in zip(sources, prefixes or [None] * len(sources))]
        finally:
            if self.after_call is not None:
                self.after_call(sources)

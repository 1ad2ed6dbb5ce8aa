"""Server batching: one `Engine` shared by concurrent callers, whose sentences are decoded together.

Takes one or more loaded engines (model replicas) and returns an `Engine` (`BatchingEngine`) that many
threads may call at once. Each caller's `translate_batch(sources, prefixes=)` joins a FIFO queue; a worker
thread per replica takes the oldest waiting call and the waiting calls with the same decoding options (a
review's re-decodes, with repetition constraints, go in groups of their own), up to the batch budget
(`batch_size` sentences, `batch_tokens` padded source tokens). While requests the server has in flight
(`in_flight`) are busy between two decodes, it waits for their next call, up to `wait_ms` milliseconds; with
none coming the group goes at once. It decodes the whole group in one call of its replica and hands each
caller exactly its own English back. A call bigger than the budget is decoded alone (its engine splits it
into batches as always).

What stays per call: the glossary (terms are annotated into the source and forced as prefixes before the
engine is asked, so a call's sentences carry their own terms), and failures: when a group's decode fails,
each call of it is decoded again alone, so only the call that cannot be translated gets the error.

Tokenizers are not thread-safe (MarianTokenizer switches a shared source/target mode), so `count_tokens`
(the callers' segmenting) uses a copy of the first replica's tokenizer, and the first replica's other
methods (an n-best decode) take turns with its worker; other replicas have tokenizers of their own.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from translate.config import SERVER_BY_NAME
from translate.engines.base import Engine, aligned_prefixes

log = logging.getLogger("translate")

DEFAULT_WAIT_MS = SERVER_BY_NAME["batch_wait_ms"].default


@dataclass
class _Call:
    """One caller's sentences, waiting in the queue until a worker has its English (or its error)."""

    sources: list[str]
    prefixes: list[str | None]
    options: dict[str, Any]  # the engine's other keywords (repetition constraints): only equal ones share a group
    longest: int  # source tokens of its longest sentence (the padded-token budget)
    done: threading.Event = field(default_factory=threading.Event)
    english: list[str] | None = None
    error: BaseException | None = None


class BatchingEngine:
    """`engines` (replicas of one model) behind one thread-safe Engine that batches concurrent callers.

    `batch_size` / `batch_tokens` bound what one group may hold (the settings' values); `wait_ms` is the
    longest a worker waits for the next calls of requests in flight; `on_queued(depth)` hears the number of
    calls waiting after each arrival (a queue-depth gauge for monitoring).
    """

    concurrent_callers = True  # TranslatorHost lets calls reach it together instead of taking turns

    def __init__(self, engines: Sequence[Engine], *, batch_size: int, batch_tokens: int,
                 wait_ms: float = DEFAULT_WAIT_MS, on_queued: Callable[[int], None] | None = None):
        if not engines:
            raise ValueError("BatchingEngine needs at least one engine")
        self.engines = list(engines)
        self.name = self.engines[0].name
        self.model = self.engines[0].model
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self.wait_s = wait_ms / 1000
        self.on_queued = on_queued
        self._queue: deque[_Call] = deque()
        self._in_flight = 0  # requests between `in_flight()` enter and exit
        self._taken = 0  # calls taken from the queue by a worker and not yet answered
        self._cond = threading.Condition()
        self._tokenizer_lock = threading.Lock()  # the first replica's worker and its other methods
        self._count_lock = threading.Lock()
        self._counter = _token_counter(self.engines[0])
        for i, engine in enumerate(self.engines):
            threading.Thread(target=self._work, args=(engine, i == 0), name=f"batching-{i}", daemon=True).start()

    def __getattr__(self, name: str) -> Any:
        # The first replica's own attributes (backend_reason, tokenizer…); its other methods (an n-best
        # decode) run unbatched, in turn with its worker, which shares their model and tokenizer.
        if name == "engines":
            raise AttributeError(name)
        value = getattr(self.engines[0], name)
        if not callable(value):
            return value

        def in_turn(*args: Any, **kwargs: Any) -> Any:
            with self._tokenizer_lock:
                return value(*args, **kwargs)

        return in_turn

    def info(self) -> dict[str, str]:
        info = dict(self.engines[0].info())
        info["workers"] = str(len(self.engines))
        info["batching"] = f"concurrent requests decoded together (waits up to {self.wait_s * 1000:g} ms)"
        return info

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if self._counter is not None:
            with self._count_lock:
                return self._counter.count_tokens(texts)
        if hasattr(self.engines[0], "tokenizer"):  # a tokenizer that could not be copied: in turn with its worker
            with self._tokenizer_lock:
                return self.engines[0].count_tokens(texts)
        return self.engines[0].count_tokens(texts)

    @contextlib.contextmanager
    def in_flight(self) -> Iterator[None]:
        """Around one request (TranslatorHost.translate): while it runs its own steps between engine calls
        (segmenting, review, term repair), a worker collecting a group waits for its next call, up to the
        wait; once every request in flight is waiting or decoding, the group goes at once. Without it (the
        engine called directly) a worker always waits the whole wait."""
        with self._cond:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._cond:
                self._in_flight -= 1
                self._cond.notify_all()  # a worker waiting for this request's next call stops waiting

    def translate_batch(self, sources: Sequence[str], *, prefixes: Sequence[str | None] | None = None,
                        **options: Any) -> list[str]:
        sources = list(sources)
        prefixes = aligned_prefixes(sources, prefixes)
        if not sources:
            return []
        call = _Call(sources, prefixes, options, max(self.count_tokens(sources)))
        with self._cond:
            self._queue.append(call)
            depth = len(self._queue)
            self._cond.notify_all()
        if self.on_queued is not None:
            self.on_queued(depth)
        call.done.wait()
        if call.error is not None:
            raise call.error
        return call.english

    # -- workers -------------------------------------------------------------------------------------------

    def _fits(self, group: list[_Call], call: _Call) -> bool:
        sentences = sum(len(c.sources) for c in group) + len(call.sources)
        longest = max(max(c.longest for c in group), call.longest)
        return sentences <= self.batch_size and longest * sentences <= self.batch_tokens

    def _full(self, group: list[_Call]) -> bool:
        sentences = sum(len(c.sources) for c in group)
        return sentences >= self.batch_size or max(c.longest for c in group) * (sentences + 1) > self.batch_tokens

    def _collect(self) -> list[_Call]:
        """The oldest waiting call and those that join it within the wait, up to the budget. Calls with other
        decoding options (a review's re-decode with repetition constraints) are passed over and keep their
        place: one request's re-decode must not split the group of everyone's first decodes. Among calls of
        the same options it is first come, first served: one that does not fit ends the group and is first
        in line for the next one."""
        with self._cond:
            self._cond.wait_for(lambda: self._queue)
            group = [self._take(0)]
            deadline = time.monotonic() + self.wait_s
            while not self._full(group):
                # Looked for afresh after each wait: other workers take calls from the queue meanwhile.
                joining = next((i for i, c in enumerate(self._queue) if c.options == group[0].options), None)
                if joining is None:
                    if self._in_flight and self._in_flight <= len(self._queue) + self._taken:
                        break  # every request in flight has its call waiting or taken: none is coming
                    left = deadline - time.monotonic()
                    if left <= 0 or not self._cond.wait(left):
                        break
                    continue
                if not self._fits(group, self._queue[joining]):
                    break
                group.append(self._take(joining))
            return group

    def _take(self, index: int) -> _Call:
        call = self._queue[index]
        del self._queue[index]
        self._taken += 1
        return call

    def _work(self, engine: Engine, shares_tokenizer: bool) -> None:
        while True:
            group = self._collect()
            with self._tokenizer_lock if shares_tokenizer else contextlib.nullcontext():
                self._decode(engine, group)
            with self._cond:
                self._taken -= len(group)

    def _decode(self, engine: Engine, group: list[_Call]) -> None:
        try:
            english = engine.translate_batch([s for c in group for s in c.sources],
                                             prefixes=[p for c in group for p in c.prefixes], **group[0].options)
        except BaseException as e:  # noqa: BLE001 — handed to the callers, never lost in the thread
            if len(group) > 1:  # find the call that fails: the others get their English
                for call in group:
                    self._decode(engine, [call])
                return
            group[0].error = e
            group[0].done.set()
            return
        start = 0
        for call in group:
            call.english = english[start : start + len(call.sources)]
            start += len(call.sources)
            call.done.set()


def _token_counter(engine: Engine) -> Engine | None:
    """A shallow copy of a Marian engine with a tokenizer of its own, for counting tokens while the engine
    decodes (the copy is cheap: MarianTokenizer pickles as its SentencePiece files); None for other engines."""
    from translate.engines.marian import MarianBatching

    if not isinstance(engine, MarianBatching):
        return None
    counter = copy.copy(engine)
    counter.tokenizer = copy.deepcopy(engine.tokenizer)
    return counter


def replica_settings(settings: Any, workers: int, cores: int, gpus: int) -> list[Any]:
    """The settings of each of `workers` replicas: on CUDA one GPU each, round robin over `gpus`; on CPU the
    cores shared out (threads = cores // workers, at least 1), unless `threads` is set explicitly."""
    from dataclasses import replace

    out = []
    for i in range(workers):
        device, threads = settings.device, settings.threads
        if gpus and device in ("auto", "cuda"):
            device = f"cuda:{i % gpus}"
        elif threads == 0:
            threads = max(1, cores // workers)
        out.append(replace(settings, device=device, threads=threads))
    return out


def load_batching_engine(settings: Any, *, workers: int = 1, wait_ms: float = DEFAULT_WAIT_MS) -> BatchingEngine:
    """`workers` replicas of the settings' engine (`load_engine`), batched together (see `replica_settings`)."""
    from translate.engines.ctranslate2 import core_count
    from translate.engines.selection import load_engine

    gpus = _cuda_devices(settings.backend) if settings.device in ("auto", "cuda") else 0
    engines = [load_engine(s) for s in replica_settings(settings, workers, core_count(), gpus)]
    log.info("batching engine: %d replica(s), waits up to %g ms", len(engines), wait_ms)
    return BatchingEngine(engines, batch_size=settings.batch_size, batch_tokens=settings.batch_tokens,
                          wait_ms=wait_ms)


def _cuda_devices(backend: str) -> int:
    """GPUs the chosen backend sees (asking ctranslate2 does not import torch, which takes seconds)."""
    from translate.engines.selection import resolve_backend

    if resolve_backend(backend)[0] == "ctranslate2":
        import ctranslate2

        return ctranslate2.get_cuda_device_count()
    import torch

    return torch.cuda.device_count()

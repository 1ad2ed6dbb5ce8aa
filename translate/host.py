"""The server's one model: `TranslatorHost` holds a `Translator` (loaded once, perhaps in the background) for
the web page and the HTTP API alike.

Takes texts and a caller's own glossary pairs; returns `Translation`s. The model is taken in turns of
`chunk_sentences` through a FIFO lock (waiters served in arrival order), so a small request never waits for
all of a big one, and a call whose `cancel` event is set stops at its next turn (`Cancelled`). With a
batching engine (`concurrent_callers`), turns skip the lock: concurrent calls meet in its FIFO queue and
are decoded together, still a turn of `chunk_sentences` at a time per call. A call's own
glossary is capped in pairs and characters (`LimitError`); merged glossaries are cached up to a total number
of entries and never written to the disk cache. Before the model is ready, calls raise `ModelNotReady`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import OrderedDict, deque
from typing import TYPE_CHECKING, Callable, Iterator, Literal, Sequence

from translate.config import SERVER_BY_NAME
from translate.errors import Cancelled, LimitError, ModelNotReady
from translate.pipeline import ModelTurns

if TYPE_CHECKING:
    from translate.glossary import Glossary
    from translate.pipeline import Translation, Translator
    from translate.suggestions import SuggestionStore

log = logging.getLogger("translate.web")

GlossaryPairs = tuple[tuple[str, str], ...]

# Caps on one call's own glossary pairs (the API's "glossary", the web page's session glossary).
MAX_GLOSSARY_PAIRS = SERVER_BY_NAME["max_glossary_pairs"].default
MAX_GLOSSARY_CHARS = SERVER_BY_NAME["max_glossary_chars"].default
# Merged glossaries kept for reuse, bounded by their entries summed: each index is a trie of every form.
MAX_CACHED_GLOSSARY_ENTRIES = 20_000
# Sentences per turn at the model: about a second on CPU, so a waiting small request is served soon.
CHUNK_SENTENCES = 32


class FifoLock:
    """A lock that serves waiters in arrival order.

    threading.Lock lets the thread that releases it take it straight back, so a big job taking the model in
    turns would starve everyone else.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._held = False

    def __enter__(self) -> None:
        me = object()
        with self._cond:
            self._queue.append(me)
            try:
                self._cond.wait_for(lambda: not self._held and self._queue[0] is me)
            except BaseException:  # interrupted while waiting: give up the place, let the next one in
                self._queue.remove(me)
                self._cond.notify_all()
                raise
            self._queue.popleft()
            self._held = True

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._held = False
            self._cond.notify_all()


class TranslatorHost:
    """The server's one Translator: loaded once (perhaps in the background), used by one call at a time.

    The web UI and the HTTP API share it, so both go through `translate`, which takes the model in turns of
    `chunk_sentences` (a FIFO lock: one turn at a time, in arrival order). A call's own glossary pairs are
    capped at `max_glossary_pairs` pairs and `max_glossary_chars` characters (LimitError); merged glossaries
    (the default one plus a user's pairs) are built once and cached, `max_cached_glossary_entries` entries
    in all, least recently used first out.
    """

    def __init__(self, translator: "Translator | None" = None, *, max_glossary_pairs: int = MAX_GLOSSARY_PAIRS,
                 max_glossary_chars: int = MAX_GLOSSARY_CHARS,
                 max_cached_glossary_entries: int = MAX_CACHED_GLOSSARY_ENTRIES,
                 chunk_sentences: int = CHUNK_SENTENCES):
        self._translator = translator
        self._error: str | None = None
        self._ready = threading.Event()
        self._model_lock = FifoLock()  # the model is not re-entrant and a CPU hog: one turn at a time
        self._glossary_lock = threading.Lock()
        self._glossaries: OrderedDict[GlossaryPairs, Glossary] = OrderedDict()
        self._cached_entries = 0
        self.max_glossary_pairs = max_glossary_pairs
        self.max_glossary_chars = max_glossary_chars
        self.max_cached_glossary_entries = max_cached_glossary_entries
        self.chunk_sentences = chunk_sentences
        # Editors' corrections (translate.suggestions), used before the model on every surface of the server;
        # the HTTP API sets it when suggestions are on.
        self.corrections: "SuggestionStore | None" = None
        if translator is not None:
            self._ready.set()

    @classmethod
    def load_in_background(cls, load: Callable[[], "Translator"],
                           on_error: Callable[[BaseException], None] | None = None,
                           **limits: int) -> "TranslatorHost":
        """A host whose translator `load()` builds in a daemon thread; `on_error` hears about a failure.

        `limits` are the keyword arguments of the constructor (max_glossary_pairs…).
        """
        host = cls(**limits)

        def run() -> None:
            try:
                host._translator = load()
            except BaseException as e:  # reported through /health and on_error, never lost in the thread
                host._error = str(e) or type(e).__name__
                if on_error is not None:
                    on_error(e)
                else:  # nobody else will say it
                    log.error("model loading failed: %s", host._error)
            finally:
                host._ready.set()

        threading.Thread(target=run, name="load-translator", daemon=True).start()
        return host

    @property
    def state(self) -> Literal["loading", "ready", "failed"]:
        if not self._ready.is_set():
            return "loading"
        return "ready" if self._translator is not None else "failed"

    @property
    def error(self) -> str | None:
        return self._error

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loading has finished (either way); False if still loading after `timeout` seconds."""
        return self._ready.wait(timeout)

    @property
    def translator(self) -> "Translator":
        if self._translator is not None:
            return self._translator
        if self._ready.is_set():
            raise ModelNotReady(f"The model failed to load: {self._error}")
        raise ModelNotReady("The model is still loading; try again in a moment.")

    def info(self) -> dict[str, str]:
        return self.translator.info()

    def glossary_with(self, pairs: Sequence[Sequence[str]] = ()) -> "Glossary | None":
        """The default glossary with `pairs` merged over it (theirs win); built once per distinct set of pairs.

        LimitError when `pairs` is over the caps; GlossaryError for a malformed pair.
        """
        translator = self.translator
        key: GlossaryPairs = tuple((str(uk), str(en)) for uk, en in pairs)
        if not key:
            return translator.glossary
        if len(key) > self.max_glossary_pairs:
            raise LimitError(f"The request glossary has {len(key):,} pairs, over this server's limit of "
                             f"{self.max_glossary_pairs:,} pairs per request.")
        chars = sum(len(uk) + len(en) for uk, en in key)
        if chars > self.max_glossary_chars:
            raise LimitError(f"The request glossary has {chars:,} characters, over this server's limit of "
                             f"{self.max_glossary_chars:,} characters per request.")
        with self._glossary_lock:
            if key in self._glossaries:
                self._glossaries.move_to_end(key)
                return self._glossaries[key]
        from translate.glossary import Glossary

        # One-off pairs never go to the disk cache (cache_dir=False): each request would leave a file behind.
        extra = Glossary.from_pairs(key, cache_dir=False)  # GlossaryError (a bad pair) goes back to the caller
        merged = extra if translator.glossary is None else translator.glossary.merge(extra, cache_dir=False)
        with self._glossary_lock:
            if key in self._glossaries:  # another thread built it meanwhile
                return self._glossaries[key]
            self._glossaries[key] = merged
            self._cached_entries += len(merged)
            # The newest stays even alone over the budget: the caller is about to use it, and so are the
            # next parts of the same long text.
            while self._cached_entries > self.max_cached_glossary_entries and len(self._glossaries) > 1:
                _, old = self._glossaries.popitem(last=False)
                self._cached_entries -= len(old)
        return merged

    def translate(self, texts: Sequence[str], pairs: Sequence[Sequence[str]] = (), *,
                  cancel: threading.Event | None = None, glossary: bool = True,
                  alternatives: int = 0, contexts: Sequence[str] | None = None,
                  review: bool | None = None) -> "list[Translation]":
        """`Translator.translate_documents` with the per-call glossary, taking the model in turns.

        Once `cancel` is set, the call raises Cancelled at its next turn instead of going on. `glossary=False`
        translates without any glossary (the glossary is Ukrainian: Russian or Belarusian input goes so).
        `alternatives`: up to that many other translations per text, in each Translation's `alternatives`.
        `contexts[i]`: the whole document `texts[i]` is a part of, whose names it keeps consistent with (names
        are Ukrainian too: none for other input). Nothing learned from a call's texts serves another call.
        `review` (default: the translator's `review` setting) repairs and flags each sentence (`flags`).
        """
        ukrainian = glossary
        from translate.glossary import Glossary

        glossary = self.glossary_with(pairs) if glossary else Glossary((), cache_dir=False)
        translator = self.translator
        # A batching engine (translate.engines.batching) takes concurrent calls itself and decodes them
        # together, in arrival order: holding the lock through a turn would send it one call at a time.
        # Turns of `chunk_sentences` still bound what a big call puts in its queue at once.
        batching = getattr(translator.engine, "concurrent_callers", False)
        lock = contextlib.nullcontext() if batching else self._model_lock

        @contextlib.contextmanager
        def turn() -> Iterator[None]:
            with lock:
                if cancel is not None and cancel.is_set():
                    raise Cancelled("The caller went away; the translation was stopped.")
                yield

        with translator.engine.in_flight() if batching else contextlib.nullcontext():
            return translator.translate_documents(list(texts), glossary=glossary,
                                                  turns=ModelTurns(size=self.chunk_sentences, turn=turn),
                                                  corrections=self.corrections, alternatives=alternatives,
                                                  contexts=contexts, private=True, names=ukrainian, review=review)

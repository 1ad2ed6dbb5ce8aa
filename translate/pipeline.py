"""The `Translator`: Ukrainian text in, English text out with the same layout, glossary terms enforced.

Takes text (or many texts); returns English text, or a `Translation` with one `TermReport` per matched term.
`translate_documents` runs the stages in order, each a method over one `SentenceJob` per translatable
sentence:

    plan (segment the texts, find each sentence's glossary terms) → annotate (terms pre-rendered in the
    source) → decode (the engine) → repair (verify each term; re-decode with a forced prefix where one is
    missing) → report (a TermReport per match) → reassemble (the English in each text's exact layout)

All sentences of a call go to the engine together (deduplicated, length-sorted batches inside the engine),
or, given `ModelTurns`, a few dozen at a time, each engine use inside a turn (a server's model lock: other
callers get turns in between, and a cancelled call stops there).
"""

from __future__ import annotations

import contextlib
import inspect
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Sequence

from translate import terms as termlib
from translate.config import OPTIONS, Settings, load_settings
from translate.engines import Engine, load_engine
from translate.segment import Layout, segment
from translate.terms import TermReport

if TYPE_CHECKING:
    from translate.glossary import Glossary, Match

__all__ = ["ModelTurns", "SentenceJob", "TermReport", "Translation", "Translator"]


@dataclass(frozen=True)
class Translation:
    text: str
    terms: list[TermReport] = field(default_factory=list)


@dataclass(frozen=True)
class ModelTurns:
    """How a call shares the model: at most `size` sentences per engine call, each call inside `turn()`.

    The default is one turn for everything, no lock. An exception raised by `turn()` stops the call.
    """

    size: int = 0  # 0: all sentences at once
    turn: Callable[[], ContextManager] = contextlib.nullcontext


@dataclass
class SentenceJob:
    """One translatable sentence on its way through the stages."""

    document: int  # which text of the call
    index: int  # which sentence of that text's layout
    offset: int  # where the sentence starts in its text
    source: str
    matches: list["Match"]  # every glossary match, weak ones included (reported)
    enforced: list["Match"]  # the matches whose target the English must have
    annotated: str = ""  # the source with each enforced match replaced by its target
    target_starts: list[int] = field(default_factory=list)  # where each enforced target starts in `annotated`
    english: str = ""


def load_glossary(glossary: "str | os.PathLike | Glossary | None",
                  add: "str | os.PathLike | None" = None) -> "Glossary | None":
    """The glossary a translator uses: `glossary` (a file, "default" for the shipped one, a ready Glossary, or
    None) with the file `add` layered on top (its entries win)."""
    from translate.glossary import Glossary

    base = glossary if isinstance(glossary, Glossary) or glossary is None else Glossary.load(glossary)
    if add is None:
        return base
    extra = Glossary.load(add)
    return extra if base is None else base.merge(extra)


class Translator:
    """uk→en translation with layout kept and glossary terms enforced.

    `Translator(model, **settings)`: the keyword arguments are the settings of `translate.config.OPTIONS`
    (its defaults; `glossary` may also be a ready `Glossary`). `from_config` also reads a TOML file and
    UKEN_* environment variables. `engine` plugs in a ready engine (a cache-wrapped one, say), in which case
    model/backend/device are not used to load one.
    """

    def __init__(self, model: str | None = None, *, engine: Engine | None = None, **settings: Any):
        ready = _ready_glossary(settings)
        if model is not None:
            settings["model"] = model
        loaded = load_settings(None, environment=False, **settings)
        self._setup(loaded, engine, load_glossary(ready if ready is not None else loaded.glossary,
                                                  loaded.add_glossary))

    @classmethod
    def from_config(cls, path: "str | os.PathLike | None" = None, /, *, engine: Engine | None = None,
                    **overrides: Any) -> "Translator":
        """Settings from `path` (TOML), then UKEN_* environment variables, then `overrides`."""
        ready = _ready_glossary(overrides)
        settings = load_settings(path, **overrides)
        return cls.from_settings(settings, engine=engine, glossary=load_glossary(
            ready if ready is not None else settings.glossary, settings.add_glossary))

    @classmethod
    def from_settings(cls, settings: Settings, *, engine: Engine | None = None,
                      glossary: "Glossary | None" = ...) -> "Translator":  # type: ignore[assignment]
        """A translator of `settings`; `glossary`, when given (None: none), is used as it is instead of the
        settings' glossary and add_glossary."""
        self = cls.__new__(cls)
        if glossary is ...:
            glossary = load_glossary(settings.glossary, settings.add_glossary)
        self._setup(settings, engine, glossary)
        return self

    def _setup(self, settings: Settings, engine: Engine | None, glossary: "Glossary | None") -> None:
        # The glossary is loaded before the engine, so that a bad one fails fast.
        self.settings = settings
        self.glossary = glossary
        self.engine = engine if engine is not None else load_engine(settings)

    def info(self) -> dict[str, str]:
        info = dict(self.engine.info())
        reason = getattr(self.engine, "backend_reason", None)
        if reason:
            info["backend_reason"] = reason
        info["glossary"] = f"{len(self.glossary)} entries" if self.glossary is not None else "none"
        return info

    # ------------------------------------------------------------------------------------------ public calls
    def translate(self, text: str) -> str:
        """English for `text`, with exactly its line layout (blank lines, CRLF, indentation)."""
        return self.translate_documents([text])[0].text

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        """Many items translated together (one batched pass over all their sentences)."""
        return [t.text for t in self.translate_documents(texts)]

    def translate_document(self, text: str) -> Translation:
        """English text plus one `TermReport` per glossary term matched in the source."""
        return self.translate_documents([text])[0]

    def translate_documents(self, texts: Sequence[str], *, glossary: "Glossary | None" = None,
                            turns: ModelTurns = ModelTurns()) -> list[Translation]:
        """`translate_document` for many texts at once; `glossary` replaces the translator's for this call."""
        if isinstance(texts, str):
            raise TypeError("translate_documents takes a list of texts; use translate_document for one")
        texts = [_check_text(t) for t in texts]
        glossary = glossary if glossary is not None else self.glossary
        with turns.turn():  # segmenting counts tokens with the engine's tokenizer
            layouts = self.plan(texts)
        jobs = self.find_terms(layouts, glossary)
        self.annotate(jobs)
        self.decode(jobs, turns)
        self.repair(jobs, turns)
        return self.reassemble(layouts, jobs, self.report(jobs, len(texts)))

    # ---------------------------------------------------------------------------------------------- stages
    def plan(self, texts: Sequence[str]) -> list[Layout]:
        """Each text as paragraphs and sentences, its layout recorded; over-long sentences chunked."""
        return [segment(t, max_tokens=self.settings.max_sentence_tokens, count_tokens=self._count) for t in texts]

    def find_terms(self, layouts: Sequence[Layout], glossary: "Glossary | None") -> list[SentenceJob]:
        """One job per translatable sentence, with its glossary matches; weak ones are reported, not enforced."""
        jobs = []
        for d, layout in enumerate(layouts):
            for s, sentence in enumerate(layout.sentences):
                if not sentence.translatable:
                    continue
                matches = glossary.find(sentence.text) if glossary is not None else []
                jobs.append(SentenceJob(document=d, index=s, offset=sentence.start, source=sentence.text,
                                        matches=matches, enforced=[m for m in matches if not m.weak]))
        return jobs

    def annotate(self, jobs: Sequence[SentenceJob]) -> None:
        """Each enforced term's span replaced by its English (Marian models copy Latin-script names)."""
        for job in jobs:
            job.annotated, job.target_starts = termlib.annotate(job.source, job.enforced)

    def decode(self, jobs: Sequence[SentenceJob], turns: ModelTurns) -> None:
        """The engine's English for every annotated sentence."""
        for job, english in zip(jobs, self._translate_unique([j.annotated for j in jobs], None, turns)):
            job.english = english

    def repair(self, jobs: Sequence[SentenceJob], turns: ModelTurns) -> None:
        """Sentences whose English lacks an enforced target decoded again with a forced prefix holding it; then
        every sentence with terms gets the glossary's spelling and no doubled term."""
        todo = []
        for job in jobs:
            missing = termlib.missing_terms(job.english, job.enforced)
            if missing:
                todo.append((job, termlib.repair_prefix(len(job.annotated), job.english, job.enforced,
                                                        job.target_starts, missing)))
        repaired = self._translate_unique([job.annotated for job, _ in todo], [prefix for _, prefix in todo], turns)
        for (job, _), english in zip(todo, repaired):
            job.english = termlib.separate_glued(english, [m.target for m in job.enforced])
        for job in jobs:
            if job.enforced:
                job.english = termlib.tidy(job.english, [m.target for m in job.enforced])

    def report(self, jobs: Sequence[SentenceJob], documents: int) -> list[list[TermReport]]:
        """Per text, one TermReport per match, offsets into the text; `applied` checked on the final English."""
        reports: list[list[TermReport]] = [[] for _ in range(documents)]
        for job in jobs:
            missing = {id(job.enforced[i]) for i in termlib.missing_terms(job.english, job.enforced)}
            for m in job.matches:
                applied = termlib.count_target(job.english, m.target) > 0 if m.weak else id(m) not in missing
                reports[job.document].append(TermReport(
                    surface=m.surface, headword=m.headword, target=m.target, start=job.offset + m.start,
                    end=job.offset + m.end, applied=applied, weak=m.weak))
        return reports

    def reassemble(self, layouts: Sequence[Layout], jobs: Sequence[SentenceJob],
                   reports: Sequence[list[TermReport]]) -> list[Translation]:
        """The English of each text in its exact layout; untranslatable pieces copied as they were."""
        outputs = [[sentence.text for sentence in layout.sentences] for layout in layouts]
        for job in jobs:
            outputs[job.document][job.index] = job.english
        return [Translation(layout.join(out), report) for layout, out, report in zip(layouts, outputs, reports)]

    # ------------------------------------------------------------------------------------------ engine use
    def _count(self, text: str) -> int:
        return self.engine.count_tokens([text])[0]

    def _translate_unique(self, sources: list[str], prefixes: list[str] | None, turns: ModelTurns) -> list[str]:
        """Engine calls, `turns.size` sentences per turn; repeated (source, prefix) pairs (boilerplate lines)
        decoded once."""
        keys = list(zip(sources, prefixes or [None] * len(sources)))
        unique = list(dict.fromkeys(keys))
        if turns.size:  # longest first, as the engine orders a batch, so each turn pads little
            unique.sort(key=lambda k: -len(k[0]))
        step = turns.size or len(unique) or 1
        by_key: dict[tuple[str, str | None], str] = {}
        for i in range(0, len(unique), step):
            part = unique[i:i + step]
            with turns.turn():
                results = self.engine.translate_batch([k[0] for k in part], prefixes=[k[1] for k in part])
            by_key.update(zip(part, results))
        return [by_key[k] for k in keys]


def _ready_glossary(settings: dict[str, Any]) -> "Glossary | None":
    """A ready Glossary object given as the `glossary` keyword, taken out of `settings` (it is no setting)."""
    glossary = settings.get("glossary")
    if glossary is not None and not isinstance(glossary, (str, os.PathLike)):
        return settings.pop("glossary")
    return None


def _check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    return text


def _signature() -> inspect.Signature:
    """`Translator(model, *, engine, **settings)` as help() and IDEs should show it: every setting of OPTIONS
    with its default, written once, in the table."""
    self = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    params = [self] + [
        inspect.Parameter(o.name, inspect.Parameter.POSITIONAL_OR_KEYWORD if o.name == "model"
                          else inspect.Parameter.KEYWORD_ONLY, default=o.default)
        for o in OPTIONS]
    params.append(inspect.Parameter("engine", inspect.Parameter.KEYWORD_ONLY, default=None))
    return inspect.Signature(params)


Translator.__init__.__signature__ = _signature()

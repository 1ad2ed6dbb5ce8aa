"""The `Translator`: Ukrainian text in, English text out with the same layout, glossary terms enforced.

Takes text (or many texts); returns English text, or a `Translation` with one `TermReport` per matched term
and the review's `Flag`s.
`translate_documents` runs the stages in order, each a method over one `SentenceJob` per translatable
sentence:

    plan (segment the texts, find each sentence's glossary terms) → annotate (terms pre-rendered in the
    source) → decode (the engine) → redecode_degenerate (review on: degenerate repetition decoded again with
    repetition constraints) → repair (verify each term, and with review each plain number; re-decode with a
    forced prefix where one is missing) → review (flag what still fails a check, translate/review/) → report
    (a TermReport per match) → reassemble (the English in each text's exact layout, flags placed in it)
    → alternatives (only when asked: each sentence's n-best, repaired the same way, composed into other texts)

All sentences of a call go to the engine together (deduplicated, length-sorted batches inside the engine),
or, given `ModelTurns`, a few dozen at a time, each engine use inside a turn (a server's model lock: other
callers get turns in between, and a cancelled call stops there).
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Sequence

from translate import alternatives as altlib
from translate import terms as termlib
from translate.config import OPTIONS, Settings, load_settings
from translate.engines import Engine, load_engine
from translate.engines.base import Repetition
from translate.names import NameBook, NameMatch
from translate.segment import Layout, segment
from translate.review import Flag, numbers as review_numbers, repetition as review_repetition, review as review_pair
from translate.terms import TermReport

if TYPE_CHECKING:
    from translate import documents
    from translate.glossary import Glossary, Match
    from translate.suggestions import SuggestionStore

__all__ = ["ModelTurns", "SentenceJob", "TermReport", "Translation", "Translator"]

DOCUMENT_BOOKS = 64  # documents whose names are kept for their next parts (a long text comes in parts)


@dataclass(frozen=True)
class Translation:
    text: str
    terms: list[TermReport] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)  # other English renderings, when asked for
    flags: list[Flag] = field(default_factory=list)  # review flags, offsets into `text` (translate.review)
    sentences: int = 0  # sentences translated (and, with review on, reviewed)


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
    corrected: bool = False  # the English is an editor's stored correction: not decoded, not repaired
    repetition: Repetition | None = None  # set once its output was degenerate: every later decode keeps it
    flags: list[Flag] = field(default_factory=list)  # what the review found, offsets into `english`


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
        self._run_names = NameBook()
        self._document_names: "OrderedDict[tuple[int, int], NameBook]" = OrderedDict()
        self._books_lock = threading.Lock()

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

    def translate_markup(self, text: str, format: str = "html") -> Translation:
        """An HTML (or Markdown) string in, the same markup with English text out (`.text`), and the term
        reports, offsets into its blocks' texts joined by "\\n" (`translate.documents`), and the review flags,
        offsets into `.text` (`translate.documents.rebuilt`)."""
        from translate import documents

        return documents.translate_texts([text], format, self.translate_documents, contexts=True)[0]

    def translate_file(self, source: "str | os.PathLike", output: "str | os.PathLike | None" = None, *,
                       format: str = "auto") -> "documents.Translated":
        """A file of any `translate.documents` format (by its extension unless `format` names one) translated;
        the English is written to `output` when given (whole, atomically) and returned with its terms."""
        from translate import documents
        from translate.batch import write_atomically

        done = documents.translate_data(Path(source).read_bytes(), documents.format_of(source, format),
                                        self.translate_documents, contexts=True)
        if output is not None:
            write_atomically(Path(output), done.data)
        return done

    def translate_documents(self, texts: Sequence[str], *, glossary: "Glossary | None" = None,
                            turns: ModelTurns = ModelTurns(),
                            corrections: "SuggestionStore | None" = None,
                            contexts: Sequence[str] | None = None, private: bool = False, names: bool = True,
                            alternatives: int = 0, review: bool | None = None) -> list[Translation]:
        """`translate_document` for many texts at once; `glossary` replaces the translator's for this call;
        a sentence that `corrections` (editors' corrections, `translate.suggestions`) holds takes its English.

        Names (the `names` setting) are kept consistent within each text's document: `contexts[i]` is the
        whole document text `i` is a part of (default: the text itself). `private`: nothing learned from these
        texts outlives the call (a server's requests), even with names = "run"; `names=False`: none this call
        (input that is not Ukrainian). With `alternatives`, each
        Translation also has up to that many other English texts (`alternatives`). `review` (default: the
        `review` setting) repairs degenerate sentences and missing numbers, and flags what still fails a check
        (`Translation.flags`, translate/review/)."""
        if isinstance(texts, str):
            raise TypeError("translate_documents takes a list of texts; use translate_document for one")
        texts = [_check_text(t) for t in texts]
        glossary = glossary if glossary is not None else self.glossary
        with turns.turn():  # segmenting counts tokens with the engine's tokenizer
            layouts = self.plan(texts)
        jobs = self.find_terms(layouts, glossary)
        self.find_names(jobs, self._name_books(texts, contexts, private) if names else None, turns)
        self.annotate(jobs)
        self.decode(jobs, turns, corrections)
        review = self.settings.review if review is None else review
        if review:
            self.redecode_degenerate(jobs, turns)
        self.repair(jobs, turns, numbers=review)
        if review:
            self.review(jobs)
        translations = self.reassemble(layouts, jobs, self.report(jobs, len(texts)))
        return self.alternatives(layouts, jobs, translations, alternatives, turns) if alternatives else translations

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

    def find_names(self, jobs: Sequence[SentenceJob], books: "list[NameBook] | None", turns: ModelTurns) -> None:
        """Each sentence's names that no glossary match covers, enforced like glossary terms; the foreign ones'
        renderings decoded first, each distinct name once, in one batch (see `translate.names`)."""
        if books is None:
            return
        planned = [(job, books[job.document], books[job.document].find(
            job.source, taken=[(m.start, m.end) for m in job.matches])) for job in jobs]
        for book in {id(b): b for b in books}.values():
            forms = book.needs_model([p for _, b, plans in planned if b is book for p in plans])
            if forms:
                book.learn_renderings(forms, self._translate_unique(forms, None, turns))
        for job, book, plans in planned:
            names = book.matches(job.source, plans)
            if names:
                job.matches = sorted([*job.matches, *names], key=lambda m: m.start)
                job.enforced = sorted([*job.enforced, *names], key=lambda m: m.start)

    def annotate(self, jobs: Sequence[SentenceJob]) -> None:
        """Each enforced term's span replaced by its English (Marian models copy Latin-script names)."""
        for job in jobs:
            job.annotated, job.target_starts = termlib.annotate(job.source, job.enforced)

    def decode(self, jobs: Sequence[SentenceJob], turns: ModelTurns,
               corrections: "SuggestionStore | None" = None) -> None:
        """The engine's English for every annotated sentence, except those an editor corrected: looked up by
        the original source sentence in `corrections`, their English is the stored one."""
        if corrections is not None:
            stored = corrections.lookup([job.source for job in jobs])
            for job in jobs:
                if job.source in stored:
                    job.english, job.corrected = stored[job.source], True
            jobs = [job for job in jobs if not job.corrected]
        for job, english in zip(jobs, self._translate_unique([j.annotated for j in jobs], None, turns)):
            job.english = english

    def redecode_degenerate(self, jobs: Sequence[SentenceJob], turns: ModelTurns) -> None:
        """Sentences whose English repeats itself degenerately decoded again with repetition constraints, the
        stronger ones of `translate.review.repetition.REDECODE` for those still degenerate; the term repair's
        decode keeps a sentence's last constraints."""
        todo = [job for job in jobs if not job.corrected]
        for constraints in review_repetition.REDECODE:
            todo = [job for job in todo if review_repetition.degenerate(job.english)]
            again = self._translate_unique([job.annotated for job in todo], None, turns, [constraints] * len(todo))
            for job, english in zip(todo, again):
                job.english, job.repetition = english, constraints

    def repair(self, jobs: Sequence[SentenceJob], turns: ModelTurns, numbers: bool = False) -> None:
        """Sentences whose English lacks an enforced target decoded again with a forced prefix holding it; then
        every sentence with terms gets the glossary's spelling and no doubled term. With `numbers`, a plain
        number of the source missing from the English is forced in the same way (`translate.review.numbers`)."""
        todo = []
        for job in jobs:
            missing = [] if job.corrected else termlib.missing_terms(job.english, job.enforced)
            forced = [n for n in review_numbers.missing(job.annotated, job.english) if n.target] \
                if numbers and not job.corrected else []
            if missing or forced:
                placed = [*job.enforced, *forced]
                missing += range(len(job.enforced), len(placed))
                todo.append((job, termlib.repair_prefix(len(job.annotated), job.english, placed,
                                                        [*job.target_starts, *(n.start for n in forced)], missing)))
        repaired = self._translate_unique([job.annotated for job, _ in todo], [prefix for _, prefix in todo], turns,
                                          [job.repetition for job, _ in todo])
        for (job, _), english in zip(todo, repaired):
            job.english = termlib.separate_glued(english, [m.target for m in job.enforced])
        for job in jobs:
            if job.enforced and not job.corrected:  # an editor's English is kept exactly
                job.english = termlib.tidy(job.english, [m.target for m in job.enforced])

    def review(self, jobs: Sequence[SentenceJob]) -> None:
        """Every check of `translate.review` on each sentence's final English; missing enforced terms are
        flagged too. Glossary targets may stay as they are (a Cyrillic one is no untranslated source)."""
        for job in jobs:
            missing = [(job.enforced[i].surface, job.enforced[i].target)
                       for i in termlib.missing_terms(job.english, job.enforced)]
            job.flags = review_pair(job.source, job.english, allowed=[m.target for m in job.matches],
                                    missing_terms=missing)

    def report(self, jobs: Sequence[SentenceJob], documents: int) -> list[list[TermReport]]:
        """Per text, one TermReport per match, offsets into the text; `applied` checked on the final English."""
        reports: list[list[TermReport]] = [[] for _ in range(documents)]
        for job in jobs:
            missing = {id(job.enforced[i]) for i in termlib.missing_terms(job.english, job.enforced)}
            for m in job.matches:
                applied = termlib.count_target(job.english, m.target) > 0 if m.weak else id(m) not in missing
                is_name = isinstance(m, NameMatch)
                reports[job.document].append(TermReport(
                    surface=m.surface, headword=m.headword, target=m.target, start=job.offset + m.start,
                    end=job.offset + m.end, applied=applied, weak=m.weak, kind="name" if is_name else "glossary",
                    rule=m.rule if is_name else "glossary", why=m.why if is_name else ""))
        return reports

    def reassemble(self, layouts: Sequence[Layout], jobs: Sequence[SentenceJob],
                   reports: Sequence[list[TermReport]]) -> list[Translation]:
        """The English of each text in its exact layout; untranslatable pieces copied as they were."""
        outputs = [[sentence.text for sentence in layout.sentences] for layout in layouts]
        for job in jobs:
            outputs[job.document][job.index] = job.english
        starts = [layout.starts(out) for layout, out in zip(layouts, outputs)]
        flags: list[list[Flag]] = [[] for _ in layouts]
        counts = [0] * len(layouts)
        for job in jobs:
            counts[job.document] += 1
            flags[job.document] += [f.shifted(starts[job.document][job.index]) for f in job.flags]
        return [Translation(layout.join(out), report, flags=flags[d], sentences=counts[d])
                for d, (layout, out, report) in enumerate(zip(layouts, outputs, reports))]

    def alternatives(self, layouts: Sequence[Layout], jobs: Sequence[SentenceJob], translations: list[Translation],
                     n: int, turns: ModelTurns) -> list[Translation]:
        """Up to `n` other English texts per text: every sentence's n-best from the engine, each hypothesis
        repaired like the main English (the `repair` stage: terms verified, forced in where missing), then
        composed in the text's layout (translate.alternatives.compose). An editor's correction has none."""
        decoded = [job for job in jobs if not job.corrected]
        hypotheses = altlib.nbest(self.engine, [job.annotated for job in decoded], n + 1, turns)
        candidates = [[dataclasses.replace(job, english=english) for english in found]
                      for job, found in zip(decoded, hypotheses)]
        self.repair([c for found in candidates for c in found], turns)
        mains = [[sentence.text for sentence in layout.sentences] for layout in layouts]
        for job in jobs:
            mains[job.document][job.index] = job.english
        options: list[list[list[str]]] = [[[] for _ in layout.sentences] for layout in layouts]
        for job, found in zip(decoded, candidates):
            options[job.document][job.index] = list(dict.fromkeys(c.english for c in found if c.english != job.english))
        return [dataclasses.replace(t, alternatives=altlib.compose(main, option, n, layout.join))
                for t, layout, main, option in zip(translations, layouts, mains, options)]

    def _name_books(self, texts: Sequence[str], contexts: Sequence[str] | None,
                    private: bool) -> "list[NameBook] | None":
        """One NameBook per text: its document's (learned from the whole document once and kept for its other
        parts), or, with names = "run" outside private calls, the run's one book."""
        if self.settings.names == "off":
            return None
        contexts = list(contexts) if contexts is not None else list(texts)
        if len(contexts) != len(texts):
            raise ValueError("contexts must be aligned with texts")
        if self.settings.names == "run" and not private:
            for context in contexts:
                self._run_names.learn(context)
            return [self._run_names] * len(texts)
        books = []
        with self._books_lock:
            for context in contexts:
                key = (hash(context), len(context))
                book = self._document_names.pop(key, None)
                if book is None:
                    book = NameBook()
                    book.learn(context)
                self._document_names[key] = book  # most recent last; the oldest go first
                while len(self._document_names) > DOCUMENT_BOOKS:
                    self._document_names.popitem(last=False)
                books.append(book)
        return books

    # ------------------------------------------------------------------------------------------ engine use
    def _count(self, text: str) -> int:
        return self.engine.count_tokens([text])[0]

    def _translate_unique(self, sources: list[str], prefixes: list[str] | None, turns: ModelTurns,
                          repetitions: "list[Repetition | None] | None" = None) -> list[str]:
        """Engine calls, `turns.size` sentences per turn; repeated (source, prefix) pairs (boilerplate lines)
        decoded once; sentences with repetition constraints (one per sentence, or None) in calls of their own."""
        keys = list(zip(sources, prefixes or [None] * len(sources), repetitions or [None] * len(sources)))
        unique = list(dict.fromkeys(keys))
        if turns.size:  # longest first, as the engine orders a batch, so each turn pads little
            unique.sort(key=lambda k: -len(k[0]))
        step = turns.size or len(unique) or 1
        by_key: dict[tuple[str, str | None, Repetition | None], str] = {}
        for i in range(0, len(unique), step):
            part = unique[i:i + step]
            with turns.turn():
                for repetition in dict.fromkeys(k[2] for k in part):
                    group = [k for k in part if k[2] == repetition]
                    # Passed only when set: an engine that never re-decodes need not know the keyword.
                    extra = {"repetition": repetition} if repetition is not None else {}
                    results = self.engine.translate_batch([k[0] for k in group], prefixes=[k[1] for k in group],
                                                          **extra)
                    by_key.update(zip(group, results))
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

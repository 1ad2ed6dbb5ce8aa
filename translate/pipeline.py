"""The `Translator`: Ukrainian text in, English text out with the same layout, glossary terms enforced.

Takes text (or many texts); returns English text, or a `Translation` with the per-term report. All
sentences of a call go to the engine together (deduplicated, length-sorted batches inside the engine), or
`chunk` at a time with each engine call inside `turn()` (a server's model lock: other callers get turns
between chunks, and a cancelled call stops there); segment → glossary.find → annotate → translate →
verify/repair → reassemble.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Sequence

from translate import terms as termlib
from translate.config import Settings, load_settings
from translate.engines.base import Engine, load_engine
from translate.segment import segment

if TYPE_CHECKING:
    from translate.glossary import Glossary


@dataclass(frozen=True)
class TermReport:
    """One matched source term: where it is in the input, which entry it matched, whether the English has it."""

    source: str  # the text as it appears in the input (any inflected form)
    start: int  # character offsets into the input text
    end: int
    entry: str  # the glossary headword
    target: str  # the English the glossary asks for
    applied: bool  # the target is in the English of this sentence
    weak: bool = False  # sentence-initial word that may be a common noun: reported, not enforced

    def as_dict(self) -> dict[str, Any]:
        return dict(source=self.source, start=self.start, end=self.end, entry=self.entry,
                    target=self.target, applied=self.applied, weak=self.weak)


@dataclass(frozen=True)
class Translation:
    text: str
    terms: list[TermReport] = field(default_factory=list)


def _load_glossary(glossary: "str | os.PathLike | Glossary | None") -> "Glossary | None":
    if glossary is None:
        return None
    from translate.glossary import Glossary

    if isinstance(glossary, Glossary):
        return glossary
    return Glossary.load(glossary)


class Translator:
    """uk→en translation with layout kept and glossary terms enforced.

    Keyword arguments are the options of `translate.config.OPTIONS` (their defaults are shown here);
    `from_config` also reads a TOML file and UKEN_* environment variables. `engine` plugs in a ready engine
    (a cache-wrapped one, say), in which case model/backend/device are not used to load one.
    """

    def __init__(
        self,
        model: str = "Helsinki-NLP/opus-mt-tc-big-zle-en",
        *,
        glossary: "str | os.PathLike | Glossary | None" = None,
        backend: str = "auto",
        device: str = "auto",
        beam_size: int = 4,
        batch_size: int = 16,
        batch_tokens: int = 2048,
        max_length_ratio: float = 1.5,
        max_length_offset: int = 10,
        max_sentence_tokens: int = 200,
        threads: int = 0,
        engine: Engine | None = None,
    ):
        glossary_path = glossary if isinstance(glossary, (str, os.PathLike)) else None
        settings = load_settings(
            None,
            environment=False,
            model=model,
            glossary=glossary_path,
            backend=backend,
            device=device,
            beam_size=beam_size,
            batch_size=batch_size,
            batch_tokens=batch_tokens,
            max_length_ratio=max_length_ratio,
            max_length_offset=max_length_offset,
            max_sentence_tokens=max_sentence_tokens,
            threads=threads,
        )
        self._setup(settings, engine, glossary)

    @classmethod
    def from_config(cls, path: "str | os.PathLike | None" = None, /, *, engine: Engine | None = None,
                    **overrides: Any) -> "Translator":
        """Settings from `path` (TOML), then UKEN_* environment variables, then `overrides`."""
        glossary = overrides.get("glossary")
        if glossary is not None and not isinstance(glossary, (str, os.PathLike)):
            overrides.pop("glossary")  # a ready Glossary object rather than a setting
        else:
            glossary = None
        return cls.from_settings(load_settings(path, **overrides), engine=engine, glossary=glossary)

    @classmethod
    def from_settings(cls, settings: Settings, *, engine: Engine | None = None,
                      glossary: "str | os.PathLike | Glossary | None" = None) -> "Translator":
        self = cls.__new__(cls)
        self._setup(settings, engine, glossary if glossary is not None else settings.glossary)
        return self

    def _setup(self, settings: Settings, engine: Engine | None, glossary: "str | os.PathLike | Glossary | None"):
        self.settings = settings
        self.glossary = _load_glossary(glossary)  # before the engine: a bad glossary fails fast
        self.engine = engine if engine is not None else load_engine(settings)

    def info(self) -> dict[str, str]:
        info = dict(self.engine.info())
        reason = getattr(self.engine, "backend_reason", None)
        if reason:
            info["backend_reason"] = reason
        info["glossary"] = f"{len(self.glossary)} entries" if self.glossary is not None else "none"
        return info

    def translate(self, text: str) -> str:
        """English for `text`, with exactly its line layout (blank lines, CRLF, indentation)."""
        return self.translate_documents([text])[0].text

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        """Many items translated together (one batched pass over all their sentences)."""
        return [t.text for t in self.translate_documents(texts)]

    def translate_document(self, text: str) -> Translation:
        """English text plus one `TermReport` per glossary term matched in the source."""
        return self.translate_documents([text])[0]

    def translate_documents(self, texts: Sequence[str], *, glossary: "Glossary | None" = None, chunk: int = 0,
                            turn: Callable[[], ContextManager] = contextlib.nullcontext) -> list[Translation]:
        """`translate_document` for many texts at once; `glossary` replaces the translator's for this call.

        `chunk` > 0 sends the sentences to the engine at most that many at a time; every use of the engine
        (its tokenizer too) happens inside `with turn():`, one turn per chunk, and an exception raised by
        `turn()` stops the call.
        """
        if isinstance(texts, str):
            raise TypeError("translate_documents takes a list of texts; use translate_document for one")
        glossary = glossary if glossary is not None else self.glossary
        max_tokens = self.settings.max_sentence_tokens
        texts = [_check_text(t) for t in texts]
        with turn():  # segmenting counts tokens with the engine's tokenizer
            layouts = [segment(t, max_tokens=max_tokens, count_tokens=self._count) for t in texts]

        # One job per translatable sentence of every text.
        jobs: list[tuple[int, int, list[termlib.Term], list[Any]]] = []
        for d, layout in enumerate(layouts):
            for s, sentence in enumerate(layout.sentences):
                if not sentence.translatable:
                    continue
                matches = glossary.find(sentence.text) if glossary is not None else []
                # Weak matches (a sentence-initial word that may be a common noun) are reported, not enforced.
                found = [termlib.Term(m.start, m.end, m.target) for m in matches if not m.weak]
                jobs.append((d, s, found, matches))

        annotated = [termlib.annotate(layouts[d].sentences[s].text, found) for d, s, found, _ in jobs]
        sources = [a[0] for a in annotated]
        hyps = self._translate_unique(sources, chunk=chunk, turn=turn)
        hyps = self._enforce(sources, hyps, [(j[2], a[1]) for j, a in zip(jobs, annotated)],
                             chunk=chunk, turn=turn)

        outputs = [[sentence.text for sentence in layout.sentences] for layout in layouts]
        reports: list[list[TermReport]] = [[] for _ in texts]
        for (d, s, found, matches), hyp in zip(jobs, hyps):
            outputs[d][s] = hyp
            sentence = layouts[d].sentences[s]
            missing = {(found[i].start, found[i].end) for i in termlib.missing_terms(hyp, found)}
            for m in matches:
                applied = termlib.count_target(hyp, m.target) > 0 if m.weak else (m.start, m.end) not in missing
                reports[d].append(TermReport(
                    source=m.text, start=sentence.start + m.start, end=sentence.start + m.end,
                    entry=m.source, target=m.target, applied=applied, weak=m.weak,
                ))
        return [Translation(layout.join(out), report) for layout, out, report in zip(layouts, outputs, reports)]

    def _count(self, text: str) -> int:
        return self.engine.count_tokens([text])[0]

    def _translate_unique(self, sources: list[str], prefixes: list[str | None] | None = None, *, chunk: int = 0,
                          turn: Callable[[], ContextManager] = contextlib.nullcontext) -> list[str]:
        """Engine calls with repeated (source, prefix) pairs — boilerplate lines — decoded once."""
        keys = list(zip(sources, prefixes or [None] * len(sources)))
        unique = list(dict.fromkeys(keys))
        if chunk:  # longest first, as the engine orders a batch, so each chunk pads little
            unique.sort(key=lambda k: -len(k[0]))
        step = chunk or len(unique) or 1
        by_key: dict[tuple[str, str | None], str] = {}
        for i in range(0, len(unique), step):
            part = unique[i:i + step]
            with turn():
                results = self.engine.translate_batch([k[0] for k in part], prefixes=[k[1] for k in part])
            by_key.update(zip(part, results))
        return [by_key[k] for k in keys]

    def _enforce(self, sources: list[str], hyps: list[str], terms: list[tuple[list[termlib.Term], list[int]]], *,
                 chunk: int = 0, turn: Callable[[], ContextManager] = contextlib.nullcontext) -> list[str]:
        """Re-decode, with a forced prefix, each sentence whose English lacks a glossary target."""
        todo = []
        for i, ((found, starts), hyp) in enumerate(zip(terms, hyps)):
            missing = termlib.missing_terms(hyp, found)
            if missing:
                todo.append((i, termlib.repair_prefix(len(sources[i]), hyp, found, starts, missing)))
        if todo:
            repaired = self._translate_unique([sources[i] for i, _ in todo], [p for _, p in todo], chunk=chunk,
                                              turn=turn)
            for (i, _), hyp in zip(todo, repaired):
                hyps[i] = termlib.separate_glued(hyp, [t.target for t in terms[i][0]])
        return [termlib.tidy(hyp, [t.target for t in found]) if found else hyp
                for hyp, (found, _) in zip(hyps, terms)]


def _check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    return text

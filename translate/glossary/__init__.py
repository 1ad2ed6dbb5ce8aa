"""Glossaries: term lists, and finding their terms in any inflected form in Ukrainian text.

Takes a glossary file (``.tsv`` or ``.csv``, format in the README) via `Glossary.load`, or
``(source, target[, options])`` pairs via `Glossary.from_pairs`; returns a `Glossary` whose
``find(text)`` gives `Match`es (character offsets into ``text``, the entry, its English target),
sorted and non-overlapping. Malformed input raises `GlossaryError` naming file and line.

The modules, in the order the data flows:
    entries     Entry, Match, option parsing and entry validation
    files       TSV/CSV files → entries
    expansions  each headword's inflected forms (`translate.morphology`), cached process-wide
    disk_cache  the expansions of big glossaries, kept in the user cache between runs
    index       the word trie of every form, with collisions and uninflected entries
    matching    text → matches: walking the trie, case rules, weak matches
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Iterable

from translate.config import DEFAULT_GLOSSARY
from translate.errors import GlossaryError
from translate.glossary import expansions, files
from translate.glossary.entries import Entry, Match, entries_from_rows, options_key, rows_from_pairs, source_key
from translate.glossary.index import build_index, forms_of
from translate.glossary.matching import Matcher

# The newsroom glossary shipped with the package: what the `glossary` setting "default" loads.
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "glossary.tsv"

__all__ = ["Glossary", "Entry", "Match", "GlossaryError"]


class Glossary:
    """An ordered set of entries; later entries override earlier ones with the same source.

    The match index is built on first use (``find``, ``forms``, ``collisions``, ``ungenerated``).
    ``cache_dir``: where built expansions of large glossaries are kept between runs (a private
    folder under the user cache directory by default); ``False`` turns that off.
    """

    def __init__(self, entries: Iterable[Entry] = (), *, cache_dir: str | os.PathLike | bool | None = None):
        by_source: dict[str, Entry] = {}
        for e in entries:
            by_source.pop(source_key(e.source), None)  # re-insert so the override sits last
            by_source[source_key(e.source)] = e
        self._entries = list(by_source.values())
        self._cache_dir = cache_dir
        self._matcher: Matcher | None = None
        self._lock = threading.Lock()
        self._fingerprint: str | None = None

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike, *, cache_dir: str | os.PathLike | bool | None = None) -> "Glossary":
        """Read a ``.csv`` (header ``uk,en[,options][,note]``) or TSV glossary file; ``"default"`` is the
        newsroom glossary shipped with the package (`DEFAULT_PATH`)."""
        return cls(files.read_entries(DEFAULT_PATH if str(path) == DEFAULT_GLOSSARY else path), cache_dir=cache_dir)

    @classmethod
    def from_pairs(cls, pairs: Iterable, *, cache_dir: str | os.PathLike | bool | None = None) -> "Glossary":
        """From ``(source, target)`` or ``(source, target, options)`` tuples (options a
        ``key=value;…`` string or a dict); errors name the pair's 1-based position."""
        return cls(entries_from_rows(rows_from_pairs(pairs), None), cache_dir=cache_dir)

    def merge(self, *others: "Glossary", cache_dir: str | os.PathLike | bool | None = None) -> "Glossary":
        """This glossary with `others` on top: their entries override same-source ones here and
        win form collisions. Usable as ``Glossary.merge(a, b)`` or ``a.merge(b)``. ``cache_dir``
        defaults to this glossary's (``False``: a one-off merge that must not be written to disk)."""
        entries = list(self._entries)
        for other in others:
            entries.extend(other.entries)
        return Glossary(entries, cache_dir=self._cache_dir if cache_dir is None else cache_dir)

    def __add__(self, other: "Glossary") -> "Glossary":
        if not isinstance(other, Glossary):
            return NotImplemented
        return self.merge(other)

    # ---- inspection ---------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self):
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"<Glossary: {len(self)} entries>"

    @property
    def entries(self) -> list[Entry]:
        return list(self._entries)

    @property
    def fingerprint(self) -> str:
        """Hash of the entries' sources, targets, options and order (not notes or line numbers)."""
        if self._fingerprint is None:
            content = [[e.source, e.target, [list(kv) for kv in options_key(e.options)]] for e in self._entries]
            blob = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
            self._fingerprint = hashlib.sha256(blob).hexdigest()[:32]
        return self._fingerprint

    @property
    def collisions(self) -> list[tuple[str, Entry, Entry]]:
        """``(form, winner, loser)`` for each form two entries both generate. The winner is the
        entry with the stricter case rule, then the one whose headword the form is, then the
        later entry."""
        idx = self._built().index
        return [(form, self._entries[a], self._entries[b]) for form, a, b in idx.collisions]

    @property
    def ungenerated(self) -> list[Entry]:
        """Entries morphology found no paradigm for; they match only as written (and `forms=`)."""
        return [self._entries[i] for i in self._built().index.ungenerated]

    def forms(self, source: str, *, other_number: bool = False) -> list[str]:
        """Sorted surface forms the entry with headword `source` matches (cased like the headword): of
        the headword's own number, or with `other_number` those that get the other number's English."""
        key = source_key(source)
        for i, e in enumerate(self._entries):
            if e.source == source or source_key(e.source) == key:
                return forms_of(self._built().index, i, other_number=other_number)
        raise KeyError(f"no glossary entry {source!r}")

    # ---- matching -------------------------------------------------------------------------

    def find(self, text: str) -> list[Match]:
        """Glossary terms in `text`: sorted by start, non-overlapping; from each start the
        longest term wins, and an earlier start wins over a later overlapping one."""
        return self._built().find(text)

    def _built(self) -> Matcher:
        if self._matcher is None:
            with self._lock:
                if self._matcher is None:
                    self._matcher = self._build()
        return self._matcher

    def _build(self) -> Matcher:
        # The index is ~100k small objects; generational GC passes over them would double the time.
        enabled = gc.isenabled()
        gc.disable()
        try:
            keys = [expansions.key_of(e) for e in self._entries]
            expanded = expansions.expand_all(keys, fingerprint=self.fingerprint, cache_dir=self._cache_dir)
            return Matcher(build_index(self._entries, expanded), self._entries)
        finally:
            if enabled:
                gc.enable()

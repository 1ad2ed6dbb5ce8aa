"""Each headword's inflected forms, expanded once per process.

Takes ``(headword, inflect)`` keys (`key_of` an entry) and returns their `morphology.Expansion`s
(`expand_all`), from a bounded cache shared by every glossary in the process, else from a big
glossary's file in the disk cache, else from `morphology.expand`.
"""

from __future__ import annotations

import threading
import time

from translate import morphology
from translate.glossary import disk_cache
from translate.glossary.entries import Entry, source_key

# Expansions are pure functions of (headword, inflect): shared by every glossary in the process,
# so merging a session glossary onto the default one re-expands only the new entries. Least recently
# used first out past _EXPANSIONS_MAX (a few kB each): a server sees endless distinct request glossaries,
# and building a glossary touches all its entries, so the ones in use stay.
_EXPANSIONS_MAX = 20_000
_EXPANSIONS: dict[tuple[str, bool, bool | None], morphology.Expansion] = {}  # insertion order = least recently used first
_EXPANSIONS_LOCK = threading.Lock()


def key_of(entry: Entry) -> tuple[str, bool, bool | None]:
    """What an entry's forms depend on: its headword, whether it inflects, and whether it is said to
    be a person's name (``person=yes|no``; None: decided from the headword)."""
    person = {"yes": True, "no": False}.get(entry.options.get("person", ""))
    return entry.source, entry.options.get("match", "inflect") == "inflect", person


def expand_all(keys: list[tuple[str, bool, bool | None]], *, fingerprint: str, cache_dir) -> list[morphology.Expansion]:
    """The expansion of each key. `fingerprint` and `cache_dir` (a folder, None/True for the default one,
    False for none) name the glossary's disk-cache file."""
    missing = any((source_key(s), inflect, person) not in _EXPANSIONS for s, inflect, person in keys)
    if missing and disk_cache.worth_reading(len(keys)):
        loaded = disk_cache.load(cache_dir, fingerprint, len(keys))
        if loaded is not None:
            # Also into the shared cache, so a glossary merged onto this one does not expand these again.
            return [_remember((source_key(s), inflect, person), exp) for (s, inflect, person), exp in zip(keys, loaded)]
    t0 = time.perf_counter()
    expansions = [_expand(s, inflect, person) for s, inflect, person in keys]
    if disk_cache.worth_writing(len(keys), time.perf_counter() - t0):
        disk_cache.save(cache_dir, fingerprint, expansions)
    return expansions


def _expand(source: str, inflect: bool, person: bool | None) -> morphology.Expansion:
    key = (source_key(source), inflect, person)
    with _EXPANSIONS_LOCK:
        exp = _EXPANSIONS.pop(key, None)
        if exp is not None:
            _EXPANSIONS[key] = exp  # re-inserted: now the most recently used
            return exp
    return _remember(key, morphology.expand(source, inflect, person))


def _remember(key: tuple[str, bool, bool | None], exp: morphology.Expansion) -> morphology.Expansion:
    with _EXPANSIONS_LOCK:
        _EXPANSIONS.pop(key, None)
        _EXPANSIONS[key] = exp
        while len(_EXPANSIONS) > _EXPANSIONS_MAX:
            del _EXPANSIONS[next(iter(_EXPANSIONS))]
    return exp

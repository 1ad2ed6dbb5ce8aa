"""Expansions of big glossaries kept on disk between runs.

Takes a glossary's ``cache_dir`` setting (a folder; None or True for a private folder under the user
cache directory; False for none) and fingerprint; `load` returns the expansions saved for it, or None
when there is no matching file, `save` writes them. A damaged or outdated file is ignored (and then
replaced); a file that cannot be written is skipped: the cache only saves time.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from translate import morphology

# Expanding 10,000 entries takes a few seconds; past this much morphology time the expansions
# are written to the user's cache directory and reused while entries and library versions stay.
_CACHE_AFTER_S = 0.5
_CACHE_MIN_ENTRIES = 1000  # below this, expanding is faster than looking for a cache file
_CACHE_FORMAT = 1


def worth_reading(entries: int) -> bool:
    """Whether a glossary of this many entries may have been saved."""
    return entries >= _CACHE_MIN_ENTRIES


def worth_writing(entries: int, seconds: float) -> bool:
    """Whether expanding this many entries in `seconds` is worth saving."""
    return entries >= _CACHE_MIN_ENTRIES and seconds > _CACHE_AFTER_S


def load(cache_dir, fingerprint: str, count: int) -> list[morphology.Expansion] | None:
    """The `count` expansions saved for the glossary `fingerprint`, or None."""
    path = _path(cache_dir, fingerprint)
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != _key(fingerprint) or len(data["expansions"]) != count:
            return None
        return [morphology.Expansion(tuple(forms), generated, frozenset(lemmas))
                for forms, generated, lemmas in data["expansions"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged cache is rebuilt


def save(cache_dir, fingerprint: str, expansions: list[morphology.Expansion]) -> None:
    """Write `expansions` for the glossary `fingerprint`, atomically, in a folder only the user can read."""
    path = _path(cache_dir, fingerprint)
    if path is None:
        return
    data = {
        "key": _key(fingerprint),
        "expansions": [[list(x.forms), x.generated, sorted(x.lemmas)] for x in expansions],
    }
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass  # the cache only saves time


def _path(cache_dir, fingerprint: str) -> Path | None:
    if cache_dir is False:
        return None
    base = Path(cache_dir) if cache_dir not in (None, True) else _default_cache_dir()
    return base / f"{fingerprint}.json"


def _key(fingerprint: str) -> str:
    # Forms change with the morphology's versions, so they are part of what a file must match.
    return f"{_CACHE_FORMAT};{morphology.versions()};{fingerprint}"


def _default_cache_dir() -> Path:
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("uk-en")) / "glossary"
    except ImportError:  # platformdirs is optional
        return Path.home() / ".cache" / "uk-en" / "glossary"

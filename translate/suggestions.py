"""Editors' corrections (`POST /suggest`): an SQLite store of corrected English per source sentence, used
before the model — a newsroom's own translation memory.

Takes (source sentence, corrected English, source language); `SuggestionStore(path).add(...)` keeps it (a
later correction of the same sentence replaces the earlier one), and `lookup(sentences)` returns
{sentence: English} for those that have one. Sentences are keyed exactly as written, surrounding whitespace
aside: the ORIGINAL source sentence, not the glossary-annotated one the model sees, so a correction outlives
glossary changes. The translator consults it in its decode stage (`Translator.translate_documents(...,
corrections=store)`): a corrected sentence is not decoded or repaired, and its English is the editor's.

`suggestions_of(server_settings)` opens the server's store when the `suggestions` setting is on. The file
is shared safely between processes (WAL journal, busy timeout); each call opens its own connection,
so the store may be used from any thread.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    from translate.config import ServerSettings

BUSY_TIMEOUT_S = 30
SQL_VARIABLES = 500  # sentences per IN (...) query; SQLite's limit is 999 on old builds


def default_path() -> Path:
    """The per-user store the server uses unless `suggestions_db` names another: it is data, not a cache."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("uk-en", appauthor=False)) / "suggestions.sqlite3"


def key_of(sentence: str) -> str:
    return sentence.strip()


class SuggestionStore:
    """Corrected translations in the SQLite file `path` (created with its folder if missing)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS suggestions (q TEXT PRIMARY KEY, s TEXT NOT NULL, "
                       "source TEXT NOT NULL, target TEXT NOT NULL, created REAL NOT NULL)")

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        try:
            with db:  # commits, or rolls back on an error
                yield db
        finally:
            db.close()

    def add(self, q: str, s: str, source: str, target: str = "en") -> None:
        """Keep `s` as the English of the sentence `q` (replacing an earlier correction of it)."""
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO suggestions (q, s, source, target, created) VALUES (?, ?, ?, ?, ?)",
                       (key_of(q), s.strip(), source, target, time.time()))

    def lookup(self, sentences: Iterable[str]) -> dict[str, str]:
        """{sentence: corrected English} for each of `sentences` that an editor corrected."""
        keys = {key_of(s): s for s in sentences}
        found: dict[str, str] = {}
        names = list(keys)
        with self._connect() as db:
            for i in range(0, len(names), SQL_VARIABLES):
                part = names[i:i + SQL_VARIABLES]
                rows = db.execute(f"SELECT q, s FROM suggestions WHERE q IN ({', '.join('?' * len(part))})", part)
                found.update((keys[q], s) for q, s in rows)
        return found

    def __len__(self) -> int:
        with self._connect() as db:
            return db.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0]


def suggestions_of(settings: "ServerSettings") -> SuggestionStore | None:
    """The server's store: None unless the `suggestions` setting is on; at `suggestions_db` or the default."""
    if not settings.suggestions:
        return None
    return SuggestionStore(settings.suggestions_db or default_path())

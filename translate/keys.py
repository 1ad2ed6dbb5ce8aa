"""API keys in SQLite, each with its own limits: `KeyStore(path)`, managed by `uk-en keys add/remove/list`.

Takes a database path; `add(name=…, req_limit=…, char_limit=…, batch_limit=…)` returns the new key (shown
once: only its SHA-256 is stored) with its `KeyRecord`; `lookup(key)` returns the record of a key, or None,
comparing the key's hash with every stored one in constant time; `remove(id or name)` and `records()` manage
them. A limit left None is the server's own (`req_limit`, `char_limit`, `max_items`). The server reads the
file while `uk-en keys` changes it from another process: each lookup first asks SQLite whether the file
changed (`PRAGMA data_version`) and reloads the keys if so, so an added or removed key counts at once.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from translate.errors import KeyStoreError

KEY_BYTES = 32  # 256 random bits: a fast hash (SHA-256) is then as safe to store as a slow one
TABLE = "api_keys"
SCHEMA = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT UNIQUE,
    key_sha256 TEXT NOT NULL UNIQUE,
    req_limit INTEGER,
    char_limit INTEGER,
    batch_limit INTEGER,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
)"""
COLUMNS = ("id", "name", "key_sha256", "req_limit", "char_limit", "batch_limit", "created")


def default_path() -> Path:
    """`api_keys.sqlite3` in the user's data folder (the `api_keys_db_path` setting's default)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("uk-en")) / "api_keys.sqlite3"


@dataclass(frozen=True)
class KeyRecord:
    """One key as stored: never the key itself, only its hash. A None limit is the server's default."""

    id: int
    name: str | None
    key_sha256: str
    req_limit: int | None
    char_limit: int | None
    batch_limit: int | None
    created: str

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "req_limit": self.req_limit, "char_limit": self.char_limit,
                "batch_limit": self.batch_limit, "created": self.created}


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class KeyStore:
    """The key database at `path` (created, owner-only, when missing). Safe to share between threads."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # hashes only, yet nobody else's business: owner-only from the start
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if tables - {TABLE, "sqlite_sequence"}:
                raise KeyStoreError(f"{self.path} is not a key database (it has other tables); give "
                                    f"--api-keys-db-path another file.")
            self._db.execute(SCHEMA)
            columns = tuple(row[1] for row in self._db.execute(f"PRAGMA table_info({TABLE})"))
        except sqlite3.DatabaseError as e:
            raise KeyStoreError(f"{self.path} cannot be used as the key database ({e}).") from None
        except OSError as e:
            raise KeyStoreError(f"{self.path} cannot be created ({e.strerror or e}).") from None
        if columns != COLUMNS:
            raise KeyStoreError(f"{self.path} has a key table of another layout ({', '.join(columns)}); give "
                                f"--api-keys-db-path another file.")
        self._lock = threading.Lock()
        self._version: tuple[int, int] | None = None
        self._records: list[KeyRecord] = []

    def close(self) -> None:
        self._db.close()

    # ---------------------------------------------------------------------------------------------- managing
    def add(self, *, name: str | None = None, req_limit: int | None = None, char_limit: int | None = None,
            batch_limit: int | None = None) -> tuple[str, KeyRecord]:
        """A new random key, stored as its hash; returned with its record (the only time the key is seen)."""
        for what, value in (("req_limit", req_limit), ("char_limit", char_limit), ("batch_limit", batch_limit)):
            if value is not None and value < 1:
                raise KeyStoreError(f"{what} must be at least 1, got {value}")
        if name is not None and (not name.strip() or name.strip().isdigit()):
            raise KeyStoreError(f"a key's name must not be empty nor a number (numbers are ids), got {name!r}")
        key = secrets.token_urlsafe(KEY_BYTES)
        with self._lock:
            try:
                cursor = self._db.execute(
                    f"INSERT INTO {TABLE} (name, key_sha256, req_limit, char_limit, batch_limit) VALUES (?, ?, ?, ?, ?)",
                    (name.strip() if name else None, key_hash(key), req_limit, char_limit, batch_limit))
            except sqlite3.IntegrityError:
                raise KeyStoreError(f"there is already a key named {name!r}") from None
            row = self._db.execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE id = ?",
                                   (cursor.lastrowid,)).fetchone()
        return key, KeyRecord(*row)

    def remove(self, which: str) -> KeyRecord:
        """Remove the key with this id or name (or the key itself); KeyStoreError when there is none."""
        record = next((r for r in self.records() if which in (str(r.id), r.name)), None) or self.lookup(which)
        if record is None:
            raise KeyStoreError(f"{self.path} has no key with id or name {which!r}")
        with self._lock:
            self._db.execute(f"DELETE FROM {TABLE} WHERE id = ?", (record.id,))
        return record

    def records(self) -> list[KeyRecord]:
        """Every key's record, oldest first."""
        with self._lock:
            self._reload()
            return list(self._records)

    # ------------------------------------------------------------------------------------------------ lookup
    def lookup(self, key: str) -> KeyRecord | None:
        """The record of `key`, or None. Every stored hash is compared, each in constant time, so how long it
        takes says nothing about which stored key is nearest."""
        sent = key_hash(key)
        found = None
        with self._lock:
            self._reload()
            for record in self._records:
                if hmac.compare_digest(sent, record.key_sha256):
                    found = record
        return found

    def _reload(self) -> None:
        """Read the keys again when the file changed since the last read (another process added one)."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        count = self._db.total_changes  # this connection's own writes (data_version counts only others')
        if (version, count) != self._version:
            rows = self._db.execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE} ORDER BY id").fetchall()
            self._records = [KeyRecord(*row) for row in rows]
            self._version = (version, count)

"""Translation memory: an SQLite cache in front of any engine, so repeated sentences are never decoded twice.

`CachedEngine(engine, path, settings=...)` takes a loaded `Engine` and a file path and is itself an
`Engine`: `translate_batch(sources, prefixes=...)` returns the stored English for every (sentence, forced
prefix) already in the memory and asks the wrapped engine only for the rest (deduplicated), storing what it
returns. `CountingEngine(engine)` is the same wrapper without storage (it only counts), for callers that want
the statistics with the cache switched off.

The key is a hash of: the model (hub id, or for a local folder its files' names, sizes and times, so a
re-trained checkpoint in the same folder does not reuse old output), the engine and its precision, the
decoding settings that change the output (beam size, output-length cap ratio and offset), the cleaned
source sentence and the forced prefix (and a re-decode's repetition constraints). Glossary content needs no key of its own: the engine only ever sees
sentences with the glossary's targets already written in (and repair prefixes), so a changed glossary
changes the engine's input and misses the memory by itself.

The file is shared safely: WAL journal (readers never block the writer) and a busy timeout (two writers
wait for each other instead of failing). A file that is not a database or is damaged is reported on stderr
and rebuilt; so is a memory of another layout (an older uk-en, other columns, another `user_version`). An
SQLite file with tables of its own is someone else's database: it is reported and left untouched. Each row
holds a checksum of its key and English, checked on every read: an altered row is a miss, translated again
and replaced. If the memory cannot be used at all (read-only disk, lock held too long) translation goes on
without it. The cache never makes a translation fail.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from translate.engines.base import Engine, Repetition, aligned_prefixes, clean_source

if TYPE_CHECKING:
    from translate.config import Settings

SCHEMA_VERSION = 2  # the file's PRAGMA user_version; part of every key too
COLUMNS = ("key", "hypothesis", "checksum")
BUSY_TIMEOUT_MS = 30_000
SQL_VARIABLES = 500  # ids per IN (...) query; SQLite's limit is 999 on old builds
CORRUPTION_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
CORRUPTION_WORDS = ("not a database", "malformed", "corrupt")


def default_cache_path() -> Path:
    """The per-user translation memory the CLI uses unless told otherwise."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("uk-en", appauthor=False)) / "tm.sqlite3"


def _stderr_warning(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


@dataclass
class EngineStats:
    """Sentences asked for, answered from the memory, and sent to the model (with how many engine calls)."""

    requested: int = 0
    from_memory: int = 0
    decoded: int = 0
    engine_calls: int = 0


class CountingEngine:
    """An `Engine` that passes everything to `engine` and counts sentences; other attributes are the engine's."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.name = engine.name
        self.model = engine.model
        self.stats = EngineStats()

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not set here (backend_reason, tokenizer…): those of the wrapped engine.
        if name == "engine":
            raise AttributeError(name)
        return getattr(self.engine, name)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.engine.count_tokens(texts)

    def info(self) -> dict[str, str]:
        return dict(self.engine.info())

    def translate_batch(self, sources: Sequence[str], *, prefixes: Sequence[str | None] | None = None,
                        repetition: Repetition | None = None) -> list[str]:
        sources = list(sources)
        prefixes = aligned_prefixes(sources, prefixes)
        self.stats.requested += len(sources)
        return self._decode(sources, prefixes, repetition)

    def _decode(self, sources: list[str], prefixes: list[str | None], repetition: Repetition | None = None) -> list[str]:
        if not sources:
            return []
        self.stats.engine_calls += 1
        self.stats.decoded += len(sources)
        # Passed only when set: an engine that never re-decodes need not know the keyword.
        extra = {"repetition": repetition} if repetition is not None else {}
        return self.engine.translate_batch(sources, prefixes=prefixes, **extra)


def model_fingerprint(model: str) -> str:
    """What identifies the weights: a local folder by its files' names, sizes and times; a hub id by its revision."""
    folder = Path(model).expanduser()
    if folder.is_dir():
        entries = []
        for f in sorted(folder.iterdir()):
            if f.is_file():
                st = f.stat()
                entries.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
        return f"{folder.resolve()}|" + hashlib.sha256("\n".join(entries).encode()).hexdigest()
    revision = ""
    try:
        from huggingface_hub.constants import HF_HUB_CACHE

        ref = Path(HF_HUB_CACHE) / f"models--{model.replace('/', '--')}" / "refs" / "main"
        if ref.is_file():
            revision = ref.read_text(encoding="utf-8").strip()
    except (ImportError, OSError):
        pass
    return f"{model}@{revision}" if revision else model


def memory_namespace(engine: Engine, settings: "Settings | None" = None) -> str:
    """The part of every key that says which model and decoding settings produced the English."""
    info = dict(engine.info())
    parts: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "engine": info.get("engine", getattr(engine, "name", "")),
        "model": model_fingerprint(engine.model),
        "precision": info.get("precision", ""),
    }
    if settings is not None:
        parts.update(beam_size=settings.beam_size, max_length_ratio=settings.max_length_ratio,
                     max_length_offset=settings.max_length_offset)
    else:
        # Without settings, whatever the engine reports, except what does not change the output.
        parts.update({k: v for k, v in info.items() if k not in ("model", "device", "threads", "backend_reason")})
    return json.dumps(parts, sort_keys=True, ensure_ascii=False)


class ForeignDatabase(Exception):
    """The file is an SQLite database of something else: never to be rebuilt (that would delete its data)."""


def _checksum(key: bytes, hypothesis: str) -> bytes:
    return hashlib.sha256(key + hypothesis.encode("utf-8", "surrogatepass")).digest()[:16]


def _layout(db: sqlite3.Connection) -> tuple[str, str]:
    """("ours" | "empty" | "other" | "foreign", what the file holds, in words)."""
    tables = sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    version = db.execute("PRAGMA user_version").fetchone()[0]
    columns = tuple(r[1] for r in db.execute("PRAGMA table_info(memory)"))
    if not tables:
        return "empty", ""
    if tables != ["memory"]:
        return "foreign", ", ".join(tables)
    if columns == COLUMNS and version == SCHEMA_VERSION:
        return "ours", ""
    return "other", f"columns {', '.join(columns)}; version {version}, ours is {SCHEMA_VERSION}"


def _is_corruption(error: sqlite3.Error) -> bool:
    name = getattr(error, "sqlite_errorname", "")
    return name in CORRUPTION_CODES or any(w in str(error).lower() for w in CORRUPTION_WORDS)


class CachedEngine(CountingEngine):
    """`engine` with an SQLite translation memory at `path` in front of it (see the module docstring)."""

    def __init__(self, engine: Engine, path: str | os.PathLike, *, settings: "Settings | None" = None,
                 warn: Callable[[str], None] | None = None):
        super().__init__(engine)
        self.path = Path(path).expanduser()
        self.namespace = memory_namespace(engine, settings)
        self._warn_callback = warn or _stderr_warning
        self._warned: set[str] = set()
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._open(rebuild_if_damaged=True)

    def info(self) -> dict[str, str]:
        info = dict(self.engine.info())
        info["translation_memory"] = str(self.path) if self._db is not None else "off (unusable)"
        return info

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def __len__(self) -> int:
        """Entries in the memory (every model and setting)."""
        with self._lock:
            if self._db is None:
                return 0
            try:
                return self._db.execute("SELECT count(*) FROM memory").fetchone()[0]
            except sqlite3.Error as e:
                self._trouble(e)
                return 0

    # -- storage -------------------------------------------------------------------------------------------

    def _warn(self, message: str) -> None:
        if message not in self._warned:  # once per distinct problem, not once per batch
            self._warned.add(message)
            self._warn_callback(message)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                             isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            layout, held = _layout(db)
            if layout == "foreign":  # before anything is written to it, journal mode included
                raise ForeignDatabase(held)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            if layout != "ours":
                self._set_up(db)
            db.execute("SELECT count(*) FROM memory").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _set_up(self, db: sqlite3.Connection) -> None:
        """Create our table in a new file, or replace one of another layout (checked again under the write
        lock: another process may have set the file up meanwhile)."""
        db.execute("BEGIN IMMEDIATE")
        try:
            layout, held = _layout(db)
            if layout == "foreign":
                raise ForeignDatabase(held)
            if layout == "other":
                self._warn(f"translation memory {self.path} has another layout ({held}); starting a new one.")
                db.execute("DROP TABLE memory")
            if layout != "ours":
                db.execute("CREATE TABLE memory (key BLOB PRIMARY KEY, hypothesis TEXT NOT NULL,"
                           " checksum BLOB NOT NULL) WITHOUT ROWID")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _connect_retrying(self) -> sqlite3.Connection:
        """`_connect`, retried while another process is creating the file or switching it to WAL.

        SQLite answers "database is locked" at once, without the busy handler, when two connections race to
        set up a new file (lock upgrade deadlock avoidance); a short backoff lets the first one finish.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        wait = 0.01
        while True:
            try:
                return self._connect()
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e) or time.monotonic() + wait > deadline:
                    raise
            time.sleep(wait)
            wait = min(wait * 2, 0.5)

    def _open(self, rebuild_if_damaged: bool) -> None:
        try:
            self._db = self._connect_retrying()
        except ForeignDatabase as e:
            self._warn(f"translation memory {self.path} is not a translation memory (it has the tables {e}); "
                       "translating without it.")
        except (sqlite3.Error, OSError) as e:
            self._db = None
            if rebuild_if_damaged and isinstance(e, sqlite3.Error) and _is_corruption(e):
                self._rebuild(e)
            else:
                self._warn(f"translation memory {self.path} cannot be used ({e}); translating without it.")

    def _rebuild(self, error: sqlite3.Error) -> None:
        self._warn(f"translation memory {self.path} is damaged ({error}); starting a new one.")
        if self._db is not None:
            self._db.close()
            self._db = None
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(f"{self.path}{suffix}").unlink()
            except FileNotFoundError:
                pass
            except OSError as e:
                self._warn(f"translation memory {self.path} cannot be removed ({e}); translating without it.")
                return
        self._open(rebuild_if_damaged=False)

    def _trouble(self, error: sqlite3.Error) -> None:
        """A failed read or write: rebuild a damaged file, otherwise carry on without storing this time."""
        if _is_corruption(error):
            self._rebuild(error)
        else:
            self._warn(f"translation memory {self.path} is not available ({error}); these sentences are not stored.")

    def _key(self, source: str, prefix: str | None, repetition: Repetition | None = None) -> bytes:
        # None and "" differ (no forced prefix vs an empty one), so they are marked apart.
        parts = [self.namespace, clean_source(source), "-" if prefix is None else "+" + prefix]
        if repetition is not None:  # absent otherwise, so that every key stored before stays valid
            parts.append(f"repetition {repetition.no_repeat_ngram_size} {repetition.penalty!r}")
        text = "\x00".join(parts)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    def _lookup(self, keys: list[bytes]) -> dict[bytes, str]:
        """Stored English of `keys`; a row whose checksum does not match is left out (translated again, and
        the good English then replaces it)."""
        found: dict[bytes, str] = {}
        for start in range(0, len(keys), SQL_VARIABLES):
            part = keys[start : start + SQL_VARIABLES]
            query = f"SELECT key, hypothesis, checksum FROM memory WHERE key IN ({','.join('?' * len(part))})"
            for key, hypothesis, checksum in self._db.execute(query, part):
                if isinstance(hypothesis, str) and checksum == _checksum(key, hypothesis):
                    found[key] = hypothesis
                else:
                    self._warn(f"translation memory {self.path} holds altered entries; they are translated "
                               "again and replaced.")
        return found

    def _store(self, rows: list[tuple[bytes, str]]) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany("INSERT OR REPLACE INTO memory (key, hypothesis, checksum) VALUES (?, ?, ?)",
                                 [(key, hypothesis, _checksum(key, hypothesis)) for key, hypothesis in rows])
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    # -- engine --------------------------------------------------------------------------------------------

    def translate_batch(self, sources: Sequence[str], *, prefixes: Sequence[str | None] | None = None,
                        repetition: Repetition | None = None) -> list[str]:
        sources = list(sources)
        prefixes = aligned_prefixes(sources, prefixes)
        self.stats.requested += len(sources)
        keys = [self._key(s, p, repetition) for s, p in zip(sources, prefixes)]

        found: dict[bytes, str] = {}
        with self._lock:
            if self._db is not None:
                try:
                    found = self._lookup(list(dict.fromkeys(keys)))
                except sqlite3.Error as e:
                    self._trouble(e)

        # Decode each missing key once, even when a batch repeats a sentence.
        missing = {k: i for i, k in reversed(list(enumerate(keys))) if k not in found}
        order = sorted(missing.values())
        decoded = self._decode([sources[i] for i in order], [prefixes[i] for i in order], repetition)
        new = {keys[i]: hyp for i, hyp in zip(order, decoded)}
        self.stats.from_memory += len(sources) - sum(1 for k in keys if k in new)

        if new:
            with self._lock:
                if self._db is not None:
                    try:
                        self._store(list(new.items()))
                    except sqlite3.Error as e:
                        self._trouble(e)
        return [found[k] if k in found else new[k] for k in keys]

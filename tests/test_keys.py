"""API keys in SQLite (translate/keys.py) and `uk-en keys add/remove/list`: only hashes stored, constant-time
lookups over every key, changes seen at once by another open store (a running server)."""

from __future__ import annotations

import json
import sqlite3
import stat

import pytest
from typer.testing import CliRunner

from translate import keys as keylib
from translate.cli import app
from translate.errors import KeyStoreError
from translate.keys import KeyStore


@pytest.fixture
def store(tmp_path) -> KeyStore:
    return KeyStore(tmp_path / "keys.sqlite3")


def test_a_new_key_is_found_with_its_own_limits(store):
    key, record = store.add(name="desk", req_limit=5, char_limit=300)
    found = store.lookup(key)
    assert (found.id, found.name, found.req_limit, found.char_limit, found.batch_limit) == (1, "desk", 5, 300, None)


@pytest.mark.parametrize("sent", ["", "guess", "desk", "1"])
def test_anything_but_a_stored_key_is_not_found(store, sent):
    store.add(name="desk")
    assert store.lookup(sent) is None


def test_only_the_hash_of_a_key_is_stored(store):
    key, _ = store.add(name="desk")
    data = store.path.read_bytes()
    assert key.encode() not in data
    rows = sqlite3.connect(store.path).execute("SELECT key_sha256 FROM api_keys").fetchall()
    assert rows == [(keylib.key_hash(key),)]


def test_the_database_file_is_readable_by_its_owner_only(store):
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_a_lookup_compares_every_stored_hash_in_constant_time(store, monkeypatch):
    first, _ = store.add()
    store.add()
    store.add()
    compared = []
    monkeypatch.setattr(keylib.hmac, "compare_digest", lambda a, b: compared.append(b) or a == b)
    assert store.lookup(first).id == 1
    assert len(compared) == 3  # no early exit at the match


def test_a_key_added_or_removed_elsewhere_counts_at_once(store):
    other = KeyStore(store.path)  # the server's open store, while `uk-en keys` changes the file
    assert other.records() == []
    key, record = store.add(name="late")
    assert other.lookup(key) == record
    store.remove("late")
    assert other.lookup(key) is None


@pytest.mark.parametrize("which", ["1", "desk"])
def test_a_key_is_removed_by_id_or_name(store, which):
    key, _ = store.add(name="desk")
    store.remove(which)
    assert store.lookup(key) is None and store.records() == []


def test_a_key_is_removed_by_the_key_itself(store):
    key, _ = store.add()
    assert store.remove(key).id == 1


@pytest.mark.parametrize("call, message", [
    (lambda s: s.remove("nobody"), "has no key with id or name 'nobody'"),
    (lambda s: s.add(name="desk") and s.add(name="desk"), "there is already a key named 'desk'"),
    (lambda s: s.add(name="7"), "must not be empty nor a number"),
    (lambda s: s.add(req_limit=0), "req_limit must be at least 1, got 0"),
])
def test_a_bad_key_operation_says_what_is_wrong(store, call, message):
    with pytest.raises(KeyStoreError, match=message):
        call(store)


def test_a_database_of_something_else_is_never_used(tmp_path):
    path = tmp_path / "other.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE notes (text TEXT)").connection.commit()
    with pytest.raises(KeyStoreError, match="is not a key database"):
        KeyStore(path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "keys.sqlite3"
    path.write_text("not a database at all, just text that is long enough to be read" * 20)
    with pytest.raises(KeyStoreError, match="cannot be used as the key database"):
        KeyStore(path)


# ------------------------------------------------------------------------------------------------ the CLI
def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_keys_add_prints_the_key_once_and_list_never_does(tmp_path):
    db = str(tmp_path / "keys.sqlite3")
    added = run("keys", "add", "--name", "desk", "--req-limit", "5", "--batch-limit", "8", "--api-keys-db-path", db)
    assert added.exit_code == 0, added.output
    key = added.stdout.strip()
    assert KeyStore(db).lookup(key).name == "desk"
    listed = run("keys", "list", "--json", "--api-keys-db-path", db)
    assert key not in listed.output
    assert [json.loads(line) for line in listed.stdout.splitlines()] == [
        {"id": 1, "name": "desk", "req_limit": 5, "char_limit": None, "batch_limit": 8,
         "created": KeyStore(db).records()[0].created}]
    assert run("keys", "list", "--api-keys-db-path", db).stdout.startswith(
        "1\tdesk\t5 requests/min, server's characters per text, 8 texts per request\tcreated ")


def test_keys_remove_then_the_key_is_refused(tmp_path):
    db = str(tmp_path / "keys.sqlite3")
    key = run("keys", "add", "--api-keys-db-path", db).stdout.strip()
    removed = run("keys", "remove", "1", "--api-keys-db-path", db)
    assert (removed.exit_code, removed.stdout) == (0, "Removed key 1.\n")
    assert KeyStore(db).lookup(key) is None
    again = run("keys", "remove", "1", "--api-keys-db-path", db)
    assert again.exit_code == 2 and "has no key with id or name '1'" in again.output


def test_keys_take_the_database_path_from_the_environment(tmp_path, monkeypatch):
    db = tmp_path / "env-keys.sqlite3"
    monkeypatch.setenv("UKEN_API_KEYS_DB_PATH", str(db))
    key = run("keys", "add").stdout.strip()
    assert KeyStore(db).lookup(key).id == 1


def test_keys_without_a_path_use_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("UKEN_API_KEYS_DB_PATH", raising=False)
    monkeypatch.setattr(keylib, "default_path", lambda: tmp_path / "data" / "api_keys.sqlite3")
    key = run("keys", "add").stdout.strip()
    assert KeyStore(tmp_path / "data" / "api_keys.sqlite3").lookup(key).id == 1

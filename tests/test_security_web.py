"""The web page under attack: no file read through a handler, no API key bypass, bounded uploads, no leftovers.

Each test sends what an attacker (or an unlucky operator) would, over HTTP against a live server.
"""

from __future__ import annotations

import json
import os
import re
import signal
import uuid
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from translate import web

from servers import app_py, running

pytestmark = [pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

ROOT = Path(__file__).resolve().parents[1]
SECRET = "TOPSECRET-7f3a"
KEY = "s3cret-key"
EMPTY_TABLE = {"headers": ["uk", "en"], "data": [["", ""]], "metadata": None}


@pytest.fixture(scope="module")
def open_server(fast_translator) -> Iterator[str]:
    with running(web.create_app(fast_translator)) as url:
        yield url


@pytest.fixture(scope="module")
def keyed_server(fast_translator) -> Iterator[str]:
    with running(web.create_app(fast_translator, api_key=KEY)) as url:
        yield url


def upload_folder() -> Path:
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder())


def file_data(path: str | Path) -> dict:
    return {"path": str(path), "meta": {"_type": "gradio.FileData"}}


def call(url: str, api_name: str, data: list, **kwargs) -> str:
    """POST /gradio_api/call/NAME, then the whole SSE answer as text."""
    started = httpx.post(f"{url}/gradio_api/call/{api_name}", json={"data": data}, **kwargs)
    assert started.status_code == 200, started.text
    answer = httpx.get(f"{url}/gradio_api/call/{api_name}/{started.json()['event_id']}", timeout=60, **kwargs)
    return answer.text


def queue_join(url: str, fn_name: str, data: list) -> str:
    """A private handler called the way the page calls it (fn_index through /gradio_api/queue/join); the SSE
    messages until it completes, as text."""
    config = httpx.get(f"{url}/config").json()
    fn_index = next(d["id"] for d in config["dependencies"] if d.get("api_name") == fn_name)
    session = uuid.uuid4().hex
    joined = httpx.post(f"{url}/gradio_api/queue/join", json={"data": data, "fn_index": fn_index,
                                                              "session_hash": session, "event_data": None})
    assert joined.status_code == 200, joined.text
    messages = []
    with httpx.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": session}, timeout=60) as r:
        for line in r.iter_lines():
            messages.append(line)
            if "process_completed" in line:
                break
    return "\n".join(messages)


def secret_files(tmp_path: Path, suffix: str) -> Path:
    path = tmp_path / f"secret{suffix}"
    if suffix == ".jsonl":
        path.write_text(json.dumps({"id": SECRET, "title": "Привіт"}) + "\n", encoding="utf-8")
    else:
        path.write_text(f"uk\ten\nСекрет\t{SECRET}\n", encoding="utf-8")
    return path


def attack_paths(secret: Path) -> dict[str, str]:
    """The ways to name `secret` (outside the upload folder) in a FileData path."""
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / f"link-{uuid.uuid4().hex}{secret.suffix}"
    link.symlink_to(secret)
    dotdot = str(folder) + "/.." * len(folder.parts) + str(secret)
    return {"outside": str(secret), "dotdot": dotdot, "symlink": str(link)}


# ------------------------------------------------------------------------------------------ 1. file read
@pytest.mark.parametrize("how", ["outside", "dotdot", "symlink"])
def test_file_tab_never_reads_a_server_file_that_was_not_uploaded(open_server, tmp_path, how):
    secret = secret_files(tmp_path, ".jsonl")
    answer = call(open_server, "translate_file", [file_data(attack_paths(secret)[how]), EMPTY_TABLE])
    assert SECRET not in answer
    assert "event: error" in answer
    # The same file uploaded is translated, its other fields kept.
    upload = httpx.post(f"{open_server}/gradio_api/upload", files={"files": ("news.jsonl", secret.read_bytes())})
    answer = call(open_server, "translate_file", [file_data(upload.json()[0]), EMPTY_TABLE])
    assert "event: complete" in answer and "1 records" in answer
    output = json.loads(answer.split("data: ", 1)[1].splitlines()[0])[0]["path"]
    assert json.loads(Path(output).read_text(encoding="utf-8"))["id"] == SECRET


@pytest.mark.parametrize("how", ["outside", "dotdot", "symlink"])
def test_glossary_upload_never_reads_a_server_file_that_was_not_uploaded(open_server, tmp_path, how):
    path = attack_paths(secret_files(tmp_path, ".tsv"))[how]
    answer = queue_join(open_server, "load_glossary_file", [file_data(path), EMPTY_TABLE])
    assert SECRET not in answer
    assert '"success": false' in answer or '"success":false' in answer


@pytest.mark.parametrize("how, message", [
    ("outside", "Only a file uploaded"), ("dotdot", "Only a file uploaded"), ("symlink", "Only a file uploaded"),
    ("folder", "Only a file uploaded"), ("missing", "no longer on the server"),
])
def test_handlers_open_only_files_inside_the_upload_folder(tmp_path, how, message):
    from translate.errors import TranslateError

    uploads = tmp_path / "uploads"
    (uploads / "abc").mkdir(parents=True)
    secret = tmp_path / "secret.jsonl"
    secret.write_text("{}\n")
    (uploads / "abc" / "link.jsonl").symlink_to(secret)
    path = {"outside": secret, "dotdot": uploads / "abc" / ".." / ".." / "secret.jsonl",
            "symlink": uploads / "abc" / "link.jsonl", "folder": uploads / "abc",
            "missing": uploads / "abc" / "gone.jsonl"}[how]
    with pytest.raises(TranslateError, match=message):
        web.uploaded_file(path, uploads)


def test_a_file_inside_the_upload_folder_is_opened(tmp_path):
    (tmp_path / "abc").mkdir()
    (tmp_path / "abc" / "news.txt").write_text("Привіт")
    assert web.uploaded_file(tmp_path / "abc" / ".." / "abc" / "news.txt", tmp_path) == tmp_path / "abc" / "news.txt"


# ------------------------------------------------------------------------------------------ 2. API key
@pytest.mark.parametrize("method, path", [
    ("POST", "/gradio_api/call/translate"), ("POST", "/gradio_api/queue/join"), ("POST", "/gradio_api/upload"),
    ("POST", "/gradio_api/run/translate"), ("GET", "/config"), ("GET", "/gradio_api/info"),
])
def test_with_an_api_key_no_page_route_answers_without_the_login(keyed_server, method, path):
    body = {"data": ["Привіт", EMPTY_TABLE], "fn_index": 0, "session_hash": "x"}
    if path.endswith("upload"):
        answer = httpx.post(keyed_server + path, files={"files": ("a.txt", "Привіт".encode())})
    else:
        answer = httpx.request(method, keyed_server + path, json=body if method == "POST" else None)
    assert answer.status_code == 401


def test_with_an_api_key_gradio_client_needs_the_key(keyed_server):
    from gradio_client import Client

    with pytest.raises(Exception):
        Client(keyed_server + "/", verbose=False).predict("Привіт", EMPTY_TABLE, api_name="/translate")
    with pytest.raises(Exception):
        Client(keyed_server + "/", auth=("anyone", "wrong-key"), verbose=False)
    client = Client(keyed_server + "/", auth=("anyone", KEY), verbose=False)
    html, english, terms, status = client.predict("Привіт", EMPTY_TABLE, api_name="/translate")
    assert english and status.startswith("Translated the text")


def test_with_an_api_key_a_logged_in_http_client_translates(keyed_server):
    with httpx.Client(base_url=keyed_server) as client:
        assert client.post("/login", data={"username": "u", "password": "wrong"}).status_code == 400
        assert client.post("/login", data={"username": "u", "password": KEY}).status_code == 200
        answer = client.post("/gradio_api/call/translate", json={"data": ["Привіт", EMPTY_TABLE]})
        assert answer.status_code == 200
        result = client.get(f"/gradio_api/call/translate/{answer.json()['event_id']}", timeout=60).text
    assert "event: complete" in result


def test_a_page_translation_call_has_the_api_body_limit_and_an_upload_its_stated_one(open_server):
    # 150 kB: over the API's 100,000 bytes, under the 1 MB that every page path used to accept.
    answer = httpx.post(f"{open_server}/gradio_api/call/translate", json={"data": ["a" * 150_000, EMPTY_TABLE]})
    assert answer.status_code == 413
    assert "100,000 bytes" in answer.json()["error"]
    within = httpx.post(f"{open_server}/gradio_api/upload", files={"files": ("big.txt", b"a" * 900_000)})
    assert within.status_code == 200
    over = httpx.post(f"{open_server}/gradio_api/upload", files={"files": ("big.txt", b"a" * 1_100_000)})
    assert over.status_code == 413


# ------------------------------------------------------------------------------------------ 3. uploads, temp folders
def test_prune_keeps_the_newest_files_within_count_and_bytes(tmp_path):
    paths = []
    for n in range(6):
        folder = tmp_path / f"u{n}"
        folder.mkdir()
        path = folder / "f.txt"
        path.write_bytes(b"x" * 100)
        os.utime(path, (1_000 + n, 1_000 + n))
        paths.append(str(path))
    missing = str(tmp_path / "never" / "there.txt")
    gone = web.prune_files(paths + [missing], max_files=4, max_bytes=10_000)
    assert gone == {paths[0], paths[1], missing}
    assert not (tmp_path / "u0").exists() and (tmp_path / "u2" / "f.txt").exists()
    assert web.prune_files(paths[2:], max_files=10, max_bytes=250) == {paths[2], paths[3]}


def test_uploads_are_kept_to_a_bounded_count(open_server):
    # Each upload has its own content (gradio keeps one folder per content hash).
    for n in range(web.FILES_KEPT + 40):
        assert httpx.post(f"{open_server}/gradio_api/upload",
                          files={"files": (f"u{n}.txt", f"upload {n} {uuid.uuid4()}".encode())}).status_code == 200
    kept = sum(1 for p in upload_folder().glob("*/u*.txt") if re.fullmatch(r"u\d+\.txt", p.name))
    assert kept <= web.FILES_KEPT + 1


def test_sigterm_removes_the_page_temporary_folders(tiny_model, tmp_path):
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    flags = ["--model", str(tiny_model), "--backend", "transformers", "--device", "cpu", "--beam-size", "1"]
    with app_py(flags, cwd=tmp_path, env={"TMPDIR": str(private_tmp), "GRADIO_TEMP_DIR": None}) as (server, url):
        upload = httpx.post(f"{url}/gradio_api/upload", files={"files": ("news.txt", "Привіт".encode())})
        assert upload.status_code == 200
        answer = call(url, "translate_file", [file_data(upload.json()[0]), EMPTY_TABLE])
        assert "event: complete" in answer
        assert any(private_tmp.iterdir())
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    assert server.returncode == -signal.SIGTERM
    # Only what the page makes: torch may keep caches of its own there.
    assert [p.name for p in private_tmp.iterdir() if p.name.startswith(("uk-en-web", "gradio"))] == []

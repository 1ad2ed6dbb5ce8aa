"""Ray Data batch jobs (translate/distributed.py, `uk-en translate --ray`) on one local Ray cluster per test
session: the same outputs, order, ids, fields, term reports and problems as the local CLI, Parquet in and
out, and a rerun that continues where a run stopped.

The cluster has 2 CPUs and actors that leave one of them for reading (Ray Data waits forever otherwise).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate.cli import app

runner = CliRunner()
NEWS = ["Столтенберг прибув до Скоп'є.", "Уряд ухвалив рішення.", "Збори проголосували за закон.",
        "Новина дня: сьогодні тепло.", "Президент провів нараду з урядом."]


@pytest.fixture(scope="session")
def ray_cluster(tmp_path_factory):
    import ray

    ray.init(num_cpus=2, object_store_memory=128 * 1024 * 1024, include_dashboard=False, log_to_driver=False,
             # The actors load the model as the tests do: offline, caches in the session's temp folder.
             runtime_env={"env_vars": {"HF_HUB_OFFLINE": "1",
                                       "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("ray-cache"))}})
    yield
    ray.shutdown()


def flags(model: Path) -> list[str]:
    """The tiny model's quick decoding settings (those of conftest's tiny_engine); no memory."""
    return ["--model", str(model), "--backend", "transformers", "--device", "cpu", "--beam-size", "1",
            "--max-length-ratio", "0.5", "--max-length-offset", "2", "--no-glossary", "--no-cache"]


RAY = ["--ray", "local", "--ray-actors", "2", "--ray-cpus", "0.5"]  # 2 actors on 1 CPU: one left for reading


def records(n: int) -> list[dict]:
    return [{"id": f"item-{i}", "title": NEWS[i % 5], "body": f"{NEWS[(i + 1) % 5]}\n\n{NEWS[(i + 3) % 5]}",
             "score": i / 4, "tags": ["uk", str(i)], "nested": {"a": [i, None]}} for i in range(n)]


def write_jsonl(path: Path, rows: list[dict], extra_lines: dict[int, str] | None = None) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    for at, line in sorted((extra_lines or {}).items()):
        lines.insert(at - 1, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def problems(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if line.startswith("error:"))


def test_ray_job_writes_what_the_local_cli_writes(tmp_path, tiny_model, ray_cluster):
    """A folder of JSONL (with a malformed line, a non-text field, a blank line) and text files: the same
    output bytes, term report and problems, record order and ids, every field kept."""
    archive = tmp_path / "archive"
    (archive / "2024").mkdir(parents=True)
    write_jsonl(archive / "2024" / "a.jsonl", records(7), {3: '{"id": "broken", "title": "Незакрита',
                                                           5: '{"id": "x", "title": 5}', 6: ""})
    write_jsonl(archive / "b.jsonl", records(3))
    (archive / "note.txt").write_text(f"{NEWS[0]}\n\n  {NEWS[1]} {NEWS[2]}\r\n", encoding="utf-8")
    (archive / "ignored.csv").write_text("not translated", encoding="utf-8")

    local = run("translate", archive, "-o", tmp_path / "local", "--terms", tmp_path / "local.terms",
                *flags(tiny_model))
    on_ray = run("translate", archive, "-o", tmp_path / "ray", "--terms", tmp_path / "ray.terms",
                 *flags(tiny_model), *RAY)
    assert (local.exit_code, on_ray.exit_code) == (1, 1)  # the two bad records
    found = problems(on_ray.output)
    assert found == problems(local.output) and len(found) == 2
    assert found[0].startswith(f"error: {archive}/2024/a.jsonl:3: not valid JSON (")
    assert found[1] == f"error: {archive}/2024/a.jsonl:5: field 'title' is int, not text; record skipped"
    for name in ("2024/a.jsonl", "b.jsonl", "note.txt"):
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert not (tmp_path / "ray" / "ignored.csv").exists()
    assert (tmp_path / "ray.terms").read_bytes() == (tmp_path / "local.terms").read_bytes()
    english = [json.loads(line) for line in (tmp_path / "ray" / "2024" / "a.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in english] == [f"item-{i}" for i in range(7)]
    assert [(r["score"], r["tags"], r["nested"]) for r in english] == [
        (r["score"], r["tags"], r["nested"]) for r in records(7)]
    assert "2 problems" in on_ray.output and "11 items translated on Ray" in on_ray.output


def test_parquet_records_keep_their_schema_and_other_columns(tmp_path, tiny_model, ray_cluster):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = records(4)
    rows[2]["body"] = None  # nothing to translate there: stays null
    table = pa.Table.from_pylist([{k: r[k] for k in ("id", "title", "body", "score", "tags")} for r in rows])
    pq.write_table(table, tmp_path / "items.parquet")
    write_jsonl(tmp_path / "items.jsonl", [{k: r[k] for k in ("id", "title", "body")} for r in rows])

    assert run("translate", tmp_path / "items.jsonl", "-o", tmp_path / "local.jsonl", *flags(tiny_model)).exit_code == 0
    result = run("translate", tmp_path / "items.parquet", "-o", tmp_path / "en.parquet", *flags(tiny_model), *RAY)
    assert result.exit_code == 0, result.output
    english = pq.read_table(tmp_path / "en.parquet")
    assert english.schema == table.schema
    assert english.column("id").to_pylist() == ["item-0", "item-1", "item-2", "item-3"]
    assert english.column("score").to_pylist() == [0.0, 0.25, 0.5, 0.75]
    assert english.column("tags").to_pylist() == [["uk", "0"], ["uk", "1"], ["uk", "2"], ["uk", "3"]]
    local = [json.loads(line) for line in (tmp_path / "local.jsonl").read_text("utf-8").splitlines()]
    assert english.column("title").to_pylist() == [r["title"] for r in local]
    assert english.column("body").to_pylist() == [r["body"] for r in local]
    assert english.column("body").to_pylist()[2] is None


def test_a_rerun_continues_after_the_last_saved_record_and_then_skips_finished_work(tmp_path, tiny_model, ray_cluster,
                                                                                     monkeypatch):
    from translate.batch import Job

    source = tmp_path / "items.jsonl"
    write_jsonl(source, records(8))
    out = tmp_path / "items.en.jsonl"
    chunks = []
    translate_chunk = Job._translate

    def interrupted_at_the_second_chunk(self, *args, **kwargs):  # Ctrl-C once the first chunk is saved
        chunks.append(args)
        if len(chunks) == 2:
            raise KeyboardInterrupt
        return translate_chunk(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Job, "_translate", interrupted_at_the_second_chunk)
        assert run("translate", source, "-o", out, "--chunk-size", "3", *flags(tiny_model)).exit_code == 130
    assert not out.exists()  # the local run saved its first 3 records in its part file

    resumed = run("translate", source, "-o", out, "--resume", *flags(tiny_model), *RAY)
    assert resumed.exit_code == 0, resumed.output
    assert "5 items translated on Ray" in resumed.output and "resumed: 3 items" in resumed.output
    assert run("translate", source, "-o", tmp_path / "whole.jsonl", *flags(tiny_model)).exit_code == 0
    assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()

    again = run("translate", source, "-o", out, "--resume", *flags(tiny_model), *RAY)
    assert again.exit_code == 0
    assert "0 items translated on Ray" in again.output and "1 file already done" in again.output


@pytest.mark.parametrize("args, message", [
    (["-"], "--ray reads files or folders, not standard input"),
    (["nosuch.jsonl", "-o", "out.jsonl"], "nosuch.jsonl: no such file or folder"),
    (["{src}"], "--ray needs -o/--output"),
])
def test_impossible_ray_jobs_are_refused_in_one_sentence(tmp_path, tiny_model, args, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.jsonl").write_text('{"title": "Привіт"}\n', encoding="utf-8")
    given = [a.format(src=tmp_path / "in.jsonl") for a in args]
    result = run("translate", *given, *flags(tiny_model), "--ray", "local")
    assert result.exit_code == 2
    assert f"error: {message}" in result.output

"""Ray Data batch jobs: `uk-en translate INPUT… -o OUT --ray ADDRESS`, the local CLI's job on a Ray cluster.

Takes inputs (JSONL files, files of the other document formats, Parquet files, folders of them; local paths
or any filesystem URI pyarrow reads, as Ray Data does: s3://, gs://…), an output (a local file or folder,
mirrored as the local CLI mirrors it), the translation `Settings` and the `RaySettings` (cluster address,
actors, CPUs and GPUs per actor); `run_job(...)` returns a `translate.batch.RunReport`.

* Reading: `ray.data.read_binary_files`, one row per file; JSONL files become one row per line (with its
  number), Parquet files one row per record (its field texts), other formats one row per file.
* Translating: `map_batches` with `Translate`, a callable class loading one `Translator` per actor, which
  treats each row exactly as the local CLI does (`translate.batch`'s units parse, translate and put back the
  record: the same fields, terms entries, per-record errors `file:line: …; record skipped`).
* Writing: the driver takes the rows back in input order (`preserve_order`) and writes each output as the
  local CLI does: a JSONL output through its part file and state (`--resume` continues after the last saved
  record, and the local CLI can resume it too), other formats and Parquet whole and atomically. A rerun with
  `--resume` skips finished outputs and, in JSONL, finished records, before anything is read on the cluster.

Actors use `ray_cpus` CPUs each (their inference threads) and `ray_gpus` GPUs; the cluster needs a CPU left
over for reading, or Ray Data waits for one forever.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from translate import documents
from translate.batch import (DocumentUnit, Item, JsonlUnit, Problem, ReportLogs, RunReport, TermsLog, Unit,
                             is_work_file, write_atomically)
from translate.errors import OutputBusy, TranslateError, UsageError

if TYPE_CHECKING:
    from translate.config import RaySettings, Settings

PARQUET = "parquet"
PARQUET_SUFFIXES = (".parquet",)
COMMIT_EVERY = 64  # JSONL records per saved step, as the local CLI's chunk


# -- inputs ----------------------------------------------------------------------------------------------------

class RemoteFile:
    """An input on a pyarrow filesystem, standing in for a `Path` where units look at their input (its name,
    `stat()` for the size and time a resume state records, `resolve()`)."""

    def __init__(self, uri: str, size: int, mtime_ns: int):
        self.uri = uri
        self.size = size
        self.mtime_ns = mtime_ns

    def __str__(self) -> str:
        return self.uri

    def resolve(self) -> "RemoteFile":
        return self

    def stat(self) -> os.stat_result:
        return os.stat_result((0, 0, 0, 0, 0, 0, self.size, 0, 0, 0, 0, 0, 0, 0, self.mtime_ns, self.mtime_ns))


@dataclass
class Input:
    """One input file: where Ray reads it (`location`), its name in messages, its format and its output."""

    location: str  # an absolute local path or a URI
    name: str
    format: str  # a documents.FORMATS name or "parquet"
    source: Path | RemoteFile
    output: Path


def _is_uri(text: str) -> bool:
    return "://" in text


def location(path: Path | str) -> str:
    """An input as given on the command line: typer hands over a Path, which folds s3://b/k into s3:/b/k."""
    text = str(path)
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]+):/(?!/)", r"\1://", text)


def _files(location: str) -> tuple[list[tuple[str, str, Any]], bool]:
    """([(location, path relative to the input, FileInfo)], whether it is a folder) through pyarrow.fs."""
    from pyarrow import fs

    filesystem, root = fs.FileSystem.from_uri(location if _is_uri(location) else str(Path(location).resolve()))
    info = filesystem.get_file_info(root)
    if info.type == fs.FileType.NotFound:
        raise UsageError(f"{location}: no such file or folder")
    if info.type == fs.FileType.File:
        return [(location if _is_uri(location) else str(Path(location).resolve()), Path(root).name, info)], False
    prefix = location.split("://", 1)[0] + "://" if _is_uri(location) else ""
    found = []
    for entry in sorted(filesystem.get_file_info(fs.FileSelector(root, recursive=True)), key=lambda e: e.path):
        relative = Path(entry.path).relative_to(root)
        if entry.type != fs.FileType.File or any(p.startswith(".") for p in relative.parts):
            continue
        if is_work_file(Path(entry.path)):
            continue
        found.append((prefix + entry.path, str(relative), entry))
    return found, True


def format_of(name: str, forced: str = "auto") -> str | None:
    """The format of a file: `forced`, Parquet by extension, a document format by extension; None to leave
    a folder's file alone (the local CLI translates only the suffixes it knows in a folder)."""
    if forced != "auto":
        return forced
    suffix = Path(name).suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return PARQUET
    return documents.format_of(name) if suffix in documents.SUFFIXES else None


def plan_inputs(inputs: Sequence[str], output: Path | None, input_format: str = "auto") -> list[Input]:
    """Each input file with its output: a single file to `output` (a file, or into a folder), folders mirrored
    under `output` as the local CLI does. UsageError for what cannot be planned."""
    if not inputs or any(str(i) == "-" for i in inputs):
        raise UsageError("--ray reads files or folders, not standard input")
    if output is None:
        raise UsageError("--ray needs -o/--output (the cluster's English is written there)")
    planned: list[Input] = []
    for given in map(str, inputs):
        files, folder = _files(given)
        for location, relative, info in files:
            kind = format_of(relative, input_format)
            if kind is None:
                if not folder:
                    kind = documents.format_of(relative)  # a named file of another suffix: text, as locally
                else:
                    continue
            source: Path | RemoteFile = (RemoteFile(location, info.size, info.mtime_ns or 0) if _is_uri(location)
                                         else Path(location))
            name = f"{given.rstrip('/')}/{relative}" if folder else given
            if folder or (output.exists() and output.is_dir()):
                target = output / (relative if folder else Path(relative).name)
            else:
                target = output
            planned.append(Input(location, name, kind, source, target))
    targets: dict[Path, str] = {}
    for item in planned:
        target = item.output.resolve()
        if isinstance(item.source, Path) and item.source.resolve() == target:
            raise UsageError(f"the English of {item.name} would overwrite it; choose another -o")
        if target in targets:
            raise UsageError(f"{targets[target]} and {item.name} would both be written to {item.output}")
        targets[target] = item.name
    if len(planned) > 1 and output.exists() and not output.is_dir():
        raise UsageError(f"-o {output} is a file; several inputs or a folder need an output folder")
    return planned


# -- on the actors ---------------------------------------------------------------------------------------------

def split_rows(row: dict[str, Any], *, inputs: dict[str, tuple[str, str]], fields: Sequence[str],
               skip_lines: dict[str, int]) -> list[dict[str, Any]]:
    """A file's row (`read_binary_files`) as the rows to translate: a JSONL line each (after those a resumed
    run has), a Parquet record each (its field texts as JSON), or the whole file."""
    location = _location_of(row["path"], inputs)
    name, kind = inputs[location]
    data: bytes = row["bytes"]
    if kind == documents.jsonl.NAME:
        skip = skip_lines.get(location, 0)
        return [{"input": location, "number": number, "data": raw}
                for number, raw in documents.jsonl.lines(io.BytesIO(data)) if number > skip and raw.strip()]
    if kind == PARQUET:
        import pyarrow.parquet as pq

        table = pq.read_table(io.BytesIO(data))
        present = [f for f in fields if f in table.column_names]
        columns = {f: table.column(f).to_pylist() for f in present}
        rows = []
        for i in range(table.num_rows):
            values = {f: columns[f][i] for f in present}
            # Said here, where the value is: a timestamp or a list is no JSON to send on.
            wrong = next((f"field '{f}' is {type(v).__name__}, not text" for f, v in values.items()
                          if v is not None and not isinstance(v, str)), None)
            record = {"problem": wrong} if wrong else {"texts": {f: v for f, v in values.items() if v is not None}}
            rows.append({"input": location, "number": i + 1,
                         "data": json.dumps(record, ensure_ascii=False).encode("utf-8")})
        return rows
    return [{"input": location, "number": 0, "data": data}]


def _location_of(path: str, inputs: dict[str, Any]) -> str:
    """The planned location of a path Ray Data reports (for URIs it drops the scheme)."""
    if path in inputs:
        return path
    return next(location for location in inputs if location.split("://", 1)[-1] == path)


class _Collected:
    """Stands in for the terms log on an actor: what a unit writes to it is kept and sent back."""

    def __init__(self) -> None:
        self.entries: list[dict] = []

    def write(self, entries: Sequence[dict]) -> None:
        self.entries.extend(entries)


class Translate:
    """The callable class of `map_batches`: one Translator per actor, each batch of rows translated as the
    local CLI translates its chunk of items (all texts in one call; item by item when that fails)."""

    def __init__(self, settings: dict[str, Any], inputs: dict[str, tuple[str, str]], fields: Sequence[str],
                 terms_field: str | None):
        from translate.config import Settings
        from translate.pipeline import Translator

        self.translator = Translator.from_settings(Settings(**settings))
        self.inputs = inputs
        self.fields = list(fields)
        self.terms_field = terms_field

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        from translate.batch import Job

        rows = [dict(zip(batch, values)) for values in zip(*batch.values())]
        report = RunReport()
        items: list[tuple[int, Item]] = []
        out: list[dict[str, Any]] = [{"input": r["input"], "number": int(r["number"]), "data": b"", "entry": b"",
                                      "error": "", "found": False} for r in rows]
        units: dict[str, Unit] = {}
        for i, row in enumerate(rows):
            name, kind = self.inputs[row["input"]]
            unit = units.get(row["input"])
            if unit is None:
                unit = units[row["input"]] = self._unit(name, kind, row["data"])
            if kind == documents.jsonl.NAME:
                parsed = unit._parse(out[i]["number"], bytes(row["data"]))
                if isinstance(parsed, Problem):
                    out[i]["error"] = parsed.message
                    continue
                out[i]["found"] = bool(parsed.texts)
                items.append((i, parsed))
            elif kind == PARQUET:
                record = json.loads(bytes(row["data"]))
                if "problem" in record:
                    out[i]["error"] = f"{record['problem']}; record skipped"
                    continue
                present = list(record["texts"])
                out[i]["found"] = bool(present)
                items.append((i, Item(unit, out[i]["number"], [record["texts"][f] for f in present], payload=present)))
            else:
                for item in unit.items(report):
                    items.append((i, item))
                if unit.failed:  # unreadable as its format: the problem's line (if any) goes with it
                    problem = report.problems.pop()
                    out[i]["error"], out[i]["number"] = problem.message, problem.line or 0
        job = Job(self.translator)
        results = job._documents([item for _, item in items], report) if items else []
        failed = {(p.file, p.line): p.message for p in report.problems}
        for (i, item), translations in zip(items, results):
            unit = item.unit
            if translations is None:
                out[i]["error"] = failed.get((unit.name, item.number if isinstance(unit, JsonlUnit) else None), "")
                unit.failed = not isinstance(unit, JsonlUnit)
            elif isinstance(unit, JsonlUnit):
                unit.accept(item, translations)
                _, line, entry = unit.pending.pop()
                out[i]["data"], out[i]["entry"] = line, json.dumps(entry, ensure_ascii=False).encode("utf-8")
            elif isinstance(unit, DocumentUnit):
                unit.accept(item, translations)
            else:  # Parquet: the English of the record's fields, the driver puts them into the table
                found = {f: [t.as_dict() for t in tr.terms] for f, tr in zip(item.payload, translations)}
                out[i]["data"] = json.dumps(dict(zip(item.payload, (t.text for t in translations))),
                                            ensure_ascii=False).encode("utf-8")
                out[i]["entry"] = json.dumps({"input": unit.name, "line": item.number, "terms": found},
                                             ensure_ascii=False).encode("utf-8")
        for i, row in enumerate(rows):
            unit = units[row["input"]]
            if isinstance(unit, DocumentUnit) and not unit.failed and not out[i]["error"]:
                collected = _Collected()
                unit.finish(collected, RunReport())
                out[i]["data"] = unit.stdout.getvalue()
                out[i]["entry"] = json.dumps(collected.entries[0], ensure_ascii=False).encode("utf-8")
            elif isinstance(unit, DocumentUnit) and not out[i]["error"]:
                out[i]["error"] = next(iter(failed.values()), "translation failed; skipped")
        return {key: [o[key] for o in out] for key in out[0]} if out else {}

    def _unit(self, name: str, kind: str, data: Any) -> Unit:
        if kind == documents.jsonl.NAME:
            return JsonlUnit(None, None, name=name, fields=self.fields, terms_field=self.terms_field)
        if kind == PARQUET:
            return Unit(None, None, name=name)
        return DocumentUnit(None, None, name=name, format=kind, stdin=io.BytesIO(bytes(data)), stdout=io.BytesIO())


# -- the job ---------------------------------------------------------------------------------------------------

def _connect(address: str, num_cpus: float | None = None) -> None:
    import ray

    if ray.is_initialized():  # a session set up by the caller (tests, notebooks): used as it is
        return
    if address == "local":
        ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False)
    else:
        ray.init(address=address, log_to_driver=False)


def run_job(inputs: Sequence[str], output: Path | None, settings: "Settings", ray_settings: "RaySettings", *,
            fields: Sequence[str] = documents.DEFAULT_FIELDS, terms_field: str | None = None,
            terms: Path | None = None, input_format: str = "auto", resume: bool = False,
            on_problem: Callable[[Problem], None] | None = None) -> RunReport:
    """Translate `inputs` into `output` on the Ray cluster of `ray_settings.ray` (see the module docstring)."""
    import ray

    report = RunReport(on_problem=on_problem)
    planned = plan_inputs(inputs, output, input_format)
    units: dict[str, Unit] = {}
    todo: list[Input] = []
    for item in planned:
        unit = _driver_unit(item, fields, terms_field)
        if resume and unit.complete_already():
            report.units_skipped += 1
            continue
        if resume:
            unit.prepare_resume()
            report.items_resumed += unit.items_done
        units[item.location] = unit
        todo.append(item)
    terms_log = None
    if terms is not None:
        by_name = {units[i.location].name: units[i.location] for i in todo}
        try:
            # Only the log's own fields of each entry, as the local CLI writes it (ReportLogs drops the others).
            terms_log = ReportLogs([(TermsLog(terms, report, resume=resume, keep=lambda e: e.get("input") not in
                                              by_name or by_name[e["input"]].keeps_terms_entry(e)), ("terms",))])
        except (OSError, OutputBusy) as e:
            report.add(Problem(str(terms), None, f"cannot be written ({e}); no term report this run, translation "
                               "goes on"))
    claimed = [i for i in todo if _claim(units[i.location], report)]
    try:
        if claimed:
            _connect(ray_settings.ray)
            try:
                _write(_dataset(claimed, units, settings, ray_settings, fields, terms_field), claimed, units,
                       terms_log, report)
            except ray.exceptions.RayError as e:
                # An actor that cannot load the model (or glossary) raises our error inside Ray's: say it as
                # the local CLI would, in one sentence.
                cause = getattr(e, "cause", None)
                if isinstance(cause, TranslateError):
                    raise cause from None
                raise
        if terms_log is not None:
            terms_log.finish()
    except KeyboardInterrupt:
        report.interrupted = True
        for i in claimed:
            units[i.location].abandon()
        if terms_log is not None:
            terms_log.close()
    finally:
        for i in claimed:
            if units[i.location].lock is not None:
                units[i.location].lock.release()
    report.items_done = sum(units[i.location].items_done for i in claimed) - report.items_resumed
    return report


def _driver_unit(item: Input, fields: Sequence[str], terms_field: str | None) -> Unit:
    if item.format == documents.jsonl.NAME:
        return JsonlUnit(item.source, item.output, name=item.name, fields=fields, terms_field=terms_field)
    return DocumentUnit(item.source, item.output, name=item.name, format=item.format)


def _claim(unit: Unit, report: RunReport) -> bool:
    try:
        if not unit.lock.acquire():
            report.add(Problem(str(unit.output), None, f"another uk-en run is writing it (lock {unit.lock.path}); "
                               "file skipped"))
            return False
        unit.opened = unit.input.stat()
        unit.open_output()
        return True
    except OSError as e:
        unit.lock.release()
        report.add(Problem(str(unit.output), None, f"cannot be written ({e.strerror or e}); file skipped"))
        return False


def _dataset(todo: list[Input], units: dict[str, Unit], settings: "Settings", ray_settings: "RaySettings",
             fields: Sequence[str], terms_field: str | None):
    import ray

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # output in input order
    # The CLI reports progress and problems itself; Ray Data's progress log every 10 s would bury them.
    context.enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    inputs = {i.location: (i.name, i.format) for i in todo}
    skip = {location: u.resume_line for location, u in units.items() if isinstance(u, JsonlUnit)}
    actor_settings = settings.as_dict()
    for key in ("model", "glossary", "add_glossary"):  # actors run in folders of their own: absolute paths
        value = actor_settings[key]
        if value and value != "default" and Path(value).exists():
            actor_settings[key] = str(Path(value).resolve())
    if settings.threads == 0:  # one inference thread per CPU Ray gives the actor, not one per core of the node
        actor_settings["threads"] = max(1, int(ray_settings.ray_cpus))
    ds = ray.data.read_binary_files([i.location for i in todo], include_paths=True)
    ds = ds.flat_map(split_rows, fn_kwargs={"inputs": inputs, "fields": list(fields), "skip_lines": skip})
    return ds.map_batches(Translate, fn_constructor_kwargs={"settings": actor_settings, "inputs": inputs,
                                                            "fields": list(fields), "terms_field": terms_field},
                          batch_size=COMMIT_EVERY, compute=ray.data.ActorPoolStrategy(size=ray_settings.ray_actors),
                          num_cpus=ray_settings.ray_cpus, num_gpus=ray_settings.ray_gpus or None)


def _write(ds: Any, todo: list[Input], units: dict[str, Unit], terms_log: ReportLogs | None,
           report: RunReport) -> None:
    """The rows back in input order, each output written as the local CLI writes it."""
    parquet: dict[str, list[dict[str, Any]]] = {i.location: [] for i in todo if i.format == PARQUET}
    finished: set[str] = set()
    order = [i.location for i in todo]
    position = {location: n for n, location in enumerate(order)}
    by_location = {i.location: i for i in todo}

    def finish_before(location: str | None) -> None:
        # Rows come file by file: every file before this one is complete (a file may have no rows at all).
        stop = position[location] if location is not None else len(order)
        for earlier in order[:stop]:
            if earlier not in finished:
                finished.add(earlier)
                _finish(by_location[earlier], units[earlier], parquet.get(earlier), terms_log, report)

    for row in ds.iter_rows():
        location = row["input"]
        finish_before(location)
        unit = units[location]
        item = by_location[location]
        number = int(row["number"])
        if row["error"]:
            per_record = item.format in (documents.jsonl.NAME, PARQUET)
            problem = Problem(unit.name, number if per_record or number else None, row["error"])
            if isinstance(unit, JsonlUnit):
                unit.problems.append(problem)
            else:
                unit.failed = unit.failed or item.format != PARQUET
            report.add(problem)
            continue
        if isinstance(unit, JsonlUnit):
            unit.records += 1
            unit.records_with_fields += bool(row["found"])
            unit.pending.append((number, bytes(row["data"]), json.loads(bytes(row["entry"]))))
            if len(unit.pending) >= COMMIT_EVERY:
                _safely(unit, lambda: unit.commit(terms_log), report)
        elif item.format == PARQUET:
            parquet[location].append(row)
        else:
            unit.document_bytes = bytes(row["data"])
            unit.terms_entry = json.loads(bytes(row["entry"]))
    finish_before(None)


def _finish(item: Input, unit: Unit, rows: list[dict[str, Any]] | None, terms_log: ReportLogs | None,
            report: RunReport) -> None:
    if unit.failed:
        return
    if isinstance(unit, JsonlUnit):
        for line, message in unit.resume_problems:  # found by the earlier run: still missing from the output
            report.add(Problem(unit.name, line, message))
        _safely(unit, lambda: unit.finish(terms_log, report), report)
        return
    if item.format == PARQUET:
        data, entries = _parquet_output(item, rows)
    elif hasattr(unit, "document_bytes"):
        data, entries = unit.document_bytes, [unit.terms_entry]
    else:
        return
    if terms_log is not None:
        terms_log.write(entries)
    _safely(unit, lambda: write_atomically(item.output, data), report)
    unit.items_done = 1
    report.units_done += 1


def _safely(unit: Unit, step: Callable[[], None], report: RunReport) -> None:
    from translate.errors import InputChanged

    try:
        step()
    except OSError as e:
        unit.failed = True
        unit.abandon()
        report.add(Problem(str(unit.output), None, f"cannot be written ({e.strerror or e})"))
    except InputChanged:
        unit.failed = True
        unit.abandon()
        report.add(Problem(unit.name, None, "changed while it was being translated; its output was not completed "
                           "(translate it again)"))


def _parquet_output(item: Input, rows: list[dict[str, Any]]) -> tuple[bytes, list[dict]]:
    """The input table with its translated fields in place of the Ukrainian ones, every other column (and
    the schema) as it was; a record that failed is left out, as a JSONL record is."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pyarrow import fs

    filesystem, path = fs.FileSystem.from_uri(item.location)  # a URI or an absolute local path
    with filesystem.open_input_file(path) as f:
        table = pq.read_table(f)
    english = {int(r["number"]): json.loads(bytes(r["data"])) for r in rows}
    keep = sorted(english)
    table = table.take(pa.array([n - 1 for n in keep], type=pa.int64()))
    for name in {f for e in english.values() for f in e}:
        column = table.column(name).to_pylist()
        for i, number in enumerate(keep):
            column[i] = english[number].get(name, column[i])
        index = table.column_names.index(name)
        kind = table.schema.field(index)
        table = table.set_column(index, kind, pa.array(column, type=kind.type))
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue(), [json.loads(bytes(r["entry"])) for r in rows]

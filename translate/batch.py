"""Unattended batch jobs: text files, JSONL news archives and pipes, translated in shared chunks, resumable.

Takes a list of `Unit`s (one input — file or stdin — and where its English goes: a file or stdout) and a
`Translator`; `Job.run(units)` translates them and returns a `RunReport` (items done, problems, exit status).

* Items of many units are translated together: a chunk of up to `chunk_items` items / `chunk_chars`
  characters goes to one `translate_documents` call, so short items share the engine's batches.
* A text file's English is written whole, atomically (temp file in the same folder, then `os.replace`), so
  an output file that exists is complete, with the permissions `open()` would give it (0666 less the umask).
  Its line layout is the source's (the pipeline keeps it; long files go to the engine in the parts of whole
  lines that `translate.documents.text` cuts). Reading, records and rebuilding are `translate.documents`'.
* A JSONL file's records are appended after every chunk to `<output>.uk-en-part`, and a small state file
  `<output>.uk-en-state.json` records (atomically, after the data is on disk) how many input lines and
  output bytes are final; the finished part is renamed to the output. `--resume` cuts the part back to the
  recorded size and continues after the recorded line, so a killed run loses at most one chunk and never
  duplicates a record. Completed outputs are skipped.
* A malformed JSONL line, a record whose field is not text, or an undecodable file is a problem reported as
  `file:line: what` and skipped; the rest is translated; the exit status is 1 when anything failed.
* `--terms FILE` is a JSONL log (one line per text file / JSONL record) written before each chunk's output,
  and filtered on resume to the items that are final, so it too holds each item exactly once. If it cannot
  be written, that is one problem and translation goes on without it.
* `--review FILE` is a JSONL log of the review's flags kept the same way (one line per text file / JSONL
  record, with the flags' offsets into the English); the report counts the sentences translated and those
  flagged ("3 of 214 sentences need review").
* `Progress` hears of input lines: how many each input has (once known) and how many are done, so that even
  one file's progress moves.
* Each output file (and the terms log) is locked (`fcntl.flock` on `<output>.uk-en-lock`) while a run writes
  it; a second run that finds it locked reports the file and skips it. An output that cannot be created (a
  read-only folder) is one problem, found before anything of it is translated.
* An input that changes while it is translated (size, times or inode) is a problem: its output is not
  made complete, and its state no longer matches the input, so `--resume` starts that file again.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterator, Sequence

from translate import documents
from translate.documents import DocumentError, jsonl
from translate.documents.text import starts_of
from translate.errors import InputChanged, OutputBusy
from translate.pipeline import Translation
from translate.review import flagged_sentences

CHUNK_ITEMS = 64
CHUNK_CHARS = 20_000
PART_SUFFIX = ".uk-en-part"
STATE_SUFFIX = ".uk-en-state.json"
TEMP_MARK = ".uk-en-tmp"
LOCK_SUFFIX = ".uk-en-lock"
EXIT_OK, EXIT_FAILURES, EXIT_INTERRUPTED = 0, 1, 130


# -- files ---------------------------------------------------------------------------------------------------

def current_umask() -> int:
    # The only way to read it is to set it; the CLI writes no file from another thread meanwhile.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    """`path` holds either its old content or all of `data`, never a part of it; a new file gets the mode
    `open()` would give it (0666 less the umask), not mkstemp's private 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_MARK)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def is_work_file(path: Path) -> bool:
    """Our own unfinished files (parts, states, temps): never inputs."""
    return path.name.endswith((PART_SUFFIX, STATE_SUFFIX, TEMP_MARK, LOCK_SUFFIX))


class OutputLock:
    """An exclusive lock on `<path>.uk-en-lock` while one run writes `path`; the lock file goes on release.

    The holder removes the file before unlocking, so a run that locked a file in between (opened before
    the removal) sees that the path no longer names what it locked, and tries again on the new one.
    """

    def __init__(self, path: Path):
        self.path = path.with_name(path.name + LOCK_SUFFIX)
        self.fd: int | None = None

    def acquire(self) -> bool:
        """True when locked; False when another process holds it. OSError when it cannot be created."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                try:
                    current = os.path.samestat(os.fstat(fd), os.stat(self.path))
                except FileNotFoundError:
                    current = False
            except BlockingIOError:
                os.close(fd)
                return False
            except BaseException:
                os.close(fd)
                raise
            if current:
                self.fd = fd
                return True
            os.close(fd)

    def release(self) -> None:
        if self.fd is not None:
            self.path.unlink(missing_ok=True)
            os.close(self.fd)
            self.fd = None


def file_identity(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What changes when a file is rewritten, in place or replaced."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def input_identity(path: Path, st: os.stat_result) -> dict[str, Any]:
    return {"input": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


# -- results -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1-based; None when the whole file is concerned
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line is not None else f"{self.file}: {self.message}"


@dataclass
class RunReport:
    items_done: int = 0
    items_resumed: int = 0  # already final from an earlier run
    units_done: int = 0
    units_skipped: int = 0  # complete outputs left alone by --resume
    problems: list[Problem] = field(default_factory=list)
    interrupted: bool = False
    sentences: int = 0  # sentences translated this run …
    flagged: int = 0  # … and of those, how many the review flagged
    on_problem: Callable[[Problem], None] | None = field(default=None, repr=False, compare=False)

    def add(self, problem: Problem) -> None:
        """Record a problem and hand it to `on_problem` at once (the CLI prints it as it happens)."""
        self.problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_FAILURES if self.problems else EXIT_OK


@dataclass
class Item:
    """One piece of work: the texts (JSONL fields or a part of a text file) of one record."""

    unit: "Unit"
    number: int  # JSONL: 1-based input line; text: part index
    texts: list[str]
    payload: Any = None
    lines: int = 1  # input lines it stands for in the progress (a JSONL record: those read since the last one)
    document: str | None = None  # the whole document its texts belong to (names consistent across it)

    def contexts(self) -> list[str]:
        """For each text, the document it is part of: a file's whole text, a record's fields together."""
        return [self.document if self.document is not None else "\n".join(self.texts)] * len(self.texts)


class Progress:
    """What a job tells its display; the default shows nothing. Work is counted in input lines."""

    def start(self, units: int) -> None: ...
    def expect(self, lines: int) -> None:
        """One more input will take this many lines (announced once it is known)."""
    def advance(self, lines: int) -> None: ...
    def unit_done(self) -> None: ...
    def stop(self) -> None: ...


# -- terms log -----------------------------------------------------------------------------------------------

class TermsLog:
    """The `--terms` JSONL file, appended as items become final; on resume, reduced to the final ones.

    Raises OSError when it cannot be set up, OutputBusy when another run writes it (the caller reports both);
    a write that fails later is reported through `report` once, and the log stops there without becoming the
    complete file.
    """

    def __init__(self, path: Path, report: RunReport, *, resume: bool,
                 keep: Callable[[dict], bool] = lambda entry: False, what: str = "term report"):
        self.what = what  # the log's name in its problems: "term report", "review report"
        self.path = path
        self.part = path.with_name(path.name + PART_SUFFIX)
        self.report = report
        self.broken = False
        self.lock = OutputLock(path)
        if not self.lock.acquire():
            raise OutputBusy(self.lock.path)
        try:
            self._start(resume, keep)
        except BaseException:
            self.lock.release()
            raise

    def _start(self, resume: bool, keep: Callable[[dict], bool]) -> None:
        kept: list[bytes] = []
        if resume:
            source = self.part if self.part.exists() else self.path if self.path.exists() else None
            seen: set[tuple] = set()
            for raw in source.read_bytes().split(b"\n") if source else []:
                try:
                    entry = json.loads(raw)
                except ValueError:
                    continue  # the torn last line of a killed run
                key = (entry.get("input"), entry.get("line"))
                if isinstance(entry, dict) and key not in seen and keep(entry):
                    seen.add(key)
                    kept.append(raw + b"\n")
        write_atomically(self.part, b"".join(kept))
        self.file: IO[bytes] = self.part.open("ab")

    def write(self, entries: Sequence[dict]) -> None:
        if not entries or self.broken:
            return
        try:
            self.file.write(b"".join(jsonl.json_line(e) for e in entries))
            self.file.flush()
            os.fsync(self.file.fileno())
        except OSError as e:
            self._fail(e)

    def finish(self) -> None:
        if self.broken:
            return
        try:
            self.file.close()
            os.replace(self.part, self.path)
        except OSError as e:
            self._fail(e)
        self.lock.release()

    def close(self) -> None:
        _close_quietly(self.file)
        self.lock.release()

    def _fail(self, error: OSError) -> None:
        self.broken = True
        self.close()
        self.report.add(Problem(str(self.path), None, f"cannot be written ({error.strerror or error}); the "
                                f"{self.what} is incomplete (left as {self.part.name}), translation goes on"))


def _close_quietly(file: IO[bytes] | None) -> None:
    """Close after a failure: the buffered bytes were never final, so a second error flushing them is moot."""
    if file is not None:
        try:
            file.close()
        except OSError:
            pass


class ReportLogs:
    """The --terms and --review logs as one: units write each item's whole entry (input, line, id, terms,
    flags, sentences) and each log keeps its own fields of it."""

    def __init__(self, logs: Sequence[tuple[TermsLog, tuple[str, ...]]]):
        self.logs = list(logs)
        other = {f for _, fields in self.logs for f in fields} | {"terms", "flags", "sentences"}
        self.dropped = [other - set(fields) for _, fields in self.logs]

    def write(self, entries: Sequence[dict]) -> None:
        for (log, _), dropped in zip(self.logs, self.dropped):
            log.write([{k: v for k, v in e.items() if k not in dropped} for e in entries])

    def finish(self) -> None:
        for log, _ in self.logs:
            log.finish()

    def close(self) -> None:
        for log, _ in self.logs:
            log.close()


# -- units ---------------------------------------------------------------------------------------------------

class Unit:
    """One input and where its English goes. `input`/`output` None mean stdin/stdout."""

    def __init__(self, input: Path | None, output: Path | None, *, name: str | None = None,
                 stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None):
        self.input = input
        self.output = output
        self.name = name or (str(input) if input is not None else "<stdin>")
        self.stdin = stdin
        self.stdout = stdout
        self.outstanding = 0  # items handed out and not yet translated
        self.reading_done = False
        self.failed = False
        self.items_done = 0
        self.lock = OutputLock(output) if output is not None else None
        self.opened: os.stat_result | None = None  # the input file as it was when reading began
        self.lines_expected: int | None = None  # input lines this run goes through, once `items` knows
        self.lines_reported = 0  # … of which the progress has heard

    # Overridden per format.
    def complete_already(self) -> bool:
        return False

    def prepare_resume(self) -> None:
        """Called on resume for a unit that is not complete: pick up what is final."""

    def changed_since_planned(self) -> bool:
        """Whether another run has changed this unit's resume state since `prepare_resume` read it."""
        return False

    def open_output(self) -> None:
        """Once the output is locked, before the first item: open what the unit writes as it goes."""

    def check_input(self) -> None:
        """InputChanged if the input file is no longer the one being read (checked before anything is final)."""
        if self.input is not None and self.opened is not None:
            try:
                now = file_identity(self.input.stat())
            except OSError:
                now = None
            if now != file_identity(self.opened):
                raise InputChanged

    def keeps_terms_entry(self, entry: dict) -> bool:
        return False

    def items(self, report: RunReport) -> Iterator[Item]:
        raise NotImplementedError

    def accept(self, item: Item, translations: list[Translation]) -> None:
        raise NotImplementedError

    def commit(self, terms: TermsLog | None) -> None:
        """Make what was accepted so far final (on disk or on stdout)."""

    def finish(self, terms: TermsLog | None, report: RunReport) -> None:
        """All items read and translated: the output becomes complete."""

    def abandon(self) -> None:
        """The run stops early (interrupted): keep what is final, release files."""

    def _read_input(self) -> bytes:
        if self.input is None:
            return self.stdin.read()
        with self.input.open("rb") as f:
            self.opened = os.fstat(f.fileno())
            return f.read()

    def _write_stdout(self, data: bytes) -> None:
        self.stdout.write(data)
        self.stdout.flush()


def line_count(data: str | bytes) -> int:
    """Lines as an editor counts them: the last one counts without its line break too."""
    newline = "\n" if isinstance(data, str) else b"\n"
    return data.count(newline) + (bool(data) and not data.endswith(newline))


class DocumentUnit(Unit):
    """A file read whole (or stdin) in a format of `translate.documents` (text, HTML, Markdown, DOCX, SRT): each
    segment is an item, and the English is written whole, atomically, once every segment is translated."""

    def __init__(self, *args: Any, format: str = "text", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.format = format
        self.document: documents.Document | None = None
        self.english: dict[int, Translation] = {}

    def complete_already(self) -> bool:
        # An output exists only once complete (atomic write); it is stale if the input changed since.
        return (self.output is not None and self.output.exists() and self.input is not None
                and self.output.stat().st_mtime_ns >= self.input.stat().st_mtime_ns)

    def keeps_terms_entry(self, entry: dict) -> bool:
        return self.complete_already()

    def items(self, report: RunReport) -> Iterator[Item]:
        try:
            data = self._read_input()
        except OSError as e:
            self.failed = True
            report.add(Problem(self.name, None, f"cannot be read ({e.strerror or e}); file skipped"))
            return
        try:
            self.document = documents.read(data, self.format)
        except DocumentError as e:
            self.failed = True
            report.add(Problem(self.name, e.line, e.problem + "; file skipped"))
            return
        segments = self.document.segments()
        # For text, the parts' lines add up to the file's; a markup file's progress is its segments' lines.
        self.lines_expected = line_count(data) if self.format == documents.text.NAME else sum(map(line_count, segments))
        whole = "\n".join(segments)
        for i, segment in enumerate(segments):
            yield Item(self, i, [segment], lines=line_count(segment), document=whole)

    def accept(self, item: Item, translations: list[Translation]) -> None:
        self.english[item.number] = translations[0]

    def finish(self, terms: TermsLog | None, report: RunReport) -> None:
        if self.failed:
            return
        self.check_input()
        sources = self.document.segments()
        parts = [self.english[i] for i in range(len(sources))]
        data = self.document.rebuild(parts)
        if terms is not None:
            # Offsets into the document's text (`Document.terms`): for text, into the whole file.
            found = [t.as_dict() for t in self.document.terms(parts)]
            # Flags point into the English: the parts' English put end to end.
            flags = [f.shifted(s).as_dict() for p, s in zip(parts, starts_of([p.text for p in parts])) for f in p.flags]
            terms.write([{"input": self.name, "line": None, "terms": found, "flags": flags,
                          "sentences": sum(p.sentences for p in parts)}])
        if self.output is None:
            self._write_stdout(data)
        else:
            write_atomically(self.output, data)
        self.items_done = 1
        report.units_done += 1


class JsonlUnit(Unit):
    """A JSONL file (or stdin) of news records; `fields` are translated, everything else passes through."""

    def __init__(self, *args: Any, fields: Sequence[str], terms_field: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields = list(fields)
        self.terms_field = terms_field
        self.part = self.output.with_name(self.output.name + PART_SUFFIX) if self.output else None
        self.state_path = self.output.with_name(self.output.name + STATE_SUFFIX) if self.output else None
        self.resume_line = 0  # input lines already final
        self.resume_bytes = 0
        self.resume_problems: list[tuple[int, str]] = []
        self.line = 0  # input lines final after the latest commit
        self.problems: list[Problem] = []
        self.pending: list[tuple[int, bytes, dict | None]] = []  # (line, output record, terms entry)
        self.records_with_fields = 0
        self.records = 0
        self.file: IO[bytes] | None = None
        self.planned_state: bytes | None = None  # the state file as prepare_resume read it

    def complete_already(self) -> bool:
        return (self.output is not None and self.input is not None and self.output.exists()
                and not self.part.exists() and self.output.stat().st_mtime_ns >= self.input.stat().st_mtime_ns)

    def _identity(self, st: os.stat_result | None) -> dict[str, Any]:
        source = input_identity(self.input, st) if self.input is not None else {"input": self.name}
        return {**source, "fields": self.fields, "terms_field": self.terms_field}

    def _read_state(self) -> bytes | None:
        try:
            return self.state_path.read_bytes()
        except OSError:
            return None

    def prepare_resume(self) -> None:
        self.planned_state = self._read_state()
        try:
            state = json.loads(self.planned_state)
        except (TypeError, ValueError):
            return  # no usable state: start this file again
        if not self.part.exists() or any(state.get(k) != v for k, v in self._identity(self.input.stat()).items()):
            return  # the input or the options changed: what was written no longer matches it
        if self.part.stat().st_size < state["bytes"]:
            return
        self.resume_line = self.line = state["line"]
        self.resume_bytes = state["bytes"]
        self.resume_problems = state.get("problems", [])
        self.items_done = state.get("items", 0)

    def changed_since_planned(self) -> bool:
        return self._read_state() != self.planned_state

    def keeps_terms_entry(self, entry: dict) -> bool:
        if self.complete_already():
            return True
        return isinstance(entry.get("line"), int) and entry["line"] <= self.resume_line

    def open_output(self) -> None:
        if self.output is None:
            return
        self.file = self.part.open("ab" if self.resume_bytes else "wb")
        self.file.truncate(self.resume_bytes)
        self.file.seek(self.resume_bytes)

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        if self.input is None:
            stream = self.stdin
        else:
            stream = self.input.open("rb")
            self.opened = os.fstat(stream.fileno())
            # Counted first so that the progress has a total; a second pass over a file is cheap.
            with self.input.open("rb") as counting:
                self.lines_expected = max(0, sum(1 for _ in counting) - self.resume_line)
        try:
            yield from jsonl.lines(stream)
        finally:
            if self.input is not None:
                stream.close()

    def items(self, report: RunReport) -> Iterator[Item]:
        for line, message in self.resume_problems:  # found by the earlier run: still missing from the output
            problem = Problem(self.name, line, message)
            self.problems.append(problem)
            report.add(problem)
        try:
            read_up_to = self.resume_line
            for number, raw in self._lines():
                if number <= self.resume_line or not raw.strip():
                    continue
                item = self._parse(number, raw)
                if isinstance(item, Problem):
                    self.problems.append(item)
                    report.add(item)
                else:
                    item.lines, read_up_to = number - read_up_to, number
                    yield item
        except OSError as e:
            self.failed = True
            report.add(Problem(self.name, None, f"cannot be read ({e.strerror or e}); file skipped"))

    def _parse(self, number: int, raw: bytes) -> Item | Problem:
        try:
            record = jsonl.parse_record(raw, number)
            present = jsonl.texts_of(record, self.fields, number)
        except DocumentError as e:
            return Problem(self.name, number, f"{e.problem}; record skipped")
        self.records += 1
        self.records_with_fields += bool(present)
        return Item(self, number, [record[name] for name in present], payload=(record, present))

    def accept(self, item: Item, translations: list[Translation]) -> None:
        record, present = item.payload
        jsonl.put_back(record, present, [t.text for t in translations])
        found = {name: [term.as_dict() for term in t.terms] for name, t in zip(present, translations)}
        if self.terms_field:
            record[self.terms_field] = found
        entry = {"input": self.name, "line": item.number, "terms": found,
                 "flags": {name: [f.as_dict() for f in t.flags] for name, t in zip(present, translations)},
                 "sentences": sum(t.sentences for t in translations)}
        if "id" in record and isinstance(record["id"], (str, int)):
            entry["id"] = record["id"]
        self.pending.append((item.number, jsonl.json_line(record), entry))

    def commit(self, terms: TermsLog | None) -> None:
        if not self.pending or self.failed:
            return
        self.check_input()  # records of a rewritten input must not be marked final
        if terms is not None:
            terms.write([entry for _, _, entry in self.pending])
        data = b"".join(record for _, record, _ in self.pending)
        self.line = self.pending[-1][0]
        self.items_done += len(self.pending)
        self.pending = []
        if self.output is None:
            self._write_stdout(data)
            return
        self.file.write(data)
        self.file.flush()
        os.fsync(self.file.fileno())
        # Only now that the records are on disk may the state say they are final.
        state = {**self._identity(self.opened), "line": self.line, "bytes": self.file.tell(),
                 "items": self.items_done,
                 "problems": [[p.line, p.message] for p in self.problems if p.line <= self.line]}
        # ASCII JSON: a file name that is not valid UTF-8 holds surrogates, which only escaped are valid.
        write_atomically(self.state_path, json.dumps(state).encode("ascii"))

    def finish(self, terms: TermsLog | None, report: RunReport) -> None:
        if self.failed:
            return
        self.commit(terms)
        if self.records and not self.records_with_fields and not self.resume_line:
            report.add(Problem(
                self.name, None, f"no record has the field(s) {', '.join(self.fields)}; nothing was translated "
                f"(name the fields with --fields)"))
        if self.output is not None:
            self.check_input()  # the lines read after the last commit
            self.file.close()
            os.replace(self.part, self.output)
            self.state_path.unlink(missing_ok=True)
        report.units_done += 1

    def abandon(self) -> None:
        _close_quietly(self.file)


# -- the job -------------------------------------------------------------------------------------------------

class Job:
    """Translate units in order, many items per engine call, committing after each chunk."""

    def __init__(self, translator: Any, *, chunk_items: int = CHUNK_ITEMS, chunk_chars: int = CHUNK_CHARS,
                 terms: Path | None = None, progress: Progress | None = None,
                 on_problem: Callable[[Problem], None] | None = None, review: Path | None = None):
        self.translator = translator
        self.chunk_items = max(1, chunk_items)
        self.chunk_chars = max(1, chunk_chars)
        self.terms_path = terms
        self.review_path = review  # the flags' JSONL log (--review FILE)
        self.progress = progress or Progress()
        self.on_problem = on_problem

    def run(self, units: Sequence[Unit], *, resume: bool = False) -> RunReport:
        report = RunReport(on_problem=self.on_problem)
        todo: list[Unit] = []
        for unit in units:
            if resume and unit.complete_already():
                report.units_skipped += 1
                if isinstance(unit, JsonlUnit):
                    unit.state_path.unlink(missing_ok=True)  # left by a run killed just after its rename
                continue
            if resume:
                unit.prepare_resume()
                report.items_resumed += unit.items_done
            todo.append(unit)

        by_name = {u.name: u for u in units}
        logs = []
        for path, what, fields in ((self.terms_path, "term report", ("terms",)),
                                   (self.review_path, "review report", ("flags", "sentences"))):
            if path is None:
                continue
            try:
                logs.append((TermsLog(path, report, resume=resume, what=what, keep=lambda e: e.get("input") in by_name
                                      and by_name[e["input"]].keeps_terms_entry(e)), fields))
            except (OSError, OutputBusy) as e:
                reason = (f"another uk-en run is writing it (lock {e})" if isinstance(e, OutputBusy)
                          else f"cannot be written ({e.strerror or e})")
                report.add(Problem(str(path), None, f"{reason}; no {what} this run, translation goes on"))
        terms = ReportLogs(logs) if logs else None
        self.progress.start(len(todo))
        chunk: list[Item] = []
        chars = 0
        opened: list[Unit] = []
        try:
            for unit in todo:
                if not self._claim(unit, resume, report):
                    self.progress.unit_done()
                    continue
                opened.append(unit)
                announced = False
                for item in unit.items(report):
                    if not announced:
                        self._announce(unit)
                        announced = True
                    unit.outstanding += 1
                    chunk.append(item)
                    chars += sum(len(t) for t in item.texts)
                    if len(chunk) >= self.chunk_items or chars >= self.chunk_chars:
                        self._translate(chunk, terms, report)
                        chunk, chars = [], 0
                unit.reading_done = True
                if not announced:
                    self._announce(unit)
                if unit.outstanding == 0:
                    self._finish(unit, terms, report)
            self._translate(chunk, terms, report)
            if terms is not None:
                terms.finish()
        except KeyboardInterrupt:
            report.interrupted = True
            for unit in opened:
                unit.abandon()
            if terms is not None:
                terms.close()
        finally:
            for unit in opened:
                if unit.lock is not None:
                    unit.lock.release()
            self.progress.stop()
        report.items_done = sum(u.items_done for u in todo) - report.items_resumed
        return report

    def _claim(self, unit: Unit, resume: bool, report: RunReport) -> bool:
        """Lock the unit's output and open it; False (reported) when another run has it or it cannot be made."""
        problem = None
        try:
            if unit.lock is not None and not unit.lock.acquire():
                problem = f"another uk-en run is writing it (lock {unit.lock.path}); file skipped"
            elif resume and unit.changed_since_planned():
                problem = "another uk-en run wrote it while this one started; file skipped (run again with --resume)"
            else:
                unit.open_output()
        except OSError as e:
            problem = f"cannot be written ({e.strerror or e}); file skipped"
        if problem is None:
            return True
        if unit.lock is not None:
            unit.lock.release()
        report.add(Problem(str(unit.output), None, problem))
        return False

    def _announce(self, unit: Unit) -> None:
        if unit.lines_expected is not None:
            self.progress.expect(unit.lines_expected)

    def _finish(self, unit: Unit, terms: TermsLog | None, report: RunReport) -> None:
        # Lines that were no item (blank, malformed, or a file that failed) are done too.
        rest = (unit.lines_expected or 0) - unit.lines_reported
        if rest > 0:
            unit.lines_reported += rest
            self.progress.advance(rest)
        try:
            unit.finish(terms, report)
        except OSError as e:
            self._cannot_write(unit, e, report)
        except InputChanged:
            self._input_changed(unit, report)
        if unit.lock is not None:
            unit.lock.release()
        self.progress.unit_done()

    def _commit(self, unit: Unit, terms: TermsLog | None, report: RunReport) -> None:
        try:
            unit.commit(terms)
        except OSError as e:
            self._cannot_write(unit, e, report)
        except InputChanged:
            self._input_changed(unit, report)

    def _cannot_write(self, unit: Unit, error: OSError, report: RunReport) -> None:
        unit.failed = True
        unit.abandon()
        report.add(Problem(str(unit.output or "<stdout>"), None, f"cannot be written ({error.strerror or error})"))

    def _input_changed(self, unit: Unit, report: RunReport) -> None:
        unit.failed = True
        unit.abandon()
        report.add(Problem(unit.name, None, "changed while it was being translated; its output was not completed "
                           "(translate it again)"))

    def _translate(self, chunk: list[Item], terms: TermsLog | None, report: RunReport) -> None:
        if not chunk:
            return
        results = self._documents(chunk, report)
        touched: list[Unit] = []
        for item, translations in zip(chunk, results):
            item.unit.outstanding -= 1
            item.unit.lines_reported += item.lines
            if item.unit not in touched:
                touched.append(item.unit)
            if translations is not None and not item.unit.failed:
                item.unit.accept(item, translations)
                report.sentences += sum(t.sentences for t in translations)
                report.flagged += sum(flagged_sentences(t.flags) for t in translations)
        self.progress.advance(sum(item.lines for item in chunk))
        for unit in touched:
            if unit.reading_done and unit.outstanding == 0:
                self._finish(unit, terms, report)
            else:
                self._commit(unit, terms, report)

    def _documents(self, chunk: list[Item], report: RunReport) -> list[list[Translation] | None]:
        """Each item's translations: all texts of the chunk in one call, or item by item if that call fails,
        so that one item the engine cannot handle fails alone (None, reported) and the rest go on."""
        texts = [t for item in chunk for t in item.texts]
        try:
            flat = self.translator.translate_documents(texts, contexts=[c for item in chunk for c in item.contexts()])
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as e:  # noqa: BLE001 — narrowed down below, then reported with the item's place
            if len(chunk) == 1:
                return [self._failed(chunk[0], e, report)]
            return [self._alone(item, report) for item in chunk]
        out: list[list[Translation] | None] = []
        pos = 0
        for item in chunk:
            out.append(flat[pos : pos + len(item.texts)])
            pos += len(item.texts)
        return out

    def _alone(self, item: Item, report: RunReport) -> list[Translation] | None:
        try:
            return self.translator.translate_documents(item.texts, contexts=item.contexts())
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as e:  # noqa: BLE001
            return self._failed(item, e, report)

    def _failed(self, item: Item, error: Exception, report: RunReport) -> None:
        unit = item.unit
        jsonl = isinstance(unit, JsonlUnit)
        problem = Problem(unit.name, item.number if jsonl else None,
                          f"translation failed ({type(error).__name__}: {error}); skipped")
        if jsonl:
            unit.problems.append(problem)
        else:
            unit.failed = True  # a text file is written whole or not at all
        report.add(problem)
        return None

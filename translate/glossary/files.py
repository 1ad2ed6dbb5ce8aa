"""Glossary files: TSV and CSV.

Takes a path (``.csv`` with the header row ``uk,en[,options][,note]``, anything else TSV
``source<TAB>target[<TAB>options][<TAB>note]``) and returns its validated entries (`read_entries`).
Every malformed byte, row or cell raises `GlossaryError` naming the file and the line.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Callable, Iterator

from translate.errors import GlossaryError
from translate.glossary.entries import Entry, entries_from_rows

_CSV_HEADER = "a CSV glossary starts with the header row uk,en[,options][,note]"


def read_entries(path: str | os.PathLike) -> list[Entry]:
    """The entries of the glossary file at `path`, in file order."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise GlossaryError("glossary file not found", file=name) from None
    except OSError as exc:
        raise GlossaryError(f"cannot read glossary file ({exc.strerror or exc})", file=name) from None
    lines = _decode_lines(data, name)
    rows = _csv_rows(lines, name) if name.lower().endswith(".csv") else _tsv_rows(lines, name)
    return entries_from_rows(rows, name)


def _decode_lines(data: bytes, name: str) -> list[tuple[int, str]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    out = []
    for n, raw in enumerate(data.split(b"\n"), 1):
        try:
            out.append((n, raw.decode("utf-8").rstrip("\r")))
        except UnicodeDecodeError as exc:
            raise GlossaryError(f"invalid UTF-8 (byte {exc.start + 1} of the line); save the file as UTF-8",
                                file=name, line=n) from None
    return out


def _is_skipped(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _tsv_rows(lines: list[tuple[int, str]], name: str) -> list[tuple]:
    rows = []
    first = True
    for n, line in lines:
        if _is_skipped(line):
            continue
        cols = line.split("\t")
        if first:
            first = False
            names = [c.strip().lower() for c in cols[:2]]
            if len(names) == 2 and names[0] in ("uk", "source") and names[1] in ("en", "target"):
                continue
        if not 2 <= len(cols) <= 4:
            hint = " (columns must be separated by tabs)" if len(cols) == 1 and "  " in line.strip() else ""
            raise GlossaryError(f"expected 2 to 4 tab-separated columns (source, target[, options][, note]),"
                                f" found {len(cols)}{hint}", file=name, line=n)
        rows.append((n, *cols, *([None] * (4 - len(cols)))))
    return rows


def _csv_rows(lines: list[tuple[int, str]], name: str) -> list[tuple]:
    text = "\n".join(line for _, line in lines)
    reader = csv.reader(io.StringIO(text))
    header = None
    rows = []
    line = 1
    for row in _csv_records(reader, name, lambda: line):
        n, line = line, reader.line_num + 1  # the row began on line n
        if not row or (len(row) == 1 and not row[0].strip()) or row[0].strip().startswith("#"):
            continue
        if header is None:
            cells = [c.strip().lower() for c in row]
            if cells[:2] not in (["uk", "en"], ["source", "target"]) or any(
                c not in ("options", "note") for c in cells[2:]
            ) or len(set(cells)) != len(cells):
                raise GlossaryError(_CSV_HEADER, file=name, line=n)
            header = cells
            continue
        if not 2 <= len(row) <= len(header):
            raise GlossaryError(f"expected {len(header)} comma-separated columns ({','.join(header)}),"
                                f" found {len(row)}", file=name, line=n)
        cols = dict(zip(header, row))
        source, target = cols.get("uk", cols.get("source")), cols.get("en", cols.get("target"))
        rows.append((n, source, target, cols.get("options"), cols.get("note")))
    if header is None:
        raise GlossaryError(_CSV_HEADER, file=name, line=1)
    return rows


def _csv_records(reader, name: str, line: Callable[[], int]) -> Iterator[list[str]]:
    """The reader's rows; what the csv module cannot parse becomes a GlossaryError at the row's first line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            text = str(exc)
            if text.startswith("new-line character"):
                problem = "a carriage return (CR) inside an unquoted field; quote the field or remove the CR"
            elif text.startswith("field larger than field limit"):
                problem = (f"a field longer than {csv.field_size_limit():,} characters"
                           " (a quote that is never closed?)")
            else:
                problem = f"not readable as CSV ({text})"
            raise GlossaryError(problem, file=name, line=line()) from None
        yield row

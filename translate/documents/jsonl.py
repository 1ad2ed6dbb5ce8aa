"""JSONL (.jsonl, .ndjson): one JSON object per line; the named text fields are translated, every other field
(ids, dates, URLs) passes through unchanged, records keep their order.

Per record, for streaming callers (the CLI's resumable units): `lines(stream)` numbers the raw lines (a BOM
on the first is dropped), `parse_record(raw)` reads one, `texts_of(record, fields)` says which fields it has
to translate, `put_back(record, names, english)` writes the English in, `json_line(value)` serialises a
record (or any JSON value) as one UTF-8 line. For a whole file in memory (the web page): `JsonlDocument`,
whose `skipped` lists the lines that could not be read. Every problem is a `DocumentError` with its line.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator, Sequence

from translate.documents.document import DocumentError, english_of, segment_terms
from translate.documents.text import BOM, not_utf8

NAME = "jsonl"
SUFFIXES = (".jsonl", ".ndjson")
# One default for every surface: the common names of a news item's headline and body ("text" in many
# datasets). Absent fields are simply not translated.
DEFAULT_FIELDS = ("title", "body", "text")


def lines(stream: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """(1-based line number, raw line) of a JSONL stream, the first line's UTF-8 BOM removed."""
    for number, raw in enumerate(stream, 1):
        if number == 1 and raw.startswith(BOM.encode()):
            raw = raw[len(BOM.encode()):]
        yield number, raw


def parse_record(raw: bytes, line: int | None = None) -> dict[str, Any]:
    """One JSONL line as a JSON object, or DocumentError saying in a few words why it is not one."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DocumentError(not_utf8(raw, e).problem, line=line) from None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as e:
        raise DocumentError(f"not valid JSON ({e.msg} at column {e.colno})", line=line) from None
    except RecursionError:
        raise DocumentError("JSON nested too deeply to read", line=line) from None
    if not isinstance(record, dict):
        raise DocumentError(f"not a JSON object but {type(record).__name__}", line=line)
    return record


def texts_of(record: dict[str, Any], fields: Sequence[str], line: int | None = None) -> list[str]:
    """The names of `fields` this record has text in (absent or null ones have nothing to translate);
    DocumentError when one holds something else than text."""
    present = []
    for name in fields:
        value = record.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise DocumentError(f"field '{name}' is {type(value).__name__}, not text", line=line)
        present.append(name)
    return present


def put_back(record: dict[str, Any], names: Sequence[str], english: Sequence[str]) -> dict[str, Any]:
    """`record` with `english[i]` in field `names[i]` (in place; returned for convenience)."""
    record.update(zip(names, english))
    return record


def json_line(value: Any) -> bytes:
    """`value` as one JSON line of UTF-8 bytes."""
    try:
        return (json.dumps(value, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (from a \\ud800 escape): only an escaped form is valid UTF-8
        return (json.dumps(value) + "\n").encode("ascii")


class JsonlDocument:
    """A whole JSONL file: its readable records, their `fields` as segments; unreadable lines in `skipped`."""

    def __init__(self, data: bytes, fields: Sequence[str] = DEFAULT_FIELDS):
        self.fields = tuple(fields)
        self.records: list[tuple[dict[str, Any], list[str]]] = []  # (record, the names it has to translate)
        self.skipped: list[DocumentError] = []
        for number, raw in lines(data.split(b"\n")):
            if not raw.strip():
                continue
            try:
                record = parse_record(raw, number)
                self.records.append((record, texts_of(record, self.fields, number)))
            except DocumentError as e:
                self.skipped.append(e)

    def segments(self) -> list[str]:
        return [record[name] for record, names in self.records for name in names]

    def rebuild(self, translations: Sequence[Any]) -> bytes:
        english = iter(translations)
        return b"".join(json_line(put_back(dict(record), names, [english_of(next(english)) for _ in names]))
                        for record, names in self.records)

    def terms(self, translations: Sequence[Any]) -> list:
        """Term offsets into the translated fields put end to end (file order)."""
        return segment_terms(self.segments(), translations)

    def text_count(self) -> int:
        return len(self.segments())

    def summary(self) -> str:
        return (f"{len(self.records)} records, {sum(len(names) for _, names in self.records)} fields translated "
                f"({', '.join(self.fields)}).")


def read(data: bytes, *, fields: Sequence[str] = DEFAULT_FIELDS) -> JsonlDocument:
    return JsonlDocument(data, fields)

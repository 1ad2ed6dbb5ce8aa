"""The document layer: an input (a text file, a JSONL file or record; later HTML, Markdown, DOCX, SRT) as
translatable segments, and its English put back together, for every surface (Python API, CLI, web, HTTP).

Takes an input's bytes and its format name (`format_of(path)` picks one by extension); `read(data, format)`
returns a `Document`: `segments()` are the texts to translate, `rebuild(english)` the translated bytes.
One module per format (`text`, `jsonl`), each with `NAME`, `SUFFIXES` and `read(data, *, fields)`; a new
format is a new module listed in `FORMATS`. Streaming callers use a module's per-record functions instead
(see `translate.documents.jsonl`). A file that cannot be read as its format raises `DocumentError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from translate.documents import jsonl, text
from translate.documents.document import Document, DocumentError

FORMATS = {module.NAME: module for module in (text, jsonl)}
SUFFIXES = tuple(suffix for module in FORMATS.values() for suffix in module.SUFFIXES)
DEFAULT_FIELDS = jsonl.DEFAULT_FIELDS

__all__ = ["DEFAULT_FIELDS", "FORMATS", "SUFFIXES", "Document", "DocumentError", "format_of", "read"]


def format_of(path: Path | str, forced: str = "auto") -> str:
    """The format of `path`: `forced` unless it is "auto", else by extension; text for anything else."""
    if forced != "auto":
        return forced
    suffix = Path(path).suffix.lower()
    return next((name for name, module in FORMATS.items() if suffix in module.SUFFIXES), text.NAME)


def read(data: bytes, format: str, *, fields: Sequence[str] = DEFAULT_FIELDS) -> Document:
    """`data` read as `format` (a name of `FORMATS`); `fields` are the JSONL fields to translate."""
    return FORMATS[format].read(data, fields=fields)

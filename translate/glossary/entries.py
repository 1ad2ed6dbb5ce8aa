"""Glossary entries, their options, and the matches found of them.

Takes a glossary file's cells or pairs given in code: `parse_options` turns ``key=value;…`` into a
dict, `rows_from_pairs` numbers pairs as rows, and `entries_from_rows` turns numbered
``(line, source, target, options, note)`` rows into validated `Entry` objects (raising
`GlossaryError` with the file and line). `Match` is what `Glossary.find` returns for each term found
in a text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translate.errors import GlossaryError
from translate.morphology import TOKEN_RE, fold

_CASE_VALUES = ("auto", "exact", "any")
_MATCH_VALUES = ("inflect", "exact")
_PERSON_VALUES = ("yes", "no")  # person=: inflect the headword as a person's name, or never
_OPTION_KEYS = ("case", "match", "forms", "plural", "singular", "person", "start")


@dataclass(frozen=True, eq=True)
class Entry:
    """One glossary line: Ukrainian `source` (headword), English `target` (the headword's own number),
    parsed `options` (keys case, match, forms, plural, singular, person, start; only those given), free-text `note`,
    and where it came from."""

    source: str
    target: str
    options: dict = field(default_factory=dict)
    note: str = ""
    line: int | None = None
    file: str | None = None

    def __hash__(self) -> int:
        return hash((self.source, self.target, options_key(self.options)))

    @property
    def where(self) -> str:
        """`file:line` (or what is known of it), for messages."""
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or (f"line {self.line}" if self.line else "glossary")


@dataclass(frozen=True)
class Match:
    """A glossary term found in text: ``surface == original[start:end]``, an inflected form of the
    entry's `headword`, to be rendered as `target` — the English for this occurrence: the entry's own
    target, or its other number's where the form is of the other number (посли → "ambassadors" for
    посол → "ambassador"); `plural` says whether the form is plural.

    weak: the match rests on capitalisation that may be incidental — a sentence-initial (or
    ALL-CAPS) word that also reads as a common word (Зборів at a sentence start: the Assembly's,
    or «of collections»).
    """

    start: int
    end: int
    surface: str
    headword: str
    target: str
    entry: Entry
    weak: bool = False
    plural: bool = False

    # `source` and `text` are the documented older names (README, design notes) of `headword` and `surface`.
    @property
    def source(self) -> str:
        return self.headword

    @property
    def text(self) -> str:
        return self.surface


def options_key(options: dict) -> tuple:
    """`options` as a hashable, order-independent tuple."""
    return tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in options.items()))


def source_key(source: str) -> str:
    """What makes two headwords the same entry."""
    # Same source = same words after apostrophe/look-alike folding; case matters (Збори ≠ збори).
    return " ".join(fold(source).split())


def parse_options(text: str) -> dict:
    """``key=value;key=value`` → dict; raises ValueError with a one-line reason."""
    options: dict = {}
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        key, eq, value = part.partition("=")
        key, value = key.strip().lower(), value.strip()
        if key not in _OPTION_KEYS:
            raise ValueError(f"unknown option {key!r} (known: {', '.join(_OPTION_KEYS)})")
        if not eq or not value:
            raise ValueError(f"option {key!r} needs a value ({key}=...)")
        if key in options:
            raise ValueError(f"option {key!r} given twice")
        if key == "case" and value.lower() not in _CASE_VALUES:
            raise ValueError(f"bad value {value!r} for option case (expected {', '.join(_CASE_VALUES)})")
        if key == "match" and value.lower() not in _MATCH_VALUES:
            raise ValueError(f"bad value {value!r} for option match (expected {', '.join(_MATCH_VALUES)})")
        if key == "person" and value.lower() not in _PERSON_VALUES:
            raise ValueError(f"bad value {value!r} for option person (expected yes or no)")
        if key == "start" and value.lower() not in ("auto", "strong"):
            raise ValueError(f"bad value {value!r} for option start (expected auto or strong)")
        if key == "forms":
            forms = tuple(f.strip() for f in value.split("|"))
            if not all(forms):
                raise ValueError("option forms has an empty form (forms=a|b|c)")
            for f in forms:
                _check_words(f, "form")
            options[key] = forms
        elif key in ("plural", "singular"):
            options[key] = value  # English, kept as written (Secretaries General)
        else:
            options[key] = value.lower()
    return options


def _check_words(text: str, what: str) -> None:
    if not TOKEN_RE.search(fold(text)):
        raise ValueError(f"{what} {text!r} has no letters or digits")
    if not (fold(text[0]).isalnum() and fold(text[-1]).isalnum()):
        raise ValueError(f"{what} {text!r} must begin and end with a letter or digit")


def _make_entry(source: str, target: str, options, note: str, file: str | None, line: int | None) -> Entry:
    """Validated Entry; raises ValueError (or TypeError for cells that are not text) with the reason."""
    source = " ".join((source or "").split())
    target = (target or "").strip()
    if not source:
        raise ValueError("empty source term")
    if not target:
        raise ValueError(f"empty target for {source!r}")
    _check_words(source, "source")
    if isinstance(options, dict):
        joined = {k: "|".join(v) if isinstance(v, (list, tuple)) else v for k, v in options.items()}
        opts = parse_options(";".join(f"{k}={v}" for k, v in joined.items()))
    else:
        opts = parse_options(options or "")
    return Entry(source, target, opts, (note or "").strip(), line, file)


def rows_from_pairs(pairs) -> list[tuple]:
    """``(source, target[, options[, note]])`` pairs as numbered rows for `entries_from_rows`."""
    rows = []
    for n, pair in enumerate(pairs, 1):
        if isinstance(pair, str) or not 2 <= len(pair) <= 4:
            raise _row_error(f"expected (source, target[, options[, note]]), got {pair!r}", None, n)
        source, target, options, note = (*pair, None, None)[:4]
        rows.append((n, source, target, options, note))
    return rows


def entries_from_rows(rows: list[tuple], file: str | None) -> list[Entry]:
    """Entries from ``(line, source, target, options, note)`` rows of `file`, or, when `file` is None, from
    pairs given in code (``line`` then counts pairs). A source listed again must agree; an exact repeat is
    dropped."""
    entries: list[Entry] = []
    seen: dict[str, Entry] = {}
    for n, source, target, options, note in rows:
        try:
            entry = _make_entry(source, target, options, note, file, n if file else None)
        except (ValueError, TypeError) as exc:
            raise _row_error(str(exc), file, n) from None
        key = source_key(entry.source)
        prev = seen.get(key)
        if prev is not None:
            earlier = f"line {prev.line}" if prev.line else "an earlier pair"
            if prev.target != entry.target:
                raise _row_error(f"{entry.source!r} is already listed on {earlier} with target {prev.target!r},"
                                 f" here {entry.target!r}", file, n)
            if prev.options != entry.options:
                raise _row_error(f"{entry.source!r} is already listed on {earlier} with other options", file, n)
            continue
        seen[key] = entry
        entries.append(entry)
    return entries


def _row_error(problem: str, file: str | None, n: int) -> GlossaryError:
    if file is None:
        # Pairs given in code have no file or line: their position is part of the problem.
        return GlossaryError(f"pair {n}: {problem}")
    return GlossaryError(problem, file=file, line=n)

"""Glossaries: term lists, and finding their terms in any inflected form in Ukrainian text.

Takes a glossary file (``.tsv`` or ``.csv``, format in design.md) via `Glossary.load`, or
``(source, target[, options])`` pairs via `Glossary.from_pairs`; returns a `Glossary` whose
``find(text)`` gives `Match`es (character offsets into ``text``, the entry, its English target),
sorted and non-overlapping. Malformed input raises `GlossaryError` naming file and line.

Matching: each entry is expanded once into its inflected forms (`translate.morphology`), and the
forms go into a word trie keyed by normalised words. ``find`` walks the text's words through the
trie, leftmost match first and, from one start, the longest; case rules are then checked on the
original text. Nothing in the text is lemmatised.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from translate import morphology
from translate.errors import GlossaryError
from translate.morphology import CONJUNCTIONS, STRESS, TOKEN_RE, canonical_separator, fold, is_abbreviation, normalise

__all__ = ["Glossary", "Entry", "Match", "GlossaryError"]

_CASE_VALUES = ("auto", "exact", "any")
_MATCH_VALUES = ("inflect", "exact")
_OPTION_KEYS = ("case", "match", "forms")

# Per-word case requirements, from least to most specific.
_ANY, _CAP, _UPPER, _EXACT = 0, 1, 2, 3

# Expanding 10,000 entries takes a few seconds; past this much morphology time the expansions
# are written to the user's cache directory and reused while entries and library versions stay.
_CACHE_AFTER_S = 0.5
_CACHE_MIN_ENTRIES = 1000  # below this, expanding is faster than looking for a cache file
_CACHE_FORMAT = 1

_ONE_WORD = re.compile(r"[\w']+")
_NEXT_WORD = re.compile(r"([^\w\u0301]{1,20}?)([\w\u0301]+(?:'[\w\u0301]+)*)")
_SENTENCE_END = ".!?…"
_OPENERS = "\"'«»„“”‘’([{—–-•*·"


@dataclass(frozen=True, eq=True)
class Entry:
    """One glossary line: Ukrainian `source` (headword), English `target`, parsed `options`
    (keys case, match, forms; only those given), free-text `note`, and where it came from."""

    source: str
    target: str
    options: dict = field(default_factory=dict)
    note: str = ""
    line: int | None = None
    file: str | None = None

    def __hash__(self) -> int:
        return hash((self.source, self.target, _options_key(self.options)))

    @property
    def where(self) -> str:
        """`file:line` (or what is known of it), for messages."""
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or (f"line {self.line}" if self.line else "glossary")


@dataclass(frozen=True)
class Match:
    """A glossary term found in text: ``text == original[start:end]``.

    weak: the match rests on capitalisation that may be incidental — a sentence-initial (or
    ALL-CAPS) word that also reads as a common word (Зборів at a sentence start: the Assembly's,
    or «of collections»).
    """

    start: int
    end: int
    text: str
    source: str
    target: str
    entry: Entry
    weak: bool = False


def _options_key(options: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in options.items()))


def _source_key(source: str) -> str:
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
        if key == "forms":
            forms = tuple(f.strip() for f in value.split("|"))
            if not all(forms):
                raise ValueError("option forms has an empty form (forms=a|b|c)")
            for f in forms:
                _check_words(f, "form")
            options[key] = forms
        else:
            options[key] = value.lower()
    return options


def _check_words(text: str, what: str) -> None:
    if not TOKEN_RE.search(fold(text)):
        raise ValueError(f"{what} {text!r} has no letters or digits")
    if not (fold(text[0]).isalnum() and fold(text[-1]).isalnum()):
        raise ValueError(f"{what} {text!r} must begin and end with a letter or digit")


def _make_entry(source: str, target: str, options, note: str, file: str | None, line: int | None) -> Entry:
    """Validated Entry; raises ValueError with the reason."""
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


class _Record:
    """One surface form of one entry at a trie node."""

    __slots__ = ("entry", "classes", "cased", "display", "from_headword", "order")

    def __init__(self, entry: int, classes: tuple, cased: tuple, display: str, from_headword: bool):
        self.entry = entry
        self.classes = classes
        self.cased = cased
        self.display = display
        self.from_headword = from_headword
        # Who wins when two entries give one form: stricter case requirement, then an entry
        # whose headword (or listed form) it is over one that inflected into it, then the later
        # entry (so a glossary merged on top overrides).
        self.order = (-sum(classes), not from_headword, -entry)


class _Index:
    __slots__ = ("root", "collisions", "ungenerated", "lemmas", "has_exact")

    def __init__(self):
        self.root: dict = {}
        self.collisions: list = []
        self.ungenerated: list = []
        self.lemmas: list[frozenset] = []
        self.has_exact = False


# Expansions are pure functions of (headword, inflect): shared by every glossary in the process,
# so merging a session glossary onto the default one re-expands only the new entries. Least recently
# used first out past _EXPANSIONS_MAX (a few kB each): a server sees endless distinct request glossaries,
# and building a glossary touches all its entries, so the ones in use stay.
_EXPANSIONS_MAX = 20_000
_EXPANSIONS: dict[tuple[str, bool], morphology.Expansion] = {}  # insertion order = least recently used first
_EXPANSIONS_LOCK = threading.Lock()


def _expand(source: str, inflect: bool) -> morphology.Expansion:
    key = (_source_key(source), inflect)
    with _EXPANSIONS_LOCK:
        exp = _EXPANSIONS.pop(key, None)
        if exp is not None:
            _EXPANSIONS[key] = exp  # re-inserted: now the most recently used
            return exp
    return _remember(key, morphology.expand(source, inflect))


def _remember(key: tuple[str, bool], exp: morphology.Expansion) -> morphology.Expansion:
    with _EXPANSIONS_LOCK:
        _EXPANSIONS.pop(key, None)
        _EXPANSIONS[key] = exp
        while len(_EXPANSIONS) > _EXPANSIONS_MAX:
            del _EXPANSIONS[next(iter(_EXPANSIONS))]
    return exp


def _default_cache_dir() -> Path:
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("uk-en")) / "glossary"
    except ImportError:  # platformdirs is optional
        return Path.home() / ".cache" / "uk-en" / "glossary"


class Glossary:
    """An ordered set of entries; later entries override earlier ones with the same source.

    The match index is built on first use (``find``, ``forms``, ``collisions``, ``ungenerated``).
    ``cache_dir``: where built expansions of large glossaries are kept between runs (a private
    folder under the user cache directory by default); ``False`` turns that off.
    """

    def __init__(self, entries: Iterable[Entry] = (), *, cache_dir: str | os.PathLike | bool | None = None):
        by_source: dict[str, Entry] = {}
        for e in entries:
            by_source.pop(_source_key(e.source), None)  # re-insert so the override sits last
            by_source[_source_key(e.source)] = e
        self._entries = list(by_source.values())
        self._cache_dir = cache_dir
        self._index: _Index | None = None
        self._lock = threading.Lock()
        self._ambiguous: dict[tuple[str, int], bool] = {}
        self._fingerprint: str | None = None

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike, *, cache_dir: str | os.PathLike | bool | None = None) -> "Glossary":
        """Read a ``.csv`` (header ``uk,en[,options][,note]``) or TSV glossary file."""
        name = str(path)
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise GlossaryError(f"{name}: glossary file not found") from None
        except OSError as exc:
            raise GlossaryError(f"{name}: cannot read glossary file ({exc.strerror or exc})") from None
        lines = _decode_lines(data, name)
        rows = _csv_rows(lines, name) if name.lower().endswith(".csv") else _tsv_rows(lines, name)
        return cls(_check_rows(rows, name), cache_dir=cache_dir)

    @classmethod
    def from_pairs(cls, pairs: Iterable, *, cache_dir: str | os.PathLike | bool | None = None) -> "Glossary":
        """From ``(source, target)`` or ``(source, target, options)`` tuples (options a
        ``key=value;…`` string or a dict); errors name the pair's 1-based position."""
        rows = []
        for i, pair in enumerate(pairs, 1):
            if isinstance(pair, str) or not 2 <= len(pair) <= 4:
                raise GlossaryError(f"pair {i}: expected (source, target[, options[, note]]), got {pair!r}")
            source, target, options, note = (*pair, None, None)[:4]
            rows.append((i, source, target, options, note))
        return cls(_check_rows(rows, None), cache_dir=cache_dir)

    def merge(self, *others: "Glossary", cache_dir: str | os.PathLike | bool | None = None) -> "Glossary":
        """This glossary with `others` on top: their entries override same-source ones here and
        win form collisions. Usable as ``Glossary.merge(a, b)`` or ``a.merge(b)``. ``cache_dir``
        defaults to this glossary's (``False``: a one-off merge that must not be written to disk)."""
        entries = list(self._entries)
        for other in others:
            entries.extend(other.entries)
        return Glossary(entries, cache_dir=self._cache_dir if cache_dir is None else cache_dir)

    def __add__(self, other: "Glossary") -> "Glossary":
        if not isinstance(other, Glossary):
            return NotImplemented
        return self.merge(other)

    # ---- inspection ---------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self):
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"<Glossary: {len(self)} entries>"

    @property
    def entries(self) -> list[Entry]:
        return list(self._entries)

    @property
    def fingerprint(self) -> str:
        """Hash of the entries' sources, targets, options and order (not notes or line numbers)."""
        if self._fingerprint is None:
            content = [[e.source, e.target, [list(kv) for kv in _options_key(e.options)]] for e in self._entries]
            blob = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
            self._fingerprint = hashlib.sha256(blob).hexdigest()[:32]
        return self._fingerprint

    @property
    def collisions(self) -> list[tuple[str, Entry, Entry]]:
        """``(form, winner, loser)`` for each form two entries both generate. The winner is the
        entry with the stricter case rule, then the one whose headword the form is, then the
        later entry."""
        idx = self._built()
        return [(form, self._entries[a], self._entries[b]) for form, a, b in idx.collisions]

    @property
    def ungenerated(self) -> list[Entry]:
        """Entries morphology found no paradigm for; they match only as written (and `forms=`)."""
        return [self._entries[i] for i in self._built().ungenerated]

    def forms(self, source: str) -> list[str]:
        """Sorted surface forms the entry with headword `source` matches (cased like the headword)."""
        key = _source_key(source)
        for i, e in enumerate(self._entries):
            if e.source == source or _source_key(e.source) == key:
                return sorted({r.display for r in _records_of(self._built().root, i)})
        raise KeyError(f"no glossary entry {source!r}")

    # ---- index ----------------------------------------------------------------------------

    def _built(self) -> _Index:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._build()
        return self._index

    def _cache_path(self) -> Path | None:
        if self._cache_dir is False:
            return None
        base = Path(self._cache_dir) if self._cache_dir not in (None, True) else _default_cache_dir()
        return base / f"{self.fingerprint}.json"

    def _cache_key(self) -> str:
        return f"{_CACHE_FORMAT};{morphology.versions()};{self.fingerprint}"

    def _load_cached(self, path: Path | None) -> list[morphology.Expansion] | None:
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            keys = self._expansion_keys()
            if data.get("key") != self._cache_key() or len(data["expansions"]) != len(keys):
                return None
            loaded = [morphology.Expansion(tuple(forms), generated, frozenset(lemmas))
                      for forms, generated, lemmas in data["expansions"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged cache is rebuilt
        # Also into the shared cache, so a glossary merged onto this one does not expand these again.
        return [_remember((_source_key(s), inflect), exp) for (s, inflect), exp in zip(keys, loaded)]

    def _save_cached(self, path: Path | None, expansions: list[morphology.Expansion]) -> None:
        if path is None:
            return
        data = {
            "key": self._cache_key(),
            "expansions": [[list(x.forms), x.generated, sorted(x.lemmas)] for x in expansions],
        }
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            pass  # the cache only saves time

    def _expansion_keys(self) -> list[tuple[str, bool]]:
        return [(e.source, e.options.get("match", "inflect") == "inflect") for e in self._entries]

    def _build(self) -> _Index:
        # The index is ~100k small objects; generational GC passes over them would double the time.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._build_index()
        finally:
            if enabled:
                gc.enable()

    def _build_index(self) -> _Index:
        idx = _Index()
        cache = self._cache_path()
        keys = self._expansion_keys()
        missing = sum((_source_key(s), inflect) not in _EXPANSIONS for s, inflect in keys)
        expansions = self._load_cached(cache) if missing and len(keys) >= _CACHE_MIN_ENTRIES else None
        if expansions is None:
            t0 = time.perf_counter()
            expansions = [_expand(s, inflect) for s, inflect in keys]
            if len(keys) >= _CACHE_MIN_ENTRIES and time.perf_counter() - t0 > _CACHE_AFTER_S:
                self._save_cached(cache, expansions)

        terminals: dict[int, list] = {}  # id(node terminals) → list, to sort once at the end
        for i, (entry, exp) in enumerate(zip(self._entries, expansions)):
            if not exp.generated:
                idx.ungenerated.append(i)
            idx.lemmas.append(exp.lemmas)
            mode = entry.options.get("case", "auto")
            head_cased = _words(fold(entry.source))
            variants = [(f, head_cased, j == 0) for j, f in enumerate(exp.forms)]
            variants += [(normalise(f), _words(fold(f)), True) for f in entry.options.get("forms", ())]
            shapes: dict = {}  # (pattern id, word count) → case classes
            # Words shown as the glossary writes them (KFOR, Скоп’є), not in their folded spelling.
            written = {}
            for text in (entry.source, *entry.options.get("forms", ())):
                for m in TOKEN_RE.finditer(fold(text)):
                    written[normalise(m.group())] = text[m.start() : m.end()]
            for form, pattern, from_headword in variants:
                if _ONE_WORD.fullmatch(form):  # most forms: skip the general split
                    words, seps = [form.replace(STRESS, "")], []
                else:
                    words, seps = _split(form)
                    if not words or None in seps:
                        continue
                last = len(pattern) - 1
                cased = tuple(_apply_case(w, pattern[min(k, last)]) for k, w in enumerate(words))
                shape = (id(pattern), len(words))
                classes = shapes.get(shape)
                if classes is None:
                    if mode == "exact":
                        classes = (_EXACT,) * len(words)
                        idx.has_exact = True
                    elif mode == "any":
                        classes = (_ANY,) * len(words)
                    else:
                        classes = tuple(_auto_class(pattern[min(k, last)]) for k in range(len(words)))
                    shapes[shape] = classes
                shown = [written.get(w, c) for w, c in zip(words, cased)]
                display = shown[0] if not seps else "".join(c + s for c, s in zip(shown, (*seps, "")))
                node = idx.root.setdefault(words[0], [None, None])
                for sep, w in zip(seps, words[1:]):
                    if node[0] is None:
                        node[0] = {}
                    node = node[0].setdefault((sep, CONJUNCTIONS.get(w, w)), [None, None])
                if node[1] is None:
                    node[1] = []
                    terminals[id(node[1])] = node[1]
                node[1].append(_Record(i, classes, cased, display, from_headword))
        for recs in terminals.values():
            recs.sort(key=lambda r: r.order)
            seen = {recs[0].entry}
            for r in recs[1:]:
                if r.entry not in seen:
                    seen.add(r.entry)
                    idx.collisions.append((recs[0].display, recs[0].entry, r.entry))
        idx.collisions.sort(key=lambda c: (c[0], c[1], c[2]))
        return idx

    # ---- matching -------------------------------------------------------------------------

    def find(self, text: str) -> list[Match]:
        """Glossary terms in `text`: sorted by start, non-overlapping; from each start the
        longest term wins, and an earlier start wins over a later overlapping one."""
        idx = self._built()
        if not idx.root or not text:
            return []
        norm = normalise(text)
        folded = fold(text) if idx.has_exact else None
        stressed = STRESS in norm
        root = idx.root
        out: list[Match] = []
        end = 0
        for m in TOKEN_RE.finditer(norm):
            start = m.start()
            if start < end:
                continue
            word = m.group()
            if stressed:
                word = word.replace(STRESS, "")
            node = root.get(word)
            if node is None:
                continue
            found = self._walk(idx, text, norm, folded, m, node, stressed)
            if found is not None:
                out.append(found)
                end = found.end
        return out

    def _walk(self, idx, text, norm, folded, m, node, stressed) -> Match | None:
        spans = [m.span()]
        s0 = spans[0][0]
        if s0 >= 2 and norm[s0 - 1] == "-" and not self._may_start(text, norm, spans[0]):
            return None
        best = None
        pos = m.end()
        while True:
            if node[1] is not None and (norm[pos : pos + 1] != "-" or self._may_end(text, norm, spans[-1])):
                rec = self._accept(node[1], text, folded, spans)
                if rec is not None:
                    best = (rec, spans[-1][1])
            children = node[0]
            if not children:
                break
            nxt = _NEXT_WORD.match(norm, pos)
            if nxt is None:
                break
            sep = canonical_separator(nxt.group(1))
            if sep is None:
                break
            word = nxt.group(2)
            if stressed:
                word = word.replace(STRESS, "")
            node = children.get((sep, CONJUNCTIONS.get(word, word)))
            if node is None:
                break
            spans.append(nxt.span(2))
            pos = nxt.end()
        if best is None:
            return None
        rec, end = best
        start = spans[0][0]
        entry = self._entries[rec.entry]
        weak = self._is_weak(idx, rec, text, norm, start, spans[0])
        return Match(start, end, text[start:end], entry.source, entry.target, entry, weak)

    @staticmethod
    def _accept(records, text, folded, spans):
        for rec in records:
            for (s, e), cls, cased in zip(spans, rec.classes, rec.cased):
                if cls == _ANY:
                    continue
                word = text[s:e]
                if cls == _CAP:
                    if not word[0].isupper():
                        break
                elif cls == _UPPER:
                    if not word.isupper():
                        break
                elif folded[s:e] != cased and not (CONJUNCTIONS.get(cased) and CONJUNCTIONS.get(folded[s:e])):
                    if not (word.isupper() and len(word) > 1):  # ALL-CAPS headlines match anything
                        break
            else:
                return rec
        return None

    @staticmethod
    def _may_start(text, norm, span) -> bool:
        # Inside a hyphenated compound a word is not a term of its own (віце-президент,
        # прем'єр-міністр), unless one side is an abbreviation or a number (НАТО-Україна, F-16).
        s, e = span
        if s >= 2 and norm[s - 1] == "-" and (norm[s - 2].isalnum()):
            j = s - 2
            while j >= 0 and (norm[j].isalnum() or norm[j] in "'_" + STRESS):
                j -= 1
            return _loose(text[j + 1 : s - 1]) or _loose(text[s:e])
        return True

    @staticmethod
    def _may_end(text, norm, span) -> bool:
        s, e = span
        if e + 1 < len(norm) and norm[e] == "-" and norm[e + 1].isalnum():
            nxt = TOKEN_RE.match(norm, e + 1)
            return _loose(text[s:e]) or _loose(text[nxt.start() : nxt.end()] if nxt else "")
        return True

    def _is_weak(self, idx, rec, text, norm, start, first_span) -> bool:
        if rec.classes[0] not in (_CAP, _EXACT) or any(c in (_CAP, _UPPER) for c in rec.classes[1:]):
            return False  # a lower-case term, an abbreviation, or more capitalised words: certain
        word = text[first_span[0] : first_span[1]]
        if not (_sentence_initial(text, start) or (word.isupper() and len(word) > 1)):
            return False
        key = (norm[first_span[0] : first_span[1]].replace(STRESS, ""), rec.entry)
        amb = self._ambiguous.get(key)
        if amb is None:
            amb = self._ambiguous[key] = morphology.is_ambiguous(key[0], idx.lemmas[rec.entry])
        return amb


def _records_of(root: dict, entry: int) -> list[_Record]:
    out, stack = [], list(root.values())
    while stack:
        children, records = stack.pop()
        if records:
            out.extend(r for r in records if r.entry == entry)
        if children:
            stack.extend(children.values())
    return out


def _loose(word: str) -> bool:
    return bool(word) and (word.isdigit() or is_abbreviation(word))


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _words(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def _split(form: str) -> tuple[list[str], list]:
    """Words of a normalised form and the canonical separators between them."""
    words, seps, last = [], [], None
    for m in TOKEN_RE.finditer(form):
        if last is not None:
            seps.append(canonical_separator(form[last : m.start()]))
        words.append(m.group().replace(STRESS, ""))
        last = m.end()
    return words, seps


def _apply_case(word: str, pattern: str) -> str:
    """`word` (lower case) cased like the headword word `pattern` (Столтенбергом, НАТО)."""
    if pattern.islower():
        return word
    if is_abbreviation(pattern):
        return word.upper()
    if pattern[1:].islower() or len(pattern) == 1:
        return word[:1].upper() + word[1:]
    return "".join(c.upper() if k < len(pattern) and pattern[k].isupper() else c for k, c in enumerate(word))


def _auto_class(pattern: str) -> int:
    if is_abbreviation(pattern):
        return _UPPER
    return _CAP if pattern[:1].isupper() else _ANY


# ---- file reading ---------------------------------------------------------------------------


def _decode_lines(data: bytes, name: str) -> list[tuple[int, str]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    out = []
    for n, raw in enumerate(data.split(b"\n"), 1):
        try:
            out.append((n, raw.decode("utf-8").rstrip("\r")))
        except UnicodeDecodeError as exc:
            raise GlossaryError(
                f"{name}:{n}: invalid UTF-8 (byte {exc.start + 1} of the line); save the file as UTF-8"
            ) from None
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
            raise GlossaryError(
                f"{name}:{n}: expected 2 to 4 tab-separated columns (source, target[, options][, note]),"
                f" found {len(cols)}{hint}"
            )
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
                raise GlossaryError(f"{name}:{n}: a CSV glossary starts with the header row uk,en[,options][,note]")
            header = cells
            continue
        if not 2 <= len(row) <= len(header):
            raise GlossaryError(
                f"{name}:{n}: expected {len(header)} comma-separated columns ({','.join(header)}), found {len(row)}"
            )
        cols = dict(zip(header, row))
        source, target = cols.get("uk", cols.get("source")), cols.get("en", cols.get("target"))
        rows.append((n, source, target, cols.get("options"), cols.get("note")))
    if header is None:
        raise GlossaryError(f"{name}:1: a CSV glossary starts with the header row uk,en[,options][,note]")
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
            raise GlossaryError(f"{name}:{line()}: {problem}") from None
        yield row


def _check_rows(rows: list[tuple], name: str | None) -> list[Entry]:
    """Entries from (line, source, target, options, note) rows; duplicates must agree."""
    entries: list[Entry] = []
    seen: dict[str, Entry] = {}
    for n, source, target, options, note in rows:
        where = f"{name}:{n}" if name else f"pair {n}"
        try:
            entry = _make_entry(source, target, options, note, name, n if name else None)
        except (ValueError, TypeError) as exc:
            raise GlossaryError(f"{where}: {exc}") from None
        key = _source_key(entry.source)
        prev = seen.get(key)
        if prev is not None:
            earlier = f"line {prev.line}" if prev.line else "an earlier pair"
            if prev.target != entry.target:
                raise GlossaryError(
                    f"{where}: {entry.source!r} is already listed on {earlier} with target {prev.target!r},"
                    f" here {entry.target!r}"
                )
            if prev.options != entry.options:
                raise GlossaryError(f"{where}: {entry.source!r} is already listed on {earlier} with other options")
            continue  # an exact repeat is harmless
        seen[key] = entry
        entries.append(entry)
    return entries

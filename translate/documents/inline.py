"""Inline markup carried across translation: a block's text pieces and markup marks (HTML inline tags,
Markdown emphasis and links, DOCX runs) in, the English text to put between the same marks out.

Takes a `Run`: the pieces of one block in source order, `Text` (the characters a reader sees) and `Mark`
(an inline element's start, its end, or an `atom`: a point such as `<br>`, a comment or an untouched `<code>`).
`Run.text` is what the translator gets: the text with the marks removed, whitespace runs collapsed to one
space (the leading and trailing whitespace is kept aside and put back where it was). `Run.span_texts()` are the
texts of the inline spans, to be translated in the same call as everything else; `Run.rebuild(translation,
translated)` returns one text before each mark and one after the last, so the caller writes the marks out in
their original order with the English between them: the result is always balanced, nothing dropped or doubled.

Each span's place in the English is found by the first rule that applies (`rule` names, counted in
`Run.rules`): "whole" (the span covers the whole text), "term" (the span covers a glossary term: it wraps
that term's English target, found character for character in the English), "translated" (the span's own
English found in the sentence: exact, then case-insensitive, then the window of words with the best
overlap), "proportional" (the span's share of the source, on word boundaries). Children are placed inside
their parent's place, siblings one after another, so spans never cross. Unbalanced marks become atoms.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from translate.documents.document import english_of, segment_terms

if TYPE_CHECKING:
    from translate.pipeline import Translation
    from translate.terms import TermReport

_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's and Markdown's whitespace; a no-break space is text
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Mark:
    kind: str  # "open", "close" or "atom"
    name: str = ""  # a close matches the nearest open of the same name


@dataclass(eq=False)  # spans are told apart by identity: two empty ones at one place are still two
class Span:
    start: int  # in Run.text
    end: int
    atom: bool = False
    children: list["Span"] = field(default_factory=list)
    place: tuple[int, int] = (0, 0)  # in the English, once projected


def has_letters(text: str) -> bool:
    return _LETTER.search(text) is not None


def words(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each word of text[lo:hi], in text's coordinates."""
    hi = len(text) if hi is None else hi
    return [(m.start() + lo, m.end() + lo) for m in _WORD.finditer(text[lo:hi])]


def split_balanced(text: str, weights: Sequence[float]) -> list[str]:
    """`text` cut at spaces into len(weights) parts whose lengths follow `weights`; "".join(parts) == text
    (each cut's space stays at the end of the part before it). Parts past the last possible cut are ""."""
    n = len(weights)
    if n <= 1:
        return [text]
    lead = len(text) - len(text.lstrip())
    cuts = [m.end() + lead for m in re.finditer(r"\s+", text.strip())]
    total = sum(weights) or n
    chosen: list[int] = []
    acc = 0.0
    for w in weights[:-1]:
        acc += w
        goal = len(text) * acc / total
        options = [c for c in cuts if not chosen or c > chosen[-1]]
        chosen.append(min(options, key=lambda c: abs(c - goal)) if options else len(text))
    bounds = [0, *chosen, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


class Run:
    """One block's inline content (see the module's docstring)."""

    def __init__(self, pieces: Sequence[Text | Mark]):
        self.marks: list[Mark] = [p for p in pieces if isinstance(p, Mark)]
        raw, positions = [], []  # the raw text and where each mark sits in it
        size = 0
        for piece in pieces:
            if isinstance(piece, Text):
                raw.append(piece.text)
                size += len(piece.text)
            else:
                positions.append(size)
        self.raw = "".join(raw)
        self.lead = len(self.raw) - len(self.raw.lstrip(" \t\n\r\f"))
        self.trail = len(self.raw) - len(self.raw.rstrip(" \t\n\r\f")) if self.raw.strip(" \t\n\r\f") else 0
        inner = self.raw[self.lead:len(self.raw) - self.trail]
        self.text = _SPACE.sub(" ", inner)
        self._index = self._normaliser(inner)  # raw offset in the inner text → offset in self.text
        self.positions = positions
        self.spans, self.mark_spans = self._tree([self._norm(p) for p in positions])
        self.rules: Counter[str] = Counter()

    # -- source side ---------------------------------------------------------------------------------------
    @staticmethod
    def _normaliser(inner: str) -> list[int]:
        index, n, in_space = [], 0, False
        for ch in inner:
            index.append(n)
            space = ch in " \t\n\r\f"
            if not (space and in_space):
                n += 1
            in_space = space
        index.append(n)
        return index

    def _norm(self, raw_position: int) -> int:
        inner = min(max(raw_position - self.lead, 0), len(self._index) - 1)
        return self._index[inner]

    def _tree(self, points: list[int]) -> tuple[list[Span], list[tuple[Span, str] | None]]:
        """The spans of balanced open/close pairs (the rest atoms), and for each mark its span and side."""
        roots: list[Span] = []
        stack: list[tuple[int, Span, list[Span]]] = []  # (mark index, span, its parent's children)
        of_mark: list[tuple[Span, str] | None] = [None] * len(self.marks)
        for i, (mark, point) in enumerate(zip(self.marks, points)):
            siblings = stack[-1][1].children if stack else roots
            if mark.kind == "open":
                span = Span(point, point)
                siblings.append(span)
                stack.append((i, span, siblings))
            elif mark.kind == "close" and any(self.marks[j].name == mark.name for j, _, _ in stack):
                while True:
                    j, span, parent = stack.pop()
                    if self.marks[j].name == mark.name:
                        span.end = point
                        of_mark[j], of_mark[i] = (span, "start"), (span, "end")
                        break
                    self._demote(j, span, parent, of_mark)
            else:
                atom = Span(point, point, atom=True)
                siblings.append(atom)
                of_mark[i] = (atom, "start")
        while stack:
            j, span, parent = stack.pop()
            self._demote(j, span, parent, of_mark)
        return roots, of_mark

    @staticmethod
    def _demote(j: int, span: Span, parent: list[Span], of_mark: list) -> None:
        """An open mark never closed in this run: an atom at its place, its children moved up after it."""
        k = parent.index(span)
        atom = Span(span.start, span.start, atom=True)
        parent[k:k + 1] = [atom, *span.children]
        of_mark[j] = (atom, "start")

    def all_spans(self) -> list[Span]:
        out, todo = [], list(self.spans)
        while todo:
            span = todo.pop()
            out.append(span)
            todo += span.children
        return out

    def span_texts(self) -> list[str]:
        """The texts of the spans that may need their own translation (rule "translated")."""
        whole = self.text.strip()
        texts = []
        for span in self.all_spans():
            piece = self.text[span.start:span.end].strip()
            if not span.atom and has_letters(piece) and piece != whole:
                texts.append(piece)
        return list(dict.fromkeys(texts))

    # -- English side --------------------------------------------------------------------------------------
    def rebuild(self, translation: "Translation | str", translated: Mapping[str, str] | None = None) -> list[str]:
        """The texts around the marks: len(marks) + 1 strings, the English between the marks in their order."""
        terms = list(getattr(translation, "terms", []))
        english = english_of(translation).strip(" \t\n\r\f")
        self._place(self.spans, 0, len(self.text), 0, len(english), english, terms, translated or {})
        inner_end = len(self.raw) - self.trail
        full = self.raw[:self.lead] + english + self.raw[inner_end:]
        cuts, last = [], 0
        for raw_point, (span, side) in zip(self.positions, self.mark_spans):
            if raw_point < self.lead:  # in the leading whitespace, which stays where it was
                point = raw_point
            elif raw_point > inner_end:  # in the trailing whitespace
                point = self.lead + len(english) + raw_point - inner_end
            else:
                point = self.lead + (span.place[0] if side == "start" else span.place[1])
            last = max(last, point)  # never out of order, whatever a rule decided
            cuts.append(last)
        bounds = [0, *cuts, len(full)]
        texts = [full[a:b] for a, b in zip(bounds, bounds[1:])]
        for i, (raw_point, (span, _)) in enumerate(zip(self.positions, self.mark_spans)):
            # An atom between two spaces (`word <code>x</code> word`) sits on one space of the English: the
            # other side gets its space back.
            spaced = self.raw[raw_point - 1:raw_point].isspace() and self.raw[raw_point:raw_point + 1].isspace()
            if span.atom and spaced and texts[i] and texts[i + 1]:
                if not texts[i][-1].isspace():
                    texts[i] += " "
                elif not texts[i + 1][0].isspace():
                    texts[i + 1] = " " + texts[i + 1]
        return texts

    def _place(self, spans: list[Span], src_lo: int, src_hi: int, lo: int, hi: int, english: str,
               terms: list["TermReport"], translated: Mapping[str, str]) -> None:
        cursor = lo
        for span in spans:
            if span.atom or span.start == span.end:
                # An atom that begins a word in the source (space before it) begins one in the English.
                word_start = self.text[span.start - 1:span.start] == " " and self.text[span.start:span.start + 1] != " "
                goal = self._proportional_point(span.start, src_lo, src_hi, lo, hi)
                point = _point(english, goal, cursor, hi, word_start)
                span.place = (point, point)
                self.rules["point"] += 1
            else:
                place, rule = self._find(span, src_lo, src_hi, cursor, hi, english, terms, translated)
                start = min(max(place[0], cursor), hi)
                span.place = (start, min(max(place[1], start), hi))
                self.rules[rule] += 1
                self._place(span.children, span.start, span.end, *span.place, english, terms, translated)
            cursor = span.place[1]

    def _find(self, span: Span, src_lo: int, src_hi: int, lo: int, hi: int, english: str,
              terms: list["TermReport"], translated: Mapping[str, str]) -> tuple[tuple[int, int], str]:
        source = self.text[span.start:span.end]
        parent = self.text[src_lo:src_hi]
        if source.strip() == parent.strip():
            ws = words(english, lo, hi)
            return ((ws[0][0], ws[-1][1]) if ws else (lo, hi)), "whole"
        inside = [t for t in terms if span.start <= t.start and t.end <= span.end]
        found = [p for p in (_target(english, t, terms, lo, hi) for t in inside) if p is not None]
        if found:
            place = (min(p[0] for p in found), max(p[1] for p in found))
            rest = source
            for t in inside:
                rest = rest.replace(t.surface, " ")
            if has_letters(rest):  # more than the term: its own English too, where it is next to the term
                own = _locate(english, translated.get(source.strip(), ""), lo, hi)
                if own is not None and own[0] <= place[1] and place[0] <= own[1]:
                    place = (min(place[0], own[0]), max(place[1], own[1]))
            return place, "term"
        own = _locate(english, translated.get(source.strip(), ""), lo, hi)
        if own is not None:
            return own, "translated"
        return self._proportional(span, src_lo, src_hi, lo, hi, english), "proportional"

    @staticmethod
    def _proportional_point(point: int, src_lo: int, src_hi: int, lo: int, hi: int) -> int:
        if src_hi <= src_lo:
            return lo
        return lo + round((point - src_lo) * (hi - lo) / (src_hi - src_lo))

    def _proportional(self, span: Span, src_lo: int, src_hi: int, lo: int, hi: int,
                      english: str) -> tuple[int, int]:
        ws = words(english, lo, hi)
        if not ws:
            return lo, lo
        goal_start = self._proportional_point(span.start, src_lo, src_hi, lo, hi)
        goal_end = self._proportional_point(span.end, src_lo, src_hi, lo, hi)
        first = min(range(len(ws)), key=lambda i: abs(ws[i][0] - goal_start))
        last = min(range(first, len(ws)), key=lambda i: abs(ws[i][1] - goal_end))
        return ws[first][0], ws[last][1]


def _point(english: str, goal: int, lo: int, hi: int, word_start: bool = False) -> int:
    """The word boundary nearest `goal` within [lo, hi]: lo, hi, or where a space begins (where a word begins,
    with `word_start`)."""
    options = [lo, hi] + [(m.end() if word_start else m.start()) + lo for m in re.finditer(r"\s+", english[lo:hi])]
    return min(options, key=lambda o: (abs(o - goal), o))


def _bounded(english: str, phrase: str, lo: int, hi: int, flags: int = 0) -> tuple[int, int] | None:
    m = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", flags).search(english, lo, hi)
    return (m.start(), m.end()) if m else None


def _target(english: str, term: "TermReport", terms: Sequence["TermReport"], lo: int,
            hi: int) -> tuple[int, int] | None:
    """Where `term`'s English target is: character for character (then in any case), the same occurrence
    as the term's among the terms of that target when the counts agree, else the first inside [lo, hi)."""
    for flags in (0, re.IGNORECASE):
        pattern = re.compile(r"(?<!\w)" + re.escape(term.target) + r"(?!\w)", flags)
        found = [(m.start(), m.end()) for m in pattern.finditer(english)]
        same = [t for t in terms if t.target == term.target]
        if found and len(found) == len(same):
            place = found[next(i for i, t in enumerate(same) if t is term)]
            if lo <= place[0] and place[1] <= hi:
                return place
        inside = [p for p in found if lo <= p[0] and p[1] <= hi]
        if inside:
            return inside[0]
    return None


def _locate(english: str, phrase: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Where `phrase` (a span's own English) is in english[lo:hi]: exact, any case, else the best window of
    words sharing at least half of its words."""
    phrase = phrase.strip().strip(".,;:!?…").strip()
    if not phrase or not has_letters(phrase):
        return None
    for flags in (0, re.IGNORECASE):
        place = _bounded(english, phrase, lo, hi, flags)
        if place is not None:
            return place
    wanted = Counter(w.lower() for w in _WORD.findall(phrase))
    n = sum(wanted.values())
    ws = words(english, lo, hi)
    best, best_score = None, 0.5
    for size in (n - 1, n, n + 1):
        if size < 1:
            continue
        for i in range(0, len(ws) - size + 1):
            window = Counter(english[a:b].lower() for a, b in ws[i:i + size])
            score = sum((window & wanted).values()) / max(n, size)
            if score > best_score:
                best, best_score = (ws[i][0], ws[i + size - 1][1]), score
    return best


def span_english(texts: Sequence[str], translations: Sequence[Any]) -> dict[str, str]:
    """The span texts' English by source text (translations are `Translation`s or strings)."""
    return {source: english_of(t) for source, t in zip(texts, translations)}


class Runs:
    """A document's runs as the segments of one translate call, and their English back.

    `segments()` is every run's text, then the span texts of all runs (each once); `english(translations)`
    gives, per run, the texts around its marks; `terms(translations)` the term reports of the runs' texts,
    offsets into the document's text: the runs' texts joined with "\\n" (one line per block).
    """

    def __init__(self, runs: Sequence[Run]):
        self.runs = list(runs)
        self.extra = list(dict.fromkeys(t for run in self.runs for t in run.span_texts()))
        self.rules: Counter[str] = Counter()

    def segments(self) -> list[str]:
        return [run.text for run in self.runs] + self.extra

    def english(self, translations: Sequence[Any]) -> list[list[str]]:
        blocks, spans = translations[:len(self.runs)], translations[len(self.runs):]
        translated = span_english(self.extra, spans)
        out = []
        for run, translation in zip(self.runs, blocks):
            out.append(run.rebuild(translation, translated))
            self.rules.update(run.rules)
            run.rules.clear()
        return out

    def terms(self, translations: Sequence[Any]) -> list["TermReport"]:
        return segment_terms([run.text + "\n" for run in self.runs], translations[:len(self.runs)])

    def summary(self, what: str) -> str:
        spans = sum(len(run.all_spans()) for run in self.runs)
        rules = ", ".join(f"{rule} {n}" for rule, n in sorted(self.rules.items()))
        return f"{len(self.runs)} {what}, {spans} inline marks" + (f" ({rules})" if rules else "") + "."

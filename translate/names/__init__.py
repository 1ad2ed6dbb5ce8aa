"""Document-level names: every person and place a document mentions that no glossary entry covers gets one
English rendering, used at every mention (Тарас Бондаренко / Тараса Бондаренка / Бондаренком → "Taras
Bondarenko" / "Bondarenko"; у Боярці / Боярки → "Boiarka").

Takes whole documents (`NameBook.learn(text)`; one book per document, or one for a whole batch run) and then
sentences of them (`NameBook.find(sentence, taken=glossary spans)`); returns `NameMatch`es — placed terms the
pipeline enforces exactly like glossary terms (annotate, verify, repair) and reports with kind "name".

* **Which words** (`mentions`): capitalised names the dictionary tags as names, words it does not know, and
  proper nouns of places. A mention at a sentence start counts only when the same name is also mentioned
  elsewhere in the document at a place where capitals mean a name (or is a first name and surname together),
  and a capitalised noun the dictionary also knows as a common word only when the document has it in a place
  context: precision first, a common word forced into the English does more harm than a name left to the
  model.
* **Grouping**: each word's dictionary form is chosen among its readings by the document's evidence (a form
  seen as written elsewhere in the document, then the reading most mentions share), so Федорука goes with
  Федорук when the document has both. A name is grouped by its last word's dictionary form (the surname).
* **Rendering** (`origin`, `romanise`): Ukrainian names (a patronymic or a Ukrainian suffix, and no sign of
  foreign origin) are romanised by the national standard (rule "romanised"); every other name gets the model's
  own rendering of its dictionary form, one short batched decode per distinct name (rule "model"); a model
  output that is not a name (no Latin capitals, Cyrillic left, too long) falls back to romanisation, and the
  report says so. A book keeps every
  rendering it has given, so a name reads the same in every part of a long document and, with one book per
  run, in every record.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from translate.names import origin
from translate.names.mentions import Mention, mentions
from translate.names.romanise import romanise

__all__ = ["NameBook", "NameMatch", "romanise"]

_CYRILLIC = re.compile("[а-яіїєґА-ЯІЇЄҐ]")
_LATIN_NAME = re.compile(r"[A-Z\u00c0-\u024f][\w'’.-]*(?: [A-Z\u00c0-\u024f][\w'’.-]*){0,4}")


@dataclass(frozen=True)
class NameMatch:
    """A name found in a sentence, to be rendered as `target` (offsets into the sentence, like glossary.Match)."""

    start: int
    end: int
    surface: str
    headword: str  # the name's dictionary form, as the report shows it (Тарас Бондаренко)
    target: str
    rule: str  # "romanised" or "model"
    why: str  # one line: what made it a name and how it was rendered
    weak: bool = False
    plural: bool = False


@dataclass
class _Plan:
    mention: Mention
    lemmas: tuple[str, ...]
    key: str


class NameBook:
    """The names of one document (or of a whole run): evidence learned from whole texts, renderings kept."""

    def __init__(self) -> None:
        self._mentions: list[Mention] = []
        self._votes: Counter[str] = Counter()
        self._seen_forms: Counter[str] = Counter()  # words as written (lower case), how often
        self._learned: set[int] = set()
        self._plans: dict[int, _Plan] = {}  # id(mention) → its plan, until new evidence arrives
        self._origin: dict[str, tuple[bool, str]] = {}  # key → (foreign?, why); fixed once decided
        self._model: dict[str, str] = {}  # dictionary form → the model's rendering (validated)
        self._lock = threading.Lock()

    # ----------------------------------------------------------------------------------------- evidence
    def learn(self, text: str) -> None:
        """Take in the mentions of a whole document (a text already learned is not counted twice)."""
        from translate.segment import segment

        if hash(text) in self._learned:
            return
        found = [m for s in segment(text).sentences if s.translatable for m in mentions(s.text, s.start)]
        with self._lock:
            self._learned.add(hash(text))
            self._plans.clear()  # new votes may choose other dictionary forms
            self._mentions.extend(found)
            for m in found:
                for word, candidates in zip(m.words, m.candidates):
                    self._seen_forms[word.lower()] += 1
                    self._votes.update(candidates)

    def _lemma(self, word: str, candidates: tuple[str, ...]) -> str:
        # A dictionary form the document writes elsewhere settles it (not the word itself: Малинівці's own
        # reading as a plural «малинівці» is no evidence).
        attested = [c for c in candidates if self._seen_forms[c] > (c == word.lower())]
        if attested:
            return attested[0]
        return max(candidates, key=lambda c: (self._votes[c], -candidates.index(c)))

    def _plan(self, m: Mention) -> _Plan:
        lemmas = tuple(self._lemma(w, c) for w, c in zip(m.words, m.candidates))
        return _Plan(m, lemmas, lemmas[-1])

    def _learned_plan(self, m: Mention) -> _Plan:
        # Every acceptance looks at all the document's learned mentions: each one's plan is worked out once.
        plan = self._plans.get(id(m))
        if plan is None:
            plan = self._plans[id(m)] = self._plan(m)
        return plan

    def _accepted(self, m: Mention, key: str) -> bool:
        """A mention at a sentence start, or a capitalised noun out of a place context, counts only when the
        document mentions the same name where capitals mean a name; a first name with a surname always does."""
        if _self_evident(m):
            return True
        return any(_self_evident(o) and o.kind != "noun" and self._learned_plan(o).key == key
                   for o in self._mentions)

    def _decide_origin(self, key: str, kind: str) -> None:
        """Foreign by context or spelling; else Ukrainian by a patronymic or a suffix; else the model's."""
        if key in self._origin:
            return
        plans = [p for p in (self._learned_plan(m) for m in self._mentions) if p.key == key]
        foreign = next((r for p in plans if (r := origin.foreign_context(p.mention.before))), None)
        if foreign is None:
            words = {w for p in plans for w in p.lemmas} or {key}
            foreign = next((r for w in sorted(words) if (r := origin.foreign_spelling(w))), None)
        if foreign is not None:
            self._origin[key] = (True, foreign)
        elif any(p.mention.patronymic for p in plans):
            self._origin[key] = (False, "Ukrainian: a patronymic")
        elif shape := origin.ukrainian_shape(key, kind):
            self._origin[key] = (False, f"Ukrainian: {shape}")
        else:
            self._origin[key] = (True, "no Ukrainian suffix or patronymic")

    # ------------------------------------------------------------------------------------------ finding
    def find(self, sentence: str, taken: Iterable[tuple[int, int]] = ()) -> list[_Plan]:
        """The accepted name mentions of `sentence` (offsets into it) outside the `taken` spans (glossary
        matches), in order; their renderings come from `matches` once `needs_model` names are decoded."""
        spans = list(taken)
        out = []
        with self._lock:
            for m in mentions(sentence):
                if any(m.start < b and a < m.end for a, b in spans):
                    continue
                plan = self._plan(m)
                if not self._accepted(m, plan.key):
                    continue
                self._decide_origin(plan.key, m.kind)
                out.append(plan)
        return out

    def needs_model(self, plans: Sequence[_Plan]) -> list[str]:
        """Dictionary forms of the foreign names among `plans` that have no model rendering yet; a surname
        alone is not asked for when its full name is (it takes the full name's last words)."""
        wanted = []
        for p in plans:
            form = _display(p.lemmas)
            if self._origin[p.key][0] and form not in self._model and form not in wanted:
                wanted.append(form)
        return [f for f in wanted if not any(g.endswith(" " + f) for g in [*wanted, *self._model])]

    def learn_renderings(self, forms: Sequence[str], english: Sequence[str]) -> None:
        """The model's English for each dictionary form of `needs_model` (kept whether usable or not)."""
        with self._lock:
            for form, out in zip(forms, english):
                self._model.setdefault(form, out.strip().strip(".,;:!?\"'«»“”").strip())

    def matches(self, sentence: str, plans: Sequence[_Plan]) -> list[NameMatch]:
        """A NameMatch per plan: what the English must say, and the rule that gave it."""
        out = []
        for p in plans:
            m = p.mention
            form = _display(p.lemmas)
            foreign, reason = self._origin[p.key]
            evidence = {"person": "a name in the dictionary", "place": "a place by its context",
                        "noun": "a place by its context elsewhere in the document",
                        "unknown": "a capitalised word the dictionary does not know"}[m.kind]
            if foreign:
                rendering = self._model_rendering(p)
                if rendering is not None:
                    out.append(NameMatch(m.start, m.end, sentence[m.start:m.end], form, rendering, "model",
                                         f"{evidence}; {reason}: the model's rendering of «{form}»"))
                    continue
                # The model's output is not quoted: it says nothing to an editor, and the report stays the same
                # on both engines.
                why = f"{evidence}; {reason}, but the model's rendering is not a Latin-script name: romanised"
            else:
                why = f"{evidence}; {reason}: romanised (KMU 2010)"
            out.append(NameMatch(m.start, m.end, sentence[m.start:m.end], form, romanise(" ".join(p.lemmas)),
                                 "romanised", why))
        return out

    def _model_rendering(self, p: _Plan) -> str | None:
        """The validated model rendering of the plan's name; a surname alone takes the last words of the full
        name's rendering when the document has one, so «Шольц» reads as in «Олаф Шольц»."""
        form = _display(p.lemmas)
        longer = [other for other in self._model if other != form and other.endswith(" " + form)]
        for other in sorted(longer, key=len, reverse=True):
            full = _usable(self._model[other], other)
            if full and len(full.split()) == len(other.split()):
                return " ".join(full.split()[-len(form.split()):])
        return _usable(self._model.get(form, ""), form)


def _self_evident(m: Mention) -> bool:
    """A mention that is a name by itself: capitalised where capitals mean names, or a first name and surname."""
    return (not m.initial and m.kind != "noun") or (m.kind == "person" and len(m.words) > 1)


def _display(lemmas: Sequence[str]) -> str:
    return " ".join("-".join(part[:1].upper() + part[1:] for part in word.split("-")) for word in lemmas)


def _usable(english: str, form: str) -> str | None:
    """`english` if it looks like a name in Latin script (capitalised words, no Cyrillic, not a sentence)."""
    if (not english or _CYRILLIC.search(english) or not _LATIN_NAME.fullmatch(english)
            or len(english) > 3 * len(form) + 5 or len(english.split()) > len(form.split()) + 1):
        return None
    return english

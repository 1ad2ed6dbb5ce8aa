"""The word trie a glossary is matched through.

Takes the entries and their expansions (`expansions.expand_all`) and returns an `Index`
(`build_index`): a trie keyed by normalised words, then by ``(separator, word)`` pairs, whose nodes
are ``[children, records]`` lists; each terminal holds one `Record` per entry that has that surface
form, best first, with the English and number of that form (`number.numbers_of`: посли → "ambassadors"
for посол). On the way it notes the forms two entries share (`collisions`), the entries the
morphology could not inflect (`ungenerated`), each entry's lemmas (for weak matches) and whether any
entry needs its case exact. `forms_of` lists an entry's surface forms (of its own number, or of the other)
back out of the trie.
"""

from __future__ import annotations

import re

from translate import morphology
from translate.glossary import number
from translate.glossary.entries import Entry
from translate.morphology import CONJUNCTIONS, STRESS, TOKEN_RE, canonical_separator, fold, is_abbreviation, normalise

# Per-word case requirements, from least to most specific.
ANY, CAP, UPPER, EXACT = 0, 1, 2, 3

_ONE_WORD = re.compile(r"[\w']+")


class Record:
    """One surface form of one entry at a trie node."""

    __slots__ = ("entry", "classes", "cased", "display", "from_headword", "target", "plural", "own_number", "order")

    def __init__(self, entry: int, classes: tuple, cased: tuple, display: str, from_headword: bool,
                 target: str, plural: bool, own_number: bool):
        self.entry = entry
        self.classes = classes
        self.cased = cased
        self.display = display
        self.from_headword = from_headword
        self.target = target  # the English for this form: the entry's, or its other number's
        self.plural = plural
        self.own_number = own_number  # False: a form of the entry's other number (посли of посол)
        # Who wins when two entries give one form: stricter case requirement, then an entry
        # whose headword (or listed form) it is over one that inflected into it, then a form of
        # the entry's own number over one of another entry's other number, then the later entry
        # (so a glossary merged on top overrides).
        self.order = (-sum(classes), not from_headword, not own_number, -entry)


class Index:
    """The trie (`root`) and what building it found; entries are referred to by their position."""

    __slots__ = ("root", "collisions", "ungenerated", "lemmas", "has_exact")

    def __init__(self):
        self.root: dict = {}
        self.collisions: list[tuple[str, int, int]] = []  # (form, winner, loser)
        self.ungenerated: list[int] = []
        self.lemmas: list[frozenset] = []
        self.has_exact = False


def build_index(entries: list[Entry], expansions: list[morphology.Expansion]) -> Index:
    """The trie of every form of every entry (``expansions[i]`` expands ``entries[i]``)."""
    idx = Index()
    terminals: dict[int, list] = {}  # id(node terminals) → list, to sort once at the end
    for i, (entry, exp) in enumerate(zip(entries, expansions)):
        if not exp.generated:
            idx.ungenerated.append(i)
        idx.lemmas.append(exp.lemmas)
        mode = entry.options.get("case", "auto")
        head_cased = _words(fold(entry.source))
        numbers = number.numbers_of(entry, exp)
        own = (entry.target, numbers.plural, True)
        variants = [(f, head_cased, j == 0, own) for j, f in enumerate(exp.forms)]
        variants += [(normalise(f), _words(fold(f)), True, own) for f in entry.options.get("forms", ())]
        if numbers.other is not None:
            other = (numbers.other.target, numbers.other.plural, False)
            variants += [(f, head_cased, False, other) for f in numbers.other.forms]
        shapes: dict = {}  # (pattern id, word count) → case classes
        # Words shown as the glossary writes them (KFOR, Скоп’є), not in their folded spelling.
        written = {}
        for text in (entry.source, *entry.options.get("forms", ())):
            for m in TOKEN_RE.finditer(fold(text)):
                written[normalise(m.group())] = text[m.start() : m.end()]
        for form, pattern, from_headword, (target, plural, own_number) in variants:
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
                    classes = (EXACT,) * len(words)
                    idx.has_exact = True
                elif mode == "any":
                    classes = (ANY,) * len(words)
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
            node[1].append(Record(i, classes, cased, display, from_headword, target, plural, own_number))
    for recs in terminals.values():
        recs.sort(key=lambda r: r.order)
        seen = {recs[0].entry}
        for r in recs[1:]:
            if r.entry not in seen:
                seen.add(r.entry)
                idx.collisions.append((recs[0].display, recs[0].entry, r.entry))
    idx.collisions.sort(key=lambda c: (c[0], c[1], c[2]))
    return idx


def forms_of(idx: Index, entry: int, *, other_number: bool = False) -> list[str]:
    """Sorted surface forms of the entry at position `entry`, as displayed (cased like its headword): those
    of the headword's own number, or with `other_number` those of the other number (its own English)."""
    out, stack = set(), list(idx.root.values())
    while stack:
        children, records = stack.pop()
        if records:
            out.update(r.display for r in records if r.entry == entry and r.own_number != other_number)
        if children:
            stack.extend(children.values())
    return sorted(out)


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
        return UPPER
    return CAP if pattern[:1].isupper() else ANY

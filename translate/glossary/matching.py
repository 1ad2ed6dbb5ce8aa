"""Finding a glossary's terms in text.

Takes an `Index` and the entries it was built from (`Matcher`), then a text (`Matcher.find`), and
returns the `Match`es in it: sorted, non-overlapping, leftmost first and, from one start, the
longest. The text's words are walked through the trie in their normalised spelling; case rules
are then checked on the original text, and a sentence-initial match of a word that also reads as
a common word is marked weak. Nothing in the text is lemmatised.
"""

from __future__ import annotations

import re

from translate import morphology
from translate.glossary.entries import Entry, Match
from translate.glossary.index import ANY, CAP, EXACT, UPPER, Index
from translate.morphology import CONJUNCTIONS, STRESS, TOKEN_RE, canonical_separator, fold, is_abbreviation, normalise

_NEXT_WORD = re.compile(r"([^\w\u0301]{1,20}?)([\w\u0301]+(?:'[\w\u0301]+)*)")
_SENTENCE_END = ".!?…"
_OPENERS = "\"'«»„“”‘’([{—–-•*·"
# A dateline after a place name at a paragraph start («Суми, 5 березня.», «КИЇВ, 12 квітня 2024 —»):
# the place, not a sentence-initial common word.
_DATELINE = re.compile(r"\s*,\s*\d{1,2}\s+[^\W\d_]+")


class Matcher:
    """Matches the terms of `entries` through their `index`."""

    def __init__(self, index: Index, entries: list[Entry]):
        self.index = index
        self.entries = entries
        self._ambiguous: dict[tuple[str, int], bool] = {}  # (word, entry) → is_ambiguous, asked once

    def find(self, text: str) -> list[Match]:
        """Glossary terms in `text`: sorted by start, non-overlapping; from each start the
        longest term wins, and an earlier start wins over a later overlapping one."""
        idx = self.index
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
            found = self._walk(text, norm, folded, m, node, stressed)
            if found is not None:
                out.append(found)
                end = found.end
        return out

    def _walk(self, text, norm, folded, m, node, stressed) -> Match | None:
        spans = [m.span()]
        s0 = spans[0][0]
        if s0 >= 2 and norm[s0 - 1] == "-" and not _may_start(text, norm, spans[0]):
            return None
        best = None
        pos = m.end()
        while True:
            if node[1] is not None and (norm[pos : pos + 1] != "-" or _may_end(text, norm, spans[-1])):
                rec = _accept(node[1], text, folded, spans)
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
        entry = self.entries[rec.entry]
        weak = self._is_weak(rec, text, norm, start, end, spans[: len(rec.classes)])
        return Match(start, end, text[start:end], entry.source, rec.target, entry, weak, rec.plural)

    def _is_weak(self, rec, text, norm, start, end, spans) -> bool:
        first_span = spans[0]
        if rec.classes[0] not in (CAP, EXACT):
            return False  # a lower-case term or an abbreviation: certain
        if any(c == UPPER or (c == CAP and text[s].isupper()) for c, (s, _) in zip(rec.classes[1:], spans[1:])):
            return False  # more capitalised words in the text itself (Рада Безпеки): certain
        word = text[first_span[0] : first_span[1]]
        if not (_sentence_initial(text, start) or (word.isupper() and len(word) > 1)):
            return False
        if _at_paragraph_start(text, start) and _DATELINE.match(text, end):
            return False
        if self.entries[rec.entry].options.get("start") == "strong":
            return False  # the glossary says its common-word reading never occurs in news (Київ ~ кий)
        key = (norm[first_span[0] : first_span[1]].replace(STRESS, ""), rec.entry)
        amb = self._ambiguous.get(key)
        if amb is None:
            amb = self._ambiguous[key] = morphology.is_ambiguous(key[0], self.index.lemmas[rec.entry])
        return amb


def _accept(records, text, folded, spans):
    """The first record (best first) whose case rules the text's words at `spans` meet, or None."""
    for rec in records:
        for k, ((s, e), cls, cased) in enumerate(zip(spans, rec.classes, rec.cased)):
            if cls == ANY:
                continue
            word = text[s:e]
            if cls == CAP:
                # Institution names are written with the later words capitalised or not (Офіс
                # Президента / Офіс президента): once the first word has its capital, that is enough.
                if not word[0].isupper() and (k == 0 or not text[spans[0][0]].isupper()):
                    break
            elif cls == UPPER:
                if not word.isupper():
                    break
            elif folded[s:e] != cased and not (CONJUNCTIONS.get(cased) and CONJUNCTIONS.get(folded[s:e])):
                if not (word.isupper() and len(word) > 1):  # ALL-CAPS headlines match anything
                    break
        else:
            return rec
    return None


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


def _may_end(text, norm, span) -> bool:
    s, e = span
    if e + 1 < len(norm) and norm[e] == "-" and norm[e + 1].isalnum():
        nxt = TOKEN_RE.match(norm, e + 1)
        return _loose(text[s:e]) or _loose(text[nxt.start() : nxt.end()] if nxt else "")
    return True


def _loose(word: str) -> bool:
    return bool(word) and (word.isdigit() or is_abbreviation(word))


def _at_paragraph_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n"


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END

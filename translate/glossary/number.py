"""Grammatical number of glossary entries: which forms are plural, and the English for the other number.

Takes an `Entry` and its `morphology.Expansion` (the forms of the headword's own number) and returns
its `Numbers` (`numbers_of`): whether the headword is plural, and the `Variant` of the other number
when it has one — the forms of that number, their English, their number. Built once per index.

The headword's number is that of its head noun's reading (pymorphy3 tags). The other number is
offered for common nouns written in lower case, abbreviations aside (посол → посли, генеральний секретар → генеральні
секретарі, окуповані території → окупована територія), never for names, places or bodies
(capitalised: Збройні сили → «Збройна сила» would be another thing), plural-only or singular-only
nouns (Pltm, Sgtm: переговори, молодь), or `match=exact` entries; a `plural=` or `singular=` option
gives the English by hand and offers it for any inflecting entry. Otherwise the English comes from
`inflect`, with the glossary's capitals restored word by word and leading abbreviations kept
(NATO Secretary General → NATO Secretaries General).

A surface form of both numbers (території: genitive singular and nominative plural) keeps the
headword's number: the words around it are not looked at, so the entry's own English is the safe one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from translate import morphology
from translate.glossary.entries import Entry
from translate.morphology import ADJECTIVE_POS, case_of, fold, from_dictionary, is_abbreviation, normalise, parses

# Readings of proper names (the Ukrainian dictionary tags people, not places: those are capitalised):
# their plural is another matter (the Zelenskys), never a glossary term's.
_PROPER_TAGS = ("Name", "Surn", "Patr", "Abbr")
_FIXED_NUMBER = ("Pltm", "Sgtm")
_ENGLISH_WORD = re.compile(r"[^\s-]+|[\s-]+")


@dataclass(frozen=True)
class Variant:
    """The other number's forms (normalised, none shared with the headword's own), their English,
    and whether they are plural."""

    forms: tuple[str, ...]
    target: str
    plural: bool


@dataclass(frozen=True)
class Numbers:
    """An entry's number: `plural` for the headword's own forms, `other` for the other number's."""

    plural: bool
    other: Variant | None


def numbers_of(entry: Entry, expansion: morphology.Expansion) -> Numbers:
    """The number of `entry`'s own forms (`expansion`) and, where it has one, its other number."""
    shape = _other_headword(entry.source)
    if shape is None:
        return Numbers(False, None)
    plural, other_headword, automatic = shape
    if other_headword is None or entry.options.get("match", "inflect") == "exact" or not expansion.generated:
        return Numbers(plural, None)
    target = entry.options.get("singular" if plural else "plural")
    if target is None:
        if not automatic:
            return Numbers(plural, None)
        target = other_english(entry.target, to_plural=not plural)
        if target is None:
            return Numbers(plural, None)
    own = set(expansion.forms)
    forms = tuple(f for f in _forms(other_headword) if f not in own)
    return Numbers(plural, Variant(forms, target, not plural) if forms else None)


@functools.lru_cache(maxsize=20_000)
def _forms(headword: str) -> tuple[str, ...]:
    exp = morphology.expand(headword)
    return exp.forms if exp.generated else ()


@functools.lru_cache(maxsize=20_000)
def _other_headword(source: str) -> tuple[bool, str | None, bool] | None:
    """``(plural, other, automatic)`` for a headword that is a nominal group ([adverbs] adjectives noun
    [modifiers]): its number, the group in the other number's nominative (None if it has none), and
    whether that number is offered without an option (a lower-case common noun). None: not a group."""
    cased = fold(" ".join(source.split())).split(" ")
    words = [normalise(w) for w in cased]
    i = 0
    while i < len(words) and parses(words[i]) and all(p.tag.POS == "ADVB" for p in parses(words[i])):
        i += 1
    start = i
    while i < len(words):
        if is_abbreviation(cased[i]):
            return None
        nouns = _nominative_nouns(words[i], cased[i][:1].isupper())
        adjs = [p for p in parses(words[i]) if p.tag.POS in ADJECTIVE_POS and case_of(p) == "nomn"]
        # An adjective before a noun is one even if it also reads as a noun (військовий аташе).
        if adjs and i + 1 < len(words) and _nominative_nouns(words[i + 1], cased[i + 1][:1].isupper()):
            i += 1
            continue
        if nouns:
            break
        if not adjs:
            return None
        i += 1
    else:
        return None
    head = nouns[0]
    plural = "plur" in head.tag
    if any(t in head.tag for t in _FIXED_NUMBER):
        return plural, None, False
    other_head = _lexeme_form(head, not plural, None)
    if other_head is None:
        return plural, None, False
    gender = (other_head if plural else head).tag.gender
    group = []
    for k in range(start, i):
        adjs = [p for p in parses(words[k]) if p.tag.POS in ADJECTIVE_POS and case_of(p) == "nomn"
                and ("plur" in p.tag) == plural]
        form = next((f for f in (_lexeme_form(p, not plural, gender) for p in adjs) if f is not None), None)
        if form is None:
            return plural, None, False
        group.append(form.word)
    group.append(other_head.word)
    group = [_cased_like(w, c) for w, c in zip(group, cased[start : i + 1])]
    # A capitalised word anywhere makes the entry a name (сектор Газа, фон дер Ляєн, група Вагнера);
    # abbreviations (президент США) do not.
    automatic = all(c.islower() or is_abbreviation(c) for c in cased) and not any(t in head.tag for t in _PROPER_TAGS)
    return plural, " ".join(cased[:start] + group + cased[i + 1 :]), automatic


def _nominative_nouns(word: str, capitalised: bool) -> list:
    """Nominative noun readings, most plausible first: the word's own dictionary form (збори, plural-only)
    before a plural of another (збори of збір), dictionary readings before guessed ones, and for a
    lower-case word common nouns before names (шахед is guessed as a surname too)."""
    readings = [p for p in parses(word) if p.tag.POS == "NOUN" and case_of(p) == "nomn"]
    if not capitalised:
        readings = [p for p in readings if not any(t in p.tag for t in _PROPER_TAGS)] or readings
    return sorted(readings, key=lambda p: (p.normal_form != word, not from_dictionary(p), -p.score))


def _lexeme_form(parse, plural: bool, gender: str | None):
    """The nominative of `parse`'s lexeme in the given number (and, in the singular, gender), or None."""
    for k, f in enumerate(parse.lexeme):
        if ("plur" in f.tag) != plural or "COMP" in f.tag or "Supr" in f.tag:
            continue
        if (f.tag.case or ("nomn" if k == 0 else None)) != "nomn":
            continue
        if not plural and gender and f.tag.gender and f.tag.gender != gender:
            continue
        return f
    return None


def _cased_like(word: str, written: str) -> str:
    return word[:1].upper() + word[1:] if written[:1].isupper() else word


@functools.lru_cache(maxsize=1)
def _engine():
    import inflect

    return inflect.engine()


@functools.lru_cache(maxsize=20_000)
def other_english(target: str, *, to_plural: bool) -> str | None:
    """`target` in the other number by `inflect` (Secretary General → Secretaries General, Shahed →
    Shaheds; occupied territories → occupied territory), capitals restored word by word and leading
    abbreviations (NATO, UN) kept as they are; None where inflect gives nothing usable."""
    parts = _ENGLISH_WORD.findall(target)
    # inflect knows compounds (secretary general) only as the whole phrase: an abbreviation in front
    # of one ("nato secretary general" → "nato secretary generals") would hide it.
    lead = 0
    while lead < len(parts) and (parts[lead].isspace() or parts[lead] == "-" or is_abbreviation(parts[lead])):
        lead += 1
    rest = "".join(parts[lead:])
    if not rest:
        return None
    engine = _engine()
    if to_plural:
        if _is_plural_english(engine, rest.lower()):
            return target  # already plural English (police, armed forces)
        changed = engine.plural_noun(rest.lower())
    else:
        changed = engine.singular_noun(rest.lower())
    # singular_noun answers False for a singular, and for some compounds a string with "False" in it.
    if not changed or "False" in changed:
        return None
    old, new = _ENGLISH_WORD.findall(rest), _ENGLISH_WORD.findall(changed)
    if len(old) != len(new):
        return "".join(parts[:lead]) + changed
    return "".join(parts[:lead]) + "".join(_restore_case(n, o) for n, o in zip(new, old))


def _is_plural_english(engine, phrase: str) -> bool:
    singular = engine.singular_noun(phrase)
    return bool(singular) and "False" not in singular and singular != phrase


def _restore_case(new: str, old: str) -> str:
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new

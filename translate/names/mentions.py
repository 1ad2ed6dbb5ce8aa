"""Where a text mentions a name: capitalised Cyrillic words (and runs of them: Тараса Григоровича Бондаренка)
that the Ukrainian dictionary tags as a first name, surname or patronymic, that it does not know at all, or
that it enters as a proper noun — a paradigm of one number only (Боярка the town, Суми) — in a place context
(у Боярці, село Малинівка, в Авдіївці) or with no common reading at all (мером Харкова).

Takes a sentence (with its offset in the text); returns `Mention`s: span, words, each word's candidate
dictionary forms (best first), the kind (person / place / unknown, or noun: a proper-noun reading beside a
common one, out of a place context), whether it stands where any word is
capitalised (a sentence start, after an opening quote, a dash or a colon) and the words before it (for
`origin.foreign_context`). Nothing here decides what is finally a name: `translate.names.NameBook` weighs the
mentions of the whole document (a word at a sentence start counts only if confirmed elsewhere).

Not mentions: ALL-CAPS words (acronyms: ЗСУ, НАТО), Latin-script words (already English), capitalised
adjectives (Київська область: the model translates them), common nouns capitalised as the first word of a
body's name (Міністерство оборони: a lower-case genitive follows), adjectives used as nouns (у Центральному),
abstract nouns (Християнство), compounds of common words (Інтернет-контент), countries (the model knows
them), and bodies written with a capital alone (Рада, Кремль, Сенат).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate import morphology
from translate.names import origin

__all__ = ["Mention", "mentions"]

_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_CAPITALISED = re.compile(r"[А-ЯІЇЄҐ][а-яіїєґ']*[а-яіїєґ](?:-[А-ЯІЇЄҐа-яіїєґ][а-яіїєґ']*)*")
_OPENERS = set("«\"„“”‘'([{—–-:.!?…")
_NAME_TAGS = ("Name", "Surn", "Patr")
# Words that introduce a settlement, and prepositions after which a capitalised noun is a place.
_SETTLEMENT_WORDS = frozenset("село селище смт місто містечко хутір с м станція".split())
_PLACE_PREPOSITIONS = frozenset("у в до з із зі біля поблизу неподалік під від через навколо на за між".split())
# Bodies written with a capital on their own: translated by the model (or the glossary), never romanised.
_BODIES = frozenset("рада кремль сенат конгрес парламент уряд кабмін сейм бундестаг кнесет альянс генштаб "
                    "пентагон ватикан євросоюз держдума дума білий".split())
_FUNCTION_WORDS = ("PREP", "CONJ", "PRCL", "NPRO", "ADVB", "INTJ")
_ABSTRACT = re.compile(r"(ство|цтво|ість|ння|ття|иззя|іччя|ізм|изм|ура)$")  # abstract-noun suffixes
MAX_WORDS = 4  # a person's name: first name, patronymic, surname (and a second surname)


@dataclass(frozen=True)
class Mention:
    start: int  # offsets into the text
    end: int
    words: tuple[str, ...]  # as written (apostrophes folded)
    candidates: tuple[tuple[str, ...], ...]  # per word: dictionary forms it may be of, best first
    kind: str  # "person", "place", "unknown", or "noun" (a capitalised noun a place context elsewhere must confirm)
    initial: bool  # at a place where any word is capitalised
    before: tuple[str, ...]  # the sentence's words before the mention
    patronymic: bool = False  # a word after the first is a patronymic (Тарас Григорович): an East Slavic name


def _is_person_word(p) -> bool:
    return p.tag.POS == "NOUN" and any(t in p.tag for t in _NAME_TAGS)


def _candidates(readings: list, word: str) -> tuple[str, ...]:
    ordered = sorted(readings, key=lambda p: (not morphology.from_dictionary(p), -p.score))
    return tuple(dict.fromkeys(p.normal_form for p in ordered)) or (word,)


def _classify(word: str, before: str, after: str, after_capitalised: bool) -> tuple[str, tuple[str, ...]] | None:
    """(kind, candidate dictionary forms) for a capitalised word, or None when it is no name."""
    low = word.lower()
    readings = morphology.parses(low)
    known = [p for p in readings if morphology.from_dictionary(p)]
    people = [p for p in readings if _is_person_word(p)]
    lemmas = {p.normal_form for p in known if p.tag.POS == "NOUN"}
    if lemmas & _BODIES or lemmas & origin.countries():
        return None
    following = morphology.parses(after) if after and not after_capitalised else ()
    content_follows = bool(following) and not any(p.tag.POS in _FUNCTION_WORDS for p in following)
    adjective_cases = {p.tag.case for p in readings if p.tag.POS in ("ADJF", "PRTF")}
    if content_follows and any(p.tag.POS == "NOUN" and p.tag.case in adjective_cases for p in following):
        return None  # an adjective before its noun (Плитвицькі озера, Ангкорський храм), not a surname
    if not known and len(low) < 4:
        return None  # a short unknown capitalised word is an abbreviation or a fragment more often than a name
    if not known and "-" in low and all(_common_word(part) for part in low.split("-")):
        return None  # Інтернет-контент: a compound of common words
    # A place is a thing whose dictionary paradigm has one number only: proper nouns are entered so (Боярка
    # the town, Суми, Покровськ), common nouns are not (боярка the shrub, вулиця, партія, Різдво).
    nouns = [p for p in known if p.tag.POS == "NOUN" and "inan" in p.tag and morphology.one_number(p)]
    # An adjective used as a noun (у Центральному, Дитячій) reads as the adjective in the same case and number;
    # Сміла's «Смілі» (dative) is not «смілі» (brave, plural).
    adjectival = {(p.tag.case, p.tag.number) for p in known if p.tag.POS in ("ADJF", "PRTF")}
    nouns = [p for p in nouns if (p.tag.case, p.tag.number) not in adjectival]
    in_place_context = before in _PLACE_PREPOSITIONS or bool(
        {p.normal_form for p in morphology.parses(before)} & _SETTLEMENT_WORDS)
    # «у Харкові» is a place even though Харко is a surname: after a place preposition a thing's reading wins.
    if [p for p in people if morphology.from_dictionary(p)] and not (nouns and in_place_context):
        # A thing's reading stays a candidate (обстріляли Боярку: Боярко's or Боярка's?): the document decides.
        things = tuple(dict.fromkeys(p.normal_form for p in nouns if p.normal_form not in
                                     {q.normal_form for q in people}))
        return "person", _candidates(people, low) + things
    if not known:
        guesses = [p for p in readings if p.tag.POS == "NOUN"] or readings
        return ("person" if people else "unknown"), _candidates(people or guesses, low)
    if not nouns:
        return None
    if content_follows and any(p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF") for p in following):
        return None  # «у Міністерстві оборони»: the first word of a body's name (not «з Боярки до …»)
    if in_place_context:
        return "place", _candidates(nouns, low)
    # Out of a place context («мером Харкова») the dictionary must know the word only as a proper noun: no
    # common reading beside it (Захід, Шлях have one), not an abstract noun (Християнство, Величність), not a
    # fragment; otherwise the document must have it in a place context too (see NameBook).
    things = [p for p in known if p.tag.POS == "NOUN" and "inan" in p.tag]
    proper = (len(low) >= 4 and all(morphology.one_number(p) for p in things)
              and not any(_ABSTRACT.search(p.normal_form) for p in nouns))
    return ("place" if proper else "noun"), _candidates(nouns, low)


_MASCULINE_SURNAME = re.compile(r"(.+(?:ов|ев|єв|ин|ін|їн))(?:а|у|ові|им|ім)?")


def _surname_by_shape(word: str) -> tuple[str, tuple[str, ...]] | None:
    """After a first name, a word in -ов/-ев/-ин (Соболевим, Терехова) as a man's surname, by its shape."""
    found = _MASCULINE_SURNAME.fullmatch(word.lower())
    return ("person", (found.group(1),)) if found else None


def _common_word(word: str) -> bool:
    readings = [p for p in morphology.parses(word) if morphology.from_dictionary(p)]
    return bool(readings) and not any(_is_person_word(p) for p in readings)


def mentions(sentence: str, offset: int = 0) -> list[Mention]:
    """The name mentions in `sentence` (offsets shifted by `offset`), in order."""
    text = morphology.fold(sentence)
    words = list(_WORD.finditer(text))
    found: list[Mention] = []
    i = 0
    while i < len(words):
        run = _run(text, words, i)
        if not run:
            i += 1
            continue
        first, last, kinds, candidates = run
        between = text[words[first - 1].end():words[first].start()] if first else text[:words[first].start()]
        initial = first == 0 or any(c in _OPENERS for c in between)
        kind = "person" if "person" in kinds else kinds[0]
        found.append(Mention(
            start=offset + words[first].start(), end=offset + words[last].end(),
            words=tuple(w.group() for w in words[first:last + 1]), candidates=tuple(candidates), kind=kind,
            initial=initial, before=tuple(w.group() for w in words[max(0, first - 4):first]),
            patronymic=any("Patr" in p.tag and morphology.from_dictionary(p)
                           for w in words[first + 1:last + 1] for p in morphology.parses(w.group().lower()))))
        i = last + 1
    return found


def _run(text: str, words: list, i: int) -> tuple[int, int, list[str], list[tuple[str, ...]]] | None:
    """The name words starting at word `i`: a person's name may be several words separated by one space."""
    kinds: list[str] = []
    candidates: list[tuple[str, ...]] = []
    j = i
    while j < len(words) and len(kinds) < MAX_WORDS:
        word = words[j].group()
        if not _CAPITALISED.fullmatch(word):
            break
        if kinds and (text[words[j - 1].end():words[j].start()] != " " or kinds[-1] in ("place", "noun")):
            break
        before = words[j - 1].group().lower() if j else ""
        after = words[j + 1].group() if j + 1 < len(words) else ""
        got = _classify(word, before if not kinds else "", after.lower(), after[:1].isupper())
        if kinds and (got is None or got[0] in ("place", "noun")) and kinds[-1] == "person":
            got = _surname_by_shape(word)  # Олексієм Соболевим: a surname the dictionary reads as an adjective
        if got is None or (kinds and got[0] in ("place", "noun")):
            break
        kinds.append(got[0])
        candidates.append(got[1])
        j += 1
    if not kinds:
        return None
    return i, j - 1, kinds, candidates

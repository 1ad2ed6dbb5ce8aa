"""Ukrainian word forms for glossary matching.

Takes a glossary headword (``str``) and returns every surface form the term can take in running
text (:func:`expand` → :class:`Expansion`), using pymorphy3 with the Ukrainian dictionary. Also
holds the character normalisation shared by headwords and text (:func:`normalise`, ``TOKEN_RE``),
which maps spelling variants one character for one so that offsets into the normalised text are
offsets into the original.

Running text is never lemmatised: lemmas of unknown context are unreliable (Збори → «збора»,
Збору → збір). Each headword is expanded once instead, and text is matched by exact lookup.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass

# Apostrophes, hyphens and Latin letters that look like Cyrillic ones. Every mapping is one
# character to one character, so normalised text has the same length as the original.
_APOSTROPHES = "’ʼ‘`′´＇"
_HYPHENS = "\u2010\u2011"
_LATIN = "aceiopxyACEHIKMOPTXBïÏ"
_CYRILLIC = "асеіорхуАСЕНІКМОРТХВїЇ"
_TABLE = str.maketrans(_APOSTROPHES + _HYPHENS + _LATIN, "'" * len(_APOSTROPHES) + "--" + _CYRILLIC)

# A word: letters/digits (plus the combining stress mark some texts carry), apostrophes only
# inside (Скоп'є). Hyphens are separators, so a hyphenated compound is several tokens.
STRESS = "\u0301"
TOKEN_RE = re.compile(r"[\w\u0301]+(?:'[\w\u0301]+)*")

# і/й/та are interchangeable inside a term (Боснія і Герцеговина ~ Боснія та Герцеговина).
CONJUNCTIONS = {"і": "і", "й": "і", "та": "і"}

_NAME_TAGS = ("Name", "Surn", "Patr")

# Most forms one headword may have (the default glossary's largest has 30). Coordinated parts multiply:
# twelve «Київ і Київ і …» would give 535,540 forms and fifteen millions, so a headword over this is
# matched only as written, like a name morphology does not know, rather than exhausting memory.
MAX_FORMS = 256
ADJECTIVE_POS = ("ADJF", "PRTF")


_FOLD_MAP = {chr(k): chr(v) for k, v in _TABLE.items()}
_FOLD_RE = re.compile("[" + re.escape("".join(_FOLD_MAP)) + "]")


def fold(text: str) -> str:
    """Map apostrophe/hyphen/look-alike variants onto one spelling, keeping case and length;
    ґ counts as г (Бєлґород ~ Бєлгород: outlets and the 1990s–2019 spelling rules differ)."""
    return _fold_marks(text).replace("ґ", "г").replace("Ґ", "Г")


def _fold_marks(text: str) -> str:
    # A substitution over the few variant characters is several times faster than
    # str.translate over every character of a mostly-Cyrillic text.
    return _FOLD_RE.sub(lambda m: _FOLD_MAP[m.group()], text)


def _dictionary_spelling(word: str) -> str:
    """`word` lower-cased with its marks folded but ґ kept: the dictionary spells ґ where the word has it."""
    return _fold_marks(word).lower()


def _fold_g(form: str) -> str:
    return form.replace("ґ", "г")


def normalise(text: str) -> str:
    """`fold` plus lower case; the result has exactly ``len(text)`` characters."""
    folded = fold(text)
    lowered = folded.lower()
    if len(lowered) != len(folded):  # a few letters (İ) lower to two characters: keep those as is
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)
    return lowered


def canonical_separator(sep: str) -> str | None:
    """What separates two words of a term, as a comparable key; None if it may not (blank line)."""
    if sep.isspace():
        return " " if sep.count("\n") <= 1 else None
    if sep == "-":
        return "-"
    if sep.count("\n") > 1:
        return None
    # Punctuation only matches where the headword itself has it (e.g. «м. Київ»).
    return re.sub(r"\s+", " ", sep)


def is_abbreviation(word: str) -> bool:
    """ALL-CAPS words of two or more letters (НАТО, KFOR, ЄС): never inflected, matched in capitals."""
    return word.isupper() and sum(c.isalpha() for c in word) >= 2


@dataclass(frozen=True)
class Expansion:
    """The forms of one headword.

    forms: normalised (lower-case) surface forms, words separated as in the headword; the
        headword itself first.
    generated: False when morphology found no plausible paradigm and the headword is used as is.
    lemmas: dictionary forms of the first word's chosen readings; a text word whose readings
        include another lemma is ambiguous with a common word (see `is_ambiguous`).
    """

    forms: tuple[str, ...]
    generated: bool
    lemmas: frozenset[str]


@functools.lru_cache(maxsize=1)
def analyzer():
    """The pymorphy3 Ukrainian analyser (loaded once; ~0.1 s)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


class _TooManyForms(Exception):
    """A headword's forms would pass MAX_FORMS."""


def _check_combinations(options: list, already: int) -> None:
    if already + math.prod(len(o) for o in options) > MAX_FORMS:
        raise _TooManyForms


# Bounded: text words reach parses too (is_ambiguous), and each lexeme holds dozens of parses.
@functools.lru_cache(maxsize=20_000)
def parses(word: str) -> tuple:
    # pymorphy3 also offers ґ/г spelling neighbours of the word; only readings of the word itself count.
    return tuple(p for p in analyzer().parse(word) if p.word == word)


@functools.lru_cache(maxsize=5_000)
def _lexeme(parse) -> tuple:
    return tuple(parse.lexeme)


def one_number(p) -> bool:
    """Whether the reading's lexeme has forms of one number only: the dictionary's paradigm of a proper noun
    (Боярка the town, Суми, Покровськ), where the common noun has both (боярка the shrub, сума, вулиця)."""
    return len({"plur" in q.tag for q in _lexeme(p)}) == 1


def case_of(p) -> str | None:
    # The dictionary omits the case of some dictionary forms (секретар: "NOUN,anim masc").
    return p.tag.case or ("nomn" if p.word == p.normal_form else None)


def _number(p) -> str:
    return "plur" if "plur" in p.tag else "sing"


def from_dictionary(p) -> bool:
    # A reading built from a known ending behind an unknown prefix (су+нак) is a guess too.
    return all(type(step[0]).__name__ == "DictionaryAnalyzer" for step in p.methods_stack)


def _inflectable(word: str, cased: str) -> bool:
    return (
        re.fullmatch(r"[\w']+(?:-[\w']+)*", word) is not None
        and re.search("[а-яіїєґ]", word) is not None
        and not is_abbreviation(cased)
    )


def _noun_heads(word: str, capitalised: bool) -> list:
    """Readings of `word` as a noun in the nominative, most plausible tier only.

    Tier 1: the word is the dictionary form (Збори → plural-only «збори», not plural of «збір»);
    tier 2: any nominative (сили → plural of «сила»). Guessed readings (names the dictionary
    lacks) are used only when the dictionary has none, best score first, names preferred.
    """
    nominative = [p for p in parses(word) if p.tag.POS == "NOUN" and case_of(p) == "nomn"]
    for tier in ([p for p in nominative if p.normal_form == word], nominative):
        if not tier:
            continue
        known = [p for p in tier if from_dictionary(p)]
        if known:
            return known
        if capitalised and any(t in p.tag for p in tier for t in _NAME_TAGS):
            tier = [p for p in tier if any(t in p.tag for t in _NAME_TAGS)]
        best = max(p.score for p in tier)
        return [p for p in tier if p.score >= best - 1e-9]
    return []


def _agrees(adj, noun) -> bool:
    if _number(adj) != _number(noun):
        return False
    return _number(noun) == "plur" or noun.tag.gender is None or adj.tag.gender == noun.tag.gender


def _adjectives(word: str, heads: list) -> list:
    """Nominative adjective readings of `word` that agree with one of the head readings."""
    return [
        p
        for p in parses(word)
        if p.tag.POS in ADJECTIVE_POS and case_of(p) == "nomn" and any(_agrees(p, h) for h in heads)
    ]


def _forms_by_case(parses: list, number: str, gender: str | None) -> dict[str, set[str]]:
    """case → forms, over the lexemes of `parses`, restricted to one number (and gender if singular)."""
    out: dict[str, set[str]] = {}
    for p in parses:
        for i, f in enumerate(_lexeme(p)):
            if _number(f) != number:
                continue
            if number == "sing" and gender and f.tag.gender and f.tag.gender != gender:
                continue
            if "COMP" in f.tag or "Supr" in f.tag:
                continue
            case = f.tag.case or ("nomn" if i == 0 else None)
            if case:
                out.setdefault(case, set()).add(f.word)
    return out


@dataclass
class _Group:
    """A nominal group: agreeing adjectives, a head noun, names in apposition, agreeing adjectives."""

    words: list[str]
    slots: list  # per word: the readings that inflect along with the head
    head: int  # index of the head noun in `words`


def _parse_group(words: list[str], cased: list[str]) -> tuple[_Group, int] | None:
    """Recognise a nominal group at the start of `words`; return it and how many words it spans."""
    n = len(words)
    h = None
    for i in range(n):
        if not _inflectable(words[i], cased[i]):
            # An abbreviation can head a group its adjectives agree with (Каховська ГЕС).
            if i > 0 and is_abbreviation(cased[i]) and _noun_heads(words[i], True):
                h = i
                break
            return None
        heads = _noun_heads(words[i], cased[i][:1].isupper())
        # A word that can be an adjective agreeing with the next noun is one (Біла Церква,
        # Кривий Ріг), even if the dictionary also lists it as a surname.
        if i + 1 < n and _inflectable(words[i + 1], cased[i + 1]):
            nxt = _noun_heads(words[i + 1], cased[i + 1][:1].isupper())
            if nxt and _adjectives(words[i], nxt):
                continue
        if heads:
            h = i
            break
        if not [p for p in parses(words[i]) if p.tag.POS in ADJECTIVE_POS and case_of(p) == "nomn"]:
            return None
    if h is None:
        return None
    heads = _noun_heads(words[h], cased[h][:1].isupper())
    if (
        h + 1 < n
        and cased[h][:1].isupper()
        and cased[h + 1][:1].isupper()
        and not any(_is_person(p) for p in heads)
        and any("Surn" in p.tag or not from_dictionary(p) for p in _noun_heads(words[h + 1], True))
    ):
        return None  # a foreign first name read as a common noun (Кір Стармер): see _fixed_prefix
    slots: list = []
    for i in range(h):
        adjs = _adjectives(words[i], heads)
        if not adjs:
            return None
        slots.append(adjs)
    slots.append(heads)
    j = h + 1
    # Names in apposition inflect in parallel (Єнса Столтенберга, Володимира Зеленського): a
    # capitalised animate head followed by capitalised words that read as names.
    person = cased[h][:1].isupper() and any(_is_person(p) for p in heads)
    while person and j < n and cased[j][:1].isupper() and _inflectable(words[j], cased[j]):
        # A name the dictionary does not know has only guessed readings, rarely tagged as names.
        names = [p for p in _noun_heads(words[j], True) if _is_name(p) or not from_dictionary(p)]
        same = [p for p in names if any(_agrees_noun(p, x) for x in heads)]
        if not same:
            break
        slots.append(same)
        j += 1
    # An agreeing adjective right after the head inflects with it (Папа Римський → Папи Римського),
    # unless it can also be a noun (Кабінет Міністрів: «міністрів» is also a possessive adjective).
    while j < n and _inflectable(words[j], cased[j]) and not any(p.tag.POS == "NOUN" for p in parses(words[j])):
        adjs = _adjectives(words[j], heads)
        if not adjs:
            break
        slots.append(adjs)
        j += 1
    return _Group(words[:j], slots, h), j


def _is_name(p) -> bool:
    return any(t in p.tag for t in _NAME_TAGS)


def _is_person(p) -> bool:
    return "anim" in p.tag or _is_name(p)


def _agrees_noun(a, b) -> bool:
    return _number(a) == _number(b) and (a.tag.gender is None or b.tag.gender is None or a.tag.gender == b.tag.gender)


def _group_forms(group: _Group) -> dict[str, set[str]]:
    """case → forms of the whole group, one per combination of agreeing word forms."""
    out: dict[str, set[str]] = {}
    for head in group.slots[group.head]:
        number, gender = _number(head), head.tag.gender
        per_word = []
        for k, parses in enumerate(group.slots):
            if k == group.head:
                per_word.append(_forms_by_case([head], number, gender))
            else:
                agreeing = [p for p in parses if _agrees(p, head) or _agrees_noun(p, head)]
                per_word.append(_forms_by_case(agreeing or parses, number, gender))
        head_forms = per_word[group.head]
        for case, forms in head_forms.items():
            for form in forms:
                options = []
                for k, word_forms in enumerate(per_word):
                    if k == group.head:
                        options.append([form])
                    elif case == "accs":
                        options.append(_accusative(word_forms, form in head_forms.get("nomn", ())))
                    else:
                        options.append(sorted(word_forms.get(case, ())))
                if all(options):
                    _check_combinations(options, sum(len(f) for f in out.values()))
                    for combo in itertools.product(*options):
                        out.setdefault(case, set()).add(" ".join(combo))
    return out


def _accusative(word_forms: dict[str, set[str]], like_nominative: bool) -> list[str]:
    """Accusative forms of an agreeing word: like its nominative for an inanimate head
    (Західний Берег), like its genitive for an animate one (генерального секретаря)."""
    accs = word_forms.get("accs", set())
    like = accs & word_forms.get("nomn" if like_nominative else "gent", set())
    return sorted(like or accs)


def _single_adjective(word: str, capitalised: bool) -> list[str] | None:
    """Forms of a one-word adjective term; a capitalised one (a surname, a town) keeps its gender."""
    adjs = [p for p in parses(word) if p.tag.POS in ADJECTIVE_POS and case_of(p) == "nomn"]
    if not adjs:
        return None
    if capitalised:
        forms = set()
        for p in adjs:
            for f in _forms_by_case([p], _number(p), p.tag.gender).values():
                forms |= f
        return sorted(forms)
    return sorted({f.word for p in adjs for f in _lexeme(p) if "COMP" not in f.tag and "Supr" not in f.tag})


def expand(headword: str, inflect: bool = True, person: bool | None = None) -> Expansion:
    """All surface forms of `headword` (normalised, lower case); see `Expansion`.

    Multi-word terms inflect their head noun with agreeing adjectives and names in apposition;
    words after the group (genitive modifiers such as «України», abbreviations) stay fixed.
    Parts joined by і/й/та inflect in parallel (Боснії і Герцеговини). Number is kept: a
    singular headword yields singular forms only (generic plurals would mistranslate the target).
    A headword with over `MAX_FORMS` forms is kept as written (``generated`` False).
    A person's name (`is_person`; `person` True/False says so explicitly) inflects by name
    paradigms only (`_person_forms`), never as a common noun of the same spelling.
    """
    try:
        if inflect and is_person(headword, person):
            return _person_expansion(headword)
        return _expand(headword, inflect)
    except _TooManyForms:
        words = [normalise(w) for w in fold(" ".join(headword.split())).split(" ")]
        return Expansion((" ".join(words),), False, frozenset([words[0]]))


def _expand(headword: str, inflect: bool) -> Expansion:
    raw_words = " ".join(headword.split()).split(" ")
    cased_words = [fold(w) for w in raw_words]
    words = [_dictionary_spelling(w) for w in raw_words]
    head = normalise(" ".join(raw_words))
    first = head.split(" ")[0]
    fixed = Expansion((head,), False, frozenset([first]))
    if not inflect:
        return Expansion((head,), True, frozenset([first]))
    if not any(_inflectable(w, c) for w, c in zip(words, cased_words)):
        return Expansion((head,), True, frozenset([first]))  # abbreviations, Latin, digits

    if len(words) == 1:
        word, capitalised = words[0], cased_words[0][:1].isupper()
        heads = _noun_heads(word, capitalised)
        if heads:
            forms = set()
            for h in heads:
                for f in _forms_by_case([h], _number(h), h.tag.gender).values():
                    forms |= f
            return _expansion(head, forms, heads)
        adj = _single_adjective(word, capitalised)
        if adj:
            return _expansion(head, set(adj), [p for p in parses(word) if p.tag.POS in ADJECTIVE_POS])
        return fixed

    # Words before the first group stay fixed if they are adverbs (тимчасово окуповані
    # території) or capitalised words with no nominative reading of a person (Нікол Пашинян,
    # Кір Стармер).
    i = 0
    while (
        i + 1 < len(words)
        and _parse_group(words[i:], cased_words[i:]) is None
        and _fixed_prefix(words[i], cased_words[i])
    ):
        i += 1
    prefix = tuple(words[:i])
    # Split into coordinated groups (and a fixed tail after the last group).
    parts: list[dict[str, set[str]]] = []
    first_parses: list = []
    while i < len(words):
        parsed = _parse_group(words[i:], cased_words[i:])
        if parsed is None:
            if not parts:
                return fixed
            break
        group, span = parsed
        if not first_parses:
            first_parses = group.slots[0]
        parts.append(_group_forms(group))
        i += span
        if i + 1 < len(words) and words[i] in CONJUNCTIONS:
            rest = _parse_group(words[i + 1:], cased_words[i + 1:])
            if rest is not None:
                parts.append({case: {words[i]} for case in parts[-1]})
                i += 1
                continue
        break
    tail = " ".join(words[i:])
    forms = set()
    for case in parts[0]:
        options = [sorted(p.get(case, ())) for p in parts]
        if all(options):
            _check_combinations(options, len(forms))
            for combo in itertools.product(*options):
                forms.add(" ".join(prefix + combo + ((tail,) if tail else ())))
    if not forms:
        return fixed
    return _expansion(head, forms, first_parses if not prefix else [])


def _fixed_prefix(word: str, cased: str) -> bool:
    readings = parses(word)
    if readings and all(p.tag.POS == "ADVB" for p in readings):
        return True
    return cased[:1].isupper() and _inflectable(word, cased) and not any(_is_person(p) for p in _noun_heads(word, True))


def _expansion(head: str, forms: set[str], first_parses: list) -> Expansion:
    lemmas = frozenset(_fold_g(p.normal_form) for p in first_parses) | {head.split(" ")[0]}
    forms = {_fold_g(f) for f in forms}
    forms.discard(head)
    return Expansion((head, *sorted(forms)), True, lemmas)


def is_ambiguous(word: str, lemmas: frozenset[str]) -> bool:
    """Whether lower-case `word` is, per the dictionary, also a form of a common word other than
    `lemmas` (Зборів ~ збір, Малюк ~ малюк "toddler", Піт ~ піт "sweat" for a person, whose `lemmas`
    are empty). Guessed readings do not count (every unknown name has some), nor do readings as
    another name: neither makes a capitalised word a common word."""
    return any(
        p.normal_form not in lemmas and not _is_name(p) and from_dictionary(p) for p in parses(word)
    )


# ---- person names ------------------------------------------------------------------------------

_RULES_VERSION = 2  # bump when expansion rules change
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_CAPITALISED = re.compile(r"[А-ЯІЇЄҐ][а-яіїєґ']+(?:-[А-ЯІЇЄҐ][а-яіїєґ']+)?")
# Adjectival surnames (Сирський, Зеленська, Кличко's «Ярославський»): they decline as adjectives.
_ADJECTIVAL = re.compile(r".+(?:ськ|цьк|зьк)(?:ий|а)")
_SIBILANTS = "жчшщ"
# First-declension stems alternate before -і (Сибіга → Сибізі, Кошка → Кошці), as in nouns.
_BEFORE_I = {"г": "з", "к": "ц", "х": "с"}


def is_person(headword: str, explicit: bool | None = None) -> bool:
    """Whether `headword` names a person: `explicit` (the entry's ``person=`` option) if given, else
    its shape — one to three capitalised Cyrillic words — and the dictionary's tags: a first name
    (Name) followed by a surname (Surn) or a word the dictionary does not know, or one word that
    is a surname in the dictionary (Малюк), an adjectival surname the dictionary does not know
    (Сирський), or a guessed name or surname. A word that is also a place or a thing (Ізраїль,
    inanimate in the dictionary) is not taken for a name unless said so."""
    if explicit is not None:
        return explicit
    words = " ".join(headword.split()).split(" ")
    if not 1 <= len(words) <= 3 or not all(_CAPITALISED.fullmatch(fold(w)) for w in words):
        return False
    low = [_dictionary_spelling(w) for w in words]
    if len(low) == 1:
        readings = parses(low[0])
        known = [p for p in readings if from_dictionary(p)]
        if known:
            if any(p.tag.POS == "NOUN" and "inan" in p.tag and p.normal_form == low[0] for p in known):
                return False
            return any("Surn" in p.tag and case_of(p) == "nomn" and p.normal_form == low[0] for p in known)
        # Unknown single words may as well be places (Бєлгород): only a surname's shape decides.
        return _ADJECTIVAL.fullmatch(low[0]) is not None
    first = [p for p in parses(low[0]) if from_dictionary(p) and "Name" in p.tag]
    if any(case_of(p) == "nomn" and p.normal_form == low[0] and _number(p) == "sing" for p in first):
        return True
    if not first:
        return False
    # A first name the dictionary knows only as another name's plural (Кір, Нікол): the surname decides.
    last = parses(low[-1])
    return (
        any("Surn" in p.tag for p in last)
        or not any(from_dictionary(p) for p in last)
        or _ADJECTIVAL.fullmatch(low[-1]) is not None
    )


def _person_expansion(headword: str) -> Expansion:
    words = [_dictionary_spelling(w) for w in " ".join(headword.split()).split(" ")]
    head = _fold_g(" ".join(words))
    per_word = _person_forms(words)
    forms = set()
    for case in _CASES:
        options = [sorted(w.get(case, ())) for w in per_word]
        if all(options):
            _check_combinations(options, len(forms))
            forms.update(" ".join(combo) for combo in itertools.product(*options))
    forms = {_fold_g(f) for f in forms}
    forms.discard(head)
    # No lemmas: every dictionary reading of a name's word as a common word is another word (Піт ~ піт).
    return Expansion((head, *sorted(forms)), True, frozenset())


def _person_forms(words: list[str]) -> list[dict[str, set[str]]]:
    """case → singular forms, for each word of a person's name: given names, then the surname."""
    gender = _person_gender(words)
    out = [_given_name_forms(w, gender) for w in words[:-1]] + [_surname_forms(words[-1], gender)]
    for forms in out:
        # A person is animate: the accusative is the genitive (Сирського), never the nominative.
        like_gent = forms.get("accs", set()) & forms.get("gent", set())
        if like_gent:
            forms["accs"] = like_gent
    return out


def _person_gender(words: list[str]) -> str | None:
    """The person's gender, from the first name the dictionary knows, else the words' shape;
    None for a lone surname that may be a man's or a woman's (Верещук)."""
    if len(words) > 1:
        genders = {p.tag.gender for p in parses(words[0])
                   if "Name" in p.tag and case_of(p) == "nomn" and _number(p) == "sing" and from_dictionary(p)}
        if len(genders) == 1:
            return genders.pop()
        return "femn" if words[0][-1] in "ая" else "masc"
    word = words[0]
    if _ADJECTIVAL.fullmatch(word):
        return "masc" if word.endswith("ий") else "femn"
    return None


def _given_name_forms(word: str, gender: str | None) -> dict[str, set[str]]:
    names = [p for p in parses(word)
             if ("Name" in p.tag or "Patr" in p.tag) and case_of(p) == "nomn" and _number(p) == "sing"
             and p.normal_form == word and (gender is None or p.tag.gender == gender)]
    known = [p for p in names if from_dictionary(p)]
    if known:
        return _forms_by_case(known, "sing", gender)
    # A foreign first name the dictionary lacks is often left undeclined before a declined surname
    # (Кір Стармером as well as Кіра Стармера).
    forms = _declined_by_shape(word, gender)
    for case in _CASES:
        forms.setdefault(case, set()).add(word)
    return forms


def _surname_forms(word: str, gender: str | None) -> dict[str, set[str]]:
    """A surname's singular forms: as an adjective (Сирський → Сирського), by the dictionary's
    surname paradigm for that gender (Пашинян, Верещук for a woman: indeclinable), else by shape."""
    if _ADJECTIVAL.fullmatch(word):
        adjs = [p for p in parses(word) if p.tag.POS in ADJECTIVE_POS and case_of(p) == "nomn" and _number(p) == "sing"]
        own = gender or ("masc" if word.endswith("ий") else "femn")
        adjs = [p for p in adjs if p.tag.gender == own]
        if adjs:
            return _forms_by_case(adjs, "sing", own)
    out: dict[str, set[str]] = {}
    for g in ((gender,) if gender else ("masc", "femn")):
        surnames = [p for p in parses(word) if "Surn" in p.tag and from_dictionary(p) and case_of(p) == "nomn"
                    and _number(p) == "sing" and p.normal_form == word and p.tag.gender == g]
        found = _forms_by_case(surnames, "sing", g) if surnames else _declined_by_shape(word, g)
        for case, forms in found.items():
            out.setdefault(case, set()).update(forms)
    return out


def _declined_by_shape(word: str, gender: str | None) -> dict[str, set[str]]:
    """Singular forms of a name the dictionary does not know, by the rules of Ukrainian grammar for
    names (Правопис 2019, §§ 80–84, 130): -а/-я names of either gender follow the first declension
    (Сибіга → Сибіги, Сибізі, Сибігу, Сибігою); a man's name in a consonant the second (Гегсет →
    Гегсета, Гегсетові/Гегсету, Гегсетом); a woman's in a consonant, and names in other vowels
    (Рютте, Антоніу), do not decline — save men's in -ко (Франко → Франка)."""
    fixed = {case: {word} for case in _CASES}
    stem, last = word[:-1], word[-1]
    if last in "ая":
        if last == "я":
            vowel_stem = stem[-1:] in "аеєиіїоуюя'"
            obl, acc, ins = ("ї", "ю", "єю") if vowel_stem else ("і", "ю", "ею")
            return _cases(word, stem + obl, (stem + obl,), stem + acc, stem + ins, (stem + obl,))
        if stem[-1:] in _SIBILANTS:
            return _cases(word, stem + "і", (stem + "і",), stem + "у", stem + "ею", (stem + "і",))
        at_i = stem[:-1] + _BEFORE_I.get(stem[-1:], stem[-1:]) + "і"
        return _cases(word, stem + "и", (at_i,), stem + "у", stem + "ою", (at_i,))
    if gender == "femn":
        return fixed
    if last in "аеєиіїоуюя":
        if word.endswith("ко"):
            return _cases(word, stem + "а", (stem + "ові", stem + "у"), stem + "а", stem + "ом", (stem + "ові", stem + "у"))
        return fixed
    if last == "ь":
        return _cases(word, stem + "я", (stem + "ю", stem + "еві"), stem + "я", stem + "ем", (stem + "і", stem + "еві"))
    if last == "й":
        return _cases(word, stem + "я", (stem + "ю", stem + "єві"), stem + "я", stem + "єм", (stem + "ї", stem + "єві"))
    if last in _SIBILANTS:
        return _cases(word, word + "а", (word + "у", word + "еві"), word + "а", word + "ем", (word + "і", word + "еві"))
    # Locative -і only after a non-velar (Гегсеті; a velar would alternate: Сунаці is not used).
    loct = (word + "ові", word + "у") + (() if last in _BEFORE_I else (word + "і",))
    return _cases(word, word + "а", (word + "ові", word + "у"), word + "а", word + "ом", loct)


def _cases(nomn: str, gent: str, datv: tuple, accs: str, ablt: str, loct: tuple) -> dict[str, set[str]]:
    return {"nomn": {nomn}, "gent": {gent}, "datv": set(datv), "accs": {accs}, "ablt": {ablt}, "loct": set(loct)}


def person_has_genitive(headword: str, explicit: bool | None = None) -> bool | None:
    """For a person entry: whether its forms include a genitive other than the headword itself (an
    indeclinable name's genitive is the headword); None when `headword` is no person."""
    if not is_person(headword, explicit):
        return None
    words = [_dictionary_spelling(w) for w in " ".join(headword.split()).split(" ")]
    return all(w.get("gent") for w in _person_forms(words))


def unrelated_forms(headword: str, forms: tuple[str, ...]) -> list[str]:
    """Forms of `headword` (as `expand` gives them) whose words the analyser reads only as forms of
    other words than the headword's (Сирський → «сирськию»): a paradigm guessed wrong."""
    heads = " ".join(headword.split()).split(" ")
    own = [{_fold_g(p.normal_form) for p in parses(_dictionary_spelling(w))} | {normalise(w)} for w in heads]
    out = []
    for form in forms:
        words = form.split(" ")
        if len(words) != len(heads):
            continue
        for k, w in enumerate(words):
            if w == normalise(heads[k]):
                continue
            readings = analyzer().parse(w)
            head = normalise(heads[k])
            # Related: some reading has the headword's lemma, or has the headword among its forms.
            if readings and not any(
                _fold_g(p.normal_form) in own[k] or head in {_fold_g(f.word) for f in _lexeme(p)} for p in readings
            ):
                out.append(form)
                break
    return out


def versions() -> str:
    """Versions of what shapes the forms, for cache keys."""
    from importlib import metadata

    # The rules' own version: expansions cached on disk by an older rule set must not be reused.
    out = [f"rules={_RULES_VERSION}"]
    for dist in ("pymorphy3", "pymorphy3-dicts-uk"):
        try:
            out.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(f"{dist}=?")
    return ";".join(out)

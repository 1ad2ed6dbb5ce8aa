"""Is a name Ukrainian (romanised by the national standard) or not (the model renders it)?

Takes a name's dictionary form and the words before each of its mentions; returns a short reason for the
decision. The Ukrainian dictionary tags names as names (Name, Surn, Patr) whatever their origin (Шольц,
Сікорський and Бондаренко are all «Surn») and places as plain nouns, so origin is decided by evidence a
linguist would accept, and stated in the report. A name is **Ukrainian** when it has a patronymic (Тарас
Григорович) or a Ukrainian suffix — surnames in -енко, -ук/-юк/-чук, -ишин, -ський/-цький, -ович/-евич, -ів,
-ов/-ев, -ин, -ак/-як;
places in -івка/-ївка, -ськ/-цьк, -ів/-їв, -піль/-поль, -город, -ове/-еве/-єве, -ине, -ичі, -щина/-ччина —
and nothing says it is foreign. Anything else is left to the model, whose rendering of the dictionary form is
then used at every mention: it knows Гамбург is Hamburg and Кеннеді Kennedy, where romanising them as
Ukrainian would give "Hamburh", "Kennedi". **Foreign** evidence overrides a Ukrainian shape:

* **context**: a mention introduced by a foreign country or nationality — «канцлер Німеччини Олаф Шольц»,
  «президента Сербії Александра Вучича», «польський міністр Радослав Сікорський». Country names are
  pycountry's Ukrainian names of ISO 3166 (plus the short forms news uses: Росія, Британія, Америка); a
  country after a preposition is a place (посол України в Польщі Василь Боднар), not a nationality;
* **spelling**: letter sequences that Ukrainian names do not have but transcriptions of foreign ones do —
  a doubled consonant other than нн/лл/тт (Морріс), initial Дж (Джонсон), ю after a labial or г/к/х
  (Мюллер), a diphthong еу/оу (Лоуренс), foreign final clusters (Трамп, Шольц, Штайнмаєр's -ер, Столтенберг's
  -рг), and the South Slavic -ич that is not the Ukrainian -ович/-евич (Вучич, Пленкович).
"""

from __future__ import annotations

import functools
import re
from typing import Sequence

from translate import morphology

__all__ = ["countries", "foreign_context", "foreign_spelling", "ukrainian_shape"]

# -ов/-ев/-ин and -ак/-як are Russian and West Slavic too, but in Ukrainian news a name so spelt that no
# context marks foreign is a Ukrainian's (Федоров, Волошин, Буряк), and the Russians news names are listed.
_UKRAINIAN_SURNAME = re.compile(r"(енко|ук|юк|ишин|[сцз]ьк(?:ий|а)|[оеє]вич|ів|їв|[оеє]в|[оеє]ва|ин|ина|[ая]к)$")
_UKRAINIAN_PLACE = re.compile(r"(івка|ївка|[сцз]ьк|ів|їв|піль|поль|город|[оеє]ве|[иї]не|ичі|щина|ччина)$")

# Nationality adjectives of the countries Ukrainian news names most (lower case stems; «німецьк» matches every
# form of «німецький»). Ukraine's own (українськ) is of course not here.
_NATIONALITY_STEMS = (
    "американськ", "англійськ", "австрійськ", "азербайджанськ", "албанськ", "бельгійськ", "білоруськ",
    "болгарськ", "британськ", "вірменськ", "грецьк", "грузинськ", "данськ", "естонськ", "ізраїльськ",
    "індійськ", "іранськ", "ірландськ", "іспанськ", "італійськ", "казахськ", "канадськ", "китайськ",
    "корейськ", "латвійськ", "литовськ", "молдовськ", "нідерландськ", "німецьк", "норвезьк", "польськ",
    "португальськ", "російськ", "румунськ", "сербськ", "словацьк", "словенськ", "турецьк", "угорськ",
    "фінськ", "французьк", "хорватськ", "чеськ", "швейцарськ", "шведськ", "японськ", "австралійськ",
)
_EXTRA_COUNTRIES = ("росія", "британія", "америка", "англія", "шотландія", "корея", "ватикан", "чехія")
_PREPOSITIONS = frozenset("у в до з із зі на від біля поблизу через між під по для".split())

_FOREIGN_SPELLINGS = (
    (re.compile(r"(бб|вв|гг|дд|жж|зз|кк|мм|пп|рр|сс|фф|цц|чч|шш)"), "doubled consonant"),
    (re.compile(r"^дж"), "initial дж"),
    (re.compile(r"[бпмфвгкх]ю"), "ю after a labial or velar"),
    (re.compile(r"(еу|оу)"), "diphthong"),  # not ау: Наумов, Наум are native
    (re.compile(r"(мп|нц|льц|тц|нг|рг|дт|рд|кс|гс|тс|ер|ерс)$"), "final cluster"),
    (re.compile(r"(?<![оеє]в)ич$"), "South Slavic -ич"),
)


@functools.lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Dictionary forms of the head nouns of country names in Ukrainian (польща, німеччина, британія…)."""
    import gettext

    import pycountry

    names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["uk"], fallback=True)
    heads = set(_EXTRA_COUNTRIES)
    for country in pycountry.countries:
        for english in {country.name, getattr(country, "common_name", country.name)}:
            words = morphology.fold(names.gettext(english)).lower().split()
            if words:
                heads.add(words[-1] if len(words) > 1 and not words[-1].startswith("(") else words[0])
    heads.discard("україна")
    return frozenset(heads)


def _lemmas(word: str) -> set[str]:
    return {p.normal_form for p in morphology.parses(word.lower()) if p.tag.POS == "NOUN"}


def foreign_context(before: Sequence[str]) -> str | None:
    """Why the words just before a mention (nearest last) make it foreign, or None."""
    near = list(before[-3:])
    for i in range(len(near) - 1, -1, -1):
        word = near[i].lower()
        if word.startswith(_NATIONALITY_STEMS):
            return f"foreign: «{near[i]}» before it"
        if near[i][:1].isupper() and _lemmas(near[i]) & countries():
            previous = near[i - 1].lower() if i > 0 else (before[-4].lower() if len(before) > 3 else "")
            if previous not in _PREPOSITIONS:
                return f"foreign: «{near[i]}» before it"
    return None


def ukrainian_shape(lemma: str, kind: str) -> str | None:
    """Why a name's dictionary form (its last word: the surname, the place) is Ukrainian by shape, or None."""
    last = lemma.split()[-1].split("-")[-1] if lemma.split() else ""
    patterns = {"person": (_UKRAINIAN_SURNAME,), "place": (_UKRAINIAN_PLACE,), "noun": (_UKRAINIAN_PLACE,)}
    for pattern in patterns.get(kind, (_UKRAINIAN_SURNAME, _UKRAINIAN_PLACE)):
        found = pattern.search(last)
        if found:
            return f"Ukrainian suffix -{found.group(1)}"
    return None


def foreign_spelling(lemma: str) -> str | None:
    """Why a name's dictionary form (lower case; several words allowed) is spelt as a foreign name, or None."""
    for word in lemma.split():
        for part in word.split("-"):
            for pattern, what in _FOREIGN_SPELLINGS:
                if pattern.search(part):
                    return f"foreign spelling ({what}: {part})"
    return None

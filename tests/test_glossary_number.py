"""Grammatical number: a plural form of a singular entry gets the plural English, and back."""

from __future__ import annotations

import re

import pytest

from translate import Glossary, Translator
from translate.glossary.entries import parse_options
from translate.glossary.index import forms_of
from translate.glossary.number import other_english

ENTRIES = [
    ("посол", "ambassador"),
    ("генеральний секретар", "Secretary General"),
    ("генеральний секретар НАТО", "NATO Secretary General"),
    ("генсек", "Secretary General"),
    ("шахед", "Shahed"),
    ("окуповані території", "occupied territories"),
    ("дрон", "drone"),
    ("територія", "territory"),
    ("переговори", "talks"),
    ("Збройні сили України", "Armed Forces of Ukraine"),
]


@pytest.fixture(scope="module")
def glossary():
    return Glossary.from_pairs(ENTRIES, cache_dir=False)


def only_match(glossary, text):
    found = glossary.find(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, surface, target, plural", [
    ("Посли прибули до Києва.", "Посли", "ambassadors", True),
    ("Зустріч послів ЄС.", "послів", "ambassadors", True),
    ("Він зустрівся з послами.", "послами", "ambassadors", True),
    ("Він зустрівся з послом.", "послом", "ambassador", False),
    ("Приїзд посла.", "посла", "ambassador", False),
    ("генеральні секретарі говорили", "генеральні секретарі", "Secretaries General", True),
    ("зустріч генеральних секретарів", "генеральних секретарів", "Secretaries General", True),
    ("слова генерального секретаря", "генерального секретаря", "Secretary General", False),
    ("колишніх генсеків", "генсеків", "Secretaries General", True),
    ("разом із генсеком", "генсеком", "Secretary General", False),
    ("усі генсеки", "генсеки", "Secretaries General", True),
    ("колишні генеральні секретарі НАТО", "генеральні секретарі НАТО", "NATO Secretaries General", True),
    ("летіли шахеди", "шахеди", "Shaheds", True),
    ("атакувала шахедами", "шахедами", "Shaheds", True),
    ("уламки шахеда", "шахеда", "Shahed", False),
    ("окуповані території", "окуповані території", "occupied territories", True),
    ("на окупованих територіях", "окупованих територіях", "occupied territories", True),
    ("окупована територія", "окупована територія", "occupied territory", False),
    ("з окупованої території", "окупованої території", "occupied territory", False),
    ("на окупованій території", "окупованій території", "occupied territory", False),
    ("збили дрони", "дрони", "drones", True),
    ("атака дронів", "дронів", "drones", True),
    ("удар дроном", "дроном", "drone", False),
    ("кордони територій", "територій", "territories", True),
    ("Збройних сил України", "Збройних сил України", "Armed Forces of Ukraine", True),
])
def test_each_form_gets_the_english_of_its_number(glossary, text, surface, target, plural):
    m = only_match(glossary, text)
    assert (m.surface, m.target, m.plural) == (surface, target, plural)


def test_the_entry_keeps_the_headwords_english(glossary):
    m = only_match(glossary, "Посли прибули.")
    assert m.entry.target == "ambassador" and m.target == "ambassadors"


@pytest.mark.parametrize("text", ["межі території", "території"])
def test_a_form_of_either_number_keeps_the_headwords_number(glossary, text):
    # «території»: genitive singular and nominative plural alike; the headword is singular.
    m = only_match(glossary, text)
    assert (m.target, m.plural) == ("territory", False)


@pytest.mark.parametrize("text", ["Збройна сила України", "переговору"])
def test_names_of_bodies_and_plural_only_nouns_get_no_other_number(glossary, text):
    assert glossary.find(text) == []


def test_a_plural_only_noun_matches_as_plural(glossary):
    m = only_match(glossary, "після переговорів")
    assert (m.surface, m.target, m.plural) == ("переговорів", "talks", True)


def test_plural_option_gives_the_plural_english_by_hand():
    g = Glossary.from_pairs([("посол", "ambassador", "plural=envoys")], cache_dir=False)
    assert only_match(g, "послів").target == "envoys"
    assert only_match(g, "посла").target == "ambassador"


def test_singular_option_gives_the_singular_english_of_a_plural_headword():
    g = Glossary.from_pairs([("окуповані території", "occupied territories", "singular=occupied area")],
                            cache_dir=False)
    assert only_match(g, "з окупованої території").target == "occupied area"
    assert only_match(g, "окупованих територій").target == "occupied territories"


def test_plural_option_offers_the_plural_of_a_capitalised_entry():
    g = Glossary.from_pairs([("Генеральний секретар ООН", "UN Secretary-General",
                              "plural=UN Secretaries-General")], cache_dir=False)
    m = only_match(g, "Генеральні секретарі ООН")
    assert (m.target, m.plural) == ("UN Secretaries-General", True)


def test_a_capitalised_entry_keeps_its_number_without_the_option():
    g = Glossary.from_pairs([("Генеральний секретар ООН", "UN Secretary-General")], cache_dir=False)
    assert g.find("Генеральні секретарі ООН") == []


@pytest.mark.parametrize("source, target, plural_text", [
    ("сектор Газа", "Gaza Strip", "сектори Газа"),
    ("фон дер Ляєн", "von der Leyen", "фони дер Ляєн"),
])
def test_a_lower_case_head_with_a_name_in_it_keeps_its_number(source, target, plural_text):
    g = Glossary.from_pairs([(source, target)], cache_dir=False)
    assert g.find(plural_text) == []


def test_an_abbreviation_in_the_entry_still_allows_the_plural():
    g = Glossary.from_pairs([("президент США", "US President")], cache_dir=False)
    assert only_match(g, "колишні президенти США").target == "US Presidents"


def test_an_exact_entry_gets_no_other_number():
    g = Glossary.from_pairs([("посол", "ambassador", "match=exact")], cache_dir=False)
    assert g.find("посли") == []


def test_plural_option_keeps_its_english_as_written():
    assert parse_options("plural=Secretaries General;case=any") == {"plural": "Secretaries General", "case": "any"}


def test_other_number_forms_are_listed_apart():
    g = Glossary.from_pairs([("посол", "ambassador")], cache_dir=False)
    assert "посли" not in g.forms("посол")
    assert {"посли", "послів", "послам", "послами", "послах"} <= set(forms_of(g._built().index, 0, other_number=True))


@pytest.mark.parametrize("target, to_plural, expected", [
    ("Secretary General", True, "Secretaries General"),
    ("Attorney General", True, "Attorneys General"),
    ("Shahed", True, "Shaheds"),
    ("ambassador", True, "ambassadors"),
    ("NATO Secretary General", True, "NATO Secretaries General"),
    ("UN Secretary-General", True, "UN Secretaries-General"),
    ("guided aerial bomb", True, "guided aerial bombs"),
    ("Armed Forces", True, "Armed Forces"),
    ("temporarily occupied territories", False, "temporarily occupied territory"),
    ("Occupied Territories", False, "Occupied Territory"),
])
def test_english_of_the_other_number(target, to_plural, expected):
    assert other_english(target, to_plural=to_plural) == expected


def occurrences(text: str, target: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(target) + r"(?!\w)", text, re.IGNORECASE))


def test_the_translator_enforces_the_plural_english(translator, glossary):
    t = Translator.from_settings(translator.settings, engine=translator.engine, glossary=glossary)
    doc = t.translate_document("Посли зустрілися з генсеком. Шахеди атакували місто.")
    by_surface = {term.surface: term for term in doc.terms}
    assert by_surface["Посли"].target == "ambassadors" and by_surface["Посли"].applied
    assert by_surface["генсеком"].target == "Secretary General"
    assert by_surface["Шахеди"].target == "Shaheds" and by_surface["Шахеди"].applied
    assert occurrences(doc.text, "ambassadors") >= 1
    assert occurrences(doc.text, "Shaheds") >= 1

"""The review's checks (translate/review/) on hand-written Ukrainian/English pairs: each fires where it should
and stays quiet on faithful English, with the span it points at and a reason an editor can act on."""

from __future__ import annotations

import pytest

from translate.review import KINDS, Flag, flagged_sentences, review
from translate.review import length, numbers, repetition, untranslated


def kinds(source: str, english: str, **options) -> list[str]:
    return [f.kind for f in review(source, english, **options)]


def pointed(english: str, flag: Flag) -> str:
    return english[flag.start:flag.end]


# -- repetition ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("english, run", [
    ("The the the army advanced.", "The the the"),
    ("Kyiv, Kyiv, Kyiv and Kharkiv were shelled.", "Kyiv, Kyiv, Kyiv"),
    ("He said that the war in Ukraine the war in Ukraine the war in Ukraine goes on.",
     "the war in Ukraine the war in Ukraine the war in Ukraine"),
    ("The ministers of the European Union, the ministers of the European Union met.",
     "The ministers of the European Union, the ministers of the European Union"),
    ("NATO said the talks went well; NATO said the talks went on; NATO said the talks ended.",
     "NATO said the talks went well; NATO said the talks went on; NATO said the talks"),
    ("Shelling hit Zaporizhzhiazhzhiazhzhiazhzhia overnight.", "zhzhiazhzhiazhzhiazhzhia"),
])
def test_degenerate_repetition_is_flagged_at_the_repeated_run(english, run):
    flags = repetition.check(english)
    assert [f.kind for f in flags] == ["repetition"]
    assert pointed(english, flags[0]) == run
    assert repetition.degenerate(english)


@pytest.mark.parametrize("english", [
    "The Black Sea to the north and the Mediterranean Sea to the south.",  # "sea to the" three times is prose
    "Bye bye, said the minister.",
    "The guru said: 'way of the guru'. The guru is central.",
    "Ukraine's Armed Forces and Russia's armed forces exchanged fire again and again.",
    "The 1,000,000 hryvnias were paid in 2023, 2024 and 2025.",
])
def test_ordinary_english_repetition_is_not_flagged(english):
    assert repetition.check(english) == []


def test_repetition_reason_names_the_phrase_and_how_often():
    [flag] = repetition.check("He said yes yes yes yes.")
    assert flag.reason == "“yes” is repeated 4 times in a row"


# -- length ------------------------------------------------------------------------------------------------------

SOURCE = "Президент заявив, що уряд ухвалить бюджет на наступний рік до кінця листопада."
FAITHFUL = "The president said that the government would adopt next year's budget by the end of November."


def test_english_of_proportionate_length_is_not_flagged():
    assert length.check(SOURCE, FAITHFUL) == []


@pytest.mark.parametrize("english, start", [
    ("The president said.", "the English is 0.35 × the source's length"),
    ("The president said that the government would", "the English stops mid-sentence at 0.64"),
    ("The president said that the government would adopt next year's budget by the end of November, and "
     "then he said it again at length to the journalists gathered in the hall of the parliament in Kyiv.",
     "the English is 2.24 × the source's length"),
])
def test_disproportionate_or_cut_english_is_flagged(english, start):
    [flag] = length.check(SOURCE, english)
    assert flag.kind == "length" and flag.reason.startswith(start)
    assert (flag.start, flag.end) == (0, len(english))  # the whole sentence: nothing narrower to point at


def test_short_headline_is_not_flagged_for_a_word_less():
    assert length.check("Вибухи в Києві", "Kyiv explosions") == []


def test_headline_without_a_full_stop_is_not_taken_for_a_cut_sentence():
    assert length.check("Уряд ухвалив бюджет на наступний рік", "Government adopts budget for next") == []


# -- untranslated ------------------------------------------------------------------------------------------------

def test_cyrillic_left_in_the_english_is_flagged_from_first_to_last_run():
    english = "The minister said that війна триває, and Київ is calm."
    [flag] = untranslated.check("Міністр сказав, що війна триває, а Київ спокійний.", english)
    assert flag.kind == "untranslated"
    assert pointed(english, flag) == "війна триває, and Київ"
    assert flag.reason == "“війна триває” (and 1 more passage) is left in Ukrainian (Cyrillic)"


def test_a_cyrillic_lookalike_letter_in_a_latin_word_is_flagged():
    english = "Drones attacked Kyіv overnight."  # a Ukrainian і inside Kyiv
    [flag] = untranslated.check("Дрони атакували Київ уночі.", english)
    assert pointed(english, flag) == "і"


def test_english_that_copies_the_source_is_flagged_as_a_copy():
    source = "Дрони атакували Київ уночі."
    [flag] = untranslated.check(source, source)
    assert flag.reason == "the English is a copy of the Ukrainian source"


def test_latin_source_copied_and_cyrillic_glossary_targets_are_not_flagged():
    assert untranslated.check("Make America Great Again", "Make America Great Again") == []
    assert untranslated.check("Газета «Дзеркало тижня» пише.", "The newspaper Дзеркало тижня writes.",
                              allowed=["Дзеркало тижня"]) == []


# -- numbers -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("source, english", [
    ("Загинули 1000 людей.", "1,000 people died."),
    ("Загинули 1 000 людей.", "1 000 people died."),
    ("Загинули 1 000 людей.", "1000 people died."),
    ("Саміт відбудеться 22 листопада.", "The summit will take place on 22 November."),
    ("Саміт відбудеться 22 листопада.", "The summit will take place on November 22nd."),
    ("Він прийшов 30-м.", "He came 30th."),
    ("Інфляція сповільнилася до 5,5 %.", "Inflation slowed to 5.5%."),
    ("Інфляція сповільнилася до 5,5 відсотка.", "Inflation slowed to 5.5 per cent."),
    ("Виділили 10 тис. гривень.", "10,000 hryvnias were allocated."),
    ("Виділили 10 тис. гривень.", "10 thousand hryvnias were allocated."),
    ("Кредит становить 2,5 млрд доларів.", "The loan is $2.5 billion."),
    ("Прибули 2 делегації.", "Two delegations arrived."),
    ("Він став першим: 1-й.", "He was first."),
    ("Удар стався о 17:00.", "The strike came at 5 pm."),
    ("Удар стався о 7:55.", "The strike came at 7.55am."),
    ("Договір підписали 22.11.2023.", "The treaty was signed on 22 November 2023."),
    ("Це було у 90-х.", "That was in the 1990s."),
    ("Ураган мав вітер 137 км на годину.", "The hurricane had 85 mph winds."),
    ("Су-25 збили біля Бахмута.", "A Su-25 was shot down near Bakhmut."),
])
def test_numbers_in_english_formatting_count_as_carried_over(source, english):
    assert numbers.missing(source, english) == []


@pytest.mark.parametrize("source, english, missing", [
    ("Загинули 25 людей.", "26 people died.", ["25"]),
    ("Саміт відбудеться 22 листопада.", "The summit will take place on 22 October.", ["22 листопада"]),
    ("Саміт відбудеться 22 листопада.", "The summit will take place on 23 November.", ["22"]),
    ("Інфляція сповільнилася до 5,5 %.", "Inflation slowed to 6.5%.", ["5,5 %"]),
    ("Виділили 10 тис. гривень.", "100,000 hryvnias were allocated.", ["10 тис."]),
    ("У 2020 році вибори, у 2024 теж.", "Elections in 2021, and in 2024 too.", ["2020"]),
    ("Ураган мав вітер 137 км на годину.", "The hurricane had 85 km/h winds.", ["137"]),
])
def test_a_number_the_english_lacks_is_flagged_by_its_source_text(source, english, missing):
    assert [n.text for n in numbers.missing(source, english)] == missing
    flags = numbers.check(source, english)
    assert [f.reason for f in flags] == [f"“{m}” in the source is not in the English" for m in missing]


@pytest.mark.parametrize("source, target", [
    ("Загинули 1 000 людей.", "1,000"),
    ("Зросла на 5,5%.", "5.5%"),
    ("У 2023 році.", "2023"),
    ("Виділили 10 тис. гривень.", None),  # a scale word: 10,000 or 10 thousand, not for forcing
    ("Саміт 22 листопада.", None),  # a date
    ("Він прийшов 30-м.", None),  # an ordinal
    ("Су-25 збили.", None),  # part of a name: the glossary's business
])
def test_only_plain_numbers_have_an_english_to_force(source, target):
    assert numbers.numbers(source)[0].target == target


# -- the runner --------------------------------------------------------------------------------------------------

def test_faithful_translation_gets_no_flag():
    assert review("У 2023 році Столтенберг відвідав Київ 22 листопада.",
                  "In 2023, Stoltenberg visited Kyiv on 22 November.") == []


def test_every_check_reports_in_order_with_the_sentence_span():
    source = "У 2023 році загинули 25 людей."
    english = "In 2024, people people people died in Київ."
    flags = review(source, english, missing_terms=[("Столтенберга", "Stoltenberg")])
    assert [f.kind for f in flags] == ["repetition", "untranslated", "number", "number", "term"]
    assert all((f.sentence_start, f.sentence_end) == (0, len(english)) for f in flags)
    assert flags[-1].reason == "the glossary term “Столтенберга” → “Stoltenberg” is not in the English"
    assert set(f.kind for f in flags) <= set(KINDS)


def test_length_is_not_flagged_twice_when_a_repetition_explains_it():
    assert kinds("Так.", "Yes yes yes yes yes yes yes yes yes yes yes yes.") == ["repetition"]


def test_flags_shift_and_count_by_sentence():
    first, second = review("Так.", "Yes yes yes."), review("Ні.", "Ні.")
    moved = [f.shifted(10) for f in second]
    assert (moved[0].start, moved[0].sentence_start, moved[0].sentence_end) == (10, 10, 13)
    assert flagged_sentences(first + moved) == 2
    assert first[0].as_dict() == {"kind": "repetition", "reason": "“Yes” is repeated 3 times in a row", "start": 0,
                                  "end": 11, "sentence_start": 0, "sentence_end": 12}

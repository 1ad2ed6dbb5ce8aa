"""Person names, house styles, ґ/г and sentence starts in glossary matching (hand-written forms)."""

import pytest

from translate.glossary import Glossary, GlossaryError


def found(glossary, text):
    return [(m.surface, m.weak) for m in glossary.find(text)]


@pytest.mark.parametrize("headword, forms", [
    ("Олександр Сирський", ["Олександра Сирського", "Олександру Сирському", "Олександром Сирським"]),
    ("Сирський", ["Сирського", "Сирському", "Сирським"]),
    ("Андрій Сибіга", ["Андрія Сибіги", "Андрію Сибізі", "Андрія Сибігу", "Андрієм Сибігою"]),
    ("Піт Гегсет", ["Піта Гегсета", "Пітові Гегсету", "Пітом Гегсетом"]),
    ("Ріші Сунак", ["Ріші Сунака", "Ріші Сунакові", "Ріші Сунаком"]),
    ("Ллойд Остін", ["Ллойда Остіна", "Ллойду Остіну", "Ллойдом Остіном"]),
    ("Кір Стармер", ["Кіра Стармера", "Кірові Стармеру", "Кіром Стармером"]),
    ("Ірина Верещук", ["Ірини Верещук", "Ірині Верещук", "Ірину Верещук", "Іриною Верещук"]),
    ("Антоніу Кошта", ["Антоніу Кошти", "Антоніу Кошті", "Антоніу Кошту", "Антоніу Коштою"]),
    ("Роберта Мецола", ["Роберти Мецоли", "Роберті Мецолі", "Роберту Мецолу", "Робертою Мецолою"]),
    ("Нікол Пашинян", ["Нікола Пашиняна", "Ніколу Пашиняну", "Ніколом Пашиняном"]),
    ("Марк Рютте", ["Марка Рютте", "Маркові Рютте", "Марком Рютте"]),
    ("Ольга Стефанішина", ["Ольги Стефанішиної", "Ользі Стефанішиній", "Ольгою Стефанішиною"]),
])
def test_person_entries_match_their_oblique_cases(headword, forms):
    g = Glossary.from_pairs([(headword, "X", "person=yes" if " " not in headword and headword != "Сирський" else "")])
    for form in forms:
        assert found(g, f"Заява {form} вчора.") == [(form, False)], form


@pytest.mark.parametrize("headword, text", [
    ("Сирський", "Заява Сирськию вчора."),
    ("Піт Гегсет", "Піт Гегсетом."),  # a nominative first name: the case does not agree
    ("Ірина Верещук", "Заява Ірини Верещука."),  # a woman's surname in a consonant does not decline
    ("Сирський", "Заява Сирська вчора."),  # the woman's form names another person
])
def test_person_entries_do_not_match_other_words(headword, text):
    assert Glossary.from_pairs([(headword, "X")]).find(text) == []


@pytest.mark.parametrize("text", ["Піт заливав очі.", "кіт спав.", "Заява: піт і кіт."])
def test_names_spelled_like_common_nouns_are_not_the_common_nouns(text):
    g = Glossary.from_pairs([("Піт", "Pete", "person=yes"), ("Кіт", "Kit", "person=yes")])
    assert all(weak for _, weak in found(g, text))


def test_person_option_is_validated():
    with pytest.raises(Exception):
        Glossary.from_pairs([("Гегсет", "Hegseth", "person=maybe")])


@pytest.mark.parametrize("headword, text, surface", [
    ("Офіс Президента", "в Офісі президента заявили", "Офісі президента"),
    ("Рада Безпеки ООН", "засідання Ради безпеки ООН", "Ради безпеки ООН"),
    ("Європейський Союз", "до Європейського союзу", "Європейського союзу"),
    ("Бєлгород", "обстріл Бєлґорода", "Бєлґорода"),
    ("Бєлґород", "обстріл Бєлгорода", "Бєлгорода"),
    ("Росія", "з росією", "росією"),
])
def test_house_styles_and_g_spelling_match(headword, text, surface):
    options = "case=any" if headword == "Росія" else ""
    g = Glossary.from_pairs([(headword, "X", options)])
    (m,) = g.find(text)
    assert (m.surface, text[m.start:m.end]) == (surface, surface)


def test_capitalised_common_noun_headword_still_needs_its_capital():
    assert Glossary.from_pairs([("Збори", "Assembly")]).find("на збори прийшли") == []


@pytest.mark.parametrize("headword, text, weak", [
    ("Кір Стармер", "Кір Стармер заявив.", False),
    ("Стармер", "Стармер заявив.", False),
    ("Сибіга", "Сибігу запросили.", False),
    ("Суми", "Суми, 5 березня. Обстріл.", False),
    ("Київ", "Київ, 5 березня. Обстріл.", False),
    ("Малюк", "Малюк заявив.", True),
    ("Монастирський", "Монастирський заявив.", True),
    ("Карні", "Карні заявив.", True),
    ("Суми", "Суми виплатили.", True),
])
def test_sentence_start_is_weak_only_for_dictionary_common_words(headword, text, weak):
    options = "person=yes" if headword in ("Сибіга", "Карні", "Стармер") else ""
    g = Glossary.from_pairs([(headword, "X", options)])
    hits = [m for m in g.find(text) if m.start == 0]
    assert [m.weak for m in hits] == [weak]


@pytest.mark.parametrize("text, weak", [
    ("Київ заявив про це.", False),  # start=strong: «кий» (cue) is never meant in news
    ("Мер Києва заявив.", False),
    ("Зборів не скликали.", True),  # «зборів» of «збори», a meeting: no start=strong there
])
def test_start_strong_entries_are_enforced_at_a_sentence_start(text, weak):
    glossary = Glossary.from_pairs([("Київ", "Kyiv", "start=strong"), ("Збори", "Assembly")], cache_dir=False)
    [match] = glossary.find(text)
    assert match.weak is weak


def test_start_has_two_values():
    with pytest.raises(GlossaryError, match="option start"):
        Glossary.from_pairs([("Київ", "Kyiv", "start=always")])

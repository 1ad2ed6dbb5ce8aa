"""Document-level names (translate.names): unlisted people and places found in any case form, one English
rendering each at every mention (Ukrainian ones by the KMU 2010 romanisation, foreign ones as the model renders
their dictionary form), enforced like glossary terms and reported beside them; `names = "off"` changes nothing."""

from __future__ import annotations

import json

import pytest
from fakes import FakeEngine

from translate import Translator
from translate.glossary import Glossary
from translate.names import NameBook, romanise
from translate.segment import segment

# A hand-written local news item: five people and five places no glossary lists, each in several case forms.
ITEM = (
    "Командир батальйону Тарас Бондаренко розповів, що вночі росіяни обстріляли Боярку.\n"
    "За словами Бондаренка, у Боярці поранено двох людей: Олену Федорук та її сусіда Андрія Ковальчука.\n"
    "Федорук доставили до лікарні у Василькові, а Ковальчука – до Фастова.\n"
    "Голова громади Юрій Мельничук подякував Бондаренкові та рятувальникам із Фастова.\n"
    "Мельничук повідомив, що з Боярки до Василькова евакуювали 40 дітей.\n"
    "У селі Малинівка біля Гостомеля волонтерка Оксана Гнатюк відкрила пункт незламності.\n"
    "Гнатюк розповіла, що до Малинівки вже приїхали люди з Гостомеля й Боярки.\n"
)
# Every mention of ITEM → the English it must have (romanised by hand from the resolution's table).
EXPECTED = {
    "Тарас Бондаренко": "Taras Bondarenko", "Бондаренка": "Bondarenko", "Бондаренкові": "Bondarenko",
    "Боярку": "Boiarka", "Боярці": "Boiarka", "Боярки": "Boiarka",
    "Олену Федорук": "Olena Fedoruk", "Федорук": "Fedoruk",
    "Андрія Ковальчука": "Andrii Kovalchuk", "Ковальчука": "Kovalchuk",
    "Василькові": "Vasylkiv", "Василькова": "Vasylkiv", "Фастова": "Fastiv",
    "Юрій Мельничук": "Yurii Melnychuk", "Мельничук": "Melnychuk",
    "Малинівка": "Malynivka", "Малинівки": "Malynivka", "Гостомеля": "Hostomel",
    "Оксана Гнатюк": "Oksana Hnatiuk", "Гнатюк": "Hnatiuk",
}


def names_translator(tiny_model, **settings):
    options = dict(glossary=None, backend="transformers", device="cpu", beam_size=1, max_length_ratio=1.0,
                   max_length_offset=4)
    options.update(settings)
    return Translator(str(tiny_model), **options)


@pytest.fixture(scope="module")
def with_names(tiny_model):
    return names_translator(tiny_model)


# The resolution's own examples (Cabinet of Ministers resolution No. 55, 27 January 2010, its table's column 4).
@pytest.mark.parametrize("cyrillic, latin", [
    ("Алушта", "Alushta"), ("Андрій", "Andrii"), ("Борщагівка", "Borshchahivka"), ("Вінниця", "Vinnytsia"),
    ("Гадяч", "Hadiach"), ("Згурський", "Zghurskyi"), ("Ґалаґан", "Galagan"), ("Дон", "Don"),
    ("Рівне", "Rivne"), ("Єнакієве", "Yenakiieve"), ("Гаєвич", "Haievych"), ("Короп'є", "Koropie"),
    ("Житомир", "Zhytomyr"), ("Закарпаття", "Zakarpattia"), ("Медвин", "Medvyn"), ("Іршава", "Irshava"),
    ("Їжакевич", "Yizhakevych"), ("Кадиївка", "Kadyivka"), ("Йосипівка", "Yosypivka"), ("Стрий", "Stryi"),
    ("Олексій", "Oleksii"), ("Хуст", "Khust"), ("Чернігів", "Chernihiv"), ("Шостка", "Shostka"),
    ("Гоща", "Hoshcha"), ("Юрій", "Yurii"), ("Корюківка", "Koriukivka"), ("Яготин", "Yahotyn"),
    ("Костянтин", "Kostiantyn"), ("Знам'янка", "Znamianka"), ("Феодосія", "Feodosiia"), ("Розгон", "Rozghon"),
])
def test_romanisation_follows_the_resolutions_examples(cyrillic, latin):
    assert romanise(cyrillic) == latin
    assert romanise(cyrillic.lower()) == latin  # a dictionary form in lower case gets its capitals back


def test_romanisation_capitalises_every_part_of_a_compound_name():
    assert romanise("івано-франківськ") == "Ivano-Frankivsk"
    assert romanise("тарас шевченко") == "Taras Shevchenko"


def book_of(text: str) -> dict[str, str]:
    """surface → rendering for every name the book accepts in `text` (foreign ones left to romanisation)."""
    book = NameBook()
    book.learn(text)
    out = {}
    for s in segment(text).sentences:
        if s.translatable:
            out.update((m.surface, m.target) for m in book.matches(s.text, book.find(s.text)))
    return out


def test_every_mention_of_a_local_item_is_found_and_grouped_by_its_dictionary_form():
    assert book_of(ITEM) == EXPECTED


@pytest.mark.parametrize("text", [
    "У Міністерстві оборони заявили, що Київська область під обстрілом.",  # a body; an adjective
    "ЗСУ та СБУ провели операцію.",  # acronyms
    "Ракета влучила в будинок. Ракета була балістичною.",  # a common word at sentence starts only
    "У Раді заявили, що Кремль бреше.",  # bodies written with a capital
    "Делегація з Польщі прибула до Німеччини.",  # countries: the model knows them
    "«Слава Україні», – сказав він. Мороз посилився.",  # a quote's first word; a lone sentence-start word
])
def test_common_words_capitalised_by_position_or_convention_are_not_names(text):
    assert book_of(text) == {}


def test_a_sentence_start_word_counts_once_the_document_confirms_it_elsewhere():
    assert book_of("Федорук прибув. Мешканці зустріли Федорука.") == {"Федорук": "Fedoruk", "Федорука": "Fedoruk"}
    assert book_of("Федорук прибув.") == {}


def test_a_capitalised_noun_outside_a_place_context_needs_the_document_to_confirm_it_as_a_place():
    assert book_of("Росіяни обстріляли Малинівку.") == {}
    assert book_of("Росіяни обстріляли Малинівку. У Малинівці поранено людей.") == {"Малинівку": "Malynivka",
                                                                                   "Малинівці": "Malynivka"}


@pytest.mark.parametrize("sentence, foreign", [
    ("Канцлер Німеччини Олаф Шольц прибув до Києва.", "Олаф Шольц"),  # a country before the name
    ("Польський міністр Радослав Сікорський заявив про підтримку.", "Радослав Сікорський"),  # a nationality
    ("На зустрічі був Йоганн Мюллер.", "Йоганн Мюллер"),  # spelling: ю after a labial
    ("Сербський лідер Александар Вучич відповів.", "Александар Вучич"),
])
def test_foreign_names_are_not_romanised_as_ukrainian(sentence, foreign):
    book = NameBook()
    book.learn(sentence)
    plans = book.find(sentence)
    assert book.needs_model(plans) == [foreign]
    book.learn_renderings([foreign], ["Stand-In Name"])
    (match,) = [m for m in book.matches(sentence, plans) if m.headword == foreign]
    assert (match.target, match.rule) == ("Stand-In Name", "model") and "foreign" in match.why


def test_a_ukrainian_name_in_a_foreign_location_stays_ukrainian():
    # «в Польщі» says where the ambassador works, not whose he is.
    assert book_of("Посол України в Польщі Василь Боднар заявив про це.") == {"Василь Боднар": "Vasyl Bodnar"}


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_every_name_reads_the_same_at_every_mention_on_both_backends(tiny_model, backend):
    translator = names_translator(tiny_model, backend=backend)
    result = translator.translate_document(ITEM)
    names = [t for t in result.terms if t.kind == "name"]
    assert {t.surface: t.target for t in names} == EXPECTED
    assert all(t.applied and t.rule == "romanised" for t in names)
    assert sum(result.text.count(target) for target in {"Boiarka"}) >= 4  # four mentions of the town
    for line, source in zip(result.text.splitlines(), ITEM.splitlines()):
        for surface, target in EXPECTED.items():
            if surface in source:
                assert target in line, (surface, target, line)
    assert [ITEM[t.start:t.end] for t in names] == [t.surface for t in names]


def test_the_model_renders_a_foreign_name_once_and_every_mention_gets_that_rendering(tiny_engine):
    class Renders(FakeEngine):
        def translate_batch(self, sources, *, prefixes=None, **options):
            if sources == ["Олаф Шольц"]:
                self.batches.append(list(sources))
                return ["Olaf Scholz."]
            return super().translate_batch(sources, prefixes=prefixes, **options)

    engine = Renders(wraps=tiny_engine)
    translator = Translator(engine=engine, glossary=None)
    result = translator.translate_document("Канцлер Німеччини Олаф Шольц прибув до Києва. Там Шольца зустріли.")
    assert [b for b in engine.batches if b == ["Олаф Шольц"]] == [["Олаф Шольц"]]  # one decode for the name
    names = {t.surface: (t.target, t.rule) for t in result.terms if t.kind == "name"}
    assert names["Олаф Шольц"] == ("Olaf Scholz", "model") and names["Шольца"] == ("Scholz", "model")
    assert "Olaf Scholz" in result.text and result.text.count("Scholz") == 2


def test_an_unusable_model_rendering_of_a_foreign_name_falls_back_to_romanisation(with_names):
    # The random-weight model writes no name: the report says so, and the name is still consistent.
    result = with_names.translate_document("Канцлер Німеччини Олаф Шольц прибув. Шольца зустріли.")
    names = {t.surface: t for t in result.terms if t.kind == "name"}
    assert names["Олаф Шольц"].target == "Olaf Sholts" and names["Шольца"].target == "Sholts"
    assert names["Шольца"].rule == "romanised" and "is not a Latin-script name" in names["Шольца"].why


def test_a_glossary_entry_for_a_name_overrides_the_automatic_rendering(tiny_model):
    glossary = Glossary.from_pairs([("Бондаренко", "Bondarenko-Smith")])
    translator = names_translator(tiny_model, glossary=glossary)
    result = translator.translate_document("За словами Бондаренка, у Боярці тихо. Бондаренко подякував.")
    kinds = {(t.surface, t.kind, t.target) for t in result.terms}
    assert ("Бондаренка", "glossary", "Bondarenko-Smith") in kinds
    assert not any(t.kind == "name" and "Бондаренк" in t.surface for t in result.terms)
    assert ("Боярці", "name", "Boiarka") in kinds


def test_names_off_changes_nothing(tiny_model, tiny_engine):
    off = Translator(engine=tiny_engine, glossary=None, names="off", review=False)  # review may re-decode
    sentence = "За словами Бондаренка, у Боярці поранено Олену Федорук."
    result = off.translate_document(sentence)
    assert result.terms == []
    assert result.text == tiny_engine.translate_batch([sentence])[0]  # the model's own English, as before


def test_parts_of_one_document_share_its_names(with_names):
    # A long text comes in parts: a start-of-sentence mention in the second part is confirmed by the first.
    first, second = "Мешканці зустріли Федорука.\n", "Федорук подякував.\n"
    alone = with_names.translate_documents([second])[0]
    together = with_names.translate_documents([second], contexts=[first + second])[0]
    assert [t.kind for t in alone.terms] == []
    assert [(t.surface, t.target) for t in together.terms] == [("Федорук", "Fedoruk")]


def test_a_run_shares_names_across_documents_unless_the_call_is_private(tiny_model):
    run = names_translator(tiny_model, names="run")
    run.translate_documents(["Мешканці зустріли Федорука."])
    assert [t.target for t in run.translate_documents(["Федорук подякував."])[0].terms] == ["Fedoruk"]
    private = names_translator(tiny_model, names="run")
    private.translate_documents(["Мешканці зустріли Федорука."], private=True)
    assert private.translate_documents(["Федорук подякував."], private=True)[0].terms == []


def test_the_cli_terms_report_lists_names_with_kind_and_rule(tmp_path, engine):
    from typer.testing import CliRunner

    from translate.cli import app

    source = tmp_path / "item.txt"
    source.write_text(ITEM, encoding="utf-8")
    report = tmp_path / "terms.jsonl"
    result = CliRunner().invoke(app, ["translate", str(source), "-o", str(tmp_path / "out.txt"), "--glossary",
                                      "none", "--terms", str(report)])
    assert result.exit_code == 0, result.output
    (entry,) = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    names = {t["surface"]: (t["target"], t["kind"], t["rule"]) for t in entry["terms"]}
    assert names["Тарас Бондаренко"] == ("Taras Bondarenko", "name", "romanised")
    assert names["Малинівки"] == ("Malynivka", "name", "romanised")


def test_the_http_api_reports_names_beside_glossary_terms(tiny_model):
    from fastapi.testclient import TestClient

    from translate.host import TranslatorHost
    from translate.http_api import create_api

    translator = names_translator(tiny_model, glossary=Glossary.from_pairs([("Київ", "Kyiv")]))
    with TestClient(create_api(TranslatorHost(translator))) as client:
        answer = client.post("/translate", json={"q": "У Боярці й Києві тихо. Боярку відбудовують.",
                                                 "source": "uk", "target": "en", "terms": True})
    assert answer.status_code == 200, answer.text
    terms = {(t["surface"], t["kind"], t["rule"], t["target"]) for t in answer.json()["terms"]}
    assert ("Києві", "glossary", "glossary", "Kyiv") in terms
    assert ("Боярці", "name", "romanised", "Boiarka") in terms


def test_the_web_page_marks_names_in_their_own_colour(with_names):
    from translate.web import NAME_STYLE, highlight_html

    html = highlight_html(with_names.translate_document("У Боярці тихо."))
    assert f'class="name-applied" style="{NAME_STYLE}"' in html and ">Boiarka</mark>" in html


def test_blocks_of_one_html_document_share_its_names(with_names):
    # Each <p> is a segment of its own; the second one's sentence-start mention is confirmed by the first.
    done = with_names.translate_markup("<p>Мешканці зустріли Федорука.</p>\n<p>Федорук подякував.</p>")
    assert [(t.surface, t.target) for t in done.terms] == [("Федорука", "Fedoruk"), ("Федорук", "Fedoruk")]
    assert done.text.count("Fedoruk") == 2 and done.text.startswith("<p>") and done.text.endswith("</p>")

"""The shipped glossary's coverage of 2022–2026 news, and foreign bodies rendered as themselves.

Every sentence and inflected form here is written by hand from how Ukrainian news writes them; the
expected spans are what the longest-match rule must find in `translate/data/glossary.tsv`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from translate import Translator
from translate.glossary import Glossary

DEFAULT_GLOSSARY = Path(__file__).resolve().parents[1] / "translate" / "data" / "glossary.tsv"


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return Glossary.load(DEFAULT_GLOSSARY, cache_dir=False)


def found(g: Glossary, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.target) for m in g.find(text)]


@pytest.mark.parametrize("text, expected", [
    ("Мінфін США запровадив санкції проти банків.", [("Мінфін США", "US Treasury")]),
    ("Санкційний список Мінфіну США поповнився.", [("Мінфіну США", "US Treasury")]),
    ("Міністерство оборони США оголосило новий пакет допомоги.",
     [("Міністерство оборони США", "US Department of Defense")]),
    ("Речник Міністерства оборони США заявив про це.", [("Міністерства оборони США", "US Department of Defense")]),
    ("У Міноборони США підтвердили постачання.", [("Міноборони США", "US Department of Defense")]),
    ("Це заявила генпрокурор США Пем Бонді.", [("генпрокурор США", "US Attorney General"), ("Пем Бонді", "Pam Bondi")]),
    ("Генеральний прокурор США відкрив справу.", [("Генеральний прокурор США", "US Attorney General")]),
    ("Зустріч з генеральним секретарем ЦК КПК Сі Цзіньпіном.",
     [("генеральним секретарем ЦК КПК", "General Secretary of the CPC Central Committee"), ("Сі Цзіньпіном", "Xi Jinping")]),
    ("Про це повідомили в Головному управлінні розвідки Міністерства оборони України.",
     [("Головному управлінні розвідки Міністерства оборони України", "Defence Intelligence of Ukraine")]),
    ("Представник Головного управління розвідки Міністерства оборони України виступив.",
     [("Головного управління розвідки Міністерства оборони України", "Defence Intelligence of Ukraine")]),
    ("За даними розвідки Міністерства оборони Великої Британії.",
     [("Міністерства оборони Великої Британії", "UK Ministry of Defence")]),
    ("Міноборони Росії заявило про збиті дрони.", [("Міноборони Росії", "Russian Defence Ministry")]),
    ("Так стверджує президент США Дональд Трамп.", [("президент США", "US President"), ("Дональд Трамп", "Donald Trump")]),
])
def test_a_foreign_body_gets_its_own_rendering_not_the_ukrainian_one(shipped, text, expected):
    assert found(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Мінфін повідомив про виплати.", [("Мінфін", "Finance Ministry")]),
    ("Міністерство оборони України оголосило тендер.", [("Міністерство оборони України", "Ministry of Defence of Ukraine")]),
    ("Генеральний прокурор заявив.", [("Генеральний прокурор", "Prosecutor General")]),
    ("Заява Головного управління розвідки.", [("Головного управління розвідки", "Defence Intelligence of Ukraine")]),
])
def test_without_the_country_the_ukrainian_body_is_kept(shipped, text, expected):
    assert found(shipped, text) == expected


def test_the_longer_entry_wins_over_every_shorter_one_inside_it(shipped):
    text = "Заява Головного управління розвідки Міністерства оборони України."
    matches = shipped.find(text)
    # One term: never «Defence Intelligence of Ukraine» + «Ministry of Defence of Ukraine».
    assert len(matches) == 1
    assert matches[0].headword == "Головне управління розвідки Міністерства оборони України"
    assert "Ukraine" not in matches[0].target.replace("of Ukraine", "", 1)


@pytest.mark.parametrize("nominative, oblique, headword, target", [
    ("Бої тривають за Очеретине.", "Бої поблизу Очеретиного.", "Очеретине", "Ocheretyne"),
    ("Учора Велика Новосілка була під обстрілом.", "Ситуація у Великій Новосілці складна.", "Велика Новосілка", "Velyka Novosilka"),
    ("Учора Красногорівка була під обстрілом.", "Бої за Красногорівку.", "Красногорівка", "Krasnohorivka"),
    ("Учора Добропілля було під обстрілом.", "У Добропіллі оголошено евакуацію.", "Добропілля", "Dobropillia"),
    ("Уся Курська область прикордонна.", "Наступ у Курській області.", "Курська область", "Kursk Oblast"),
    ("Уся Бєлгородська область прикордонна.", "Обстріли Бєлгородської області.", "Бєлгородська область", "Belgorod Oblast"),
    ("Увесь Краснодарський край далеко.", "НПЗ у Краснодарському краї горить.", "Краснодарський край", "Krasnodar Krai"),
    ("Місто Енгельс має аеродром.", "Аеродром в Енгельсі атакували.", "Енгельс", "Engels"),
    ("Учора так звана ДНР оголосила.", "Бойовики так званої ДНР.", "так звана ДНР", "so-called DPR"),
    ("Цього року Голодомор згадували.", "Річниця Голодомору.", "Голодомор", "Holodomor"),
    ("Там лежить Бабин Яр.", "Меморіал у Бабиному Яру.", "Бабин Яр", "Babyn Yar"),
    ("Оновився застосунок Дія.", "Послуга доступна в Дії.", "Дія", "Diia"),
    ("Про це пише Суспільне.", "За даними Суспільного.", "Суспільне", "Suspilne"),
    ("Тут виступив Хакан Фідан.", "Зустріч із Хаканом Фіданом.", "Хакан Фідан", "Hakan Fidan"),
    ("Там був Йоганн Вадефуль.", "Заява Йоганна Вадефуля.", "Йоганн Вадефуль", "Johann Wadephul"),
    ("Там був Александар Вучич.", "Розмова з Александаром Вучичем.", "Александар Вучич", "Aleksandar Vučić"),
    ("Там був Кіріакос Міцотакіс.", "Зустріч з Кіріакосом Міцотакісом.", "Кіріакос Міцотакіс", "Kyriakos Mitsotakis"),
    ("Приїхав Петр Павел.", "Візит Петра Павела.", "Петр Павел", "Petr Pavel"),
    ("Виступила Марта Кос.", "За словами Марти Кос.", "Марта Кос", "Marta Kos"),
    ("Виступив Скотт Бессент.", "Заява Скотта Бессента.", "Скотт Бессент", "Scott Bessent"),
    ("Приїхав Джаред Кушнер.", "Делегація Джареда Кушнера.", "Джаред Кушнер", "Jared Kushner"),
    ("Виступив Маргус Цахкна.", "Слова Маргуса Цахкни.", "Маргус Цахкна", "Margus Tsahkna"),
    ("Доповів Микола Олещук.", "Наказ Миколи Олещука.", "Микола Олещук", "Mykola Oleshchuk"),
    ("Доповів Олег Іващенко.", "Зустріч з Олегом Іващенком.", "Олег Іващенко", "Oleh Ivashchenko"),
    ("Заявив Віктор Ляшко.", "Наказ Віктора Ляшка.", "Віктор Ляшко", "Viktor Liashko"),
    ("Виступив Олександр Литвиненко.", "Заява Олександра Литвиненка.", "Олександр Литвиненко", "Oleksandr Lytvynenko"),
    ("Зібралася Коаліція охочих.", "Саміт Коаліції охочих.", "Коаліція охочих", "Coalition of the Willing"),
    ("Відбулася Кримська платформа.", "Учасники Кримської платформи.", "Кримська платформа", "Crimea Platform"),
])
def test_a_new_entry_matches_in_the_nominative_and_an_oblique_case(shipped, nominative, oblique, headword, target):
    for text in (nominative, oblique):
        assert [(m.headword, m.target, m.weak) for m in shipped.find(text)] == [(headword, target, False)], text


@pytest.mark.parametrize("text, surface, target", [
    # Indeclinable names: the one form news writes in every case.
    ("Зустріч із Тулсі Габбард.", "Тулсі Габбард", "Tulsi Gabbard"),
    ("Переговори з Іраклієм Кобахідзе.", "Іраклієм Кобахідзе", "Irakli Kobakhidze"),
    ("Удар по Туапсе.", "Туапсе", "Tuapse"),
    ("Ворог скинув КАБ на місто.", "КАБ", "KAB"),
    ("Біля будівлі ТЦК.", "ТЦК", "TCC"),
])
def test_indeclinable_and_abbreviated_entries_match_as_written(shipped, text, surface, target):
    assert found(shipped, text) == [(surface, target)]


@pytest.mark.parametrize("text, target", [
    ("Заява Реджепа Таїпа Ердогана.", "Recep Tayyip Erdoğan"),
    ("Зустріч з Віктором Орбаном.", "Viktor Orbán"),
    ("Візит Гітанаса Науседи.", "Gitanas Nausėda"),
    ("Слова Радослава Сікорського.", "Radosław Sikorski"),
    ("Розмова з Александаром Вучичем.", "Aleksandar Vučić"),
    ("Заява Володимира Зеленського.", "Volodymyr Zelenskyy"),
])
def test_targets_keep_the_spelling_of_the_style_policy(shipped, text, target):
    assert [m.target for m in shipped.find(text)] == [target]


def test_the_style_policy_heads_the_file():
    head = DEFAULT_GLOSSARY.read_text(encoding="utf-8").split("\nuk\ten", 1)[0]
    for topic in ("KMU 2010", "Zelenskyy", "Defense", "diacritics", "--add-glossary", "--glossary"):
        assert topic in head


def test_a_foreign_body_is_enforced_with_its_own_target(translator):
    shipped_translator = Translator(translator.settings.model, engine=translator.engine)
    doc = shipped_translator.translate_document("Мінфін США запровадив нові санкції.")
    assert [(t.surface, t.target, t.applied) for t in doc.terms] == [("Мінфін США", "US Treasury", True)]
    assert "US Treasury" in doc.text and "Finance Ministry" not in doc.text

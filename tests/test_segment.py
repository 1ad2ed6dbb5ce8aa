"""Segmentation: paragraphs = lines, Ukrainian news sentence splitting, exact layout round-trip, chunking."""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate.segment import Layout, Sentence, estimate_tokens, segment

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "translate" / "examples" / "nato-skopje.uk.txt"

LINE_BREAKS = ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
BREAK_CHARS = sorted(set("".join(LINE_BREAKS)))


def texts(text: str, **kw) -> list[str]:
    return [s.text for s in segment(text, **kw).sentences]


def check_invariants(text: str, layout: Layout) -> None:
    """What the pipeline relies on, for any input."""
    pos = 0
    for s in layout.sentences:
        assert isinstance(s, Sentence)
        assert s.text == text[s.start:s.end]
        assert pos <= s.start < s.end  # non-empty, in order, no overlap
        assert s.text == s.text.strip()
        assert not any(c in s.text for c in BREAK_CHARS)
        assert text[pos:s.start].strip() == ""  # only whitespace and line breaks between sentences
        assert s.translatable == any(c.isalpha() for c in s.text)
        pos = s.end
    assert text[pos:].strip() == ""  # nothing after the last sentence but layout
    non_blank = [line for line in text.splitlines() if line.strip()]
    assert layout.paragraphs == len(non_blank)
    starts, before = [], []  # per line: its start offset, and how many non-blank lines precede it
    pos = seen = 0
    for line in text.splitlines(keepends=True):
        starts.append(pos)
        before.append(seen)
        pos += len(line)
        seen += bool(line.strip())
    for s in layout.sentences:  # .paragraph = index of the non-blank line holding the sentence
        assert s.paragraph == before[bisect.bisect_right(starts, s.start) - 1]
    assert layout.join([s.text for s in layout.sentences]) == text


# --- layout -------------------------------------------------------------------------------------


def test_demo_item_has_ten_lines_nine_paragraphs_and_round_trips():
    text = DEMO.read_text(encoding="utf-8")
    layout = segment(text)
    # 10 lines: 9 non-blank (title, 7 paragraphs, photo credit) and one blank line after the title.
    assert layout.paragraphs == 9
    assert layout.join([s.text for s in layout.sentences]) == text
    english = layout.join([f"Sentence {i}." for i in range(len(layout.sentences))])
    assert len(english.splitlines()) == len(text.splitlines()) == 10
    assert [line == "" for line in english.splitlines()] == [line == "" for line in text.splitlines()]
    assert sorted({s.paragraph for s in layout.sentences}) == list(range(9))
    check_invariants(text, layout)


def test_demo_item_editorial_note_and_attribution_stay_inside_sentences():
    sentences = texts(DEMO.read_text(encoding="utf-8"))
    assert any("(парламенту – ред.) Північної Македонії, передає" in s for s in sentences)
    assert any(s.endswith("», - зазначив Столтенберг.") and s.startswith("Під час зустрічі ми") for s in sentences)
    assert "Фото: Europa Press" in sentences


def test_uppercase_translations_keep_the_layout():
    text = DEMO.read_text(encoding="utf-8").replace("\n", "\r\n")
    layout = segment(text)
    assert layout.join([s.text.upper() for s in layout.sentences]) == text.upper()


def test_crlf_and_blank_lines_survive():
    text = "Перше речення. Друге речення.\r\n\r\n  Третє речення.  \r\n\r\nЧетверте.\r\n"
    layout = segment(text)
    assert [s.text for s in layout.sentences] == ["Перше речення.", "Друге речення.", "Третє речення.", "Четверте."]
    assert [s.paragraph for s in layout.sentences] == [0, 0, 1, 2]
    assert layout.join(["A.", "B.", "C.", "D."]) == "A. B.\r\n\r\n  C.  \r\n\r\nD.\r\n"


def test_whitespace_only_lines_are_layout():
    text = " \t\u00a0\n\n   \r\n\u3000"
    layout = segment(text)
    assert layout.sentences == [] and layout.paragraphs == 0
    assert layout.join([]) == text


def test_empty_string_gives_empty_layout():
    layout = segment("")
    assert layout.sentences == [] and layout.paragraphs == 0
    assert layout.join([]) == ""


def test_nbsp_and_other_spaces_around_and_between_sentences_are_kept():
    text = "\u00a0 Перше речення.\u00a0Друге речення.\u2003\u202f"
    layout = segment(text)
    assert [s.text for s in layout.sentences] == ["Перше речення.", "Друге речення."]
    assert layout.join(["One.", "Two."]) == "\u00a0 One.\u00a0Two.\u2003\u202f"


@pytest.mark.parametrize("sep", LINE_BREAKS, ids=[repr(s) for s in LINE_BREAKS])
def test_every_line_separator_ends_a_paragraph(sep):
    text = f"Перший рядок без крапки{sep}Другий рядок."
    layout = segment(text)
    assert layout.paragraphs == 2
    assert [s.text for s in layout.sentences] == ["Перший рядок без крапки", "Другий рядок."]
    assert layout.join(["a", "b"]) == f"a{sep}b"


def test_hard_wrapped_paragraph_stays_line_by_line():
    layout = segment("Це речення розірване\nпосередині, і так і лишається.")
    assert [s.text for s in layout.sentences] == ["Це речення розірване", "посередині, і так і лишається."]
    assert layout.paragraphs == 2


def test_line_breaks_inside_translations_become_spaces():
    text = "Один.\n\nДва. Три."
    layout = segment(text)
    english = layout.join(["one\nline", "two\r\nthree\u2028", "\x0bfour\x85"])
    assert english == "one line\n\ntwo three " + " " + " four "
    assert len(english.splitlines()) == len(text.splitlines())


def test_empty_translation_keeps_the_source_sentence_so_no_line_vanishes():
    text = "Перший рядок.\nДругий рядок."
    layout = segment(text)
    english = layout.join(["First line.", ""])
    assert english == "First line.\nДругий рядок."
    assert len(english.splitlines()) == 2


def test_join_rejects_wrong_number_of_translations():
    layout = segment("Один. Два.")
    with pytest.raises(ValueError, match="expected 2"):
        layout.join(["one"])
    with pytest.raises(ValueError):
        layout.join(["one", "two", "three"])


def test_segment_rejects_non_strings_and_a_zero_budget():
    with pytest.raises(TypeError):
        segment(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        segment("Текст.", max_tokens=0)


def test_pieces_without_letters_are_not_translatable():
    layout = segment("2022\n😀😀 🇺🇦\nПривіт!\n— 15 %\n\u200b")
    assert [(s.text, s.translatable) for s in layout.sentences] == [
        ("2022", False), ("😀😀 🇺🇦", False), ("Привіт!", True), ("— 15 %", False), ("\u200b", False)]


@pytest.mark.parametrize("text", [
    "Привіт 👋🏽 світе! 👨‍👩‍👧‍👦 Ще одне речення 🇺🇦.",
    "Керівні\x00символи\x07 тут\x1b[31m. Ще\x7f речення.\x1f",
    "Нульова\u200bширина\u200c і\u200d BOM\ufeff та\u2060 з'єднувач. Далі.",
    "\u202eНАТО\u202c і \u2067עברית\u2069. العربية مرحبا. Кінець\u200f.",
    "Змішані 中文 та ελληνικά. हिन्दी वाक्य। Кінець.",
    "\ufeff«…» – ? ! . , ; : ( ) [ ] ‘’ “”",
])
def test_emoji_control_zero_width_and_rtl_text_keep_invariants(text):
    layout = segment(text)
    check_invariants(text, layout)
    assert layout.paragraphs == 1


# --- Ukrainian news sentence splitting ---------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Зустріч відбулася в м. Скоп’є в середу.",
    "Втрати ворога становлять понад 84 тис. осіб.",
    "Згідно зі ст. 5 Вашингтонського договору напад на одного є нападом на всіх.",
    "Детальніше див. на сайті міністерства.",
    "Росія проводить т. зв. «референдуми» на окупованих територіях.",
    "Ціни зросли на 10 % (див. табл. 2) за рік.",
    "Станом на 22.11.2022 р. втрати ворога становлять понад 84 тис. осіб.",
    "Проф. Іваненко та акад. Петренко підписали звернення на вул. Хрещатик.",
    "Храм зруйнували 21 липня 356 р. до н. е. внаслідок підпалу.",
])
def test_abbreviations_do_not_end_sentences(text):
    assert texts(text) == [text]


@pytest.mark.parametrize("text, expected", [
    ("Бюджет програми становить 5 млн грн. Уряд планує його збільшити.",
     ["Бюджет програми становить 5 млн грн.", "Уряд планує його збільшити."]),
    ("Будівлю звели у 1925 р. Відтоді її жодного разу не реставрували.",
     ["Будівлю звели у 1925 р.", "Відтоді її жодного разу не реставрували."]),
    ("На ринку продають овочі, фрукти, м’ясо і т. д. Ціни помірні.",
     ["На ринку продають овочі, фрукти, м’ясо і т. д.", "Ціни помірні."]),
    ("Збитки оцінюють у 20 млрд доларів. Відновлення триватиме роки.",
     ["Збитки оцінюють у 20 млрд доларів.", "Відновлення триватиме роки."]),
])
def test_abbreviation_that_can_end_a_sentence_does_before_a_capital(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("text", [
    "Генсек НАТО Є. Столтенберг прибув до Скоп’є.",
    "Президент В. Зеленський та прем’єр-міністр Д. Шмигаль провели нараду.",
    "Заступник інспектора Д. К. Арья заявив про арешти.",
])
def test_initials_stay_with_the_surname(text):
    assert texts(text) == [text]


@pytest.mark.parametrize("text", [
    "«Ми підтримуємо Україну», - зазначив Столтенберг.",
    "«Ми підтримуємо Україну», – зазначив Столтенберг.",
    "«Чи готові ви до переговорів?» – запитав журналіст.",
    "«Слава Україні!» — вигукнули учасники акції.",
    "«Росія програє цю війну!», - наголосив генсек.",
    "\"Ми переможемо!\" - сказав він.",
    "“Ми переможемо?” — запитав він.",
    "\"Чому ми вчимо цього?\" – запитав він.",
])
def test_dialogue_attribution_stays_with_the_quote(text):
    assert texts(text) == [text]


@pytest.mark.parametrize("text, expected", [
    ("Він сказав: «Ми готові до переговорів». Проте Кремль мовчить.",
     ["Він сказав: «Ми готові до переговорів».", "Проте Кремль мовчить."]),
    ("Він сказав: «Ми готові до переговорів.» Проте Кремль мовчить.",
     ["Він сказав: «Ми готові до переговорів.»", "Проте Кремль мовчить."]),
    ("«Ми підтримуємо Україну. Допомога триватиме», – зазначив Столтенберг. Він додав деталі.",
     ["«Ми підтримуємо Україну.", "Допомога триватиме», – зазначив Столтенберг.", "Він додав деталі."]),
    ("«Це неприйнятно», - сказав він. «Ми відповімо».", ["«Це неприйнятно», - сказав він.", "«Ми відповімо»."]),
])
def test_sentence_ends_inside_or_after_a_closing_quote(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("text", [
    "Про це заявив депутат Зборів (парламенту – ред.) Північної Македонії.",
    "«(22 листопада - ред.) я проведу зустріч з лідерами країн.",
    "Він виступив перед Радою (мова оригіналу – прим. ред.) Європи.",
])
def test_editorial_note_in_parentheses_does_not_end_the_sentence(text):
    assert texts(text) == [text]


@pytest.mark.parametrize("text, expected", [
    ("Курс становить 36.5 грн за долар. Це рекорд.", ["Курс становить 36.5 грн за долар.", "Це рекорд."]),
    ("Засідання розпочнеться о 10.00 за київським часом.", ["Засідання розпочнеться о 10.00 за київським часом."]),
    ("Засідання розпочнеться о 10.00. Вхід за перепустками.",
     ["Засідання розпочнеться о 10.00.", "Вхід за перепустками."]),
    ("Документ ухвалили 22.11.2022. Він набуде чинності за місяць.",
     ["Документ ухвалили 22.11.2022.", "Він набуде чинності за місяць."]),
    ("Інфляція сягнула 1,5 % у жовтні та 26,6 % за рік.", ["Інфляція сягнула 1,5 % у жовтні та 26,6 % за рік."]),
    ("Північна Македонія стала 30-м членом НАТО. Це сталося у 2020 році.",
     ["Північна Македонія стала 30-м членом НАТО.", "Це сталося у 2020 році."]),
])
def test_numbers_dates_and_times_split_only_at_a_real_end(text, expected):
    assert texts(text) == expected


def test_ellipsis_splits_only_before_a_capital():
    assert texts("Ми чекали… і нарешті дочекалися.") == ["Ми чекали… і нарешті дочекалися."]
    assert texts("Ми довго чекали… Нарешті дочекалися.") == ["Ми довго чекали…", "Нарешті дочекалися."]


@pytest.mark.parametrize("text", [
    "Пишіть на press@hq.nato.int або телефонуйте.",
    "Текст заяви є на https://www.nato.int/cps/en/natohq/news.htm і в соцмережах.",
])
def test_urls_and_emails_stay_whole(text):
    assert texts(text) == [text]


def test_questions_and_exclamations_end_sentences():
    assert texts("Що буде далі? Побачимо! Поки рано.") == ["Що буде далі?", "Побачимо!", "Поки рано."]


# --- chunking over-long sentences --------------------------------------------------------------


def subword_count(s: str) -> int:
    """A SentencePiece-like counter: pieces of ≤ 4 characters per word, one per symbol, plus </s>."""
    return sum(math.ceil(len(w) / 4) for w in s.split()) + 1


def test_3000_word_paragraph_without_punctuation_is_chunked_to_fit():
    words = ["слово", "Україна", "безпека", "Альянс", "співпраця", "Північна", "Македонія", "і"]
    text = " ".join(words[i % len(words)] + str(i % 7) for i in range(3000))
    calls, chars = [], []

    def count(s: str) -> int:
        calls.append(1)
        chars.append(len(s))
        return subword_count(s)

    layout = segment(text, max_tokens=200, count_tokens=count)
    assert len(layout.sentences) > 1
    assert all(subword_count(s.text) <= 200 for s in layout.sentences)
    assert all(subword_count(s.text) > 150 for s in layout.sentences[:-1])  # packed, not word by word
    # offsets cover every character exactly once: chunks + single spaces between them
    assert " ".join(s.text for s in layout.sentences) == text
    assert all(b.start == a.end + 1 for a, b in zip(layout.sentences, layout.sentences[1:]))
    assert layout.join([s.text for s in layout.sentences]) == text
    # no O(n²) counting: a few hundred calls on strings about a chunk long
    assert len(calls) < 1500 and sum(chars) < 40 * len(text)


def test_over_long_sentence_is_cut_at_clause_boundaries_first():
    clause = "коли союзники стоять разом і захищають одне одного"
    text = ", ".join([clause] * 8) + "; " + clause + " – " + clause + "."
    layout = segment(text, max_tokens=20, count_tokens=subword_count)  # one clause (16 tokens) per chunk
    chunks = [s.text for s in layout.sentences]
    assert len(chunks) == 10 and all(subword_count(c) <= 20 for c in chunks)
    assert all(c.endswith((",", ";")) for c in chunks[:-2])
    assert chunks[-1].startswith("– ")  # the spaced dash opens the next chunk
    assert layout.join(chunks) == text
    # packed greedily: six clauses, three fit (46 tokens) → two chunks, not three
    assert len(texts(", ".join([clause] * 6), max_tokens=50, count_tokens=subword_count)) == 2


def test_over_long_clause_falls_back_to_word_boundaries():
    text = " ".join(["Столтенберг"] * 50) + ", кінець."
    chunks = texts(text, max_tokens=10, count_tokens=subword_count)
    assert all(subword_count(c) <= 10 for c in chunks)
    assert all(set(c.split()) <= {"Столтенберг", "кінець.", "Столтенберг,"} for c in chunks)
    assert " ".join(chunks) == text


def test_single_overlong_word_is_cut_between_characters_not_inside_one():
    word = "а\u0301б" * 20 + "👨\u200d👩\u200d👧" * 5 + "б" + "🇺🇦" * 5 + "👍🏽" * 5
    layout = segment(word, max_tokens=4, count_tokens=len)
    chunks = [s.text for s in layout.sentences]
    assert "".join(chunks) == word
    assert all(len(c) <= 8 for c in chunks)  # a ZWJ family is 5 code points, the rest fit in 4
    for c in chunks:
        assert c[0] not in "\u0301\u200d\U0001F3FD" and c[-1] != "\u200d"
        assert len(re.findall("[\U0001F1E6-\U0001F1FF]", c)) % 2 == 0  # flags stay whole


def test_chunking_does_not_assume_token_counts_add_up():
    overhead = 30  # e.g. a counter that adds special tokens per call

    def count(s: str) -> int:
        return overhead + subword_count(s)

    text = " ".join(["речення"] * 400)
    chunks = texts(text, max_tokens=60, count_tokens=count)
    assert all(count(c) <= 60 for c in chunks)
    assert " ".join(chunks) == text


def test_default_estimate_is_used_and_errs_on_the_long_side():
    sentence = "Генеральний секретар НАТО Єнс Столтенберг у середу проведе зустріч."
    assert estimate_tokens(sentence) >= subword_count(sentence)
    text = " ".join([sentence[:-1]] * 100)
    chunks = texts(text)
    assert len(chunks) > 1 and all(estimate_tokens(c) <= 200 for c in chunks)


# --- property: any string ----------------------------------------------------------------------

PIECES = LINE_BREAKS + [
    " ", " ", "\u00a0", "\t", "\u200b", "\u200d", "\ufeff", "\u2060", "\u202e", "\u200f", "\x00", "\x1f", "\x7f",
    ". ", "! ", "? ", "…", "«", "»", " – ", ", - ", "ред.)", "т. д.", "Є. ", "22.11.2022", "10.00", "1.5",
    "Столтенберг", "заявив", "НАТО", "речення", "😀", "👨\u200d👩\u200d👧", "🇺🇦", "\u0301", "עברית", "中文",
]


@st.composite
def hostile_text(draw) -> str:
    """0–3,000 characters: a random mix of a random palette (any code point but surrogates, plus PIECES)."""
    palette = draw(st.lists(st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(PIECES)),
                            min_size=1, max_size=60))
    length = draw(st.integers(0, 3000))
    rnd = draw(st.randoms(use_true_random=False))
    parts, n = [], 0
    while n < length:
        parts.append(rnd.choice(palette))
        n += len(parts[-1])
    return "".join(parts)[:length]


translation = st.lists(st.sampled_from(["a", " ", "é", "😀"] + LINE_BREAKS), max_size=12).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=hostile_text(), data=st.data())
def test_random_text_keeps_offsets_and_line_layout(text, data):
    layout = segment(text)
    check_invariants(text, layout)
    pool = data.draw(st.lists(translation, min_size=1, max_size=20))  # drawing one per sentence is slow
    english = layout.join([pool[i % len(pool)] for i in range(len(layout.sentences))])
    assert len(english.splitlines()) == len(text.splitlines())
    for c in BREAK_CHARS:
        assert english.count(c) == text.count(c)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=hostile_text(), max_tokens=st.integers(1, 30))
def test_random_text_chunks_fit_the_budget(text, max_tokens):
    layout = segment(text, max_tokens=max_tokens, count_tokens=len)
    check_invariants(text, layout)
    for s in layout.sentences:
        assert len(s.text) <= max_tokens or indivisible(s.text)


def indivisible(s: str) -> bool:
    """One visible character: every code point after the first is glued to the one before it."""
    def glued(i: int) -> bool:
        c, cp = s[i], ord(s[i])
        return (unicodedata.category(c).startswith("M") or c in "\u200c\u200d" or s[i - 1] == "\u200d"
                or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or 0x1F1E6 <= cp <= 0x1F1FF)
    return all(glued(i) for i in range(1, len(s)))

"""Behaviour of the Translator end to end on the tiny random-weight model: layout, batching, robustness."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from translate import Translation, Translator
from translate.config import OPTIONS


def line_breaks(text: str) -> list[str]:
    return [ch for ch in text if ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"]


def test_demo_item_keeps_its_ten_lines_and_paragraphs(translator, demo_text):
    # The item is 10 lines: 9 text paragraphs and the blank line after the lead.
    english = translator.translate(demo_text)
    assert len(english.split("\n")) == len(demo_text.split("\n")) == 10
    source_paragraphs = [i for i, line in enumerate(demo_text.split("\n")) if line.strip()]
    english_paragraphs = [i for i, line in enumerate(english.split("\n")) if line.strip()]
    assert english_paragraphs == source_paragraphs and len(source_paragraphs) == 9


def test_output_is_english_side_of_the_model_not_the_source(translator, demo_text):
    english = translator.translate(demo_text)
    assert english != demo_text
    assert "Столтенберг" not in english.split("\n")[0]


def test_blank_lines_crlf_and_indentation_survive_translation(translator):
    text = "  Перший абзац.\r\n\r\n\tДругий абзац. Ще речення.\r\n   \r\nТретій\u00a0абзац.  \n\n"
    english = translator.translate(text)
    assert english.splitlines(keepends=True)[1] == "\r\n"
    assert english.splitlines(keepends=True)[3] == "   \r\n"
    assert english.startswith("  ") and english.endswith("  \n\n")
    assert english.split("\r\n")[2].startswith("\t")
    assert line_breaks(english) == line_breaks(text)


@pytest.mark.parametrize("text", ["", " ", "\n", "\r\n\r\n", " \t \n  \n"])
def test_empty_and_whitespace_only_input_comes_back_unchanged(translator, text):
    assert translator.translate(text) == text


def test_numbers_and_punctuation_only_lines_are_copied(translator):
    text = "Україна.\n22.11.2022\n—\n🇺🇦 🙂"
    lines = translator.translate(text).split("\n")
    assert lines[1:] == ["22.11.2022", "—", "🇺🇦 🙂"]


@pytest.mark.parametrize("text", [
    "Київ 🇺🇦 готовий 👍.",
    "Контроль\x00ні\x07 символи\x1b[31m тут.",
    "Нуль\u200bширини\u200d і\ufeff\u2060 тут.",
    "Іврит שלום עולם і арабська مرحبا\u200f тут.",
    "\u202eперевернутий\u202c текст.",
])
def test_emoji_control_zero_width_and_rtl_text_translate_without_error(translator, text):
    english = translator.translate(text)
    assert isinstance(english, str) and english.strip()
    assert line_breaks(english) == line_breaks(text)


def test_three_thousand_word_paragraph_is_chunked_not_truncated(translator):
    words = ("слово", "Київ", "новина", "сьогодні", "уряд", "країна")
    text = " ".join(words[i % len(words)] for i in range(3000))
    doc = translator.translate_document(text)
    # Nothing dropped: a 3,000-word source cannot fit one 4-token-offset sentence cap, so a long English
    # output means every chunk was translated.
    assert "\n" not in doc.text
    assert len(doc.text.split()) > 1000


def test_translate_batch_equals_translate_of_each_item(translator, demo_text):
    items = [demo_text, "Привіт, світе!", "", "Друге речення. Третє речення.\n\nНовий абзац.", "Привіт, світе!"]
    assert translator.translate_batch(items) == [translator.translate(t) for t in items]


def test_translate_document_has_no_terms_without_glossary(translator):
    doc = translator.translate_document("Столтенберг прибув до Скоп'є.")
    assert isinstance(doc, Translation) and doc.terms == []
    assert doc.text == translator.translate("Столтенберг прибув до Скоп'є.")


def test_non_string_input_is_a_type_error(translator):
    with pytest.raises(TypeError, match="str"):
        translator.translate(None)  # type: ignore[arg-type]


def test_from_config_reads_the_file_and_keyword_overrides(tiny_model, tmp_path, translator):
    config = tmp_path / "my.toml"
    config.write_text(f'model = "{tiny_model}"\nbeam_size = 3\nbackend = "transformers"\n', encoding="utf-8")
    tr = Translator.from_config(config, beam_size=1, engine=translator.engine)
    assert tr.settings.beam_size == 1
    assert tr.settings.model == str(tiny_model)
    assert tr.settings.glossary == "default" and len(tr.glossary) > 1000  # the shipped glossary unless told
    config.write_text(f'model = "{tiny_model}"\nglossary = "none"\n', encoding="utf-8")
    assert Translator.from_config(config, engine=translator.engine).glossary is None


def test_constructor_defaults_are_the_options_table_defaults():
    params = inspect.signature(Translator).parameters
    for option in OPTIONS:
        assert params[option.name].default == option.default, option.name


def test_engine_info_says_what_runs(translator, tiny_model):
    info = translator.info()
    assert info["engine"] == "transformers" and info["model"] == str(tiny_model)
    assert info["device"] == "cpu" and info["glossary"] == "none"


hostile = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from("\n\r\u2028\x0b\x85 \t.,!?…«»–"),
    max_size=3000,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile)
def test_random_hostile_strings_keep_their_line_layout(fast_translator, text):
    english = fast_translator.translate(text)
    assert isinstance(english, str)
    assert line_breaks(english) == line_breaks(text)
    assert len(english.splitlines()) == len(text.splitlines())


HOSTILE_POOL = (
    [chr(c) for c in range(0, 32)] + ["\x7f", "\x85", "\u2028", "\u2029", "\u200b", "\u200d", "\ufeff", "\u202e",
                                      "\u00a0", "\u0301", "🇺🇦", "👍🏽", "\r\n"]
    + list("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГҐДЕЄЖЗИІЇЙ'’ʼ") + list("abcxyzABC 0123456789")
    + list("שלוםمرحبا中文한국어ελληνικάРусский") + list(" .,!?…«»„“—–-()[]:;/\\@#%&*+=<>|~^`$")
)


def test_three_hundred_long_hostile_strings_come_back_with_their_lines(fast_translator):
    # Hypothesis favours short strings; these cover the whole 0–3,000 character range evenly.
    import random

    rng = random.Random(20261128)
    texts = ["".join(rng.choice(HOSTILE_POOL) for _ in range(rng.randint(0, 3000))) for _ in range(300)]
    for text, english in zip(texts, fast_translator.translate_batch(texts)):
        assert isinstance(english, str)
        assert line_breaks(english) == line_breaks(text)
        assert len(english.splitlines()) == len(text.splitlines())

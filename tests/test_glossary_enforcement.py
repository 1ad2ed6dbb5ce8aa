"""With a random-weight model no term comes out by itself: these tests prove annotate → verify → repair."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from translate import Glossary, Translator

DEFAULT_GLOSSARY = Path(__file__).resolve().parents[1] / "translate" / "data" / "glossary.tsv"


@pytest.fixture(scope="module")
def default_glossary():
    return Glossary.load(DEFAULT_GLOSSARY)


@pytest.fixture(scope="module")
def glossary_translator(translator, default_glossary):
    return Translator.from_settings(translator.settings, engine=translator.engine, glossary=default_glossary)


@pytest.fixture(scope="module")
def demo_document(glossary_translator, demo_text):
    return glossary_translator.translate_document(demo_text)


def occurrences(text: str, target: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(target) + r"(?!\w)", text, re.IGNORECASE))


def test_every_demo_term_is_matched_and_applied(demo_document, demo_text):
    found = {t.entry for t in demo_document.terms}
    for headword in ["Столтенберг", "НАТО", "Північна Македонія", "Скоп'є", "Збори", "Західні Балкани",
                     "Укрінформ", "KFOR", "ЄС", "Белград", "Приштина", "Боснія і Герцеговина"]:
        assert headword in found, headword
    assert demo_document.terms and all(t.applied for t in demo_document.terms)


def test_each_term_appears_in_the_english_of_its_own_paragraph(demo_document, demo_text):
    source_lines = demo_text.split("\n")
    english_lines = demo_document.text.split("\n")
    line_starts = [sum(len(line) + 1 for line in source_lines[:i]) for i in range(len(source_lines))]
    wanted: dict[int, Counter] = {}
    for term in demo_document.terms:
        line = max(i for i, start in enumerate(line_starts) if start <= term.start)
        wanted.setdefault(line, Counter())[term.target] += 1
    for line, targets in wanted.items():
        for target, count in targets.items():
            assert occurrences(english_lines[line], target) >= count, (line, target)


def test_terms_are_never_doubled(demo_document):
    for target in {t.target for t in demo_document.terms}:
        doubled = re.escape(target) + r"\s+" + re.escape(target) + r"(?!\w)"
        assert not re.search(doubled, demo_document.text, re.IGNORECASE), target


def test_term_report_offsets_point_at_the_source_text(demo_document, demo_text):
    for term in demo_document.terms:
        assert demo_text[term.start : term.end] == term.source
    assert [t.start for t in demo_document.terms] == sorted(t.start for t in demo_document.terms)


def test_inflected_forms_all_render_as_one_target(glossary_translator):
    doc = glossary_translator.translate_document(
        "Столтенберг прибув. Зустріч зі Столтенбергом тривала годину. Слова Столтенберга цитують."
    )
    assert [t.target for t in doc.terms] == ["Stoltenberg"] * 3
    assert occurrences(doc.text, "Stoltenberg") >= 3 and all(t.applied for t in doc.terms)


def test_lowercase_common_noun_is_left_alone(glossary_translator):
    doc = glossary_translator.translate_document("Загальні збори акціонерів відбулися вчора.")
    assert all(t.entry != "Збори" for t in doc.terms)


def test_lowercase_target_is_capitalised_at_sentence_start():
    glossary = Glossary.from_pairs([("окупанти", "occupiers")])
    from translate.terms import tidy

    assert tidy("occupiers retreated", ["occupiers"]).startswith("Occupiers")
    assert len(glossary.find("Окупанти відступили.")) == 1


def test_session_glossary_replaces_the_default_for_one_call(glossary_translator):
    custom = Glossary.from_pairs([("Київ", "Kyiv City")])
    [doc] = glossary_translator.translate_documents(["Мер Києва виступив."], glossary=custom)
    assert [t.target for t in doc.terms] == ["Kyiv City"] and doc.terms[0].applied
    assert "Kyiv City" in doc.text


def test_glossary_keeps_layout(glossary_translator):
    text = "НАТО і ЄС.\r\n\r\n  Київ та Харків.  \n"
    english = glossary_translator.translate(text)
    assert english.count("\r\n") == 2 and english.endswith("  \n") and english.split("\r\n")[2].startswith("  ")


def test_a_translator_enforces_the_shipped_glossary_unless_told_otherwise(translator):
    text = "Мер Києва виступив."
    by_default = Translator(translator.settings.model, engine=translator.engine)
    assert by_default.info()["glossary"].endswith("entries")
    assert [(t.surface, t.target, t.applied) for t in by_default.translate_document(text).terms] == [
        ("Києва", "Kyiv", True)]
    assert Translator(translator.settings.model, engine=translator.engine, glossary=None).glossary is None


def test_an_added_glossary_is_layered_over_the_shipped_one(translator, tmp_path):
    ours = tmp_path / "ours.tsv"
    ours.write_text("uk\ten\nКиїв\tKyiv City\nМер\tMayor\n", encoding="utf-8")
    layered = Translator(translator.settings.model, engine=translator.engine, add_glossary=str(ours))
    terms = layered.translate_document("Мер Києва виступив у Львові.").terms
    assert [(t.surface, t.target) for t in terms] == [("Мер", "Mayor"), ("Києва", "Kyiv City"), ("Львові", "Lviv")]

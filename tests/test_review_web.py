"""The review on the web page: flagged sentences highlighted with their reasons on hover, the side-by-side review
view paragraph by paragraph, wrapping, the session glossary's edit hint and the File tab's preview; the HTML
builders on FakeEngine translations (the source upper-cased) and the page's layout built in-process."""

from __future__ import annotations

import re

import pytest
from fakes import FakeEngine

from translate import Translator
from translate.review import page
from translate.web import file_preview_html, highlight_html, review_html

SOURCE = "Перше речення.\n\nТак так так."


@pytest.fixture(scope="module")
def translator():
    from translate.glossary import Glossary

    return Translator(engine=FakeEngine(), glossary=Glossary.from_pairs([("Столтенберг", "Stoltenberg")],
                                                                         cache_dir=False))


def test_flagged_sentences_are_highlighted_with_their_reasons_on_hover(translator):
    doc = translator.translate_document(SOURCE)
    body = highlight_html(doc)
    spans = re.findall(r'<span class="review-flag" [^>]*title="([^"]*)">([^<]*)</span>', body)
    assert spans == [("untranslated: the English is a copy of the Ukrainian source", "ПЕРШЕ РЕЧЕННЯ."),
                     ("repetition: “ТАК” is repeated 3 times in a row · untranslated: the English is a copy of the "
                      "Ukrainian source", "ТАК ТАК ТАК.")]
    assert "overflow-wrap:anywhere" in body  # long unbroken strings wrap in the column


def test_terms_nest_inside_a_flagged_sentence():
    text = "Stoltenberg said yes yes yes."
    marks = [(0, 11, "<mark>", "</mark>"), (0, len(text), "<span>", "</span>")]
    assert page.render(text, marks) == "<span><mark>Stoltenberg</mark> said yes yes yes.</span>"
    assert page.render(text, [(5, 20, "<b>", "</b>"), (0, 11, "<i>", "</i>")]) == "<i>Stoltenberg</i> said yes yes yes."  # the crossing <b> is left out


def test_review_view_puts_each_paragraph_beside_its_source_and_explains_flagged_ones(translator):
    doc = translator.translate_document(SOURCE)
    view = review_html(SOURCE, doc)
    rows = re.findall(r'<tr class="(review-\w+)".*?<td class="review-source"[^>]*>(.*?)</td>', view)
    assert rows == [("review-flagged", "Перше речення."), ("review-flagged", "Так так так.")]
    assert "2 of 2 paragraphs to check" in view
    assert "<li>repetition: “ТАК” is repeated 3 times in a row</li>" in view
    assert "table-layout:fixed" in view and "overflow-wrap:anywhere" in view


def test_review_view_marks_a_missing_term_in_the_source(translator):
    from translate.pipeline import Translation
    from translate.terms import TermReport

    source = "Столтенберг прибув.\nУсе гаразд."
    missed = TermReport(surface="Столтенберг", headword="Столтенберг", target="Stoltenberg", start=0, end=11,
                        applied=False)
    view = review_html(source, Translation("He arrived.\nAll is well.", [missed], sentences=2))
    first, second = re.findall(r"<tr .*?</tr>", view)
    assert 'class="review-flagged"' in first and ">Столтенберг</mark> прибув." in first
    assert "the glossary term “Столтенберг” → “Stoltenberg” is not in the English" in first
    assert 'class="review-ok"' in second


def test_file_preview_names_each_term_it_did_not_enforce():
    from translate.pipeline import Translation
    from translate.terms import TermReport

    def term(surface, applied, weak=False):
        return TermReport(surface=surface, headword=surface, target="Assembly", start=0, end=5, applied=applied,
                          weak=weak)

    preview = file_preview_html([Translation("The Assembly met.", [term("Збори", True)]),
                                 Translation("Meetings went on.", [term("Збори", False, weak=True),
                                                                   term("Зборів", False)])])
    assert "Terms not enforced (2):" in preview
    assert "<li>Збори → Assembly: not enforced (may be a common word)</li>" in preview
    assert "<li>Зборів → Assembly: missing from the English</li>" in preview
    shown = re.sub(r"<[^>]+>", "", preview)  # the text without its marks
    assert "The Assembly met." in shown and "Meetings went on." in shown


def test_page_has_the_review_view_the_preview_and_the_glossary_edit_hint(tmp_path, translator):
    from translate.host import TranslatorHost
    from translate.web import build_ui

    demo = build_ui(TranslatorHost(translator), tmp_path)
    config = demo.get_config_file()
    ids = {c.get("props", {}).get("elem_id") for c in config["components"]}
    assert {"review", "file-preview"} <= ids
    texts = " ".join(str(c.get("props", {}).get("value", "")) for c in config["components"])
    assert "To edit a cell, double-click it" in texts
    # The page's API keeps its outputs: the review view and the preview come from State, which it skips.
    api = {d["api_name"]: d for d in config["dependencies"] if d.get("api_name") in ("translate", "translate_file")}
    assert len(api["translate"]["outputs"]) == 5 and len(api["translate_file"]["outputs"]) == 3

"""Inline markup placed on the English (`translate.documents.inline`): each rule on a hand-made sentence,
nesting kept, unbalanced marks made points, and the line split SRT and DOCX use."""

from __future__ import annotations

import pytest

from translate.documents.inline import Mark, Run, Text, split_balanced
from translate.pipeline import Translation
from translate.terms import TermReport


def bold(text: str) -> list:
    return [Mark("open", "b"), Text(text), Mark("close", "b")]


def test_a_span_over_a_term_wraps_the_terms_english():
    run = Run([Text("Вчора "), *bold("Столтенберга"), Text(" бачили.")])
    term = TermReport(surface="Столтенберга", headword="Столтенберг", target="Stoltenberg", start=6, end=18,
                      applied=True)
    assert run.rebuild(Translation("Stoltenberg was seen yesterday.", [term])) == [
        "", "Stoltenberg", " was seen yesterday."]
    assert run.rules == {"term": 1}


def test_a_span_is_found_by_its_own_english_in_any_case():
    run = Run([Text("Він "), *bold("дуже швидко"), Text(" біг.")])
    assert run.rebuild("He ran Very Quickly.", {"дуже швидко": "very quickly."}) == ["He ran ", "Very Quickly", "."]
    assert run.rules == {"translated": 1}


def test_a_span_is_found_by_the_window_sharing_most_of_its_words():
    run = Run([Text("Він "), *bold("дуже швидко біг"), Text(" додому.")])
    assert run.rebuild("He ran home very fast indeed.", {"дуже швидко біг": "ran very fast"}) == [
        "He ", "ran home very fast", " indeed."]  # 3 of its words in 4: better than "very fast", 2 in 3


def test_otherwise_a_span_takes_its_share_of_the_sentence_on_word_boundaries():
    run = Run([Text("Один "), *bold("два"), Text(" три чотири")])
    assert run.rebuild("alpha beta gamma delta") == ["alpha ", "beta", " gamma delta"]
    assert run.rules == {"proportional": 1}


def test_children_are_placed_inside_their_parent():
    run = Run([Text("Дуже "), Mark("open", "b"), Text("важливий "), *[Mark("open", "i"), Text("текст"),
               Mark("close", "i")], Mark("close", "b"), Text(" тут.")])
    english = run.rebuild("Here is a very important text.", {"важливий текст": "important text", "текст": "text"})
    assert english == ["Here is a very ", "important ", "text", "", "."]


def test_crossing_marks_keep_their_order_and_the_unclosed_one_becomes_a_point():
    run = Run([Text("Один "), Mark("open", "b"), Text("два "), Mark("open", "i"), Text("три"), Mark("close", "b"),
               Text(" чотири"), Mark("close", "i")])
    english = run.rebuild("one two three four", {"два три": "two three"})
    assert len(english) == 5 and "".join(english) == "one two three four"
    assert english[:2] == ["one ", "two "]


def test_whitespace_around_the_text_stays_where_it_was():
    run = Run([Text("\n   Рядок\n   "), *bold("другий"), Text("\n")])
    assert run.text == "Рядок другий"
    assert run.rebuild("Line second", {"другий": "second"}) == ["\n   Line ", "second", "\n"]


@pytest.mark.parametrize("text, weights, expected", [
    ("one two three four", [1, 1], ["one two ", "three four"]),
    ("a bb ccc dddd eeeee", [1, 4], ["a bb ", "ccc dddd eeeee"]),
    ("single", [1, 1, 1], ["single", "", ""]),
])
def test_text_is_split_at_spaces_by_weight(text, weights, expected):
    assert split_balanced(text, weights) == expected

"""Term enforcement helpers: annotation offsets, presence checks, repair prefixes, tidy English."""

from __future__ import annotations

from typing import NamedTuple

from translate.terms import annotate, count_target, missing_terms, repair_prefix, tidy


class Term(NamedTuple):  # what the helpers take: a term placed in a sentence (a glossary.Match is one)
    start: int
    end: int
    target: str


def test_annotation_puts_each_target_in_place_and_reports_where():
    text = "Столтенберг прибув до Скоп'є."
    terms = [Term(22, 28, "Skopje"), Term(0, 11, "Stoltenberg")]
    annotated, starts = annotate(text, terms)
    assert annotated == "Stoltenberg прибув до Skopje."
    assert [annotated[s : s + len(t)] for s, t in zip(starts, ["Stoltenberg", "Skopje"])] == ["Stoltenberg", "Skopje"]


def test_target_counts_case_insensitively_with_possessive_and_whole_words_only():
    assert count_target("stoltenberg's visit. Stoltenberg’s words", "Stoltenberg") == 2
    assert count_target("the Stoltenbergs", "Stoltenberg") == 0
    assert count_target("North  Macedonia and north\nmacedonia", "North Macedonia") == 2
    assert count_target("the EUR rate", "EU") == 0


def test_missing_terms_counts_repeated_terms():
    terms = [Term(0, 1, "NATO"), Term(5, 6, "NATO"), Term(8, 9, "Kyiv")]
    assert missing_terms("NATO met in Kyiv", terms) == [1]
    assert missing_terms("NATO and NATO in Kyiv", terms) == []


def test_repair_prefix_replaces_a_lookalike_rendering():
    terms = [Term(0, 4, "Kyiv")]
    prefix = repair_prefix(30, "The mayor of Kiev said today", terms, [13], [0])
    assert prefix == "The mayor of Kyiv"


def test_repair_prefix_inserts_at_proportional_position_and_keeps_order():
    terms = [Term(0, 4, "Stoltenberg"), Term(20, 24, "Skopje")]
    prefix = repair_prefix(40, "one two three four five six seven eight", terms, [0, 30], [0, 1])
    words = prefix.split()
    assert words[0] == "Stoltenberg" and words[-1] == "Skopje"
    assert words.index("Skopje") > words.index("Stoltenberg")


def test_tidy_removes_doubled_terms_and_uses_glossary_spelling():
    assert tidy("Stoltenberg Stoltenberg said", ["Stoltenberg"]) == "Stoltenberg said"
    assert tidy("the nato summit", ["NATO"]) == "the NATO summit"
    assert tidy("occupiers left. occupiers came", ["occupiers"]) == "Occupiers left. Occupiers came"
    assert tidy("They saw the Occupiers", ["occupiers"]) == "They saw the occupiers"

"""Subtitles in, the same cues out: count, numbering, timings and position data identical, each cue's text
in English over as many lines as it had; broken files refused naming the cue and line."""

from __future__ import annotations

import pytest
import srt
from fakes import FakeEngine

from translate import Glossary, Translator, documents
from translate.documents import DocumentError

SOURCE = (
    "1\n00:00:01,000 --> 00:00:03,500\nСьогодні Столтенберг прибув\nдо Києва на переговори.\n\n"
    "2\n00:00:04,000 --> 00:00:05,250\n♪ ♪\n\n"
    "7\n00:01:06,000 --> 00:01:09,000 X1:100 X2:200 Y1:10 Y2:40\nОдин рядок тексту тут.\n\n"
    "8\n01:00:00,000 --> 01:00:02,000\nТри\nкороткі\nрядки тексту разом.\n"
)


@pytest.fixture(scope="module")
def upper():
    return Translator(engine=FakeEngine(), glossary=Glossary.from_pairs(
        [("Столтенберг", "Stoltenberg"), ("Київ", "Kyiv")], cache_dir=False))


def translated(translator, source: str) -> str:
    return documents.translate_data(source.encode(), "srt", translator.translate_documents).data.decode()


def test_cues_numbers_timings_and_line_counts_stay_and_every_cue_text_changes(upper):
    english = translated(upper, SOURCE)
    before, after = list(srt.parse(SOURCE)), list(srt.parse(english))
    assert [(c.index, c.start, c.end, c.proprietary) for c in after] == [
        (c.index, c.start, c.end, c.proprietary) for c in before]
    assert [c.content.count("\n") for c in after] == [1, 0, 0, 2]
    assert after[1].content == "♪ ♪"
    assert all(a.content != b.content for a, b in zip(after, before) if b.index != 2)
    assert after[0].content == "СЬОГОДНІ Stoltenberg ПРИБУВ\nДО Kyiv НА ПЕРЕГОВОРИ."
    assert english.endswith("РАЗОМ.\n") and english.count("\n\n") == 3


def test_terms_are_reported_with_offsets_into_the_cues_text(upper):
    done = documents.translate_data(SOURCE.encode(), "srt", upper.translate_documents)
    text = "\n".join(done.document.segments()) + "\n"
    assert [(text[t.start:t.end], t.target, t.applied) for t in done.terms] == [
        ("Столтенберг", "Stoltenberg", True), ("Києва", "Kyiv", True)]


def test_crlf_files_stay_crlf(upper):
    english = translated(upper, SOURCE.replace("\n", "\r\n"))
    assert english.count("\r\n") == SOURCE.count("\n") and "\n" not in english.replace("\r\n", "")


@pytest.mark.parametrize("source, problem, line", [
    ("1\n00:00:01,000 --> 00:00:02,000\nТак\n\n2\n00:00:0x,000 -> 00:00:05,000\nНі\n",
     "cue 2 (after cue 1) is not a valid subtitle block: '2\\n00:00:0x,000 -> 00:00:05,000\\nНі'", 5),
    ("1\n00:00:05,000 --> 00:00:03,000\nТак\n",
     "cue 1 (number 1) ends (00:00:03,000) before it starts (00:00:05,000)", None),
])
def test_broken_subtitles_name_the_cue_and_line(source, problem, line):
    with pytest.raises(DocumentError) as refused:
        documents.read(source.encode(), "srt")
    assert (refused.value.problem, refused.value.line) == (problem, line)


def test_binary_named_srt_is_refused():
    with pytest.raises(DocumentError) as refused:
        documents.read(b"1\n\x00\x00", "srt")
    assert refused.value.problem == "binary data, not SRT subtitles (a NUL byte at offset 2)"

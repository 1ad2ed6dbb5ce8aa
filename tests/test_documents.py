"""The document layer on its own: formats by extension, text and JSONL read into segments and rebuilt."""

from __future__ import annotations

import json

import pytest

from translate import documents
from translate.documents import DocumentError, jsonl, text
from translate.pipeline import Translation
from translate.terms import TermReport


@pytest.mark.parametrize("path, forced, expected", [
    ("news.txt", "auto", "text"),
    ("notes.MD", "auto", "markdown"),
    ("items.jsonl", "auto", "jsonl"),
    ("items.NDJSON", "auto", "jsonl"),
    ("README", "auto", "text"),
    ("items.txt", "jsonl", "jsonl"),
])
def test_format_is_chosen_by_extension_unless_forced(path, forced, expected):
    assert documents.format_of(path, forced) == expected


def test_every_format_module_is_registered_with_its_suffixes():
    assert set(documents.FORMATS) == {"text", "jsonl", "html", "markdown", "docx", "srt"}
    assert documents.SUFFIXES == (".txt", ".jsonl", ".ndjson", ".html", ".htm", ".md", ".markdown", ".docx", ".srt")


@pytest.mark.parametrize("data", [
    "Перший рядок.\nДругий рядок.\n".encode(),
    "Перший рядок.\r\n\r\nДругий рядок.\r\n".encode(),
    "\ufeffЗ BOM на початку.\n".encode(),
    "без кінця рядка".encode(),
    b"",
])
def test_text_rebuilt_from_its_own_segments_is_the_same_bytes(data):
    document = documents.read(data, "text")
    assert document.rebuild(document.segments()) == data
    assert document.skipped == [] and document.summary() == ""


def test_text_keeps_crlf_and_the_bom_around_the_english():
    document = documents.read("\ufeffРядок.\r\n".encode(), "text")
    assert document.segments() == ["Рядок.\r\n"]
    assert document.rebuild(["Line.\r\n"]) == "\ufeffLine.\r\n".encode()


def test_text_that_is_not_utf8_names_its_line_column_and_byte_offset():
    data = "Перший.\nДруг".encode() + b"\xff" + "ий.\n".encode()
    with pytest.raises(DocumentError) as raised:
        documents.read(data, "text")
    error = raised.value
    assert (error.line, error.position) == (2, len("Перший.\nДруг".encode()))
    assert error.problem == f"not valid UTF-8 (byte 0xff at column {len('Друг'.encode()) + 1})"


def test_long_text_is_cut_at_line_ends_into_parts_of_the_one_size():
    line = "Довгий рядок новини. " * 10 + "\n"  # 211 characters
    long_text = "Рядок перший.\r\n\r\n" + line * 40 + "  \nкінець"
    parts = text.split_in_parts(long_text)
    assert "".join(parts) == long_text
    assert len(parts) == 5 and all(p.endswith("\n") for p in parts[:-1])
    assert all(len(p) <= text.PART_CHARS for p in parts)
    assert text.split_in_parts("x" * 3000 + "\nкінець") == ["x" * 3000 + "\n", "кінець"]  # a long line stays whole


def test_long_input_is_split_at_line_ends_without_losing_a_character():
    long_text = "Рядок перший.\r\n\r\n" + "Довгий рядок новини. " * 200 + "\n  \nкінець"
    parts = text.split_in_parts(long_text, part_chars=500)
    assert "".join(parts) == long_text
    assert len(parts) > 1 and all(p.endswith("\n") for p in parts[:-1])


def test_parts_translated_apart_report_term_offsets_into_the_whole_text():
    source = "Київ.\n" * 400  # 2,400 characters: two parts, each translated in its own call
    calls = []

    def translate(parts):
        calls.append(len(parts))
        return [Translation(p.replace("Київ", "Kyiv"),
                            [TermReport(surface="Київ", headword="Київ", target="Kyiv", start=i * 6, end=i * 6 + 4,
                                        applied=True) for i in range(p.count("\n"))]) for p in parts]

    progress = []
    [whole] = text.translate_in_parts([source], translate, report=lambda done, total: progress.append((done, total)))
    assert calls == [1, 1] and progress == [(0, 2), (1, 2), (2, 2)]
    assert whole.text == "Kyiv.\n" * 400
    assert [t.start for t in whole.terms] == [i * 6 for i in range(400)]
    assert all(source[t.start:t.end] == "Київ" for t in whole.terms)


def test_short_texts_share_one_call_and_all_go_in_one_without_a_call_size():
    calls = []

    def translate(parts):
        calls.append(list(parts))
        return [Translation(p.upper()) for p in parts]

    assert [t.text for t in text.translate_in_parts(["а", "б", "в" * 2500], translate)] == ["А", "Б", "В" * 2500]
    assert calls == [["а", "б"], ["в" * 2500]]
    calls.clear()
    text.translate_in_parts(["а", "б", "в" * 2500], translate, call_chars=None)
    assert calls == [["а", "б", "в" * 2500]]


def test_jsonl_record_keeps_every_other_field_and_its_order():
    record = {"id": 7, "title": "Заголовок", "date": "2022-11-22", "body": "Текст.\nДругий абзац.", "url": "u"}
    data = (json.dumps(record, ensure_ascii=False) + "\n").encode()
    document = documents.read(data, "jsonl", fields=("title", "body"))
    assert document.segments() == ["Заголовок", "Текст.\nДругий абзац."]
    rebuilt = json.loads(document.rebuild(["Headline", "Text.\nSecond paragraph."]))
    assert list(rebuilt) == list(record)
    assert rebuilt == {**record, "title": "Headline", "body": "Text.\nSecond paragraph."}


def test_jsonl_default_fields_are_title_body_and_text():
    assert documents.DEFAULT_FIELDS == jsonl.DEFAULT_FIELDS == ("title", "body", "text")
    data = '{"title": "А", "text": "Б", "lead": "В"}\n'.encode()
    assert documents.read(data, "jsonl").segments() == ["А", "Б"]


@pytest.mark.parametrize("raw, problem", [
    (b'{"id": 1, "title": "\xd0"}', "not valid UTF-8 (byte 0xd0 at column 21)"),
    (b'{"id": 1, "title": ', "not valid JSON (Expecting value at column 20)"),
    (b"[1, 2]", "not a JSON object but list"),
    (b"[" * 100_000 + b"]" * 100_000, "JSON nested too deeply to read"),
])
def test_unreadable_jsonl_line_says_why_in_a_few_words(raw, problem):
    with pytest.raises(DocumentError) as raised:
        jsonl.parse_record(raw, line=3)
    assert (raised.value.problem, raised.value.line) == (problem, 3)


def test_jsonl_field_that_is_not_text_is_refused_and_a_null_one_skipped():
    assert jsonl.texts_of({"title": "А", "body": None}, ("title", "body")) == ["title"]
    with pytest.raises(DocumentError, match="field 'body' is list, not text"):
        jsonl.texts_of({"title": "А", "body": ["Б"]}, ("title", "body"))


def test_jsonl_file_skips_unreadable_lines_and_keeps_the_rest_in_order():
    data = "\ufeff".encode() + b'{"id": 1, "title": "\xd0\x90"}\n{broken\n\n{"id": 2, "title": ["x"]}\n{"id": 3}\n'
    document = documents.read(data, "jsonl")
    assert [str(e) for e in document.skipped] == [
        "line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "line 4: field 'title' is list, not text"]
    assert document.segments() == ["А"]
    assert document.rebuild(["A"]) == b'{"id": 1, "title": "A"}\n{"id": 3}\n'
    assert document.summary() == "2 records, 1 fields translated (title, body, text)."


def test_json_line_escapes_a_lone_surrogate_it_cannot_encode():
    assert jsonl.json_line({"t": "Київ"}) == '{"t": "Київ"}\n'.encode()
    assert jsonl.json_line({"t": "\ud800"}) == b'{"t": "\\ud800"}\n'

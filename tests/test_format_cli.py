"""`uk-en translate` on documents: a DOCX in, a DOCX out with its term report; folders mirrored with every
known extension; `--format` overriding the extension; a bad file reported and skipped, the rest done."""

from __future__ import annotations

import io
import json

import docx
import pytest
from fakes import FakeEngine
from typer.testing import CliRunner

from translate.cli import app

runner = CliRunner()


@pytest.fixture
def upper(monkeypatch, tmp_path):
    """Every run gets the fake engine (the source in capitals) and a small glossary file."""
    monkeypatch.setattr("translate.engines.load_engine", lambda settings: FakeEngine())
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("uk\ten\nСтолтенберг\tStoltenberg\nКиїв\tKyiv\n", encoding="utf-8")
    return ["--no-cache", "--glossary", str(glossary)]


def a_docx() -> bytes:
    document = docx.Document()
    paragraph = document.add_paragraph("Сьогодні ввечері ")
    paragraph.add_run("Столтенберг").bold = True
    paragraph.add_run(" прибув до Києва.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_in_docx_out_with_the_terms_of_its_text(tmp_path, upper):
    source, target, terms = tmp_path / "news.docx", tmp_path / "news.en.docx", tmp_path / "terms.jsonl"
    source.write_bytes(a_docx())
    result = runner.invoke(app, ["translate", str(source), "-o", str(target), "--terms", str(terms), *upper])
    assert result.exit_code == 0, result.output
    runs = [(r.text, r.bold) for r in docx.Document(str(target)).paragraphs[0].runs]
    assert runs == [("СЬОГОДНІ ВВЕЧЕРІ ", None), ("Stoltenberg", True), (" ПРИБУВ ДО Kyiv.", None)]
    [entry] = [json.loads(line) for line in terms.read_text(encoding="utf-8").splitlines()]
    assert [(t["surface"], t["start"], t["end"], t["applied"]) for t in entry["terms"]] == [
        ("Столтенберг", 17, 28, True), ("Києва", 39, 44, True)]


def test_folder_is_mirrored_with_every_format_and_a_bad_file_is_skipped(tmp_path, upper):
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "sub").mkdir(parents=True)
    files = {"a.html": "<p>Привіт, <b>Київ</b></p>".encode(), "sub/b.md": "# Привіт\n".encode(),
             "c.srt": "1\n00:00:01,000 --> 00:00:02,000\nПривіт\n".encode(), "d.docx": a_docx(),
             "e.htm": "<i>Так</i>".encode(), "broken.srt": b"1\n00:00:0x --> nope\n\xd0\x9d\n",
             "corrupt.docx": b"PK\x03\x04 not really", "binary.html": b"\x00\x01\x02"}
    for name, data in files.items():
        (src / name).write_bytes(data)
    result = runner.invoke(app, ["translate", str(src), "-o", str(out), *upper])
    assert result.exit_code == 1
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["a.html", "c.srt", "d.docx", "e.htm", "sub/b.md"]
    assert (out / "a.html").read_text(encoding="utf-8") == "<p>ПРИВІТ, <b>Kyiv</b></p>"
    assert (out / "sub/b.md").read_text(encoding="utf-8") == "# ПРИВІТ\n"
    assert (out / "e.htm").read_text(encoding="utf-8") == "<i>ТАК</i>"
    for name, words in [("broken.srt", "cue 1"), ("corrupt.docx", "not a DOCX file"), ("binary.html", "binary data")]:
        assert any(name in line and words in line for line in result.stderr.splitlines()), result.stderr


def test_format_flag_reads_a_txt_file_as_html(tmp_path, upper):
    source = tmp_path / "page.txt"
    source.write_text("<p>Привіт, <em>Київ</em></p>", encoding="utf-8")
    result = runner.invoke(app, ["translate", str(source), "--format", "html", *upper])
    assert result.exit_code == 0, result.output
    assert result.stdout == "<p>ПРИВІТ, <em>Kyiv</em></p>"

"""Word documents in, the same document with English text out: paragraph, run and table counts, styles,
formatting, images and sections as they were, every paragraph's text changed; damaged files refused."""

from __future__ import annotations

import base64
import io
import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fakes import FakeEngine

from translate import Glossary, Translator, documents
from translate.documents import DocumentError

# A 1×1 PNG: an image the document must keep.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
                         "AAAABJRU5ErkJggg==")


def hyperlink(paragraph, text: str, url: str) -> None:
    rid = paragraph.part.relate_to(url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
                                   is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def sample() -> bytes:
    document = docx.Document()
    document.add_heading("Візит до столиці", level=1)
    p = document.add_paragraph("Вчора ", style="Normal")
    p.add_run("Столтенберг").bold = True
    p.add_run(" прибув до ")
    p.add_run("Києва").italic = True
    p.add_run(" на переговори.")
    link = document.add_paragraph("Дивіться ")
    hyperlink(link, "сайт уряду", "https://gov.ua")
    link.add_run(" сьогодні.")
    document.add_picture(io.BytesIO(PIXEL))
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "Посада"
    table.cell(0, 1).text = "Генсек"
    nested = table.cell(1, 1).add_table(rows=1, cols=1)
    nested.cell(0, 0).text = "Вкладена клітинка таблиці"
    table.cell(1, 0).paragraphs[0].add_run("Рядок один")
    table.cell(1, 0).paragraphs[0].add_run().add_break()
    table.cell(1, 0).paragraphs[0].add_run("рядок два")
    document.sections[0].header.paragraphs[0].text = "Верхній колонтитул новин"
    document.sections[0].footer.paragraphs[0].text = "Нижній колонтитул"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def upper():
    return Translator(engine=FakeEngine(), glossary=Glossary.from_pairs(
        [("Столтенберг", "Stoltenberg"), ("Київ", "Kyiv")], cache_dir=False))


def paragraphs(document):
    """Every paragraph of the body, its tables (nested ones too), header and footer."""
    def of(container):
        yield from container.paragraphs
        for table in getattr(container, "tables", []):
            for row in table.rows:
                for cell in row.cells:
                    yield from of(cell)
    yield from of(document)
    for section in document.sections:
        yield from of(section.header)
        yield from of(section.footer)


def layout(document) -> list:
    return [(p.style.name, [(r.bold, r.italic, r.style.name, len(r._r.xpath("./w:drawing|./w:br"))) for r in p.runs],
             len(p._p.xpath("./w:hyperlink"))) for p in paragraphs(document)]


def test_paragraphs_runs_tables_styles_and_images_stay_and_every_paragraph_changes(upper):
    data = sample()
    done = documents.translate_data(data, "docx", upper.translate_documents)
    before, after = docx.Document(io.BytesIO(data)), docx.Document(io.BytesIO(done.data))
    assert layout(after) == layout(before)
    assert len(after.tables) == 1 and len(after.tables[0].cell(1, 1).tables) == 1
    assert after.tables[0].style.name == "Table Grid"
    assert len(after.inline_shapes) == 1
    assert after.sections[0].page_width == before.sections[0].page_width
    changed = [(a.text, b.text) for a, b in zip(paragraphs(after), paragraphs(before)) if b.text.strip()]
    assert changed and all(a != b for a, b in changed)


def test_formatted_runs_and_links_carry_the_corresponding_english(upper):
    done = documents.translate_data(sample(), "docx", upper.translate_documents)
    english = docx.Document(io.BytesIO(done.data))
    runs = [(r.text, r.bold, r.italic) for r in english.paragraphs[1].runs]
    assert runs == [("ВЧОРА ", None, None), ("Stoltenberg", True, None), (" ПРИБУВ ДО ", None, None),
                    ("Kyiv", None, True), (" НА ПЕРЕГОВОРИ.", None, None)]
    link = english.paragraphs[2]._p.xpath("./w:hyperlink//w:t")[0].text
    assert (english.paragraphs[2].text, link) == ("ДИВІТЬСЯ САЙТ УРЯДУ СЬОГОДНІ.", "САЙТ УРЯДУ")
    assert english.tables[0].cell(1, 0).text == "РЯДОК ОДИН\nРЯДОК ДВА"
    assert english.sections[0].header.paragraphs[0].text == "ВЕРХНІЙ КОЛОНТИТУЛ НОВИН"


def test_terms_are_reported_with_offsets_into_the_documents_text(upper):
    done = documents.translate_data(sample(), "docx", upper.translate_documents)
    text = "\n".join(done.document.segments()[:done.document.text_count()])
    assert [(text[t.start:t.end], t.target) for t in done.terms] == [("Столтенберг", "Stoltenberg"), ("Києва", "Kyiv")]


CONTENT_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 b'wordprocessingml.document.main+xml"/></Types>')


def zipped(**parts: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name.replace("__", "/").replace("_ct", "[Content_Types].xml"), data)
    return out.getvalue()


@pytest.mark.parametrize("data, problem", [
    (b"\xd0\xcf\x11\xe0 an old .doc file", "not a DOCX file (not a ZIP package)"),
    (sample()[:2000], "not a DOCX file (not a ZIP package)"),
    (zipped(word__styles=b"<w:styles/>"),
     "a damaged DOCX file (There is no item named '[Content_Types].xml' in the archive)"),
    (zipped(_ct=CONTENT_TYPES), "a damaged DOCX file (no relationship of type "
                                "'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument'"),
])
def test_corrupt_docx_is_refused(data, problem):
    with pytest.raises(DocumentError) as refused:
        documents.read(data, "docx")
    assert refused.value.problem.startswith(problem)


def test_the_web_file_tab_path_gives_a_docx_back_and_names_a_bad_one(upper, tmp_path):
    from translate import web
    from translate.errors import TranslateError
    from translate.host import TranslatorHost

    host = TranslatorHost(upper)
    source = tmp_path / "звіт.uk.docx"
    source.write_bytes(sample())
    output, note, translations = web.translate_file(host, source, [], tmp_path, 100_000)
    assert output.name == "звіт.en.docx"
    assert docx.Document(str(output)).paragraphs[1].runs[1].text == "Stoltenberg"
    assert note.startswith("10 paragraphs and cells, ") and len(translations) == 10
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(TranslateError, match=r"^broken\.docx: not a DOCX file \(not a ZIP package\)\.$"):
        web.translate_file(host, broken, [], tmp_path, 100_000)

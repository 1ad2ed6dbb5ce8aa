"""HTML in, the same HTML with English text out: the element tree, attributes, entities, comments and
whitespace outside text as they were; inline tags around the corresponding English words; glossary terms
inside tags wrapped in the same tags; untouched elements byte for byte; bad files refused."""

from __future__ import annotations

import lxml.html
import pytest
from fakes import FakeEngine

from translate import Glossary, Translator, documents
from translate.documents import DocumentError, html

GLOSSARY = Glossary.from_pairs([("Столтенберг", "Stoltenberg"), ("Київ", "Kyiv"), ("НАТО", "NATO")],
                               cache_dir=False)

PAGE = """<!DOCTYPE html>
<html lang="uk">
<head>
  <meta charset="utf-8">
  <title>Новини дня</title>
  <style>p { color: red; } /* Не перекладати */</style>
  <script>var title = "Заголовок";</script>
</head>
<body class="news">
  <!-- коментар редактора -->
  <h1 id="top">Візит до столиці</h1>
  <p>Вчора <b>Столтенберг <i>нарешті</i></b> прибув до
     <a href="https://kyiv.ua/?a=1&amp;b=2" title="Київ">Києва</a>.</p>
  <p>Друга&nbsp;частина: кіт &amp; пес, <span class="notranslate">Не чіпати</span> і <code>ls -la</code> тут.<br>
     Новий рядок тексту.</p>
  <pre>Код   лишається
    як був</pre>
  <div translate="no">Не перекладати <b>зовсім</b></div>
  <table>
    <tr><th>Посада</th><td>Генсек <em>НАТО</em></td><td>2024</td></tr>
    <tr><td colspan="2"><ul><li>Перший пункт<li>Другий <sup>1</sup> пункт</ul></td></tr>
  </table>
</body>
</html>
"""


@pytest.fixture(scope="module")
def upper():
    """The fake engine writes the source in capitals, so where each word went can be written by hand."""
    return Translator(engine=FakeEngine(), glossary=GLOSSARY)


@pytest.fixture(scope="module")
def tiny(fast_translator):
    return Translator.from_settings(fast_translator.settings, engine=fast_translator.engine, glossary=GLOSSARY)


def structure(markup: str) -> list:
    """Every element (tag, attributes) and comment in order, with the whitespace-only text around them (any
    other text, or none, is "T": word order may leave a text node of the source without English words)."""
    def layout(text: str | None) -> str:
        return text if text and not text.strip() else "T"

    root = lxml.html.document_fromstring(markup)
    return [(str(node.tag), dict(node.attrib), layout(node.text), layout(node.tail)) for node in root.iter()]


def texts(markup: str) -> list[str]:
    root = lxml.html.document_fromstring(markup)
    return [t for t in root.itertext() if t.strip()]


def test_tree_attributes_comments_and_whitespace_stay_and_every_text_changes(upper):
    english = upper.translate_markup(PAGE).text
    assert structure(english) == structure(PAGE)
    assert english.startswith("<!DOCTYPE html>\n<html lang=\"uk\">\n<head>\n  <meta charset=\"utf-8\">\n")
    assert "<!-- коментар редактора -->" in english
    assert 'href="https://kyiv.ua/?a=1&amp;b=2" title="Київ"' in english
    untouched = {"p { color: red; } /* Не перекладати */", 'var title = "Заголовок";', "Не чіпати", "ls -la",
                 "Код   лишається\n    як був", "Не перекладати ", "зовсім"}
    changed = [t for t in texts(PAGE) if t not in untouched and any(c.isalpha() for c in t)]
    assert changed and all(t not in texts(english) for t in changed)
    assert all(t in texts(english) for t in untouched)


@pytest.mark.parametrize("source, expected", [
    ('<p>Вчора <b>Столтенберг</b> прибув до <a href="https://kyiv.ua">Києва</a>.</p>',
     '<p>ВЧОРА <b>Stoltenberg</b> ПРИБУВ ДО <a href="https://kyiv.ua">Kyiv</a>.</p>'),
    ("<p>Перше речення. <strong>Друге <em>важливе</em> речення.</strong> Третє.</p>",
     "<p>ПЕРШЕ РЕЧЕННЯ. <strong>ДРУГЕ <em>ВАЖЛИВЕ</em> РЕЧЕННЯ</strong>. ТРЕТЄ.</p>"),
    ("<li>кіт &amp; пес <code>x &lt; y</code> разом</li>",
     "<li>КІТ &amp; ПЕС <code>x &lt; y</code> РАЗОМ</li>"),
    ("<p>Один <b>два <i>три</b> чотири</i><p>п'ять", "<p>ОДИН <b>ДВА <i>ТРИ</b> ЧОТИРИ</i><p>П'ЯТЬ"),
    ("<p>\n  Рядок\n  <em>другий</em>\n</p>", "<p>\n  РЯДОК <em>ДРУГИЙ</em>\n</p>"),
])
def test_inline_tags_come_out_around_the_corresponding_english(upper, source, expected):
    assert upper.translate_markup(source).text == expected


def test_glossary_term_in_a_tag_comes_out_in_the_same_tag_with_the_real_model(tiny):
    source = '<p>Вчора <b>Столтенберг</b> прибув до <a href="https://kyiv.ua">Києва</a>.</p>'
    done = tiny.translate_markup(source)
    assert "<b>Stoltenberg</b>" in done.text
    assert '<a href="https://kyiv.ua">Kyiv</a>' in done.text
    assert structure(done.text) == structure(source)
    assert [(t.surface, t.applied) for t in done.terms] == [("Столтенберг", True), ("Києва", True)]


def test_term_offsets_index_the_blocks_texts_joined_by_newlines(upper):
    source = "<h1>Київ</h1><p>Сьогодні <b>Столтенберг</b> у Києві.</p>"
    document = html.read(source.encode())
    text = "\n".join(document.segments()[:document.text_count()])
    assert text == "Київ\nСьогодні Столтенберг у Києві."
    terms = upper.translate_markup(source).terms
    assert [(text[t.start:t.end], t.target) for t in terms] == [
        ("Київ", "Kyiv"), ("Столтенберг", "Stoltenberg"), ("Києві", "Kyiv")]


def test_blocks_and_inline_texts_go_to_the_model_in_one_call(upper):
    engine = FakeEngine()
    Translator(engine=engine, glossary=None).translate_markup("<p>Один <b>два</b> три.</p><p>Чотири.</p>")
    assert engine.calls == 1 and sorted(engine.batches[0]) == ["Один два три.", "Чотири.", "два"]


@pytest.mark.parametrize("data, problem", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data, not HTML (a NUL byte at offset 8)"),
    ("<p>Привіт</p>".encode("cp1251"), "not valid UTF-8 (byte 0xcf at column 4)"),
])
def test_binary_or_non_utf8_html_is_refused(data, problem):
    with pytest.raises(DocumentError) as refused:
        documents.read(data, "html")
    assert refused.value.problem == problem


def test_htm_and_html_are_html_by_extension():
    assert documents.format_of("page.HTM") == documents.format_of("page.html") == "html"

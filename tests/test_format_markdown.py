"""Markdown in, the same Markdown with English text out: block structure, URLs, code and front matter as
they were (byte for byte where nothing is translated); emphasis and links around the corresponding English."""

from __future__ import annotations

import pytest
from fakes import FakeEngine
from markdown_it import MarkdownIt

from translate import Glossary, Translator, documents
from translate.documents import markdown
from translate.pipeline import Translation

GLOSSARY = Glossary.from_pairs([("Столтенберг", "Stoltenberg"), ("Київ", "Kyiv")], cache_dir=False)

SOURCE = """---
title: Візит до Києва
tags: [новини]
---
# Візит **Столтенберга**

Вчора *генсек* прибув до [столиці **України**](https://kyiv.ua/news?id=1 "Київ") вранці.
Друга лінія абзацу, `код тут` і \\*зірочка\\* &amp; знак.

> Цитата з **важливим** словом
> і продовженням.

1. Перший пункт ![фото Києва](https://img.ua/k.png)
2. Другий пункт з <https://auto.link> посиланням  
   і новим рядком

| Посада | Ім'я |
|:-------|-----:|
| Генсек | *Столтенберг* |

```python
print("Не перекладати")
```

    відступ коду

[посилання]: https://ref.ua "Заголовок"
Текст з [посиланням][посилання] і ~~закресленим~~ словом.
"""


@pytest.fixture(scope="module")
def upper():
    return Translator(engine=FakeEngine(), glossary=GLOSSARY)


def outline(text: str) -> list:
    """The block and inline structure: token types, tags, nesting, attributes (URLs), code, as the parser sees it."""
    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    out = []
    for token in parser.parse(text):
        out.append((token.type, token.tag, token.nesting, token.attrs, token.content if "code" in token.type
                    or token.type == "fence" else None))
        for child in token.children or []:
            if child.type not in ("text", "softbreak"):
                out.append(("  " + child.type, child.attrs, child.content if child.type == "code_inline" else None))
    return out


def words(text: str) -> list[str]:
    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    return [c.content for t in parser.parse(text) if t.type == "inline" for c in t.children if c.type == "text"
            and any(ch.isalpha() for ch in c.content) and not c.content.startswith("https:")]  # autolinks stay


def test_structure_urls_code_and_front_matter_stay_and_every_text_changes(upper):
    english = upper.translate_markup(SOURCE, "markdown").text
    assert english.startswith("---\ntitle: Візит до Києва\ntags: [новини]\n---\n# ")
    body = english[english.index("# "):]
    assert outline(body) == outline(SOURCE[SOURCE.index("# "):])
    for kept in ['(https://kyiv.ua/news?id=1 "Київ")', "![фото Києва](https://img.ua/k.png)", "<https://auto.link>",
                 '```python\nprint("Не перекладати")\n```\n\n    відступ коду\n\n'
                 '[посилання]: https://ref.ua "Заголовок"\n',
                 "`код тут`", "|:-------|-----:|"]:
        assert kept in english
    assert not set(words(SOURCE[SOURCE.index("# "):])) & set(words(body))


@pytest.mark.parametrize("source, expected", [
    ("Вчора *генсек* прибув до [Києва](https://kyiv.ua).\n", "ВЧОРА *ГЕНСЕК* ПРИБУВ ДО [Kyiv](https://kyiv.ua).\n"),
    ("# Візит **Столтенберга**\n", "# ВІЗИТ **Stoltenberg**\n"),
    ("- Один рядок\n  і другий\n", "- ОДИН РЯДОК І ДРУГИЙ\n"),
    ("Рядок  \nнаступний\n", "РЯДОК  \nНАСТУПНИЙ\n"),
    ("| А | Б |\n|---|---|\n| один | `x` два |\n", "| А | Б |\n|---|---|\n| ОДИН | `x` ДВА |\n"),
])
def test_emphasis_links_lines_and_cells_are_translated_in_place(upper, source, expected):
    assert upper.translate_markup(source, "markdown").text == expected


def test_english_that_looks_like_markup_is_escaped():
    done = documents.translate_data("Зірка і підкреслення\n".encode(), "markdown",
                                    lambda texts: [Translation("*a_b* [c]") for _ in texts])
    assert done.data.decode() == "\\*a\\_b\\* \\[c\\]\n"


def test_markdown_is_chosen_for_md_files_and_text_stays_for_txt():
    assert [documents.format_of(n) for n in ("a.md", "b.MARKDOWN", "c.txt")] == ["markdown", "markdown", "text"]


def test_front_matter_alone_is_copied():
    source = "---\nнаслідок: так\n---\n"
    assert markdown.read(source.encode()).segments() == []


@pytest.mark.parametrize("data, problem", [
    (b"# \x00\x01", "binary data, not Markdown (a NUL byte at offset 2)"),
    ("# Привіт".encode("cp1251"), "not valid UTF-8 (byte 0xcf at column 3)"),
])
def test_binary_or_non_utf8_markdown_is_refused(data, problem):
    with pytest.raises(documents.DocumentError) as refused:
        documents.read(data, "markdown")
    assert refused.value.problem == problem

"""`alternatives: N`: other English translations from both engines' n-best lists, each with the glossary
enforced as in the main translation, in the text's layout; LibreTranslate's request and response shapes."""

from __future__ import annotations

import httpx
import pytest

from translate import Translator
from translate.alternatives import compose
from translate.errors import TranslateError
from translate.glossary import Glossary
from translate.http_api import create_api
from translate.host import TranslatorHost

from fakes import FakeEngine
from servers import running

GLOSSARY = [("Київ", "Kyiv"), ("Столтенберг", "Stoltenberg")]
TEXT = "Столиця Київ, сказав Столтенберг.\n\n2026\nДругий рядок."


@pytest.fixture(scope="module", params=["transformers", "ctranslate2"])
def engine_translator(request, tiny_model):
    if request.param == "ctranslate2":
        pytest.importorskip("ctranslate2")
    return Translator(str(tiny_model), glossary=Glossary.from_pairs(GLOSSARY, cache_dir=False),
                      backend=request.param, device="cpu", beam_size=1, max_length_ratio=0.5, max_length_offset=3)


@pytest.fixture(scope="module")
def result(engine_translator):
    """TEXT with three alternatives asked for: one call per engine, shared by the tests that read it."""
    return engine_translator.translate_documents([TEXT], alternatives=3)[0]


def test_each_engine_gives_n_distinct_hypotheses_best_first(engine_translator):
    found = engine_translator.engine.translate_nbest(["Привіт, світе.", "", "Як справи?"], 3)
    assert found[1] == [""]  # an empty source is not decoded
    assert 1 < len(found[0]) <= 3 and 1 <= len(found[2]) <= 3  # hypotheses equal once decoded count once
    assert all(len(set(h)) == len(h) for h in found)


def test_alternatives_differ_from_the_translation_and_from_each_other(result):
    assert 1 <= len(result.alternatives) <= 3
    assert result.text not in result.alternatives
    assert len(set(result.alternatives)) == len(result.alternatives)


def test_every_alternative_has_every_glossary_term(result):
    # A random-weight model never writes a term itself: each alternative went through the repair.
    assert [t.applied for t in result.terms] == [True, True]
    for alternative in result.alternatives:
        assert alternative.count("Kyiv") == 1 and alternative.count("Stoltenberg") == 1, alternative


def test_alternatives_keep_the_texts_layout(result):
    for alternative in result.alternatives:
        lines = alternative.split("\n")
        assert len(lines) == 4 and lines[1] == "" and lines[2] == "2026"


def test_without_alternatives_none_are_made(engine_translator):
    assert engine_translator.translate_documents(["Другий рядок."])[0].alternatives == []


def test_an_engine_without_n_best_says_so(tiny_model):
    translator = Translator(str(tiny_model), glossary=None, engine=FakeEngine())
    with pytest.raises(TranslateError, match="The fake engine gives no alternatives"):
        translator.translate_documents(["Привіт"], alternatives=1)


@pytest.mark.parametrize("main, options, n, expected", [
    (["A", "\n", "B"], [["A1", "A2"], [], ["B1"]], 3, ["A1\nB1", "A2\nB"]),
    (["A", "B"], [["A1"], ["B1", "B2", "B3"]], 2, ["A1B1", "AB2"]),
    (["A", "B"], [["A1", "A1"], ["B", "B"]], 3, ["A1B"]),  # the same text twice: once
    (["A"], [["A"]], 2, []),  # nothing but the main text: none
    (["A", "B"], [[], []], 2, []),
])
def test_compose_takes_each_pieces_kth_alternative(main, options, n, expected):
    assert compose(main, options, n, "".join) == expected


# ------------------------------------------------------------------------------------------------ over HTTP
@pytest.fixture(scope="module")
def server(fast_translator):
    app = create_api(TranslatorHost(fast_translator), alternatives_limit=3)
    with running(app) as url:
        yield url


def post(url: str, body: dict) -> httpx.Response:
    return httpx.post(f"{url}/translate", json={"source": "uk", "target": "en", **body}, timeout=60)


def test_a_string_q_gets_a_list_of_alternatives(server):
    answer = post(server, {"q": "Привіт, світе.", "alternatives": 2}).json()
    assert set(answer) == {"translatedText", "alternatives"}
    assert isinstance(answer["translatedText"], str)
    assert 1 <= len(answer["alternatives"]) <= 2 and all(isinstance(a, str) for a in answer["alternatives"])
    assert answer["translatedText"] not in answer["alternatives"]


def test_a_list_q_gets_a_list_of_lists(server):
    answer = post(server, {"q": ["Привіт, світе.", "Як справи?"], "alternatives": 1}).json()
    assert len(answer["translatedText"]) == 2
    assert len(answer["alternatives"]) == 2 and all(len(a) == 1 for a in answer["alternatives"])


def test_a_form_body_asks_for_alternatives_as_text(server):
    answer = httpx.post(f"{server}/translate", data={"q": "Привіт, світе.", "source": "uk", "target": "en",
                                                      "alternatives": "1"}, timeout=60).json()
    assert len(answer["alternatives"]) == 1


@pytest.mark.parametrize("value", [0, -2, ""])
def test_no_alternatives_asked_means_no_field(server, value):
    assert "alternatives" not in post(server, {"q": "Привіт", "alternatives": value}).json()


@pytest.mark.parametrize("value, message", [
    (4, "Invalid request: alternatives parameter must be <= 3"),
    ("many", "Invalid request: alternatives parameter is not a number"),
    ([1], "Invalid request: alternatives parameter is not a number"),
])
def test_bad_alternatives_are_a_400_in_libretranslates_words(server, value, message):
    answer = post(server, {"q": "Привіт", "alternatives": value})
    assert (answer.status_code, answer.json()) == (400, {"error": message})


def test_a_long_text_gets_alternatives_across_its_parts(server):
    # Over 2,000 characters: translated in parts of whole lines (translate_in_parts), composed back.
    text = "\n".join(["Привіт, світе. Як справи сьогодні вранці?"] * 60)
    answer = post(server, {"q": text, "alternatives": 1}).json()
    assert len(answer["alternatives"]) == 1
    assert answer["alternatives"][0].count("\n") == 59

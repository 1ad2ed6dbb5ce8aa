"""The review and repair stages of the pipeline: degenerate sentences decoded again with repetition
constraints, plain numbers forced in like glossary terms, flags placed in the whole English, the `review`
setting; on FakeEngine (the source upper-cased: a copy, Cyrillic kept) and the tiny random-weight model."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeEngine

from translate import Translator
from translate.cache import CachedEngine
from translate.config import load_settings
from translate.documents.text import PART_CHARS, translate_in_parts
from translate.engines.base import Repetition
from translate.review import repetition

CORPUS = Path(__file__).parent / "data" / "tokenizer-corpus" / "flores200-dev.uk"


def fake_translator(**settings) -> tuple[Translator, FakeEngine]:
    engine = FakeEngine()
    return Translator(engine=engine, glossary=None, **settings), engine


def test_degenerate_sentence_is_decoded_again_with_each_set_of_repetition_constraints():
    translator, engine = fake_translator()
    translator.translate_document("Так так так, сказав він. Уряд мовчить.")
    # FakeEngine copies the source, so the loop stays: both re-decodes are tried, on that sentence alone.
    assert engine.batches == [["Так так так, сказав він.", "Уряд мовчить."], ["Так так так, сказав він."],
                              ["Так так так, сказав він."]]
    assert engine.options_seen[1:] == [{"repetition": Repetition(3, 1.2)}, {"repetition": Repetition(2, 1.5)}]


def test_flags_point_into_the_whole_english_with_their_sentence():
    translator, _ = fake_translator()
    doc = translator.translate_document("Перше речення.\n\nТак так так.")
    assert doc.text == "ПЕРШЕ РЕЧЕННЯ.\n\nТАК ТАК ТАК."
    assert doc.sentences == 2
    found = [(f.kind, doc.text[f.start:f.end], doc.text[f.sentence_start:f.sentence_end]) for f in doc.flags]
    assert found == [("untranslated", "ПЕРШЕ РЕЧЕННЯ.", "ПЕРШЕ РЕЧЕННЯ."),
                     ("repetition", "ТАК ТАК ТАК", "ТАК ТАК ТАК."),
                     ("untranslated", "ТАК ТАК ТАК.", "ТАК ТАК ТАК.")]


@pytest.mark.parametrize("how", ["setting", "call"])
def test_review_off_neither_decodes_again_nor_flags(how):
    translator, engine = fake_translator(**({"review": False} if how == "setting" else {}))
    options = {"review": False} if how == "call" else {}
    [doc] = translator.translate_documents(["Так так так, сказав він."], **options)
    assert doc.flags == [] and engine.calls == 1
    assert engine.options_seen == [{}]


def test_review_is_on_by_default_and_a_setting_like_any_other(monkeypatch):
    assert load_settings(None, environment=False).review is True
    monkeypatch.setenv("UKEN_REVIEW", "off")
    assert load_settings(None).review is False


def test_date_missing_from_the_english_is_flagged_not_forced():
    translator, engine = fake_translator()
    doc = translator.translate_document("Саміт відбудеться 22 листопада.")
    assert [f.reason for f in doc.flags if f.kind == "number"] == ["“22 листопада” in the source is not in the English"]
    assert engine.calls == 1  # a date has no one English to force


def test_parts_of_a_long_text_keep_their_flags_offsets():
    translator, _ = fake_translator()
    text = "Звичайний рядок новини.\n" * (PART_CHARS // 24 + 5) + "Так так так."
    [doc] = translate_in_parts([text], translator.translate_documents)
    repeated = [f for f in doc.flags if f.kind == "repetition"]
    assert [doc.text[f.start:f.end] for f in repeated] == ["ТАК ТАК ТАК"]
    assert doc.sentences == PART_CHARS // 24 + 6


def test_the_memory_keeps_constrained_decodes_apart(tmp_path):
    fake = FakeEngine()
    cached = CachedEngine(fake, tmp_path / "tm.sqlite3")
    cached.translate_batch(["Так так так."])
    cached.translate_batch(["Так так так."], repetition=Repetition(3, 1.2))
    cached.translate_batch(["Так так так."], repetition=Repetition(3, 1.2))
    assert fake.options_seen == [{}, {"repetition": Repetition(3, 1.2)}]  # the third from the memory


def test_raw_repetition_of_the_random_weight_model_is_gone_after_repair_or_flagged(tiny_model, tiny_engine):
    engine = FakeEngine(wraps=tiny_engine)
    translator = Translator(str(tiny_model), engine=engine, glossary=None)
    lines = CORPUS.read_text(encoding="utf-8").splitlines()[:12]
    raw = [t.text for t in translator.translate_documents(lines, review=False)]
    degenerate = [i for i, english in enumerate(raw) if repetition.degenerate(english)]
    assert degenerate  # random weights loop: there is something to repair
    reviewed = translator.translate_documents(lines)
    for i in degenerate:
        assert not repetition.degenerate(reviewed[i].text) or any(f.kind == "repetition" for f in reviewed[i].flags)
    assert {"repetition": Repetition(2, 1.5)} in engine.options_seen
    assert sum(repetition.degenerate(t.text) for t in reviewed) < len(degenerate)


def test_missing_plain_numbers_are_forced_into_the_english(translator):
    source = "У 2023 році загинули 1 000 людей."
    assert "1,000" not in translator.translate_documents([source], review=False)[0].text  # random weights
    doc = translator.translate_document(source)
    assert "2023" in doc.text and "1,000" in doc.text
    assert [f for f in doc.flags if f.kind == "number"] == []


def test_engines_ban_repeated_ngrams_when_asked(tiny_engine):
    source = "Так так так, сказав він, і знову так так так."
    [plain] = tiny_engine.translate_batch([source])
    [banned] = tiny_engine.translate_batch([source], repetition=Repetition(2, 1.5))
    assert repetition.degenerate(plain) and not repetition.degenerate(banned)

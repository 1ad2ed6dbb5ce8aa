"""The CTranslate2 engine on the tiny random-weight model: same behaviour as transformers, one cached conversion,
safe concurrent conversion, and `backend="auto"` picking it when it is installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ctranslate2 = pytest.importorskip("ctranslate2")

from translate import ModelLoadError, Translator  # noqa: E402
from translate.engines import convert  # noqa: E402
from translate.engines.base import output_cap  # noqa: E402
from translate.config import load_settings  # noqa: E402
from translate.engines.ctranslate2 import CTranslate2Engine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEMO_TERMS = [
    ("Генеральний секретар НАТО", "NATO Secretary General"),
    ("Єнс Столтенберг", "Jens Stoltenberg"),
    ("Столтенберг", "Stoltenberg"),
    ("Північна Македонія", "North Macedonia"),
    ("Західні Балкани", "Western Balkans"),
    ("Укрінформ", "Ukrinform"),
]
SENTENCES = ["Привіт, світе!", "Генеральний секретар НАТО прибув до Скоп'є у середу.", "Так.",
             "Під час зустрічі планується обговорити ситуацію з регіональної безпеки."]
FAST = dict(beam_size=2, max_length_ratio=1.0, max_length_offset=4)


def engine_settings(model, **settings):
    """What an engine is built from: Settings with these values over the defaults."""
    return load_settings(None, environment=False, model=str(model), **settings)


@pytest.fixture(autouse=True, scope="module")
def private_cache(tmp_path_factory):
    """Conversions go to a temporary per-user cache (platformdirs honours XDG_CACHE_HOME), never the real one."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("xdg-cache")
        patch.setenv("XDG_CACHE_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def ct2_translator(tiny_model):
    return Translator(str(tiny_model), glossary=None, backend="ctranslate2", device="cpu", **FAST)


@pytest.fixture(scope="module")
def hf_translator(tiny_model):
    return Translator(str(tiny_model), glossary=None, backend="transformers", device="cpu", **FAST)


def filled_lines(text: str) -> list[bool]:
    """The layout: which lines hold text and which are blank."""
    return [bool(line.strip()) for line in text.split("\n")]


@pytest.fixture
def count_conversions(monkeypatch):
    calls = []
    real = convert.run_converter

    def counting(source, output, quantization):
        calls.append(quantization)
        real(source, output, quantization)

    monkeypatch.setattr(convert, "run_converter", counting)
    return calls


def test_both_engines_give_the_same_layout_and_term_report_on_the_demo_item(ct2_translator, hf_translator,
                                                                            demo_text):
    from translate import Glossary

    glossary = Glossary.from_pairs(DEMO_TERMS)
    ct2 = ct2_translator.translate_documents([demo_text], glossary=glossary)[0]
    hf = hf_translator.translate_documents([demo_text], glossary=glossary)[0]
    assert ct2.text.split("\n") != demo_text.split("\n")
    assert filled_lines(ct2.text) == filled_lines(hf.text) == filled_lines(demo_text)
    assert ct2.terms and ct2.terms == hf.terms
    # A random-weight model produces no term by itself: every "applied" here was forced through target_prefix.
    assert all(t.applied for t in ct2.terms)
    assert "Jens Stoltenberg" in ct2.text and "North Macedonia" in ct2.text


def test_greedy_float32_output_equals_transformers_token_for_token(tiny_model):
    # Same tokenizer, same </s> handling, same per-sentence cap: with no quantisation and no beam ties, the
    # two engines must agree exactly (random weights run every sentence into its cap, so the cap is tested).
    from translate.engines.transformers import TransformersEngine

    settings = dict(beam_size=1, max_length_ratio=1.2, max_length_offset=3)
    hf = TransformersEngine(engine_settings(tiny_model, device="cpu", **settings))
    ct2 = CTranslate2Engine(engine_settings(tiny_model, device="cpu", **settings), compute_type="float32")
    assert ct2.translate_batch(SENTENCES) == hf.translate_batch(SENTENCES)


def test_short_sentence_keeps_its_own_cap_when_batched_with_a_long_one(tiny_model):
    # One CTranslate2 call has one decoding limit (the long sentence's); the short one must still stop at its
    # own cap. Random weights never stop early, so without the per-sentence cut it would run on.
    engine = CTranslate2Engine(engine_settings(str(tiny_model), device="cpu", beam_size=1, max_length_ratio=1.0,
                                               max_length_offset=2))
    short, long = SENTENCES[0], SENTENCES[3]
    assert output_cap(engine.count_tokens([short])[0], 1.0, 2) < output_cap(engine.count_tokens([long])[0], 1.0, 2)
    together = engine.translate_batch([short, long])
    assert together[0] == engine.translate_batch([short])[0]
    assert len(together[1]) > len(together[0])


def test_forced_prefix_starts_the_hypothesis_and_model_continues(ct2_translator):
    engine = ct2_translator.engine
    hyps = engine.translate_batch(SENTENCES[:2], prefixes=[None, "Jens Stoltenberg"])
    assert hyps[1].startswith("Jens Stoltenberg") and len(hyps[1]) > len("Jens Stoltenberg")
    assert not hyps[0].startswith("Jens Stoltenberg")


def test_empty_sources_stay_empty_and_order_is_kept(ct2_translator):
    engine = ct2_translator.engine
    mixed = ["", SENTENCES[0], "  \u200b ", SENTENCES[1]]
    out = engine.translate_batch(mixed)
    assert out[0] == "" and out[2] == ""
    assert [out[1], out[3]] == engine.translate_batch([SENTENCES[0], SENTENCES[1]])


def test_engine_reports_int8_on_cpu_and_the_thread_count(tiny_model):
    engine = CTranslate2Engine(engine_settings(str(tiny_model), device="cpu", threads=1, **FAST))
    info = engine.info()
    assert info["engine"] == "ctranslate2" and info["device"] == "cpu"
    assert info["precision"] in ("int8", "int8_float32") and info["threads"] == "1" and info["beam_size"] == "2"
    assert engine.path.name.split("-")[-2] == "int8"


def test_conversion_happens_once_and_is_reused(tiny_model, tmp_path, count_conversions):
    model = tmp_path / "model"
    model.symlink_to(tiny_model, target_is_directory=True)
    first = CTranslate2Engine(engine_settings(str(model), device="cpu", **FAST))
    second = CTranslate2Engine(engine_settings(str(model), device="cpu", **FAST))
    assert count_conversions == ["int8"]
    assert first.path == second.path and convert.is_converted(second.path)
    assert second.translate_batch(SENTENCES[:1]) == first.translate_batch(SENTENCES[:1])


def test_changed_checkpoint_or_quantisation_converts_again(tiny_model, tmp_path, count_conversions):
    import shutil

    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    a = convert.converted_model(str(model), "int8")
    b = convert.converted_model(str(model), "float32")
    config = model / "config.json"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    c = convert.converted_model(str(model), "int8")
    assert count_conversions == ["int8", "float32", "int8"]
    assert len({a, b, c}) == 3
    assert json.loads((c / convert.MARKER).read_text(encoding="utf-8"))["quantization"] == "int8"


def test_two_processes_converting_at_once_produce_one_valid_model(tiny_model, tmp_path):
    cache = tmp_path / "cache"
    script = (
        "import logging, sys; logging.basicConfig(level=logging.INFO, stream=sys.stderr);"
        "from translate.engines.convert import converted_model;"
        f"print(converted_model({str(tiny_model)!r}, 'int8', root=__import__('pathlib').Path({str(cache)!r})))"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env, cwd=ROOT) for _ in range(2)]
    results = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    paths = {out.strip() for out, _ in results}
    assert len(paths) == 1
    assert sum("converting" in err for _, err in results) == 1  # the other waited for the lock and reused it
    leftovers = [p.name for p in cache.iterdir() if not p.name.endswith(".lock")]
    assert leftovers == [Path(paths.pop()).name]  # no half-written staging folder left behind
    translator = ctranslate2.Translator(str(cache / leftovers[0]), device="cpu")
    assert translator.translate_batch([["▁Так", ".", "</s>"]], max_decoding_length=3)[0].hypotheses


def test_hub_id_in_the_local_cache_converts_from_its_snapshot_offline(tiny_model, tmp_path, monkeypatch,
                                                                     count_conversions):
    import shutil

    import huggingface_hub.constants

    # The layout huggingface_hub writes: refs/main names the commit whose snapshot holds the files.
    repo = tmp_path / "hub" / "models--Helsinki-NLP--opus-mt-uk-en"
    commit = "0123456789abcdef0123456789abcdef01234567"
    shutil.copytree(tiny_model, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    engine = CTranslate2Engine(engine_settings("Helsinki-NLP/opus-mt-uk-en", device="cpu", **FAST))
    assert count_conversions == ["int8"]
    assert engine.path.name.startswith("Helsinki-NLP_opus-mt-uk-en-int8-")
    source = json.loads((engine.path / convert.MARKER).read_text(encoding="utf-8"))["source"]
    assert Path(source) == repo / "snapshots" / commit
    assert engine.translate_batch(SENTENCES[:1])[0]


def test_unwritable_cache_folder_is_a_load_error(tiny_model, tmp_path, monkeypatch):
    if os.geteuid() == 0:
        # root writes anywhere: simulate the refusal where the cache folder is created
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(Path, "mkdir", refuse)
    else:
        (tmp_path / "locked").mkdir(mode=0o500)
    with pytest.raises(ModelLoadError, match="not writable"):
        convert.converted_model(str(tiny_model), "int8", root=tmp_path / "locked" / "ct2")


def test_uncached_hub_id_offline_gives_our_message(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelLoadError, match="not in the local Hugging Face cache"):
        CTranslate2Engine(engine_settings("Helsinki-NLP/opus-mt-uk-en-typo", device="cpu"))


def test_corrupt_weights_are_a_load_error_not_a_traceback(tiny_model, tmp_path):
    import shutil

    broken = tmp_path / "corrupt"
    shutil.copytree(tiny_model, broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError, match="could not be loaded"):
        CTranslate2Engine(engine_settings(str(broken), device="cpu"))
    assert not [p for p in convert.cache_root().glob(".*") if p.is_dir()]  # staging folder cleaned up


def test_auto_picks_ctranslate2_when_installed(tiny_model):
    translator = Translator(str(tiny_model), glossary=None, backend="auto", device="cpu", **FAST)
    assert translator.engine.name == "ctranslate2"
    assert "ctranslate2 is installed" in translator.info()["backend_reason"]


def test_auto_picks_transformers_when_ctranslate2_cannot_be_imported(tiny_model, monkeypatch):
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # makes `import ctranslate2` raise ImportError
    translator = Translator(str(tiny_model), glossary=None, backend="auto", device="cpu", **FAST)
    assert translator.engine.name == "transformers"
    assert "not installed" in translator.info()["backend_reason"]


@pytest.mark.skipif(ctranslate2.get_cuda_device_count() == 0, reason="needs a CUDA device")
def test_cuda_uses_float16_activations_and_enforces_prefixes(tiny_model):
    engine = CTranslate2Engine(engine_settings(str(tiny_model), device="cuda", **FAST))
    assert engine.info()["device"] == "cuda:0"
    assert engine.compute_type in ("int8_float16", "float16")
    assert engine.path.name.split("-")[-2] in ("int8_float16", "float16")
    hyps = engine.translate_batch(SENTENCES, prefixes=[None, "Jens Stoltenberg", None, None])
    assert hyps[1].startswith("Jens Stoltenberg") and all(h for h in hyps)


DIACRITIC_NAMES = [  # (Ukrainian as the news writes it, the glossary's English): letters a vocabulary may lack
    ("Вучич", "Aleksandar Vučić"), ("Джокович", "Novak Đoković"), ("Чачак", "Čačak"),
    ("Кот-д'Івуар", "Côte d'Ivoire"), ("Ердоган", "Recep Tayyip Erdoğan"), ("Лодзь", "Łódź"),
    ("Хорватія", "Croatia"), ("Йоганніс", "Klaus Iohannis"), ("Бухарест", "București"),
]
DIACRITIC_TEXT = ("Вучич зустрівся з Джоковичем у Чачаку.\nХорватія підтримала Кот-д'Івуар.\n"
                  "Ердоган приїхав до Лодзі, а Йоганніс — до Бухареста.")


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_every_enforced_target_appears_exactly_as_the_glossary_spells_it(tiny_model, backend):
    from translate import Glossary

    translator = Translator(str(tiny_model), backend=backend, device="cpu", **FAST,
                            glossary=Glossary.from_pairs(DIACRITIC_NAMES, cache_dir=False))
    document = translator.translate_document(DIACRITIC_TEXT)
    assert {t.target for t in document.terms} == {en for _, en in DIACRITIC_NAMES}
    for _, english in DIACRITIC_NAMES:
        assert english in document.text, english  # character for character: case, diacritics, apostrophe
    assert all(t.applied for t in document.terms)


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_demo_item_terms_appear_exactly_in_the_english(tiny_model, backend, demo_text):
    from translate import Glossary

    glossary = Glossary.load(Path(__file__).parent / "data" / "glossary_demo.tsv", cache_dir=False)
    translator = Translator(str(tiny_model), backend=backend, device="cpu", **FAST, glossary=glossary)
    document = translator.translate_document(demo_text)
    assert "Croatia" in {t.target for t in document.terms} and len(document.terms) >= 30
    for term in document.terms:
        if not term.weak:
            assert term.target in document.text, term  # "Croatia", never "roatia"

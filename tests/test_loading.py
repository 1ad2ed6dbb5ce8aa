"""A model that cannot be loaded gives one sentence saying what to do, not a stack trace."""

from __future__ import annotations

import shutil

import pytest

from translate import ModelLoadError, Translator


def test_uncached_hub_id_offline_says_how_to_get_the_model(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelLoadError) as caught:
        Translator("Helsinki-NLP/opus-mt-uk-en-typo", backend="transformers")
    message = str(caught.value)
    assert "Helsinki-NLP/opus-mt-uk-en-typo" in message
    assert "not in the local Hugging Face cache" in message and "local model folder" in message
    assert "\n" not in message


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(ModelLoadError, match="does not exist"):
        Translator(str(tmp_path / "no-such-model"), backend="transformers")


def test_folder_without_tokenizer_files_lists_what_is_missing(tiny_model, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model, broken)
    (broken / "target.spm").unlink()
    with pytest.raises(ModelLoadError, match="lacks target.spm"):
        Translator(str(broken), backend="transformers")


def test_corrupt_weights_are_reported_as_a_load_error(tiny_model, tmp_path):
    broken = tmp_path / "corrupt"
    shutil.copytree(tiny_model, broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError, match="could not be loaded"):
        Translator(str(broken), backend="transformers")

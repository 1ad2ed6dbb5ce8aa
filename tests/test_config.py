"""Settings come from one table: TOML files, UKEN_* variables and keyword arguments, validated by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate import ConfigError, Translator
from translate.config import OPTIONS, load_settings

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def test_shipped_configs_load_and_point_at_the_real_models():
    default = load_settings(CONFIGS / "default.toml", environment=False)
    fast = load_settings(CONFIGS / "fast.toml", environment=False)
    assert default.model == "Helsinki-NLP/opus-mt-tc-big-zle-en" and default.beam_size == 4
    assert fast.model == "Helsinki-NLP/opus-mt-uk-en"
    assert default.backend == "auto" and default.device == "auto"
    assert default.glossary == fast.glossary == "default"  # the glossary shipped in the package


def test_the_shipped_glossary_is_the_default_everywhere_and_none_turns_it_off(tmp_path):
    assert load_settings(None, environment=False).glossary == "default"
    (tmp_path / "c.toml").write_text('glossary = "none"\n', encoding="utf-8")
    assert load_settings(tmp_path / "c.toml", environment=False).glossary is None
    (tmp_path / "d.toml").write_text('add_glossary = "ours.tsv"\n', encoding="utf-8")
    assert load_settings(tmp_path / "d.toml", environment=False).add_glossary == str(tmp_path / "ours.tsv")


def test_unknown_key_in_config_file_is_named(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('beam_sise = 4\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"c\.toml.*'beam_sise' is not a setting"):
        load_settings(path)


@pytest.mark.parametrize("content, key", [
    ('beam_size = "four"', "beam_size"),
    ("beam_size = 0", "beam_size"),
    ('backend = "tensorflow"', "backend"),
    ('device = "gpu"', "device"),
    ("max_length_ratio = true", "max_length_ratio"),
    ("model = 3", "model"),
    ('model = ""', "model"),
])
def test_bad_values_in_config_file_name_the_key(tmp_path, content, key):
    path = tmp_path / "c.toml"
    path.write_text(content + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"'{key}'"):
        load_settings(path)


def test_malformed_toml_and_missing_file_are_config_errors(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("beam_size = = 4\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml"):
        load_settings(path)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


def test_environment_overrides_file_and_arguments_override_environment(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text("beam_size = 2\nthreads = 1\n", encoding="utf-8")
    monkeypatch.setenv("UKEN_BEAM_SIZE", "5")
    monkeypatch.setenv("UKEN_GLOSSARY", "none")
    settings = load_settings(path, threads=3)
    assert (settings.beam_size, settings.threads, settings.glossary) == (5, 3, None)
    assert load_settings(path, environment=False).beam_size == 2


def test_bad_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("UKEN_BATCH_SIZE", "lots")
    with pytest.raises(ConfigError, match="UKEN_BATCH_SIZE.*'batch_size'"):
        load_settings()


def test_glossary_path_is_relative_to_the_config_file(tmp_path):
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "c.toml"
    path.write_text('glossary = "terms.tsv"\n', encoding="utf-8")
    assert load_settings(path, environment=False).glossary == str(tmp_path / "sub" / "terms.tsv")


def test_bad_keyword_argument_to_translator_is_a_config_error_before_loading_anything():
    with pytest.raises(ConfigError, match="'beam_size'"):
        Translator("/no/such/model", beam_size=-1)
    with pytest.raises(ConfigError, match="'beams' is not a setting"):
        Translator.from_config(None, beams=3)


def test_every_option_has_help_and_a_valid_default():
    for option in OPTIONS:
        assert option.help.strip()
    load_settings(environment=False)  # defaults pass their own validation


def test_readme_documents_every_option_with_its_environment_variable():
    readme = (CONFIGS.parent / "README.md").read_text(encoding="utf-8")
    for option in OPTIONS:
        assert f"| `{option.name}` / `UKEN_{option.name.upper()}` |" in readme, option.name

"""Which source languages the loaded model translates, and their names.

Takes the `model` and `source_languages` settings; `source_languages(model, setting)` returns the language
codes the model takes, Ukrainian first. The setting's `auto` decides from the model: OPUS-MT's `zle` models
(East Slavic, such as Helsinki-NLP/opus-mt-tc-big-zle-en) take uk, ru and be; a local folder whose model card
(README.md) lists its languages in the Hugging Face front matter takes those of them; anything else uk only
(Helsinki-NLP/opus-mt-uk-en). Otherwise the setting is the comma-separated list itself.

The glossary is Ukrainian: it applies to Ukrainian input only (`GLOSSARY_LANGUAGE`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

GLOSSARY_LANGUAGE = "uk"
TARGET = "en"
# The source languages this package knows how to offer: those of the OPUS-MT uk→en and zle→en models.
KNOWN = ("uk", "ru", "be")
NAMES = {"uk": "Ukrainian", "ru": "Russian", "be": "Belarusian", "en": "English"}

# OPUS-MT names a model by its language groups: "zle" is ISO 639-5 East Slavic (be, ru, uk, rue).
_EAST_SLAVIC = re.compile(r"(?:^|[-_.])zle(?:[-_.]|$)")


def parse(value: str) -> tuple[str, ...]:
    """The comma-separated `source_languages` value as codes, ValueError naming a code this package does not
    offer; "auto" stays ("auto",)."""
    codes = tuple(dict.fromkeys(c.strip().lower() for c in value.split(",") if c.strip()))
    if codes == ("auto",):
        return codes
    unknown = [c for c in codes if c not in KNOWN]
    if unknown or not codes:
        raise ValueError(f"must be auto or a comma-separated list of {', '.join(KNOWN)}, got {value!r}")
    return codes


@functools.lru_cache(maxsize=32)
def source_languages(model: str, setting: str = "auto") -> tuple[str, ...]:
    """The source languages `model` translates (Ukrainian first when it is one), by `setting` (see above)."""
    codes = parse(setting)
    if codes != ("auto",):
        return _ukrainian_first(codes)
    if _EAST_SLAVIC.search(Path(model).name.lower()):
        return KNOWN
    card = Path(model).expanduser() / "README.md"
    listed = _card_languages(card) if card.is_file() else []
    found = [c for c in KNOWN if c in listed]
    return _ukrainian_first(found) if found else (GLOSSARY_LANGUAGE,)


def name(code: str) -> str:
    return NAMES.get(code, code)


def _ukrainian_first(codes: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(sorted(codes, key=lambda c: (c != GLOSSARY_LANGUAGE, KNOWN.index(c) if c in KNOWN else 99)))


def _card_languages(path: Path) -> list[str]:
    """The `language:` list of a Hugging Face model card's YAML front matter (`- uk` items or `[uk, ru]`)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    front = re.match(r"---\s*\n(.*?)\n---", text, re.S)
    if not front:
        return []
    block = re.search(r"^language:\s*(\[[^\]]*\]|\S*)\s*\n((?:[ \t]*-[ \t]*\S+[ \t]*\n?)*)", front.group(1) + "\n", re.M)
    if not block:
        return []
    inline = block.group(1).strip("[] ")
    items = [s.strip(" '\"") for s in inline.split(",")] if inline else []
    items += [line.strip().lstrip("-").strip(" '\"") for line in block.group(2).splitlines() if line.strip()]
    return [i.lower() for i in items if i]

"""uk→en news translation on MarianMT: layout kept exactly, glossary terms enforced in any inflected form.

    from translate import Translator, Glossary
    tr = Translator.from_config("configs/default.toml")
    print(tr.translate(text))
"""

from translate.errors import ConfigError, GlossaryError, ModelLoadError, TranslateError
from translate.pipeline import Translation, Translator
from translate.terms import TermReport

__all__ = [
    "ConfigError", "Glossary", "GlossaryError", "ModelLoadError", "TermReport", "TranslateError",
    "Translation", "Translator",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    # The glossary pulls in pymorphy3 and its dictionaries: load it only when asked for.
    if name == "Glossary":
        from translate.glossary import Glossary

        return Glossary
    raise AttributeError(f"module 'translate' has no attribute {name!r}")

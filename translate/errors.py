"""Exception types users catch: every failure we expect is one of these, with a one-sentence message."""


class TranslateError(Exception):
    """Base class of all errors this package raises on purpose."""


class ConfigError(TranslateError, ValueError):
    """A setting is unknown or has a bad value; the message names the key."""


class ModelLoadError(TranslateError, OSError):
    """The model could not be loaded; the message says what to do."""


class GlossaryError(TranslateError, ValueError):
    """A glossary file or entry is malformed; the message names the file and line."""


class BackendError(ModelLoadError):
    """The engine cannot run this model here (e.g. CTranslate2 conversion failed) though the model loads."""

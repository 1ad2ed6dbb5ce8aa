"""Exception types users catch: every failure we expect is one of these, with a one-sentence message.

Where an error is about a place, the place is an attribute too (`ConfigError.key` and `.source`,
`GlossaryError.file` and `.line`), so callers never parse the message.
"""

from __future__ import annotations


class TranslateError(Exception):
    """Base class of all errors this package raises on purpose."""


class ConfigError(TranslateError, ValueError):
    """A setting is unknown or has a bad value: `key` (the setting), `source` (where the value came from: a
    config file's path, "environment variable UKEN_X" or "argument") and `problem` (what is wrong with it)."""

    def __init__(self, problem: str, *, key: str | None = None, source: str | None = None):
        self.problem, self.key, self.source = problem, key, source
        subject = f"'{key}' {problem}" if key else problem
        super().__init__(f"{source}: {subject}" if source else subject)


class ModelLoadError(TranslateError, OSError):
    """The model could not be loaded; the message says what to do."""


class GlossaryError(TranslateError, ValueError):
    """A glossary file or entry is malformed: `problem`, in the `file` (None for pairs given in code) at `line`
    (None when it is about the whole file); the message is "file:line: problem"."""

    def __init__(self, problem: str, *, file: str | None = None, line: int | None = None):
        self.problem, self.file, self.line = problem, file, line
        where = ":".join(str(part) for part in (file, line) if part is not None)
        super().__init__(f"{where}: {problem}" if where else problem)

    def naming(self, file: str) -> "GlossaryError":
        """The same error, naming `file` instead (e.g. the user's name for an uploaded temporary copy)."""
        return GlossaryError(self.problem, file=file, line=self.line)


class BackendError(ModelLoadError):
    """The engine cannot run this model here (e.g. CTranslate2 conversion failed) though the model loads."""


class ModelNotReady(TranslateError):
    """The model is still loading, or failed to load; the message says which."""


class LimitError(TranslateError):
    """A call is over one of the server's limits (e.g. its glossary has too many pairs); the message says which."""


class Cancelled(TranslateError):
    """The caller gave up (its client disconnected); the translation stopped between two turns at the model."""


class PortError(TranslateError, OSError):
    """The server cannot listen on the address it was given."""


class EvalInputError(TranslateError, ValueError):
    """A test-set file cannot be used (unreadable, not UTF-8, or lines not aligned); the message says which."""


class DocumentError(TranslateError, ValueError):
    """An input cannot be read as its format: `problem`, at `line` (1-based; None for the whole input).

    `position` is the byte offset of the offending byte, where there is one (text that is not UTF-8).
    """

    def __init__(self, problem: str, *, line: int | None = None, position: int | None = None):
        self.problem, self.line, self.position = problem, line, position
        super().__init__(f"line {line}: {problem}" if line is not None else problem)


class UsageError(TranslateError):
    """A command asks for something impossible (paths, option combinations): exit status 2, one sentence."""


class OutputBusy(TranslateError):
    """Another run holds the lock of this output; the message is the lock file's path."""


class InputChanged(TranslateError):
    """The input file is no longer what this run has been reading."""


class KeyStoreError(TranslateError):
    """The API key database cannot be used (not one, unreadable) or has no such key; the message says which."""


class AccessRefused(TranslateError):
    """An API request refused by its key or limits: HTTP `status` (400, 401, 403, 429), LibreTranslate's words."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)

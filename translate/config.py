"""Settings: one declarative table feeds TOML config files, UKEN_* environment variables and keyword arguments.

`OPTIONS` is the only place a translation setting is defined (name, type, default, help), and
`SERVER_OPTIONS` the only place a setting of the web/HTTP server is. `load_settings(path, **overrides)` takes
an optional TOML file and keyword overrides and returns a validated `Settings`; precedence, lowest first:
defaults < config file < UKEN_* environment < keyword arguments. `load_server_settings(**overrides)` does the
same for `ServerSettings` (no file: defaults < UKEN_* < arguments). The CLI builds its flags from these
tables. Unknown keys and bad values raise `ConfigError` naming the key and where it came from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from translate.errors import ConfigError

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ENV_PREFIX = "UKEN_"
DEFAULT_GLOSSARY = "default"  # the `glossary` value naming the glossary shipped in the package, not a path


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    optional: bool = False  # None (or "none"/"" from env and TOML) is allowed
    path: bool = False  # resolved relative to the config file that sets it


OPTIONS: tuple[Option, ...] = (
    Option("model", str, "Helsinki-NLP/opus-mt-tc-big-zle-en",
           "Hugging Face hub id or local folder of a Marian uk→en checkpoint."),
    Option("glossary", str, DEFAULT_GLOSSARY, "Glossary file (.tsv or .csv); 'default' is the newsroom glossary "
           "shipped with the package, none for no glossary.", optional=True, path=True),
    Option("add_glossary", str, None, "A glossary file layered on top of `glossary` (its entries win); none for "
           "nothing more.", optional=True, path=True),
    Option("backend", str, "auto", "Inference engine: auto picks ctranslate2 when installed, else transformers.",
           choices=("auto", "transformers", "ctranslate2")),
    Option("device", str, "auto", "auto (CUDA when present, else CPU), cpu, cuda or cuda:N."),
    Option("beam_size", int, 4, "Beam size for decoding (1 = greedy).", minimum=1),
    # 16 beats 32 on CPU at beam 4: 1.7× faster with CTranslate2, 1.2× with transformers (benchmarks/speed.py).
    Option("batch_size", int, 16, "Most sentences decoded together in one batch.", minimum=1),
    Option("batch_tokens", int, 2048, "Most source tokens (longest sentence × sentences) in one batch.",
           minimum=16),
    Option("max_length_ratio", float, 1.5, "Output cap per sentence: ratio × source tokens + offset.",
           minimum=0.1),
    Option("max_length_offset", int, 10, "Output cap per sentence: ratio × source tokens + offset.", minimum=0),
    Option("max_sentence_tokens", int, 200,
           "Longer sentences are split at clause, then word boundaries before translation (never cut).",
           minimum=8),
    Option("threads", int, 0, "CPU threads for inference; 0 = one per core.", minimum=0),
    Option("names", str, "consistent", "Names no glossary entry covers: consistent (one English rendering per "
           "person or place at every mention of a document: Ukrainian ones romanised by the KMU 2010 standard, "
           "foreign ones as the model renders their dictionary form), run (the same across a whole batch run; "
           "servers keep it per document), off (left to the model).", choices=("consistent", "run", "off")),
    Option("source_languages", str, "auto", "Source languages the model takes, comma-separated from uk, ru, be; "
           "auto: uk, ru and be for OPUS-MT zle models (opus-mt-tc-big-zle-en), else uk. The glossary applies to "
           "uk only."),
    Option("review", bool, True, "Check every translated sentence (repetition, length, Cyrillic left, numbers, "
           "terms), re-decode degenerate ones and force missing numbers, and flag what still fails."),
)

# The server's own settings: flags of `uk-en serve` / `python app.py` and UKEN_* variables, not config-file keys.
SERVER_OPTIONS: tuple[Option, ...] = (
    Option("host", str, "127.0.0.1", "Address to listen on (0.0.0.0 exposes the server to the network)."),
    Option("port", int, 7860, "Port to listen on (0: any free one, printed at start).", minimum=0),
    Option("api_key", str, None, "When set, every POST route of the API needs it or a key of the database "
           "(api_key in the body or 'Authorization: Bearer KEY') and the web page asks for it at login (any user "
           "name, the key as password).",
           optional=True),
    # Keys and limits, under LibreTranslate's names (translate/keys.py, translate/limits.py); max_items below
    # is its batch_limit.
    Option("api_keys", bool, False, "Also accept the keys of the key database (uk-en keys add), each with its own "
           "limits; a key not there (nor api_key) gets 403."),
    Option("api_keys_db_path", str, None, "The key database (SQLite); none: api_keys.sqlite3 in the user data "
           "folder (~/.local/share/uk-en/ on Linux).", optional=True),
    Option("require_api_key", bool, False, "Every API request needs a valid key (always so when api_key is set)."),
    Option("require_api_key_origin", str, None, "A request without a key is refused (400) unless its Origin header "
           "matches this regular expression.", optional=True),
    Option("req_limit", int, None, "Most API requests per minute per key, or per client address without one (a "
           "list q counts once per item); none: no limit. Over it: 429.", optional=True, minimum=1),
    Option("req_limit_storage", str, "memory://", "Where the request counts live, as a storage URI of the limits "
           "library (memory://, redis://host:port, memcached://host:port)."),
    Option("char_limit", int, None, "Most characters in one text of a request; none: no limit. Over it: 400.",
           optional=True, minimum=1),
    Option("alternatives_limit", int, 3, "Most alternative translations a request may ask for.", minimum=0),
    Option("max_request_bytes", int, 100_000, "Largest request body, on the API and the page alike (uploaded "
           "files may be 10× this); bigger requests get 413.", minimum=1),
    Option("max_items", int, 128, "Most texts in one request's q list (LibreTranslate's batch_limit).", minimum=1),
    Option("body_timeout", float, 30.0, "Seconds a request body may take to arrive; then 408.", minimum=0.1),
    Option("max_glossary_pairs", int, 1_000, "Most glossary pairs one request (or page session) may add.",
           minimum=0),
    Option("max_glossary_chars", int, 100_000, "Most characters in one request's glossary pairs.", minimum=0),
    Option("cors_origins", str, "*", "Origins whose pages may call the API from a browser (CORS): * for any, or "
           "a comma-separated list such as https://newsroom.example; none sends no CORS headers.", optional=True),
    Option("suggestions", bool, False, "Accept editors' corrected translations on POST /suggest and use them, "
           "for that exact source sentence, before the model."),
    Option("suggestions_db", str, None, "Where corrections are kept (SQLite); none: suggestions.sqlite3 in the "
           "user data folder (~/.local/share/uk-en/ on Linux).", optional=True),
    Option("metrics_token", str, None, "When set, GET /metrics needs the header 'Authorization: Bearer TOKEN'; "
           "otherwise it needs the API key when there is one.", optional=True),
    # On CPU each replica gets cores // workers threads: one replica keeps a lone request fastest, one per core
    # serves many users best (benchmarks/server_batching.py); on CUDA one replica per GPU, round robin.
    Option("workers", int, 1, "Model replicas decoding concurrent requests (CPU: the cores are shared out; CUDA: "
           "one GPU each).", minimum=1),
    # Only spent while other requests are in flight between their decodes; a ~second decode dwarfs it.
    Option("batch_wait_ms", float, 25.0, "Milliseconds a batch waits for the next decode of other requests in "
           "flight (none in flight: no wait); 0 decodes one request at a time.", minimum=0),
)

# Ray Data batch jobs (`uk-en translate --ray ADDRESS`, translate/distributed.py): flags and UKEN_* variables.
RAY_OPTIONS: tuple[Option, ...] = (
    Option("ray", str, None, "Run the job on a Ray cluster: its address (ray://host:10001, auto for the cluster "
           "this machine belongs to), or local to start one on this machine; none runs here.", optional=True),
    Option("ray_actors", int, 2, "Actors translating on the cluster, each with its own model.", minimum=1),
    # Fractions let actors share a CPU; Ray Data needs a CPU left over for reading, or it waits forever.
    Option("ray_cpus", float, 1.0, "CPUs per actor (its inference threads); leave one of the cluster's CPUs for "
           "reading.", minimum=0.1),
    Option("ray_gpus", float, 0.0, "GPUs per actor (0: CPU actors; 1: one GPU each; 0.5: two actors share one).",
           minimum=0),
)

BY_NAME = {o.name: o for o in OPTIONS}
SERVER_BY_NAME = {o.name: o for o in SERVER_OPTIONS}
RAY_BY_NAME = {o.name: o for o in RAY_OPTIONS}


@dataclass(frozen=True)
class Settings:
    model: str
    glossary: str | None
    add_glossary: str | None
    backend: str
    device: str
    beam_size: int
    batch_size: int
    batch_tokens: int
    max_length_ratio: float
    max_length_offset: int
    max_sentence_tokens: int
    threads: int
    names: str
    source_languages: str
    review: bool

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int
    api_key: str | None
    api_keys: bool
    api_keys_db_path: str | None
    require_api_key: bool
    require_api_key_origin: str | None
    req_limit: int | None
    req_limit_storage: str
    char_limit: int | None
    alternatives_limit: int
    max_request_bytes: int
    max_items: int
    body_timeout: float
    max_glossary_pairs: int
    max_glossary_chars: int
    cors_origins: str | None
    suggestions: bool
    suggestions_db: str | None
    metrics_token: str | None
    workers: int
    batch_wait_ms: float


@dataclass(frozen=True)
class RaySettings:
    ray: str | None
    ray_actors: int
    ray_cpus: float
    ray_gpus: float


assert [f.name for f in fields(Settings)] == [o.name for o in OPTIONS], "Settings must mirror OPTIONS"
assert [f.name for f in fields(RaySettings)] == [o.name for o in RAY_OPTIONS], "RaySettings must mirror RAY_OPTIONS"
assert [f.name for f in fields(ServerSettings)] == [o.name for o in SERVER_OPTIONS], "ServerSettings: SERVER_OPTIONS"


def env_name(option: Option) -> str:
    return ENV_PREFIX + option.name.upper()


def _coerce(option: Option, value: Any, where: str) -> Any:
    """Turn a raw value (typed from TOML/kwargs, text from env) into the option's type, or raise."""
    if isinstance(value, str) and option.optional and value.strip().lower() in ("", "none"):
        return None
    if value is None:
        if option.optional:
            return None
        raise ConfigError("must not be empty", key=option.name, source=where)
    try:
        if option.type is bool:
            if isinstance(value, str):
                if value.lower() not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
                    raise ValueError
                value = value.lower() in ("1", "true", "yes", "on")
            elif not isinstance(value, bool):
                raise ValueError
        elif option.type is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            value = int(value)
        elif option.type is float:
            if isinstance(value, bool):
                raise ValueError
            value = float(value)
        elif isinstance(value, os.PathLike):
            value = os.fspath(value)
        elif not isinstance(value, str):
            raise ValueError
    except ValueError:
        raise ConfigError(f"must be {option.type.__name__}, got {value!r}", key=option.name, source=where) from None
    if option.choices and value not in option.choices:
        raise ConfigError(f"must be one of {', '.join(option.choices)}, got {value!r}", key=option.name, source=where)
    if option.minimum is not None and value < option.minimum:
        raise ConfigError(f"must be at least {option.minimum:g}, got {value!r}", key=option.name, source=where)
    if option.name == "device" and not _valid_device(value):
        raise ConfigError(f"must be auto, cpu, cuda or cuda:N, got {value!r}", key="device", source=where)
    if option.name == "source_languages":
        from translate import languages

        try:
            languages.parse(value)
        except ValueError as e:
            raise ConfigError(str(e), key=option.name, source=where) from None
    if isinstance(value, str) and option.type is str and not option.optional and not value.strip():
        raise ConfigError("must not be empty", key=option.name, source=where)
    return value


def _valid_device(value: str) -> bool:
    if value in ("auto", "cpu", "cuda"):
        return True
    return value.startswith("cuda:") and value[5:].isdigit()


def _apply(values: dict[str, Any], raw: Mapping[str, Any], where: str, base: Path | None = None,
           table: Mapping[str, Option] = BY_NAME) -> None:
    for key, value in raw.items():
        option = table.get(key)
        if option is None:
            known = ", ".join(table)
            raise ConfigError(f"is not a setting (known settings: {known})", key=key, source=where)
        value = _coerce(option, value, where)
        if (option.path and base is not None and value not in (None, DEFAULT_GLOSSARY)
                and not Path(value).is_absolute()):
            value = str(base / value)
        values[key] = value


def _apply_environment(values: dict[str, Any], table: Mapping[str, Option]) -> None:
    """The UKEN_* variables set for the options of `table`, each checked and named in its errors."""
    for option in table.values():
        if env_name(option) in os.environ:
            _apply(values, {option.name: os.environ[env_name(option)]}, f"environment variable {env_name(option)}",
                   table=table)


def read_config_file(path: str | os.PathLike) -> dict[str, Any]:
    """Read a TOML config file into raw {key: value}; ConfigError for a missing or malformed file."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"not valid TOML: {e}", source=str(path)) from None


def load_settings(config: str | os.PathLike | None = None, /, *, environment: bool = True,
                  **overrides: Any) -> Settings:
    """Defaults < config file < UKEN_* environment (when `environment`) < keyword overrides.

    In overrides, glossary=None means no glossary.
    """
    values = {o.name: o.default for o in OPTIONS}
    if config is not None:
        path = Path(config)
        _apply(values, read_config_file(path), str(path), base=path.resolve().parent)
    if environment:
        _apply_environment(values, BY_NAME)
    _apply(values, overrides, "argument")
    return Settings(**values)


def load_server_settings(*, environment: bool = True, **overrides: Any) -> ServerSettings:
    """Defaults < UKEN_* environment (when `environment`) < keyword overrides."""
    values = {o.name: o.default for o in SERVER_OPTIONS}
    if environment:
        _apply_environment(values, SERVER_BY_NAME)
    _apply(values, overrides, "argument", table=SERVER_BY_NAME)
    return ServerSettings(**values)


def load_ray_settings(*, environment: bool = True, **overrides: Any) -> RaySettings:
    """Defaults < UKEN_* environment (when `environment`) < keyword overrides."""
    values = {o.name: o.default for o in RAY_OPTIONS}
    if environment:
        _apply_environment(values, RAY_BY_NAME)
    _apply(values, overrides, "argument", table=RAY_BY_NAME)
    return RaySettings(**values)

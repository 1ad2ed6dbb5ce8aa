"""`uk-en`, the command-line tool: translate files, folders, JSONL archives and pipes; check glossaries; evaluate.

    uk-en translate news.txt                       # English on stdout
    uk-en translate archive/ -o archive-en/        # a folder mirrored, sub-folders too
    uk-en translate items.jsonl --fields title,body -o items.en.jsonl --resume
    cat news.txt | uk-en translate > news.en.txt
    uk-en glossary check translate/data/glossary.tsv
    uk-en glossary show translate/data/glossary.tsv Столтенберг
    uk-en eval --src flores.uk --ref flores.en --json
    uk-en review --src test.uk --hyp test.en --json  # flag the lines of any translation an editor should check
    uk-en serve --port 7860

`main()` is the console script. Model and decoding flags (`--model`, `--glossary`/`--no-glossary`,
`--beam-size`, …) are generated from `translate.config.OPTIONS`, so a new setting appears here by itself;
precedence is defaults < `--config FILE` < UKEN_* environment variables < flags. Exit status: 0 when
everything succeeded, 1 when some item or file failed (each reported on stderr as `file:line: what`),
2 for usage, settings, glossary or model-loading errors (one sentence, no traceback), 130 when interrupted.
The batch machinery is `translate.batch`; the input formats `translate.documents`; the translation memory
`translate.cache`; the scores `translate.evaluate`.
"""

import enum
import functools
import inspect
import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import click
import typer

from translate import documents
from translate.batch import (EXIT_INTERRUPTED, DocumentUnit, Job, JsonlUnit, Problem, Progress, Unit,
                             is_work_file)
from translate.config import (OPTIONS, RAY_OPTIONS, SERVER_BY_NAME, SERVER_OPTIONS, Option, env_name,
                              load_ray_settings, load_settings)
from translate.errors import ConfigError, TranslateError, UsageError

EXIT_USAGE = 2
SETTINGS_PANEL = "Model and decoding (default: built-in values, then --config, then UKEN_* variables)"
OUTPUT_PANEL = "Output and batch"
SERVER_PANEL = "Server (default: built-in values, then UKEN_* variables)"
RAY_PANEL = "Ray cluster (default: built-in values, then UKEN_* variables)"

app = typer.Typer(
    name="uk-en",
    help="Ukrainian→English news translation that keeps every paragraph and renders glossary terms in any "
         "inflected form.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # help texts show [default: …] literally
)
glossary_app = typer.Typer(help="Check a glossary file, or show the forms an entry matches.", no_args_is_help=True,
                           rich_markup_mode=None)
app.add_typer(glossary_app, name="glossary")
keys_app = typer.Typer(help="Manage the server's API keys (each with its own limits), stored in SQLite.",
                       no_args_is_help=True, rich_markup_mode=None)
app.add_typer(keys_app, name="keys")


def fail(message: str, code: int = EXIT_USAGE) -> "typer.Exit":
    print(f"error: {message}", file=sys.stderr, flush=True)
    return typer.Exit(code)


# -- settings flags, generated from OPTIONS ------------------------------------------------------------------

def _flag(option: Option) -> str:
    return "--" + option.name.replace("_", "-")


def _option_parameters(table: tuple[Option, ...], panel: str, taken: frozenset[str] = frozenset()
                       ) -> list[inspect.Parameter]:
    """One flag per option; a yes/no option whose --NAME the command itself takes (`taken`: translate's
    `--review FILE`) gets only --no-NAME."""
    params = []
    for option in table:
        if option.type is bool and _flag(option) in taken:
            params.append(inspect.Parameter(
                f"no_{option.name}", inspect.Parameter.KEYWORD_ONLY, default=False,
                annotation=Annotated[bool, typer.Option(
                    f"--no-{_flag(option)[2:]}", rich_help_panel=panel,
                    help=f"Not: {option.help[:1].lower()}{option.help[1:]} [env {env_name(option)}]")]))
            continue
        default = "none" if option.default is None else option.default
        value_type: Any = option.type
        if option.choices:  # typer shows and checks an Enum's values (every typer version does)
            value_type = enum.Enum(option.name.title().replace("_", ""), {c: c for c in option.choices}, type=str)
        help_text = f"{option.help} [default: {default}; env {env_name(option)}]"
        info = typer.Option(_flag(option), help=help_text, show_default=False, rich_help_panel=panel,
                            metavar="PATH" if option.path else None if option.choices else
                            {int: "INT", float: "NUMBER"}.get(option.type, "TEXT"))
        if option.type is bool:
            info = typer.Option(f"{_flag(option)}/--no-{_flag(option)[2:]}", help=help_text, show_default=False,
                                rich_help_panel=panel)
        params.append(inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                        annotation=Annotated[Optional[value_type], info]))
        if option.optional and option.type is not bool:
            params.append(inspect.Parameter(
                f"no_{option.name}", inspect.Parameter.KEYWORD_ONLY, default=False,
                annotation=Annotated[bool, typer.Option(
                    f"--no-{_flag(option)[2:]}", rich_help_panel=panel,
                    help=f"No {option.name.replace('_', ' ')}, whatever the config file or {env_name(option)} say.")]))
    return params


def with_option_flags(table: tuple[Option, ...], into: str, panel: str) -> Callable[[Callable], Callable]:
    """A decorator adding one flag per entry of `table` to a command, which receives those given as the dict
    parameter `into`. Stacked, each table fills its own dict."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        own = [p for p in inspect.signature(command).parameters.values() if p.name != into]
        # In Annotated[..., typer.Option("--name", …)] typer keeps the first flag as the option's `default`.
        taken = frozenset(d for p in own for info in getattr(p.annotation, "__metadata__", ())
                          for d in (getattr(info, "default", None), *(getattr(info, "param_decls", None) or ()))
                          if isinstance(d, str) and d.startswith("--"))
        extra = _option_parameters(table, panel, taken)

        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> Any:
            given: dict[str, Any] = {}
            for option in table:
                value = kwargs.pop(option.name, None)  # absent: a yes/no option with only its --no-NAME here
                value = value.value if isinstance(value, enum.Enum) else value
                none = kwargs.pop(f"no_{option.name}", False)
                if none and value is not None:
                    raise fail(f"{_flag(option)} and --no-{_flag(option)[2:]} contradict each other")
                if none:
                    given[option.name] = False if option.type is bool else None
                elif value is not None:
                    given[option.name] = value
            return command(**{into: given}, **kwargs)

        del wrapper.__wrapped__  # typer must see the generated signature, not the original one
        wrapper.__signature__ = inspect.Signature(own + extra)
        wrapper.__annotations__ = {p.name: p.annotation for p in own + extra}
        return wrapper

    return decorate


with_settings_flags = with_option_flags(OPTIONS, "overrides", SETTINGS_PANEL)


ConfigFlag = Annotated[Optional[Path], typer.Option(
    "--config", "-c", metavar="PATH", rich_help_panel=SETTINGS_PANEL, show_default=False,
    help="TOML settings file (e.g. configs/default.toml, configs/fast.toml in the repository). Without it: "
         "the built-in defaults, then UKEN_* variables.")]
CacheFlag = Annotated[Optional[Path], typer.Option(
    "--cache", metavar="PATH", rich_help_panel=OUTPUT_PANEL, show_default=False,
    help="Translation memory (SQLite) reused across runs and processes [default: tm.sqlite3 in the user cache "
         "folder, e.g. ~/.cache/uk-en/].")]
NoCacheFlag = Annotated[bool, typer.Option(
    "--no-cache", rich_help_panel=OUTPUT_PANEL, help="Do not read or write the translation memory.")]
VerboseFlag = Annotated[bool, typer.Option(
    "--verbose", "-v", help="Say which engine runs and why, and what each file becomes.")]
QuietFlag = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on stderr but errors.")]


class Session:
    """What a command built: the translator, its counting/caching engine, and how to talk on stderr."""

    def __init__(self, verbose: bool = False, quiet: bool = False):
        self.verbose = verbose and not quiet
        self.quiet = quiet
        self.translator: Any = None
        self.engine: Any = None
        self.settings: Any = None

    def say(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def detail(self, message: str) -> None:
        if self.verbose:
            print(message, file=sys.stderr, flush=True)

    def load(self, config: Path | None, overrides: dict[str, Any], cache: Path | None, no_cache: bool) -> None:
        """Settings, glossary (first: a broken glossary should not wait for a model load), engine, memory."""
        from translate.cache import CachedEngine, CountingEngine, default_cache_path
        from translate.engines import load_engine
        from translate.pipeline import Translator, load_glossary

        self.settings = load_settings(config, **overrides)
        glossary = load_glossary(self.settings.glossary, self.settings.add_glossary)
        self.detail(f"loading model {self.settings.model} …")
        started = time.perf_counter()
        engine = load_engine(self.settings)
        if no_cache:
            self.engine = CountingEngine(engine)
        else:
            self.engine = CachedEngine(engine, cache or default_cache_path(), settings=self.settings)
        self.translator = Translator.from_settings(self.settings, engine=self.engine, glossary=glossary)
        if self.verbose:
            info = self.translator.info()
            self.detail(f"model ready in {time.perf_counter() - started:.1f} s")
            for key, value in info.items():
                self.detail(f"  {key}: {value}")


def _guarded(run: Callable[[], int]) -> int:
    """Our expected errors as one sentence with exit status 2; everything else propagates."""
    try:
        return run()
    except ConfigError as e:
        # Settings given as flags are errors of the flag: "--beam-size must be at least 1", not "argument: …".
        if e.source == "argument" and e.key:
            raise fail(f"--{e.key.replace('_', '-')} {e.problem}") from None
        raise fail(str(e)) from None
    except TranslateError as e:  # UsageError too
        raise fail(str(e)) from None
    except ImportError as e:  # e.g. --backend ctranslate2 without the package
        raise fail(f"{e}; install the missing package or choose another --backend") from None


# -- progress ------------------------------------------------------------------------------------------------

class RichProgress(Progress):
    """Input lines done of those known, with the time left; files done when there are several; lines and
    sentences per second. On stderr, only used when stderr is a terminal."""

    def __init__(self, sentences: Callable[[], int]):
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self.sentences = sentences
        self.lines = 0
        self.started = time.perf_counter()
        self.bar = Bar(TextColumn("{task.description:>5}"), MofNCompleteColumn(), BarColumn(),
                       TextColumn("{task.fields[rates]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                       console=Console(stderr=True), transient=False)
        self.line_task = self.file_task = None

    def start(self, units: int) -> None:
        self.started = time.perf_counter()
        self.bar.start()
        self.line_task = self.bar.add_task("lines", total=None, rates="")  # the total grows as inputs are read
        if units > 1:
            self.file_task = self.bar.add_task("files", total=units, rates="")

    def expect(self, lines: int) -> None:
        total = self.bar.tasks[self.line_task].total or 0
        self.bar.update(self.line_task, total=total + lines)

    def advance(self, lines: int) -> None:
        self.lines += lines
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        rates = f"{self.lines / elapsed:.1f} lines/s · {self.sentences() / elapsed:.1f} sentences/s"
        self.bar.update(self.line_task, advance=lines, rates=rates)

    def unit_done(self) -> None:
        if self.file_task is not None:
            self.bar.advance(self.file_task)

    def stop(self) -> None:
        self.bar.stop()


# -- translate -----------------------------------------------------------------------------------------------

def _folder_files(folder: Path, exclude: Path | None) -> list[Path]:
    files = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file() or is_work_file(path):
            continue
        if exclude is not None and path.resolve().is_relative_to(exclude):
            continue  # our own output inside the input folder: never translate it again
        if path.suffix.lower() in documents.SUFFIXES:
            files.append(path)
    return files


def plan_units(inputs: list[Path], output: Path | None, *, input_format: str, fields: list[str],
               terms_field: str | None, problems: list[Problem]) -> list[Unit]:
    """One unit per input file; folders are mirrored under `output`. Raises UsageError for impossible plans."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer

    def unit(kind: str, source: Path | None, target: Path | None) -> Unit:
        if kind == documents.jsonl.NAME:  # streamed record by record, so that it can be resumed
            return JsonlUnit(source, target, fields=fields, terms_field=terms_field, stdin=stdin, stdout=stdout)
        return DocumentUnit(source, target, format=kind, stdin=stdin, stdout=stdout)

    if not inputs or [str(p) for p in inputs] == ["-"]:
        kind = "text" if input_format == "auto" else input_format
        if output is not None and output.is_dir():
            raise UsageError(f"-o {output} is a folder; standard input needs an output file")
        return [unit(kind, None, output)]
    if any(str(p) == "-" for p in inputs):
        raise UsageError("'-' (standard input) cannot be mixed with files")

    if len(inputs) == 1 and not inputs[0].exists():  # a typo, not a plan that needs -o
        raise UsageError(f"{inputs[0]}: no such file or folder")
    existing = []
    for path in inputs:
        if path.exists():
            existing.append(path)
        else:
            problems.append(Problem(str(path), None, "no such file or folder"))
    single_file = len(inputs) == 1 and existing and existing[0].is_file()
    if single_file:
        source = existing[0]
        target = output / source.name if output is not None and output.is_dir() else output
        plan = [unit(documents.format_of(source, input_format), source, target)]
    else:
        if output is None:
            raise UsageError("several inputs or a folder need -o/--output FOLDER")
        if output.exists() and not output.is_dir():
            raise UsageError(f"-o {output} is a file; several inputs or a folder need an output folder")
        plan = []
        for path in existing:
            if path.is_dir():
                for source in _folder_files(path, output.resolve()):
                    plan.append(unit(documents.format_of(source, input_format), source,
                                     output / source.relative_to(path)))
            else:
                plan.append(unit(documents.format_of(path, input_format), path, output / path.name))

    seen: dict[Path, Unit] = {}
    for u in plan:
        if u.output is None:
            continue
        target = u.output.resolve()
        if u.input is not None and target == u.input.resolve():
            raise UsageError(f"the English of {u.name} would overwrite it; choose another -o")
        if target in seen:
            raise UsageError(f"{seen[target].name} and {u.name} would both be written to {u.output}")
        seen[target] = u
    return plan


# auto, then one choice per module of translate.documents.
InputFormat = enum.Enum("InputFormat", {name: name for name in ("auto", *documents.FORMATS)}, type=str)


@app.command("translate", no_args_is_help=False)
@with_option_flags(RAY_OPTIONS, "ray_options", RAY_PANEL)
@with_settings_flags
def translate_command(
    inputs: Annotated[Optional[list[Path]], typer.Argument(
        metavar="INPUT", show_default=False,
        help=f"Files ({', '.join(documents.SUFFIXES)}) or folders; none or '-' reads standard input.")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="PATH", show_default=False, rich_help_panel=OUTPUT_PANEL,
        help="Output file, or folder for several inputs / a folder (mirrored). Default: standard output.")] = None,
    config: ConfigFlag = None,
    fields: Annotated[str, typer.Option(
        metavar="NAMES", rich_help_panel=OUTPUT_PANEL,
        help="JSONL: comma-separated fields to translate (those a record has); every other field passes through "
             "unchanged.")]
        = ",".join(documents.DEFAULT_FIELDS),
    input_format: Annotated[InputFormat, typer.Option(
        "--format", rich_help_panel=OUTPUT_PANEL,
        help="Input format; auto: by extension (" + ", ".join(
            f"{' '.join(m.SUFFIXES)} {name}" for name, m in documents.FORMATS.items()) + "), standard input and "
            "other files text.")]
        = InputFormat.auto,
    terms: Annotated[Optional[Path], typer.Option(
        "--terms", metavar="FILE", show_default=False, rich_help_panel=OUTPUT_PANEL,
        help="Write the glossary term report as JSONL: one line per text file / JSONL record.")] = None,
    terms_field: Annotated[Optional[str], typer.Option(
        "--terms-field", metavar="NAME", show_default=False, rich_help_panel=OUTPUT_PANEL,
        help="JSONL: add the term report to each record under this field.")] = None,
    review_file: Annotated[Optional[Path], typer.Option(
        "--review", metavar="FILE", show_default=False, rich_help_panel=OUTPUT_PANEL,
        help="Write the review flags as JSONL: one line per text file / JSONL record, each flag with its kind, "
             "reason and character span in the English (review is on by default; --no-review turns it off).")]
        = None,
    resume: Annotated[bool, typer.Option(
        "--resume", rich_help_panel=OUTPUT_PANEL,
        help="Continue an interrupted run: skip finished outputs, continue JSONL files after their last saved "
             "record.")] = False,
    chunk_size: Annotated[int, typer.Option(
        "--chunk-size", min=1, metavar="N", rich_help_panel=OUTPUT_PANEL,
        help="Items translated together (and saved together) per step.")] = 64,
    cache: CacheFlag = None,
    no_cache: NoCacheFlag = False,
    verbose: VerboseFlag = False,
    quiet: QuietFlag = False,
    overrides: dict = None,
    ray_options: dict = None,
) -> None:
    """Translate text files, folders, JSONL news archives, or standard input.

    Text files keep their exact line layout. JSONL records keep their order and every field not named in
    --fields. Outputs are written atomically; a malformed line or file is reported as FILE:LINE and skipped,
    and the exit status is then 1.
    """
    session = Session(verbose, quiet)
    field_names = [f.strip() for f in fields.split(",") if f.strip()]
    if not field_names:
        raise fail("--fields names no field")
    if review_file is not None:
        if overrides.get("review") is False:
            raise fail("--review FILE and --no-review contradict each other")
        overrides["review"] = True  # whatever the config file says: the flags were asked for
    problems: list[Problem] = []
    report_problem = lambda p: print(f"error: {p}", file=sys.stderr, flush=True)  # noqa: E731

    def run() -> int:
        ray_settings = load_ray_settings(**ray_options)
        if ray_settings.ray is not None:
            return _translate_on_ray(session, ray_settings, list(inputs or []), output, config=config,
                                     overrides=overrides, fields=field_names, terms_field=terms_field, terms=terms,
                                     input_format=input_format.value, resume=resume, report_problem=report_problem)
        units = plan_units(list(inputs or []), output, input_format=input_format.value, fields=field_names,
                           terms_field=terms_field, problems=problems)
        if resume and any(u.output is None or u.input is None for u in units):
            raise UsageError("--resume needs input files and -o/--output (a pipe cannot be resumed)")
        for problem in problems:
            report_problem(problem)
        if not units:
            return 1 if problems else 0
        session.load(config, overrides, cache, no_cache)
        if units[0].input is None and sys.stdin.isatty():
            session.say("reading Ukrainian text from the terminal; end it with Ctrl-D")
        for u in units:
            session.detail(f"{u.name} → {u.output or '<stdout>'} ({'jsonl' if isinstance(u, JsonlUnit) else u.format})")
        progress = None
        if sys.stderr.isatty() and not quiet:
            progress = RichProgress(lambda: session.engine.stats.requested)
        job = Job(session.translator, chunk_items=chunk_size, terms=terms, progress=progress,
                  on_problem=report_problem, review=review_file)
        started = time.perf_counter()
        report = job.run(units, resume=resume)
        report.problems[:0] = problems
        stats = session.engine.stats
        memory = (f"{stats.from_memory} of {stats.requested} sentences from the translation memory"
                  if stats.requested else "")
        if not _say_run_summary(session, report, f"translated in {time.perf_counter() - started:.1f} s", memory):
            return EXIT_INTERRUPTED
        if session.settings.review:
            session.say(review_summary(report.flagged, report.sentences)
                        + (f" (flags in {review_file})" if review_file is not None and report.flagged else ""))
        return report.exit_code

    raise typer.Exit(_guarded(run))


def _translate_on_ray(session: Session, ray_settings: Any, inputs: list[Path], output: Path | None, *,
                      config: Path | None, overrides: dict[str, Any], fields: list[str], terms_field: str | None,
                      terms: Path | None, input_format: str, resume: bool, report_problem: Callable) -> int:
    """`translate` as a Ray Data job (translate.distributed); the same outputs, problems and exit status."""
    from translate import distributed

    settings = load_settings(config, **overrides)
    session.detail(f"Ray: {ray_settings.ray}, {ray_settings.ray_actors} actors × {ray_settings.ray_cpus:g} CPU "
                   f"/ {ray_settings.ray_gpus:g} GPU")
    started = time.perf_counter()
    report = distributed.run_job([distributed.location(p) for p in inputs], output, settings, ray_settings,
                                 fields=fields, terms_field=terms_field, terms=terms, input_format=input_format,
                                 resume=resume, on_problem=report_problem)
    if not _say_run_summary(session, report, f"translated on Ray in {time.perf_counter() - started:.1f} s"):
        return EXIT_INTERRUPTED
    return report.exit_code


def _say_run_summary(session: Session, report: Any, done: str, memory: str = "") -> bool:
    """The run's one summary line (items, resumed work, memory use, problems); False when it was interrupted."""
    summary = f"{_count(report.items_done, 'item')} {done}"
    if report.items_resumed or report.units_skipped:
        summary += (f" (resumed: {_count(report.items_resumed, 'item')} and "
                    f"{_count(report.units_skipped, 'file')} already done)")
    if memory:
        summary += f"; {memory}"
    if report.problems:
        summary += f"; {_count(len(report.problems), 'problem')}, reported above"
    if report.interrupted:
        session.say(f"interrupted: {summary}. Finished work is saved; run again with --resume to continue.")
        return False
    session.say(summary)
    return True


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def review_summary(flagged: int, sentences: int, noun: str = "sentence") -> str:
    """"3 of 214 sentences need review"; "1 of 1 sentence needs review"."""
    return f"{flagged} of {_count(sentences, noun)} " + ("needs" if flagged == 1 else "need") + " review"


# -- glossary ------------------------------------------------------------------------------------------------

@glossary_app.command("check")
def glossary_check(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Glossary file (.tsv or .csv).", show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="Exit status 1 on warnings too.")] = False,
) -> None:
    """Validate a glossary file: every error with its line, then (as warnings) forms two entries both claim
    and entries whose inflected forms the morphology could not generate (they match only as written).

    Exit status: 0 when the file loads (warnings allowed), 1 when it has errors, 2 when it cannot be read.
    """

    errors, glossary = collect_glossary_errors(file)
    for message in errors:
        print(message)
    warnings = []
    if glossary is not None:
        def where(entry: Any) -> str:
            return f"{file}:{entry.line}" if entry.line else str(file)

        for form, winner, loser in glossary.collisions:
            warnings.append(f"{where(loser)}: warning: the form {form!r} of {loser.source!r} is also a form of "
                            f"{winner.source!r} ({where(winner)}), which wins it")
        for entry in glossary.ungenerated:
            warnings.append(f"{where(entry)}: warning: no inflected forms known for {entry.source!r}; it matches "
                            f"only as written (list more with forms=…)")
        warnings.extend(inflection_warnings(glossary, where))
    for message in warnings:
        print(message)
    entries = len(glossary) if glossary is not None else 0
    print(f"{file}: {entries} entries, {len(errors)} error(s), {len(warnings)} warning(s)")
    raise typer.Exit(1 if errors or (strict and warnings) else 0)


def inflection_warnings(glossary: Any, where) -> list[str]:
    """Warnings on how entries inflect: a person entry with no genitive form (so «Сибіги» would not
    match), and forms the analyser reads only as another word's (a wrongly guessed paradigm)."""
    from translate import morphology
    from translate.glossary.expansions import key_of

    out = []
    for entry in glossary.entries:
        source, inflect, person = key_of(entry)
        if not inflect:
            continue
        has_genitive = morphology.person_has_genitive(source, person)
        if has_genitive is False:
            out.append(f"{where(entry)}: warning: person entry {source!r} has no genitive form (add forms=…)")
        if has_genitive is None:  # a person's forms follow name paradigms, not the common words they resemble
            bad = morphology.unrelated_forms(source, tuple(glossary.forms(source)))
            if bad:
                out.append(f"{where(entry)}: warning: forms of {source!r} read as other words: {', '.join(bad[:5])}"
                           f" (say person=yes, or match=exact with forms=…)")
    return out


def collect_glossary_errors(file: Path, limit: int = 1000) -> tuple[list[str], Any]:
    """Every error of a glossary file, and the glossary its valid lines make (None if no line is usable).

    `Glossary.load` stops at the first error, so each line it names is blanked out in a copy and the
    copy is loaded again, until it loads (or `limit` errors). Errors come sorted by line.
    """
    import tempfile

    from translate.errors import GlossaryError
    from translate.glossary import Glossary

    try:
        data = file.read_bytes()
    except OSError as e:
        raise fail(f"{file}: cannot read glossary file ({e.strerror or e})") from None
    lines = data.split(b"\n")
    errors: list[tuple[int, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / file.name  # same suffix: read as the same format
        while True:
            copy.write_bytes(b"\n".join(lines))
            try:
                glossary = Glossary.load(copy, cache_dir=False)
            except GlossaryError as e:
                line = e.line or 0
                errors.append((line, str(e.naming(str(file)))))
                header = file.suffix.lower() == ".csv" and line == _first_content_line(lines)
                if header or not 1 <= line <= len(lines) or not lines[line - 1].strip() or len(errors) >= limit:
                    glossary = None  # nothing after a missing CSV header can be read
                else:
                    lines[line - 1] = b""
                    continue
            return [message for _, message in sorted(errors)], glossary


def _first_content_line(lines: list[bytes]) -> int:
    for number, line in enumerate(lines, 1):
        if line.strip() and not line.strip().startswith(b"#"):
            return number
    return 0


@glossary_app.command("show")
def glossary_show(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Glossary file (.tsv or .csv).", show_default=False)],
    word: Annotated[str, typer.Argument(metavar="WORD", help="An entry's headword, or any form of it.",
                                        show_default=False)],
) -> None:
    """Print the entry a Ukrainian word or phrase belongs to, its English target, and every form it matches."""
    from translate.errors import GlossaryError
    from translate.glossary import Glossary

    try:
        glossary = Glossary.load(file)
    except GlossaryError as e:
        raise fail(str(e)) from None
    by_source = {entry.source: entry for entry in glossary}
    sources = [word] if word in by_source else list(dict.fromkeys(m.headword for m in glossary.find(word)))
    if not sources:
        print(f"no entry of {file} matches {word!r}", file=sys.stderr)
        raise typer.Exit(1)
    for source in sources:
        entry = by_source[source]
        options = "; ".join(f"{k}={'|'.join(v) if isinstance(v, tuple) else v}" for k, v in entry.options.items())
        print(f"{entry.source} → {entry.target}   ({entry.where}{'; ' + options if options else ''})")
        if entry.note:
            print(f"  note: {entry.note}")
        for form in glossary.forms(entry.source):
            print(f"  {form}")
        other = glossary.forms(entry.source, other_number=True)
        if other:
            english = next((m.target for m in glossary.find(other[0])), "?")
            print(f"  in the other number → {english}:")
            for form in other:
                print(f"  {form}")


# -- eval ----------------------------------------------------------------------------------------------------

@app.command("eval")
@with_settings_flags
def eval_command(
    src: Annotated[Path, typer.Option("--src", metavar="FILE", show_default=False,
                                      help="Ukrainian sources, one segment per line.")],
    ref: Annotated[Path, typer.Option("--ref", metavar="FILE", show_default=False,
                                      help="English references, aligned with --src.")],
    hyp: Annotated[Optional[Path], typer.Option(
        "--hyp", metavar="FILE", show_default=False,
        help="Score this existing English output instead of translating (no model is loaded).")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="FILE", show_default=False,
        help="Also write the English this run produced, one line per source line.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as one JSON object.")] = False,
    config: ConfigFlag = None,
    cache: CacheFlag = None,
    no_cache: NoCacheFlag = False,
    verbose: VerboseFlag = False,
    quiet: QuietFlag = False,
    overrides: dict = None,
) -> None:
    """Translate a test set and score it with sacreBLEU (BLEU, chrF, chrF++) plus glossary term accuracy.

    Term accuracy is the share of glossary terms matched in the sources whose English target appears in the
    hypothesis line; it needs --glossary (or a glossary in --config / UKEN_GLOSSARY).
    """
    from translate import evaluate

    session = Session(verbose, quiet)

    def run() -> int:
        try:
            sources, references = evaluate.read_lines(src), evaluate.read_lines(ref)
            evaluate.check_aligned({str(src): sources, str(ref): references})
            if hyp is not None:
                hypotheses = evaluate.read_lines(hyp)
                evaluate.check_aligned({str(src): sources, str(hyp): hypotheses})
        except evaluate.EvalInputError as e:
            raise UsageError(str(e)) from None
        glossary = None
        if hyp is None:
            session.load(config, overrides, cache, no_cache)
            glossary = session.translator.glossary
            hypotheses = _translate_lines(session, sources)
            if output is not None:
                from translate.batch import write_atomically

                write_atomically(output, "".join(h + "\n" for h in hypotheses).encode("utf-8"))
        else:
            settings = load_settings(config, **overrides)
            if settings.glossary is not None:
                from translate.glossary import Glossary

                glossary = Glossary.load(settings.glossary)
        scores = evaluate.evaluate(sources, hypotheses, references, glossary)
        if as_json:
            result = scores.as_dict()
            if session.settings is not None:
                result["model"] = session.settings.model
            print(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            _print_scores(scores)
        return 0

    raise typer.Exit(_guarded(run))


def _translate_lines(session: Session, sources: list[str], chunk: int = 64) -> list[str]:
    """Each line translated as one item; progress on stderr when it is a terminal."""
    progress = RichProgress(lambda: session.engine.stats.requested) if sys.stderr.isatty() and not session.quiet \
        else Progress()
    progress.start(1)
    progress.expect(len(sources))
    out: list[str] = []
    try:
        for start in range(0, len(sources), chunk):
            # A line separator inside a segment would shift every later line; the test set has one per line.
            texts = [" ".join(s.splitlines()) for s in sources[start : start + chunk]]
            out += [" ".join(t.splitlines()) for t in session.translator.translate_batch(texts)]
            progress.advance(len(texts))
        progress.unit_done()
    finally:
        progress.stop()
    return out


def _print_scores(scores: Any) -> None:
    print(f"lines   {scores.lines}")
    print(f"BLEU    {scores.bleu:.1f}   {scores.signatures['bleu']}")
    print(f"chrF    {scores.chrf:.1f}   {scores.signatures['chrf']}")
    print(f"chrF++  {scores.chrf_plus_plus:.1f}   {scores.signatures['chrf++']}")
    if scores.terms is not None:
        accuracy = scores.terms.accuracy
        shown = f"{100 * accuracy:.1f}%" if accuracy is not None else "n/a"
        print(f"terms   {shown}   ({scores.terms.applied} of {scores.terms.matched} glossary terms rendered)")


# -- keys ----------------------------------------------------------------------------------------------------

KeysDbFlag = Annotated[Optional[Path], typer.Option(
    "--api-keys-db-path", metavar="PATH", show_default=False,
    help=f"{SERVER_BY_NAME['api_keys_db_path'].help} [env {env_name(SERVER_BY_NAME['api_keys_db_path'])}]")]
LimitFlag = Optional[int]


def _key_store(path: Path | None) -> Any:
    from translate.config import load_server_settings
    from translate.keys import KeyStore, default_path

    given = load_server_settings(**({"api_keys_db_path": str(path)} if path is not None else {})).api_keys_db_path
    return KeyStore(given or default_path())


def _limits_text(record: Any) -> str:
    def shown(value: int | None) -> str:
        return "server's" if value is None else f"{value:,}"

    return (f"{shown(record.req_limit)} requests/min, {shown(record.char_limit)} characters per text, "
            f"{shown(record.batch_limit)} texts per request")


@keys_app.command("add")
def keys_add(
    name: Annotated[Optional[str], typer.Option("--name", help="A name to know the key by (unique).")] = None,
    req_limit: Annotated[LimitFlag, typer.Option("--req-limit", min=1, help="Its requests per minute.")] = None,
    char_limit: Annotated[LimitFlag, typer.Option("--char-limit", min=1, help="Its characters per text.")] = None,
    batch_limit: Annotated[LimitFlag, typer.Option("--batch-limit", min=1, help="Its texts per request.")] = None,
    db: KeysDbFlag = None,
) -> None:
    """Create a key and print it (this once: only its hash is stored). Limits not given are the server's
    (--req-limit, --char-limit, --max-items of uk-en serve). The server takes the database's keys with --api-keys."""

    def run() -> int:
        store = _key_store(db)
        key, record = store.add(name=name, req_limit=req_limit, char_limit=char_limit, batch_limit=batch_limit)
        print(key)
        print(f"Key {record.id}{f' ({record.name})' if record.name else ''} added to {store.path}: "
              f"{_limits_text(record)}. Store it now: it is not shown again.", file=sys.stderr)
        return 0

    raise typer.Exit(_guarded(run))


@keys_app.command("remove")
def keys_remove(
    which: Annotated[str, typer.Argument(metavar="ID_OR_NAME", help="The key's id or name (as `list` shows), or "
                                         "the key itself.", show_default=False)],
    db: KeysDbFlag = None,
) -> None:
    """Remove a key; the server refuses it from its next request on."""

    def run() -> int:
        record = _key_store(db).remove(which)
        print(f"Removed key {record.id}{f' ({record.name})' if record.name else ''}.")
        return 0

    raise typer.Exit(_guarded(run))


@keys_app.command("list")
def keys_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per key.")] = False,
    db: KeysDbFlag = None,
) -> None:
    """List the keys: id, name, limits and when each was made (never the keys: they are not stored)."""

    def run() -> int:
        store = _key_store(db)
        records = store.records()
        for record in records:
            if as_json:
                print(json.dumps(record.as_dict(), ensure_ascii=False))
            else:
                print(f"{record.id}\t{record.name or '-'}\t{_limits_text(record)}\tcreated {record.created}")
        if not records and not as_json:
            print(f"No API keys in {store.path}.", file=sys.stderr)
        return 0

    raise typer.Exit(_guarded(run))


# -- review --------------------------------------------------------------------------------------------------

@app.command("review")
@with_option_flags(tuple(o for o in OPTIONS if o.name in ("glossary", "add_glossary")), "overrides", SETTINGS_PANEL)
def review_command(
    src: Annotated[Path, typer.Option("--src", metavar="FILE", show_default=False,
                                      help="Ukrainian sources, one segment per line.")],
    hyp: Annotated[Path, typer.Option("--hyp", metavar="FILE", show_default=False,
                                      help="Its English (any MT system's or a human's), aligned with --src.")],
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print one JSON object per line, {\"line\": N, \"flags\": [...]} (empty when the line is "
                       "fine), and the summary on stderr.")] = False,
    config: ConfigFlag = None,
    overrides: dict = None,
) -> None:
    """Check an existing translation line by line with the review's checks: degenerate repetition, length out
    of proportion, Ukrainian left in the English, numbers that did not carry over, and glossary terms missing
    (the shipped glossary unless --glossary / --no-glossary say otherwise). No model is loaded.

    Prints FILE:LINE: kind: reason for each flag, then "N of M lines need review". Exit status 0 whatever
    was flagged; 2 when the files cannot be read or are not aligned.
    """
    from translate import evaluate, terms as termlib
    from translate.pipeline import load_glossary
    from translate.review import review

    def run() -> int:
        try:
            sources, hypotheses = evaluate.read_lines(src), evaluate.read_lines(hyp)
            evaluate.check_aligned({str(src): sources, str(hyp): hypotheses})
        except evaluate.EvalInputError as e:
            raise UsageError(str(e)) from None
        settings = load_settings(config, **overrides)
        glossary = load_glossary(settings.glossary, settings.add_glossary)
        flagged = 0
        for number, (source, english) in enumerate(zip(sources, hypotheses), 1):
            matches = glossary.find(source) if glossary is not None else []
            enforced = [m for m in matches if not m.weak]
            missing = [(enforced[i].surface, enforced[i].target) for i in termlib.missing_terms(english, enforced)]
            flags = review(source, english, allowed=[m.target for m in matches], missing_terms=missing)
            flagged += bool(flags)
            if as_json:
                print(json.dumps({"line": number, "flags": [f.as_dict() for f in flags]}, ensure_ascii=False))
            for f in flags if not as_json else ():
                print(f"{hyp}:{number}: {f.kind}: {f.reason}")
        print(review_summary(flagged, len(sources), "line"), file=sys.stderr if as_json else sys.stdout, flush=True)
        return 0

    raise typer.Exit(_guarded(run))


# -- serve ---------------------------------------------------------------------------------------------------

@app.command("serve")
@with_option_flags(SERVER_OPTIONS, "server", SERVER_PANEL)
@with_settings_flags
def serve_command(config: ConfigFlag = None, overrides: dict = None, server: dict = None) -> None:
    """Run the web demo (http://127.0.0.1:7860/) and the LibreTranslate-compatible HTTP API."""
    from translate import web

    def run() -> int:
        try:
            web.serve(config, **server, **overrides)
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        return 0

    raise typer.Exit(_guarded(run))


def main() -> None:
    """The `uk-en` console script."""
    app(prog_name="uk-en")


def serve_main(argv: list[str], prog_name: str = "app.py") -> int:
    """`uk-en serve ARGV` as a function returning the exit status: `python app.py` runs exactly this."""
    try:
        return app(["serve", *argv], prog_name=prog_name, standalone_mode=False) or 0
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:  # a flag typo: click's own message and status
        e.show()
        return e.exit_code


if __name__ == "__main__":
    main()

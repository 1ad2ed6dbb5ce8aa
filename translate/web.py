"""The web demo (gradio Blocks at `/`) and the HTTP API (`translate.http_api`) in one FastAPI app.

`create_app(translator, api_key=..., max_request_bytes=...)` takes a ready `Translator` (or `host=` a
`TranslatorHost` still loading one) and returns the FastAPI app: the LibreTranslate-compatible API at
/translate, /languages, /health, /docs, and the gradio page at `/`. `serve(config, host=, port=, **options)`
loads the model once (in the background, so /health answers 503 until it is ready) and runs the server;
`main(argv)` is `python app.py` and `uk-en serve`: flags from `translate.config.OPTIONS` plus server flags,
and a one-sentence message with a non-zero exit status when settings, glossary or model cannot be loaded.

The page: a source box pre-filled with the demo item, English output with the source's line layout and the
glossary terms highlighted (applied and missed ones distinct), a session glossary table merged over the
server's glossary for this user's calls only, a file tab (.txt / .jsonl in, translation out), model info and
the time taken. Calls are queued (one model call at a time, shared with the API).
"""

from __future__ import annotations

import argparse
import atexit
import html
import json
import os
import re
import shutil
import socket
import sys
import tempfile
import time
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

# gradio calls home at import and launch unless told not to; a translation demo has no reason to.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from translate.config import OPTIONS, load_settings  # noqa: E402
from translate.batch import parse_record  # noqa: E402
from translate.errors import TranslateError  # noqa: E402
from translate.http_api import ModelNotReady, TranslatorHost, create_api  # noqa: E402

if TYPE_CHECKING:
    import gradio as gr
    from fastapi import FastAPI

    from translate.pipeline import TermReport, Translation, Translator

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
DEFAULT_MAX_REQUEST_BYTES = 100_000
PART_CHARS = 2_000  # long inputs go to the model in parts of whole lines, so progress can be shown
JSONL_FIELDS = ("title", "body", "text")
APPLIED_STYLE = "background:#bbf7d0;color:#14532d;border-radius:3px;padding:0 2px"
MISSED_STYLE = "background:#fecaca;color:#7f1d1d;border-radius:3px;padding:0 2px;text-decoration:underline wavy"


def demo_text() -> str:
    """The demo news item shipped with the package (a NATO visit to Skopje, Ukrinform)."""
    return resources.files("translate").joinpath("examples", "nato-skopje.uk.txt").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------ text helpers
def split_in_parts(text: str, part_chars: int = PART_CHARS) -> list[str]:
    """`text` cut after line breaks into parts of about `part_chars`; "".join(parts) == text.

    A paragraph is one line and a term never crosses a sentence, so no sentence or term is cut by a part's end.
    """
    if len(text) <= part_chars:
        return [text]
    parts, current, size = [], [], 0
    for line in re.split(r"(?<=\n)", text):
        if current and size + len(line) > part_chars:
            parts.append("".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line)
    if current:
        parts.append("".join(current))
    return [p for p in parts if p] or [text]


def translate_with_progress(host: TranslatorHost, texts: Sequence[str], pairs: Sequence[Sequence[str]],
                            report: Callable[[int, int], None] | None = None) -> list["Translation"]:
    """Every text translated (long ones in parts of whole lines), term offsets kept relative to each text."""
    from translate.pipeline import Translation

    pieces = [(i, offset, part) for i, text in enumerate(texts) for offset, part in _with_offsets(split_in_parts(text))]
    outputs: list[list[str]] = [[] for _ in texts]
    reports: list[list[TermReport]] = [[] for _ in texts]
    # Several short texts still share one model call; a long one goes part by part.
    groups: list[list[tuple[int, int, str]]] = []
    for piece in pieces:
        if groups and sum(len(p[2]) for p in groups[-1]) + len(piece[2]) <= PART_CHARS:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    for done, group in enumerate(groups):
        if report is not None:
            report(done, len(groups))
        for (i, offset, _), result in zip(group, host.translate([p[2] for p in group], pairs)):
            outputs[i].append(result.text)
            reports[i] += [replace(t, start=t.start + offset, end=t.end + offset) for t in result.terms]
    if report is not None:
        report(len(groups), len(groups))
    return [Translation("".join(out), terms) for out, terms in zip(outputs, reports)]


def _with_offsets(parts: list[str]) -> list[tuple[int, str]]:
    offsets, position = [], 0
    for part in parts:
        offsets.append((position, part))
        position += len(part)
    return offsets


def paragraph_count(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def highlight_html(translation: "Translation") -> str:
    """The English as HTML with the source's line layout; applied terms marked green, missed ones listed red."""
    from translate.terms import target_pattern

    text = translation.text
    spans: list[tuple[int, int, str]] = []
    applied: dict[str, list[str]] = {}
    for term in translation.terms:
        if term.applied:
            applied.setdefault(term.target, []).append(term.source)
    for target in sorted(applied, key=len, reverse=True):
        title = f"{', '.join(dict.fromkeys(applied[target]))} → {target}"
        for m in target_pattern(target).finditer(text):
            if all(m.end() <= s or m.start() >= e for s, e, _ in spans):
                spans.append((m.start(), m.end(), title))
    out, position = [], 0
    for start, end, title in sorted(spans):
        out.append(html.escape(text[position:start]))
        out.append(f'<mark class="term-applied" style="{APPLIED_STYLE}" title="{html.escape(title)}">'
                   f"{html.escape(text[start:end])}</mark>")
        position = end
    out.append(html.escape(text[position:]))
    body = f'<div class="uken-output" style="white-space:pre-wrap;line-height:1.6">{"".join(out)}</div>'
    missed = [t for t in translation.terms if is_missed(t)]
    if missed:
        items = " ".join(f'<mark class="term-missed" style="{MISSED_STYLE}" title="missing from the English">'
                         f"{html.escape(t.source)} → {html.escape(t.target)}</mark>" for t in missed)
        body += f'<p class="uken-missed">Missed terms (not in the English): {items}</p>'
    return body


LEGEND_HTML = (
    f'<div class="uken-legend">Glossary terms: <mark class="term-applied" style="{APPLIED_STYLE}">applied</mark> '
    f'in the English · <mark class="term-missed" style="{MISSED_STYLE}">missed</mark> (listed under the '
    f"translation) · hover a term to see its source.</div>"
)


def is_missed(term: "TermReport") -> bool:
    # A weak match (a sentence-initial word that may be an ordinary one) is reported but not enforced.
    return not term.applied and not getattr(term, "weak", False)


def terms_rows(terms: Sequence["TermReport"]) -> list[list[str]]:
    return [[t.source, t.entry, t.target,
             "applied" if t.applied else "MISSED" if is_missed(t) else "not enforced (may be a common word)"]
            for t in terms]


def summary(translations: Sequence["Translation"], seconds: float, what: str) -> str:
    terms = [t for tr in translations for t in tr.terms]
    applied = sum(t.applied for t in terms)
    missed = sum(is_missed(t) for t in terms)
    weak = len(terms) - applied - missed
    paragraphs = sum(paragraph_count(tr.text) for tr in translations)
    return (f"Translated {what}: {paragraphs} paragraph{'s' * (paragraphs != 1)}, {len(terms)} glossary "
            f"term{'s' * (len(terms) != 1)} ({applied} applied, {missed} missed"
            + (f", {weak} not enforced" if weak else "") + f") in {seconds:.2f} s.")


def info_markdown(host: TranslatorHost) -> str:
    if host.state == "loading":
        return "**Model:** still loading — reload the page in a moment."
    if host.state == "failed":
        return f"**Model failed to load:** {host.error}"
    info = host.info()
    settings = host.translator.settings
    rows = [("engine", info.get("engine", "?") + (f" ({info['backend_reason']})" if "backend_reason" in info else "")),
            ("model", info.get("model", settings.model)), ("device", info.get("device", settings.device)),
            ("precision", info.get("precision", "")), ("threads", info.get("threads", "")),
            ("beam size", str(settings.beam_size)), ("glossary", info.get("glossary", "none"))]
    return "| setting | value |\n|---|---|\n" + "\n".join(
        f"| {name} | {value.replace('|', '/')} |" for name, value in rows if value)


# ---------------------------------------------------------------------------------------- glossary table
def table_pairs(table: Any) -> list[tuple[str, str]]:
    """The session glossary table's rows as (uk, en) pairs; blank rows are skipped, half-filled ones refused."""
    rows = _rows(table)
    pairs = []
    for n, row in enumerate(rows, 1):
        cells = [str(c).strip() if c is not None else "" for c in list(row)[:2]] + ["", ""]
        uk, en = cells[0], cells[1]
        if not uk and not en:
            continue
        if not uk or not en:
            raise TranslateError(f"Session glossary row {n} needs both a Ukrainian term and its English.")
        pairs.append((uk, en))
    return pairs


def _rows(table: Any) -> list[list[Any]]:
    if table is None:
        return []
    if hasattr(table, "values") and hasattr(table, "columns"):  # a pandas DataFrame
        return table.values.tolist()
    if isinstance(table, dict):  # gradio's {"headers": ..., "data": ...}
        return list(table.get("data") or [])
    return [list(r) for r in table]


def glossary_file_pairs(path: str | os.PathLike) -> list[tuple[str, str]]:
    """(uk, en) pairs of a .tsv/.csv glossary file, checked by `Glossary.load` (its errors name the line)."""
    from translate.glossary import Glossary

    glossary = Glossary.load(path)
    return [(entry.source, entry.target) for entry in glossary.entries]


def write_tsv(pairs: Sequence[Sequence[str]], folder: Path) -> Path:
    path = Path(tempfile.mkdtemp(dir=folder)) / "session-glossary.tsv"
    lines = ["uk\ten"] + [f"{_tsv_cell(uk)}\t{_tsv_cell(en)}" for uk, en in pairs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _tsv_cell(value: str) -> str:
    return " ".join(str(value).split())  # a tab or newline inside a cell would break the row


# ------------------------------------------------------------------------------------------------ files
def translate_file(host: TranslatorHost, path: str | os.PathLike, pairs: Sequence[Sequence[str]],
                   folder: Path, max_bytes: int,
                   report: Callable[[int, int], None] | None = None) -> tuple[Path, str, list["Translation"]]:
    """A .txt or .jsonl file translated: (the output file, a note on skipped lines, the translations)."""
    source = Path(path)
    data = source.read_bytes()
    stem = re.sub(r"\.(uk)$", "", source.stem)
    out_folder = Path(tempfile.mkdtemp(dir=folder))
    if source.suffix.lower() == ".jsonl":
        records, texts, where, notes = [], [], [], []
        for n, line in enumerate(data.split(b"\n"), 1):
            if not line.strip():
                continue
            try:
                record = parse_record(line)
            except ValueError as e:
                notes.append(f"line {n}: {e} (skipped)")
                continue
            records.append(record)
            for name in JSONL_FIELDS:
                if isinstance(record.get(name), str):
                    where.append((len(records) - 1, name))
                    texts.append(record[name])
        _check_size(sum(len(t.encode("utf-8")) for t in texts), max_bytes)
        translations = translate_with_progress(host, texts, pairs, report)
        for (r, name), translation in zip(where, translations):
            records[r][name] = translation.text
        output = out_folder / f"{stem}.en.jsonl"
        output.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        note = f"{len(records)} records, {len(texts)} fields translated ({', '.join(JSONL_FIELDS)})."
        if notes:
            note += " " + "; ".join(notes)
        return output, note, translations
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise TranslateError(f"{source.name} is not UTF-8 text (byte {e.start}); save it as UTF-8.") from None
    _check_size(len(text.encode("utf-8")), max_bytes)
    translations = translate_with_progress(host, [text], pairs, report)
    output = out_folder / f"{stem}.en.txt"
    output.write_bytes(translations[0].text.encode("utf-8"))  # bytes: keep \r\n exactly as the source had it
    return output, "", translations


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise TranslateError(f"The text is {size:,} bytes, over this server's limit of {max_bytes:,} bytes per "
                             f"translation: send it in smaller pieces (or use the batch CLI).")


# -------------------------------------------------------------------------------------------------- the UI
def build_ui(host: TranslatorHost, *, max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
             example: str | None = None) -> "gr.Blocks":
    """The gradio Blocks page; every model call goes through `host` (queued, one at a time)."""
    import gradio as gr

    files_folder = Path(tempfile.mkdtemp(prefix="uk-en-web-"))  # translated files and glossary downloads
    atexit.register(shutil.rmtree, files_folder, ignore_errors=True)

    def progress_reporter(progress: "gr.Progress") -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            if total > 1:
                progress((done, total), desc="Translating", unit="parts")
        return report

    def run_text(text: str, table: Any, progress: gr.Progress = gr.Progress()):
        """Ukrainian text → (English as highlighted HTML, plain English, term rows, summary)."""
        text = text or ""
        try:
            pairs = table_pairs(table)
            _check_size(len(text.encode("utf-8")), max_request_bytes)
            started = time.perf_counter()
            translation = translate_with_progress(host, [text], pairs, progress_reporter(progress))[0]
        except (TranslateError, ModelNotReady) as e:
            raise gr.Error(str(e), print_exception=False) from None
        took = time.perf_counter() - started
        return (highlight_html(translation), translation.text, terms_rows(translation.terms),
                summary([translation], took, "the text"))

    def run_file(path: str | None, table: Any, progress: gr.Progress = gr.Progress()):
        if not path:
            raise gr.Error("Choose a .txt or .jsonl file first.", print_exception=False)
        try:
            pairs = table_pairs(table)
            started = time.perf_counter()
            output, note, translations = translate_file(host, path, pairs, files_folder, max_request_bytes,
                                                        progress_reporter(progress))
        except (TranslateError, ModelNotReady) as e:
            raise gr.Error(str(e), print_exception=False) from None
        took = time.perf_counter() - started
        return str(output), " ".join(filter(None, [summary(translations, took, Path(path).name), note]))

    def load_glossary_file(path: str | None, table: Any):
        if not path:
            return gr.skip()
        try:
            new = glossary_file_pairs(path)
        except TranslateError as e:  # name the user's file, not gradio's temporary copy
            raise gr.Error(str(e).replace(str(path), Path(path).name), print_exception=False) from None
        merged = dict(_nonblank(table))
        merged.update(new)  # the file's entries replace rows with the same Ukrainian term
        return [[uk, en] for uk, en in merged.items()]

    def add_row(table: Any):
        return [list(r)[:2] for r in _rows(table)] + [["", ""]]

    def remove_last_row(table: Any):
        rows = [list(r)[:2] for r in _rows(table)]
        return rows[:-1] or [["", ""]]

    def glossary_download(table: Any):
        return str(write_tsv(_nonblank(table), files_folder))

    # delete_cache: gradio's copies of uploads and results older than a day go, checked hourly.
    with gr.Blocks(title="Ukrainian → English news translation", analytics_enabled=False,
                   delete_cache=(3600, 86400)) as demo:
        gr.Markdown("# Ukrainian → English news translation\nPaste a Ukrainian news item and press **Translate**. "
                    "Paragraphs are kept line for line; glossary terms are enforced in any inflected form.")
        with gr.Tab("Text"):
            with gr.Row(equal_height=False):
                with gr.Column():
                    source = gr.Textbox(value=example if example is not None else demo_text(), lines=16,
                                        max_lines=40, label="Ukrainian", elem_id="source")
                    translate_button = gr.Button("Translate", variant="primary", elem_id="translate")
                with gr.Column():
                    gr.HTML(LEGEND_HTML)
                    output_html = gr.HTML(label="English", elem_id="output", min_height=200)
                    status = gr.Markdown(elem_id="status")
            with gr.Accordion("Plain English (to copy) and the term report", open=False):
                output_text = gr.Textbox(label="English", lines=8, buttons=["copy"], elem_id="output-text")
                term_table = gr.Dataframe(headers=["in the text", "glossary entry", "English", "status"],
                                          label="Glossary terms found", interactive=False, wrap=True)
        with gr.Tab("File"):
            gr.Markdown("Upload a UTF-8 `.txt` file (translated whole, line layout kept) or a `.jsonl` file "
                        f"(fields {', '.join(JSONL_FIELDS)} translated, other fields kept).")
            with gr.Row():
                upload = gr.File(label="File to translate", file_types=[".txt", ".jsonl"], elem_id="file-in")
                download = gr.File(label="Translation", interactive=False, elem_id="file-out")
            file_button = gr.Button("Translate file", variant="primary")
            file_status = gr.Markdown()
        with gr.Tab("Session glossary"):
            gr.Markdown("Terms added here apply to **your** translations only, over the server's glossary "
                        "(yours win where both have a term). Ukrainian in any form: the inflections are found "
                        "automatically.")
            glossary_table = gr.Dataframe(value=[["", ""]], headers=["uk", "en"], column_count=2,
                                          datatype="str", type="array", interactive=True, label="Your terms",
                                          elem_id="glossary")
            with gr.Row():
                add_button = gr.Button("Add row", size="sm")
                remove_button = gr.Button("Remove last row", size="sm")
                glossary_upload = gr.UploadButton("Upload .tsv / .csv", file_types=[".tsv", ".csv"], size="sm")
                glossary_save = gr.DownloadButton("Download as .tsv", size="sm")
        with gr.Accordion("Model and settings", open=False):
            info = gr.Markdown()

        translate_button.click(run_text, [source, glossary_table], [output_html, output_text, term_table, status],
                               api_name="translate", concurrency_id="model")
        file_button.click(run_file, [upload, glossary_table], [download, file_status], api_name="translate_file",
                          concurrency_id="model")
        add_button.click(add_row, glossary_table, glossary_table, api_visibility="private", queue=False)
        remove_button.click(remove_last_row, glossary_table, glossary_table, api_visibility="private", queue=False)
        glossary_upload.upload(load_glossary_file, [glossary_upload, glossary_table], glossary_table,
                               api_visibility="private")
        glossary_table.change(glossary_download, glossary_table, glossary_save, api_visibility="private",
                              queue=False)
        demo.load(lambda: info_markdown(host), None, info, api_visibility="private", queue=False)
    demo.queue(default_concurrency_limit=1, max_size=64)
    return demo


def _nonblank(table: Any) -> list[tuple[str, str]]:
    rows = []
    for row in _rows(table):
        cells = [str(c).strip() if c is not None else "" for c in list(row)[:2]] + ["", ""]
        if cells[0] or cells[1]:
            rows.append((cells[0], cells[1]))
    return rows


# ------------------------------------------------------------------------------------------------ the app
def create_app(translator: "Translator | None" = None, *, host: TranslatorHost | None = None,
               api_key: str | None = None, max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
               example: str | None = None) -> "FastAPI":
    """The FastAPI app: HTTP API routes plus the gradio page mounted at `/`.

    Pass a ready `translator`, or `host` (a `TranslatorHost`, e.g. one still loading in the background).
    """
    import gradio as gr

    if (translator is None) == (host is None):
        raise TypeError("create_app takes either a translator or host=TranslatorHost(...)")
    model_host = host if host is not None else TranslatorHost(translator)
    app = create_api(model_host, api_key=api_key, max_request_bytes=max_request_bytes)
    demo = build_ui(model_host, max_request_bytes=max_request_bytes, example=example)
    # The upload limit leaves room for a JSONL file's keys around max_request_bytes of text.
    return gr.mount_gradio_app(app, demo, path="/", max_file_size=10 * max_request_bytes, ssr_mode=False,
                               footer_links=["api"], show_error=True)


# ------------------------------------------------------------------------------------------ running it
def bind_socket(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything slow happens so a busy port fails at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise PortError(f"Cannot listen on {host}:{port} ({e.strerror or e}): stop the program using it or "
                        f"pass another --port.") from None
    sock.listen(128)
    return sock


class PortError(TranslateError, OSError):
    """The server cannot listen on the address it was given."""


def serve(config: str | os.PathLike | None = None, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          api_key: str | None = None, max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, **options: Any) -> None:
    """Load the model once and serve the web demo and the HTTP API until interrupted.

    `options` are settings of `translate.config.OPTIONS` (over `config` and UKEN_* variables). The port is
    taken first and the model loads in the background while the page is built; a loading failure stops the
    server and is raised (ModelLoadError, GlossaryError, ConfigError) for the caller to report.
    """
    import uvicorn

    from translate.pipeline import Translator

    settings = load_settings(config, **options)  # ConfigError before anything slow
    sock = bind_socket(host, port)
    failure: list[BaseException] = []
    server: list[uvicorn.Server] = []

    def load() -> "Translator":
        print(f"Loading model {settings.model} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        translator = Translator.from_settings(settings)
        info = translator.info()
        print(f"Model ready in {time.perf_counter() - started:.1f} s: {info.get('engine')} on {info.get('device')}, "
              f"glossary {info.get('glossary')}.", file=sys.stderr, flush=True)
        return translator

    def stop(error: BaseException) -> None:
        failure.append(error)
        if server:
            server[0].should_exit = True

    model_host = TranslatorHost.load_in_background(load, on_error=stop)
    try:
        app = create_app(host=model_host, api_key=api_key, max_request_bytes=max_request_bytes)
        if failure:
            raise failure[0]
        server.append(uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=5)))
        if failure:  # failed while the server object was being made
            raise failure[0]
        base = f"http://{f'[{host}]' if ':' in host else host}:{sock.getsockname()[1]}"  # port 0: the one bound
        print(f"Web demo: {base}/   API: {base}/translate   docs: {base}/docs"
              + ("   (API key required)" if api_key else ""), file=sys.stderr, flush=True)
        server[0].run(sockets=[sock])
    finally:
        sock.close()
    if failure:
        raise failure[0]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="app.py", description="Web demo and LibreTranslate-compatible HTTP API for uk→en news translation.")
    parser.add_argument("--config", metavar="PATH",
                        help="TOML settings file (configs/default.toml, configs/fast.toml).")
    for option in OPTIONS:
        default = "none" if option.default is None else option.default
        choices = f" One of: {', '.join(option.choices)}." if option.choices else ""
        # Unset flags stay out of the overrides, so the config file and UKEN_* variables still apply.
        parser.add_argument("--" + option.name.replace("_", "-"), dest=option.name, default=argparse.SUPPRESS,
                            metavar=_metavar(option), help=f"{option.help}{choices} Default: {default}.")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"Address to listen on (default {DEFAULT_HOST}; "
                                                             f"0.0.0.0 exposes the server to the network).")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"Port (default {DEFAULT_PORT}).")
    parser.add_argument("--api-key", default=os.environ.get("UKEN_API_KEY") or None,
                        help="When set, POST /translate needs it (api_key in the body or 'Authorization: Bearer "
                             "KEY'). Default: the UKEN_API_KEY environment variable, else no key.")
    parser.add_argument("--max-request-bytes", type=int, default=DEFAULT_MAX_REQUEST_BYTES,
                        help=f"Largest API request body, and the most text per translation on the page "
                             f"(default {DEFAULT_MAX_REQUEST_BYTES:,}); bigger requests get 413.")
    return parser


def _metavar(option) -> str:
    if option.choices:
        return "{" + ",".join(option.choices) + "}"
    return "PATH" if option.path else option.type.__name__.upper()


def main(argv: Sequence[str] | None = None) -> int:
    """`python app.py [flags]`: serve until interrupted; 1 with a one-line message when loading fails."""
    args = vars(build_parser().parse_args(argv))
    server_args = {name: args.pop(name) for name in ("host", "port", "api_key", "max_request_bytes")}
    if server_args["max_request_bytes"] < 1:
        print("error: --max-request-bytes must be at least 1.", file=sys.stderr)
        return 2
    config = args.pop("config", None)
    try:
        serve(config, **server_args, **args)
    except TranslateError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0

"""The web demo (gradio Blocks at `/`) and the HTTP API (`translate.http_api`) in one FastAPI app.

`create_app(translator, api_key=..., max_request_bytes=...)` takes a ready `Translator` (or `host=` a
`TranslatorHost` still loading one) and returns the FastAPI app: the LibreTranslate-compatible API at
/translate, /languages, /health, /docs, and the gradio page at `/`. `serve(config, host=, port=, **options)`
loads the model once (in the background, so /health answers 503 until it is ready) and runs the server;
`main(argv)` is `python app.py`, which is `uk-en serve` (`translate.cli`): the same flags, from
`translate.config.OPTIONS` and `SERVER_OPTIONS`, and the same exit statuses.

The page: a source box pre-filled with the demo item, English output with the source's line layout and the
glossary terms highlighted (applied and missed ones distinct), a session glossary table merged over the
server's glossary for this user's calls only, a file tab (a file of any `translate.documents` format in, its
translation out), model info and the time taken. Calls are queued (one model call at a time, shared with the API).

Hardening: handlers open only files this server received as uploads (inside gradio's upload folder, symlinks
followed); with an API key the whole page sits behind gradio's login (any user name, the key as password);
page requests have the API's body limit (uploads a stated larger one), uploads and the page's own output
files are kept to a bounded count and size (oldest removed first), and the page's temporary folders are
removed when the server shuts down, on SIGTERM as on a normal exit.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hmac
import html
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

# gradio calls home at import and launch unless told not to; a translation demo has no reason to.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from translate.config import SERVER_BY_NAME, ServerSettings, load_server_settings, load_settings  # noqa: E402
from translate import documents  # noqa: E402
from translate.documents import DocumentError  # noqa: E402
from translate.documents.text import translate_in_parts  # noqa: E402
from translate.errors import GlossaryError, PortError, TranslateError  # noqa: E402
from translate.host import TranslatorHost  # noqa: E402
from translate.http_api import MAX_REQUEST_BYTES, create_api  # noqa: E402
from translate.limits import Gate  # noqa: E402
from translate.suggestions import suggestions_of  # noqa: E402

if TYPE_CHECKING:
    import gradio as gr
    from fastapi import FastAPI

    from translate.config import Settings
    from translate.pipeline import Translation, Translator
    from translate.terms import TermReport

UPLOAD_SIZE_FACTOR = 10  # an uploaded file may be this × max_request_bytes: room for a JSONL file's other fields
MULTIPART_ENVELOPE = 16_384  # an upload body's bytes beyond the file itself (multipart headers, boundaries)
FILES_KEPT = 256  # uploads (and, separately, the page's output files) kept at most; the oldest go first
BYTES_KEPT = 64 * 2**20  # … and at most this many bytes of them
APPLIED_STYLE = "background:#bbf7d0;color:#14532d;border-radius:3px;padding:0 2px"
NAME_STYLE = "background:#bfdbfe;color:#1e3a8a;border-radius:3px;padding:0 2px"  # names: blue, terms: green
MISSED_STYLE = "background:#fecaca;color:#7f1d1d;border-radius:3px;padding:0 2px;text-decoration:underline wavy"


def demo_text() -> str:
    """The demo news item shipped with the package (a NATO visit to Skopje, Ukrinform)."""
    return resources.files("translate").joinpath("examples", "nato-skopje.uk.txt").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------ text helpers
def translate_with_progress(host: TranslatorHost, texts: Sequence[str], pairs: Sequence[Sequence[str]],
                            report: Callable[[int, int], None] | None = None) -> list["Translation"]:
    """Every text translated through `host` with the caller's glossary `pairs`, in the document layer's parts
    of whole lines (`report(done, total)` after each group of parts), term offsets into each whole text."""
    return translate_in_parts(texts, lambda parts, contexts: host.translate(parts, pairs, contexts=contexts),
                              report=report, contexts=True)


def paragraph_count(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def highlight_html(translation: "Translation") -> str:
    """The English as HTML with the source's line layout; applied terms marked green, missed ones listed red,
    sentences the review flagged highlighted with their reasons on hover (translate.review.page)."""
    from translate.review import page

    body = (f'<div class="uken-output" style="line-height:1.6;{page.WRAP}">'
            f"{page.render(translation.text, [*term_marks(translation), *page.flag_marks(translation.flags)])}</div>")
    missed = [t for t in translation.terms if is_missed(t)]
    if missed:
        items = " ".join(f'<mark class="term-missed" style="{MISSED_STYLE}" title="missing from the English">'
                         f"{html.escape(t.surface)} → {html.escape(t.target)}</mark>" for t in missed)
        body += f'<p class="uken-missed">Missed terms (not in the English): {items}</p>'
    return body


def term_marks(translation: "Translation") -> list[tuple[int, int, str, str]]:
    """Each applied term's occurrences in the English: (start, end, opening <mark>, closing tag)."""
    from translate.terms import target_pattern

    text = translation.text
    spans: list[tuple[int, int, str, bool]] = []  # start, end, hover text, whether a document name
    applied: dict[str, list[str]] = {}
    names: dict[str, str] = {}  # target → how the name was rendered, for names no glossary entry covers
    for term in translation.terms:
        if term.applied:
            applied.setdefault(term.target, []).append(term.surface)
            if term.kind == "name":
                names[term.target] = term.rule
    for target in sorted(applied, key=len, reverse=True):
        title = f"{', '.join(dict.fromkeys(applied[target]))} → {target}"
        if target in names:
            title += f" (name, {names[target]})"
        for m in target_pattern(target).finditer(text):
            if all(m.end() <= s or m.start() >= e for s, e, *_ in spans):
                spans.append((m.start(), m.end(), title, target in names))
    marks = []
    for start, end, title, is_name in sorted(spans):
        kind, style = ("name-applied", NAME_STYLE) if is_name else ("term-applied", APPLIED_STYLE)
        marks.append((start, end, f'<mark class="{kind}" style="{style}" title="{html.escape(title)}">', "</mark>"))
    return marks


def review_html(source: str, translation: "Translation") -> str:
    """The review view: source and English paragraph by paragraph, flagged and term-missing ones marked."""
    from translate.review import page

    return page.review_table(source, translation, term_marks(translation))


def file_preview_html(translations: Sequence["Translation"], limit: int = 4_000) -> str:
    """The File tab's preview: the start of the translated text (terms and flags marked) and every glossary term
    it did not enforce, named."""
    not_enforced = [t for tr in translations for t in tr.terms if not t.applied]
    shown, size = [], 0
    for translation in translations:
        if size >= limit:
            break
        shown.append(highlight_html(translation))
        size += len(translation.text)
    listed = "".join(f"<li>{html.escape(t.surface)} → {html.escape(t.target)}: "
                     f"{'missing from the English' if is_missed(t) else 'not enforced (may be a common word)'}</li>"
                     for t in not_enforced)
    terms = (f'<div class="uken-not-enforced"><b>Terms not enforced ({len(not_enforced)}):</b><ul>{listed}</ul></div>'
             if not_enforced else '<p class="uken-not-enforced">Every glossary term found was enforced.</p>')
    more = f"<p>… (the first {size:,} characters; download the file for all of it)</p>" if len(shown) < len(
        translations) else ""
    return terms + "<hr>".join(shown) + more


LEGEND_HTML = (
    f'<div class="uken-legend">Glossary terms: <mark class="term-applied" style="{APPLIED_STYLE}">applied</mark> '
    f'in the English · <mark class="name-applied" style="{NAME_STYLE}">names</mark> no glossary entry covers, one '
    f'rendering at every mention · <mark class="term-missed" style="{MISSED_STYLE}">missed</mark> (listed under '
    f"the translation) · hover a term to see its source · "
    f'<span class="review-flag" style="background:#fef3c7;border-bottom:2px solid #d97706">a sentence to check</span> '
    f"(hover it for the reason; the Review view below shows it beside its source).</div>"
)


def is_missed(term: "TermReport") -> bool:
    # A weak match (a sentence-initial word that may be an ordinary one) is reported but not enforced.
    return not term.applied and not term.weak


def terms_rows(terms: Sequence["TermReport"]) -> list[list[str]]:
    return [[t.surface, t.headword, t.target,
             ("applied" if t.applied else "MISSED" if is_missed(t) else "not enforced (may be a common word)")
             + (f" · name, {t.rule}" if t.kind == "name" else "")]
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
def uploaded_file(path: str | os.PathLike, upload_folder: str | os.PathLike) -> Path:
    """`path` resolved, if it is a file inside `upload_folder` (symlinks followed, `..` resolved); else
    TranslateError. A client names the path itself, so nothing else on the server may ever be opened."""
    try:
        resolved = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):  # missing (perhaps evicted as an old upload), or a symlink loop
        raise TranslateError("The uploaded file is no longer on the server: upload it again.") from None
    if not resolved.is_relative_to(Path(upload_folder).resolve()) or not resolved.is_file():
        raise TranslateError("Only a file uploaded to this page can be opened: upload it again.")
    return resolved


def prune_files(paths: Iterable[str | os.PathLike], max_files: int = FILES_KEPT,
                max_bytes: int = BYTES_KEPT) -> set[str]:
    """Delete the oldest of `paths` until at most `max_files` of at most `max_bytes` in all remain.

    Returns the paths that are gone (deleted now or already missing), for the caller to forget.
    """
    gone, present = set(), []
    for path in map(str, paths):
        try:
            present.append((os.stat(path).st_mtime, os.path.getsize(path), path))
        except OSError:
            gone.add(path)
    count = size = 0
    for _, file_size, path in sorted(present, reverse=True):  # newest first: they stay
        count, size = count + 1, size + file_size
        if count > max_files or size > max_bytes:
            with contextlib.suppress(OSError):
                os.remove(path)
                os.rmdir(os.path.dirname(path))  # gradio keeps each upload in a folder of its own; fails if shared
            gone.add(path)
    return gone


def translate_file(host: TranslatorHost, path: str | os.PathLike, pairs: Sequence[Sequence[str]],
                   folder: Path, max_bytes: int,
                   report: Callable[[int, int], None] | None = None) -> tuple[Path, str, list["Translation"]]:
    """A file of a `translate.documents` format (by its extension) translated: (the output file, a note on what
    was translated and the lines skipped, the translations)."""
    source = Path(path)
    try:
        document = documents.read(source.read_bytes(), documents.format_of(source))
    except DocumentError as e:
        where = f"{source.name}:{e.line}" if e.line is not None else source.name
        advice = "; save it as UTF-8" if "UTF-8" in e.problem else ""
        raise TranslateError(f"{where}: {e.problem}{advice}.") from None
    _check_size(sum(len(t.encode("utf-8", "surrogatepass")) for t in document.segments()), max_bytes)
    done = documents.translate_documents(
        [document], lambda parts, contexts: host.translate(parts, pairs, contexts=contexts), report=report,
        contexts=True)[0]
    stem = re.sub(r"\.(uk)$", "", source.stem)
    output = Path(tempfile.mkdtemp(dir=folder)) / f"{stem}.en{source.suffix.lower()}"
    output.write_bytes(done.data)
    skipped = "; ".join(f"{e} (skipped)" for e in document.skipped)
    return output, " ".join(filter(None, [document.summary(), skipped])), done.translations


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise TranslateError(f"The text is {size:,} bytes, over this server's limit of {max_bytes:,} bytes per "
                             f"translation: send it in smaller pieces (or use the batch CLI).")


# -------------------------------------------------------------------------------------------------- the UI
# Page translations running at once: they all reach the host, whose batching engine decodes them together (or
# whose model lock gives them turns of a few dozen sentences, so a short one never waits for a whole long one).
PAGE_CONCURRENCY = 16


def build_ui(host: TranslatorHost, files_folder: Path, *, max_request_bytes: int = MAX_REQUEST_BYTES,
             example: str | None = None, gate: Gate | None = None) -> "gr.Blocks":
    """The gradio Blocks page; every model call goes through `host` (up to PAGE_CONCURRENCY at once).

    Translated files and glossary downloads are written under `files_folder`, which should lie in gradio's
    upload folder: gradio then serves them from there instead of keeping a second copy.
    """
    import gradio as gr
    from gradio.utils import get_upload_folder

    upload_folder = Path(get_upload_folder())  # where this page's components keep what clients upload
    outputs_lock = threading.Lock()

    def output_folder() -> Path:
        """`files_folder`, once the oldest outputs beyond the bound are deleted (each has a folder of its own)."""
        with outputs_lock:
            prune_files(p for p in files_folder.rglob("*") if p.is_file())
        return files_folder

    def opened(path: str) -> Path:
        try:
            return uploaded_file(path, upload_folder)
        except TranslateError as e:
            raise gr.Error(str(e), print_exception=False) from None

    def progress_reporter(progress: "gr.Progress") -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            if total > 1:
                progress((done, total), desc="Translating", unit="parts")
        return report

    def admit(texts: list[str], request: "gr.Request | None") -> None:
        """The server's request and character limits, per client address (AccessRefused, a TranslateError)."""
        if gate is not None:
            gate.admit_page(texts, request.client.host if request is not None and request.client else "unknown")

    def run_text(text: str, table: Any, request: gr.Request, progress: gr.Progress = gr.Progress()):
        """Ukrainian text → (English as highlighted HTML, plain English, term rows, summary)."""
        text = text or ""  # its size is held to max_request_bytes by the body limit of every page request
        try:
            admit([text], request)
            pairs = table_pairs(table)
            started = time.perf_counter()
            translation = translate_with_progress(host, [text], pairs, progress_reporter(progress))[0]
        except TranslateError as e:  # ModelNotReady and LimitError too
            raise gr.Error(str(e), print_exception=False) from None
        took = time.perf_counter() - started
        return (highlight_html(translation), translation.text, terms_rows(translation.terms),
                summary([translation], took, "the text"), (text, translation))

    def run_file(path: str | None, table: Any, request: gr.Request, progress: gr.Progress = gr.Progress()):
        if not path:
            raise gr.Error(f"Choose a {', '.join(documents.SUFFIXES)} file of up to "
                           f"{UPLOAD_SIZE_FACTOR * max_request_bytes / 1e6:g} MB first.", print_exception=False)
        source = opened(path)
        try:
            admit([], request)  # a request like any other; the file's size has its own limit
            pairs = table_pairs(table)
            started = time.perf_counter()
            output, note, translations = translate_file(host, source, pairs, output_folder(), max_request_bytes,
                                                        progress_reporter(progress))
        except TranslateError as e:  # ModelNotReady and LimitError too
            raise gr.Error(str(e), print_exception=False) from None
        took = time.perf_counter() - started
        return (str(output), " ".join(filter(None, [summary(translations, took, Path(path).name), note])),
                translations)

    # gradio passes its Request to the parameter type-hinted so, but this module's hints are strings naming
    # `gr`, which only this function imports: typing.get_type_hints cannot resolve them, so the one hint
    # gradio needs is given as the class itself.
    for handler in (run_text, run_file):
        handler.__annotations__ = {"request": gr.Request}

    def load_glossary_file(path: str | None, table: Any):
        if not path:
            return gr.skip()
        source = opened(path)
        try:
            new = glossary_file_pairs(source)
        except GlossaryError as e:  # name the user's file, not gradio's temporary copy
            raise gr.Error(str(e.naming(source.name)), print_exception=False) from None
        merged = dict(_nonblank(table))
        merged.update(new)  # the file's entries replace rows with the same Ukrainian term
        return [[uk, en] for uk, en in merged.items()]

    def add_row(table: Any):
        return [list(r)[:2] for r in _rows(table)] + [["", ""]]

    def remove_last_row(table: Any):
        rows = [list(r)[:2] for r in _rows(table)]
        return rows[:-1] or [["", ""]]

    def glossary_download(table: Any):
        return str(write_tsv(_nonblank(table), output_folder()))

    # delete_cache: uploads and results older than an hour go, checked every 10 minutes (and all at shutdown).
    with gr.Blocks(title="Ukrainian → English news translation", analytics_enabled=False,
                   delete_cache=(600, 3600)) as demo:
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
            with gr.Accordion("Review: source and English paragraph by paragraph", open=True):
                review_view = gr.HTML(elem_id="review")
            last_text = gr.State()  # (source, Translation) of the last translation, for the review view
            with gr.Accordion("Plain English (to copy) and the term report", open=False):
                output_text = gr.Textbox(label="English", lines=8, buttons=["copy"], elem_id="output-text")
                term_table = gr.Dataframe(headers=["in the text", "glossary entry", "English", "status"],
                                          label="Glossary terms found", interactive=False, wrap=True)
        with gr.Tab("File"):
            file_limit = UPLOAD_SIZE_FACTOR * max_request_bytes
            gr.Markdown(f"Upload a file of up to **{file_limit / 1e6:g} MB** (text to translate up to "
                        f"{max_request_bytes / 1e3:g} kB): UTF-8 `.txt` (line layout kept), `.html`/`.htm`, `.md`, "
                        "`.docx` or `.srt` (structure, markup, formatting and timings kept; only the text is "
                        f"translated), or `.jsonl` (fields {', '.join(documents.DEFAULT_FIELDS)} translated, every "
                        "other field kept; the same as the command line's defaults). You get the same format back.")
            with gr.Row():
                upload = gr.File(label=f"File to translate (up to {file_limit / 1e6:g} MB)",
                                 file_types=list(documents.SUFFIXES), elem_id="file-in")
                download = gr.File(label="Translation", interactive=False, elem_id="file-out")
            file_button = gr.Button("Translate file", variant="primary")
            file_status = gr.Markdown()
            file_preview = gr.HTML(label="Preview", elem_id="file-preview")
            last_file = gr.State()  # the last file's Translations, for the preview
        with gr.Tab("Session glossary"):
            gr.Markdown("Terms added here apply to **your** translations only, over the server's glossary "
                        "(yours win where both have a term). Ukrainian in any form: the inflections are found "
                        "automatically. To edit a cell, double-click it (or select it and press Enter), type, and "
                        "press Enter or click elsewhere to keep it (Escape undoes); Tab moves to the next cell.")
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

        translate_button.click(run_text, [source, glossary_table],
                               [output_html, output_text, term_table, status, last_text],
                               api_name="translate", concurrency_id="model", concurrency_limit=PAGE_CONCURRENCY).then(
            lambda last: review_html(*last) if last else "", last_text, review_view, api_visibility="private",
            queue=False)
        file_button.click(run_file, [upload, glossary_table], [download, file_status, last_file],
                          api_name="translate_file", concurrency_id="model", concurrency_limit=PAGE_CONCURRENCY).then(
            lambda last: file_preview_html(last) if last else "", last_file, file_preview, api_visibility="private",
            queue=False)
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
               example: str | None = None, **server_options: Any) -> "FastAPI":
    """The FastAPI app: HTTP API routes plus the gradio page mounted at `/`.

    Pass a ready `translator`, or `host` (a `TranslatorHost`, e.g. one still loading in the background).
    `server_options` are `translate.config.SERVER_OPTIONS` other than host and port (api_key,
    max_request_bytes, max_items, body_timeout, max_glossary_pairs, max_glossary_chars; UKEN_* variables are
    not read here). Whenever the API needs a key (api_key, require_api_key, require_api_key_origin), the page
    needs gradio's login too (any user name, the server's own api_key as password: keys of the database are
    for the API, where their own limits hold; without api_key the page cannot be opened), so no route
    translates or takes an upload without the key; the page's translations have the server's request and
    character limits per client address (translate.limits). Every request has the API's body limit except an
    upload to the page, which may carry a file of UPLOAD_SIZE_FACTOR × `max_request_bytes`.
    """
    import gradio as gr
    from gradio.route_utils import API_PREFIX
    from gradio.utils import get_upload_folder

    if (translator is None) == (host is None):
        raise TypeError("create_app takes either a translator or host=TranslatorHost(...)")
    settings = load_server_settings(environment=False, **server_options)
    model_host = host if host is not None else TranslatorHost(
        translator, max_glossary_pairs=settings.max_glossary_pairs, max_glossary_chars=settings.max_glossary_chars)
    file_bytes = UPLOAD_SIZE_FACTOR * settings.max_request_bytes
    upload_path = API_PREFIX + "/upload"
    gate = Gate.from_settings(settings)
    app = create_api(model_host, gate=gate, alternatives_limit=settings.alternatives_limit,
                     max_request_bytes=settings.max_request_bytes,
                     max_items=settings.max_items, body_timeout=settings.body_timeout,
                     path_limits={upload_path: file_bytes + MULTIPART_ENVELOPE},
                     cors_origins=settings.cors_origins, suggestions=suggestions_of(settings),
                     metrics_token=settings.metrics_token)
    upload_folder = Path(get_upload_folder())
    upload_folder.mkdir(parents=True, exist_ok=True)
    files_folder = Path(tempfile.mkdtemp(prefix="uk-en-web-", dir=upload_folder))
    remove_on_shutdown(app, files_folder)
    demo = build_ui(model_host, files_folder, max_request_bytes=settings.max_request_bytes, example=example, gate=gate)
    app.add_middleware(UploadBound, path=upload_path, uploads=demo.upload_file_set)
    gr.mount_gradio_app(app, demo, path="/", max_file_size=file_bytes, ssr_mode=False, footer_links=["api"],
                        show_error=True, auth=key_login(settings.api_key) if gate.page_needs_login else None,
                        auth_message="This server needs its API key: any user name, the key as password."
                                     if settings.api_key else "This server needs an API key, and its page opens "
                                     "only with the server's own api_key, which is not set: use the API.")
    # mount_gradio_app (unlike launch) leaves this False, and then gradio skips its check that a file a
    # client names as an input is one it uploaded: anyone could have any file on the server read back.
    demo.has_launched = True
    return app


def _app_settings(server: ServerSettings) -> dict[str, Any]:
    """`create_app`'s share of the server settings (the address and port are the socket's)."""
    return {k: v for k, v in server.__dict__.items() if k not in ("host", "port")}


def key_login(api_key: str | None) -> Callable[[str, str], bool]:
    """gradio's login check: any user name, the API key as password (compared in constant time). Only the
    server's own `api_key` opens the page: a key of the database has limits of its own, which the page's
    session (it knows a user name, not a key) could not hold it to. Without `api_key`, nothing opens it."""
    expected = api_key.encode("utf-8", "surrogatepass") if api_key else None

    def check(username: str, password: str) -> bool:
        if expected is None:
            return False
        return hmac.compare_digest(str(password).encode("utf-8", "surrogatepass"), expected)

    return check


class UploadBound:
    """ASGI middleware: before each upload to the page, the oldest uploads beyond the bound are deleted.

    `uploads` is gradio's record of the files this page received (the Blocks' `upload_file_set`), so
    files of anything else sharing gradio's upload folder are never touched.
    """

    def __init__(self, app: Callable, path: str, uploads: set[str]):
        self.app = app
        self.path = path
        self.uploads = uploads

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and scope.get("path", "").rstrip("/") == self.path:
            self.uploads.difference_update(prune_files(list(self.uploads)))
        await self.app(scope, receive, send)


def remove_on_shutdown(app: "FastAPI", folder: Path) -> None:
    """Delete `folder` when `app` shuts down, else at interpreter exit.

    uvicorn ends the lifespan on SIGTERM as on Ctrl-C, but then re-raises SIGTERM, which kills the process
    before atexit handlers run: the lifespan is the one place both paths pass.
    """
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    lifespan = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def removing(running_app: Any):
        try:
            async with lifespan(running_app) as state:
                yield state
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    app.router.lifespan_context = removing


def announce_when_ready(app: "FastAPI", host: TranslatorHost, message: str, poll_s: float = 0.1) -> None:
    """Print `message` on stderr once `app` is serving and `host`'s model has loaded; never if loading fails.

    Printed from the app's lifespan, so never before the server runs; the model's state is polled rather
    than waited for in a thread, which would keep a stopping server waiting for a slow load.
    """
    lifespan = app.router.lifespan_context

    async def announce() -> None:
        while not host.wait(0):
            await asyncio.sleep(poll_s)
        if host.state == "ready":
            print(message, file=sys.stderr, flush=True)

    @contextlib.asynccontextmanager
    async def announcing(running_app: Any):
        async with lifespan(running_app) as state:
            task = asyncio.create_task(announce())
            try:
                yield state
            finally:
                task.cancel()

    app.router.lifespan_context = announcing


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


def serving_translator(settings: "Settings", server: ServerSettings) -> "Translator":
    """The server's Translator: its engine batches concurrent requests over `server.workers` replicas, unless
    `batch_wait_ms` is 0 (then requests take the one model in turns)."""
    from translate.pipeline import Translator, load_glossary

    if server.batch_wait_ms == 0 and server.workers == 1:
        return Translator.from_settings(settings)
    from translate.engines.batching import load_batching_engine

    glossary = load_glossary(settings.glossary, settings.add_glossary)  # first: a bad glossary fails fast
    engine = load_batching_engine(settings, workers=server.workers, wait_ms=server.batch_wait_ms)
    return Translator.from_settings(settings, engine=engine, glossary=glossary)


def serve(config: str | os.PathLike | None = None, **options: Any) -> None:
    """Load the model once and serve the web demo and the HTTP API until interrupted.

    `options` are settings of `translate.config.SERVER_OPTIONS` (host, port, api_key, limits; over UKEN_*
    variables) and of `translate.config.OPTIONS` (over `config` and UKEN_* variables). The port is taken first
    and the model loads in the background while the page is built; a loading failure stops the server and is
    raised (ModelLoadError, GlossaryError, ConfigError) for the caller to report.
    """
    import uvicorn

    server_settings = load_server_settings(**{k: options.pop(k) for k in list(options) if k in SERVER_BY_NAME})
    settings = load_settings(config, **options)  # ConfigError before anything slow
    sock = bind_socket(server_settings.host, server_settings.port)
    failure: list[BaseException] = []
    server: list[uvicorn.Server] = []

    def load() -> "Translator":
        print(f"Loading model {settings.model} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        translator = serving_translator(settings, server_settings)
        info = translator.info()
        print(f"Model ready in {time.perf_counter() - started:.1f} s: {info.get('engine')} on {info.get('device')}, "
              f"glossary {info.get('glossary')}.", file=sys.stderr, flush=True)
        return translator

    def stop(error: BaseException) -> None:
        failure.append(error)
        if server:
            server[0].should_exit = True

    model_host = TranslatorHost.load_in_background(load, on_error=stop,
                                                   max_glossary_pairs=server_settings.max_glossary_pairs,
                                                   max_glossary_chars=server_settings.max_glossary_chars)
    # gradio's upload folder, shared by every gradio app of this user by default, becomes this server's own,
    # so that it goes whole when the server stops. gradio reads the variable when the page is built.
    saved_temp_dir = os.environ.get("GRADIO_TEMP_DIR")
    gradio_folder = Path(tempfile.mkdtemp(prefix="uk-en-web-gradio-", dir=saved_temp_dir))
    os.environ["GRADIO_TEMP_DIR"] = str(gradio_folder)
    try:
        app = create_app(host=model_host, **_app_settings(server_settings))
        remove_on_shutdown(app, gradio_folder)
        if failure:
            raise failure[0]
        address = server_settings.host
        base = f"http://{f'[{address}]' if ':' in address else address}:{sock.getsockname()[1]}"  # port 0: the one bound
        announce_when_ready(app, model_host, f"Web demo: {base}/   API: {base}/translate   docs: {base}/docs"
                            + ("   (API key required)" if server_settings.api_key or server_settings.require_api_key else ""))
        server.append(uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=5)))
        if failure:  # failed while the server object was being made
            raise failure[0]
        server[0].run(sockets=[sock])
    finally:
        sock.close()
        if saved_temp_dir is None:
            os.environ.pop("GRADIO_TEMP_DIR", None)
        else:
            os.environ["GRADIO_TEMP_DIR"] = saved_temp_dir
        shutil.rmtree(gradio_folder, ignore_errors=True)
    if failure:
        raise failure[0]


def main(argv: Sequence[str] | None = None) -> int:
    """`python app.py [flags]`: exactly `uk-en serve [flags]` (same flags, same exit statuses)."""
    from translate.cli import serve_main

    return serve_main(list(sys.argv[1:] if argv is None else argv))

"""Word documents (.docx): the file's bytes in, the same document with its text in English out.

Takes a DOCX file; `DocxDocument(data).segments()` are the texts of its paragraphs — in the body, in tables
(nested ones too), in text boxes, in headers and footers — cut at line breaks and tabs, and the texts of
their differently formatted runs and hyperlinks; `rebuild(translations)` the document's bytes with only the
text of each `w:t` element replaced. Every paragraph, run, table, style, image, field code, section and
property stays where and as it was: run and paragraph counts and formatting are the input's. Runs formatted
differently from the paragraph's main text (bold, italic, a character style…) and hyperlinks come out around
the corresponding English words (`translate.documents.inline`); the rest of the English is shared among the
runs of the main formatting, by their source lengths. Term offsets index the blocks' texts joined by "\\n".

The parser is python-docx (on lxml): it opens the package and its header and footer parts; the paragraphs'
runs are read from its XML elements. A file that is not a ZIP package, or lacks or damages the main document
part, raises DocumentError.
"""

from __future__ import annotations

import io
import zipfile
from copy import deepcopy
from typing import Any, Sequence

from lxml import etree

from translate.documents.document import DocumentError
from translate.documents.inline import Mark, Run, Runs, Text, has_letters, split_balanced

NAME = "docx"
SUFFIXES = (".docx",)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAKS = {_W + "br", _W + "cr", _W + "tab", _W + "ptab"}  # end a block, as <br> does in HTML
_PARTS = ("document.main", "header", "footer", "footnotes", "endnotes")
_NO_FORMAT = {_W + "lang", _W + "noProof", _W + "rFonts", _W + "szCs"}  # not a visible difference


def _key(run: Any) -> bytes:
    """A run's formatting, as what a reader can see of it."""
    props = run.find(_W + "rPr")
    if props is None:
        return b""
    props = deepcopy(props)
    for child in list(props):
        if child.tag in _NO_FORMAT or child.tag is etree.Comment:
            props.remove(child)
    return etree.tostring(props, method="c14n")


def _paragraph_of(element: Any) -> Any:
    while element is not None and element.tag != _W + "p":
        element = element.getparent()
    return element


class _Slot:
    """One w:t element: its run's formatting and hyperlink."""

    def __init__(self, t: Any, key: bytes, link: Any):
        self.t, self.key, self.link = t, key, link
        self.text = t.text or ""


class DocxDocument:
    def __init__(self, data: bytes):
        import docx
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise DocumentError("not a DOCX file (not a ZIP package)")
        try:
            self.package = docx.Document(io.BytesIO(data))
        except Exception as e:  # noqa: BLE001 — python-docx and lxml raise many types for a damaged package
            detail = e.args[0] if isinstance(e, KeyError) and e.args else f"{type(e).__name__}: {e}"  # a missing part
            raise DocumentError(f"a damaged DOCX file ({detail})") from None
        self.skipped: list[DocumentError] = []
        self.blocks: list[list[_Slot]] = []
        self.gaps: list[list[list[_Slot]]] = []  # per block: the slots in each text gap between its marks
        runs: list[Run] = []
        for part in self.package.part.package.iter_parts():
            element = getattr(part, "element", None)
            if element is None or not any(part.content_type.endswith(f"{name}+xml") for name in _PARTS):
                continue
            for paragraph in element.iter(_W + "p"):
                for block in self._blocks(paragraph):
                    run, gaps = self._run(block)
                    if has_letters(run.text):
                        self.blocks.append(block)
                        self.gaps.append(gaps)
                        runs.append(run)
        self.runs = Runs(runs)

    @staticmethod
    def _blocks(paragraph: Any) -> list[list[_Slot]]:
        blocks: list[list[_Slot]] = [[]]
        for element in paragraph.iter(_W + "t", *_BREAKS):
            run = element.getparent()
            if run.tag != _W + "r" or _paragraph_of(run) is not paragraph:
                continue  # a text box's paragraph is read on its own; w:t outside runs is not text
            if element.tag in _BREAKS:
                blocks.append([])
                continue
            link = run.getparent() if run.getparent().tag == _W + "hyperlink" else None
            blocks[-1].append(_Slot(element, _key(run), link))
        return [b for b in blocks if b]

    @staticmethod
    def _run(block: list[_Slot]) -> tuple[Run, list[list[_Slot]]]:
        weight: dict[bytes, int] = {}
        for slot in block:
            weight[slot.key] = weight.get(slot.key, 0) + len(slot.text)
        main = max(weight, key=weight.get)
        pieces: list[Text | Mark] = []
        gaps: list[list[_Slot]] = [[]]
        link = group = None
        for slot in block:
            own = slot.key if slot.key != main else None
            if (slot.link, own) != (link, group):
                if group is not None:
                    pieces.append(Mark("close", "run"))
                    gaps.append([])
                if slot.link is not link:
                    if link is not None:
                        pieces.append(Mark("close", "link"))
                        gaps.append([])
                    if slot.link is not None:
                        pieces.append(Mark("open", "link"))
                        gaps.append([])
                if own is not None:
                    pieces.append(Mark("open", "run"))
                    gaps.append([])
                link, group = slot.link, own
            pieces.append(Text(slot.text))
            gaps[-1].append(slot)
        if group is not None:
            pieces.append(Mark("close", "run"))
            gaps.append([])
        if link is not None:
            pieces.append(Mark("close", "link"))
            gaps.append([])
        return Run(pieces), gaps

    def segments(self) -> list[str]:
        return self.runs.segments()

    def rebuild(self, translations: Sequence[Any]) -> bytes:
        for texts, gaps, block in zip(self.runs.english(translations), self.gaps, self.blocks):
            new = {id(slot): "" for slot in block}
            for text, slots in zip(texts, gaps):
                if slots:
                    for slot, part in zip(slots, split_balanced(text, [max(len(s.text), 1) for s in slots])):
                        new[id(slot)] += part
                elif text:  # English between two marks where the source had no text: a run next to it takes it
                    new[id(self._neighbour(gaps, slots))] += text
            for slot in block:
                slot.t.text = new[id(slot)]
                slot.t.set(_XML_SPACE, "preserve")
        out = io.BytesIO()
        self.package.save(out)
        return out.getvalue()

    @staticmethod
    def _neighbour(gaps: list[list[_Slot]], empty: list[_Slot]) -> _Slot:
        """The slot just before the gap `empty` (the one after it when there is none before)."""
        index = next(i for i, g in enumerate(gaps) if g is empty)
        before = [s for g in gaps[:index] for s in g]
        return before[-1] if before else next(s for g in gaps[index:] for s in g)

    def terms(self, translations: Sequence[Any]) -> list:
        return self.runs.terms(translations)

    def text_count(self) -> int:
        return len(self.runs.runs)

    def summary(self) -> str:
        return self.runs.summary("paragraphs and cells")


def read(data: bytes, *, fields: Sequence[str] = ()) -> DocxDocument:
    """`data` as a Word document (`fields` is JSONL's option)."""
    return DocxDocument(data)

"""The review on the web page: flagged sentences marked in the English, and the side-by-side review view.

Takes a text, its marks (character spans with the HTML that opens and closes each: a glossary term's
`<mark>`) and a `Translation`'s review flags; `render` returns HTML with every flagged sentence wrapped in
a highlighted span whose hover text is its reasons, the marks inside it. `review_table` takes the
Ukrainian source and its `Translation` and returns the review view: one table row per paragraph (the
pipeline keeps the source's lines, so line i of the English is paragraph i's), the source on the left
with each glossary term the English lacks marked red, the English on the right with its flags, and each
flagged paragraph's reasons listed under it. Long unbroken strings (URLs, a degenerate run without spaces)
wrap inside their column.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from translate.pipeline import Translation
    from translate.review.flags import Flag
    from translate.terms import TermReport

Mark = tuple[int, int, str, str]  # start, end, opening HTML, closing HTML

FLAG_STYLE = ("background:#fef3c7;border-bottom:2px solid #d97706;border-radius:2px;cursor:help")
MISSED_SOURCE_STYLE = "background:#fecaca;color:#7f1d1d;border-radius:3px;padding:0 2px"
WRAP = "white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word"  # long unbroken strings wrap
FLAGGED_ROW = "border-left:4px solid #d97706"
CELL = f"vertical-align:top;padding:6px 8px;width:50%;line-height:1.6;{WRAP}"


def flag_marks(flags: Sequence["Flag"]) -> list[Mark]:
    """One mark per flagged sentence, its reasons (all of its flags) as the hover text."""
    reasons: dict[tuple[int, int], list[str]] = {}
    for f in flags:
        reasons.setdefault((f.sentence_start, f.sentence_end), []).append(f"{f.kind}: {f.reason}")
    return [(start, end, f'<span class="review-flag" style="{FLAG_STYLE}" title="{html.escape(" · ".join(why))}">',
             "</span>") for (start, end), why in reasons.items() if end > start]


def render(text: str, marks: Sequence[Mark], lo: int = 0, hi: int | None = None) -> str:
    """`text[lo:hi]` as HTML with `marks` applied; a mark nests inside a longer one, and one that would cross
    another's edge (or leave the range) is left out."""
    hi = len(text) if hi is None else hi
    inside = sorted((m for m in marks if lo <= m[0] and m[1] <= hi and m[1] > m[0]), key=lambda m: (m[0], -m[1]))
    out: list[str] = []
    stack: list[Mark] = []
    position = lo
    for mark in inside:
        while stack and stack[-1][1] <= mark[0]:
            closed = stack.pop()
            out.append(html.escape(text[position:closed[1]]) + closed[3])
            position = closed[1]
        if stack and mark[1] > stack[-1][1]:
            continue  # crosses the edge of the mark it starts in
        if mark[0] < position:
            continue  # overlaps one already closed
        out.append(html.escape(text[position:mark[0]]) + mark[2])
        position = mark[0]
        stack.append(mark)
    while stack:
        closed = stack.pop()
        out.append(html.escape(text[position:closed[1]]) + closed[3])
        position = closed[1]
    out.append(html.escape(text[position:hi]))
    return "".join(out)


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of `text`, its line break left out."""
    spans, position = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((position, position + len(line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"))))
        position += len(line)
    return spans


def review_table(source: str, translation: "Translation", english_marks: Sequence[Mark] = ()) -> str:
    """The review view: source and English paragraph by paragraph, flagged paragraphs marked and explained."""
    missed = [t for t in translation.terms if not t.applied and not t.weak]
    source_marks = [(t.start, t.end, f'<mark class="term-missed" style="{MISSED_SOURCE_STYLE}" '
                     f'title="{html.escape(_missing(t))}">', "</mark>") for t in missed]
    marks = [*english_marks, *flag_marks(translation.flags)]
    rows = []
    english_lines = line_spans(translation.text)
    for i, (s_lo, s_hi) in enumerate(line_spans(source)):
        if not source[s_lo:s_hi].strip():
            continue
        e_lo, e_hi = english_lines[i] if i < len(english_lines) else (len(translation.text),) * 2
        flags = [f for f in translation.flags if e_lo <= f.sentence_start < max(e_hi, e_lo + 1)]
        terms = [t for t in missed if s_lo <= t.start < s_hi]
        notes = [f"{f.kind}: {f.reason}" for f in flags] + [_missing(t) for t in terms]
        english = render(translation.text, marks, e_lo, e_hi)
        if notes:
            english += ('<ul class="review-reasons" style="margin:4px 0 0 1em;font-size:90%;color:#92400e">'
                        + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>")
        row_style = FLAGGED_ROW if notes else ""
        rows.append(f'<tr class="{"review-flagged" if notes else "review-ok"}" style="{row_style}">'
                    f'<td class="review-source" style="{CELL}">{render(source, source_marks, s_lo, s_hi)}</td>'
                    f'<td class="review-english" style="{CELL}">{english}</td></tr>')
    flagged = sum(1 for r in rows if 'class="review-flagged"' in r)
    heading = (f'<p class="review-summary">{flagged} of {len(rows)} paragraph{"s" * (len(rows) != 1)} to check '
               "(marked on the left edge; hover a highlighted sentence for its reason).</p>")
    return (heading + '<table class="uken-review" style="width:100%;table-layout:fixed;border-collapse:collapse">'
            '<thead><tr><th style="text-align:left">Ukrainian</th><th style="text-align:left">English</th></tr>'
            "</thead><tbody>" + "".join(rows) + "</tbody></table>")


def _missing(term: "TermReport") -> str:
    return f"term: the glossary term “{term.surface}” → “{term.target}” is not in the English"

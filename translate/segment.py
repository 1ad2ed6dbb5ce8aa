"""Split a news item into paragraphs and sentences, recording its layout so the English can be put back exactly.

    layout = segment(text, max_tokens=200, count_tokens=None)   # text: any str
    layout.sentences    # list[Sentence], in text order
    layout.paragraphs   # number of non-blank lines
    layout.join(translations) -> str

Takes any string (control, zero-width, bidi and emoji characters included; it never raises on a
str) and returns a `Layout`:

* **Paragraph = one line.** Lines end at every `str.splitlines()` separator (`\\r\\n`, `\\n`, `\\r`,
  `\\x0b`, `\\x0c`, `\\x1c`-`\\x1e`, `\\x85`, `\\u2028`, `\\u2029`). News items are one paragraph per
  line, so a hard-wrapped paragraph is *not* re-joined: each of its lines is translated on its own.
  That is the chosen contract; it is what keeps the line count of the English equal to the source's.
* Inside a line, leading/trailing whitespace (NBSP and the other Unicode spaces included) and the
  whitespace between sentences stay in the layout; each `Sentence` is `text[start:end]` exactly,
  with offsets into the original text. `Sentence.paragraph` is the index of its non-blank line.
* Sentences are split by tokenize_uk 2.0 (LanguageTool's Ukrainian SRX rules, via choppa-srx),
  which won `benchmarks/splitters.py` against sentencex, pysbd (ru), razdel and naive splitting,
  plus two small post-fixes (see `_merge`). Where in doubt we prefer *not* to split: two sentences
  translated together cost little, a sentence cut in half is translated badly.
* `translatable` is False for a piece with no letters at all (numbers, punctuation, emoji): the
  pipeline copies it verbatim.
* A sentence with `count_tokens(s) > max_tokens` is chunked so that no text is ever truncated: at
  clause boundaries (`,` `;` `:` and spaced dashes) first, then at whitespace, then — a single
  over-long "word" — between characters (never inside a combining sequence, emoji ZWJ sequence,
  flag or surrogate pair). Chunks are consecutive `Sentence`s covering every character once.

`Layout.join(translations)` (one string per sentence) rebuilds the text: every layout character of
the source kept, each sentence replaced by its translation, line-break characters inside a
translation turned into spaces so the line count can never change; an empty translation keeps the
source sentence.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Layout", "Sentence", "segment", "estimate_tokens"]

log = logging.getLogger(__name__)

# Exactly the separators str.splitlines() uses; \r\n first so it counts as one break.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass(frozen=True)
class Sentence:
    """One unit for the engine: `text == source[start:end]`."""

    text: str
    start: int
    end: int
    translatable: bool  # False: no letters at all, copy verbatim
    paragraph: int  # index of the non-blank line it is on


@dataclass(frozen=True, eq=False)
class Layout:
    """The source text plus its sentences; everything outside the sentences is layout."""

    text: str
    sentences: list[Sentence]
    paragraphs: int

    def join(self, translations: Sequence[str]) -> str:
        """The source with each sentence replaced by its translation (aligned 1:1) and all layout kept.

        Line breaks inside a translation become spaces; an empty translation keeps the source sentence.
        """
        if isinstance(translations, str):
            raise TypeError("join takes one translation per sentence, not a single str")
        translations = list(translations)
        if len(translations) != len(self.sentences):
            raise ValueError(f"expected {len(self.sentences)} translations (one per sentence), "
                             f"got {len(translations)}")
        out, pos = [], 0
        for i, (sentence, english) in enumerate(zip(self.sentences, translations)):
            if not isinstance(english, str):
                raise TypeError(f"translation {i} is {type(english).__name__}, not str")
            out.append(self.text[pos:sentence.start])
            # An empty translation keeps the source sentence: nothing vanishes, and a last line
            # can't disappear (for str.splitlines(), "a\nb" is two lines but "a\n" is one).
            out.append(_LINE_BREAK.sub(" ", english) or sentence.text)
            pos = sentence.end
        out.append(self.text[pos:])
        return "".join(out)

    def starts(self, translations: Sequence[str]) -> list[int]:
        """Where each sentence's translation begins in `join(translations)` (to place offsets into the English)."""
        starts, length, pos = [], 0, 0
        for sentence, english in zip(self.sentences, translations):
            length += sentence.start - pos
            starts.append(length)
            length += len(_LINE_BREAK.sub(" ", english) or sentence.text)
            pos = sentence.end
        return starts


# ---------------------------------------------------------------------------------------------
# token estimate

_ALNUM = re.compile(r"[^\W_]")
_SPACE = re.compile(r"\s")


def estimate_tokens(text: str) -> int:
    """Cheap upper-ish estimate of Marian SentencePiece tokens, used when no real counter is given.

    Assumes roughly 4 letters/digits per subword piece for Ukrainian with a ~60k OPUS-MT vocabulary
    (an assumption: no real tokenizer is reachable offline to measure it) and counts 3, to err on the
    long side. Punctuation, symbols and emoji count one piece each, plus one for `</s>`. Roughly
    additive over whitespace-separated pieces. The pipeline passes the engine's real counter, so
    this matters only for standalone use.
    """
    alnum = len(_ALNUM.findall(text))
    other = len(text) - alnum - len(_SPACE.findall(text))
    return math.ceil(alnum / 3) + other + 1


# ---------------------------------------------------------------------------------------------
# sentence splitting inside one line


@functools.lru_cache(maxsize=1)
def _splitter() -> Callable[[str], list[tuple[str, int, int]]]:
    # Imported on first use: tokenize_uk compiles its rules lazily too (~0.3 s on the first call).
    from tokenize_uk import tokenize_sents_with_spans

    return tokenize_sents_with_spans


# Post-fix 1: the next piece starts with a dash and a lowercase word (`«…?» – запитав він.`,
# `"…" - сказав він.`): a dialogue attribution, part of the quote's sentence. LanguageTool's rules
# handle this after «», but split after straight and curly quotes. A piece starting with `,;:` is
# likewise never a sentence.
_CONTINUATION = re.compile(r"[-\u2010-\u2015\u2212]+\s*([^\W\d_])|[,;:]")
# Post-fix 2: the Ukrinform-style editorial note `(парламенту – ред.) Північної …` — the rules end
# a sentence at `.)` before a capital. Notes marked ред./авт./прим./перекл. sit mid-sentence.
_EDITORIAL_NOTE = re.compile(r"(?<![^\W\d_])(?:ред|авт|прим|перекл)\.\)$")


def _merge(prev: str, nxt: str) -> bool:
    """True when the boundary between `prev` and `nxt` (two library sentences) is a false split."""
    m = _CONTINUATION.match(nxt)
    if m and (m.group(1) is None or m.group(1).islower()):
        return True
    return _EDITORIAL_NOTE.search(prev) is not None


def _split_line(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line's content (no leading/trailing whitespace, no line breaks)."""
    try:
        starts = [start for _, start, _ in _splitter()(line)]
    except Exception:  # the rules never raised in testing; if they do, the line is one sentence
        log.warning("sentence splitter failed; keeping the line as one sentence", exc_info=True)
        starts = []
    # Only the library's start offsets are used, so whatever it returns, every character of the
    # line ends up in exactly one sentence or in the whitespace between two.
    cuts = sorted({s for s in starts if 0 < s < len(line)})
    spans: list[tuple[int, int]] = []
    for a, b in zip([0] + cuts, cuts + [len(line)]):
        piece = line[a:b]
        a, b = a + len(piece) - len(piece.lstrip()), a + len(piece.rstrip())
        if b <= a:
            continue
        if spans and _merge(line[spans[-1][0]:spans[-1][1]], line[a:b]):
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


# ---------------------------------------------------------------------------------------------
# chunking over-long sentences

# Clause gaps: whitespace after , ; : and whitespace before a spaced dash (the dash opens the next chunk).
_CLAUSE_GAP = re.compile(r"(?<=[,;:])\s+|\s+(?=[-\u2012-\u2015]\s)")
_WORD = re.compile(r"\S+")


def _clause_units(text: str, a: int, b: int) -> list[tuple[int, int]]:
    units, pos = [], a
    for m in _CLAUSE_GAP.finditer(text, a, b):
        if m.start() > pos:
            units.append((pos, m.start()))
        pos = m.end()
    if pos < b:
        units.append((pos, b))
    return units


def _word_units(text: str, a: int, b: int) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text, a, b)]


def _joins_previous(text: str, i: int) -> bool:
    """True when text[i] must stay with text[i-1] (a character cut would break a visible character)."""
    ch, prev = text[i], text[i - 1]
    cp = ord(ch)
    if unicodedata.category(ch)[0] == "M":  # combining marks, variation selectors
        return True
    if ch in "\u200c\u200d" or prev == "\u200d":  # ZWJ sequences (emoji families etc.)
        return True
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:  # skin tones, tag sequences
        return True
    if 0xDC00 <= cp <= 0xDFFF and 0xD800 <= ord(prev) <= 0xDBFF:  # a surrogate pair kept as two code points
        return True
    if 0x1F1E6 <= cp <= 0x1F1FF:  # regional indicators pair up into flags
        run = 0
        while i - 1 - run >= 0 and 0x1F1E6 <= ord(text[i - 1 - run]) <= 0x1F1FF:
            run += 1
        return run % 2 == 1
    return False


def _char_units(text: str, a: int, b: int) -> list[tuple[int, int]]:
    units, pos = [], a
    for i in range(a + 1, b):
        if not _joins_previous(text, i):
            units.append((pos, i))
            pos = i
    units.append((pos, b))
    return units


_LEVELS = (_clause_units, _word_units, _char_units)


def _chunk(text: str, a: int, b: int, count: Callable[[str], int], limit: int, level: int = 0) -> list[tuple[int, int]]:
    """Cut text[a:b] (known to be over `limit`) into spans that each fit, at the coarsest level possible.

    Greedy packing with galloping + binary search on the number of units per chunk: count() is
    called O(log k) times per chunk on strings at most twice the chunk, so a 3,000-word paragraph
    costs a few hundred calls, and no assumption is made that token counts add up.
    """
    while level < len(_LEVELS):
        units = _LEVELS[level](text, a, b)
        if len(units) > 1:
            break
        level += 1
    else:
        return [(a, b)]  # one indivisible character: over the limit, but never dropped

    out: list[tuple[int, int]] = []
    i, n = 0, len(units)
    while i < n:
        def fits(k: int) -> bool:
            return count(text[units[i][0]:units[i + k - 1][1]]) <= limit

        if not fits(1):
            out += _chunk(text, units[i][0], units[i][1], count, limit, level + 1)
            i += 1
            continue
        lo, hi = 1, 2  # fits(lo) is known true; hi is a failure or past the end
        while i + hi <= n and fits(hi):
            lo, hi = hi, hi * 2
        hi = min(hi, n - i + 1)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if fits(mid):
                lo = mid
            else:
                hi = mid
        out.append((units[i][0], units[i + lo - 1][1]))
        i += lo
    return out


# ---------------------------------------------------------------------------------------------


def _has_letter(s: str) -> bool:
    return any(ch.isalpha() for ch in s)


def segment(text: str, *, max_tokens: int = 200, count_tokens: Callable[[str], int] | None = None) -> Layout:
    """Paragraphs (lines) and sentences of `text`, over-long sentences chunked to `max_tokens`.

    `count_tokens` is the engine's source-token counter; None uses `estimate_tokens`.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    count = count_tokens or estimate_tokens
    sentences: list[Sentence] = []
    paragraph = 0
    pos = 0
    for line_end in [m.start() for m in _LINE_BREAK.finditer(text)] + [len(text)]:
        line = text[pos:line_end]
        content = line.strip()
        if content:
            offset = pos + len(line) - len(line.lstrip())
            for a, b in _split_line(content):
                a, b = a + offset, b + offset
                spans = [(a, b)] if count(text[a:b]) <= max_tokens else _chunk(text, a, b, count, max_tokens)
                for s, e in spans:
                    piece = text[s:e]
                    sentences.append(Sentence(piece, s, e, _has_letter(piece), paragraph))
            paragraph += 1
        # skip the separator itself (\r\n is two characters)
        pos = line_end + (2 if text.startswith("\r\n", line_end) else 1)
    return Layout(text, sentences, paragraph)

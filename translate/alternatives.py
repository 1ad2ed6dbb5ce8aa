"""Alternative translations (the API's `alternatives: N`): other English renderings from the engine's n-best.

`nbest(engine, sources, count, turns)` takes sentences and returns up to `count` distinct hypotheses per
sentence, best first, from the engine's `translate_nbest` (beam search's n-best list: transformers'
`num_return_sequences`, CTranslate2's `num_hypotheses`), a turn of `turns.size` sentences at a time.
`compose(main, options, n, join)` takes a text's pieces (its sentences, or its parts) in their English and
each piece's alternatives, and returns up to `n` whole-text alternatives: the k-th takes every piece's k-th
alternative (a piece with fewer keeps its main English), none equal to the main text or to another.
The pipeline enforces the glossary in every hypothesis exactly as in the main translation (its repair stage)
before composing.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from translate.errors import TranslateError


def nbest(engine: Any, sources: Sequence[str], count: int, turns: Any) -> list[list[str]]:
    """Up to `count` hypotheses per source; repeated sources decoded once."""
    decode = getattr(engine, "translate_nbest", None)
    if decode is None:
        raise TranslateError(f"The {getattr(engine, 'name', 'current')} engine gives no alternatives.")
    unique = list(dict.fromkeys(sources))
    step = turns.size or len(unique) or 1
    found: dict[str, list[str]] = {}
    for i in range(0, len(unique), step):
        part = unique[i:i + step]
        with turns.turn():
            found.update(zip(part, decode(part, count)))
    return [found[s] for s in sources]


def compose(main: Sequence[str], options: Sequence[Sequence[str]], n: int,
            join: Callable[[list[str]], str]) -> list[str]:
    """Up to `n` distinct whole texts other than `join(main)`, the k-th from each piece's k-th option."""
    whole = join(list(main))
    found: list[str] = []
    for k in range(max((len(o) for o in options), default=0)):
        text = join([o[k] if k < len(o) else m for m, o in zip(main, options)])
        if text != whole and text not in found:
            found.append(text)
        if len(found) == n:
            break
    return found

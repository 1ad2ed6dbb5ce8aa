"""Document names benchmark: are the names `translate.names` finds real names, are their mentions grouped
right, and what do they cost?

    python benchmarks/names_precision.py            # UKEN_EVAL_DIR (default ../shared/eval) for FLORES/NTREX

1. **Precision of detected groups** on FLORES-200 dev+devtest, NTREX-128 (each article one document) and the
   demo item, with the shipped glossary on (as users run it: its entries are not names): every group found is
   looked up in benchmarks/data/names_judged.tsv, where each was judged by hand (a proper name or not). Groups
   the file does not know yet (after a change to the rules) are listed to be judged. Target ≥ 0.97.
2. **Mentions grouped correctly** on benchmarks/data/names_items.txt, hand-written Ukrainian news items with
   every name mention marked [surface|person or place]: a mention counts when it is found with exactly its span
   and lands in the group of every other mention of the same person or place, and of no other. Measured
   without a glossary (the names mechanism alone) and with the shipped one (mentions the glossary covers count
   as handled). Target ≥ 0.90. The Ukrainian names' romanisations are checked against the marked English.
3. **Cost** per 1,000 words: the name finding alone, and a whole translation with names on vs off on a
   random-weight model of the base architecture (tests/random_marian.py), extra decodes of foreign names
   included (a random model never writes a usable name, so each is decoded and then romanised).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from translate.glossary import Glossary  # noqa: E402
from translate.names import NameBook  # noqa: E402
from translate.segment import segment  # noqa: E402

EVAL = Path(os.environ.get("UKEN_EVAL_DIR", ROOT.parent / "shared" / "eval"))
DATA = ROOT / "benchmarks" / "data"
MARK = re.compile(r"\[([^|\]]+)\|([^\]]+)\]")


def corpus_documents() -> list[str]:
    """FLORES-200 dev+devtest and NTREX-128 articles (consecutive sentences of one source), and the demo item."""
    if not (EVAL / "flores200").is_dir():
        sys.exit(f"FLORES-200 not found under {EVAL}: set UKEN_EVAL_DIR to the folder with flores200/ and ntrex128/")
    docs: list[str] = []
    for split in ("dev", "devtest"):
        lines = (EVAL / "flores200" / f"{split}.uk").read_text(encoding="utf-8").splitlines()
        urls = [row.split("\t")[0] for row in
                (EVAL / "flores200" / f"metadata_{split}.tsv").read_text(encoding="utf-8").splitlines()[1:]]
        docs += _grouped(urls, lines)
    ntrex = EVAL / "ntrex128"
    docs += _grouped((ntrex / "ntrex128.docids").read_text(encoding="utf-8").splitlines(),
                     (ntrex / "ntrex128.uk").read_text(encoding="utf-8").splitlines())
    docs.append((ROOT / "translate" / "examples" / "nato-skopje.uk.txt").read_text(encoding="utf-8"))
    return docs


def _grouped(ids: list[str], lines: list[str]) -> list[str]:
    by: dict[str, list[str]] = collections.OrderedDict()
    for key, line in zip(ids, lines):
        by.setdefault(key, []).append(line)
    return ["\n".join(v) for v in by.values()]


def names_of(document: str, glossary: Glossary | None) -> list[tuple[int, int, str, str, bool]]:
    """(start, end, group key, rendering, whether romanised as Ukrainian) of every name the pipeline would
    enforce in `document` (foreign names, which a random model cannot render, come back romanised: not counted)."""
    book = NameBook()
    book.learn(document)
    found = []
    for s in segment(document).sentences:
        if not s.translatable:
            continue
        taken = [(m.start, m.end) for m in glossary.find(s.text)] if glossary is not None else []
        plans = book.find(s.text, taken=taken)
        for plan, match in zip(plans, book.matches(s.text, plans)):
            ukrainian = match.rule == "romanised" and "is not a Latin-script name" not in match.why
            found.append((s.start + match.start, s.start + match.end, plan.key, match.target, ukrainian))
    return found


def precision(glossary: Glossary) -> None:
    judged = {}
    for row in (DATA / "names_judged.tsv").read_text(encoding="utf-8").splitlines():
        if row and not row.startswith(("#", "key\t")):
            key, verdict = row.split("\t")
            judged[key] = verdict == "yes"
    groups: dict[str, int] = collections.Counter()
    ukrainian = set()
    for doc in corpus_documents():
        for *_, key, _, romanised in names_of(doc, glossary):
            key = "-".join(part[:1].upper() + part[1:] for part in key.split("-"))
            groups[key] += 1
            if romanised:
                ukrainian.add(key)
    known = [k for k in groups if k in judged]
    real = sum(judged[k] for k in known)
    print(f"1. FLORES-200 dev+devtest, NTREX-128, demo: {len(groups)} name groups, {sum(groups.values())} mentions")
    print(f"   precision of groups (judged by hand): {real}/{len(known)} = {real / max(1, len(known)):.3f}"
          "   (target ≥ 0.97)")
    print("   not names: " + ", ".join(sorted(k for k in known if not judged[k])))
    print(f"   romanised as Ukrainian: {len(ukrainian)} groups ({len(ukrainian) / max(1, len(groups)):.1%}; these "
          "corpora are translated from English, so nearly all their names are foreign and go to the model)")
    new = sorted(k for k in groups if k not in judged)
    if new:
        print(f"   {len(new)} groups not judged yet (add them to benchmarks/data/names_judged.tsv): " + ", ".join(new))


def items() -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Each hand-written item's plain text and its marked mentions (start, end, who)."""
    out = []
    for block in re.split(r"\n\s*\n", "\n".join(
            line for line in (DATA / "names_items.txt").read_text(encoding="utf-8").splitlines()
            if not line.startswith("#"))):
        text, marks, position = [], [], 0
        for m in MARK.finditer(block):
            text.append(block[position:m.start()])
            start = sum(map(len, text))
            text.append(m.group(1))
            marks.append((start, start + len(m.group(1)), m.group(2)))
            position = m.end()
        text.append(block[position:])
        if marks:
            out.append(("".join(text), marks))
    return out


def grouping(glossary: Glossary | None, label: str, verbose: bool = False) -> None:
    total = right = romanised_right = romanised = covered = 0
    for text, marks in items():
        found = {(a, b): (key, target, ukrainian) for a, b, key, target, ukrainian in names_of(text, glossary)}
        taken = set()
        if glossary is not None:
            for s in segment(text).sentences:
                taken.update((s.start + m.start, s.start + m.end) for m in glossary.find(s.text))
        key_of_who: dict[str, set[str]] = collections.defaultdict(set)
        who_of_key: dict[str, set[str]] = collections.defaultdict(set)
        for a, b, who in marks:
            if (a, b) in found:
                key_of_who[who].add(found[(a, b)][0])
                who_of_key[found[(a, b)][0]].add(who)
        for a, b, who in marks:
            total += 1
            if (a, b) in taken:
                covered += 1
                right += 1
                continue
            if (a, b) not in found:
                if verbose:
                    near = [text[x:y] for x, y in found if x < b and a < y]
                    print(f"   missed: {text[a:b]} ({who})" + (f", found as {near}" if near else ""))
                continue
            key, target, ukrainian = found[(a, b)]
            if key_of_who[who] == {key} and who_of_key[key] == {who}:
                right += 1
            elif verbose:
                print(f"   grouped wrong: {text[a:b]} ({who}) in group {key}")
            if ukrainian:
                romanised += 1
                romanised_right += who.endswith(target) or who == target
                if verbose and not (who.endswith(target) or who == target):
                    print(f"   romanised {text[a:b]} as {target}, marked {who}")
    print(f"2. hand-written items, {label}: {right}/{total} mentions found and grouped correctly = "
          f"{right / total:.3f}   (target ≥ 0.90)" + (f"; {covered} of them by the glossary" if glossary else ""))
    if romanised:
        print(f"   Ukrainian names' romanisations equal to the marked English: {romanised_right}/{romanised}")


def cost(glossary: Glossary) -> None:
    docs = corpus_documents()[:120]
    words = sum(len(d.split()) for d in docs)
    t0 = time.perf_counter()
    for d in docs:
        names_of(d, glossary)
    finding = time.perf_counter() - t0
    print(f"3. finding names: {1000 * finding / words * 1000:.0f} ms per 1,000 words ({words} words)")

    import random_marian

    from translate import Translator

    with tempfile.TemporaryDirectory() as tmp:
        model = random_marian.build(Path(tmp) / "base", "base")
        sample = docs[:40]
        sample_words = sum(len(d.split()) for d in sample)
        times = {}
        for names in ("off", "consistent"):
            translator = Translator(str(model), glossary=glossary, names=names, backend="ctranslate2",
                                    device="cpu", beam_size=1, review=False)
            translator.translate("Прогрів.")
            t0 = time.perf_counter()
            translator.translate_batch(sample)
            times[names] = time.perf_counter() - t0
        per = {k: 1000 * v / sample_words * 1000 for k, v in times.items()}
        print(f"   translation (base random model, ctranslate2, greedy, shipped glossary, {sample_words} words): "
              f"names off {per['off']:.0f} ms / 1,000 words, names on {per['consistent']:.0f} ms "
              f"(× {times['consistent'] / times['off']:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-cost", action="store_true", help="skip the timing (3.)")
    parser.add_argument("--verbose", action="store_true", help="list each mention missed or grouped wrong")
    args = parser.parse_args()
    glossary = Glossary.load("default")
    precision(glossary)
    grouping(None, "no glossary", args.verbose)
    grouping(glossary, "shipped glossary", args.verbose)
    if not args.no_cost:
        cost(glossary)


if __name__ == "__main__":
    main()

"""Compare sentence splitters on Ukrainian news text; prints one table.

    python benchmarks/splitters.py            # from the repository root, in the project venv

Two measurements per candidate:

* Boundary precision / recall / F1 on FLORES-200 (dev + devtest) and NTREX-128. Each eval line is
  about one sentence, so consecutive lines of one article (same metadata URL / same docid) are
  joined with a space into a paragraph and every join is a gold boundary. A boundary is the offset
  where a sentence (other than the first) starts. A few eval lines hold two sentences, so a perfect
  splitter still loses a little precision; that costs every candidate alike.
* Exact match on HARD_CASES, hand-written Ukrainian news sentences for the things FLORES rarely
  has: abbreviations, initials, «…» quotes with `, – зазначив …` attributions, dates and times,
  ellipses, URLs.

Speed is characters per second over all eval paragraphs (split calls only, one thread).
Candidates whose package is not installed are skipped (razdel is optional: a Russian splitter,
for reference). "segment.py" is the project's own `translate.segment` (the chosen library plus
its post-fixes), run with a huge token budget so no chunking happens.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("UKEN_EVAL_DIR", ROOT.parent / "shared" / "eval"))

# (paragraph, expected sentences). Where an abbreviation can also end a sentence (р., ст., грн.,
# обл., т. д.) there are cases both ways.
HARD_CASES: list[tuple[str, list[str]]] = [
    # abbreviations
    ("Про це заявив депутат Зборів (парламенту – ред.) Північної Македонії. Він наголосив на важливості діалогу.",
     ["Про це заявив депутат Зборів (парламенту – ред.) Північної Македонії.", "Він наголосив на важливості діалогу."]),
    ("Зустріч відбулася в м. Скоп’є. Наступна – у Брюсселі.",
     ["Зустріч відбулася в м. Скоп’є.", "Наступна – у Брюсселі."]),
    ("Втрати ворога становлять понад 84 тис. осіб. Це на 2 тис. більше, ніж тиждень тому.",
     ["Втрати ворога становлять понад 84 тис. осіб.", "Це на 2 тис. більше, ніж тиждень тому."]),
    ("Збитки оцінюють у 20 млрд доларів. Відновлення триватиме роки.",
     ["Збитки оцінюють у 20 млрд доларів.", "Відновлення триватиме роки."]),
    ("Бюджет програми становить 5 млн грн. Уряд планує його збільшити.",
     ["Бюджет програми становить 5 млн грн.", "Уряд планує його збільшити."]),
    ("Будівлю звели у 1925 р. Відтоді її жодного разу не реставрували.",
     ["Будівлю звели у 1925 р.", "Відтоді її жодного разу не реставрували."]),
    ("Станом на 22.11.2022 р. втрати ворога становлять понад 84 тис. осіб.",
     ["Станом на 22.11.2022 р. втрати ворога становлять понад 84 тис. осіб."]),
    ("Згідно зі ст. 5 Вашингтонського договору напад на одного є нападом на всіх.",
     ["Згідно зі ст. 5 Вашингтонського договору напад на одного є нападом на всіх."]),
    ("Пам’ятку XIX ст. відреставрують. Будинок XIX ст. Тепер під охороною держави.",
     ["Пам’ятку XIX ст. відреставрують.", "Будинок XIX ст.", "Тепер під охороною держави."]),
    ("Детальніше див. на сайті міністерства. Там є карта.",
     ["Детальніше див. на сайті міністерства.", "Там є карта."]),
    ("На ринку продають овочі, фрукти, м’ясо і т. д. Ціни помірні.",
     ["На ринку продають овочі, фрукти, м’ясо і т. д.", "Ціни помірні."]),
    ("Росія проводить т. зв. «референдуми» на окупованих територіях.",
     ["Росія проводить т. зв. «референдуми» на окупованих територіях."]),
    ("Армія РФ обстріляла с. Петрівка Харківської обл. Загинули двоє людей.",
     ["Армія РФ обстріляла с. Петрівка Харківської обл.", "Загинули двоє людей."]),
    ("Проф. Іваненко та акад. Петренко підписали звернення на вул. Хрещатик.",
     ["Проф. Іваненко та акад. Петренко підписали звернення на вул. Хрещатик."]),
    ("Ціни зросли на 10 % (див. табл. 2). Це найбільше зростання за рік.",
     ["Ціни зросли на 10 % (див. табл. 2).", "Це найбільше зростання за рік."]),
    # initials
    ("Генсек НАТО Є. Столтенберг прибув до Скоп’є.",
     ["Генсек НАТО Є. Столтенберг прибув до Скоп’є."]),
    ("Президент В. Зеленський та прем’єр-міністр Д. Шмигаль провели нараду.",
     ["Президент В. Зеленський та прем’єр-міністр Д. Шмигаль провели нараду."]),
    ("Про це повідомив О. М. Петренко. Інших деталей немає.",
     ["Про це повідомив О. М. Петренко.", "Інших деталей немає."]),
    ("Звернення підписав Шевченко Т. Г. Його оприлюднили вчора.",
     ["Звернення підписав Шевченко Т. Г.", "Його оприлюднили вчора."]),
    # quotes and attributions
    ("«Ми підтримуємо Україну», - зазначив Столтенберг. Він додав, що допомога триватиме.",
     ["«Ми підтримуємо Україну», - зазначив Столтенберг.", "Він додав, що допомога триватиме."]),
    ("«Ми підтримуємо Україну. Допомога триватиме стільки, скільки потрібно», – зазначив Столтенберг.",
     ["«Ми підтримуємо Україну.", "Допомога триватиме стільки, скільки потрібно», – зазначив Столтенберг."]),
    ("«Чи готові ви до переговорів?» – запитав журналіст.",
     ["«Чи готові ви до переговорів?» – запитав журналіст."]),
    ("«Слава Україні!» — вигукнули учасники акції.",
     ["«Слава Україні!» — вигукнули учасники акції."]),
    ("«Росія програє цю війну!», - наголосив генсек.",
     ["«Росія програє цю війну!», - наголосив генсек."]),
    ("Він сказав: «Ми готові до переговорів». Проте Кремль мовчить.",
     ["Він сказав: «Ми готові до переговорів».", "Проте Кремль мовчить."]),
    ("Він сказав: «Ми готові до переговорів.» Проте Кремль мовчить.",
     ["Він сказав: «Ми готові до переговорів.»", "Проте Кремль мовчить."]),
    ("«Це неприйнятно», - сказав він. «Ми відповімо».",
     ["«Це неприйнятно», - сказав він.", "«Ми відповімо»."]),
    # numbers, dates, times
    ("Курс становить 36.5 грн за долар. Це рекорд.",
     ["Курс становить 36.5 грн за долар.", "Це рекорд."]),
    ("Засідання розпочнеться о 10.00 за київським часом.",
     ["Засідання розпочнеться о 10.00 за київським часом."]),
    ("Засідання розпочнеться о 10.00. Вхід за перепустками.",
     ["Засідання розпочнеться о 10.00.", "Вхід за перепустками."]),
    ("Документ ухвалили 22.11.2022. Він набуде чинності за місяць.",
     ["Документ ухвалили 22.11.2022.", "Він набуде чинності за місяць."]),
    ("Північна Македонія стала 30-м членом НАТО. Це сталося у березні 2020 року.",
     ["Північна Македонія стала 30-м членом НАТО.", "Це сталося у березні 2020 року."]),
    # ellipsis, dashes, ?!
    ("Ми чекали… і нарешті дочекалися.", ["Ми чекали… і нарешті дочекалися."]),
    ("Ми довго чекали… Нарешті дочекалися.", ["Ми довго чекали…", "Нарешті дочекалися."]),
    ("Київ – столиця України. Тут живе майже 3 млн людей.",
     ["Київ – столиця України.", "Тут живе майже 3 млн людей."]),
    ("Що буде далі? Побачимо! Поки що рано говорити.",
     ["Що буде далі?", "Побачимо!", "Поки що рано говорити."]),
    # URLs, e-mail
    ("Детальніше на сайті www.ukrinform.ua. Підписуйтеся на нас.",
     ["Детальніше на сайті www.ukrinform.ua.", "Підписуйтеся на нас."]),
    ("Пишіть на press@hq.nato.int або телефонуйте.", ["Пишіть на press@hq.nato.int або телефонуйте."]),
    ("Текст заяви є на https://www.nato.int/cps/en/natohq/news.htm і в соцмережах.",
     ["Текст заяви є на https://www.nato.int/cps/en/natohq/news.htm і в соцмережах."]),
]

Splitter = Callable[[str], list[tuple[int, int]]]  # paragraph -> sentence spans (start, end)


def _trim(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans without surrounding whitespace and without empty ones, so libraries compare alike."""
    out = []
    for start, end in spans:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if start + lead < end - trail:
            out.append((start + lead, end - trail))
    return out


_NAIVE = re.compile(r"(?<=[.!?…])\s+")


def naive(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _NAIVE.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return _trim(text, spans)


def candidates() -> dict[str, Splitter]:
    found: dict[str, Splitter] = {"naive regex": naive}
    try:
        import tokenize_uk

        found["tokenize_uk 2.0 (LT SRX)"] = lambda t: _trim(
            t, [(s, e) for _, s, e in tokenize_uk.tokenize_sents_with_spans(t)])
    except ImportError:
        pass
    try:
        import sentencex

        found["sentencex uk"] = lambda t: _trim(
            t, [(b["start_index"], b["end_index"]) for b in sentencex.get_sentence_boundaries("uk", t)])
    except ImportError:
        pass
    try:
        import pysbd

        seg = pysbd.Segmenter(language="ru", clean=False, char_span=True)
        found["pysbd ru"] = lambda t: _trim(t, [(s.start, s.end) for s in seg.segment(t)])
    except ImportError:
        pass
    try:
        import razdel

        found["razdel (ru)"] = lambda t: _trim(t, [(s.start, s.stop) for s in razdel.sentenize(t)])
    except ImportError:
        pass
    try:
        sys.path.insert(0, str(ROOT))
        from translate.segment import segment

        found["segment.py (chosen)"] = lambda t: [
            (s.start, s.end) for s in segment(t, max_tokens=10**9).sentences]
    except ImportError:
        pass
    return found


def _group(lines: list[str], keys: list[str]) -> list[tuple[str, set[int]]]:
    """Join consecutive lines with the same key; return (paragraph, gold boundary offsets)."""
    paragraphs: list[tuple[str, set[int]]] = []
    cur: list[str] = []
    for i, (line, key) in enumerate(zip(lines, keys)):
        cur.append(line.strip())
        if i + 1 == len(lines) or keys[i + 1] != key:
            text, gold = "", set()
            for j, piece in enumerate(cur):
                if j:
                    text += " "
                    gold.add(len(text))
                text += piece
            paragraphs.append((text, gold))
            cur = []
    return paragraphs


def load_eval() -> dict[str, list[tuple[str, set[int]]]]:
    if not (EVAL / "flores200" / "dev.uk").is_file():
        sys.exit(f"{EVAL} has no FLORES-200/NTREX-128 text: set UKEN_EVAL_DIR to a folder holding "
                 "flores200/{dev,devtest}.{uk,en} and ntrex128/ntrex128.{uk,en,docids} (as ../shared/eval beside a checkout)")
    sets: dict[str, list[tuple[str, set[int]]]] = {}
    flores: list[tuple[str, set[int]]] = []
    for split in ("dev", "devtest"):
        lines = (EVAL / "flores200" / f"{split}.uk").read_text(encoding="utf-8").splitlines()
        with open(EVAL / "flores200" / f"metadata_{split}.tsv", encoding="utf-8", newline="") as f:
            urls = [row["URL"] for row in csv.DictReader(f, delimiter="\t")]
        assert len(urls) == len(lines), split
        flores += _group(lines, urls)
    sets["FLORES"] = flores
    lines = (EVAL / "ntrex128" / "ntrex128.uk").read_text(encoding="utf-8").splitlines()
    ids = (EVAL / "ntrex128" / "ntrex128.docids").read_text(encoding="utf-8").splitlines()
    assert len(ids) == len(lines)
    sets["NTREX"] = _group(lines, ids)
    return sets


def score(split: Splitter, paragraphs: list[tuple[str, set[int]]]) -> tuple[float, float, float, float]:
    """Micro precision, recall, F1 of predicted boundaries; and seconds spent splitting."""
    tp = fp = fn = 0
    elapsed = 0.0
    for text, gold in paragraphs:
        t0 = time.perf_counter()
        spans = split(text)
        elapsed += time.perf_counter() - t0
        pred = {start for start, _ in spans[1:]}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1, elapsed


def hard(split: Splitter, verbose: bool = False) -> int:
    ok = 0
    for text, expected in HARD_CASES:
        got = [text[s:e] for s, e in split(text)]
        if got == expected:
            ok += 1
        elif verbose:
            print(f"    MISS {got}")
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="print the hard cases each candidate misses")
    args = ap.parse_args()
    data = load_eval()
    nchars = sum(len(t) for ps in data.values() for t, _ in ps)
    nbound = {k: sum(len(g) for _, g in ps) for k, ps in data.items()}
    print(f"FLORES: {len(data['FLORES'])} paragraphs, {nbound['FLORES']} gold boundaries; "
          f"NTREX: {len(data['NTREX'])} paragraphs, {nbound['NTREX']} gold boundaries; {nchars:,} chars\n")
    head = (f"| {'splitter':<26} | FLORES P / R / F1   | NTREX P / R / F1    | hard cases | chars/s    |\n"
            f"|{'-' * 28}|{'-' * 21}|{'-' * 21}|{'-' * 12}|{'-' * 12}|")
    rows = []
    for name, split in candidates().items():
        if args.verbose:
            print(name)
        split("Прогрів. Перший виклик компілює правила.")  # lazy rule compilation is not speed
        cols, total = [], 0.0
        for key in ("FLORES", "NTREX"):
            p, r, f1, dt = score(split, data[key])
            cols.append(f"{p:.3f} {r:.3f} {f1:.3f}")
            total += dt
        n_ok = hard(split, args.verbose)
        rows.append(f"| {name:<26} | {cols[0]:<19} | {cols[1]:<19} | {n_ok:>3} / {len(HARD_CASES):<4} | "
                    f"{nchars / total:>10,.0f} |")
    print(head)
    print("\n".join(rows))


if __name__ == "__main__":
    main()

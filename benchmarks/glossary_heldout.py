"""Held-out check of inflected-term matching: precision and recall on forms the tests never see.

Takes the demo-term glossary (tests/data/glossary_demo.tsv) and, when it loads, the default one
(translate/data/glossary.tsv); runs `Glossary.find` over the sentences below, written separately from
tests/data/glossary_forms.tsv (other cases, other contexts: sentence starts, quotes, line breaks,
headlines). One sentence a line, ``¶`` a line break inside it. In them ``[[surface|Target]]`` marks a span that must be found with that English
target and ``{{surface}}`` one that must not be matched at all. Prints precision and recall
(issue 3 asks ≥ 0.98 / ≥ 0.97) and lists every miss and false hit.

    python benchmarks/glossary_heldout.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from translate.glossary import Glossary, GlossaryError  # noqa: E402

SENTENCES = """
Прем'єр-міністр зустрівся з [[Єнсом Столтенбергом|Jens Stoltenberg]] у Брюсселі.
Лист адресували [[Єнсові Столтенбергові|Jens Stoltenberg]] та його заступникам.
Журналісти поставили [[Столтенбергові|Stoltenberg]] кілька запитань.
Депутати аплодували [[Столтенбергу|Stoltenberg]] стоячи.
[[Столтенберг|Stoltenberg]] прибув до столиці ввечері.
Про це повідомив [[генсек|Secretary General]] під час брифінгу.
Делегація вручила [[генсекові|Secretary General]] листа.
Розмова з [[генсеком|Secretary General]] тривала годину.
Посол передав [[генеральному секретареві|Secretary General]] звернення.
Зустріч із [[генеральним секретарем|Secretary General]] відбулася вчора.
Двоє {{секретарів}} залишили засідання, а {{генеральні}} директори промовчали.
Поліція вилучила {{генсекретаря}} з реєстру.
Уряд передав законопроєкт [[Зборам|Assembly]] у вівторок.
Питання обговорювали на [[Зборах|Assembly]] минулого тижня.
На загальних {{зборах}} мешканці обрали голову.
Учасники {{зборів}} проголосували одноголосно.
Організатори {{зборам}} не допомогли, а {{збором}} коштів займалися волонтери.
Щорічний {{збір}} урожаю почався, {{збору}} податків не буде.
«[[Збори|Assembly]] ухвалили закон», — заявив спікер.
Літаки прибули до [[Північної¶Македонії|North Macedonia]] вночі.
Посли відвідали [[Північну Македонію|North Macedonia]] у березні.
Уряд пишається [[Північною Македонією|North Macedonia]] як союзником.
Історики {{Македонії}} сперечаються про назву, а {{Македонією}} цікавляться туристи.
Туристів у {{Північній}}, Македонії стало більше.
Він виступив у [[Скоп‘є|Skopje]] та [[Скоп`є|Skopje]] двічі.
Мешканці {{Скоп'я}} вийшли на вулиці.
Політика [[ЄС|EU]] щодо [[Західних Балкан|Western Balkans]] змінилася.
Допомога надійшла [[Західним Балканам|Western Balkans]] та Кавказу.
Союзники опікуються [[Західними Балканами|Western Balkans]] давно.
На {{Балканах}} спокійно, {{Балканам}} потрібні інвестиції.
Уряд {{Західної}} Німеччини мовчав.
Делегація відвідала [[Албанію|Albania]] та [[Хорватію|Croatia]].
Угоду з [[Албанією|Albania]] підписали в Тирані.
Туристи захоплюються [[Хорватією|Croatia]] щоліта.
Посольство в [[Чорногорії|Montenegro]] працює, а з [[Чорногорією|Montenegro]] є угода.
Інвестори обирають [[Чорногорію|Montenegro]] — кажуть аналітики.
Посли підтримали [[Боснію і Герцеговину|Bosnia and Herzegovina]] на саміті.
Союз співпрацює з [[Боснією та Герцеговиною|Bosnia and Herzegovina]] давно.
Вибори в [[Боснії і Герцеговині|Bosnia and Herzegovina]] пройшли спокійно.
Делегати з {{Боснії}}, Герцеговини та Сербії прибули.
Миротворці залишаються в [[Косові|Kosovo]] і біля [[Косова|Kosovo]].
Переговори з [[Косовом|Kosovo]] зайшли в глухий кут.
Місія допомагає [[Косову|Kosovo]] відбудовуватися.
{{Косовська}} поліція посилила патрулі.
Делегація прибула до [[Белграда|Belgrade]] вранці.
Переговори в [[Белграді|Belgrade]] і між [[Белградом|Belgrade]] та [[Приштиною|Pristina]] тривають.
Посол передав [[Белграду|Belgrade]] і [[Приштині|Pristina]] пропозиції.
Мер [[Приштини|Pristina]] відповів коротко.
{{Белградська}} преса та {{приштинські}} газети мовчать.
Літаки летять у [[Грецію|Greece]] щотижня.
Угоду з [[Грецією|Greece]] та [[Італією|Italy]] ратифікували.
Прем'єр відвідав [[Італію|Italy]] вдруге.
{{Грецька}} та {{італійська}} делегації прибули.
Безпека всієї [[Європи|Europe]] під загрозою, кажуть у [[Європі|Europe]].
Вони подорожували [[Європою|Europe]] і відкрили для себе [[Європу|Europe]].
{{Європейська}} преса та {{європейці}} погодилися.
Санкції проти [[Росії|Russia]] посилили, а з [[Росією|Russia]] розірвали угоди.
Агресія проти [[України|Ukraine]] триває; допомога [[Україні|Ukraine]] зростає.
Союзники стоять з [[Україною|Ukraine]] і підтримують [[Україну|Ukraine]].
{{Російські}} війська та {{українські}} захисники ведуть бої.
Новину передав власний кореспондент [[Укрінформу|Ukrinform]].
В [[Укрінформі|Ukrinform]] підтвердили інформацію, з [[Укрінформом|Ukrinform]] зв'язалися.
Дані {{укрінформівських}} джерел уточнюються.
Солдати [[KFOR|KFOR]] патрулюють кордон, а місія {{Kfor}} триває.
Посли [[ЄС|EU]] зібралися, {{Єс}} і {{єс}} — лише помилки.
Міністри країн [[НАТО|NATO]] погодилися; слово {{Нато}} пишуть неправильно.
Сили [[Альянсу|Alliance]] на сході, а [[Альянсом|Alliance]] керує рада.
У [[Альянсі|Alliance]] обговорили бюджет.
Новий {{альянс}} партій та {{альянсом}} виробників створили вчора.
ЗАЯВА [[СТОЛТЕНБЕРГА|Stoltenberg]] ЩОДО [[ПІВНІЧНОЇ МАКЕДОНІЇ|North Macedonia]]
Рада [[НАТО|NATO]]-[[Україна|Ukraine]] зібралася вперше.
Його призначили {{віце-генсеком}} організації.
"""


def parse(block: str) -> list[tuple[str, list[tuple[int, int, str]], list[tuple[int, int]]]]:
    """Each sentence → (plain text, expected (start, end, target), forbidden (start, end))."""
    out = []
    mark = re.compile(r"\[\[(.+?)\|(.+?)\]\]|\{\{(.+?)\}\}", re.S)
    for sentence in block.strip().split("\n"):
        sentence = sentence.replace("¶", "\n")  # a line break inside a sentence
        plain, expected, forbidden, pos = "", [], [], 0
        for m in mark.finditer(sentence):
            plain += sentence[pos : m.start()]
            surface = m.group(1) or m.group(3)
            span = (len(plain), len(plain) + len(surface))
            if m.group(1):
                expected.append((*span, m.group(2)))
            else:
                forbidden.append(span)
            plain += surface
            pos = m.end()
        plain += sentence[pos:]
        out.append((plain, expected, forbidden))
    return out


def score(glossary: Glossary, demo_glossary: bool) -> dict:
    """Precision and recall over the marked spans. For the demo glossary every match counts;
    a larger glossary knows terms the sentences leave unmarked (Брюссель), so there only
    matches touching a marked span count, by span."""
    tp = fp = fn = 0
    forbidden_hit = 0
    problems = []
    cases = parse(SENTENCES)
    for text, expected, forbidden in cases:
        marked = [(s, e) for s, e, _ in expected] + forbidden
        found = {
            (m.start, m.end, m.target if demo_glossary else "")
            for m in glossary.find(text)
            if demo_glossary or any(m.start < e and s < m.end for s, e in marked)
        }
        want = {(s, e, t if demo_glossary else "") for s, e, t in expected}
        tp += len(found & want)
        for s, e, t in sorted(found - want):
            fp += 1
            forbidden_hit += any(s < fe and fs < e for fs, fe in forbidden)
            problems.append(f"  false hit  {text[s:e]!r} → {t or '?'}   in: {text!r}")
        for s, e, t in sorted(want - found):
            fn += 1
            problems.append(f"  missed     {text[s:e]!r} → {t or '?'}   in: {text!r}")
    return {
        "positives": sum(len(e) for _, e, _ in cases),
        "negatives": sum(len(f) for _, _, f in cases),
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "forbidden_hit": forbidden_hit,
        "problems": problems,
    }


def main() -> None:
    runs = [("tests/data/glossary_demo.tsv", True)]
    if (ROOT / "translate" / "data" / "glossary.tsv").is_file():
        runs.append(("translate/data/glossary.tsv", False))
    for rel, check_target in runs:
        try:
            glossary = Glossary.load(ROOT / rel, cache_dir=False)
        except GlossaryError as exc:
            print(f"{rel}: not loaded: {exc}")
            continue
        r = score(glossary, check_target)
        what = "span and target" if check_target else "marked spans only"
        print(
            f"{rel} ({what}): {r['positives'] + r['negatives']} held-out forms ({r['positives']} to find, {r['negatives']} to leave)"
            f" — precision {r['precision']:.3f}, recall {r['recall']:.3f},"
            f" must-not-match forms hit: {r['forbidden_hit']}"
        )
        for line in r["problems"]:
            print(line)


if __name__ == "__main__":
    main()

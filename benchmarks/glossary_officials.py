"""Officials benchmark: precision and recall of the shipped glossary on inflected names of current officials.

A hand-written set (below) of phrases as Ukrainian news writes them — genitive after «заява», dative
after «передав», instrumental after «з», locative after «у/на» — each followed by a tab and the glossary
headword it must match (the full name where the phrase has one), or ``none`` where nothing may be enforced
(common words spelled like a name: піт, кіт, кір, малюк, карні, кошти). Only enforced (non-weak) matches
count: a weak one is reported, not written into the English. Then times `Glossary.find` with a
10,000-entry glossary, as benchmarks/glossary_speed.py builds it (target ≥ 1 M characters/s).

    python benchmarks/glossary_officials.py [--no-speed]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from translate.glossary import Glossary  # noqa: E402

CASES = """
заява Володимира Зеленського	Володимир Зеленський
лист передали Володимиру Зеленському	Володимир Зеленський
зустріч з Володимиром Зеленським	Володимир Зеленський
за словами Зеленського	Зеленський
розмова із Зеленським	Зеленський
подякував Зеленському	Зеленський
уряд Юлії Свириденко	Юлія Свириденко
зустріч з Юлією Свириденко	Юлія Свириденко
за словами Свириденко	Свириденко
заява Дениса Шмигаля	Денис Шмигаль
зустріч з Денисом Шмигалем	Денис Шмигаль
доповідь Шмигаля	Шмигаль
передав Шмигалю	Шмигаль
заява Андрія Сибіги	Андрій Сибіга
розмова з Андрієм Сибігою	Андрій Сибіга
за словами Сибіги	Сибіга
подякував Сибізі	Сибіга
привітали Сибігу	Сибіга
заява Рустема Умєрова	Рустем Умєров
переговори з Рустемом Умєровим	Рустем Умєров
за словами Умєрова	Умєров
доручив Умєрову	Умєров
наказ Олександра Сирського	Олександр Сирський
доповів Олександру Сирському	Олександр Сирський
за словами Сирського	Сирський
нарада із Сирським	Сирський
доповіли Сирському	Сирський
інтерв'ю Валерія Залужного	Валерій Залужний
зустріч з Валерієм Залужним	Валерій Залужний
за словами Залужного	Залужний
вручили Залужному	Залужний
заява Кирила Буданова	Кирило Буданов
розмова з Кирилом Будановим	Кирило Буданов
за словами Буданова	Буданов
доповів Буданову	Буданов
наказ Андрія Гнатова	Андрій Гнатов
зустріч з Андрієм Гнатовим	Андрій Гнатов
за словами Гнатова	Гнатов
заява Василя Малюка	Василь Малюк
разом з Василем Малюком	Василь Малюк
за словами Малюка	Малюк
подякував Малюку	Малюк
заява Андрія Єрмака	Андрій Єрмак
зустріч з Андрієм Єрмаком	Андрій Єрмак
за словами Єрмака	Єрмак
підписав Руслан Стефанчук	Руслан Стефанчук
заява Руслана Стефанчука	Руслан Стефанчук
за словами Дмитра Кулеби	Дмитро Кулеба
розмова з Кулебою	Кулеба
зустріч з Іриною Верещук	Ірина Верещук
заява Ірини Верещук	Ірина Верещук
заява Дональда Трампа	Дональд Трамп
розмова з Дональдом Трампом	Дональд Трамп
лист передали Дональду Трампу	Дональд Трамп
за словами Трампа	Трамп
зустріч із Трампом	Трамп
подзвонив Трампу	Трамп
заява Марка Рубіо	Марко Рубіо
зустріч з Марком Рубіо	Марко Рубіо
за словами Рубіо	Рубіо
заява Піта Гегсета	Піт Гегсет
розмова з Пітом Гегсетом	Піт Гегсет
за словами Гегсета	Гегсет
доповіли Гегсету	Гегсет
заява Джей Ді Венса	Джей Ді Венс
суперечка з Венсом	Венс
за словами Венса	Венс
візит Кіта Келлога	Кіт Келлог
зустріч з Кітом Келлогом	Кіт Келлог
за словами Келлога	Келлог
переговори зі Стівом Віткоффом	Стів Віткофф
за словами Віткоффа	Віткофф
заява Ллойда Остіна	Ллойд Остін
зустріч з Ллойдом Остіном	Ллойд Остін
заява Кіра Стармера	Кір Стармер
розмова з Кіром Стармером	Кір Стармер
за словами Стармера	Стармер
подякував Стармеру	Стармер
уряд Ріші Сунака	Ріші Сунак
зустріч із Сунаком	Сунак
заява Фрідріха Мерца	Фрідріх Мерц
розмова з Фрідріхом Мерцом	Фрідріх Мерц
за словами Мерца	Мерц
подякував Мерцу	Мерц
заява Емманюеля Макрона	Емманюель Макрон
розмова з Емманюелем Макроном	Емманюель Макрон
за словами Макрона	Макрон
передав Макрону	Макрон
зустріч з Макроном	Макрон
уряд Джорджі Мелоні	Джорджа Мелоні
зустріч із Джорджею Мелоні	Джорджа Мелоні
за словами Мелоні	Мелоні
заява Марка Карні	Марк Карні
розмова з Марком Карні	Марк Карні
за словами Карні	Карні
уряд Шіґеру Ісіби	Шіґеру Ісіба
зустріч із Сігеру Ісібою	Сігеру Ісіба
за словами Ісіби	Ісіба
заява Дональда Туска	Дональд Туск
зустріч з Дональдом Туском	Дональд Туск
за словами Туска	Туск
подякував Туску	Туск
заява Радослава Сікорського	Радослав Сікорський
розмова з Радославом Сікорським	Радослав Сікорський
за словами Сікорського	Сікорський
заява Віктора Орбана	Віктор Орбан
суперечка з Віктором Орбаном	Віктор Орбан
за словами Орбана	Орбан
лист Орбану	Орбан
заява Роберта Фіцо	Роберт Фіцо
зустріч з Робертом Фіцо	Роберт Фіцо
за словами Фіцо	Фіцо
заява Гітанаса Науседи	Гітанас Науседа
зустріч з Гітанасом Науседою	Гітанас Науседа
за словами Науседи	Науседа
подякував Науседі	Науседа
заява Майї Санду	Майя Санду
зустріч з Майєю Санду	Майя Санду
за словами Санду	Санду
заява Реджепа Таїпа Ердогана	Реджеп Таїп Ердоган
розмова з Реджепом Таїпом Ердоганом	Реджеп Таїп Ердоган
за словами Ердогана	Ердоган
подякував Ердогану	Ердоган
заява Нікола Пашиняна	Нікол Пашинян
зустріч з Ніколом Пашиняном	Нікол Пашинян
за словами Пашиняна	Пашинян
заява Ільхама Алієва	Ільхам Алієв
розмова з Ільхамом Алієвим	Ільхам Алієв
за словами Алієва	Алієв
заява Урсули фон дер Ляєн	Урсула фон дер Ляєн
зустріч з Урсулою фон дер Ляєн	Урсула фон дер Ляєн
за словами фон дер Ляєн	фон дер Ляєн
заява Антоніу Кошти	Антоніу Кошта
зустріч з Антоніу Коштою	Антоніу Кошта
за словами Кошти	Кошта
заява Каї Каллас	Кая Каллас
зустріч з Каєю Каллас	Кая Каллас
за словами Каллас	Каллас
заява Роберти Мецоли	Роберта Мецола
зустріч з Робертою Мецолою	Роберта Мецола
за словами Мецоли	Мецола
заява Марка Рютте	Марк Рютте
зустріч з Марком Рютте	Марк Рютте
за словами Рютте	Рютте
заява Антоніу Гутерріша	Антоніу Гутерріш
зустріч з Антоніу Гутеррішем	Антоніу Гутерріш
за словами Гутерріша	Гутерріш
заява Рафаеля Гроссі	Рафаель Гроссі
зустріч з Рафаелем Гроссі	Рафаель Гроссі
за словами Гроссі	Гроссі
заява Володимира Путіна	Володимир Путін
переговори з Володимиром Путіним	Володимир Путін
за словами Путіна	Путін
заява Сергія Лаврова	Сергій Лавров
за словами Лаврова	Лавров
заява Александара Вучича	Александар Вучич
зустріч з Хаканом Фіданом	Хакан Фідан
заява Йоганна Вадефуля	Йоганн Вадефуль
піт котився з чола	none
рудий кіт спав на дивані	none
у школі спалахнув кір	none
малюк заснув у візку	none
Малюк заснув у візку.	none
кошти надійшли на рахунок	none
Кошти надійшли на рахунок.	none
карні справи розглядає суд	none
Карні справи розглядає суд.	none
зелені насадження міста	none
Піт котився з чола.	none
Кіт спав на дивані.	none
"""


def cases() -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in CASES.strip().splitlines()]


def official(headword: str) -> str:
    """The person a headword names: its surname (Андрій Сибіга and Сибіга are one official)."""
    return headword.split()[-1]


def score(g: Glossary) -> None:
    rows = cases()
    positives = [r for r in rows if r[1] != "none"]
    officials = {official(h) for _, h in positives}
    tp = fp = 0
    misses: dict[str, list[str]] = collections.defaultdict(list)
    per_official: collections.Counter = collections.Counter()
    wrong: list[str] = []
    for text, expected in rows:
        enforced = [m for m in g.find(text) if not m.weak]
        hit = [m for m in enforced if m.headword == expected]
        # The surname entry alone where the full name was expected renders the right person, only shorter:
        # a miss for recall, not a false match.
        partial = [m for m in enforced if expected != "none" and m.headword != expected
                   and m.headword in expected.split(" ", 1)[-1]]
        others = [m for m in enforced if m.headword != expected and m not in partial]
        if expected != "none":
            per_official[official(expected)] += 1
            if hit:
                tp += 1
            else:
                misses[official(expected)].append(text + (" (surname only)" if partial else ""))
        fp += len(others)
        wrong += [f"{text!r}: {m.surface!r} → {m.headword!r}" for m in others]
    precision = tp / (tp + fp) if tp + fp else 1.0
    print(f"{len(rows)} phrases ({len(positives)} forms of {len(officials)} officials, "
          f"{len(rows) - len(positives)} must-not-match)")
    print(f"precision {precision:.3f} ({tp} right of {tp + fp} enforced); recall {tp / len(positives):.3f} "
          f"({tp} of {len(positives)} forms)")
    for person, texts in sorted(misses.items()):
        found = per_official[person] - len(texts)
        print(f"  recall {found}/{per_official[person]} {person}: missed {texts}")
    for line in wrong:
        print(f"  false match {line}")


def speed() -> None:
    """Matching speed as benchmarks/glossary_speed.py measures it: the same text, 10,000 of its entries."""
    import tempfile

    import glossary_speed

    text = glossary_speed.corpus(1_000_000)
    pairs = glossary_speed.entries(text)[:10_000]
    with tempfile.TemporaryDirectory() as cache:
        _, _, _, best = glossary_speed.measure(pairs, text, cache)
    print(f"matching speed: {len(pairs):,} entries, {len(text):,} chars in {best:.3f} s = "
          f"{len(text) / best:,.0f} chars/s")

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-speed", action="store_true", help="skip the 10,000-entry speed run")
    args = ap.parse_args()
    score(Glossary.load("default", cache_dir=False))
    if not args.no_speed:
        speed()


if __name__ == "__main__":
    main()

"""Numbers that do not carry over: digits, dates, times, amounts and percentages of the source missing from
the English.

Takes a Ukrainian sentence (or line) and its English. `numbers(source)` finds each number written in digits,
as a `Number`: its text and offsets in the source, the values any of which in the English carries it over,
and, where forcing it is safe, how to write it in English. `missing(source, english)` lists those the
English lacks; `check` flags them. Only numbers in digits are checked (a number written as a word in the
source may become anything), and English formatting is allowed, by general rules rather than lists:

- thousands grouped with a comma, a space or not at all, decimals with a point: 1 000 → 1,000, 1 000 or
  1000; 5,5 → 5.5;
- amounts with a scale word either way: 10 тис. → 10,000 or 10 thousand; 2,5 млрд → 2.5 billion;
- ordinals and suffixes: 30-м → 30th; 1990-х → 1990s (or the 90s); 1-й → first; small numbers in words
  (2 → two, 25 → twenty-five);
- dates: 22 листопада → 22 November or November 22 (the month too must be there); 22.11.2023 → 22 November
  2023; times: 17:00 → 17:00 or 5 pm (minutes :00 may go);
- percentages: 15 % / 15 відсотків → 15%, 15 per cent;
- units converted: a number with a metric unit (137 км, 27 градусів) counts as carried over when the English
  gives imperial units only (85 miles, 80 degrees), as English-language newsrooms convert; hours of the day on
  the 24-hour clock may become 12-hour ones (19 годину → 7 p.m.), and hh:mm may be written hhmm or hh.mm.

`Number.target` (its English) is set only for a plain cardinal or decimal outside a date, time, name
(Су-25) or scale word: the pipeline forces those like a glossary term; the others are only flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Hashable

from translate.review.flags import Flag, flag

SPACE = "[ \u00a0\u202f]"  # Ukrainian groups thousands with a (narrow) no-break space
GROUP_SPACE = re.compile(SPACE)
GROUP_MARK = re.compile(f"{SPACE}|,")
LOWER_WORD = re.compile("[a-z]+")
UK_MONTHS = ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня",
             "листопада", "грудня")
EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december")
UK_SCALES = (("тис", 10**3), ("тисяч", 10**3), ("млн", 10**6), ("мільйон", 10**6), ("млрд", 10**9),
             ("мільярд", 10**9), ("трлн", 10**12), ("трильйон", 10**12))
EN_SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6, "mln": 10**6,
             "billion": 10**9, "bn": 10**9, "trillion": 10**12, "tn": 10**12}

UK_NUMBER = re.compile(
    r"(?<!\d[.,])(?<!\d)(?:"
    r"(?P<date>(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>\d{4}|\d{2}))(?![\d])"
    rf"|(?P<time>(?P<hour>[0-2]?\d):(?P<minute>[0-5]\d))(?![\d])"
    rf"|(?P<int>\d{{1,3}}(?:{SPACE}\d{{3}})+(?!\d)|\d+)(?:(?P<sep>[,.])(?P<frac>\d+))?(?P<end>)"
    r")"
    rf"(?:{SPACE}?(?P<percent>%|відс\w*|процент\w*)"
    rf"|{SPACE}?(?P<scale>(?:тис|тисяч|млн|мільйон|млрд|мільярд|трлн|трильйон)[а-яіїєґ]*\.?)"
    rf"|{SPACE}(?P<uk_month>{'|'.join(UK_MONTHS)})"
    r"|(?P<ordinal>-[а-яіїєґ]{1,4}))?",
    re.IGNORECASE)
EN_NUMBER = re.compile(
    rf"(?<!\d[.,])(?<!\d)(?P<int>\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d{{1,3}}(?:{SPACE}\d{{3}})+(?![\d,])|\d+)(?:\.(?P<frac>\d+))?"
    rf"(?:{SPACE}?(?P<scale>{'|'.join(EN_SCALES)})\b)?", re.IGNORECASE)
EN_WORD = re.compile(r"[a-z]+", re.IGNORECASE)
# Metric units after a number in the source, and imperial ones in the English (a converted measure).
UK_UNIT = re.compile(r"[ \u00a0]?-?(?:км|кілометр|метр|см|сантиметр|мм|міліметр|кг|кілограм|грам|градус|°|літр|"
                     r"гектар|тонн)|[ \u00a0](?:м|г|л|т|га)\b", re.IGNORECASE)
EN_IMPERIAL = re.compile(r"\b(?:miles?|mph|inch(?:es)?|feet|foot|ft|yards?|yd|pounds?|lbs?|ounces?|oz|gallons?|acres?|"
                         r"degrees?|fahrenheit|tons?|stone)\b|°F", re.IGNORECASE)
EN_METRIC = re.compile(r"\b(?:km|kilomet|met(?:re|er)s?\b|cm|centimet|mm\b|millimet|kg|kilogram|grams?\b|celsius|"
                       r"lit(?:re|er)s?\b|hectares?|tonnes?)|°C", re.IGNORECASE)
CLOCK = re.compile(r"[ \u00a0]?(?:UTC|GMT|BST|CET|EET|ET|hours|hrs|h)\b")
UK_HOURS = re.compile(r"[ \u00a0]годин", re.IGNORECASE)
CONVERTED = ("converted",)  # the atom both sides share when a metric measure may have become an imperial one
# Months by name and by abbreviation (Sept too); "may" is the month's whole name anyway.
EN_MONTH_WORDS = {**{m: n for n, m in enumerate(EN_MONTHS, 1)}, **{m[:3]: n for n, m in enumerate(EN_MONTHS, 1)},
                  "sept": 9}
UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
            "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()
WORD_VALUES = {**{w: i for i, w in enumerate(UNITS)}, **{w: 20 + 10 * i for i, w in enumerate(TENS)},
               **{w: i + 1 for i, w in enumerate(ORDINALS)}, **{w[:-1] + "ieth": 20 + 10 * i for i, w in enumerate(TENS)},
               "dozen": 12}


@dataclass(frozen=True)
class Number:
    """A number in the source: where it is, what in the English carries it over, how to force it."""

    text: str
    start: int
    end: int
    accepted: frozenset[Hashable]  # values (Decimal) and months (("month", n)), any one of which will do
    target: str | None = None  # its English, when forcing it like a glossary term is safe


def numbers(source: str) -> list[Number]:
    out: list[Number] = []
    for m in UK_NUMBER.finditer(source):
        text, start, end = m.group(), m.start(), m.end()
        if m["date"]:
            day, month, year = int(m["day"]), int(m["month"]), m["year"]
            if not (1 <= day <= 31 and 1 <= month <= 12):
                continue
            years = {Decimal(year)} | ({Decimal(2000 + int(year)), Decimal(1900 + int(year))} if len(year) == 2 else set())
            out += [Number(m["day"], m.start("day"), m.end("day"), frozenset({Decimal(day)})),
                    Number(m["month"], m.start("month"), m.end("month"), frozenset({Decimal(month), ("month", month)})),
                    Number(year, m.start("year"), m.end("year"), frozenset(years))]
            continue
        if m["time"]:
            hour, minute = int(m["hour"]), int(m["minute"])
            if hour > 24:
                continue
            out.append(Number(m["hour"], m.start("hour"), m.end("hour"),
                              frozenset({Decimal(hour), Decimal(hour - 12 if hour > 12 else 12 if hour == 0 else hour)})))
            if minute:
                out.append(Number(m["minute"], m.start("minute"), m.end("minute"), frozenset({Decimal(minute)})))
            continue
        digits = GROUP_SPACE.sub("", m["int"])
        value = Decimal(digits + ("." + m["frac"] if m["frac"] else ""))
        accepted = {value}
        if m["sep"] == ".":  # a point may be a time or a day.month in Ukrainian text: its whole part will do
            accepted.add(Decimal(digits))
        if m["sep"] == "," and len(m["frac"]) == 3:  # 6,387 км: English-style thousands in a Ukrainian text
            accepted.add(Decimal(digits + m["frac"]))
        if UK_UNIT.match(source, m.end("end")):
            accepted.add(CONVERTED)
        if UK_HOURS.match(source, m.end("end")) and 12 < value <= 24:
            accepted.add(value - 12)
        if m["scale"]:
            word = m["scale"].lower().rstrip(".")
            accepted.add(value * next(factor for stem, factor in reversed(UK_SCALES) if word.startswith(stem)))
        if m["uk_month"]:
            accepted = {value}
            out.append(Number(text, start, end,  # the date as written: "22 листопада"
                              frozenset({("month", UK_MONTHS.index(m["uk_month"].lower()) + 1)})))
        named = start > 0 and source[start - 1] in "-‐‑–"  # Су-25, F-16: part of a name, the glossary's
        plain = not (m["scale"] or m["uk_month"] or m["ordinal"] or named or m["sep"] == "."
                     or (m["percent"] and m["percent"] != "%"))
        target = None
        if plain:
            grouped = GROUP_SPACE.sub(",", m["int"])
            target = grouped + ("." + m["frac"] if m["frac"] else "") + ("%" if m["percent"] else "")
        # A date's day is named alone: its month is a Number of its own ("22 листопада").
        shown = m["int"] if m["uk_month"] else text.strip()
        out.append(Number(shown, start, m.end("end") if m["uk_month"] else end, frozenset(accepted), target))
    return out


def found(english: str, units: bool = True) -> set[Hashable]:
    """Every value and month the English states, in digits or words (and, with `units`, whether it gives
    imperial units only)."""
    values: set[Hashable] = set()
    for m in EN_NUMBER.finditer(english):
        groups = GROUP_MARK.split(m["int"])
        value = Decimal("".join(groups) + ("." + m["frac"] if m["frac"] else ""))
        values.add(value)
        if m["frac"]:  # 7.55am, 4:41.30: a time's parts
            values.update({Decimal(groups[-1]), Decimal(m["frac"])})
        if len(m["int"]) == 4 and not m["frac"] and CLOCK.match(english, m.end()):  # 0230 UTC, 1200 GMT: hhmm
            values.update({Decimal(m["int"][:2]), Decimal(m["int"][2:])})
        if GROUP_SPACE.search(m["int"]):  # "in 2022 100 people"? each group may be a number of its own
            values.update(Decimal(g) for g in groups)
        if m["scale"]:
            values.add(value * EN_SCALES[m["scale"].lower()])
        if len(m["int"]) == 4 and 1900 <= value <= 2099 and english.startswith("s", m.end()):
            values.add(value % 100)  # the 1990s are the 90s
    values |= _word_values(english)
    if units and EN_IMPERIAL.search(english) and not EN_METRIC.search(english):
        values.add(CONVERTED)
    values |= {("month", EN_MONTH_WORDS[w]) for w in map(str.lower, EN_WORD.findall(english)) if w in EN_MONTH_WORDS}
    return values


def missing(source: str, english: str) -> list[Number]:
    """The source's numbers (each distinct one once) that the English does not carry over."""
    wanted = numbers(source)
    if not wanted:  # most sentences: nothing to look for in the English
        return []
    have = found(english, units=any(CONVERTED in n.accepted for n in wanted))
    seen: set[frozenset] = set()
    out = []
    for n in wanted:
        if n.accepted in seen:
            continue
        seen.add(n.accepted)
        if not n.accepted & have:
            out.append(n)
    return out


def check(source: str, english: str) -> list[Flag]:
    return [flag("number", f"“{n.text}” in the source is not in the English", english) for n in missing(source, english)]


def _word_values(english: str) -> set[Decimal]:
    """Numbers written in words: "twenty-five" 25, "two hundred" 200, "a million" 1000000, "30th"-style
    ordinals in words ("thirtieth")."""
    values: set[Decimal] = set()
    total = current = None
    for token in LOWER_WORD.findall(english.lower()):
        if token in WORD_VALUES:
            current = (current or 0) + WORD_VALUES[token]
            values.add(Decimal(WORD_VALUES[token]))
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in EN_SCALES and len(token) > 2:
            total = (total or 0) + (current or 1) * EN_SCALES[token]
            current = None
        elif token in ("a", "an", "and") and (current is None or token == "and"):
            continue
        else:
            if total is not None or current is not None:
                values.add(Decimal((total or 0) + (current or 0)))
            total = current = None
    if total is not None or current is not None:
        values.add(Decimal((total or 0) + (current or 0)))
    return values

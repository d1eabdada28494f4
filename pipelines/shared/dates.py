"""Reading date cells as poles write them: one date (pathways, events) or an event's span (visits).

`parse_date` takes one date: `03/02/2016`, `3/2/16`, `2016-02-03`, an Excel date cell or serial;
with `written=True` also a date in words (« 12 mars 2016 », « 1er juin 2016 », « jeudi 3 mars
2016 »). A cell holding two dates is refused there (a pathway stay has one entry date).
`parse_span` reads an event's dates: one date, or two days (« 29-30 juin 2017 », « du 29 au 30 juin
2017 », « du 30 juin au 1er juillet 2017 », « 29/06/2017 - 30/06/2017 »), giving (start, end).

Every reader raises `ValueProblem` with a French reason; a reason never quotes the cell when the
caller says it is personal (`birth=True`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from pipelines.shared.values import ValueProblem, cell_text, formula_reason
from ptce.text import strip_accents

_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
# Excel serial numbers of plausible dates (1954 to 2119): a bigger or smaller number is not a date.
_SERIALS = (20_000, 80_000)

MONTHS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
_WEEKDAYS = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:er|e)?"
# « jeudi 3 mars 2016 », « 1er juin 2016 », « 12 sept. 2016 » (accents and case folded first).
_WRITTEN = re.compile(rf"^(?:{_WEEKDAYS}\s+)?{_DAY}\s+{_MONTH}\s+(\d{{4}})$")
# Two days of one month: « 29-30 juin 2017 », « du 29 au 30 juin 2017 », « 29 et 30 juin 2017 ».
_SAME_MONTH = re.compile(
    rf"^(?:du\s+)?(?:{_WEEKDAYS}\s+)?{_DAY}\s*(?:-|au|et|a)\s*(?:{_WEEKDAYS}\s+)?{_DAY}\s+{_MONTH}\s+(\d{{4}})$"
)
# Across two months: « du 30 juin au 1er juillet 2017 », « 30 juin - 1er juillet 2017 ».
_TWO_MONTHS = re.compile(
    rf"^(?:du\s+)?(?:{_WEEKDAYS}\s+)?{_DAY}\s+{_MONTH}(?:\s+(\d{{4}}))?\s*(?:-|au|a)\s*"
    rf"(?:{_WEEKDAYS}\s+)?{_DAY}\s+{_MONTH}\s+(\d{{4}})$"
)
# Two full dates: « 29/06/2017 - 30/06/2017 », « du 29/06/2017 au 30/06/2017 », « 2017-06-29 au … ».
_TWO_DATES = re.compile(r"^(?:du\s+)?(\S+)\s*(?:\s-\s|–|—|\bau\b|\ba\b)\s*(\S+)$")
_NUMERIC_PAIR = re.compile(r"^(\d{1,2}[/.]\d{1,2}[/.]\d{2,4})-(\d{1,2}[/.]\d{1,2}[/.]\d{2,4})$")
_DATE_HINT = "écrire la date sous la forme jj/mm/aaaa"


def _fold(text: str) -> str:
    """Lower case without accents, dashes unified, single spaces (« Du 29 au 30 Juin 2017 »)."""
    folded = strip_accents(text).lower().replace("–", "-").replace("—", "-").replace("\u00a0", " ")
    return " ".join(folded.split())


def _checked(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem(
            f"date{shown} impossible (jour ou mois hors calendrier) : corriger la date"
        ) from None


def parse_date(
    value: object, *, birth: bool = False, today: date | None = None, written: bool = False
) -> date:
    """`03/02/2016`, `3/2/16`, `2016-02-03`, an Excel date cell or serial -> date.

    Two-digit years: 20yy unless that is after this year (19yy); for a birth date, 19yy unless the
    person would be under 14 today. `birth=True`: the reason never quotes the cell. `written=True`:
    a date in words is read too (« 1er juin 2016 », « jeudi 3 mars 2016 »).
    """
    today = today or date.today()
    shown = "" if birth else f" « {cell_text(value)} »"
    formula = formula_reason(value)
    if formula:
        raise ValueProblem(formula if not birth else "formule à la place d'une date : saisir la date")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date typed in a CSV exported with serial numbers (42403 = 03/02/2016).
        if _SERIALS[0] <= value <= _SERIALS[1] and float(value).is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueProblem(f"date{shown} illisible : {_DATE_HINT}")
    text = str(value).strip()
    if text.isdigit() and _SERIALS[0] <= int(text) <= _SERIALS[1]:
        # The same serial read from a CSV, where every cell is text.
        return _EXCEL_EPOCH + timedelta(days=int(text))
    m = _DMY.match(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if len(m.group(3)) == 2:
            year += 2000
            limit = today.year - 14 if birth else today.year
            if year > limit:
                year -= 100
        return _checked(year, month, day, shown)
    m = _YMD.match(text)
    if m:
        return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)), shown)
    if written:
        m = _WRITTEN.match(_fold(text))
        if m:
            return _checked(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)), shown)
    raise ValueProblem(f"date{shown} illisible : {_DATE_HINT}")


def parse_span(value: object, *, today: date | None = None) -> tuple[date, date | None]:
    """An event's dates: (start, end), end None for a one-day event; any form `parse_date` reads
    with words, or two days written together (see the module docstring)."""
    formula = formula_reason(value)
    if formula:
        raise ValueProblem(formula)
    if not isinstance(value, str):
        return parse_date(value, today=today), None
    text = _fold(value)
    shown = f" « {cell_text(value)} »"
    m = _SAME_MONTH.match(text)
    if m:
        month, year = MONTHS[m.group(3)], int(m.group(4))
        start = _checked(year, month, int(m.group(1)), shown)
        return _ordered(start, _checked(year, month, int(m.group(2)), shown), shown)
    m = _TWO_MONTHS.match(text)
    if m:
        year_end = int(m.group(6))
        year_start = int(m.group(3)) if m.group(3) else year_end
        start = _checked(year_start, MONTHS[m.group(2)], int(m.group(1)), shown)
        end = _checked(year_end, MONTHS[m.group(5)], int(m.group(4)), shown)
        return _ordered(start, end, shown)
    m = _NUMERIC_PAIR.match(text) or _TWO_DATES.match(text)
    if m:
        start = parse_date(m.group(1), today=today, written=True)
        end = parse_date(m.group(2), today=today, written=True)
        return _ordered(start, end, shown)
    return parse_date(value, today=today, written=True), None


def _ordered(start: date, end: date, shown: str) -> tuple[date, date | None]:
    if end < start:
        raise ValueProblem(
            f"dates{shown} : la fin ({end:%d/%m/%Y}) précède le début ({start:%d/%m/%Y}) : corriger les dates"
        )
    return start, (end if end != start else None)

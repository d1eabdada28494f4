"""French display formats (SPEC §1): numbers `1 234,5`, percentages `45,2 %`, dates `23/11/2026`.

Babel defines the locale's rules; the helpers fix the choices the whole product shares (decimals,
the narrow no-break space Babel uses for fr_FR thousands). The two patterns every table cell uses
(`#,##0.##…` and `#,##0.0 %`) are written by `_fixed`, which applies Babel's rules (the value read
through `str`, half-even rounding, the locale's separators) without Babel's generic pattern
machinery: a page at national scale writes 100,000 cells, and Babel costs about 25 µs each.
`tests/test_fmt.py` checks `_fixed` against Babel on random values.
"""

from __future__ import annotations

import decimal
import math
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

LOCALE = "fr_FR"
# Times are stored in UTC and shown on the Paris clock (pages, the yearly report).
DISPLAY_TIMEZONE = "Europe/Paris"
_GROUP = get_group_symbol(LOCALE)  # U+202F, the narrow no-break space
_DECIMAL = get_decimal_symbol(LOCALE)
_STEPS = [Decimal(1).scaleb(-n) for n in range(7)]  # 1, 0.1, 0.01, … : the quantum per decimals
# Babel's own limit: decimals beyond the default context's 28 digits go back to Babel.
_CONTEXT = decimal.Context(prec=28, rounding=ROUND_HALF_EVEN, traps=[decimal.InvalidOperation])


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(value))  # type: ignore[arg-type]
    except TypeError:
        return False


def _fixed(value: float | int, least: int, most: int, scale: int = 0) -> str | None:
    """`value` × 10**`scale`, grouped, with `least` to `most` decimals, as Babel writes it for
    fr_FR; None when Babel itself should decide (infinity, more digits than its context holds)."""
    try:
        number = Decimal(str(value))
        if not number.is_finite() or most >= len(_STEPS):
            return None
        number = _CONTEXT.quantize(number.scaleb(scale), _STEPS[most])
    except (decimal.InvalidOperation, ValueError):
        return None
    # Babel keeps the sign of a value rounded to zero (-0,04 -> « -0 »): so does this.
    sign = "-" if number.is_signed() else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    if len(fraction) < least:
        fraction = fraction.ljust(least, "0")
    head = len(whole) % 3 or 3
    groups = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
    return sign + _GROUP.join(groups) + (_DECIMAL + fraction if fraction else "")


def fmt_number(value: float | int | None, decimals: int = 0, missing: str = "–") -> str:
    """`1234.5` -> `1 234,5` (decimals shown only when needed, up to `decimals`)."""
    if _is_missing(value):
        return missing
    fast = _fixed(value, 0, decimals)  # type: ignore[arg-type]
    if fast is not None:
        return fast
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def fmt_count(value: float | int, singular: str, plural: str, decimals: int = 0) -> str:
    """`8, "visite tenue", "visites tenues"` -> `8 visites tenues`; French rule: plural from 2.

    1,5 is singular in French (« 1,5 visite »), 0 too (« 0 visite »).
    """
    return f"{fmt_number(value, decimals=decimals)} {plural if abs(value) >= 2 else singular}"


def fmt_percent(ratio: float | None, decimals: int = 1, missing: str = "–") -> str:
    """`0.452` -> `45,2 %`."""
    if _is_missing(ratio):
        return missing
    fast = _fixed(ratio, decimals, decimals, scale=2)  # type: ignore[arg-type]
    if fast is not None:
        return fast + " %"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
    return format_percent(ratio, format=pattern, locale=LOCALE)


def fmt_value(value: float | None, unite: str, missing: str = "–") -> str:
    """Format a value according to the catalogue unit."""
    if unite == "%":
        return fmt_percent(value, missing=missing)
    if unite in {"ETP", "ratio", "heures"}:
        return fmt_number(value, decimals=1, missing=missing)
    if unite == "oui/non":
        if _is_missing(value):
            return missing
        return "oui" if value else "non"
    return fmt_number(value, missing=missing)


def fmt_delta(ratio: float | None) -> str:
    """Signed change as a percentage: `+12,0 %`, `-3,5 %`."""
    if _is_missing(ratio):
        return "–"
    text = fmt_percent(abs(ratio))
    return ("+" if ratio >= 0 else "-") + text


def fmt_date(value: date | datetime | None) -> str:
    """`date(2026, 11, 23)` -> `23/11/2026`."""
    if value is None:
        return "–"
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    return value.strftime("%d/%m/%Y à %H:%M")


def fmt_period(annee: int, trimestre: int | None) -> str:
    """`(2016, 3)` -> `T3 2016`; `(2016, None)` -> `2016`."""
    return f"T{trimestre} {annee}" if trimestre else str(annee)


def local_time(published_at: object) -> datetime | None:
    """A publication timestamp (naive = UTC, as the pipeline writes it) on the Paris clock."""
    if published_at is None or pd.isna(published_at):
        return None
    stamp = pd.Timestamp(published_at)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    try:
        return stamp.tz_convert(ZoneInfo(DISPLAY_TIMEZONE)).to_pydatetime()
    except ZoneInfoNotFoundError:  # no time zone database on the machine: say it is UTC
        return stamp.to_pydatetime()

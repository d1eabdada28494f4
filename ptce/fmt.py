"""French display formats (SPEC §1): numbers `1 234,5`, percentages `45,2 %`, dates `23/11/2026`.

Babel does the locale work; the helpers fix the choices the whole product shares (decimals, the
narrow no-break space Babel uses for fr_FR thousands).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from babel.numbers import format_decimal, format_percent

LOCALE = "fr_FR"
# Times are stored in UTC and shown on the Paris clock (pages, the yearly report).
DISPLAY_TIMEZONE = "Europe/Paris"


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(value))  # type: ignore[arg-type]
    except TypeError:
        return False


def fmt_number(value: float | int | None, decimals: int = 0, missing: str = "–") -> str:
    """`1234.5` -> `1 234,5` (decimals shown only when needed, up to `decimals`)."""
    if _is_missing(value):
        return missing
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

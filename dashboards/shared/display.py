"""French display helpers every page uses: Markdown made inert, values by unit, dates on the Paris clock.

Pure functions (no Streamlit), so the exact strings a page shows can be tested on small frames.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from ptce.fmt import fmt_datetime, fmt_number, fmt_value

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# Escaping is not enough against GitHub-flavoured autolinks: `http://…`, `www.…` and `a@b.fr` in
# plain text still become live links. An invisible WORD JOINER (U+2060) inside each trigger keeps
# the text as it reads while no autolink can form (zero-width match positions below).
_AUTOLINK_TRIGGER = re.compile(
    r"(?i)(?<=\bhttp)(?=s?\\:)|(?<=\bftp)(?=\\:)|(?<=\bwww)(?=\\\.)|(?=@)|(?<=\bmailto)(?=\\:)"
)
# The pipeline stamps publications in UTC; readers expect the time on their clock.
DISPLAY_TIMEZONE = "Europe/Paris"


def escape_markdown(text: object) -> str:
    """Text from the warehouse, made inert for Streamlit's Markdown (titles, captions).

    Streamlit never renders raw HTML without `unsafe_allow_html`, but `*`, `_`, `[..](..)` or `$`
    in a name would still be read as formatting, links or formulas, and `http://…`, `www.…` or an
    e-mail address as a live link.
    """
    return _AUTOLINK_TRIGGER.sub("\u2060", _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)))


def value_text(value: float | None, unite: str) -> str:
    """A value in French, by catalogue unit ("–" when missing).

    A median or mean of yes/no answers over poles can be 0,5: neither yes nor no, so it is
    written as a number.
    """
    if value is None or pd.isna(value):
        return fmt_value(None, unite)
    if unite == "oui/non" and value not in (0, 1):
        return fmt_number(value, decimals=2)
    return fmt_value(value, unite)


# Units a value is read without: a count ("nombre"), a ratio, a yes/no; "%" is in the number already.
_UNITS_NOT_WRITTEN = {"nombre", "ratio", "oui/non", "%"}


def value_with_unit(value: float | None, unite: str) -> str:
    """A value in French followed by its unit when it reads better so: `1 234 personnes`, `12,5 ETP`.

    Rates already carry "%"; counts, ratios and yes/no stand alone. In French 0 and 1 take the
    singular (`1 emploi`, `0 personne`). Missing: "–" alone.
    """
    text = value_text(value, unite)
    if value is None or pd.isna(value) or unite in _UNITS_NOT_WRITTEN or not unite:
        return text
    word = unite[:-1] if unite.endswith("s") and abs(float(value)) < 2 else unite
    return f"{text} {word}"


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


def publication_caption(published_at: object, catalogue_version: object) -> str:
    """Sidebar caption: when the figures were published and with which catalogue."""
    when = local_time(published_at)
    text = fmt_datetime(when)
    if when is not None and when.utcoffset() == timedelta(0) and str(when.tzinfo) == "UTC":
        text += " (UTC)"
    return f"Données publiées le {text} · catalogue {catalogue_version or '–'}"


def as_datetime(value: object) -> datetime | None:
    """A timestamp or date from the warehouse as a datetime (None when missing)."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))

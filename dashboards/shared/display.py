"""French display helpers every page uses: Markdown made inert, values by unit, dates on the Paris clock.

Pure functions (no Streamlit), so the exact strings a page shows can be tested on small frames.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pandas as pd

from ptce import small_cells
from ptce.fmt import fmt_datetime, fmt_number, fmt_value, local_time

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# Escaping is not enough against GitHub-flavoured autolinks: `http://…`, `www.…` and `a@b.fr` in
# plain text still become live links. An invisible WORD JOINER (U+2060) inside each trigger keeps
# the text as it reads while no autolink can form (zero-width match positions below).
_AUTOLINK_TRIGGER = re.compile(
    r"(?i)(?<=\bhttp)(?=s?\\:)|(?<=\bftp)(?=\\:)|(?<=\bwww)(?=\\\.)|(?=@)|(?<=\bmailto)(?=\\:)"
)
# The pipeline stamps publications in UTC; readers expect the time on their clock.


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


# The unit words written after a value in tooltips, singular and plural (French: below 2 is singular).
UNIT_WORDS: dict[str, tuple[str, str]] = {
    "personnes": ("personne", "personnes"),
    "emplois": ("emploi", "emplois"),
    "contrats": ("contrat", "contrats"),
    "heures": ("heure", "heures"),
    "ETP": ("ETP", "ETP"),
}


def value_with_unit(value: float | None, unite: str) -> str:
    """A value in French with its unit, as a tooltip reads: « 1 234 personnes », « 12,5 ETP »,
    « 45,2 % », « oui » ("–" when missing). A plain count (`nombre`) or a ratio has no word."""
    text = value_text(value, unite)
    if unite not in UNIT_WORDS or value is None or pd.isna(value):
        return text
    singular, plural = UNIT_WORDS[unite]
    return f"{text} {singular if abs(float(value)) < 2 else plural}"


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


def masked_values_note() -> str:
    """Under a table of numbers where small cells left some counts of persons empty."""
    seuil = small_cells.threshold()
    return (
        f"Cases vides : valeur non transmise, ou nombre de personnes masqué (secret statistique : "
        f"moins de {seuil} personnes, ou valeur masquée elle aussi pour qu'un total ne permette pas "
        f"de retrouver un petit effectif)."
    )

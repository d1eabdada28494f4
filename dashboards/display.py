"""French display helpers for the views: metric texts, year-on-year changes, formatted tables.

Pure functions (no Streamlit), so the exact strings a page shows can be tested on small frames.
Tables are formatted to strings here because the browser's locale, not ours, would otherwise
decide how `st.dataframe` writes numbers; the product promises `1 234,5` everywhere.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from ptce.fmt import fmt_datetime, fmt_delta, fmt_number, fmt_value

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")

DeltaColor = Literal["normal", "inverse", "off"]

# How a yearly value was obtained (mart_pole_year.origine), in words for the pole page.
# Values outside this list are shown as they are.
ORIGIN_LABELS: dict[str, str] = {
    "annuel": "valeur annuelle transmise",
    "trimestres": "calculée à partir des trimestres",
    "calcul": "calculée (rapport de sommes)",
}
# The pipeline stamps publications in UTC; readers expect the time on their clock.
DISPLAY_TIMEZONE = "Europe/Paris"

# Short labels of the network key figures (the catalogue labels speak of one pole).
KEY_FIGURE_LABELS: dict[str, str] = {
    "membres": "Structures membres",
    "salaries": "Salariés",
    "etp": "Équivalents temps plein",
    "emplois_crees": "Emplois créés",
    "personnes_accompagnees": "Personnes accompagnées",
    "taux_sortie_dynamique": "Taux de sorties dynamiques",
}

# Columns of the overview's table of poles: (query column, French header, catalogue unit).
POLE_TABLE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("membres", "Structures membres", "nombre"),
    ("salaries", "Salariés", "personnes"),
    ("etp", "ETP", "ETP"),
    ("emplois_crees", "Emplois créés", "emplois"),
    ("personnes_accompagnees", "Personnes accompagnées", "personnes"),
    ("taux_sortie_dynamique", "Taux de sorties dynamiques", "%"),
)


def escape_markdown(text: object) -> str:
    """Text from the warehouse, made inert for Streamlit's Markdown (titles, captions).

    Streamlit never renders raw HTML without `unsafe_allow_html`, but `*`, `_`, `[..](..)` or `$`
    in a name would still be read as formatting, links or formulas.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


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


def metric_delta(current: float | None, previous: float | None, unite: str) -> str | None:
    """Change from the previous year: points for rates, relative change otherwise.

    None (no delta shown) when either year is missing, or when a relative change would divide by
    zero. The sign comes first, which is how `st.metric` picks the arrow.
    """
    if current is None or previous is None or pd.isna(current) or pd.isna(previous):
        return None
    if unite == "%":
        points = (current - previous) * 100
        sign = "+" if points >= 0 else "-"
        return f"{sign}{fmt_number(abs(points), decimals=1)} pt"
    if previous == 0:
        return None
    return fmt_delta((current - previous) / previous)


def key_figure_label(code: str, libelle: str) -> str:
    """Label of a key figure on the overview."""
    return KEY_FIGURE_LABELS.get(code, libelle)


def metric_help(libelle: str, nb_poles: object, total: int, year: int, has_previous: bool) -> str:
    """Tooltip of a key figure: the catalogue label, how many poles it covers, the comparison."""
    n = 0 if nb_poles is None or pd.isna(nb_poles) else int(nb_poles)
    verb = "ont transmis" if n > 1 else "a transmis"
    text = f"{libelle} : {n} pôle{'s' if n > 1 else ''} sur {total} {verb} cette valeur pour {year}."
    if has_previous:
        text += f" Évolution par rapport à {year - 1}."
    return text


def delta_color(sens: str | None) -> DeltaColor:
    """Green when the change goes the right way for this indicator (catalogue `sens`)."""
    if sens == "baisse":
        return "inverse"
    if sens == "hausse":
        return "normal"
    return "off"


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


def poles_table(df: pd.DataFrame) -> pd.DataFrame:
    """The overview's table of poles (rows of `queries.poles_year_table`), French and formatted."""
    out = pd.DataFrame(
        {
            "N°": df["numero"].astype(int),
            "Pôle": df["nom"],
            "Commune": df["commune"],
            "Département": df["nom_departement"],
            "Région": df["region"],
        }
    )
    for column, header, unite in POLE_TABLE_COLUMNS:
        out[header] = [value_text(v, unite) for v in df[column]]
    out["Fiche"] = ["pole?pole=" + str(pole_id) for pole_id in df["pole_id"]]
    return out


def pole_values_table(series: pd.DataFrame) -> pd.DataFrame:
    """A pole's yearly values (rows of `queries.pole_series`): one row per indicator and year."""
    return pd.DataFrame(
        {
            "Domaine": series["domaine_libelle"],
            "Indicateur": series["libelle"],
            "Année": series["annee"].astype(int).astype(str),
            "Valeur": [value_text(v, u) for v, u in zip(series["valeur"], series["unite"], strict=True)],
            "Médiane des pôles": [
                value_text(v, u) for v, u in zip(series["mediane_reseau"], series["unite"], strict=True)
            ],
            "Origine": [
                origin_label(o, n) for o, n in zip(series["origine"], series["nb_trimestres"], strict=True)
            ],
            "Fichiers sources": series["fichiers"].fillna("").astype(str),
        }
    )


def origin_label(origine: object, nb_trimestres: object) -> str:
    """`origine` of a yearly value in words, with the number of quarters when rolled up."""
    if origine is None or (not isinstance(origine, str) and pd.isna(origine)):
        return "–"
    label = ORIGIN_LABELS.get(str(origine), str(origine))
    if nb_trimestres is not None and not pd.isna(nb_trimestres) and int(nb_trimestres) > 0:
        n = int(nb_trimestres)
        label += f" ({n} trimestre{'s' if n > 1 else ''})"
    return label

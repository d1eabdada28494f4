"""Vue d'ensemble: key-figure texts (labels, year-on-year changes, help) and the table of poles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pandas as pd

from dashboards.shared.links import pole_address
from dashboards.shared.table_format import Table
from ptce.fmt import fmt_delta, fmt_number
from ptce.reference import load_catalog

DeltaColor = Literal["normal", "inverse", "off"]


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
    """Label of a key figure on the overview: its short label in the catalogue, else `libelle`."""
    short = {k.code: k.libelle_court for k in load_catalog().key_figures}
    return short.get(code, libelle)


def metric_help(
    libelle: str, nb_poles: object, total: int, year: int, has_previous: bool, iris: object = None
) -> str:
    """Tooltip of a key figure: the catalogue label, how many poles it covers, the comparison, and
    the IRIS+ metric it matches (the impact reference the funder uses), when there is one."""
    n = 0 if nb_poles is None or pd.isna(nb_poles) else int(nb_poles)
    verb = "ont transmis" if n > 1 else "a transmis"
    text = f"{libelle} : {n} pôle{'s' if n > 1 else ''} sur {total} {verb} cette valeur pour {year}."
    if has_previous:
        text += f" Évolution par rapport à {year - 1}."
    if isinstance(iris, str) and iris.strip():
        text += f" Référence IRIS+ : {iris.strip()}."
    return text


def delta_color(sens: str | None) -> DeltaColor:
    """Green when the change goes the right way for this indicator (catalogue `sens`)."""
    if sens == "baisse":
        return "inverse"
    if sens == "hausse":
        return "normal"
    return "off"


def poles_table(df: pd.DataFrame) -> Table:
    """The overview's table of poles (rows of `reads.poles_year_table`): key figures typed, in their unit."""
    out = pd.DataFrame(
        {
            "Pôle": df["nom"],
            # Beside the name, so the link is in view without scrolling sideways.
            "Fiche": [pole_address(str(pole_id)) for pole_id in df["pole_id"]],
            "N°": df["numero"].astype(int),
            "Commune": df["commune"],
            "Département": df["nom_departement"],
            "Région": df["region"],
        }
    )
    catalog = load_catalog()
    formats: dict[str, str] = {}
    for key in catalog.key_figures:
        out[key.entete] = pd.to_numeric(df[key.code], errors="coerce").astype(float)
        formats[key.entete] = catalog.unit(key.code)
    return Table(out, formats)


def pole_names(df: pd.DataFrame) -> dict[str, str]:
    """Each pole's "N. Name" by id, for the selector that opens its page (columns pole_id, numero, nom)."""
    return {
        str(pole_id): f"{int(numero)}. {nom}"
        for pole_id, numero, nom in zip(df["pole_id"], df["numero"], df["nom"], strict=True)
    }


def map_caption(year: int) -> str:
    """How to read the map, under the choice of its figure."""
    return (
        f"Couleur de chaque disque : valeur du pôle en {year} (échelle sous la carte) ; disque "
        "gris vide : valeur non transmise. Deux pôles trop proches sont un peu écartés l'un de "
        "l'autre (un trait relie au besoin le disque à la commune). Survolez un pôle pour lire sa "
        "valeur, cliquez dessus pour ouvrir sa fiche."
    )


def clicked_pole(points: Sequence[Mapping[str, Any]]) -> str | None:
    """The pole whose marker was clicked on the map (its id is the marker's first `customdata`).

    None when nothing, or something that is not a pole marker, was clicked.
    """
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, Sequence) and not isinstance(custom, str) and custom:
            return str(custom[0])
    return None

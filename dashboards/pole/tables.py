"""Fiche pôle: a pole's values as indicators × years beside the network median, their sources and comments."""

from __future__ import annotations

import pandas as pd

from dashboards.shared.table_format import Table
from ptce.fmt import fmt_date

# How a yearly value was obtained (mart_pole_year.origine), in words for the pole page.
# Values outside this list are shown as they are.
ORIGIN_LABELS: dict[str, str] = {
    "annuel": "valeur annuelle transmise",
    "trimestres": "calculée à partir des trimestres",
    "calcul": "calculée (rapport de sommes)",
}


MEDIAN_PREFIX = "Médiane "


def pole_values_table(series: pd.DataFrame) -> Table:
    """A pole's values as indicators × years (rows of `reads.pole_series`), grouped by working angle,
    each year's value beside the network median of that year; values typed, in their unit."""
    order = series.drop_duplicates("code")[["code", "domaine_libelle", "libelle", "unite"]]
    years = sorted({int(a) for a in series["annee"]})
    values = series.pivot_table(index="code", columns="annee", values="valeur", aggfunc="first")
    medians = series.pivot_table(index="code", columns="annee", values="mediane_reseau", aggfunc="first")
    out = pd.DataFrame(
        {
            "Indicateur": order["libelle"].astype(str).to_numpy(),
            "Angle de travail": order["domaine_libelle"].astype(str).to_numpy(),
            "Unité": order["unite"].astype(str).to_numpy(),
        }
    )
    # pivot_table drops a year whose values are all missing: reindex brings it back, empty.
    values = values.reindex(index=order["code"], columns=years)
    medians = medians.reindex(index=order["code"], columns=years)
    for year in years:
        out[str(year)] = values[year].astype(float).to_numpy()
        out[f"{MEDIAN_PREFIX}{year}"] = medians[year].astype(float).to_numpy()
    return Table(out, unit_column="Unité")


def pole_sources_table(series: pd.DataFrame) -> pd.DataFrame:
    """Where each of a pole's yearly values comes from: origin and raw files, one row per value."""
    return pd.DataFrame(
        {
            "Indicateur": series["libelle"].astype(str),
            "Année": series["annee"].astype(int).astype(str),
            "Origine": [
                origin_label(o, n) for o, n in zip(series["origine"], series["nb_trimestres"], strict=True)
            ],
            "Fichiers sources": series["fichiers"].fillna("").astype(str),
        }
    )


def pole_comments(series: pd.DataFrame) -> pd.DataFrame:
    """The comments a pole wrote beside its values: indicator label, year, comment, in table order."""
    commented = series[series["commentaires"].fillna("").astype(str).str.strip() != ""]
    return pd.DataFrame(
        {
            "libelle": commented["libelle"].astype(str),
            "annee": commented["annee"].astype(int),
            "commentaire": commented["commentaires"].astype(str),
        }
    ).reset_index(drop=True)


def origin_label(origine: object, nb_trimestres: object) -> str:
    """`origine` of a yearly value in words, with the number of quarters when rolled up."""
    if origine is None or (not isinstance(origine, str) and pd.isna(origine)):
        return "–"
    label = ORIGIN_LABELS.get(str(origine), str(origine))
    if nb_trimestres is not None and not pd.isna(nb_trimestres) and int(nb_trimestres) > 0:
        n = int(nb_trimestres)
        label += f" ({n} trimestre{'s' if n > 1 else ''})"
    return label


def membership_text(date_adhesion: object, date_depart: object) -> str | None:
    """« A quitté la communauté le 30/06/2017. » (its history stays shown), « Membre de la communauté
    depuis le 01/01/2017. », or None for a member from the start."""
    left = None if pd.isna(date_depart) else pd.Timestamp(date_depart).date()
    entered = None if pd.isna(date_adhesion) else pd.Timestamp(date_adhesion).date()
    if left is not None:
        since = f" (membre depuis le {fmt_date(entered)})" if entered is not None else ""
        return f"A quitté la communauté le {fmt_date(left)}{since} : ses chiffres transmis restent publiés."
    if entered is not None:
        return f"Membre de la communauté depuis le {fmt_date(entered)}."
    return None

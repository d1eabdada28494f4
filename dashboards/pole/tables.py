"""Fiche pôle: a pole's yearly values with their origin, sources and comments."""

from __future__ import annotations

import pandas as pd

from dashboards.shared.display import value_text

# How a yearly value was obtained (mart_pole_year.origine), in words for the pole page.
# Values outside this list are shown as they are.
ORIGIN_LABELS: dict[str, str] = {
    "annuel": "valeur annuelle transmise",
    "trimestres": "calculée à partir des trimestres",
    "calcul": "calculée (rapport de sommes)",
}


def pole_values_table(series: pd.DataFrame) -> pd.DataFrame:
    """A pole's yearly values (rows of `reads.pole_series`): one row per indicator and year."""
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
            "Commentaire du pôle": series["commentaires"].fillna("").astype(str),
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

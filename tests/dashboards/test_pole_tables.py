"""Fiche pôle texts: a pole's yearly values, their origin, sources and comments."""

from __future__ import annotations

import pandas as pd

from dashboards.pole import tables as pole_tables
from dashboards.shared.table_format import display_frame


def test_origin_label() -> None:
    assert pole_tables.origin_label("annuel", None) == "valeur annuelle transmise"
    assert pole_tables.origin_label("trimestres", 3) == "calculée à partir des trimestres (3 trimestres)"
    assert pole_tables.origin_label("trimestres", 1) == "calculée à partir des trimestres (1 trimestre)"
    assert pole_tables.origin_label("calcul", pd.NA) == "calculée (rapport de sommes)"
    assert pole_tables.origin_label("autre", None) == "autre"
    assert pole_tables.origin_label(None, None) == "–"


def test_pole_values_table() -> None:
    series = pd.DataFrame(
        [
            {
                "code": "part_cdi",
                "domaine_libelle": "Emploi au sein du PTCE",
                "libelle": "Part des salariés en CDI",
                "annee": year,
                "unite": "%",
                "valeur": value,
                "mediane_reseau": median,
                "origine": "calcul",
                "nb_trimestres": None,
                "fichiers": None,
                "commentaires": None,
            }
            for year, value, median in ((2015, 0.3, 0.35), (2016, 0.4, 0.45))
        ]
        + [
            {
                "code": "representation",
                "domaine_libelle": "Qualité de l'emploi",
                "libelle": "Représentation",
                "annee": 2016,
                "unite": "oui/non",
                "valeur": 1.0,
                "mediane_reseau": 0.5,
                "origine": "annuel",
                "nb_trimestres": None,
                "fichiers": "raw/indicateurs/a.csv",
                "commentaires": "Chiffre provisoire",
            },
        ]
    )
    table = pole_tables.pole_values_table(series)
    # One row per indicator, in the working angles' order; each year's value beside its median.
    assert list(table.frame.columns) == [
        "Indicateur",
        "Angle de travail",
        "Unité",
        "2015",
        "Médiane 2015",
        "2016",
        "Médiane 2016",
    ]
    assert table.frame["Indicateur"].tolist() == ["Part des salariés en CDI", "Représentation"]
    assert table.frame["2016"].tolist() == [0.4, 1.0]  # typed: sorts as numbers
    shown = display_frame(table)
    assert shown["2015"].tolist() == ["30,0 %", "–"]  # no 2015 value for the second indicator
    assert shown["2016"].tolist() == ["40,0 %", "oui"]
    assert shown["Médiane 2016"].tolist() == ["45,0 %", "0,5"]  # half the poles: a number
    sources = pole_tables.pole_sources_table(series)
    assert sources["Fichiers sources"].tolist() == ["", "", "raw/indicateurs/a.csv"]
    assert sources["Origine"].tolist()[0] == "calculée (rapport de sommes)"
    comments = pole_tables.pole_comments(series)
    assert comments.values.tolist() == [["Représentation", 2016, "Chiffre provisoire"]]

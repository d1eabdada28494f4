"""Fiche pôle texts: a pole's yearly values, their origin, sources and comments."""

from __future__ import annotations

import pandas as pd

from dashboards.pole import tables as pole_tables


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
                "domaine_libelle": "Emploi au sein du PTCE",
                "libelle": "Part des salariés en CDI",
                "annee": 2016,
                "unite": "%",
                "valeur": 0.4,
                "mediane_reseau": 0.45,
                "origine": "calcul",
                "nb_trimestres": None,
                "fichiers": None,
                "commentaires": None,
            },
            {
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
    assert list(table.columns) == [
        "Domaine",
        "Indicateur",
        "Année",
        "Valeur",
        "Médiane des pôles",
        "Origine",
        "Commentaire du pôle",
        "Fichiers sources",
    ]
    assert table["Année"].tolist() == ["2016", "2016"]
    assert table["Valeur"].tolist() == ["40,0 %", "oui"]
    assert table["Médiane des pôles"].tolist() == ["45,0 %", "0,5"]
    assert table["Fichiers sources"].tolist() == ["", "raw/indicateurs/a.csv"]
    assert table["Commentaire du pôle"].tolist() == ["", "Chiffre provisoire"]
    comments = pole_tables.pole_comments(series)
    assert comments.values.tolist() == [["Représentation", 2016, "Chiffre provisoire"]]

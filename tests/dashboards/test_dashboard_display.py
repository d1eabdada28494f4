"""French texts the pages show: metric values and changes, captions, escaping, formatted tables."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboards import display
from ptce.fmt import fmt_number, fmt_percent


@pytest.mark.parametrize(
    ("current", "previous", "unite", "expected"),
    [
        (110.0, 100.0, "personnes", "+10,0 %"),
        (90.0, 100.0, "ETP", "-10,0 %"),
        (0.624, 0.600, "%", "+2,4 pt"),  # rates change in points, not in percent of a percent
        (0.55, 0.60, "%", "-5 pt"),
        (12.0, None, "nombre", None),
        (None, 5.0, "nombre", None),
        (12.0, 0.0, "nombre", None),  # no relative change from zero
        (float("nan"), 3.0, "nombre", None),
    ],
)
def test_metric_delta(
    current: float | None, previous: float | None, unite: str, expected: str | None
) -> None:
    result = display.metric_delta(current, previous, unite)
    if expected is None:
        assert result is None
    else:
        # Babel separates the % sign with a space; compare ignoring the kind of space.
        assert result is not None
        assert result.replace("\u00a0", " ").replace("\u202f", " ") == expected


def test_value_text_is_french() -> None:
    assert display.value_text(3777.0, "personnes") == fmt_number(3777)
    assert display.value_text(3777.0, "personnes") == "3\u202f777"
    assert display.value_text(0.6243, "%") == fmt_percent(0.6243) == "62,4 %"
    assert display.value_text(float("nan"), "nombre") == "–"
    assert display.value_text(None, "%") == "–"
    assert display.value_text(1.0, "oui/non") == "oui"
    assert display.value_text(0.0, "oui/non") == "non"
    assert display.value_text(0.5, "oui/non") == "0,5"  # a median of yes/no answers


def test_delta_color_follows_the_catalogue_direction() -> None:
    assert display.delta_color("hausse") == "normal"
    assert display.delta_color("baisse") == "inverse"
    assert display.delta_color("neutre") == "off"


def test_metric_help_counts_poles() -> None:
    assert display.metric_help("Salariés", 11, 12, 2017, True) == (
        "Salariés : 11 pôles sur 12 ont transmis cette valeur pour 2017. Évolution par rapport à 2016."
    )
    assert (
        display.metric_help("X", 1, 12, 2015, False) == "X : 1 pôle sur 12 a transmis cette valeur pour 2015."
    )


def test_publication_caption_on_paris_clock() -> None:
    # The pipeline writes UTC; Paris is UTC+1 in winter and UTC+2 in summer.
    winter = display.publication_caption(pd.Timestamp("2026-11-23 19:14:25"), "2026.1")
    assert winter == "Données publiées le 23/11/2026 à 20:14 · catalogue 2026.1"
    summer = display.publication_caption(pd.Timestamp("2026-07-01 12:00"), "2026.1")
    assert summer == "Données publiées le 01/07/2026 à 14:00 · catalogue 2026.1"
    assert display.publication_caption(None, None) == "Données publiées le – · catalogue –"


def test_escape_markdown_makes_names_inert() -> None:
    escaped = display.escape_markdown("Pôle *gras* [lien](http://x) $x$ <b>")
    assert escaped == r"Pôle \*gras\* \[lien\]\(http\://x\) \$x\$ \<b\>"


def test_origin_label() -> None:
    assert display.origin_label("annuel", None) == "valeur annuelle transmise"
    assert display.origin_label("trimestres", 3) == "calculée à partir des trimestres (3 trimestres)"
    assert display.origin_label("trimestres", 1) == "calculée à partir des trimestres (1 trimestre)"
    assert display.origin_label("calcul", pd.NA) == "calculée (rapport de sommes)"
    assert display.origin_label("autre", None) == "autre"
    assert display.origin_label(None, None) == "–"


def test_poles_table_headers_and_formats() -> None:
    frame = pd.DataFrame(
        [
            {
                "pole_id": "phares",
                "numero": 3,
                "nom": "PHARES",
                "commune": "L'Île-Saint-Denis",
                "nom_departement": "Seine-Saint-Denis",
                "region": "Île-de-France",
                "membres": 16.0,
                "salaries": 1234.0,
                "etp": 987.5,
                "emplois_crees": None,
                "personnes_accompagnees": 40.0,
                "taux_sortie_dynamique": 0.5,
            }
        ]
    )
    table = display.poles_table(frame)
    row = table.iloc[0]
    assert row["N°"] == 3
    assert row["Salariés"] == "1\u202f234"
    assert row["ETP"] == "987,5"
    assert row["Emplois créés"] == "–"
    assert row["Taux de sorties dynamiques"] == fmt_percent(0.5)
    assert row["Fiche"] == "pole?pole=phares"


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
            },
        ]
    )
    table = display.pole_values_table(series)
    assert list(table.columns) == [
        "Domaine",
        "Indicateur",
        "Année",
        "Valeur",
        "Médiane des pôles",
        "Origine",
        "Fichiers sources",
    ]
    assert table["Année"].tolist() == ["2016", "2016"]
    assert table["Valeur"].tolist() == [fmt_percent(0.4), "oui"]
    assert table["Médiane des pôles"].tolist() == [fmt_percent(0.45), "0,5"]
    assert table["Fichiers sources"].tolist() == ["", "raw/indicateurs/a.csv"]

"""Vue d'ensemble texts: year-on-year changes, key-figure labels and help, the table of poles."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboards.overview import tables as overview_tables
from dashboards.shared.table_format import display_frame


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
    result = overview_tables.metric_delta(current, previous, unite)
    if expected is None:
        assert result is None
    else:
        # Babel separates the % sign with a space; compare ignoring the kind of space.
        assert result is not None
        assert result.replace("\u00a0", " ").replace("\u202f", " ") == expected


def test_delta_color_follows_the_catalogue_direction() -> None:
    assert overview_tables.delta_color("hausse") == "normal"
    assert overview_tables.delta_color("baisse") == "inverse"
    assert overview_tables.delta_color("neutre") == "off"


def test_metric_help_counts_poles() -> None:
    assert overview_tables.metric_help("Salariés", 11, 12, 2017, True) == (
        "Salariés : 11 pôles sur 12 ont transmis cette valeur pour 2017. Évolution par rapport à 2016."
    )
    assert (
        overview_tables.metric_help("X", 1, 12, 2015, False)
        == "X : 1 pôle sur 12 a transmis cette valeur pour 2015."
    )
    assert overview_tables.metric_help("Emplois créés dans l'année", 12, 12, 2017, False, "PI3687") == (
        "Emplois créés dans l'année : 12 pôles sur 12 ont transmis cette valeur pour 2017. "
        "Référence IRIS+ : PI3687."
    )


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
                "emplois_consolides": 7.0,
                "personnes_accompagnees": 40.0,
                "sorties_emploi_durable": 12.0,
                "taux_sortie_dynamique": 0.5,
            }
        ]
    )
    table = overview_tables.poles_table(frame)
    # Typed, so the page sorts numbers as numbers...
    typed = table.frame.iloc[0]
    assert typed["Salariés"] == 1234.0
    assert typed["Taux de sorties dynamiques"] == 0.5
    assert pd.isna(typed["Emplois créés"])
    # ...and written in French, by the catalogue unit of each key figure.
    row = display_frame(table).iloc[0]
    # The pole's name first (pinned), its page's link beside it, in view without scrolling.
    assert list(table.frame.columns[:3]) == ["Pôle", "Fiche", "N°"]
    assert row["N°"] == "3"
    assert row["Salariés"] == "1\u202f234"
    assert row["ETP"] == "987,5"
    assert row["Emplois créés"] == "–"
    assert row["Emplois consolidés"] == "7"
    assert row["Sorties emploi durable"] == "12"
    assert row["Taux de sorties dynamiques"] == "50,0 %"
    assert row["Fiche"] == "pole?pole=phares"


def test_pole_names_and_the_clicked_pole() -> None:
    frame = pd.DataFrame({"pole_id": ["phares", "esci"], "numero": [3, 11], "nom": ["PHARES", "ESCI"]})
    assert overview_tables.pole_names(frame) == {"phares": "3. PHARES", "esci": "11. ESCI"}
    # A click on the map hands over the marker's data: its first customdata is the pole's id.
    clicked = [{"curve_number": 2, "point_index": 4, "customdata": ["esci", "ESCI", "Voiron", "25"]}]
    assert overview_tables.clicked_pole(clicked) == "esci"
    assert overview_tables.clicked_pole([]) is None
    assert overview_tables.clicked_pole([{"curve_number": 0, "point_index": 17}]) is None

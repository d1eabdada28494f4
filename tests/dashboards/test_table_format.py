"""The shared table convention: typed values (they sort), French texts (they read), safe exports."""

from __future__ import annotations

import pandas as pd

from dashboards.shared import export, table_format
from dashboards.shared.table_format import Table, display_frame, export_frame, styled

NNBSP = "\u202f"


def sample() -> Table:
    return Table(
        pd.DataFrame(
            {
                "Pôle": ["PHARES", "Bou'Sol", "Pôle Sud Aquitain"],
                "Emplois": [8, 36, 1234],
                "Taux": [0.452, None, 1.0],
                "Reçu le": pd.to_datetime(["2018-02-19", "2018-01-29", None]),
                "Année": [2016, 2017, 2015],
            }
        ),
        formats={"Taux": table_format.PERCENT, "Année": table_format.YEAR},
    )


def test_values_stay_typed_so_they_sort_as_numbers_and_dates() -> None:
    frame = styled(sample()).data
    assert frame["Emplois"].sort_values(ascending=False).tolist() == [1234, 36, 8]
    dates = frame["Reçu le"].dropna().sort_values().dt.strftime("%d/%m/%Y").tolist()
    assert dates == ["29/01/2018", "19/02/2018"]  # chronological, not alphabetical


def test_every_cell_reads_in_french() -> None:
    shown = display_frame(sample())
    assert shown["Emplois"].tolist() == ["8", "36", f"1{NNBSP}234"]
    assert shown["Taux"].tolist() == ["45,2 %", "–", "100,0 %"]
    assert shown["Reçu le"].tolist() == ["19/02/2018", "29/01/2018", "–"]
    assert shown["Année"].tolist() == ["2016", "2017", "2015"]  # never "2 016"


def test_the_styler_carries_the_same_texts_as_the_page() -> None:
    html = styled(sample()).to_html()
    for text in (f"1{NNBSP}234", "45,2 %", "19/02/2018", ">2016<", "–"):
        assert text in html
    assert "1234<" not in html and "0.452" not in html


def test_a_unit_column_writes_each_row_in_its_unit() -> None:
    table = Table(
        pd.DataFrame(
            {
                "Indicateur": ["Salariés", "Part en CDI", "Représentation"],
                "Unité": ["personnes", "%", "oui/non"],
                "2016": [1234.0, 0.4, 1.0],
                "Médiane 2016": [1000.0, 0.45, 0.5],
            }
        ),
        unit_column="Unité",
    )
    shown = display_frame(table)
    assert shown["2016"].tolist() == [f"1{NNBSP}234", "40,0 %", "oui"]
    assert shown["Médiane 2016"].tolist() == [f"1{NNBSP}000", "45,0 %", "0,5"]
    exported = export_frame(table)
    assert exported["2016"].tolist() == [1234.0, 40.0, 1.0]  # a rate in percent for Excel


def test_the_download_is_french_excel_with_dates_as_read() -> None:
    csv = export.to_excel_csv(export_frame(sample())).decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0] == "Pôle;Emplois;Taux (%);Reçu le;Année"
    assert lines[1] == "PHARES;8;45,2;19/02/2018;2016"
    assert lines[2] == "Bou'Sol;36;;29/01/2018;2017"

"""The XLSX download (`export.to_xlsx`), read back with openpyxl: formats, frozen header, no formula."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from dashboards.shared import export


def test_xlsx_has_french_number_formats_a_frozen_header_and_no_live_formula() -> None:
    frame = pd.DataFrame(
        {
            "Pôle": ["PHARES", '=HYPERLINK("http://x","clic")', "@SUM(A1)"],
            "Emplois créés": [17.0, 4.0, None],
            "ETP par structure": [1.25, 0.5, 2.0],
            "Taux d'atteinte": [0.878, 1.05, None],
            "Rang": pd.Series([1, 2, 3], dtype="int64"),
        }
    )
    data = export.to_xlsx(
        frame, sheet="Comparaison", percent_columns=["Taux d'atteinte"], title="Données fictives"
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "Comparaison"
    assert ws["A1"].value == "Données fictives"
    assert [c.value for c in ws[2]] == list(frame.columns)
    assert ws.freeze_panes == "A3"
    # Typed numbers with their formats (French Excel writes « 1 234 », « 1,25 », « 87,8 % »).
    assert ws["B3"].value == 17 and ws["B3"].number_format == "#,##0"
    assert ws["C3"].value == 1.25 and ws["C3"].number_format == "#,##0.0#"
    assert ws["D3"].value == 0.878 and ws["D3"].number_format == "0.0%"
    assert ws["E4"].value == 2 and ws["E4"].number_format == "#,##0"
    assert ws["B5"].value is None and ws["D5"].value is None  # missing stays empty, never 0
    # Formula-looking text is text: apostrophe first, stored as a string.
    assert ws["A4"].value == '\'=HYPERLINK("http://x","clic")' and ws["A4"].data_type == "s"
    assert ws["A5"].value == "'@SUM(A1)"
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_xlsx_without_title_freezes_the_first_row() -> None:
    ws = load_workbook(io.BytesIO(export.to_xlsx(pd.DataFrame({"a": [1]})))).active
    assert ws.freeze_panes == "A2" and ws["A1"].value == "a" and ws["A2"].value == 1

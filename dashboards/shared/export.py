"""Exports of tables for French Excel, with no live formula, and the caps on what a page shows.

Pure functions: `to_excel_csv` and `to_xlsx` neutralise cells beginning with a formula sign (SPEC §5).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# The formula-neutralising rule and the number formats are shared with the yearly report's
# workbook (`reports/xlsx.py`), which may not import the dashboards: they live in `ptce`.
from ptce.spreadsheet import XLSX_DECIMAL, XLSX_INTEGER, XLSX_PERCENT, neutralise, write_text
from ptce.text import truncate_text


def cap_table(frame: pd.DataFrame, max_rows: int | None, max_chars: int) -> tuple[pd.DataFrame, bool, bool]:
    """`frame` cut to `max_rows` rows (None: all) and its text cells to `max_chars` characters.

    Returns the capped frame and whether rows, and whether cells, were cut. A cut cell ends with a
    visible marker giving its full length, so nobody takes it for the whole value.
    """
    rows_cut = max_rows is not None and len(frame) > max_rows
    capped = frame.head(max_rows) if rows_cut else frame.copy()
    cells_cut = False
    for column in capped.columns:
        if pd.api.types.is_numeric_dtype(capped[column]) or pd.api.types.is_datetime64_any_dtype(
            capped[column]
        ):
            continue
        long = capped[column].map(lambda v: isinstance(v, str) and len(v) > max_chars)
        if long.any():
            cells_cut = True
            capped[column] = capped[column].map(
                lambda v: truncate_text(v, max_chars) if isinstance(v, str) else v
            )
    return capped, rows_cut, cells_cut


def to_excel_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV for French Excel: `;`, decimal comma, UTF-8 with BOM, no live formula.

    The BOM makes Excel read UTF-8 (else accents break as CP1252); `;` is the list separator of
    the French locale. Text cells beginning with a formula sign get a leading apostrophe, so a
    value sent by a pole (`=HYPERLINK(...)`) is shown, never run. Numbers are left alone: a
    negative number is a number, not a formula.
    """
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    text = safe.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_xlsx(
    frame: pd.DataFrame,
    *,
    sheet: str = "Tableau",
    percent_columns: Sequence[str] = (),
    title: str | None = None,
) -> bytes:
    """A table as an XLSX workbook: header frozen, numbers typed in French formats, no live formula.

    Whole-number columns get `XLSX_INTEGER`, other numbers `XLSX_DECIMAL`, `percent_columns`
    (ratios in [0, 1]) `XLSX_PERCENT`. A text cell beginning with a formula sign is written as
    text, with the CSV's leading apostrophe, so that it is never run. `title` (the demo notice, for
    instance) goes in a first line above the header.
    """
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet[:31]  # Excel's limit on sheet names
    first = 1
    if title:
        write_text(ws, 1, 1, title)
        first = 2
    for j, name in enumerate(frame.columns, start=1):
        write_text(ws, first, j, name).font = Font(bold=True)
    formats: dict[str, str] = {}
    for name in frame.columns:
        column = frame[name]
        if name in percent_columns:
            formats[name] = XLSX_PERCENT
        elif pd.api.types.is_bool_dtype(column):
            continue
        elif pd.api.types.is_integer_dtype(column):
            formats[name] = XLSX_INTEGER
        elif pd.api.types.is_float_dtype(column):
            known = column.dropna()
            whole = bool(len(known)) and bool((known == known.round()).all())
            formats[name] = XLSX_INTEGER if whole else XLSX_DECIMAL
    for i, row in enumerate(frame.itertuples(index=False), start=first + 1):
        for j, (name, value) in enumerate(zip(frame.columns, row, strict=True), start=1):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            if isinstance(value, str):
                write_text(ws, i, j, value)
                continue
            cell = ws.cell(row=i, column=j, value=value.item() if hasattr(value, "item") else value)
            if name in formats:
                cell.number_format = formats[name]
    ws.freeze_panes = ws.cell(row=first + 1, column=1)
    for j, name in enumerate(frame.columns, start=1):
        longest = max([len(str(name)), *(len(str(v)) for v in frame[name].head(200))])
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(10, longest + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

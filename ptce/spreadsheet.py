"""Safe spreadsheet cells, shared by the dashboards' exports and the yearly report's workbook.

Two rules every CSV or XLSX we write follows (SPEC §5): a text cell never runs as a formula, and a
number stays a number, typed with a format that French Excel shows as « 1 234,5 », « 45,2 % »,
« 1 234 € ». Excel number formats are written with the en-US codes (`,` thousands, `.` decimals)
and shown in the reader's locale, so one code serves every reader.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

# Excel runs a cell as a formula when it begins with one of these (OWASP "CSV injection"); a tab
# or carriage return first is also a known trick to hide the formula sign from naive filters.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

XLSX_INTEGER = "#,##0"
XLSX_DECIMAL = "#,##0.0#"
XLSX_PERCENT = "0.0%"
XLSX_DATE = "DD/MM/YYYY"
XLSX_DATETIME = "DD/MM/YYYY HH:MM"


def neutralise(value: object) -> object:
    """A text beginning with a formula sign, with a leading apostrophe (shown, never run); any
    other value as it is. Numbers are left alone: a negative number is a number, not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def number_format(decimals: int = 0) -> str:
    """`#,##0` with `decimals` fixed decimals (`#,##0.0` for one): « 1 234,5 » in French Excel."""
    return XLSX_INTEGER + ("." + "0" * decimals if decimals > 0 else "")


def percent_format(decimals: int = 1) -> str:
    """`0.0%` for a ratio (0.452 shown « 45,2 % »), with `decimals` decimals."""
    return "0" + ("." + "0" * decimals if decimals > 0 else "") + "%"


def money_format(decimals: int = 0) -> str:
    """Euros after the number, as French writes them: « 1 234 € »."""
    return number_format(decimals) + ' "€"'


def write_text(ws: Worksheet, row: int, column: int, text: object) -> Cell:
    """Write `text` as a text cell, neutralised: openpyxl would otherwise store « =… » as a formula."""
    cell = ws.cell(row=row, column=column, value=str(neutralise(str(text))))
    cell.data_type = "s"
    return cell

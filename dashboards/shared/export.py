"""Exports of tables for French Excel, with no live formula, and the caps on what a page shows.

Pure functions: `to_excel_csv` neutralises cells beginning with a formula sign (SPEC §5).
"""

from __future__ import annotations

import pandas as pd

from ptce.text import truncate_text

# Excel runs a cell as a formula when it begins with one of these (OWASP "CSV injection"); a tab
# or carriage return first is also a known trick to hide the formula sign from naive filters.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


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

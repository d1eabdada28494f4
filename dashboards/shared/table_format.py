"""Tables shown in French while their numbers and dates stay typed: the one convention every page uses.

A table formatted to strings sorts "8, 7, 36, 29" and "29/01/2018" before "19/02/2018", and its
numbers sit on the left. Here a page's table keeps typed columns (numbers, dates) and says how each
is written: `Table.formats` gives a display format per column, by unit ("%", "ETP", "date",
"année"...) or as a function; a `unit_column` gives the unit row by row where one column mixes
indicators of several units (a pole's values). `styled` turns that into a pandas Styler, whose
display texts Streamlit shows while it sorts and aligns on the typed values; `export_frame` gives
the same table for the CSV download, numbers left as numbers.

Pure functions (no Streamlit), so what a page shows can be tested on small frames.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from pandas.io.formats.style import Styler

from ptce.fmt import fmt_date, fmt_datetime, fmt_number, fmt_value

Formatter = Callable[[object], str]
MISSING = "–"

# Display formats that are not catalogue units. Catalogue units ("%", "ETP", "personnes",
# "oui/non"...) are written by `fmt_value`.
DATE = "date"  # 23/11/2026
DATETIME = "date et heure"  # 23/11/2026 à 14:05
YEAR = "année"  # 2016, never "2 016"
INTEGER = "entier"  # 1 234
DECIMAL = "décimal"  # 1 234,56 (up to two decimals, shown when needed)
PERCENT = "%"  # 0.452 -> 45,2 %, the catalogue's unit for rates


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def formatter(kind: str | Formatter) -> Formatter:
    """The function writing one cell for a display format or catalogue unit (missing: "–")."""
    if callable(kind):
        return kind

    def write(value: object) -> str:
        if _missing(value):
            return MISSING
        if kind == DATE:
            return fmt_date(pd.Timestamp(value).to_pydatetime())  # type: ignore[arg-type]
        if kind == DATETIME:
            return fmt_datetime(pd.Timestamp(value).to_pydatetime())  # type: ignore[arg-type]
        if kind == YEAR:
            return str(int(value))  # type: ignore[call-overload]
        if kind == INTEGER:
            return fmt_number(value)  # type: ignore[arg-type]
        if kind == DECIMAL:
            return fmt_number(value, decimals=2)  # type: ignore[arg-type]
        if kind == "oui/non" and value not in (0, 1, True, False):
            # A median or mean of yes/no answers over poles (0,5) is neither yes nor no.
            return fmt_number(value, decimals=2)  # type: ignore[arg-type]
        return fmt_value(value, kind)  # type: ignore[arg-type]

    return write


def _default_kind(series: pd.Series) -> str | None:
    """How a column is written when the table does not say: by its type."""
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_datetime64_any_dtype(series):
        return DATE
    if pd.api.types.is_integer_dtype(series):
        return INTEGER
    if pd.api.types.is_float_dtype(series):
        return DECIMAL
    return None


@dataclass(frozen=True)
class Table:
    """A table for a page: typed values, and how each column is written in French.

    `formats` maps a column to a display format (`DATE`, `YEAR`, a catalogue unit...) or a
    function; columns not named are written by their type (integers `1 234`, decimals `1 234,5`,
    dates `23/11/2026`, text as it is). `unit_column` names a column holding a catalogue unit per
    row: the numeric columns not in `formats` are then written in that row's unit.
    """

    frame: pd.DataFrame
    formats: Mapping[str, str | Formatter] = field(default_factory=dict)
    unit_column: str | None = None

    def column_kinds(self) -> dict[str, str | Formatter]:
        """The display format of every column that has one (named, else by type)."""
        kinds: dict[str, str | Formatter] = {}
        for column in self.frame.columns:
            if column in self.formats:
                kinds[column] = self.formats[column]
            elif self.unit_column is None or not pd.api.types.is_numeric_dtype(self.frame[column]):
                kind = _default_kind(self.frame[column])
                if kind is not None:
                    kinds[column] = kind
        return kinds

    def row_unit_columns(self) -> list[str]:
        """Numeric columns written in each row's unit (those not given a format)."""
        if self.unit_column is None:
            return []
        return [
            c
            for c in self.frame.columns
            if c not in self.formats
            and c != self.unit_column
            and pd.api.types.is_numeric_dtype(self.frame[c])
            and not pd.api.types.is_bool_dtype(self.frame[c])
        ]


def as_table(data: Table | pd.DataFrame) -> Table:
    return data if isinstance(data, Table) else Table(data)


def display_frame(table: Table) -> pd.DataFrame:
    """Every cell as the text the page shows (what a reader sees, for tests and checks)."""
    frame = table.frame.reset_index(drop=True)
    shown = frame.astype(object).where(frame.notna(), None)
    for column, kind in table.column_kinds().items():
        shown[column] = [formatter(kind)(v) for v in frame[column]]
    unit_columns = table.row_unit_columns()
    if unit_columns:
        units = frame[table.unit_column].astype(str)
        for column in unit_columns:
            shown[column] = [formatter(u)(v) for v, u in zip(frame[column], units, strict=True)]
    return shown.fillna("")


def styled(table: Table) -> Styler:
    """The typed table with its French display texts, for `st.dataframe` (sorts on the values)."""
    frame = table.frame.reset_index(drop=True)
    style = frame.style
    for column, kind in table.column_kinds().items():
        style = style.format(formatter(kind), subset=[column])
    unit_columns = table.row_unit_columns()
    if unit_columns:
        units = frame[table.unit_column].astype(str)
        for unit in units.unique():
            rows = frame.index[units == unit]
            style = style.format(formatter(unit), subset=pd.IndexSlice[rows, unit_columns])
    return style


def export_frame(table: Table) -> pd.DataFrame:
    """The table for a CSV download: numbers stay numbers, rates in percent, dates and years French.

    A rate is exported as 45.2 (in a column whose header says "%", or a row whose unit is "%"),
    not 0.452, since that is how it reads in Excel beside the page.
    """
    frame = table.frame.reset_index(drop=True).copy()
    renamed: dict[str, str] = {}
    for column, kind in table.column_kinds().items():
        if kind in (DATE, DATETIME, YEAR) or callable(kind):
            if callable(kind) and pd.api.types.is_numeric_dtype(frame[column]):
                continue  # a custom writer of numbers: the number is what Excel needs
            frame[column] = [None if _missing(v) else formatter(kind)(v) for v in frame[column]]
        elif kind == PERCENT:
            frame[column] = (frame[column] * 100).round(1)
            renamed[column] = f"{column} (%)"
    unit_columns = table.row_unit_columns()
    if unit_columns:
        is_rate = frame[table.unit_column].astype(str) == PERCENT
        for column in unit_columns:
            frame[column] = frame[column].astype(float)
            frame.loc[is_rate, column] = (frame.loc[is_rate, column] * 100).round(1)
    return frame.rename(columns=renamed)

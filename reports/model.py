"""What a yearly report is, whatever its format: the contract between content and renderers.

`content.build_report` fills these classes from the warehouse; `render` (HTML, PDF) and `xlsx` only
format them. Every text here is plain French text, never HTML nor Markdown: the renderers escape it.
Values are kept as numbers (the XLSX needs them) with the way to format them in `Column.kind`; a
masked person count is the small-cell label itself (a `str`, e.g. « < 5 » or « s »), a missing value
is `None` (shown « – »).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import plotly.graph_objects as go

# How a column's values are written: `count` and `number` with French thousands separators,
# `percent` from a ratio (0.452 → « 45,2 % »), `money` in euros, `date` as « 24/11/2016 ».
ColumnKind = Literal["text", "count", "number", "percent", "money", "date"]
Cell = float | int | str | None


class ReportError(Exception):
    """A report that cannot be built, with the reason in French for the person who asked (a year
    with no data, no published warehouse, a missing system tool and how to install it)."""


@dataclass(frozen=True)
class Column:
    """One column of a report table: its French header, how to write its values."""

    name: str
    kind: ColumnKind = "text"
    decimals: int = 0


@dataclass(frozen=True)
class ReportTable:
    """A table of the report. `sources[i]` names the raw files row i comes from (« ; »-separated,
    « » when none); `sheet` is the XLSX sheet (working angle) the table goes to, None when the
    table is only printed. `printed` False keeps a table out of the PDF and the HTML page, in the
    workbook only: one row per pole of a national network, which the printed report summarises.
    `dense` prints it in a smaller type, one line a row (the table of every pole of a network)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    sources: tuple[str, ...]
    note: str = ""
    sheet: str | None = None
    printed: bool = True
    dense: bool = False

    def __post_init__(self) -> None:
        if not self.printed and not self.sheet:
            raise ValueError(f"Table {self.key}: neither printed nor in a sheet")
        if len(self.sources) != len(self.rows):
            raise ValueError(f"Table {self.key}: {len(self.rows)} rows but {len(self.sources)} sources")
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(f"Table {self.key}, row {i}: {len(row)} cells, {len(self.columns)} columns")


@dataclass(frozen=True)
class KeyFigure:
    """A headline number. `value` is None when missing or masked; `display` is what is printed
    (« 1 234 », « 45,2 % », « < 5 », « – »); `change` compares with the previous year in words
    (« +8 % par rapport à 2015 ») or is empty when either year is missing or masked."""

    label: str
    value: float | None
    display: str
    unit: str = ""
    change: str = ""
    masked: bool = False
    sources: str = ""


@dataclass(frozen=True)
class ReportChart:
    """A chart drawn by the dashboards' own chart functions. `alt` describes it in one French
    sentence (the PDF's image description and the HTML's figure caption)."""

    key: str
    title: str
    figure: go.Figure
    alt: str
    width: int = 900
    height: int = 450


@dataclass
class Section:
    """One part of the report, with a table-of-contents entry. `paragraphs` are generated
    sentences (plain text); `subsections` hold e.g. one part per pole."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    key_figures: list[KeyFigure] = field(default_factory=list)
    charts: list[ReportChart] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    page_break: bool = True


@dataclass(frozen=True)
class Publication:
    """The publication of the warehouse the report was built from (SPEC traceability)."""

    run_id: str
    published_at: datetime
    catalogue_version: str
    file_count: int


@dataclass
class Report:
    """The report of one year. `demo` puts « Données fictives » on every page and sheet."""

    year: int
    title: str
    subtitle: str
    demo: bool
    publication: Publication
    threshold: int
    summary: list[str]
    sections: list[Section]
    generated_at: datetime

    def all_tables(self) -> list[ReportTable]:
        """Every table, sections and subsections in reading order."""
        found: list[ReportTable] = []

        def walk(sections: list[Section]) -> None:
            for section in sections:
                found.extend(section.tables)
                walk(section.subsections)

        walk(self.sections)
        return found

    def printed_tables(self) -> list[ReportTable]:
        """The tables of the PDF and the HTML page, in reading order."""
        return [table for table in self.all_tables() if table.printed]

    def all_charts(self) -> list[ReportChart]:
        """Every chart, in reading order."""
        found: list[ReportChart] = []

        def walk(sections: list[Section]) -> None:
            for section in sections:
                found.extend(section.charts)
                walk(section.subsections)

        walk(self.sections)
        return found

"""The report's workbook: a « Rapport » sheet, one sheet per working angle, « Définitions » last.

Every table of the report that names a `sheet` goes to that sheet, tables one under the other, each
with its title row and its bold header; the first header of a sheet is frozen. Two columns close
every table so that each figure can be traced (SPEC §5, issue #14): « Fichiers sources » (the raw
files the row comes from) and « Publication » (the date of the warehouse publication the report was
built from). Numbers are written as numbers with French-looking formats (`ptce.spreadsheet`), a
masked person count (« < 5 », « s ») as the text of its label, a missing value as an empty cell,
and every text through the formula neutraliser.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ptce import small_cells
from ptce.fmt import fmt_datetime
from ptce.spreadsheet import (
    XLSX_DATE,
    XLSX_DATETIME,
    money_format,
    number_format,
    percent_format,
    write_text,
)
from reports.model import Column, Report, ReportTable

REPORT_SHEET = "Rapport"
DEFINITIONS_SHEET = "Définitions"
SOURCES_HEADER = "Fichiers sources"
PUBLICATION_HEADER = "Publication"
DEMO_NOTICE = (
    "Données fictives de démonstration : ces chiffres, produits par « ptce sample », ne décrivent "
    "aucun pôle réel."
)

# Excel refuses these characters in a sheet name, and names longer than 31 characters.
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LIMIT = 31
MAX_WIDTH = 60
MIN_WIDTH = 8
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
NOTICE_FONT = Font(bold=True, color="9C0006")


_TRAILING_WORDS = frozenset({"à", "au", "aux", "de", "des", "du", "en", "et", "la", "le", "les", "l'", "d'"})


def _shortened(name: str) -> str:
    """A name over Excel's limit said shorter rather than cut mid-word (« Formes d'emploi et
    mutualisation » → « Formes d'emploi, mutualisation »): « et » becomes a comma, then whole words
    are dropped from the end."""
    if len(name) <= SHEET_NAME_LIMIT:
        return name
    name = name.replace(" et ", ", ")
    while len(name) > SHEET_NAME_LIMIT and " " in name:
        name = name.rsplit(" ", 1)[0].rstrip(",;")
    # Never end on a small word (« Parcours, sécurisation des »).
    while " " in name and name.rsplit(" ", 1)[1].casefold() in _TRAILING_WORDS:
        name = name.rsplit(" ", 1)[0].rstrip(",;")
    return name[:SHEET_NAME_LIMIT].rstrip()


def sheet_name(wanted: str, taken: set[str]) -> str:
    """`wanted` made a valid Excel sheet name, unique (Excel compares names case-insensitively)
    among `taken`, which it joins: forbidden characters become spaces, no apostrophe at either end
    (Excel refuses it), at most 31 characters, « (2) »… added on a clash."""
    name = re.sub(r"\s+", " ", _FORBIDDEN.sub(" ", wanted)).strip().strip("'").strip()
    name = name or "Feuille"
    base, n = _shortened(name), 1
    candidate = base
    while candidate.casefold() in {t.casefold() for t in taken}:
        n += 1
        suffix = f" ({n})"
        candidate = base[: SHEET_NAME_LIMIT - len(suffix)].rstrip() + suffix
    taken.add(candidate)
    return candidate


def cell_format(column: Column) -> str | None:
    """The Excel number format of a column's numbers, by its kind; None for text."""
    if column.kind in ("count", "number"):
        return number_format(column.decimals)
    if column.kind == "percent":
        # A ratio shown with one decimal unless the column asks for more (« 45,2 % »).
        return percent_format(column.decimals or 1)
    if column.kind == "money":
        return money_format(column.decimals)
    if column.kind == "date":
        return XLSX_DATE
    return None


def _naive(moment: datetime) -> datetime:
    # openpyxl refuses time zones; the publication time is written as the local time it shows.
    return moment.replace(tzinfo=None) if moment.tzinfo is not None else moment


def _write_value(ws: Worksheet, row: int, col: int, value: object, column: Column) -> None:
    if value is None or (isinstance(value, float) and value != value):
        return  # missing stays empty, never 0
    if isinstance(value, str):
        # A masked count's label (« < 5 », « s »), a dash, or text: written as text, neutralised.
        write_text(ws, row, col, value)
        return
    if isinstance(value, bool):
        write_text(ws, row, col, "oui" if value else "non")
        return
    if isinstance(value, datetime | date):
        cell = ws.cell(row=row, column=col, value=_naive(value) if isinstance(value, datetime) else value)
        cell.number_format = XLSX_DATE
        return
    cell = ws.cell(row=row, column=col, value=value.item() if hasattr(value, "item") else value)
    fmt = cell_format(column)
    if fmt is not None and column.kind != "date":
        cell.number_format = fmt


def _write_table(ws: Worksheet, row: int, table: ReportTable, published: datetime) -> tuple[int, int]:
    """Write `table` from `row`: title, note, header, rows. Returns (header row, next free row)."""
    write_text(ws, row, 1, table.title).font = BOLD
    row += 1
    if table.note:
        write_text(ws, row, 1, table.note).font = Font(italic=True)
        row += 1
    headers = [c.name for c in table.columns] + [SOURCES_HEADER, PUBLICATION_HEADER]
    for j, name in enumerate(headers, start=1):
        cell = write_text(ws, row, j, name)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    header_row = row
    n = len(table.columns)
    for values, source in zip(table.rows, table.sources, strict=True):
        row += 1
        for j, (value, column) in enumerate(zip(values, table.columns, strict=True), start=1):
            _write_value(ws, row, j, value, column)
        write_text(ws, row, n + 1, source)
        stamp = ws.cell(row=row, column=n + 2, value=published)
        stamp.number_format = XLSX_DATE
    return header_row, row + 2  # one empty row between tables


def _widths(ws: Worksheet) -> None:
    """Each column as wide as its longest cell (capped), dates and numbers at their shown width."""
    longest: dict[int, int] = {}
    for cells in ws.iter_rows():
        for cell in cells:
            if cell.value is None:
                continue
            if isinstance(cell.value, datetime | date):
                size = 10
            elif isinstance(cell.value, str):
                size = max(len(line) for line in cell.value.splitlines() or [""])
            else:
                size = len(f"{cell.value:,.2f}") if isinstance(cell.value, float) else len(f"{cell.value:,}")
            longest[cell.column] = max(longest.get(cell.column, 0), size)
    for col, size in longest.items():
        ws.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(MIN_WIDTH, size + 2))


def _sheet_heading(ws: Worksheet, title: str, report: Report) -> int:
    """The sheet's title, and the demo notice under it: returns the next free row."""
    write_text(ws, 1, 1, title).font = TITLE_FONT
    row = 2
    if report.demo:
        write_text(ws, row, 1, DEMO_NOTICE).font = NOTICE_FONT
        row += 1
    return row + 1


def _cover_sheet(ws: Worksheet, report: Report, sheets: list[str]) -> None:
    """The first sheet: what the workbook is, which publication it was built from, the rules."""
    ws.title = REPORT_SHEET
    row = _sheet_heading(ws, report.title, report)
    if report.subtitle:
        write_text(ws, row, 1, report.subtitle)
        row += 2
    publication = report.publication
    facts: list[tuple[str, object, str | None]] = [
        ("Année du rapport", report.year, "0"),
        ("Publication de l'entrepôt", _naive(publication.published_at), XLSX_DATETIME),
        ("Identifiant de la publication", publication.run_id, None),
        ("Version du catalogue des indicateurs", publication.catalogue_version, None),
        ("Fichiers bruts de la publication", publication.file_count, number_format()),
        ("Rapport produit le", _naive(report.generated_at), XLSX_DATETIME),
        (
            "Secret statistique",
            f"Tout nombre de personnes inférieur à {report.threshold} est masqué. "
            + small_cells.note(report.threshold),
            None,
        ),
        (
            "Traçabilité",
            f"Chaque ligne de chiffres donne ses « {SOURCES_HEADER} » (fichiers reçus des pôles) et "
            f"la date de « {PUBLICATION_HEADER} » de l'entrepôt "
            f"({fmt_datetime(_naive(publication.published_at))}).",
            None,
        ),
    ]
    for label, value, fmt in facts:
        write_text(ws, row, 1, label).font = BOLD
        if isinstance(value, str):
            write_text(ws, row, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
        else:
            cell = ws.cell(row=row, column=2, value=value)
            if fmt is not None:
                cell.number_format = fmt
        row += 1
    if report.summary:
        row += 1
        write_text(ws, row, 1, "L'année en bref").font = BOLD
        for sentence in report.summary:
            row += 1
            write_text(ws, row, 1, sentence)
    if sheets:
        row += 2
        write_text(ws, row, 1, "Feuilles du classeur").font = BOLD
        for name in sheets:
            row += 1
            write_text(ws, row, 1, name)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 90


def _grouped(report: Report) -> list[tuple[str, list[ReportTable]]]:
    """Tables by sheet, sheets in reading order of their first table, definitions last."""
    groups: dict[str, list[ReportTable]] = {}
    for table in report.all_tables():
        if table.sheet:
            groups.setdefault(table.sheet, []).append(table)
    definitions = [k for k in groups if k.strip().casefold() == DEFINITIONS_SHEET.casefold()]
    ordered = [k for k in groups if k not in definitions] + definitions
    return [(k, groups[k]) for k in ordered]


def write_xlsx(report: Report, path: Path) -> Path:
    """Write the report's workbook to `path` (a new file, replaced if it exists) and return it."""
    workbook = Workbook()
    taken = {REPORT_SHEET}
    groups = [(sheet_name(wanted, taken), tables) for wanted, tables in _grouped(report)]
    _cover_sheet(workbook.active, report, [name for name, _ in groups])
    published = _naive(report.publication.published_at)
    for name, tables in groups:
        ws = workbook.create_sheet(name)
        row = _sheet_heading(ws, tables[0].sheet or name, report)
        first_header = None
        for table in tables:
            header, row = _write_table(ws, row, table, published)
            first_header = first_header or header
        if first_header is not None:
            # Rows above and including the first table's header stay in view while scrolling.
            ws.freeze_panes = ws.cell(row=first_header + 1, column=1)
        _widths(ws)
    path = Path(path)
    workbook.save(path)
    return path

"""What every blank XLSX template of `ptce template` shares: the French notice, the lists, the checks.

Each domain writes its own templates (`pipelines/<domain>/template.py`, declared in `Domain.templates`)
with `TemplateBook`: a first sheet « Notice » (what the file is for and how to fill and deposit it),
the domain's entry sheets with their header row exactly as the domain's parser reads it, and a last,
visible sheet « Listes » holding the values of the drop-down lists. The lists sheet stays visible on
purpose: the parsers leave hidden sheets out and say so in the file's log, and its column titles
(« Liste des pôles »…) name no column any parser recognises, so a filled template is read whole.

Excel's validations stop a wrong entry as it is typed (a pole outside the list, a negative count, a
text in a date column), with a French message in the error box; the parser's own rules still apply
on arrival, so a file filled outside Excel (LibreOffice without validation, a script) is checked too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.shared.values import FIRST_YEAR
from ptce.reference import PoleSet, shipped_poles
from ptce.spreadsheet import XLSX_DATE, write_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

NOTICE = "Notice"
LISTS = "Listes"
UPLOAD_PAGE = "« Déposer des fichiers »"
ROWS = 2000  # rows of an entry sheet covered by the validations (a pole's file is far shorter)
# Excel refuses a validation whose error box exceeds these lengths (file repaired on opening).
MAX_ERROR_TITLE = 32
MAX_ERROR_TEXT = 255
HEADER_FILL = "DDEBF7"
# The kinds of input a template is written for (raw folder name -> French name in the notice).
KIND_NAMES = {
    "indicateurs": "indicateurs",
    "objectifs": "objectifs",
    "parcours": "parcours",
    "visites": "visites et pratiques",
}


def deposit_lines(kind: str) -> list[str]:
    """How to send a filled template of `kind`, the same in every notice."""
    return [
        f"Pour l'envoyer : déposez le fichier rempli sur la page {UPLOAD_PAGE} de l'observatoire, "
        f"type « {KIND_NAMES.get(kind, kind)} » : l'aperçu dit aussitôt, en français, chaque ligne à "
        "corriger, puis montre ce que le fichier change avant de confirmer.",
        f"Sans accès à l'observatoire : envoyez-le par courriel à l'équipe COORACE, qui le dépose dans "
        f"le dossier raw/{kind}/.",
    ]


def notice_ending(kind: str, catalog_version: str | None = None) -> list[str]:
    """The lines every notice ends with: the drop-downs and their « Listes » sheet, how to send
    the filled file, and that this is the blank template."""
    return [
        "Les menus déroulants et les contrôles de saisie refusent une valeur hors liste ou hors limites, "
        "avec un message ; leurs listes sont dans la feuille « Listes » (ne pas la modifier).",
        "",
        *deposit_lines(kind),
        "",
        blank_line(catalog_version),
    ]


def blank_line(catalog_version: str | None = None) -> str:
    """The notice's last line: this is the blank template, and what it was built from."""
    built = f"Modèle vierge écrit le {date.today():%d/%m/%Y} par la commande « ptce template »"
    if catalog_version:
        built += f", catalogue des indicateurs version {catalog_version}"
    return built + ". Gardez-le vierge et remplissez-en une copie."


def period_values(*, last_year: int, quarters: bool) -> list[int | str]:
    """Periods as the parsers read them: years as numbers (2016), quarters as text (« 2016-T3 »)."""
    values: list[int | str] = []
    for year in range(FIRST_YEAR, last_year + 1):
        values.append(year)
        if quarters:
            values.extend(f"{year}-T{q}" for q in range(1, 5))
    return values


def pole_names(poles: PoleSet | None = None) -> list[str]:
    """The poles' usual names, as the drop-down lists offer them (every parser matches them):
    `poles` (the members in force, `ptce template`), the twelve shipped poles by default."""
    return [pole.nom_court for pole in (poles or shipped_poles())]


class TemplateBook:
    """A blank template being written: notice first, entry sheets, the lists sheet last."""

    def __init__(self, title: str, lines: Sequence[str]) -> None:
        import openpyxl
        from openpyxl.styles import Alignment, Font

        self.book = openpyxl.Workbook()
        notice = self.book.active
        notice.title = NOTICE
        write_text(notice, 1, 1, title).font = Font(bold=True, size=14)
        for row, line in enumerate(lines, start=3):
            cell = write_text(notice, row, 1, line) if line else notice.cell(row=row, column=1)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        notice.column_dimensions["A"].width = 120
        self._lists: Worksheet | None = None
        self._list_columns: dict[str, str] = {}

    def sheet(self, name: str, headers: Sequence[str], widths: Sequence[int] | None = None) -> Worksheet:
        """An entry sheet with its header row on row 1 (the parsers find it there)."""
        ws = self.book.create_sheet(name)
        self.header_row(ws, 1, headers)
        for col, width in enumerate(widths or [], start=1):
            ws.column_dimensions[_letter(col)].width = width
        ws.freeze_panes = "A2"
        return ws

    def header_row(self, ws: Worksheet, row: int, headers: Sequence[str]) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        for col, text in enumerate(headers, start=1):
            cell = write_text(ws, row, col, text)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    def list_range(self, title: str, values: Iterable[object]) -> str:
        """The absolute reference (« Listes!$A$3:$A$14 ») of a list written on the lists sheet."""
        if title in self._list_columns:
            return self._list_columns[title]
        from openpyxl.styles import Font

        if self._lists is None:
            self._lists = self.book.create_sheet(LISTS)
            write_text(
                self._lists, 1, 1, "Listes de choix des menus déroulants : ne pas modifier."
            ).font = Font(italic=True)
        ws = self._lists
        col = len(self._list_columns) + 1
        write_text(ws, 2, col, title).font = Font(bold=True)
        items = list(values)
        for row, value in enumerate(items, start=3):
            if isinstance(value, str):
                write_text(ws, row, col, value)
            else:
                ws.cell(row=row, column=col, value=value)
        ws.column_dimensions[_letter(col)].width = max(18, min(60, max(len(str(v)) for v in items) + 2))
        letter = _letter(col)
        ref = f"{LISTS}!${letter}$3:${letter}${len(items) + 2}"
        self._list_columns[title] = ref
        return ref

    def choose(
        self,
        ws: Worksheet,
        cells: str,
        source: str,
        *,
        what: str,
        error: str,
        strict: bool = True,
    ) -> None:
        """A drop-down list on `cells` from `source` (a `list_range`); `strict=False`: others allowed."""
        self._validate(
            ws,
            cells,
            "list",
            formula1=source,  # a formula as OOXML stores it: no leading « = »
            title=what,
            error=error,
            prompt=f"Choisir dans la liste : {what}.",
            style="stop" if strict else "warning",
        )

    def whole(
        self, ws: Worksheet, cells: str, low: float, high: float | None, *, what: str, error: str
    ) -> None:
        """Whole numbers from `low` (to `high`) on `cells`."""
        self._number(ws, cells, "whole", low, high, what, error)

    def decimal(
        self, ws: Worksheet, cells: str, low: float, high: float | None, *, what: str, error: str
    ) -> None:
        """Numbers, decimals allowed, from `low` (to `high`) on `cells`."""
        self._number(ws, cells, "decimal", low, high, what, error)

    def dates(self, ws: Worksheet, cells: str, first: date, *, what: str, error: str) -> None:
        """Dates from `first` on `cells` (typed 03/02/2016 in a French Excel)."""
        serial = (first - date(1899, 12, 30)).days  # Excel's date serial number
        self._validate(
            ws,
            cells,
            "date",
            operator="greaterThanOrEqual",
            formula1=str(serial),
            title=what,
            error=error,
            prompt="Date au format jj/mm/aaaa (03/02/2016).",
        )
        # The date columns show dates the French way, whatever the reader's locale.
        ws.column_dimensions[cells.split(":")[0].rstrip("0123456789")].number_format = XLSX_DATE

    def text_length(self, ws: Worksheet, cells: str, longest: int, *, what: str, error: str) -> None:
        """Texts of at most `longest` characters on `cells`."""
        self._validate(
            ws,
            cells,
            "textLength",
            operator="lessThanOrEqual",
            formula1=str(longest),
            title=what,
            error=error,
            prompt=f"Texte court (au plus {longest} caractères).",
        )

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        if self._lists is not None:
            self.book.move_sheet(LISTS, offset=len(self.book.sheetnames) - 1 - self.book.index(self._lists))
        self.book.active = 0
        self.book.save(path)
        return path

    def _number(
        self, ws: Worksheet, cells: str, kind: str, low: float, high: float | None, what: str, error: str
    ) -> None:
        bounds = {"operator": "greaterThanOrEqual", "formula1": _excel_number(low)}
        if high is not None:
            bounds = {"operator": "between", "formula1": _excel_number(low), "formula2": _excel_number(high)}
        self._validate(
            ws,
            cells,
            kind,
            **bounds,
            title=what,
            error=error,
            prompt="Nombre entier." if kind == "whole" else "Nombre (décimales permises : 12,5).",
        )

    def _validate(
        self,
        ws: Worksheet,
        cells: str,
        kind: str,
        *,
        title: str,
        error: str,
        prompt: str,
        style: str = "stop",
        **formulas: str,
    ) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        error_title = title[:1].upper() + title[1:]
        if len(error_title) > MAX_ERROR_TITLE:
            error_title = error_title[: MAX_ERROR_TITLE - 1] + "…"
        if len(error) > MAX_ERROR_TEXT or len(prompt) > MAX_ERROR_TEXT:
            # A developer's mistake, caught by the tests: Excel would "repair" the file on opening.
            raise ValueError(f"validation message too long for Excel ({len(error)} characters): {error}")
        rule = DataValidation(
            type=kind,
            allow_blank=True,  # empty = missing, never zero: an empty cell is always allowed
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle=style,
            errorTitle=error_title,
            error=error,
            promptTitle=error_title,
            prompt=prompt,
            **formulas,
        )
        ws.add_data_validation(rule)
        rule.add(cells)


def column_cells(col: int, first_row: int, rows: int = ROWS) -> str:
    """« C2:C2001 »: a column's cells from `first_row` over `rows` rows."""
    letter = _letter(col)
    return f"{letter}{first_row}:{letter}{first_row + rows - 1}"


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _excel_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))

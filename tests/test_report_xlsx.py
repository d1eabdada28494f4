"""The report's workbook (`reports/xlsx.py`) on a report built by hand, read back with openpyxl."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.model import Column, Publication, Report, ReportTable, Section
from reports.xlsx import sheet_name, write_xlsx

PUBLISHED = datetime(2017, 3, 2, 14, 30)
HEADERS_END = ["Fichiers sources", "Publication"]


def _report(demo: bool = True) -> Report:
    employment = ReportTable(
        key="emploi",
        title="Emploi au sein des pôles",
        columns=(
            Column("Pôle"),
            Column("Salariés", "count"),
            Column("ETP", "number", decimals=1),
            Column("Part de CDI", "percent"),
            Column("Budget", "money"),
        ),
        rows=(
            ("PHARES", 1234, 56.5, 0.452, 150000),
            ('=HYPERLINK("http://x","clic")', "< 5", None, "s", 2000.5),
        ),
        sources=("raw/indicateurs/phares_2016.csv", "@raw/indicateurs/autre.xlsx"),
        note="-note qui commence par un signe",
        sheet="Emploi au sein du PTCE",
    )
    employment_2 = ReportTable(
        key="emploi_evolution",
        title="Évolution",
        columns=(Column("Année", "text"), Column("Emplois créés", "count")),
        rows=(("2015", 10), ("2016", 12)),
        sources=("a.csv", "a.csv; b.csv"),
        sheet="Emploi au sein du PTCE",
    )
    pathways = ReportTable(
        key="parcours",
        title="Sorties: catégories [IAE]",
        columns=(Column("Catégorie"), Column("Personnes", "count")),
        rows=(("+emploi durable", 40),),
        sources=("raw/parcours/p.csv",),
        sheet="Parcours et sécurisation des parcours professionnels",
    )
    definitions = ReportTable(
        key="definitions",
        title="Définitions des indicateurs",
        columns=(Column("Code"), Column("Définition")),
        rows=(("membres", "Structures membres du pôle"),),
        sources=("",),
        sheet="Définitions",
    )
    printed_only = ReportTable(
        key="imprime",
        title="Seulement imprimé",
        columns=(Column("x"),),
        rows=(("y",),),
        sources=("",),
    )
    return Report(
        year=2016,
        title="Rapport annuel 2016",
        subtitle="Communauté apprenante PTCE",
        demo=demo,
        publication=Publication(
            run_id="run-abc", published_at=PUBLISHED, catalogue_version="1.4", file_count=42
        ),
        threshold=5,
        summary=["Les 12 pôles ont accompagné 1 234 personnes en 2016.", "=1+1"],
        sections=[
            # Definitions first in reading order: the sheet must still come last.
            Section(key="annexe", title="Annexe", tables=[definitions]),
            Section(
                key="emploi",
                title="Emploi",
                tables=[employment, printed_only],
                subsections=[Section(key="evolution", title="Évolution", tables=[employment_2])],
            ),
            Section(key="parcours", title="Parcours", tables=[pathways]),
        ],
        generated_at=datetime(2017, 3, 5, 9, 0),
    )


@pytest.fixture
def workbook(tmp_path: Path):
    path = write_xlsx(_report(), tmp_path / "rapport.xlsx")
    assert path == tmp_path / "rapport.xlsx"
    return load_workbook(path)


def _row_of(ws, text: str) -> int:
    return next(c.row for row in ws.iter_rows() for c in row if c.value == text)


def test_sheets_are_the_report_then_each_angle_then_the_definitions(workbook) -> None:
    assert workbook.sheetnames == [
        "Rapport",
        "Emploi au sein du PTCE",
        "Parcours, sécurisation",  # said shorter for Excel's 31 characters, not cut mid-word
        "Définitions",
    ]


def test_the_report_sheet_says_what_it_was_built_from(workbook) -> None:
    ws = workbook["Rapport"]
    assert ws["A1"].value == "Rapport annuel 2016"
    assert ws["A2"].value.startswith("Données fictives")
    facts = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(1, ws.max_row + 1)}
    assert facts["Année du rapport"].value == 2016
    assert facts["Publication de l'entrepôt"].value == PUBLISHED
    assert facts["Publication de l'entrepôt"].number_format == "DD/MM/YYYY HH:MM"
    assert facts["Identifiant de la publication"].value == "run-abc"
    assert facts["Fichiers bruts de la publication"].value == 42
    assert "inférieur à 5" in facts["Secret statistique"].value
    assert "« < 5 »" in facts["Secret statistique"].value
    texts = [c.value for row in ws.iter_rows() for c in row]
    assert "Les 12 pôles ont accompagné 1 234 personnes en 2016." in texts
    assert "'=1+1" in texts  # a generated sentence is text too


def test_every_sheet_carries_the_demo_notice_only_for_demo_data(tmp_path: Path) -> None:
    demo = load_workbook(write_xlsx(_report(demo=True), tmp_path / "d.xlsx"))
    real = load_workbook(write_xlsx(_report(demo=False), tmp_path / "r.xlsx"))
    for name in demo.sheetnames:
        assert any(str(c.value).startswith("Données fictives") for c in demo[name]["A"]), name
    for name in real.sheetnames:
        assert not any(str(c.value).startswith("Données fictives") for c in real[name]["A"]), name


def test_tables_follow_each_other_with_title_bold_header_and_frozen_first_header(workbook) -> None:
    ws = workbook["Emploi au sein du PTCE"]
    assert ws["A1"].value == "Emploi au sein du PTCE"
    title = _row_of(ws, "Emploi au sein des pôles")
    assert ws.cell(title + 1, 1).value == "'-note qui commence par un signe"
    header = title + 2
    assert [c.value for c in ws[header]] == ["Pôle", "Salariés", "ETP", "Part de CDI", "Budget", *HEADERS_END]
    assert all(c.font.bold for c in ws[header])
    assert ws.freeze_panes == f"A{header + 1}"
    second = _row_of(ws, "Évolution")
    assert second == header + 4  # two data rows, one empty row
    assert [c.value for c in ws[second + 1]][:4] == ["Année", "Emplois créés", *HEADERS_END]
    assert ws.cell(second + 1, 1).font.bold


def test_numbers_are_numbers_with_french_looking_formats(workbook) -> None:
    ws = workbook["Emploi au sein du PTCE"]
    first = _row_of(ws, "PHARES")
    cells = {c.column_letter: c for c in ws[first]}
    assert cells["B"].value == 1234 and cells["B"].number_format == "#,##0"
    assert cells["C"].value == 56.5 and cells["C"].number_format == "#,##0.0"
    assert cells["D"].value == 0.452 and cells["D"].number_format == "0.0%"
    assert cells["E"].value == 150000 and cells["E"].number_format == '#,##0 "€"'


def test_masked_counts_are_text_and_missing_is_empty(workbook) -> None:
    ws = workbook["Emploi au sein du PTCE"]
    row = _row_of(ws, "PHARES") + 1
    assert ws[f"B{row}"].value == "< 5" and ws[f"B{row}"].data_type == "s"
    assert ws[f"D{row}"].value == "s" and ws[f"D{row}"].data_type == "s"
    assert ws[f"C{row}"].value is None


def test_formula_text_is_neutralised_everywhere(workbook) -> None:
    ws = workbook["Emploi au sein du PTCE"]
    row = _row_of(ws, "PHARES") + 1
    assert ws[f"A{row}"].value == '\'=HYPERLINK("http://x","clic")'
    assert ws[f"F{row}"].value == "'@raw/indicateurs/autre.xlsx"
    assert workbook["Parcours, sécurisation"]["A6"].value == "'+emploi durable"
    for sheet in workbook.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value


def test_every_data_row_has_its_sources_and_publication_date(workbook) -> None:
    expected = {
        "PHARES": "raw/indicateurs/phares_2016.csv",
        "2015": "a.csv",
        "2016": "a.csv; b.csv",
        "'+emploi durable": "raw/parcours/p.csv",
        "membres": "",  # a row with no source file: the column is there, empty
    }
    for sheet in workbook.worksheets[1:]:
        for cells in sheet.iter_rows():
            first = cells[0].value
            if first not in expected:
                continue
            by_header = _by_header(sheet, cells[0].row)
            assert (by_header["Fichiers sources"].value or "") == expected[first]
            assert by_header["Publication"].value == PUBLISHED
            assert by_header["Publication"].number_format == "DD/MM/YYYY"
            expected.pop(first)
    assert expected == {}


def _by_header(ws, row: int) -> dict:
    """The cells of data row `row`, by the header above it (the nearest row holding « Publication »)."""
    header = max(r for r in range(1, row) if "Publication" in [c.value for c in ws[r]])
    return {ws.cell(header, c.column).value: c for c in ws[row] if ws.cell(header, c.column).value}


def test_columns_have_sensible_widths(workbook) -> None:
    ws = workbook["Emploi au sein du PTCE"]
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert 8 <= widths["B"] <= 20
    assert widths["A"] <= 60
    assert widths["F"] >= len("raw/indicateurs/phares_2016.csv")


def test_sheet_names_follow_excel_rules_and_are_unique() -> None:
    taken = {"Rapport"}
    assert sheet_name("Emploi: [a/b]*?\\", taken) == "Emploi a b"
    assert sheet_name("rapport", taken) == "rapport (2)"  # Excel compares case-insensitively
    assert sheet_name("'cité'", taken) == "cité"
    long = "x" * 40
    assert sheet_name(long, taken) == "x" * 31
    assert sheet_name(long, taken) == "x" * 27 + " (2)"
    assert sheet_name("///", taken) == "Feuille"
    assert sheet_name("Formes d'emploi et mutualisation", taken) == "Formes d'emploi, mutualisation"
    assert all(len(t) <= 31 for t in taken)

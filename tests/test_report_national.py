"""The yearly report of a national network (issue #16): more poles than a funder reads one by one.

Above `reports.national.DETAIL_POLE_LIMIT` poles, the part « Les pôles » is one compact table (one
row per pole) and each pole's detail goes to the workbook only; every other table with one row per
pole goes to the workbook, the printed report showing how the poles spread. Built on a copy of the
demo warehouse with 29 poles added (`_national_warehouse`): 28 copies of PHARES's figures, and one
pole written here by hand, whose expected rows are written from its figures below.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from ptce import small_cells
from ptce.paths import DataLayout
from ptce.read.base import Warehouse, current_warehouse
from reports import national
from reports.content import build_report
from reports.model import Report, ReportTable
from reports.render import render_html
from reports.tables import SOURCES_LIMIT, sources
from reports.xlsx import write_xlsx

YEAR = 2016
NNBSP = "\u202f"
HAND = "test_national"
HAND_FILE = "raw/indicateurs/test_national_indicateurs_2016.csv"
HAND_FILE_BEFORE = "raw/indicateurs/test_national_indicateurs_2015.csv"
HAND_TARGETS = "raw/objectifs/test_national_objectifs_2016.csv"
# The hand-written pole's key figures of 2016 (and its members of 2015), as its files would give them.
HAND_2016 = {
    "membres": 14.0,
    "salaries": 120.0,
    "etp": 95.5,
    "emplois_crees": 7.0,
    "emplois_consolides": 3.0,
    "personnes_accompagnees": 3.0,  # under the threshold: « < 5 » for the funder
    "sorties_emploi_durable": 60.0,
    "taux_sortie_dynamique": 0.5,
}
ADDED = 29  # 28 copies of PHARES (numbers 13 to 40) and the hand-written pole (41)
INJECTION = '=HYPERLINK("http://x","clic")'


def _national_warehouse(demo_data_dir: Path, target_dir: Path) -> Path:
    """A copy of the demo warehouse with 41 poles: the twelve, 28 copies of PHARES (the first one in
    a department named like a formula), and « PTCE Test national (fictif) », number 41, in the
    Finistère."""
    target = DataLayout(target_dir).warehouse
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DataLayout(demo_data_dir).warehouse, target)
    with duckdb.connect(str(target)) as con:
        con.execute("create temp table copies as select range as n from range(13, 41)")
        con.execute(
            """
            insert into poles select * exclude (n) replace (
                'copie_' || n as pole_id, n as numero,
                'PTCE Copie ' || n || ' (fictif)' as nom, 'Copie ' || n as nom_court,
                case when n = 13 then '75' else departement end as departement,
                case when n = 13 then ? else nom_departement end as nom_departement)
            from poles, copies where pole_id = 'phares'
            """,
            [INJECTION],
        )
        for table in ("mart_pole_year", "completeness"):
            con.execute(
                f"insert into {table} select * exclude (n) replace ('copie_' || n as pole_id) "
                f"from {table}, copies where pole_id = 'phares'"
            )
        con.execute(
            "insert into indicator_values select * exclude (n) replace ('copie_' || n as pole_id, "
            "'raw/indicateurs/copie_' || n || '_indicateurs_' || annee || '.csv' as source_file) "
            "from indicator_values, copies where pole_id = 'phares'"
        )
        con.execute(
            """
            insert into poles select * replace (
                ? as pole_id, 41 as numero, 'PTCE Test national (fictif)' as nom,
                'Test national' as nom_court, '29' as departement, 'Finistère' as nom_departement)
            from poles where pole_id = 'phares'
            """,
            [HAND],
        )
        for code, value in HAND_2016.items():
            derived = code == "taux_sortie_dynamique"
            con.execute(
                "insert into mart_pole_year values (?, ?, ?, ?, 'annuel', null, ?)",
                [HAND, YEAR, code, value, derived],
            )
            if not derived:
                con.execute(
                    "insert into indicator_values values (?, ?, null, ?, ?, null, ?, 2)",
                    [HAND, YEAR, code, value, HAND_FILE],
                )
        con.execute(
            "insert into mart_pole_year values (?, ?, 'membres', 10, 'annuel', null, false)", [HAND, YEAR - 1]
        )
        con.execute(
            "insert into indicator_values values (?, ?, null, 'membres', 10, null, ?, 2)",
            [HAND, YEAR - 1, HAND_FILE_BEFORE],
        )
        # Its targets: members reached (14 for 12), jobs created missed (7 for 10).
        for code, target_value in (("membres", 12.0), ("emplois_crees", 10.0)):
            con.execute(
                "insert into targets values (?, ?, ?, ?, ?, 2)",
                [HAND, YEAR, code, target_value, HAND_TARGETS],
            )
        # The network's median of members in 2016, set here: the pole is below it.
        con.execute("update mart_network_year set mediane = 20 where code = 'membres' and annee = ?", [YEAR])
    return target_dir


@pytest.fixture(scope="module")
def national_wh(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    wh = current_warehouse(_national_warehouse(demo_data_dir, tmp_path_factory.mktemp("national")))
    assert wh is not None
    return wh


@pytest.fixture(scope="module")
def report(national_wh: Warehouse) -> Report:
    return build_report(national_wh, YEAR)


def _table(report: Report, key: str) -> ReportTable:
    return next(t for t in report.all_tables() if t.key == key)


def _section(report: Report, key: str):
    return next(s for s in report.sections if s.key == key)


# --- The part « Les pôles » ----------------------------------------------------------------------


def test_more_poles_than_the_limit_make_a_national_report() -> None:
    assert national.DETAIL_POLE_LIMIT == 30
    assert not national.is_national(12) and not national.is_national(30)
    assert national.is_national(12 + ADDED)


def test_the_poles_part_is_one_compact_table_of_every_pole(report: Report) -> None:
    part = _section(report, "poles")
    assert part.subsections == [] and part.charts == []
    assert "Les 41 pôles sont détaillés dans le classeur Excel joint" in part.paragraphs[1]
    table = _table(report, "poles_synthese")
    assert table.printed and table.dense and table.sheet == "Les pôles"
    assert len(table.rows) == 12 + ADDED
    assert [c.name for c in table.columns] == [
        "Pôle",
        "Dép.",
        "Structures membres",
        "Salariés (personnes)",
        "ETP",
        "Emplois créés",
        "Emplois consolidés",
        "Personnes accompagnées",
        "Sorties emploi durable (personnes)",
        "Taux de sorties dynamiques (%)",
        "Objectifs atteints",
    ]
    assert table.rows[-1] == (
        "41. Test national",
        "29",
        14.0,
        120.0,
        95.5,
        7.0,
        3.0,
        "< 5",  # 3 persons accompanied: masked
        60.0,
        0.5,  # a ratio, printed « 50,0 % »
        "1 sur 2",  # members reached, jobs created missed
    )
    assert table.sources[-1] == f"{HAND_FILE} ; {HAND_TARGETS}"
    assert table.rows[2][0] == "3. PHARES" and table.rows[12][0] == "13. Copie 13"


def test_each_pole_s_detail_is_in_the_workbook_only(report: Report) -> None:
    detail = _table(report, "poles_detail_mediane")
    assert not detail.printed and detail.sheet == "Détail des pôles"
    hand = [
        (row, src) for row, src in zip(detail.rows, detail.sources, strict=True) if row[0].startswith("41.")
    ]
    assert len(hand) == 8  # one row per key figure
    row, files = hand[0]
    assert row == (
        "41. PTCE Test national (fictif)",
        "Finistère (29)",
        "Structures membres du pôle",
        "nombre",
        14.0,
        "+40 %",  # 10 in 2015
        20.0,
        "en dessous",
    )
    assert files == HAND_FILE
    targets = _table(report, "poles_detail_objectifs")
    assert not targets.printed
    assert [r[2:] for r in targets.rows if r[0].startswith("41.")] == [
        ("Emplois créés dans l'année (emplois)", 10.0, 7.0, 0.7, "non"),
        ("Structures membres du pôle", 12.0, 14.0, 14 / 12, "oui"),
    ]


def _pole_rows(table: ReportTable) -> int:
    return sum(isinstance(row[0], str) and re.match(r"\d+\. ", row[0]) is not None for row in table.rows)


def test_no_printed_table_has_a_row_per_pole_but_the_compact_one(report: Report) -> None:
    long = [t.key for t in report.printed_tables() if _pole_rows(t) > national.DETAIL_POLE_LIMIT]
    assert long == ["poles_synthese"]
    # Each table it replaced is still in the workbook, complete.
    for key in (
        "poles_mutualisation",
        "poles_creation",
        "poles_qualite",
        "taux_sorties_dynamiques",
        "completude",
    ):
        table = _table(report, key)
        assert not table.printed and table.sheet
        assert _pole_rows(table) > national.DETAIL_POLE_LIMIT


def test_angles_show_the_spread_of_the_poles(report: Report, national_wh: Warehouse) -> None:
    table = _table(report, "repartition_mutualisation")
    assert table.printed and [c.name for c in table.columns][2:] == [
        "Pôles ayant transmis",
        "Dont pôles masqués",
        "Premier quartile",
        "Médiane",
        "Troisième quartile",
        "Réseau",
    ]
    section = _section(report, "mutualisation_creation")
    assert any(
        "Les 41 pôles sont détaillés dans le classeur Excel joint" in p
        for s in section.subsections
        for p in s.paragraphs
    )
    charts = [c.key for c in report.all_charts()]
    assert not any(key.startswith("pole_") for key in charts)
    assert "repartition_taux_sorties_dynamiques" in charts
    assert len(charts) <= 20


def test_quartiles_are_values_of_poles() -> None:
    # No interpolation: between two published counts, an average could read as a small count.
    assert national.quantiles([0, 6, 7, 40, None]) == (0.0, 6.0, 7.0)
    assert national.quantiles([]) == (None, None, None)


def test_no_count_of_persons_under_the_threshold_is_printed(report: Report) -> None:
    leaks = []
    for table in report.all_tables():
        headers = [c.name for c in table.columns]
        unit = headers.index("Unité") if "Unité" in headers else None
        for row in table.rows:
            person_row = unit is not None and row[unit] == "personnes"
            for header, value in zip(headers, row, strict=True):
                # Counts of poles are not counts of persons.
                counts_persons = "personnes" in header.casefold() or (
                    person_row
                    and header not in {"Indicateur", "Unité", "Pôles ayant transmis", "Dont pôles masqués"}
                )
                if counts_persons and isinstance(value, int | float) and 0 < value < small_cells.threshold():
                    leaks.append((table.key, row[0], header, value))
    assert leaks == []


# --- Printed and written ---------------------------------------------------------------------------


def test_the_page_prints_the_compact_table_not_the_workbook_ones(report: Report) -> None:
    html = render_html(report, interactive=True)
    assert "Les 41 pôles en 2016\u00a0: chiffres clés et objectifs atteints" in html
    assert 'class="dense"' in html
    assert "Indicateurs clés 2016 de chaque pôle face à la médiane du réseau" not in html
    assert "Finistère (29)" not in html  # the detail's department, in the workbook only


def test_the_workbook_holds_each_pole_s_detail_neutralised(report: Report, tmp_path: Path) -> None:
    path = write_xlsx(report, tmp_path / "rapport.xlsx")
    workbook = load_workbook(path)
    ws = workbook["Détail des pôles"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    hand = [r for r in rows if r[0] == "41. PTCE Test national (fictif)"]
    assert len(hand) == 8 + 2  # its key figures, then its targets
    assert hand[0][:8] == [
        "41. PTCE Test national (fictif)",
        "Finistère (29)",
        "Structures membres du pôle",
        "nombre",
        14,
        "'+40 %",  # a text beginning with « + », neutralised
        20,
        "en dessous",
    ]
    assert hand[0][8] == HAND_FILE  # « Fichiers sources »
    assert any(r[1] == f"'{INJECTION} (75)" for r in rows)
    for sheet in workbook.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


# --- Sources -------------------------------------------------------------------------------------


def test_sources_that_fit_a_cell_are_named_one_by_one() -> None:
    assert sources(["raw/b.csv", "raw/a.csv", "raw/a.csv", ""]) == "raw/a.csv ; raw/b.csv"


def test_sources_too_long_for_a_cell_are_counted_by_folder() -> None:
    files = [f"raw/indicateurs/pole{i:04d}_indicateurs_2016.csv" for i in range(2000)]
    files.append("raw/objectifs/objectifs_2016.csv")
    assert len(" ; ".join(files)) > SOURCES_LIMIT
    assert sources(files) == (
        f"2{NNBSP}001 fichiers, trop nombreux pour être nommés un à un dans une cellule : "
        f"raw/indicateurs/ : 2{NNBSP}000 fichiers, de « pole0000_indicateurs_2016.csv » à "
        "« pole1999_indicateurs_2016.csv » ; raw/objectifs/ : 1 fichier, « objectifs_2016.csv »"
    )

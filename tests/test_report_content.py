"""The yearly report's content (`reports.content.build_report`) on the demo warehouse.

The report is built once per warehouse (module fixtures): on the demo warehouse, and on a copy
where counts of persons are small everywhere (`tests/test_access_reads._small_warehouse`: PHARES
with 2 and Sud Aquitain with 3 of every count of persons, a handful of pathways, 2 or 3
participants per event). Expected values come from SQL on the warehouse, written here, never from
the code under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from ptce import small_cells
from ptce.read import sources
from ptce.read.base import Viewer, Warehouse, current_warehouse
from reports.content import build_report
from reports.model import KeyFigure, Report, ReportError, ReportTable, Section
from tests.test_access_reads import _small_warehouse

YEAR = 2016
SECTIONS = [
    "synthese",
    "chiffres_cles",
    "parcours",
    "mutualisation_creation",
    "qualite_emploi",
    "poles",
    "visites",
    "completude_qualite",
    "annexe",
]
NNBSP = "\u202f"


def _sql(wh: Warehouse, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(wh.path, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_wh(demo_data_dir: Path) -> Warehouse:
    wh = current_warehouse(demo_data_dir)
    assert wh is not None
    return wh


@pytest.fixture(scope="module")
def built(demo_wh: Warehouse) -> tuple[Report, list[str]]:
    lines: list[str] = []
    return build_report(demo_wh, YEAR, progress=lines.append), lines


@pytest.fixture(scope="module")
def report(built: tuple[Report, list[str]]) -> Report:
    return built[0]


@pytest.fixture(scope="module")
def small_wh(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    wh = current_warehouse(_small_warehouse(demo_data_dir, tmp_path_factory.mktemp("small_report")))
    assert wh is not None
    return wh


@pytest.fixture(scope="module")
def small_report(small_wh: Warehouse) -> Report:
    return build_report(small_wh, YEAR)


def _walk(sections: list[Section]) -> list[Section]:
    found = []
    for section in sections:
        found.append(section)
        found.extend(_walk(section.subsections))
    return found


def _key_figures(report: Report) -> list[KeyFigure]:
    return [k for s in _walk(report.sections) for k in s.key_figures]


def _table(report: Report, key: str) -> ReportTable:
    return next(t for t in report.all_tables() if t.key == key)


# --- Structure -----------------------------------------------------------------------------------


def test_sections_in_order_with_french_titles(report: Report) -> None:
    assert [s.key for s in report.sections] == SECTIONS
    assert report.sections[0].title == "L'année 2016 en bref"
    assert report.sections[-1].title == "Annexe méthodologique"
    poles = report.sections[SECTIONS.index("poles")]
    assert len(poles.subsections) == 12
    assert all(p.page_break for p in poles.subsections)
    assert poles.subsections[2].title == "3. PHARES"


def test_twelve_poles_keep_a_printed_page_each(report: Report) -> None:
    # Twelve poles are under the national limit: each has its page, every table is printed.
    poles = report.sections[SECTIONS.index("poles")]
    assert poles.tables == []
    for part in poles.subsections:
        assert part.tables[0].key.endswith("_mediane")
        assert [c.key for c in part.charts] == [part.key]
    assert all(t.printed for t in report.all_tables())


def test_progress_says_each_section_in_french(built: tuple[Report, list[str]]) -> None:
    _, lines = built
    assert lines[0] == "Lecture de l'entrepôt publié…"
    assert lines[1] == "Synthèse de l'année 2016…"
    assert lines[-1] == "Annexe méthodologique…"
    assert len(lines) == 1 + len(SECTIONS)


def test_publication_demo_and_threshold(report: Report, demo_wh: Warehouse) -> None:
    run_id, demo, version, files = _sql(
        demo_wh, "select run_id, donnees_demo, catalogue_version, nb_fichiers from publication"
    )[0]
    assert report.publication.run_id == run_id
    assert report.publication.catalogue_version == version
    assert report.publication.file_count == files
    assert report.demo is demo is True
    assert report.threshold == 5


def test_a_year_without_data_is_refused_in_french(demo_wh: Warehouse) -> None:
    with pytest.raises(ReportError, match="Aucune donnée pour l'année 1999 dans l'entrepôt publié"):
        build_report(demo_wh, 1999)


# --- Figures against the warehouse ---------------------------------------------------------------


def test_summary_sentences_and_headline_figures(report: Report, demo_wh: Warehouse) -> None:
    persons, previous, nb_poles = _sql(
        demo_wh,
        "select c.valeur, p.valeur, c.nb_poles from mart_network_year c join mart_network_year p "
        "on p.code = c.code and p.annee = c.annee - 1 where c.code = 'personnes_accompagnees' and c.annee = ?",
        [YEAR],
    )[0]
    assert (persons, previous, nb_poles) == (2298, 2131, 12)  # the demo's figures, then the sentence
    assert 3 <= len(report.summary) <= 6
    assert (
        report.summary[0]
        == f"Les 12 pôles ont accompagné 2{NNBSP}298 personnes en 2016, soit 8 % de plus qu'en 2015."
    )
    assert report.sections[0].paragraphs == report.summary


def test_key_figures_equal_the_warehouse(report: Report, demo_wh: Warehouse) -> None:
    network = {
        label: value
        for label, value in _sql(
            demo_wh,
            "select c.libelle, n.valeur from mart_network_year n join indicator_catalog c using (code) "
            "where n.annee = ? and c.unite <> 'oui/non'",
            [YEAR],
        )
    }
    checked = 0
    # The network's figures: the headline ones and each angle's (the poles' parts have their own).
    network_sections = [s for s in report.sections if s.key in {"synthese", "chiffres_cles"}]
    for figure in (k for s in _walk(network_sections) for k in s.key_figures):
        if figure.label in network and figure.value is not None:
            assert figure.value == pytest.approx(network[figure.label]), figure.label
            checked += 1
    assert checked >= 30  # every angle's figures and the headline ones
    salaries = next(k for k in _key_figures(report) if k.label == "Salariés des structures membres")
    assert salaries.display == f"3{NNBSP}601"
    assert salaries.change == "+8 % par rapport à 2015"


def test_network_table_of_an_angle_equals_the_warehouse(report: Report, demo_wh: Warehouse) -> None:
    table = _table(report, "reseau_parcours")
    assert table.sheet == "Parcours et sécurisation"
    row = next(r for r in table.rows if r[0] == "Personnes accompagnées dans l'année")
    expected = dict(
        _sql(demo_wh, "select annee, valeur from mart_network_year where code = 'personnes_accompagnees'")
    )
    headers = [c.name for c in table.columns]
    for year, value in expected.items():
        if year <= YEAR:
            assert row[headers.index(str(year))] == pytest.approx(value)
    rate = next(r for r in table.rows if r[0] == "Taux de sorties dynamiques")
    (rate_2016,) = _sql(
        demo_wh,
        "select valeur from mart_network_year where code = 'taux_sortie_dynamique' and annee = ?",
        [YEAR],
    )[0]
    assert rate[1] == "%"
    assert rate[headers.index("2016")] == pytest.approx(rate_2016 * 100)


def test_a_pole_with_a_small_count_has_its_rate_masked(report: Report, demo_wh: Warehouse) -> None:
    # Premise, from the warehouse: Bou'Sol's positive exits of 2016 are under the threshold.
    (positives,) = _sql(
        demo_wh,
        "select valeur from mart_pole_year where pole_id = 'bousol' and code = 'sorties_positives' and annee = ?",
        [YEAR],
    )[0]
    assert 0 < positives < 5
    table = _table(report, "taux_sorties_dynamiques")
    row = next(r for r in table.rows if r[0] == "7. PTCE Bou'Sol")
    assert row[2] == "s"  # the rate is made of that count
    assert table.rows[-1][0] == "Réseau"


# --- Small cells ---------------------------------------------------------------------------------


def _person_cells(table: ReportTable) -> list[tuple[str, object]]:
    """Every cell of `table` that counts persons: a column whose header says « personnes », or a
    row whose « Unité » column says so."""
    headers = [c.name for c in table.columns]
    unit = headers.index("Unité") if "Unité" in headers else None
    found = []
    for row in table.rows:
        person_row = unit is not None and row[unit] == "personnes"
        for header, value in zip(headers, row, strict=True):
            if "personnes" in header or (person_row and header not in {"Indicateur", "Unité"}):
                found.append((header, value))
    return found


def _small(value: object) -> bool:
    return isinstance(value, int | float) and 0 < value < small_cells.threshold()


SMALL_IN_WORDS = re.compile(r"(?<![\d\u202f,])[1-4] (personnes?|participants?|sorties?)\b")


@pytest.mark.parametrize("which", ["report", "small_report"])
def test_no_count_of_persons_under_the_threshold_anywhere(which: str, request: pytest.FixtureRequest) -> None:
    built: Report = request.getfixturevalue(which)
    leaks = []
    for table in built.all_tables():
        leaks += [(table.key, h, v) for h, v in _person_cells(table) if _small(v)]
    for figure in _key_figures(built):
        if figure.unit == "personnes" and _small(figure.value):
            leaks.append(("chiffre clé", figure.label, figure.value))
    for text in [*built.summary, *(p for s in _walk(built.sections) for p in s.paragraphs)]:
        if SMALL_IN_WORDS.search(text):
            leaks.append(("phrase", text, None))
    assert leaks == []


def test_the_small_warehouse_shows_masks_not_blanks(small_report: Report) -> None:
    # PHARES has 2 of every count of persons: its cells carry the small-cell label.
    table = _table(small_report, "poles_mutualisation")
    headers = [c.name for c in table.columns]
    phares = next(r for r in table.rows if r[0] == "3. PHARES")
    assert phares[headers.index("Salariés en emploi partagé ou mis à disposition (personnes)")] == "< 5"
    # Persons accompanied in 2015 are one pole's 3 there: no change may be computed from them.
    persons = next(k for k in _key_figures(small_report) if k.label == "Personnes accompagnées dans l'année")
    assert persons.change == ""
    assert not any("de plus qu'en 2015" in s and "personnes" in s for s in small_report.summary)
    events = _table(small_report, "evenements")
    participants = [c.name for c in events.columns].index("Participants (personnes)")
    assert {row[participants] for row in events.rows} <= {"< 5", "s"}


# --- Sources -------------------------------------------------------------------------------------


def test_every_row_with_a_figure_names_its_files(report: Report) -> None:
    empty = []
    for table in report.all_tables():
        assert len(table.sources) == len(table.rows)
        for row, files in zip(table.rows, table.sources, strict=True):
            has_figure = any(isinstance(v, int | float) for v in row)
            if has_figure and not files.strip():
                empty.append((table.key, row[0]))
    assert empty == []


def test_a_network_figure_names_the_files_of_every_pole(report: Report, demo_wh: Warehouse) -> None:
    expected = sorted(
        f
        for (f,) in _sql(
            demo_wh,
            "select distinct source_file from indicator_values where code = 'personnes_accompagnees' and annee <= ?",
            [YEAR],
        )
    )
    table = _table(report, "reseau_parcours")
    i = next(i for i, r in enumerate(table.rows) if r[0] == "Personnes accompagnées dans l'année")
    assert table.sources[i].split(" ; ") == expected


def test_a_derived_value_is_traced_to_the_files_of_its_parts(demo_wh: Warehouse) -> None:
    files = sources.indicator_files(demo_wh, Viewer("funder"), YEAR)
    rate = files[(files["pole_id"] == "phares") & (files["code"] == "taux_sortie_dynamique")]
    expected = sorted(
        f
        for (f,) in _sql(
            demo_wh,
            "select distinct source_file from indicator_values where pole_id = 'phares' and annee = ? and code in "
            "('sorties', 'sorties_emploi_durable', 'sorties_emploi_transition', 'sorties_positives')",
            [YEAR],
        )
    )
    assert list(rate["fichiers"].iloc[0]) == expected
    assert expected  # the demo has PHARES's 2016 file (and its corrected version)


def test_the_annex_defines_every_indicator(report: Report, demo_wh: Warehouse) -> None:
    table = _table(report, "definitions")
    assert table.sheet == "Définitions"
    assert [c.name for c in table.columns] == ["Code", "Libellé", "Unité", "Définition", "Angle"]
    (count,) = _sql(demo_wh, "select count(*) from indicator_catalog")[0]
    assert len(table.rows) == count
    annex = report.sections[-1]
    assert any(small_cells.note() in p for p in annex.paragraphs)

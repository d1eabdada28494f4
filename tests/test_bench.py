"""The pure parts of `ptce bench` (benchmarks/): percentiles, the Markdown writer, the SQL capture,
the list of page reads, the GX-to-SQL translation, the mart comparison, and the floor script on a
few raw files written here (expected figures computed by hand from those files)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from benchmarks import markdown as md
from benchmarks.bench import parse_scales
from benchmarks.floor import compare_marts, floor_steps, run_floor
from benchmarks.measure import percentile, run_measured
from benchmarks.quality import FRAME_SQL, expectation_sql
from benchmarks.queries import CapturingConnection, ReadContext, capture_sql, page_reads, read_arguments
from ptce.read.base import Warehouse, query
from ptce.reference import in_france


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([float(x) for x in range(1, 21)], 95) == pytest.approx(19.05)
    assert percentile([7.0], 95) == 7.0
    assert percentile([1.0, 2.0, 3.0], 0) == 1.0
    assert percentile([1.0, 2.0, 3.0], 100) == 3.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_markdown_table_escapes_cells_and_checks_widths() -> None:
    assert md.table(["Mesure", "Valeur"], [("a|b", "1\n2"), ("c", 3)]) == (
        "| Mesure | Valeur |\n| --- | --- |\n| a\\|b | 1 2 |\n| c | 3 |\n"
    )
    with pytest.raises(ValueError, match="2 colonnes"):
        md.table(["a", "b"], [("seul",)])


def test_figures_are_written_the_french_way() -> None:
    assert md.seconds(0.0123) == "12,3 ms"
    assert md.seconds(3.456) == "3,46 s"
    assert md.seconds(123.4) == "2 min 03 s"
    assert md.size(1536 * 2**20) == "1,5 Gio"
    assert md.size(300 * 2**20) == "300 Mio"
    assert md.ratio(3.14159) == "3,1×"
    assert md.safe_ratio(3.0, 0) is None
    assert md.verdict(1.5, 1.5) == "atteinte"
    assert md.verdict(1.51, 1.5) == "manquée"
    assert md.verdict(None, 1.5) == md.verdict(1.0, None) == "—"


def test_a_slow_read_is_called_fewer_times_but_at_least_three() -> None:
    from benchmarks.queries import calls

    assert calls(20, 0.05) == 20  # 1 s in all: every call
    assert calls(20, 6.0) == 10  # 60 s of budget
    assert calls(20, 40.0) == 3  # never fewer than three
    assert calls(2, 40.0) == 2  # nor more than asked


def test_the_median_run_keeps_the_highest_memory() -> None:
    from benchmarks.bench import _median
    from benchmarks.measure import Measured

    runs = [Measured(0, 40.0, 500, "a"), Measured(0, 30.0, 700, "b"), Measured(0, 50.0, 600, "c")]
    median = _median(runs)
    assert (median.seconds, median.output, median.peak_rss) == (40.0, "a", 700)
    assert _median(runs[:2]).seconds == 30.0  # an even count: the lower middle one
    assert _median([]) is None


def test_scales_are_demo_or_a_number_of_poles() -> None:
    assert parse_scales("demo,2000") == ["demo", "2000"]
    assert parse_scales(" Démo , 0500 ") == ["demo", "500"]
    with pytest.raises(ValueError, match="« grand »"):
        parse_scales("demo,grand")
    with pytest.raises(ValueError):
        parse_scales(" , ")


def test_a_scale_the_sample_cannot_write_is_reported_not_measured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import bench

    monkeypatch.setattr(bench, "scale_sample_available", lambda: False)
    said: list[str] = []
    result = bench.measure_scale("2000", tmp_path, 2, said.append)
    assert result.unavailable is not None and "--scale" in result.unavailable
    assert result.run is None and not (tmp_path / "echelle-2000").exists()
    assert said == [f"[2000 pôles] {result.unavailable}"]
    section = bench.scale_section(result, 2)
    assert section.startswith("## 2\u202f000 pôles") or section.startswith("## 2 000 pôles")
    assert "Échelle non disponible" in section


def test_a_child_process_is_timed_and_its_memory_measured() -> None:
    import sys

    code = "import time; block = bytearray(200 * 2**20); block[::4096] = b'x' * len(block[::4096]); time.sleep(0.3)"
    measured = run_measured([sys.executable, "-c", code])
    assert measured.returncode == 0
    assert measured.seconds >= 0.3
    assert measured.peak_rss >= 200 * 2**20


def test_the_capturing_connection_records_each_statement_with_its_parameters() -> None:
    log: list[tuple[str, list[object]]] = []
    con = CapturingConnection(duckdb.connect(), log)
    assert con.execute("select ? + 1 as x", [41]).df()["x"].tolist() == [42]
    assert con.execute("select 'a' as y").fetchall() == [("a",)]
    assert log == [("select ? + 1 as x", [41]), ("select 'a' as y", [])]


def test_capture_sql_sees_what_the_read_layer_sends(tmp_path: Path) -> None:
    path = tmp_path / "ptce.duckdb"
    duckdb.connect(str(path)).close()
    wh = Warehouse(path=str(path), mtime_ns=0)
    with capture_sql() as log:
        frame = query(wh, "select ? * 2 as double", [21])
    assert frame["double"].tolist() == [42]
    assert log == [("select ? * 2 as double", [21])]
    # Outside the block the read layer's queries are no longer recorded.
    query(wh, "select 1")
    assert len(log) == 1


def test_every_read_of_the_pages_has_its_arguments() -> None:
    reads = page_reads()
    assert {"publication", "key_figures", "pathway_flows", "practices", "adjusted_comparison"} <= set(reads)
    assert reads["pathway_years"] == ("ptce.read.pathways", "years")
    assert reads["angle_profile"] == ("ptce.read.comparison", "angle_profile")
    assert set(read_arguments(ReadContext(2017, "phares", 2017, 2017))) == set(reads)


def test_page_reads_follow_the_reads_module(tmp_path: Path) -> None:
    source = tmp_path / "reads.py"
    source.write_text(
        "from ptce.read import indicators\nfrom ptce.read import visits as visit_reads\n"
        "years = _cached(indicators.years)\nvisit_rhythm = _cached(visit_reads.rhythm)\n"
        "_private = _cached(indicators.poles)\n",
        encoding="utf-8",
    )
    assert page_reads(source) == {
        "years": ("ptce.read.indicators", "years"),
        "visit_rhythm": ("ptce.read.visits", "rhythm"),
    }


def test_expectations_become_sql_counting_what_gx_counts() -> None:
    con = duckdb.connect()
    con.execute(
        "create table t as select * from (values ('a', 1, 2, true), ('a', 5, 1, false), ('b', null, 3, null),"
        " ('c', 12, null, true)) v(k, n, m, ok)"
    )
    frame = "select * from t"

    def count(kind: str, **kw: object) -> int:
        sql = expectation_sql(frame, kind, kw)
        assert sql is not None
        return con.execute(sql).fetchall()[0][0]

    assert count("ExpectColumnValuesToBeUnique", column="k") == 2  # both 'a' rows
    assert count("ExpectColumnValuesToNotBeNull", column="n") == 1
    assert (
        count("ExpectColumnValuesToBeBetween", column="n", min_value=0, max_value=10) == 1
    )  # 12; null not judged
    assert count("ExpectColumnValuesToBeInSet", column="ok", value_set=[True]) == 1  # false; null not judged
    assert count("ExpectColumnValuesToMatchRegex", column="k", regex="^[ab]$") == 1  # 'c'
    assert count("ExpectCompoundColumnsToBeUnique", column_list=["k", "ok"]) == 0
    assert count("ExpectTableRowCountToEqual", value=4) == 0
    assert count("ExpectTableRowCountToEqual", value=12) == 1
    # n >= m where both are known: (1, 2) breaks it, (5, 1) holds, rows with a null are skipped.
    assert count("ExpectColumnPairValuesAToBeGreaterThanB", column_A="n", column_B="m", or_equal=True) == 1
    assert count("ExpectTableColumnsToMatchSet", column_set=["k", "n", "m"], exact_match=True) == 1  # ok
    assert expectation_sql(frame, "ExpectSomethingNew", {}) is None


def test_floor_steps_split_on_their_marks() -> None:
    text = "-- header\n-- @step one\n-- a comment\ncreate table a as select 1;\n\n-- @step two\nselect 2;\n"
    assert floor_steps(text) == [("one", "create table a as select 1"), ("two", "select 2")]
    names = [name for name, _ in floor_steps()]
    assert names.index("fl_exit_texts") < names.index("fl_stays") < names.index("fl_pathway_indicators")


def _mart_tables(con: duckdb.DuckDBPyConnection, prefix: str, shift: float = 0.0) -> None:
    con.execute(
        f"create table {prefix}mart_pole_year as select * from (values ('p1', 2016, 'etp', 10.0 + {shift}, 'annuel', "
        "null::int, false), ('p1', 2016, 'membres', 4.0, 'annuel', null::int, false)) "
        "v(pole_id, annee, code, valeur, origine, nb_trimestres, derive)"
    )
    con.execute(
        f"create table {prefix}mart_network_year as select * from (values (2016, 'etp', 10.0, 10.0, 10.0, 10.0, 1, false)) "
        "v(annee, code, valeur, mediane, minimum, maximum, nb_poles, derive)"
    )
    con.execute(
        f"create table {prefix}pathway_indicators as select * from (values ('p1', 2016, 'sorties', 3.0)) "
        "v(pole_id, annee, code, valeur)"
    )


def test_the_mart_comparison_finds_any_difference(tmp_path: Path) -> None:
    published = tmp_path / "ptce.duckdb"
    with duckdb.connect(str(published)) as con:
        _mart_tables(con, "")
    same = duckdb.connect()
    _mart_tables(same, "fl_")
    assert all(m.equal for m in compare_marts(same, published))
    other = duckdb.connect()
    _mart_tables(other, "fl_", shift=0.5)
    pole_year = compare_marts(other, published)[0]
    assert (pole_year.floor_rows, pole_year.pipeline_rows, pole_year.different) == (2, 2, 1)
    assert (pole_year.codes, pole_year.codes_equal) == (2, 1)
    assert not pole_year.equal


def _file(path: Path, text: str, encoding: str, sent: datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    os.utime(path, (sent.timestamp(), sent.timestamp()))


def test_the_floor_reads_french_files_and_keeps_the_latest_sending(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    # PHARES (CP1252, `;`): employees (a stock) for the year, jobs created (a flow) by quarter, and one
    # row the pipeline would refuse (« env. 40 ») which the floor must leave out too.
    _file(
        raw / "indicateurs" / "phares_2016.csv",
        "Pôle;Période;Indicateur;Valeur\r\nPHARES;2016;Salariés des structures membres;1\u00a0200\r\n"
        "PHARES;T1 2016;Emplois créés dans l'année;3\r\nPHARES;T2 2016;Emplois créés dans l'année;4\r\n"
        "PHARES;2016;Salariés en CDI;env. 40\r\n",
        "cp1252",
        datetime(2017, 2, 1, tzinfo=UTC),
    )
    # A UTF-8 export (`,`) sent later for Bou'Sol 2016, and an earlier one it replaces as a whole.
    _file(
        raw / "indicateurs" / "bousol_v1.csv",
        "pole,periode,indicateur,valeur\nbousol,2016,salaries,50\nbousol,2016,salaries_cdi,20\n",
        "utf-8",
        datetime(2017, 2, 1, tzinfo=UTC),
    )
    _file(
        raw / "indicateurs" / "bousol_v2.csv",
        "pole,periode,indicateur,valeur\nbousol,2016,salaries,60\n",
        "utf-8",
        datetime(2017, 3, 1, tzinfo=UTC),
    )
    run = run_floor(tmp_path, tmp_path / "aucun", today=date(2020, 1, 1))
    values = run.con.execute(
        "select pole_id, annee, code, valeur, origine, nb_trimestres from fl_mart_pole_year where not derive order by all"
    ).fetchall()
    assert values == [
        ("bousol", 2016, "salaries", 60.0, "annuel", None),
        ("phares", 2016, "emplois_crees", 7.0, "trimestres", 2),
        ("phares", 2016, "salaries", 1200.0, "annuel", None),
    ]
    network = run.con.execute(
        "select valeur, mediane, nb_poles from fl_mart_network_year where annee = 2016 and code = 'salaries'"
    ).fetchall()
    assert network == [(1260.0, 630.0, 2)]


def test_the_floor_groups_stays_into_pathways(tmp_path: Path) -> None:
    # One person of Bou'Sol: a stay ended on 31/03/2016, another structure 10 days later (an internal
    # move, not an exit), which ends in a CDI in 2016; a second person still in the pathway.
    _file(
        tmp_path / "raw" / "parcours" / "parcours_bousol_2016.csv",
        "Identifiant;Structure;Date d'entrée;Date de sortie;Motif de sortie;Heures de formation\r\n"
        "A1;ACI Le Fournil;01/01/2016;31/03/2016;embauche en CDI;\r\n"
        "A1;EI Les Jardins;10/04/2016;30/06/2016;CDI;10\r\n"
        "B2;ACI Le Fournil;01/07/2016;;;\r\n",
        "cp1252",
        datetime(2017, 2, 1, tzinfo=UTC),
    )
    run = run_floor(tmp_path, tmp_path / "aucun", today=date(2020, 1, 1))
    got = dict(
        run.con.execute(
            "select code, valeur from fl_pathway_indicators where pole_id = 'bousol' and annee = 2016"
        ).fetchall()
    )
    assert got["personnes_accompagnees"] == 2
    assert got["entrees_parcours"] == 2  # A1's move continues one pathway
    assert got["sorties"] == 1
    assert got["sorties_emploi_durable"] == 1
    assert got["mobilites_internes"] == 1
    assert got["taux_sortie_dynamique"] == 1.0
    assert got["heures_formation"] == 10.0
    # A1's pathway: 01/01/2016 to 30/06/2016 = 181 days, in months of 365.25 / 12 days.
    assert got["duree_mediane_mois"] == pytest.approx(181 / (365.25 / 12))


def test_the_poles_frame_in_sql_places_poles_in_france_as_python_does() -> None:
    """`gx_poles/coordonnees_france` counts rows of a column computed in Python: its SQL agrees."""
    points = [
        (45.0, 2.0),  # Auvergne
        (41.0, -5.5),  # the metropolitan box's corner, inclusive
        (-21.1, 55.5),  # La Réunion
        (48.85, 12.0),  # east of the box: Germany
        (0.0, 0.0),
        (float("nan"), 2.0),
    ]
    con = duckdb.connect()
    con.execute("create table poles (pole_id varchar, latitude double, longitude double)")
    con.executemany("insert into poles values (?, ?, ?)", [[str(i), *p] for i, p in enumerate(points)])
    # DuckDB reads a float NaN as NaN, not null: a missing place is null in the warehouse.
    con.execute("update poles set latitude = null where isnan(latitude)")
    flags = dict(con.execute(f"select pole_id, en_france from ({FRAME_SQL['poles']})").fetchall())
    assert [flags[str(i)] for i in range(len(points))] == [in_france(*p) for p in points]
    assert [flags[str(i)] for i in range(len(points))] == [True, True, True, False, False, False]

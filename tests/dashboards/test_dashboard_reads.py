"""The reads the pages use (`dashboards.reads`: `ptce.read` cached) against the published demo warehouse."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from dashboards.shared import reads
from ptce.paths import DataLayout


@pytest.fixture
def wh(demo_data_dir: Path) -> reads.Warehouse:
    found = reads.current_warehouse(demo_data_dir)
    assert found is not None
    return found


def sql(path: str, query: str, *params: object) -> list[tuple]:
    with duckdb.connect(path, read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


def test_no_warehouse_yet(tmp_path: Path) -> None:
    assert reads.current_warehouse(tmp_path) is None


def test_current_warehouse_from_environment(monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path) -> None:
    monkeypatch.setenv("PTCE_DATA_DIR", str(demo_data_dir))
    found = reads.current_warehouse()
    assert found is not None
    assert found.path == str(DataLayout(demo_data_dir.resolve()).warehouse)


def test_publication_and_years(wh: reads.Warehouse) -> None:
    publication = reads.publication(wh)
    assert len(publication) == 1
    assert bool(publication.loc[0, "donnees_demo"]) is True
    expected = [y for (y,) in sql(wh.path, "select distinct annee from mart_network_year order by 1 desc")]
    assert reads.years(wh) == expected
    assert expected[0] > expected[-1]


def test_poles_ordered_by_number(wh: reads.Warehouse) -> None:
    poles = reads.poles(wh)
    assert poles["numero"].tolist() == list(range(1, 13))
    assert reads.pole(wh, "phares").loc[0, "nom"] == "PHARES"


def test_pole_id_is_a_parameter_not_sql(wh: reads.Warehouse) -> None:
    assert reads.pole(wh, "x' or '1'='1").empty
    assert reads.pole_series(wh, "x' or '1'='1").empty


def test_key_figures_are_the_network_mart(wh: reads.Warehouse) -> None:
    year = reads.years(wh)[0]
    figures = reads.key_figures(wh, year).set_index("code")
    assert list(figures.index) == [
        "membres",
        "salaries",
        "etp",
        "emplois_crees",
        "emplois_consolides",
        "personnes_accompagnees",
        "sorties_emploi_durable",
        "taux_sortie_dynamique",
    ]
    ((membres,),) = sql(
        wh.path, "select sum(valeur) from mart_pole_year where code = 'membres' and annee = ?", year
    )
    assert figures.loc["membres", "valeur"] == pytest.approx(membres)
    ((previous,),) = sql(
        wh.path, "select valeur from mart_network_year where code = 'membres' and annee = ?", year - 1
    )
    assert figures.loc["membres", "valeur_precedente"] == pytest.approx(previous)
    # The dynamic-exit rate is a ratio of sums, stored in [0, 1].
    assert 0 < figures.loc["taux_sortie_dynamique", "valeur"] < 1
    assert figures.loc["taux_sortie_dynamique", "unite"] == "%"


def test_first_year_has_no_previous_value(wh: reads.Warehouse) -> None:
    first = reads.years(wh)[-1]
    assert reads.key_figures(wh, first)["valeur_precedente"].isna().all()


def test_network_trends_cover_every_domain_in_order(wh: reads.Warehouse) -> None:
    trends = reads.network_trends(wh)
    catalog = reads.catalog(wh)
    assert trends["domaine"].drop_duplicates().tolist() == catalog["domaine"].drop_duplicates().tolist()
    assert set(trends["code"]) <= set(catalog["code"])
    assert trends["derive"].any()


def test_poles_year_table_matches_pole_mart(wh: reads.Warehouse) -> None:
    year = reads.years(wh)[0]
    table = reads.poles_year_table(wh, year).set_index("pole_id")
    assert len(table) == 12
    expected = dict(
        sql(wh.path, "select pole_id, valeur from mart_pole_year where code = 'salaries' and annee = ?", year)
    )
    for pole_id, value in expected.items():
        assert table.loc[pole_id, "salaries"] == pytest.approx(value)
    # The map draws each pole at its place.
    places = dict(sql(wh.path, "select pole_id, latitude from poles"))
    assert table["latitude"].to_dict() == pytest.approx(places)
    assert table["longitude"].notna().all() and table["departement"].notna().all()


def test_pole_series_beside_network_median(wh: reads.Warehouse) -> None:
    series = reads.pole_series(wh, "phares")
    ((n_rows,),) = sql(wh.path, "select count(*) from mart_pole_year where pole_id = 'phares'")
    assert len(series) == n_rows
    row = series[(series["code"] == "membres")].iloc[0]
    ((median,),) = sql(
        wh.path,
        "select mediane from mart_network_year where code = 'membres' and annee = ?",
        int(row["annee"]),
    )
    assert row["mediane_reseau"] == pytest.approx(median)
    # Typed-in values name their raw files; derived ones are computed from them.
    assert series.loc[~series["derive"], "fichiers"].str.startswith("raw/").all()
    assert series.loc[series["derive"], "fichiers"].isna().all()


def test_pole_series_carries_the_poles_comments(altered_data_dir: Callable[..., Path]) -> None:
    data_dir = altered_data_dir(
        "update indicator_values set commentaire = null",
        "update indicator_values set commentaire = 'Chiffre provisoire' "
        "where pole_id = 'phares' and code = 'membres' and annee = 2016",
    )
    wh = reads.current_warehouse(data_dir)
    assert wh is not None
    series = reads.pole_series(wh, "phares")
    commented = series.dropna(subset=["commentaires"])
    assert commented[["code", "annee", "commentaires"]].values.tolist() == [
        ["membres", 2016, "Chiffre provisoire"]
    ]


def test_new_publication_invalidates_the_cache(altered_data_dir: Callable[..., Path]) -> None:
    data_dir = altered_data_dir()
    first = reads.current_warehouse(data_dir)
    assert first is not None
    years_before = reads.years(first)

    # Publish a new version the way the pipeline does: a new file swapped in with os.replace.
    staged = data_dir / "staged.duckdb"
    shutil.copyfile(first.path, staged)
    with duckdb.connect(str(staged)) as con:
        con.execute("delete from mart_network_year where annee = ?", [years_before[-1]])
    os.replace(staged, first.path)
    os.utime(first.path, ns=(first.mtime_ns + 1_000_000_000, first.mtime_ns + 1_000_000_000))

    second = reads.current_warehouse(data_dir)
    assert second is not None and second != first
    assert reads.years(second) == years_before[:-1]
    assert reads.years(first) == years_before  # the old key still answers from the cache


def test_quality_loaders(altered_data_dir: Callable[..., Path]) -> None:
    data_dir = altered_data_dir(
        "insert into check_results select run_id, 'poles', 'gx_poles', 'r', 'd', 'WARN', false, 1, '[]', 'gx' "
        "from publication"
    )
    wh = reads.current_warehouse(data_dir)
    assert wh is not None

    checks = reads.check_results(wh)
    ((n_checks,),) = sql(wh.path, "select count(*) from check_results")
    assert len(checks) == n_checks
    assert not checks.loc[0, "passed"]  # failures first
    assert reads.quality_run(wh).loc[0, "run_id"] == checks.loc[0, "run_id"]

    quarantine = reads.quarantine(wh)
    ((n_quarantine,),) = sql(wh.path, "select count(*) from quarantine")
    assert len(quarantine) == n_quarantine
    named = quarantine.dropna(subset=["pole_id"])
    assert named["pole_nom"].notna().all()  # joined to the poles

    log = reads.ingest_log(wh)
    ((n_files,),) = sql(wh.path, "select count(*) from ingest_log")
    assert len(log) == n_files
    assert log["arrived_at"].notna().all()  # every file is in the arrival register

    rates = reads.reporting_rates(wh)
    cells = reads.completeness(wh)
    assert rates["attendus"].sum() == len(cells)
    assert rates["recus"].sum() == cells["recu"].sum()
    assert (rates["a_temps"] <= rates["recus"]).all()

    changes = reads.indicator_changes(wh)
    ((n_changes,),) = sql(wh.path, "select count(*) from indicator_changes")
    assert len(changes) == n_changes
    assert changes["libelle"].notna().all() and changes["pole_nom"].notna().all()

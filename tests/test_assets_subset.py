"""Indicator assets materialised on their own, on one small file: no full run, no Great Expectations.

`dg.materialize` runs just the assets a behaviour needs, against a temporary build database, as
Dagster's own examples test assets; the whole job is covered by the slow end-to-end tests.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from pipelines.indicators.assets import (
    indicator_versions,
    mart_network_year,
    mart_pole_year,
    stg_indicator_files,
)
from pipelines.poles.assets import poles
from pipelines.shared.raw_assets import raw_files
from pipelines.shared.reference_assets import indicator_catalog
from pipelines.shared.resources import WarehouseResource
from ptce.paths import DataLayout

CSV = (
    "pole;periode;indicateur;valeur\n"
    "PHARES;2016-T1;entrees_parcours;10\n"
    "PHARES;2016-T2;entrees_parcours;12\n"
    "PHARES;2016;salaries;1 234\n"
    "PHARES;2016;membres;beaucoup\n"  # quarantined: not a number
)


def _materialize(data_dir: Path, assets: list) -> dg.ExecuteInProcessResult:
    return dg.materialize(assets, resources={"warehouse": WarehouseResource(data_dir=str(data_dir))})


def _rows(data_dir: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(DataLayout(data_dir).build_database), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_staging_keeps_values_quarantine_and_one_log_row(tmp_path: Path) -> None:
    (tmp_path / "raw" / "indicateurs").mkdir(parents=True)
    (tmp_path / "raw" / "indicateurs" / "phares_2016.csv").write_text(CSV, encoding="utf-8")
    assert _materialize(tmp_path, [raw_files, stg_indicator_files]).success

    ((read, loaded, quarantined, status),) = _rows(
        tmp_path, "select rows_read, rows_loaded, rows_quarantined, status from stg_indicator_log"
    )
    assert (read, loaded, quarantined, status) == (4, 3, 1, "partial")
    assert _rows(tmp_path, "select row_number, field, value from stg_indicator_quarantine") == [
        (5, "valeur", "beaucoup")
    ]


def test_quarters_roll_up_in_the_pole_mart(tmp_path: Path) -> None:
    (tmp_path / "raw" / "indicateurs").mkdir(parents=True)
    (tmp_path / "raw" / "indicateurs" / "phares_2016.csv").write_text(CSV, encoding="utf-8")
    assets = [raw_files, stg_indicator_files, indicator_versions, poles, indicator_catalog]
    assert _materialize(tmp_path, [*assets, mart_pole_year, mart_network_year]).success

    marts = dict(
        _rows(
            tmp_path,
            "select code, valeur from mart_pole_year where pole_id = 'phares' and annee = 2016 "
            "and code in ('entrees_parcours', 'salaries')",
        )
    )
    # Entries are a flow: the two quarters add up; salaried staff was given for the year.
    assert marts == {"entrees_parcours": 22.0, "salaries": 1234.0}

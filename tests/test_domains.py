"""Domains declare themselves (issue #9): the shared parts collect every `pipelines/<pkg>/domain.py`.

A domain folder added next to the others (here a fictitious one in a temporary folder put on
`pipelines.__path__`) is found, its staged quarantine rows reach the curated `quarantine`, its suites
reach the GX checks, its tables are published; `scripts/compare_warehouses.py` tells identical
warehouses from different ones.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

import pipelines
from pipelines.shared.domain import domains
from pipelines.shared.ledger import LOG_COLUMNS, QUARANTINE_COLUMNS
from pipelines.shared.ledger_assets import STAGING_DEPS, quarantine
from pipelines.shared.publication_assets import PUBLISHED_FROM
from pipelines.shared.quality_checks import MART_SUITES, TABLE_SUITES
from pipelines.shared.resources import WarehouseResource
from ptce.contract import TABLES

ROOT = Path(__file__).resolve().parents[1]

FAKE_DOMAIN = """
from pipelines.shared.domain import Domain

DOMAIN = Domain(
    name="fictif",
    raw_kinds=("visites",),
    staging_asset="stg_fictif_files",
    staging_log="stg_fictif_log",
    staging_quarantine="stg_fictif_quarantine",
    tables=(),
)
"""


@pytest.fixture
def fake_domain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    package = tmp_path / "pkgs" / "zz_fictif"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""A fictitious domain for the tests."""\n', encoding="utf-8")
    (package / "domain.py").write_text(FAKE_DOMAIN, encoding="utf-8")
    monkeypatch.setattr(pipelines, "__path__", [*pipelines.__path__, str(tmp_path / "pkgs")])
    domains.cache_clear()
    yield
    monkeypatch.undo()
    domains.cache_clear()
    for name in [m for m in sys.modules if m.startswith("pipelines.zz_fictif")]:
        del sys.modules[name]


def test_every_domain_folder_is_declared() -> None:
    names = [d.name for d in domains()]
    assert names == ["applications", "indicators", "pathways", "poles", "visits"]
    assert set(STAGING_DEPS) == {
        "stg_application_files",
        "stg_indicator_files",
        "stg_pathway_files",
        "stg_pole_files",
        "stg_visit_files",
        "raw_files",
    }
    owned = [t for d in domains() for t in d.tables]
    assert len(owned) == len(set(owned))
    assert set(owned) <= set(PUBLISHED_FROM) <= set(TABLES)
    checks = [s.check_name for s in (*TABLE_SUITES, *MART_SUITES)]
    assert len(checks) == len(set(checks)) == 21


def test_column_lists_are_the_contract() -> None:
    assert list(TABLES["ingest_log"]) == LOG_COLUMNS
    assert list(TABLES["quarantine"]) == QUARANTINE_COLUMNS


def test_a_new_domain_folder_is_collected(fake_domain, tmp_path: Path) -> None:
    assert "fictif" in [d.name for d in domains()]
    warehouse = WarehouseResource(data_dir=str(tmp_path / "data"))
    with warehouse.get_connection() as con:
        empty = pd.DataFrame(columns=QUARANTINE_COLUMNS)
        rows = pd.DataFrame(
            [
                {
                    "source_file": "raw/visites/v.csv",
                    "row_number": 3,
                    "field": "date_visite",
                    "value": "31/02",
                    "reason": "Date impossible : corrigez-la.",
                    "pole_id": "phares",
                }
            ],
            columns=QUARANTINE_COLUMNS,
        )
        for name, frame in {
            "stg_indicator_quarantine": empty,
            "stg_application_quarantine": empty,
            "stg_pathway_quarantine": empty,
            "stg_pole_quarantine": empty,
            "stg_visit_quarantine": empty,
            "stg_fictif_quarantine": rows,
        }.items():
            con.register("_frame", frame)
            con.execute(f"create table {name} as select * from _frame")
            con.unregister("_frame")
    result = dg.materialize([quarantine], resources={"warehouse": warehouse})
    assert result.success
    with warehouse.get_connection() as con:
        got = con.execute("select source_file, field, reason from quarantine").fetchall()
    assert got == [("raw/visites/v.csv", "date_visite", "Date impossible : corrigez-la.")]


def _warehouse(path: Path, reason: str) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create table quarantine (source_file varchar, reason varchar, run_id varchar)")
    con.execute(f"insert into quarantine values ('a.csv', '{reason}', '{path.stem}')")
    con.close()
    return path


def test_compare_warehouses_script(tmp_path: Path) -> None:
    a = _warehouse(tmp_path / "a.duckdb", "Motif")
    b = _warehouse(tmp_path / "b.duckdb", "Motif")
    c = _warehouse(tmp_path / "c.duckdb", "Autre motif")
    script = [sys.executable, str(ROOT / "scripts" / "compare_warehouses.py")]
    same = subprocess.run([*script, str(a), str(b)], capture_output=True, text=True)
    assert same.returncode == 0, same.stdout  # run ids differ: left out
    assert "IDENTICAL" in same.stdout
    other = subprocess.run([*script, str(a), str(c)], capture_output=True, text=True)
    assert other.returncode == 1
    assert "quarantine" in other.stdout and "DIFFERENT" in other.stdout

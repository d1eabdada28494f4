"""The Dagster instance of a data folder writes its run history with WAL and `synchronous=NORMAL`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import create_engine

from pipelines.runner import ensure_dagster_home
from ptce.paths import DataLayout


def test_the_instance_s_sqlite_files_use_wal_and_normal_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    home = ensure_dagster_home(DataLayout(tmp_path / "data"))
    assert home == tmp_path / "data" / "curated" / ".dagster"
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert instance.get_runs() == []
    runs_db = home / "history" / "runs.db"
    with sqlite3.connect(runs_db) as con:  # a plain connection, outside SQLAlchemy
        assert con.execute("pragma journal_mode").fetchone() == ("wal",)

    # Synchronous is per connection: any SQLite engine SQLAlchemy opens in this process has it.
    engine = create_engine(f"sqlite:///{tmp_path / 'autre.db'}")
    with engine.connect() as con:
        assert con.exec_driver_sql("pragma synchronous").scalar() == 1  # NORMAL (FULL is 2)
        assert con.exec_driver_sql("pragma journal_mode").scalar() == "wal"
    engine.dispose()

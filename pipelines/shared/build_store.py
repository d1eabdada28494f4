"""Writing the warehouse: DataFrames into the build database, and the atomic publication.

Publication copies the contract tables (`ptce.contract.TABLES`) from the build database into a new
file next to the published one, then renames it over `curated/ptce.duckdb` (`os.replace` is atomic on
one file system). A dashboard that opened the previous file keeps reading it; the next query opens the
new one. The build database is never read by the dashboards, so a run in progress cannot lock them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.shared.domain import domains
from ptce.contract import TABLES, connect_readonly, create_table_sql, fetch_one
from ptce.paths import DataLayout
from ptce.reference import load_catalog

# (path, hash or status) of every entry of the inventory; `pipelines.shared.jobs` uses the same rule.
INVENTORY_FINGERPRINT_SQL = "select source_file, coalesce(sha256, status) from raw_inventory"


def write_table(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, order_by: Iterable[str] = ()
) -> int:
    """Replace `table` with `frame`, using the contract columns and types when it is a contract table.

    Rows are stored sorted so that two runs on the same files give identical tables.
    """
    con.register("_frame", frame)
    try:
        order = f" order by {', '.join(order_by)}" if order_by else ""
        if table in TABLES:
            con.execute(create_table_sql(table))
            cols = ", ".join(f'"{c}"' for c in TABLES[table])
            if len(frame):
                con.execute(f'insert into "{table}" select {cols} from _frame{order}')
        else:
            con.execute(f'create or replace table "{table}" as select * from _frame{order}')
    finally:
        con.unregister("_frame")
    return int(fetch_one(con, f'select count(*) from "{table}"')[0])


def gx_root(layout: DataLayout) -> Path:
    """Great Expectations stores of the current run (suites, validation results)."""
    return layout.build_dir / "gx"


def reset_run_state(con: duckdb.DuckDBPyConnection, layout: DataLayout) -> None:
    """Empty what checks accumulate during a run: their results table and the GX stores."""
    con.execute(create_table_sql("check_results"))
    shutil.rmtree(gx_root(layout), ignore_errors=True)


def raw_fingerprint(files: Iterable[tuple[str, str]]) -> str:
    """One hash for the set of raw files (path and content hash), to tell if anything changed.

    Entries that are not read have no content hash: their status stands in for it (see
    `INVENTORY_FINGERPRINT_SQL`), so a new hidden file or a refused link also counts as a change.
    """
    digest = hashlib.sha256()
    for source_file, sha in sorted(files):
        digest.update(f"{source_file}\0{sha}\n".encode())
    return digest.hexdigest()


def publish_data_docs(layout: DataLayout, run_id: str) -> str | None:
    """Build the GX Data Docs of this run's validations and swap them in as `curated/data_docs/`.

    Returns the site index relative to the data directory, or None when no suite ran.
    """
    root = gx_root(layout)
    if not root.exists():
        return None
    from pipelines.shared.gx_suites import build_data_docs  # GX is slow to import: only when needed

    staging = layout.curated / f".data_docs.{run_id}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    build_data_docs(root, staging)
    final = layout.data_docs_dir
    previous = layout.curated / f".data_docs.{run_id}.old"
    if final.exists():
        final.rename(previous)
    staging.rename(final)
    shutil.rmtree(previous, ignore_errors=True)
    return layout.relative(final / "index.html")


def publish(
    con: duckdb.DuckDBPyConnection,
    layout: DataLayout,
    run_id: str,
    is_demo: bool,
    data_docs: str | None = None,
) -> Path:
    """Copy the contract tables into a fresh file and swap it in as the published warehouse."""
    layout.curated.mkdir(parents=True, exist_ok=True)
    tmp = layout.curated / f".ptce.duckdb.{run_id}.tmp"
    tmp.unlink(missing_ok=True)
    fingerprint = raw_fingerprint(con.execute(INVENTORY_FINGERPRINT_SQL).fetchall())
    n_files = int(fetch_one(con, "select count(*) from raw_inventory")[0])
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute("attach ? as pub", [str(tmp)])
    try:
        for table, columns in TABLES.items():
            if table == "publication":
                continue
            cols = ", ".join(f'"{c}"' for c in columns)
            con.execute(f'create table pub.main."{table}" as select {cols} from main."{table}"')
        con.execute(create_table_sql("publication", qualified='pub.main."publication"'))
        con.execute(
            "insert into pub.main.publication values (?, ?, ?, ?, ?, ?, ?)",
            [now, run_id, is_demo, load_catalog().version, n_files, fingerprint, data_docs],
        )
    finally:
        con.execute("detach pub")
    _publish_parquet(con, layout, run_id)
    os.replace(tmp, layout.warehouse)
    return layout.warehouse


def _publish_parquet(con: duckdb.DuckDBPyConnection, layout: DataLayout, run_id: str) -> None:
    """Parquet copies of the main tables for analysts' tools; each file swapped in atomically."""
    layout.parquet_dir.mkdir(parents=True, exist_ok=True)
    for table in (t for d in domains() for t in d.parquet_tables):
        final = layout.parquet_dir / f"{table}.parquet"
        tmp = layout.parquet_dir / f".{table}.{run_id}.tmp"
        con.execute(f"copy (select * from \"{table}\") to '{tmp.as_posix()}' (format parquet)")
        os.replace(tmp, final)


def read_published_fingerprint(layout: DataLayout) -> str | None:
    """Fingerprint of the raw files behind the published warehouse, if there is one."""
    if not layout.warehouse.exists():
        return None
    try:
        with connect_readonly(layout.warehouse) as con:
            row = fetch_one(con, "select raw_fingerprint from publication")
    except duckdb.Error:
        return None
    return row[0] if row else None

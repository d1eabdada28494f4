"""Frames the shared quality suites validate: a table as it is, and `ingest_log` with the columns
its rules judge. Each domain builds its own derived frames (`FRAMES` in `pipelines/<domain>/rules.py`).
"""

from __future__ import annotations

import duckdb
import pandas as pd


def table(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    return con.execute(f'select * from "{name}"').df()


def ingest_log_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return with_ingest_log_flags(table(con, "ingest_log"))


def with_ingest_log_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """ingest_log rows with the columns its rules judge: the conservation gap, and the flags of the
    rules that depend on the status (an ignored file has no row; a loaded file has its hash)."""
    frame = frame.copy()
    frame["ecart_conservation"] = frame["rows_read"] - frame["rows_loaded"] - frame["rows_quarantined"]
    ignored = frame["status"] == "ignored"
    counts = frame[["rows_read", "rows_loaded", "rows_quarantined"]]
    frame["ignore_sans_ligne"] = ~ignored | (counts == 0).all(axis=1)
    frame["empreinte_si_lu"] = ~frame["status"].isin(["ok", "partial"]) | frame["sha256"].notna()
    return frame

"""Reading the published warehouse: which version, who is reading, and one query helper.

Plain functions, no Streamlit: the dashboards wrap them in their cache, the yearly report and
analysts call them directly. A connection is opened read-only for each query and closed at once:
the pipeline swaps the published file with `os.replace`, so a connection held across publications
would keep reading the old file.

Values (years, pole ids) always travel as `?` parameters, never formatted into the SQL text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ptce.contract import connect_readonly
from ptce.paths import DataLayout, resolve_data_dir

Role = Literal["staff", "funder", "pole"]


@dataclass(frozen=True)
class Warehouse:
    """One published version of the warehouse (path and modification time): a cache key."""

    path: str
    mtime_ns: int


@dataclass(frozen=True)
class Viewer:
    """Who reads: COORACE staff, the funder, or one pole (SPEC §5). Filtering happens in the reads."""

    role: Role
    pole_id: str | None = None


STAFF = Viewer("staff")


def current_warehouse(data_dir: Path | None = None) -> Warehouse | None:
    """The published warehouse as it is now, or None when nothing has been published yet."""
    path = DataLayout(resolve_data_dir(data_dir)).warehouse
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return Warehouse(path=str(path), mtime_ns=stat.st_mtime_ns)


def require_staff(viewer: Viewer) -> None:
    """Reads for staff only (data quality, applications: they quote the files' and the poles' own
    words): refuse anyone else, in French."""
    if viewer.role != "staff":
        raise PermissionError("Ces données sont réservées à l'équipe COORACE.")


def query(wh: Warehouse, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run one read-only query on the published warehouse `wh`."""
    con = connect_readonly(Path(wh.path))
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()

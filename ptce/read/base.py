"""Reading the published warehouse: which version, who is reading, and one query helper.

Plain functions, no Streamlit: the dashboards wrap them in their cache, the yearly report and
analysts call them directly.

Connections are kept. Opening the warehouse costs tens of milliseconds, more than most of the
pages' queries, so the first query on a file opens it and later ones reuse that connection. The
pipeline publishes by swapping the file (`os.replace`): every query first compares the file's
identity (inode, modification time, size: one `stat`) with the one it was opened with, and opens
the new file when it changed, so a publication is seen by the next query. The identity is taken
before opening: a swap between the two is then seen as a change by the next query, never missed.
The file is opened by `ptce.contract.connect_readonly`, in a DuckDB instance of its own: a plain
`duckdb.connect(path)` joins the database already open at that path in the process, so a
connection held elsewhere would otherwise hand the replaced file back when reopening.

Streamlit runs each session in a thread of its own and a DuckDB connection is not to be shared
between threads: each query takes a cursor of the kept connection (a connection of its own to
the same database) for itself, and gives it back for the next query when it is done (closes it
if the query failed: its result may be left half read). A connection left for a newer file is
closed once its last query is done, so a query running across a publication ends on its file.

`release_connections()` closes them all: for a test about to write a warehouse file in place,
which DuckDB refuses while the file is attached read-only in the process.

Values (years, pole ids) always travel as `?` parameters, never formatted into the SQL text.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd

from ptce.contract import PUBLISHED_ALIAS, connect_readonly
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


# A file's identity: inode, modification time (ns), size. `os.replace` gives a new inode; the
# modification time and size also catch a file rewritten in place (tests do).
FileIdentity = tuple[int, int, int]

# Warehouse files kept open at once: the dashboards read one; a test suite or an analyst comparing
# data folders reads more, and the least recently read is closed beyond this.
MAX_OPEN_FILES = 4


def file_identity(path: Path) -> FileIdentity | None:
    """The identity of the file at `path` now, or None when there is none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


@dataclass(eq=False)
class _Opened:
    """One warehouse file opened for reading: its connection, the identity it was opened with,
    the cursors free for the next query and the number in use."""

    con: duckdb.DuckDBPyConnection
    identity: FileIdentity
    idle: list[duckdb.DuckDBPyConnection] = field(default_factory=list)
    busy: int = 0
    retired: bool = False

    def close_when_done(self) -> None:
        """Close now if no query runs on it, else when the last one gives its cursor back (closing
        the connection closes its cursors, a query running on one included)."""
        self.retired = True
        if self.busy == 0:
            for cur in self.idle:
                cur.close()
            self.idle.clear()
            self.con.close()


# Path -> the file opened there, least recently read first. Every access holds _LOCK.
_OPEN: dict[str, _Opened] = {}
_LOCK = threading.Lock()


def _take_cursor(path: Path) -> tuple[_Opened, duckdb.DuckDBPyConnection]:
    key = os.path.abspath(path)
    identity = file_identity(path)  # before opening: see the module docstring
    with _LOCK:
        opened = _OPEN.pop(key, None)
        if opened is not None and opened.identity != identity:
            opened.close_when_done()
            opened = None
        if opened is None:
            # Opened under the lock: queries arriving meanwhile wait for this opening rather than
            # open the same file again. A missing file raises DuckDB's own error, as before.
            opened = _Opened(connect_readonly(path), identity or (0, 0, 0))
        _OPEN[key] = opened  # most recently read last
        while len(_OPEN) > MAX_OPEN_FILES:
            _OPEN.pop(next(iter(_OPEN))).close_when_done()
        if opened.idle:
            cur = opened.idle.pop()
        else:
            cur = opened.con.cursor()
            # A cursor is a connection of its own: it starts on the instance's default database,
            # not the attached warehouse.
            cur.execute(f"use {PUBLISHED_ALIAS}")
        opened.busy += 1
    return opened, cur


def _give_back(opened: _Opened, cur: duckdb.DuckDBPyConnection, reusable: bool) -> None:
    with _LOCK:
        opened.busy -= 1
        if reusable and not opened.retired:
            opened.idle.append(cur)
            return
        cur.close()
        if opened.retired:
            opened.close_when_done()


@contextlib.contextmanager
def warehouse_cursor(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the warehouse file at `path` as it is now, for this thread alone until the
    block ends (the connection kept for that file, opened again if the file changed)."""
    opened, cur = _take_cursor(path)
    reusable = False
    try:
        yield cur
        reusable = True  # after an error a result may be left half read: that cursor is dropped
    finally:
        _give_back(opened, cur, reusable)


def release_connections() -> None:
    """Close every kept connection (those with a query running, when it ends): afterwards nothing
    in the process holds a warehouse file open through the read layer."""
    with _LOCK:
        while _OPEN:
            _OPEN.popitem()[1].close_when_done()


def query(wh: Warehouse, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run one read-only query on the published warehouse `wh`."""
    with warehouse_cursor(Path(wh.path)) as cur:
        return cur.execute(sql, list(params)).df()

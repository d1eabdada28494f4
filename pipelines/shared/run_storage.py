"""Dagster's run history on SQLite, made cheap to write: WAL journal, `synchronous=NORMAL`.

`ptce run` keeps its runs in the data folder's Dagster instance (`curated/.dagster/`, shown by
`ptce dagster`). Dagster's SQLite storages open a connection per write and commit every event; with
SQLite's defaults (rollback journal, `synchronous=FULL`) each commit waits for the disk twice. A
demo run writes about 250 events: measured on these machines, 7 to 14 s of a 25 to 40 s run were
spent in those commits and closes, against about 0.5 s with no waiting at all.

WAL with `synchronous=NORMAL` is SQLite's documented safe middle: a crash or power loss may drop
the last events written, never corrupt the database (a run log, not the warehouse: the warehouse is
DuckDB, published atomically). WAL also lets the progress reader (`ptce run --journal`) and the
Dagster UI read while a run writes.
"""

from __future__ import annotations

from typing import Any

_installed = False


def _tune(dbapi_connection: Any, _record: Any) -> None:
    # Only SQLite connections: SQLAlchemy engines of other databases pass through untouched.
    if type(dbapi_connection).__module__.split(".")[0] not in {"sqlite3", "_sqlite3"}:
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file once set
        cursor.execute("PRAGMA synchronous=NORMAL")  # per connection
    finally:
        cursor.close()


def tune_sqlite_storage() -> None:
    """Apply the pragmas above to every SQLite connection SQLAlchemy opens in this process.

    In the processes that run the pipeline, SQLAlchemy over SQLite is used by Dagster's storages
    only (the warehouse is DuckDB, Great Expectations validates pandas frames). Idempotent.
    """
    global _installed
    if _installed:
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "connect", _tune)
    _installed = True

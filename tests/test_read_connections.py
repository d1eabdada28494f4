"""The read layer's kept connection (`ptce.read.base`): reused while the file stays the same, opened
again after a publication, one cursor per query across threads, released on demand."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pytest

from ptce.read import base
from ptce.read.base import Warehouse, query, release_connections, warehouse_cursor


def _write(path: Path, values: list[int]) -> Path:
    """A tiny warehouse: one table `t` holding `values`."""
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table t (v integer)")
        con.executemany("insert into t values (?)", [[v] for v in values])
    return path


def _publish(built: Path, published: Path) -> None:
    """What the pipeline does: swap a finished file over the published one."""
    os.replace(built, published)


def _values(path: Path) -> list[int]:
    return list(query(Warehouse(str(path), 0), "select v from t order by v")["v"])


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every `duckdb.connect` from here on, the tests' own writes included (they clear the list)."""
    calls: list[str] = []
    real = duckdb.connect

    def counting(database: str = ":memory:", *args, **kwargs):
        calls.append(database)
        return real(database, *args, **kwargs)

    monkeypatch.setattr("ptce.contract.duckdb.connect", counting)
    return calls


def test_a_query_after_a_publication_reads_the_new_file(tmp_path: Path) -> None:
    published = _write(tmp_path / "ptce.duckdb", [1, 2])
    assert _values(published) == [1, 2]
    _publish(_write(tmp_path / "next.duckdb", [7, 8, 9]), published)
    assert _values(published) == [7, 8, 9]


def test_a_publication_is_seen_even_while_another_reader_holds_the_old_file(tmp_path: Path) -> None:
    # `duckdb.connect(path)` shares one database per path in a process: a connection held across
    # the swap would hand the old file to a plain `connect`. The read layer opens its own.
    published = _write(tmp_path / "ptce.duckdb", [1])
    assert _values(published) == [1]
    holder = duckdb.connect(str(published), read_only=True)
    try:
        _publish(_write(tmp_path / "next.duckdb", [2]), published)
        assert _values(published) == [2]
        assert holder.execute("select v from t").fetchall() == [(1,)]
    finally:
        holder.close()


def test_a_query_running_across_a_publication_finishes_on_its_file(tmp_path: Path) -> None:
    published = _write(tmp_path / "ptce.duckdb", [1])
    with warehouse_cursor(published) as running:
        _publish(_write(tmp_path / "next.duckdb", [2]), published)
        assert _values(published) == [2]  # another query meanwhile: the new file
        assert running.execute("select v from t").fetchall() == [(1,)]
    assert _values(published) == [2]


def test_a_file_rewritten_in_place_is_opened_again(tmp_path: Path) -> None:
    published = _write(tmp_path / "ptce.duckdb", [1])
    assert _values(published) == [1]
    release_connections()
    _write(published, [3, 4])
    assert _values(published) == [3, 4]


def test_an_unchanged_file_is_opened_once_for_many_queries(tmp_path: Path, opened: list[str]) -> None:
    published = _write(tmp_path / "ptce.duckdb", [5])
    opened.clear()
    for _ in range(10):
        assert _values(published) == [5]
    assert len(opened) == 1
    _publish(_write(tmp_path / "next.duckdb", [6]), published)
    opened.clear()
    for _ in range(10):
        assert _values(published) == [6]
    assert len(opened) == 1


def test_queries_from_several_threads_at_once_get_their_own_answers(
    tmp_path: Path, opened: list[str]
) -> None:
    published = _write(tmp_path / "ptce.duckdb", [10, 20, 30])
    opened.clear()
    wh = Warehouse(str(published), 0)
    threads, rounds = 8, 25
    start = threading.Barrier(threads)
    answers: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def read(n: int) -> None:
        try:
            start.wait()
            got = []
            for i in range(rounds):
                # Each thread asks for its own sum: 10 + 20 + 30 + n * 1000 + i.
                frame = query(wh, "select sum(v) + ? as s from t", [n * 1000 + i])
                got.append(int(frame.loc[0, "s"]))
            answers[n] = got
        except BaseException as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)

    workers = [threading.Thread(target=read, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert answers == {n: [60 + n * 1000 + i for i in range(rounds)] for n in range(threads)}
    assert len(opened) == 1


def test_threads_reading_through_publications_never_go_back_to_an_older_file(tmp_path: Path) -> None:
    published = _write(tmp_path / "ptce.duckdb", [1])
    wh = Warehouse(str(published), 0)
    stop = threading.Event()
    seen: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def read(n: int) -> None:
        got: list[int] = []
        try:
            while not stop.is_set():
                got.append(int(query(wh, "select max(v) as m from t").loc[0, "m"]))
        except BaseException as exc:
            errors.append(exc)
        seen[n] = got

    workers = [threading.Thread(target=read, args=(n,)) for n in range(4)]
    for w in workers:
        w.start()
    try:
        for version in range(2, 6):  # publications 2 to 5, each read back at once
            _publish(_write(tmp_path / f"v{version}.duckdb", [version]), published)
            assert _values(published) == [version]
    finally:
        stop.set()
        for w in workers:
            w.join()
    assert errors == []
    for got in seen.values():
        assert got == sorted(got)  # each thread's answers only move forward
        assert set(got) <= {1, 2, 3, 4, 5}


def test_a_failed_query_leaves_the_next_one_working(tmp_path: Path) -> None:
    published = _write(tmp_path / "ptce.duckdb", [1])
    with pytest.raises(duckdb.CatalogException):
        query(Warehouse(str(published), 0), "select * from missing_table")
    assert _values(published) == [1]


def test_a_missing_file_raises_duckdb_error(tmp_path: Path) -> None:
    published = _write(tmp_path / "ptce.duckdb", [1])
    assert _values(published) == [1]
    published.unlink()
    with pytest.raises(duckdb.IOException, match="does not exist"):
        _values(published)


def test_release_connections_lets_a_test_write_the_file_in_place(tmp_path: Path) -> None:
    published = _write(tmp_path / "ptce.duckdb", [1])
    assert _values(published) == [1]
    # DuckDB refuses a read-write connection to a file the process holds open read-only.
    with pytest.raises(duckdb.Error):
        duckdb.connect(str(published)).close()
    release_connections()
    with duckdb.connect(str(published)) as con:
        con.execute("insert into t values (2)")
    assert _values(published) == [1, 2]


def test_only_the_most_recently_read_files_stay_open(tmp_path: Path) -> None:
    files = [_write(tmp_path / f"w{i}.duckdb", [i]) for i in range(base.MAX_OPEN_FILES + 1)]
    for i, path in enumerate(files):
        assert _values(path) == [i]
    # The first one read was closed when one file too many was opened: it can be written at once.
    with duckdb.connect(str(files[0])) as con:
        con.execute("insert into t values (100)")
    assert _values(files[0]) == [0, 100]

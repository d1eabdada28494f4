"""One build at a time per data folder: `ptce run`, the sensor and Dagster runs share one lock.

The lock is held by other processes here, as in real use (a `ptce run` in a terminal while the
Dagster daemon works): `flock` locks belong to open files, and the holder's death releases them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pipelines.cli import EXIT_BUILD_IN_PROGRESS, main
from pipelines.definitions import build_definitions
from pipelines.runner import step_error_text
from pipelines.shared import build_lock
from pipelines.shared.jobs import raw_files_sensor
from pipelines.shared.raw_assets import raw_files
from pipelines.shared.resources import WarehouseResource
from ptce.contract import TABLES
from ptce.paths import DataLayout

HOLDER = """
import sys, time
from pathlib import Path
from pipelines.shared import build_lock
from ptce.paths import DataLayout
build_lock.acquire(DataLayout(Path(sys.argv[1])), wait=0)
print("tenu", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _query(data_dir: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(sql).df()


@contextmanager
def lock_held_elsewhere(data_dir: Path, seconds: float = 120) -> Iterator[subprocess.Popen]:
    """Another process holding the build lock of `data_dir` until the block ends (or `seconds`)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "tenu"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_lock_is_reentrant_in_a_process_and_freed_when_its_holder_dies(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    with build_lock.build_lock(layout, wait=0):
        with build_lock.build_lock(layout, wait=0):  # `ptce run`, then the run's resource
            assert build_lock.is_locked(layout)
        assert build_lock.is_locked(layout)
    assert not build_lock.is_locked(layout)
    with lock_held_elsewhere(tmp_path) as holder:
        assert build_lock.is_locked(layout)
        with pytest.raises(build_lock.BuildInProgress) as refused:
            build_lock.acquire(layout, wait=0.3)
        assert f"processus {holder.pid}" in refused.value.message
        assert "déjà en cours" in refused.value.message and "relancez" in refused.value.message
    # Killed without releasing anything: the system dropped its lock.
    assert not build_lock.is_locked(layout)
    with build_lock.build_lock(layout, wait=0):
        pass


def test_a_waiting_build_starts_when_the_other_ends(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    told: list[str] = []
    with lock_held_elsewhere(tmp_path, seconds=1.5):
        started = time.monotonic()
        with build_lock.build_lock(layout, wait=30, on_wait=told.append):
            waited = time.monotonic() - started
    assert 0.5 < waited < 30
    assert len(told) == 1 and "Attente de sa fin (au plus 30 s)" in told[0]


def test_sensor_skips_while_a_build_holds_the_lock(demo_data_dir: Path, tmp_path: Path) -> None:
    """Issue #8.3: the sensor does not start a run over a build in progress, and says why in French."""
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir / "raw", data_dir / "raw")
    warehouse = WarehouseResource(data_dir=str(data_dir))
    build_definitions(warehouse)
    with lock_held_elsewhere(data_dir), dg.build_sensor_context(resources={"warehouse": warehouse}) as ctx:
        held = raw_files_sensor(ctx)
    assert not held.run_requests and held.cursor is None
    assert "Une construction de l'entrepôt est déjà en cours" in held.skip_reason.skip_message
    with dg.build_sensor_context(resources={"warehouse": warehouse}) as ctx:
        free = raw_files_sensor(ctx)
    assert len(free.run_requests) == 1  # nothing published yet in this folder: build


def test_dagster_runs_take_the_same_lock(tmp_path: Path) -> None:
    """A run launched by the daemon or the UI waits for the lock, then fails in French."""
    (tmp_path / "raw" / "indicateurs").mkdir(parents=True)
    impatient = WarehouseResource(data_dir=str(tmp_path), build_wait_seconds=0.3)
    with lock_held_elsewhere(tmp_path):
        result = dg.materialize([raw_files], resources={"warehouse": impatient}, raise_on_error=False)
    assert not result.success
    failure = next(ev for ev in result.all_events if ev.is_resource_init_failure)
    text = step_error_text("Inventaire", failure, result.run_id)
    assert text.startswith("étape « Inventaire » : Une construction de l'entrepôt est déjà en cours")
    assert not (tmp_path / "curated" / ".build" / "ptce_build.duckdb").exists()  # nothing written
    # Free again: the run takes the lock for its duration, and gives it back.
    assert dg.materialize([raw_files], resources={"warehouse": impatient}).success
    assert not build_lock.is_locked(DataLayout(tmp_path))


def test_two_ptce_run_at_once(
    demo_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #8.3: a second `ptce run` on the same folder waits, or says in French that one runs.

    Also the everyday use of the command line: `ptce sample` then `ptce run` publishes the demo
    (two full runs are needed here anyway; a separate sample-then-run test would be a third); and a
    rerun gives the same warehouse: the second run's equals the session's demo (`demo_data_dir`,
    built in-process from the same demo files), table by table.
    """
    data_dir = tmp_path / "data"
    # `ptce run` sets these for its process; they must not outlive the test.
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("DAGSTER_HOME", str(data_dir / "curated" / ".dagster"))
    assert main(["sample", "--data-dir", str(data_dir)]) == 0
    assert "Données fictives" in capsys.readouterr().out
    first = subprocess.Popen(
        [str(Path(sys.executable).parent / "ptce"), "run", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The first run is under way once it writes its build database.
        deadline = time.monotonic() + 120
        while not DataLayout(data_dir).build_database.exists():
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.2)

        assert main(["run", "--data-dir", str(data_dir), "--wait", "0"]) == EXIT_BUILD_IN_PROGRESS
        refused = capsys.readouterr()
        assert "Une construction de l'entrepôt est déjà en cours" in refused.err
        assert f"processus {first.pid}" in refused.err and "Entrepôt publié" not in refused.out

        # Without a limit worth the name, the second run waits for the first, then builds.
        assert main(["run", "--data-dir", str(data_dir)]) == 0
        waited = capsys.readouterr()
        assert "Attente de sa fin" in waited.err and "Entrepôt publié." in waited.out
    finally:
        out, err = first.communicate(timeout=300)
    assert first.returncode == 0, (out, err)
    assert "Entrepôt publié." in out
    for run_output in (out, waited.out):
        assert "Entrepôt publié." in run_output and "Lignes lues" in run_output
        assert "Données fictives" in run_output
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        assert con.execute("select count(*) from poles").fetchall() == [(12,)]
    for table in TABLES:
        if table == "publication":  # when and by which run: differs by design
            continue
        sql = (
            f'select * exclude (run_id) from "{table}" order by all'
            if table == "check_results"
            else f'select * from "{table}"'
        )
        pd.testing.assert_frame_equal(_query(demo_data_dir, sql), _query(data_dir, sql), check_dtype=True)
    # Dagster telemetry is off in the instance the command creates.
    assert "enabled: false" in (data_dir / "curated" / ".dagster" / "dagster.yaml").read_text()
    for english in ("Error", "Traceback", "Exception"):
        assert english not in out + err + waited.out + waited.err

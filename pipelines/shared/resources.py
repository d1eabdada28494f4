"""Dagster resources: the one place where the data directory reaches the pipeline code.

`WarehouseResource` is configured with `dg.EnvVar("PTCE_DATA_DIR")` in the definitions (the `ptce`
command sets it from `--data-dir`); tests build it with an explicit temporary directory. It opens the
pipeline's private build database through dagster-duckdb; publication copies that database to the
path the dashboards read. Set up for a run (never for a sensor), it holds the data folder's build
lock for the whole run (`pipelines.shared.build_lock`): however a run is launched, two never overlap.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from pipelines.shared import build_lock
from ptce.paths import DataLayout, resolve_data_dir


class WarehouseResource(dg.ConfigurableResource):
    """Data directory of a run, and connections to its build database."""

    data_dir: str
    # How long a run waits for another build of the same folder before failing (seconds).
    build_wait_seconds: float = build_lock.DEFAULT_WAIT_SECONDS

    _holds_lock: bool = PrivateAttr(default=False)

    @property
    def layout(self) -> DataLayout:
        return DataLayout(resolve_data_dir(self.data_dir))

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        if context.dagster_run is None:  # a sensor or schedule evaluation: it only looks
            return
        log = context.log
        try:
            build_lock.acquire(
                self.layout, self.build_wait_seconds, on_wait=log.info if log is not None else None
            )
        except build_lock.BuildInProgress as exc:
            raise dg.Failure(description=exc.message) from None
        self._holds_lock = True

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._holds_lock:
            build_lock.release(self.layout)
            self._holds_lock = False

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Read-write connection to the build database (never the published one)."""
        path: Path = self.layout.build_database
        path.parent.mkdir(parents=True, exist_ok=True)
        with DuckDBResource(database=str(path)).get_connection() as con:
            yield con

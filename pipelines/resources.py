"""Dagster resources: the one place where the data directory reaches the pipeline code.

`WarehouseResource` is configured with `dg.EnvVar("PTCE_DATA_DIR")` in the definitions (the `ptce`
command sets it from `--data-dir`); tests build it with an explicit temporary directory. It opens the
pipeline's private build database through dagster-duckdb; publication copies that database to the
path the dashboards read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from ptce.paths import DataLayout, resolve_data_dir


class WarehouseResource(dg.ConfigurableResource):
    """Data directory of a run, and connections to its build database."""

    data_dir: str

    @property
    def layout(self) -> DataLayout:
        return DataLayout(resolve_data_dir(self.data_dir))

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Read-write connection to the build database (never the published one)."""
        path: Path = self.layout.build_database
        path.parent.mkdir(parents=True, exist_ok=True)
        with DuckDBResource(database=str(path)).get_connection() as con:
            yield con

"""Dagster code location of the Observatoire PTCE: loads every module under `pipelines/defs/`.

`dagster dev -m pipelines.definitions` (or `ptce dagster`) serves it. The data directory reaches the
code only through `WarehouseResource(data_dir=EnvVar("PTCE_DATA_DIR"))`; tests and `ptce run` build
the same definitions with an explicit directory through `build_definitions`.
"""

from __future__ import annotations

import dagster as dg

import pipelines.defs
from pipelines.resources import WarehouseResource


def build_definitions(warehouse: WarehouseResource) -> dg.Definitions:
    """All assets, checks, jobs and sensors, bound to one warehouse resource.

    Steps run in one process: DuckDB allows a single writer, and the steps share one build file.
    """
    return dg.Definitions.merge(
        dg.load_defs(defs_root=pipelines.defs),
        dg.Definitions(resources={"warehouse": warehouse}, executor=dg.in_process_executor),
    )


defs = build_definitions(WarehouseResource(data_dir=dg.EnvVar("PTCE_DATA_DIR")))

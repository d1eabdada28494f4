"""Dagster code location of the Observatoire PTCE: loads every domain folder and the shared one.

Each sub-package of `pipelines/` (`shared/`, `indicators/`, `applications/`, and any domain added
later) contributes its assets and checks (`dg.load_assets_from_package_module`), so a new domain is
a new folder, never an edit here.
`dagster dev -m pipelines.definitions` (or `ptce dagster`) serves it. The data directory reaches the
code only through `WarehouseResource(data_dir=EnvVar("PTCE_DATA_DIR"))`; tests and `ptce run` build
the same definitions with an explicit directory through `build_definitions`.
"""

from __future__ import annotations

import importlib
import pkgutil

import dagster as dg

import pipelines
from pipelines.shared import jobs
from pipelines.shared.resources import WarehouseResource


def domain_packages() -> list[str]:
    """Names of the packages under `pipelines/`: the shared one and one per domain."""
    return sorted(m.name for m in pkgutil.iter_modules(pipelines.__path__, "pipelines.") if m.ispkg)


def build_definitions(warehouse: WarehouseResource) -> dg.Definitions:
    """All assets, checks, jobs and sensors, bound to one warehouse resource.

    Domains contribute assets and asset checks from any of their modules; the job and the sensor
    (`shared/jobs.py`) cover every asset. Steps run in one process: DuckDB allows a single writer,
    and the steps share one build file.
    """
    packages = [importlib.import_module(name) for name in domain_packages()]
    return dg.Definitions(
        assets=[a for p in packages for a in dg.load_assets_from_package_module(p)],
        asset_checks=[c for p in packages for c in dg.load_asset_checks_from_package_module(p)],
        jobs=[jobs.build_warehouse_job],
        sensors=[jobs.raw_files_sensor],
        resources={"warehouse": warehouse},
        executor=dg.in_process_executor,
    )


defs = build_definitions(WarehouseResource(data_dir=dg.EnvVar("PTCE_DATA_DIR")))

"""Dagster code location of the Observatoire PTCE: loads every domain folder and the shared one.

Each sub-package of `pipelines/` (`shared/`, `indicators/`, `applications/`, and any domain added
later) contributes its assets and checks (`dg.load_assets_from_package_module`), so a new domain is
a new folder, never an edit here.
The yearly report (`reports/assets.py`: the asset `rapport_annuel`, partitioned by year, its job
and schedule) is added here by name: it is no pipeline domain (pipelines never import `reports`),
and the warehouse job leaves it out.
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
from reports import assets as report_assets


def domain_packages() -> list[str]:
    """Names of the packages under `pipelines/`: the shared one and one per domain."""
    return sorted(m.name for m in pkgutil.iter_modules(pipelines.__path__, "pipelines.") if m.ispkg)


def build_definitions(warehouse: WarehouseResource) -> dg.Definitions:
    """All assets, checks, jobs, sensors and schedules, bound to one warehouse resource (the
    report reads the same data directory's published warehouse).

    Domains contribute assets and asset checks from any of their modules; the job and the sensor
    (`shared/jobs.py`) cover every asset. Steps run in one process: DuckDB allows a single writer,
    and the steps share one build file.
    """
    packages = [importlib.import_module(name) for name in domain_packages()]
    return dg.Definitions(
        assets=[
            *(a for p in packages for a in dg.load_assets_from_package_module(p)),
            report_assets.rapport_annuel,
        ],
        asset_checks=[c for p in packages for c in dg.load_asset_checks_from_package_module(p)],
        jobs=[jobs.build_warehouse_job, report_assets.report_job],
        sensors=[jobs.raw_files_sensor],
        schedules=[report_assets.yearly_report_schedule],
        resources={
            "warehouse": warehouse,
            "rapports": report_assets.ReportResource(data_dir=warehouse.data_dir),
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions(WarehouseResource(data_dir=dg.EnvVar("PTCE_DATA_DIR")))

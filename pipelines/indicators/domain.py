"""The indicators domain: indicator and target files, their versions and the yearly marts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.indicators import rules
from pipelines.shared.domain import Domain, PlannedFile
from ptce.paths import DataLayout
from ptce.reference import PoleSet

if TYPE_CHECKING:
    from pipelines.shared.scale import PoleWriter, ScaleSink, ScaleSpec


def _write_demo(staging: Path, layout: DataLayout) -> list[PlannedFile]:
    from pipelines.indicators.demo import plan_demo_files  # openpyxl only when a demo is written

    return plan_demo_files(staging, layout)


def _indicators_template(path: Path, poles: PoleSet | None = None) -> Path:
    from pipelines.indicators.template import write_indicators_template  # openpyxl only when written

    return write_indicators_template(path, poles)


def _targets_template(path: Path, poles: PoleSet | None = None) -> Path:
    from pipelines.indicators.template import write_targets_template

    return write_targets_template(path, poles)


def _is_indicator_header(cells: list[object]) -> bool:
    from pipelines.indicators.parser import _Header
    from ptce.reference import load_catalog

    # Targets have the same columns: a table of values is taken for indicators unless chosen.
    return _Header(0, cells, load_catalog(), "indicateurs").plausible()


def _write_scale(spec: ScaleSpec, sink: ScaleSink) -> PoleWriter:
    from pipelines.indicators.scale import ScaleWriter  # only for `ptce sample --scale`

    return ScaleWriter(spec, sink)


DOMAIN = Domain(
    name="indicators",
    raw_kinds=("indicateurs", "objectifs"),
    staging_asset="stg_indicator_files",
    staging_log="stg_indicator_log",
    staging_quarantine="stg_indicator_quarantine",
    tables=(
        "indicator_values",
        "targets",
        "indicator_history",
        "indicator_changes",
        "mart_pole_year",
        "mart_network_year",
    ),
    submissions_sql="select kind, pole_id, annee, source_file from stg_indicator_values",
    current_sql={
        "indicateurs": "select pole_id, annee, code from indicator_values",
        "objectifs": "select pole_id, annee, code from targets",
    },
    completeness_deps=("indicator_values", "targets", "stg_indicator_files"),
    catalogue_kinds=("indicateurs",),
    parquet_tables=("indicator_values", "targets", "mart_pole_year", "mart_network_year"),
    table_suites=rules.TABLE_SUITES,
    mart_suites=rules.MART_SUITES,
    frames=rules.FRAMES,
    write_demo=_write_demo,
    write_scale=_write_scale,
    templates={"indicateurs": _indicators_template, "objectifs": _targets_template},
    header_recognisers={"indicateurs": _is_indicator_header},
)

"""The visits domain: the community's events (`raw/visites/`), the practices shared, the offers to
host a visit and the community's own indicators."""

from __future__ import annotations

from pathlib import Path

from pipelines.shared.domain import Domain, PlannedFile
from pipelines.visits import rules
from ptce.paths import DataLayout
from ptce.reference import PoleSet


def _write_demo(staging: Path, layout: DataLayout) -> list[PlannedFile]:
    from pipelines.visits.demo import plan_demo_files  # openpyxl only when a demo is written

    return plan_demo_files(staging, layout)


def _visits_template(path: Path, poles: PoleSet | None = None) -> Path:
    from pipelines.visits.template import write_visits_template  # openpyxl only when written

    return write_visits_template(path, poles)


def _is_visit_header(cells: list[object]) -> bool:
    from pipelines.visits.parser import find_header

    # Events (date, type, host…) or shared practices (title, pole…): both are « visites » files.
    return find_header(0, cells) is not None


DOMAIN = Domain(
    name="visits",
    raw_kinds=("visites",),
    staging_asset="stg_visit_files",
    staging_log="stg_visit_log",
    staging_quarantine="stg_visit_quarantine",
    tables=(
        "visits",
        "visit_poles",
        "visit_angles",
        "visit_documents",
        "practices",
        "visit_offers",
        "community_indicators",
    ),
    # Completeness expects no visit file (`qualite.yaml`): events are the community's, not a pole's due.
    parquet_tables=(
        "visits",
        "visit_poles",
        "visit_angles",
        "practices",
        "visit_offers",
        "community_indicators",
    ),
    table_suites=rules.TABLE_SUITES,
    mart_suites=rules.MART_SUITES,
    frames=rules.FRAMES,
    write_demo=_write_demo,
    demo_at_scale=True,  # `ptce sample --scale`: the twelve poles' demo files, nothing generated
    templates={"visites": _visits_template},
    header_recognisers={"visites": _is_visit_header},
)

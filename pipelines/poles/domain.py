"""The poles domain: the reference files of `raw/poles/` (new members, renamed poles, new usual
names, poles that left), layered over the twelve shipped poles into the published `poles` table."""

from __future__ import annotations

from pathlib import Path

from pipelines.poles import rules
from pipelines.shared.domain import Domain
from ptce.reference import PoleSet


def _poles_template(path: Path, poles: PoleSet | None = None) -> Path:
    from pipelines.poles.template import write_poles_template  # openpyxl only when written

    return write_poles_template(path, poles)


def _is_poles_header(cells: list[object]) -> bool:
    from pipelines.shared.pole_reference import is_poles_header

    return is_poles_header(cells)


DOMAIN = Domain(
    name="poles",
    raw_kinds=("poles",),
    staging_asset="stg_pole_files",
    staging_log="stg_pole_log",
    staging_quarantine="stg_pole_quarantine",
    tables=("poles",),
    # Completeness expects no poles file: the reference is the staff's, not a pole's due.
    table_suites=rules.TABLE_SUITES,
    frames=rules.FRAMES,
    # `ptce sample` writes no poles file: the demo has the twelve shipped poles.
    templates={"poles": _poles_template},
    header_recognisers={"poles": _is_poles_header},
)

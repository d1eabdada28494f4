"""The pathways domain: person-level stays (`raw/parcours/`), pathways and the indicators they give."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.pathways import rules
from pipelines.shared.domain import Domain, PlannedFile
from ptce.paths import DataLayout
from ptce.reference import PoleSet

if TYPE_CHECKING:
    from pipelines.shared.scale import PoleWriter, ScaleSink, ScaleSpec


def _write_demo(staging: Path, layout: DataLayout) -> list[PlannedFile]:
    try:
        from pipelines.pathways.demo import plan_demo_files  # openpyxl only when a demo is written
    except ModuleNotFoundError as exc:
        if exc.name != "pipelines.pathways.demo":
            raise
        return []  # the demo pathway files are not part of this build yet
    return plan_demo_files(staging, layout)


def _pathways_template(path: Path, poles: PoleSet | None = None) -> Path:
    from pipelines.pathways.template import write_pathways_template  # openpyxl only when written

    return write_pathways_template(path, poles)


def _is_pathway_header(cells: list[object]) -> bool:
    from pipelines.pathways.parser import _header

    return _header(0, cells).plausible


def _write_scale(spec: ScaleSpec, sink: ScaleSink) -> PoleWriter:
    from pipelines.pathways.scale import ScaleWriter  # only for `ptce sample --scale`

    return ScaleWriter(spec, sink)


DOMAIN = Domain(
    name="pathways",
    raw_kinds=("parcours",),
    staging_asset="stg_pathway_files",
    staging_log="stg_pathway_log",
    staging_quarantine="stg_pathway_quarantine",
    tables=("pathways", "pathway_indicators", "pathway_adjusted"),
    # A pole's pathway file counts for every year in which one of its loaded stays is under way.
    # Completeness only expects what `qualite.yaml` lists (parcours is not listed yet).
    submissions_sql=(
        "select distinct 'parcours' as kind, pole_id, unnest(range(year(date_entree), "
        "year(coalesce(date_sortie, current_date)) + 1)) as annee, source_file from stg_pathway_stays"
    ),
    current_sql={
        "parcours": (
            "select distinct pole_id, unnest(range(year(date_entree), "
            "year(coalesce(date_sortie, current_date)) + 1)) as annee, 'parcours' as code from pathways"
        ),
    },
    # Not pathway_indicators: it follows mart_pole_year, whose blocking checks run with completeness's.
    completeness_deps=("pathways", "stg_pathway_files"),
    # pathways is person-level: never copied to Parquet; its yearly counts are.
    # pathway_adjusted holds rates and counts of exits per pole, no person: copied too.
    parquet_tables=("pathway_indicators", "pathway_adjusted"),
    table_suites=rules.TABLE_SUITES,
    frames=rules.FRAMES,
    write_demo=_write_demo,
    write_scale=_write_scale,
    templates={"parcours": _pathways_template},
    header_recognisers={"parcours": _is_pathway_header},
)

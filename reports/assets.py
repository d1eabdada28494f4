"""The yearly report in Dagster: the asset `rapport_annuel`, one partition per year, and its schedule.

The asset reads the published warehouse (it depends on `published_warehouse`) and writes the three
files of its year with `reports.build.build_year`, into `<data>/curated/rapports/`. It lives here,
not in a pipeline domain, because pipelines never import `reports`; `pipelines/definitions.py`, the
top-level composition, adds it to the code location. The warehouse job (`construire_entrepot`)
leaves it out: building the warehouse never builds a report. The schedule asks on 1 March for the
previous year's report, once that year has data in the published warehouse, and skips otherwise
with the reason in French.
"""

# No `from __future__ import annotations`: Dagster reads the context's and resources' type hints
# at definition time and refuses them as strings.
from pathlib import Path

import dagster as dg

from ptce.paths import resolve_data_dir
from reports.build import build_year, published_warehouse, report_years
from reports.model import ReportError

ASSET_NAME = "rapport_annuel"
GROUP = "rapports"
JOB_NAME = "construire_rapport_annuel"
SCHEDULE_NAME = "rapport_annuel_1er_mars"
TIMEZONE = "Europe/Paris"
# The learning community started in May 2015: its first year of figures.
FIRST_YEAR = "2015"
# On 1 March at 6:00, for the year that ended two months earlier (late files have come in).
SCHEDULE_CRON = "0 6 1 3 *"

# One partition per calendar year, keyed « 2016 »; a year is listed once it has ended.
YEARS = dg.TimeWindowPartitionsDefinition(
    start=FIRST_YEAR, fmt="%Y", cron_schedule="0 0 1 1 *", timezone=TIMEZONE
)


class ReportResource(dg.ConfigurableResource):
    """Where the report reads (the data directory's published warehouse) and writes (`out_dir`,
    default `<data>/curated/rapports/`)."""

    data_dir: str
    out_dir: str | None = None

    @property
    def data_path(self) -> Path:
        return resolve_data_dir(self.data_dir)

    @property
    def out_path(self) -> Path | None:
        return Path(self.out_dir).expanduser().resolve() if self.out_dir else None


@dg.asset(
    name=ASSET_NAME,
    partitions_def=YEARS,
    deps=[dg.AssetKey("published_warehouse")],
    group_name=GROUP,
    kinds={"pdf", "excel", "html"},
)
def rapport_annuel(context: dg.AssetExecutionContext, rapports: ReportResource) -> dg.MaterializeResult:
    """Rapport annuel pour la Fondation de France (PDF, Excel, HTML), construit depuis l'entrepôt publié."""
    year = int(context.partition_key)
    try:
        built = build_year(rapports.data_path, year, rapports.out_path, progress=context.log.info)
    except ReportError as exc:
        raise dg.Failure(description=str(exc)) from None
    return dg.MaterializeResult(
        metadata={
            "pdf": dg.MetadataValue.path(str(built.pdf)),
            "excel": dg.MetadataValue.path(str(built.xlsx)),
            "html": dg.MetadataValue.path(str(built.html)),
            "pages": built.pages,
            "secondes": round(built.seconds, 1),
        }
    )


report_job = dg.define_asset_job(
    name=JOB_NAME,
    selection=dg.AssetSelection.assets(rapport_annuel),
    partitions_def=YEARS,
    description="Construit le rapport annuel d'une année (PDF, Excel, HTML) depuis l'entrepôt publié.",
)


@dg.schedule(
    name=SCHEDULE_NAME,
    job=report_job,
    cron_schedule=SCHEDULE_CRON,
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def yearly_report_schedule(
    context: dg.ScheduleEvaluationContext, rapports: ReportResource
) -> dg.RunRequest | dg.SkipReason:
    """Chaque 1er mars, le rapport de l'année précédente, si l'entrepôt publié a des chiffres pour elle."""
    year = context.scheduled_execution_time.year - 1
    try:
        years = report_years(published_warehouse(rapports.data_path))
    except ReportError as exc:
        return dg.SkipReason(str(exc))
    if year not in years:
        return dg.SkipReason(
            f"Pas de rapport {year} : l'entrepôt publié n'a pas de chiffres pour cette année."
        )
    return dg.RunRequest(run_key=f"rapport-{year}", partition_key=str(year))

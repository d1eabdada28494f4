"""The three files of one year's report: `rapport-ptce-{year}.pdf`, `.xlsx` and `.html`.

One function, `build_year`, used by `ptce report`, the Dagster asset `rapport_annuel` and the
« Rapports » page. It reads the published warehouse (never the build database), so it may run while
the pipeline builds the next version: publication swaps the file whole. Each file is written under a
temporary name in the output folder and renamed once all three are written, so a failed build never
leaves a half-written file, nor a new PDF beside an old workbook.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ptce.fmt import fmt_count, local_time
from ptce.paths import DataLayout, resolve_data_dir
from ptce.read import indicators
from ptce.read.base import Viewer, Warehouse, current_warehouse
from reports.model import ReportError

Progress = Callable[[str], None]
FORMATS = ("pdf", "xlsx", "html")
FILE_PREFIX = "rapport-ptce-"
# The report is the funder's: it reads the warehouse as the funder does (small cells masked).
READER = Viewer("funder")
_TEMPORARY_MARK = ".en-cours-"


@dataclass(frozen=True)
class BuiltReport:
    """The files of one year's report, its PDF page count and how long it took."""

    year: int
    pdf: Path
    xlsx: Path
    html: Path
    pages: int
    seconds: float


@dataclass(frozen=True)
class BuiltFile:
    """A report file found in the output folder."""

    year: int
    format: str
    path: Path
    modified: datetime
    size: int


def default_out_dir(data_dir: Path | None = None) -> Path:
    """`<data>/curated/rapports/`, beside the published warehouse."""
    return DataLayout(resolve_data_dir(data_dir)).reports_dir


def file_name(year: int, fmt: str) -> str:
    return f"{FILE_PREFIX}{year}.{fmt}"


def published_warehouse(data_dir: Path | None = None) -> Warehouse:
    """The published warehouse, or a French `ReportError` saying how to publish one."""
    layout = DataLayout(resolve_data_dir(data_dir))
    wh = current_warehouse(layout.data_dir)
    if wh is None:
        raise ReportError(
            f"Aucun entrepôt publié dans {layout.curated} : lancez d'abord « ptce run » (ou "
            "« ptce sample » puis « ptce run » pour des données de démonstration)."
        )
    return wh


def report_years(wh: Warehouse) -> list[int]:
    """The years the report can be built for (those with network figures), most recent first."""
    try:
        return indicators.years(wh, READER)
    except duckdb.Error as exc:
        raise ReportError(
            f"L'entrepôt publié {wh.path} ne peut pas être lu : relancez « ptce run » pour le "
            "reconstruire à partir des fichiers reçus."
        ) from exc


def _check_year(wh: Warehouse, year: int) -> None:
    years = report_years(wh)
    if year not in years:
        available = ", ".join(str(y) for y in sorted(years)) or "aucune"
        raise ReportError(
            f"Aucune donnée pour l'année {year} dans l'entrepôt publié : pas de rapport à "
            f"construire. Années disponibles : {available}."
        )


def build_year(
    data_dir: Path | None,
    year: int,
    out_dir: Path | None = None,
    *,
    progress: Progress | None = None,
) -> BuiltReport:
    """Build the report of `year` from the published warehouse of `data_dir` into `out_dir`
    (default `<data>/curated/rapports/`). `progress` receives one French line per step.

    Raises `ReportError` (French) when nothing is published, the year has no data, a system tool
    is missing, or the folder cannot be written; the files of an earlier build are then untouched.
    """
    started = time.perf_counter()
    tell: Progress = progress or (lambda _message: None)
    wh = published_warehouse(data_dir)
    _check_year(wh, year)
    target = Path(out_dir) if out_dir is not None else default_out_dir(data_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"Impossible de créer le dossier des rapports {target} : {exc.strerror}.") from exc

    # Imported here: the content and the renderers load plotly, jinja2 and WeasyPrint, which the
    # callers that only list the built files (the page, the Dagster definitions) do not need.
    from reports.content import build_report
    from reports.render import write_html, write_pdf
    from reports.xlsx import write_xlsx

    tell(f"Lecture de l'entrepôt publié pour {year}…")
    report = build_report(wh, year, progress=tell)
    finals = {fmt: target / file_name(year, fmt) for fmt in FORMATS}
    token = uuid.uuid4().hex[:8]
    # Same folder (so the rename is atomic), hidden, with the real suffix kept last.
    temporaries = {fmt: target / f".{FILE_PREFIX}{year}{_TEMPORARY_MARK}{token}.{fmt}" for fmt in FORMATS}
    try:
        tell("Écriture du classeur Excel…")
        write_xlsx(report, temporaries["xlsx"])
        tell("Écriture de la page HTML…")
        write_html(report, temporaries["html"])
        tell("Écriture du PDF…")
        pages = write_pdf(report, temporaries["pdf"])
        for fmt in FORMATS:
            os.replace(temporaries[fmt], finals[fmt])
    except OSError as exc:
        raise ReportError(f"Impossible d'écrire le rapport dans {target} : {exc.strerror or exc}.") from exc
    finally:
        for path in temporaries.values():
            path.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    tell(f"Rapport {year} construit : {fmt_count(pages, 'page', 'pages')}.")
    return BuiltReport(
        year=year, pdf=finals["pdf"], xlsx=finals["xlsx"], html=finals["html"], pages=pages, seconds=seconds
    )


def built_reports(out_dir: Path) -> list[BuiltFile]:
    """The report files already in `out_dir`, the most recent year first (PDF, Excel, HTML)."""
    if not out_dir.is_dir():
        return []
    found = []
    for path in out_dir.iterdir():
        stem, _, fmt = path.name.rpartition(".")
        year = stem.removeprefix(FILE_PREFIX)
        if not stem.startswith(FILE_PREFIX) or fmt not in FORMATS or not year.isdigit() or not path.is_file():
            continue
        stat = path.stat()
        found.append(
            BuiltFile(
                year=int(year),
                format=fmt,
                path=path,
                # On the Paris clock, like the publication the page shows beside it.
                modified=local_time(datetime.fromtimestamp(stat.st_mtime, UTC)).replace(tzinfo=None),
                size=stat.st_size,
            )
        )
    return sorted(found, key=lambda f: (-f.year, FORMATS.index(f.format)))

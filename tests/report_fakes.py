"""Stand-ins for the report's content and renderers, and a tiny published warehouse.

`reports/build.py` imports `reports.content` and `reports.render` when it builds; these tests pin
what the build does around them (checks, temporary names, renames, progress, the command's output),
so they replace both modules with small fakes that write known bytes. The end-to-end test on the demo
warehouse, with the real content and renderers, lives with them.
"""

from __future__ import annotations

import sys
import types
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ptce.paths import DataLayout
from reports.model import Column, Publication, Report, ReportError, ReportTable, Section

FAKE_PAGES = 3
FAKE_PDF = b"%PDF-1.7 faux rapport"


def small_report(year: int) -> Report:
    table = ReportTable(
        key="emploi",
        title="Emploi",
        columns=(Column("Pôle"), Column("Salariés", "count")),
        rows=(("PHARES", 12),),
        sources=("raw/indicateurs/phares.csv",),
        sheet="Emploi au sein du PTCE",
    )
    return Report(
        year=year,
        title=f"Rapport annuel {year}",
        subtitle="",
        demo=True,
        publication=Publication("run-1", datetime(2017, 3, 1, 8, 0), "1", 4),
        threshold=5,
        summary=[],
        sections=[Section(key="emploi", title="Emploi", tables=[table])],
        generated_at=datetime(2017, 3, 2, 8, 0),
    )


def install_fakes(monkeypatch: pytest.MonkeyPatch, *, fail_in_pdf: bool = False) -> list[int]:
    """Fake `reports.content` and `reports.render`; returns the list of years built (filled as
    `build_report` is called). With `fail_in_pdf`, the PDF writer writes half a file then fails
    as WeasyPrint's caller does when a tool is missing."""
    built: list[int] = []
    content = types.ModuleType("reports.content")
    render = types.ModuleType("reports.render")

    def build_report(wh: object, year: int, *, progress=None) -> Report:
        if progress is not None:
            progress("Chiffres du réseau…")
        built.append(year)
        return small_report(year)

    def write_html(report: Report, path: Path) -> Path:
        path.write_text(f"<!doctype html><title>{report.title}</title>", encoding="utf-8")
        return path

    def write_pdf(report: Report, path: Path) -> int:
        if fail_in_pdf:
            path.write_bytes(FAKE_PDF[:4])
            raise ReportError("Chromium est introuvable : installez le paquet Debian « chromium ».")
        path.write_bytes(FAKE_PDF)
        return FAKE_PAGES

    content.build_report = build_report
    render.write_html = write_html
    render.write_pdf = write_pdf
    monkeypatch.setitem(sys.modules, "reports.content", content)
    monkeypatch.setitem(sys.modules, "reports.render", render)
    return built


def tiny_warehouse(data_dir: Path, years: list[int]) -> Path:
    """A published warehouse with only what the build reads before the content: the years."""
    path = DataLayout(data_dir).warehouse
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create table mart_network_year (annee integer, code varchar, valeur double)")
        for year in years:
            con.execute("insert into mart_network_year values (?, 'salaries', 10)", [year])
    return data_dir

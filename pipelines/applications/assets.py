"""Application files (`raw/candidatures/`): staging (parse every file) then the curated tables.

A `.docx` is one application (one "row" in the ledger: read 1, loaded 1, or an error); a form-tool
export (`.csv`, `.xlsx`) holds one application per row, with row-level quarantine like indicators.
Every file's counts, status and message come from its `FileResult` through `pipelines.shared.ledger`, as
for every other parser.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pandas as pd

from pipelines.applications.export_parser import parse_application_export
from pipelines.applications.form_parser import ApplicationResult, parse_application_docx
from pipelines.applications.tables import ParsedApplication, build_application_tables
from pipelines.shared.build_store import write_table
from pipelines.shared.ledger import LOG_COLUMNS, QUARANTINE_COLUMNS, crash_result, log_row, quarantine_rows
from pipelines.shared.pole_reference import staged_poles
from pipelines.shared.resources import WarehouseResource
from pipelines.shared.results import FileResult
from ptce.reference import PoleSet

WORD = {".docx", ".docm", ".doc"}
TABULAR = {".csv", ".xlsx", ".xlsm"}
KIND = "candidatures"
RESULT_COLUMNS = ["source_file", "pole_id", "pole_source", "format", "answers", "yes_no"]


def parse_application_file(
    path: Path, source_file: str, poles: PoleSet | None = None
) -> tuple[list[ParsedApplication], FileResult]:
    """(applications, ledger of the file) for one file, against `poles` (the run's poles in force;
    the shipped twelve by default); never raises for bad content."""
    suffix = path.suffix.lower()
    if suffix in WORD:
        document = parse_application_docx(path, source_file, poles)
        ledger = FileResult(source_file=source_file, kind=KIND, file_format="docx")
        if document.error:
            ledger.error = document.error
            return [], ledger
        # A form is one application: one row of the ledger, loaded.
        ledger.rows_read = ledger.rows_loaded = 1
        ledger.infos.append(f"Réponses lues : {document.questions_found} question(s) reconnue(s).")
        ledger.infos.extend(document.notes)
        return [ParsedApplication(document, "docx")], ledger
    if suffix in TABULAR:
        export = parse_application_export(path, source_file, poles)
        return [ParsedApplication(r, export.file_format) for r in export.applications], export
    ledger = FileResult(source_file=source_file, kind=KIND, file_format=suffix.lstrip("."))
    ledger.error = (
        f"{source_file} : format « {suffix or 'sans extension'} » non pris en charge pour une "
        "candidature. Envoyez la trame remplie au format .docx, ou l'export du formulaire en "
        ".xlsx ou .csv."
    )
    return [], ledger


@dg.asset(group_name="staging", kinds={"duckdb", "python"}, deps=["raw_files", "stg_pole_files"])
def stg_application_files(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Lecture des réponses à l'AMI (.docx, exports de formulaire) : réponses, quarantaine, journal."""
    layout = warehouse.layout
    results, quarantine, log = [], [], []
    with warehouse.get_connection() as con:
        inventory = con.execute(
            "select * from raw_files where kind = 'candidatures' order by source_file"
        ).df()
        poles = staged_poles(con, layout)
        for row in inventory.itertuples():
            try:
                parsed, ledger = parse_application_file(
                    layout.data_dir / row.source_file, row.source_file, poles
                )
            except Exception:  # a bad file never stops publication of the rest
                parsed, ledger = [], crash_result(row.source_file, KIND, row.format)
            for p in parsed:
                r = p.result
                results.append(
                    {
                        "source_file": r.source_file,
                        "pole_id": r.pole_id,
                        "pole_source": r.pole_source,
                        "format": p.file_format,
                        "answers": json.dumps(r.answers, ensure_ascii=False),
                        "yes_no": json.dumps(r.yes_no, ensure_ascii=False),
                    }
                )
            quarantine.extend(quarantine_rows(ledger))
            log.append(log_row(ledger, row))
        write_table(con, "stg_application_results", pd.DataFrame(results, columns=RESULT_COLUMNS))
        write_table(con, "stg_application_quarantine", pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS))
        write_table(con, "stg_application_log", pd.DataFrame(log, columns=LOG_COLUMNS))
    return dg.MaterializeResult(
        metadata={
            "fichiers": len(log),
            "candidatures": len(results),
            "en_erreur": sum(1 for x in log if x["status"] == "error"),
        }
    )


def _specs() -> list[dg.AssetSpec]:
    descriptions = {
        "applications": "Réponses à l'AMI : une ligne par pôle et version, réponses et champs structurés.",
        "application_answers": "Toutes les réponses, une ligne par pôle, version et question.",
        "application_fields": "Champs structurés tirés des réponses, avec le passage d'origine.",
        "application_tags": "Étiquettes des angles de travail et des outils, avec la phrase déclencheuse.",
    }
    return [
        dg.AssetSpec(name, kinds={"duckdb"}, description=text, deps=["stg_application_files", "raw_files"])
        for name, text in descriptions.items()
    ]


@dg.multi_asset(group_name="curated", specs=_specs())
def application_tables(warehouse: WarehouseResource) -> Iterator[dg.MaterializeResult]:
    """Candidatures versionnées (la plus récente fait foi), réponses, champs structurés et étiquettes."""
    with warehouse.get_connection() as con:
        staged = con.execute("select * from stg_application_results").df()
        arrivals = con.execute("select * from file_arrivals").df()
        parsed = [
            ParsedApplication(
                ApplicationResult(
                    source_file=r.source_file,
                    pole_id=r.pole_id,
                    pole_source=r.pole_source,
                    answers=json.loads(r.answers),
                    yes_no=json.loads(r.yes_no),
                ),
                r.format,
            )
            for r in staged.itertuples()
        ]
        tables = build_application_tables(parsed, arrivals)
        order = {
            "applications": ["pole_id", "version"],
            "application_answers": ["pole_id", "version", "code"],
            "application_fields": ["pole_id", "source_file", "champ"],
            "application_tags": ["pole_id", "source_file", "tag", "code_question"],
        }
        for name, frame in tables.items():
            n = write_table(con, name, frame, order_by=order[name])
            yield dg.MaterializeResult(asset_key=name, metadata={"dagster/row_count": n})

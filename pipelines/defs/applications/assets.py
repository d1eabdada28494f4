"""Application files (`raw/candidatures/`): staging (parse every file) then the curated tables.

A `.docx` is one application (one "row" in the ledger: read 1, loaded 1, or an error); a form-tool
export (`.csv`, `.xlsx`) holds one application per row, with row-level quarantine like indicators.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import dagster as dg
import pandas as pd

from pipelines.application_tables import ParsedApplication, build_application_tables
from pipelines.defs.indicators.assets import LOG_COLUMNS, QUARANTINE_COLUMNS
from pipelines.ingest.application_exports import parse_application_export
from pipelines.ingest.applications import ApplicationResult, parse_application_docx
from pipelines.resources import WarehouseResource
from pipelines.warehouse import write_table

WORD = {".docx", ".docm", ".doc"}
TABULAR = {".csv", ".xlsx", ".xlsm"}
RESULT_COLUMNS = ["source_file", "pole_id", "pole_source", "format", "answers", "yes_no"]


def parse_application_file(path: Path, source_file: str) -> tuple[list[ParsedApplication], list, dict]:
    """(applications, quarantine records, log counts) for one file; never raises."""
    suffix = path.suffix.lower()
    if suffix in WORD:
        result = parse_application_docx(path, source_file)
        if result.error:
            return [], [], {"rows_read": 0, "rows_loaded": 0, "status": "error", "message": result.error}
        notes = " ".join(result.notes)
        message = (
            "Réponses lues : "
            + f"{result.questions_found} question(s) reconnue(s)."
            + (f" {notes}" if notes else "")
        )
        return (
            [ParsedApplication(result, "docx")],
            [],
            {"rows_read": 1, "rows_loaded": 1, "status": "ok", "message": message},
        )
    if suffix in TABULAR:
        export = parse_application_export(path, source_file)
        if export.error:
            return [], [], {"rows_read": 0, "rows_loaded": 0, "status": "error", "message": export.error}
        parsed = [ParsedApplication(r, export.file_format) for r in export.applications]
        # Notes (columns a form tool adds, such as a timestamp) are told, not counted as a problem.
        status = "partial" if export.rows_quarantined else "ok"
        message = f"{export.rows_read} ligne(s) lue(s), {export.rows_loaded} candidature(s) chargée(s)"
        if export.rows_quarantined:
            message += f", {export.rows_quarantined} en quarantaine (voir la page « Qualité des données »)"
        message += "." + ("".join(f" {n}" for n in export.notes) if export.notes else "")
        counts = {
            "rows_read": export.rows_read,
            "rows_loaded": export.rows_loaded,
            "status": status,
            "message": message,
        }
        return parsed, list(export.quarantine), counts
    return (
        [],
        [],
        {
            "rows_read": 0,
            "rows_loaded": 0,
            "status": "error",
            "message": (
                f"{source_file} : format « {suffix or 'sans extension'} » non pris en charge pour une "
                "candidature. Envoyez la trame remplie au format .docx, ou l'export du formulaire en "
                ".xlsx ou .csv."
            ),
        },
    )


@dg.asset(group_name="staging", kinds={"duckdb", "python"}, deps=["raw_files"])
def stg_application_files(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Lecture des réponses à l'AMI (.docx, exports de formulaire) : réponses, quarantaine, journal."""
    layout = warehouse.layout
    results, quarantine, log = [], [], []
    with warehouse.get_connection() as con:
        inventory = con.execute(
            "select * from raw_files where kind = 'candidatures' order by source_file"
        ).df()
        for row in inventory.itertuples():
            parsed, rejected, counts = parse_application_file(
                layout.data_dir / row.source_file, row.source_file
            )
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
            quarantine.extend(asdict(q) for q in rejected)
            log.append(
                {
                    "source_file": row.source_file,
                    "sha256": row.sha256,
                    "kind": "candidatures",
                    "format": row.format,
                    "size_bytes": row.size_bytes,
                    "rows_read": counts["rows_read"],
                    "rows_loaded": counts["rows_loaded"],
                    "rows_quarantined": counts.get("rows_quarantined", 0),
                    "status": counts["status"],
                    "message": counts["message"],
                }
            )
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

"""The ledger of the raw files: one `ingest_log` row per file, built the same way for every parser.

Every parser (indicators, targets, application forms and form-tool exports) describes a file with a
`FileResult`: rows read, loaded, quarantined, notes and error. Its `ingest_log` row is built here
and only here, so `rows_read = rows_loaded + rows_quarantined` holds by construction and the status
and message follow one rule. A parser that crashes on one file must not stop the others:
`crash_result` turns the crash into an `error` row naming that file.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import dagster as dg

from pipelines.shared.results import FileResult
from ptce.contract import TABLES

# The contract's columns: staging tables have the same, so the shared assets can union them.
QUARANTINE_COLUMNS = list(TABLES["quarantine"])
LOG_COLUMNS = list(TABLES["ingest_log"])

UNEXPECTED_ERROR = (
    "{source_file} : erreur inattendue de l'observatoire pendant la lecture de ce fichier : il n'a pas "
    "été chargé, les autres fichiers l'ont été. Vérifiez qu'il s'ouvre normalement et renvoyez-le ; si "
    "l'erreur persiste, transmettez-le à l'équipe technique (détail dans l'interface Dagster)."
)


def log_row(result: FileResult, inventory_row: Any) -> dict[str, Any]:
    """The `ingest_log` row of one parsed file; `inventory_row` gives its hash and size."""
    return {
        "source_file": result.source_file,
        "sha256": inventory_row.sha256,
        "kind": result.kind,
        "format": result.file_format or inventory_row.format,
        "size_bytes": int(inventory_row.size_bytes),
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "rows_quarantined": result.rows_quarantined,
        "status": result.status,
        "message": result.message(),
    }


def quarantine_rows(result: FileResult) -> list[dict[str, Any]]:
    return [asdict(q) for q in result.quarantine]


def crash_result(source_file: str, kind: str, file_format: str) -> FileResult:
    """The `error` result of a file whose parser crashed; call it from the `except` clause.

    Parsers never raise for bad content, so an exception is a bug met on one file. The other files
    must still be read and published: the crash becomes that file's `error` row, and the traceback
    goes to the Dagster log for the developers.
    """
    dg.get_dagster_logger().exception("Unexpected error while parsing %s", source_file)
    result = FileResult(source_file=source_file, kind=kind, file_format=file_format)
    result.error = UNEXPECTED_ERROR.format(source_file=source_file)
    return result

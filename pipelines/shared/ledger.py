"""The ledger of the raw files: one `ingest_log` row per file, built the same way for every parser.

Every parser (indicators, targets, application forms and form-tool exports) describes a file with a
`FileResult`: rows read, loaded, quarantined, notes and error. Its `ingest_log` row is built here
and only here, so `rows_read = rows_loaded + rows_quarantined` holds by construction and the status
and message follow one rule. A parser that crashes on one file must not stop the others:
`crash_result` turns the crash into an `error` row naming that file.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

import dagster as dg
import pandas as pd

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


def crash_result(source_file: str, kind: str, file_format: str, *, personal: bool = False) -> FileResult:
    """The `error` result of a file whose parser crashed; call it from the `except` clause.

    Parsers never raise for bad content, so an exception is a bug met on one file. The other files
    must still be read and published: the crash becomes that file's `error` row, and the traceback
    goes to the Dagster log for the developers. For a `personal` file (person-level data) the
    exception's message is withheld: it may quote a cell (an identifier, a name), so only the
    exception type and the code location reach the log.
    """
    logger = dg.get_dagster_logger()
    if personal:
        exc = sys.exception()
        logger.error(
            "Unexpected %s while parsing %s (message withheld: person-level file)\n%s",
            type(exc).__name__,
            source_file,
            "".join(traceback.format_tb(exc.__traceback__ if exc else None)),
        )
    else:
        logger.exception("Unexpected error while parsing %s", source_file)
    result = FileResult(source_file=source_file, kind=kind, file_format=file_format)
    result.error = UNEXPECTED_ERROR.format(source_file=source_file)
    return result


def ledger_frames(
    results: Iterable[FileResult], inventory: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A domain's staging (quarantine, ingest_log) frames of its parsed files.

    `inventory` is the `raw_files` table (each file's hash and size for its log row).
    """
    by_file = {row.source_file: row for row in inventory.itertuples()}
    quarantine, log = [], []
    for result in results:
        quarantine.extend(quarantine_rows(result))
        log.append(log_row(result, by_file[result.source_file]))
    return pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS), pd.DataFrame(log, columns=LOG_COLUMNS)


def log_metadata(log: pd.DataFrame) -> dict[str, int]:
    """Dagster metadata of a staging asset: files read, files in error, rows read / loaded / quarantined."""
    if log.empty:
        return dict.fromkeys(
            ("fichiers", "fichiers_en_erreur", "lignes_lues", "lignes_chargees", "lignes_en_quarantaine"), 0
        )
    return {
        "fichiers": len(log),
        "fichiers_en_erreur": int((log["status"] == "error").sum()),
        "lignes_lues": int(log["rows_read"].sum()),
        "lignes_chargees": int(log["rows_loaded"].sum()),
        "lignes_en_quarantaine": int(log["rows_quarantined"].sum()),
    }

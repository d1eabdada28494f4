"""Curated `quarantine` and `ingest_log`: every domain's staged rows, collected.

Each domain declares (`pipelines/<domain>/domain.py`) its staging asset and the staging tables of its
quarantined rows and log rows; these two assets union them, so a new domain needs no edit here.
Raw files no domain reads get an `error` row saying so; entries the inventory did not read (ignored,
refused) bring the row the inventory wrote.
"""

from __future__ import annotations

import dagster as dg
import pandas as pd

from pipelines.shared.build_store import write_table
from pipelines.shared.domain import domains
from pipelines.shared.ledger import LOG_COLUMNS
from pipelines.shared.resources import WarehouseResource

STAGING_DEPS = [*(d.staging_asset for d in domains()), "raw_files"]

NOT_YET_PARSED = (
    "Fichier reçu et conservé, mais les fichiers de type « {kind} » ne sont pas encore intégrés par "
    "l'observatoire : aucune ligne chargée pour l'instant."
)


def _union(tables: list[str]) -> str:
    return " union all by name ".join(f"select * from {t}" for t in tables)


@dg.asset(group_name="curated", kinds={"duckdb"}, deps=STAGING_DEPS)
def quarantine(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Lignes refusées, avec fichier, ligne, champ, valeur et raison en français."""
    with warehouse.get_connection() as con:
        frame = con.execute(_union([d.staging_quarantine for d in domains()])).df()
        n = write_table(con, "quarantine", frame, order_by=["source_file", "row_number", "field"])
    return dg.MaterializeResult(metadata={"dagster/row_count": n})


@dg.asset(group_name="curated", kinds={"duckdb"}, deps=STAGING_DEPS)
def ingest_log(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Journal d'intégration : une ligne par fichier brut (lu, ignoré ou refusé), comptes et statut."""
    with warehouse.get_connection() as con:
        parsed = con.execute(_union([d.staging_log for d in domains()])).df()
        inventory = con.execute("select * from raw_files").df()
        pending = inventory[~inventory["source_file"].isin(parsed["source_file"])]
        other = pd.DataFrame(
            {
                "source_file": pending["source_file"],
                "sha256": pending["sha256"],
                "kind": pending["kind"],
                "format": pending["format"],
                "size_bytes": pending["size_bytes"],
                "rows_read": 0,
                "rows_loaded": 0,
                "rows_quarantined": 0,
                "status": "error",
                "message": [NOT_YET_PARSED.format(kind=k) for k in pending["kind"]],
            },
            columns=LOG_COLUMNS,
        )
        # Entries the inventory did not read (ignored, refused): their row is already written there.
        unread = con.execute(
            "select * exclude (status, message), 0 as rows_read, 0 as rows_loaded, 0 as rows_quarantined,"
            " status, message from raw_inventory where status is not null"
        ).df()[LOG_COLUMNS]
        frame = pd.concat([f for f in (parsed, other, unread) if len(f)] or [parsed], ignore_index=True)
        n = write_table(con, "ingest_log", frame, order_by=["kind", "source_file"])
        by_status = frame.groupby("status").size().to_dict() if len(frame) else {}
    return dg.MaterializeResult(
        metadata={"dagster/row_count": n, **{f"statut_{k}": int(v) for k, v in by_status.items()}}
    )

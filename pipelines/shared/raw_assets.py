"""Raw layer: the inventory of files the poles sent, with their content hash.

The raw folders are the source of truth and are only read here; the inventory is what later layers
parse, and its hashes make every published figure traceable to one exact file. Entries that are not
read (hidden or system files, names that are not valid UTF-8, links leading outside the data
folder...) are kept in `raw_inventory` with their status and French message, so that each one gets
its `ingest_log` row (see `pipelines.shared.inventory`).
"""

from __future__ import annotations

import dagster as dg

from pipelines.shared.arrivals import record_arrivals
from pipelines.shared.build_store import reset_run_state, write_table
from pipelines.shared.inventory import scan_inventory, scan_raw_files
from pipelines.shared.resources import WarehouseResource

__all__ = ["raw_files", "scan_raw_files"]


@dg.asset(group_name="raw", kinds={"duckdb"})
def raw_files(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Inventaire des fichiers bruts déposés par les pôles (chemin, type, empreinte SHA-256, arrivée)."""
    layout = warehouse.layout
    inventory = scan_inventory(layout)
    frame = inventory.to_read
    arrivals = record_arrivals(layout, frame)
    with warehouse.get_connection() as con:
        # A run starts here: results of the previous run's checks must not be published again.
        reset_run_state(con, layout)
        n = write_table(con, "raw_files", frame, order_by=["kind", "source_file"])
        write_table(con, "raw_inventory", inventory.entries, order_by=["kind", "source_file"])
        write_table(con, "file_arrivals", arrivals, order_by=["arrival_rank"])
    by_kind = frame.groupby("kind").size().to_dict() if len(frame) else {}
    unread = inventory.unread
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": n,
            **{f"fichiers_{k}": int(v) for k, v in by_kind.items()},
            "non_lus_ignores": int((unread["status"] == "ignored").sum()),
            "non_lus_en_erreur": int((unread["status"] == "error").sum()),
            "demo": warehouse.layout.demo_marker.exists(),
        }
    )

"""Raw layer: the inventory of files the poles sent, with their content hash.

The raw folders are the source of truth and are only read here; the inventory is what later layers
parse, and its hashes make every published figure traceable to one exact file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg
import pandas as pd

from pipelines.arrivals import record_arrivals
from pipelines.resources import WarehouseResource
from pipelines.warehouse import reset_run_state, write_table
from ptce.paths import RAW_KINDS, DataLayout


def _is_hidden(path: Path) -> bool:
    # Office lock files (~$classeur.xlsx) and editor/OS leftovers are not submissions.
    return path.name.startswith((".", "~$")) or path.name in {"Thumbs.db", "desktop.ini"}


def scan_raw_files(layout: DataLayout) -> pd.DataFrame:
    """Every submitted file under the raw folders, sorted by kind then path."""
    rows = []
    for kind in RAW_KINDS:
        folder = layout.raw_folder(kind)
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not _is_hidden(p)):
            rows.append(
                {
                    "source_file": layout.relative(path),
                    "kind": kind,
                    "format": path.suffix.lower().lstrip(".") or "inconnu",
                    "size_bytes": path.stat().st_size,
                    "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                }
            )
    return pd.DataFrame(rows, columns=["source_file", "kind", "format", "size_bytes", "sha256"])


@dg.asset(group_name="raw", kinds={"duckdb"})
def raw_files(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Inventaire des fichiers bruts déposés par les pôles (chemin, type, empreinte SHA-256, arrivée)."""
    layout = warehouse.layout
    frame = scan_raw_files(layout)
    arrivals = record_arrivals(layout, frame)
    with warehouse.get_connection() as con:
        # A run starts here: results of the previous run's checks must not be published again.
        reset_run_state(con, layout)
        n = write_table(con, "raw_files", frame, order_by=["kind", "source_file"])
        write_table(con, "file_arrivals", arrivals, order_by=["arrival_rank"])
    by_kind = frame.groupby("kind").size().to_dict() if len(frame) else {}
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": n,
            **{f"fichiers_{k}": int(v) for k, v in by_kind.items()},
            "demo": warehouse.layout.demo_marker.exists(),
        }
    )

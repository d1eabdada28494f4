"""The arrival register: in which order the raw files arrived, kept so a rebuild reproduces it.

Resubmissions make order matter (a later file for the same pole and period replaces the earlier
figures), and neither file names nor modification dates survive every copy. So the first time the
pipeline sees a file version (path + SHA-256) it appends one line to `registre_arrivees.csv` at the
root of the data directory — beside `raw/`, never inside it: raw files are never written. The
arrival time is the file's modification time when first seen (when the pole produced or sent it),
which is also what a rebuild without the register falls back to.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ptce.paths import DataLayout

REGISTER_NAME = "registre_arrivees.csv"
FIELDS = ["source_file", "sha256", "arrivee_utc"]


def register_path(layout: DataLayout) -> Path:
    return layout.data_dir / REGISTER_NAME


def read_register(layout: DataLayout) -> pd.DataFrame:
    path = register_path(layout)
    if not path.exists():
        return pd.DataFrame(columns=FIELDS)
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")


def record_arrivals(layout: DataLayout, inventory: pd.DataFrame) -> pd.DataFrame:
    """Append unseen file versions to the register; return arrivals for the current inventory.

    Columns: source_file, sha256, kind, arrived_at (naive UTC), arrival_rank (1 = first).
    """
    known = read_register(layout)
    new_rows = _unseen(layout, inventory, known)
    if new_rows:
        path = register_path(layout)
        is_new = not path.exists()
        with path.open("a", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=FIELDS, delimiter=";")
            if is_new:
                writer.writeheader()
            writer.writerows(new_rows)
        known = pd.concat([known, pd.DataFrame(new_rows)], ignore_index=True)
    return _ranked(inventory, known)


def arrival_order(layout: DataLayout, inventory: pd.DataFrame) -> pd.DataFrame:
    """Arrivals as `record_arrivals` gives them, without writing the register (files it has not
    seen yet arrive at their modification time, as they will once a run records them)."""
    known = read_register(layout)
    unseen = _unseen(layout, inventory, known)
    return _ranked(inventory, pd.concat([known, pd.DataFrame(unseen, columns=FIELDS)], ignore_index=True))


def _unseen(layout: DataLayout, inventory: pd.DataFrame, known: pd.DataFrame) -> list[dict[str, str]]:
    """Register lines for the file versions of `inventory` that `known` does not hold."""
    seen = set(zip(known["source_file"], known["sha256"], strict=True))
    new_rows = []
    for row in inventory.itertuples():
        if (row.source_file, row.sha256) in seen:
            continue
        mtime = (layout.data_dir / row.source_file).stat().st_mtime
        stamp = datetime.fromtimestamp(mtime, UTC).replace(tzinfo=None).isoformat(timespec="seconds")
        new_rows.append({"source_file": row.source_file, "sha256": row.sha256, "arrivee_utc": stamp})
    return new_rows


def _ranked(inventory: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    first_seen = known.drop_duplicates(subset=["source_file", "sha256"], keep="first")
    arrivals = inventory[["source_file", "sha256", "kind"]].merge(
        first_seen, on=["source_file", "sha256"], how="left"
    )
    arrivals["arrived_at"] = pd.to_datetime(arrivals["arrivee_utc"])
    arrivals = arrivals.sort_values(["arrived_at", "source_file"], kind="stable").reset_index(drop=True)
    arrivals["arrival_rank"] = range(1, len(arrivals) + 1)
    return arrivals[["source_file", "sha256", "kind", "arrived_at", "arrival_rank"]]

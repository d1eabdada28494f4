"""The poles of a run: staging (every reference file of `raw/poles/` applied, in arrival order, over
the twelve shipped poles) and the published `poles` table.

`stg_pole_files` is upstream of every other domain's staging asset: their parsers match pole names
against the run's effective poles (`pipelines.shared.pole_reference.staged_poles`), never against a
list of their own. `poles` is checked in `gx_tables`, which no parser may wait for: they read the
staging table `stg_poles`, not `poles`.
"""

from __future__ import annotations

import dagster as dg

from pipelines.shared.build_store import write_table
from pipelines.shared.ledger import ledger_frames, log_metadata
from pipelines.shared.pole_reference import KIND, layer_files, poles_frame, staged_poles
from pipelines.shared.resources import WarehouseResource


@dg.asset(group_name="staging", kinds={"duckdb", "python"}, deps=["raw_files"])
def stg_pole_files(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Lecture des fichiers de référence des pôles (ajouts, modifications, départs) : pôles en vigueur."""
    layout = warehouse.layout
    with warehouse.get_connection() as con:
        inventory = con.execute("select * from raw_files where kind = ? order by source_file", [KIND]).df()
        # The run's arrival order (the register, as `raw_files` recorded it): a later file wins.
        order = con.execute(
            "select source_file from file_arrivals where kind = ? order by arrival_rank", [KIND]
        ).df()
        layers = layer_files((layout.data_dir / name, name) for name in order["source_file"])
        quarantine, log = ledger_frames(layers.results, inventory)
        frame = poles_frame(layers.poles)
        write_table(con, "stg_poles", frame, order_by=["numero"])
        write_table(con, "stg_pole_quarantine", quarantine)
        write_table(con, "stg_pole_log", log)
    added = sum(1 for r in layers.results for rec in r.records if rec["action"] == "ajout")
    return dg.MaterializeResult(
        metadata={**log_metadata(log), "poles_en_vigueur": len(frame), "poles_ajoutes": added}
    )


@dg.asset(group_name="curated", kinds={"duckdb"}, deps=["stg_pole_files"])
def poles(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Les pôles de la communauté : les douze du tableau des membres et les fichiers de raw/poles/."""
    with warehouse.get_connection() as con:
        frame = poles_frame(staged_poles(con, warehouse.layout))
        n = write_table(con, "poles", frame, order_by=["numero"])
        left = int(frame["date_depart"].notna().sum())
    return dg.MaterializeResult(metadata={"dagster/row_count": n, "poles_sortis": left})

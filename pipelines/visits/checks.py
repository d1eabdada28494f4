"""Checks of the visits domain (SQL): practices whose « Visite » cell names no event found.

A warning only, never blocking: the practice is published all the same (without its event), and
staff see which mention to correct in the file (a date, the host, the event's title or id).
"""

# No `from __future__ import annotations`: Dagster reads the `context` annotation at definition time.
import dagster as dg
import pandas as pd

from pipelines.shared.quality_checks import first_named, sql_check
from pipelines.shared.resources import WarehouseResource

MAX_NAMED = 10

UNLINKED_SQL = """
    select practice_id, pole_id, titre, visite_mentionnee, source_file, row_number
    from practices
    where visit_id is null and visite_mentionnee is not null
    order by source_file, row_number
"""


def explain_unlinked(bad: pd.DataFrame) -> str:
    """French account of the practices left without their event, each named (file, row, mention)."""
    parts = [
        f"{r.source_file}, ligne {r.row_number} : « {r.titre} » ({r.pole_id}), "
        f"visite « {r.visite_mentionnee} »"
        for r in bad.head(MAX_NAMED).itertuples()
    ]
    return (
        f"{len(bad)} pratique(s) dont la visite mentionnée ne correspond à aucun événement (ou à "
        "plusieurs) — "
        + first_named(parts, len(bad), limit=MAX_NAMED)
        + ". Elles sont publiées sans visite : dans la colonne « Visite », écrivez la date de "
        "l'événement et son pôle hôte, son titre exact ou son identifiant."
    )


@dg.asset_check(asset="practices", blocking=False)
def practices_linked(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Alerte : pratiques dont la visite mentionnée n'a pas été retrouvée."""
    with warehouse.get_connection() as con:
        return sql_check(
            con,
            context.run.run_id,
            "practices",
            "pratiques_rattachees",
            UNLINKED_SQL,
            "Chaque pratique qui mentionne une visite est rattachée à un événement de la communauté.",
            severity="WARN",
            explain=explain_unlinked,
        )

"""Completeness of the submissions, per pole, year and kind of file, from every domain's declaration."""

from __future__ import annotations

from datetime import date

import dagster as dg

from pipelines.shared.build_store import write_table
from pipelines.shared.completeness import build_completeness
from pipelines.shared.domain import domains
from pipelines.shared.pole_reference import staged_poles
from pipelines.shared.resources import WarehouseResource
from ptce.reference import load_quality_config


@dg.asset(
    group_name="marts",
    kinds={"duckdb"},
    deps=[*(dep for d in domains() for dep in d.completeness_deps), "stg_pole_files"],
)
def completeness(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Complétude des envois : attendu, reçu, partiel, manquant, en retard (taux de déclaration)."""
    with warehouse.get_connection() as con:
        # Each domain declares its submissions and its values in force (`DOMAIN.submissions_sql`...).
        staged = con.execute(
            " union all ".join(d.submissions_sql for d in domains() if d.submissions_sql)
        ).df()
        current = {kind: con.execute(sql).df() for d in domains() for kind, sql in d.current_sql.items()}
        arrivals = con.execute("select * from file_arrivals").df()
        # The run's poles in force: a new member is expected, a pole that left is not after it left.
        poles = staged_poles(con, warehouse.layout)
        frame = build_completeness(
            list(poles.ids),
            staged,
            current,
            arrivals,
            load_quality_config(),
            date.today(),
            catalogue_kinds={k for d in domains() for k in d.catalogue_kinds},
            membership={p.pole_id: (p.date_entree, p.date_sortie) for p in poles},
        )
        n = write_table(con, "completeness", frame, order_by=["kind", "annee", "pole_id"])
    rate = float(frame["recu"].mean()) if len(frame) else 0.0
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": n,
            "taux_de_declaration": round(rate, 3),
            "envois_en_retard": int(frame["en_retard"].sum()),
            "envois_manquants": int((frame["statut"] == "manquant").sum()),
        }
    )

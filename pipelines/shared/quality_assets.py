"""Completeness of the submissions, per pole, year and kind of file."""

from __future__ import annotations

from datetime import date

import dagster as dg

from pipelines.shared.build_store import write_table
from pipelines.shared.completeness import build_completeness
from pipelines.shared.resources import WarehouseResource
from ptce.reference import load_poles, load_quality_config


@dg.asset(
    group_name="marts",
    kinds={"duckdb"},
    deps=["indicator_values", "targets", "applications", "stg_indicator_files", "stg_application_files"],
)
def completeness(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Complétude des envois : attendu, reçu, partiel, manquant, en retard (taux de déclaration)."""
    with warehouse.get_connection() as con:
        # Answers to the AMI are one submission per pole, due for the 2015 call.
        staged = con.execute(
            """select kind, pole_id, annee, source_file from stg_indicator_values
               union all
               select 'candidatures', pole_id, 2015, source_file from stg_application_results"""
        ).df()
        current = {
            "indicateurs": con.execute("select pole_id, annee, code from indicator_values").df(),
            "objectifs": con.execute("select pole_id, annee, code from targets").df(),
            "candidatures": con.execute(
                "select pole_id, 2015 as annee, 'candidature' as code from applications where current"
            ).df(),
        }
        arrivals = con.execute("select * from file_arrivals").df()
        frame = build_completeness(
            [p.pole_id for p in load_poles()], staged, current, arrivals, load_quality_config(), date.today()
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

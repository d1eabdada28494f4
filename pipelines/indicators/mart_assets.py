"""Marts: yearly figures per pole and for the network, what dashboards and reports read."""

from __future__ import annotations

import dagster as dg

from pipelines.indicators.marts import build_network_year, build_pole_year
from pipelines.shared.build_store import write_table
from pipelines.shared.resources import WarehouseResource


@dg.asset(group_name="marts", kinds={"duckdb"}, deps=["indicator_values", "indicator_catalog"])
def mart_pole_year(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Valeur annuelle par pôle et indicateur (trimestres agrégés, indicateurs dérivés calculés)."""
    with warehouse.get_connection() as con:
        frame = build_pole_year(con)
        n = write_table(con, "mart_pole_year", frame, order_by=["pole_id", "annee", "code"])
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": n,
            "depuis_trimestres": int((frame["origine"] == "trimestres").sum()),
        }
    )


@dg.asset(group_name="marts", kinds={"duckdb"}, deps=["mart_pole_year"])
def mart_network_year(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Chiffre réseau par année et indicateur, avec médiane, minimum et maximum des pôles."""
    with warehouse.get_connection() as con:
        pole_year = con.execute("select * from mart_pole_year").df()
        frame = build_network_year(pole_year)
        n = write_table(con, "mart_network_year", frame, order_by=["annee", "code"])
    return dg.MaterializeResult(metadata={"dagster/row_count": n})

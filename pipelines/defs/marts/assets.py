"""Marts: yearly figures per pole and for the network, what dashboards and reports read."""

from __future__ import annotations

import dagster as dg

from pipelines.marts import build_network_year, build_pole_year
from pipelines.resources import WarehouseResource
from pipelines.warehouse import write_table


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


@dg.asset_check(asset="mart_pole_year", additional_deps=["poles", "indicator_catalog"])
def mart_pole_year_coverage(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """WARN: poles and years with typed-in indicators missing (completeness, not an error)."""
    with warehouse.get_connection() as con:
        missing = con.execute(
            """
            with years as (select distinct annee from mart_pole_year),
                 expected as (
                    select p.pole_id, y.annee, c.code from poles p, years y, indicator_catalog c
                    where not c.derive
                 )
            select e.pole_id, e.annee, count(*) as manquants
            from expected e anti join mart_pole_year m using (pole_id, annee, code)
            group by all order by all
            """
        ).df()
    return dg.AssetCheckResult(
        passed=missing.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "unexpected_count": int(missing["manquants"].sum()) if len(missing) else 0,
            "exemples": dg.MetadataValue.json(missing.head(10).astype(str).to_dict(orient="records")),
        },
    )

"""Structural checks on the curated indicator tables; ERROR checks block publication.

Each check returns its failure count and a few examples in metadata, so the Dagster UI shows what is
wrong, not only that something is. The data-quality work (issue #3) adds Great Expectations suites.
"""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.resources import WarehouseResource

MAX_EXAMPLES = 5


def _result(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    description: str,
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
) -> dg.AssetCheckResult:
    """Pass when `sql` (a query selecting offending rows) returns nothing."""
    bad = con.execute(sql).df()
    examples = bad.head(MAX_EXAMPLES).astype(str).to_dict(orient="records")
    return dg.AssetCheckResult(
        passed=bad.empty,
        severity=severity,
        description=description,
        metadata={"unexpected_count": len(bad), "exemples": dg.MetadataValue.json(examples)},
    )


@dg.asset_check(asset="indicator_values", blocking=True, additional_deps=["poles", "indicator_catalog"])
def indicator_values_keys_valid(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every value names a known pole and catalogue indicator, with a year and a value."""
    with warehouse.get_connection() as con:
        return _result(
            con,
            """
            select v.* from indicator_values v
            left join poles p using (pole_id)
            left join indicator_catalog c on c.code = v.code and not c.derive
            where p.pole_id is null or c.code is null or v.annee is null or v.valeur is null
               or (v.trimestre is not null and v.trimestre not between 1 and 4)
            """,
            "Pôle et indicateur connus, année et valeur renseignées, trimestre entre 1 et 4.",
        )


@dg.asset_check(asset="indicator_values", blocking=True)
def indicator_values_unique(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """One value per pole, year, quarter and indicator."""
    with warehouse.get_connection() as con:
        return _result(
            con,
            """
            select pole_id, annee, trimestre, code, count(*) as n from indicator_values
            group by all having count(*) > 1
            """,
            "Une seule valeur par pôle, période et indicateur.",
        )


@dg.asset_check(asset="ingest_log", blocking=True, additional_deps=["raw_files"])
def ingest_log_conservation(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """rows_read = rows_loaded + rows_quarantined for every file, and one log row per raw file."""
    with warehouse.get_connection() as con:
        return _result(
            con,
            """
            select coalesce(l.source_file, r.source_file) as source_file, l.rows_read, l.rows_loaded,
                   l.rows_quarantined, l.status
            from ingest_log l full outer join raw_files r using (source_file)
            where l.source_file is null or r.source_file is null
               or l.rows_read <> l.rows_loaded + l.rows_quarantined
               or l.status not in ('ok', 'partial', 'error')
            """,
            "Chaque fichier brut a une ligne de journal, et lignes lues = chargées + en quarantaine.",
        )


@dg.asset_check(asset="quarantine", blocking=True, additional_deps=["ingest_log"])
def quarantine_accounted(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Quarantined rows per file match the log, and every entry has a French reason."""
    with warehouse.get_connection() as con:
        return _result(
            con,
            """
            with q as (
                select source_file, count(distinct (coalesce(sheet, ''), row_number)) as n
                from quarantine group by source_file
            )
            select l.source_file, l.rows_quarantined, coalesce(q.n, 0) as en_quarantaine
            from ingest_log l left join q using (source_file)
            where l.rows_quarantined <> coalesce(q.n, 0)
            union all
            select source_file, null, null from quarantine where reason is null or reason = ''
            """,
            "La quarantaine contient exactement les lignes refusées annoncées par le journal.",
        )


@dg.asset_check(asset="targets", blocking=True, additional_deps=["poles", "indicator_catalog"])
def targets_keys_valid(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Targets name a known pole and indicator, one per pole, year and indicator."""
    with warehouse.get_connection() as con:
        return _result(
            con,
            """
            select t.pole_id, t.annee, t.code from targets t
            left join poles p using (pole_id)
            left join indicator_catalog c on c.code = t.code and not c.derive
            where p.pole_id is null or c.code is null or t.valeur is null
            union all
            select pole_id, annee, code from targets group by all having count(*) > 1
            """,
            "Objectifs : pôle et indicateur connus, un seul objectif par pôle, année et indicateur.",
        )

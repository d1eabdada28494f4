"""Asset checks: Great Expectations suites on every curated table and mart, plus SQL ledger checks.

ERROR checks are blocking: when one fails, publication does not run and the previous warehouse
stays in place. WARN checks are reported (Dagster UI, `ptce run` summary, quality page). Every rule's
outcome is also written to `check_results`, which publication copies into the warehouse.
"""

import json
from collections.abc import Callable
from datetime import date

import dagster as dg
import duckdb
import pandas as pd

from pipelines.shared import gx_frames as qf
from pipelines.shared.build_store import gx_root
from pipelines.shared.domain import domains
from pipelines.shared.gx_suites import (
    SHARED_MART_SUITES,
    SHARED_TABLE_SUITES,
    RuleContext,
    RuleOutcome,
    Suite,
    run_suites,
)
from pipelines.shared.pole_reference import staged_poles
from pipelines.shared.resources import WarehouseResource
from ptce.contract import TABLES
from ptce.paths import DataLayout
from ptce.reference import load_catalog, load_quality_config, shipped_poles

MAX_EXAMPLES = 5
# The suites of the shared tables, then each domain's (`DOMAIN.table_suites` / `mart_suites`).
TABLE_SUITES: tuple[Suite, ...] = SHARED_TABLE_SUITES + tuple(s for d in domains() for s in d.table_suites)
MART_SUITES: tuple[Suite, ...] = SHARED_MART_SUITES + tuple(s for d in domains() for s in d.mart_suites)
# Files named in a failed check's message; the full list is in the check's examples and the log.
MAX_NAMED_FILES = 10


def rule_context(
    con: duckdb.DuckDBPyConnection | None = None, layout: DataLayout | None = None
) -> RuleContext:
    """What the rules need; the poles are the run's in force when given its build database and
    folder (`stg_poles`), the twelve shipped ones otherwise."""
    catalog = load_catalog()
    shares = tuple(d.code for d in catalog.derived if d.unite == "%")
    poles = staged_poles(con, layout) if con is not None and layout is not None else shipped_poles()
    return RuleContext(
        pole_ids=poles.ids,
        typed_codes=catalog.codes,
        all_codes=catalog.codes + tuple(d.code for d in catalog.derived),
        shares=shares,
        config=load_quality_config(),
        today=date.today(),
    )


def record(con: duckdb.DuckDBPyConnection, run_id: str, rows: list[dict]) -> None:
    """Append rule outcomes to the run's `check_results` table."""
    if not rows:
        return
    frame = pd.DataFrame([{**r, "run_id": run_id} for r in rows], columns=list(TABLES["check_results"]))
    con.register("_results", frame)
    try:
        con.execute("insert into check_results select * from _results")
    finally:
        con.unregister("_results")


def _example_text(example: object) -> str:
    """One GX example as text: its identifying columns (the file, the pole and year...)."""
    if isinstance(example, dict):
        return ", ".join(str(v) for v in example.values())
    return str(example)


def _failed_rules_text(suite: Suite, failed: list[RuleOutcome]) -> str:
    """French account of a suite's failed rules, each with the rows (files, poles) it concerns."""
    parts = []
    for o in failed:
        examples = " ; ".join(_example_text(e) for e in o.examples)
        more = " …" if o.unexpected_count > len(o.examples) else ""
        where = f" — {examples}{more}" if examples else ""
        parts.append(f"« {o.rule} » ({o.unexpected_count}) : {o.description}{where}")
    return f"{suite.description} Règle(s) en échec : " + " | ".join(parts)


def _check_results(outcomes: list[RuleOutcome], suites: tuple[Suite, ...]) -> list[dg.AssetCheckResult]:
    results = []
    for suite in suites:
        mine = [o for o in outcomes if o.suite is suite]
        failed = [o for o in mine if not o.success]
        results.append(
            dg.AssetCheckResult(
                asset_key=suite.asset,
                check_name=suite.check_name,
                passed=not failed,
                severity=dg.AssetCheckSeverity.ERROR
                if suite.severity == "ERROR"
                else dg.AssetCheckSeverity.WARN,
                description=_failed_rules_text(suite, failed) if failed else suite.description,
                metadata={
                    "unexpected_count": sum(o.unexpected_count for o in failed),
                    "regles": len(mine),
                    "regles_en_echec": dg.MetadataValue.json(
                        [
                            {
                                "regle": o.rule,
                                "description": o.description,
                                "nombre": o.unexpected_count,
                                "exemples": o.examples,
                            }
                            for o in failed
                        ]
                    ),
                },
            )
        )
    return results


def _rows(outcomes: list[RuleOutcome]) -> list[dict]:
    return [
        {
            "asset": o.suite.asset,
            "check_name": o.suite.check_name,
            "regle": o.rule,
            "description": o.description,
            "severite": o.suite.severity,
            "passed": o.success,
            "unexpected_count": o.unexpected_count,
            "exemples": json.dumps(o.examples, ensure_ascii=False),
            "moteur": "gx",
        }
        for o in outcomes
    ]


def _specs(suites: tuple[Suite, ...]) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(s.check_name, asset=s.asset, description=s.description, blocking=True)
        for s in suites
    ]


def suite_frames(
    con: duckdb.DuckDBPyConnection, suites: tuple[Suite, ...], ctx: RuleContext
) -> dict[str, pd.DataFrame]:
    """The frame of every suite: built by its domain's `frames` (or the shared ones), else the table."""
    builders = {"ingest_log": lambda con, ctx: qf.ingest_log_frame(con)}
    for domain in domains():
        builders.update(domain.frames)
    return {
        s.frame: builders[s.frame](con, ctx) if s.frame in builders else qf.table(con, s.frame)
        for s in suites
    }


@dg.multi_asset_check(specs=_specs(TABLE_SUITES), name="gx_tables")
def gx_tables(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Suites Great Expectations des tables du socle (types, codes, bornes, unicité, intégrité)."""
    with warehouse.get_connection() as con:
        ctx = rule_context(con, warehouse.layout)
        frames = suite_frames(con, TABLE_SUITES, ctx)
        outcomes = run_suites(TABLE_SUITES, frames, ctx, gx_root(warehouse.layout))
        record(con, context.run.run_id, _rows(outcomes))
    yield from _check_results(outcomes, TABLE_SUITES)


@dg.multi_asset_check(specs=_specs(MART_SUITES), name="gx_marts")
def gx_marts(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Suites Great Expectations des tables annuelles : structure, cohérence, sauts, complétude."""
    with warehouse.get_connection() as con:
        ctx = rule_context(con, warehouse.layout)
        frames = suite_frames(con, MART_SUITES, ctx)
        outcomes = run_suites(MART_SUITES, frames, ctx, gx_root(warehouse.layout))
        record(con, context.run.run_id, _rows(outcomes))
    yield from _check_results(outcomes, MART_SUITES)


def sql_check(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    asset: str,
    name: str,
    sql: str,
    description: str,
    severity: str = "ERROR",
    explain: Callable[[pd.DataFrame], str] | None = None,
) -> dg.AssetCheckResult:
    """Check that passes when `sql` (selecting offending rows) returns nothing.

    `explain` turns the offending rows into a French sentence naming them, shown in place of the
    description when the check fails (Dagster UI, `ptce run` summary).
    """
    bad = con.execute(sql).df()
    examples = bad.head(MAX_EXAMPLES).astype(str).to_dict(orient="records")
    record(
        con,
        run_id,
        [
            {
                "asset": asset,
                "check_name": name,
                "regle": name,
                "description": description,
                "severite": severity,
                "passed": bad.empty,
                "unexpected_count": len(bad),
                "exemples": json.dumps(examples, ensure_ascii=False),
                "moteur": "sql",
            }
        ],
    )
    return dg.AssetCheckResult(
        passed=bad.empty,
        severity=dg.AssetCheckSeverity.ERROR if severity == "ERROR" else dg.AssetCheckSeverity.WARN,
        description=explain(bad) if explain is not None and not bad.empty else description,
        metadata={"unexpected_count": len(bad), "exemples": dg.MetadataValue.json(examples)},
    )


def first_named(parts: list[str], total: int, more: str = "autre(s)", limit: int = MAX_NAMED_FILES) -> str:
    """The first `limit` items of a check's French account, then how many more: « a ; b ; et 3
    autre(s) fichier(s) ». `parts` may hold more than `limit` items; `total` counts them all."""
    shown = " ; ".join(parts[:limit])
    return shown + (f" ; et {total - limit} {more}" if total > limit else "")


def conservation_gaps(bad: pd.DataFrame) -> str:
    """French account of the files breaking the ledger, each named (rows of `ingest_log_conservation`)."""
    parts = []
    for row in bad.head(MAX_NAMED_FILES).itertuples():
        if pd.isna(row.status):
            parts.append(f"{row.source_file} : fichier présent sans ligne de journal")
        elif not row.inventorie:
            parts.append(f"{row.source_file} : ligne de journal sans fichier correspondant")
        else:
            parts.append(
                f"{row.source_file} : {row.rows_read} ligne(s) lue(s) mais {row.rows_loaded} chargée(s) "
                f"et {row.rows_quarantined} en quarantaine"
            )
    return (
        f"Comptes du journal faux pour {len(bad)} fichier(s) — "
        + first_named(parts, len(bad), "autre(s) fichier(s)")
        + ". "
        "L'entrepôt précédent reste en place. C'est une anomalie de l'observatoire, pas des fichiers : "
        "signalez-la à l'équipe technique avec ce message."
    )


def quarantine_gaps(bad: pd.DataFrame) -> str:
    """French account of the files whose quarantine does not match their log row."""
    parts = [
        f"{row.source_file} : {row.rows_quarantined} ligne(s) en quarantaine selon le journal, "
        f"{row.en_quarantaine} dans la quarantaine"
        for row in bad.head(MAX_NAMED_FILES).itertuples()
    ]
    return (
        f"Quarantaine et journal en désaccord pour {len(bad)} fichier(s) — "
        + first_named(parts, len(bad), "autre(s) fichier(s)")
        + ". "
        "L'entrepôt précédent reste en place. C'est une anomalie de l'observatoire, pas des fichiers : "
        "signalez-la à l'équipe technique avec ce message."
    )


# Files breaking the ledger: an inventory entry (read or not) without its log row, a log row without
# an entry, or rows read <> loaded + quarantined.
CONSERVATION_SQL = """
    select coalesce(l.source_file, r.source_file) as source_file, l.rows_read, l.rows_loaded,
           l.rows_quarantined, l.status, r.source_file is not null as inventorie
    from ingest_log l full outer join raw_inventory r using (source_file)
    where l.source_file is null or r.source_file is null
       or l.rows_read <> l.rows_loaded + l.rows_quarantined
    order by 1
"""


@dg.asset_check(asset="ingest_log", blocking=True, additional_deps=["raw_files"])
def ingest_log_conservation(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Chaque fichier brut a sa ligne de journal, et lignes lues = chargées + en quarantaine."""
    with warehouse.get_connection() as con:
        return sql_check(
            con,
            context.run.run_id,
            "ingest_log",
            "ingest_log_conservation",
            CONSERVATION_SQL,
            "Chaque fichier brut a une ligne de journal, et lignes lues = chargées + en quarantaine.",
            explain=conservation_gaps,
        )


@dg.asset_check(asset="quarantine", blocking=True, additional_deps=["ingest_log"])
def quarantine_accounted(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Les lignes en quarantaine de chaque fichier sont exactement celles qu'annonce le journal."""
    with warehouse.get_connection() as con:
        return sql_check(
            con,
            context.run.run_id,
            "quarantine",
            "quarantine_accounted",
            """
            with q as (
                select source_file, count(distinct (coalesce(sheet, ''), row_number)) as n
                from quarantine group by source_file
            )
            select l.source_file, l.rows_quarantined, coalesce(q.n, 0) as en_quarantaine
            from ingest_log l left join q using (source_file)
            where l.rows_quarantined <> coalesce(q.n, 0)
            """,
            "La quarantaine contient exactement les lignes refusées annoncées par le journal.",
            explain=quarantine_gaps,
        )

"""The quality checks' cost: their steps' durations in the Dagster run, beside the same rules as SQL.

Durations come from the run's event log in the data directory's Dagster instance
(`curated/.dagster`, where `ptce run` keeps its runs): a step that emitted check evaluations is a
check step, Great Expectations' when its checks are named `gx_…` (the multi-asset checks
`gx_tables` and `gx_marts`, which build their frames in pandas and validate them with GX).

The SQL side translates the blocking (ERROR) suites' rules themselves, not a copy: each rule's
`build(gxe)` is called with a recorder instead of GX's module, and the recorded expectation
(type and arguments) becomes one `select count(*) … where not …` over the published warehouse.
Derived frames (columns computed in pandas before GX sees them) get their SQL in `FRAME_SQL`; a suite
whose frame or expectation has no translation is listed as such, never silently dropped.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb


# Derived frames of the blocking suites, as SQL over the published tables (same columns as the
# pandas builders in pipelines/*/rules.py and pipelines/shared/gx_frames.py).
def _poles_sql() -> str:
    """`poles` with `en_france`, as `ptce.reference.in_france` computes it (its boxes, inclusive)."""
    from ptce.reference import FRANCE_BOXES

    boxes = " or ".join(
        f"(latitude between {lat_min} and {lat_max} and longitude between {lon_min} and {lon_max})"
        for lat_min, lat_max, lon_min, lon_max in FRANCE_BOXES.values()
    )
    return f"select *, coalesce({boxes}, false) as en_france from poles"


FRAME_SQL: dict[str, str] = {
    "poles": _poles_sql(),
    "ingest_log": """
        select *, rows_read - rows_loaded - rows_quarantined as ecart_conservation,
               status <> 'ignored' or (rows_read = 0 and rows_loaded = 0 and rows_quarantined = 0)
                   as ignore_sans_ligne,
               status not in ('ok', 'partial') or sha256 is not null as empreinte_si_lu
        from ingest_log""",
    "indicator_values": """
        select v.*, not coalesce(c.entier, false) or v.valeur % 1 = 0 as entier_respecte,
               b.vmax is null or v.valeur <= b.vmax as borne_respectee
        from indicator_values v left join indicator_catalog c using (code)
        left join bench_bounds b using (code)""",
    "pathways": """
        select *, date_sortie is null or date_sortie >= date_entree as dates_ordonnees,
               year(date_entree) as annee_entree
        from pathways""",
    "visits": """
        select *, date_fin is not null and date_fin > date_visite or date_fin is null as dates_ordonnees,
               year(date_visite) = annee as annee_de_la_date,
               type <> 'visite apprenante' or pole_id is not null as hote_si_visite
        from visits""",
    "community_indicators": """
        select *, coalesce(annee::varchar, 'ensemble') as periode from community_indicators""",
}
for _linked in ("visit_poles", "visit_angles", "visit_documents", "practices"):
    FRAME_SQL[_linked] = f"""
        select t.*, t.visit_id is null or t.visit_id in (select visit_id from visits) as visite_connue
        from {_linked} t"""


class _Recorder:
    """Stands for `great_expectations.expectations`: `g.ExpectX(**kw)` returns ("ExpectX", kw)."""

    def __getattr__(self, name: str) -> Any:
        return lambda **kwargs: (name, kwargs)


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def expectation_sql(frame: str, kind: str, kw: dict[str, Any]) -> str | None:
    """`select count(*)` of the rows (or 1 for a table-level rule) that break the expectation,
    as GX counts them (null values are not judged by column rules); None when not translated."""
    src = f"({frame}) as f"
    col = f'"{kw["column"]}"' if "column" in kw else None
    if kind == "ExpectColumnValuesToNotBeNull":
        return f"select count(*) from {src} where {col} is null"
    if kind == "ExpectColumnValuesToBeInSet":
        values = ", ".join(_literal(v) for v in kw["value_set"])
        return f"select count(*) from {src} where {col} is not null and {col} not in ({values})"
    if kind == "ExpectColumnValuesToBeBetween":
        bounds = [f"{col} >= {_literal(kw['min_value'])}"] if kw.get("min_value") is not None else []
        bounds += [f"{col} <= {_literal(kw['max_value'])}"] if kw.get("max_value") is not None else []
        return (
            f"select count(*) from {src} where {col} is not null and not ({' and '.join(bounds) or 'true'})"
        )
    if kind == "ExpectColumnValueLengthsToBeBetween":
        bounds = [f"length({col}) >= {int(kw['min_value'])}"] if kw.get("min_value") is not None else []
        bounds += [f"length({col}) <= {int(kw['max_value'])}"] if kw.get("max_value") is not None else []
        return (
            f"select count(*) from {src} where {col} is not null and not ({' and '.join(bounds) or 'true'})"
        )
    if kind == "ExpectColumnValuesToMatchRegex":
        pattern = _literal(kw["regex"])
        matches = f"regexp_matches({col}::varchar, {pattern})"
        return f"select count(*) from {src} where {col} is not null and not {matches}"
    if kind == "ExpectColumnValuesToBeUnique":
        return (
            f"select count(*) from (select count(*) over (partition by {col}) as n from {src} "
            f"where {col} is not null) where n > 1"
        )
    if kind == "ExpectCompoundColumnsToBeUnique":
        cols = ", ".join(f'"{c}"' for c in kw["column_list"])
        any_known = " or ".join(f'"{c}" is not null' for c in kw["column_list"])
        return (
            f"select count(*) from (select count(*) over (partition by {cols}) as n from {src} "
            f"where {any_known}) where n > 1"
        )
    if kind == "ExpectTableRowCountToEqual":
        return f"select (count(*) <> {int(kw['value'])})::int from {src}"
    if kind == "ExpectColumnPairValuesAToBeGreaterThanB":
        a, b = f'"{kw["column_A"]}"', f'"{kw["column_B"]}"'
        op = ">=" if kw.get("or_equal") else ">"
        return f"select count(*) from {src} where {a} is not null and {b} is not null and not ({a} {op} {b})"
    if kind == "ExpectTableColumnsToMatchSet":
        expected = ", ".join(_literal(c) for c in kw["column_set"])
        return (
            f"select count(*) from (select column_name from (describe {frame}) "
            f"where column_name not in ({expected}))"
        )
    return None


@dataclass
class SqlRule:
    suite: str
    rule: str
    sql: str | None
    failures: int | None = None
    gx_failures: int | None = None


@dataclass
class SqlRules:
    """The blocking rules as SQL: each rule's count, the total time, what could not be translated."""

    rules: list[SqlRule] = field(default_factory=list)
    seconds: float = 0.0
    untranslated: list[str] = field(default_factory=list)

    @property
    def translated(self) -> list[SqlRule]:
        return [r for r in self.rules if r.sql is not None]

    @property
    def agreeing(self) -> int:
        """Rules whose SQL count equals GX's (in the warehouse's `check_results`)."""
        return sum(1 for r in self.translated if r.gx_failures is not None and r.failures == r.gx_failures)


def blocking_suites() -> list[Any]:
    from pipelines.shared.quality_checks import MART_SUITES, TABLE_SUITES

    return [s for s in (*TABLE_SUITES, *MART_SUITES) if s.severity == "ERROR"]


def translate(suites: Iterable[Any], ctx: Any, tables: set[str]) -> SqlRules:
    """Every rule of `suites` as SQL (or listed as untranslated, with the reason)."""
    out = SqlRules()
    for suite in suites:
        if suite.frame in FRAME_SQL:
            frame = FRAME_SQL[suite.frame]
        elif suite.frame in tables:
            frame = f'select * from "{suite.frame}"'
        else:
            out.untranslated.append(f"{suite.check_name} (cadre « {suite.frame} » calculé en Python)")
            continue
        for rule in suite.rules(ctx):
            kind, kw = rule.build(_Recorder())
            sql = expectation_sql(frame, kind, kw)
            if sql is None:
                out.untranslated.append(f"{suite.check_name}/{rule.name} ({kind})")
            out.rules.append(SqlRule(suite.check_name, rule.name, sql))
    return out


def run_sql_rules(warehouse: Path) -> SqlRules:
    """The blocking suites' rules as SQL over the published warehouse, timed, beside GX's counts."""
    from pipelines.shared.quality_checks import rule_context
    from ptce.reference import load_catalog

    con = duckdb.connect()
    try:
        con.execute("attach ? as w (read_only)", [str(warehouse)])
        con.execute("use w")
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        # The catalogue's upper bounds are reference data (the pandas frame reads them the same way).
        con.execute("create temp table bench_bounds (code varchar, vmax double)")
        bounds = [[i.code, i.max] for i in load_catalog().indicators if i.max is not None]
        if bounds:
            con.executemany("insert into bench_bounds values (?, ?)", bounds)
        # The run's poles are the published ones (the shipped twelve, plus those of raw/poles/ files).
        poles = tuple(r[0] for r in con.execute("select pole_id from poles order by pole_id").fetchall())
        result = translate(blocking_suites(), dataclasses.replace(rule_context(), pole_ids=poles), tables)
        for rule in result.translated:
            t0 = time.perf_counter()
            try:
                rule.failures = int(con.execute(rule.sql).fetchall()[0][0])
            except duckdb.Error as exc:
                # A column computed in Python for GX (a domain frame without SQL here): said, not timed.
                result.untranslated.append(f"{rule.suite}/{rule.rule} ({str(exc).splitlines()[0][:120]})")
                rule.sql = None
                continue
            result.seconds += time.perf_counter() - t0
        gx = {
            (r[0], r[1]): int(r[2])
            for r in con.execute(
                "select check_name, regle, unexpected_count from check_results where moteur = 'gx'"
            ).fetchall()
        }
        for rule in result.translated:
            rule.gx_failures = gx.get((rule.suite, rule.rule))
        return result
    finally:
        con.close()


@dataclass
class StepTimes:
    """Durations (seconds) of the last run's steps, by kind."""

    run_seconds: float
    gx: dict[str, float]
    sql_checks: dict[str, float]
    assets: dict[str, float]

    @property
    def gx_seconds(self) -> float:
        return sum(self.gx.values())

    @property
    def sql_check_seconds(self) -> float:
        return sum(self.sql_checks.values())


def step_times(dagster_home: Path) -> StepTimes | None:
    """The steps of the latest run kept in the Dagster instance at `dagster_home` (None if none)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return None
        run_id = runs[0].run_id
        checks: dict[str, set[str]] = {}
        for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
            event = record.dagster_event
            checks.setdefault(event.step_key, set()).add(event.event_specific_data.check_name)
        out = StepTimes(0.0, {}, {}, {})
        for step in instance.get_run_step_stats(run_id):
            seconds = (step.end_time or 0.0) - (step.start_time or 0.0)
            names = checks.get(step.step_key)
            if names is None:
                out.assets[step.step_key] = seconds
            elif all(n.startswith("gx_") for n in names):
                out.gx[step.step_key] = seconds
            else:
                out.sql_checks[step.step_key] = seconds
        stats = instance.get_run_stats(run_id)
        out.run_seconds = (stats.end_time or 0.0) - (stats.start_time or 0.0)
        return out

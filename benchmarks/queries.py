"""Each dashboard read timed as the pages call it, beside the same SQL in bare DuckDB.

The reads are those of `dashboards/shared/reads.py` (every read a page calls goes through it, cached
with `st.cache_data`); here the underlying `ptce.read` functions are called directly, so no cache
is in the way. Their SQL is captured by wrapping the cursor each query of the read layer takes
(`ptce.read.base.warehouse_cursor`), then replayed as it was sent, parameters included, on one
read-only connection kept open: that is the bare side. The read layer keeps its connection too, and
opens the file again only after a publication; that opening is measured apart (`connect_seconds`).
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.measure import percentile
from ptce.paths import PROJECT_ROOT

READS_MODULE = PROJECT_ROOT / "dashboards" / "shared" / "reads.py"


class CapturingConnection:
    """A DuckDB connection that records every statement run through `execute` (SQL, parameters)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, log: list[tuple[str, list[Any]]]) -> None:
        self._con = con
        self._log = log

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> CapturingConnection:
        params = list(parameters or [])
        self._log.append((sql, params))
        self._con.execute(sql, params)
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


@contextlib.contextmanager
def capture_sql() -> Iterator[list[tuple[str, list[Any]]]]:
    """Within the block, every query of `ptce.read` is recorded in the list yielded."""
    from ptce.read import base

    log: list[tuple[str, list[Any]]] = []
    original = base.warehouse_cursor

    @contextlib.contextmanager
    def capturing(path: Path) -> Iterator[CapturingConnection]:
        with original(path) as cur:
            yield CapturingConnection(cur, log)

    base.warehouse_cursor = capturing  # type: ignore[assignment]
    try:
        yield log
    finally:
        base.warehouse_cursor = original


def page_reads(source: Path = READS_MODULE) -> dict[str, tuple[str, str]]:
    """The reads the pages use: name in dashboards/shared/reads.py -> (ptce.read module, function).

    Read from the module's source (`name = _cached(module.function)`, and the adjusted comparison
    it wraps by hand), so that the bench follows a read added there without importing Streamlit.
    """
    tree = ast.parse(source.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    found: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "ptce.read":
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"ptce.read.{alias.name}"
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "_cached"
            and isinstance(node.value.args[0], ast.Attribute)
            and isinstance(node.value.args[0].value, ast.Name)
        ):
            target = node.targets[0]
            attr = node.value.args[0]
            if isinstance(target, ast.Name) and not target.id.startswith("_"):
                found[target.id] = (aliases[attr.value.id], attr.attr)
        if isinstance(node, ast.FunctionDef) and node.name == "adjusted_comparison":
            found[node.name] = ("ptce.read.pathways", "adjusted_comparison")
    return found


@dataclass(frozen=True)
class ReadContext:
    """The arguments a page would pass: the latest years, a pole, the page's default choices."""

    year: int
    pole_id: str
    pathway_year: int
    target_year: int


# The pages' default choices (dashboards/comparaison/tables.py, dashboards/mutualisation/tables.py,
# dashboards/parcours/page.py): written here, the bench does not import pages.
COMPARED_CODES = ("emplois_crees_par_membre", "taux_sortie_dynamique", "emploi_durable_pour_100_accompagnes")
ANGLE_DOMAIN = "mutualisation"
BREAKDOWN_VARIABLE = "sexe"
ADJUSTED_INDICATOR = "taux_sortie_dynamique"


def read_arguments(ctx: ReadContext) -> dict[str, tuple[Any, ...]]:
    """The arguments of each page read (after the warehouse and the viewer): the network view
    (`pole_id` None) where the page offers it, being the heaviest."""
    y, p, py, ty = ctx.year, ctx.pole_id, ctx.pathway_year, ctx.target_year
    return {
        "publication": (),
        "years": (),
        "poles": (),
        "pole": (p,),
        "catalog": (),
        "key_figures": (y,),
        "network_trends": (),
        "poles_year_table": (y,),
        "pole_series": (p,),
        "quality_run": (),
        "check_results": (),
        "ingest_log": (),
        "quarantine": (),
        "completeness": (),
        "reporting_rates": (),
        "indicator_changes": (),
        "applications": (),
        "application_answers": (),
        "angle_counts": (),
        "application_tags": (),
        "application_fields": (),
        "angle_indicators": (ANGLE_DOMAIN, ()),
        "angle_poles": (ANGLE_DOMAIN, y, ()),
        "angle_network": (ANGLE_DOMAIN, ()),
        "pathway_years": (),
        "pathway_poles": (),
        "pathway_flows": (None, py),
        "pathway_cohort_size": (None, py),
        "exit_categories": (None,),
        "exit_categories_by_pole": (py,),
        "dynamic_exit_rates": (py,),
        "duration_distribution": (None, py),
        "pathway_breakdowns": (None, py),
        "breakdown_by_pole": (py, BREAKDOWN_VARIABLE),
        "rqth": (None, py),
        "derived_vs_declared": (None, py),
        "visit_events": (),
        "visit_documents": (),
        "pole_participation": (),
        "visit_matrix": (),
        "visit_rhythm": (),
        "visit_offers": (),
        "practices": (),
        "community_indicators": (),
        "comparison_years": (),
        "comparison_choices": (),
        "comparison_values": (y, COMPARED_CODES),
        "comparison_series": (COMPARED_CODES,),
        "peer_groups": (y,),
        "angle_profile": (y, p),
        "targets": (ty, None),
        "target_years": (),
        "adjusted_comparison": (py, ADJUSTED_INDICATOR),
    }


def read_context(warehouse: Path) -> ReadContext:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        year = con.execute("select max(annee) from mart_pole_year").fetchall()[0][0]
        pole = con.execute("select min(pole_id) from mart_pole_year where annee = ?", [year]).fetchall()[0][0]
        pyear = con.execute("select max(annee) from pathway_indicators").fetchall()[0][0]
        tyear = con.execute("select max(annee) from targets").fetchall()[0][0]
    finally:
        con.close()
    return ReadContext(int(year), str(pole), int(pyear or year), int(tyear or year))


# A read slower than this is called fewer times (at least MIN_CALLS), so that one slow read at scale
# does not hold the bench for tens of minutes; the table gives each read's number of calls.
READ_BUDGET_SECONDS = 60.0
MIN_CALLS = 3


def calls(repeat: int, first_call: float) -> int:
    """How many timed calls of a read whose first call took `first_call` seconds."""
    if first_call <= 0 or first_call * repeat <= READ_BUDGET_SECONDS:
        return repeat
    return max(min(MIN_CALLS, repeat), int(READ_BUDGET_SECONDS / first_call))


@dataclass
class ReadTiming:
    name: str
    statements: int
    read: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    error: str | None = None

    def p(self, side: str, q: float) -> float:
        return percentile(getattr(self, side), q)


@dataclass
class QueryResults:
    reads: list[ReadTiming]
    connect_seconds: float


def time_reads(warehouse: Path, repeat: int, on_read: Callable[[str], None] | None = None) -> QueryResults:
    """Every page read `repeat` times, then its captured SQL `repeat` times on one kept connection.

    The reads use the read layer's kept connection as a page's process does: the first call of the
    bench (not timed) opens the file, the timed ones find it open. Opening it, which the first
    read after each publication pays, is timed apart (`connect_readonly`, median).
    """
    from ptce.read.base import release_connections

    release_connections()  # so that the first call opens the file, as after a publication
    try:
        return _time_reads(warehouse, repeat, on_read)
    finally:
        release_connections()


def _time_reads(warehouse: Path, repeat: int, on_read: Callable[[str], None] | None) -> QueryResults:
    from ptce.contract import connect_readonly
    from ptce.read.base import STAFF, Warehouse

    wh = Warehouse(path=str(warehouse), mtime_ns=warehouse.stat().st_mtime_ns)
    arguments = read_arguments(read_context(warehouse))
    results: list[ReadTiming] = []
    captured: dict[str, list[tuple[str, list[Any]]]] = {}
    for name, (module_name, function_name) in sorted(page_reads().items()):
        if on_read is not None:
            on_read(name)
        fn = getattr(importlib.import_module(module_name), function_name)
        args = arguments[name]
        with capture_sql() as log:
            t0 = time.perf_counter()
            try:
                fn(wh, STAFF, *args)  # first call: captures the SQL, warms what Python caches
            except Exception as exc:  # a read failing on this data is reported, not fatal
                results.append(ReadTiming(name, 0, error=f"{type(exc).__name__} : {exc}"))
                continue
            first = time.perf_counter() - t0
        timing = ReadTiming(name, len(log))
        for _ in range(calls(repeat, first)):
            t0 = time.perf_counter()
            fn(wh, STAFF, *args)
            timing.read.append(time.perf_counter() - t0)
        captured[name] = log
        results.append(timing)
    connects = []
    for _ in range(max(repeat, 5)):
        t0 = time.perf_counter()
        connect_readonly(warehouse).close()
        connects.append(time.perf_counter() - t0)
    bare = duckdb.connect(str(warehouse), read_only=True)
    try:
        for timing in results:
            for _ in range(len(timing.read)):
                t0 = time.perf_counter()
                for sql, params in captured[timing.name]:
                    bare.execute(sql, params).df()
                timing.bare.append(time.perf_counter() - t0)
    finally:
        bare.close()
    return QueryResults(results, percentile(connects, 50))

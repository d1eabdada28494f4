"""The DuckDB floor of `ptce run`: `floor.sql` over the same raw CSV files, timed, and checked against
the published warehouse (an unequal floor is not a floor).

The driver does three things the script cannot: it loads the reference files (poles, catalogue,
header aliases, yes/no words) into small `ref_*` tables, since DuckDB reads no YAML; it classifies
the distinct exit reasons the script found with the product's own rule engine (timed, counted in the
floor); and, for the demo only, it saves each workbook of raw/ as CSV beforehand (untimed: the
excel extension does not ship with the duckdb wheel). At scale the data are CSV only
(`ptce sample --scale N --xlsx-share 0`).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

SQL_PATH = Path(__file__).with_name("floor.sql")
STEP_MARK = re.compile(r"^-- @step (\S+)\s*$", re.M)
# Each mart the floor rebuilds: its key, then the columns compared (numbers within TOLERANCE).
MART_COLUMNS = {
    "mart_pole_year": (["pole_id", "annee", "code"], ["valeur", "origine", "nb_trimestres", "derive"]),
    "mart_network_year": (
        ["annee", "code"],
        ["valeur", "mediane", "minimum", "maximum", "nb_poles", "derive"],
    ),
    "pathway_indicators": (["pole_id", "annee", "code"], ["valeur"]),
}
NUMERIC = {"valeur", "mediane", "minimum", "maximum"}
# Relative tolerance of the comparison: both sides sum the same doubles, in another order.
TOLERANCE = 1e-9


def floor_steps(sql: str | None = None) -> list[tuple[str, str]]:
    """The script's statements, each with its step name (`-- @step NAME` lines)."""
    text = sql if sql is not None else SQL_PATH.read_text(encoding="utf-8")
    marks = list(STEP_MARK.finditer(text))
    steps = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = text[mark.end() : end].strip()
        # Comment lines between statements belong to no statement.
        body = "\n".join(line for line in body.splitlines() if not line.startswith("--")).strip()
        if body:
            steps.append((mark.group(1), body.rstrip(";")))
    return steps


def _cp1252_table() -> list[str]:
    """Byte -> character of Windows-1252 (its five undefined bytes kept as their Latin-1 code point)."""
    return [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]


def load_reference(con: duckdb.DuckDBPyConnection, raw_dir: Path, extra_dir: Path, today: date) -> None:
    """Variables and `ref_*` tables of the script, from ptce/reference and the parsers' alias tables."""
    from pipelines.indicators.parser import ROLE_ALIASES as INDICATOR_ROLES
    from pipelines.pathways.fields import _BAND_BY_KEY, FALSE_WORDS, SEX_WORDS, TRUE_WORDS
    from pipelines.pathways.parser import ROLE_ALIASES as PATHWAY_ROLES
    from pipelines.shared.values import MISSING_MARKERS
    from ptce.reference import PoleMatcher, load_catalog, load_pathway_config, load_poles

    catalog = load_catalog()
    variables: dict[str, Any] = {
        "raw_dir": str(raw_dir),
        "extra_dir": str(extra_dir),
        "today": today,
        "gap_days": load_pathway_config().move_gap_days,
        "cp1252": _cp1252_table(),
        "missing": sorted(MISSING_MARKERS),
        "sexes": sorted(SEX_WORDS),
        "age_keys": sorted(_BAND_BY_KEY),
        "flag_words": sorted(TRUE_WORDS | FALSE_WORDS),
        "true_words": sorted(TRUE_WORDS),
    }
    for name, value in variables.items():
        con.execute(f"set variable {name} = ?", [value])
    tables: dict[str, tuple[str, list[tuple]]] = {
        "ref_poles": (
            "pole_id varchar, numero integer, nom varchar, noms_usuels varchar[]",
            [(p.pole_id, p.numero, p.nom, list(p.noms_usuels)) for p in load_poles()],
        ),
        "ref_pole_prefix": (
            "prefix varchar, ord integer",
            [(p, i) for i, p in enumerate(PoleMatcher._PREFIXES)],
        ),
        "ref_indicator_keys": ("key varchar, code varchar", sorted(catalog._by_key.items())),
        "ref_indicators": (
            "code varchar, agregation_trimestres varchar, agregation_poles varchar, entier boolean, "
            "vmin double, vmax double, pct boolean",
            [
                (i.code, i.agregation_trimestres, i.agregation_poles, i.entier, i.min, i.max, i.unite == "%")
                for i in catalog.indicators
            ],
        ),
        "ref_derived": (
            "code varchar, part varchar, comp varchar",
            [(d.code, "num", c) for d in catalog.derived for c in d.numerateur]
            + [(d.code, "den", c) for d in catalog.derived for c in d.denominateur],
        ),
        "ref_roles": (
            "kind varchar, key varchar, role varchar",
            [("indicateurs", k, r) for r, keys in INDICATOR_ROLES.items() if r != "objectif" for k in keys]
            + [("parcours", k, r) for r, keys in PATHWAY_ROLES.items() for k in keys],
        ),
    }
    for name, (columns, rows) in tables.items():
        con.execute(f"create or replace table {name} ({columns})")
        if rows:
            marks = ", ".join("?" for _ in rows[0])
            con.executemany(f"insert into {name} values ({marks})", [list(r) for r in rows])
    con.execute("create or replace table ref_exit (motif varchar, category varchar)")


def _cell_text(value: object) -> str:
    """A workbook cell as CSV text the floor reads as the pipeline reads the cell itself."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # A decimal comma: the floor reads it as French text, with no `1.234` ambiguity.
        return format(value, ".15g").replace(".", ",")
    return str(value)


def convert_workbooks(
    raw_dir: Path, out_dir: Path, kinds: tuple[str, ...] = ("indicateurs", "parcours")
) -> int:
    """Each visible sheet of every workbook of raw/<kind>/ saved as `;` CSV under out_dir/<kind>/.

    Row n of the sheet is line n of the CSV (blank rows kept blank, hidden rows and columns left
    empty, as the pipeline ignores them); each file keeps its workbook's modification time, which
    gives its place in the arrival order. Returns the number of files written.
    """
    import openpyxl

    written = 0
    for kind in kinds:
        folder = raw_dir / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.xlsx")):
            if path.name.startswith((".", "~$")):
                continue
            workbook = openpyxl.load_workbook(path, read_only=False, data_only=True)
            visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
            for index, sheet in enumerate(visible, start=1):
                hidden_rows = {n for n, d in sheet.row_dimensions.items() if d.hidden}
                hidden_cols = {
                    openpyxl.utils.column_index_from_string(k)
                    for k, d in sheet.column_dimensions.items()
                    if d.hidden
                }
                width = sheet.max_column
                buffer = io.StringIO(newline="")
                writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
                for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                    cells = [
                        "" if n in hidden_rows or c in hidden_cols else _cell_text(v)
                        for c, v in enumerate(row, start=1)
                    ]
                    writer.writerow(cells + [""] * (width - len(cells)))
                suffix = ".xlsx.csv" if len(visible) == 1 else f".xlsx.{index}.csv"
                target = out_dir / kind / f"{path.stem}{suffix}"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(buffer.getvalue(), encoding="utf-8")
                stat = path.stat()
                os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
                written += 1
    return written


@dataclass
class FloorRun:
    """The floor's timing, step by step, and its connection (tables fl_*) for the comparison."""

    con: duckdb.DuckDBPyConnection
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)
    classify_seconds: float = 0.0
    exit_texts: int = 0


def run_floor(
    data_dir: Path, extra_dir: Path, today: date | None = None, threads: int | None = None
) -> FloorRun:
    """`floor.sql` over `data_dir/raw` (and the workbooks saved as CSV in `extra_dir`), in memory."""
    from pipelines.pathways.exits import load_exit_mapping

    con = duckdb.connect()
    if threads:
        con.execute(f"set threads = {int(threads)}")
    load_reference(con, data_dir / "raw", extra_dir, today or date.today())
    mapping = load_exit_mapping()
    run = FloorRun(con=con, seconds=0.0)
    started = time.perf_counter()
    for name, statement in floor_steps():
        t0 = time.perf_counter()
        con.execute(statement)
        run.steps[name] = time.perf_counter() - t0
        if name == "fl_exit_texts":
            t0 = time.perf_counter()
            texts = [r[0] for r in con.execute("select motif from fl_exit_texts").fetchall()]
            rows = [(t, mapping.classify(t).category) for t in texts]
            if rows:
                con.executemany("insert into ref_exit values (?, ?)", [list(r) for r in rows])
            run.classify_seconds = time.perf_counter() - t0
            run.exit_texts = len(texts)
    run.seconds = time.perf_counter() - started
    return run


@dataclass
class MartComparison:
    """One mart, floor against the published warehouse."""

    table: str
    floor_rows: int
    pipeline_rows: int
    only_floor: int
    only_pipeline: int
    different: int
    codes: int
    codes_equal: int

    @property
    def equal(self) -> bool:
        return (
            self.floor_rows == self.pipeline_rows
            and self.only_floor == self.only_pipeline == self.different == 0
            and self.codes == self.codes_equal
        )


def compare_floor_file(floor_db: Path, warehouse: Path) -> list[MartComparison]:
    """`compare_marts` on the marts a floor process saved to `floor_db`."""
    con = duckdb.connect(str(floor_db), read_only=True)
    try:
        return compare_marts(con, warehouse)
    finally:
        con.close()


def compare_marts(con: duckdb.DuckDBPyConnection, warehouse: Path) -> list[MartComparison]:
    """Each mart of the floor (`fl_<mart>` tables of `con`) against the published one: row counts,
    keys on one side only, rows whose compared columns differ, and the count and sum of values per
    code (numbers within `TOLERANCE`)."""
    con.execute("attach ? as published (read_only)", [str(warehouse)])
    try:
        out = []
        for table, (keys, columns) in MART_COLUMNS.items():
            on = " and ".join(f"f.{k} = p.{k}" for k in keys)
            differs = " or ".join(
                f"not (f.{c} is not distinct from p.{c} "
                f"or abs(f.{c} - p.{c}) <= {TOLERANCE} * greatest(1, abs(p.{c})))"
                if c in NUMERIC
                else f"f.{c} is distinct from p.{c}"
                for c in columns
            )
            row = con.execute(
                f"""
                select (select count(*) from fl_{table}), (select count(*) from published.{table}),
                       count(*) filter (where p.{keys[0]} is null),
                       count(*) filter (where f.{keys[0]} is null),
                       count(*) filter (where f.{keys[0]} is not null and p.{keys[0]} is not null
                                        and ({differs}))
                from fl_{table} f full outer join published.{table} p on {on}
                """
            ).fetchall()[0]
            codes = con.execute(
                f"""
                with f as (select code, sum(valeur) s, count(*) n from fl_{table} group by code),
                     p as (select code, sum(valeur) s, count(*) n from published.{table} group by code)
                select count(*), count(*) filter (where f.n = p.n
                       and abs(f.s - p.s) <= {TOLERANCE} * greatest(1, abs(p.s)))
                from f full outer join p using (code)
                """
            ).fetchall()[0]
            out.append(MartComparison(table, *row, *codes))
        return out
    finally:
        con.execute("detach published")


FLOOR_MARTS = ("fl_mart_pole_year", "fl_mart_network_year", "fl_pathway_indicators")


def floor_summary(run: FloorRun, con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the bench reports of a floor run (JSON-ready)."""
    counts = {
        t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
        for t in ("fl_files", "fl_ind_values", "fl_stays", "fl_pathways", *FLOOR_MARTS)
    }
    return {
        "seconds": run.seconds,
        "classify_seconds": run.classify_seconds,
        "exit_texts": run.exit_texts,
        "steps": run.steps,
        "rows": counts,
    }


def main(argv: list[str] | None = None) -> int:
    """`python -m benchmarks.floor DATA_DIR EXTRA_DIR OUT_DB OUT_JSON`: the floor in a process of its
    own (so that its peak memory is measured apart); its marts are saved to OUT_DB afterwards,
    outside the timed part, for the comparison."""
    import json
    import sys

    args = argv if argv is not None else sys.argv[1:]
    data_dir, extra_dir, out_db, out_json = (Path(a) for a in args)
    run = run_floor(data_dir, extra_dir)
    summary = floor_summary(run, run.con)
    out_db.unlink(missing_ok=True)
    run.con.execute("attach ? as out", [str(out_db)])
    for table in FLOOR_MARTS:
        run.con.execute(f"create table out.{table} as select * from {table}")
    run.con.execute("detach out")
    out_json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Compare two published warehouses (curated/ptce.duckdb): same tables, same columns, same rows.

Usage: python scripts/compare_warehouses.py A.duckdb B.duckdb
Columns that change on every build (run ids, timestamps of the build, publication date, Data Docs
paths) are left out of the row comparison; rows are compared as multisets (order ignored).
Exit code 0 when identical, 1 when they differ.
"""

from __future__ import annotations

import sys

import duckdb

# Columns whose values depend on the build, not on the data.
VOLATILE = {"run_id", "published_at", "built_at", "data_docs", "data_docs_path", "duree_s"}


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns"
        " where table_schema = 'main' order by table_name, ordinal_position"
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def compare(path_a: str, path_b: str) -> list[str]:
    """Differences between the two warehouses, one line each (empty when identical)."""
    con = duckdb.connect()
    con.execute(f"attach '{path_a}' as a (read_only)")
    con.execute(f"attach '{path_b}' as b (read_only)")
    a = _tables(duckdb.connect(path_a, read_only=True))
    b = _tables(duckdb.connect(path_b, read_only=True))
    diffs = [f"table only in A: {t}" for t in sorted(a.keys() - b.keys())]
    diffs += [f"table only in B: {t}" for t in sorted(b.keys() - a.keys())]
    for table in sorted(a.keys() & b.keys()):
        if a[table] != b[table]:
            diffs.append(f"{table}: columns differ: A={a[table]} B={b[table]}")
            continue
        cols = ", ".join(f'"{c}"' for c in a[table] if c not in VOLATILE and "path" not in c)
        if not cols:
            continue
        n_a, n_b = (con.execute(f'select count(*) from {db}."{table}"').fetchone()[0] for db in "ab")
        only_a, only_b = (
            con.execute(
                f'select count(*) from (select {cols} from {x}."{table}"'
                f' except all select {cols} from {y}."{table}")'
            ).fetchone()[0]
            for x, y in (("a", "b"), ("b", "a"))
        )
        status = "identical" if n_a == n_b and only_a == only_b == 0 else "DIFFERENT"
        line = f"{table}: {n_a} / {n_b} rows, {only_a} only in A, {only_b} only in B — {status}"
        print(line)
        if status != "identical":
            diffs.append(line)
    return diffs


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    diffs = compare(*argv)
    for line in diffs:
        print(line)
    print("IDENTICAL" if not diffs else f"{len(diffs)} difference(s)")
    return 0 if not diffs else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

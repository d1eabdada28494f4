"""On-demand benchmark: time of the pipeline on the demo data, and parser throughput on a big file.

    uv run python scripts/benchmark.py [--repeat 3] [--rows 200000]

Prints medians; nothing here runs in CI (speed targets are measured, not asserted in unit tests).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from pipelines.indicators.parser import IndicatorFileParser
from pipelines.runner import run_pipeline
from pipelines.shared.sample import write_sample
from ptce.reference import load_catalog, load_poles


def bench_pipeline(repeat: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        write_sample(data_dir)
        for _ in range(repeat):
            started = time.perf_counter()
            outcome = run_pipeline(data_dir)
            times.append(time.perf_counter() - started)
            assert outcome.published
    return times


def write_big_file(path: Path, rows: int, conflicts: bool) -> None:
    """A CP1252 long-form file; unique keys, or (conflicts=True) the same keys over and over."""
    codes = load_catalog().codes
    poles = [p.nom_court for p in load_poles()]
    keys = [
        (pole, year, q, code)
        for year in range(2010, 2027)
        for q in range(1, 5)
        for pole in poles
        for code in codes
    ]
    if not conflicts and rows > len(keys):
        raise SystemExit(f"at most {len(keys)} unique rows")
    with path.open("w", encoding="cp1252", newline="") as fh:
        fh.write("Pôle;Période;Indicateur;Valeur\r\n")
        for i in range(rows):
            pole, year, q, code = keys[i % (len(keys) if not conflicts else 500)]
            fh.write(f"{pole};T{q} {year};{code};{i % 997}\r\n")


def bench_parser(rows: int, conflicts: bool = False) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gros_fichier.csv"
        write_big_file(path, rows, conflicts)
        started = time.perf_counter()
        result = IndicatorFileParser().parse(path, "raw/indicateurs/gros_fichier.csv")
        elapsed = time.perf_counter() - started
        # Memory in a second pass: tracemalloc slows Python down several times.
        tracemalloc.start()
        IndicatorFileParser().parse(path, "raw/indicateurs/gros_fichier.csv")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    return elapsed, peak / 2**20, result.rows_read


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=24_000)
    args = parser.parse_args()
    times = bench_pipeline(args.repeat)
    print(f"pipeline on demo data: median {statistics.median(times):.2f} s over {len(times)} runs {times}")
    for conflicts in (False, True):
        elapsed, peak_mib, n = bench_parser(args.rows, conflicts)
        kind = "all in conflict" if conflicts else "unique keys"
        print(
            f"parser, {kind}: {n} rows in {elapsed:.2f} s ({n / elapsed:,.0f} rows/s), "
            f"peak Python memory {peak_mib:.0f} MiB"
        )


if __name__ == "__main__":
    main()

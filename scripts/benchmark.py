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

from pipelines.ingest.indicators import IndicatorFileParser
from pipelines.runner import run_pipeline
from pipelines.sample import write_sample
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


def bench_parser(rows: int) -> tuple[float, float, int]:
    codes = load_catalog().codes
    poles = [p.nom_court for p in load_poles()]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gros_fichier.csv"
        with path.open("w", encoding="cp1252", newline="") as fh:
            fh.write("Pôle;Période;Indicateur;Valeur\r\n")
            for i in range(rows):
                year = 2010 + (i // (len(codes) * len(poles) * 4)) % 16
                fh.write(f"{poles[i % 12]};T{i % 4 + 1} {year};{codes[(i // 12) % len(codes)]};{i % 997}\r\n")
        tracemalloc.start()
        started = time.perf_counter()
        result = IndicatorFileParser().parse(path, "raw/indicateurs/gros_fichier.csv")
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return elapsed, peak / 2**20, result.rows_read


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    times = bench_pipeline(args.repeat)
    print(f"pipeline on demo data: median {statistics.median(times):.2f} s over {len(times)} runs {times}")
    elapsed, peak_mib, n = bench_parser(args.rows)
    rate = n / elapsed
    print(f"parser: {n} rows in {elapsed:.2f} s ({rate:,.0f} rows/s), peak Python memory {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()

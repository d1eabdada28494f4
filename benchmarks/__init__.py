"""`ptce bench`: the measured cost of the product against bare DuckDB (issue #16), written to BENCHMARKS.md.

A top-level package beside `pipelines/`, `dashboards/` and `reports/` because it uses all of them
(the run, the pages, the report) and none of them may import it; only `pipelines/cli.py` does, lazily,
for the `ptce bench` command (tests/test_architecture.py holds both rules).
"""

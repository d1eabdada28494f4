"""Dagster definitions: data quality (completeness, Great Expectations suites)."""

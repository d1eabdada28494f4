"""Dagster definitions of the pipeline, one module per layer; `pipelines.definitions` loads them all."""

"""Dagster definitions: marts layer."""

"""Dagster definitions: indicators layer."""

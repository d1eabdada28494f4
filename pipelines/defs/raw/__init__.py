"""Dagster definitions: raw layer."""

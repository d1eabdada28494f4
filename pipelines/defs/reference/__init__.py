"""Dagster definitions: reference layer."""

"""Dagster definitions: publication layer."""

"""Domain « parcours »: person-level pathways (one row per person and stay in a member structure),
their exit reasons read into the IAE exit categories, their tables, Dagster assets and demo files.
"""

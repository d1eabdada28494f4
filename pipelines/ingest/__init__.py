"""Ingestion of the raw files the poles send: readers, value parsers and per-kind file parsers.

Every parser returns a `FileResult` (loaded records, quarantined rows with French reasons, one log
entry) and raises nothing but `IngestionError`, which the caller turns into an `error` log row.
"""

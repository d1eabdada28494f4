"""What every domain shares: file readers and value parsing, the ledger of rows read, loaded and
quarantined, the raw-file inventory and arrival register, the build store and its publication, the
build lock, Great Expectations running and Data Docs, and the Dagster assets that collect the domains'
tables (ingest log, quarantine, completeness, checks, publication), the job and the sensor.
"""

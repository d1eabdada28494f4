"""Person-level pathways: stays in member structures, pseudonymised at ingestion, grouped and counted."""

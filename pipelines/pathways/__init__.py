"""The pathways domain: person-level pathways, pseudonymised at ingestion, their steps and indicators."""

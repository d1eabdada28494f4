"""Person-level pathways: stays in member structures, pseudonymised, grouped and counted."""

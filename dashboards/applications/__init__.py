"""Page « Candidatures »: page.py (the page), tables.py (answers, search, tags), charts.py (its chart)."""

"""Page « Vue d'ensemble »: page.py (the page), tables.py (its texts and tables), charts.py (its charts)."""

"""Page « Fiche pôle »: page.py (the page), tables.py (its texts and tables), charts.py (its chart)."""

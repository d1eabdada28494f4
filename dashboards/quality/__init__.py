"""Page « Qualité des données »: page.py (the page), tables.py (its tables), charts.py (its chart)."""

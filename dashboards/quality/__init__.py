"""Page « Qualité des données »: page.py (the page), tables.py (its tables), charts.py (its chart).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Qualité des données"
ICON = ":material/fact_check:"
URL_PATH = "qualite"
ORDER = 30  # position in the navigation; the lowest is the default page
# Roles whose navigation lists the page (SPEC §5); the reads filter the data whatever the page.
ROLES = frozenset({"staff"})  # staff only: the quarantine quotes the files' values

"""Page « Parcours »: page.py (the page), tables.py (its texts and tables), charts.py (its charts).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Parcours"
ICON = ":material/route:"
URL_PATH = "parcours"
ORDER = 25  # position in the navigation: after the pole page, before data quality
# Roles whose navigation lists the page (SPEC §5); the reads filter the data whatever the page.
ROLES = frozenset({"staff", "pole"})  # person-level: staff, and a pole (its own pathways, the network)

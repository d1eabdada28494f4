"""Page « Emploi mutualisé »: page.py (the page), tables.py (what it shows), charts.py (its charts).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Emploi mutualisé"
ICON = ":material/handshake:"
URL_PATH = "emploi-mutualise"
ORDER = 24  # position in the navigation; the lowest is the default page
# Roles whose navigation lists the page (SPEC §5); the reads filter the data whatever the page.
ROLES = frozenset({"staff", "funder", "pole"})  # every role: the poles' values with small cells applied

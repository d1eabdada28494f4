"""Page « Candidatures »: page.py (the page), tables.py (answers, search, tags), charts.py (its chart).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Candidatures"
ICON = ":material/description:"
URL_PATH = "candidatures"
ORDER = 40  # position in the navigation; the lowest is the default page
# Roles whose navigation lists the page (SPEC §5); the reads filter the data whatever the page.
ROLES = frozenset({"staff"})  # staff only: the poles' own answers

"""Page « Vue d'ensemble »: page.py (the page), tables.py (its texts and tables), charts.py (its charts).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Vue d'ensemble"
ICON = ":material/dashboard:"
URL_PATH = None  # the default page, served at "/"
ORDER = 10  # position in the navigation; the lowest is the default page
# Roles whose navigation lists the page (SPEC §5); the reads filter the data whatever the page.
ROLES = frozenset({"staff", "funder", "pole"})  # network figures, counts of persons masked for all but staff

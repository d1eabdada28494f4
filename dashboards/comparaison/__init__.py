"""Page « Comparer les pôles »: page.py (widgets), tables.py (texts and tables), charts.py (figures).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Comparer les pôles"
ICON = ":material/leaderboard:"
URL_PATH = "comparer"
ORDER = 15  # position in the navigation; the lowest is the default page
# Every role: the read layer masks the other poles' small counts of persons for funder and poles.
ROLES = frozenset({"staff", "funder", "pole"})

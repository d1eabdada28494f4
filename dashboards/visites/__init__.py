"""Page « Visites et capitalisation »: page.py (the page), tables.py (its texts and tables), charts.py
(its charts).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Visites et capitalisation"
ICON = ":material/diversity_3:"
URL_PATH = "visites"
ORDER = 28  # position in the navigation: after the working-angle pages, before data quality
# Roles whose navigation lists the page (SPEC §5); the reads filter the data whatever the page.
ROLES = frozenset({"staff", "funder", "pole"})  # every role: participants masked for all but staff

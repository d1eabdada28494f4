"""Page « Fiche pôle »: page.py (the page), tables.py (its texts and tables), charts.py (its chart).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Fiche pôle"
ICON = ":material/location_city:"
URL_PATH = "pole"
ORDER = 20  # position in the navigation; the lowest is the default page
# Roles whose navigation lists the page (SPEC §5); the reads filter the data whatever the page.
ROLES = frozenset({"staff", "funder", "pole"})  # a pole reads its own as it is, the others' masked

"""Page « Rapports »: page.py (build and download the yearly report), tables.py (its texts and table).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Rapports"
ICON = ":material/picture_as_pdf:"
URL_PATH = "rapports"
ORDER = 35  # position in the navigation: after data quality, before the applications
# The report is the funder's (counts of persons masked in it whoever builds it): staff and funder.
ROLES = frozenset({"staff", "funder"})

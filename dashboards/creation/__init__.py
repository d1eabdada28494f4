"""Page « Création d'activités »: page.py (the page), tables.py (what it shows), charts.py (its funnel).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Création d'activités"
ICON = ":material/rocket_launch:"
URL_PATH = "creation-activites"
ORDER = 25  # position in the navigation; the lowest is the default page

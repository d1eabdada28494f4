"""Page « Vue d'ensemble »: page.py (the page), tables.py (its texts and tables), charts.py (its charts).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Vue d'ensemble"
ICON = ":material/dashboard:"
URL_PATH = None  # the default page, served at "/"
ORDER = 10  # position in the navigation; the lowest is the default page

"""Page « Déposer des fichiers »: page.py (upload, check, confirm), tables.py (texts, tables), templates.py.

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Déposer des fichiers"
ICON = ":material/upload_file:"
URL_PATH = "deposer"
ORDER = 45  # last, after the applications: the pages that send data in
# Staff deposit for any pole; a pole for itself only (the page refuses a file about another pole).
ROLES = frozenset({"staff", "pole"})

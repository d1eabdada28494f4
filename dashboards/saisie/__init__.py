"""Page « Saisir des chiffres »: page.py (the entry table, its check, saving), tables.py (texts, tables).

The constants below put the page in the app's navigation (`dashboards/app.py` finds every page folder).
"""

TITLE = "Saisir des chiffres"
ICON = ":material/edit_note:"
URL_PATH = "saisir"
ORDER = 46  # just after « Déposer des fichiers »
# Staff type figures for any pole; a pole for itself only (its own pole, fixed on the page).
ROLES = frozenset({"staff", "pole"})

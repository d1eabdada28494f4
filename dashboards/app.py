"""Entry point of the dashboards (`streamlit run dashboards/app.py`, or `ptce dashboard`).

A router only: page setup, the banners every page needs (demo data, nothing published yet,
publication date in the sidebar), then `st.navigation` runs the chosen page from `views/`.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb
import streamlit as st

# The project is installed in the environment (`uv sync`), so `dashboards` and `ptce` import from
# anywhere, whatever folder `streamlit run` puts on sys.path.
from dashboards.shared import access, display, printing, reads
from ptce.read.base import Role

PAGES = Path(__file__).resolve().parent
# The tab's icon is a file of ours: without one, Streamlit shows the page's Material icon fetched
# from an external font server, and nothing the app serves may leave the machine (SPEC §5).
FAVICON = Path(__file__).resolve().parent / "static" / "favicon.svg"
STAFF_ONLY = frozenset({"staff"})


def navigation_pages(role: Role) -> list[st.Page]:
    """The page folders of `dashboards/` (one with a page.py) that `role` may open, in the order
    their packages declare.

    A new page is a new folder with `__init__.py` (TITLE, ICON, URL_PATH, ORDER, ROLES) and
    `page.py`: no edit here. A page without ROLES is for staff only, so that a page cannot reach
    the funder or the poles by accident. The lowest ORDER is the default page, served at "/" (it
    has no address of its own). A page missing from the navigation cannot be opened by its
    address either: Streamlit then runs the default page. The reads filter the data by role
    whatever the page (SPEC §5); this list only spares a role pages with nothing for it.
    """
    found = []
    for folder in sorted(p for p in PAGES.iterdir() if (p / "page.py").exists()):
        meta = importlib.import_module(f"dashboards.{folder.name}")
        if role not in getattr(meta, "ROLES", STAFF_ONLY):
            continue
        found.append((meta.ORDER, folder, meta))
    found.sort(key=lambda item: item[0])
    return [
        st.Page(
            folder / "page.py",
            title=meta.TITLE,
            icon=meta.ICON,
            **({"default": True} if i == 0 else {"url_path": meta.URL_PATH}),
        )
        for i, (_, folder, meta) in enumerate(found)
    ]


# Toolbar mode "minimal" with no menu items: no main menu at all, so none of Streamlit's own entries
# ("Record screen", "Made with Streamlit", developer options) reach staff, the funder or the poles.
st.set_page_config(page_title="Observatoire PTCE", page_icon=str(FAVICON), layout="wide")
# Printing (Ctrl+P): no sidebar on paper, every tab's content, charts fitted to the sheet.
printing.inject_print_support()

wh = reads.current_warehouse()
if wh is None:
    st.title("Observatoire PTCE")
    st.info(
        "Aucun entrepôt de données n'est encore publié. Lancez le traitement des fichiers reçus "
        "avec `ptce run` (ou `ptce sample` puis `ptce run` pour des données de démonstration), "
        "puis rechargez cette page.",
        icon=":material/info:",
    )
    st.stop()

try:
    publication = reads.publication(wh)
except duckdb.Error:
    # A warehouse from an older contract, or damaged: say so in French rather than a traceback.
    st.title("Observatoire PTCE")
    st.error(
        "L'entrepôt de données publié ne peut pas être lu. Relancez `ptce run` pour le "
        "reconstruire à partir des fichiers reçus.",
        icon=":material/error:",
    )
    st.stop()

# Who is looking: the login (or the demo role chooser); nothing below runs for someone not let in.
access.require_viewer()

if not publication.empty:
    record = publication.iloc[0]
    if bool(record["donnees_demo"]):
        st.warning(
            "Données fictives de démonstration — ces chiffres, produits par `ptce sample`, ne "
            "décrivent aucun pôle réel.",
            icon=":material/science:",
        )
    st.sidebar.caption(display.publication_caption(record["published_at"], record["catalogue_version"]))

# expanded: every page listed. Folded, Streamlit shows ten and an English « View N more » button.
st.navigation(navigation_pages(access.current_viewer().role), expanded=True).run()

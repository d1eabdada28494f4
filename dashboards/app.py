"""Entry point of the dashboards (`streamlit run dashboards/app.py`, or `ptce dashboard`).

A router only: page setup, the banners every page needs (demo data, nothing published yet,
publication date in the sidebar), then `st.navigation` runs the chosen page from `views/`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import streamlit as st

# The project is installed in the environment (`uv sync`), so `dashboards` and `ptce` import from
# anywhere, whatever folder `streamlit run` puts on sys.path.
from dashboards.shared import display, reads

PAGES = Path(__file__).resolve().parent
# The tab's icon is a file of ours: without one, Streamlit shows the page's Material icon fetched
# from an external font server, and nothing the app serves may leave the machine (SPEC §5).
FAVICON = Path(__file__).resolve().parent / "static" / "favicon.svg"

st.set_page_config(page_title="Observatoire PTCE", page_icon=str(FAVICON), layout="wide")

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

if not publication.empty:
    record = publication.iloc[0]
    if bool(record["donnees_demo"]):
        st.warning(
            "Données fictives de démonstration — ces chiffres, produits par `ptce sample`, ne "
            "décrivent aucun pôle réel.",
            icon=":material/science:",
        )
    st.sidebar.caption(display.publication_caption(record["published_at"], record["catalogue_version"]))

pages = [
    st.Page(
        PAGES / "overview" / "page.py",
        title="Vue d'ensemble",
        icon=":material/dashboard:",
        default=True,  # served at "/": a default page has no address of its own
    ),
    st.Page(PAGES / "pole" / "page.py", title="Fiche pôle", icon=":material/location_city:", url_path="pole"),
    st.Page(
        PAGES / "quality" / "page.py",
        title="Qualité des données",
        icon=":material/fact_check:",
        url_path="qualite",
    ),
    st.Page(
        PAGES / "applications" / "page.py",
        title="Candidatures",
        icon=":material/description:",
        url_path="candidatures",
    ),
]
st.navigation(pages).run()

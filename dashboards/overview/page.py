"""Vue d'ensemble: the network's key figures for a year, map and table of poles, trends by domain.

A pole chosen on the map (a click on its marker) or in the selector beside it opens its page.
"""

from __future__ import annotations

import streamlit as st

from dashboards.overview import charts, tables
from dashboards.shared import display, links, printing, reads, widgets
from ptce.reference import load_catalog

wh = reads.current_warehouse()
if wh is None:  # app.py stops before this; the guard keeps the page runnable on its own
    st.stop()

st.title("Vue d'ensemble du réseau")
printing.version_switch()

available_years = reads.years(wh)
if not available_years:
    st.info("Aucune valeur d'indicateur n'a encore été publiée.")
    st.stop()

year = st.selectbox("Année", available_years, index=0, key="annee")

poles = reads.poles(wh)

# --- Key figures -----------------------------------------------------------------------------
st.subheader(f"Chiffres clés {year}")
figures = reads.key_figures(wh, year)
# Three per row: six side by side cut the French labels short.
per_row = 4
rows = [st.columns(per_row) for _ in range(-(-len(figures) // per_row))]
columns = [column for row_columns in rows for column in row_columns]
for column, row in zip(columns, figures.itertuples(index=False), strict=False):
    column.metric(
        tables.key_figure_label(row.code, row.libelle),
        display.value_text(row.valeur, row.unite),
        delta=tables.metric_delta(row.valeur, row.valeur_precedente, row.unite),
        delta_color=tables.delta_color(row.sens),
        help=tables.metric_help(
            row.libelle, row.nb_poles, len(poles), year, year - 1 in available_years, row.iris
        ),
        border=True,
    )
st.caption("Somme des pôles ayant transmis la valeur ; les taux sont des rapports de sommes.")

# --- Map and poles ---------------------------------------------------------------------------
st.subheader(f"Les pôles en {year}")
year_table = reads.poles_year_table(wh, year)
key_figures = {k.code: k.libelle_court for k in load_catalog().key_figures}
map_column, side_column = printing.columns([3, 2])
with side_column:
    code = st.selectbox(
        "Chiffre affiché sur la carte",
        list(key_figures),
        format_func=key_figures.__getitem__,
        key="chiffre_carte",
    )
    st.caption(tables.map_caption(year))
    chosen = st.selectbox(
        "Ouvrir la fiche d'un pôle",
        year_table["pole_id"].tolist(),
        index=None,
        placeholder="Choisir un pôle",
        format_func=tables.pole_names(year_table).__getitem__,
        key="ouvrir_fiche",
    )
    if chosen is not None:
        links.open_pole(chosen)
with map_column:
    clicked = st.plotly_chart(
        charts.france_map_figure(
            year_table, code, f"{key_figures[code]} en {year}", load_catalog().unit(code)
        ),
        width="stretch",
        config={"displayModeBar": False},
        key="carte_poles",
        on_select="rerun",
        selection_mode="points",
    )
    picked = tables.clicked_pole(clicked.selection.points)
    if picked is not None:
        links.open_pole(picked)
# Full width: twelve poles beside eight key figures, the columns users sort on. The region is in
# the download and can be shown from the table's toolbar; on screen the department says enough.
widgets.show_table(
    tables.poles_table(year_table),
    key="poles_annee",
    file_name=f"poles_{year}.csv",
    column_config={
        "Fiche": st.column_config.LinkColumn(
            "Fiche", display_text="Ouvrir", help="Ouvre la fiche du pôle dans un nouvel onglet"
        ),
        "Région": None,
    },
)
if year_table["masques"].map(len).any():
    st.caption(display.masked_values_note())

# --- Trends by domain ------------------------------------------------------------------------
st.subheader("Évolution par domaine")
trends = reads.network_trends(wh)
domains = trends[["domaine", "domaine_libelle"]].drop_duplicates()
tabs = printing.tabs(domains["domaine_libelle"].tolist(), key="tendances")
for tab, domain in zip(tabs, domains["domaine"], strict=True):
    with tab:
        domain_trends = trends[trends["domaine"] == domain]
        st.plotly_chart(
            charts.network_domain_figure(domain_trends),
            width="stretch",
            key=f"tendances_{domain}",
        )
st.caption(
    "Valeurs du réseau par année : somme des pôles (moyenne pour les indicateurs oui/non, "
    "soit la part des pôles) ; taux calculés comme rapport de sommes."
)

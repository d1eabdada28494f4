"""Vue d'ensemble: the network's key figures for a year, trends by domain, map and table of poles."""

from __future__ import annotations

import streamlit as st

from dashboards.overview import charts, tables
from dashboards.shared import display, printing, reads, widgets

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
map_column, table_column = printing.columns([2, 3])
with map_column:
    st.subheader("Les douze pôles")
    st.plotly_chart(charts.france_map_figure(poles), width="stretch", config={"displayModeBar": False})
with table_column:
    st.subheader(f"Les pôles en {year}")
    widgets.show_table(
        tables.poles_table(reads.poles_year_table(wh, year)),
        key="poles_annee",
        file_name=f"poles_{year}.csv",
        column_config={
            "Fiche": st.column_config.LinkColumn("Fiche", display_text="Ouvrir"),
        },
    )

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

"""Création d'activités: the funnel from project holders to jobs created, for the network and a pole."""

from __future__ import annotations

import streamlit as st

from dashboards.creation import charts, tables
from dashboards.shared import angle, printing

data = angle.start(tables.ANGLE)
angle.key_figures(data)

st.subheader(f"Du porteur de projet à l'emploi en {data.year}")
network_column, pole_column = printing.columns([1, 1])
with network_column:
    stages = tables.network_stages(data.network, data.year)
    st.plotly_chart(
        charts.funnel_figure(stages, f"Réseau (total des pôles) en {data.year}"),
        width="stretch",
        key="entonnoir_reseau",
    )
with pole_column:
    names = tables.pole_names(data.by_pole)
    pole_id = st.selectbox("Pôle", list(names), format_func=names.__getitem__, key="entonnoir_pole")
    pole_stages = tables.pole_stages(data.by_pole, pole_id)
    st.plotly_chart(
        charts.funnel_figure(pole_stages, f"{names[pole_id]} en {data.year}", network=False),
        width="stretch",
        key="entonnoir_pole_figure",
    )
    angle.small_cells_note(bool(pole_stages["masque"].notna().any()))
st.caption(
    "Chaque étape compte une chose différente (personnes, activités, emplois) : l'entonnoir montre "
    "les étapes d'une même année, chacune avec son unité."
)

angle.poles_section(data)
angle.trend_section(data)

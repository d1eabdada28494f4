"""The page of a working angle (emploi mutualisé, création d'activités, qualité de l'emploi), in sections.

Each angle page is a few lines: `start` (title, year), `key_figures`, its own sections if any, then
`poles_section` (the poles compared for the year) and `trend_section` (the network over the years).
Widgets only: the data come from `reads` (small cells applied by `ptce.read.angles`), the texts and
tables from `angle_tables`, the charts from `angle_charts`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboards.shared import angle_charts, angle_tables, printing, reads, widgets
from dashboards.shared.angle_tables import Angle
from ptce.read.base import Warehouse
from ptce.small_cells import note

PER_ROW = 3  # key figures side by side: more would cut the French labels short


@dataclass(frozen=True)
class AngleData:
    """What the sections of an angle page share: the warehouse, the year and the angle's frames."""

    angle: Angle
    wh: Warehouse
    year: int
    indicators: pd.DataFrame
    by_pole: pd.DataFrame  # the chosen year, small cells applied
    network: pd.DataFrame  # every year

    @property
    def denominators(self) -> dict[str, str]:
        """A share's reference population by code (« Salariés des structures membres »)."""
        shares = self.indicators[self.indicators["derive"]]
        return dict(zip(shares["code"], shares["denominateur_libelle"].fillna("effectif"), strict=True))


def start(angle: Angle) -> AngleData:
    """The page's title, introduction and year selector; stops the page when nothing is published."""
    wh = reads.current_warehouse()
    if wh is None:  # app.py stops before this; the guard keeps the page runnable on its own
        st.stop()
    st.title(angle.title)
    printing.version_switch()
    st.caption(angle.intro)
    years = reads.years(wh)
    if not years:
        st.info("Aucune valeur d'indicateur n'a encore été publiée.")
        st.stop()
    year = st.selectbox("Année", years, index=0, key="annee")
    indicators = reads.angle_indicators(wh, angle.domain, angle.extra)
    by_pole = reads.angle_poles(wh, angle.domain, year, angle.extra)
    network = reads.angle_network(wh, angle.domain, angle.extra)
    return AngleData(angle, wh, year, indicators, by_pole, network)


def small_cells_note(masked: bool) -> None:
    """The small-cell footnote, under a table or chart where something is masked."""
    if masked:
        st.caption(note())


def key_figures(data: AngleData) -> None:
    """The network figure of each indicator for the year, its unit and its sample size below."""
    st.subheader(f"Le réseau en {data.year}")
    figures = angle_tables.year_figures(data.network, data.year)
    if figures.empty:
        st.info(f"Aucune valeur de cet angle n'a été transmise pour {data.year}.")
        return
    rows = [st.columns(PER_ROW) for _ in range(-(-len(figures) // PER_ROW))]
    cells = [cell for row in rows for cell in row]
    for cell, (_, row) in zip(cells, figures.iterrows(), strict=False):
        with cell.container(border=True):
            label = angle_tables.network_label(str(row["libelle"]), str(row["unite"]))
            definition = data.indicators.set_index("code").at[row["code"], "definition"]
            st.metric(
                label,
                angle_tables.network_value_text(row),
                # The whole label too: three cards side by side cut a long one short.
                help=f"{label} : {definition}",
            )
            st.caption(angle_tables.sample_text(row, data.denominators.get(str(row["code"]))))
    small_cells_note(bool((figures["valeur"].isna() & figures["personnes"]).any()))


def poles_section(data: AngleData) -> None:
    """The poles compared for the year: one indicator as bars (chosen), all of them in a table."""
    st.subheader(f"Comparaison des pôles en {data.year}")
    labels = dict(zip(data.indicators["code"], data.indicators["libelle"], strict=True))
    code = st.selectbox(
        "Indicateur comparé",
        list(labels),
        format_func=labels.__getitem__,
        key=f"{data.angle.slug}_indicateur",
    )
    rows = data.by_pole[data.by_pole["code"] == code]
    # At scale the chart keeps the highest values and the viewer's own pole (`poles_figure`).
    viewer_pole = reads.current_viewer().pole_id
    st.plotly_chart(
        angle_charts.poles_figure(rows, data.year, viewer_pole),
        width="stretch",
        key=f"{data.angle.slug}_poles",
    )
    small_cells_note(bool(rows["masque"].notna().any()))
    widgets.show_table(
        angle_tables.poles_table(data.by_pole, data.denominators),
        key=f"{data.angle.slug}_poles_{data.year}",
        file_name=f"{data.angle.slug}_poles_{data.year}.csv",
    )
    small_cells_note(bool(data.by_pole["masque"].notna().any()))


def trend_section(data: AngleData) -> None:
    """The network over the years, as the catalogue aggregates each indicator, with its sample size."""
    st.subheader("Évolution du réseau")
    if data.network.empty:
        st.info("Aucune valeur de réseau n'est encore publiée pour cet angle.")
        return
    st.plotly_chart(
        angle_charts.network_figure(data.network), width="stretch", key=f"{data.angle.slug}_evolution"
    )
    st.caption(
        "Chaque année : total des pôles pour un nombre, part des pôles répondant oui pour un "
        "indicateur oui/non, rapport des sommes pour une part (médiane des pôles en pointillé)."
    )
    widgets.show_table(
        angle_tables.network_table(data.network, data.denominators),
        key=f"{data.angle.slug}_reseau",
        file_name=f"{data.angle.slug}_reseau.csv",
    )
    small_cells_note(bool((data.network["valeur"].isna() & data.network["personnes"]).any()))

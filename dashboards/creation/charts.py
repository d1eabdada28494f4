"""Création d'activités chart: the funnel from project holders accompanied to jobs created."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.shared.angle_tables import masked_cell
from dashboards.shared.display import value_with_unit
from dashboards.shared.plotting import NETWORK_COLOR, POLE_COLOR, base_layout, plain_text, wrap_title


def funnel_figure(stages: pd.DataFrame, title: str, network: bool = True) -> go.Figure:
    """The stages (rows of `tables.network_stages` or `tables.pole_stages`) as a funnel, in order.

    Each stage is written with its unit (« 237 personnes », « 55 » activities, « 76 emplois »): the
    stages count different things, so the width compares the steps of one year, not units. A
    masked stage (small cells) has no bar and says « < 5 » or « s ».
    """
    texts = [
        masked_cell(v, m, str(u)) if isinstance(m, str) else value_with_unit(v, str(u))
        for v, m, u in zip(stages["valeur"], stages["masque"], stages["unite"], strict=True)
    ]
    # A masked stage has no bar to write on: its label says it.
    labels = [
        wrap_title(plain_text(label), 28) + (f"<br>({m})" if isinstance(m, str) else "")
        for label, m in zip(stages["libelle"], stages["masque"], strict=True)
    ]
    fig = go.Figure(
        go.Funnel(
            y=labels,
            x=[None if pd.isna(v) else float(v) for v in stages["valeur"]],
            text=texts,
            textinfo="text",
            textposition="inside",
            hovertemplate="%{y} : %{text}<extra></extra>",
            marker={"color": NETWORK_COLOR if network else POLE_COLOR},
            connector={"line": {"color": "#c8ced6", "width": 1}},
            meta={"codes": list(stages["code"])},
        )
    )
    return base_layout(
        fig,
        title={"text": wrap_title(plain_text(title), 60), "font": {"size": 14}},
        height=340,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )

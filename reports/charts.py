"""Charts of the report of a national network: how the poles spread, instead of one bar per pole.

Pure functions data -> Plotly figure, in the dashboards' style (`dashboards.shared.plotting`). Past
`reports.national.DETAIL_POLE_LIMIT` poles, a bar per pole no longer fits a page nor reads: these
histograms count the poles by range of value. They take the values a funder may read (small cells
already applied by the reads: a masked value is not there), so no masked value is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboards.shared.plotting import (
    MEDIAN_COLOR,
    NETWORK_COLOR,
    POLE_COLOR,
    axis_unit,
    base_layout,
)
from ptce.read.pathways import ADJUSTED_VERDICT_LABELS

# About one bin per 2 % of the range: fine enough to see the shape, coarse enough to read.
BINS = 40
POLES_AXIS = {"title": {"text": "pôles", "font": {"size": 11}}, "tickformat": ",d", "rangemode": "tozero"}
VERDICT_COLORS = {"au-dessus": "#2e7d32", "conforme": "#9db5d3", "en dessous": "#c62828"}


def _bins(values: Sequence[float]) -> dict[str, float]:
    # Shared by every trace of a figure, so that stacked bars line up.
    low, high = float(min(values)), float(max(values))
    size = (high - low) / BINS if high > low else 1.0
    return {"start": low, "end": high + size, "size": size}


def _value_axis(unite: str) -> dict[str, object]:
    title = {"text": axis_unit(unite), "font": {"size": 11}, "standoff": 4}
    if unite == "%":
        return {"ticksuffix": " %", "tickformat": ",~r", "title": title}
    return {"tickformat": ",~r", "title": title}


def distribution_figure(
    values: Sequence[float], unite: str, *, reference: float | None = None, reference_name: str = "Réseau"
) -> go.Figure:
    """How many poles have each range of value: one histogram, `values` in the unit drawn (a rate
    in percent), with the network figure (`reference`) as a dashed line when given."""
    shown = [float(v) for v in values if v is not None and not pd.isna(v)]
    fig = go.Figure()
    if shown:
        fig.add_trace(
            go.Histogram(
                x=shown,
                xbins=_bins(shown),
                marker={"color": POLE_COLOR, "line": {"color": "white", "width": 0.5}},
                hovertemplate="%{x} : %{y} pôles<extra></extra>",
                showlegend=False,
            )
        )
    if reference is not None and not pd.isna(reference):
        fig.add_vline(
            x=float(reference),
            line={"color": NETWORK_COLOR, "dash": "dash", "width": 2},
            annotation={"text": reference_name, "font": {"color": NETWORK_COLOR}},
            annotation_position="top right",
        )
    return base_layout(
        fig,
        xaxis=_value_axis(unite),
        yaxis=POLES_AXIS,
        bargap=0.05,
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )


def gaps_figure(adjusted: pd.DataFrame) -> go.Figure:
    """The poles by gap to their expected rate (points), stacked by verdict (rows of
    `pathways.adjusted_comparison` with a verdict; the others have no gap)."""
    shown = adjusted[adjusted["verdict"].notna() & adjusted["ecart"].notna()]
    gaps = (shown["ecart"].astype(float) * 100).tolist()
    fig = go.Figure()
    if gaps:
        bins = _bins(gaps)
        for verdict, label in ADJUSTED_VERDICT_LABELS.items():
            rows = shown[shown["verdict"] == verdict]
            fig.add_trace(
                go.Histogram(
                    x=(rows["ecart"].astype(float) * 100).tolist(),
                    xbins=bins,
                    name=label,
                    marker={"color": VERDICT_COLORS[verdict]},
                    hovertemplate=f"{label}<br>écart %{{x}} points : %{{y}} pôles<extra></extra>",
                )
            )
    fig.add_vline(x=0, line={"color": MEDIAN_COLOR, "dash": "dash"})
    legend = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}
    return base_layout(
        fig,
        barmode="stack",
        bargap=0.05,
        xaxis={"title": {"text": "écart au taux attendu (points)"}, "zeroline": False},
        yaxis=POLES_AXIS,
        legend=legend,
        height=400,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )

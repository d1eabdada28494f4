"""Fiche pôle chart: a pole's values by year beside the network median."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.shared.display import value_text
from dashboards.shared.plotting import (
    MEDIAN_COLOR,
    MEDIAN_NAME,
    POLE_COLOR,
    SMALL_MULTIPLE_COLUMNS,
    TITLE_ROOM_PX,
    base_layout,
    grid_layout,
    plain_text,
    plot_value,
    small_multiples,
    y_axis,
    year_axis,
)


def pole_domain_figure(series: pd.DataFrame, pole_name: str) -> go.Figure:
    """A pole's values by year beside the network median, one small chart per indicator.

    `series`: rows of `reads.pole_series` for one domain (annee, code, libelle, unite, valeur,
    mediane_reseau), in display order.
    """
    indicators = series.drop_duplicates("code")[["code", "libelle", "unite"]]
    fig, plot_height = small_multiples(indicators)
    years = sorted(int(y) for y in series["annee"].unique())
    for i, ind in enumerate(indicators.itertuples(index=False)):
        row, col = divmod(i, SMALL_MULTIPLE_COLUMNS)
        data = series[series["code"] == ind.code].sort_values("annee")
        x = data["annee"].astype(int).tolist()
        first = i == 0  # one legend entry per series, not one per subplot
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[plot_value(v, ind.unite) for v in data["mediane_reseau"]],
                mode="lines+markers",
                name=MEDIAN_NAME,
                legendgroup="mediane",
                showlegend=first,
                line={"color": MEDIAN_COLOR, "dash": "dash", "width": 1.5},
                marker={"size": 5},
                customdata=[value_text(v, ind.unite) for v in data["mediane_reseau"]],
                hovertemplate=f"{MEDIAN_NAME}<br>%{{x}} : %{{customdata}}<extra></extra>",
                meta={"code": ind.code, "serie": "mediane"},
            ),
            row=row + 1,
            col=col + 1,
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[plot_value(v, ind.unite) for v in data["valeur"]],
                mode="lines+markers",
                name=plain_text(pole_name),
                legendgroup="pole",
                showlegend=first,
                line={"color": POLE_COLOR, "width": 2.5},
                customdata=[value_text(v, ind.unite) for v in data["valeur"]],
                hovertemplate=f"{plain_text(pole_name)}<br>%{{x}} : %{{customdata}}<extra></extra>",
                meta={"code": ind.code, "serie": "pole"},
            ),
            row=row + 1,
            col=col + 1,
        )
        fig.update_yaxes(y_axis(ind.unite), row=row + 1, col=col + 1)
    fig.update_xaxes(year_axis(years))
    # The legend sits above the first row's titles, in the top margin (paper units: plot height).
    legend = {"orientation": "h", "yanchor": "bottom", "y": 1.0 + TITLE_ROOM_PX / plot_height, "x": 0}
    return base_layout(fig, legend=legend, **grid_layout(plot_height, top=TITLE_ROOM_PX + 40))

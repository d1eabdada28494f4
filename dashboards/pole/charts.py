"""Fiche pôle chart: a pole's values by year beside the network median."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.shared.plotting import (
    POLE_COLOR,
    SMALL_MULTIPLE_COLUMNS,
    base_layout,
    grid_layout,
    median_trace,
    plain_text,
    small_multiples,
    value_trace,
    y_axis,
    year_axis,
)


def pole_domain_figure(series: pd.DataFrame, pole_name: str) -> go.Figure:
    """A pole's values by year beside the network median, one small chart per indicator.

    `series`: rows of `reads.pole_series` for one domain (annee, code, libelle, unite, valeur,
    mediane_reseau), in display order.
    """
    indicators = series.drop_duplicates("code")[["code", "libelle", "unite"]]
    fig, plot_height, title_px = small_multiples(indicators)
    years = sorted(int(y) for y in series["annee"].unique())
    for i, ind in enumerate(indicators.itertuples(index=False)):
        row, col = divmod(i, SMALL_MULTIPLE_COLUMNS)
        data = series[series["code"] == ind.code].sort_values("annee")
        x = data["annee"].astype(int).tolist()
        first = i == 0  # one legend entry per series, not one per subplot
        fig.add_trace(
            median_trace(x, data["mediane_reseau"], ind.unite, ind.code, showlegend=first),
            row=row + 1,
            col=col + 1,
        )
        fig.add_trace(
            value_trace(
                x,
                data["valeur"],
                ind.unite,
                name=plain_text(pole_name),
                meta={"code": ind.code, "serie": "pole"},
                line={"color": POLE_COLOR, "width": 2.5},
                showlegend=first,
                legendgroup="pole",
            ),
            row=row + 1,
            col=col + 1,
        )
        fig.update_yaxes(y_axis(ind.unite), row=row + 1, col=col + 1)
    fig.update_xaxes(year_axis(years))
    # The legend sits above the first row's titles, in the top margin (paper units: plot height).
    legend = {"orientation": "h", "yanchor": "bottom", "y": 1.0 + (title_px + 6) / plot_height, "x": 0}
    return base_layout(fig, legend=legend, **grid_layout(plot_height, top=title_px + 46))

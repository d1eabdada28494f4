"""Charts of a working-angle page: the poles compared for one year, the network over the years.

Pure functions DataFrame -> Figure on the frames of `ptce.read.angles` (small cells already
applied there: a masked value is null, its label in `masque`, and the bar says « < 5 » or « s »).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.shared.angle_tables import aggregation_label, masked_cell
from dashboards.shared.display import value_with_unit
from dashboards.shared.plotting import (
    NETWORK_COLOR,
    NETWORK_NAME,
    POLE_COLOR,
    SMALL_MULTIPLE_COLUMNS,
    axis_unit,
    base_layout,
    grid_layout,
    median_trace,
    network_unit,
    plain_text,
    plot_value,
    small_multiples,
    value_trace,
    wrap_title,
    y_axis,
    year_axis,
)

BAR_ROW_PX = 28  # height of one pole's bar
MASKED_COLOR = "#8a8a8a"


def poles_figure(rows: pd.DataFrame, year: int) -> go.Figure:
    """One indicator compared across the poles for `year`: a horizontal bar per pole.

    `rows`: the rows of `reads.angle_poles` for one code (pole order). A masked value has no bar
    and its label (« < 5 », « s ») where the bar would start; a pole that did not report says « – ».
    """
    first = rows.iloc[0]
    unite = str(first["unite"])
    names = [plain_text(f"{int(n)}. {nom}") for n, nom in zip(rows["numero"], rows["nom"], strict=True)]
    texts = [
        masked_cell(v, m, unite) if isinstance(m, str) else value_with_unit(v, unite)
        for v, m in zip(rows["valeur"], rows["masque"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=[plot_value(v, unite) for v in rows["valeur"]],
            y=names,
            orientation="h",
            marker={"color": POLE_COLOR},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y} : %{text}<extra></extra>",
            meta={"code": str(first["code"])},
            showlegend=False,
        )
    )
    # A masked or missing value has no bar: its label is written at the axis, in grey.
    for name, text, value in zip(names, texts, rows["valeur"], strict=True):
        if pd.isna(value):
            fig.add_annotation(
                x=0, y=name, text=text, showarrow=False, xanchor="left", font={"color": MASKED_COLOR}
            )
    axis = y_axis(unite)
    axis.pop("rangemode", None)
    fig.update_xaxes(**axis, rangemode="tozero", automargin=True)
    fig.update_yaxes(autorange="reversed", automargin=True)
    title = wrap_title(
        f"{plain_text(first['libelle'])} par pôle en {year} ({axis_unit(unite) or 'oui/non'})", 70
    )
    height = 90 + BAR_ROW_PX * len(rows)
    return base_layout(
        fig,
        title={"text": title, "font": {"size": 14}},
        height=height,
        margin={"l": 10, "r": 60, "t": 60, "b": 10},
    )


def network_figure(network: pd.DataFrame) -> go.Figure:
    """The network figure of each indicator by year, one small chart each.

    `network`: rows of `reads.angle_network`. The line is the figure as the catalogue aggregates it
    (total of the poles, share of poles answering yes, ratio of the sums); a share has the median of
    the poles beside it, dashed. A figure hidden by small cells leaves a gap.
    """
    indicators = network.drop_duplicates("code")[["code", "libelle", "unite", "agregation_poles"]]
    indicators = indicators.assign(unite=indicators["unite"].map(network_unit))
    fig, plot_height, title_px = small_multiples(indicators)
    years = sorted(int(y) for y in network["annee"].unique())
    shown_median = False
    for i, ind in enumerate(indicators.itertuples(index=False)):
        row, col = divmod(i, SMALL_MULTIPLE_COLUMNS)
        data = network[network["code"] == ind.code].sort_values("annee")
        x = data["annee"].astype(int).tolist()
        how = aggregation_label(str(ind.agregation_poles), str(network.loc[data.index[0], "unite"]))
        name = f"{NETWORK_NAME} ({how})"
        fig.add_trace(
            value_trace(
                x,
                data["valeur"],
                ind.unite,
                # One legend entry for the network lines; the tooltip says how each is made.
                name=NETWORK_NAME if i == 0 else name,
                hover_name=plain_text(name),
                meta={"code": ind.code, "serie": "reseau"},
                line={"color": NETWORK_COLOR, "width": 2},
                showlegend=i == 0,
                legendgroup="reseau",
            ),
            row=row + 1,
            col=col + 1,
        )
        if ind.unite == "%" and ind.agregation_poles == "ratio":
            fig.add_trace(
                median_trace(x, data["mediane"], ind.unite, ind.code, showlegend=not shown_median),
                row=row + 1,
                col=col + 1,
            )
            shown_median = True
        fig.update_yaxes(y_axis(ind.unite), row=row + 1, col=col + 1)
    fig.update_xaxes(year_axis(years))
    legend = {"orientation": "h", "yanchor": "bottom", "y": 1.0 + (title_px + 6) / plot_height, "x": 0}
    return base_layout(
        fig, legend=legend, showlegend=shown_median, **grid_layout(plot_height, top=title_px + 46)
    )

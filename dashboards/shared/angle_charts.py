"""Charts of a working-angle page: the poles compared for one year, the network over the years.

Pure functions DataFrame -> Figure on the frames of `ptce.read.angles` (small cells already
applied there: a masked value is null, its label in `masque`, and the bar says « < 5 » or « s »).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.shared.angle_tables import aggregation_label, masked_cell
from dashboards.shared.display import value_with_unit
from dashboards.shared.maps import FULL_SIZE_MARKERS
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
from ptce.fmt import fmt_number

BAR_ROW_PX = 28  # height of one pole's bar
MASKED_COLOR = "#8a8a8a"
# Up to this many poles (the map's full-size markers: the demo's twelve, a regional network), each
# pole has its bar. Beyond, thousands of bars cannot be read: the chart keeps the `TOP_POLES`
# highest values and the viewer's own pole, and a yes/no indicator counts the poles by answer.
ONE_BAR_PER_POLE = FULL_SIZE_MARKERS
TOP_POLES = 25
VIEWER_COLOR = NETWORK_COLOR
ANSWER_COLORS = {"oui": POLE_COLOR, "non": NETWORK_COLOR}


def poles_figure(rows: pd.DataFrame, year: int, viewer_pole: str | None = None) -> go.Figure:
    """One indicator compared across the poles for `year`: a horizontal bar per pole.

    `rows`: the rows of `reads.angle_poles` for one code (pole order). A masked value has no bar
    and its label (« < 5 », « s ») where the bar would start; a pole that did not report says « – ».
    Beyond `ONE_BAR_PER_POLE` poles: the `TOP_POLES` highest values and `viewer_pole` (the
    viewer's pole, in its own colour), or the poles counted by answer for a yes/no indicator.
    """
    if len(rows) > ONE_BAR_PER_POLE:
        if str(rows.iloc[0]["unite"]) == "oui/non":
            return _answers_figure(rows, year, viewer_pole)
        return _top_poles_figure(rows, year, viewer_pole)
    first = rows.iloc[0]
    title = f"{plain_text(first['libelle'])} par pôle en {year} ({_unit_words(str(first['unite']))})"
    return _bars_figure(rows, first, wrap_title(title, 70))


def _unit_words(unite: str) -> str:
    return axis_unit(unite) or "oui/non"


def _bars_figure(
    rows: pd.DataFrame, first: pd.Series, title: str, colors: list[str] | None = None, top: int = 60
) -> go.Figure:
    """A horizontal bar per row of `rows` (in order), masked and missing values written at the axis.

    `first`: a row of the indicator (its code and unit); `top`: the room for the title (pixels).
    """
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
            marker={"color": POLE_COLOR if colors is None else colors},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y} : %{text}<extra></extra>",
            meta={"code": str(first["code"])},
            showlegend=False,
        )
    )
    # A masked or missing value has no bar: its label is written at the axis, in grey. One layout
    # update for all of them (`add_annotation` one by one copies the ones already there each time).
    fig.update_layout(
        annotations=[
            {
                "x": 0,
                "y": name,
                "text": text,
                "showarrow": False,
                "xanchor": "left",
                "font": {"color": MASKED_COLOR},
            }
            for name, text, value in zip(names, texts, rows["valeur"], strict=True)
            if pd.isna(value)
        ]
    )
    axis = y_axis(unite)
    axis.pop("rangemode", None)
    fig.update_xaxes(**axis, rangemode="tozero", automargin=True)
    fig.update_yaxes(autorange="reversed", automargin=True)
    height = 90 + BAR_ROW_PX * len(rows) + (top - 60)
    return base_layout(
        fig,
        title={"text": title, "font": {"size": 14}},
        height=height,
        margin={"l": 10, "r": 60, "t": top, "b": 10},
    )


def _counts_line(rows: pd.DataFrame) -> tuple[int, int, int]:
    """Poles with a published value, masked (small cells), and without any value."""
    masked = int(rows["masque"].notna().sum())
    valued = int(rows["valeur"].notna().sum())
    return valued, masked, len(rows) - valued - masked


def _subtitle(text: str) -> str:
    return f'<br><span style="font-size:12px">{text}</span>'


def _top_poles_figure(rows: pd.DataFrame, year: int, viewer_pole: str | None) -> go.Figure:
    """The `TOP_POLES` poles with the highest values (ties by number) and the viewer's pole."""
    first = rows.iloc[0]
    valued, masked, missing = _counts_line(rows)
    ranking = rows[rows["valeur"].notna()].sort_values(
        ["valeur", "numero"], ascending=[False, True], kind="stable"
    )
    shown = ranking.head(TOP_POLES)
    if viewer_pole is not None and viewer_pole not in set(shown["pole_id"]):
        shown = pd.concat([shown, rows[rows["pole_id"] == viewer_pole]])
    colors = [VIEWER_COLOR if p == viewer_pole else POLE_COLOR for p in shown["pole_id"]]
    ranked = min(TOP_POLES, valued)
    title = wrap_title(
        f"{plain_text(first['libelle'])} en {year} : les {fmt_number(ranked)} pôles aux valeurs les plus "
        f"élevées ({_unit_words(str(first['unite']))})",
        70,
    )
    detail = f"sur {fmt_number(valued)} pôles ayant une valeur publiée"
    if masked:
        detail += f" ; {fmt_number(masked)} valeurs masquées (secret statistique)"
    if missing:
        detail += f" ; {fmt_number(missing)} pôles sans valeur"
    if viewer_pole is not None and viewer_pole in set(shown["pole_id"]):
        detail += " · votre pôle en couleur"
    return _bars_figure(shown, first, title + _subtitle(detail), colors, top=90)


def _answers_figure(rows: pd.DataFrame, year: int, viewer_pole: str | None) -> go.Figure:
    """A yes/no indicator over many poles: how many answered yes, no, were masked or gave nothing."""
    first = rows.iloc[0]
    values = rows["valeur"]
    counts = {
        "oui": int((values == 1).sum()),
        "non": int((values == 0).sum()),
        "masqué (secret statistique)": int(rows["masque"].notna().sum()),
    }
    counts["sans valeur"] = len(rows) - sum(counts.values())
    labels = list(counts)
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=list(counts.values()),
            marker={"color": [ANSWER_COLORS.get(k, MASKED_COLOR) for k in labels]},
            text=[fmt_number(v) for v in counts.values()],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x} : %{text} pôles<extra></extra>",
            meta={"code": str(first["code"])},
            showlegend=False,
        )
    )
    title = wrap_title(f"{plain_text(first['libelle'])} en {year} : nombre de pôles par réponse", 70)
    own = rows[rows["pole_id"] == viewer_pole] if viewer_pole is not None else rows.head(0)
    detail = f"{fmt_number(len(rows))} pôles"
    if not own.empty:
        answer = own.iloc[0]
        detail += f" · votre pôle : {masked_cell(answer['valeur'], answer['masque'], 'oui/non')}"
    fig.update_yaxes(title={"text": "pôles", "font": {"size": 11}}, tickformat=",~r", rangemode="tozero")
    return base_layout(
        fig,
        title={"text": title + _subtitle(detail), "font": {"size": 14}},
        height=380,
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
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

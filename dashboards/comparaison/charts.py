"""Figures of the page « Comparer les pôles »: pure functions from the comparison reads to Plotly.

Ranked bars with the network median and quartile band, small multiples over time, the angle
profile, and the adjusted comparison's gaps with their 95 % intervals. Masked values (small cells)
are never drawn: a masked pole is listed with its label in place of a bar.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.comparaison.tables import VERDICT_LABELS
from dashboards.shared.display import value_with_unit
from dashboards.shared.plotting import (
    MEDIAN_COLOR,
    POLE_COLOR,
    base_layout,
    grid_layout,
    indicator_title,
    plain_text,
    plot_value,
    small_multiples,
    y_axis,
    year_axis,
)

OTHER_COLOR = "#9db5d3"
MASKED_COLOR = "#8a8a8a"
BAND_COLOR = "rgba(127, 127, 127, 0.15)"
BAR_PX = 26  # height of one pole's bar


def _axis(unite: str) -> dict:
    axis = y_axis(unite)
    axis.pop("range", None)
    return axis


def ranked_bars(rows: pd.DataFrame, highlight: str | None = None) -> go.Figure:
    """One indicator's poles ranked, best at the top, with the network median and quartile band.

    `rows`: the comparison read for one code (pole_id, nom_court, valeur, masque, rang, mediane,
    q1, q3, libelle, unite). The highlighted pole's bar is dark and its name in bold, so it is
    found without colour too. Masked poles come last, with their label and no bar.
    """
    unite = str(rows["unite"].iloc[0])
    shown = rows[rows["valeur"].notna()].sort_values("rang", ascending=False)
    hidden = rows[rows["valeur"].isna()]

    def name(row: pd.Series) -> str:
        text = plain_text(row["nom_court"])
        return f"<b>▶ {text}</b>" if row["pole_id"] == highlight else text

    names = [name(r) for _, r in shown.iterrows()]
    fig = go.Figure(
        go.Bar(
            x=[plot_value(v, unite) for v in shown["valeur"]],
            y=names,
            orientation="h",
            marker={"color": [POLE_COLOR if p == highlight else OTHER_COLOR for p in shown["pole_id"]]},
            customdata=[value_with_unit(v, unite) for v in shown["valeur"]],
            hovertemplate="%{y} : %{customdata}<extra></extra>",
            text=[value_with_unit(v, unite) for v in shown["valeur"]],
            textposition="outside",
            cliponaxis=False,
            name="Pôles",
            meta={"serie": "poles"},
        )
    )
    hidden_names = []
    for _, row in hidden.iterrows():
        label = row["masque"] if isinstance(row["masque"], str) else "non transmis"
        hidden_names.append(name(row))
        fig.add_annotation(
            x=0,
            y=name(row),
            text=plain_text(label),
            showarrow=False,
            xanchor="left",
            font={"color": MASKED_COLOR},
        )
    first = rows.iloc[0]
    if pd.notna(first["q1"]) and pd.notna(first["q3"]):
        fig.add_vrect(
            x0=plot_value(first["q1"], unite),
            x1=plot_value(first["q3"], unite),
            fillcolor=BAND_COLOR,
            line_width=0,
            layer="below",
        )
    if pd.notna(first["mediane"]):
        fig.add_vline(
            x=plot_value(first["mediane"], unite),
            line={"color": MEDIAN_COLOR, "dash": "dash", "width": 2},
            annotation_text=f"médiane : {value_with_unit(first['mediane'], unite)}",
            annotation_position="top",
        )
    height = 90 + BAR_PX * (len(shown) + len(hidden))
    return base_layout(
        fig,
        title={"text": indicator_title(str(first["libelle"]), unite), "font": {"size": 14}},
        xaxis=_axis(unite),
        yaxis={"categoryorder": "array", "categoryarray": hidden_names[::-1] + names, "automargin": True},
        height=height,
        showlegend=False,
        margin={"l": 10, "r": 60, "t": 60, "b": 10},
    )


def small_multiples_figure(
    series: pd.DataFrame, pole_ids: list[str], highlight: str | None = None
) -> go.Figure:
    """One small chart per indicator over the years: each compared pole, the yearly median dashed."""
    indicators = series.drop_duplicates("code")[["code", "libelle", "unite"]]
    fig, plot_height, title_px = small_multiples(indicators)
    cols = min(3, max(len(indicators), 1))
    years = sorted(int(y) for y in series["annee"].unique())
    for i, ind in enumerate(indicators.itertuples(index=False)):
        row, col = i // cols + 1, i % cols + 1
        part = series[series["code"] == ind.code]
        for pole_id, line in part[part["pole_id"].isin(pole_ids)].groupby("pole_id", sort=False):
            mine = pole_id == highlight
            fig.add_trace(
                go.Scatter(
                    x=line["annee"].tolist(),
                    y=[plot_value(v, ind.unite) for v in line["valeur"]],
                    mode="lines+markers",
                    name=plain_text(line["nom_court"].iloc[0]),
                    line={"color": POLE_COLOR if mine else OTHER_COLOR, "width": 3 if mine else 1},
                    marker={"size": 6 if mine else 3},
                    customdata=[value_with_unit(v, ind.unite) for v in line["valeur"]],
                    hovertemplate="%{fullData.name}<br>%{x} : %{customdata}<extra></extra>",
                    showlegend=False,
                    meta={"code": ind.code, "pole_id": pole_id},
                ),
                row=row,
                col=col,
            )
        medians = part.drop_duplicates("annee").sort_values("annee")
        fig.add_trace(
            go.Scatter(
                x=medians["annee"].tolist(),
                y=[plot_value(v, ind.unite) for v in medians["mediane"]],
                mode="lines",
                name="Médiane des pôles",
                line={"color": MEDIAN_COLOR, "dash": "dash", "width": 2},
                showlegend=i == 0,
                hovertemplate="Médiane des pôles<br>%{x}<extra></extra>",
                meta={"code": ind.code, "serie": "mediane"},
            ),
            row=row,
            col=col,
        )
        fig.update_xaxes(year_axis(years), row=row, col=col)
        fig.update_yaxes(_axis(ind.unite), row=row, col=col)
    return base_layout(fig, **grid_layout(plot_height, title_px + 40))


def profile_figure(profile: pd.DataFrame, pole_name: str) -> go.Figure:
    """The pole's percentile rank on each angle's indicators, as dots on a 0–100 scale (50: median)."""
    shown = profile[profile["rang_centile"].notna()]
    labels = [
        f"{plain_text(d)} · {plain_text(lib)}"
        for d, lib in zip(shown["domaine_libelle"], shown["libelle"], strict=True)
    ]
    fig = go.Figure(
        go.Scatter(
            x=shown["rang_centile"].astype(float).tolist(),
            y=labels,
            mode="markers",
            marker={"size": 12, "color": POLE_COLOR},
            name=plain_text(pole_name),
            customdata=[value_with_unit(v, u) for v, u in zip(shown["valeur"], shown["unite"], strict=True)],
            hovertemplate="%{y}<br>rang centile %{x:.0f} · valeur %{customdata}<extra></extra>",
        )
    )
    fig.add_vline(x=50, line={"color": MEDIAN_COLOR, "dash": "dash"}, annotation_text="médiane du réseau")
    return base_layout(
        fig,
        xaxis={"range": [-5, 105], "title": {"text": "rang centile (100 : mieux que tous les autres pôles)"}},
        yaxis={"autorange": "reversed", "automargin": True},
        height=120 + 28 * len(shown),
        showlegend=False,
    )


def adjusted_figure(adjusted: pd.DataFrame) -> go.Figure:
    """Each pole's gap to its expected rate (points) with its 95 % interval; verdicts as text."""
    shown = adjusted[adjusted["verdict"].notna()].sort_values("ecart")
    names = [plain_text(n) for n in shown["nom_court"]]
    gaps = (shown["ecart"].astype(float) * 100).tolist()
    fig = go.Figure(
        go.Scatter(
            x=gaps,
            y=names,
            mode="markers+text",
            marker={"size": 10, "color": POLE_COLOR},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": ((shown["ic_haut"] - shown["ecart"]) * 100).tolist(),
                "arrayminus": ((shown["ecart"] - shown["ic_bas"]) * 100).tolist(),
                "color": MEDIAN_COLOR,
            },
            text=[VERDICT_LABELS.get(v, v) for v in shown["verdict"]],
            textposition="top center",
            hovertemplate="%{y} : écart %{x:.1f} points<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": MEDIAN_COLOR, "dash": "dash"})
    return base_layout(
        fig,
        xaxis={"title": {"text": "écart au taux attendu (points)"}, "zeroline": False},
        yaxis={"automargin": True},
        height=120 + 40 * len(shown),
        showlegend=False,
    )

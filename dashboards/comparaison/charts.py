"""Figures of the page « Comparer les pôles »: pure functions from the comparison reads to Plotly.

Ranked bars with the network median and quartile band, small multiples over time, the angle
profile, and the adjusted comparison's gaps with their 95 % intervals. Masked values (small cells)
are never drawn: a masked pole is listed with its label in place of a bar.

Beyond `MAX_POLES_DRAWN` compared poles (a national network), one bar or one line per pole can
no longer be read: the bars keep the best and the last `RANKED_ENDS` poles and the reference pole,
and the lines over time become the compared poles' median and quartile band by year with the
reference pole drawn over them. Up to that number, every pole is drawn as before.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.comparaison.tables import MAX_POLES_DRAWN, RANKED_ENDS, VERDICT_LABELS
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
GAP_COLOR = "#5a5a5a"


def _axis(unite: str) -> dict:
    axis = y_axis(unite)
    axis.pop("range", None)
    return axis


def _gap_row(block: pd.DataFrame) -> tuple[str, str]:
    """The row standing for the poles of `block` left out between two drawn parts of the ranking:
    its category (their ranks, unique on the axis) and its text."""
    first, last = int(block["rang"].min()), int(block["rang"].max())
    ranks = f"rang {first}" if first == last else f"rangs {first} à {last}"
    n = len(block)
    return ranks, f"⋯ {n} pôle{'s' if n > 1 else ''} non tracé{'s' if n > 1 else ''} (voir le tableau)"


def _ranked_ends(shown: pd.DataFrame, highlight: str | None) -> list[pd.DataFrame | tuple[str, str]]:
    """At scale: the parts of the ranking drawn, worst first (the axis runs bottom to top): the
    last `RANKED_ENDS` poles, the reference pole when it is between them, the best ones; the
    poles left out in between as gap rows (`_gap_row`)."""
    if len(shown) <= 2 * RANKED_ENDS + 1:
        return [shown]
    worst, middle, best = (
        shown.iloc[:RANKED_ENDS],
        shown.iloc[RANKED_ENDS:-RANKED_ENDS],
        shown.iloc[-RANKED_ENDS:],
    )
    mine = (middle["pole_id"] == highlight).to_numpy()
    if not mine.any():
        return [worst, _gap_row(middle), best]
    at = int(mine.argmax())
    parts: list[pd.DataFrame | tuple[str, str]] = [worst]
    if at > 0:
        parts.append(_gap_row(middle.iloc[:at]))
    parts.append(middle.iloc[[at]])
    if at < len(middle) - 1:
        parts.append(_gap_row(middle.iloc[at + 1 :]))
    return [*parts, best]


def ranked_bars(rows: pd.DataFrame, highlight: str | None = None) -> go.Figure:
    """One indicator's poles ranked, best at the top, with the network median and quartile band.

    `rows`: the comparison read for one code (pole_id, nom_court, valeur, masque, rang, mediane,
    q1, q3, libelle, unite). The highlighted pole's bar is dark and its name in bold, so it is
    found without colour too. Masked poles come last, with their label and no bar. Beyond
    `MAX_POLES_DRAWN` poles: the `RANKED_ENDS` best and last and the highlighted pole, a row for
    each run of poles left out, and one row counting the poles without a value shown.
    """
    unite = str(rows["unite"].iloc[0])
    shown = rows[rows["valeur"].notna()].sort_values("rang", ascending=False)
    hidden = rows[rows["valeur"].isna()]
    # Rows without a bar, bottom first: (category on the axis, text written in the row).
    empty_rows: list[tuple[str, str]] = []
    # The drawn parts of the ranking, worst first, and the rows standing for the poles left out.
    parts: list[pd.DataFrame | tuple[str, str]] = [shown]
    if len(rows) > MAX_POLES_DRAWN:
        parts = _ranked_ends(shown, highlight)
        others = hidden[hidden["pole_id"] != highlight]
        hidden = hidden[hidden["pole_id"] == highlight]
        if len(others):
            n = len(others)
            empty_rows.append(
                (
                    "sans valeur publiée",
                    f"{n} pôle{'s' if n > 1 else ''} : valeur masquée (secret statistique) ou non transmise",
                )
            )

    def name(pole_id: object, nom_court: object) -> str:
        text = plain_text(nom_court)
        return f"<b>▶ {text}</b>" if pole_id == highlight else text

    drawn = pd.concat([p for p in parts if isinstance(p, pd.DataFrame)]) if len(parts) > 1 else shown
    names = [name(p, n) for p, n in zip(drawn["pole_id"], drawn["nom_court"], strict=True)]
    # The axis from the bottom: each drawn part, with its gap rows where poles were left out.
    order: list[str] = []
    position = 0
    for part in parts:
        if isinstance(part, pd.DataFrame):
            order.extend(names[position : position + len(part)])
            position += len(part)
        else:
            order.append(part[0])
            empty_rows.append(part)
    texts = [value_with_unit(v, unite) for v in drawn["valeur"]]
    fig = go.Figure(
        go.Bar(
            x=[plot_value(v, unite) for v in drawn["valeur"]],
            y=names,
            orientation="h",
            marker={"color": [POLE_COLOR if p == highlight else OTHER_COLOR for p in drawn["pole_id"]]},
            customdata=texts,
            hovertemplate="%{y} : %{customdata}<extra></extra>",
            text=texts,
            textposition="outside",
            cliponaxis=False,
            name="Pôles",
            meta={"serie": "poles"},
        )
    )
    hidden_names = []
    for pole_id, nom_court, masque in zip(
        hidden["pole_id"], hidden["nom_court"], hidden["masque"], strict=True
    ):
        label = masque if isinstance(masque, str) else "non transmis"
        hidden_names.append(name(pole_id, nom_court))
        fig.add_annotation(
            x=0,
            y=name(pole_id, nom_court),
            text=plain_text(label),
            showarrow=False,
            xanchor="left",
            font={"color": MASKED_COLOR},
        )
    for category, text in empty_rows:
        fig.add_annotation(
            x=0, y=category, text=text, showarrow=False, xanchor="left", font={"color": GAP_COLOR}
        )
    bottom = [category for category, _ in empty_rows if category not in order]
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
    height = 90 + BAR_PX * (len(order) + len(hidden) + len(bottom))
    return base_layout(
        fig,
        title={"text": indicator_title(str(first["libelle"]), unite), "font": {"size": 14}},
        xaxis=_axis(unite),
        yaxis={
            "categoryorder": "array",
            "categoryarray": bottom + hidden_names[::-1] + order,
            "automargin": True,
        },
        height=height,
        showlegend=False,
        margin={"l": 10, "r": 60, "t": 60, "b": 10},
    )


def _pole_trace(line: pd.DataFrame, code: str, unite: str, pole_id: object, mine: bool) -> go.Scatter:
    """One pole's line over the years (bold when it is the reference pole)."""
    return go.Scatter(
        x=line["annee"].tolist(),
        y=[plot_value(v, unite) for v in line["valeur"]],
        mode="lines+markers",
        name=plain_text(line["nom_court"].iloc[0]),
        line={"color": POLE_COLOR if mine else OTHER_COLOR, "width": 3 if mine else 1},
        marker={"size": 6 if mine else 3},
        customdata=[value_with_unit(v, unite) for v in line["valeur"]],
        hovertemplate="%{fullData.name}<br>%{x} : %{customdata}<extra></extra>",
        showlegend=False,
        meta={"code": code, "pole_id": pole_id},
    )


def _band_traces(part: pd.DataFrame, code: str, unite: str, showlegend: bool) -> list[go.Scatter]:
    """The compared poles' first and third quartiles by year (over the values shown), as a band."""
    values = part[part["valeur"].notna()]
    quartiles = values.groupby("annee")["valeur"].quantile([0.25, 0.75]).unstack()
    years = [int(y) for y in quartiles.index]
    q1 = [plot_value(v, unite) for v in quartiles[0.25]] if len(quartiles) else []
    q3 = [plot_value(v, unite) for v in quartiles[0.75]] if len(quartiles) else []
    band = {"color": "rgba(0, 0, 0, 0)"}
    return [
        go.Scatter(
            x=years,
            y=q1,
            mode="lines",
            line=band,
            name="1er quartile des pôles comparés",
            hoverinfo="skip",
            showlegend=False,
            meta={"code": code, "serie": "q1"},
        ),
        go.Scatter(
            x=years,
            y=q3,
            mode="lines",
            line=band,
            fill="tonexty",
            fillcolor="rgba(157, 181, 211, 0.45)",
            name="Moitié des pôles comparés (1er au 3e quartile)",
            hoverinfo="skip",
            showlegend=showlegend,
            meta={"code": code, "serie": "q3"},
        ),
    ]


def small_multiples_figure(
    series: pd.DataFrame, pole_ids: list[str], highlight: str | None = None
) -> go.Figure:
    """One small chart per indicator over the years: each compared pole, the yearly median dashed.

    Beyond `MAX_POLES_DRAWN` compared poles, the band between the compared poles' first and third
    quartiles by year takes the place of their lines; the reference pole is drawn over it.
    """
    indicators = series.drop_duplicates("code")[["code", "libelle", "unite"]]
    fig, plot_height, title_px = small_multiples(indicators)
    cols = min(3, max(len(indicators), 1))
    years = sorted(int(y) for y in series["annee"].unique())
    at_scale = len(set(pole_ids)) > MAX_POLES_DRAWN
    traces: list[go.Scatter] = []
    rows: list[int] = []
    columns: list[int] = []
    for i, ind in enumerate(indicators.itertuples(index=False)):
        row, col = i // cols + 1, i % cols + 1
        part = series[series["code"] == ind.code]
        compared = part[part["pole_id"].isin(pole_ids)]
        if at_scale:
            drawn = _band_traces(compared, ind.code, ind.unite, showlegend=i == 0)
            mine = compared[compared["pole_id"] == highlight]
            if len(mine):
                drawn.append(_pole_trace(mine, ind.code, ind.unite, highlight, mine=True))
        else:
            drawn = [
                _pole_trace(line, ind.code, ind.unite, pole_id, mine=pole_id == highlight)
                for pole_id, line in compared.groupby("pole_id", sort=False)
            ]
        medians = part.drop_duplicates("annee").sort_values("annee")
        drawn.append(
            go.Scatter(
                x=medians["annee"].tolist(),
                y=[plot_value(v, ind.unite) for v in medians["mediane"]],
                mode="lines",
                name="Médiane des pôles",
                line={"color": MEDIAN_COLOR, "dash": "dash", "width": 2},
                showlegend=i == 0,
                hovertemplate="Médiane des pôles<br>%{x}<extra></extra>",
                meta={"code": ind.code, "serie": "mediane"},
            )
        )
        traces.extend(drawn)
        rows.extend([row] * len(drawn))
        columns.extend([col] * len(drawn))
        fig.update_xaxes(year_axis(years), row=row, col=col)
        fig.update_yaxes(_axis(ind.unite), row=row, col=col)
    # In one go: adding thousands of traces one at a time costs seconds.
    if traces:
        fig.add_traces(traces, rows=rows, cols=columns)
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


def adjusted_figure(adjusted: pd.DataFrame, reference: str | None = None) -> go.Figure:
    """Each pole's gap to its expected rate (points) with its 95 % interval; verdicts as text.

    Beyond `MAX_POLES_DRAWN` poles (one row each would make a chart thousands of pixels tall), the
    `RANKED_ENDS` largest gaps below and above, and the `reference` pole; the table has them all.
    """
    shown = adjusted[adjusted["verdict"].notna()].sort_values("ecart")
    if len(shown) > MAX_POLES_DRAWN:
        ends = pd.concat([shown.head(RANKED_ENDS), shown.tail(RANKED_ENDS)])
        chosen = shown["pole_id"].isin(ends["pole_id"]) | (shown["pole_id"] == reference)
        shown = shown[chosen]
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

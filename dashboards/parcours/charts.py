"""Parcours charts: pure functions from the frames of `ptce.read.pathways` to Plotly figures.

Counts arrive publishable: a masked count is NaN and is simply not drawn (the page says so under
the chart). Every hover says the unit (« personnes »); structure names come from files and are
escaped for Plotly's pseudo-HTML (`plain_text`).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboards.parcours.tables import NETWORK_LABEL, exit_label
from dashboards.shared.display import value_with_unit
from dashboards.shared.plotting import (
    NETWORK_COLOR,
    POLE_COLOR,
    SMALL_MULTIPLE_COLUMNS,
    base_layout,
    grid_layout,
    plain_text,
    small_multiples,
    y_axis,
    year_axis,
)
from ptce.fmt import fmt_number, fmt_percent
from ptce.read import pathways as pw

# One colour per outcome, greens for employment, blue for positive exits, greys for the rest.
EXIT_COLORS: dict[str, str] = {
    "emploi_durable": "#1b7837",
    "emploi_transition": "#7fbf7b",
    "sortie_positive": "#2c7fb8",
    "autre_sortie": "#969696",
    "retrait": "#d9d9d9",
    pw.UNKNOWN_EXIT: "#bdbdbd",
    pw.ONGOING: "#f4a582",
}
STRUCTURE_COLOR = "#4a6fa5"
MOVE_COLOR = "#8c6bb1"
OTHER_POLE_COLOR = "#9fb3c8"
STAGE_X = {"entree": 0.001, "mobilite": 0.5, "issue": 0.999}
STAGE_HOVER = {"entree": "Entrée", "mobilite": "Après mobilité interne", "issue": "Issue"}
PERSONS = "personnes"
SANKEY_PAD = 14  # pixels between two nodes of a column
SANKEY_ROW_PX = 30  # room per node in the tallest column
SANKEY_MIN_HEIGHT = 440
SANKEY_MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10}
# Beyond this many entry nodes (a national network's poles), the largest keep a node of their own
# and the others are gathered into one (`OTHERS`): two thousand nodes in a column are unreadable.
SANKEY_MAX_ENTRIES = 30
OTHERS = "__autres__"
# Beyond this many poles, the rates chart keeps the `RANKED_ENDS` highest and lowest rates and the
# selected pole (the overview map's `FULL_SIZE_MARKERS` threshold, dashboards/shared/maps.py).
MAX_POLES_DRAWN = 60
RANKED_ENDS = 10


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


MOVED_LABEL = "Après une mobilité interne"


def _present(value: object) -> object:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _node_label(stage: str, pole_name: object, name: object) -> str:
    """A node's text: an outcome in French, the « moved » node, a structure, or (network entry) the pole."""
    if stage == "issue":
        return exit_label(name)
    if name == pw.MOVED:
        return MOVED_LABEL
    if _present(name) is None:
        return plain_text(pole_name)
    return plain_text(name)


def _gather_entries(shown: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The links with the entry nodes beyond the `SANKEY_MAX_ENTRIES - 1` largest (persons
    leaving them, shown links only) gathered into one `OTHERS` node, last; and how many were
    gathered (0: the links as they were)."""
    entry = (shown["source_etape"] == "entree").to_numpy()
    key = shown["source_pole"].astype(object).fillna("") + "|" + shown["source"].astype(object).fillna("")
    sizes = shown.loc[entry, "personnes"].groupby(key[entry], sort=False).sum()
    if len(sizes) <= SANKEY_MAX_ENTRIES:
        return shown, 0
    kept = sizes.sort_values(ascending=False, kind="stable").index[: SANKEY_MAX_ENTRIES - 1]
    gathered = entry & ~key.isin(kept).to_numpy()
    out = shown.astype({"source_pole": object, "source": object, "source_pole_nom": object})
    out.loc[gathered, ["source_pole", "source_pole_nom", "numero", "source"]] = [None, None, None, OTHERS]
    columns = ["source_etape", "source_pole", "source", "target_etape", "target_pole", "target"]
    out = (
        out.assign(_autres=gathered)
        .groupby([*columns, "_autres"], sort=False, dropna=False)
        .agg(personnes=("personnes", "sum"), source_pole_nom=("source_pole_nom", "first"))
        .reset_index()
        .sort_values("_autres", kind="stable")
        .drop(columns="_autres")
    )
    return out, len(sizes) - len(kept)


def sankey_figure(flows: pd.DataFrame, network: bool) -> go.Figure:
    """Entry structure → structure after internal moves → outcome, link widths in persons.

    `flows`: rows of `reads.pathway_flows` (masked links, NaN, are left out). `network`: the
    network's flows, from each pole (not its structures) through one « moved » node. Beyond
    `SANKEY_MAX_ENTRIES` entry nodes, the smallest are gathered into one (`_gather_entries`).
    """
    shown = flows[flows["personnes"].notna() & (flows["personnes"] > 0)].copy()
    shown, n_gathered = _gather_entries(shown)
    others_label = f"{'Autres pôles' if network else 'Autres structures'} ({fmt_number(n_gathered)})"
    nodes: dict[tuple[str, object, object], int] = {}
    stages: list[str] = []
    labels: list[str] = []
    colors: list[str] = []
    hovers: list[str] = []
    names: list[object] = []
    totals: list[float] = []
    pole_names = dict(zip(shown["source_pole"], shown["source_pole_nom"], strict=False))

    def node(stage: str, pole: object, name: object) -> int:
        # Missing values come as None or NaN (never equal to itself): one key for both.
        key = (stage, None if stage == "issue" else _present(pole), _present(name))
        if key not in nodes:
            nodes[key] = len(labels)
            label = others_label if name == OTHERS else _node_label(stage, pole_names.get(pole), name)
            stages.append(stage)
            labels.append(label)
            colors.append(
                EXIT_COLORS.get(str(name), "#999999")
                if stage == "issue"
                else (MOVE_COLOR if stage == "mobilite" else STRUCTURE_COLOR)
            )
            hovers.append(f"{STAGE_HOVER[stage]} : {label}")
            names.append(_present(name))
            totals.append(0.0)
        return nodes[key]

    sources, targets, values, link_colors, link_hovers = [], [], [], [], []
    for row in shown.itertuples(index=False):
        s = node(row.source_etape, row.source_pole, row.source)
        t = node(row.target_etape, row.target_pole, row.target)
        sources.append(s)
        targets.append(t)
        values.append(float(row.personnes))
        color = EXIT_COLORS.get(str(row.target), MOVE_COLOR) if row.target_etape == "issue" else MOVE_COLOR
        link_colors.append(_rgba(color, 0.45))
        link_hovers.append(f"{labels[s]} → {labels[t]} : {value_with_unit(float(row.personnes), PERSONS)}")
        totals[t] += float(row.personnes)
        if row.source_etape == "entree":
            totals[s] += float(row.personnes)

    # Columns fixed by stage (Plotly would put an outcome reached straight from entry in the
    # middle column); within a column, nodes stacked from the top (outcomes in their usual order),
    # each given its share of the column plus the gap Plotly leaves between nodes.
    height = max(SANKEY_MIN_HEIGHT, SANKEY_ROW_PX * max([stages.count(s) for s in STAGE_X] or [1]) + 120)
    plot_px = height - SANKEY_MARGIN["t"] - SANKEY_MARGIN["b"]
    outcome_order = {code: i for i, code in enumerate(pw.EXIT_LABELS)}
    xs, ys = [0.0] * len(labels), [0.0] * len(labels)
    for stage, x in STAGE_X.items():
        members = [i for i, st in enumerate(stages) if st == stage]
        if stage == "issue":
            members.sort(key=lambda i: outcome_order.get(str(names[i]), len(outcome_order)))
        column_total = sum(totals[i] for i in members) or 1.0
        gap = SANKEY_PAD / plot_px
        usable = max(1.0 - gap * (len(members) - 1), 0.1)
        top = 0.0
        for i in members:
            band = usable * totals[i] / column_total
            xs[i] = x
            ys[i] = min(0.999, max(0.001, top + band / 2))
            top += band + gap
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "color": colors,
                "x": xs,
                "y": ys,
                "pad": SANKEY_PAD,
                "thickness": 16,
                "customdata": hovers,
                "hovertemplate": "%{customdata}<br>%{value:,.0f} personnes<extra></extra>",
            },
            link={
                "source": sources,
                "target": targets,
                "value": values,
                "color": link_colors,
                "customdata": link_hovers,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    fig.add_annotation(
        x=0,
        y=1.06,
        xref="paper",
        yref="paper",
        text="Pôle d'entrée" if network else "Structure d'entrée",
        showarrow=False,
        xanchor="left",
    )
    if "mobilite" in stages:
        fig.add_annotation(
            x=0.5, y=1.06, xref="paper", yref="paper", text="Après mobilité interne", showarrow=False
        )
    fig.add_annotation(
        x=1, y=1.06, xref="paper", yref="paper", text="Issue", showarrow=False, xanchor="right"
    )
    return base_layout(fig, height=height, margin=SANKEY_MARGIN, font={"size": 12})


def exits_figure(exits: pd.DataFrame) -> go.Figure:
    """Exits by year, stacked by outcome, in persons; above each bar its number of exits (n,
    withdrawals left out), when no cell of that year is masked."""
    years = sorted(int(y) for y in exits["annee"].unique())
    fig = go.Figure()
    for code in pw.EXIT_LABELS:
        data = exits[exits["categorie"] == code].set_index("annee")
        if data.empty:
            continue
        values = [data["personnes"].get(y) for y in years]
        fig.add_trace(
            go.Bar(
                x=years,
                y=[None if v is None or pd.isna(v) else float(v) for v in values],
                name=exit_label(code),
                marker_color=EXIT_COLORS.get(code),
                customdata=[
                    "masqué (secret statistique)"
                    if v is None or pd.isna(v)
                    else value_with_unit(float(v), PERSONS)
                    for v in values
                ],
                hovertemplate=f"{exit_label(code)}<br>%{{x}} : %{{customdata}}<extra></extra>",
                meta={"categorie": code},
            )
        )
    for year in years:
        rows = exits[exits["annee"] == year]
        if rows.empty or bool(rows["masque"].any()):
            continue
        counted = float(rows.loc[rows["categorie"] != pw.WITHDRAWN, "personnes"].sum())
        fig.add_annotation(
            x=year,
            y=float(rows["personnes"].sum()),
            text=f"n = {fmt_number(counted)}",
            showarrow=False,
            yshift=10,
            font={"size": 11},
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(year_axis(years))
    fig.update_yaxes(y_axis(PERSONS))
    # Legend in reading order (durable first), as the bars stack from the bottom.
    legend = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"}
    return base_layout(fig, height=420, legend=legend, margin={"l": 10, "r": 10, "t": 70, "b": 10})


def _rate_text(taux: object, n: object, label: object, masked: bool) -> str:
    """A pole's bar label: its rate and n, or why no rate is shown."""
    if masked:
        return (
            f"n {label} sorties : taux non publié"
            if str(label).startswith("<")
            else "taux non publié (secret statistique)"
        )
    if taux is None or pd.isna(taux):
        # No rate on exits shown: withheld when it would give back a small count of persons.
        return "aucune sortie" if not n else "taux non publié (secret statistique)"
    return f"{fmt_percent(taux)} · n = {fmt_number(float(n))} sorties"


def _gap(n: int, what: str) -> tuple[str, str]:
    """A row standing for poles not drawn: its (unique) label on the axis and its text."""
    plural = "s" if n > 1 else ""
    return f"⋯ {fmt_number(n)} pôle{plural} {what}", "voir le tableau ci-dessous"


def _rates_at_scale(rates: pd.DataFrame, selected: str | None) -> list[pd.Series | tuple[str, str]]:
    """The rows drawn beyond `MAX_POLES_DRAWN` poles, top first: the `RANKED_ENDS` highest and
    lowest published rates, the selected pole, a row per run of poles left out and one for the
    poles without a published rate, then the network."""
    poles = rates[rates["pole_id"].notna()]
    network = [row for _, row in rates[rates["pole_id"].isna()].iterrows()]
    ranked = poles[poles["taux"].notna()].sort_values("taux", ascending=False, kind="stable")
    unranked = poles[poles["taux"].isna()]
    out: list[pd.Series | tuple[str, str]] = []
    if len(ranked) <= 2 * RANKED_ENDS + 1:
        out.extend(row for _, row in ranked.iterrows())
    else:
        middle = ranked.iloc[RANKED_ENDS:-RANKED_ENDS]
        out.extend(row for _, row in ranked.iloc[:RANKED_ENDS].iterrows())
        mine = (middle["pole_id"] == selected).to_numpy()
        if mine.any():
            at = int(mine.argmax())
            if at > 0:
                out.append(_gap(at, "au taux plus élevé"))
            out.append(middle.iloc[at])
            if at < len(middle) - 1:
                out.append(_gap(len(middle) - at - 1, "au taux plus bas"))
        else:
            out.append(_gap(len(middle), "entre les deux"))
        out.extend(row for _, row in ranked.iloc[-RANKED_ENDS:].iterrows())
    own = unranked[unranked["pole_id"] == selected]
    out.extend(row for _, row in own.iterrows())
    if len(unranked) > len(own):
        out.append(_gap(len(unranked) - len(own), "sans taux publié"))
    return out + network


def rates_figure(rates: pd.DataFrame, selected: str | None) -> go.Figure:
    """Dynamic-exit rate of each pole and of the network, in %, each bar labelled with its n.

    A pole whose exits are masked has no bar, only « n < 5 sorties : taux non publié ». Beyond
    `MAX_POLES_DRAWN` poles: the `RANKED_ENDS` highest and lowest rates, the selected pole and the
    network, the others counted in rows of their own (the table below the chart lists them all).
    """
    if len(rates) > MAX_POLES_DRAWN + 1:
        rows = _rates_at_scale(rates, selected)
    else:
        rows = [row for _, row in rates.iterrows()]
    names, colors, texts, values = [], [], [], []
    for row in rows:
        if isinstance(row, tuple):  # poles left out
            names.append(row[0])
            colors.append("rgba(0, 0, 0, 0)")
            texts.append(row[1])
            values.append(None)
            continue
        p = row["pole_id"]
        names.append(NETWORK_LABEL if pd.isna(p) else plain_text(row["nom"]))
        colors.append(NETWORK_COLOR if pd.isna(p) else (POLE_COLOR if p == selected else OTHER_POLE_COLOR))
        texts.append(_rate_text(row["taux"], row["sorties"], row["sorties_libelle"], row["sorties_masque"]))
        taux = row["taux"]
        values.append(None if taux is None or pd.isna(taux) else float(taux) * 100)
    fig = go.Figure(
        go.Bar(
            x=[v if v is not None else 0 for v in values],
            y=names,
            orientation="h",
            marker_color=colors,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=texts,
            hovertemplate="%{y}<br>%{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    ticks = [0, 25, 50, 75, 100]
    fig.update_xaxes(range=[0, 135], tickvals=ticks, ticktext=[f"{t} %" for t in ticks], title=None)
    height = 60 + 32 * len(names)
    return base_layout(fig, height=height, showlegend=False, margin={"l": 10, "r": 10, "t": 10, "b": 30})


def bin_label(start: int, end: object) -> str:
    """« 0 à 3 mois », « 24 mois et plus »."""
    if end is None or pd.isna(end):
        return f"{start} mois et plus"
    return f"{start} à {int(end)} mois"


def duration_figure(bins: pd.DataFrame, median: float | None) -> go.Figure:
    """Ended pathways by duration (bins in months), in persons, with the median as a line."""
    positions = list(range(len(bins)))
    labels = [bin_label(int(s), e) for s, e in zip(bins["debut"], bins["fin"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=positions,
            y=[None if pd.isna(v) else float(v) for v in bins["personnes"]],
            marker_color=POLE_COLOR,
            customdata=[
                "masqué (secret statistique)" if pd.isna(v) else value_with_unit(float(v), PERSONS)
                for v in bins["personnes"]
            ],
            hovertemplate="%{text}<br>%{customdata}<extra></extra>",
            text=labels,
            textposition="none",
        )
    )
    if median is not None and not math.isnan(median):
        fig.add_vline(
            x=_median_position(bins, median),
            line={"color": NETWORK_COLOR, "dash": "dash", "width": 2},
            annotation_text=f"Médiane : {fmt_number(median, decimals=1)} mois",
            annotation_position="top right",
        )
    fig.update_xaxes(
        tickmode="array", tickvals=positions, ticktext=labels, title={"text": "durée du parcours"}
    )
    fig.update_yaxes(y_axis(PERSONS))
    return base_layout(fig, height=380, showlegend=False, margin={"l": 10, "r": 10, "t": 40, "b": 10})


def _median_position(bins: pd.DataFrame, median: float) -> float:
    """Where the median falls on the axis of bins (bar i spans i - 0,5 to i + 0,5)."""
    for i, (start, end) in enumerate(zip(bins["debut"], bins["fin"], strict=True)):
        if end is None or pd.isna(end) or median < float(end):
            width = 12.0 if end is None or pd.isna(end) else float(end) - float(start)
            return i - 0.5 + min(max((median - float(start)) / width, 0.0), 1.0)
    return len(bins) - 0.5


def breakdown_figure(breakdowns: pd.DataFrame) -> go.Figure:
    """Persons accompanied by modality, one small bar chart per characteristic (RQTH never here)."""
    variables = [v for v in pw.BREAKDOWN_VARIABLES if v in set(breakdowns["variable"])]
    panels = pd.DataFrame({"libelle": [pw.BREAKDOWN_VARIABLES[v] for v in variables], "unite": PERSONS})
    fig, plot_height, title_px = small_multiples(panels)
    for i, variable in enumerate(variables):
        row, col = divmod(i, SMALL_MULTIPLE_COLUMNS)
        data = breakdowns[breakdowns["variable"] == variable]
        labels = [pw.MODALITY_LABELS.get(str(m), str(m)) for m in data["modalite"]]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=[None if pd.isna(v) else float(v) for v in data["personnes"]],
                marker_color=POLE_COLOR,
                customdata=[
                    lab if pd.isna(v) else value_with_unit(float(v), PERSONS)
                    for v, lab in zip(data["personnes"], data["libelle"], strict=True)
                ],
                hovertemplate="%{x} : %{customdata}<extra></extra>",
                showlegend=False,
                meta={"variable": variable},
            ),
            row=row + 1,
            col=col + 1,
        )
        fig.update_yaxes(y_axis(PERSONS), row=row + 1, col=col + 1)
    fig.update_xaxes(tickfont={"size": 10})
    return base_layout(fig, showlegend=False, **grid_layout(plot_height, top=title_px + 14))

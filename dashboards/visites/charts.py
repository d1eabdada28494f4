"""Visites et capitalisation charts: pure functions from the frames of `ptce.read.visits` to figures.

Titles, places and pole names come from files and are escaped for Plotly's pseudo-HTML
(`plain_text`). Counts here are of events and poles, never of persons, except in hovers that write
the participants' published label (« < 5 », « s »).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboards.shared.maps import (
    MARKER_LINE,
    add_leader_lines,
    finish_map,
    marker_size,
    outline_trace,
    project,
    spread_markers,
)
from dashboards.shared.plotting import (
    MEDIAN_COLOR,
    NETWORK_COLOR,
    POLE_COLOR,
    base_layout,
    plain_text,
    year_axis,
)
from dashboards.visites.tables import (
    NO_HOST,
    ONE_CELL_PER_POLE,
    OTHER_POLES,
    TOP_MATRIX_POLES,
    kind_label,
    most_present,
    offer_label,
)
from ptce.contract import VISIT_TYPES
from ptce.read import visits as vr

KIND_COLORS: dict[str, str] = {
    "visite apprenante": POLE_COLOR,
    "séminaire de capitalisation": NETWORK_COLOR,
    "rencontre nationale": "#6a51a3",
    "échange à distance": "#1b7837",
}
OFFER_COLORS: dict[str, str] = {
    "honorée": "#1b7837",
    "ouverte": "#f1a340",
    "déclinée": "#969696",
    "accueil sans offre": "#2c7fb8",
    "sans réponse": "#d9d9d9",
}
PLANNED_NAME = "Prévu (pas encore tenu)"
EVENT_MARKER = 16
HEATMAP_SCALE = [[0.0, "#f7fbff"], [1.0, POLE_COLOR]]


def _hover(row: object) -> str:
    """Hover text of an event: title, kind, dates, place, host and participants, each escaped."""
    when = (
        pd.Timestamp(row.date_visite).strftime("%d/%m/%Y") if pd.notna(row.date_visite) else "date inconnue"
    )
    if pd.notna(getattr(row, "date_fin", None)):
        when += f" au {pd.Timestamp(row.date_fin).strftime('%d/%m/%Y')}"
    host = NO_HOST if pd.isna(row.hote) else row.hote
    place = "" if pd.isna(row.lieu) else f" · {row.lieu}"
    lines = [
        f"<b>{plain_text(row.titre)}</b>",
        plain_text(f"{kind_label(row.type)} · {when}{place}"),
        plain_text(f"Hôte : {host} · participants : {row.participants_libelle}"),
    ]
    return "<br>".join(lines)


def _kinds(events: pd.DataFrame) -> list[str]:
    known = [k for k in VISIT_TYPES if k in set(events["type"])]
    return known + sorted(set(events["type"].dropna()) - set(VISIT_TYPES))


def timeline_figure(events: pd.DataFrame) -> go.Figure:
    """The events on a time axis, one row per kind, each marker labelled with its host.

    `events`: rows of `visits.events`. A planned event is drawn hollow (one legend entry says so).
    """
    fig = go.Figure()
    kinds = _kinds(events)
    for kind in kinds:
        for planned in (False, True):
            rows = events[(events["type"] == kind) & (events["statut"].eq(vr.PLANNED) == planned)]
            rows = rows.sort_values("date_visite")
            if rows.empty:
                continue
            color = KIND_COLORS.get(kind, MEDIAN_COLOR)
            fig.add_trace(
                go.Scatter(
                    x=pd.to_datetime(rows["date_visite"]).tolist(),
                    y=[kind_label(kind)] * len(rows),
                    mode="markers+text",
                    text=[plain_text(h) if pd.notna(h) else "" for h in rows["hote_court"]],
                    # Above, below, above...: two visits a fortnight apart keep readable names.
                    textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(rows))],
                    textfont={"size": 10},
                    marker={
                        "size": EVENT_MARKER,
                        "color": "white" if planned else color,
                        "line": {"color": color, "width": 2},
                        "symbol": "circle",
                    },
                    customdata=[_hover(r) for r in rows.itertuples(index=False)],
                    hovertemplate="%{customdata}<extra></extra>",
                    name=PLANNED_NAME if planned else kind_label(kind),
                    legendgroup="prevu" if planned else kind,
                    showlegend=True,
                    meta={"type": kind, "prevu": planned},
                )
            )
    fig.update_yaxes(categoryorder="array", categoryarray=[kind_label(k) for k in reversed(kinds)])
    fig.update_xaxes(tickformat="%m/%Y", title={"text": "date de l'événement", "font": {"size": 11}})
    return base_layout(
        fig,
        height=140 + 70 * max(len(kinds), 1),
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
    )


def events_map_figure(events: pd.DataFrame) -> go.Figure:
    """Map of France with one marker per located event, coloured by kind (offline outline).

    An event without a place of its own is at its host pole's place (the read does that); one with
    neither is left out (the page names it). Markers too close are moved apart, with a line back.
    """
    fig = go.Figure()
    fig.add_trace(outline_trace())
    located = events.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    true_xy = [project(lon, lat) for lon, lat in zip(located["longitude"], located["latitude"], strict=True)]
    shown_xy = spread_markers(true_xy)
    # Smaller and closer together when there are many events (`maps.marker_spacing`).
    size = marker_size(len(located), EVENT_MARKER)
    add_leader_lines(fig, true_xy, shown_xy, dot_size=min(4.0, size / 2))
    for kind in _kinds(located) if len(located) else []:
        index = [i for i in range(len(located)) if located.at[i, "type"] == kind]
        color = KIND_COLORS.get(kind, MEDIAN_COLOR)
        planned = [located.at[i, "statut"] == vr.PLANNED for i in index]
        fig.add_trace(
            go.Scatter(
                x=[shown_xy[i][0] for i in index],
                y=[shown_xy[i][1] for i in index],
                mode="markers",
                marker={
                    "size": size,
                    "color": ["white" if p else color for p in planned],
                    "line": {"color": [color if p else MARKER_LINE for p in planned], "width": 1.5},
                    "opacity": 1,
                },
                customdata=[_hover(located.iloc[i]) for i in index],
                hovertemplate="%{customdata}<extra></extra>",
                name=kind_label(kind),
                meta={"type": kind},
            )
        )
    return finish_map(fig, bottom=20)


def rhythm_figure(rhythm: pd.DataFrame, aim: int) -> go.Figure:
    """Learning visits by year against the aim (left), and held so far against expected (right)."""
    years = [int(y) for y in rhythm["annee"]]
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=["Par année", "Cumul depuis le début de la période"],
        horizontal_spacing=0.1,
    )
    fig.add_trace(
        go.Bar(x=years, y=rhythm["visites"].tolist(), name="Visites tenues", marker_color=POLE_COLOR,
               hovertemplate="%{x} — visites tenues : %{y}<extra></extra>"),
        row=1,
        col=1,
    )  # fmt: skip
    if int(rhythm["prevues"].sum()):
        fig.add_trace(
            go.Bar(x=years, y=rhythm["prevues"].tolist(), name="Visites prévues",
                   marker={"color": "white", "line": {"color": POLE_COLOR, "width": 1.5}},
                   hovertemplate="%{x} — visites prévues : %{y}<extra></extra>"),
            row=1,
            col=1,
        )  # fmt: skip
    fig.add_trace(
        go.Scatter(x=years, y=[None if pd.isna(v) else round(float(v), 2) for v in rhythm["objectif"]],
                   mode="markers+lines", name=f"Objectif : {aim} par an (au prorata de la période)",
                   line={"color": NETWORK_COLOR, "dash": "dash"}, marker={"symbol": "diamond", "size": 9},
                   hovertemplate="%{x} : objectif %{y:.1f}<extra></extra>"),
        row=1,
        col=1,
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(x=years, y=rhythm["cumul"].tolist(), mode="lines+markers", name="Visites tenues (cumul)",
                   line={"color": POLE_COLOR}, hovertemplate="%{x} — tenues au total : %{y}<extra></extra>"),
        row=1,
        col=2,
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(x=years, y=[round(float(v), 2) for v in rhythm["objectif_cumule"]], mode="lines+markers",
                   name="Attendues au rythme visé (cumul)", line={"color": NETWORK_COLOR, "dash": "dash"},
                   hovertemplate="%{x} — attendues au total : %{y:.1f}<extra></extra>"),
        row=1,
        col=2,
    )  # fmt: skip
    fig.update_xaxes(year_axis(years))
    fig.update_yaxes(rangemode="tozero", tickformat=",~r", title={"text": "visites", "font": {"size": 11}})
    fig.update_annotations(font_size=12)
    return base_layout(fig, barmode="stack", height=380, legend={"orientation": "h", "y": -0.2})


def matrix_figure(matrix: pd.DataFrame, poles: pd.DataFrame) -> go.Figure:
    """Who learns from whom: visiting pole (rows) × host pole (columns), learning visits held.

    `matrix`: rows of `visits.visit_matrix`; `poles`: every pole (pole_id, numero, nom_court), so
    a pole that neither visited nor hosted still has its row and column (all zeros). Beyond
    `ONE_CELL_PER_POLE` poles (a national network), `most_active_matrix` instead: the poles that
    visited most (rows) and hosted most (columns), the others together as « Autres pôles ».
    """
    order = poles.sort_values("numero")
    if len(order) > ONE_CELL_PER_POLE:
        rows, columns, z = most_active_matrix(matrix, order)
        return _heatmap(z, rows, columns)
    ids = order["pole_id"].astype(str).to_numpy()
    names = [plain_text(n) for n in order["nom_court"]]
    visitor, host, visits = _pairs(matrix, ids)
    z = np.zeros((len(ids), len(ids)), dtype=int)
    z[visitor, host] = visits
    # Nested lists for a few poles: the figure (and its JSON) the demo has always had.
    return _heatmap(z.tolist(), names, names)


def _pairs(matrix: pd.DataFrame, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions in `ids` of each pair's visitor and host, and its visits (pairs of known poles)."""
    index = pd.Index(ids)
    visitor = index.get_indexer(matrix["visiteur"].astype(str))
    host = index.get_indexer(matrix["hote"].astype(str))
    known = (visitor >= 0) & (host >= 0)
    return visitor[known], host[known], matrix["visites"].to_numpy(dtype=int)[known]


def most_active_matrix(
    matrix: pd.DataFrame, poles: pd.DataFrame, top: int | None = None
) -> tuple[list[str], list[str], np.ndarray]:
    """The matrix of a large network: row and column names, and the visits as a numpy array.

    Rows: the `top` poles (`TOP_MATRIX_POLES`) that made the most learning visits, columns: the
    `top` that hosted the most (ties by pole number); a pole that neither visited (row) nor hosted
    (column) is left out, and when more poles did, the rest add up in a last « Autres pôles » row
    or column. `poles`: every pole (pole_id, numero, nom_court) in number order.
    """
    top = TOP_MATRIX_POLES if top is None else top
    ids = poles["pole_id"].astype(str).to_numpy()
    names = np.array([plain_text(n) for n in poles["nom_court"]], dtype=object)
    visitor, host, visits = _pairs(matrix, ids)
    made = np.bincount(visitor, weights=visits, minlength=len(ids))
    hosted = np.bincount(host, weights=visits, minlength=len(ids))

    def ranked(totals: np.ndarray) -> tuple[np.ndarray, list[str]]:
        # Position of each pole among the rows (or columns): its rank, `top` for « Autres pôles ».
        active = np.flatnonzero(totals > 0)
        by_total = active[np.argsort(-totals[active], kind="stable")]  # poles are by number already
        place = np.full(len(ids), top, dtype=int)
        place[by_total[:top]] = np.arange(min(top, len(by_total)))
        labels = list(names[by_total[:top]]) + ([OTHER_POLES] if len(by_total) > top else [])
        return place, labels

    row_place, rows = ranked(made)
    col_place, columns = ranked(hosted)
    z = np.zeros((len(rows), len(columns)), dtype=int)
    np.add.at(z, (row_place[visitor], col_place[host]), visits)
    return rows, columns, z


def _heatmap(z: list[list[int]] | np.ndarray, rows: list[str], columns: list[str]) -> go.Figure:
    """Visits as a heatmap: visiting poles in rows, host poles in columns, each count written."""
    if isinstance(z, np.ndarray):
        text = np.where(z > 0, z.astype(str), "")
    else:
        text = [[str(v) if v else "" for v in line] for line in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=rows,
            colorscale=HEATMAP_SCALE,
            zmin=0,
            showscale=False,
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y} chez %{x} — visites : %{z}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(title={"text": "pôle hôte (visité)"}, side="top", tickangle=-30)
    fig.update_yaxes(title={"text": "pôle visiteur"}, autorange="reversed")
    return base_layout(fig, height=160 + 34 * len(rows), margin={"l": 10, "r": 10, "t": 110, "b": 10})


def participation_figure(participation: pd.DataFrame) -> go.Figure:
    """Events each pole hosted and attended (held events), side by side, poles by number.

    Beyond `ONE_CELL_PER_POLE` poles: the `TOP_MATRIX_POLES` poles present at the most events
    (hosted and attended, ties by number), most present first (`tables.most_present`).
    """
    if len(participation) > ONE_CELL_PER_POLE:
        order = most_present(participation)
    else:
        order = participation.sort_values("numero")
    names = [plain_text(n) for n in order["nom_court"]]
    fig = go.Figure()
    for column, name, color in (
        ("accueils", "Événements accueillis", NETWORK_COLOR),
        ("participations", "Participations (hors accueil)", POLE_COLOR),
    ):
        fig.add_trace(
            go.Bar(
                y=names,
                x=order[column].astype(int).tolist(),
                orientation="h",
                name=name,
                marker_color=color,
                hovertemplate=f"%{{y}} : %{{x}} {name.lower()}<extra></extra>",
                meta={"colonne": column},
            )
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title={"text": "événements", "font": {"size": 11}}, tickformat=",~r", dtick=1)
    return base_layout(
        fig, barmode="group", height=120 + 40 * len(names), legend={"orientation": "h", "y": -0.15}
    )


def offers_figure(counts: pd.DataFrame) -> go.Figure:
    """Poles by what became of their offer to host a visit (`tables.offer_counts`)."""
    fig = go.Figure(
        go.Bar(
            x=[offer_label(s) for s in counts["statut"]],
            y=counts["poles"].astype(int).tolist(),
            marker_color=[OFFER_COLORS.get(s, MEDIAN_COLOR) for s in counts["statut"]],
            text=counts["poles"].astype(int).tolist(),
            textposition="outside",
            hovertemplate="%{x} — pôles : %{y}<extra></extra>",
        )
    )
    fig.update_yaxes(
        title={"text": "pôles", "font": {"size": 11}}, tickformat=",~r", rangemode="tozero", dtick=1
    )
    return base_layout(fig, height=320, showlegend=False)

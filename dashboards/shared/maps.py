"""The offline map of metropolitan France every map of the app is drawn on (no tile server, no CDN).

An equirectangular projection of a GeoJSON outline shipped with the project
(`ptce/reference/france_outline.json`), markers nudged apart when they would overlap, with a thin
line back to their true place, and the axes and source note of a map. Pure functions (no
Streamlit): the overview's map of poles and the visits page's map of events are built on them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

import plotly.graph_objects as go

from dashboards.shared.plotting import MEDIAN_COLOR, base_layout
from ptce.reference import REFERENCE_DIR

OUTLINE_FILL = "#eef2f7"
OUTLINE_LINE = "#8da0b5"
# Equirectangular projection centred on metropolitan France: at this latitude one degree of
# longitude is cos(46.5°) times as long as one degree of latitude.
MAP_COS_LAT = math.cos(math.radians(46.5))
MAP_SOURCE = "Fond de carte : Natural Earth (domaine public)"
MAP_HEIGHT = 620
# Marker diameter in pixels, and the minimum distance between two markers in projected degrees:
# the map is drawn about 50 pixels per degree (France is 11 degrees high in 540 pixels), so 0,55°
# leaves a few pixels between two markers.
MARKER_SIZE = 22
MARKER_MIN_DISTANCE = 0.55
# Rounds of pushes at most: twelve places need a handful; a tight cluster of fifteen, a few hundred.
SPREAD_ROUNDS = 1000
MARKER_LINE = "#4a5a6a"


@cache
def load_france_outline() -> dict[str, Any]:
    """GeoJSON of metropolitan France and Corsica (built by scripts/make_france_outline.py)."""
    path = REFERENCE_DIR / "france_outline.json"
    return json.loads(path.read_text(encoding="utf-8"))


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular projection used by the map (x in 'degrees of latitude')."""
    return lon * MAP_COS_LAT, lat


def spread_markers(
    points: Sequence[tuple[float, float]], min_distance: float = MARKER_MIN_DISTANCE
) -> list[tuple[float, float]]:
    """Nudge markers apart until none overlap (Voiron and Grenoble are 20 km apart).

    A few rounds of pairwise pushes along the line joining two markers; markers already apart do
    not move. Cached: the page redraws the map at every choice, always with the same places.
    """
    return list(_spread(tuple((float(x), float(y)) for x, y in points), float(min_distance)))


@lru_cache(maxsize=16)
def _spread(points: tuple[tuple[float, float], ...], min_distance: float) -> tuple[tuple[float, float], ...]:
    moved = [list(p) for p in points]
    for _ in range(SPREAD_ROUNDS):
        clear = True
        # Only markers in neighbouring cells of side `min_distance` can overlap: each round looks at
        # those pairs only (in the same order as all pairs would be), so a network of two thousand
        # poles spreads in a fraction of a second instead of seconds. Cells are those of the round's
        # start; a round that finds no overlapping pair moved nothing, so its cells were exact.
        cells: dict[tuple[int, int], list[int]] = {}
        for index, (x, y) in enumerate(moved):
            cells.setdefault((math.floor(x / min_distance), math.floor(y / min_distance)), []).append(index)
        for i in range(len(moved)):
            cx, cy = math.floor(moved[i][0] / min_distance), math.floor(moved[i][1] / min_distance)
            near = sorted(
                j
                for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)
                for j in cells.get((cx + dx, cy + dy), ())
                if j > i
            )
            for j in near:
                (xi, yi), (xj, yj) = moved[i], moved[j]
                dist = math.hypot(xj - xi, yj - yi)
                if dist >= min_distance:
                    continue
                clear = False
                # Coincident points: separate them horizontally.
                ux, uy = ((xj - xi) / dist, (yj - yi) / dist) if dist else (1.0, 0.0)
                # Half the gap each, and a hair more, so rounding never leaves a pair just short.
                push = (min_distance - dist) / 2 + min_distance * 1e-6
                moved[i] = [xi - ux * push, yi - uy * push]
                moved[j] = [xj + ux * push, yj + uy * push]
        if clear:
            break
    return tuple((x, y) for x, y in moved)


def _outline_xy(outline: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for feature in outline["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        for polygon in polygons:
            for ring in polygon:
                for lon, lat in ring:
                    x, y = project(lon, lat)
                    xs.append(x)
                    ys.append(y)
                # A gap between rings: Plotly fills each closed piece on its own.
                xs.append(None)
                ys.append(None)
    return xs, ys


def outline_trace(outline: dict[str, Any] | None = None) -> go.Scatter:
    """France's land, filled, under the markers (the project's outline unless one is given)."""
    ox, oy = _outline_xy(outline or load_france_outline())
    return go.Scatter(
        x=ox,
        y=oy,
        mode="lines",
        fill="toself",
        fillcolor=OUTLINE_FILL,
        line={"color": OUTLINE_LINE, "width": 1},
        hoverinfo="skip",
        name="France métropolitaine",
        showlegend=False,
    )


def add_leader_lines(
    fig: go.Figure, true_xy: list[tuple[float, float]], shown_xy: list[tuple[float, float]]
) -> None:
    """A thin line from each moved marker to a dot at its true place (drawn under markers)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for (tx, ty), (sx, sy) in zip(true_xy, shown_xy, strict=True):
        if math.dist((tx, ty), (sx, sy)) > 1e-6:
            xs += [tx, sx, None]
            ys += [ty, sy, None]
    if not xs:
        return
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines+markers",
            line={"color": MARKER_LINE, "width": 1},
            marker={"size": 4, "color": MARKER_LINE},
            hoverinfo="skip",
            name="Emplacement réel",
            showlegend=False,
        )
    )


def finish_map(fig: go.Figure, bottom: int) -> go.Figure:
    """Axes of a map (hidden, same scale both ways so France keeps its shape), its source note and
    its layout: full width, legend in the top-left corner, `bottom` pixels of room underneath."""
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1, fixedrange=True)
    fig.add_annotation(
        text=MAP_SOURCE,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        showarrow=False,
        font={"size": 10, "color": MEDIAN_COLOR},
        xanchor="left",
        yanchor="bottom",
    )
    return base_layout(
        fig,
        height=MAP_HEIGHT,
        margin={"l": 0, "r": 0, "t": 0, "b": bottom},
        legend={"x": 0, "y": 1, "xanchor": "left", "yanchor": "top", "bgcolor": "rgba(255,255,255,0.8)"},
        hoverlabel={"namelength": -1, "align": "left"},
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
    )

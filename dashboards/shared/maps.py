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

import numpy as np
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
# Up to this many markers they are drawn full size, 0,55° apart. Beyond, spacing and size shrink as
# one over the square root of their number, so that the markers take the room this many full-size
# ones would: two thousand poles at 0,55° would cover France several times over (most would end at
# sea), at 0,095° they fit, about five pixels apart.
FULL_SIZE_MARKERS = 60
# Smallest marker drawn (pixels), and the smallest that still holds its number (a smaller one is
# a dot; its hover says which pole it is).
MIN_MARKER_SIZE = 4
NUMBERED_MARKER_SIZE = 16
# A group of this many markers or more, each too close to another of them, is laid on a grid rather
# than pushed apart pair by pair (see `spread_markers`); pushes stop after this many rounds (twelve
# places need a handful, four a few dozen) and leave what still overlaps to the grid.
GRID_GROUP = 5
PUSH_ROUNDS = 200
MARKER_LINE = "#4a5a6a"


@cache
def load_france_outline() -> dict[str, Any]:
    """GeoJSON of metropolitan France and Corsica (built by scripts/make_france_outline.py)."""
    path = REFERENCE_DIR / "france_outline.json"
    return json.loads(path.read_text(encoding="utf-8"))


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular projection used by the map (x in 'degrees of latitude')."""
    return lon * MAP_COS_LAT, lat


def marker_spacing(count: int) -> float:
    """Minimum distance between two of `count` markers (projected degrees): `MARKER_MIN_DISTANCE`
    up to `FULL_SIZE_MARKERS` markers, then shrinking as 1 / sqrt(count)."""
    return MARKER_MIN_DISTANCE * min(1.0, math.sqrt(FULL_SIZE_MARKERS / max(count, 1)))


def marker_size(count: int, full_size: float = MARKER_SIZE) -> float:
    """Diameter in pixels of each of `count` markers drawn `full_size` when few: in proportion to
    `marker_spacing`, so that they keep the same gap between them, and never under `MIN_MARKER_SIZE`."""
    return max(float(MIN_MARKER_SIZE), full_size * marker_spacing(count) / MARKER_MIN_DISTANCE)


def spread_markers(
    points: Sequence[tuple[float, float]], min_distance: float | None = None
) -> list[tuple[float, float]]:
    """Move markers apart until no two are closer than `min_distance` (by default
    `marker_spacing(len(points))`): Voiron and Grenoble are 20 km apart, and a national network
    has dozens of poles in one town.

    Markers already apart do not move. A few markers too close together are pushed apart, pair
    by pair along the line joining them, round after round: each moves as little as it can. A
    crowd (`GRID_GROUP` markers or more, each too close to another of them) would take hundreds of
    rounds to fan out that way: its markers take, in their order, the free place nearest their own
    on a hexagonal grid of that spacing (two places are never closer), so that a town of fifty poles
    becomes a honeycomb around the town and two neighbouring towns' honeycombs meet between them.
    A marker that a placed one covers is placed on the grid too, and so is any the pushes leave
    overlapping, until none overlap.
    Cached: the page redraws the map at every choice, always with the same places.
    """
    spacing = marker_spacing(len(points)) if min_distance is None else min_distance
    return list(_spread(tuple((float(x), float(y)) for x, y in points), float(spacing)))


@lru_cache(maxsize=16)
def _spread(points: tuple[tuple[float, float], ...], min_distance: float) -> tuple[tuple[float, float], ...]:
    true_xy = np.array(points, dtype=float).reshape(-1, 2)
    shown = true_xy.copy()
    grid = _HexGrid(min_distance * (1 + 2e-6), len(true_xy))
    on_grid = np.zeros(len(true_xy), dtype=bool)
    i, j = _close_pairs(shown, min_distance)
    to_grid = _group_sizes(len(true_xy), i, j) >= GRID_GROUP
    # Each pass ends with nothing overlapping or puts at least one more marker on the grid.
    for _ in range(len(true_xy) + 1):
        for k in np.flatnonzero(to_grid & ~on_grid):
            shown[k] = grid.place(true_xy[k])
        on_grid |= to_grid
        free = np.flatnonzero(~on_grid)
        shown[free] = _push_apart([tuple(p) for p in shown[free]], min_distance)
        i, j = _close_pairs(shown, min_distance)
        if not len(i):
            break
        # Left overlapping: a free marker on a placed one, or pushes that did not settle.
        to_grid = np.zeros(len(true_xy), dtype=bool)
        to_grid[i] = to_grid[j] = True
    return tuple((float(x), float(y)) for x, y in shown)


def _group_sizes(count: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """For each of `count` points, how many points its group holds: the points linked to it by the
    pairs (i, j), directly or through others (each point's label ends as its group's lowest index)."""
    label = np.arange(count)
    while True:
        low = np.minimum(label[i], label[j])
        merged = label.copy()
        np.minimum.at(merged, i, low)
        np.minimum.at(merged, j, low)
        merged = merged[merged]  # a label is a point: take that point's label (halves the chains)
        if np.array_equal(merged, label):
            return np.bincount(label, minlength=count)[label]
        label = merged


def _push_apart(points: list[tuple[float, float]], min_distance: float) -> np.ndarray:
    """`points` pushed apart pair by pair, for at most `PUSH_ROUNDS` rounds (they may not settle)."""
    moved = [list(p) for p in points]
    for _ in range(PUSH_ROUNDS):
        clear = True
        # Only markers in neighbouring cells of side `min_distance` can overlap: each round looks at
        # those pairs only (in the same order as all pairs would be). Cells are those of the round's
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
    return np.array(moved, dtype=float).reshape(-1, 2)


def _close_pairs(xy: np.ndarray, min_distance: float) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (i < j) of points closer than `min_distance`. Only points in neighbouring cells
    of a grid of that side can be: each cell is compared with itself and four of its neighbours
    (the other four compare with it), so the work grows with the number of points, not its square."""
    if not len(xy):
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    cells = np.floor(xy / min_distance).astype(np.int64)
    cells -= cells.min(axis=0) - 1  # from 1, so that a neighbour's index is never negative
    height = int(cells[:, 1].max()) + 2
    key = cells[:, 0] * height + cells[:, 1]
    order = np.argsort(key, kind="stable")
    sorted_keys = key[order]
    firsts, seconds = [], []
    for dx, dy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):
        target = key + dx * height + dy
        lo = np.searchsorted(sorted_keys, target, side="left")
        counts = np.searchsorted(sorted_keys, target, side="right") - lo
        first = np.repeat(np.arange(len(xy)), counts)
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        second = order[np.repeat(lo, counts) + within]
        if dx == dy == 0:  # within a cell, each pair once
            keep = first < second
            first, second = first[keep], second[keep]
        firsts.append(first)
        seconds.append(second)
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    close = np.hypot(xy[b, 0] - xy[a, 0], xy[b, 1] - xy[a, 1]) < min_distance
    a, b = a[close], b[close]
    return np.minimum(a, b), np.maximum(a, b)


class _HexGrid:
    """A hexagonal grid of `spacing` over the map (anchored at the origin), whose places are taken
    one by one: `place` gives a point the free place nearest it."""

    def __init__(self, spacing: float, count: int) -> None:
        self.spacing = spacing
        self.row_height = spacing * math.sqrt(3) / 2
        self.taken: set[tuple[int, int]] = set()
        # Steps (dq, dr) from a place to the others, nearest first (equally near: by angle), enough
        # for `count` markers all at one place.
        rings = math.isqrt(count) + 2
        q, r = np.meshgrid(np.arange(-rings, rings + 1), np.arange(-rings, rings + 1))
        q, r = q.ravel(), r.ravel()
        x, y = q + r / 2, r * math.sqrt(3) / 2
        order = np.lexsort((np.arctan2(y, x), np.round(np.hypot(x, y), 6)))
        self.steps = [(int(q[k]), int(r[k])) for k in order]

    def place(self, point: np.ndarray) -> tuple[float, float]:
        r0 = round(float(point[1]) / self.row_height)
        q0 = round(float(point[0]) / self.spacing - r0 / 2)
        for dq, dr in self.steps:
            cell = (q0 + dq, r0 + dr)
            if cell not in self.taken:
                self.taken.add(cell)
                return self.spacing * (cell[0] + cell[1] / 2), self.row_height * cell[1]
        raise AssertionError("more markers than places")  # the steps cover `count` markers


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
    fig: go.Figure,
    true_xy: list[tuple[float, float]],
    shown_xy: list[tuple[float, float]],
    dot_size: float = 4,
) -> None:
    """A thin line from each moved marker to a dot of `dot_size` pixels at its true place (drawn
    under markers)."""
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
            marker={"size": dot_size, "color": MARKER_LINE},
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

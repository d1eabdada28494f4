"""Vue d'ensemble charts: the network's trends by domain and the offline map of the poles."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale, sequential

from dashboards.shared.display import value_with_unit
from dashboards.shared.plotting import (
    MEDIAN_COLOR,
    NETWORK_COLOR,
    NETWORK_NAME,
    SMALL_MULTIPLE_COLUMNS,
    base_layout,
    grid_layout,
    network_unit,
    plain_text,
    plot_value,
    small_multiples,
    y_axis,
    year_axis,
)
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
# Light yellow-green to dark blue: the lightest marker still stands out on the blue-grey land, and
# the number on it is written dark or white, whichever reads.
MAP_COLORSCALE = sequential.YlGnBu[2:]
MARKER_LINE = "#4a5a6a"
MARKER_TEXT_DARK = "#1b2733"
MISSING_COLOR = "#8a8a8a"
MISSING_NAME = "Pas de valeur transmise"


def network_domain_figure(trends: pd.DataFrame) -> go.Figure:
    """Network value by year, one small chart per indicator of a domain.

    `trends`: rows of `reads.network_trends` for one domain (annee, code, libelle, unite, valeur),
    in display order. Rates are drawn in percent.
    """
    indicators = trends.drop_duplicates("code")[["code", "libelle", "unite"]]
    indicators = indicators.assign(unite=indicators["unite"].map(network_unit))
    fig, plot_height, title_px = small_multiples(indicators)
    years = sorted(int(y) for y in trends["annee"].unique())
    for i, ind in enumerate(indicators.itertuples(index=False)):
        row, col = divmod(i, SMALL_MULTIPLE_COLUMNS)
        data = trends[trends["code"] == ind.code].sort_values("annee")
        fig.add_trace(
            go.Scatter(
                x=data["annee"].astype(int).tolist(),
                y=[plot_value(v, ind.unite) for v in data["valeur"]],
                mode="lines+markers",
                name=NETWORK_NAME,
                legendgroup="reseau",
                showlegend=False,
                line={"color": NETWORK_COLOR, "width": 2},
                customdata=[value_with_unit(v, ind.unite) for v in data["valeur"]],
                hovertemplate=f"{plain_text(ind.libelle)}<br>%{{x}} : %{{customdata}}<extra></extra>",
                meta={"code": ind.code},
            ),
            row=row + 1,
            col=col + 1,
        )
        fig.update_yaxes(y_axis(ind.unite), row=row + 1, col=col + 1)
    fig.update_xaxes(year_axis(years))
    return base_layout(fig, showlegend=False, **grid_layout(plot_height, top=title_px + 14))


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
    not move. Quadratic in the number of points, so cached: the page redraws the map at every
    choice, always with the same twelve places.
    """
    return list(_spread(tuple((float(x), float(y)) for x, y in points), float(min_distance)))


@lru_cache(maxsize=16)
def _spread(points: tuple[tuple[float, float], ...], min_distance: float) -> tuple[tuple[float, float], ...]:
    moved = [list(p) for p in points]
    for _ in range(SPREAD_ROUNDS):
        clear = True
        for i in range(len(moved)):
            for j in range(i + 1, len(moved)):
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


def _text_colour(colour: str) -> str:
    """White on a dark marker, near-black on a light one (relative luminance of an `rgb(...)`)."""
    r, g, b = (int(float(c)) for c in colour[colour.index("(") + 1 : -1].split(","))
    luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
    return MARKER_TEXT_DARK if luminance > 0.55 else "white"


def colour_range(values: Sequence[float]) -> tuple[float, float]:
    """The values the colour scale runs between: the poles' lowest and highest.

    The poles' values sit close together (rates between 50 and 75 %), and a scale from zero would
    colour them all alike; the colour bar's ticks say where the scale starts. With a single value,
    or all equal, the scale runs from zero to it (from 0 to 1 when it is zero).
    """
    low, high = min(values, default=0.0), max(values, default=0.0)
    if low < high:
        return low, high
    return (0.0, high) if high > 0 else (min(high, 0.0), max(high, 0.0) + 1.0)


def colour_bar(title: str, unite: str) -> dict[str, Any]:
    """Horizontal colour bar under the map, titled with the figure and its unit, ticks in French."""
    ticks = {k: v for k, v in y_axis(unite).items() if k not in {"range", "rangemode", "title"}}
    return {
        "title": {"text": title, "side": "top", "font": {"size": 13}},
        "orientation": "h",
        "x": 0.5,
        "xanchor": "center",
        "y": 0,
        "yanchor": "top",
        "len": 0.7,
        "thickness": 12,
        "outlinewidth": 0,
        **ticks,
    }


def france_map_figure(
    poles: pd.DataFrame,
    code: str,
    label: str,
    unite: str,
    outline: dict[str, Any] | None = None,
) -> go.Figure:
    """Map of France with one numbered marker per pole, coloured by the value of one figure.

    `poles`: rows of `reads.poles_year_table` (pole_id, numero, nom, commune, nom_departement,
    departement, latitude, longitude, and a column `code` holding the figure's values); `label`
    names the figure in the colour bar and the hover ("Salariés en 2017"), `unite` is its catalogue
    unit. A pole without a value is drawn hollow and grey, and its hover says so. Markers too close
    to be told apart are moved a little, with a line back to the pole's true place. Each marker's
    first `customdata` field is the pole's id (what a click on the map hands the page).
    """
    outline = outline or load_france_outline()
    ox, oy = _outline_xy(outline)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
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
    )
    located = poles.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    true_xy = [project(lon, lat) for lon, lat in zip(located["longitude"], located["latitude"], strict=True)]
    shown_xy = spread_markers(true_xy)
    _add_leader_lines(fig, true_xy, shown_xy)

    values = [plot_value(v, unite) for v in pd.to_numeric(located[code], errors="coerce")]
    present = [v is not None for v in values]
    cmin, cmax = colour_range([v for v in values if v is not None])
    hover = (
        "<b>%{text}. %{customdata[1]}</b><br>%{customdata[2]}<br>"
        + plain_text(label)
        + " : %{customdata[3]}<br><i>Cliquer pour ouvrir la fiche du pôle</i><extra></extra>"
    )

    def rows(keep: bool) -> tuple[list[int], list[Any]]:
        index = [i for i, p in enumerate(present) if p == keep]
        custom = [
            [
                str(located.at[i, "pole_id"]),
                plain_text(located.at[i, "nom"]),
                plain_text(
                    f"{located.at[i, 'commune']} · {located.at[i, 'nom_departement']} "
                    f"({located.at[i, 'departement']})"
                ),
                value_with_unit(located.at[i, code], unite) if keep else "valeur non transmise",
            ]
            for i in index
        ]
        return index, custom

    index, custom = rows(True)
    scaled = [((values[i] or 0.0) - cmin) / (cmax - cmin) for i in index]
    fig.add_trace(
        go.Scatter(
            x=[shown_xy[i][0] for i in index],
            y=[shown_xy[i][1] for i in index],
            mode="markers+text",
            text=[str(int(located.at[i, "numero"])) for i in index],
            textposition="middle center",
            textfont={
                "color": [_text_colour(c) for c in sample_colorscale(MAP_COLORSCALE, scaled)],
                "size": 11,
            },
            marker={
                "size": MARKER_SIZE,
                "color": [values[i] for i in index],
                "colorscale": MAP_COLORSCALE,
                "cmin": cmin,
                "cmax": cmax,
                "colorbar": colour_bar(f"{plain_text(label)} ({unite})", unite),
                "line": {"color": MARKER_LINE, "width": 1},
                "opacity": 1,
            },
            customdata=custom,
            hovertemplate=hover,
            name="Pôles",
            showlegend=False,
        )
    )
    index, custom = rows(False)
    fig.add_trace(
        go.Scatter(
            x=[shown_xy[i][0] for i in index],
            y=[shown_xy[i][1] for i in index],
            mode="markers+text",
            text=[str(int(located.at[i, "numero"])) for i in index],
            textposition="middle center",
            textfont={"color": MISSING_COLOR, "size": 11},
            marker={
                "size": MARKER_SIZE,
                "color": "white",
                "line": {"color": MISSING_COLOR, "width": 1.5},
                "opacity": 1,
            },
            customdata=custom,
            hovertemplate=hover,
            name=MISSING_NAME,
            # The legend explains the hollow markers only when there are some.
            showlegend=bool(index),
        )
    )
    fig.update_xaxes(visible=False, fixedrange=True)
    # Same scale on both axes, so France keeps its shape.
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
        # Room under the map for the colour bar and its title.
        margin={"l": 0, "r": 0, "t": 0, "b": 80},
        legend={"x": 0, "y": 1, "xanchor": "left", "yanchor": "top", "bgcolor": "rgba(255,255,255,0.8)"},
        hoverlabel={"namelength": -1, "align": "left"},
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
    )


def _add_leader_lines(
    fig: go.Figure, true_xy: list[tuple[float, float]], shown_xy: list[tuple[float, float]]
) -> None:
    """A thin line from each moved marker to a dot at the pole's true place (drawn under markers)."""
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

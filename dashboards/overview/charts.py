"""Vue d'ensemble charts: the network's trends by domain and the offline map of the poles."""

from __future__ import annotations

import json
import math
from functools import cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboards.shared.display import value_text
from dashboards.shared.plotting import (
    MEDIAN_COLOR,
    NETWORK_COLOR,
    NETWORK_NAME,
    POLE_COLOR,
    SMALL_MULTIPLE_COLUMNS,
    TITLE_ROOM_PX,
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
# Minimum distance between two pole markers, in projected degrees (about one marker width).
MARKER_MIN_DISTANCE = 0.45


def network_domain_figure(trends: pd.DataFrame) -> go.Figure:
    """Network value by year, one small chart per indicator of a domain.

    `trends`: rows of `reads.network_trends` for one domain (annee, code, libelle, unite, valeur),
    in display order. Rates are drawn in percent.
    """
    indicators = trends.drop_duplicates("code")[["code", "libelle", "unite"]]
    indicators = indicators.assign(unite=indicators["unite"].map(network_unit))
    fig, plot_height = small_multiples(indicators)
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
                customdata=[value_text(v, ind.unite) for v in data["valeur"]],
                hovertemplate=f"{plain_text(ind.libelle)}<br>%{{x}} : %{{customdata}}<extra></extra>",
                meta={"code": ind.code},
            ),
            row=row + 1,
            col=col + 1,
        )
        fig.update_yaxes(y_axis(ind.unite), row=row + 1, col=col + 1)
    fig.update_xaxes(year_axis(years))
    return base_layout(fig, showlegend=False, **grid_layout(plot_height, top=TITLE_ROOM_PX))


@cache
def load_france_outline() -> dict[str, Any]:
    """GeoJSON of metropolitan France and Corsica (built by scripts/make_france_outline.py)."""
    path = REFERENCE_DIR / "france_outline.json"
    return json.loads(path.read_text(encoding="utf-8"))


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular projection used by the map (x in 'degrees of latitude')."""
    return lon * MAP_COS_LAT, lat


def spread_markers(
    points: list[tuple[float, float]], min_distance: float = MARKER_MIN_DISTANCE
) -> list[tuple[float, float]]:
    """Nudge markers apart until none overlap (Voiron and Grenoble are 20 km apart).

    A few rounds of pairwise pushes along the line joining two markers; markers already apart do
    not move. Hover texts still give each pole's own commune.
    """
    moved = [list(p) for p in points]
    for _ in range(20):
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
                push = (min_distance - dist) / 2
                moved[i] = [xi - ux * push, yi - uy * push]
                moved[j] = [xj + ux * push, yj + uy * push]
        if clear:
            break
    return [(x, y) for x, y in moved]


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


def france_map_figure(poles: pd.DataFrame, outline: dict[str, Any] | None = None) -> go.Figure:
    """Map of France with one numbered marker per pole.

    `poles`: rows of `reads.poles` (numero, nom, commune, nom_departement, departement,
    latitude, longitude).
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
    located = poles.dropna(subset=["latitude", "longitude"])
    xy = spread_markers(
        [project(lon, lat) for lon, lat in zip(located["longitude"], located["latitude"], strict=True)]
    )
    fig.add_trace(
        go.Scatter(
            x=[x for x, _ in xy],
            y=[y for _, y in xy],
            mode="markers+text",
            text=[str(int(n)) for n in located["numero"]],
            textposition="middle center",
            textfont={"color": "white", "size": 11},
            marker={"size": 24, "color": POLE_COLOR, "line": {"color": "white", "width": 1.5}},
            customdata=[
                [
                    plain_text(r.nom),
                    plain_text(r.commune),
                    plain_text(f"{r.nom_departement} ({r.departement})"),
                ]
                for r in located.itertuples(index=False)
            ],
            hovertemplate=(
                "<b>%{text}. %{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"
            ),
            name="Pôles",
            showlegend=False,
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
        height=560,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
    )

"""Vue d'ensemble charts: the network's trends by domain and the offline map of the poles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale, sequential

from dashboards.shared.display import value_with_unit
from dashboards.shared.maps import (
    MARKER_LINE,
    NUMBERED_MARKER_SIZE,
    add_leader_lines,
    finish_map,
    marker_size,
    outline_trace,
    project,
    spread_markers,
)
from dashboards.shared.plotting import (
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

# Light yellow-green to dark blue: the lightest marker still stands out on the blue-grey land, and
# the number on it is written dark or white, whichever reads.
MAP_COLORSCALE = sequential.YlGnBu[2:]
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
    to be told apart are moved a little, with a line back to the pole's true place; beyond a few
    dozen poles they are smaller and closer together (`maps.marker_size`), dots without a number
    past a hundred or so. Each marker's
    first `customdata` field is the pole's id (what a click on the map hands the page).
    """
    fig = go.Figure()
    fig.add_trace(outline_trace(outline))
    located = poles.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    true_xy = [project(lon, lat) for lon, lat in zip(located["longitude"], located["latitude"], strict=True)]
    shown_xy = spread_markers(true_xy)
    # Markers shrink with their number (see `maps.marker_spacing`); too small for their number, they
    # are dots, and the number is in the hover.
    size = marker_size(len(located))
    mode = "markers+text" if size >= NUMBERED_MARKER_SIZE else "markers"
    add_leader_lines(fig, true_xy, shown_xy, dot_size=min(4.0, size / 2))

    values = [plot_value(v, unite) for v in pd.to_numeric(located[code], errors="coerce")]
    present = [v is not None for v in values]
    cmin, cmax = colour_range([v for v in values if v is not None])
    hover = (
        "<b>%{text}. %{customdata[1]}</b><br>%{customdata[2]}<br>"
        + plain_text(label)
        + " : %{customdata[3]}<br><i>Cliquer pour ouvrir la fiche du pôle</i><extra></extra>"
    )

    # Columns read once as lists: indexing the frame cell by cell costs seconds at 2,000 poles.
    ids = [str(v) for v in located["pole_id"]]
    names = [plain_text(v) for v in located["nom"]]
    places = [
        plain_text(f"{commune} · {department_name} ({department})")
        for commune, department_name, department in zip(
            located["commune"], located["nom_departement"], located["departement"], strict=True
        )
    ]
    raw_values = located[code].tolist()
    numbers = located["numero"].tolist()

    def rows(keep: bool) -> tuple[list[int], list[Any]]:
        index = [i for i, p in enumerate(present) if p == keep]
        custom = [
            [
                ids[i],
                names[i],
                places[i],
                value_with_unit(raw_values[i], unite) if keep else "valeur non transmise",
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
            mode=mode,
            text=[str(int(numbers[i])) for i in index],
            textposition="middle center",
            textfont={
                "color": [_text_colour(c) for c in sample_colorscale(MAP_COLORSCALE, scaled)],
                "size": 11,
            },
            marker={
                "size": size,
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
            mode=mode,
            text=[str(int(numbers[i])) for i in index],
            textposition="middle center",
            textfont={"color": MISSING_COLOR, "size": 11},
            marker={
                "size": size,
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
    # Room under the map for the colour bar and its title.
    return finish_map(fig, bottom=80)

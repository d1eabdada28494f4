"""Chart builders: pure functions from a DataFrame (as a read of `ptce.read` returns it) to a Plotly figure.

No Streamlit here, so every chart is testable on a small frame. All charts speak French: labels,
decimal comma and space as thousands separator (`separators=", "`), and hover texts preformatted
with `ptce.fmt` so they read exactly like the figures elsewhere in the product.

The map does not use Plotly's geo traces: those download their base map from a CDN when displayed,
and the dashboards run on machines without internet. France is drawn from
`ptce/reference/france_outline.json` (Natural Earth) in an equirectangular projection instead.
"""

from __future__ import annotations

import html
import json
import math
from functools import cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboards.display import as_datetime, completeness_text, value_text
from ptce.fmt import fmt_date, fmt_number
from ptce.reference import REFERENCE_DIR

FRENCH_SEPARATORS = ", "  # decimal comma, space between thousands
POLE_COLOR = "#1f5fa8"
NETWORK_COLOR = "#d9822b"
MEDIAN_COLOR = "#7f7f7f"
OUTLINE_FILL = "#eef2f7"
OUTLINE_LINE = "#8da0b5"
# Equirectangular projection centred on metropolitan France: at this latitude one degree of
# longitude is cos(46.5°) times as long as one degree of latitude.
MAP_COS_LAT = math.cos(math.radians(46.5))
MAP_SOURCE = "Fond de carte : Natural Earth (domaine public)"
SMALL_MULTIPLE_COLUMNS = 3
SMALL_MULTIPLE_ROW_PX = 170  # height of one small chart
SMALL_MULTIPLE_GAP_PX = 70  # between rows: room for the next row's title and the year labels
# Minimum distance between two pole markers, in projected degrees (about one marker width).
MARKER_MIN_DISTANCE = 0.45

NETWORK_NAME = "Réseau"
MEDIAN_NAME = "Médiane des pôles"


def _base_layout(fig: go.Figure, **kwargs: Any) -> go.Figure:
    layout: dict[str, Any] = {
        "separators": FRENCH_SEPARATORS,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "hoverlabel": {"namelength": -1},
    }
    fig.update_layout(**{**layout, **kwargs})
    return fig


def _text(value: object) -> str:
    """Text from the warehouse, safe for Plotly's pseudo-HTML labels (`<b>`, `<br>`…)."""
    return html.escape(str(value), quote=False)


def network_unit(unite: str) -> str:
    """Unit of a network figure: a yes/no indicator averaged over poles is a share of poles."""
    return "%" if unite == "oui/non" else unite


def _plot_value(value: float | None, unite: str) -> float | None:
    # Rates are stored as ratios in [0, 1] and plotted in percent, with a " %" suffix on the axis.
    if value is None or pd.isna(value):
        return None
    return float(value) * 100 if unite == "%" else float(value)


def _y_axis(unite: str) -> dict[str, Any]:
    if unite == "%":
        return {"ticksuffix": " %", "tickformat": ",~r", "rangemode": "tozero"}
    if unite == "oui/non":
        return {"tickvals": [0, 1], "ticktext": ["non", "oui"], "range": [-0.1, 1.1]}
    return {"tickformat": ",~r", "rangemode": "tozero"}


def _year_axis(years: list[int]) -> dict[str, Any]:
    # Years as plain labels: no "2 015" from the thousands separator, no "2015,5" ticks.
    return {"tickmode": "array", "tickvals": years, "ticktext": [str(y) for y in years]}


def _indicator_title(libelle: str, unite: str) -> str:
    # The unit only where the label does not already say it ("ETP mutualisés" needs no "(ETP)").
    shown = unite in {"%", "ETP", "heures"} and unite.lower() not in libelle.lower()
    suffix = f" ({unite})" if shown else ""
    return _text(libelle) + suffix


def _small_multiples(indicators: pd.DataFrame) -> tuple[go.Figure, int]:
    """An empty grid with one subplot per row of `indicators` (columns libelle, unite).

    Returns the figure and the height of its plotting area, in pixels: rows keep a fixed size
    whatever their number (see `_grid_layout`).
    """
    n = max(len(indicators), 1)
    cols = min(SMALL_MULTIPLE_COLUMNS, n)
    rows = math.ceil(n / cols)
    plot_height = rows * SMALL_MULTIPLE_ROW_PX + (rows - 1) * SMALL_MULTIPLE_GAP_PX
    titles = [_indicator_title(r.libelle, r.unite) for r in indicators.itertuples(index=False)]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        horizontal_spacing=0.07,
        # Spacing is a fraction of the plot height: convert the fixed gap in pixels.
        vertical_spacing=SMALL_MULTIPLE_GAP_PX / plot_height if rows > 1 else 0.0,
    )
    # Subplot titles are annotations: keep them small so long French labels fit.
    fig.update_annotations(font_size=12)
    return fig, plot_height


def _grid_layout(plot_height: int, top: int) -> dict[str, Any]:
    """Figure height and margins around a grid; `top` is the room above the first row's titles."""
    bottom = 30
    return {"height": top + plot_height + bottom, "margin": {"l": 10, "r": 10, "t": top, "b": bottom}}


def network_domain_figure(trends: pd.DataFrame) -> go.Figure:
    """Network value by year, one small chart per indicator of a domain.

    `trends`: rows of `reads.network_trends` for one domain (annee, code, libelle, unite, valeur),
    in display order. Rates are drawn in percent.
    """
    indicators = trends.drop_duplicates("code")[["code", "libelle", "unite"]]
    indicators = indicators.assign(unite=indicators["unite"].map(network_unit))
    fig, plot_height = _small_multiples(indicators)
    years = sorted(int(y) for y in trends["annee"].unique())
    for i, ind in enumerate(indicators.itertuples(index=False)):
        row, col = divmod(i, SMALL_MULTIPLE_COLUMNS)
        data = trends[trends["code"] == ind.code].sort_values("annee")
        fig.add_trace(
            go.Scatter(
                x=data["annee"].astype(int).tolist(),
                y=[_plot_value(v, ind.unite) for v in data["valeur"]],
                mode="lines+markers",
                name=NETWORK_NAME,
                legendgroup="reseau",
                showlegend=False,
                line={"color": NETWORK_COLOR, "width": 2},
                customdata=[value_text(v, ind.unite) for v in data["valeur"]],
                hovertemplate=f"{_text(ind.libelle)}<br>%{{x}} : %{{customdata}}<extra></extra>",
                meta={"code": ind.code},
            ),
            row=row + 1,
            col=col + 1,
        )
        fig.update_yaxes(_y_axis(ind.unite), row=row + 1, col=col + 1)
    fig.update_xaxes(_year_axis(years))
    return _base_layout(fig, showlegend=False, **_grid_layout(plot_height, top=30))


def pole_domain_figure(series: pd.DataFrame, pole_name: str) -> go.Figure:
    """A pole's values by year beside the network median, one small chart per indicator.

    `series`: rows of `reads.pole_series` for one domain (annee, code, libelle, unite, valeur,
    mediane_reseau), in display order.
    """
    indicators = series.drop_duplicates("code")[["code", "libelle", "unite"]]
    fig, plot_height = _small_multiples(indicators)
    years = sorted(int(y) for y in series["annee"].unique())
    for i, ind in enumerate(indicators.itertuples(index=False)):
        row, col = divmod(i, SMALL_MULTIPLE_COLUMNS)
        data = series[series["code"] == ind.code].sort_values("annee")
        x = data["annee"].astype(int).tolist()
        first = i == 0  # one legend entry per series, not one per subplot
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[_plot_value(v, ind.unite) for v in data["mediane_reseau"]],
                mode="lines+markers",
                name=MEDIAN_NAME,
                legendgroup="mediane",
                showlegend=first,
                line={"color": MEDIAN_COLOR, "dash": "dash", "width": 1.5},
                marker={"size": 5},
                customdata=[value_text(v, ind.unite) for v in data["mediane_reseau"]],
                hovertemplate=f"{MEDIAN_NAME}<br>%{{x}} : %{{customdata}}<extra></extra>",
                meta={"code": ind.code, "serie": "mediane"},
            ),
            row=row + 1,
            col=col + 1,
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[_plot_value(v, ind.unite) for v in data["valeur"]],
                mode="lines+markers",
                name=_text(pole_name),
                legendgroup="pole",
                showlegend=first,
                line={"color": POLE_COLOR, "width": 2.5},
                customdata=[value_text(v, ind.unite) for v in data["valeur"]],
                hovertemplate=f"{_text(pole_name)}<br>%{{x}} : %{{customdata}}<extra></extra>",
                meta={"code": ind.code, "serie": "pole"},
            ),
            row=row + 1,
            col=col + 1,
        )
        fig.update_yaxes(_y_axis(ind.unite), row=row + 1, col=col + 1)
    fig.update_xaxes(_year_axis(years))
    # The legend sits above the first row's titles, in the top margin (paper units: plot height).
    legend = {"orientation": "h", "yanchor": "bottom", "y": 1.0 + 30 / plot_height, "x": 0}
    return _base_layout(fig, legend=legend, **_grid_layout(plot_height, top=70))


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
                    _text(r.nom),
                    _text(r.commune),
                    _text(f"{r.nom_departement} ({r.departement})"),
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
    return _base_layout(
        fig,
        height=560,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
    )


# Completeness: red (nothing) through amber to green (every expected value received).
COMPLETENESS_COLORSCALE: list[list[Any]] = [[0.0, "#c0392b"], [0.5, "#f0b429"], [1.0, "#2e8b57"]]


def completeness_figure(cells: pd.DataFrame) -> go.Figure:
    """Matrix poles x years of one kind of submission, coloured by the share of values received.

    `cells`: rows of `reads.completeness` for one kind (pole_id, pole_nom, numero, annee, taux,
    statut, en_retard, nb_valeurs, nb_attendues, premiere_reception, echeance). A submission not yet
    due ("à venir") is left blank rather than red: nobody is late for it. The cell text is the
    status, flagged when the submission came after the due date.
    """
    years = sorted(int(y) for y in cells["annee"].unique())
    poles = cells.drop_duplicates("pole_id").sort_values("numero")
    by_cell = {(r.pole_id, int(r.annee)): r for r in cells.itertuples(index=False)}
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for pole in poles.itertuples(index=False):
        z_row, text_row, hover_row = [], [], []
        for year in years:
            cell = by_cell.get((pole.pole_id, year))
            if cell is None:
                z_row.append(None)
                text_row.append("")
                hover_row.append("")
                continue
            due = cell.statut == "à venir" or cell.taux is None or pd.isna(cell.taux)
            z_row.append(None if due else float(cell.taux))
            label = completeness_text(cell.statut, cell.en_retard)
            text_row.append(_text(label))
            hover_row.append(
                "<br>".join(
                    [
                        f"<b>{_text(cell.pole_nom)}</b> – {year}",
                        _text(label),
                        f"{fmt_number(cell.nb_valeurs)} valeur(s) sur {fmt_number(cell.nb_attendues)}"
                        " attendue(s)",
                        f"Première réception : {fmt_date(as_datetime(cell.premiere_reception))}",
                        f"Échéance : {fmt_date(as_datetime(cell.echeance))}",
                    ]
                )
            )
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    labels = [_text(n) for n in poles["pole_nom"].fillna(poles["pole_id"])]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(y) for y in years],
            y=labels,
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=COMPLETENESS_COLORSCALE,
            zmin=0,
            zmax=1,
            xgap=2,
            ygap=2,
            colorbar={
                "title": {"text": "Valeurs reçues"},
                "tickvals": [0, 0.5, 1],
                "ticktext": ["0 %", "50 %", "100 %"],
            },
        )
    )
    # Pole 1 at the top, as in every list of poles; years read as labels, not numbers.
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    return _base_layout(fig, height=max(300, 40 * len(labels) + 80))


ANGLES_COLORSCALE = [[0.0, "#f4f6f9"], [1.0, POLE_COLOR]]


def angles_heatmap_figure(counts: pd.DataFrame) -> go.Figure:
    """Poles x working angles: how many of a pole's answers were tagged with each angle.

    `counts` has one row per pole and angle (`reads.angle_counts`: pole_id, numero, nom, tag,
    libelle, nb), zero included; a pair missing from the frame counts as zero.
    """
    angles = counts.drop_duplicates("tag").sort_values("tag")
    poles = counts.drop_duplicates("pole_id")
    if "numero" in poles:
        poles = poles.sort_values("numero", na_position="last", kind="stable")
    by_cell = {(r.pole_id, r.tag): int(r.nb) for r in counts.itertuples(index=False) if not pd.isna(r.nb)}
    z = [[by_cell.get((p, t), 0) for t in angles["tag"]] for p in poles["pole_id"]]
    x = [_text(lib) for lib in angles["libelle"].fillna(angles["tag"])]
    y = [_text(n) for n in poles["nom"].fillna(poles["pole_id"])]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            text=[[fmt_number(v) for v in row] for row in z],
            texttemplate="%{text}",
            hovertemplate="<b>%{y}</b><br>%{x} : %{z} réponse(s)<extra></extra>",
            colorscale=ANGLES_COLORSCALE,
            zmin=0,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "Réponses"}},
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    return _base_layout(fig, height=max(300, 40 * len(y) + 120))

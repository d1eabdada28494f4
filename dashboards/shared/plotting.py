"""What every chart shares: French number format, colours, axes by unit, grids of small charts.

Pure functions and constants; the charts themselves live next to their page.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboards.shared.display import value_with_unit

FRENCH_SEPARATORS = ", "  # decimal comma, space between thousands
POLE_COLOR = "#1f5fa8"
NETWORK_COLOR = "#d9822b"
MEDIAN_COLOR = "#7f7f7f"
SMALL_MULTIPLE_COLUMNS = 3
SMALL_MULTIPLE_ROW_PX = 170  # height of one small chart
SMALL_MULTIPLE_GAP_PX = 70  # between rows: room for a one-line title and the year labels
TITLE_LINE_PX = 16  # one line of a small chart's title at 12 px
NETWORK_NAME = "Réseau"
MEDIAN_NAME = "Médiane des pôles"


def base_layout(fig: go.Figure, **kwargs: Any) -> go.Figure:
    layout: dict[str, Any] = {
        "separators": FRENCH_SEPARATORS,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "hoverlabel": {"namelength": -1},
    }
    fig.update_layout(**{**layout, **kwargs})
    return fig


def plain_text(value: object) -> str:
    """Text from the warehouse, safe for Plotly's pseudo-HTML labels (`<b>`, `<br>`…)."""
    return html.escape(str(value), quote=False)


def network_unit(unite: str) -> str:
    """Unit of a network figure: a yes/no indicator averaged over poles is a share of poles."""
    return "%" if unite == "oui/non" else unite


def plot_value(value: float | None, unite: str) -> float | None:
    # Rates are stored as ratios in [0, 1] and plotted in percent, with a " %" suffix on the axis.
    if value is None or pd.isna(value):
        return None
    return float(value) * 100 if unite == "%" else float(value)


# The unit on a value axis: its title (a small word beside the ticks).
AXIS_UNITS: dict[str, str] = {
    "%": "%",
    "personnes": "personnes",
    "emplois": "emplois",
    "contrats": "contrats",
    "heures": "heures",
    "ETP": "ETP",
    "nombre": "nombre",
    "ratio": "rapport",
    "oui/non": "",  # the ticks say « non » and « oui »
}


def axis_unit(unite: str) -> str:
    return AXIS_UNITS.get(unite, unite)


def y_axis(unite: str) -> dict[str, Any]:
    """A value axis in the indicator's unit: ticks in French, the unit as the axis title."""
    title = {"text": axis_unit(unite), "font": {"size": 11}, "standoff": 4}
    if unite == "%":
        return {"ticksuffix": " %", "tickformat": ",~r", "rangemode": "tozero", "title": title}
    if unite == "oui/non":
        return {"tickvals": [0, 1], "ticktext": ["non", "oui"], "range": [-0.1, 1.1]}
    return {"tickformat": ",~r", "rangemode": "tozero", "title": title}


def value_trace(
    x: list[int],
    values: Any,
    unite: str,
    *,
    name: str,
    meta: dict[str, str],
    line: dict[str, Any],
    showlegend: bool,
    legendgroup: str,
    hover_name: str | None = None,
    marker: dict[str, Any] | None = None,
) -> go.Scatter:
    """A line of values by year in an indicator's unit (rates in percent), the value and its unit
    in the tooltip under `hover_name` (default: `name`, already safe for Plotly's labels)."""
    return go.Scatter(
        x=x,
        y=[plot_value(v, unite) for v in values],
        mode="lines+markers",
        name=name,
        legendgroup=legendgroup,
        showlegend=showlegend,
        line=line,
        marker=marker or {},
        customdata=[value_with_unit(v, unite) for v in values],
        hovertemplate=f"{hover_name or name}<br>%{{x}} : %{{customdata}}<extra></extra>",
        meta=meta,
    )


def median_trace(x: list[int], medians: Any, unite: str, code: str, showlegend: bool) -> go.Scatter:
    """The median of the poles by year, dashed grey, beside a pole's or the network's line."""
    return value_trace(
        x,
        medians,
        unite,
        name=MEDIAN_NAME,
        meta={"code": code, "serie": "mediane"},
        line={"color": MEDIAN_COLOR, "dash": "dash", "width": 1.5},
        marker={"size": 5},
        showlegend=showlegend,
        legendgroup="mediane",
    )


def year_axis(years: list[int]) -> dict[str, Any]:
    # Years as plain labels: no "2 015" from the thousands separator, no "2015,5" ticks.
    return {"tickmode": "array", "tickvals": years, "ticktext": [str(y) for y in years]}


# A label's own note on how a yes/no is coded, meaningless once poles are averaged into a share.
_CODING_NOTE = re.compile(r"\s*\(1\s*=\s*oui,\s*0\s*=\s*non\)\s*$", re.IGNORECASE)
# A small chart's title longer than this goes on two lines: three charts side by side on an A4
# sheet or a narrow screen (about 200 px each) leave room for about 34 characters on a line.
TITLE_LINE_CHARS = 34


def wrap_title(text: str, width: int = TITLE_LINE_CHARS) -> str:
    """A title on two lines at most (`<br>` between words), a little longer each for the longest
    labels, so that none is cut; the room above a row grows with it (`small_multiples`)."""
    width = max(width, math.ceil(len(text) / 2) + 4)
    return "<br>".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def indicator_title(libelle: str, unite: str) -> str:
    """Title of an indicator's small chart: its label without the yes/no coding note, wrapped.

    A yes/no indicator drawn for the network is the share of poles answering yes (`network_unit`
    turns its unit into %), which the title says; the unit of every other chart is on its axis.
    """
    label = _CODING_NOTE.sub("", str(libelle))
    if unite == "%" and _CODING_NOTE.search(str(libelle)):
        label = f"{label} : part des pôles"
    return wrap_title(plain_text(label))


def small_multiples(indicators: pd.DataFrame) -> tuple[go.Figure, int, int]:
    """An empty grid with one subplot per row of `indicators` (columns libelle, unite).

    Returns the figure, the height of its plotting area and the height its titles take above a
    row, in pixels: rows keep a fixed size whatever their number (see `grid_layout`), and the gap
    between rows grows with the longest title so that no title is cut or overlaps the year labels.
    """
    n = max(len(indicators), 1)
    cols = min(SMALL_MULTIPLE_COLUMNS, n)
    rows = math.ceil(n / cols)
    titles = [indicator_title(r.libelle, r.unite) for r in indicators.itertuples(index=False)]
    title_px = TITLE_LINE_PX * max([t.count("<br>") + 1 for t in titles] or [1]) + 8
    gap = SMALL_MULTIPLE_GAP_PX - TITLE_LINE_PX + title_px
    plot_height = rows * SMALL_MULTIPLE_ROW_PX + (rows - 1) * gap
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        horizontal_spacing=0.09,
        # Spacing is a fraction of the plot height: convert the fixed gap in pixels.
        vertical_spacing=gap / plot_height if rows > 1 else 0.0,
    )
    # Subplot titles are annotations: keep them small so long French labels fit.
    fig.update_annotations(font_size=12)
    return fig, plot_height, title_px


def grid_layout(plot_height: int, top: int) -> dict[str, Any]:
    """Figure height and margins around a grid; `top` is the room above the first row's titles."""
    bottom = 30
    return {"height": top + plot_height + bottom, "margin": {"l": 10, "r": 10, "t": top, "b": bottom}}

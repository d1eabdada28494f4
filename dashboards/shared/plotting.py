"""What every chart shares: French number format, colours, axes by unit, grids of small charts.

Pure functions and constants; the charts themselves live next to their page.
"""

from __future__ import annotations

import html
import math
import textwrap
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

FRENCH_SEPARATORS = ", "  # decimal comma, space between thousands
POLE_COLOR = "#1f5fa8"
NETWORK_COLOR = "#d9822b"
MEDIAN_COLOR = "#7f7f7f"
SMALL_MULTIPLE_COLUMNS = 3
SMALL_MULTIPLE_ROW_PX = 170  # height of one small chart
SMALL_MULTIPLE_GAP_PX = 70  # between rows: room for the next row's title and the year labels
# A small chart's title longer than this goes on two lines: three charts side by side on an A4
# sheet or a narrow screen (about 200 px each) leave room for about 34 characters on a line.
TITLE_LINE_CHARS = 34
# Room above a row of small charts for a title on two lines (12 px font).
TITLE_ROOM_PX = 36
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


def y_axis(unite: str) -> dict[str, Any]:
    if unite == "%":
        return {"ticksuffix": " %", "tickformat": ",~r", "rangemode": "tozero"}
    if unite == "oui/non":
        return {"tickvals": [0, 1], "ticktext": ["non", "oui"], "range": [-0.1, 1.1]}
    return {"tickformat": ",~r", "rangemode": "tozero"}


def year_axis(years: list[int]) -> dict[str, Any]:
    # Years as plain labels: no "2 015" from the thousands separator, no "2015,5" ticks.
    return {"tickmode": "array", "tickvals": years, "ticktext": [str(y) for y in years]}


def indicator_title(libelle: str, unite: str) -> str:
    # The unit only where the label does not already say it ("ETP mutualisés" needs no "(ETP)").
    shown = unite in {"%", "ETP", "heures"} and unite.lower() not in libelle.lower()
    suffix = f" ({unite})" if shown else ""
    title = libelle + suffix
    # Two lines at most (the room above a row), a little longer each for the longest labels.
    width = max(TITLE_LINE_CHARS, math.ceil(len(title) / 2) + 4)
    lines = textwrap.wrap(title, width, break_long_words=False) or [""]
    return "<br>".join(plain_text(line) for line in lines)


def small_multiples(indicators: pd.DataFrame) -> tuple[go.Figure, int]:
    """An empty grid with one subplot per row of `indicators` (columns libelle, unite).

    Returns the figure and the height of its plotting area, in pixels: rows keep a fixed size
    whatever their number (see `grid_layout`).
    """
    n = max(len(indicators), 1)
    cols = min(SMALL_MULTIPLE_COLUMNS, n)
    rows = math.ceil(n / cols)
    plot_height = rows * SMALL_MULTIPLE_ROW_PX + (rows - 1) * SMALL_MULTIPLE_GAP_PX
    titles = [indicator_title(r.libelle, r.unite) for r in indicators.itertuples(index=False)]
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


def grid_layout(plot_height: int, top: int) -> dict[str, Any]:
    """Figure height and margins around a grid; `top` is the room above the first row's titles."""
    bottom = 30
    return {"height": top + plot_height + bottom, "margin": {"l": 10, "r": 10, "t": top, "b": bottom}}

"""Charts as SVG for the PDF: the dashboards' own Plotly figures drawn by kaleido in Debian's Chromium.

kaleido 1.x draws a figure by loading it in a headless Chromium. `plotly.io.to_image` wraps it, but
starts a new browser for every figure (about 3 s each, so a minute and more for a report of twenty
charts) and lets kaleido's page load MathJax from a CDN. This module talks to `kaleido.Kaleido`
directly instead: one browser for all the charts of a report (about 0.2 s a chart once it is up),
Debian's `/usr/bin/chromium` only (`PTCE_CHROMIUM` to point elsewhere; nothing is ever downloaded),
plotly.js from the installed plotly package and MathJax off, so that drawing fetches nothing.

The browser runs on its own event loop in a worker thread: callers (the CLI, a Dagster asset, a
Streamlit page) may already run a loop of their own.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go

from reports.model import ReportChart, ReportError

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
# The PDF draws the SVG's text with the fonts it has (DejaVu on Debian); Chromium measures the
# labels with the same family so that they keep the width the layout was computed for.
FONT_FAMILY = "DejaVu Sans, sans-serif"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# Beyond this, the browser is considered stuck (a chart takes well under a second).
START_SECONDS = 60
CHART_SECONDS = 90

INSTALL_HINT = (
    "Installez-le en root avec « apt-get install chromium » (ou lancez ./scripts/demo.sh en root, "
    "qui installe les paquets nécessaires, voir « Démarrer » dans le README), ou indiquez un autre "
    "Chromium avec la variable PTCE_CHROMIUM."
)


def chromium_path() -> Path:
    """The Chromium kaleido drives: `$PTCE_CHROMIUM`, else Debian's `/usr/bin/chromium`."""
    return Path(os.environ.get("PTCE_CHROMIUM") or DEFAULT_CHROMIUM)


def _pdf_figure(chart: ReportChart) -> dict[str, Any]:
    # A copy: the figure belongs to the caller (and may be shown by a dashboard too).
    figure = go.Figure(chart.figure)
    # A height the chart function computed (small multiples grow with their rows) wins over the
    # default: forcing 450 px squeezed five rows of small charts onto each other.
    height = figure.layout.height or chart.height
    figure.update_layout(font_family=FONT_FAMILY, width=chart.width, height=height)
    return figure.to_dict()


async def _draw(figures: list[dict[str, Any]], browser: Path) -> list[bytes]:
    import kaleido  # imported here: it starts nothing, but is only needed for the PDF

    drawn: list[bytes] = []
    async with kaleido.Kaleido(
        path=str(browser), plotlyjs=str(PLOTLY_JS), mathjax=False, timeout=CHART_SECONDS
    ) as painter:
        for figure in figures:
            layout = figure.get("layout", {})
            opts = {"format": "svg", "width": layout["width"], "height": layout["height"]}
            drawn.append(await painter.calc_fig(figure, opts=opts))
    return drawn


def _run_in_thread(figures: list[dict[str, Any]], browser: Path) -> list[bytes]:
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["svgs"] = asyncio.run(_draw(figures, browser))
        except BaseException as error:  # handed over to the calling thread, which raises it
            outcome["error"] = error

    worker = threading.Thread(target=work, name="ptce-kaleido", daemon=True)
    worker.start()
    worker.join(START_SECONDS + CHART_SECONDS * max(len(figures), 1))
    if worker.is_alive():
        raise ReportError(
            f"Chromium ({browser}) ne répond pas : les graphiques du PDF n'ont pas pu être dessinés. "
            + INSTALL_HINT
        )
    if "error" in outcome:
        error = outcome["error"]
        raise ReportError(
            f"Chromium ({browser}) n'a pas pu dessiner les graphiques du PDF "
            f"({_reason(error)}). " + INSTALL_HINT
        ) from error
    return outcome["svgs"]


def _reason(error: BaseException) -> str:
    # The first words of the library's message only: the rest suggests downloading a browser.
    first = str(error.args[0]) if error.args else ""
    return f"{type(error).__name__} : {first}" if first else type(error).__name__


# What an SVG may point at: its own namespaces and its own elements (`url(#clip…)`, `href="#…"`).
NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml")
_URL = re.compile(r"""(?:https?:|file:|ftp:)[^\s"'()<>]*""", re.IGNORECASE)
_REFERENCE = re.compile(r"""url\(\s*['"]?(?!#)|(?:xlink:)?href\s*=\s*['"](?!#)|@import|@font-face""", re.I)


def external_references(svg: str) -> list[str]:
    """What in `svg` would make a reader fetch something: URLs other than the SVG namespaces,
    `url(…)`/`href` not pointing inside the document, `@import`, `@font-face`."""
    found = [url for url in _URL.findall(svg) if url not in NAMESPACES]
    found += [match.group(0) for match in _REFERENCE.finditer(svg)]
    return found


def figure_svgs(charts: Sequence[ReportChart]) -> list[str]:
    """The charts as SVG documents, in order, drawn by one Chromium started for them all.

    Raises `ReportError` (in French, saying what to install) when Chromium is missing or fails.
    """
    if not charts:
        return []
    browser = chromium_path()
    if not browser.is_file():
        raise ReportError(
            f"Chromium est introuvable ({browser}) : il dessine les graphiques du PDF. " + INSTALL_HINT
        )
    svgs = [raw.decode("utf-8") for raw in _run_in_thread([_pdf_figure(c) for c in charts], browser)]
    for chart, svg in zip(charts, svgs, strict=True):
        if "<svg" not in svg:
            raise ReportError(
                f"Le graphique « {chart.title} » n'a pas été dessiné (image vide). " + INSTALL_HINT
            )
        if leaks := external_references(svg):
            # Never expected from plotly.js; refusing keeps the PDF free of anything fetched.
            raise ReportError(f"Le graphique « {chart.title} » fait référence à l'extérieur : {leaks[:3]}.")
    return svgs


def figure_svg(chart: ReportChart) -> str:
    """One chart as an SVG document (its own browser: use `figure_svgs` for many)."""
    return figure_svgs([chart])[0]

"""The report as HTML and PDF: one Jinja2 template (`templates/report.html.j2`) for both.

- `render_html(report, interactive=True)`: a self-contained page for a browser, every chart a Plotly
  chart with plotly.js inlined once from the installed plotly package; nothing is fetched from
  outside (no CDN, no web font, no link to load).
- `render_html(report, interactive=False)`: the same page with each chart as an SVG image drawn by
  kaleido (`reports.images`), what WeasyPrint turns into the PDF (`write_pdf`).

Every text of a `Report` is plain text: the template escapes it (autoescape on, never `|safe` on
report text). The only markup not written by the template itself is plotly's chart div (plotly
escapes the figure's JSON) and the charts' SVG, carried inside a `data:` URI.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import plotly.io as pio
import plotly.offline
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ptce import small_cells
from ptce.fmt import fmt_date, fmt_datetime, fmt_number, fmt_percent
from reports.images import figure_svgs
from reports.model import Cell, Column, Report, ReportChart, ReportError, ReportTable, Section

TEMPLATES = Path(__file__).parent / "templates"
NBSP = "\u00a0"  # before « : » (a full-width space that never breaks)
NNBSP = "\u202f"  # before « ; ! ? % » and inside « » (the narrow one)
MISSING = "–"
DEMO_NOTICE = "Données fictives — rapport de démonstration"

# French typography (Imprimerie nationale): the space before high punctuation never breaks a line.
# Each rule replaces the space already there (plain or non-breaking) or adds one, so applying the
# filter twice changes nothing. Colons, « ; », « ! » and « ? » are only spaced when they end a word
# (followed by a space, a closing mark or the end): « 14:30 », « https://… » and « a?b=1 » stay whole.
_SPACES = "[ \u00a0\u202f]?"
_TYPOGRAPHY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"(?<=\S){_SPACES}([;!?]+)(?=[\s»)\].,]|$)"), NNBSP + r"\1"),
    (re.compile(rf"(?<=\S){_SPACES}:(?=\s|$)"), NBSP + ":"),
    # A percent sign after a number, not a URL's escape (« %20 »).
    (re.compile(rf"(?<=\d){_SPACES}%(?![0-9A-Fa-f]{{2}})"), NNBSP + "%"),
    (re.compile(rf"«{_SPACES}"), "«" + NNBSP),
    (re.compile(rf"{_SPACES}»"), NNBSP + "»"),
)


def french_typography(text: object) -> str:
    """Plain text with French non-breaking spaces: narrow before « ; ! ? % » and inside « »,
    ordinary no-break before « : ». Returns plain text (the template escapes it afterwards)."""
    result = "" if text is None else str(text)
    for pattern, replacement in _TYPOGRAPHY:
        result = pattern.sub(replacement, result)
    return result


def _is_missing(value: Cell) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def format_cell(value: Cell, column: Column) -> str:
    """A table cell as printed: French numbers by `column.kind`, a masked label (« < 5 », « s »)
    as it is, a missing value « – »."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, str) or column.kind == "text":
        if column.kind == "date" and isinstance(value, str):
            return _date_text(value)
        return str(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if column.kind == "percent":
        return french_typography(fmt_percent(value, decimals=column.decimals))
    if column.kind == "money":
        return fmt_number(value, decimals=column.decimals) + NNBSP + "€"
    if column.kind == "date":
        return fmt_date(value) if isinstance(value, date) else str(value)
    return fmt_number(value, decimals=column.decimals)


def _date_text(value: str) -> str:
    # An ISO date (« 2016-11-24 ») written the French way; any other text is printed as it is.
    try:
        return fmt_date(datetime.fromisoformat(value))
    except ValueError:
        return value


NUMERIC_KINDS = frozenset({"count", "number", "percent", "money"})


def is_masked(value: Cell, column: Column) -> bool:
    """A small-cell label where a number is expected (the model keeps masked counts as text)."""
    return column.kind in NUMERIC_KINDS and isinstance(value, str)


def has_masked_cells(table: ReportTable) -> bool:
    return any(
        is_masked(cell, column) for row in table.rows for cell, column in zip(row, table.columns, strict=True)
    )


def shown_unit(display: str, unit: str) -> str:
    """The unit printed after a key figure, unless its display already ends with it (« 45,2 % »)."""
    return "" if not unit or display.replace(NNBSP, " ").rstrip().endswith(unit) else unit


@dataclass
class _Node:
    """A section with its anchor in the page, its heading level (2 for a section) and whether
    it starts a new page."""

    section: Section
    anchor: str
    level: int
    page_break: bool
    children: list[_Node] = field(default_factory=list)


def _only_text(section: Section) -> bool:
    # Two sentences at most: a longer introduction (reading notes) fills enough of its page that
    # the first subsection would not fit under it.
    return not (section.key_figures or section.charts or section.tables) and len(section.paragraphs) <= 2


def _nodes(
    sections: list[Section], prefix: str = "section", level: int = 2, parent: Section | None = None
) -> list[_Node]:
    # Anchors from positions, not from keys: keys may repeat (one subsection per pole in each part)
    # and need not be valid in an URL fragment.
    nodes = []
    for i, section in enumerate(sections, start=1):
        # The first subsection follows its part's introduction on the same page when that part
        # holds only a few sentences: otherwise the part's title stood alone on a blank page.
        breaks = section.page_break and not (i == 1 and parent is not None and _only_text(parent))
        anchor = f"{prefix}-{i}"
        children = _nodes(section.subsections, anchor, level + 1, section)
        nodes.append(_Node(section, anchor, level, breaks, children))
    return nodes


def _toc(nodes: list[_Node]) -> list[_Node]:
    entries: list[_Node] = []
    for node in nodes:
        entries.append(node)
        entries.extend(_toc(node.children))
    return entries


def _interactive_chart(chart: ReportChart, number: int) -> Markup:
    config = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["sendDataToCloud"]}
    # plotly writes the figure as JSON with « < », « > » and « / » escaped: no text of the figure
    # can close the script element.
    div = pio.to_html(
        chart.figure,
        config=config,
        include_plotlyjs=False,
        include_mathjax=False,
        full_html=False,
        default_width="100%",
        default_height=f"{chart.height}px",
        div_id=f"graphique-{number}",
    )
    return Markup(div)


def _svg_chart(svg: str, chart: ReportChart) -> Markup:
    # As an image rather than inline SVG: each chart keeps its own ids (plotly's clip paths) and
    # scales to the page width from its viewBox.
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup('<img class="chart-image" src="data:image/svg+xml;base64,{}" alt="{}">').format(
        data, french_typography(chart.alt)
    )


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["typo"] = french_typography
    env.globals.update(
        format_cell=format_cell, is_masked=is_masked, has_masked_cells=has_masked_cells, shown_unit=shown_unit
    )
    return env


_ENV = _environment()


def render_html(report: Report, *, interactive: bool) -> str:
    """The report as one HTML page: interactive Plotly charts (`interactive=True`, for the browser)
    or SVG images (`interactive=False`, what the PDF is made from)."""
    charts = report.all_charts()
    if interactive:
        drawn = [_interactive_chart(chart, n) for n, chart in enumerate(charts, start=1)]
    else:
        drawn = [_svg_chart(svg, chart) for svg, chart in zip(figure_svgs(charts), charts, strict=True)]
    # Charts are looked up by identity: two charts may share a key (one per pole).
    chart_html = {id(chart): html for chart, html in zip(charts, drawn, strict=True)}
    nodes = _nodes(report.sections)
    publication = report.publication
    return _ENV.get_template("report.html.j2").render(
        report=report,
        interactive=interactive,
        nodes=nodes,
        toc=_toc(nodes),
        chart_markup=lambda chart: chart_html[id(chart)],
        # Markup only for what this module and plotly write: the style sheet and plotly.js.
        css=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        plotly_js=Markup(plotly.offline.get_plotlyjs()) if interactive and charts else None,
        demo_notice=DEMO_NOTICE,
        publication_text=(
            f"Construit à partir de la publication du {fmt_datetime(publication.published_at)} "
            f"(exécution {publication.run_id})"
        ),
        publication_detail=(
            f"Catalogue des indicateurs version {publication.catalogue_version} ; "
            f"{fmt_number(publication.file_count)} fichier{'s' if publication.file_count >= 2 else ''} "
            f"reçu{'s' if publication.file_count >= 2 else ''}"
        ),
        generated_text=f"Rapport produit le {fmt_datetime(report.generated_at)}",
        small_cell_note=small_cells.note(report.threshold),
    )


def write_html(report: Report, path: Path) -> Path:
    """The self-contained interactive HTML, written as UTF-8."""
    path = Path(path)
    path.write_text(render_html(report, interactive=True), encoding="utf-8")
    return path


def write_pdf(report: Report, path: Path) -> int:
    """The PDF (A4, page numbers, table of contents with page numbers, charts as vector images);
    returns its page count. Raises `ReportError` when the system lacks what WeasyPrint or the
    charts need, saying in French what to install."""
    html = render_html(report, interactive=False)
    try:
        # Imported here: without Pango the import fails, and the HTML needs none of it.
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except OSError as error:  # Pango missing: WeasyPrint cannot load its libraries
        raise ReportError(
            "WeasyPrint, qui écrit le PDF, ne trouve pas la bibliothèque Pango "
            f"({error}). Installez-la en root avec « apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            "fonts-dejavu-core » (ou lancez ./scripts/demo.sh en root, voir « Démarrer » dans le README)."
        ) from error
    # The page carries everything it shows (styles inline, charts as data: URIs): any other URL
    # would be a request leaving the machine, which the report never makes.
    local_only = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, url_fetcher=local_only).render()
    document.write_pdf(Path(path))
    return len(document.pages)

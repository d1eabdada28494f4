"""The report's renderers (reports/render.py, reports/images.py) on a small report built by hand.

The report is written here, field by field, independently of the content builder: two sections,
the second with a subsection per pole; a table with a masked count (« < 5 »), a secondary mask
(« s »), a missing value and a percentage; a long table that spans pages; two charts; hostile
text. One PDF and one HTML of it are shared by the module (kaleido and WeasyPrint take seconds).
"""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import plotly.graph_objects as go
import pytest
from pypdf import PdfReader

from reports.images import figure_svg
from reports.model import (
    Column,
    KeyFigure,
    Publication,
    Report,
    ReportChart,
    ReportError,
    ReportTable,
    Section,
)
from reports.render import french_typography, render_html, write_html, write_pdf

NBSP, NNBSP = "\u00a0", "\u202f"
DEMO_NOTICE = "Données fictives — rapport de démonstration"
HOSTILE = 'Texte <script>alert(1)</script> et =HYPERLINK("http://exemple.org/x";"clic")'
LONG_ROWS = 70  # enough rows to run over a page


def _bar(title: str, names: list[str], values: list[float]) -> go.Figure:
    return go.Figure(go.Bar(x=names, y=values), layout={"title": {"text": title}})


def _report() -> Report:
    network_table = ReportTable(
        key="personnes",
        title="Personnes accompagnées par pôle",
        columns=(
            Column("Pôle"),
            Column("Personnes", "count"),
            Column("Sorties dynamiques", "percent", decimals=1),
            Column("Heures", "number", decimals=1),
        ),
        rows=(
            ("Pôle Alpha", 1234, 0.452, 12.5),
            ("Pôle Bêta", "< 5", None, "s"),
            ("Pôle Gamma", 57, 0.5, None),
        ),
        sources=("alpha.xlsx", "beta.xlsx", "gamma.xlsx"),
        note="Source : fichiers des pôles.",
        sheet="Réseau",
    )
    long_table = ReportTable(
        key="visites",
        title="Visites apprenantes",
        columns=(Column("Visite"), Column("Participants", "count"), Column("Date", "date")),
        rows=tuple((f"Visite numéro {i}", 10 + i, "2016-11-24") for i in range(1, LONG_ROWS + 1)),
        sources=tuple("visites.xlsx" for _ in range(LONG_ROWS)),
    )
    network = Section(
        key="reseau",
        title="Le réseau en 2016",
        paragraphs=[
            "Les 3 pôles ont accompagné 1 291 personnes en 2016 : soit 8 % de plus qu'en 2015.",
            HOSTILE,
        ],
        key_figures=[
            KeyFigure(
                "Personnes accompagnées",
                1291,
                f"1{NNBSP}291",
                unit="personnes",
                change="+8 % par rapport à 2015",
            ),
            KeyFigure("Sorties vers l'emploi", None, "< 5", masked=True),
            KeyFigure("Taux de sortie dynamique", 0.48, "48,0 %", unit="%"),
        ],
        charts=[
            ReportChart(
                "personnes",
                "Personnes par pôle",
                _bar("Personnes", ["Pôle Alpha", "Pôle Gamma"], [1234, 57]),
                "Barres : personnes accompagnées par pôle en 2016.",
            )
        ],
        tables=[network_table],
        page_break=True,
    )
    alpha = Section(
        key="alpha",
        title="Pôle Alpha",
        paragraphs=["Le pôle Alpha a tenu 70 visites."],
        charts=[
            ReportChart(
                "visites",
                "Visites par trimestre",
                _bar("Visites", ["T1", "T2", "T3", "T4"], [10, 20, 15, 25]),
                "Barres : visites par trimestre.",
            )
        ],
        tables=[long_table],
        page_break=True,
    )
    poles = Section(
        key="poles", title="Les pôles un par un", paragraphs=["Une partie par pôle."], subsections=[alpha]
    )
    return Report(
        year=2016,
        title="Rapport annuel de la communauté apprenante",
        subtitle="PTCE Emploi et sécurisation des parcours",
        demo=True,
        publication=Publication("run-2017-01-15", datetime(2017, 1, 15, 9, 30), "1.2", 48),
        threshold=5,
        summary=["Les 3 pôles ont accompagné 1 291 personnes en 2016."],
        sections=[network, poles],
        generated_at=datetime(2017, 2, 1, 10, 0),
    )


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("rapport") / "rapport.pdf"
    return path, write_pdf(_report(), path)


@pytest.fixture(scope="module")
def pages(pdf: tuple[Path, int]) -> list[str]:
    # Spaces normalised: the PDF holds French non-breaking spaces.
    texts = [page.extract_text() for page in PdfReader(pdf[0]).pages]
    return [text.replace(NBSP, " ").replace(NNBSP, " ") for text in texts]


@pytest.fixture(scope="module")
def interactive_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_html(_report(), tmp_path_factory.mktemp("rapport") / "rapport.html")
    return path.read_text(encoding="utf-8")


# --- PDF ---------------------------------------------------------------------------------------


def test_the_page_count_returned_is_the_pdf_s(pdf: tuple[Path, int]) -> None:
    path, count = pdf
    assert count == len(PdfReader(path).pages)
    # cover, contents, the network part, the pole part whose long table runs over a second page
    assert count >= 5


def test_every_page_carries_the_demo_notice_and_its_number(pages: list[str]) -> None:
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert DEMO_NOTICE in text, f"page {number}"
        assert f"page {number} / {total}" in text, f"page {number}"


def test_the_contents_list_the_sections_with_their_pages(pages: list[str]) -> None:
    contents = pages[1]
    assert "Sommaire" in contents
    # Cover, contents, then « Le réseau en 2016 » from page 3; the pole part starts a page later
    # at least (its own page break); its first subsection follows its one-sentence introduction
    # on the same page instead of leaving it alone on a page.
    network = re.search(r"Le réseau en 2016\s*\.*\s*(\d+)", contents)
    poles = re.search(r"Les pôles un par un\s*\.*\s*(\d+)", contents)
    alpha = re.search(r"Pôle Alpha\s*\.*\s*(\d+)", contents)
    assert network and poles and alpha, contents
    assert int(network.group(1)) == 3
    assert "Le réseau en 2016" in pages[2]
    assert "Les pôles un par un" in pages[int(poles.group(1)) - 1]
    assert int(alpha.group(1)) == int(poles.group(1))
    assert "Pôle Alpha" in pages[int(alpha.group(1)) - 1]


def test_the_masked_labels_are_printed_and_nothing_else_in_their_row(pages: list[str]) -> None:
    network = pages[2]
    row = next(line for line in network.splitlines() if line.startswith("Pôle Bêta"))
    # « < 5 », a missing value « – » and the secondary mask « s »: no other figure in the row.
    assert re.sub(r"\s+", " ", row).strip() == "Pôle Bêta < 5 – s"
    assert "Pôle Alpha 1 234 45,2 % 12,5" in network
    assert "« < 5 » : moins de 5 personnes" in network  # the small-cell note under the table
    assert "48,0 %" in network and "48,0 % %" not in network  # a unit the figure already says


def test_the_cover_states_the_publication_and_the_demo(pages: list[str]) -> None:
    cover = pages[0]
    assert "Construit à partir de la publication du 15/01/2017 à 09:30 (exécution run-2017-01-15)" in cover
    assert "Données fictives" in cover and "2016" in cover


def test_a_long_table_repeats_its_header_on_the_next_page(pages: list[str]) -> None:
    holding = [i for i, text in enumerate(pages) if "Visite numéro" in text]
    assert len(holding) >= 2
    for i in holding:
        assert "Participants" in pages[i]
    assert "Visite numéro 70 80 24/11/2016" in pages[holding[-1]]


# --- HTML --------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """What matters in a page: every URL-bearing attribute, the scripts, the text of paragraphs."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self.paragraphs: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in {"src", "href", "srcset", "action", "data", "poster", "background"}:
                self.urls.append((tag, name, value or ""))
        if tag in {"script", "p"}:
            self._in = tag
            (self.scripts if tag == "script" else self.paragraphs).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "p":
            self.paragraphs[-1] += data


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_report_text_is_escaped_not_markup(interactive_html: str) -> None:
    page = _parse(interactive_html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in interactive_html
    assert not any("alert(1)" in script for script in page.scripts)
    assert 'Texte <script>alert(1)</script> et =HYPERLINK("http://exemple.org/x";"clic")' in page.paragraphs
    assert ("a", "href", "http://exemple.org/x") not in page.urls


def test_the_interactive_html_fetches_nothing(interactive_html: str) -> None:
    page = _parse(interactive_html)
    for tag, name, value in page.urls:
        assert value.startswith("#"), (tag, name, value)  # only the contents' links to the sections
    assert "link" not in page.tags and "iframe" not in page.tags
    assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", interactive_html, re.IGNORECASE)
    assert "@import" not in interactive_html and "@font-face" not in interactive_html


def test_the_interactive_html_has_a_plotly_chart_each_and_plotly_js_once(interactive_html: str) -> None:
    assert interactive_html.count('class="plotly-graph-div"') == 2
    assert len(re.findall(r"\* plotly\.js v\d", interactive_html)) == 1
    page = _parse(interactive_html)
    assert len(page.scripts) == 3  # plotly.js, then one script drawing each chart
    assert sum("Plotly.newPlot" in script for script in page.scripts) == 2


def test_the_pdf_s_html_holds_charts_as_svg_images() -> None:
    report = _report()
    html = render_html(report, interactive=False)
    page = _parse(html)
    images = [value for tag, name, value in page.urls if tag == "img"]
    assert len(images) == 2 and all(src.startswith("data:image/svg+xml;base64,") for src in images)
    assert "plotly-graph-div" not in html and not page.scripts


# --- Typography ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Résultat : 45 %", f"Résultat{NBSP}: 45{NNBSP}%"),
        ("Résultat: 45%", f"Résultat{NBSP}: 45{NNBSP}%"),
        ("Vraiment ? Oui ! Puis ; fin", f"Vraiment{NNBSP}? Oui{NNBSP}! Puis{NNBSP}; fin"),
        ("le label «< 5» signifie", f"le label «{NNBSP}< 5{NNBSP}» signifie"),
        ("« déjà »", f"«{NNBSP}déjà{NNBSP}»"),
        ("45,2 % de sorties", f"45,2{NNBSP}% de sorties"),
        # Left whole: a time, an address, a query string, a URL escape.
        ("à 14:30 sur https://exemple.org/a?b=1&c=%20", "à 14:30 sur https://exemple.org/a?b=1&c=%20"),
        ("", ""),
    ],
)
def test_french_typography(text: str, expected: str) -> None:
    assert french_typography(text) == expected
    assert french_typography(expected) == expected  # applying it twice changes nothing


def test_the_template_s_own_texts_and_numbers_get_non_breaking_spaces(interactive_html: str) -> None:
    # The paragraph's « : » and « % », the card's change and the table's percentage.
    assert f"en 2016{NBSP}: soit 8{NNBSP}% de plus" in interactive_html
    assert f"+8{NNBSP}% par rapport à 2015" in interactive_html
    assert f"45,2{NNBSP}%" in interactive_html
    assert f"1{NNBSP}234" in interactive_html


# --- Charts as SVG -------------------------------------------------------------------------------


def test_a_bar_chart_becomes_a_self_contained_svg() -> None:
    chart = ReportChart("k", "Essai", _bar("Essai", ["Pôle Alpha", "Pôle Bêta"], [3, 5]), "Barres.")
    svg = figure_svg(chart)
    assert svg.lstrip().startswith("<svg") and len(svg) > 1000
    assert "Pôle Alpha" in svg
    urls = set(re.findall(r"https?://[^\s\"'()<>]*", svg))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert all(ref.startswith("url(#") for ref in re.findall(r"url\([^)]*\)", svg))
    assert "@font-face" not in svg and "@import" not in svg


def test_without_chromium_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PTCE_CHROMIUM", str(tmp_path / "chromium"))
    chart = ReportChart("k", "Essai", _bar("Essai", ["A"], [1]), "Barres.")
    with pytest.raises(ReportError, match="apt-get install chromium"):
        figure_svg(chart)

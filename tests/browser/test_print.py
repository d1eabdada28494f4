"""Printing to A4 in a real browser: what paper gets (print media), and the PDF Chromium prints.

For the overview and the pole page, as printed straight away (Ctrl+P) and as their printable
version (`?impression=1`): no sidebar, the demo banner kept, every tab's content with its label,
every chart drawn wide enough and fitted to the sheet. The PDFs, and PNG images of their pages
when poppler's `pdftoppm` is on the machine, are kept in test-artifacts/screenshots/ for a person
to look at; print-media screenshots are kept there in any case.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, CAPTURES, Server, Traffic, full_screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {"vue-d-ensemble": "/", "fiche-pole": "/pole?pole=phares"}
DEMO_BANNER = "Données fictives de démonstration"
# A chart narrower than this on paper would be a thumbnail (the sheet holds about 718 px).
MIN_CHART_WIDTH = 500

# What print.js does just before printing, run on screen as the browser runs it, then undone:
# the width and height each chart and grid will take on paper (drawn size × zoom), and the sheet.
FITTED = """() => {
    const fit = window.ptcePrintFit;
    fit.fit();
    const drawn = [...document.querySelectorAll(
        '[data-testid="stPlotlyChart"], [data-testid="stDataFrame"]')].map(element => {
        const box = element.closest('[data-testid="stElementContainer"]') || element;
        const zoom = parseFloat(box.style.zoom || "1");
        const svg = element.querySelector(".main-svg");
        const width = svg ? parseFloat(svg.getAttribute("width")) : element.getBoundingClientRect().width;
        const height = svg ? parseFloat(svg.getAttribute("height")) : box.getBoundingClientRect().height;
        return {chart: !!svg, width: width * zoom, height: height * zoom};
    });
    fit.unfit();
    return {sheet: [fit.SHEET_WIDTH, fit.SHEET_HEIGHT], drawn};
}"""


def tab_labels(pg) -> list[str]:
    return [t.strip() for t in pg.locator('[data-testid="stTab"]').all_inner_texts()]


def assert_fitted_to_the_sheet(pg) -> None:
    # Charts and grids are drawn after the script ends: on a loaded machine, later than the page.
    drawn = pg.locator('[data-testid="stPlotlyChart"] .main-svg, [data-testid="stDataFrame"]')
    expect(drawn.first).to_be_visible(timeout=30_000)
    fitted = pg.evaluate(FITTED)
    sheet_width, sheet_height = fitted["sheet"]
    assert 700 < sheet_width < 730  # A4 portrait less 2 × 10 mm, in CSS pixels
    assert fitted["drawn"], "aucun graphique ni tableau"
    for element in fitted["drawn"]:
        assert element["width"] <= sheet_width + 1, element
        assert element["height"] <= sheet_height + 1, element
        if element["chart"]:
            assert element["width"] > MIN_CHART_WIDTH * 0.75, element


def assert_paper_layout(pg) -> None:
    """Print media: the app around the content is gone, the demo banner stays."""
    expect(pg.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(pg.locator('[data-testid="stHeader"]')).to_be_hidden()
    expect(pg.get_by_text(DEMO_BANNER)).to_be_visible()
    # The switch to the printable version, the downloads: of no use on paper.
    hidden = pg.locator('[data-testid="stDownloadButton"], [class*="st-key-ecran_seul"]')
    assert hidden.count() >= 1
    for element in hidden.all():
        expect(element).to_be_hidden()


def print_pdf(pg, name: str) -> Path:
    """The page printed by Chromium to A4 (print media, print.css's margins), kept as PDF and PNG."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / f"{name}.pdf"
    pg.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # The page's content goes on over several sheets (never one sheet cut short).
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 3
    # After printing, the charts are back to their screen size (print.js's afterprint).
    assert pg.locator("[data-ptce-print-zoom]").count() == 0
    if CAPTURES and shutil.which("pdftoppm"):
        for old in ARTIFACTS.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / name)], check=True, timeout=120
        )
    return pdf


@pytest.mark.parametrize("name", PAGES)
def test_page_and_its_printable_version_print_every_tab_without_the_sidebar(
    page, app_server: Server, traffic: Traffic, name: str
) -> None:
    """The page printed as it is (Ctrl+P), then its printable version, reached from that page."""
    page.goto(app_server.url + PAGES[name])
    wait_for_app(page)
    labels = tab_labels(page)
    assert len(labels) >= 5
    assert_fitted_to_the_sheet(page)
    # Printed first, from the page as a person sees it (emulating print media below redraws charts).
    print_pdf(page, f"impression-{name}")

    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    assert_paper_layout(page)
    # The tab bar is replaced by each panel under its own label: every panel, one after the other.
    expect(page.locator('[data-testid="stTabs"] [role="tablist"]')).to_be_hidden()
    panels = page.locator('[data-testid="stTabPanel"]')
    expect(panels).to_have_count(len(labels))
    for i, label in enumerate(labels):
        panel = panels.nth(i)
        expect(panel).to_be_visible()
        expect(panel.locator("h4")).to_have_text(label)
        chart = panel.locator(".js-plotly-plot .main-svg").first
        expect(chart).to_be_visible()
        assert chart.bounding_box()["width"] > MIN_CHART_WIDTH, label
    full_screenshot(page, f"impression-{name}")
    assert traffic.refused == []

    # The printable version: back on screen, the same tabs laid one after the other.
    page.emulate_media(media="null")  # no emulation: `pdf()` prints in print media again
    page.get_by_role("button", name="Version imprimable").click()
    page.wait_for_url(re.compile(r"[?&]impression=1"))
    expect(page.locator('[data-testid="stTabs"]')).to_have_count(0)
    wait_for_app(page)
    # Same content, each tab's under its label, in the tabs' order; tables static and whole.
    expect(page.locator('[data-testid="stMain"] h4')).to_have_text(labels)
    expect(page.get_by_text("Version imprimable : chaque onglet")).to_be_visible()
    # Retried: the screen version's grids stay on the page until the new run has replaced them.
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    table = page.locator('[data-testid="stTable"]').first
    expect(table).to_be_visible()
    if name == "vue-d-ensemble":
        expect(table.locator("tbody tr")).to_have_count(12)
    assert_fitted_to_the_sheet(page)
    print_pdf(page, f"version-imprimable-{name}")

    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    assert_paper_layout(page)
    expect(page.get_by_text("Version imprimable : chaque onglet")).to_be_hidden()
    charts = page.locator(".js-plotly-plot .main-svg:first-child")
    assert charts.count() == len(labels) + (1 if name == "vue-d-ensemble" else 0)
    for chart in charts.all():
        assert chart.bounding_box()["width"] > MIN_CHART_WIDTH
    full_screenshot(page, f"version-imprimable-{name}")
    assert traffic.refused == []

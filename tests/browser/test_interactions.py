"""What a user does with the pages, in a real browser: choose, download, read what poles wrote.

What AppTest cannot check: the chart the browser actually draws after a choice, the bytes of a
download, and that markup sent in a file is shown as text and never run.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ptce.contract import connect_readonly
from ptce.paths import DataLayout
from tests.browser.conftest import (
    COMMENT_FILE,
    COMMENT_POLE_NAME,
    FORMULA,
    HOSTILE_POLE_SHORT,
    IMG,
    PRACTICE_TITLE,
    SCRIPT,
    Server,
    Traffic,
    copy_artifact,
    full_screenshot,
    wait_for_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The data of the traces drawn by the first Plotly chart of the page, as the browser holds them.
PLOTTED = """() => {
    const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    return plot ? plot.data.map(t => ({name: t.name, y: Array.from(t.y)})) : null;
}"""


# Where the browser drew each pole marker of the overview's map: pole id, number, page coordinates.
# Plotly's own axes convert data to pixels (`d2p`), offset by the plot area within the chart.
MAP_MARKERS = """() => {
    const plot = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
        .find(p => p.data.some(t => t.marker && t.marker.colorbar));
    if (!plot) return null;
    const layout = plot._fullLayout, box = plot.getBoundingClientRect();
    return plot.data.filter(t => t.customdata).flatMap(t => Array.from(t.x, (x, i) => ({
        id: t.customdata[i][0],
        number: t.text[i],
        x: box.left + layout.xaxis._offset + layout.xaxis.d2p(x),
        y: box.top + layout.yaxis._offset + layout.yaxis.d2p(t.y[i]),
    })));
}"""
# The pointer Streamlit's table shows over a link (the table is drawn on a canvas, without DOM cells).
TABLE_CURSOR = """() => getComputedStyle(
    document.querySelector('[data-testid="stDataFrame"] canvas')).cursor"""


def choose(pg, label: str, option: str) -> None:
    """Pick the option containing `option` in the Streamlit select box labelled `label`."""
    box = pg.get_by_role("combobox", name=label, exact=True).first
    # A box below the fold: clicked while the page scrolls to it, its list opens and closes at once.
    box.scroll_into_view_if_needed()
    box.click()
    pg.get_by_role("option").filter(has_text=option).first.click()


def warehouse_rows(server: Server, sql: str) -> list[tuple]:
    con = connect_readonly(DataLayout(server.data_dir).warehouse)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_choosing_a_pole_changes_the_chart(page, app_server: Server, traffic: Traffic) -> None:
    page.goto(f"{app_server.url}/pole")
    wait_for_app(page)
    before = page.evaluate(PLOTTED)
    assert before, "aucun graphique sur la Fiche pôle"

    ((name,),) = warehouse_rows(app_server, "select nom from poles where pole_id = 'bourian'")
    choose(page, "Pôle", COMMENT_POLE_NAME)
    expect(page.locator("h1").first).to_have_text(name)
    page.wait_for_function(
        """name => {
            const p = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
            return p && p.data.some(t => t.name === name);
        }""",
        arg=name,
    )
    wait_for_app(page)
    after = page.evaluate(PLOTTED)
    assert {t["name"] for t in after} >= {name, "Médiane des pôles"}
    pole_before = [t["y"] for t in before if t["name"] != "Médiane des pôles"]
    pole_after = [t["y"] for t in after if t["name"] == name]
    assert pole_after != pole_before, "le graphique montre les mêmes valeurs après le choix d'un autre pôle"
    # The address follows the choice, so the page can be shared.
    assert page.url.endswith("pole=bourian")
    full_screenshot(page, "choix-fiche-pole-bourian")
    assert traffic.refused == [] and traffic.dialogs == []


def test_quarantine_download_has_every_row_and_no_live_formula(
    page, app_server: Server, traffic: Traffic
) -> None:
    page.goto(f"{app_server.url}/qualite")
    wait_for_app(page)
    with page.expect_download() as info:
        page.locator(".st-key-quarantaine_csv button").click()
    download = info.value
    assert download.suggested_filename == "quarantaine.csv"
    raw = Path(download.path()).read_bytes()
    copy_artifact(Path(download.path()), "quarantaine.csv")

    assert raw.startswith(b"\xef\xbb\xbf"), "le CSV doit commencer par le BOM UTF-8 (Excel)"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    ((expected,),) = warehouse_rows(app_server, "select count(*) from quarantine")
    assert len(body) == expected > 0
    assert any(COMMENT_FILE in cell for row in body for cell in row)

    cells = [cell for row in body for cell in row]
    # The value cell holds the formula, neutralised by a leading apostrophe (Excel shows it as text).
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
    # No cell may start a formula in Excel, whatever column it is in.
    live = [c for c in [*header, *cells] if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not _is_number(c))]
    assert live == []
    assert traffic.refused == [] and traffic.dialogs == []


def test_tables_offer_only_the_safe_export(page, app_server: Server, traffic: Traffic) -> None:
    """Streamlit's own table toolbar (raw CSV, clipboard) is off; the project's export is there."""
    page.goto(f"{app_server.url}/qualite")
    wait_for_app(page)
    tables = page.locator('[data-testid="stDataFrame"]')
    # The table component's code loads on first use, after the script has finished: wait for it.
    expect(tables.nth(3)).to_be_attached(timeout=30_000)
    tables.first.hover()
    assert page.get_by_role("button", name="Download as CSV").count() == 0
    downloads = page.locator('[data-testid="stDownloadButton"]')
    assert downloads.count() == tables.count()
    assert traffic.refused == []


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ".").replace("\u202f", "").replace("\xa0", ""))
    except ValueError:
        return False
    return True


def _assert_shown_as_text(pg, traffic: Traffic) -> None:
    expect(pg.get_by_text(SCRIPT).first).to_be_visible()
    expect(pg.get_by_text(IMG).first).to_be_visible()
    # Nothing was turned into markup: no injected image, no script from the data, no dialog.
    assert pg.locator('img[src="x"]').count() == 0
    assert pg.evaluate("() => [...document.scripts].some(s => s.text.includes('alert(1)'))") is False
    assert traffic.dialogs == []


def test_markup_in_an_application_answer_is_shown_as_text(page, app_server: Server, traffic: Traffic) -> None:
    page.goto(f"{app_server.url}/candidatures")
    wait_for_app(page)
    choose(page, "Premier pôle", HOSTILE_POLE_SHORT)
    wait_for_app(page)
    _assert_shown_as_text(page, traffic)

    # The search shows the hit in bold, still as text.
    search = page.get_by_role("textbox", name="Mot ou expression")
    search.fill("alert")
    search.press("Enter")
    expect(page.get_by_text("réponse(s) trouvée(s)")).to_be_visible()
    wait_for_app(page)
    assert page.locator('img[src="x"]').count() == 0

    # Addresses in an answer, searched: shown in bold as text, never as a link or an image.
    search.fill("exemple.invalid")
    search.press("Enter")
    expect(page.get_by_text("1 réponse(s) trouvée(s)")).to_be_visible()
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('a[href*="exemple"], a[href^="mailto:"]').count() == 0
    assert main.locator('img[src*="exemple"]').count() == 0
    assert main.locator("strong").filter(has_text="exemple").count() >= 1
    full_screenshot(page, "candidatures-balises-en-texte")
    assert traffic.dialogs == [] and traffic.refused == []


def test_markup_in_an_indicator_comment_is_shown_as_text(page, app_server: Server, traffic: Traffic) -> None:
    page.goto(f"{app_server.url}/pole?pole=bourian")
    wait_for_app(page)
    expect(page.locator("h1").first).to_contain_text(COMMENT_POLE_NAME)
    _assert_shown_as_text(page, traffic)
    full_screenshot(page, "fiche-pole-commentaire-en-texte")
    assert page.locator('img[src="x"]').count() == 0
    assert traffic.dialogs == [] and traffic.refused == []


def test_clicking_a_pole_on_the_map_opens_its_page(page, app_server: Server, traffic: Traffic) -> None:
    page.goto(app_server.url)
    wait_for_app(page)
    full_screenshot(page, "vue-ensemble-carte")
    page.locator('[data-testid="stPlotlyChart"]').first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    markers = page.evaluate(MAP_MARKERS)
    assert markers and len(markers) == 12
    viewport = page.viewport_size
    assert all(0 < m["x"] < viewport["width"] and 0 < m["y"] < viewport["height"] for m in markers)
    # No two markers overlap on screen (22 pixels wide): the Isère poles are told apart.
    gaps = [
        math.dist((a["x"], a["y"]), (b["x"], b["y"])) for i, a in enumerate(markers) for b in markers[i + 1 :]
    ]
    assert min(gaps) >= 22, f"deux pôles se chevauchent sur la carte ({min(gaps):.1f} px)"

    # Pole n° 11 (Voiron), next to n° 12 (Grenoble): the click must open n° 11, not its neighbour.
    target = next(m for m in markers if m["number"] == "11")
    ((name,),) = warehouse_rows(app_server, f"select nom from poles where pole_id = '{target['id']}'")
    page.mouse.move(target["x"], target["y"])
    hover = page.locator(".hoverlayer .hovertext")
    expect(hover).to_contain_text(name)
    expect(hover).to_contain_text("Structures membres en")
    page.mouse.click(target["x"], target["y"])

    page.wait_for_url(f"**/pole?pole={target['id']}")
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text(name)
    assert page.get_by_role("combobox", name="Pôle", exact=True).input_value() != ""

    # Back on the overview through the menu, the page stays there (the click is not replayed).
    page.locator('[data-testid="stSidebarNav"] a').first.click()
    wait_for_app(page)
    page.wait_for_timeout(1000)
    expect(page.locator("h1").first).to_have_text("Vue d'ensemble du réseau")
    assert traffic.refused == [] and traffic.dialogs == []


def test_the_table_link_opens_the_pole_page(page, app_server: Server, traffic: Traffic) -> None:
    page.goto(app_server.url)
    wait_for_app(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    expect(table.locator("canvas").first).to_be_attached()
    page.wait_for_timeout(500)
    box = table.bounding_box()
    # Third row (pole n° 3), below the header; rows are 35 pixels high.
    y = box["y"] + 35 + 2 * 35 + 17
    link_x = None
    for x in range(int(box["x"]) + 5, int(box["x"] + box["width"]) - 5, 6):
        page.mouse.move(x, y)
        if page.evaluate(TABLE_CURSOR) == "pointer":
            link_x = x
            break
    assert link_x is not None, "aucun lien « Ouvrir » dans la table des pôles"
    ((pole_id, name),) = warehouse_rows(app_server, "select pole_id, nom from poles where numero = 3")

    # The link opens the pole's page in a new tab.
    with page.context.expect_page() as info:
        page.mouse.click(link_x, y)
    opened = info.value
    opened.wait_for_load_state()
    wait_for_app(opened)
    assert opened.url == f"{app_server.url}/pole?pole={pole_id}"
    expect(opened.locator("h1").first).to_have_text(name)
    assert traffic.refused == [] and traffic.dialogs == []


def test_choosing_a_pole_beside_the_map_opens_its_page(page, app_server: Server, traffic: Traffic) -> None:
    page.goto(app_server.url)
    wait_for_app(page)
    ((name,),) = warehouse_rows(app_server, "select nom from poles where pole_id = 'bourian'")
    choose(page, "Ouvrir la fiche d'un pôle", COMMENT_POLE_NAME)
    page.wait_for_url("**/pole?pole=bourian")
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text(name)
    assert traffic.refused == [] and traffic.dialogs == []


def test_practice_search_finds_markup_as_text(page, app_server: Server, traffic: Traffic) -> None:
    page.goto(f"{app_server.url}/visites")
    wait_for_app(page)
    ((total,),) = warehouse_rows(app_server, "select count(*) from practices")
    expect(page.get_by_text(f"{total} pratiques et outils partagés.")).to_be_visible()
    search = page.get_by_role("textbox", name="Rechercher")
    search.fill("<img")
    search.press("Enter")
    # One practice found, the hostile one: the search took the tag as plain text.
    expect(page.get_by_text(f"1 pratique ou outil sur {total} répond aux critères.")).to_be_visible()
    wait_for_app(page)
    table = page.locator(".st-key-tableau_visites_pratiques")
    expect(table).to_be_visible()
    # The grid is a canvas: its accessible copy holds the cells' text, the tag among them, as text.
    cells = table.locator("td").all_text_contents()
    assert PRACTICE_TITLE in cells and FORMULA in cells
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("() => [...document.scripts].some(s => s.text.includes('alert(1)'))") is False
    full_screenshot(page, "visites-pratique-en-texte")
    assert traffic.dialogs == [] and traffic.refused == []

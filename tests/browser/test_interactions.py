"""What a user does with the pages, in a real browser: choose, download, read what poles wrote.

What AppTest cannot check: the chart the browser actually draws after a choice, the bytes of a
download, and that markup sent in a file is shown as text and never run.
"""

from __future__ import annotations

import csv
import io
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


def choose(pg, label: str, option: str) -> None:
    """Pick the option containing `option` in the Streamlit select box labelled `label`."""
    pg.get_by_role("combobox", name=label, exact=True).first.click()
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
    expect(tables.nth(3)).to_be_attached()
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

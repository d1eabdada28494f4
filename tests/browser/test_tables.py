"""Tables as a user sorts them, in a real browser: numbers in numeric order, dates in time order.

A table formatted to strings sorts "8, 7, 36, 29" and puts 29/01/2018 before 19/02/2018; the
pages keep values typed and only write them in French. The grid draws on a canvas, so the test
opens a column's menu the way a user does (a click on its header, found by the column name the
menu shows), sorts, and reads the cells from the grid's accessible table, which lists the visible
cells in display order.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import expect

from ptce.reference import load_catalog
from tests.browser.conftest import Server, Traffic, full_screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MENU = '[data-testid="stDataFrameColumnMenu"]'
HEADER_ROW_Y = 17  # middle of the header row, in pixels from the grid's top
STEP_X = 24


def grid_of(pg, key: str):
    """The grid of the table shown with `widgets.show_table(..., key=key)`."""
    grid = pg.locator(f".st-key-tableau_{key} [data-testid='stDataFrame']")
    expect(grid.locator("table")).to_be_attached(timeout=30_000)
    grid.scroll_into_view_if_needed()
    return grid


def _sorted_header(grid) -> str | None:
    """The header text of the column the grid is sorted on ("↑ Reçu le"), if any."""
    return grid.evaluate(
        "g => ([...g.querySelectorAll('th')].map(h => h.textContent).find(t => /^[↑↓]/.test(t)) || null)"
    )


def sort_column(pg, grid, column: str, *, descending: bool) -> None:
    """Sort `grid` on `column` as a user does, scrolling sideways to reach it.

    A click on a header sorts on that column (ascending, then descending); a click that lands on
    the header's menu button opens the column menu instead, whose title names the column.
    """
    wanted = ("↓ " if descending else "↑ ") + column
    for scroll in range(0, 3000, 300):
        grid.evaluate(
            "(g, s) => { const sc = g.querySelector('.dvn-scroller'); if (sc) sc.scrollLeft = s; }", scroll
        )
        pg.wait_for_timeout(150)
        box = grid.locator('[data-testid="data-grid-canvas"]').bounding_box()
        for x in range(8, int(box["width"]) - 4, STEP_X):
            for _ in range(2):  # a second click on the same header reverses the order
                pg.mouse.click(box["x"] + x, box["y"] + HEADER_ROW_Y)
                pg.wait_for_timeout(250)
                menu = pg.locator(MENU)
                if menu.count():
                    if menu.locator(f'[title="{column}"]').count():
                        name = "Sort descending" if descending else "Sort ascending"
                        menu.get_by_role("menuitem", name=name).click()
                        pg.wait_for_timeout(400)
                        assert _sorted_header(grid) == wanted
                        return
                    pg.keyboard.press("Escape")
                    expect(menu).to_have_count(0)
                    break
                header = _sorted_header(grid)
                if header == wanted:
                    return
                if header is None or header[2:] != column:
                    break
    raise AssertionError(f"colonne « {column} » introuvable dans le tableau")


def column_texts(grid, column: str) -> list[str]:
    """The visible cells of `column`, top to bottom, as the grid writes them."""
    return grid.evaluate(
        r"""(g, name) => {
            const heads = [...g.querySelectorAll('th')];
            // A sorted column's header gains an arrow ("↓ Emplois créés").
            const head = heads.find(h => h.textContent.replace(/^[↑↓]\s*/, '').trim() === name);
            if (!head) return null;
            const index = head.getAttribute('aria-colindex');
            return [...g.querySelectorAll(`tbody tr`)].map(
                r => (r.querySelector(`td[aria-colindex="${index}"]`) || {}).textContent
            ).filter(t => t !== undefined);
        }""",
        column,
    )


def number(text: str) -> float | None:
    """A cell of the accessible table as a number: it holds the value (`344.4`), while the canvas
    draws the French text (`344,4`, checked on the screenshots and by the table helper's tests)."""
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("%", "")
    if cleaned in ("", "–", "None", "null"):
        return None
    return float(cleaned.replace(",", "."))


def date(text: str) -> datetime | None:
    """A date cell of the accessible table: the value (ISO), or the French text."""
    text = text.strip()
    if text in ("", "–", "None", "null"):
        return None
    if "/" in text:
        return datetime.strptime(text[:10], "%d/%m/%Y")
    return datetime.fromisoformat(text[:19].replace("T", " "))


def test_overview_table_sorts_a_key_figure_as_numbers(page, app_server: Server, traffic: Traffic) -> None:
    page.goto(app_server.url)
    wait_for_app(page)
    grid = grid_of(page, "poles_annee")
    column = next(k.entete for k in load_catalog().key_figures if k.code == "emplois_crees")
    sort_column(page, grid, column, descending=True)
    texts = column_texts(grid, column)
    values = [v for v in (number(t) for t in texts) if v is not None]
    assert len(values) >= 10, texts  # the twelve poles are in view, most with a value
    assert values == sorted(values, reverse=True), texts
    full_screenshot(page, "tri-vue-ensemble-emplois-crees")
    assert traffic.refused == []


def test_quality_file_log_sorts_dates_in_time_and_counts_as_numbers(
    page, app_server: Server, traffic: Traffic
) -> None:
    page.goto(f"{app_server.url}/qualite")
    wait_for_app(page)
    grid = grid_of(page, "journal")
    sort_column(page, grid, "Reçu le", descending=False)
    dates = [d for d in (date(t) for t in column_texts(grid, "Reçu le")) if d is not None]
    assert len(dates) >= 5
    assert dates == sorted(dates)  # chronological: 29/01/2018 before 19/02/2018

    sort_column(page, grid, "Lignes lues", descending=True)
    counts = [v for v in (number(t) for t in column_texts(grid, "Lignes lues")) if v is not None]
    assert len(counts) >= 5
    assert counts == sorted(counts, reverse=True)
    full_screenshot(page, "tri-qualite-journal")
    assert traffic.refused == []

"""Tables as a user sorts them, in a real browser: numbers in numeric order, dates in time order.

A table formatted to strings sorts "8, 7, 36, 29" and puts 29/01/2018 before 19/02/2018; the
pages keep values typed and only write them in French. The grid draws on a canvas, so the test
sorts the way a user does (clicks on a column's header, found by halving: each click on the header
row says which column is there, by the sort it starts or the menu it opens), and reads the cells
from the grid's accessible table, which lists the visible cells in display order.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from ptce.reference import load_catalog
from tests.browser.conftest import Server, Traffic, full_screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MENU = '[data-testid="stDataFrameColumnMenu"]'
HEADER_ROW_Y = 17  # middle of the header row, in pixels from the grid's top
# After a click on the header row: the column menu is open, or the sorted header changed.
ANSWERED = """([grid, menu, before]) => {
    if (document.querySelector(menu)) return true;
    const sorted = [...grid.querySelectorAll('th')].map(h => h.textContent).find(t => /^[↑↓]/.test(t));
    return (sorted || null) !== before;
}"""
# Two animation frames: the grid has drawn what a scroll changed before the next click.
DRAWN = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


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


def _column_numbers(grid) -> dict[str, int]:
    """Column name -> its position (`aria-colindex`), for the columns the accessible table lists."""
    return grid.evaluate(
        r"""g => Object.fromEntries([...g.querySelectorAll('th')].map(h => [
            h.textContent.replace(/^[↑↓]\s*/, '').trim(), Number(h.getAttribute('aria-colindex'))]))"""
    )


def _click_header(pg, grid, x: float, y: float) -> tuple[str | None, bool]:
    """Click the header row at `x`: (the column that answered, whether its menu is open).

    A click on a header sorts on that column (ascending, then descending), so the sorted header
    names it; a click on the header's menu button opens the column menu, whose title names it. A
    click beyond the last column changes nothing: (None, False) once the wait gives up.
    """
    before = _sorted_header(grid)
    pg.mouse.click(x, y)
    try:
        pg.wait_for_function(ANSWERED, arg=[grid.element_handle(), MENU, before], timeout=5_000)
    except PlaywrightTimeout:
        return None, False
    menu = pg.locator(MENU)
    if menu.count():
        titles = menu.evaluate("m => [...m.querySelectorAll('[title]')].map(e => e.title)")
        names = _column_numbers(grid)
        return next((t for t in titles if t in names), None), True
    after = _sorted_header(grid)
    # A third click may drop the sort: the column is then the one sorted before.
    return (after or before or "  ")[2:] or None, False


def sort_column(pg, grid, column: str, *, descending: bool) -> None:
    """Sort `grid` on `column` as a user does: clicks on its header, scrolling sideways to reach it.

    The column is found by halving: a click on the header row tells which column is under the
    pointer (see `_click_header`), and columns are in `aria-colindex` order from left to right.
    """
    wanted = ("↓ " if descending else "↑ ") + column
    canvas = grid.locator('[data-testid="data-grid-canvas"]')
    for _ in range(12):  # scroll steps: wide tables hold more columns than the screen shows
        numbers = _column_numbers(grid)
        target = numbers.get(column)
        box = canvas.bounding_box()
        y = box["y"] + HEADER_ROW_Y
        low, high = box["x"] + 2, box["x"] + box["width"] - 2
        while high - low > 3:
            x = (low + high) / 2
            name, menu_open = _click_header(pg, grid, x, y)
            if menu_open:
                if name == column:
                    label = "Sort descending" if descending else "Sort ascending"
                    pg.locator(MENU).get_by_role("menuitem", name=label).click()
                    pg.wait_for_function(
                        "([g, w]) => [...g.querySelectorAll('th')].some(h => h.textContent === w)",
                        arg=[grid.element_handle(), wanted],
                    )
                    assert _sorted_header(grid) == wanted
                    return
                pg.keyboard.press("Escape")
                expect(pg.locator(MENU)).to_have_count(0)
            if name == column:
                for _ in range(2):  # a second click on the same header reverses the order
                    if _sorted_header(grid) == wanted:
                        return
                    _click_header(pg, grid, x, y)
                assert _sorted_header(grid) == wanted
                return
            numbers = _column_numbers(grid)
            target = numbers.get(column, target)
            if name is None or (target is not None and numbers.get(name, 0) > target):
                high = x  # beyond the last column, or right of the one wanted
            else:
                low = x
        # Not in view: the column is further right. Scroll by most of the visible width.
        moved = grid.evaluate(
            """(g, step) => {
                const sc = g.querySelector('.dvn-scroller');
                if (!sc) return false;
                const before = sc.scrollLeft;
                sc.scrollLeft = before + step;
                return sc.scrollLeft !== before;
            }""",
            box["width"] * 0.6,
        )
        if not moved:
            break
        pg.evaluate(DRAWN)
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

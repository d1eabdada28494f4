"""The quality docs (GX Data Docs served by `ptce dashboard` on port + 1) in a real browser.

They must draw as GX means them to (Bootstrap styles, bootstrap-table lists, Font Awesome icons)
with every request kept on the machine: no CDN, no logo from GX's servers.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from ptce.paths import DataLayout
from tests.browser.conftest import ARTIFACTS, CAPTURES, Server, Traffic

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _docs_url(app_server: Server) -> str:
    parts = urlsplit(app_server.url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port + 1}/index.html"


def _screenshot(pg, name: str) -> None:
    if not CAPTURES:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _icons_loaded(pg) -> bool:
    return pg.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts].some(f => f.family.includes('Font Awesome') && f.status === 'loaded');
        }"""
    )


def test_data_docs_draw_with_local_files_only(page, app_server: Server, traffic: Traffic) -> None:
    page.goto(_docs_url(app_server))
    page.wait_for_load_state("networkidle")
    _screenshot(page, "data-docs-index")
    # Scripts and styles came from the site: jQuery, bootstrap-table and Bootstrap's layout work.
    assert page.evaluate("() => typeof window.jQuery === 'function' && !!jQuery.fn.bootstrapTable")
    assert page.evaluate("() => getComputedStyle(document.querySelector('nav.navbar')).display") == "flex"
    assert page.get_by_text("Observatoire PTCE").first.is_visible()
    # The list of validation results is drawn by bootstrap-table from the page's data.
    rows = page.locator("table tbody tr")
    assert rows.count() >= 10
    assert _icons_loaded(page)

    # A suite's page, reached from the list, and the page of its validation result.
    page.locator("table tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/expectations/" in page.url
    _screenshot(page, "data-docs-suite")
    # Bootstrap's styles apply: section headers are grey alert boxes with a border.
    header = page.locator(".alert-secondary").first
    assert header.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    site = DataLayout(app_server.data_dir).data_docs_dir
    result = min(site.glob("validations/gx_indicator_values/**/*.html"))
    page.goto(_docs_url(app_server).replace("index.html", result.relative_to(site).as_posix()))
    page.wait_for_load_state("networkidle")
    _screenshot(page, "data-docs-validation")
    assert page.locator("table").count() >= 2
    assert _icons_loaded(page)

    assert traffic.refused == [], f"requêtes vers l'extérieur : {traffic.refused}"
    hosts = {urlsplit(u).hostname for u in traffic.requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, hosts
    assert not [u for u in traffic.requests if "dataContextId" in u]

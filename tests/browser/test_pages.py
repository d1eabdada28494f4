"""Every page of the app, in a real browser: it loads, shows no error, fetches nothing from outside.

The pages are found in the app's own navigation, so a new page is covered without editing this
file. Each page is screenshotted full height into test-artifacts/screenshots/, and checked for the
app's own tab icon and the absence of Streamlit's menu (on every page: it costs no extra visit).
"""

from __future__ import annotations

import base64
import re
import unicodedata
from urllib.parse import urlsplit

import pytest

from ptce.paths import PROJECT_ROOT
from tests.browser.conftest import Server, Traffic, full_screenshot, wait_for_app
from tests.dashboards.test_no_raw_codes import codes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Pages the app had when this test was written: the discovery must find at least these.
FAVICON = PROJECT_ROOT / "dashboards" / "static" / "favicon.svg"
KNOWN_PAGES = {"Vue d'ensemble", "Fiche pôle", "Qualité des données", "Candidatures"}


def _slug(title: str) -> str:
    folded = unicodedata.normalize("NFKD", title.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def navigation(pg) -> list[tuple[str, str]]:
    """(title, address) of every page listed in the app's sidebar navigation."""
    links = pg.locator('[data-testid="stSidebarNav"] a[data-testid="stSidebarNavLink"]')
    links.first.wait_for()
    # A link's text starts with its icon's name (a ligature of the icon font), then the title.
    return [(link.inner_text().strip().splitlines()[-1], link.get_attribute("href")) for link in links.all()]


def assert_own_icon_and_no_streamlit_chrome(pg) -> None:
    """The tab's icon is ours, inlined by Streamlit (never a Material icon from a font server), and
    there is no main menu: none of "Record screen", "Made with Streamlit" or the developer entries."""
    icon = pg.locator('link[rel="shortcut icon"], link[rel="icon"]').first.get_attribute("href") or ""
    assert icon.startswith("data:image/svg+xml;base64,"), icon[:120]
    assert base64.b64decode(icon.split(",", 1)[1]) == FAVICON.read_bytes()
    assert pg.locator('[data-testid="stMainMenuButton"]').count() == 0
    text = pg.locator("body").inner_text()
    for word in ("Made with Streamlit", "Record screen", "Deploy", "Clear cache"):
        assert word not in text


def test_every_page_in_the_navigation_loads_cleanly(
    page, app_server: Server, traffic: Traffic, subtests: pytest.Subtests
) -> None:
    page.goto(app_server.url)
    wait_for_app(page)
    pages = navigation(page)
    # Rule, table and field codes: a page shows their French labels, never the codes.
    raw_codes = re.compile(
        r"(?<![\w/.])(" + "|".join(map(re.escape, sorted(codes(app_server.data_dir)))) + r")(?![\w/])"
    )
    titles = {title for title, _ in pages}
    assert titles >= KNOWN_PAGES, f"pages trouvées dans la navigation : {sorted(titles)}"

    for title, href in pages:
        with subtests.test(page=title):
            # The first page is the one just loaded (what it sent is still recorded): not twice.
            if page.url.rstrip("/") != href.rstrip("/"):
                traffic.refused.clear()
                traffic.dialogs.clear()
                page.goto(href)
                wait_for_app(page)
            shot = full_screenshot(page, f"page-{_slug(title)}")
            assert shot is None or shot.stat().st_size > 10_000

            assert page.locator('[data-testid="stException"]').count() == 0, title
            errors = page.locator('[data-testid="stAlertContentError"]')
            assert errors.count() == 0, errors.all_inner_texts()
            # Every page says the demo data are fictitious, and has a title.
            assert page.get_by_text("Données fictives de démonstration").count() >= 1
            assert page.locator("h1").count() >= 1
            # The whole text of the page, tables' visible cells included (their accessible copy).
            text = page.locator('[data-testid="stMain"]').text_content() or ""
            assert raw_codes.findall(text) == [], title
            assert traffic.refused == [], f"requêtes vers l'extérieur : {traffic.refused}"
            assert traffic.dialogs == []
            assert_own_icon_and_no_streamlit_chrome(page)

    # Everything the pages asked for was local, and something was asked for (the recorder works).
    hosts = {urlsplit(u).hostname for u in traffic.requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, hosts
    log = app_server.log_text()
    assert "Traceback" not in log and "Exception" not in log, log[-4000:]

"""The whole OpenID Connect login, for real: Chromium, `ptce dashboard` and a local test provider.

The provider is `oidc-provider-mock` (a real OIDC server for tests: discovery, authorisation form,
tokens, end of session), run in this process on a free local port. The app is a second
`ptce dashboard` over the browser tests' data, given a `secrets.toml` whose `[auth]` section points
at the provider (`--secrets`), and a role file (`<data>/acces/roles.yaml`) listing a pole user.

The provider's form asks for a "sub" (the user's identifier) and, for an unknown subject, gives the
e-mail claim the same value: the test types the e-mail address there.
"""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Iterator

import pytest

from dashboards.shared.access import DEMO_TITLE
from ptce.paths import PROJECT_ROOT, DataLayout
from tests.browser.conftest import (
    Server,
    Traffic,
    _stop,
    full_screenshot,
    start_dashboard,
    wait_for_app,
)

pytestmark = pytest.mark.browser
# The page folders (importing dashboards/app.py would run the app).
PAGES = PROJECT_ROOT / "dashboards"

POLE_EMAIL = "coordination@bousol.example"
POLE_NAME = "PTCE Bou'Sol"
STRANGER_EMAIL = "curieux@ailleurs.example"
ROLES = f"""\
# Fichier des accès de test (adresses fictives)
utilisateurs:
  - e-mail: equipe@coorace.example
    rôle: equipe
  - e-mail: {POLE_EMAIL.upper()}
    rôle: pole
    pôle: 7
"""
# The provider's pages style themselves with a stylesheet from a public CDN: answered here with an
# empty one, so the run never leaves the machine and nothing is refused (the test provider's look
# is no concern of ours).
PROVIDER_STYLESHEET = "https://cdn.jsdelivr.net/npm/@picocss/**"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The local OIDC provider's address."""
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=0) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def login_server(
    app_server: Server, provider: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """`ptce dashboard --secrets …` over the browser tests' data, with a role file beside it."""
    role_file = DataLayout(app_server.data_dir).role_file
    role_file.parent.mkdir(parents=True, exist_ok=True)
    role_file.write_text(ROLES, encoding="utf-8")
    folder = tmp_path_factory.mktemp("connexion")

    def secrets_for(url: str) -> list[str]:
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{url}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            'client_id = "observatoire-test"\n'
            'client_secret = "secret-de-test"\n'
            f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        return ["--secrets", str(secrets_file)]

    process, url, log = start_dashboard(app_server.data_dir, folder, extra=secrets_for)
    try:
        yield Server(url=url, data_dir=app_server.data_dir, log=log)
    finally:
        _stop(process)
        role_file.unlink(missing_ok=True)


def pages_closed_to(role: str) -> set[str]:
    """Titles of the pages whose package says (ROLES) that `role` may not open them."""
    closed = set()
    for folder in PAGES.iterdir():
        if (folder / "page.py").exists():
            meta = importlib.import_module(f"dashboards.{folder.name}")
            roles = getattr(meta, "ROLES", None)
            if roles is not None and role not in roles:
                closed.add(meta.TITLE)
    return closed


def log_in(pg, server: Server, email: str) -> None:
    """From the app's login page to the provider's form and back, as `email`."""
    pg.route(PROVIDER_STYLESHEET, lambda route: route.fulfill(status=200, content_type="text/css", body=""))
    pg.goto(server.url)
    wait_for_app(pg)
    main = pg.locator('[data-testid="stMain"]')
    assert "Connectez-vous avec votre compte" in main.inner_text()
    # Nothing of the app before logging in: no navigation, no demo chooser.
    assert pg.locator('[data-testid="stSidebarNavLink"]').count() == 0
    assert DEMO_TITLE not in pg.locator("body").inner_text()
    pg.get_by_role("button", name="Se connecter").click()
    pg.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    pg.fill('input[name="sub"]', email)
    pg.get_by_role("button", name="Authorize").click()
    pg.wait_for_url(f"{server.url}/**", timeout=30_000)
    wait_for_app(pg)


def test_a_pole_user_logs_in_sees_what_a_pole_may_see_and_logs_out(
    page, login_server: Server, traffic: Traffic
) -> None:
    pg = page
    log_in(pg, login_server, POLE_EMAIL)

    sidebar = pg.locator('[data-testid="stSidebar"]')
    # The role file lists the address in capitals: compared case-insensitively.
    who = sidebar.inner_text()
    assert f"Connexion : {POLE_EMAIL}" in who
    assert f"Rôle : pôle — {POLE_NAME}" in who
    assert DEMO_TITLE not in pg.locator("body").inner_text()
    shown = set(pg.locator('[data-testid="stSidebarNavLink"]').all_inner_texts())
    assert shown, "la navigation doit lister les pages ouvertes au pôle"
    assert not shown & pages_closed_to("pole"), shown
    full_screenshot(pg, "connexion_pole")

    pg.get_by_role("button", name="Se déconnecter").click()
    # The provider's end-of-session page, then back to the app, logged out.
    pg.wait_for_url("**/oauth2/end_session**", timeout=30_000)
    pg.get_by_role("button", name="End session").click()
    pg.wait_for_url(f"{login_server.url}/**", timeout=30_000)
    wait_for_app(pg)
    assert pg.get_by_role("button", name="Se connecter").is_visible()
    assert POLE_EMAIL not in pg.locator("body").inner_text()
    assert pg.locator('[data-testid="stSidebarNavLink"]').count() == 0

    assert traffic.refused == []
    assert traffic.dialogs == []
    assert "Error during authentication" not in login_server.log_text()


def test_an_unknown_address_is_refused_in_french_and_sees_no_data(
    page, login_server: Server, traffic: Traffic
) -> None:
    pg = page
    log_in(pg, login_server, STRANGER_EMAIL)

    main = pg.locator('[data-testid="stMain"]').inner_text()
    assert "Votre adresse n'a pas accès à l'Observatoire PTCE." in main
    assert f"Adresse de connexion : {STRANGER_EMAIL}" in main
    assert pg.get_by_role("button", name="Se déconnecter").is_visible()
    # No page, no figure, no banner of the demo data.
    assert pg.locator('[data-testid="stSidebarNavLink"]').count() == 0
    assert pg.locator('[data-testid="stMetric"]').count() == 0
    assert "Données fictives de démonstration" not in main
    full_screenshot(pg, "connexion_refusee")
    assert traffic.refused == []

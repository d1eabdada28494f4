"""Who gets in (dashboards/shared/access.py), headless: the demo role chooser, and the login.

The login itself (the provider's pages, the cookie) is driven for real by tests/browser/test_login.py;
here the provider's answer is simulated with `AppTest.user` and its configuration with
`AppTest.secrets`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.shared.access import DEMO_POLE_KEY, DEMO_ROLE_KEY, DEMO_TITLE, EMAIL_KEY, VIEWER_KEY
from ptce.paths import DataLayout
from ptce.read.base import Viewer

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
TIMEOUT = 60

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "un secret de test assez long pour signer",
    "client_id": "observatoire",
    "client_secret": "secret-client",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = """\
utilisateurs:
  - e-mail: equipe@coorace.example
    rôle: equipe
  - e-mail: coordination@bousol.example
    rôle: pole
    pôle: 7
"""


def app(
    monkeypatch: pytest.MonkeyPatch,
    data_dir: Path,
    auth: dict[str, str] | None = None,
    user: dict[str, object] | None = None,
) -> AppTest:
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if auth is not None:
        at.secrets["auth"] = auth
    if user is not None:
        # With a real `[auth]` section Streamlit itself says `is_logged_in: False` for a visitor;
        # AppTest's secrets do not reach that code, so the test says it.
        at.user = user
    return at.run()


def texts(at: AppTest) -> str:
    parts = [
        e.value for e in (*at.title, *at.info, *at.error, *at.text, *at.caption, *at.markdown, *at.warning)
    ]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def with_roles(altered_data_dir: Callable[..., Path]) -> Path:
    """A copy of the demo warehouse with a role file beside it."""
    data_dir = altered_data_dir()
    path = DataLayout(data_dir).role_file
    path.parent.mkdir(parents=True)
    path.write_text(ROLES, encoding="utf-8")
    return data_dir


def test_demo_chooser_switches_the_viewer(monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path) -> None:
    at = app(monkeypatch, demo_data_dir)

    assert not at.exception
    assert any(DEMO_TITLE in m.value for m in at.sidebar.markdown)
    assert at.session_state[VIEWER_KEY] == Viewer("staff")
    assert at.radio(key=DEMO_ROLE_KEY).options == [
        "Équipe COORACE",
        "Fondation de France (financeur)",
        "Un pôle",
    ]

    at.radio(key=DEMO_ROLE_KEY).set_value("funder").run()
    assert at.session_state[VIEWER_KEY] == Viewer("funder")

    at.radio(key=DEMO_ROLE_KEY).set_value("pole").run()
    # The first pole by number until another is chosen.
    assert at.session_state[VIEWER_KEY] == Viewer("pole", "sud_aquitain")
    at.selectbox(key=DEMO_POLE_KEY).set_value("bousol").run()
    assert at.session_state[VIEWER_KEY] == Viewer("pole", "bousol")
    assert "7 — PTCE Bou'Sol" in at.selectbox(key=DEMO_POLE_KEY).options


def test_with_a_provider_a_visitor_sees_only_the_login(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = app(monkeypatch, demo_data_dir, auth=AUTH, user={"is_logged_in": False})

    assert not at.exception
    assert [b.label for b in at.button] == ["Se connecter"]
    assert "Connectez-vous avec votre compte" in texts(at)
    # No chooser, no data, no page: not even the demo banner or the publication date.
    assert not at.radio and not at.selectbox and not at.metric and not at.dataframe
    assert DEMO_TITLE not in texts(at)
    assert not at.warning and not at.sidebar.caption
    assert VIEWER_KEY not in at.session_state


def test_the_chooser_never_appears_when_a_provider_is_configured(
    monkeypatch: pytest.MonkeyPatch, with_roles: Path
) -> None:
    at = app(
        monkeypatch, with_roles, auth=AUTH, user={"is_logged_in": True, "email": "equipe@coorace.example"}
    )

    assert not at.exception
    assert not at.sidebar.radio
    assert DEMO_TITLE not in texts(at)


def test_a_listed_address_gets_its_role_and_sees_who_is_connected(
    monkeypatch: pytest.MonkeyPatch, with_roles: Path
) -> None:
    at = app(
        monkeypatch,
        with_roles,
        auth=AUTH,
        # Providers return addresses in the case the person typed.
        user={"is_logged_in": True, "email": "Coordination@Bousol.example"},
    )

    assert at.session_state[VIEWER_KEY] == Viewer("pole", "bousol")
    assert [t.value for t in at.sidebar.text] == [
        "Connexion : Coordination@Bousol.example\nRôle : pôle — PTCE Bou'Sol"
    ]
    # The address as the provider gave it names who deposits files or types figures.
    assert at.session_state[EMAIL_KEY] == "Coordination@Bousol.example"
    assert [b.label for b in at.sidebar.button] == ["Se déconnecter"]


def test_staff_logged_in_sees_the_app(monkeypatch: pytest.MonkeyPatch, with_roles: Path) -> None:
    at = app(
        monkeypatch, with_roles, auth=AUTH, user={"is_logged_in": True, "email": "equipe@coorace.example"}
    )

    assert not at.exception
    assert at.session_state[VIEWER_KEY] == Viewer("staff")
    assert at.metric  # the overview's figures
    assert [t.value for t in at.sidebar.text] == ["Connexion : equipe@coorace.example\nRôle : Équipe COORACE"]


def test_an_unknown_address_sees_only_a_french_message(
    monkeypatch: pytest.MonkeyPatch, with_roles: Path
) -> None:
    at = app(
        monkeypatch, with_roles, auth=AUTH, user={"is_logged_in": True, "email": "curieux@ailleurs.example"}
    )

    assert not at.exception
    assert [e.value for e in at.error] == [
        "Votre adresse n'a pas accès à l'Observatoire PTCE. Si vous pensez qu'il s'agit d'une "
        "erreur, demandez l'accès à l'équipe COORACE."
    ]
    assert [t.value for t in at.text] == ["Adresse de connexion : curieux@ailleurs.example"]
    assert [b.label for b in at.button] == ["Se déconnecter"]
    assert not at.metric and not at.dataframe and not at.radio and not at.warning
    assert VIEWER_KEY not in at.session_state and EMAIL_KEY not in at.session_state


def test_an_address_the_provider_has_not_verified_is_refused(
    monkeypatch: pytest.MonkeyPatch, with_roles: Path
) -> None:
    at = app(
        monkeypatch,
        with_roles,
        auth=AUTH,
        user={"is_logged_in": True, "email": "equipe@coorace.example", "email_verified": False},
    )

    assert not at.exception
    assert len(at.error) == 1 and "n'est pas vérifiée" in at.error[0].value
    assert not at.metric and VIEWER_KEY not in at.session_state


def test_without_a_role_file_nobody_gets_in(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    at = app(
        monkeypatch,
        altered_data_dir(),
        auth=AUTH,
        user={"is_logged_in": True, "email": "equipe@coorace.example"},
    )

    assert not at.exception
    assert len(at.error) == 1
    assert "le fichier des accès (acces/roles.yaml) est absent ou contient des erreurs" in at.error[0].value
    assert not at.metric and VIEWER_KEY not in at.session_state
    # The detail goes to the server console, for staff.
    assert "roles.yaml : fichier des accès introuvable" in capsys.readouterr().err


def test_an_incomplete_login_configuration_shuts_the_door(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    incomplete = {k: v for k, v in AUTH.items() if k != "cookie_secret"}
    at = app(monkeypatch, demo_data_dir, auth=incomplete, user={"is_logged_in": False})

    assert not at.exception
    assert len(at.error) == 1 and "La connexion à l'Observatoire est mal configurée" in at.error[0].value
    assert not at.button and not at.radio and not at.metric

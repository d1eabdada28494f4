"""Every page for every role (SPEC §5), headless (AppTest) on the demo warehouse.

The viewer is the one of the session, chosen here as a user does in the demo role chooser of the
sidebar. For the funder and a pole, in one session each: every page the role may see is in its
navigation and runs without error; every page it may not see is absent from its navigation, and its
address does not open it (Streamlit runs the default page instead, so none of its data is shown).
Staff open every page in tests/dashboards/test_no_raw_codes.py (no exception, no error, a title).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.shared.access import DEMO_POLE_KEY, DEMO_ROLE_KEY
from ptce.read.base import STAFF, Viewer

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
APP = str(DASHBOARDS / "app.py")
TIMEOUT = 60
OWN = "phares"
VIEWERS = {"staff": STAFF, "funder": Viewer("funder"), "pole": Viewer("pole", OWN)}
PAGES = sorted(p.name for p in DASHBOARDS.iterdir() if (p / "page.py").exists())
DEFAULT_TITLE = "Vue d'ensemble du réseau"
# What each role's navigation lists, written out: a page moved to another role must change here.
EXPECTED = {
    "staff": set(PAGES),
    "funder": {
        "overview",
        "pole",
        "comparaison",
        "mutualisation",
        "creation",
        "qualite_emploi",
        "visites",
        "rapports",
    },
    "pole": {
        "overview",
        "pole",
        "comparaison",
        "mutualisation",
        "creation",
        "qualite_emploi",
        "visites",
        "parcours",
        "depot",
        "saisie",
    },
}


def _app(monkeypatch: pytest.MonkeyPatch, data_dir: Path, viewer: Viewer) -> AppTest:
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    _choose(at, viewer)
    return at


def _choose(at: AppTest, viewer: Viewer) -> None:
    """The role as the demo chooser of the sidebar sets it (no identity provider in these tests)."""
    at.session_state[DEMO_ROLE_KEY] = viewer.role
    if viewer.pole_id is not None:
        at.session_state[DEMO_POLE_KEY] = viewer.pole_id


def _open(at: AppTest, page: str) -> AppTest:
    at.run()
    if page != "overview":  # the default page, where the app opens
        at.switch_page(f"{page}/page.py").run()
    return at


def test_every_page_declares_its_roles() -> None:
    for page in PAGES:
        roles = importlib.import_module(f"dashboards.{page}").ROLES
        assert roles == {role for role in VIEWERS if page in EXPECTED[role]}, page


@pytest.mark.parametrize("role", ["funder", "pole"])
def test_each_role_opens_its_pages_and_no_other(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path, role: str
) -> None:
    """One session per role, page after page, as a user moves through the app."""
    viewer = VIEWERS[role]
    at = _open(_app(monkeypatch, demo_data_dir, viewer), "overview")
    for page in PAGES:
        if page not in EXPECTED[role]:
            continue
        if page != "overview":
            at.switch_page(f"{page}/page.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
        assert at.title, page
    for page in sorted(set(PAGES) - EXPECTED[role]):
        # Forbidden: the session becomes staff's, which finds the page and its title, then the
        # viewer becomes `viewer` again (a link kept from elsewhere) and the app runs again on that
        # page's address.
        _choose(at, STAFF)
        at.run()  # staff's navigation registered: the page's address is known
        at.switch_page(f"{page}/page.py").run()
        title = at.title[0].value
        assert title != DEFAULT_TITLE, page
        _choose(at, viewer)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert [t.value for t in at.title] == [DEFAULT_TITLE], page
        # And the page is not in this role's navigation.
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"{page}/page.py")


def test_a_pole_opens_on_its_own_pole_and_may_look_at_others(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = _open(_app(monkeypatch, demo_data_dir, VIEWERS["pole"]), "pole")
    chooser = at.selectbox(key="pole_choisi")
    assert chooser.value == OWN
    assert len(chooser.options) == 12  # the others' indicators, their counts of persons masked
    # Its own page lists the files its values came from; another pole's does not.
    assert any(e.label == "Origine et fichiers sources de chaque valeur" for e in at.expander)
    assert not _masked_note(at)  # its own counts as they are (phares: 1 shared employee in 2017)
    chooser.set_value("sud_aquitain").run()
    assert not at.exception
    assert not any(e.label == "Origine et fichiers sources de chaque valeur" for e in at.expander)
    # The demo's sud_aquitain had 1 « entrepreneur salarié » in 2017: masked, and the page says so.
    assert _masked_note(at)


def _masked_note(at: AppTest) -> bool:
    return any(c.value.startswith("Cases vides : valeur non transmise") for c in at.caption)


def test_a_pole_chooses_only_its_own_pathways_or_the_network(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = _open(_app(monkeypatch, demo_data_dir, VIEWERS["pole"]), "parcours")
    chooser = at.selectbox(key="parcours_pole")
    assert chooser.value == OWN
    assert chooser.options == ["Tout le réseau", "3. PHARES"]

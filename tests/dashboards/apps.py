"""Opening the dashboards' app in Streamlit's AppTest as one demo role, shared by the page tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.shared.access import DEMO_POLE_KEY, DEMO_ROLE_KEY

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
TIMEOUT = 60


def open_app(
    monkeypatch: pytest.MonkeyPatch,
    data_dir: Path,
    role: str,
    pole: str | None = None,
    page: str | None = None,
) -> AppTest:
    """The app over `data_dir` as `role` (and `pole`), run once; then `page` (« depot/page.py »), which
    must run without an exception."""
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[DEMO_ROLE_KEY] = role
    if pole is not None:
        at.session_state[DEMO_POLE_KEY] = pole
    at.run()
    if page is not None:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at

"""Who is looking at the app: the viewer (role and pole) of the current session.

The single place the dashboards learn the viewer from. Every cached read (`reads.py`) passes it to
the read layer, which filters by role in its queries (SPEC §5); the router (`app.py`) shows only
the pages the viewer's role may open.

For now the viewer is COORACE staff unless the session holds another one (set by the login or the
demo role chooser, which come with the access work of issue #13).
"""

from __future__ import annotations

import streamlit as st

from ptce.read.base import STAFF, Viewer

# The session key holding the Viewer of this browser session.
VIEWER_KEY = "ptce_viewer"


def current_viewer() -> Viewer:
    """The viewer of this session (staff until login and roles are in place)."""
    viewer = st.session_state.get(VIEWER_KEY)
    return viewer if isinstance(viewer, Viewer) else STAFF

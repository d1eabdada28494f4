"""Where a page sends the user to a pole's page: the address of a link, and the switch itself.

The pole page reads the pole from its address (`?pole=<pole_id>`); its address comes from its
package (`URL_PATH`), so a renamed page keeps every link to it working.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn
from urllib.parse import urlencode

import streamlit as st

from dashboards import pole

# The page file as `st.navigation` registers it (dashboards/app.py builds pages from the folders).
POLE_PAGE = Path(pole.__file__).resolve().with_name("page.py")


def pole_address(pole_id: str) -> str:
    """Relative address of a pole's page, for a table's link: `pole?pole=phares`."""
    return f"{pole.URL_PATH}?{urlencode({'pole': pole_id})}"


def open_pole(pole_id: str) -> NoReturn:
    """Show the pole's page now, in this tab, with the pole in the address."""
    st.switch_page(POLE_PAGE, query_params={"pole": pole_id})

"""Each dashboard page run headless (Streamlit's AppTest) beside an empty page, as the page tests do.

As `tests/dashboards/apps.open_app`: the app (`dashboards/app.py`) over the data directory, opened
as COORACE staff (the demo role chooser's session key), run once, then switched to the page; the
page's run is what is timed, after clearing `st.cache_data` so that every read is paid, as after a
publication. The empty page is a one-line Streamlit script in a new AppTest each time (its one run
is the only way AppTest shows a page, so it carries the session's set-up; a second run of it takes
a few milliseconds): the ratio says how many empty pages' worth of time a page costs, as issue #16
counts it. A page's modules are imported by its first run; the median of the runs leaves that out.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ptce.paths import PROJECT_ROOT

DASHBOARDS = PROJECT_ROOT / "dashboards"
APP = DASHBOARDS / "app.py"
EMPTY_PAGE = 'import streamlit as st\n\nst.title("Page vide")\n'
TIMEOUT = 600


def pages() -> list[str]:
    """Every page folder of the app (the navigation lists the same ones)."""
    return sorted(p.name for p in DASHBOARDS.iterdir() if (p / "page.py").is_file())


@contextlib.contextmanager
def _data_dir(data_dir: Path) -> Iterator[None]:
    before = os.environ.get("PTCE_DATA_DIR")
    os.environ["PTCE_DATA_DIR"] = str(data_dir)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PTCE_DATA_DIR", None)
        else:
            os.environ["PTCE_DATA_DIR"] = before


@dataclass
class PageTiming:
    page: str
    seconds: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def time_pages(
    data_dir: Path, repeat: int, on_page: Callable[[str], None] | None = None
) -> tuple[list[PageTiming], PageTiming]:
    """Each page's AppTest run `repeat` times (median kept), and the empty page's."""
    import streamlit as st
    from streamlit import logger as st_logger
    from streamlit.testing.v1 import AppTest

    from dashboards.shared.access import DEMO_ROLE_KEY

    # AppTest runs pages without a server: Streamlit says so on every run (« missing ScriptRunContext »).
    st_logger.set_log_level("error")

    empty = PageTiming("(page vide)")
    AppTest.from_string(EMPTY_PAGE, default_timeout=TIMEOUT).run()  # warm-up: Streamlit's first run imports
    for _ in range(repeat):
        at = AppTest.from_string(EMPTY_PAGE, default_timeout=TIMEOUT)
        t0 = time.perf_counter()
        at.run()
        empty.seconds.append(time.perf_counter() - t0)
    out = []
    with _data_dir(data_dir):
        for page in pages():
            if on_page is not None:
                on_page(page)
            timing = PageTiming(page)
            for _ in range(repeat):
                at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
                at.session_state[DEMO_ROLE_KEY] = "staff"
                try:
                    at.run()
                    st.cache_data.clear()
                    at.switch_page(f"{page}/page.py")
                    t0 = time.perf_counter()
                    at.run()
                except Exception as exc:  # AppTest's timeout, or a crash outside the page's script
                    timing.error = f"{type(exc).__name__} : {str(exc)[:200]}"
                    break
                timing.seconds.append(time.perf_counter() - t0)
                if at.exception:
                    timing.error = "; ".join(str(e.value)[:200] for e in at.exception)
                    break
            out.append(timing)
    return out, empty

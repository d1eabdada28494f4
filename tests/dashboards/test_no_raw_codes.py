"""No raw code on screen: quality rule names, table names and field codes appear in French only.

Every page is run headless and everything it shows is scanned — titles, texts, captions, metric
labels, expander labels, widget options, and every cell and header of every table (the browser
draws tables on a canvas, so their full content is read here from the page's data).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ptce.contract import APPLICATION_FIELD_LABELS, TABLE_LABELS, TABLES
from ptce.paths import PROJECT_ROOT, DataLayout

APP = str(PROJECT_ROOT / "dashboards" / "app.py")
# Every page of the app, found as the navigation finds them: a new page is scanned with no edit here.
PAGES = sorted(
    p.relative_to(PROJECT_ROOT / "dashboards").as_posix()
    for p in (PROJECT_ROOT / "dashboards").glob("*/page.py")
)
# Codes that are also ordinary French words can appear in French text: not scanned.
FRENCH_WORDS = {"publication", "conservation", "applications"}


def codes(data_dir: Path) -> set[str]:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        rules = {r for (r,) in con.execute("select distinct regle from check_results").fetchall()}
        fields = {f for (f,) in con.execute("select distinct champ from application_fields").fetchall()}
    return (rules | set(TABLES) | fields) - FRENCH_WORDS


def page_text(at: AppTest) -> list[str]:
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error"):
        texts += [str(e.value) for e in getattr(at, kind)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    texts += [str(e.label) for e in at.expander]
    for box in at.selectbox:
        texts += [str(o) for o in box.options]
    for frame in at.dataframe:
        data = frame.value
        texts += [str(c) for c in data.columns]
        texts += [str(v) for v in data.astype(str).to_numpy().ravel()]
    return texts


@pytest.mark.parametrize("page", PAGES)
def test_no_rule_table_or_field_code_is_shown(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path, page: str
) -> None:
    monkeypatch.setenv("PTCE_DATA_DIR", str(demo_data_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    # Staff open every page (tests/dashboards/test_roles_pages.py checks the other roles).
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, page
    pattern = re.compile(
        r"(?<![\w/.])(" + "|".join(map(re.escape, sorted(codes(demo_data_dir)))) + r")(?![\w/])"
    )
    shown = [(m.group(1), text[:80]) for text in page_text(at) for m in pattern.finditer(text)]
    assert shown == []


def test_every_table_and_field_has_its_french_label() -> None:
    from pipelines.applications.fields import COLUMNS

    assert set(TABLE_LABELS) == set(TABLES)
    assert set(APPLICATION_FIELD_LABELS) == set(COLUMNS)

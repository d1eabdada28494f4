"""Printing: the printable version of the overview and the pole page (`?impression=1`), headless.

The browser side (what paper shows, the PDF) is in tests/browser/test_print.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboards.shared import printing, widgets
from dashboards.shared.display import escape_markdown
from dashboards.shared.plotting import TITLE_LINE_CHARS, indicator_title
from dashboards.shared.table_format import Table
from tests.dashboards.test_dashboard_app import APP, TIMEOUT, scalar


def run(monkeypatch: pytest.MonkeyPatch, data_dir: Path, page: str | None = None, **params: str) -> AppTest:
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def headings(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("#### ")]


def domain_labels(data_dir: Path) -> list[str]:
    return scalar(
        data_dir, "select list(distinct domaine_libelle order by domaine_libelle) from indicator_catalog"
    )


def test_overview_tabs_carry_their_label_for_paper(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = run(monkeypatch, demo_data_dir)

    assert not at.exception
    assert sorted(t.label for t in at.tabs) == domain_labels(demo_data_dir)
    # Each tab starts with its own label as a heading (shown on paper only, by print.css).
    for tab in at.tabs:
        assert tab.markdown[0].value == f"#### {escape_markdown(tab.label)}"
    assert [b.label for b in at.button] == ["Version imprimable"]


def test_overview_printable_version(monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path) -> None:
    screen = run(monkeypatch, demo_data_dir)
    labels = [t.label for t in screen.tabs]

    at = screen.button(key="version_imprimable").click().run()

    assert not at.exception
    assert at.query_params[printing.PARAM] == "1"
    assert any("Données fictives de démonstration" in w.value for w in at.warning)
    assert "Version imprimable" in at.info[0].value
    # The tabs' content one after the other, under their labels, in the same order; every chart.
    assert not at.tabs
    assert headings(at) == [f"#### {escape_markdown(label)}" for label in labels]
    assert len(at.get("plotly_chart")) == len(labels) + 1  # and the map
    # The table of poles is static and whole (twelve rows), without its link column or download.
    assert not at.dataframe
    (table,) = at.table
    assert len(table.value) == 12
    assert "Fiche" not in table.value.columns
    assert not at.get("download_button")

    back = at.button(key="version_ecran").click().run()
    assert not back.exception
    assert printing.PARAM not in back.query_params
    assert [t.label for t in back.tabs] == labels
    assert back.dataframe


def test_pole_printable_version(monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path) -> None:
    at = run(monkeypatch, demo_data_dir, page="pole/page.py", pole="phares", impression="1")

    assert not at.exception
    assert at.title[0].value == "PHARES"
    domains = scalar(
        demo_data_dir,
        "select count(distinct c.domaine) from mart_pole_year m join indicator_catalog c using (code) "
        "where m.pole_id = 'phares'",
    )
    assert not at.tabs
    assert len(headings(at)) == len(at.get("plotly_chart")) == domains
    # The values as indicators × years, every indicator printed; the sources stay on screen.
    indicators = scalar(
        demo_data_dir, "select count(distinct code) from mart_pole_year where pole_id = 'phares'"
    )
    # Then its targets of the latest year with targets, one row each.
    table, targets = at.table
    assert len(table.value) == indicators
    assert len(targets.value) == scalar(
        demo_data_dir,
        "select count(*) from targets where pole_id = 'phares' and annee = (select max(annee) from targets)",
    )
    assert not at.expander
    assert not at.dataframe


def test_printable_table_leaves_out_link_columns() -> None:
    table = Table(
        pd.DataFrame({"Pôle": ["A"], "Salariés": [1234], "Fiche": ["pole?pole=a"]}), {"Salariés": "entier"}
    )
    config = {"Fiche": st.column_config.LinkColumn("Fiche", display_text="Ouvrir"), "Pôle": None}

    printed = widgets.printable_table(table, config)

    assert list(printed.frame.columns) == ["Pôle", "Salariés"]
    assert printed.formats == {"Salariés": "entier"}


def test_long_chart_titles_go_on_two_lines_at_most() -> None:
    short = indicator_title("Salariés en CDI", "personnes")
    assert short == "Salariés en CDI"
    long = indicator_title("Représentation des salariés dans la gouvernance (1 = oui, 0 = non)", "%")
    lines = long.split("<br>")
    assert len(lines) == 2
    assert " ".join(lines) == "Représentation des salariés dans la gouvernance : part des pôles"
    wrapped = indicator_title("Employeurs adhérents à un groupement d'employeurs", "nombre").split("<br>")
    assert len(wrapped) == 2 and all(len(line) <= TITLE_LINE_CHARS for line in wrapped)


def test_print_files_survive_streamlit_sanitiser() -> None:
    """Streamlit drops a `<style>` whose text holds `<` followed by a letter or `/` (mXSS guard)."""
    css = printing.STYLESHEET.read_text(encoding="utf-8")
    assert "<" not in css
    assert "@media print" in css
    assert "</script" not in printing.SCRIPT.read_text(encoding="utf-8")


def test_every_page_gets_the_print_support(monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path) -> None:
    for page in (None, "quality/page.py"):
        at = run(monkeypatch, demo_data_dir, page=page)
        assert not at.exception
        assert sorted(h.proto.body for h in at.get("html")) == sorted(printing.print_support_html())

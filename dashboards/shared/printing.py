"""Printing the pages (browser print, A4 portrait), and the printable version of a page.

Every page gets the project's print style sheet and script (`static/print.css`, `static/print.js`,
injected once per run by `app.py`): on paper no sidebar, header or download buttons, every tab's
content one after the other under its label, and the charts and tables drawn in pixels shrunk to
the sheet's width so none is cut.

A page may also offer a printable version (`?impression=1` in its address, switched by
`version_switch`): a narrow page, as wide as the sheet, where tabs become sections one after the
other (`tabs`), charts are drawn at the sheet's width, and tables are static, every row printed
(`widgets.show_table`).

Only our own files are sent as HTML here, never data: labels coming from the warehouse or the
catalogue go through Streamlit's Markdown, escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboards.shared.display import escape_markdown

STATIC = Path(__file__).resolve().parents[1] / "static"
STYLESHEET = STATIC / "print.css"
SCRIPT = STATIC / "print.js"
# The address parameter of the printable version: `?impression=1`.
PARAM = "impression"
# Key prefixes of our containers that print.css shows on paper only, or on screen only.
PAPER_ONLY = "papier_seul"
SCREEN_ONLY = "ecran_seul"


def print_support_html() -> tuple[str, str]:
    """The HTML the app sends for printing: our style sheet, our script (the only HTML it sends)."""
    style = f"<style>{STYLESHEET.read_text(encoding='utf-8')}</style>"
    script = f"<script>{SCRIPT.read_text(encoding='utf-8')}</script>"
    return style, script


def inject_print_support() -> None:
    """The print style sheet and script, for the page being run (our own files, never data).

    The script only acts when the browser prints (it registers itself once per browser tab).
    """
    style, script = print_support_html()
    st.html(style)  # style only: Streamlit puts it out of the page's flow
    st.html(script, unsafe_allow_javascript=True)


def printable() -> bool:
    """Whether the page is shown as its printable version (`?impression=1`)."""
    return st.query_params.get(PARAM) == "1"


def _open_printable() -> None:
    st.query_params[PARAM] = "1"


def _close_printable() -> None:
    del st.query_params[PARAM]


def version_switch() -> None:
    """The switch between the page and its printable version, shown on screen only.

    In the printable version the page is as narrow as an A4 sheet, so what is seen is what prints.
    """
    with st.container(key=f"{SCREEN_ONLY}_version"):
        if printable():
            # The page's width for this run only: the next run of another page sets its own.
            st.set_page_config(layout="centered")
            st.info(
                "Version imprimable : chaque onglet est présenté à la suite et les tableaux en "
                "entier. Imprimez-la avec la commande Imprimer du navigateur (Ctrl+P), au format "
                "A4 portrait.",
                icon=":material/print:",
            )
            st.button(
                "Revenir à la page",
                icon=":material/arrow_back:",
                type="tertiary",
                on_click=_close_printable,
                key="version_ecran",
            )
        else:
            st.button(
                "Version imprimable",
                icon=":material/print:",
                type="tertiary",
                help="Tous les onglets à la suite et les tableaux en entier, au format d'une page A4.",
                on_click=_open_printable,
                key="version_imprimable",
            )


def tabs(labels: Sequence[str], key: str) -> list[DeltaGenerator]:
    """Tabs with these labels, or, in the printable version, one section per label, in order.

    Inside each tab the label is written again as a heading shown on paper only: printed, every
    tab's content follows the previous one under its own label (print.css hides the tab bar).
    `key` names the set of tabs (unique on the page).
    """
    if printable():
        sections = []
        for i, label in enumerate(labels):
            section = st.container(key=f"section_{key}_{i}")
            section.markdown(f"#### {escape_markdown(label)}")
            sections.append(section)
        return sections
    panels = st.tabs(list(labels))
    for i, (panel, label) in enumerate(zip(panels, labels, strict=True)):
        panel.container(key=f"{PAPER_ONLY}_{key}_{i}").markdown(f"#### {escape_markdown(label)}")
    return panels


def columns(spec: Sequence[int]) -> list[DeltaGenerator]:
    """Side-by-side columns, or, in the printable version, the same blocks one below the other."""
    if printable():
        return [st.container() for _ in spec]
    return st.columns(list(spec))

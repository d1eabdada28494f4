"""Rapports: build the yearly report for the funder and download its three files.

One year is chosen among those with figures; « Construire le rapport » runs `reports.build` (the
same build as `ptce report` and the Dagster asset) inside a status box that shows its progress
lines, then offers the PDF, the Excel workbook and the HTML page. Below, the reports already in
the output folder (`<data>/curated/rapports/`) with when they were built. Every text is shown as
text (status lines with `st.text`, errors escaped), never as HTML.
"""

from __future__ import annotations

import streamlit as st

from dashboards.rapports import tables
from dashboards.shared import display, reads, table_format
from ptce.paths import resolve_data_dir
from reports import build
from reports.model import ReportError

wh = reads.current_warehouse()
if wh is None:  # app.py stops before this; the guard keeps the page runnable on its own
    st.stop()

data_dir = resolve_data_dir()
out_dir = build.default_out_dir(data_dir)

st.title("Rapports annuels")
st.caption(tables.INTRO)

years = reads.years(wh)
if not years:
    st.info(tables.NO_YEAR, icon=":material/info:")
    st.stop()

year = st.selectbox("Année du rapport", years, key="rapport_annee", format_func=str)

if st.button("Construire le rapport", type="primary", icon=":material/build:", key="rapport_construire"):
    with st.status(f"Construction du rapport {year}…", expanded=True) as status:
        try:
            # `st.text`: the progress lines are shown as they are, never read as Markdown.
            built = build.build_year(data_dir, year, progress=status.text)
        except ReportError as exc:
            status.update(label=f"Le rapport {year} n'a pas pu être construit.", state="error")
            st.error(display.escape_markdown(str(exc)), icon=":material/error:")
        else:
            status.update(label=tables.built_label(built), state="complete", expanded=False)

files = {f.format: f for f in build.built_reports(out_dir) if f.year == year}
if files:
    st.subheader(f"Rapport {year}")
    for column, fmt in zip(st.columns(len(build.FORMATS)), build.FORMATS, strict=True):
        found = files.get(fmt)
        if found is None:
            continue
        column.download_button(
            tables.DOWNLOAD_LABELS[fmt],
            data=found.path.read_bytes(),
            file_name=found.path.name,
            mime=tables.MIME_TYPES[fmt],
            icon=":material/download:",
            key=f"rapport_{fmt}",
        )

st.subheader("Rapports déjà construits")
built_files = build.built_reports(out_dir)
if built_files:
    # A plain grid: a CSV of this list would say nothing the folder does not.
    st.dataframe(
        table_format.styled(tables.built_table(built_files)),
        hide_index=True,
        key="rapports_construits",
        placeholder=table_format.MISSING,
    )
    st.caption(f"Dossier : {display.escape_markdown(str(out_dir))}")
else:
    st.info(tables.NONE_BUILT, icon=":material/info:")

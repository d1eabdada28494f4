"""Tables on the pages: one helper, so every table sorts as typed, reads French, is capped, exports safely.

Streamlit's own table toolbar would export the raw cells (CSV download and clipboard copy), where a
cell sent by a pole such as `=HYPERLINK(...)` would run in Excel: that export is switched off in the
app's configuration (`client.disableDataExport`) and every table gets the project's export instead,
`export.to_excel_csv`, which neutralises formulas. What a page sends to the browser is capped: a
table shows at most `MAX_ROWS` rows and `MAX_CELL_CHARS` characters per cell, and says so.

Numbers and dates stay typed (they sort and align as such) and are written in French by
`table_format` (see there). The first column (the pole, the file) stays in view when the table
scrolls sideways, and a table of up to `FULL_HEIGHT_ROWS` rows (the twelve poles) is shown whole.

In a page's printable version (`printing`), a table of up to `PRINT_TABLE_ROWS` rows is a static
table instead, every row on paper in the same French formats (an interactive grid is a picture of
the rows in view); links and the download, of no use on paper, are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd
import streamlit as st

from dashboards.shared import export, printing, table_format
from dashboards.shared.table_format import Table
from ptce.fmt import fmt_number

# A page stays responsive and far below Streamlit's message limit with these.
MAX_ROWS = 5_000
MAX_CELL_CHARS = 1_000
# Excel refuses longer cells; the export keeps everything up to that.
EXCEL_CELL_CHARS = 32_767
# Up to this many rows a table is as tall as its content; beyond, it scrolls within this many.
FULL_HEIGHT_ROWS = 20
# Streamlit's row and header height in pixels (its default `row_height`), and the frame's border.
ROW_PIXELS = 35
BORDER_PIXELS = 3
# A printable version shows tables up to this many rows whole, as static tables (about two A4 pages).
PRINT_TABLE_ROWS = 50


def table_height(rows: int, row_pixels: int = ROW_PIXELS) -> int | Literal["content"]:
    """Height of a table of `rows` rows: whole up to `FULL_HEIGHT_ROWS`, else that many in view."""
    if rows <= FULL_HEIGHT_ROWS:
        return "content"
    return ROW_PIXELS + FULL_HEIGHT_ROWS * row_pixels + BORDER_PIXELS


def show_table(
    data: Table | pd.DataFrame,
    *,
    key: str,
    file_name: str,
    column_config: Mapping[str, Any] | None = None,
    download_label: str = "Télécharger pour Excel (CSV)",
    row_height: int | None = None,
    on_select: Literal["ignore", "rerun"] = "ignore",
) -> Any:
    """`data` as a sortable French table with its French-Excel CSV download below; large content is capped.

    `row_height` above Streamlit's single line lets long texts wrap in their cells. With
    `on_select="rerun"` one row can be chosen; the selection state is returned.
    """
    table = table_format.as_table(data)
    # One keyed container per table (the grid, its notes, its download): pages and tests find a
    # table by its key, which Streamlit gives to containers but not to a read-only grid.
    with st.container(key=f"tableau_{key}"):
        frame = table.frame
        shown, rows_cut, cells_cut = export.cap_table(frame, MAX_ROWS, MAX_CELL_CHARS)
        if printing.printable() and on_select == "ignore" and len(shown) <= PRINT_TABLE_ROWS:
            st.table(
                table_format.styled(
                    printable_table(Table(shown, table.formats, table.unit_column), column_config)
                ),
                hide_index=True,
            )
            return None
        config: dict[str, Any] = {}
        if len(shown.columns):
            config[str(shown.columns[0])] = st.column_config.Column(pinned=True)
        config.update(column_config or {})
        state = st.dataframe(
            table_format.styled(Table(shown, table.formats, table.unit_column)),
            hide_index=True,
            key=key,
            column_config=config,
            height=table_height(len(shown), row_height or ROW_PIXELS),
            row_height=row_height,
            # The grid draws a missing value itself ("None" by default), whatever the Styler says.
            placeholder=table_format.MISSING,
            **({"on_select": "rerun", "selection_mode": "single-row"} if on_select == "rerun" else {}),
        )
        notes = []
        if rows_cut:
            notes.append(
                f"Seules les {fmt_number(MAX_ROWS)} premières lignes sur {fmt_number(len(frame))} sont "
                "affichées ; le fichier téléchargé les contient toutes."
            )
        if cells_cut:
            notes.append(
                f"Les textes de plus de {fmt_number(MAX_CELL_CHARS)} caractères sont coupés à l'écran."
            )
        if notes:
            st.caption(" ".join(notes))

        def csv_for_excel() -> bytes:
            exported, _, _ = export.cap_table(table_format.export_frame(table), None, EXCEL_CELL_CHARS)
            return export.to_excel_csv(exported)

        # Written when the person clicks, not on every run: at national scale the file of a table
        # of 2,000 poles cost a page as much as its charts.
        st.download_button(
            download_label,
            data=csv_for_excel,
            file_name=file_name,
            mime="text/csv",
            icon=":material/download:",
            type="tertiary",
            key=f"{key}_csv",
        )
        return state


def printable_table(table: Table, column_config: Mapping[str, Any] | None = None) -> Table:
    """`table` for paper: without its link columns (an address says nothing printed)."""
    links = [
        name
        for name, config in (column_config or {}).items()
        if isinstance(config, Mapping) and (config.get("type_config") or {}).get("type") == "link"
    ]
    return Table(table.frame.drop(columns=links), table.formats, table.unit_column)

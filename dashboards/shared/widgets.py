"""Tables on the pages: one helper, so every table is capped, and exported safely.

Streamlit's own table toolbar would export the raw cells (CSV download and clipboard copy), where a
cell sent by a pole such as `=HYPERLINK(...)` would run in Excel: that export is switched off in the
app's configuration (`client.disableDataExport`) and every table gets the project's export instead,
`export.to_excel_csv`, which neutralises formulas. What a page sends to the browser is capped: a
table shows at most `MAX_ROWS` rows and `MAX_CELL_CHARS` characters per cell, and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.shared import export
from ptce.fmt import fmt_number

# A page stays responsive and far below Streamlit's message limit with these.
MAX_ROWS = 5_000
MAX_CELL_CHARS = 1_000
# Excel refuses longer cells; the export keeps everything up to that.
EXCEL_CELL_CHARS = 32_767


def show_table(
    frame: pd.DataFrame,
    *,
    key: str,
    file_name: str,
    column_config: Mapping[str, Any] | None = None,
) -> None:
    """`frame` as a table with its French-Excel CSV download below; large content is capped."""
    shown, rows_cut, cells_cut = export.cap_table(frame, MAX_ROWS, MAX_CELL_CHARS)
    st.dataframe(shown, hide_index=True, key=key, column_config=column_config)
    notes = []
    if rows_cut:
        notes.append(
            f"Seules les {fmt_number(MAX_ROWS)} premières lignes sur {fmt_number(len(frame))} sont "
            "affichées ; le fichier téléchargé les contient toutes."
        )
    if cells_cut:
        notes.append(f"Les textes de plus de {fmt_number(MAX_CELL_CHARS)} caractères sont coupés à l'écran.")
    if notes:
        st.caption(" ".join(notes))
    exported, _, _ = export.cap_table(frame, None, EXCEL_CELL_CHARS)
    st.download_button(
        "Télécharger pour Excel (CSV)",
        data=export.to_excel_csv(exported),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        type="tertiary",
        key=f"{key}_csv",
    )

"""The published figures a deposit or a typed entry would change, as both pages show them.

`changes_table` is pure (tested on hand-written changes); `show_checks` and `show_changes` draw a
preview's failing checks and its changes the same way on both pages.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboards.shared import table_format as tf
from dashboards.shared import widgets
from dashboards.shared.table_format import Table
from ptce import intake

CHANGE_LABELS: dict[str, str] = {"ajout": "Ajout", "modification": "Modification", "retrait": "Retrait"}
NO_CHANGE = "Aucun chiffre publié ne changerait."


def changes_table(changes: Sequence[intake.Change]) -> Table:
    """The published figures that would change: old → new, by pole, year and indicator.

    Values stay numbers (they sort as such) and are written in each row's unit, the French way.
    """
    frame = pd.DataFrame(
        {
            "Pôle": [c.pole for c in changes],
            "Année": pd.array([c.annee for c in changes], dtype="Int64"),
            "Indicateur": [c.libelle for c in changes],
            "Unité": [c.unite for c in changes],
            "Ancienne valeur": pd.array([c.old for c in changes], dtype="Float64"),
            "Nouvelle valeur": pd.array([c.new for c in changes], dtype="Float64"),
            "Changement": [CHANGE_LABELS.get(c.change, c.change) for c in changes],
        }
    )
    return Table(frame, {"Année": tf.YEAR}, unit_column="Unité")


def _bullets(title: str, lines: Sequence[str]) -> None:
    if lines:
        st.markdown(f"**{title}**")
        st.text("\n".join(f"• {line}" for line in lines))  # check texts as text, never Markdown


def show_checks(preview: intake.Preview) -> None:
    """The data checks a preview says would fail: blocking ones, then warnings."""
    _bullets("Contrôles bloquants qui échoueraient", preview.checks_blocking)
    _bullets("Contrôles en alerte", preview.checks_warning)


def show_changes(preview: intake.Preview, key: str) -> None:
    """The published figures the preview would change, or a line saying none would."""
    st.markdown("**Chiffres publiés qui changeraient**")
    if preview.changes:
        widgets.show_table(changes_table(preview.changes), key=key, file_name="changements.csv")
    else:
        st.info(NO_CHANGE, icon=":material/info:")

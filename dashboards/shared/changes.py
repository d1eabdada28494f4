"""The published figures a deposit or a typed entry would change, as both pages show them.

A pure function (no Streamlit), tested on hand-written changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboards.shared import table_format as tf
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

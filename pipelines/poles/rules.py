"""Quality rules of the `poles` table: the Great Expectations suite `gx_poles` (ERROR).

Rows were checked one by one when the reference files were read (bad rows are quarantined); this
suite checks the table the run publishes: as many poles as the run's effective reference, unique
identifiers and numbers, every pole placed in France and in a known peer group.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.shared.gx_frames import table
from pipelines.shared.gx_suites import Rule, RuleContext, Suite, rule
from ptce.reference import TERRITORIES, in_france


def poles_frame(con: duckdb.DuckDBPyConnection, ctx: RuleContext) -> pd.DataFrame:
    """`poles` with a flag per row: its coordinates lie in France (metropolitan or overseas)."""
    frame = table(con, "poles")
    frame["en_france"] = [
        in_france(float(lat), float(lon))
        for lat, lon in zip(frame["latitude"], frame["longitude"], strict=True)
    ]
    return frame


def _poles(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "tous_les_poles",
            f"Le référentiel compte les {len(ctx.pole_ids)} pôles en vigueur (les douze livrés et les "
            "fichiers de raw/poles/).",
            lambda g: g.ExpectTableRowCountToEqual(value=len(ctx.pole_ids)),
        ),
        rule(
            "pole_id_unique",
            "Identifiant de pôle unique.",
            lambda g: g.ExpectColumnValuesToBeUnique(column="pole_id"),
        ),
        rule(
            "numero_unique",
            "Numéro de pôle unique.",
            lambda g: g.ExpectColumnValuesToBeUnique(column="numero"),
        ),
        rule(
            "numero_positif",
            "Numéro de pôle positif.",
            lambda g: g.ExpectColumnValuesToBeBetween(column="numero", min_value=1),
        ),
        rule(
            "coordonnees_france",
            "Coordonnées en France (métropole ou outre-mer).",
            lambda g: g.ExpectColumnValuesToBeInSet(column="en_france", value_set=[True]),
        ),
        rule(
            "territoire_connu",
            f"Territoire parmi {', '.join(TERRITORIES)}.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="territoire", value_set=list(TERRITORIES)),
        ),
    ]


TABLE_SUITES: tuple[Suite, ...] = (
    Suite("poles", "gx_poles", "Référentiel des pôles.", "ERROR", "poles", ("pole_id",), _poles),
)
FRAMES = {"poles": poles_frame}

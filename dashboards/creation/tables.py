"""Création d'activités: what the page shows (domain `creation`), its introduction and its funnel's stages."""

from __future__ import annotations

import pandas as pd

from dashboards.shared.angle_tables import Angle

ANGLE = Angle(
    domain="creation",
    title="Création d'activités",
    intro=(
        "Des porteurs de projet accompagnés (coopérative d'activité et d'emploi, incubation, "
        "couveuse) aux activités créées, aux entrepreneurs-salariés et aux emplois créés par ces "
        "activités — pour le réseau et pour un pôle, l'année choisie, puis au fil des années."
    ),
    key="creation",
)

# The funnel, from the persons accompanied to the jobs created: its stages in this order.
FUNNEL = ("porteurs_accompagnes", "activites_creees", "entrepreneurs_salaries", "emplois_crees_activites")
STAGE_COLUMNS = ["code", "libelle", "unite", "valeur", "masque"]


def network_stages(network: pd.DataFrame, year: int) -> pd.DataFrame:
    """The funnel's stages for the network in `year` (rows of `reads.angle_network`), in order.

    A stage with no network figure (not reported, or hidden by small cells) is kept, empty.
    """
    rows = network[network["annee"] == year].set_index("code")
    stages = []
    for code in FUNNEL:
        if code in rows.index:
            row = rows.loc[code]
            hidden = pd.isna(row["valeur"]) and bool(row["personnes"])
            stages.append([code, row["libelle"], row["unite"], row["valeur"], "s" if hidden else None])
    frame = pd.DataFrame(stages, columns=STAGE_COLUMNS)
    frame["masque"] = pd.Series([s[-1] for s in stages], dtype=object, index=frame.index)
    return frame


def pole_stages(by_pole: pd.DataFrame, pole_id: str) -> pd.DataFrame:
    """The funnel's stages for one pole (rows of `reads.angle_poles`, small cells applied), in order."""
    rows = by_pole[(by_pole["pole_id"] == pole_id) & by_pole["code"].isin(FUNNEL)]
    order = {code: i for i, code in enumerate(FUNNEL)}
    rows = rows.sort_values("code", key=lambda s: s.map(order))
    return rows[STAGE_COLUMNS].reset_index(drop=True)


def pole_names(by_pole: pd.DataFrame) -> dict[str, str]:
    """Each pole's « N. Nom » by id, for the pole selector."""
    poles = by_pole.drop_duplicates("pole_id")
    return {
        str(p): f"{int(n)}. {nom}"
        for p, n, nom in zip(poles["pole_id"], poles["numero"], poles["nom"], strict=True)
    }

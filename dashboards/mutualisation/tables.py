"""Emploi mutualisé: what the page shows (the catalogue domain `mutualisation`) and its introduction."""

from __future__ import annotations

from dashboards.shared.angle_tables import Angle

ANGLE = Angle(
    domain="mutualisation",
    title="Emploi mutualisé",
    intro=(
        "Formes d'emploi et mutualisation : employeurs adhérents à un groupement d'employeurs, "
        "salariés en emploi partagé et ETP mutualisés, contrats en alternance via un GEIQ, "
        "travailleurs pluriactifs accompagnés — par pôle pour l'année choisie, et pour le réseau "
        "au fil des années."
    ),
    key="mutualisation",
)

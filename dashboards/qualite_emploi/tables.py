"""Qualité de l'emploi: what the page shows (domain `qualite` and the share of CDI) and its introduction."""

from __future__ import annotations

from dashboards.shared.angle_tables import Angle

ANGLE = Angle(
    domain="qualite",
    title="Qualité de l'emploi",
    intro=(
        "Part des salariés en CDI, temps partiel subi, salariés formés, représentation des salariés "
        "dans la gouvernance du pôle et services mutualisés proposés aux salariés — par pôle pour "
        "l'année choisie, et pour le réseau au fil des années. Les parts sont rapportées aux "
        "salariés des structures membres (effectif de référence)."
    ),
    extra=("part_cdi",),
    key="qualite_emploi",
)

"""Emploi mutualisé: groupements d'employeurs, emploi partagé, GEIQ, pluriactivité, by pole and over time."""

from __future__ import annotations

from dashboards.mutualisation.tables import ANGLE
from dashboards.shared import angle

data = angle.start(ANGLE)
angle.key_figures(data)
angle.poles_section(data)
angle.trend_section(data)

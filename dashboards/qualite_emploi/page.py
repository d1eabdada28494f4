"""Qualité de l'emploi: CDI, involuntary part-time, training, representation, services, by pole, by year."""

from __future__ import annotations

from dashboards.qualite_emploi.tables import ANGLE
from dashboards.shared import angle

data = angle.start(ANGLE)
angle.key_figures(data)
angle.poles_section(data)
angle.trend_section(data)

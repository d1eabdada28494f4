"""Candidatures chart: poles by working angles touched in their answers."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.shared.plotting import POLE_COLOR, base_layout, plain_text
from ptce.fmt import fmt_number

ANGLES_COLORSCALE = [[0.0, "#f4f6f9"], [1.0, POLE_COLOR]]


def angles_heatmap_figure(counts: pd.DataFrame) -> go.Figure:
    """Poles x working angles: how many of a pole's answers were tagged with each angle.

    `counts` has one row per pole and angle (`reads.angle_counts`: pole_id, numero, nom, tag,
    libelle, nb), zero included; a pair missing from the frame counts as zero.
    """
    angles = counts.drop_duplicates("tag")  # in the order the reads give (the dictionary's)
    poles = counts.drop_duplicates("pole_id")
    if "numero" in poles:
        poles = poles.sort_values("numero", na_position="last", kind="stable")
    by_cell = {(r.pole_id, r.tag): int(r.nb) for r in counts.itertuples(index=False) if not pd.isna(r.nb)}
    z = [[by_cell.get((p, t), 0) for t in angles["tag"]] for p in poles["pole_id"]]
    x = [plain_text(lib) for lib in angles["libelle"].fillna(angles["tag"])]
    y = [plain_text(n) for n in poles["nom"].fillna(poles["pole_id"])]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            text=[[fmt_number(v) for v in row] for row in z],
            texttemplate="%{text}",
            hovertemplate="<b>%{y}</b><br>%{x} : %{z} réponse(s)<extra></extra>",
            colorscale=ANGLES_COLORSCALE,
            zmin=0,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "Réponses"}},
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    return base_layout(fig, height=max(300, 40 * len(y) + 120))

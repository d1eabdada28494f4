"""Qualité des données chart: the completeness matrix of the submissions."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboards.quality.tables import completeness_text
from dashboards.shared.display import as_datetime
from dashboards.shared.plotting import base_layout, plain_text
from ptce.fmt import fmt_date, fmt_number

# Completeness: red (nothing) through amber to green (every expected value received).
COMPLETENESS_COLORSCALE: list[list[Any]] = [[0.0, "#c0392b"], [0.5, "#f0b429"], [1.0, "#2e8b57"]]


def completeness_figure(cells: pd.DataFrame) -> go.Figure:
    """Matrix poles x years of one kind of submission, coloured by the share of values received.

    `cells`: rows of `reads.completeness` for one kind (pole_id, pole_nom, numero, annee, taux,
    statut, en_retard, nb_valeurs, nb_attendues, premiere_reception, echeance). A submission not yet
    due ("à venir") is left blank rather than red: nobody is late for it. The cell text is the
    status, flagged when the submission came after the due date.
    """
    years = sorted(int(y) for y in cells["annee"].unique())
    poles = cells.drop_duplicates("pole_id").sort_values("numero")
    by_cell = {(r.pole_id, int(r.annee)): r for r in cells.itertuples(index=False)}
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for pole in poles.itertuples(index=False):
        z_row, text_row, hover_row = [], [], []
        for year in years:
            cell = by_cell.get((pole.pole_id, year))
            if cell is None:
                z_row.append(None)
                text_row.append("")
                hover_row.append("")
                continue
            due = cell.statut == "à venir" or cell.taux is None or pd.isna(cell.taux)
            z_row.append(None if due else float(cell.taux))
            label = completeness_text(cell.statut, cell.en_retard)
            text_row.append(plain_text(label))
            hover_row.append(
                "<br>".join(
                    [
                        f"<b>{plain_text(cell.pole_nom)}</b> – {year}",
                        plain_text(label),
                        f"{fmt_number(cell.nb_valeurs)} valeur(s) sur {fmt_number(cell.nb_attendues)}"
                        " attendue(s)",
                        f"Première réception : {fmt_date(as_datetime(cell.premiere_reception))}",
                        f"Échéance : {fmt_date(as_datetime(cell.echeance))}",
                    ]
                )
            )
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    labels = [plain_text(n) for n in poles["pole_nom"].fillna(poles["pole_id"])]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(y) for y in years],
            y=labels,
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=COMPLETENESS_COLORSCALE,
            zmin=0,
            zmax=1,
            xgap=2,
            ygap=2,
            colorbar={
                "title": {"text": "Valeurs<br>reçues"},
                "tickvals": [0, 0.5, 1],
                "ticktext": ["0 %", "50 %", "100 %"],
            },
        )
    )
    # Pole 1 at the top, as in every list of poles; years read as labels, not numbers.
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    return base_layout(fig, height=max(300, 40 * len(labels) + 80))

"""Targets against results, as text and tables: the comparison page and the pole page share them.

Pure functions on `ptce.read.comparison.targets` (no Streamlit). A target's status is written in
words (« Atteint », « Non atteint »…), never shown by a colour only.
"""

from __future__ import annotations

import pandas as pd

from dashboards.shared.angle_tables import masked_cell
from dashboards.shared.display import missing, value_with_unit
from dashboards.shared.table_format import PERCENT, Table
from ptce.fmt import fmt_number, fmt_percent


def pole_label(numero: object, nom: object) -> str:
    return f"{int(numero)}. {nom}"  # type: ignore[call-overload]


REACHED, MISSED, UNKNOWN, HIDDEN = (
    "Atteint",
    "Non atteint",
    "Résultat non transmis",
    "Masqué (secret statistique)",
)


def target_status(valeur: object, masque: object, atteint: object) -> str:
    """A target's status in words (never a colour only)."""
    if isinstance(masque, str) and masque:
        return HIDDEN
    if atteint is None or missing(valeur) or missing(atteint):
        return UNKNOWN
    return REACHED if bool(atteint) else MISSED


def targets_table(targets: pd.DataFrame, with_pole: bool = True) -> Table:
    """Targets against results: objective, result, achievement rate and status, in words."""
    status = [
        target_status(v, m, a)
        for v, m, a in zip(targets["valeur"], targets["masque"], targets["atteint"], strict=True)
    ]
    out = pd.DataFrame()
    if with_pole:
        out["Pôle"] = [pole_label(n, nom) for n, nom in zip(targets["numero"], targets["nom"], strict=True)]
    out["Indicateur"] = targets["libelle"].to_numpy()
    out["Unité"] = targets["unite"].to_numpy()
    out["Objectif"] = targets["objectif"].astype(float).to_numpy()
    masked = targets["masque"].notna().any()
    if masked:
        out["Résultat"] = [
            masked_cell(v, m, str(u))
            for v, m, u in zip(targets["valeur"], targets["masque"], targets["unite"], strict=True)
        ]
    else:
        out["Résultat"] = targets["valeur"].astype(float).to_numpy()
    out["Taux d'atteinte"] = targets["taux_atteinte"].astype(float).to_numpy()
    out["Statut"] = status
    return Table(out, {"Taux d'atteinte": PERCENT}, unit_column="Unité")


def missed_targets(targets: pd.DataFrame, with_pole: bool = True) -> list[str]:
    """One sentence per target not reached: « PHARES — Emplois créés dans l'année : 29 pour un
    objectif de 33 (87,9 %) »."""
    lines = []
    statuses = [
        target_status(v, m, a)
        for v, m, a in zip(targets["valeur"], targets["masque"], targets["atteint"], strict=True)
    ]
    for row, status in zip(targets.itertuples(index=False), statuses, strict=True):
        if status != MISSED:
            continue
        unite = str(row.unite)
        who = f"{row.nom_court} — " if with_pole else ""
        lines.append(
            f"{who}{row.libelle} : {value_with_unit(row.valeur, unite)} pour un objectif de "
            f"{value_with_unit(row.objectif, unite)} ({fmt_percent(row.taux_atteinte)} de l'objectif)"
        )
    return lines


def targets_summary(targets: pd.DataFrame) -> str:
    """« 3 objectifs atteints sur 4 ; 1 non atteint. »"""
    statuses = [
        target_status(v, m, a)
        for v, m, a in zip(targets["valeur"], targets["masque"], targets["atteint"], strict=True)
    ]
    total = len(statuses)
    reached = statuses.count(REACHED)
    missed_count = statuses.count(MISSED)
    text = f"{fmt_number(reached)} objectif{'s' if reached > 1 else ''} atteint{'s' if reached > 1 else ''} "
    text += (
        f"sur {fmt_number(total)} ; {fmt_number(missed_count)} non atteint{'s' if missed_count > 1 else ''}"
    )
    others = total - reached - missed_count
    if others:
        text += f" ; {fmt_number(others)} sans résultat publié"
    return text + "."

"""What the printed report shows of a national network: how the poles spread, not one row per pole.

Up to `DETAIL_POLE_LIMIT` poles (the twelve of the community, and a little beyond), the report
gives each pole its page, and a row or a bar in every table and chart that compares the poles.
Past it, the printed report (PDF and HTML page) shows instead how the poles spread: per indicator,
how many poles reported it, how many are masked, its quartiles and the network figure, and one
histogram where there was a bar per pole. The tables with one row per pole stay complete in the
workbook (`ReportTable.printed` False), and the printed text says so.

Every figure here is computed from what the funder may read (the reads apply small cells): a
masked value is left out of the quartiles, which are values of poles, not averages of two (between
two published counts an average could read as a small count). Counts of poles are not counts of
persons.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ptce.fmt import fmt_number
from reports.model import Cell, Column, ReportTable
from reports.tables import SHARE_UNITS, network_cell

# Beyond this many poles, the printed report stops giving each pole its own page, table row or
# chart bar: thirty one-page portraits, or thirty bars on an A4 chart, is about what a funder reads
# (the community has twelve poles; a regional network a few dozen). A national network of hundreds
# or thousands of poles would make thousands of pages nobody reads, and hours of layout.
DETAIL_POLE_LIMIT = 30
DISTRIBUTION_COLUMNS = (
    Column("Indicateur"),
    Column("Unité"),
    Column("Pôles ayant transmis", "count"),
    Column("Dont pôles masqués", "count"),
    Column("Premier quartile", "number", 2),
    Column("Médiane", "number", 2),
    Column("Troisième quartile", "number", 2),
    Column("Réseau", "number", 2),
)
DISTRIBUTION_NOTE = (
    "Quartiles et médiane : valeurs de pôles (un quart des pôles en dessous du premier quartile, la "
    "moitié en dessous de la médiane), calculés sur les valeurs publiées : une valeur masquée n'y "
    "entre pas. Réseau : total des pôles, part des pôles répondant oui, ou rapport des sommes pour "
    "une part, en %."
)


def is_national(pole_count: int) -> bool:
    """Whether a network of `pole_count` poles is shown by distributions rather than pole by pole."""
    return pole_count > DETAIL_POLE_LIMIT


def workbook_sentence(pole_count: int, where: str) -> str:
    """« Les 2 000 pôles sont détaillés dans le classeur Excel joint (feuille « … »). »"""
    return f"Les {fmt_number(pole_count)} pôles sont détaillés dans le classeur Excel joint ({where})."


def quantiles(values: Sequence[float]) -> tuple[float | None, float | None, float | None]:
    """First quartile, median and third quartile of `values` (missing ones left out), each one of
    the values: no interpolation between two of them."""
    shown = np.array([float(v) for v in values if v is not None and not pd.isna(v)], dtype=float)
    if shown.size == 0:
        return None, None, None
    q1, median, q3 = np.quantile(shown, [0.25, 0.5, 0.75], method="inverted_cdf")
    return float(q1), float(median), float(q3)


def distribution_row(
    libelle: str, unite: str, values: pd.Series, masks: pd.Series, network: object, nb_poles: object
) -> tuple[Cell, ...]:
    """One indicator across the poles: `values` (NaN where not reported or masked) and `masks`
    (the small-cell label where masked) by pole, the network figure and how many poles it adds up.
    Rates and shares in %, as the network tables write them."""
    masked = masks.map(lambda m: isinstance(m, str) and bool(m))
    reported = int((values.notna() | masked).sum())
    scale = 100 if unite in SHARE_UNITS else 1
    q1 = median = q3 = None
    if unite != "oui/non":  # quartiles of yes and no say nothing: the network gives the share of yes
        q1, median, q3 = (None if q is None else q * scale for q in quantiles(values.tolist()))
    shown = network_cell(network, nb_poles)
    if isinstance(shown, float):
        shown *= scale
    unit_word = "% des pôles" if unite == "oui/non" else unite
    return (libelle, unit_word, float(reported), float(masked.sum()), q1, median, q3, shown)


def distribution_table(
    key: str, title: str, rows: list[tuple[Cell, ...]], sources: list[str], sheet: str | None, note: str = ""
) -> ReportTable:
    """A table of `distribution_row`s, with the note that says how to read it."""
    return ReportTable(
        key=key,
        title=title,
        columns=DISTRIBUTION_COLUMNS,
        rows=tuple(rows),
        sources=tuple(sources),
        note=" ".join(part for part in (DISTRIBUTION_NOTE, note) if part),
        sheet=sheet,
    )

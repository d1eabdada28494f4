"""The report's part « Les pôles »: one page per pole, or one compact table for a national network.

Up to `national.DETAIL_POLE_LIMIT` poles, each pole has its page (issue #14): its key figures of the
year against the network median with their change, its targets of the year and what it reached,
a chart of its key figures over the years. Past the limit, a funder does not read a page per pole:
the part is one table, one row per pole (its department, its key figures of the year, its targets
reached), and what each page held goes to the workbook only, complete, one row per pole and
indicator (sheet « Détail des pôles »). Both designs read every pole at once
(`indicators.poles_series`, `comparison.targets`, `sources.target_files`) and build the same rows
from the same helpers, so a pole's figures are the same in either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from dashboards.pole.charts import pole_domain_figure
from ptce import small_cells
from ptce.fmt import fmt_number
from ptce.read import comparison, indicators, sources
from ptce.read.base import Viewer
from ptce.reference import load_catalog
from reports import national, sentences
from reports.model import Cell, Column, ReportChart, ReportTable, Section
from reports.tables import (
    HEADER_UNITS,
    SHARE_UNITS,
    cell,
    header,
    is_missing,
    number,
    pole_label,
    unit_kind,
)
from reports.tables import sources as join_sources

if TYPE_CHECKING:
    from reports.content import Context

FUNDER = Viewer("funder")
SUMMARY_SHEET = "Les pôles"
# No « : » in a sheet name: Excel refuses it.
DETAIL_SHEET = "Détail des pôles"
KEY_COLUMNS = (
    Column("Indicateur"),
    Column("Unité"),
    Column("Pôle", "number", 1),
    None,  # « Évolution depuis {year - 1} », named with the year
    Column("Médiane du réseau", "number", 1),
    Column("Face à la médiane"),
)
TARGET_COLUMNS = (
    Column("Indicateur"),
    Column("Objectif", "number", 1),
    Column("Résultat", "number", 1),
    Column("Taux d'atteinte", "percent", 0),
    Column("Atteint"),
)


def _short_position(position: str) -> str:
    for tail in (" de la médiane du réseau", " à la médiane du réseau"):
        position = position.removesuffix(tail)
    return position


def _key_columns(year: int) -> tuple[Column, ...]:
    return tuple(c if c is not None else Column(f"Évolution depuis {year - 1}") for c in KEY_COLUMNS)


def _by_pole(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """The rows of `frame` (named tuples) by pole, in their order."""
    rows: dict[str, list[Any]] = {}
    for row in frame.itertuples(index=False):
        rows.setdefault(str(row.pole_id), []).append(row)
    return rows


def _year_pairs(series: pd.DataFrame, year: int) -> pd.DataFrame:
    """Every pole's key figures of `year` (rows of `poles_series`), each beside the year before's
    value and mask (`valeur_precedente`, `masque_precedent`), in key-figure order within a pole."""
    order = {code: i for i, code in enumerate(indicators.key_figure_codes())}
    current = series[(series["annee"] == year) & series["code"].isin(list(order))]
    previous = series.loc[series["annee"] == year - 1, ["pole_id", "code", "valeur", "masque"]].rename(
        columns={"valeur": "valeur_precedente", "masque": "masque_precedent"}
    )
    pairs = current.merge(previous, on=["pole_id", "code"], how="left")
    return pairs.sort_values("code", key=lambda codes: codes.map(order), kind="stable")


def _key_row(pair: object) -> tuple[tuple[Cell, ...], str | None]:
    """One key figure of a pole (a row of `_year_pairs`): the row of its table, and its position
    to the network median (None when unknown)."""
    unite = str(pair.unite)  # type: ignore[attr-defined]
    value, mask = pair.valeur, pair.masque  # type: ignore[attr-defined]
    mask = mask if isinstance(mask, str) else None
    change = (
        ""
        if mask or isinstance(pair.masque_precedent, str)  # type: ignore[attr-defined]
        else sentences.figure_change(
            number(value),
            number(pair.valeur_precedente),  # type: ignore[attr-defined]
            None,
            rate=unite in SHARE_UNITS,
        )
    )
    median = number(pair.mediane_reseau)  # type: ignore[attr-defined]
    position = None if mask else sentences.median_position(number(value), median)
    scale = 100 if unite in SHARE_UNITS else 1
    row = (
        str(pair.libelle),  # type: ignore[attr-defined]
        "%" if unite in SHARE_UNITS else unite,
        mask if mask else (None if is_missing(value) else float(value) * scale),
        change or None,
        None if median is None else median * scale,
        # « au-dessus », « en dessous », « égal »: the header names the median.
        _short_position(position) if position else "–",
    )
    return row, position


def _key_rows(
    ctx: Context, pole_id: str, pairs: list[Any]
) -> tuple[list[tuple[Cell, ...]], list[str], int, int]:
    """The rows of a pole's key figures of the year (`pairs`: its rows of `_year_pairs`), their
    sources, and how many are above the network median out of those compared."""
    year = ctx.year
    rows, row_sources = [], []
    above = compared = 0
    for pair in pairs:
        row, position = _key_row(pair)
        if position is not None:
            compared += 1
            above += position.startswith("au-dessus")
        rows.append(row)
        files = ctx.value_files(str(pair.code), year, pole_id)
        row_sources.append(join_sources(files or ctx.value_files(str(pair.code), year)))
    return rows, row_sources, above, compared


def _target_rows(
    ctx: Context, pole_id: str, targets: list[Any], files: dict[str, list[str]]
) -> tuple[list[tuple[Cell, ...]], list[str], int, int, list[str]]:
    """The rows of a pole's targets of the year (its rows of `comparison.targets`; `files`: its
    target files by code), their sources, how many were reached out of those assessed, and the
    labels of those missed."""
    rows, row_sources, missed = [], [], []
    reached = assessed = 0
    for t in targets:
        result = cell(t.valeur, t.masque)
        reached_text = (
            {True: "oui", False: "non"}.get(t.atteint)
            if t.atteint is not None and not is_missing(t.atteint)
            else None
        )
        if reached_text is not None:
            assessed += 1
            reached += reached_text == "oui"
            if reached_text == "non":
                missed.append(str(t.libelle))
        rows.append(
            (
                header(str(t.libelle), str(t.unite)),
                number(t.objectif),
                result,
                None if isinstance(result, str) else number(t.taux_atteinte),
                reached_text,
            )
        )
        row_sources.append(
            join_sources([*files.get(str(t.code), []), *ctx.value_files(str(t.code), ctx.year, pole_id)])
        )
    return rows, row_sources, reached, assessed, missed


def _pole_section(
    ctx: Context,
    pole: pd.Series,
    series: pd.DataFrame,
    pairs: list[Any],
    targets: list[Any],
    files: dict[str, list[str]],
) -> Section:
    # One printed page per pole (issue #14): its key figures, their change and the network median in
    # one table rather than cards plus a table, a short chart, and the small-cell rule said once in
    # the part's introduction instead of under each table.
    year = ctx.year
    pole_id = str(pole["pole_id"])
    name = str(pole["nom_court"] or pole["nom"])
    rows, row_sources, above, compared = _key_rows(ctx, pole_id, pairs)
    tables = [
        ReportTable(
            key=f"pole_{pole_id}_mediane",
            title=f"{name} : indicateurs clés {year} face à la médiane du réseau",
            columns=_key_columns(year),
            rows=tuple(rows),
            sources=tuple(row_sources),
        )
    ]
    reached = assessed = 0
    missed: list[str] = []
    if targets:
        target_rows, target_sources, reached, assessed, missed = _target_rows(ctx, pole_id, targets, files)
        tables.append(
            ReportTable(
                key=f"pole_{pole_id}_objectifs",
                title=f"{name} : objectifs {year} et résultats",
                columns=TARGET_COLUMNS,
                rows=tuple(target_rows),
                sources=tuple(target_sources),
            )
        )
    paragraphs = [
        sentences.pole_median_sentence(name, above, compared, year),
        sentences.targets_sentence(name, reached, assessed, missed, year),
    ]
    key_series = series[series["annee"] <= year]
    charts = []
    if not key_series.empty:
        charts.append(
            ReportChart(
                key=f"pole_{pole_id}",
                title=f"{name} : indicateurs clés et médiane du réseau",
                figure=pole_domain_figure(key_series, name),
                alt="Valeurs du pôle et médiane du réseau, par année.",
                # Drawn wider than the other charts, then scaled to the page: the grid keeps its
                # height in pixels, so it takes less of the page and the pole fits on one.
                width=1500,
            )
        )
    return Section(
        key=f"pole_{pole_id}",
        title=pole_label(pole["numero"], str(pole["nom"])),
        paragraphs=[p for p in paragraphs if p],
        tables=tables,
        charts=charts,
        page_break=True,
    )


def _department(pole: pd.Series) -> str | None:
    name = None if is_missing(pole["nom_departement"]) else str(pole["nom_departement"])
    number_ = None if is_missing(pole["departement"]) else str(pole["departement"])
    if name and number_:
        return f"{name} ({number_})"
    return name or number_


def _compact_row(pole: pd.Series, pairs: list[Any], reached: int, assessed: int) -> tuple[Cell, ...]:
    # The key figures as the other tables of every pole write them: a rate as a ratio in a percent
    # column, a masked count as its label.
    shown = {str(p.code): cell(p.valeur, p.masque) for p in pairs}
    cells = [shown.get(code) for code in indicators.key_figure_codes()]
    targets_text = f"{fmt_number(reached)} sur {fmt_number(assessed)}" if assessed else None
    # The short name and the department's number: the row fits on one line.
    name = str(pole["nom_court"] or pole["nom"])
    department = None if is_missing(pole["departement"]) else str(pole["departement"])
    return (pole_label(pole["numero"], name), department, *cells, targets_text)


def _compact_columns(series: pd.DataFrame) -> tuple[Column, ...]:
    units = dict(zip(series["code"], series["unite"], strict=False))
    columns = [Column("Pôle"), Column("Dép.")]
    for key in load_catalog().key_figures:
        unite = str(units.get(key.code, "nombre"))
        kind, decimals = unit_kind(unite)
        # « Salariés (personnes) », but « ETP » and « Personnes accompagnées » as they are.
        word = HEADER_UNITS.get(unite, "")
        name = key.entete if word.casefold() in key.entete.casefold() else header(key.entete, unite)
        columns.append(Column(name, kind, decimals))
    columns.append(Column("Objectifs atteints"))
    return tuple(columns)


def _national_part(
    ctx: Context,
    pairs_by_pole: dict[str, list[Any]],
    targets_by_pole: dict[str, list[Any]],
    files_by_pole: dict[str, dict[str, list[str]]],
    every_series: pd.DataFrame,
) -> Section:
    year = ctx.year
    compact, compact_sources = [], []
    detail, detail_sources = [], []
    target_detail, target_sources = [], []
    for _, pole in ctx.poles.iterrows():
        pole_id = str(pole["pole_id"])
        label = pole_label(pole["numero"], str(pole["nom"]))
        department = _department(pole)
        pairs = pairs_by_pole.get(pole_id, [])
        rows, row_sources, _, _ = _key_rows(ctx, pole_id, pairs)
        detail += [(label, department, *row) for row in rows]
        detail_sources += row_sources
        own_files = files_by_pole.get(pole_id, {})
        t_rows, t_sources, reached, assessed, _ = _target_rows(
            ctx, pole_id, targets_by_pole.get(pole_id, []), own_files
        )
        target_detail += [(label, department, *row) for row in t_rows]
        target_sources += t_sources
        compact.append(_compact_row(pole, pairs, reached, assessed))
        files = [f for code in indicators.key_figure_codes() for f in ctx.value_files(code, year, pole_id)]
        compact_sources.append(join_sources([*files, *(f for fs in own_files.values() for f in fs)]))
    count = fmt_number(len(ctx.poles))
    tables = [
        ReportTable(
            key="poles_synthese",
            title=f"Les {count} pôles en {year} : chiffres clés et objectifs atteints",
            columns=_compact_columns(every_series),
            rows=tuple(compact),
            sources=tuple(compact_sources),
            note=(
                "Dép. : numéro du département. « – » : non transmis. Objectifs atteints : objectifs de "
                "l'année atteints sur ceux dont le résultat est connu. " + small_cells.note()
            ),
            sheet=SUMMARY_SHEET,
            dense=True,
        ),
        ReportTable(
            key="poles_detail_mediane",
            title=f"Indicateurs clés {year} de chaque pôle face à la médiane du réseau",
            columns=(Column("Pôle"), Column("Département"), *_key_columns(year)),
            rows=tuple(detail),
            sources=tuple(detail_sources),
            note=(
                f"Une ligne par pôle et par indicateur clé. L'évolution depuis {year - 1} est en % pour "
                "un nombre, en points pour un taux. " + small_cells.note()
            ),
            sheet=DETAIL_SHEET,
            printed=False,
        ),
    ]
    if target_detail:
        tables.append(
            ReportTable(
                key="poles_detail_objectifs",
                title=f"Objectifs {year} de chaque pôle et résultats",
                columns=(Column("Pôle"), Column("Département"), *TARGET_COLUMNS),
                rows=tuple(target_detail),
                sources=tuple(target_sources),
                note="Une ligne par pôle et par objectif. Un objectif est atteint au niveau fixé ou au-delà.",
                sheet=DETAIL_SHEET,
                printed=False,
            )
        )
    return Section(
        key="poles",
        title="Les pôles",
        paragraphs=[
            f"Une ligne par pôle : son département, ses chiffres clés de {year} et les objectifs de "
            "l'année qu'il a atteints.",
            national.workbook_sentence(
                len(ctx.poles),
                f"feuilles « {SUMMARY_SHEET} » et « {DETAIL_SHEET} » : pour chaque pôle, chaque "
                "indicateur clé face à la médiane du réseau et chaque objectif",
            ),
        ],
        tables=tables,
    )


def poles_section(ctx: Context) -> Section:
    """One part per pole (its key figures against the network median, its targets), or, for a
    national network, one table of every pole with the detail in the workbook."""
    codes = list(indicators.key_figure_codes())
    every_series = indicators.poles_series(ctx.wh, FUNDER, codes, ctx.previous_years)
    # Rows split by pole in one pass each: a pandas call per pole costs milliseconds, minutes at
    # 2,000 poles.
    pairs_by_pole = _by_pole(_year_pairs(every_series, ctx.year))
    targets_by_pole = _by_pole(comparison.targets(ctx.wh, FUNDER, ctx.year))
    files_by_pole: dict[str, dict[str, list[str]]] = {}
    for t in sources.target_files(ctx.wh, FUNDER, ctx.year).itertuples(index=False):
        files_by_pole.setdefault(str(t.pole_id), {})[str(t.code)] = list(t.fichiers)
    if ctx.national:
        return _national_part(ctx, pairs_by_pole, targets_by_pole, files_by_pole, every_series)
    series_by_pole = {str(p): rows for p, rows in every_series.groupby("pole_id", sort=False)}
    empty_series = every_series.iloc[0:0]
    subsections = [
        _pole_section(
            ctx,
            pole,
            series_by_pole.get(str(pole["pole_id"]), empty_series),
            pairs_by_pole.get(str(pole["pole_id"]), []),
            targets_by_pole.get(str(pole["pole_id"]), []),
            files_by_pole.get(str(pole["pole_id"]), {}),
        )
        for _, pole in ctx.poles.iterrows()
    ]
    return Section(
        key="poles",
        title="Les pôles",
        paragraphs=[
            f"Pour chaque pôle, une page : ses indicateurs clés de {ctx.year} face à la médiane des pôles "
            "du réseau, puis ses objectifs de l'année et ce qu'il en a atteint.",
            # Said once here rather than under each pole's tables, so that a pole fits on its page.
            f"L'évolution depuis {ctx.year - 1} est en % pour un nombre, en points pour un taux. La médiane "
            "est celle des pôles ayant transmis l'indicateur ; elle n'est pas publiée l'année où un pôle "
            "est masqué. Un objectif est atteint au niveau fixé ou au-delà.",
            small_cells.note(),
        ],
        subsections=subsections,
    )

"""The XLSX templates the poles fill in for indicators and for targets (`ptce template`).

Built from the catalogue and the pole reference, read back by `IndicatorFileParser`:
- « Saisie annuelle » (wide): the pole once at the top (« Pôle : » and a drop-down), then one row per
  period, one column per indicator (labels shown, codes on the line below, which the parser skips);
- « Saisie détaillée » (long): one row per value — pole, period, indicator code, value, comment —
  for quarters and comments;
- « Catalogue »: each indicator's definition and unit; « Listes »: the values of the drop-downs.
Each indicator column takes whole numbers or decimals as its unit says, within the catalogue's bounds.
The targets template is the same workbook titled for targets: years only (a target is yearly), years
to come allowed, and its value column titled « Objectif ».
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.shared.templates import (
    TemplateBook,
    column_cells,
    notice_ending,
    period_values,
    pole_names,
)
from ptce.reference import Catalog, Indicator, PoleSet, load_catalog

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

WIDE_SHEET = "Saisie annuelle"
LONG_SHEET = "Saisie détaillée"
CATALOGUE_SHEET = "Catalogue"
WIDE_HEADER_ROW = 4  # « Année » and the labels; the codes on row 5; values from row 6
WIDE_FIRST_ROW = 6
# Years offered for targets beyond the current one (the parser accepts up to 15: see values.py).
TARGET_YEARS_AHEAD = 10


def write_indicators_template(path: Path, poles: PoleSet | None = None) -> Path:
    """The blank indicators workbook, written to `path`; its list offers `poles` (the members in
    force, the shipped twelve by default)."""
    return _write(path, "indicateurs", poles)


def write_targets_template(path: Path, poles: PoleSet | None = None) -> Path:
    """The blank targets workbook, written to `path`."""
    return _write(path, "objectifs", poles)


def write_template(path: Path, poles: PoleSet | None = None) -> Path:
    """The indicators workbook (`ptce template` without `--kind`)."""
    return write_indicators_template(path, poles)


def _notice(kind: str, catalog: Catalog, last_year: int) -> tuple[str, list[str]]:
    targets = kind == "objectifs"
    what = "objectifs" if targets else "indicateurs"
    lines = [
        f"À quoi sert ce fichier : transmettre à l'observatoire les {what} de votre pôle"
        + (
            " (ce que le pôle vise pour une année, passée ou à venir)."
            if targets
            else " (les chiffres de l'année ou du trimestre écoulé)."
        ),
        f"Catalogue des indicateurs, version {catalog.version} : la feuille « {CATALOGUE_SHEET} » donne "
        "pour chaque indicateur son code, sa définition et son unité.",
        "",
        f"Feuille « {WIDE_SHEET} » : choisissez votre pôle dans la case à côté de « Pôle : » (menu "
        "déroulant), puis une ligne = une "
        + ("année d'objectifs" if targets else "période (une année, ou un trimestre)")
        + " ; une colonne par indicateur (libellé en titre, code en dessous : ne pas modifier ces deux "
        "lignes).",
        f"Feuille « {LONG_SHEET} » : une ligne = une valeur (pôle, période, code de l'indicateur, "
        + ("objectif" if targets else "valeur")
        + ", commentaire facultatif), pour "
        + ("ajouter un commentaire." if targets else "des chiffres trimestriels ou un commentaire."),
        "Utilisez l'une ou l'autre feuille, ou les deux, sans saisir deux fois le même chiffre.",
        "",
        "Périodes : l'année s'écrit 2016"
        + (
            f" ; un objectif est annuel (pas de trimestre) ; années à venir permises, jusqu'à {last_year} "
            "dans le menu."
            if targets
            else " ; un trimestre s'écrit 2016-T3 (ou T3 2016) ; pas de période à venir."
        ),
        "Nombres : 1 234,5 ou 1234,5 ; un nombre de personnes, d'emplois, de structures est un nombre "
        "entier ; les ETP et les heures acceptent des décimales ; « oui/non » s'écrit 1 (oui) ou 0 (non). "
        "Pas de texte ni de signe % dans les cases de chiffres.",
        "Case vide = donnée manquante (non disponible), jamais zéro : écrivez 0 seulement quand le "
        "chiffre est vraiment zéro.",
        *notice_ending(kind, catalog.version),
    ]
    title = f"Observatoire PTCE — modèle de saisie des {what}"
    return title, lines


def _write(path: Path, kind: str, poles: PoleSet | None) -> Path:
    from openpyxl.styles import Font

    catalog = load_catalog()
    targets = kind == "objectifs"
    today = date.today()
    last_year = today.year + TARGET_YEARS_AHEAD if targets else today.year
    title, lines = _notice(kind, catalog, last_year)
    book = TemplateBook(title, lines)
    pole_list = book.list_range("Liste des pôles", pole_names(poles))
    periods = book.list_range(
        "Liste des années" if targets else "Liste des périodes",
        period_values(last_year=last_year, quarters=not targets),
    )
    codes = book.list_range("Liste des codes d'indicateurs", catalog.codes)
    pole_error = "Choisir le pôle dans la liste (nom usuel du pôle)."
    period_error = (
        "Choisir l'année dans la liste (2016) : un objectif est annuel."
        if targets
        else "Choisir la période dans la liste : l'année (2016) ou le trimestre (2016-T3)."
    )

    wide = book.book.create_sheet(WIDE_SHEET)
    wide.cell(row=1, column=1, value=title.replace("modèle de saisie", "saisie annuelle")).font = Font(
        bold=True, size=13
    )
    wide.cell(row=2, column=1, value="Pôle :").font = Font(bold=True)
    book.choose(wide, "B2", pole_list, what="pôle", error=pole_error)
    book.header_row(wide, WIDE_HEADER_ROW, ["Année", *[ind.libelle for ind in catalog.indicators]])
    grey = Font(italic=True, color="808080")
    for col, ind in enumerate(catalog.indicators, start=2):
        wide.cell(row=WIDE_HEADER_ROW + 1, column=col, value=ind.code).font = grey
        _value_rule(book, wide, column_cells(col, WIDE_FIRST_ROW), ind, targets)
    wide.cell(row=WIDE_HEADER_ROW + 1, column=1, value="(code)").font = grey
    book.choose(wide, column_cells(1, WIDE_FIRST_ROW), periods, what="période", error=period_error)
    wide.column_dimensions["A"].width = 12
    wide.column_dimensions["B"].width = 30
    wide.freeze_panes = f"B{WIDE_FIRST_ROW}"

    value_header = "Objectif" if targets else "Valeur"
    long = book.sheet(
        LONG_SHEET, ["Pôle", "Période", "Indicateur", value_header, "Commentaire"], (28, 12, 30, 12, 50)
    )
    book.choose(long, column_cells(1, 2), pole_list, what="pôle", error=pole_error)
    book.choose(long, column_cells(2, 2), periods, what="période", error=period_error)
    book.choose(
        long,
        column_cells(3, 2),
        codes,
        what="indicateur",
        error="Choisir le code de l'indicateur dans la liste (feuille « Catalogue »).",
    )
    low = min(ind.min if ind.min is not None else 0.0 for ind in catalog.indicators)
    book.decimal(
        long,
        column_cells(4, 2),
        low,
        None,
        what=value_header.lower(),
        error="Saisir un nombre positif ou nul (1234,5), sans texte ni signe % ; laisser vide si inconnu.",
    )

    cat_headers = ["Code", "Libellé", "Domaine", "Unité", "Définition", "IRIS+"]
    cat = book.sheet(CATALOGUE_SHEET, cat_headers, (26, 45, 32, 12, 90, 10))
    for ind in catalog.indicators:
        cat.append(
            [ind.code, ind.libelle, catalog.domain_label(ind.domaine), ind.unite, ind.definition, ind.iris]
        )
    return book.save(path)


def _value_rule(book: TemplateBook, ws: Worksheet, cells: str, ind: Indicator, targets: bool) -> None:
    """Whole numbers or decimals as the indicator's unit says, within the catalogue's bounds."""
    low = ind.min if ind.min is not None else 0.0
    what = "objectif" if targets else "valeur"
    if ind.unite == "oui/non":
        book.whole(ws, cells, low, ind.max, what=what, error=f"« {ind.libelle} » : 1 pour oui, 0 pour non.")
        return
    bounds = f"supérieur ou égal à {_fr(low)}"
    if ind.max is not None:
        bounds = f"entre {_fr(low)} et {_fr(ind.max)}"
    if ind.entier:
        error = f"Nombre entier {bounds} ({ind.unite}), sans texte ; laisser vide si inconnu."
        book.whole(ws, cells, low, ind.max, what=what, error=error)
    else:
        error = f"Nombre {bounds} ({ind.unite}), décimales permises (12,5) ; laisser vide si inconnu."
        book.decimal(ws, cells, low, ind.max, what=what, error=error)


def _fr(number: float) -> str:
    return (str(int(number)) if float(number).is_integer() else str(number)).replace(".", ",")

"""The blank XLSX template of a poles reference file (`ptce template --kind poles`), for COORACE staff.

One entry sheet « Pôles » whose header row is the columns `pipelines.shared.pole_reference` reads,
with Excel's checks (territory from a list, numbers, coordinates, dates, text lengths), then a sheet
« Pôles en vigueur » listing the poles the template was written with, so that staff copy the exact
identifier of the pole they amend. Its header is not a poles header (« Identifiant en vigueur »):
the file is read by its first sheet only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.shared.pole_reference import ALIAS_LIMIT, COLUMNS, MAX_NUMBER, REQUIRED_FOR_NEW, TEXT_LIMITS
from pipelines.shared.templates import TemplateBook, blank_line, column_cells
from ptce.reference import TERRITORIES, PoleSet, shipped_poles
from ptce.spreadsheet import write_text

SHEET = "Pôles"
CURRENT_SHEET = "Pôles en vigueur"
WIDTHS = {"identifiant": 20, "nom": 36, "noms_usuels": 36, "description": 50, "representants": 30}
CURRENT_HEADERS = ("Identifiant en vigueur", "Numéro", "Nom", "Noms usuels", "Département", "Sortie le")


def _notice() -> tuple[str, list[str]]:
    title = "Observatoire PTCE — modèle de fichier des pôles (ajout, modification, départ)"
    required = ", ".join(REQUIRED_FOR_NEW)
    lines = [
        "À quoi sert ce fichier : ajouter un pôle membre à la communauté, ou modifier un pôle (nouveau "
        "nom, nouveau nom usuel, coordonnées, départ), sans développement. Il est rempli par l'équipe "
        "COORACE ; les douze pôles du tableau des membres sont déjà connus de l'observatoire.",
        f"Feuille « {SHEET} » : une ligne = un pôle. La colonne identifiant est toujours remplie : "
        "lettres minuscules sans accent, chiffres et « _ » (par exemple pole_treize).",
        f"Pour modifier un pôle : reprendre son identifiant exact (feuille « {CURRENT_SHEET} ») et ne "
        "remplir que les cases qui changent ; une case vide garde la valeur en vigueur. Un nom ou un nom "
        "usuel remplacé reste reconnu dans les fichiers déjà envoyés.",
        f"Pour ajouter un pôle : un nouvel identifiant, avec obligatoirement {required}. Le numéro ne "
        "doit être celui d'aucun autre pôle.",
        "Noms usuels : séparés par « | » (par exemple PTCE Treize | Treize) ; le premier sert de nom "
        "court dans les tableaux de bord.",
        "Coordonnées : latitude et longitude en degrés décimaux d'une commune du territoire (44,9603 et "
        "3,5453), en France métropolitaine ou d'outre-mer. Territoire : " + ", ".join(TERRITORIES) + ".",
        "Départ : une date de sortie (jj/mm/aaaa) ; le pôle garde son historique (ses chiffres restent "
        "publiés) et n'est plus attendu pour les envois dus après cette date.",
        "Chaque ligne est appliquée entière ou mise en quarantaine avec sa raison (page « Qualité des "
        "données ») ; les fichiers s'appliquent dans leur ordre d'arrivée, le plus récent l'emporte.",
        "",
        "Pour l'appliquer : placer le fichier rempli (.xlsx, ou .csv séparé par « ; ») dans le dossier "
        "raw/poles/ du dossier de données, puis lancer la construction (« ptce run »). Les tableaux de "
        "bord, les modèles de saisie et les contrôles suivent.",
        "",
        blank_line(),
    ]
    return title, lines


def write_poles_template(path: Path, poles: PoleSet | None = None) -> Path:
    """The blank poles workbook, written to `path`, listing `poles` (the poles in force; the shipped
    twelve by default) on its second sheet."""
    poles = poles or shipped_poles()
    title, lines = _notice()
    book = TemplateBook(title, lines)
    ws = book.sheet(SHEET, COLUMNS, [WIDTHS.get(c, 16) for c in COLUMNS])
    col = {column: number for number, column in enumerate(COLUMNS, start=1)}

    def cells(column: str) -> str:
        return column_cells(col[column], 2)

    book.text_length(
        ws,
        cells("identifiant"),
        60,
        what="identifiant",
        error="Identifiant : au plus 60 caractères, lettres minuscules sans accent, chiffres et « _ ».",
    )
    book.whole(ws, cells("numero"), 1, MAX_NUMBER, what="numéro", error=f"Numéro entier de 1 à {MAX_NUMBER}.")
    for column, limit in TEXT_LIMITS.items():
        book.text_length(ws, cells(column), limit, what=column, error=f"Au plus {limit} caractères.")
    book.text_length(
        ws, cells("noms_usuels"), ALIAS_LIMIT * 5, what="noms usuels", error="Noms séparés par « | »."
    )
    book.decimal(ws, cells("latitude"), -90, 90, what="latitude", error="Latitude en degrés décimaux.")
    book.decimal(ws, cells("longitude"), -180, 180, what="longitude", error="Longitude en degrés décimaux.")
    book.choose(
        ws,
        cells("territoire"),
        book.list_range("Liste des territoires", TERRITORIES),
        what="territoire",
        error="Choisir rural, urbain ou mixte.",
    )
    for column in ("date_entree", "date_sortie"):
        book.dates(ws, cells(column), date(2010, 1, 1), what=column, error="Date au format jj/mm/aaaa.")

    current = book.sheet(CURRENT_SHEET, CURRENT_HEADERS, (24, 8, 40, 40, 12, 12))
    for row, pole in enumerate(poles, start=2):
        left = f"{pole.date_sortie:%d/%m/%Y}" if pole.date_sortie else ""
        values = (pole.pole_id, pole.numero, pole.nom, " | ".join(pole.noms_usuels), pole.departement, left)
        for number, value in enumerate(values, start=1):
            if isinstance(value, str):
                write_text(current, row, number, value)
            else:
                current.cell(row=row, column=number, value=value)
    return book.save(path)

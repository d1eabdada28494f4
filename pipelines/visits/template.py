"""The blank XLSX template of the community's events and practices (`ptce template --kind visites`).

Two entry sheets, each recognised by `VisitFileParser` from its header row: « Événements » (one row
per event: learning visit, seminar, national meeting, remote exchange) and « Pratiques » (one row per
practice or tool a pole shared). Drop-downs: the event kinds (`ptce.contract.VISIT_TYPES`), the host
pole and the sharing pole, the five working angles (the catalogue's domains) and the known tools of
`visites.yaml` (a warning only: another tool is kept as written). Dates are checked as dates and the
number of participants as a whole number: participants are counted, never named.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.shared.templates import TemplateBook, column_cells, notice_ending, pole_names
from pipelines.visits.fields import MAX_PARTICIPANTS
from pipelines.visits.parser import FIRST_YEAR
from ptce.contract import VISIT_TYPES
from ptce.reference import PoleSet, load_catalog, load_visit_config

EVENTS_SHEET = "Événements"
PRACTICES_SHEET = "Pratiques"
EVENT_HEADERS = (
    "Date",
    "Date de fin",
    "Type",
    "Pôle hôte",
    "Lieu",
    "Titre",
    "Thèmes",
    "Pôles présents",
    "Participants",
    "Personnes ressources",
    "Documents",
)
EVENT_WIDTHS = (12, 12, 26, 22, 18, 36, 36, 36, 12, 40, 40)
PRACTICE_HEADERS = ("Titre", "Pôle", "Angle", "Outil", "Description", "Visite")
PRACTICE_WIDTHS = (36, 22, 32, 24, 60, 36)


def _notice() -> tuple[str, list[str]]:
    title = "Observatoire PTCE — modèle de saisie des visites et des pratiques"
    kinds = ", ".join(f"« {kind} »" for kind in VISIT_TYPES)
    lines = [
        "À quoi sert ce fichier : tenir la liste des événements de la communauté apprenante (visites "
        "apprenantes, séminaires, rencontres, échanges à distance) et des pratiques et outils que les "
        "pôles y ont partagés. Il est rempli par l'équipe COORACE.",
        f"Feuille « {EVENTS_SHEET} » : une ligne = un événement. Date (obligatoire) et Date de fin (pour "
        f"un événement de plusieurs jours) ; Type (menu : {kinds}) ; Pôle hôte (menu ; obligatoire pour "
        "une visite apprenante) ; Lieu (ville) ; Titre ; Thèmes (séparés par « ; ») ; Pôles présents "
        "(noms des pôles séparés par « ; », ou « tous les pôles ») ; Participants (le nombre de "
        "personnes, jamais leurs noms) ; Personnes ressources et Documents (un par « ; » : titre puis "
        "lien ou nom de fichier).",
        f"Feuille « {PRACTICES_SHEET} » : une ligne = une pratique ou un outil partagé. Titre et Pôle "
        "(obligatoires) ; Angle (menu : l'un des cinq angles de travail) ; Outil (menu, ou un autre outil "
        "écrit en toutes lettres) ; Description ; Visite (la date ou le titre de l'événement où elle a "
        "été partagée).",
        "Laissez vide la feuille qui ne sert pas.",
        "",
        "Dates : jj/mm/aaaa (12/03/2016), saisies comme des dates.",
        f"Nombres : le nombre de participants est un nombre entier de 0 à {MAX_PARTICIPANTS}.",
        "Case vide = information manquante, jamais zéro.",
        *notice_ending("visites"),
    ]
    return title, lines


def write_visits_template(path: Path, poles: PoleSet | None = None) -> Path:
    """The blank events and practices workbook, written to `path`; its lists offer `poles` (the
    members in force, the shipped twelve by default)."""
    title, lines = _notice()
    book = TemplateBook(title, lines)
    pole_list = book.list_range("Liste des pôles", pole_names(poles))
    pole_error = "Choisir le pôle dans la liste (nom usuel du pôle)."

    events = book.sheet(EVENTS_SHEET, EVENT_HEADERS, EVENT_WIDTHS)
    col = {header: number for number, header in enumerate(EVENT_HEADERS, start=1)}
    for header in ("Date", "Date de fin"):
        book.dates(
            events,
            column_cells(col[header], 2),
            date(FIRST_YEAR, 1, 1),
            what=header.lower(),
            error=f"Saisir une date (jj/mm/aaaa, par exemple 12/03/2016), en {FIRST_YEAR} ou après.",
        )
    book.choose(
        events,
        column_cells(col["Type"], 2),
        book.list_range("Liste des types d'événement", VISIT_TYPES),
        what="type d'événement",
        error="Choisir le type d'événement dans la liste.",
    )
    book.choose(events, column_cells(col["Pôle hôte"], 2), pole_list, what="pôle hôte", error=pole_error)
    book.whole(
        events,
        column_cells(col["Participants"], 2),
        0,
        MAX_PARTICIPANTS,
        what="participants",
        error=f"Nombre entier de participants, de 0 à {MAX_PARTICIPANTS} (compter, jamais nommer).",
    )

    practices = book.sheet(PRACTICES_SHEET, PRACTICE_HEADERS, PRACTICE_WIDTHS)
    col = {header: number for number, header in enumerate(PRACTICE_HEADERS, start=1)}
    book.choose(practices, column_cells(col["Pôle"], 2), pole_list, what="pôle", error=pole_error)
    book.choose(
        practices,
        column_cells(col["Angle"], 2),
        book.list_range("Liste des angles de travail", [d.libelle for d in load_catalog().domains]),
        what="angle de travail",
        error="Choisir l'un des cinq angles de travail dans la liste.",
    )
    book.choose(
        practices,
        column_cells(col["Outil"], 2),
        book.list_range("Liste des outils", load_visit_config().tools),
        what="outil",
        error="Outil hors de la liste : il sera gardé tel qu'il est écrit. Continuer ?",
        strict=False,
    )
    return book.save(path)

"""The blank XLSX template of a pole's pathway file (`ptce template --kind parcours`).

One sheet « Parcours », one row per person and stay in a member structure, its header written as
`PathwayFileParser` recognises it (`ROLE_ALIASES`). Drop-downs: the pole, the sex, the age band, the
yes/no flags and the exit reasons, each of which the exit mapping (`motifs_sortie.yaml`) classifies
(a warning only: a pole may write its own reason, read by the same mapping). Dates are checked as
dates, training hours as numbers, identifiers and structures as short texts.

Data minimisation: the template asks for the age band, not the birth date (the parser accepts a
« Date de naissance » column, but the observatory keeps only the band), and for the pole's own
identifier of the person, never a name.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pipelines.pathways.exits import MAPPING_NAME, load_exit_mapping
from pipelines.pathways.fields import AGE_BANDS, FIRST_ENTRY_YEAR, MAX_TRAINING_HOURS
from pipelines.pathways.parser import MAX_IDENTIFIER_CHARS, MAX_STRUCTURE_CHARS
from pipelines.shared.templates import TemplateBook, column_cells, notice_ending, pole_names
from ptce.reference import PoleSet, read_reference

SHEET = "Parcours"
HEADERS = (
    "Identifiant",
    "Pôle",
    "Structure",
    "Date d'entrée",
    "Date de sortie",
    "Motif de sortie",
    "Sexe",
    "Tranche d'âge",
    "DELD",
    "RSA",
    "QPV",
    "RQTH",
    "Heures de formation",
    "Certification obtenue",
)
WIDTHS = (16, 22, 30, 14, 14, 30, 8, 18, 8, 8, 8, 8, 12, 14)
YES_NO = ("oui", "non")
SEXES = ("F", "H")


def exit_reasons() -> list[str]:
    """Exit reasons offered in the drop-down: the first expression of each entry of the mapping,
    and each duration entry's example above and below its threshold; only those it classifies."""
    raw = read_reference(MAPPING_NAME)
    offered: list[str] = []
    for items in raw["motifs"].values():
        for item in items:
            words = item.get("expressions") or item.get("sigles_majuscules") or []
            offered.extend(_first_capital(w) for w in words[:1])
    for item in raw.get("selon_duree") or []:
        example = str(item["exemple"])
        offered.append(_first_capital(example))
        below = re.sub(r"\d+", "3", example, count=1)  # « CDD de 8 mois » -> « CDD de 3 mois »
        if below != example:
            offered.append(_first_capital(below))
    mapping = load_exit_mapping()
    return [reason for reason in dict.fromkeys(offered) if mapping.classify(reason).category is not None]


def _first_capital(text: str) -> str:
    """« formation qualifiante » -> « Formation qualifiante »; acronyms (« CDI ») unchanged."""
    return text[:1].upper() + text[1:]


def _notice() -> tuple[str, list[str]]:
    title = "Observatoire PTCE — modèle de saisie des parcours"
    lines = [
        "À quoi sert ce fichier : transmettre à l'observatoire les parcours des personnes accompagnées "
        "par les structures membres de votre pôle.",
        f"Feuille « {SHEET} » : une ligne = une personne dans une structure membre (une étape de son "
        "parcours) ; une personne passée par deux structures a deux lignes, avec le même identifiant.",
        "",
        "Colonnes : Identifiant (obligatoire : le numéro de la personne dans votre pôle, jamais son nom "
        "ni son numéro de sécurité sociale ; il est remplacé par un pseudonyme dès la lecture) ; Pôle "
        "(menu) ; Structure (la structure membre, obligatoire) ; Date d'entrée (obligatoire) ; Date de "
        "sortie (vide tant que le parcours continue) ; Motif de sortie (menu, ou le motif écrit en "
        "quelques mots : « CDD de 8 mois », « formation qualifiante ») ; Sexe (F ou H) ; Tranche d'âge à "
        "l'entrée (menu) ; DELD, RSA, QPV, RQTH, Certification obtenue (oui ou non) ; Heures de formation "
        "(nombre d'heures).",
        "Dates : jj/mm/aaaa (03/02/2016), saisies comme des dates ; une date de sortie seulement une fois "
        "la sortie faite, et toujours avec son motif.",
        f"Nombres : heures de formation de 0 à {MAX_TRAINING_HOURS} par étape, décimales permises (12,5).",
        "Case vide = information manquante, jamais « non » ni zéro.",
        "N'ajoutez pas de colonne nom, prénom, adresse ou téléphone : elles ne seraient pas lues.",
        *notice_ending("parcours"),
    ]
    return title, lines


def write_pathways_template(path: Path, poles: PoleSet | None = None) -> Path:
    """The blank pathway workbook, written to `path`; its list offers `poles` (the members in force,
    the shipped twelve by default)."""
    title, lines = _notice()
    book = TemplateBook(title, lines)
    ws = book.sheet(SHEET, HEADERS, WIDTHS)
    col = {header: number for number, header in enumerate(HEADERS, start=1)}

    def cells(header: str) -> str:
        return column_cells(col[header], 2)

    yes_no = book.list_range("Liste oui / non", YES_NO)
    book.text_length(
        ws,
        cells("Identifiant"),
        MAX_IDENTIFIER_CHARS,
        what="identifiant",
        error=f"Identifiant de la personne dans le pôle (au plus {MAX_IDENTIFIER_CHARS} caractères), "
        "jamais son nom.",
    )
    book.choose(
        ws,
        cells("Pôle"),
        book.list_range("Liste des pôles", pole_names(poles)),
        what="pôle",
        error="Choisir le pôle dans la liste (nom usuel du pôle).",
    )
    book.text_length(
        ws,
        cells("Structure"),
        MAX_STRUCTURE_CHARS,
        what="structure",
        error=f"Nom de la structure membre (au plus {MAX_STRUCTURE_CHARS} caractères).",
    )
    first = date(FIRST_ENTRY_YEAR, 1, 1)
    for header in ("Date d'entrée", "Date de sortie"):
        book.dates(
            ws,
            cells(header),
            first,
            what=header.lower(),
            error=f"Saisir une date (jj/mm/aaaa, par exemple 03/02/2016), en {FIRST_ENTRY_YEAR} ou après.",
        )
    book.choose(
        ws,
        cells("Motif de sortie"),
        book.list_range("Liste des motifs de sortie", exit_reasons()),
        what="motif de sortie",
        error="Motif hors de la liste : il sera lu s'il dit la situation à la sortie (« CDD de 8 mois », "
        "« formation qualifiante »). Continuer ?",
        strict=False,
    )
    book.choose(
        ws,
        cells("Sexe"),
        book.list_range("Liste sexe", SEXES),
        what="sexe",
        error="Choisir F (femme) ou H (homme).",
    )
    book.choose(
        ws,
        cells("Tranche d'âge"),
        book.list_range("Liste des tranches d'âge", AGE_BANDS),
        what="tranche d'âge",
        error="Choisir la tranche d'âge à l'entrée dans la liste.",
    )
    for header in ("DELD", "RSA", "QPV", "RQTH", "Certification obtenue"):
        book.choose(ws, cells(header), yes_no, what=header, error="Choisir oui ou non (vide si inconnu).")
    book.decimal(
        ws,
        cells("Heures de formation"),
        0,
        MAX_TRAINING_HOURS,
        what="heures de formation",
        error=f"Nombre d'heures de 0 à {MAX_TRAINING_HOURS}, décimales permises (12,5) ; vide si inconnu.",
    )
    return book.save(path)

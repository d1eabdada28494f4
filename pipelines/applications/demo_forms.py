"""Fictitious filled-in application forms (seed 003) for the twelve poles, as `.docx` files.

They exercise the application parser the way real answers would: answers in paragraphs or in a
two-column table, renumbered or retyped questions, every kind of yes/no mark, blank questions, and one
form naming its pole only in the file name. Every document says "DONNÉES FICTIVES" on its first line.
The output is deterministic (fixed seeds and fixed document dates) so that re-running changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipelines.applications.demo_texts import pole_answers, pole_facts
from ptce.reference import Pole, load_poles

FIXED_DATE = datetime(2015, 3, 1, 9, 0, 0)
LAYOUTS = ("paragraphes", "tableau", "renumerote", "tableau_vertical")

_INTRO = (
    "Créer, consolider et sécuriser l’emploi sur nos territoires avec les Pôles territoriaux de "
    "coopération économique",
    "Trame de réponse à l’appel à manifestation d’intérêt « PTCE Emploi et sécurisation des parcours "
    "socio-professionnels »",
    "L’appel à manifestation d’intérêt « PTCE Emploi et sécurisation des parcours socio-professionnels » "
    "vise à identifier une douzaine d’initiatives de coopération économique territoriale qui répondent à "
    "deux conditions :",
    "1) se reconnaître dans les éléments de définition, les valeurs, finalités et principes d’action "
    "partagés des Pôles territoriaux de coopération économique telle que proposés dans la Charte la "
    "démarche collective PTCE.",
    "2) être volontaire, à partir de leurs expériences et projets, pour travailler sur la contribution "
    "des PTCE à l’emploi et à la sécurisation des parcours.",
    "Cette trame comprend deux parties :",
    "I. VOTRE INITIATIVE DE PÔLE TERRITORIAL DE COOPERATION ECONOMIQUE (PTCE)",
    "Définition proposée par la démarche collective PTCE",
    "Un PTCE est un groupement d’acteurs sur un territoire – entreprises et acteurs de l’économie sociale "
    "et solidaire associés à des petites et moyennes entreprises, collectivités locales, centres de "
    "recherche et organismes de formation – qui met en œuvre une stratégie commune et continue, de "
    "coopération et de mutualisation, au service de projets économiques innovants de développement local "
    "durable.",
    "Si vous ne disposez pas de dossier formalisé, nous vous proposons de décrire en quelques pages votre "
    "initiative, en précisant en quoi il s’agit d’un PTCE et notamment :",
)
_CHARTER_NOTE = (
    "Auquel cas, nous vous proposons de transmettre la charte signée au LABO de l’ESS qui informera le "
    "comité de pilotage de la démarche collective PTCE."
)
_PART_II = (
    "II. VOTRE MOTIVATION POUR REJOINDRE LA COMMUNAUTE APPRENANTE « PTCE, EMPLOI ET SECURISATION DES "
    "PARCOURS »"
)
_THANKS = "Nous vous remercions d’avoir pris le temps de répondre à ces questions."

# Small rewordings some poles make when retyping the form.
_REWORDED = {
    "i2_objectifs": "Objectifs et nature de la coopération économique territoriale",
    "ii5_attentes": "Vos attentes concernant votre participation à cette communauté apprenante ?",
    "echeance_visite": "A quelle echeance approximative ?",
}


@dataclass
class DemoForm:
    """One fictitious form and the answers the parser should recover from it."""

    pole_id: str
    file_name: str
    layout: str
    pole_in_header: bool
    answers: dict[str, str | None] = field(default_factory=dict)
    yes_no: dict[str, bool | None] = field(default_factory=dict)
    yes_no_style: str = "☒"
    # The structured fields the answers state (`demo_texts.pole_facts`); a blank question states none.
    facts: dict[str, bool | int | float | str | None] = field(default_factory=dict)


def _answers(pole: Pole, rng: random.Random, visit: bool | None) -> dict[str, str | None]:
    answers: dict[str, str | None] = dict(pole_answers(pole.pole_id, rng))
    if visit is False:
        # A pole that declines the visit leaves the two questions about it empty.
        answers["experiences_visite"] = None
        answers["echeance_visite"] = None
    # Each form also leaves one to three other questions blank, as real answers do.
    answered = sorted(code for code, text in answers.items() if text)
    for code in rng.sample(answered, rng.randint(1, 3)):
        answers[code] = None
    return answers


def demo_forms() -> list[DemoForm]:
    """The twelve fictitious forms, with their layout and intended answers (deterministic)."""
    forms = []
    styles = ("☒", "☑", "X", "[X]", "supprime", "vide")
    for i, pole in enumerate(load_poles()):
        rng = random.Random(1000 + pole.numero)
        charte = (True, False, True, None)[i % 4]
        visite = (True, True, False, None, True)[i % 5]
        style = styles[i % len(styles)]
        if style == "vide":
            charte = None
        layout = LAYOUTS[i % len(LAYOUTS)]
        pole_in_header = pole.pole_id != "figeacteurs"
        name = f"AMI_2015_{pole.nom_court.replace(' ', '_').replace('/', '-')}.docx"
        forms.append(
            DemoForm(
                pole_id=pole.pole_id,
                file_name=name,
                layout=layout,
                pole_in_header=pole_in_header,
                answers=_answers(pole, rng, visite),
                facts=pole_facts(pole.pole_id),
                yes_no={"charte": charte, "accueil_visite": visite},
                yes_no_style=style,
            )
        )
    return forms


def yes_no_text(value: bool | None, style: str) -> str:
    """How a pole marks its choice, in one of the observed styles."""
    if value is None:
        return "Oui\t\t\tNon"
    if style == "☒":
        return "☒ Oui ☐ Non" if value else "☐ Oui ☒ Non"
    if style == "☑":
        return "☑ Oui    ☐ Non" if value else "☐ Oui    ☑ Non"
    if style == "X":
        return "X Oui\t\tNon" if value else "Oui\t\tX Non"
    if style == "[X]":
        return "Oui [X]   Non [ ]" if value else "Oui [ ]   Non [X]"
    # "supprime": the other word deleted.
    return "Oui" if value else "Non"


def _question_text(code: str, texte: str, numero: str, partie: str, layout: str) -> str:
    text = _REWORDED.get(code, texte) if layout != "paragraphes" else texte
    if not numero:
        return text
    if layout == "renumerote":
        return f"Question {numero} – {text}" if partie == "II" else f"{numero}. {text}"
    return f"{numero}) {text}" if partie == "I" else f"{numero}. {text}"


def _build(form: DemoForm, pole: Pole) -> object:
    import docx

    from pipelines.applications.form_parser import load_questions

    doc = docx.Document()
    doc.add_paragraph("DONNÉES FICTIVES – réponse d'exemple générée pour tester l'observatoire")
    if form.pole_in_header:
        doc.add_paragraph(f"Initiative : {pole.nom}")
    for line in _INTRO:
        doc.add_paragraph(line)
    table = None
    for q in load_questions().questions:
        if q.code == "ii1_problematiques":
            doc.add_paragraph(_PART_II)
            table = None
        question = _question_text(q.code, q.texte, q.numero, q.partie, form.layout)
        if q.kind == "oui_non":
            answer = yes_no_text(form.yes_no[q.code], form.yes_no_style)
        else:
            answer = form.answers[q.code] or ""
        lines = answer.split("\n") if answer else [""]
        if form.layout in ("tableau", "tableau_vertical"):
            if table is None:
                table = doc.add_table(rows=0, cols=2 if form.layout == "tableau" else 1)
                table.style = "Table Grid"
            row = table.add_row()
            row.cells[0].text = question
            cell = row.cells[1] if form.layout == "tableau" else table.add_row().cells[0]
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
        else:
            doc.add_paragraph(question)
            if q.code == "charte":
                doc.add_paragraph(_CHARTER_NOTE)
            for line in lines:
                doc.add_paragraph(line)
            doc.add_paragraph("")
    doc.add_paragraph(_THANKS)
    doc.core_properties.created = FIXED_DATE
    doc.core_properties.modified = FIXED_DATE
    doc.core_properties.last_printed = FIXED_DATE
    doc.core_properties.author = "Données fictives"
    return doc


def write_demo_forms(folder: Path) -> list[Path]:
    """Write the twelve demo forms as `.docx` into `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    poles = {p.pole_id: p for p in load_poles()}
    paths = []
    for form in demo_forms():
        path = folder / form.file_name
        _build(form, poles[form.pole_id]).save(str(path))  # type: ignore[attr-defined]
        paths.append(path)
    return paths

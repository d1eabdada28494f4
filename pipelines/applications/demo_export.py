"""A fictitious form-tool export of the application form (seed 003), as a `.xlsx` file.

It looks like what an online form tool gives: a title row, then the tool's own columns (timestamp,
e-mail address), the initiative's name, and one column per question titled with a short version or
the question's text cut at 100 characters, yes/no as "Oui"/"Non". Three poles answer (numbers 4, 9
and 12), with the sentences of `demo_texts` worded anew. The title row says "DONNÉES FICTIVES" and
the e-mail addresses are fictitious. Deterministic: fixed seeds, timestamps and workbook dates.
"""

from __future__ import annotations

import io
import random
from datetime import datetime
from pathlib import Path

from pipelines.applications.demo_texts import pole_answers, pole_facts
from pipelines.applications.form_parser import load_questions
from pipelines.shared.sample import normalise_zip
from ptce.reference import load_poles

EXPORT_NAME = "export_formulaire_ami_2015.xlsx"
FIXED_DATE = datetime(2015, 3, 2, 18, 0, 0)
DEMO_POLE_NUMBERS = (4, 9, 12)
# Form tools cut long column titles; 100 characters is a common limit.
TITLE_LIMIT = 100
TITLE_ROW = "Réponses au formulaire — export du 02/03/2015 — DONNÉES FICTIVES (démonstration)"

# Short versions for some questions, as the form's author typed them in the tool; the others keep
# the question's text, cut by the tool.
_SHORT_TITLES = {
    "i1_operationnel": "I.1 PTCE opérationnel ou en projet",
    "i4_secteurs_statut": "Secteurs, statut, salariés et ancrage territorial",
    "charte": "Signature de la charte (oui/non)",
    "accueil_visite": "Accueil d'une visite (oui/non)",
    "echeance_visite": "Échéance de la visite",
}
_TIMESTAMPS = (
    datetime(2015, 2, 20, 10, 12, 31),
    datetime(2015, 2, 26, 16, 45, 2),
    datetime(2015, 3, 1, 21, 3, 58),
)


def _column_title(code: str, texte: str) -> str:
    if code in _SHORT_TITLES:
        return _SHORT_TITLES[code]
    return texte if len(texte) <= TITLE_LIMIT else texte[:TITLE_LIMIT]


def demo_export_answers() -> dict[str, dict[str, str | bool | None]]:
    """Intended answers per pole id: text answers as written, yes/no as booleans, None when blank."""
    qs = load_questions()
    poles = {p.numero: p for p in load_poles()}
    answers: dict[str, dict[str, str | bool | None]] = {}
    for i, numero in enumerate(DEMO_POLE_NUMBERS):
        pole = poles[numero]
        # A second seed: the pole retypes its answers in the online form, in other words, with line
        # breaks in its longer answers as people type them in a form's text box.
        texts = pole_answers(pole.pole_id, random.Random(2000 + numero), paragraphs=True)
        row: dict[str, str | bool | None] = {}
        for q in qs.questions:
            if q.kind == "oui_non":
                # One pole leaves the visit question blank: an unanswered choice, not a "non".
                row[q.code] = None if (q.code == "accueil_visite" and i == 2) else (i != 1)
            else:
                row[q.code] = texts[q.code]
        if i == 1:
            # The pole that declines the visit leaves the two questions about it blank.
            row["experiences_visite"] = None
            row["echeance_visite"] = None
        answers[pole.pole_id] = row
    return answers


def demo_export_facts() -> dict[str, dict[str, bool | int | float | str | None]]:
    """The structured fields each exported pole's answers state (`demo_texts.pole_facts`)."""
    return {pole_id: pole_facts(pole_id) for pole_id in demo_export_answers()}


def write_demo_export(folder: Path) -> Path:
    """Write the demo export into `folder` and return its path."""
    from openpyxl import Workbook

    qs = load_questions()
    poles = {p.pole_id: p for p in load_poles()}
    answers = demo_export_answers()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Réponses au formulaire 1"
    sheet.append([TITLE_ROW])
    sheet.append(
        ["Horodatage", "Adresse e-mail", "Nom de l'initiative"]
        + [_column_title(q.code, q.texte) for q in qs.questions]
    )
    for i, (pole_id, row) in enumerate(answers.items()):
        pole = poles[pole_id]
        cells: list[object] = [
            _TIMESTAMPS[i],
            f"contact.fictif{pole.numero}@exemple.org",
            pole.nom,
        ]
        for q in qs.questions:
            value = row[q.code]
            if isinstance(value, bool):
                cells.append("Oui" if value else "Non")
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.properties.creator = "Observatoire PTCE (démonstration)"
    workbook.properties.created = FIXED_DATE
    workbook.properties.modified = FIXED_DATE
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / EXPORT_NAME
    # The zip entries carry the time of writing: normalised, two writes give the same bytes.
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(normalise_zip(buffer.getvalue()))
    return path

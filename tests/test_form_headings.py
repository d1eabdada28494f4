"""Headings are not questions (issue #8, item 7): the matcher on its corpora, then whole Word forms.

A pole's own section titles share words with the questions. Before this item the matcher took the
first paragraph over a word-overlap bar, so « II. VOTRE PTCE ET L'EMPLOI » became question II.2 and the
real question's answer was filed under the previous one; 18 of the 69 headings of `HEADINGS` were
taken for questions, and two mistyped variants of « A quelle échéance approximative ? » were missed.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipelines.applications.assets import parse_application_file
from pipelines.applications.form_layout import Layout
from pipelines.applications.form_parser import load_questions, match_question, parse_application_docx
from tests.form_headings import HEADINGS, question_variants

QS = load_questions()
BY_CODE = {q.code: q for q in QS.questions}


def test_the_corpora_are_large_enough() -> None:
    assert len(HEADINGS) >= 30 and len(set(HEADINGS)) == len(HEADINGS)
    variants = question_variants()
    assert {code for code, _ in variants} == set(BY_CODE)
    assert len(variants) >= 8 * len(BY_CODE)


@pytest.mark.parametrize("heading", HEADINGS)
def test_heading_is_not_a_question(heading: str) -> None:
    for layout in (Layout(), Layout(bold=True), Layout(heading_style=True)):
        question, _ = match_question(heading, QS, layout)
        assert question is None, (heading, layout, question and question.code)


@pytest.mark.parametrize(("code", "text"), question_variants())
def test_question_is_still_recognised(code: str, text: str) -> None:
    question, _ = match_question(text, QS)
    assert question is not None and question.code == code, text
    # Bold questions are common in filled-in forms: bold alone never hides one.
    question, _ = match_question(text, QS, Layout(bold=True))
    assert question is not None and question.code == code, text


# --------------------------------------------------------------------------- whole documents

ANSWERS: dict[str, str | None] = {
    "i1_operationnel": "Le pôle est opérationnel depuis 2011.",
    "i2_objectifs": "Mutualiser les fonctions support des entreprises du bassin.",
    "i3_parties_prenantes": "Membres fondateurs\nUne SCIC, deux PME et la communauté de communes.",
    "i4_secteurs_statut": "SCIC SA, 14 salariés et 30 bénévoles, recyclage et réemploi.",
    "i5_gouvernance": "Conseil coopératif à quatre collèges ; financements de la région et du FSE.",
    "i6_resultats": "35 emplois créés depuis 2011.",
    "ii1_problematiques": "Chômage de longue durée élevé et faible mobilité.",
    "ii2_objectifs_emploi": "Stabiliser les contrats des salariés en insertion.",
    "ii3_experiences": "Un groupement d'employeurs créé en 2013 emploie 9 personnes.",
    "ii4_projets": "Ouvrir une formation qualifiante en 2016.",
    "ii5_attentes": "Échanger avec d'autres pôles sur la mutualisation d'emplois.",
    "ii6_apports": None,  # left blank, with a bold heading right after it
    "experiences_visite": "La ressourcerie et le garage solidaire.",
    "echeance_visite": "Au printemps 2016",
}
YES_NO = {"charte": "☒ Oui ☐ Non", "accueil_visite": "Oui\t\tX Non"}
# Headings a pole inserted before a question: (text, how it is set: a Word style, "bold" or "plain").
HEADINGS_BEFORE: dict[str, list[tuple[str, str]]] = {
    "i1_operationnel": [("I. PRÉSENTATION DE NOTRE INITIATIVE", "Heading 1")],
    "i2_objectifs": [("Présentation générale", "bold")],
    "i5_gouvernance": [("Coopération et gouvernance", "Heading 2")],
    "i6_resultats": [("Résultats et impacts", "bold")],
    "ii1_problematiques": [
        ("II. VOTRE PTCE ET L'EMPLOI", "Heading 1"),
        ("Le territoire et ses enjeux", "Heading 2"),
    ],
    "ii2_objectifs_emploi": [("Emploi et parcours", "bold")],
    "ii3_experiences": [("B) Nos actions pour l'emploi et la sécurisation des parcours", "bold")],
    "ii4_projets": [("L'ancrage territorial du pôle", "Title")],
    "ii5_attentes": [("III. NOS ATTENTES VIS-À-VIS DE LA COMMUNAUTÉ APPRENANTE", "plain")],
    "ii6_apports": [("Participation à la communauté apprenante", "Heading 2")],
    "accueil_visite": [("Visites apprenantes", "bold")],
}
ANNEX = ("Statuts de la SCIC (extrait)", "Article 1 : la société a pour objet la coopération.")


def _add(doc: object, text: str, how: str = "plain") -> None:
    if how in ("plain", "bold"):
        paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
        paragraph.add_run(text).bold = how == "bold"
    else:
        doc.add_paragraph(text, style=how)  # type: ignore[attr-defined]


def _question_label(code: str) -> str:
    q = BY_CODE[code]
    if not q.numero:
        return q.texte
    return f"{q.numero}) {q.texte}" if q.partie == "I" else f"{q.numero}. {q.texte}"


def _form_with_headings(path: Path, *, question_style: str = "plain") -> None:
    doc = docx.Document()
    doc.add_paragraph("Initiative : PTCE Bou'Sol")
    doc.add_paragraph("Trame de réponse à l'appel à manifestation d'intérêt")
    for q in QS.questions:
        for text, how in HEADINGS_BEFORE.get(q.code, []):
            _add(doc, text, how)
        _add(doc, _question_label(q.code), question_style)
        if q.code in YES_NO:
            doc.add_paragraph(YES_NO[q.code])
        else:
            for i, line in enumerate((ANSWERS[q.code] or "").split("\n")):
                # The first line of answer I.3 is a bold sub-title of the answer itself.
                _add(doc, line, "bold" if q.code == "i3_parties_prenantes" and i == 0 else "plain")
        doc.add_paragraph("")
    _add(doc, "ANNEXES", "Heading 1")
    for line in ANNEX:
        doc.add_paragraph(line)
    doc.save(str(path))


def _check(result) -> None:
    assert result.error is None, result.error
    assert result.questions_found == len(QS.questions)
    for code, expected in ANSWERS.items():
        assert result.answers[code] == expected, code
    assert result.yes_no == {"charte": True, "accueil_visite": False}


def test_headings_between_questions_leave_every_answer_in_place(tmp_path: Path) -> None:
    path = tmp_path / "bousol.docx"
    _form_with_headings(path)
    result = parse_application_docx(path, path.name)
    _check(result)
    # The annex is not an answer to the last question, and the sender is told it was left aside.
    assert result.notes == [
        "2 paragraphe(s) placé(s) sous le titre « ANNEXES » ne répondent à aucune question et ne sont pas "
        "repris dans les réponses : s'ils répondent à une question, placez-les sous cette question et "
        "renvoyez le document."
    ]


@pytest.mark.parametrize("question_style", ["bold", "Heading 2"])
def test_questions_set_as_headings_are_still_questions(tmp_path: Path, question_style: str) -> None:
    # Some poles make the questions bold, or give them a heading style for Word's navigation pane.
    path = tmp_path / "bousol.docx"
    _form_with_headings(path, question_style=question_style)
    _check(parse_application_docx(path, path.name))


def test_headings_in_a_table_form(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("Nom du PTCE : Domb'Innov")
    table = doc.add_table(rows=0, cols=2)
    for q in QS.questions:
        for text, how in HEADINGS_BEFORE.get(q.code, []):
            # A title row across both columns, bold or not.
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[1])
            merged.paragraphs[0].add_run(text).bold = how != "plain"
        row = table.add_row()
        row.cells[0].text = q.texte
        answer = YES_NO.get(q.code) or ANSWERS[q.code] or ""
        lines = answer.split("\n")
        row.cells[1].text = lines[0]
        for line in lines[1:]:
            row.cells[1].add_paragraph(line)
    path = tmp_path / "dombinnov.docx"
    doc.save(str(path))
    _check(parse_application_docx(path, path.name))


def test_best_paragraph_wins_over_the_first(tmp_path: Path) -> None:
    # An answer that asks itself the next question's words comes before that question: the question
    # itself, a better match, must be the one kept, and the echo stays in the answer it belongs to.
    echo = "Quelles attentes pour notre participation à la communauté apprenante ?"
    assert match_question(echo, QS)[0] is BY_CODE["ii5_attentes"]
    doc = docx.Document()
    doc.add_paragraph("Initiative : ESCI")
    for q in QS.questions:
        doc.add_paragraph(_question_label(q.code))
        if q.code == "ii4_projets":
            doc.add_paragraph("Une plateforme de mobilité en 2016.")
            doc.add_paragraph(echo)
            doc.add_paragraph("Nous en parlerons plus bas.")
        else:
            doc.add_paragraph(YES_NO.get(q.code) or f"Réponse {q.code}")
    path = tmp_path / "esci.docx"
    doc.save(str(path))
    result = parse_application_docx(path, path.name)
    assert (
        result.answers["ii4_projets"]
        == f"Une plateforme de mobilité en 2016.\n{echo}\nNous en parlerons plus bas."
    )
    assert result.answers["ii5_attentes"] == "Réponse ii5_attentes"


def test_heading_notes_reach_the_ingest_log_message(tmp_path: Path) -> None:
    path = tmp_path / "bousol.docx"
    _form_with_headings(path)
    applications, ledger = parse_application_file(path, "raw/candidatures/bousol.docx")
    assert len(applications) == 1 and ledger.quarantine == []
    assert ledger.status == "ok" and ledger.rows_read == ledger.rows_loaded == 1
    assert "« ANNEXES »" in ledger.message() and "placez-les sous cette question" in ledger.message()


def test_table_of_contents_entries_are_not_questions(tmp_path: Path) -> None:
    # Questions given a heading style appear again, in the same order, in a table of contents above
    # them: ties go to the earlier paragraph, so the entries must never be candidates.
    from docx.enum.style import WD_STYLE_TYPE

    path = tmp_path / "bousol.docx"
    _form_with_headings(path, question_style="Heading 2")
    doc = docx.Document(str(path))
    doc.styles.add_style("toc 2", WD_STYLE_TYPE.PARAGRAPH)
    anchor = doc.paragraphs[2]
    anchor.insert_paragraph_before("Sommaire", style="TOC Heading")
    for q in QS.questions:
        anchor.insert_paragraph_before(f"{_question_label(q.code)}\t{len(q.code)}", style="toc 2")
    doc.save(str(path))
    _check(parse_application_docx(path, path.name))


def test_numbered_parts_of_an_answer_stay_in_it(tmp_path: Path) -> None:
    # Poles number the parts of an answer ("Axe 1 :", "A.") and give them bold sub-titles: these are
    # not the pole's section titles and must not cut the answer.
    lines = [
        "Axe 1 : un groupement d'employeurs",
        "Axe 2 : une formation commune",
        "A. Le groupement a embauché neuf personnes en 2014.",
        "Nos résultats",
        "Neuf contrats à durée indéterminée.",
    ]
    doc = docx.Document()
    doc.add_paragraph("Initiative : ESCI")
    for q in QS.questions:
        doc.add_paragraph(_question_label(q.code))
        if q.code == "ii3_experiences":
            for line in lines:
                _add(doc, line, "bold" if line == "Nos résultats" else "plain")
        else:
            doc.add_paragraph(YES_NO.get(q.code) or f"Réponse {q.code}")
    path = tmp_path / "esci.docx"
    doc.save(str(path))
    result = parse_application_docx(path, path.name)
    assert result.answers["ii3_experiences"] == "\n".join(lines)
    assert result.notes == []


def test_word_layout_signals() -> None:
    # Styles are followed to their base, character styles count for boldness, and an outline level set
    # on the paragraph itself makes it a heading in Word's navigation pane.
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from pipelines.applications.form_layout import StyleBook

    doc = docx.Document()
    custom = doc.styles.add_style("Mon titre de partie", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = doc.styles["Heading 1"]
    bold_style = doc.styles.add_style("Encadré", WD_STYLE_TYPE.PARAGRAPH)
    bold_style.font.bold = True
    by_custom = doc.add_paragraph("Partie 2", style="Mon titre de partie")
    by_style = doc.add_paragraph("Emploi et parcours", style="Encadré")
    by_char = doc.add_paragraph()
    by_char.add_run("Le territoire", style="Strong")
    by_outline = doc.add_paragraph("Nos actions")
    by_outline._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))
    mixed = doc.add_paragraph()
    mixed.add_run("Nos actions ").bold = True
    mixed.add_run("pour l'emploi")
    plain = doc.add_paragraph("Du texte.")
    book = StyleBook(doc)
    assert book.paragraph_layout(by_custom) == Layout(heading_style=True, bold=True)
    assert book.paragraph_layout(by_style) == Layout(bold=True)
    assert book.paragraph_layout(by_char) == Layout(bold=True)
    assert book.paragraph_layout(by_outline).heading_style
    assert book.paragraph_layout(mixed) == Layout()
    assert book.paragraph_layout(plain) == Layout()

"""The `.docx` application-form parser: every layout, every yes/no mark, bad files, demo round trip."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from pipelines.applications.demo_forms import demo_forms, write_demo_forms
from pipelines.applications.form_parser import load_questions, parse_application_docx, parse_yes_no

QS = load_questions()
TEXTS = {q.code: q.texte for q in QS.questions}
ANSWERS = {code: f"Réponse à {code} : 12 salariés, SCIC créée en 2012." for code in QS.text_codes}
ANSWERS["i2_objectifs"] = "Premier paragraphe.\nDeuxième paragraphe."
ANSWERS["ii6_apports"] = None


def _ws(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def _paragraph_form(
    path: Path, *, header: str | None = "Initiative : PTCE Bou'Sol", numbering: str = "seed"
) -> None:
    doc = docx.Document()
    doc.add_paragraph("DONNÉES FICTIVES")
    if header:
        doc.add_paragraph(header)
    doc.add_paragraph(
        "Si vous ne disposez pas de dossier formalisé, nous vous proposons de décrire en quelques pages"
    )
    for q in QS.questions:
        if numbering == "seed" and q.numero:
            label = f"{q.numero}) {q.texte}" if q.partie == "I" else f"{q.numero}. {q.texte}"
        elif q.numero:
            label = f"QUESTION {q.numero} - {q.texte.upper()}"
        else:
            label = q.texte
        doc.add_paragraph(label)
        if q.code == "charte":
            doc.add_paragraph(
                "Auquel cas, nous vous proposons de transmettre la charte signée au LABO de l’ESS."
            )
            doc.add_paragraph("☐ Oui ☒ Non")
        elif q.code == "accueil_visite":
            doc.add_paragraph("X Oui\t\tNon")
        elif ANSWERS[q.code]:
            for line in ANSWERS[q.code].split("\n"):
                doc.add_paragraph(line)
        doc.add_paragraph("")
    doc.add_paragraph("Nous vous remercions d’avoir pris le temps de répondre à ces questions.")
    doc.save(str(path))


def _table_form(path: Path, *, vertical: bool = False) -> None:
    doc = docx.Document()
    doc.add_paragraph("DONNÉES FICTIVES")
    doc.add_paragraph("Nom du PTCE : Domb'Innov")
    table = doc.add_table(rows=0, cols=1 if vertical else 2)
    for q in QS.questions:
        row = table.add_row()
        row.cells[0].text = q.texte
        cell = table.add_row().cells[0] if vertical else row.cells[1]
        if q.code == "charte":
            cell.text = "Oui [X]   Non [ ]"
        elif q.code == "accueil_visite":
            cell.text = "Non"
        elif ANSWERS[q.code]:
            lines = ANSWERS[q.code].split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    doc.save(str(path))


def _check_answers(result) -> None:
    assert result.error is None
    for code in QS.text_codes:
        assert result.answers[code] == ANSWERS[code], code


def test_paragraph_layout(tmp_path: Path) -> None:
    path = tmp_path / "form.docx"
    _paragraph_form(path)
    result = parse_application_docx(path, "form.docx")
    _check_answers(result)
    assert result.yes_no == {"charte": False, "accueil_visite": True}
    assert result.pole_id == "bousol" and result.pole_source == "entête"
    assert result.answers["ii6_apports"] is None  # unanswered: None, never ""


def test_renumbered_uppercase_questions(tmp_path: Path) -> None:
    path = tmp_path / "form.docx"
    _paragraph_form(path, numbering="question")
    _check_answers(parse_application_docx(path, "form.docx"))


@pytest.mark.parametrize("vertical", [False, True])
def test_table_layouts(tmp_path: Path, vertical: bool) -> None:
    path = tmp_path / "form.docx"
    _table_form(path, vertical=vertical)
    result = parse_application_docx(path, "form.docx")
    _check_answers(result)
    assert result.yes_no == {"charte": True, "accueil_visite": False}
    assert result.pole_id == "dombinnov"


def test_pole_from_file_name(tmp_path: Path) -> None:
    path = tmp_path / "Reponse_AMI_2015_Pole_Laine.docx"
    _paragraph_form(path, header=None)
    result = parse_application_docx(path, path.name)
    assert result.pole_id == "laine_saugues" and result.pole_source == "nom de fichier"


def test_inline_answer_and_script_kept_literally(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("Initiative : ESCI")
    for q in QS.questions[:6]:
        doc.add_paragraph(q.texte)
        doc.add_paragraph("<script>alert('x')</script> & co")
    doc.add_paragraph("A quelle échéance approximative ? Au printemps 2016")
    path = tmp_path / "f.docx"
    doc.save(str(path))
    result = parse_application_docx(path, "f.docx")
    assert result.answers["i1_operationnel"] == "<script>alert('x')</script> & co"
    assert result.answers["echeance_visite"] == "Au printemps 2016"
    assert result.pole_id == "esci"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("☒ Oui ☐ Non", True),
        ("☐ Oui ☒ Non", False),
        ("☑ Non", False),
        ("☐ Oui    ☑ Non", False),
        ("X Oui\t\tNon", True),
        ("Oui\t\tX Non", False),
        ("Oui [X]   Non [ ]", True),
        ("Oui [ ]   Non [X]", False),
        ("Oui ☒ Non ☐", True),
        ("Oui", True),
        ("Non", False),
        ("Oui \t\t\tNon", None),
        ("", None),
        (None, None),
    ],
)
def test_yes_no_marks(text: str | None, expected: bool | None) -> None:
    assert parse_yes_no(text) is expected


def test_demo_forms_round_trip(tmp_path: Path) -> None:
    forms = demo_forms()
    paths = write_demo_forms(tmp_path)
    assert len(forms) == len(paths) == 12
    assert {f.layout for f in forms} >= {"paragraphes", "tableau", "renumerote", "tableau_vertical"}
    assert any(not f.pole_in_header for f in forms)
    answered = recovered = 0
    for form, path in zip(forms, paths, strict=True):
        assert docx.Document(str(path)).paragraphs[0].text.startswith("DONNÉES FICTIVES")
        result = parse_application_docx(path, path.name)
        assert result.error is None, result.error
        assert result.pole_id == form.pole_id
        assert result.yes_no == form.yes_no, form.file_name
        for code, expected in form.answers.items():
            if expected is None:
                assert result.answers[code] is None, (form.file_name, code)
                continue
            answered += 1
            recovered += _ws(result.answers[code]) == _ws(expected)
    assert recovered / answered >= 0.95


def test_demo_forms_deterministic(tmp_path: Path) -> None:
    # Zip entry times differ between runs; the documents' content and properties must not.
    def content(path: Path) -> tuple[list[str], object]:
        doc = docx.Document(str(path))
        return [p.text for p in doc.paragraphs], doc.core_properties.created

    first = [content(p) for p in write_demo_forms(tmp_path / "a")]
    second = [content(p) for p in write_demo_forms(tmp_path / "b")]
    assert first == second


def _bad_letter(path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("Initiative : PHARES")
    doc.add_paragraph("Madame, Monsieur, veuillez trouver ci-joint notre rapport d'activité 2014.")
    doc.add_paragraph("Nous restons à votre disposition pour tout complément concernant l'emploi.")
    doc.save(str(path))


def _write(path: Path, content: bytes) -> None:
    path.write_bytes(content)


@pytest.mark.parametrize(
    ("name", "make", "fragment"),
    [
        (
            "vieux.docx",
            lambda p: _write(p, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
            "enregistrez le document au format .docx",
        ),
        (
            "vieux.doc",
            lambda p: _write(p, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
            "Word 97-2003 (.doc)",
        ),
        (
            "bruit.docx",
            lambda p: _write(p, bytes(range(256)) * 8),
            "n'est pas un document Word .docx lisible",
        ),
        ("vide.docx", lambda p: _write(p, b""), "fichier vide"),
        ("lettre.docx", _bad_letter, "ne semble pas être la trame de réponse"),
    ],
)
def test_bad_inputs(tmp_path: Path, name: str, make, fragment: str) -> None:
    path = tmp_path / name
    make(path)
    result = parse_application_docx(path, name)
    assert result.error is not None and fragment in result.error
    assert name in result.error


def test_corrupted_zip(tmp_path: Path) -> None:
    path = tmp_path / "casse.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("autre.txt", "pas un document")
    result = parse_application_docx(path, path.name)
    assert result.error is not None and "corrompu" in result.error


def test_unknown_pole(tmp_path: Path) -> None:
    path = tmp_path / "reponse.docx"
    _paragraph_form(path, header="Initiative : Pôle Imaginaire du Vercors")
    result = parse_application_docx(path, path.name)
    assert result.error is not None
    assert "Pôle Imaginaire du Vercors" in result.error and "inconnu" in result.error
    assert result.pole_id is None

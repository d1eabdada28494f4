"""Form-tool exports of the application form: headers of every kind, yes/no cells, bad rows, demo."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipelines.applications.demo_export import EXPORT_NAME, demo_export_answers, write_demo_export
from pipelines.applications.export_parser import ExportResult, parse_application_export
from pipelines.applications.form_parser import load_questions

QS = load_questions()
CODES = [q.code for q in QS.questions]
YES_NO = set(QS.yes_no_codes)
EMAIL = "jeanne.fictive@exemple.org"


def _answers(tag: str) -> dict[str, str | None]:
    """Text answers for one pole: one multi-line, one blank."""
    answers: dict[str, str | None] = {
        code: f"DONNÉES FICTIVES {tag} : réponse à {code}, 12 salariés." for code in QS.text_codes
    }
    answers["i2_objectifs"] = f"{tag} premier paragraphe.\n{tag} second paragraphe."
    answers["ii6_apports"] = None
    return answers


def _row(pole: str, tag: str, charte: str, visite: str) -> list[str]:
    answers = _answers(tag)
    cells = ["02/03/2015 10:00:00", EMAIL, pole]
    for code in CODES:
        if code == "charte":
            cells.append(charte)
        elif code == "accueil_visite":
            cells.append(visite)
        else:
            cells.append(answers[code] or "")
    return cells


def _write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str, encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _check(result: ExportResult, expected: dict[str, tuple[str, bool | None, bool | None]]) -> None:
    """`expected`: pole id -> (tag, charte, accueil_visite)."""
    assert result.error is None
    by_pole = {a.pole_id: a for a in result.applications}
    assert set(by_pole) == set(expected)
    for pole_id, (tag, charte, visite) in expected.items():
        app = by_pole[pole_id]
        assert app.pole_source == "colonne"
        assert app.answers == _answers(tag)
        assert app.yes_no == {"charte": charte, "accueil_visite": visite}
        assert EMAIL not in str(app.answers)


def test_csv_cp1252_semicolon_full_texts(tmp_path: Path) -> None:
    header = ["Horodatage", "Adresse e-mail", "Nom de l'initiative"] + [q.texte for q in QS.questions]
    rows = [
        _row("PTCE Bou'Sol", "A", "Oui", "non"),
        _row("4", "B", "o", "N"),
        _row("Pôle AlpEn - Groupe ULISSE", "C", "x", ""),
    ]
    path = tmp_path / "export.csv"
    _write_csv(path, header, rows, ";", "cp1252")
    result = parse_application_export(path, "export.csv")
    assert result.file_format == "csv"
    _check(result, {"bousol": ("A", True, False), "tarnais": ("B", True, False), "alpen": ("C", True, None)})
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    assert any("« Adresse e-mail »" in n and "ignorées" in n for n in result.infos)
    assert result.status == "ok"


def test_csv_utf8_comma_short_labels(tmp_path: Path) -> None:
    titles = []
    for q in QS.questions:
        label = f"{q.libelle} (oui/non)" if q.kind == "oui_non" else q.libelle
        titles.append(f"{q.partie}.{q.numero} {label}" if q.numero else label)
    header = ["Adresse e-mail", "Initiative", "Commentaire libre", *titles]
    rows = [
        [EMAIL, "RE-Sources", "rien", *_row("", "A", "☒", "☐")[3:]],
        [EMAIL, "12", "", *_row("", "B", "Vrai", "1")[3:]],
    ]
    path = tmp_path / "export.csv"
    _write_csv(path, header, rows, ",", "utf-8-sig")
    result = parse_application_export(path, "export.csv")
    _check(result, {"re_sources": ("A", True, False), "alpen": ("B", True, True)})
    assert any("« Commentaire libre »" in n for n in result.infos)


def test_xlsx_title_rows_and_cut_texts(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Réponses au formulaire — export du 02/03/2015"])
    sheet.append(["DONNÉES FICTIVES"])
    sheet.append([])
    titles = [q.texte[:60] + "…" if len(q.texte) > 60 else q.texte for q in QS.questions]
    sheet.append(["Horodatage", "Adresse e-mail", "Nom du PTCE", *titles])
    sheet.append(_row("Domb'Innov", "A", "Non", "Yes"))
    sheet.append(_row("ESCI", "B", "", "faux"))
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    result = parse_application_export(path, "export.xlsx")
    assert result.file_format == "xlsx"
    _check(result, {"dombinnov": ("A", False, True), "esci": ("B", None, False)})


def test_bad_rows_quarantined_with_french_reasons(tmp_path: Path) -> None:
    header = ["Horodatage", "Adresse e-mail", "Nom de l'initiative"] + [q.libelle for q in QS.questions]
    rows = [
        _row("Bou'Sol", "A", "Oui", "Non"),  # lines 2-3 (a two-line answer): loaded
        _row("Pôle Inconnu", "B", "Oui", "Non"),  # line 4: unknown pole
        _row("", "C", "Oui", "Non"),  # line 6: empty pole
        _row("Tarnais", "D", "Oui", "Non"),  # line 8: same pole as line 10
        _row("4", "E", "Peut-être", "Non"),  # line 10
        _row("AlpEn", "F", "Peut-être", "Non"),  # line 12: loaded, unreadable yes/no
    ]
    # Row numbers are file lines, as the sender sees them in a text editor.
    path = tmp_path / "export.csv"
    _write_csv(path, header, rows, ";", "utf-8")
    result = parse_application_export(path, "export.csv")
    assert result.error is None
    assert {a.pole_id for a in result.applications} == {"bousol", "alpen"}
    reasons = {q.row_number: q.reason for q in result.quarantine}
    assert set(reasons) == {4, 6, 8, 10}
    assert reasons[4].startswith("export.csv, ligne 4, champ pôle : pôle « Pôle Inconnu » inconnu")
    assert reasons[6].startswith("export.csv, ligne 6, champ pôle : pôle non renseigné")
    assert reasons[8].startswith("export.csv, ligne 8, champ pôle : pôle « Tarnais » présent sur")
    assert "plusieurs lignes (aussi ligne(s) 10)" in reasons[8]
    assert "plusieurs lignes (aussi ligne(s) 8)" in reasons[10]
    assert all(q.field == "pôle" for q in result.quarantine)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 2, 4)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    alpen = next(a for a in result.applications if a.pole_id == "alpen")
    assert alpen.yes_no["charte"] is None
    assert any("ligne 12, champ Signature de la charte" in n and "Peut-être" in n for n in alpen.notes)
    assert result.status == "partial"


def test_no_pole_column_is_an_error(tmp_path: Path) -> None:
    header = ["Horodatage", "Adresse e-mail", "Structure"] + [q.texte for q in QS.questions]
    path = tmp_path / "export.csv"
    _write_csv(path, header, [_row("Bou'Sol", "A", "Oui", "Non")], ";", "utf-8")
    result = parse_application_export(path, "export.csv")
    assert result.error is not None
    assert result.error.startswith("export.csv : aucune colonne ne désigne le pôle")
    assert "« Nom de l'initiative »" in result.error
    assert result.applications == []


def test_too_few_questions_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    _write_csv(path, ["Nom de l'initiative", "Gouvernance", "Montant"], [["Bou'Sol", "x", "3"]], ";", "utf-8")
    result = parse_application_export(path, "export.csv")
    assert result.error is not None
    assert "question(s) reconnue(s)" in result.error
    assert "Signature de la charte (oui/non)" in result.error


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("OUI", True), ("Non", False), ("o", True), ("n", False), ("1", True), ("0", False), ("X", True)],
)
def test_yes_no_cells(tmp_path: Path, cell: str, expected: bool) -> None:
    header = ["Nom de l'initiative"] + [q.libelle for q in QS.questions]
    row = ["7", *_row("", "A", cell, cell)[3:]]
    path = tmp_path / "export.csv"
    _write_csv(path, header, [row], ";", "utf-8")
    result = parse_application_export(path, "export.csv")
    assert result.applications[0].yes_no == {"charte": expected, "accueil_visite": expected}


def test_demo_export_round_trips(tmp_path: Path) -> None:
    path = write_demo_export(tmp_path)
    assert path.name == EXPORT_NAME
    result = parse_application_export(path, path.name)
    assert result.error is None
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    expected = demo_export_answers()
    assert len(expected) == 3
    by_pole = {a.pole_id: a for a in result.applications}
    assert set(by_pole) == set(expected)
    for pole_id, answers in expected.items():
        app = by_pole[pole_id]
        assert {**app.answers, **app.yes_no} == answers
        assert all("@" not in (v or "") for v in app.answers.values())
    # What the demo export is there to exercise: answers typed on several lines, and one pole that
    # leaves the visit choice blank (an unanswered question, not a "non").
    assert any("\n" in (v or "") for a in result.applications for v in a.answers.values())
    assert [a.yes_no["accueil_visite"] for a in result.applications].count(None) == 1
    # Deterministic: writing again gives the same bytes.
    first = path.read_bytes()
    assert write_demo_export(tmp_path / "again").read_bytes() == first

"""Indicator files as French offices write them load with the right values; bad rows are explained.

Every file here is built by the test itself (CP1252 `;` CSV with non-breaking spaces, XLSX wide with
title rows and French labels, quarters written `T3 2016` or `2016-T3`).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from pipelines.indicators.parser import IndicatorFileParser
from pipelines.shared.results import FileResult
from tests.robustness.corpus import excel_floats


def parse(path: Path, kind: str = "indicateurs") -> FileResult:
    return IndicatorFileParser(kind).parse(path, f"raw/{kind}/{path.name}")


def values_of(result: FileResult) -> dict[tuple, float]:
    return {(r["pole_id"], r["annee"], r["trimestre"], r["code"]): r["valeur"] for r in result.records}


def assert_conserved(result: FileResult) -> None:
    assert result.rows_read == result.rows_loaded + result.rows_quarantined


def test_french_excel_csv_cp1252(tmp_path: Path) -> None:
    text = (
        "Pôle;Période;Indicateur;Valeur;Commentaire\r\n"
        "Bou'Sol;T3 2016;Heures de formation dispensées;1\u00a0234,5;été chargé\r\n"
        "Bou'Sol;2016-T4;Entrées en parcours;12;\r\n"
        "Bou'Sol;2016;Équivalents temps plein des membres;37,5;\r\n"
        "Bou'Sol;2016;Salariés des structures membres;2\u00a0345;\r\n"
    )
    path = tmp_path / "bousol_2016.csv"
    path.write_bytes(text.encode("cp1252"))
    result = parse(path)
    assert result.error is None and result.status == "ok"
    assert values_of(result) == {
        ("bousol", 2016, 3, "heures_formation"): 1234.5,
        ("bousol", 2016, 4, "entrees_parcours"): 12.0,
        ("bousol", 2016, None, "etp"): 37.5,
        ("bousol", 2016, None, "salaries"): 2345.0,
    }
    assert result.records[0]["commentaire"] == "été chargé"
    assert result.records[0]["row_number"] == 2
    assert_conserved(result)


def test_utf8_bom_comma_csv_with_codes(tmp_path: Path) -> None:
    text = "\ufeffpole,periode,indicateur,valeur\n3,2017-T1,sorties,4\nPHARES,2017,etp,12.5\n"
    path = tmp_path / "phares.csv"
    path.write_text(text, encoding="utf-8")
    result = parse(path)
    assert values_of(result) == {
        ("phares", 2017, 1, "sorties"): 4.0,
        ("phares", 2017, None, "etp"): 12.5,
    }


def test_separate_year_and_quarter_columns(tmp_path: Path) -> None:
    text = "Pôle;Année;Trimestre;Indicateur;Valeur\nAlpEn;2016;T2;Entrées en parcours;5\nAlpEn;2016;;Salariés en CDI;40\n"
    path = tmp_path / "alpen.csv"
    path.write_text(text, encoding="utf-8")
    assert values_of(parse(path)) == {
        ("alpen", 2016, 2, "entrees_parcours"): 5.0,
        ("alpen", 2016, None, "salaries_cdi"): 40.0,
    }


def _wide_workbook(path: Path, rows: list[list[object]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Observatoire PTCE — tableau annuel"])
    ws.append(["Pôle : Pôle Sud Aquitain"])
    ws.append([])
    ws.append(
        ["ANNÉE", "Salariés des structures membres", "Équivalents temps plein des membres", "ETP mutualisés"]
    )
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_wide_xlsx_with_title_rows_and_french_labels(tmp_path: Path) -> None:
    path = tmp_path / "sud.xlsx"
    _wide_workbook(path, [[2015, 120, "84,5", None], ["2016", "1 130", 90.25, "NC"]])
    result = parse(path)
    assert result.status == "ok", result.quarantine
    assert values_of(result) == {
        ("sud_aquitain", 2015, None, "salaries"): 120.0,
        ("sud_aquitain", 2015, None, "etp"): 84.5,
        ("sud_aquitain", 2016, None, "salaries"): 1130.0,
        ("sud_aquitain", 2016, None, "etp"): 90.25,
    }
    assert {r["row_number"] for r in result.records} == {5, 6}


def test_pole_from_file_name_when_no_column(tmp_path: Path) -> None:
    path = tmp_path / "FigeACTeurs_indicateurs.csv"
    path.write_text("periode;indicateur;valeur\n2016;membres;14\n", encoding="utf-8")
    assert values_of(parse(path)) == {("figeacteurs", 2016, None, "membres"): 14.0}


def test_file_naming_two_poles_is_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "esci_alpen.csv"
    path.write_text("periode;indicateur;valeur\n2016;membres;14\n", encoding="utf-8")
    result = parse(path)
    assert result.status == "error"
    assert "quel pôle" in result.error


def test_bad_rows_are_quarantined_with_french_reasons(tmp_path: Path) -> None:
    text = (
        "pole;periode;indicateur;valeur\n"
        "PHARES;2016;salaries;douze\n"  # line 2: text in a number
        "Pôle Nord;2016;salaries;12\n"  # line 3: unknown pole
        "PHARES;2016;chiffre_affaires;12\n"  # line 4: unknown indicator
        "PHARES;2016-T7;salaries;12\n"  # line 5: bad period
        "PHARES;2016;salaries;-4\n"  # line 6: negative count
        "PHARES;2016;salaries;12,5\n"  # line 7: half a person
        "PHARES;2016;representation_salaries;2\n"  # line 8: out of 0/1
        "PHARES;2016;etp;\n"  # line 9: empty value
        "PHARES;2016;membres;16\n"  # line 10: fine
    )
    path = tmp_path / "phares.csv"
    path.write_text(text, encoding="utf-8")
    result = parse(path)
    assert result.rows_read == 9 and result.rows_loaded == 1 and result.rows_quarantined == 8
    assert result.status == "partial"
    by_row = {q.row_number: q for q in result.quarantine}
    assert by_row[2].field == "valeur" and "non numérique" in by_row[2].reason
    assert by_row[3].field == "pôle" and "inconnu" in by_row[3].reason
    assert by_row[4].field == "indicateur" and "chiffre_affaires" in by_row[4].reason
    assert by_row[5].field == "période" and "2016-T7" in by_row[5].reason
    assert "négative" in by_row[6].reason
    assert "non entière" in by_row[7].reason
    assert "intervalle" in by_row[8].reason
    assert "non renseignée" in by_row[9].reason
    for q in result.quarantine:
        # The reason names the file, the row and the field, so a pole can fix it alone.
        assert q.reason.startswith(f"raw/indicateurs/phares.csv, ligne {q.row_number}, champ ")
    assert values_of(result) == {("phares", 2016, None, "membres"): 16.0}


def test_conflicting_duplicates_in_one_file_are_quarantined(tmp_path: Path) -> None:
    text = (
        "pole;periode;indicateur;valeur\n1;2016;membres;10\n1;2016;membres;11\n1;2016;etp;5\n1;2016;etp;5\n"
    )
    path = tmp_path / "dup.csv"
    path.write_text(text, encoding="utf-8")
    result = parse(path)
    assert values_of(result) == {("sud_aquitain", 2016, None, "etp"): 5.0}
    assert {q.row_number for q in result.quarantine} == {2, 3}
    assert "conflit avec la ligne 3" in next(q.reason for q in result.quarantine if q.row_number == 2)
    assert_conserved(result)


def test_wide_row_with_one_bad_cell_is_quarantined_whole(tmp_path: Path) -> None:
    path = tmp_path / "sud.xlsx"
    _wide_workbook(path, [[2015, 120, "quatre-vingts", None], [2016, 130, 90, 3]])
    result = parse(path)
    assert {r["annee"] for r in result.records} == {2016}
    assert [(q.row_number, q.field) for q in result.quarantine] == [(5, "etp")]
    assert_conserved(result)


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("vide.csv", b"", "vide"),
        ("binaire.csv", bytes(range(256)) * 4, "binaire"),
        ("faux.xlsx", b"ceci n'est pas un classeur", "pas un classeur"),
        ("ancien.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xlsx"),
        ("protege.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "mot de passe"),
        ("notes.pdf", b"%PDF-1.4", "non pris en charge"),
        ("sans_entete.csv", b"a;b;c\n1;2;3\n", "aucun tableau"),
    ],
)
def test_unreadable_files_give_one_error_with_advice(
    tmp_path: Path, name: str, content: bytes, fragment: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = parse(path)
    assert result.status == "error"
    assert fragment in result.error
    assert result.error.startswith(f"raw/indicateurs/{name}")
    assert result.rows_read == result.rows_loaded == result.rows_quarantined == 0
    assert result.records == []


def test_truncated_xlsx_is_an_error_not_a_crash(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    _wide_workbook(good, [[2015, 120, 80, 1]])
    bad = tmp_path / "tronque.xlsx"
    bad.write_bytes(good.read_bytes()[:-300])
    result = parse(bad)
    assert result.status == "error" and "xlsx" in result.error


def test_targets_file_with_objectif_column(tmp_path: Path) -> None:
    text = "Pôle;Année;Indicateur;Objectif\nPHARES;2016;Emplois créés dans l'année;12\nPHARES;2016-T2;sorties;3\n"
    path = tmp_path / "objectifs.csv"
    path.write_text(text, encoding="utf-8")
    result = parse(path, kind="objectifs")
    assert values_of(result) == {("phares", 2016, None, "emplois_crees"): 12.0}
    assert [q.row_number for q in result.quarantine] == [3]
    assert "objectif trimestriel" in result.quarantine[0].reason


def test_targets_for_a_later_year_load_actual_values_do_not(tmp_path: Path) -> None:
    """A target for a year after the current one loads; the same figure as an actual value is refused."""
    later = date.today().year + 4  # 2030 when written
    text = f"Pôle;Année;Indicateur;Valeur\nPHARES;{later};Emplois créés dans l'année;12\n"
    path = tmp_path / f"objectifs_{later}.csv"
    path.write_text(text, encoding="utf-8")
    targets = parse(path, kind="objectifs")
    assert targets.status == "ok", targets.quarantine
    assert values_of(targets) == {("phares", later, None, "emplois_crees"): 12.0}
    actual = parse(path)
    assert actual.rows_loaded == 0 and "dans le futur" in actual.quarantine[0].reason
    # The year may also come from a title row above a wide table ("Année : 2030").
    wide = tmp_path / f"objectifs_{later}.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Pôle :", "PHARES"])
    ws.append(["Année :", later])
    ws.append([])
    ws.append(["Emplois créés dans l'année", "Entrées en parcours", "membres"])
    ws.append([12, 30, 40])
    wb.save(wide)
    result = parse(wide, kind="objectifs")
    assert values_of(result) == {
        ("phares", later, None, "emplois_crees"): 12.0,
        ("phares", later, None, "entrees_parcours"): 30.0,
        ("phares", later, None, "membres"): 40.0,
    }
    assert_conserved(result)


def test_filled_template_reads_back(tmp_path: Path) -> None:
    from pipelines.indicators.template import write_template

    path = write_template(tmp_path / "modele.xlsx")
    wb = openpyxl.load_workbook(path)
    wide = wb["Saisie annuelle"]
    wide["B2"] = "Domb'Innov"
    wide.append([2017, 25])  # membres is the first indicator column
    long = wb["Saisie détaillée"]
    long.append(["Domb'Innov", "2017-T2", "entrees_parcours", 6, "printemps"])
    wb.save(path)
    result = parse(path)
    assert result.status == "ok", (result.error, result.quarantine)
    assert values_of(result) == {
        ("dombinnov", 2017, None, "membres"): 25.0,
        ("dombinnov", 2017, 2, "entrees_parcours"): 6.0,
    }


def test_many_conflicting_rows_are_all_quarantined_with_short_reasons(tmp_path: Path) -> None:
    lines = ["pole;periode;indicateur;valeur"] + [f"PHARES;2016;membres;{i}" for i in range(2000)]
    path = tmp_path / "conflits.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = parse(path)
    assert result.records == [] and result.rows_quarantined == 2000
    assert_conserved(result)
    first = next(q for q in result.quarantine if q.row_number == 2)
    assert "en conflit avec la ligne 3, 4, 5, 6, 7 et 1994 autre(s)" in first.reason
    assert first.value == "0" and first.pole_id == "phares"


def test_separator_is_judged_on_records_not_lines() -> None:
    """Quoted answers with commas and line breaks must not make a `;` file look comma-separated."""
    from pipelines.shared.readers import sniff_delimiter

    # Each answer runs over several lines holding two commas each: judged line by line, `,` looks
    # like the steadiest separator; judged on records, `;` is.
    answer = '"Chômage, précarité, mobilité\nlogement, santé, garde\nformation, emploi, énergie\n'
    text = "Nom de l'initiative;Problématiques;Charte\n" + "".join(
        f'{pole};{answer}rénovation, insertion, culture";{yes}\n'
        for pole, yes in [("PHARES", "Oui"), ("AlpEn", "Non"), ("ESCI", "Oui")]
    )
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter("a,b,c\n1,2,3\n") == ","
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"


# --- issue #8: hidden cells (item 5), spreadsheet floats (item 9) ---------------------------------


def test_hidden_rows_and_columns_are_left_out_and_named(tmp_path: Path) -> None:
    """What the sender cannot see is not published, and the file's log says which cells were skipped."""
    path = tmp_path / "sud.xlsx"
    _wide_workbook(path, [[2015, 120, 80, 3], [2015, 999, 999, 999], [2016, 130, 85, 4], [], [2017, 1, 1, 1]])
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.title = "Indicateurs"
    for row in (6, 8, 9):  # 8 is empty: nothing to report
        ws.row_dimensions[row].hidden = True
    ws.column_dimensions["D"].hidden = True  # ETP mutualisés
    wb.save(path)
    result = parse(path)
    assert values_of(result) == {
        ("sud_aquitain", 2015, None, "salaries"): 120.0,
        ("sud_aquitain", 2015, None, "etp"): 80.0,
        ("sud_aquitain", 2016, None, "salaries"): 130.0,
        ("sud_aquitain", 2016, None, "etp"): 85.0,
    }
    assert result.status == "partial" and result.rows_read == 2
    assert "ligne(s) 6, 9 et colonne(s) D (feuille « Indicateurs »)" in result.message()
    assert_conserved(result)


def test_rows_and_columns_of_zero_size_are_hidden_too(tmp_path: Path) -> None:
    """A row of zero height or a column of zero width is as invisible as a hidden one (tools and
    hand-edited files write the size, not the flag); a sheet whose rows are hidden by default shows only
    the rows given a height of their own."""
    import zipfile

    path = tmp_path / "sud.xlsx"
    _wide_workbook(path, [[2015, 120, 80, 3], [2015, 999, 999, 999], [2016, 130, 85, 4]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    sheet = sheet.replace(b'<row r="6"', b'<row r="6" ht="0" customHeight="1"')
    sheet = sheet.replace(
        b"<sheetData>", b'<cols><col min="4" max="4" width="0" customWidth="1"/></cols><sheetData>'
    )
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = parse(path)
    assert values_of(result) == {
        ("sud_aquitain", 2015, None, "salaries"): 120.0,
        ("sud_aquitain", 2015, None, "etp"): 80.0,
        ("sud_aquitain", 2016, None, "salaries"): 130.0,
        ("sud_aquitain", 2016, None, "etp"): 85.0,
    }
    assert "ligne(s) 6 et colonne(s) D (feuille « Sheet »)" in result.message()
    assert_conserved(result)


def test_a_table_whose_columns_are_hidden_says_so(tmp_path: Path) -> None:
    path = tmp_path / "phares.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
    ws.append(["PHARES", 2016, "membres", 12])
    ws.column_dimensions["D"].hidden = True
    wb.save(path)
    result = parse(path)
    assert result.status == "error"
    assert "il manque la colonne « valeur »" in result.error
    assert "Lignes ou colonnes masquées ignorées : colonne(s) D" in result.error


def test_hidden_sheet_without_a_table_is_mentioned(tmp_path: Path) -> None:
    path = tmp_path / "phares.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
    ws.append(["PHARES", 2016, "membres", 12])
    lists = wb.create_sheet("Listes")
    lists.append(["PHARES"])
    lists.sheet_state = "veryHidden"
    wb.save(path)
    result = parse(path)
    assert result.status == "ok"
    assert "Feuille(s) masquée(s) sans tableau d'indicateurs, non lue(s) : « Listes »" in result.message()


def test_whole_numbers_saved_with_float_noise_load_rounded(tmp_path: Path) -> None:
    """Excel stores =0,1*300 as 30.000000000000004 and shows 30: it is 30, a whole number."""
    path = tmp_path / "phares.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
    ws.append(["PHARES", 2016, "salaries", 111_001])
    ws.append(["PHARES", 2016, "sorties", 111_002])
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(excel_floats(buffer.getvalue()))
    result = parse(path)
    assert result.status == "ok", result.quarantine
    assert values_of(result) == {
        ("phares", 2016, None, "salaries"): 30.0,
        ("phares", 2016, None, "sorties"): 3.0,
    }


def test_float_noise_written_by_a_tool_in_a_csv_loads_rounded(tmp_path: Path) -> None:
    path = tmp_path / "phares.csv"
    path.write_text(
        "pole,periode,indicateur,valeur\nPHARES,2016,salaries,30.000000000000004\n", encoding="utf-8"
    )
    assert values_of(parse(path)) == {("phares", 2016, None, "salaries"): 30.0}

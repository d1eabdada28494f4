"""Reading pathway files (issue #11 item 1): columns, pseudonyms, age bands, row rules, worst files.

Every test writes its own small raw files (CP1252 `;` CSV, XLSX with title rows and a hidden row)
with distinctive personal strings, and checks they never come out of the parser.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from pipelines.pathways.fields import AGE_BANDS
from pipelines.pathways.parser import PathwayFileParser
from pipelines.pathways.pseudonym import DEMO_KEY, PseudonymKey, normalise_identifier, resolve_key
from pipelines.shared.results import FileResult
from ptce.paths import DataLayout

KEY = PseudonymKey(b"cle-de-test-tres-secrete")
TODAY = date(2018, 6, 30)
SECRETS = ("X7Q-4411", "x7q4411", "DUPONTEL", "Marcelline", "14/07/1983", "1983-07-14", "0612345678")
HEADER = (
    "Identifiant;Nom;Prénom;Pôle;Structure;Date d'entrée;Date de sortie;Motif de sortie;Sexe;"
    "Date de naissance;DELD;RSA;QPV;RQTH;Heures de formation;Certification obtenue;Téléphone"
)


def expected_key(key: bytes, pole: str, identifier: str) -> str:
    """The pseudonym written out from its definition (HMAC-SHA256, pole US id), independently."""
    return hmac.new(key, f"{pole}\x1f{identifier}".encode(), hashlib.sha256).hexdigest()[:32]


def write_csv(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def parse(path: Path, key: PseudonymKey = KEY) -> FileResult:
    return PathwayFileParser(key, today=TODAY).parse(path, f"raw/parcours/{path.name}")


def leaked(result: FileResult) -> list[str]:
    """Personal strings found anywhere in what the parser gives out."""
    text = repr(result.records) + repr(result.quarantine) + result.message()
    return [s for s in SECRETS if s.lower() in text.lower()]


def test_csv_cp1252_row_by_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "phares_2016.csv",
        [
            HEADER,
            "X7Q-4411;DUPONTEL;Marcelline;PHARES;Régie Éole;03/02/2016;30/06/2016;CDI;F;14/07/1983;oui;non;x;0;"
            "35,5;oui;0612345678",
            "X7Q-4411;DUPONTEL;Marcelline;3;Atelier Bâtir;15/07/16;;;Femme;14/07/1983;O;N;;1;;non;",
        ],
    )
    result = parse(path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert result.status == "ok"
    first, second = result.records
    want = expected_key(KEY.key, "phares", "x7q-4411")
    assert first["person_key"] == second["person_key"] == want
    assert (first["structure"], first["date_entree"], first["date_sortie"]) == (
        "Régie Éole",
        date(2016, 2, 3),
        date(2016, 6, 30),
    )
    assert second["date_entree"] == date(2016, 7, 15) and second["date_sortie"] is None
    assert first["categorie_sortie"] is not None and second["categorie_sortie"] is None
    assert (first["sexe"], second["sexe"]) == ("F", "F")
    assert first["tranche_age"] == "26–44 ans"  # 32 years old on 03/02/2016
    assert (first["deld"], first["rsa"], first["qpv"], first["rqth"]) == (True, False, True, False)
    assert (second["deld"], second["rsa"], second["qpv"], second["rqth"]) == (True, False, None, True)
    assert (first["heures_formation"], first["certification"]) == (35.5, True)
    assert (second["heures_formation"], second["certification"]) == (None, False)
    assert "date_naissance" not in first and "nom" not in first
    # Columns out of the schema are named by header only, their contents never read.
    assert "Colonnes non lues" in result.message()
    for header in ("« Nom »", "« Prénom »", "« Téléphone »"):
        assert header in result.message()
    assert leaked(result) == []


def test_same_person_two_files_one_key_other_key_other_pseudonym(tmp_path: Path) -> None:
    a = write_csv(
        tmp_path / "a.csv",
        ["Pôle;N° personne;Structure membre;Date d'entrée", "PHARES;X7Q-4411;Régie;03/02/2016"],
    )
    b = write_csv(tmp_path / "b.csv", ["Pôle;ID;SIAE;Date d'entrée", "phares;  x7q-4411 ;Atelier;2016-07-15"])
    c = write_csv(tmp_path / "c.csv", ["Pôle;ID;SIAE;Date d'entrée", "Bou'Sol;X7Q-4411;Atelier;2016-07-15"])
    ka, kb, kc = (parse(p).records[0]["person_key"] for p in (a, b, c))
    assert ka == kb  # same pole, same person written differently
    assert kc != ka  # another pole: identifiers are local
    other = parse(a, PseudonymKey(b"une-autre-cle")).records[0]["person_key"]
    assert other != ka and len(other) == 32
    assert normalise_identifier(" X7Q -\u00a04411 ") == "x7q-4411"
    assert normalise_identifier("ＸＹ１２") == "xy12"  # NFKC: full-width characters


def test_xlsx_title_rows_hidden_row_and_date_cells(tmp_path: Path) -> None:
    path = tmp_path / "parcours_tableau.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Suivi"
    ws["A1"] = "Tableau de suivi des parcours 2016"
    ws["A2"] = "Pôle : PHARES"
    headers = [
        "N° personne",
        "Nom",
        "Structure",
        "Date d'entrée",
        "Date de sortie",
        "Motif de sortie",
        "Tranche d'âge",
    ]
    ws.append([])
    ws.append(headers)  # row 4
    ws.append(
        ["X7Q-4411", "DUPONTEL", "Régie", datetime(2016, 2, 3), datetime(2016, 6, 30), "CDI", "-26 ans"]
    )
    ws.append(["B-2", "Autre", "Régie", "03/02/2016", None, None, "55+"])
    ws.append(["C-3", "Caché", "Régie", "03/02/2016", None, None, "26-44"])  # row 7, hidden
    ws.row_dimensions[7].hidden = True
    ws.append(["D-4", "Quatre", "Régie", "03/02/2016", None, None, "45 à 54 ans"])
    wb.save(path)
    result = parse(path)
    assert (result.rows_read, result.rows_loaded) == (3, 3)
    assert [r["tranche_age"] for r in result.records] == [AGE_BANDS[0], AGE_BANDS[3], AGE_BANDS[2]]
    assert {r["pole_id"] for r in result.records} == {"phares"}
    assert result.records[0]["date_entree"] == result.records[1]["date_entree"] == date(2016, 2, 3)
    assert result.status == "partial" and "ligne(s) 7" in result.message()
    assert "« Nom »" in result.message()
    assert leaked(result) == []


@pytest.mark.parametrize(
    ("birth", "band"),
    [
        ("14/07/1983", "26–44 ans"),
        ("04/02/1990", "moins de 26 ans"),
        ("03/02/1990", "26–44 ans"),
        ("03/02/1971", "45–54 ans"),
        ("02/02/1961", "55 ans et plus"),
    ],
)
def test_age_band_at_the_date_of_entry(tmp_path: Path, birth: str, band: str) -> None:
    path = write_csv(
        tmp_path / "phares.csv",
        ["Identifiant;Pôle;Structure;Date d'entrée;Date de naissance", f"A1;PHARES;Régie;03/02/2016;{birth}"],
    )
    assert parse(path).records[0]["tranche_age"] == band


ROWS = {
    3: ("", "PHARES", "Régie", "03/02/2016", "", "", "identifiant"),
    4: ("P4", "PHAR", "Régie", "03/02/2016", "", "", "pôle"),
    5: ("P5", "PHARES", "", "03/02/2016", "", "", "structure"),
    6: ("P6", "PHARES", "Régie", "", "", "", "date d'entrée"),
    7: ("P7", "PHARES", "Régie", "31/02/2016", "", "", "date d'entrée"),
    8: ("P8", "PHARES", "Régie", "03/02/2016", "01/01/2016", "CDI", "date de sortie"),
    9: ("P9", "PHARES", "Régie", "03/02/2030", "", "", "date d'entrée"),
    10: ("P10", "PHARES", "Régie", "03/02/1998", "", "", "date d'entrée"),
    11: ("P11", "PHARES", "Régie", "03/02/2016", "", "CDI", "motif de sortie"),
    12: ("P12", "PHARES", "Régie", "03/02/2016", "30/06/2016", "", "motif de sortie"),
    13: ("P13", "PHARES", "Régie", "03/02/2016", "30/06/2016", "parti faire du zzz", "motif de sortie"),
}


def test_row_rules_quarantine_with_french_reasons(tmp_path: Path) -> None:
    lines = [
        "Identifiant;Pôle;Structure;Date d'entrée;Date de sortie;Motif de sortie;DELD;Heures de formation"
    ]
    lines.append("OK1;PHARES;Régie;03/02/2016;;;oui;12")  # line 2: loaded
    for number in sorted(ROWS):
        ident, pole, structure, entry, exit_, reason, _ = ROWS[number]
        lines.append(f"{ident};{pole};{structure};{entry};{exit_};{reason};;")
    lines.append("P14;PHARES;Régie;03/02/2016;;;peut-être;")  # line 14: flag
    lines.append("P15;PHARES;Régie;03/02/2016;;;;douze")  # line 15: hours
    lines.append("P16;PHARES;Régie;03/02/2016;;;;-3")  # line 16: hours
    path = write_csv(tmp_path / "regles.csv", lines)
    result = parse(path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (15, 1, 14)
    fields = {q.row_number: q.field for q in result.quarantine}
    assert {n: fields[n] for n in ROWS} == {n: ROWS[n][6] for n in ROWS}
    assert (fields[14], fields[15], fields[16]) == ("DELD", "heures de formation", "heures de formation")
    for q in result.quarantine:
        assert q.reason.startswith(f"raw/parcours/regles.csv, ligne {q.row_number}, champ {q.field}")
    # Rows whose identifier was read name the person by pseudonym, never by identifier.
    q8 = next(q for q in result.quarantine if q.row_number == 8)
    assert expected_key(KEY.key, "phares", "p8") in q8.reason and "P8" not in q8.reason
    q3 = next(q for q in result.quarantine if q.row_number == 3)
    assert q3.value is None and "non renseigné" in q3.reason
    reasons = {q.row_number: q.reason for q in result.quarantine}
    assert "antérieure à la date d'entrée" in reasons[8]
    assert "dans le futur" in reasons[9]
    assert "antérieure à 2000" in reasons[10]
    assert "sans date de sortie" in reasons[11]
    assert "sans motif" in reasons[12]
    assert "PHAR" in reasons[4] and "inconnu" in reasons[4]


def test_unknown_reason_is_quarantined_never_counted(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "motif.csv",
        [
            "Identifiant;Pôle;Structure;Date d'entrée;Date de sortie;Motif",
            "A;PHARES;Régie;03/02/2016;30/06/2016;zzz",
        ],
    )
    result = parse(path)
    assert result.records == [] and result.rows_quarantined == 1
    assert result.quarantine[0].field == "motif de sortie" and result.quarantine[0].value == "zzz"


def test_bad_birth_date_is_masked(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "naissance.csv",
        [
            "Identifiant;Pôle;Structure;Date d'entrée;Date de naissance",
            "X7Q-4411;PHARES;Régie;03/02/2016;14/07/2013",  # 2 years old at entry
            "X7Q-4412;PHARES;Régie;03/02/2016;31/02/1983",
        ],
    )
    result = parse(path)
    assert result.rows_quarantined == 2
    assert all(q.value == "[masquée]" and q.field == "date de naissance" for q in result.quarantine)
    assert not any("2013" in q.reason or "1983" in q.reason or "X7Q" in q.reason for q in result.quarantine)


def test_pole_from_file_name_and_duplicate_stay(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "parcours_bousol_2016.csv",
        ["Identifiant;Structure;Date d'entrée", "A;Régie;03/02/2016", "a ;régie;2016-02-03"],
    )
    result = parse(path)
    assert result.records[0]["pole_id"] == "bousol"
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert "ligne 2" in result.quarantine[0].reason


def test_worst_files_are_refused_or_quarantined_in_french(tmp_path: Path) -> None:
    # A formula in the identifier cell and in the entry date, a huge cell in the structure.
    path = tmp_path / "parcours_phares_formules.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Identifiant", "Pôle", "Structure", "Date d'entrée"])
    ws.append(['=CONCAT("DUPONTEL";"X7Q")', "PHARES", "Régie", "03/02/2016"])
    ws.append(["B", "PHARES", "Régie", "=TODAY()"])
    ws.append(["C", "PHARES", "R" * 40_000, "03/02/2016"])
    ws.append(["D", "PHARES", "Régie", "03/02/2016"])
    wb.save(path)
    result = parse(path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 1, 3)
    assert [q.field for q in result.quarantine] == ["identifiant", "date d'entrée", "structure"]
    assert result.quarantine[0].value is None  # a formula may hold a name: never quoted
    assert "formule" in result.quarantine[1].reason
    assert len(result.quarantine[2].value) < 400
    assert leaked(result) == []
    # Binary content, no table, a table without its pole: one French error each, nothing loaded.
    binary = tmp_path / "binaire.csv"
    binary.write_bytes(bytes(range(256)) * 20)
    no_table = write_csv(tmp_path / "notes.csv", ["Bonjour;ceci n'est pas un tableau"])
    no_pole = write_csv(
        tmp_path / "sans_pole.csv", ["Identifiant;Structure;Date d'entrée", "A;Régie;03/02/2016"]
    )
    for bad, words in ((binary, "binaire"), (no_table, "aucun tableau"), (no_pole, "pôle introuvable")):
        refused = parse(bad)
        assert refused.status == "error" and words in refused.message() and refused.rows_read == 0


def test_no_key_outside_demo_data_refuses_the_file(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    (tmp_path / "raw").mkdir()
    assert resolve_key(layout, {}) == PseudonymKey(None)
    assert resolve_key(layout, {"PTCE_PSEUDO_KEY": "abc"}) == PseudonymKey(b"abc")
    path = write_csv(
        tmp_path / "raw" / "a.csv", ["Identifiant;Pôle;Structure;Date d'entrée", "A;1;R;03/02/2016"]
    )
    result = parse(path, resolve_key(layout, {}))
    assert result.status == "error" and result.records == []
    assert "PTCE_PSEUDO_KEY" in result.message() and "non chargé" in result.message()
    layout.demo_marker.write_text("démo", encoding="utf-8")
    demo = resolve_key(layout, {})
    assert demo == PseudonymKey(DEMO_KEY, demo=True)
    result = parse(path, demo)
    assert result.status == "ok" and "clé de démonstration" in result.message()

"""Hostile pathway files (red team): the worst a pole could drop into `raw/parcours/`.

Each test writes one bad file and checks that it is refused or quarantined with a French reason
naming the file, the row and the field, that the counts add up, and that nothing identifying (raw
identifier, name, birth date) comes out of the parser: records, quarantine field/value/reason, log.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipelines.pathways.parser import PathwayFileParser
from pipelines.pathways.pseudonym import PseudonymKey
from pipelines.pathways.tables import build_pathways
from pipelines.shared.results import FileResult

KEY = PseudonymKey(b"cle-de-test-red-team")
TODAY = date(2018, 6, 30)
# Strings that must never leave the parser: identifiers, names, birth dates, NIR, address.
SECRETS = (
    "ZK-90817",
    "zk90817",
    "DUPONTEL",
    "Marcelline",
    "14/07/1983",
    "1983-07-14",
    "2830775123456",
    "rue des Lilas",
)
# Columns of a stay the overlap test leaves empty.
PATHWAY_INPUTS = (
    "tranche_age",
    "deld",
    "rsa",
    "qpv",
    "rqth",
    "certification",
    "heures_formation",
    "source_file",
)
HEAD = "Identifiant;Pôle;Structure;Date d'entrée;Date de sortie;Motif de sortie"


def write(path: Path, lines: list[str], encoding: str = "cp1252") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def parse(path: Path) -> FileResult:
    return PathwayFileParser(KEY, today=TODAY).parse(path, f"raw/parcours/{path.name}")


def out_text(result: FileResult) -> str:
    """Everything the parser gives out that could be stored or shown."""
    parts = [repr(result.records), result.message()]
    for q in result.quarantine:
        parts += [str(q.field), str(q.value), q.reason]
    return "\n".join(parts)


def assert_clean(result: FileResult) -> None:
    text = out_text(result).lower()
    assert [s for s in SECRETS if s.lower() in text] == []
    if result.error is None:
        assert result.rows_read == result.rows_loaded + result.rows_quarantined


def reasons(result: FileResult) -> list[str]:
    return [q.reason for q in result.quarantine]


def test_identifier_holding_a_birth_date_is_refused_unquoted(tmp_path: Path) -> None:
    result = parse(write(tmp_path / "phares.csv", [HEAD, "14/07/1983;PHARES;Régie Éole;03/02/2016;;"]))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (1, 0, 1)
    (q,) = result.quarantine
    assert q.field == "identifiant" and q.value == "[masquée]"
    assert q.reason.startswith("raw/parcours/phares.csv, ligne 2, champ identifiant : une date")
    assert_clean(result)


def test_date_shaped_code_stays_an_identifier(tmp_path: Path) -> None:
    # « 75-12-0345 » has the shape of a date but is none (day 75): a pole's own code, kept.
    result = parse(write(tmp_path / "phares.csv", [HEAD, "75-12-0345;PHARES;Régie Éole;03/02/2016;;"]))
    assert result.rows_loaded == 1


def test_identifier_holding_a_name_is_pseudonymised_never_kept(tmp_path: Path) -> None:
    # Documented: a name is not told from a code; it is hashed like any identifier, never stored.
    result = parse(
        write(tmp_path / "phares.csv", [HEAD, "Marcelline DUPONTEL;PHARES;Régie Éole;03/02/2016;;"])
    )
    assert result.rows_loaded == 1 and len(result.records[0]["person_key"]) == 32
    assert_clean(result)


def test_birth_date_in_the_age_band_column_is_masked(tmp_path: Path) -> None:
    path = write(
        tmp_path / "phares.csv",
        [HEAD + ";Tranche d'âge", "ZK-90817;PHARES;Régie Éole;03/02/2016;;;14/07/1983"],
    )
    result = parse(path)
    (q,) = result.quarantine
    assert (q.field, q.value) == ("tranche d'âge", "[masquée]")
    assert "ligne 2, champ tranche d'âge : une date a été saisie" in q.reason
    assert_clean(result)


def test_birth_date_text_or_age_is_masked(tmp_path: Path) -> None:
    lines = [
        HEAD + ";Date de naissance",
        "ZK-90817;PHARES;Régie Éole;03/02/2016;;;inconnue",
        "ZK-90818;PHARES;Régie Éole;03/02/2016;;;34",
    ]
    result = parse(write(tmp_path / "phares.csv", lines))
    assert [(q.row_number, q.field, q.value) for q in result.quarantine] == [
        (2, "date de naissance", "[masquée]"),
        (3, "date de naissance", "[masquée]"),
    ]
    assert_clean(result)


def test_excel_serials_in_a_csv_are_dates(tmp_path: Path) -> None:
    # 42403 is 03/02/2016 and 42550 is 29/06/2016 in Excel's 1900 date system.
    result = parse(write(tmp_path / "phares.csv", [HEAD, "ZK-90817;PHARES;Régie Éole;42403;42550;CDI"]))
    assert result.rows_loaded == 1
    assert (result.records[0]["date_entree"], result.records[0]["date_sortie"]) == (
        date(2016, 2, 3),
        date(2016, 6, 29),
    )


@pytest.mark.parametrize(
    ("cells", "field", "start"),
    [
        ("12/31/2016;;", "date d'entrée", "date « 12/31/2016 » impossible"),
        ("31/02/2016;;", "date d'entrée", "date « 31/02/2016 » impossible"),
        ("03/02/2016;01/01/2016;CDI", "date de sortie", "date de sortie antérieure à la date d'entrée"),
    ],
)
def test_bad_dates_are_quarantined(tmp_path: Path, cells: str, field: str, start: str) -> None:
    result = parse(write(tmp_path / "phares.csv", [HEAD, f"ZK-90817;PHARES;Régie Éole;{cells}"]))
    (q,) = result.quarantine
    assert q.field == field
    assert q.reason.startswith(f"raw/parcours/phares.csv, ligne 2, champ {field} : {start}")
    assert_clean(result)


def test_duplicate_rows_keep_one(tmp_path: Path) -> None:
    row = "ZK-90817;PHARES;Régie Éole;03/02/2016;;"
    result = parse(write(tmp_path / "phares.csv", [HEAD, row, row]))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 1, 1)
    assert "qu'à la ligne 2 du même fichier" in result.quarantine[0].reason


def test_formulas_are_never_quoted_nor_stored(tmp_path: Path) -> None:
    lines = [
        HEAD,
        '=HYPERLINK("http://x/DUPONTEL");PHARES;Régie Éole;03/02/2016;;',
        'ZK-90818;PHARES;@SUM(A1);03/02/2016;05/03/2016;=HYPERLINK("DUPONTEL")',
        "ZK-90819;PHARES;+cmd|' /C calc'!A0;03/02/2016;;",
        "ZK-90820;PHARES;=DUPONTEL;03/02/2016;;",
    ]
    result = parse(write(tmp_path / "phares.csv", lines))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 0, 4)
    assert {(q.row_number, q.field) for q in result.quarantine} == {
        (2, "identifiant"),
        (3, "structure"),
        (3, "motif de sortie"),
        (4, "structure"),
        (5, "structure"),
    }
    assert all(q.value in (None, "[masquée]") for q in result.quarantine)
    assert_clean(result)


def test_name_columns_and_unknown_pole_never_quote_the_person(tmp_path: Path) -> None:
    lines = [
        "Identifiant;Nom;Prénom;NIR;Adresse;Pôle;Structure;Date d'entrée;Date de sortie;Motif de sortie",
        "ZK-90817;DUPONTEL;Marcelline;2830775123456;3 rue des Lilas;PHARES;;03/02/2016;;",
        "ZK-90817;DUPONTEL;Marcelline;2830775123456;3 rue des Lilas;Pôle Tarnai;Régie Éole;03/02/2016;;",
    ]
    result = parse(write(tmp_path / "phares.csv", lines))
    assert [(q.row_number, q.field, q.value) for q in result.quarantine] == [
        (2, "structure", None),
        (3, "pôle", "Pôle Tarnai"),
    ]
    assert "« Nom », « Prénom », « NIR », « Adresse »" in result.message()
    assert_clean(result)


def test_motif_naming_the_person(tmp_path: Path) -> None:
    # Recognised: only the category is kept. Not recognised: quoted with the name masked.
    lines = [
        HEAD,
        "ZK-90817;PHARES;Régie Éole;03/02/2016;05/03/2016;sortie de M. DUPONTEL en CDI",
        "ZK-90818;PHARES;Régie Éole;03/02/2016;05/03/2016;Mme Marcelline DUPONTEL partie",
        "ZK-90819;PHARES;Régie Éole;03/02/2016;;M. DUPONTEL",
    ]
    result = parse(write(tmp_path / "phares.csv", lines))
    assert result.rows_loaded == 1 and result.records[0]["categorie_sortie"] == "emploi_durable"
    assert [(q.row_number, q.value) for q in result.quarantine] == [
        (3, "Mme [nom masqué] partie"),
        (4, "M. [nom masqué]"),
    ]
    assert_clean(result)


def test_totals_row_empty_file_headers_only_split_header(tmp_path: Path) -> None:
    totals = parse(
        write(tmp_path / "phares.csv", [HEAD, "ZK-90817;PHARES;Régie Éole;03/02/2016;;", "Total;154;;;;"])
    )
    assert (totals.rows_read, totals.rows_loaded, totals.rows_quarantined) == (2, 1, 1)
    assert totals.quarantine[0].reason.startswith("raw/parcours/phares.csv, ligne 3, champ pôle")
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    assert parse(empty).error.startswith("raw/parcours/vide.csv : fichier vide")
    only = parse(write(tmp_path / "entetes.csv", [HEAD]))
    assert only.status == "partial" and "aucune ligne de parcours sous les en-têtes" in only.message()
    split = [
        "Identifiant;Pôle;Structure;Date;Date;Motif",
        ";;;d'entrée;de sortie;de sortie",
        "ZK-90817;PHARES;X;03/02/2016;;",
    ]
    assert "aucun tableau de parcours reconnu" in parse(write(tmp_path / "deux.csv", split)).error


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "cp1252", "utf-8-sig"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    result = parse(
        write(tmp_path / "phares.csv", [HEAD, "ZK-90817;PHARES;Régie Éole;03/02/2016;;"], encoding)
    )
    assert result.rows_loaded == 1 and result.records[0]["structure"] == "Régie Éole"


def test_mac_roman_and_binary_are_refused_in_french(tmp_path: Path) -> None:
    # Mac Roman accents are not guessed: the headers are not recognised and the file is refused.
    mac = parse(write(tmp_path / "mac.csv", [HEAD, "ZK-90817;PHARES;Régie Éole;03/02/2016;;"], "mac_roman"))
    assert mac.error is not None and mac.error.startswith("raw/parcours/mac.csv : ")
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    assert parse(binary).error.startswith("raw/parcours/image.csv : fichier binaire")


def test_one_megabyte_cell_refuses_the_file(tmp_path: Path) -> None:
    result = parse(
        write(tmp_path / "phares.csv", [HEAD, "ZK-90817;PHARES;" + "DUPONTEL " * 120_000 + ";03/02/2016;;"])
    )
    assert result.error.startswith("raw/parcours/phares.csv : une cellule de plus de")
    assert_clean(result)


def test_xlsx_hidden_rows_sheet_merged_pole_filter_long_cell(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Parcours"
    ws.append(
        ["Identifiant", "Nom", "Pôle", "Structure", "Date d'entrée", "Date de sortie", "Motif de sortie"]
    )
    ws.append(["ZK-90817", "DUPONTEL", "PHARES", "Régie Éole", date(2016, 2, 3), None, None])
    ws.append(["ZK-90818", "DUPONTEL", None, "Régie Éole", date(2016, 2, 3), None, None])
    ws.merge_cells("C2:C3")
    ws.append(["ZK-90819", "Marcelline", "PHARES", "Régie Éole", date(2016, 2, 3), None, None])
    ws.row_dimensions[4].hidden = True
    ws.auto_filter.ref = "A1:G4"
    ws.append(["ZK-90820", "DUPONTEL", "PHARES", "DUPONTEL " * 3500, date(2016, 2, 3), None, None])
    ws.append(
        [
            "ZK-90821",
            "DUPONTEL",
            "PHARES",
            "Régie Éole",
            date(2016, 2, 3),
            date(2016, 5, 3),
            '=HYPERLINK("x";"DUPONTEL")',
        ]
    )
    hidden = wb.create_sheet("Cachée")
    hidden.sheet_state = "hidden"
    hidden.append(["Identifiant", "Pôle", "Structure", "Date d'entrée"])
    hidden.append(["ZK-90822", "PHARES", "Régie Éole", date(2016, 2, 3)])
    path = tmp_path / "envoi.xlsx"  # no pole in the name: the merged cell is the only source
    wb.save(path)
    result = parse(path)
    # Row 3 takes the pole « PHARES » merged over rows 2 and 3.
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    assert [r["pole_id"] for r in result.records] == ["phares", "phares"]
    assert [(q.row_number, q.field, q.value) for q in result.quarantine] == [
        (5, "structure", "[masquée]"),
        (6, "motif de sortie", "[masquée]"),
    ]
    message = result.message()
    assert "ligne(s) 4 (feuille « Parcours »)" in message and "« Cachée »" in message
    assert_clean(result)


@pytest.mark.benchmark
def test_200000_rows_timing(tmp_path: Path) -> None:
    """On demand (`pytest -m benchmark`): a 200 000-row file read whole, its time printed."""
    lines = [HEAD + ";Sexe;Date de naissance;DELD;RSA;QPV;RQTH;Heures de formation;Certification obtenue"]
    lines += [
        f"P{i:07d};PHARES;Structure {i % 7};{1 + i % 28:02d}/{1 + i % 12:02d}/2016;"
        f"{1 + i % 28:02d}/{1 + i % 12:02d}/2017;CDI;F;14/07/1983;oui;non;x;0;35;oui"
        for i in range(200_000)
    ]
    path = write(tmp_path / "phares.csv", lines)
    start = time.perf_counter()
    result = parse(path)
    seconds = time.perf_counter() - start
    assert (result.rows_read, result.rows_loaded) == (200_000, 200_000)
    print(f"200 000 lignes de parcours lues en {seconds:.1f} s")


def test_same_person_twice_overlapping_in_one_structure_is_one_pathway() -> None:
    # In the Régie from 04/01 to 30/06/2016 (CDI) and, overlapping, from 01/03 to 30/09/2016
    # (job seeker): one pathway of two steps ending on 30/09; the CDI is not an exit of the network.
    person = "a" * 32
    common = {"person_key": person, "pole_id": "phares", "structure": "Régie", "sexe": "F"}
    stays = pd.DataFrame(
        [
            {**common, "date_entree": date(2016, 1, 4), "date_sortie": date(2016, 6, 30)}
            | {"categorie_sortie": "emploi_durable", "motif_regle": "CDI", "row_number": 2},
            {**common, "date_entree": date(2016, 3, 1), "date_sortie": date(2016, 9, 30)}
            | {"categorie_sortie": "autre_sortie", "motif_regle": "Demandeur d'emploi", "row_number": 3},
        ]
    )
    for column in PATHWAY_INPUTS:
        stays[column] = stays.get(column)
    pathways = build_pathways(stays, gap_days=31)
    assert list(pathways["parcours_id"]) == [f"{person}-1", f"{person}-1"]
    assert list(pathways["etape"]) == [1, 2]
    assert list(pathways["fin_parcours"]) == [False, True]
    assert list(pathways["mobilite_interne"]) == [False, False]
    assert pathways["categorie_sortie"].tolist()[1] == "autre_sortie"
    assert pd.isna(pathways["categorie_sortie"].tolist()[0])

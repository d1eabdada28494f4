"""Reading `raw/visites/` files: CSV and XLSX, French dates, practices, quarantine, hostile files.

Every expected value is written by hand from the file built in the test.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from pipelines.shared.dates import parse_date, parse_span
from pipelines.shared.results import FileResult
from pipelines.shared.values import ValueProblem
from pipelines.visits.parser import VisitFileParser, records_of

TODAY = date(2018, 1, 31)
HEAD = "Date;Type;Pôle d'accueil;Lieu;Thèmes;Pôles présents;Nombre de participants;Personnes ressources;Documents"


def write_csv(path: Path, lines: list[str], encoding: str = "cp1252") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def parse(path: Path) -> FileResult:
    return VisitFileParser(today=TODAY).parse(path, f"raw/visites/{path.name}")


def conserved(result: FileResult) -> bool:
    return result.rows_read == result.rows_loaded + result.rows_quarantined


def reasons(result: FileResult) -> dict[tuple[int | None, str], str]:
    return {(q.row_number, q.field): q.reason for q in result.quarantine}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 mars 2016", (date(2016, 3, 12), None)),
        ("1er juin 2016", (date(2016, 6, 1), None)),
        ("jeudi 3 mars 2016", (date(2016, 3, 3), None)),
        ("29-30 juin 2017", (date(2017, 6, 29), date(2017, 6, 30))),
        ("du 29 au 30 juin 2017", (date(2017, 6, 29), date(2017, 6, 30))),
        ("29/06/2017 - 30/06/2017", (date(2017, 6, 29), date(2017, 6, 30))),
        ("du 30 juin au 1er juillet 2017", (date(2017, 6, 30), date(2017, 7, 1))),
        ("03/02/2016", (date(2016, 2, 3), None)),
        ("2016-02-03", (date(2016, 2, 3), None)),
        ("42403", (date(2016, 2, 3), None)),  # Excel serial read from a CSV
        (42403, (date(2016, 2, 3), None)),
        (datetime(2016, 2, 3, 0, 0), (date(2016, 2, 3), None)),
    ],
)
def test_event_dates_in_every_form(text: object, expected: tuple[date, date | None]) -> None:
    assert parse_span(text) == expected


@pytest.mark.parametrize("text", ["31/02/2016", "2016-13-01", "31 février 2016"])
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueProblem, match="impossible"):
        parse_span(text)


def test_pathway_dates_still_refuse_two_dates_and_words() -> None:
    # The shared reader keeps the pathways' behaviour: one date in figures per cell.
    with pytest.raises(ValueProblem, match="illisible"):
        parse_date("29/06/2017 - 30/06/2017")
    with pytest.raises(ValueProblem, match="illisible"):
        parse_date("12 mars 2016")
    assert parse_date("03/02/16") == date(2016, 2, 3)


def test_csv_in_cp1252_with_french_dates(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "visites.csv",
        [
            HEAD,
            "jeudi 3 mars 2016;Visite apprenante;Domb'Innov;Villars-les-Dombes;GEIQ, création d'activités;"
            "PHARES, Bou'Sol et PTCE Bourian : Filière agro - forestière et éco-construction;24;"
            "Michel Adam, sociologue, Labo de l'ESS;Compte rendu (cr.pdf)",
            "29-30 juin 2017;Séminaires;;Lyon;qualité de l'emploi;tous les pôles;60 participants;;",
        ],
    )
    result = parse(path)
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == ("ok", 2, 2, 0)
    first, second = records_of(result, "event")
    assert first["date_visite"] == date(2016, 3, 3) and first["date_fin"] is None
    assert (first["type"], first["pole_id"], first["lieu"]) == (
        "visite apprenante",
        "dombinnov",
        "Villars-les-Dombes",
    )
    # A pole whose name holds « et » and « - » is one pole; the host is not repeated among those present.
    assert first["poles_presents"] == "phares|bousol|bourian"
    assert first["angles"] == "mutualisation|creation"
    assert first["themes"] == "GEIQ ; création d'activités"
    assert first["nb_participants"] == 24
    assert first["personnes_ressources"] == "Michel Adam, sociologue, Labo de l'ESS"
    assert json.loads(first["documents"]) == [["Compte rendu", "cr.pdf"]]
    assert (second["date_visite"], second["date_fin"]) == (date(2017, 6, 29), date(2017, 6, 30))
    assert second["type"] == "séminaire de capitalisation" and second["pole_id"] is None
    assert len(second["poles_presents"].split("|")) == 12 and second["nb_participants"] == 60


def test_xlsx_with_title_rows_date_cells_and_a_practices_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Événements"
    ws.append(["Visites de la communauté"])
    ws.append([])
    ws.append(["Date", "Date de fin", "Type", "Pôle hôte", "Lieu", "Titre", "Participants"])
    ws.append([datetime(2016, 10, 13), None, "visite", "4", "Castres", "La CAE REGATE", 22])
    ws.append([42698, datetime(2016, 11, 25), "séminaire", None, "Paris", "Séminaire 2016", "41"])
    practices = wb.create_sheet("Pratiques")
    practices.append(["Titre", "Pôle", "Angle", "Outil", "Description", "Visite"])
    practices.append(["CAE", "Tarnais", "Création d'activités", "cae", "Tester son activité.", "13/10/2016"])
    practices.append(["GEIQ du bâtiment", "ESCI", None, "geiq", None, None])
    path = tmp_path / "visites.xlsx"
    wb.save(path)
    result = parse(path)
    assert (result.status, result.rows_read, result.rows_loaded) == ("ok", 4, 4)
    visit, seminar = records_of(result, "event")
    assert (visit["date_visite"], visit["pole_id"], visit["nb_participants"]) == (
        date(2016, 10, 13),
        "tarnais",
        22,
    )
    assert (visit["row_number"], visit["sheet"]) == (4, "Événements")
    # 42698 is the Excel serial of 24/11/2016; the end comes from its own column.
    assert (seminar["date_visite"], seminar["date_fin"]) == (date(2016, 11, 24), date(2016, 11, 25))
    cae, geiq = records_of(result, "practice")
    assert (cae["pole_id"], cae["angle"], cae["outil"], cae["visite_mentionnee"]) == (
        "tarnais",
        "creation",
        "CAE",
        "13/10/2016",
    )
    # No angle written: the tool names one (GEIQ -> pooling).
    assert (geiq["pole_id"], geiq["angle"], geiq["outil"], geiq["visite_mentionnee"]) == (
        "esci",
        "mutualisation",
        "GEIQ",
        None,
    )


def test_bad_rows_are_quarantined_with_file_row_field_and_value(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "fautes.csv",
        [
            HEAD,
            "12/03/2016;Visite;Domb'Inov;;;;;;",  # 2: mistyped host
            "31/02/2016;Visite;PHARES;;;;;;",  # 3: impossible date
            ";Visite;PHARES;;;;;;",  # 4: no date
            "2016-13-01;Rencontre;;Paris;;;;;",  # 5: impossible month
            "12/04/2016;Pique-nique;;;;;;;",  # 6: unknown kind
            "12/05/2016;Visite apprenante;;;;;;;",  # 7: learning visit without host
            "12/06/2016;Séminaire;;Paris;;PHARES, Pôle Inconnu;-3;;",  # 8: unknown pole, negative count
            "12/07/2016;Visio;;;;;12,5;;",  # 9: count not whole
            "30-29 juin 2016;Séminaire;;Paris;;;;;",  # 10: end before start
            "14/09/2016;Visite;ESCI;Voiron;;;15;;",  # 11: fine
        ],
    )
    result = parse(path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (10, 1, 9)
    assert conserved(result) and result.status == "partial"
    got = reasons(result)
    src = "raw/visites/fautes.csv"
    assert got[(2, "pôle hôte")] == (
        f"{src}, ligne 2, champ pôle hôte : pôle hôte « Domb'Inov » inconnu (vouliez-vous dire "
        "« Domb'Innov » ?) : indiquer le numéro (1 à 12) ou le nom d'un pôle de la communauté"
    )
    assert got[(3, "date")] == (
        f"{src}, ligne 3, champ date : date « 31/02/2016 » impossible (jour ou mois hors calendrier) : "
        "corriger la date"
    )
    assert (
        got[(4, "date")]
        == f"{src}, ligne 4, champ date : date non renseignée : indiquer la date (jj/mm/aaaa)"
    )
    assert "« 2016-13-01 » impossible" in got[(5, "date")]
    assert "type d'événement « Pique-nique » non reconnu" in got[(6, "type")]
    assert "visite apprenante sans pôle hôte" in got[(7, "pôle hôte")]
    assert "pôle présent « Pôle Inconnu » inconnu" in got[(8, "pôles présents")]
    assert "« -3 » impossible" in got[(8, "participants")]
    assert "« 12,5 » impossible" in got[(9, "participants")]
    assert "la fin (29/06/2016) précède le début (30/06/2016)" in got[(10, "date")]
    values = {(q.row_number, q.field): q.value for q in result.quarantine}
    assert values[(2, "pôle hôte")] == "Domb'Inov" and values[(3, "date")] == "31/02/2016"
    assert [r["pole_id"] for r in records_of(result, "event")] == ["esci"]


def test_practice_rows_quarantined_for_unknown_pole_or_angle(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "pratiques.csv",
        [
            "Titre;Pôle;Angle;Outil;Description;Visite",
            "Temps partagé;AlpEn;Mutualisation;groupement d'employeurs;;",
            "Fonds local;Pôle Sud Aquitin;Emploi;;;",
            ";PHARES;Emploi;;;",
            "Cuisine;PHARES;Gastronomie;;;",
        ],
    )
    result = parse(path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 1, 3)
    got = reasons(result)
    assert "pôle « Pôle Sud Aquitin » inconnu (vouliez-vous dire « Pôle Sud Aquitain » ?)" in got[(3, "pôle")]
    assert "titre de la pratique non renseigné" in got[(4, "titre")]
    assert "angle « Gastronomie » : aucun angle de travail reconnu" in got[(5, "angle")]


def test_hidden_rows_formulas_and_huge_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Saisie"
    ws.append(["Date", "Type", "Pôle hôte", "Titre", "Participants"])
    ws.append(["13/10/2016", "Visite", "Tarnais", '=HYPERLINK("http://x";"CAE")', 22])  # 2
    ws.append(["01/12/2016", "Visite", "ESCI", "Ancienne ligne", 17])  # 3, hidden
    ws.append(["=AUJOURDHUI()", "Visite", "ESCI", "Date calculée", 10])  # 4
    ws.append(["02/12/2016", "Visite", "ESCI", "x" * 40_000, "=A1"])  # 5
    ws.row_dimensions[3].hidden = True
    path = tmp_path / "hostile.xlsx"
    wb.save(path)
    result = parse(path)
    # The hidden row is not read (and the log says so); the formula in a date or count is refused.
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 1, 2)
    assert result.status == "partial" and "ligne(s) 3" in result.message()
    (kept,) = records_of(result, "event")
    assert kept["titre"] == '=HYPERLINK("http://x";"CAE")'  # kept as its text, never evaluated
    got = reasons(result)
    assert "formule « =AUJOURDHUI() »" in got[(4, "date")]
    assert "formule « =A1 »" in got[(5, "participants")]
    # The huge title is cut in the quarantine's reason and value, with the marker.
    assert all(len(q.reason) < 1_000 for q in result.quarantine)


def test_huge_cell_in_csv_is_cut_and_kept(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "long.csv", [HEAD, "12/03/2016;Séminaire;;Paris;" + "thème " * 8_000 + ";;;;"]
    )
    result = parse(path)
    (event,) = records_of(result, "event")
    assert event["themes"].endswith("caractères]") and len(event["themes"]) < 2_100


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "vide"),
        (
            "Nom;Prénom;Adresse\nDupont;Jean;1 rue\n".encode(),
            "aucun tableau de visites ni de pratiques reconnu",
        ),
        (b"date;pole\n1;PHARES\n", "aucun tableau de visites ni de pratiques reconnu"),
    ],
)
def test_unreadable_files_are_refused_in_french(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "refus.csv"
    path.write_bytes(content)
    result = parse(path)
    assert result.status == "error" and expected in (result.error or "")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (0, 0, 0)


def test_headers_only_is_not_silently_ok(tmp_path: Path) -> None:
    result = parse(write_csv(tmp_path / "vide.csv", [HEAD]))
    assert result.status == "partial" and result.rows_read == 0
    assert "aucune ligne d'événement sous les en-têtes" in result.message()


def test_latin1_file_reads_accents(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "latin1.csv",
        [HEAD, "16 juin 2016;Visite apprenante;Pôle Laine;Saugues;qualité de l'emploi;Éco-matériaux;15;;"],
        encoding="latin-1",
    )
    result = parse(path)
    (event,) = records_of(result, "event")
    assert (event["pole_id"], event["poles_presents"], event["angles"]) == (
        "laine_saugues",
        "eco_materiaux",
        "qualite",
    )


def test_a_hidden_sheet_is_named_in_the_log_and_not_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Visites"
    ws.append(["Date", "Type", "Pôle hôte", "Titre", "Participants"])
    ws.append(["13/10/2016", "Visite", "Tarnais", "Visite du pôle tarnais", 22])
    old = wb.create_sheet("Brouillon")
    old.append(["Date", "Type", "Pôle hôte", "Titre", "Participants"])
    old.append(["01/12/2016", "Visite", "ESCI", "Brouillon", 17])
    old.sheet_state = "hidden"
    path = tmp_path / "visites.xlsx"
    wb.save(path)
    result = parse(path)
    assert (result.rows_read, result.rows_loaded) == (1, 1)
    assert [r["titre"] for r in records_of(result, "event")] == ["Visite du pôle tarnais"]
    assert (
        "Feuille(s) masquée(s) ignorée(s) : « Brouillon » (elles ne sont pas lues). Pour intégrer ces "
        "lignes, affichez la feuille dans Excel et renvoyez le fichier."
    ) in result.message()

"""Poles are data (issue #16): the reference files of `raw/poles/` over the twelve shipped poles.

Files are written here by hand, as staff would; every expected pole, name and reason is written out.
The whole pipeline with a thirteenth pole is in tests/test_poles_run.py (slow).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipelines.cli import main
from pipelines.shared.arrivals import record_arrivals
from pipelines.shared.completeness import build_completeness
from pipelines.shared.intake import detect_kinds
from pipelines.shared.inventory import scan_kind
from pipelines.shared.pole_reference import effective_poles, layer_files, poles_frame
from ptce.access import RoleFileError, load_role_file
from ptce.paths import DataLayout
from ptce.read.base import Viewer
from ptce.reference import PoleSet, QualityConfig, in_france, load_quality_config, shipped_poles

HEADER = (
    "identifiant;numero;nom;noms_usuels;structure_initiatrice;description;representants;departement;"
    "nom_departement;region;commune;latitude;longitude;territoire;secteur_principal;date_entree;date_sortie"
)
TREIZE = (
    "pole_treize;13;PTCE Treize (fictif);PTCE Treize | Treize;Association fictive;Un pôle inventé "
    "pour les tests.;Camille Exemple;63;Puy-de-Dôme;Auvergne-Rhône-Alpes;Thiers;45,8564;3,5475;rural;"
    "Industrie;01/01/2016;"
)


def write(data_dir: Path, name: str, text: str, encoding: str = "utf-8", mtime: int | None = None) -> Path:
    path = data_dir / "raw" / "poles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def apply(data_dir: Path, text: str, name: str = "poles.csv", encoding: str = "utf-8"):
    """The effective poles and the one file's result, after writing `text` as a poles file."""
    write(data_dir, name, text, encoding)
    layers = effective_poles(DataLayout(data_dir))
    (result,) = layers.results
    return layers.poles, result


def reasons(result) -> list[tuple[int | None, str, str]]:
    return [(q.row_number, q.field, q.reason) for q in result.quarantine]


# --- adding and amending ----------------------------------------------------------------------


def test_without_a_file_the_poles_are_the_twelve_shipped(tmp_path: Path) -> None:
    layers = effective_poles(DataLayout(tmp_path))
    assert layers.results == ()
    assert layers.poles.ids == shipped_poles().ids and len(layers.poles) == 12


def test_a_new_member_is_added_with_every_field(tmp_path: Path) -> None:
    poles, result = apply(tmp_path, f"{HEADER}\n{TREIZE}\n")
    assert (result.status, result.rows_read, result.rows_loaded, result.quarantine) == ("ok", 1, 1, [])
    assert len(poles) == 13 and poles.ids[-1] == "pole_treize"
    treize = poles.get("pole_treize")
    assert treize is not None
    assert (treize.numero, treize.nom, treize.noms_usuels, treize.nom_court) == (
        13,
        "PTCE Treize (fictif)",
        ("PTCE Treize", "Treize"),
        "PTCE Treize",
    )
    assert (treize.departement, treize.commune, treize.latitude, treize.longitude) == (
        "63",
        "Thiers",
        45.8564,
        3.5475,
    )
    assert (treize.territoire, treize.secteur_principal) == ("rural", "Industrie")
    assert (treize.date_entree, treize.date_sortie) == (date(2016, 1, 1), None)
    assert treize.source_file == "raw/poles/poles.csv"
    # Files name it by its name, its usual names or its number; messages quote the new range.
    for text in ("PTCE Treize (fictif)", "Treize", "PTCE Treize", "13", "pole_treize"):
        assert poles.matcher.match(text) == "pole_treize", text
    assert poles.matcher.find("treize_indicateurs_2016") == "pole_treize"
    assert poles.numbers == "1 à 13"


def test_an_amendment_renames_a_pole_and_its_former_names_still_match(tmp_path: Path) -> None:
    # Only the cells written change; ESCI's other fields stay as shipped.
    poles, result = apply(
        tmp_path,
        "identifiant;nom;noms_usuels\nesci;Entrepreneurs Solidaires de l'Isère;ESI Isère | ESCI\n",
    )
    assert (result.status, result.rows_loaded) == ("ok", 1)
    esci = poles.get("esci")
    assert esci is not None
    assert (esci.nom, esci.noms_usuels, esci.nom_court) == (
        "Entrepreneurs Solidaires de l'Isère",
        ("ESI Isère", "ESCI"),
        "ESI Isère",
    )
    # The shipped name and the usual names replaced are former names: older files still load.
    assert esci.anciens_noms == (
        "Entrepreneurs Solidaires en Centre Isère",
        "Entrepreneurs Solidaires",
        "Entrepreneurs Solidaires Centre Isère",
        "Centre Isère",
    )
    assert (esci.numero, esci.commune, esci.departement) == (11, "Voiron", "38")
    for text in (
        "ESI Isère",
        "Entrepreneurs Solidaires de l'Isère",
        "Entrepreneurs Solidaires en Centre Isère",
    ):
        assert poles.matcher.match(text) == "esci", text


def test_a_departure_keeps_the_pole_with_its_date(tmp_path: Path) -> None:
    poles, result = apply(tmp_path, "identifiant;date_sortie\nbourian;30/06/2017\n")
    assert (result.status, result.rows_loaded) == ("ok", 1)
    bourian = poles.get("bourian")
    assert bourian is not None and bourian.date_sortie == date(2017, 6, 30)
    assert len(poles) == 12
    assert bourian.member_on(date(2017, 6, 30)) and not bourian.member_on(date(2017, 7, 1))
    assert "bourian" not in poles.members_on(date(2018, 1, 1)).ids
    assert len(poles.members_on(date(2018, 1, 1))) == 11


def test_files_apply_in_arrival_order_and_a_later_one_wins(tmp_path: Path) -> None:
    # « b » arrived first (register), « a » later: a's name wins though « a » sorts first.
    layout = DataLayout(tmp_path)
    write(tmp_path, "b.csv", "identifiant;nom\nphares;PHARES Premier\n", mtime=1_500_000_000)
    write(tmp_path, "a.csv", "identifiant;nom\nphares;PHARES Second\n", mtime=1_600_000_000)
    record_arrivals(layout, scan_kind(layout, "poles").to_read)
    layers = effective_poles(layout)
    assert [r.source_file for r in layers.results] == ["raw/poles/b.csv", "raw/poles/a.csv"]
    phares = layers.poles.get("phares")
    assert phares is not None and (phares.nom, phares.source_file) == ("PHARES Second", "raw/poles/a.csv")
    assert phares.anciens_noms == ("PHARES Premier",)  # « PHARES » is still a usual name
    # A pole added by an earlier file is amended by a later one like a shipped pole.
    write(tmp_path, "c.csv", f"{HEADER}\n{TREIZE}\n", mtime=1_700_000_000)
    write(tmp_path, "d.csv", "identifiant;commune\npole_treize;Ambert\n", mtime=1_800_000_000)
    treize = effective_poles(layout).poles.get("pole_treize")
    assert treize is not None and (treize.commune, treize.nom) == ("Ambert", "PTCE Treize (fictif)")


def test_the_table_holds_the_poles_and_reads_back(tmp_path: Path) -> None:
    poles, _ = apply(tmp_path, f"{HEADER}\n{TREIZE}\nbourian;;;;;;;;;;;;;;;;30/06/2017\n")
    frame = poles_frame(poles)
    row = frame.set_index("pole_id").loc["pole_treize"]
    assert (row["nom_court"], row["noms_usuels"], row["territoire"]) == (
        "PTCE Treize",
        "PTCE Treize | Treize",
        "rural",
    )
    assert pd.Timestamp(row["date_adhesion"]) == pd.Timestamp(2016, 1, 1) and pd.isna(row["date_depart"])
    assert pd.isna(frame.set_index("pole_id").loc["phares", "fichier_reference"])  # shipped
    again = PoleSet.from_frame(frame)
    assert again.poles == poles.poles


# --- bad input: every row applied or quarantined, with file, row and field ---------------------


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        (
            "Pole 14;14;Quatorze;;;;;63;;Auvergne;Thiers;45;3;rural;;;",
            "identifiant",
            "identifiant invalide : lettres minuscules sans accent, chiffres et « _ » seulement (par "
            "exemple « pole_treize »)",
        ),
        (
            "pole_q;14;Quatorze;;;;;63;;Auvergne;Thiers;500;3;rural;;;",
            "latitude",
            "coordonnées (500 ; 3) hors de France (métropole : latitude 41 à 51,5, longitude -5,5 à 10 ; "
            "outre-mer aussi) : vérifier la latitude et la longitude en degrés décimaux (par exemple "
            "44,9603 et 3,5453)",
        ),
        (
            "pole_q;14;Quatorze;;;;;63;;Auvergne;Thiers;45;3;périurbain;;;",
            "territoire",
            "territoire inconnu : écrire rural, urbain ou mixte",
        ),
        (
            "pole_q;14;=A1&B1;;;;;63;;Auvergne;Thiers;45;3;rural;;;",
            "nom",
            "formule « =A1&B1 » à la place d'une valeur (elle n'est pas calculée dans ce fichier) : "
            "saisir la valeur elle-même, ou enregistrer le fichier depuis Excel",
        ),
        (
            "pole_q;3;Quatorze;;;;;63;;Auvergne;Thiers;45;3;rural;;;",
            "numero",
            "numéro déjà pris par le pôle « PHARES » (phares) : choisir un numéro libre",
        ),
        (
            "pole_q;14;Quatorze;PSA;;;;63;;Auvergne;Thiers;45;3;rural;;;",
            "noms_usuels",
            "« PSA » désigne déjà le pôle « Pôle de Coopération Sud Aquitain » (sud_aquitain) : les "
            "fichiers ne sauraient plus de quel pôle il s'agit. Choisir un autre nom",
        ),
        (
            "pole_q;14;Quatorze;;;;;100;;Auvergne;Thiers;45;3;rural;;;",
            "departement",
            "numéro de département inconnu : écrire son code (01 à 95, 2A, 2B, 971 à 976…)",
        ),
        (
            "pole_q;14;Quatorze;;;;;63;;Auvergne;Thiers;45;3;rural;;01/07/2017;01/01/2017",
            "date_sortie",
            "date de sortie (01/01/2017) avant la date d'entrée (01/07/2017) : corriger l'une des deux",
        ),
        (
            "pole_q;14;Quatorze;;;;;63;;Auvergne;Thiers;45;3;rural;;31/02/2017;",
            "date_entree",
            "date « 31/02/2017 » impossible (jour ou mois hors calendrier) : corriger la date",
        ),
        (
            "pole_q;quatorze;Quatorze;;;;;63;;Auvergne;Thiers;45;3;rural;;;",
            "numero",
            "numéro de pôle invalide : un nombre entier de 1 à 99\u202f999",
        ),
        (
            "pole_inconnu;;;;;;;;;;;;;;;;30/06/2017",
            "identifiant",
            "identifiant inconnu : ce n'est ni un des pôles livrés ni un pôle ajouté par un fichier "
            "précédent. Pour modifier un pôle, reprendre son identifiant exact ; pour en ajouter un, "
            "remplir aussi numero, nom, departement, region, commune, latitude, longitude, territoire",
        ),
        (
            "bouriann;;;;;;;;;;;;;;;;30/06/2017",
            "identifiant",
            "identifiant inconnu (vouliez-vous dire « bourian » ?) : ce n'est ni un des pôles livrés ni "
            "un pôle ajouté par un fichier précédent. Pour modifier un pôle, reprendre son identifiant "
            "exact ; pour en ajouter un, remplir aussi numero, nom, departement, region, commune, "
            "latitude, longitude, territoire",
        ),
    ],
)
def test_a_bad_row_is_quarantined_with_its_file_row_and_field(
    tmp_path: Path, row: str, field: str, reason: str
) -> None:
    poles, result = apply(tmp_path, f"{HEADER}\n{TREIZE}\n{row}\n")
    # The good row applies, the bad one is quarantined whole; nothing else changes.
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        "partial",
        2,
        1,
        1,
    )
    ((number, got_field, got_reason),) = reasons(result)
    assert (number, got_field) == (3, field)
    assert got_reason.startswith(f"raw/poles/poles.csv, ligne 3, champ {field}")
    assert got_reason.endswith(f" : {reason}")
    assert len(poles) == 13 and "pole_q" not in poles.ids
    bourian = poles.get("bourian")
    assert bourian is not None and bourian.date_sortie is None


def test_a_new_pole_lacking_fields_names_each_missing_one(tmp_path: Path) -> None:
    _, result = apply(tmp_path, "identifiant;numero;nom;commune\npole_q;14;Quatorze;Thiers\n")
    assert [(n, f) for n, f, _ in reasons(result)] == [
        (2, "departement"),
        (2, "region"),
        (2, "latitude"),
        (2, "longitude"),
        (2, "territoire"),
    ]
    assert reasons(result)[0][2] == (
        "raw/poles/poles.csv, ligne 2, champ departement : obligatoire pour ajouter un pôle "
        "(identifiant nouveau « pole_q »)"
    )


def test_a_typo_in_a_header_is_said_and_named_where_it_is_needed(tmp_path: Path) -> None:
    text = HEADER.replace("latitude", "lattitude") + "\n" + TREIZE + "\n"
    poles, result = apply(tmp_path, text)
    assert (result.status, result.rows_loaded) == ("partial", 0)
    assert (
        "Colonne(s) non reconnue(s), non lue(s) : « lattitude » (vouliez-vous dire « latitude » ?)."
        in result.message()
    )
    assert reasons(result) == [
        (
            2,
            "latitude",
            "raw/poles/poles.csv, ligne 2, champ latitude : obligatoire pour ajouter un pôle (identifiant "
            "nouveau « pole_treize ») ; la colonne « lattitude » n'est pas reconnue : l'appeler « latitude »",
        )
    ]
    assert len(poles) == 12


def test_an_identifier_on_two_rows_applies_neither(tmp_path: Path) -> None:
    _, result = apply(tmp_path, "identifiant;commune\nphares;Saint-Denis\nphares;Montreuil\nalpen;Gap\n")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 1, 2)
    expected = (
        "identifiant présent sur plusieurs lignes de ce fichier (lignes 2, 3) : aucune n'est appliquée. "
        "Gardez une seule ligne par pôle et renvoyez le fichier"
    )
    assert [(n, f, r.split(" : ", 1)[1]) for n, f, r in reasons(result)] == [
        (2, "identifiant", expected),
        (3, "identifiant", expected),
    ]


def test_a_cp1252_file_with_commas_and_a_title_row_is_read(tmp_path: Path) -> None:
    text = (
        "Pôles de la communauté — ajout\n"
        + HEADER.replace(";", ",")
        + "\npole_treize,13,Pôle Trèize (fictif),,,,,63,Puy-de-Dôme,Auvergne-Rhône-Alpes,Thiers,45.86,3.55,"
        "rural,,2016-01-01,\n"
    )
    poles, result = apply(tmp_path, text, encoding="cp1252")
    assert (result.status, result.rows_loaded) == ("ok", 1)
    treize = poles.get("pole_treize")
    assert treize is not None
    assert (treize.nom, treize.nom_departement, treize.latitude) == (
        "Pôle Trèize (fictif)",
        "Puy-de-Dôme",
        45.86,
    )
    assert treize.date_entree == date(2016, 1, 1)


def test_an_xlsx_with_a_formula_and_a_huge_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADER.split(";"))
    ws.append(TREIZE.replace("45,8564", "45.8564").replace("3,5475", "3.5475").split(";"))
    ws.append(["pole_q", 14, '=CONCAT("Qua";"torze")', "", "", "", "", "63", "", "A", "B", 45, 3, "rural"])
    ws.append(["alpen", None, None, None, None, "x" * 40_000])
    for cell in ("L2", "M2"):
        ws[cell] = float(ws[cell].value)
    path = tmp_path / "raw" / "poles" / "poles.xlsx"
    path.parent.mkdir(parents=True)
    book.save(path)
    layers = effective_poles(DataLayout(tmp_path))
    (result,) = layers.results
    assert (result.status, result.rows_read, result.rows_loaded) == ("partial", 3, 1)
    by_row = {n: (f, r) for n, f, r in reasons(result)}
    assert by_row[3] == (
        "nom",
        'raw/poles/poles.xlsx, ligne 3, champ nom : formule « =CONCAT("Qua";"torze") » sans valeur '
        "calculée : ouvrir le fichier dans Excel (ou LibreOffice) et l'enregistrer pour que les valeurs "
        "soient calculées, ou saisir la valeur",
    )
    # A cell holds 32,767 characters at most (Excel's limit): the 40,000 written come back cut so.
    assert by_row[4] == (
        "description",
        "raw/poles/poles.xlsx, ligne 4, champ description : texte de 32\u202f767 caractères : au plus "
        "2\u202f000, le raccourcir",
    )
    assert "pole_treize" in layers.poles.ids


def test_hidden_rows_and_sheets_are_not_applied_and_said(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    visible = book.active
    visible.title = "Pôles"
    visible.append(["identifiant", "commune"])
    visible.append(["phares", "Montreuil"])
    visible.append(["alpen", "Briançon"])
    visible.row_dimensions[3].hidden = True
    old = book.create_sheet("Ancienne version")
    old.append(["identifiant", "commune"])
    old.append(["esci", "Grenoble"])
    old.sheet_state = "hidden"
    path = tmp_path / "raw" / "poles" / "poles.xlsx"
    path.parent.mkdir(parents=True)
    book.save(path)
    layers = effective_poles(DataLayout(tmp_path))
    (result,) = layers.results
    assert (result.status, result.rows_read, result.rows_loaded) == ("partial", 1, 1)
    message = result.message()
    assert "Lignes ou colonnes masquées ignorées : ligne(s) 3 (feuille « Pôles »)." in message
    assert "Feuille(s) masquée(s) ignorée(s) : « Ancienne version » (elles ne sont pas lues)." in message
    communes = {p.pole_id: p.commune for p in layers.poles}
    assert (communes["phares"], communes["alpen"], communes["esci"]) == ("Montreuil", "Grenoble", "Voiron")


def test_an_empty_file_is_an_error_and_the_others_still_apply(tmp_path: Path) -> None:
    write(tmp_path, "a_vide.csv", "", mtime=1_500_000_000)
    write(tmp_path, "b_ajout.csv", f"{HEADER}\n{TREIZE}\n", mtime=1_600_000_000)
    write(tmp_path, "c_texte.csv", "Bonjour, voici les pôles.\nÀ bientôt\n", mtime=1_700_000_000)
    layers = effective_poles(DataLayout(tmp_path))
    status = {r.source_file: (r.status, r.rows_read) for r in layers.results}
    assert status == {
        "raw/poles/a_vide.csv": ("error", 0),
        "raw/poles/b_ajout.csv": ("ok", 1),
        "raw/poles/c_texte.csv": ("error", 0),
    }
    empty, _, text = layers.results
    assert empty.message().startswith("raw/poles/a_vide.csv : ")
    assert text.message() == (
        "raw/poles/c_texte.csv : aucun tableau de pôles reconnu (en-têtes attendus dans les 20 premières "
        "lignes : « identifiant » et les colonnes à renseigner, parmi identifiant, numero, nom, "
        "noms_usuels, structure_initiatrice, description, representants, departement, nom_departement, "
        "region, commune, latitude, longitude, territoire, secteur_principal, date_entree, date_sortie). "
        "Vérifiez les en-têtes (ou écrivez le modèle avec « ptce template --kind poles ») et renvoyez le "
        "fichier."
    )
    assert "pole_treize" in layers.poles.ids


def test_layers_are_cached_on_the_files_signature(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", "identifiant;commune\nphares;Saint-Denis\n", mtime=1_500_000_000)
    first = effective_poles(DataLayout(tmp_path))
    assert effective_poles(DataLayout(tmp_path)) is first
    write(tmp_path, "a.csv", "identifiant;commune\nphares;Montreuil\n", mtime=1_500_000_001)
    again = effective_poles(DataLayout(tmp_path))
    assert again is not first
    phares = again.poles.get("phares")
    assert phares is not None and phares.commune == "Montreuil"


def test_layer_files_on_its_own_keeps_the_base(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "identifiant;commune\nphares;Montreuil\n")
    layers = layer_files([(path, "raw/poles/x.csv")])
    assert shipped_poles().get("phares").commune == "L'Île-Saint-Denis"  # type: ignore[union-attr]
    assert layers.poles.get("phares").commune == "Montreuil"  # type: ignore[union-attr]


# --- places, headers, completeness, templates --------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "inside"),
    [
        (45.86, 3.55, True),
        (41.92, 8.74, True),
        (-21.11, 55.53, True),
        (16.24, -61.53, True),
        (4.93, -52.33, True),
        (500.0, 3.0, False),
        (3.55, 45.86, False),
        (51.51, -0.13, False),
    ],
)
def test_france_bounds(lat: float, lon: float, inside: bool) -> None:
    # Clermont area, Ajaccio, Saint-Denis (La Réunion), Pointe-à-Pitre, Cayenne; a typo, swapped, London.
    assert in_france(lat, lon) is inside


def test_kind_detection_knows_a_poles_file_and_not_a_pathway_file(tmp_path: Path) -> None:
    poles = write(tmp_path, "p.csv", f"{HEADER}\n{TREIZE}\n")
    departure = write(tmp_path, "d.csv", "identifiant;date_sortie\nbourian;30/06/2017\n")
    pathway = tmp_path / "parcours.csv"
    pathway.write_text(
        "Identifiant;Pôle;Structure;Date d'entrée;Date de sortie;Motif de sortie\nA1;PHARES;S;01/02/2016;;\n",
        encoding="utf-8",
    )
    # A poles file's identifier and dates also fit the pathways' own header rule: both are offered
    # (poles files are staff's, put in raw/poles/, never chosen on the deposit page).
    assert detect_kinds(poles) == ["parcours", "poles"]
    assert detect_kinds(departure) == ["poles"]
    assert "poles" not in detect_kinds(pathway)


def test_completeness_expects_a_pole_only_while_a_member() -> None:
    config = load_quality_config()
    indicators = QualityConfig(
        config.jump_factor,
        config.jump_floor,
        config.quarter_tolerance,
        tuple(e for e in config.expected if e.kind == "indicateurs"),
    )
    table = build_completeness(
        ["phares", "pole_treize", "bourian"],
        pd.DataFrame(columns=["kind", "pole_id", "annee", "source_file"]),
        {},
        pd.DataFrame(columns=["source_file", "arrived_at"]),
        indicators,
        date(2026, 1, 1),
        catalogue_kinds={"indicateurs"},
        membership={"pole_treize": (date(2016, 1, 1), None), "bourian": (None, date(2017, 6, 30))},
    )
    owed = table.groupby("annee")["pole_id"].apply(sorted).to_dict()
    # Indicators of year Y are due on 31/03/Y+1: pole_treize owes from 2016 (joined 01/01/2016);
    # bourian owes 2015 and 2016 (due before it left on 30/06/2017), not 2017 (due 31/03/2018).
    assert owed == {
        2015: ["bourian", "phares"],
        2016: ["bourian", "phares", "pole_treize"],
        2017: ["phares", "pole_treize"],
    }


def test_templates_list_the_members_in_force(tmp_path: Path) -> None:
    write(tmp_path, "poles.csv", f"{HEADER}\n{TREIZE}\nbourian;;;;;;;;;;;;;;;;30/06/2017\n")
    out = tmp_path / "modele.xlsx"
    assert main(["template", "--kind", "indicateurs", "--data-dir", str(tmp_path), "--out", str(out)]) == 0
    listed = [c.value for c in openpyxl.load_workbook(out)["Listes"]["A"][2:] if c.value]
    assert listed[-1] == "PTCE Treize" and len(listed) == 12  # twelve: bourian has left, treize came
    assert "PTCE Bourian" not in listed and "PHARES" in listed


def test_the_poles_template_reads_back_as_an_empty_poles_file(tmp_path: Path) -> None:
    write(tmp_path, "poles.csv", f"{HEADER}\n{TREIZE}\n")
    out = tmp_path / "raw" / "poles" / "vierge.xlsx"
    assert main(["template", "--kind", "poles", "--data-dir", str(tmp_path), "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Notice", "Pôles", "Pôles en vigueur", "Listes"]
    assert [c.value for c in book["Pôles"][1]] == HEADER.split(";")
    current = [row[0] for row in book["Pôles en vigueur"].iter_rows(min_row=2, values_only=True)]
    assert current[0] == "sud_aquitain" and current[-1] == "pole_treize" and len(current) == 13
    # Deposited blank, it changes nothing and says so.
    os.utime(out, (2_000_000_000, 2_000_000_000))
    layers = effective_poles(DataLayout(tmp_path))
    blank = next(r for r in layers.results if r.source_file.endswith("vierge.xlsx"))
    assert (blank.status, blank.rows_read) == ("partial", 0)
    assert "aucune ligne sous les en-têtes (ligne 1)" in blank.message()
    assert len(layers.poles) == 13


def test_a_role_file_may_name_a_pole_added_by_file(tmp_path: Path) -> None:
    """The dashboards match the role file against the published poles (`PoleSet.from_frame`)."""
    poles, _ = apply(tmp_path, f"{HEADER}\n{TREIZE}\n")
    published = PoleSet.from_frame(poles_frame(poles))
    roles = tmp_path / "roles.yaml"
    roles.write_text(
        "utilisateurs:\n  - e-mail: treize@pole.example\n    rôle: pole\n    pôle: PTCE Treize\n",
        encoding="utf-8",
    )
    assert load_role_file(roles, published.matcher).viewer_for("treize@pole.example") == Viewer(
        "pole", "pole_treize"
    )
    # Against the twelve shipped poles alone, the same file is refused (an unknown pole).
    with pytest.raises(RoleFileError):
        load_role_file(roles)

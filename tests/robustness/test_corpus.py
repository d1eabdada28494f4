"""Every malformed file of the corpus gives what a pole or COORACE staff would expect.

For each case: the parser never raises; rows read = rows loaded + rows quarantined; every quarantine
reason is French and names the file, the row and the field; the loaded values are exactly the good
ones (no value from a bad row); an unreadable file gives one French error that says what to do.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pipelines.applications.assets import parse_application_file
from pipelines.indicators.parser import IndicatorFileParser
from pipelines.shared.ledger import log_row
from pipelines.shared.results import FileResult
from pipelines.shared.values import truncate_text
from ptce.fmt import fmt_number
from ptce.reference import load_catalog, load_poles
from tests.robustness.corpus import CASES, EXPORT_CASES, LONG_COMMENT, LONG_TEXT, build_case

FOLDER = "raw/indicateurs"
EXPORT_FOLDER = "raw/candidatures"
# A French error or reason tells the sender what to do: it carries one of these verbs.
ERROR_ACTIONS = re.compile(
    r"\b(Réenregistrez|Ajoutez|Gardez|Utilisez|Complétez|Vérifiez|Corrigez|Renvoyez|Enregistrez|"
    r"Ouvrez|Affichez|Retirez|Envoyez)\b"
)
REASON_ACTIONS = re.compile(
    r"\b(saisir|indiquer|écrire|vérifier|corriger|compléter|garder|utiliser|mettre|ouvrir|"
    r"défusionner|retirer|laisser|donner|supprimer|renvoyer|Mettre|préciser|choisir)\b"
)

# What a user must never read: a Python exception name or an English library message (issue #8).
PYTHON_TEXT = re.compile(r"\b\w*(Error|Exception)\b|Traceback|\bfield larger than\b|\bline contains\b")
# Quoted file contents are cut (`limites_lecture` in qualite.yaml): reasons and values stay short.
MAX_VALUE_CHARS = 400
MAX_REASON_CHARS = 2_000

Key = tuple[str, int, int | None, str]


@dataclass(frozen=True)
class Expect:
    """What a case must give. `quarantine`: row -> (field, fragment of the reason)."""

    status: str
    records: dict[Key, float] = field(default_factory=dict)
    quarantine: dict[int, tuple[str, str]] = field(default_factory=dict)
    error: str | None = None
    message: str | None = None  # fragment of the log message (remarks, notes)
    comments: dict[Key, str] = field(default_factory=dict)


NON_NUMERIC = "non numérique"
MISSING_VALUE = "valeur non renseignée"

EXPECTED: dict[str, Expect] = {
    # --- encodings
    "utf16_unicode_text": Expect(
        "ok", {("bousol", 2018, None, "salaries"): 1234, ("bousol", 2018, None, "etp"): 37.5}
    ),
    "utf16_without_bom": Expect(
        "ok", {("esci", 2018, None, "membres"): 14, ("esci", 2018, None, "etp"): 12.5}
    ),
    "utf16_truncated": Expect("error", error="UTF-16 tronqué"),
    "latin1_with_c1_controls": Expect(
        "ok",
        {("phares", 2018, None, "membres"): 16, ("phares", 2018, None, "salaries"): 240},
        comments={("phares", 2018, None, "membres"): "réf interne"},
    ),
    "mixed_utf8_cp1252": Expect(
        "ok",
        {("tarnais", 2018, None, "membres"): 21, ("tarnais", 2018, None, "salaries"): 310},
        message="Encodage mixte",
        comments={
            ("tarnais", 2018, None, "membres"): "déjà compté",
            ("tarnais", 2018, None, "salaries"): "réunion d'été",
        },
    ),
    "bom_then_cp1252": Expect(
        "ok",
        {("bourian", 2018, None, "entrees_parcours"): 9, ("bourian", 2018, None, "membres"): 11},
        message="Encodage mixte",
    ),
    # --- separators
    "tab_separated": Expect(
        "ok", {("figeacteurs", 2018, None, "membres"): 17, ("figeacteurs", 2018, 2, "sorties"): 3}
    ),
    "pipe_separated": Expect(
        "ok", {("eco_materiaux", 2018, None, "membres"): 9, ("eco_materiaux", 2018, 3, "sorties"): 4}
    ),
    "comma_with_decimal_commas": Expect(
        "partial",
        {
            ("re_sources", 2018, None, "membres"): 20,
            ("re_sources", 2018, None, "heures_formation"): 1234.5,
            ("re_sources", 2018, None, "etp_animation"): 1.5,
        },
        {3: ("colonnes", "virgule décimale"), 5: ("colonnes", "virgule décimale")},
    ),
    "trailing_separators": Expect(
        "ok", {("dombinnov", 2018, None, "membres"): 25, ("dombinnov", 2018, None, "salaries_cdi"): 80}
    ),
    "bom_semicolon": Expect(
        "ok",
        {("alpen", 2018, None, "heures_formation"): 2345.5, ("alpen", 2018, None, "salaries"): 1020},
    ),
    # --- structure
    "missing_value_column": Expect("error", error="il manque la colonne « valeur »"),
    "missing_pole": Expect("error", error="quel pôle"),
    "missing_period_column": Expect("error", error="« période »"),
    "duplicated_columns": Expect("error", error="en double"),
    "code_and_label_columns": Expect(
        "partial",
        {("laine_saugues", 2018, None, "membres"): 12, ("laine_saugues", 2018, None, "salaries"): 150},
        {4: ("libellé", "ne correspond pas au code « etp »")},
    ),
    "header_only_csv": Expect("error", error="que les titres des colonnes"),
    "header_only_sheet_xlsx": Expect(
        "ok",
        {("sud_aquitain", 2018, None, "membres"): 30, ("sud_aquitain", 2018, None, "salaries"): 410},
    ),
    "header_only_xlsx": Expect("error", error="que les titres des colonnes"),
    "empty_file": Expect("error", error="fichier vide"),
    "blank_file": Expect("error", error="fichier vide"),
    "blank_rows_in_the_middle": Expect(
        "ok",
        {
            ("sud_aquitain", 2019, None, "membres"): 31,
            ("sud_aquitain", 2019, None, "salaries"): 420,
            ("sud_aquitain", 2019, None, "etp"): 300.5,
        },
    ),
    "quoted_newlines": Expect(
        "partial",
        {("laine_saugues", 2019, None, "membres"): 13, ("laine_saugues", 2019, None, "salaries"): 1500},
        {6: ("valeur", "« douze » non numérique")},
        comments={
            ("laine_saugues", 2019, None, "membres"): (
                "première ligne\ndeuxième ligne; avec un point-virgule\nfin"
            )
        },
    ),
    "unclosed_quote": Expect("error", error="guillemet ouvert ligne 3"),
    # --- values
    "unknown_pole": Expect(
        "partial",
        {("bourian", 2019, None, "membres"): 15},
        {
            2: ("pôle", "« Pôle Nord » inconnu"),
            3: ("pôle", "« 13 » inconnu"),
            4: ("pôle", "« 0 » inconnu"),
            5: ("pôle", "non renseigné"),
        },
    ),
    "unknown_indicator_long": Expect(
        "partial",
        {("figeacteurs", 2019, None, "membres"): 18},
        {
            2: ("indicateur", "« chiffre_affaires » inconnu"),
            3: ("indicateur", "non renseigné"),
            4: ("indicateur", "« taux_sortie_dynamique » inconnu"),
        },
    ),
    "unknown_column_wide": Expect(
        "partial",
        {("bousol", 2019, None, "membres"): 22, ("bousol", 2019, None, "salaries"): 260},
        message="« Chiffre d'affaires »",
    ),
    "text_in_numbers": Expect(
        "partial",
        {
            ("eco_materiaux", 2019, None, "heures_formation"): 1234,
            ("eco_materiaux", 2019, None, "certifications"): 0,
        },
        {
            2: ("valeur", NON_NUMERIC),
            3: ("valeur", NON_NUMERIC),
            4: ("valeur", NON_NUMERIC),
            5: ("valeur", "« 12 15 » non numérique"),
            6: ("valeur", NON_NUMERIC),
            7: ("valeur", MISSING_VALUE),
        },
    ),
    "negative_counts": Expect(
        "partial",
        {("re_sources", 2019, None, "entrees_parcours"): 0},
        {
            2: ("valeur", "négative (-4)"),
            3: ("valeur", "négative (-3)"),
            4: ("valeur", "négative (-5)"),
            5: ("valeur", "négative (-0,5)"),
            6: ("valeur", "intervalle autorisé (0 à 1)"),
        },
    ),
    "periods_out_of_range": Expect(
        "partial",
        {("dombinnov", 2019, 2, "sorties"): 6},
        {
            2: ("période", "hors du champ"),
            3: ("période", "hors du champ"),
            4: ("période", "dans le futur"),
            5: ("période", "« 2016-T5 » non reconnue"),
            6: ("période", "non reconnue"),
            7: ("période", "non reconnue"),
            8: ("période", "c'est une date ; écrire l'année (2019) ou le trimestre (2019-T4"),
            9: ("période", "non reconnue"),
            10: ("période", "période vide"),
        },
    ),
    "conflicting_duplicates": Expect(
        "partial",
        {
            ("esci", 2019, None, "etp"): 5,
            ("esci", 2019, 1, "sorties"): 2,
            ("esci", 2019, 2, "sorties"): 3,
        },
        {2: ("valeur", "en conflit avec la ligne 3"), 3: ("valeur", "en conflit avec la ligne 2")},
    ),
    "huge_numbers_csv": Expect(
        "partial",
        {("alpen", 2019, None, "entrees_parcours"): 9_999_999},
        {
            # Scientific notation in a pole's file is suspect whatever its size (issue #8, item 6).
            2: ("valeur", "« 1e15 » est en notation scientifique"),
            3: ("valeur", "1e+30 invraisemblable"),
            4: ("valeur", "« 1E400 » est en notation scientifique (nombre démesuré)"),
            5: ("valeur", "10000001 invraisemblable"),
            6: ("indicateur", "« heures_formation_bis » inconnu"),
        },
    ),
    "huge_numbers_xlsx": Expect(
        "partial",
        {("sud_aquitain", 2020, None, "membres"): 33},
        {2: ("valeur", "1e+15 invraisemblable"), 3: ("valeur", "1e+30 invraisemblable")},
    ),
    "formulas_in_csv": Expect(
        "partial",
        {("laine_saugues", 2020, None, "salaries"): 155, ("laine_saugues", 2020, None, "salaries_cdi"): 90},
        {
            2: ("valeur", "formule « =1+1 » à la place d'une valeur"),
            4: ("valeur", "« @SUM(1) » non numérique"),
            6: ("pôle", "formule « =HYPERLINK"),
        },
        # A comment is text: kept as written (exports neutralise formula-like cells, SPEC §5).
        comments={("laine_saugues", 2020, None, "salaries"): "=1+1"},
    ),
    "formulas_without_cached_values": Expect(
        "partial",
        {("phares", 2020, 1, "sorties"): 4, ("phares", 2020, 2, "sorties"): 6},
        {
            4: ("valeur", "formule « =SUM(D2:D3) » sans valeur calculée : ouvrir le fichier dans Excel"),
            5: ("période", "formule « =2019+1 » sans valeur calculée"),
        },
    ),
    "formulas_with_cached_values": Expect(
        "partial",
        {
            ("tarnais", 2020, None, "sorties_positives"): 20,
            ("tarnais", 2020, None, "sorties_autres"): 22,
            ("tarnais", 2020, None, "sorties"): 42,
        },
        # An empty-text result (`=SI(…;"";…)`) is a missing value, not an uncomputed formula.
        {5: ("valeur", MISSING_VALUE)},
    ),
    "excel_errors": Expect(
        "partial",
        {("bourian", 2020, None, "sorties"): 7},
        {
            2: ("valeur", "erreur Excel « #DIV/0! »"),
            3: ("valeur", "erreur Excel « #N/A »"),
            4: ("valeur", "erreur Excel « #VALUE! »"),
        },
    ),
    "numbers_as_text_xlsx": Expect(
        "ok",
        {
            ("figeacteurs", 2020, None, "salaries"): 1234,
            ("figeacteurs", 2020, None, "etp"): 84.5,
            ("figeacteurs", 2020, None, "etp_mutualises"): 12,
            ("figeacteurs", 2021, None, "salaries"): 1100,
            ("figeacteurs", 2021, None, "etp"): 80.25,
        },
    ),
    # --- damaged or disguised workbooks
    "random_bytes_xlsx": Expect("error", error="pas un classeur Excel"),
    "password_protected_xlsx": Expect("error", error="protégé par mot de passe"),
    "old_xls": Expect("error", error="Excel 97-2003 (.xls)"),
    "truncated_xlsx": Expect("error", error="tronqué"),
    "merged_header_cells": Expect(
        "partial",
        {
            ("bousol", 2020, 1, "salaries"): 250,
            ("bousol", 2020, 1, "entrees_parcours"): 8,
            ("bousol", 2020, 2, "salaries"): 255,
            ("bousol", 2020, 2, "entrees_parcours"): 9,
        },
        {
            8: ("entrees_parcours", "cellule fusionnée (E8:E9)"),
            9: ("entrees_parcours", "cellule fusionnée (E8:E9)"),
        },
    ),
    "xlsx_named_csv": Expect(
        "ok",
        {("eco_materiaux", 2020, None, "membres"): 10, ("eco_materiaux", 2020, None, "salaries"): 95},
        message="en réalité un classeur Excel",
    ),
    "csv_named_xlsx": Expect(
        "ok",
        {("re_sources", 2020, None, "membres"): 21, ("re_sources", 2020, None, "etp"): 15.5},
        message="en réalité un fichier texte (CSV)",
    ),
    "hidden_sheets": Expect(
        "partial",
        {("dombinnov", 2020, None, "membres"): 26, ("dombinnov", 2020, None, "salaries"): 310},
        message="Feuille(s) masquée(s) ignorée(s) : « Ancienne version »",
    ),
    "excel_dates_in_period": Expect(
        "partial",
        {("esci", 2020, None, "salaries"): 140, ("esci", 2020, None, "salaries_cdi"): 70},
        {
            2: ("période", "saisie comme une date : écrire l'année (2020) ou le trimestre (2020-T4"),
            4: ("période", "saisie comme une date"),
        },
    ),
    # --- hardening (issue #8)
    "hidden_rows_and_columns": Expect(
        "partial",
        {("tarnais", 2021, None, "membres"): 22, ("tarnais", 2021, None, "salaries"): 315},
        message="Lignes ou colonnes masquées ignorées : ligne(s) 6 et colonne(s) D (feuille « Saisie »)",
    ),
    "rows_hidden_by_default": Expect(
        "partial",
        {
            ("eco_materiaux", 2021, None, "membres"): 11,
            ("eco_materiaux", 2021, None, "salaries"): 96,
            ("eco_materiaux", 2021, None, "entrees_parcours"): 6,
        },
        message="Lignes ou colonnes masquées ignorées : ligne(s) 6 (feuille « Saisie »)",
    ),
    "ambiguous_numbers_semicolon": Expect(
        "partial",
        {
            ("esci", 2021, None, "sorties"): 12,
            ("esci", 2021, None, "etp_animation"): 1.5,
            ("esci", 2021, None, "entrees_parcours"): 1_234_567,
        },
        {
            2: ("valeur", "« 1.234 » ambigu : 1\u202f234 avec un point séparateur de milliers, ou 1,234"),
            3: ("valeur", "« 50 % » porte un signe % alors que « Équivalents temps plein des membres »"),
            4: ("valeur", "« 1e3 » est en notation scientifique (lue 1\u202f000)"),
            5: ("valeur", "« 1.500 » ambigu"),
            6: ("valeur", "« 2,5 % » porte un signe %"),
            10: ("indicateur", "« heures_formation_par_salarie » inconnu"),
        },
    ),
    "ambiguous_numbers_comma": Expect(
        "partial",
        {("bourian", 2021, None, "etp_animation"): 1.25, ("bourian", 2021, None, "heures_formation"): 1234.5},
        {
            2: ("valeur", "« 1,234 » ambigu dans ce fichier séparé par des virgules"),
            5: ("valeur", "« 12,5 % » porte un signe %"),
        },
    ),
    "percent_formatted_cells": Expect(
        "partial",
        {("dombinnov", 2021, None, "salaries"): 240, ("dombinnov", 2021, None, "sorties"): 9},
        {
            2: ("valeur", "cellule au format pourcentage (50 %, soit 0,5)"),
            3: ("valeur", "cellule au format pourcentage (125 %, soit 1,25)"),
        },
    ),
    "spreadsheet_float_noise": Expect(
        "partial",
        {
            ("phares", 2021, None, "salaries"): 30,
            ("phares", 2021, None, "sorties"): 3,
            ("phares", 2021, None, "etp"): 3,
        },
        {5: ("valeur", "valeur non entière (12,5)")},
    ),
    "very_long_cells": Expect(
        "partial",
        {("re_sources", 2021, None, "salaries"): 180},
        {
            2: ("valeur", "caractères] » non numérique"),
            4: ("pôle", f"… [tronqué, {fmt_number(len(LONG_TEXT))} caractères] » inconnu"),
        },
        comments={("re_sources", 2021, None, "salaries"): truncate_text(LONG_COMMENT.strip(), 2_000)},
    ),
    "text_bomb_xlsx": Expect("error", error="classeur anormalement compressé"),
    "csv_cell_over_field_limit": Expect(
        "error", error="caractères commence ligne 2 : c'est en général un guillemet"
    ),
    "year_in_title_quarter_column": Expect(
        "partial",
        {
            ("alpen", 2020, 1, "entrees_parcours"): 5,
            ("alpen", 2020, 2, "entrees_parcours"): 7,
            ("alpen", 2020, None, "membres"): 19,
        },
        {7: ("trimestre", "« T5 » non reconnu")},
    ),
}


@dataclass(frozen=True)
class ExportExpect:
    """What a form-tool export case must give: its ledger, the poles loaded, the rows refused.

    `quarantine`: row -> (field, fragment of the reason).
    """

    status: str
    rows_read: int
    poles: frozenset[str]
    quarantine: dict[int, tuple[str, str]] = field(default_factory=dict)


EXPORT_EXPECTED: dict[str, ExportExpect] = {
    "export_misspelt_pole": ExportExpect(
        "partial", 3, frozenset({"phares", "tarnais"}), {3: ("pôle", "pôle « Bou Sole » inconnu")}
    ),
    "export_duplicated_pole": ExportExpect(
        "partial",
        3,
        frozenset({"figeacteurs"}),
        {
            2: ("pôle", "présent sur plusieurs lignes (aussi ligne(s) 4)"),
            4: ("pôle", "présent sur plusieurs lignes (aussi ligne(s) 2)"),
        },
    ),
    "export_empty_and_formula_poles": ExportExpect(
        "partial",
        3,
        frozenset({"sud_aquitain"}),
        {2: ("pôle", "pôle non renseigné"), 3: ("pôle", "formule")},
    ),
}


def parse_case(name: str, tmp_path: Path) -> FileResult:
    file_name, data = build_case(name)
    path = tmp_path / file_name
    path.write_bytes(data)
    # parse() turns IngestionError into `error`; any other exception escapes and fails the test.
    return IndicatorFileParser().parse(path, f"{FOLDER}/{file_name}")


def values_of(result: FileResult) -> dict[Key, float]:
    got: dict[Key, float] = {}
    for r in result.records:
        key = (r["pole_id"], r["annee"], r["trimestre"], r["code"])
        assert key not in got, f"{key} loaded twice"
        got[key] = r["valeur"]
    return got


def assert_record_is_sound(record: dict) -> None:
    """What the warehouse checks assume of every loaded value."""
    catalog = load_catalog()
    assert record["pole_id"] in {p.pole_id for p in load_poles()}
    indicator = catalog.get(record["code"])  # KeyError if not a typed-in catalogue code
    assert 2010 <= record["annee"] <= date.today().year
    assert record["trimestre"] in {None, 1, 2, 3, 4}
    value = record["valeur"]
    assert isinstance(value, float) and math.isfinite(value) and value >= 0
    if indicator.entier:
        assert value.is_integer()
    if indicator.max is not None:
        assert value <= indicator.max


def assert_quarantine_reasons(result: FileResult) -> None:
    for q in result.quarantine:
        prefix = f"{result.source_file}, ligne {q.row_number}, champ {q.field} : "
        assert q.reason.startswith(prefix), q.reason
        assert q.row_number is not None and q.row_number >= 1
        explanation = q.reason[len(prefix) :]
        assert REASON_ACTIONS.search(explanation), f"no advice in: {explanation}"
        assert q.source_file == result.source_file


def test_corpus_is_large_and_fully_specified() -> None:
    assert len(CASES) >= 25
    assert set(CASES) == set(EXPECTED)
    names = [build_case(name)[0] for name in CASES]
    assert len(set(names)) == len(names)


def test_good_values_never_collide_across_cases() -> None:
    """Each case has its own poles and periods, so the end-to-end test can count values exactly.

    A later file for a pole and period replaces an earlier one as a whole (resubmission): two cases
    sharing a pole and period would hide each other's values.
    """
    seen: dict[tuple[str, int, int | None], str] = {}
    for name, expect in EXPECTED.items():
        for pole, year, quarter, _ in expect.records:
            period = (pole, year, quarter)
            assert seen.setdefault(period, name) == name, f"{period} in {name} and {seen[period]}"
            assert year >= 2018, "corpus values must not overlap the demo years"


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str, tmp_path: Path) -> None:
    expect = EXPECTED[name]
    result = parse_case(name, tmp_path)
    message = result.message()

    # Conservation, whatever happened.
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert result.status == expect.status, message
    # French only, and bounded whatever the file held.
    for text in (message, *(q.reason for q in result.quarantine)):
        assert not PYTHON_TEXT.search(text), text
        assert len(text) <= MAX_REASON_CHARS, text[:200]
    assert all(len(q.value or "") <= MAX_VALUE_CHARS for q in result.quarantine)

    if expect.error is not None:
        assert result.error is not None and expect.error in result.error, result.error
        assert result.error.startswith(f"{result.source_file} : ")
        assert ERROR_ACTIONS.search(result.error), f"no advice in: {result.error}"
        assert result.records == [] and result.quarantine == [] and result.rows_read == 0
        return
    assert result.error is None, result.error

    # Exactly the good values: nothing from a bad row, nothing lost from a good one.
    got = values_of(result)
    assert got.keys() == expect.records.keys()
    for key, value in expect.records.items():
        assert got[key] == pytest.approx(value), key
    for record in result.records:
        assert_record_is_sound(record)
    comments = {
        (r["pole_id"], r["annee"], r["trimestre"], r["code"]): r["commentaire"] for r in result.records
    }
    for key, comment in expect.comments.items():
        assert comments[key] == comment

    # Every refused row is there, with the field and a French reason naming file, row and field.
    assert_quarantine_reasons(result)
    by_row: dict[int, list] = {}
    for q in result.quarantine:
        by_row.setdefault(q.row_number, []).append(q)
    assert set(by_row) == set(expect.quarantine), [
        (q.row_number, q.field, q.reason) for q in result.quarantine
    ]
    for row, (fld, fragment) in expect.quarantine.items():
        assert any(q.field == fld and fragment in q.reason for q in by_row[row]), [
            (q.field, q.reason) for q in by_row[row]
        ]
    loaded_rows = {r["row_number"] for r in result.records}
    assert not loaded_rows & set(by_row), "a row is both loaded and quarantined"

    if expect.message is not None:
        assert expect.message in message, message


def test_export_cases_are_fully_specified_on_their_own_poles() -> None:
    assert set(EXPORT_CASES) == set(EXPORT_EXPECTED)
    seen: dict[str, str] = {}
    for name, expect in EXPORT_EXPECTED.items():
        for pole in expect.poles:
            assert seen.setdefault(pole, name) == name, f"{pole} in {name} and {seen[pole]}"


@pytest.mark.parametrize("name", sorted(EXPORT_CASES))
def test_export_case(name: str, tmp_path: Path) -> None:
    """A bad row of an export is quarantined and counted in the file's ledger row (issue #8.1)."""
    expect = EXPORT_EXPECTED[name]
    file_name, data = build_case(name)
    path = tmp_path / file_name
    path.write_bytes(data)
    source = f"{EXPORT_FOLDER}/{file_name}"
    parsed, ledger = parse_application_file(path, source)

    # The log row, built as the pipeline builds it.
    inventory_row = pd.Series({"sha256": "0" * 64, "format": path.suffix[1:], "size_bytes": len(data)})
    row = log_row(ledger, inventory_row)
    assert row["rows_read"] == expect.rows_read
    assert row["rows_loaded"] == len(expect.poles) == len(parsed)
    assert row["rows_quarantined"] == len(expect.quarantine)
    assert row["rows_read"] == row["rows_loaded"] + row["rows_quarantined"]
    assert row["status"] == expect.status
    assert f"{len(expect.quarantine)} en quarantaine" in row["message"]

    assert {p.result.pole_id for p in parsed} == expect.poles
    assert_quarantine_reasons(ledger)
    by_row = {q.row_number: q for q in ledger.quarantine}
    assert set(by_row) == set(expect.quarantine)
    for number, (fld, fragment) in expect.quarantine.items():
        assert by_row[number].field == fld and fragment in by_row[number].reason, by_row[number].reason

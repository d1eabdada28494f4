"""The blank XLSX templates of `ptce template --kind …`: one per kind of input, each by its domain.

For each kind: the sheets, the French notice first, the drop-down lists on the right columns with the
reference values (poles, periods, catalogue codes, closed lists), the number and date checks with
French error boxes; then the round trip: a template filled in here by hand, read by the domain's own
parser, loads every row with the status « ok » (the visible lists sheet is never taken for data, and
no hidden sheet makes the file « partial »).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.shared.domain import template_notes, template_writers

POLES = [
    "Pôle Sud Aquitain",
    "Pôle Laine",
    "PHARES",
    "Pôle Tarnais",
    "PTCE Bourian",
    "FigeACTeurs",
    "Bou'Sol",
    "Filières locales d'éco matériaux",
    "RE-Sources",
    "Domb'Innov",
    "ESCI",
    "AlpEn",
]
THIS_YEAR = date.today().year


def write(kind: str, tmp_path: Path) -> Workbook:
    """The template of `kind`, found by discovery as `ptce template` finds it, written and reopened."""
    path = template_writers()[kind](tmp_path / f"modele-{kind}.xlsx")
    return openpyxl.load_workbook(path)


def rule_at(ws: Worksheet, cell: str) -> DataValidation:
    """The one validation covering `cell`."""
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, f"{ws.title}!{cell}: {len(found)} validation(s)"
    return found[0]


def list_values(wb: Workbook, rule: DataValidation) -> list[object]:
    """The values a drop-down offers: the cells of the lists sheet its formula names."""
    assert rule.type == "list"
    sheet, _, cells = rule.formula1.partition("!")
    return [row[0].value for row in wb[sheet][cells.replace("$", "")]]


def column_of(ws: Worksheet, header: str, row: int = 1) -> str:
    """The letter of the column titled `header` on `row`."""
    for cell in ws[row]:
        if cell.value == header:
            return cell.column_letter
    raise AssertionError(f"no column « {header} » in {ws.title}")


def notice_text(wb: Workbook) -> str:
    return "\n".join(str(row[0]) for row in wb["Notice"].iter_rows(values_only=True) if row[0])


def assert_french_notice(wb: Workbook, *, kind_word: str, folder: str, formats: str) -> None:
    text = notice_text(wb)
    assert wb.sheetnames[0] == "Notice"
    assert text.startswith(f"Observatoire PTCE — modèle de saisie des {kind_word}")
    for expected in (
        "À quoi sert ce fichier : ",
        "une ligne = ",
        formats,
        "Case vide = ",
        "jamais zéro" if folder != "parcours" else "jamais « non » ni zéro",
        "page « Déposer des fichiers » de l'observatoire",
        f"le dossier raw/{folder}/",
        "Modèle vierge écrit le ",
    ):
        assert expected in text, expected
    for english in ("Template", "Instructions", "empty", "upload"):
        assert english not in text


def test_every_kind_but_applications_has_a_template() -> None:
    assert sorted(template_writers()) == ["indicateurs", "objectifs", "parcours", "poles", "visites"]
    assert sorted(template_notes()) == ["candidatures"]


# ---------------------------------------------------------------------------------- indicators


def test_indicators_template_sheets_and_notice(tmp_path: Path) -> None:
    wb = write("indicateurs", tmp_path)
    assert wb.sheetnames == ["Notice", "Saisie annuelle", "Saisie détaillée", "Catalogue", "Listes"]
    assert all(ws.sheet_state == "visible" for ws in wb.worksheets)
    assert_french_notice(wb, kind_word="indicateurs", folder="indicateurs", formats="Nombres : 1 234,5")
    assert "un trimestre s'écrit 2016-T3" in notice_text(wb)
    assert [c.value for c in wb["Saisie détaillée"][1]] == [
        "Pôle",
        "Période",
        "Indicateur",
        "Valeur",
        "Commentaire",
    ]
    wide = wb["Saisie annuelle"]
    assert (wide["A2"].value, wide["A4"].value, wide["B4"].value, wide["B5"].value) == (
        "Pôle :",
        "Année",
        "Structures membres du pôle",
        "membres",
    )


def test_indicators_template_drop_downs_hold_the_reference_lists(tmp_path: Path) -> None:
    wb = write("indicateurs", tmp_path)
    wide, long = wb["Saisie annuelle"], wb["Saisie détaillée"]
    assert list_values(wb, rule_at(wide, "B2")) == POLES
    assert list_values(wb, rule_at(long, "A2")) == POLES
    periods = list_values(wb, rule_at(long, "B2"))
    assert periods[:6] == [2010, "2010-T1", "2010-T2", "2010-T3", "2010-T4", 2011]
    assert 2016 in periods and "2016-T3" in periods
    assert periods[-5:] == [THIS_YEAR, *(f"{THIS_YEAR}-T{q}" for q in range(1, 5))]
    assert list_values(wb, rule_at(wide, "A6")) == periods
    codes = list_values(wb, rule_at(long, "C1500"))
    assert len(codes) == 30 and codes[:3] == ["membres", "salaries", "etp"]
    assert codes[-2:] == ["representation_salaries", "services_salaries"]
    pole_rule = rule_at(long, "A2")
    assert (pole_rule.errorStyle, pole_rule.showErrorMessage, pole_rule.allow_blank) == ("stop", True, True)
    assert pole_rule.error == "Choisir le pôle dans la liste (nom usuel du pôle)."


def test_indicators_template_checks_numbers_by_unit(tmp_path: Path) -> None:
    wb = write("indicateurs", tmp_path)
    wide = wb["Saisie annuelle"]
    salaries = rule_at(wide, f"{column_of(wide, 'salaries', row=5)}6")
    assert (salaries.type, salaries.operator, salaries.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert salaries.error == (
        "Nombre entier supérieur ou égal à 0 (personnes), sans texte ; laisser vide si inconnu."
    )
    etp = rule_at(wide, f"{column_of(wide, 'etp', row=5)}2005")
    assert (etp.type, etp.operator, etp.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert "décimales permises (12,5)" in etp.error
    yes_no = rule_at(wide, f"{column_of(wide, 'representation_salaries', row=5)}6")
    assert (yes_no.type, yes_no.operator, yes_no.formula1, yes_no.formula2) == ("whole", "between", "0", "1")
    assert yes_no.error.endswith(": 1 pour oui, 0 pour non.")
    value = rule_at(wb["Saisie détaillée"], "D2")
    assert (value.type, value.operator, value.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert value.error.startswith("Saisir un nombre positif ou nul")


def test_filled_indicators_template_is_read_whole(tmp_path: Path) -> None:
    from pipelines.indicators.parser import IndicatorFileParser

    wb = write("indicateurs", tmp_path)
    wide = wb["Saisie annuelle"]
    wide["B2"] = "PHARES"
    col = {code: column_of(wide, code, row=5) for code in ("salaries", "etp", "representation_salaries")}
    wide["A6"], wide[f"{col['salaries']}6"], wide[f"{col['etp']}6"] = 2016, 40, 12.5
    wide[f"{col['representation_salaries']}6"] = 1
    wide["A7"], wide[f"{col['salaries']}7"] = "2017-T2", 44
    wb["Saisie détaillée"].append(["Bou'Sol", "2016-T3", "heures_formation", 120.5, "Stage collectif"])
    path = tmp_path / "rempli.xlsx"
    wb.save(path)

    result = IndicatorFileParser("indicateurs").parse(path, "rempli.xlsx")
    assert result.status == "ok", result.message()
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    assert result.message() == "3 ligne(s) lue(s), 3 chargée(s)."  # no hidden sheet, no list sheet read
    got = {(r["pole_id"], r["annee"], r["trimestre"], r["code"]): r["valeur"] for r in result.records}
    assert got == {
        ("phares", 2016, None, "salaries"): 40,
        ("phares", 2016, None, "etp"): 12.5,
        ("phares", 2016, None, "representation_salaries"): 1,
        ("phares", 2017, 2, "salaries"): 44,
        ("bousol", 2016, 3, "heures_formation"): 120.5,
    }


# -------------------------------------------------------------------------------------- targets


def test_targets_template_is_yearly_and_reaches_years_to_come(tmp_path: Path) -> None:
    wb = write("objectifs", tmp_path)
    assert wb.sheetnames == ["Notice", "Saisie annuelle", "Saisie détaillée", "Catalogue", "Listes"]
    assert_french_notice(wb, kind_word="objectifs", folder="objectifs", formats="l'année s'écrit 2016")
    assert "un objectif est annuel (pas de trimestre)" in notice_text(wb)
    long = wb["Saisie détaillée"]
    assert [c.value for c in long[1]] == ["Pôle", "Période", "Indicateur", "Objectif", "Commentaire"]
    years = list_values(wb, rule_at(long, "B2"))
    assert years == list(range(2010, THIS_YEAR + 11))
    assert list_values(wb, rule_at(long, "C2"))[0] == "membres"
    assert rule_at(long, "D2").type == "decimal"


def test_filled_targets_template_is_read_whole(tmp_path: Path) -> None:
    from pipelines.indicators.parser import IndicatorFileParser

    wb = write("objectifs", tmp_path)
    wide = wb["Saisie annuelle"]
    wide["B2"] = "AlpEn"
    wide["A6"], wide[f"{column_of(wide, 'emplois_crees', row=5)}6"] = THIS_YEAR + 2, 15
    wb["Saisie détaillée"].append(["AlpEn", THIS_YEAR + 2, "salaries", 60, None])
    path = tmp_path / "objectifs.xlsx"
    wb.save(path)

    result = IndicatorFileParser("objectifs").parse(path, "objectifs.xlsx")
    assert result.status == "ok", result.message()
    assert (result.rows_read, result.rows_loaded) == (2, 2)
    got = {(r["pole_id"], r["annee"], r["code"]): r["valeur"] for r in result.records}
    assert got == {("alpen", THIS_YEAR + 2, "emplois_crees"): 15, ("alpen", THIS_YEAR + 2, "salaries"): 60}


# ------------------------------------------------------------------------------------- pathways


def test_pathways_template_columns_and_checks(tmp_path: Path) -> None:
    wb = write("parcours", tmp_path)
    assert wb.sheetnames == ["Notice", "Parcours", "Listes"]
    assert_french_notice(wb, kind_word="parcours", folder="parcours", formats="Dates : jj/mm/aaaa")
    assert "jamais son nom" in notice_text(wb)
    ws = wb["Parcours"]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == [
        "Identifiant",
        "Pôle",
        "Structure",
        "Date d'entrée",
        "Date de sortie",
        "Motif de sortie",
    ]
    assert "Date de naissance" not in headers  # the age band is enough (data minimisation)

    def at(header: str) -> DataValidation:
        return rule_at(ws, f"{column_of(ws, header)}2")

    assert list_values(wb, at("Pôle")) == POLES
    assert list_values(wb, at("Sexe")) == ["F", "H"]
    assert list_values(wb, at("Tranche d'âge")) == [
        "moins de 26 ans",
        "26–44 ans",
        "45–54 ans",
        "55 ans et plus",
    ]
    for flag in ("DELD", "RSA", "QPV", "RQTH", "Certification obtenue"):
        assert list_values(wb, at(flag)) == ["oui", "non"]
    entry = at("Date d'entrée")
    # 36526 is 01/01/2000 as Excel counts days.
    assert (entry.type, entry.operator, entry.formula1) == ("date", "greaterThanOrEqual", "36526")
    assert entry.error.startswith("Saisir une date (jj/mm/aaaa")
    assert ws.column_dimensions[column_of(ws, "Date d'entrée")].number_format == "DD/MM/YYYY"
    hours = at("Heures de formation")
    assert (hours.type, hours.operator, hours.formula1, hours.formula2) == ("decimal", "between", "0", "5000")
    identifier = at("Identifiant")
    assert (identifier.type, identifier.operator, identifier.formula1) == (
        "textLength",
        "lessThanOrEqual",
        "64",
    )
    motif = at("Motif de sortie")
    assert motif.errorStyle == "warning"  # a pole may write its own reason
    reasons = list_values(wb, motif)
    assert {"CDI", "Formation qualifiante", "CDD de 8 mois", "CDD de 3 mois", "Décès"} <= set(reasons)


def test_every_exit_reason_offered_is_classified(tmp_path: Path) -> None:
    from pipelines.pathways.exits import load_exit_mapping

    wb = write("parcours", tmp_path)
    ws = wb["Parcours"]
    reasons = list_values(wb, rule_at(ws, f"{column_of(ws, 'Motif de sortie')}2"))
    mapping = load_exit_mapping()
    assert [r for r in reasons if mapping.classify(str(r)).category is None] == []
    assert mapping.classify("CDD de 3 mois").category == "emploi_transition"


def test_filled_pathways_template_is_read_whole(tmp_path: Path) -> None:
    from pipelines.pathways.parser import PathwayFileParser
    from pipelines.pathways.pseudonym import PseudonymKey

    wb = write("parcours", tmp_path)
    ws = wb["Parcours"]
    ws.append(
        [
            "A-001",
            "PHARES",
            "Régie de quartier",
            date(2016, 2, 3),
            date(2016, 11, 30),
            "CDD de 8 mois",
            "F",
            "26–44 ans",
            "oui",
            "non",
            "oui",
            "non",
            35.5,
            "oui",
        ]
    )
    ws.append(["A-002", "PHARES", "Atelier vélo", date(2016, 5, 1), None, None, "H", "moins de 26 ans"])
    ws.append(["A-001", "PHARES", "Atelier vélo", date(2016, 12, 5), date(2017, 3, 1), "Décès", "F"])
    path = tmp_path / "parcours.xlsx"
    wb.save(path)

    result = PathwayFileParser(PseudonymKey(b"cle-de-test-modele"), today=date(2024, 1, 1)).parse(
        path, "parcours.xlsx"
    )
    assert result.status == "ok", result.message()
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    got = [
        (r["structure"], r["categorie_sortie"], r["sexe"], r["tranche_age"], r["deld"], r["heures_formation"])
        for r in result.records
    ]
    assert got == [
        ("Régie de quartier", "emploi_durable", "F", "26–44 ans", True, 35.5),
        ("Atelier vélo", None, "H", "moins de 26 ans", None, None),
        ("Atelier vélo", "retrait", "F", None, None, None),
    ]
    assert result.records[0]["person_key"] == result.records[2]["person_key"]  # same person, two stays


# --------------------------------------------------------------------------------------- visits


def test_visits_template_columns_and_checks(tmp_path: Path) -> None:
    wb = write("visites", tmp_path)
    assert wb.sheetnames == ["Notice", "Événements", "Pratiques", "Listes"]
    assert_french_notice(
        wb, kind_word="visites et des pratiques", folder="visites", formats="Dates : jj/mm/aaaa"
    )
    events, practices = wb["Événements"], wb["Pratiques"]
    assert [c.value for c in practices[1]] == ["Titre", "Pôle", "Angle", "Outil", "Description", "Visite"]
    kind = rule_at(events, f"{column_of(events, 'Type')}2")
    assert list_values(wb, kind) == [
        "visite apprenante",
        "séminaire de capitalisation",
        "rencontre nationale",
        "échange à distance",
    ]
    assert list_values(wb, rule_at(events, f"{column_of(events, 'Pôle hôte')}2")) == POLES
    count = rule_at(events, f"{column_of(events, 'Participants')}2")
    assert (count.type, count.operator, count.formula1, count.formula2) == ("whole", "between", "0", "10000")
    assert count.error == "Nombre entier de participants, de 0 à 10000 (compter, jamais nommer)."
    start = rule_at(events, "A2")
    assert (start.type, start.formula1) == ("date", "40179")  # 01/01/2010
    assert list_values(wb, rule_at(practices, "B2")) == POLES
    assert list_values(wb, rule_at(practices, "C2")) == [
        "Emploi au sein du PTCE",
        "Parcours et sécurisation",
        "Formes d'emploi et mutualisation",
        "Création d'activités",
        "Qualité de l'emploi",
    ]
    tool = rule_at(practices, "D2")
    assert tool.errorStyle == "warning" and "GEIQ" in list_values(wb, tool)


def test_filled_visits_template_is_read_whole(tmp_path: Path) -> None:
    from pipelines.visits.parser import VisitFileParser, records_of

    wb = write("visites", tmp_path)
    wb["Événements"].append(
        [
            date(2016, 3, 12),
            None,
            "visite apprenante",
            "PHARES",
            "Saint-Denis",
            "Visite de PHARES",
            "mutualisation ; emploi",
            "Bou'Sol ; AlpEn",
            24,
            None,
            "Compte rendu (cr_visite.pdf)",
        ]
    )
    wb["Événements"].append(
        [date(2016, 6, 29), date(2016, 6, 30), "séminaire de capitalisation", None, "Lyon", "Séminaire"]
    )
    wb["Pratiques"].append(
        ["Groupement d'employeurs agricole", "PHARES", "Formes d'emploi et mutualisation", "GEIQ"]
    )
    path = tmp_path / "visites.xlsx"
    wb.save(path)

    result = VisitFileParser(today=date(2024, 1, 1)).parse(path, "visites.xlsx")
    assert result.status == "ok", result.message()
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    events = [
        (r["date_visite"], r["type"], r["pole_id"], r["nb_participants"]) for r in records_of(result, "event")
    ]
    assert events == [
        (date(2016, 3, 12), "visite apprenante", "phares", 24),
        (date(2016, 6, 29), "séminaire de capitalisation", None, None),
    ]
    assert [(r["pole_id"], r["angle"], r["outil"]) for r in records_of(result, "practice")] == [
        ("phares", "mutualisation", "GEIQ")
    ]


def test_visits_template_with_events_only_stays_ok(tmp_path: Path) -> None:
    """The « Pratiques » sheet left blank is said in the log, without making the file « partial »."""
    from pipelines.visits.parser import VisitFileParser

    wb = write("visites", tmp_path)
    wb["Événements"].append([date(2016, 3, 12), None, "visite apprenante", "PHARES"])
    path = tmp_path / "evenements.xlsx"
    wb.save(path)
    result = VisitFileParser(today=date(2024, 1, 1)).parse(path, "evenements.xlsx")
    assert result.status == "ok" and (result.rows_read, result.rows_loaded) == (1, 1)
    assert result.message() == (
        "1 ligne(s) lue(s), 1 chargée(s). evenements.xlsx : aucune ligne de pratique sous les en-têtes "
        "(feuille « Pratiques »)."
    )


@pytest.mark.parametrize(
    ("kind", "status", "said"),
    [
        ("indicateurs", "error", "vierge.xlsx : impossible de savoir de quel pôle il s'agit."),
        ("objectifs", "error", "vierge.xlsx : impossible de savoir de quel pôle il s'agit."),
        ("parcours", "partial", "vierge.xlsx : aucune ligne de parcours sous les en-têtes"),
        ("visites", "partial", "vierge.xlsx : aucune ligne d'événement sous les en-têtes"),
    ],
)
def test_blank_template_is_not_data(kind: str, status: str, said: str, tmp_path: Path) -> None:
    """Deposited blank, a template loads nothing and says why (never a silent « ok »)."""
    from pipelines.indicators.parser import IndicatorFileParser
    from pipelines.pathways.parser import PathwayFileParser
    from pipelines.pathways.pseudonym import PseudonymKey
    from pipelines.visits.parser import VisitFileParser

    path = template_writers()[kind](tmp_path / "vierge.xlsx")
    parser = {
        "indicateurs": IndicatorFileParser("indicateurs"),
        "objectifs": IndicatorFileParser("objectifs"),
        "parcours": PathwayFileParser(PseudonymKey(b"cle")),
        "visites": VisitFileParser(),
    }[kind]
    result = parser.parse(path, "vierge.xlsx")
    assert (result.status, result.rows_read, result.rows_loaded) == (status, 0, 0)
    assert said in result.message()

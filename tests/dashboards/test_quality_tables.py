"""Qualité des données tables: rule outcomes, examples, the file log, quarantine, completeness, corrections."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboards.quality import tables as quality_tables


def checks_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "asset": ["poles", "mart_pole_year", "targets", "ingest_log"],
            "regle": ["douze_poles", "saut_annuel", "objectifs_connus", "conservation"],
            "description": ["Douze pôles.", "Saut.", None, "Lues = chargées + quarantaine."],
            "severite": ["ERROR", "WARN", "WARN", "ERROR"],
            "passed": [True, False, True, False],
            "unexpected_count": [0, 1234, 0, 2],
            "moteur": ["gx", "gx", "gx", "sql"],
        }
    )


def ingest_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_file": ["raw/indicateurs/a.csv", "raw/indicateurs/b.xlsx", "raw/visites/c.csv"],
            "kind": ["indicateurs", "indicateurs", "visites"],
            "rows_read": [1200, 10, 0],
            "rows_loaded": [1198, 7, 0],
            "rows_quarantined": [2, 2, 0],
            "status": ["partial", "partial", "error"],
            "message": ["2 ligne(s) en quarantaine", "?", "Fichier illisible : <b>"],
            "arrived_at": [pd.Timestamp("2017-03-02 10:00"), None, pd.Timestamp("2017-04-01")],
        }
    )


def quarantine_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_file": ["raw/i/b.csv", "raw/i/a.csv", "raw/i/a.csv", "raw/i/c.xlsx"],
            "sheet": [None, None, None, "Feuil1"],
            "row_number": [3, 5, 7, None],
            "field": ["valeur", "pole", "valeur", "periode"],
            "value": ["12,5,3", "Inconnu", '=HYPERLINK("x")', None],
            "reason": ["pas un nombre", "pôle inconnu", "pas un nombre", "période absente"],
            "pole_id": ["phares", None, "sud_aquitain", "phares"],
            "pole_nom": ["PHARES", None, "Pôle Sud Aquitain", "PHARES"],
            "numero": [2, None, 1, 2],
        }
    )


def test_examples_frame_from_the_json_of_a_rule() -> None:
    rows = quality_tables.examples_frame(
        '[{"pole_id": "phares", "annee": 2016, "valeur": 1234.5}, {"pole_id": "bousol"}]'
    )
    assert list(rows.columns) == ["pole_id", "annee", "valeur"]
    assert rows.to_dict("records") == [
        {"pole_id": "phares", "annee": "2016", "valeur": "1\u202f234,5"},
        {"pole_id": "bousol", "annee": "–", "valeur": "–"},
    ]
    values = quality_tables.examples_frame('["phares 2016", 12, null, {"a": [1, 2]}]')
    assert values["Valeur"].tolist() == ["phares 2016", "12", "–", '{"a": [1, 2]}']
    assert quality_tables.examples_frame("pas du JSON <b>").to_dict("list") == {"Valeur": ["pas du JSON <b>"]}
    assert quality_tables.examples_frame('{"observed": 11}').to_dict("list") == {"observed": ["11"]}
    assert quality_tables.examples_frame(None).empty
    assert quality_tables.examples_frame("[]").empty


def test_data_docs_target() -> None:
    assert quality_tables.data_docs_target("https://x.org/index.html") == ("url", "https://x.org/index.html")
    assert quality_tables.data_docs_target(" HTTP://x.org ") == ("url", "HTTP://x.org")
    assert quality_tables.data_docs_target("curated/data_docs/index.html", Path("/data")) == (
        "path",
        str(Path("/data/curated/data_docs/index.html")),
    )
    assert quality_tables.data_docs_target("/srv/docs/index.html", Path("/data")) == (
        "path",
        "/srv/docs/index.html",
    )
    assert (
        quality_tables.data_docs_target("file:///srv/docs/index.html")[0] == "path"
    )  # browsers block file links
    assert quality_tables.data_docs_target(None) == ("absent", "")
    assert quality_tables.data_docs_target(float("nan")) == ("absent", "")
    assert quality_tables.data_docs_target("  ") == ("absent", "")
    # Served by `ptce dashboard`: the address wins over the path, but only if docs were built.
    served = "http://127.0.0.1:8502/index.html"
    assert quality_tables.data_docs_target("curated/data_docs/index.html", Path("/data"), served) == (
        "url",
        served,
    )
    assert quality_tables.data_docs_target(None, Path("/data"), served) == ("absent", "")


def test_check_outcomes_and_summary() -> None:
    assert quality_tables.check_outcome(True, "ERROR") == quality_tables.CHECK_PASSED == "✅ Réussie"
    assert quality_tables.check_outcome(False, "WARN") == quality_tables.CHECK_WARN == "⚠️ Alerte"
    assert quality_tables.check_outcome(False, "ERROR") == quality_tables.CHECK_ERROR == "⛔ Bloquante"
    assert quality_tables.check_summary(checks_frame()) == quality_tables.CheckSummary(
        total=4, passed=2, warn=1, error=1
    )
    assert quality_tables.check_summary(checks_frame().iloc[0:0]) == quality_tables.CheckSummary(0, 0, 0, 0)

    table = quality_tables.checks_table(checks_frame())
    assert table["Résultat"].tolist() == ["✅ Réussie", "⚠️ Alerte", "✅ Réussie", "⛔ Bloquante"]
    assert table["Sévérité"].tolist() == ["Bloquante", "Alerte", "Alerte", "Bloquante"]
    assert table["Anomalies"].tolist() == ["0", "1\u202f234", "0", "2"]
    assert table["Moteur"].tolist() == [
        "Great Expectations",
        "Great Expectations",
        "Great Expectations",
        "SQL",
    ]
    # The rule in words (its description); its code only when it has none. Tables by their French name.
    assert table["Règle"].tolist() == [
        "Douze pôles.",
        "Saut.",
        "objectifs_connus",
        "Lues = chargées + quarantaine.",
    ]
    assert table["Table"].tolist() == [
        "Pôles",
        "Chiffres annuels par pôle",
        "Objectifs",
        "Journal des fichiers reçus",
    ]
    assert "Description" not in table.columns


def test_ingest_summary_and_table_check_every_row_is_accounted_for() -> None:
    summary = quality_tables.ingest_summary(ingest_frame())
    assert summary == quality_tables.IngestSummary(
        files=3, rows_read=1210, rows_loaded=1205, rows_quarantined=4, unbalanced=("raw/indicateurs/b.xlsx",)
    )
    table = quality_tables.ingest_table(ingest_frame())
    assert table["Statut"].tolist() == ["⚠️ Partiel", "⚠️ Partiel", "⛔ Illisible"]
    assert table["Bilan"].tolist() == ["✅", "⛔ écart de 1", "✅"]
    assert table["Lignes lues"].tolist() == ["1\u202f200", "10", "0"]
    assert table["Reçu le"].tolist() == ["02/03/2017", "–", "01/04/2017"]
    assert table["Type"].tolist() == ["Indicateurs", "Indicateurs", "Visites"]
    assert table["Message"].tolist()[2] == "Fichier illisible : <b>"


def test_pole_filter_options_in_pole_order_with_unrecognised_last() -> None:
    options, labels = quality_tables.pole_filter_options(quarantine_frame())
    assert options == [quality_tables.ALL_POLES, "sud_aquitain", "phares", quality_tables.UNKNOWN_POLE]
    assert [labels[o] for o in options] == [
        "Tous les pôles",
        "Pôle Sud Aquitain",
        "PHARES",
        "Pôle non reconnu",
    ]
    known_only, _ = quality_tables.pole_filter_options(quarantine_frame().dropna(subset=["pole_id"]))
    assert quality_tables.UNKNOWN_POLE not in known_only

    frame = quarantine_frame()
    assert len(quality_tables.filter_by_pole(frame, quality_tables.ALL_POLES)) == 4
    assert quality_tables.filter_by_pole(frame, "phares")["source_file"].tolist() == [
        "raw/i/b.csv",
        "raw/i/c.xlsx",
    ]
    assert quality_tables.filter_by_pole(frame, quality_tables.UNKNOWN_POLE)["field"].tolist() == ["pole"]
    assert len(quality_tables.filter_by_file(frame, quality_tables.ALL_FILES)) == 4
    assert len(quality_tables.filter_by_file(frame, "raw/i/a.csv")) == 2


def test_quarantine_table_keeps_values_as_received() -> None:
    table = quality_tables.quarantine_table(quarantine_frame())
    assert list(table.columns) == ["Fichier", "Feuille", "Ligne", "Pôle", "Champ", "Valeur", "Motif"]
    assert table["Pôle"].tolist() == ["PHARES", "Pôle non reconnu", "Pôle Sud Aquitain", "PHARES"]
    assert table["Valeur"].tolist() == ["12,5,3", "Inconnu", '=HYPERLINK("x")', ""]
    assert table["Ligne"].tolist()[:3] == [3, 5, 7]
    assert table["Ligne"].isna().tolist() == [False, False, False, True]


def test_completeness_text() -> None:
    assert quality_tables.completeness_text("complet", False) == "complet"
    assert quality_tables.completeness_text("complet", True) == "complet · en retard"
    assert quality_tables.completeness_text("manquant", None) == "manquant"
    assert quality_tables.completeness_text(None, None) == "–"


def test_reporting_table() -> None:
    rates = pd.DataFrame(
        {"annee": [2015, 2016], "attendus": [12, 0], "recus": [9, 0], "a_temps": [6, 0], "complets": [8, 0]}
    )
    table = quality_tables.reporting_table(rates)
    assert table.iloc[0].to_dict() == {
        "Année": "2015",
        "Envois attendus": "12",
        "Reçus": "9",
        "Taux de déclaration": "75,0 %",
        "Reçus dans les délais": "6",
        "Taux dans les délais": "50,0 %",
        "Complets": "8",
    }
    assert table.iloc[1]["Taux de déclaration"] == "–"  # nothing expected: no rate


def test_changes_table_in_french() -> None:
    changes = pd.DataFrame(
        {
            "pole_id": ["phares", "bousol", "fantome"],
            "pole_nom": ["PHARES", "Bou'Sol", None],
            "annee": [2016, 2016, 2017],
            "trimestre": [None, 3, None],
            "libelle": ["Salariés en CDI", "ETP mutualisés", "Taux"],
            "unite": ["personnes", "ETP", "%"],
            "version": [2, 3, 2],
            "ancienne_valeur": [1299.0, None, 0.5],
            "nouvelle_valeur": [1239.0, 2.5, None],
            "ancien_fichier": ["raw/i/a.xlsx", "raw/i/b.csv", "raw/i/c.csv"],
            "nouveau_fichier": ["raw/i/a_corrige.xlsx", "raw/i/b2.csv", "raw/i/c2.csv"],
            "arrived_at": [pd.Timestamp("2017-04-03 10:00"), pd.Timestamp("2017-10-15"), None],
            "type_changement": ["modifiée", "ajoutée", "retirée"],
        }
    )
    table = quality_tables.changes_table(changes)
    assert table["Période"].tolist() == ["2016", "T3 2016", "2017"]
    assert table["Ancienne valeur"].tolist() == ["1\u202f299", "–", "50,0 %"]
    assert table["Nouvelle valeur"].tolist() == ["1\u202f239", "2,5", "–"]
    assert table["Reçu le"].tolist() == ["03/04/2017", "15/10/2017", "–"]
    assert table["Pôle"].tolist() == ["PHARES", "Bou'Sol", "fantome"]  # an unknown id is still named
    assert table["Version"].tolist() == [2, 3, 2]


def test_ignored_files_are_labelled_and_counted_apart() -> None:
    log = pd.concat(
        [
            ingest_frame(),
            pd.DataFrame(
                {
                    "source_file": ["raw/indicateurs/.cache.csv"],
                    "kind": ["non_classe"],
                    "rows_read": [0],
                    "rows_loaded": [0],
                    "rows_quarantined": [0],
                    "status": ["ignored"],
                    "message": ["raw/indicateurs/.cache.csv : fichier masqué : non lu."],
                    "arrived_at": [None],
                }
            ),
        ],
        ignore_index=True,
    )
    summary = quality_tables.ingest_summary(log)
    assert (summary.files, summary.ignored, summary.unbalanced) == (4, 1, ("raw/indicateurs/b.xlsx",))
    table = quality_tables.ingest_table(log)
    assert table["Statut"].tolist()[-1] == "⏭️ Ignoré (non lu)"
    assert table["Type"].tolist()[-1] == "Hors des dossiers prévus"
    assert table["Bilan"].tolist()[-1] == "✅"

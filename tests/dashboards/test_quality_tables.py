"""Qualité des données tables: rule outcomes, examples, the file log, quarantine, completeness, corrections."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboards.quality import tables as quality_tables
from dashboards.shared.table_format import display_frame, export_frame


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
            "reason": [
                "raw/i/b.csv, ligne 3, champ valeur : pas un nombre",
                "raw/i/a.csv, ligne 5, champ pôle : pôle inconnu",
                "pas un nombre",
                "raw/i/c.xlsx : période absente",
            ],
            "pole_id": ["phares", None, "sud_aquitain", "phares"],
            "pole_nom": ["PHARES", None, "Pôle Sud Aquitain", "PHARES"],
            "numero": [2, None, 1, 2],
            "annee": [2016, None, 2017, None],
            "trimestre": [3, None, None, None],
            "indicateur": ["salaries", None, "etp_mutualises", None],
            "indicateur_libelle": ["Salariés", None, None, None],
            "arrived_at": [
                pd.Timestamp("2017-05-02"),
                pd.Timestamp("2017-04-01"),
                pd.Timestamp("2017-04-01"),
                None,
            ],
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

    table = display_frame(quality_tables.checks_table(checks_frame()))
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
    typed = quality_tables.ingest_table(ingest_frame()).frame
    assert typed["Lignes lues"].tolist() == [1200, 10, 0]
    assert typed["Reçu le"].sort_values().tolist()[:2] == [
        pd.Timestamp("2017-03-02 10:00"),
        pd.Timestamp("2017-04-01"),
    ]
    table = display_frame(quality_tables.ingest_table(ingest_frame()))
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
    assert list(table.frame.columns) == [
        "Pôle",
        "Période",
        "Indicateur",
        "Champ",
        "Valeur",
        "Motif",
        "Fichier",
        "Feuille",
        "Ligne",
        "Reçu le",
    ]
    shown = display_frame(table)
    assert shown["Pôle"].tolist() == ["PHARES", "Pôle non reconnu", "Pôle Sud Aquitain", "PHARES"]
    assert shown["Période"].tolist() == ["T3 2016", "–", "2017", "–"]
    # The catalogue's label when known, else the code the file gave.
    assert shown["Indicateur"].tolist() == ["Salariés", "–", "etp_mutualises", "–"]
    assert shown["Valeur"].tolist() == ["12,5,3", "Inconnu", '=HYPERLINK("x")', ""]
    # The reason without the file, line and field that have their own columns.
    assert shown["Motif"].tolist() == ["pas un nombre", "pôle inconnu", "pas un nombre", "période absente"]
    assert shown["Reçu le"].tolist() == ["02/05/2017", "01/04/2017", "01/04/2017", "–"]
    assert table.frame["Ligne"].tolist()[:3] == [3, 5, 7]
    assert table.frame["Ligne"].isna().tolist() == [False, False, False, True]


def test_reason_text_keeps_a_reason_that_does_not_start_with_its_place() -> None:
    reason = "raw/i/a.csv, ligne 5, champ valeur : « raw/i/a.csv, ligne 5 » n'est pas un nombre"
    assert (
        quality_tables.reason_text(reason, "raw/i/a.csv", 5) == "« raw/i/a.csv, ligne 5 » n'est pas un nombre"
    )
    # Another file's name at the start is not this row's place: the reason stays whole.
    assert quality_tables.reason_text("raw/i/b.csv : vide", "raw/i/a.csv", None) == "raw/i/b.csv : vide"
    assert quality_tables.reason_text(None, "raw/i/a.csv", 1) == ""


def test_reminders_list_poles_missing_partial_or_late_with_representatives() -> None:
    cells = pd.DataFrame(
        {
            "pole_id": ["a", "b", "c", "d", "a"],
            "pole_nom": ["Pôle A", "Pôle B", "Pôle C", "Pôle D", "Pôle A"],
            "numero": [1, 2, 3, 4, 1],
            "annee": [2016, 2016, 2016, 2016, 2017],
            "kind": ["indicateurs"] * 5,
            "statut": ["complet", "manquant", "partiel", "complet", "à venir"],
            "en_retard": [False, None, False, True, None],
            "nb_valeurs": [30, 0, 12, 30, 0],
            "nb_attendues": [30, 30, 30, 30, 30],
            "premiere_reception": [
                pd.Timestamp("2017-03-01"),
                None,
                pd.Timestamp("2017-03-20"),
                pd.Timestamp("2017-05-04"),
                None,
            ],
            "echeance": [pd.Timestamp("2017-03-31")] * 4 + [pd.Timestamp("2018-03-31")],
        }
    )
    poles = pd.DataFrame(
        {
            "pole_id": ["a", "b", "c", "d"],
            "representants": ["Anne A", "Bruno B", "Chloé C", "Denis D"],
            "structure_initiatrice": ["SA", "SB", "SC", "SD"],
            "commune": ["Aa", "Bb", "Cc", "Dd"],
        }
    )
    assert quality_tables.reminder_years(cells) == [2016]  # 2017's deadline has not passed
    # The year shown first is the latest with someone to remind.
    assert quality_tables.reminder_default(cells, [2017, 2016]) == 1
    assert quality_tables.reminder_default(cells.iloc[[0]], [2016]) == 0
    table = quality_tables.reminders_table(cells, poles, 2016)
    shown = display_frame(table)
    assert shown["Pôle"].tolist() == ["Pôle B", "Pôle C", "Pôle D"]  # complete and on time: no reminder
    assert shown["Situation"].tolist() == [
        "Rien reçu",
        "Envoi partiel : 12 valeurs sur 30 attendues",
        "Complet · reçu en retard le 04/05/2017",
    ]
    assert shown["Représentants"].tolist() == ["Bruno B", "Chloé C", "Denis D"]
    assert shown["Échéance"].tolist() == ["31/03/2017"] * 3
    # Downloaded for a mailing: dates as French Excel reads them.
    assert export_frame(table)["Premier envoi"].fillna("").tolist() == ["", "20/03/2017", "04/05/2017"]


def test_completeness_text() -> None:
    assert quality_tables.completeness_text("complet", False) == "complet"
    assert quality_tables.completeness_text("complet", True) == "complet · en retard"
    assert quality_tables.completeness_text("manquant", None) == "manquant"
    assert quality_tables.completeness_text(None, None) == "–"


def test_reporting_table() -> None:
    rates = pd.DataFrame(
        {"annee": [2015, 2016], "attendus": [12, 0], "recus": [9, 0], "a_temps": [6, 0], "complets": [8, 0]}
    )
    typed = quality_tables.reporting_table(rates)
    assert typed.frame["Taux de déclaration"].tolist()[0] == 0.75
    # Exported for Excel in percent, the header saying so.
    assert export_frame(typed)["Taux de déclaration (%)"].tolist()[0] == 75.0
    table = display_frame(typed)
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
    typed = quality_tables.changes_table(changes)
    assert typed.frame["Ancienne valeur"].tolist()[0] == 1299.0
    # Each row in its indicator's unit; a rate exported in percent.
    assert export_frame(typed)["Ancienne valeur"].tolist()[2] == 50.0
    table = display_frame(typed)
    assert table["Période"].tolist() == ["2016", "T3 2016", "2017"]
    assert table["Ancienne valeur"].tolist() == ["1\u202f299", "–", "50,0 %"]
    assert table["Nouvelle valeur"].tolist() == ["1\u202f239", "2,5", "–"]
    assert table["Reçu le"].tolist() == ["03/04/2017", "15/10/2017", "–"]
    assert table["Pôle"].tolist() == ["PHARES", "Bou'Sol", "fantome"]  # an unknown id is still named
    assert table["Version"].tolist() == ["2", "3", "2"]


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
    table = display_frame(quality_tables.ingest_table(log))
    assert table["Statut"].tolist()[-1] == "⏭️ Ignoré (non lu)"
    assert table["Type"].tolist()[-1] == "Hors des dossiers prévus"
    assert table["Bilan"].tolist()[-1] == "✅"


def test_completeness_matrix_pages_of_poles_at_national_scale() -> None:
    """130 poles: three blocks of at most 50 by number, every pole in exactly one; 12 poles: one."""
    from dashboards.quality.charts import completeness_figure

    numbers = list(range(130, 0, -1))  # unsorted on purpose
    cells = pd.DataFrame(
        {
            "pole_id": [f"p{n:04d}" for n in numbers for _ in (2016, 2017)],
            "pole_nom": [f"Pôle {n}" for n in numbers for _ in (2016, 2017)],
            "numero": [n for n in numbers for _ in (2016, 2017)],
            "annee": [y for _ in numbers for y in (2016, 2017)],
            "taux": 1.0,
            "statut": "complet",
            "en_retard": False,
            "nb_valeurs": 3,
            "nb_attendues": 3,
            "premiere_reception": pd.Timestamp("2017-02-01"),
            "echeance": pd.Timestamp("2017-03-31"),
        }
    )
    pages = quality_tables.pole_pages(cells)
    assert [label for label, _ in pages] == ["Pôles n° 1 à 50", "Pôles n° 51 à 100", "Pôles n° 101 à 130"]
    assert [len(ids) for _, ids in pages] == [50, 50, 30]
    assert sorted(i for _, ids in pages for i in ids) == sorted(set(cells["pole_id"]))
    assert pages[0][1][:2] == ["p0001", "p0002"]
    first = cells[cells["pole_id"].isin(pages[0][1])]
    assert len(completeness_figure(first).data[0].y) == 50
    twelve = cells[cells["numero"] <= 12]
    assert [(label, len(ids)) for label, ids in quality_tables.pole_pages(twelve)] == [
        ("Pôles n° 1 à 12", 12)
    ]

"""French texts the pages show: metric values and changes, captions, escaping, formatted tables."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from dashboards.overview import tables as overview_tables
from dashboards.pole import tables as pole_tables
from dashboards.quality import tables as quality_tables
from dashboards.shared import display, export


@pytest.mark.parametrize(
    ("current", "previous", "unite", "expected"),
    [
        (110.0, 100.0, "personnes", "+10,0 %"),
        (90.0, 100.0, "ETP", "-10,0 %"),
        (0.624, 0.600, "%", "+2,4 pt"),  # rates change in points, not in percent of a percent
        (0.55, 0.60, "%", "-5 pt"),
        (12.0, None, "nombre", None),
        (None, 5.0, "nombre", None),
        (12.0, 0.0, "nombre", None),  # no relative change from zero
        (float("nan"), 3.0, "nombre", None),
    ],
)
def test_metric_delta(
    current: float | None, previous: float | None, unite: str, expected: str | None
) -> None:
    result = overview_tables.metric_delta(current, previous, unite)
    if expected is None:
        assert result is None
    else:
        # Babel separates the % sign with a space; compare ignoring the kind of space.
        assert result is not None
        assert result.replace("\u00a0", " ").replace("\u202f", " ") == expected


def test_value_text_is_french() -> None:
    assert display.value_text(3777.0, "personnes") == "3\u202f777"
    assert display.value_text(0.6243, "%") == "62,4 %"
    assert display.value_text(float("nan"), "nombre") == "–"
    assert display.value_text(None, "%") == "–"
    assert display.value_text(1.0, "oui/non") == "oui"
    assert display.value_text(0.0, "oui/non") == "non"
    assert display.value_text(0.5, "oui/non") == "0,5"  # a median of yes/no answers


def test_delta_color_follows_the_catalogue_direction() -> None:
    assert overview_tables.delta_color("hausse") == "normal"
    assert overview_tables.delta_color("baisse") == "inverse"
    assert overview_tables.delta_color("neutre") == "off"


def test_metric_help_counts_poles() -> None:
    assert overview_tables.metric_help("Salariés", 11, 12, 2017, True) == (
        "Salariés : 11 pôles sur 12 ont transmis cette valeur pour 2017. Évolution par rapport à 2016."
    )
    assert (
        overview_tables.metric_help("X", 1, 12, 2015, False)
        == "X : 1 pôle sur 12 a transmis cette valeur pour 2015."
    )


def test_publication_caption_on_paris_clock() -> None:
    # The pipeline writes UTC; Paris is UTC+1 in winter and UTC+2 in summer.
    winter = display.publication_caption(pd.Timestamp("2026-11-23 19:14:25"), "2026.1")
    assert winter == "Données publiées le 23/11/2026 à 20:14 · catalogue 2026.1"
    summer = display.publication_caption(pd.Timestamp("2026-07-01 12:00"), "2026.1")
    assert summer == "Données publiées le 01/07/2026 à 14:00 · catalogue 2026.1"
    assert display.publication_caption(None, None) == "Données publiées le – · catalogue –"


def test_escape_markdown_makes_names_inert() -> None:
    escaped = display.escape_markdown("Pôle *gras* [lien](http://x) $x$ <b>")
    assert escaped == "Pôle \\*gras\\* \\[lien\\]\\(http\u2060\\://x\\) \\$x\\$ \\<b\\>"


@pytest.mark.parametrize(
    "text",
    [
        "voir http://exemple.invalid/page",
        "HTTPS://exemple.invalid",
        "(https://exemple.invalid)",
        "www.exemple.invalid",
        "écrire à contact@exemple.invalid",
        "mailto:contact@exemple.invalid",
        "ftp://exemple.invalid",
    ],
)
def test_escape_markdown_leaves_no_autolink(text: str) -> None:
    # GitHub-flavoured Markdown links these even when every punctuation mark is escaped; the word
    # joiner breaks each trigger, and the text reads the same once it is removed.
    escaped = display.escape_markdown(text)
    assert escaped.replace("\u2060", "").replace("\\", "") == text
    plain = escaped.replace("\\", "")
    for trigger in ("http:", "https:", "HTTPS:", "ftp:", "www.", "@", "mailto:"):
        if trigger in text:
            assert trigger not in plain or (trigger == "@" and "\u2060@" in plain)
    assert "\u2060" in escaped


def test_cap_table_cuts_rows_and_long_cells_visibly() -> None:
    frame = pd.DataFrame({"texte": ["court", "x" * 50], "n": [1, 2]})
    capped, rows_cut, cells_cut = export.cap_table(frame, 1, 10)
    assert (rows_cut, cells_cut) == (True, False)
    assert capped["texte"].tolist() == ["court"]
    capped, rows_cut, cells_cut = export.cap_table(frame, None, 10)
    assert (rows_cut, cells_cut) == (False, True)
    assert capped["texte"].tolist() == ["court", "x" * 10 + " … [tronqué, 50 caractères]"]
    assert capped["n"].tolist() == [1, 2]
    assert frame["texte"].tolist()[1] == "x" * 50  # the frame given is left alone


def test_origin_label() -> None:
    assert pole_tables.origin_label("annuel", None) == "valeur annuelle transmise"
    assert pole_tables.origin_label("trimestres", 3) == "calculée à partir des trimestres (3 trimestres)"
    assert pole_tables.origin_label("trimestres", 1) == "calculée à partir des trimestres (1 trimestre)"
    assert pole_tables.origin_label("calcul", pd.NA) == "calculée (rapport de sommes)"
    assert pole_tables.origin_label("autre", None) == "autre"
    assert pole_tables.origin_label(None, None) == "–"


def test_poles_table_headers_and_formats() -> None:
    frame = pd.DataFrame(
        [
            {
                "pole_id": "phares",
                "numero": 3,
                "nom": "PHARES",
                "commune": "L'Île-Saint-Denis",
                "nom_departement": "Seine-Saint-Denis",
                "region": "Île-de-France",
                "membres": 16.0,
                "salaries": 1234.0,
                "etp": 987.5,
                "emplois_crees": None,
                "personnes_accompagnees": 40.0,
                "taux_sortie_dynamique": 0.5,
            }
        ]
    )
    table = overview_tables.poles_table(frame)
    row = table.iloc[0]
    assert row["N°"] == 3
    assert row["Salariés"] == "1\u202f234"
    assert row["ETP"] == "987,5"
    assert row["Emplois créés"] == "–"
    assert row["Taux de sorties dynamiques"] == "50,0 %"
    assert row["Fiche"] == "pole?pole=phares"


def test_pole_values_table() -> None:
    series = pd.DataFrame(
        [
            {
                "domaine_libelle": "Emploi au sein du PTCE",
                "libelle": "Part des salariés en CDI",
                "annee": 2016,
                "unite": "%",
                "valeur": 0.4,
                "mediane_reseau": 0.45,
                "origine": "calcul",
                "nb_trimestres": None,
                "fichiers": None,
                "commentaires": None,
            },
            {
                "domaine_libelle": "Qualité de l'emploi",
                "libelle": "Représentation",
                "annee": 2016,
                "unite": "oui/non",
                "valeur": 1.0,
                "mediane_reseau": 0.5,
                "origine": "annuel",
                "nb_trimestres": None,
                "fichiers": "raw/indicateurs/a.csv",
                "commentaires": "Chiffre provisoire",
            },
        ]
    )
    table = pole_tables.pole_values_table(series)
    assert list(table.columns) == [
        "Domaine",
        "Indicateur",
        "Année",
        "Valeur",
        "Médiane des pôles",
        "Origine",
        "Commentaire du pôle",
        "Fichiers sources",
    ]
    assert table["Année"].tolist() == ["2016", "2016"]
    assert table["Valeur"].tolist() == ["40,0 %", "oui"]
    assert table["Médiane des pôles"].tolist() == ["45,0 %", "0,5"]
    assert table["Fichiers sources"].tolist() == ["", "raw/indicateurs/a.csv"]
    assert table["Commentaire du pôle"].tolist() == ["", "Chiffre provisoire"]
    comments = pole_tables.pole_comments(series)
    assert comments.values.tolist() == [["Représentation", 2016, "Chiffre provisoire"]]


# --- Data quality --------------------------------------------------------------------------------


def test_to_excel_csv_is_for_french_excel_and_runs_no_formula() -> None:
    frame = pd.DataFrame(
        {
            "Pôle": ["Écomatériaux", "Bou'Sol", "PHARES", "AlpEn", "Tarnais", "Réseau"],
            "Valeur": [
                '=HYPERLINK("http://x")',
                "+33 6 12",
                "-2+3",
                "@SUM(A1)",
                "\t=1+1",
                "<script>alert(1)</script>",
            ],
            "Taux": [0.5, 1234.25, -3.5, None, 2.0, 0.0],
            "Ligne": pd.array([1, 2, None, 4, 5, 6], dtype="Int64"),
        }
    )

    data = export.to_excel_csv(frame)

    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads the accents right
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "Pôle;Valeur;Taux;Ligne"
    assert lines[1] == 'Écomatériaux;"\'=HYPERLINK(""http://x"")";0,5;1'
    assert lines[2] == "Bou'Sol;'+33 6 12;1234,25;2"
    assert lines[3] == "PHARES;'-2+3;-3,5;"  # a negative number stays a number
    assert lines[4] == "AlpEn;'@SUM(A1);;4"  # missing stays empty, never zero
    assert lines[5] == "Tarnais;'\t=1+1;2,0;5"
    assert lines[6] == "Réseau;<script>alert(1)</script>;0,0;6"
    # Round trip: every cell comes back, accents intact, formulas behind their apostrophe.
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Valeur": str})
    assert back["Pôle"].tolist() == frame["Pôle"].tolist()
    assert back["Valeur"].tolist() == ["'" + v for v in frame["Valeur"][:5]] + [frame["Valeur"][5]]
    assert back["Taux"].tolist()[:3] == [0.5, 1234.25, -3.5]
    with pytest.raises(UnicodeDecodeError):
        data.decode("ascii")  # genuinely UTF-8, not a lossy 8-bit code page


def test_to_excel_csv_neutralises_carriage_return_and_headers() -> None:
    data = export.to_excel_csv(pd.DataFrame({"=A1": ["\r=cmd"]}))
    assert data.decode("utf-8-sig") == "'=A1\r\n\"'\r=cmd\"\r\n"


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
    assert table["Description"].tolist()[2] == ""


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

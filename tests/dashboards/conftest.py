"""Fixtures of the dashboard tests: variants of the published demo warehouse (`demo_data_dir`).

The demo itself is built once per session by tests/conftest.py and must never be modified here;
a test that needs different data changes a private copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.ingest.applications import load_questions
from ptce.paths import DataLayout
from ptce.text import normalize_words
from ptce.warehouse import TABLES, create_table_sql, fetch_one


@pytest.fixture
def altered_data_dir(tmp_path: Path, demo_data_dir: Path) -> Callable[..., Path]:
    """Factory: a data directory holding a copy of the demo warehouse changed by the SQL given."""

    def make(*statements: str, params: tuple[list[object], ...] = ()) -> Path:
        target = DataLayout(tmp_path).warehouse
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DataLayout(demo_data_dir).warehouse, target)
        with duckdb.connect(str(target)) as con:
            for i, sql in enumerate(statements):
                con.execute(sql, params[i] if i < len(params) else [])
        return tmp_path

    return make


# Tables of the quality page, added to the warehouse contract with issue #3. Until the pipeline
# publishes them, `quality_data_dir` creates them empty and fills them with plausible rows built
# from the demo's own files, poles and values; once the pipeline fills them, its rows are used.
QUALITY_TABLES = (
    "ingest_log",
    "quarantine",
    "check_results",
    "completeness",
    "indicator_history",
    "indicator_changes",
    "file_arrivals",
)


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    sql = "select count(*) from information_schema.tables where table_name = ?"
    return bool(fetch_one(con, sql, [table])[0])


def _empty(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return fetch_one(con, f'select count(*) from "{table}"')[0] == 0


def ensure_quality_content(con: duckdb.DuckDBPyConnection) -> None:
    """Give a copy of the demo warehouse the quality tables, with rows where the pipeline gave none."""
    for table in QUALITY_TABLES:
        if not _exists(con, table):
            con.execute(create_table_sql(table))
    con.execute("alter table publication add column if not exists data_docs varchar")

    if _empty(con, "quarantine"):
        # Two indicator files of two poles: one wrong number and one wrong period in the first, an
        # unknown pole in the second (pole_id null). Then the log counts them, as the pipeline does.
        files = con.execute(
            """
            select source_file, min(pole_id) from indicator_values
            group by source_file order by source_file limit 2
            """
        ).fetchall()
        (first, pole_a), (second, _) = files
        con.executemany(
            "insert into quarantine values (?, ?, ?, ?, ?, ?, null)",
            [
                [
                    first,
                    5,
                    "valeur",
                    "12,5,3",
                    f"{first}, ligne 5, champ « valeur » : « 12,5,3 » n'est pas un nombre.",
                    pole_a,
                ],
                [
                    first,
                    7,
                    "periode",
                    "2016-T5",
                    f"{first}, ligne 7, champ « periode » : période « 2016-T5 » non reconnue.",
                    pole_a,
                ],
                [
                    second,
                    3,
                    "pole",
                    "Pôle de l'Été",
                    f"{second}, ligne 3, champ « pole » : pôle « Pôle de l'Été » inconnu.",
                    None,
                ],
            ],
        )
        con.execute(
            """
            update ingest_log l
            set rows_quarantined = q.n, rows_read = l.rows_loaded + q.n, status = 'partial',
                message = l.message || ' ' || q.n || ' ligne(s) en quarantaine.'
            from (select source_file, count(distinct row_number) as n from quarantine group by 1) q
            where l.source_file = q.source_file
            """
        )

    if _empty(con, "check_results"):
        run_id = fetch_one(con, "select run_id from publication")[0]
        jumps = '[{"pole_id": "phares", "annee": 2016, "valeur": 42.5}, {"pole_id": "bousol", "annee": 2017, "valeur": null}]'
        con.executemany(
            "insert into check_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    run_id,
                    "indicator_values",
                    "gx_indicator_values",
                    "valeurs_positives",
                    "Les valeurs sont positives ou nulles.",
                    "ERROR",
                    True,
                    0,
                    "[]",
                    "gx",
                ],
                [
                    run_id,
                    "ingest_log",
                    "ingest_log_conservation",
                    "conservation_lignes",
                    "Lignes lues = lignes chargées + lignes en quarantaine.",
                    "ERROR",
                    True,
                    0,
                    "[]",
                    "sql",
                ],
                [
                    run_id,
                    "mart_pole_year",
                    "gx_marts",
                    "saut_annuel",
                    "Valeur multipliée ou divisée par plus de 3 d'une année sur l'autre.",
                    "WARN",
                    False,
                    2,
                    jumps,
                    "gx",
                ],
                [
                    run_id,
                    "completeness",
                    "gx_completeness",
                    "envois_en_retard",
                    "Envois reçus après l'échéance.",
                    "WARN",
                    False,
                    3,
                    '["phares 2016", "bousol 2017", 12]',
                    "gx",
                ],
                [
                    run_id,
                    "targets",
                    "gx_targets",
                    "objectifs_connus",
                    "Les objectifs portent sur des indicateurs du catalogue.",
                    "WARN",
                    True,
                    0,
                    "[]",
                    "gx",
                ],
            ],
        )

    if _empty(con, "file_arrivals"):
        con.execute(
            """
            insert into file_arrivals
            select source_file, sha256, kind,
                   timestamp '2018-01-15 09:00' + to_days(cast(row_number() over w as integer) * 3),
                   row_number() over w
            from ingest_log
            window w as (order by source_file)
            """
        )

    if _empty(con, "completeness"):
        # Poles x expected years; received when the pole has values; late for some poles.
        con.execute(
            """
            insert into completeness
            with expected as (
                select pole_id, annee, 'indicateurs' as kind,
                       make_date(annee + 1, 3, 31) as echeance
                from poles, unnest([2015, 2016, 2017]) as y(annee)
                union all
                select pole_id, annee, 'objectifs', make_date(annee, 1, 31)
                from poles, unnest([2016, 2017]) as y(annee)
            ),
            got as (
                select pole_id, annee, 'indicateurs' as kind, count(distinct code) as n
                from indicator_values group by all
                union all
                select pole_id, annee, 'objectifs', count(distinct code) from targets group by all
            ),
            wanted as (select kind, max(n) as w from got group by kind),
            cells as (
                select e.*, coalesce(g.n, 0) as n, w.w,
                       case when g.n is not null
                            then e.echeance - 45 + cast(hash(e.pole_id) % 60 as integer) end
                           as recu_le
                from expected e
                left join got g using (pole_id, annee, kind)
                join wanted w using (kind)
            )
            select pole_id, annee, kind, n > 0, n, w, n / w, cast(recu_le as timestamp), echeance,
                   coalesce(recu_le > echeance, false),
                   case when n >= w then 'complet' when n > 0 then 'partiel' else 'manquant' end
            from cells
            """
        )

    if _empty(con, "indicator_changes"):
        # A resubmission by the first pole of the demo: one value corrected, one added, one withdrawn.
        pole_id, annee, source = fetch_one(
            con,
            """
            select pole_id, annee, source_file from indicator_values
            where trimestre is null order by pole_id, annee limit 1
            """,
        )
        codes = con.execute(
            """
            select code, valeur from indicator_values
            where pole_id = ? and annee = ? and trimestre is null order by code limit 3
            """,
            [pole_id, annee],
        ).fetchall()
        old_file = source.rsplit(".", 1)[0] + "_v1." + source.rsplit(".", 1)[1]
        changes = [
            (codes[0][1] - 1, codes[0][1], "modifiée"),
            (None, codes[1][1], "ajoutée"),
            (codes[2][1], None, "retirée"),
        ]
        con.executemany(
            "insert into indicator_changes values (?, ?, null, ?, 2, ?, ?, ?, ?, timestamp '2018-04-02 10:30', ?)",
            [
                [pole_id, annee, code, old, new, old_file, source, kind]
                for (code, _), (old, new, kind) in zip(codes, changes, strict=True)
            ],
        )


@pytest.fixture
def quality_data_dir(altered_data_dir: Callable[..., Path]) -> Callable[..., Path]:
    """Factory: a copy of the demo warehouse with quality content, then changed by the SQL given."""

    def make(*statements: str, params: tuple[list[object], ...] = ()) -> Path:
        data_dir = altered_data_dir()
        with duckdb.connect(str(DataLayout(data_dir).warehouse)) as con:
            ensure_quality_content(con)
            for i, sql in enumerate(statements):
                con.execute(sql, params[i] if i < len(params) else [])
        return data_dir

    return make


# Tables of the page « Candidatures », added to the contract with the AMI answers. Until the
# pipeline fills them, `applications_data_dir` creates them when missing and fills them, when
# empty, with plausible answers of the demo's first poles to the form's questions; once the
# pipeline fills them, its rows are used.
APPLICATION_TABLES = ("applications", "application_answers", "application_fields", "application_tags")

# Sentences the plausible answers are made of; the keywords below tag them as the pipeline would.
_SENTENCES = (
    "Le pôle réunit des structures d'insertion et des entreprises du territoire.",
    "Nous développons la mobilité des salariés grâce à un garage solidaire.",
    "Une démarche de GPEC territoriale est menée avec les employeurs.",
    "Des formations qualifiantes sont proposées aux personnes accompagnées.",
    "Le groupement d'employeurs mutualise les emplois à temps partagé.",
    "Les collectivités financent une partie de l'animation du pôle.",
    "Un chantier d'insertion en maraîchage biologique a été créé en 2012.",
)
_ANGLES = {
    "insertion": ("parcours_insertion", "Parcours d'insertion"),
    "mobilite": ("mobilite", "Mobilité"),
    "formation": ("formation", "Formation et qualification"),
    "gpec": ("gpec", "GPEC territoriale"),
}
_TOOLS = {
    "groupement d'employeurs": ("groupement_employeurs", "Groupement d'employeurs"),
    "garage solidaire": ("garage_solidaire", "Garage solidaire"),
}
_STATUTS = ("association", "SCIC", "association", "SCOP")


def _plausible_applications(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Answers of the demo's first four poles (the first one twice: an old and a current version)."""
    questions = load_questions().questions
    poles = con.execute("select pole_id, nom from poles order by numero limit 4").fetchall()
    versions = [(pole_id, nom, i, 1, i != 0) for i, (pole_id, nom) in enumerate(poles)]
    versions.append((poles[0][0], poles[0][1], 0, 2, True))
    apps, answers, fields, tags = [], [], [], []
    for pole_id, nom, i, version, current in versions:
        source = f"candidature_{pole_id}_v{version}.docx"
        text_answers: dict[str, str | None] = {}
        for k, q in enumerate(questions):
            if q.kind == "oui_non":
                continue
            # The last pole leaves its last three questions blank.
            if i == 3 and k >= len(questions) - 4:
                text_answers[q.code] = None
            else:
                picked = [_SENTENCES[(i + k + j) % len(_SENTENCES)] for j in range(1 + (k + i) % 3)]
                text_answers[q.code] = f"{nom} (version {version}). " + " ".join(picked)
        yes_no = {q.code: (None if i == 3 else i != 1) for q in questions if q.kind == "oui_non"}
        for q in questions:
            if q.kind == "oui_non":
                value = yes_no[q.code]
                reponse = None if value is None else ("Oui" if value else "Non")
            else:
                value, reponse = None, text_answers[q.code]
            answers.append(
                {
                    "pole_id": pole_id,
                    "source_file": source,
                    "version": version,
                    "current": current,
                    "code": q.code,
                    "partie": q.partie,
                    "numero": q.numero,
                    "libelle": q.libelle,
                    "type": q.kind,
                    "reponse": reponse,
                    "oui_non": value,
                    "repondue": reponse is not None,
                }
            )
            for sentence in (reponse or "").split(". "):
                words = normalize_words(sentence)
                for key, (tag, libelle) in _ANGLES.items():
                    if key in words:
                        tags.append([pole_id, source, current, tag, "angle", libelle, key, q.code, sentence])
                for key, (tag, libelle) in _TOOLS.items():
                    if normalize_words(key) in words:
                        tags.append([pole_id, source, current, tag, "outil", libelle, key, q.code, sentence])
        asked = len(questions)
        answered = sum(1 for a in answers[-asked:] if a["repondue"])
        offers = i in (0, 2)
        app = {
            "pole_id": pole_id,
            "source_file": source,
            "charte": yes_no.get("charte"),
            "accueil_visite": offers if i != 3 else None,
            "version": version,
            "current": current,
            "arrived_at": pd.Timestamp(2016, 3, 1 + i + 10 * (version - 1)),
            "format": "docx",
            "nb_questions": asked,
            "nb_repondues": answered,
            "completude": answered / asked,
            **text_answers,
            "experiences_visite": "Le garage solidaire et le chantier de maraîchage." if offers else None,
            "echeance_visite": "Au printemps 2016" if offers else None,
            "operationnel": i != 3,
            "annee_debut": 2010 + i,
            "nb_parties_prenantes": 8 + i,
            "nb_salaries": 20 * (i + 1),
            "nb_benevoles": 5 + i,
            "statut_juridique": _STATUTS[i],
            "part_financement_collectivites": 0.25 + 0.1 * i,
            "periode_visite": "2016-T2" if offers else None,
        }
        apps.append(app)
        i1 = text_answers.get("i1_operationnel") or ""
        for champ in ("statut_juridique", "annee_debut", "nb_salaries"):
            fields.append([pole_id, source, current, champ, str(app[champ]), "i1_operationnel", i1[:80]])
    columns = {t: list(TABLES[t]) for t in APPLICATION_TABLES}
    return {
        "applications": pd.DataFrame(apps, columns=columns["applications"]),
        "application_answers": pd.DataFrame(answers, columns=columns["application_answers"]),
        "application_fields": pd.DataFrame(fields, columns=columns["application_fields"]),
        "application_tags": pd.DataFrame(tags, columns=columns["application_tags"]),
    }


def ensure_application_content(con: duckdb.DuckDBPyConnection) -> None:
    """Give a copy of the demo warehouse the application tables, with rows where the pipeline gave none."""
    for table in APPLICATION_TABLES:
        if not _exists(con, table) or set(TABLES[table]) - {
            r[0] for r in con.execute(f'describe "{table}"').fetchall()
        }:
            # Missing, or published with an older contract (fewer columns): recreated, empty.
            con.execute(create_table_sql(table))
    if not any(_empty(con, t) for t in APPLICATION_TABLES):
        return
    for table, frame in _plausible_applications(con).items():
        if _empty(con, table):
            con.register("plausible", frame)
            con.execute(f'insert into "{table}" by name select * from plausible')
            con.unregister("plausible")


@pytest.fixture
def applications_data_dir(altered_data_dir: Callable[..., Path]) -> Callable[..., Path]:
    """Factory: a copy of the demo warehouse with application content, then changed by the SQL given."""

    def make(*statements: str, params: tuple[list[object], ...] = ()) -> Path:
        data_dir = altered_data_dir()
        with duckdb.connect(str(DataLayout(data_dir).warehouse)) as con:
            ensure_application_content(con)
            for i, sql in enumerate(statements):
                con.execute(sql, params[i] if i < len(params) else [])
        return data_dir

    return make

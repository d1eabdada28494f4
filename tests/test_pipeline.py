"""The whole pipeline on the demo data: Dagster definitions, the published warehouse, publication rules."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pipelines.definitions import build_definitions, defs
from pipelines.indicators.demo import YEARS, demo_superseded, demo_targets, demo_values
from pipelines.indicators.versions import resolve_versions
from pipelines.runner import RunOutcome, run_pipeline, summary_lines
from pipelines.shared.jobs import raw_files_sensor
from pipelines.shared.resources import WarehouseResource
from ptce.contract import TABLES
from ptce.paths import DataLayout
from ptce.reference import load_catalog
from tests.odd_files import LATER_TARGET_FILE, LATER_YEAR

EXPECTED_ASSETS = [
    "application_answers",
    "application_fields",
    "application_tags",
    "applications",
    "community_indicators",
    "completeness",
    "indicator_catalog",
    "indicator_changes",
    "indicator_history",
    "indicator_values",
    "ingest_log",
    "mart_network_year",
    "mart_pole_year",
    "pathway_adjusted",
    "pathway_indicators",
    "pathways",
    "poles",
    "practices",
    "published_warehouse",
    "quarantine",
    "rapport_annuel",
    "raw_files",
    "stg_application_files",
    "stg_indicator_files",
    "stg_pathway_files",
    "stg_pole_files",
    "stg_visit_files",
    "targets",
    "visit_angles",
    "visit_documents",
    "visit_offers",
    "visit_poles",
    "visits",
]


def query(data_dir: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(sql).df()


def test_definitions_load_with_expected_graph() -> None:
    keys = sorted(k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys())
    assert keys == EXPECTED_ASSETS
    groups = {spec.key.to_user_string(): spec.group_name for spec in defs.resolve_all_asset_specs()}
    assert groups["raw_files"] == "raw" and groups["stg_indicator_files"] == "staging"
    assert groups["indicator_values"] == "curated" and groups["mart_pole_year"] == "marts"
    checks = {k.name for k in defs.resolve_asset_graph().asset_check_keys}
    assert {
        "gx_indicator_values",
        "gx_coherence",
        "gx_sauts_annuels",
        "gx_trimestres_annee",
        "ingest_log_conservation",
        "quarantine_accounted",
    } <= checks
    assert defs.resolve_job_def("construire_entrepot") is not None
    assert defs.resolve_sensor_def("raw_files_sensor") is not None


def test_published_warehouse_has_contract_tables(demo_data_dir: Path) -> None:
    with duckdb.connect(str(DataLayout(demo_data_dir).warehouse), read_only=True) as con:
        for table, columns in TABLES.items():
            actual = [r[0] for r in con.execute(f'describe "{table}"').fetchall()]
            assert actual == list(columns), table


def test_twelve_poles_and_every_core_code_each_year(demo_data_dir: Path) -> None:
    assert query(demo_data_dir, "select count(*) n from poles")["n"][0] == 12
    codes = set(load_catalog().codes)
    per_year = query(
        demo_data_dir,
        "select annee, count(distinct code) n_codes, count(distinct pole_id) n_poles from indicator_values group by annee",
    ).set_index("annee")
    assert sorted(per_year.index) == list(YEARS)
    assert (per_year["n_codes"] == len(codes)).all() and (per_year["n_poles"] == 12).all()
    # Yearly figures exist for every pole, indicator and year (typed in or rolled up from quarters).
    mart = query(demo_data_dir, "select pole_id, annee, code from mart_pole_year where not derive")
    assert len(mart) == 12 * len(YEARS) * len(codes)


def test_conservation_for_every_file(demo_data_dir: Path) -> None:
    log = query(demo_data_dir, "select * from ingest_log")
    raw = sorted(p for p in (demo_data_dir / "raw").rglob("*.*") if p.parent != demo_data_dir / "raw")
    assert sorted(log["source_file"]) == sorted(p.relative_to(demo_data_dir).as_posix() for p in raw)
    assert (log["rows_read"] == log["rows_loaded"] + log["rows_quarantined"]).all()
    # The demo has two mistyped rows in one indicator file (FAULTY_ROWS); every other indicator,
    # target or application file is clean (the demo pathways send a few exit reasons to review:
    # tests/test_pathways_demo.py; the demo visits one wrong row per file: tests/test_visits_demo.py).
    partial = log[(log["status"] != "ok") & ~log["kind"].isin(["parcours", "visites"])]
    assert partial["source_file"].tolist() == ["raw/indicateurs/bousol_indicateurs_2017.csv"]
    assert partial["status"].tolist() == ["partial"] and partial["rows_quarantined"].tolist() == [2]
    q = query(
        demo_data_dir,
        "select * from quarantine where source_file like 'raw/indicateurs/%' order by row_number",
    )
    assert q["field"].tolist() == ["valeur", "pôle"]
    assert q["value"].tolist() == ["env. 40", "Bou Sole"]
    assert q["reason"].str.startswith("raw/indicateurs/bousol_indicateurs_2017.csv, ligne ").all()
    for row in log.itertuples():
        assert row.sha256 == hashlib.sha256((demo_data_dir / row.source_file).read_bytes()).hexdigest()


def test_loaded_values_are_those_the_files_state(demo_data_dir: Path) -> None:
    """Every value the demo generator intended is in the warehouse, exactly, and nothing else."""
    loaded = query(demo_data_dir, "select pole_id, annee, trimestre, code, valeur from indicator_values")
    got = {
        (r.pole_id, r.annee, None if pd.isna(r.trimestre) else int(r.trimestre), r.code): r.valeur
        for r in loaded.itertuples()
    }
    want = {(v.pole_id, v.annee, v.trimestre, v.code): v.valeur for v in demo_values()}
    assert got.keys() == want.keys()
    assert all(got[k] == pytest.approx(want[k]) for k in want)
    targets = query(demo_data_dir, "select pole_id, annee, code, valeur from targets")
    assert {(r.pole_id, r.annee, r.code): r.valeur for r in targets.itertuples()} == {
        (v.pole_id, v.annee, v.code): v.valeur for v in demo_targets()
    }


def test_quarters_roll_up_with_catalogue_rules(demo_data_dir: Path) -> None:
    """Flows given by quarter sum to the year; the mart says where each figure came from."""
    want: dict[tuple, float] = {}
    for v in demo_values():
        if v.trimestre is not None:
            want[(v.pole_id, v.annee, v.code)] = want.get((v.pole_id, v.annee, v.code), 0) + v.valeur
    mart = query(
        demo_data_dir,
        "select pole_id, annee, code, valeur, nb_trimestres from mart_pole_year where origine = 'trimestres'",
    )
    assert len(mart) == len(want) > 0
    for r in mart.itertuples():
        assert r.valeur == pytest.approx(want[(r.pole_id, r.annee, r.code)])
        assert r.nb_trimestres == 4


def test_network_dynamic_exit_rate_is_ratio_of_sums(demo_data_dir: Path) -> None:
    yearly: dict[tuple, float] = {}
    for v in demo_values():
        if v.annee == 2016:
            yearly[v.code] = yearly.get(v.code, 0) + v.valeur
    expected = (
        yearly["sorties_emploi_durable"] + yearly["sorties_emploi_transition"] + yearly["sorties_positives"]
    ) / yearly["sorties"]
    got = query(
        demo_data_dir,
        "select valeur, nb_poles from mart_network_year where annee = 2016 and code = 'taux_sortie_dynamique'",
    )
    assert got["valeur"][0] == pytest.approx(expected)
    assert got["nb_poles"][0] == 12


def test_demo_flag_and_summary(demo_run: RunOutcome) -> None:
    pub = query(demo_run.data_dir, "select * from publication")
    assert len(pub) == 1 and bool(pub["donnees_demo"][0])
    text = "\n".join(summary_lines(demo_run))
    assert "Entrepôt publié." in text and "12 pôle(s)" in text and "fictives" in text
    # 13 events held in the demo, 8 learning visits; 31 practices, 27 linked; Pôle Sud Aquitain's
    # offer still open (tests/test_visits_demo.py).
    assert (
        "  Visites et rencontres : 13 événement(s), dont 8 visite(s) apprenante(s) ; pratiques "
        "partagées : 31, dont 27 rattachée(s) à un événement ; offres d'accueil encore ouvertes : 1"
    ) in text
    assert not demo_run.blocking_failures
    # The pathway comparison may warn where the demo pathways differ from the declared figures
    # (tests/test_pathways_pipeline.py); nothing else does.
    assert {c.name for c in demo_run.warnings} <= {"pathway_vs_declared"}


def test_failing_blocking_check_keeps_previous_warehouse(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir / "raw", data_dir / "raw")
    # The published demo, as a first run leaves it (its build area and Dagster instance aside).
    shutil.copytree(
        demo_data_dir / "curated", data_dir / "curated", ignore=shutil.ignore_patterns(".build", ".dagster")
    )
    published = DataLayout(data_dir).warehouse
    assert published.exists()
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    # Simulate a defect that lets duplicates through: the GX uniqueness rule must stop publication.
    import pipelines.indicators.assets as indicator_assets

    def keep_every_version(staged: pd.DataFrame, arrivals: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
        _, history, changes = resolve_versions(staged, arrivals)
        return history.drop(columns=["version", "current"]), history, changes

    monkeypatch.setattr(indicator_assets, "resolve_versions", keep_every_version)
    (data_dir / "raw" / "indicateurs" / "zz_renvoi.csv").write_text(
        "pole;periode;indicateur;valeur\nPHARES;2016;membres;99\n", encoding="utf-8"
    )
    outcome = run_pipeline(data_dir)
    assert not outcome.published
    assert [c.name for c in outcome.blocking_failures] == ["gx_indicator_values"]
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before
    text = "\n".join(summary_lines(outcome))
    assert "Publication annulée" in text and "reste en place" in text


def test_later_file_replaces_the_pole_period_and_history_keeps_both(
    demo_data_dir: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir / "raw", data_dir / "raw")
    (data_dir / "raw" / "indicateurs" / "phares_2017_renvoi.csv").write_text(
        "pole;periode;indicateur;valeur\nPHARES;2017;membres;99\nPHARES;2017;salaries;400\n", encoding="utf-8"
    )
    outcome = run_pipeline(data_dir)
    assert outcome.published
    # Allowed, but staff are warned that the resend withdrew values (and 99 members is a jump).
    assert sorted((c.name, c.failures) for c in outcome.warnings if c.name != "pathway_vs_declared") == [
        ("gx_sauts_annuels", 1),
        ("partial_resubmission", 1),
    ]
    assert "    alerte — indicator_changes / partial_resubmission : 1 écart(s)" in summary_lines(outcome)
    got = query(
        data_dir,
        "select code, valeur, source_file from indicator_values where pole_id='phares' and annee=2017 and trimestre is null",
    )
    # The resend is the pole's new table for 2017: what it no longer gives is withdrawn.
    assert sorted(got["code"]) == ["membres", "salaries"]
    assert set(got["source_file"]) == {"raw/indicateurs/phares_2017_renvoi.csv"}
    changes = query(data_dir, "select * from indicator_changes where pole_id='phares' and annee=2017")
    kinds = changes.groupby("type_changement").size().to_dict()
    assert kinds["modifiée"] >= 1 and kinds["retirée"] == len(load_catalog().codes) - 2
    assert set(changes["nouveau_fichier"]) == {"raw/indicateurs/phares_2017_renvoi.csv"}
    history = query(
        data_dir,
        "select version, current, count(*) n from indicator_history where pole_id='phares' and annee=2017 group by all order by version",
    )
    assert history["version"].tolist() == [1, 2] and history["current"].tolist() == [False, True]


def test_target_file_for_a_later_year_is_published(odd_files_run: RunOutcome) -> None:
    """Targets are in the future by nature: a target file for 2030 loads and passes the checks."""
    outcome, data_dir, later = odd_files_run, odd_files_run.data_dir, LATER_YEAR
    assert outcome.published and not outcome.blocking_failures
    log = query(data_dir, f"select * from ingest_log where source_file = 'raw/objectifs/{LATER_TARGET_FILE}'")
    assert log[["status", "rows_read", "rows_loaded", "rows_quarantined"]].values.tolist() == [
        ["ok", 2, 2, 0]
    ]
    got = query(data_dir, f"select code, valeur from targets where pole_id = 'phares' and annee = {later}")
    assert dict(zip(got["code"], got["valeur"], strict=True)) == {"emplois_crees": 15.0, "membres": 30.0}


def test_demo_resubmission_history(demo_data_dir: Path) -> None:
    changes = query(
        demo_data_dir,
        "select pole_id, annee, code, ancienne_valeur, nouvelle_valeur, type_changement from indicator_changes",
    )
    want = {(v.pole_id, v.annee, v.code): v.valeur for v in demo_superseded()}
    assert {(r.pole_id, r.annee, r.code): r.ancienne_valeur for r in changes.itertuples()} == want
    assert set(changes["type_changement"]) == {"modifiée"}


def test_completeness_flags_late_and_missing(demo_data_dir: Path) -> None:
    c = query(demo_data_dir, "select * from completeness")
    assert len(c) == 12 * 3 + 12 * 2 + 12  # indicators 2015-2017, targets 2016-2017, answers to the call
    missing = c[c["statut"] == "manquant"][["pole_id", "annee", "kind"]].values.tolist()
    assert missing == [["re_sources", 2017, "objectifs"]]
    late = sorted(
        map(tuple, c[c["en_retard"] & (c["kind"] == "indicateurs")][["pole_id", "annee"]].values.tolist())
    )
    assert late == [
        ("dombinnov", 2015),
        ("dombinnov", 2016),
        ("figeacteurs", 2016),
        ("re_sources", 2015),
        ("re_sources", 2016),
    ]
    assert (c[c["kind"] == "indicateurs"]["statut"] == "complet").all()


def test_check_results_and_data_docs_are_published(demo_data_dir: Path) -> None:
    results = query(demo_data_dir, "select * from check_results")
    assert set(results["moteur"]) == {"gx", "sql"}
    # Only the pathway comparison may warn on the demo (see test_demo_flag_and_summary).
    assert results[results["regle"] != "parcours_vs_declare"]["passed"].all()
    assert {"gx_indicator_values", "gx_coherence", "ingest_log_conservation"} <= set(results["check_name"])
    assert (results["description"].str.len() > 0).all()
    docs = query(demo_data_dir, "select data_docs from publication")["data_docs"][0]
    assert docs == "curated/data_docs/index.html"
    index = (demo_data_dir / docs).read_text(encoding="utf-8")
    assert "gx_indicator_values" in index and "gx_coherence" in index


def test_bad_and_pending_files_are_logged_and_good_data_still_published(odd_files_run: RunOutcome) -> None:
    """tests/odd_files.py's broken indicator files, a visits file and an unrecognised pathway file."""
    outcome, data_dir = odd_files_run, odd_files_run.data_dir
    assert outcome.published
    log = query(data_dir, "select * from ingest_log").set_index("source_file")
    assert log.at["raw/indicateurs/casse.xlsx", "status"] == "error"
    assert log.at["raw/indicateurs/erreurs.csv", "status"] == "partial"
    assert log.at["raw/visites/visites_2016.csv", "status"] == "error"
    assert (
        "aucun tableau de visites ni de pratiques reconnu"
        in log.at["raw/visites/visites_2016.csv", "message"]
    )
    assert log.at["raw/parcours/parcours_2016.csv", "status"] == "error"
    assert "aucun tableau de parcours reconnu" in log.at["raw/parcours/parcours_2016.csv", "message"]
    q = query(data_dir, "select * from quarantine where source_file not like 'raw/parcours/%'")
    assert sorted(set(q["source_file"])) == [
        "raw/indicateurs/bousol_indicateurs_2017.csv",
        "raw/indicateurs/erreurs.csv",
        "raw/visites/visites_2015_2016.csv",
        "raw/visites/visites_et_pratiques_2017.xlsx",
    ]
    assert q[q["source_file"] == "raw/indicateurs/erreurs.csv"]["value"].tolist() == ["douze"]
    n = query(data_dir, "select count(*) n from indicator_values")["n"][0]
    assert n == len(demo_values())


def test_sensor_requests_a_run_only_when_raw_files_change(demo_data_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir / "raw", data_dir / "raw")
    shutil.copytree(
        demo_data_dir / "curated", data_dir / "curated", ignore=shutil.ignore_patterns(".build", ".dagster")
    )
    warehouse = WarehouseResource(data_dir=str(data_dir))
    build_definitions(warehouse)  # the sensor is bound to this resource in real use
    with dg.build_sensor_context(resources={"warehouse": warehouse}) as ctx:
        first = raw_files_sensor(ctx)
    assert not first.run_requests and first.cursor  # already published from these files
    (data_dir / "raw" / "indicateurs" / "nouveau.csv").write_text(
        "pole;periode;indicateur;valeur\n1;2016;membres;3\n"
    )
    with dg.build_sensor_context(resources={"warehouse": warehouse}, cursor=first.cursor) as ctx:
        second = raw_files_sensor(ctx)
    assert len(second.run_requests) == 1 and second.cursor != first.cursor

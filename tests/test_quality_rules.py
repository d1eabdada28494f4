"""Each Great Expectations suite passes on good data and fails, with counts and examples, on bad data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from pipelines.indicators import rules as indicator_rules
from pipelines.shared import gx_frames as qf
from pipelines.shared.gx_suites import RuleOutcome, Suite, build_data_docs, run_suites
from pipelines.shared.quality_checks import MART_SUITES, TABLE_SUITES, rule_context
from ptce.reference import load_quality_config


def suite(name: str) -> Suite:
    return next(s for s in (*TABLE_SUITES, *MART_SUITES) if s.check_name == name)


def failures(outcomes: list[RuleOutcome]) -> dict[str, RuleOutcome]:
    return {o.rule: o for o in outcomes if not o.success}


def values_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["pole_id", "annee", "trimestre", "code", "valeur", "source_file"])
    frame["trimestre"] = frame["trimestre"].astype("Int64")
    con = duckdb.connect()
    con.register("indicator_values", frame)
    return indicator_rules.indicator_values_frame(con)


def test_indicator_values_rules(tmp_path: Path) -> None:
    good = ("phares", 2016, None, "membres", 16.0, "raw/indicateurs/a.csv")
    frame = values_frame(
        [
            good,
            ("phares", 2016, None, "membres", 17.0, "raw/indicateurs/b.csv"),  # duplicate key
            ("pole_nord", 2016, None, "etp", 3.5, "raw/indicateurs/a.csv"),  # unknown pole
            ("phares", 2016, None, "chiffre", 1.0, "raw/indicateurs/a.csv"),  # unknown code
            ("phares", 2031, None, "etp", 1.0, "raw/indicateurs/a.csv"),  # future year
            ("phares", 2016, 5, "entrees_parcours", 1.0, "raw/indicateurs/a.csv"),  # quarter 5
            ("phares", 2016, None, "salaries", -3.0, "raw/indicateurs/a.csv"),  # negative
            ("phares", 2016, None, "sorties", 2.5, "raw/indicateurs/a.csv"),  # half a person
            ("phares", 2016, None, "representation_salaries", 2.0, "raw/indicateurs/a.csv"),  # above 1
            ("phares", 2016, None, "etp_animation", None, "/tmp/x.csv"),  # null value, not from raw/
        ]
    )
    outcomes = run_suites(
        (suite("gx_indicator_values"),), {"indicator_values": frame}, rule_context(), tmp_path
    )
    failed = failures(outcomes)
    assert set(failed) == {
        "cle_unique",
        "pole_connu",
        "indicateur_du_catalogue",
        "annee_plausible",
        "trimestre_1_4",
        "valeur_positive",
        "comptages_entiers",
        "bornes_du_catalogue",
        "valeur_renseignee",
        "fichier_source",
    }
    assert failed["pole_connu"].unexpected_count == 1
    # Examples say which row: pole, period, indicator and file, not just the bad value.
    example = failed["valeur_positive"].examples[0]
    assert example["pole_id"] == "phares" and example["code"] == "salaries" and example["valeur"] == -3.0
    assert failed["cle_unique"].unexpected_count == 2
    clean = run_suites(
        (suite("gx_indicator_values"),),
        {"indicator_values": values_frame([good])},
        rule_context(),
        tmp_path / "b",
    )
    assert all(o.success for o in clean)


def test_targets_for_later_years_pass_actual_values_do_not(tmp_path: Path) -> None:
    """The year rule bounds actual values by the current year, targets by the planning horizon."""
    ctx = rule_context()
    later = ctx.today.year + 4  # 2030 when written
    targets = pd.DataFrame(
        {
            "pole_id": ["phares", "phares"],
            "annee": [later, ctx.today.year + 200],
            "code": ["emplois_crees", "membres"],
            "valeur": [12.0, 40.0],
            "source_file": ["raw/objectifs/o.csv"] * 2,
            "row_number": [2, 3],
        }
    )
    outcomes = run_suites((suite("gx_targets"),), {"targets": targets}, ctx, tmp_path / "t")
    assert set(failures(outcomes)) == {"annee_plausible"}
    assert failures(outcomes)["annee_plausible"].unexpected_count == 1  # only the mistyped year
    actual = values_frame([("phares", later, None, "membres", 16.0, "raw/indicateurs/a.csv")])
    outcomes = run_suites((suite("gx_indicator_values"),), {"indicator_values": actual}, ctx, tmp_path / "v")
    assert set(failures(outcomes)) == {"annee_plausible"}


def test_coherence_rules_flag_impossible_combinations(tmp_path: Path) -> None:
    wide = pd.DataFrame(
        [
            {
                "pole_id": "phares",
                "annee": 2016,
                "personnes_accompagnees": 50,
                "sorties": 60,
                "salaries": 10,
                "etp": 12,
                "salaries_cdi": 4,
                "sorties_par_categorie": 70,
                "part_cdi": 0.4,
            },
            {
                "pole_id": "alpen",
                "annee": 2016,
                "personnes_accompagnees": 50,
                "sorties": 20,
                "salaries": 10,
                "etp": 8,
                "salaries_cdi": 14,
                "sorties_par_categorie": 20,
                "part_cdi": 1.4,
            },
        ]
    )
    ctx = rule_context()
    for code in [
        "entrees_parcours",
        "salaries_formes",
        "temps_partiel_subi",
        "etp_mutualises",
        "salaries_partages",
        *ctx.shares,
    ]:
        if code not in wide:
            wide[code] = np.nan
    outcomes = run_suites((suite("gx_coherence"),), {"pole_year_wide": wide}, ctx, tmp_path)
    failed = failures(outcomes)
    assert set(failed) == {
        "sorties_inferieur_a_personnes_accompagnees",
        "sorties_par_categorie_inferieur_a_sorties",
        "etp_inferieur_a_salaries",
        "salaries_cdi_inferieur_a_salaries",
        "part_cdi_entre_0_et_1",
    }
    etp = failed["etp_inferieur_a_salaries"]
    assert etp.unexpected_count == 1 and etp.examples[0]["pole_id"] == "phares"
    assert suite("gx_coherence").severity == "WARN"


def test_year_on_year_jump_rule(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute("create table indicator_catalog as select 'salaries' as code, 'personnes' as unite")
    con.execute(
        """create table mart_pole_year as select * from (values
           ('phares', 2015, 'salaries', 100.0, false), ('phares', 2016, 'salaries', 450.0, false),
           ('alpen', 2015, 'salaries', 1.0, false), ('alpen', 2016, 'salaries', 4.0, false),
           ('esci', 2015, 'salaries', 0.0, false), ('esci', 2016, 'salaries', 30.0, false),
           ('bousol', 2015, 'salaries', 100.0, false), ('bousol', 2016, 'salaries', 120.0, false)
        ) t(pole_id, annee, code, valeur, derive)"""
    )
    frame = indicator_rules.year_on_year(con, load_quality_config())
    outcomes = run_suites((suite("gx_sauts_annuels"),), {"year_on_year": frame}, rule_context(), tmp_path)
    failed = failures(outcomes)["saut_annuel"]
    # x4.5 and 0 -> 30 are jumps; 1 -> 4 stays under the floor of 10; +20 % is normal.
    assert failed.unexpected_count == 2
    assert {e["pole_id"] for e in failed.examples} == {"phares", "esci"}


def test_quarters_must_match_the_year(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "pole_id": ["phares", "alpen"],
            "annee": [2016, 2016],
            "code": ["sorties", "sorties"],
            "valeur_annuelle": [40.0, 40.0],
            "valeur_trimestres": [40.0, 30.0],
            "nb_trimestres": [4, 4],
        }
    )
    frame["ecart_relatif"] = (frame["valeur_annuelle"] - frame["valeur_trimestres"]).abs() / 40
    outcomes = run_suites(
        (suite("gx_trimestres_annee"),), {"quarters_vs_year": frame}, rule_context(), tmp_path
    )
    assert failures(outcomes)["trimestres_coherents_avec_annee"].examples[0]["pole_id"] == "alpen"


def test_ingest_log_and_quarantine_rules(tmp_path: Path) -> None:
    log = pd.DataFrame(
        {
            "source_file": [
                "raw/indicateurs/a.csv",
                "raw/indicateurs/a.csv",
                "raw/indicateurs/.cache.csv",  # ignored, not read: no hash, no row (fine)
                "raw/indicateurs/~$b.xlsx",  # ignored yet counted as read
                "raw/indicateurs/c.csv",  # loaded without a hash
            ],
            "sha256": ["0" * 64, "xyz", None, None, None],
            "status": ["ok", "bizarre", "ignored", "ignored", "ok"],
            "rows_read": [10, 5, 0, 2, 1],
            "rows_loaded": [10, 3, 0, 2, 1],
            "rows_quarantined": [0, 1, 0, 0, 0],
            "message": ["10 lignes", None, "non lu", "non lu", "1 ligne"],
        }
    )
    log = qf.with_ingest_log_flags(log)
    quarantine = pd.DataFrame(
        {
            "source_file": ["raw/indicateurs/a.csv"] * 2,
            "row_number": [3, 0],
            "field": ["valeur", "pôle"],
            "reason": ["raw/indicateurs/a.csv, ligne 3, champ valeur : valeur non numérique", "mauvais"],
        }
    )
    outcomes = run_suites(
        (suite("gx_ingest_log"), suite("gx_quarantine")),
        {"ingest_log": log, "quarantine": quarantine},
        rule_context(),
        tmp_path,
    )
    found = failures(outcomes)
    assert set(found) == {
        "un_fichier_une_ligne",
        "conservation",
        "statut_connu",
        "ignore_sans_ligne",
        "empreinte_sha256",
        "empreinte_si_lu",
        "message_francais",
        "raison_situee",
        "numero_de_ligne",
    }
    # The ignored file that was not read passes every rule; the two faulty ones are named.
    assert [e["source_file"] for e in found["ignore_sans_ligne"].examples] == ["raw/indicateurs/~$b.xlsx"]
    assert [e["source_file"] for e in found["empreinte_si_lu"].examples] == ["raw/indicateurs/c.csv"]


def test_data_docs_site_lists_every_suite(tmp_path: Path) -> None:
    frame = values_frame([("phares", 2016, None, "membres", 16.0, "raw/indicateurs/a.csv")])
    run_suites((suite("gx_indicator_values"),), {"indicator_values": frame}, rule_context(), tmp_path / "gx")
    run_suites(
        (suite("gx_poles"),),
        {"poles": pd.DataFrame({"pole_id": ["x"], "numero": [1], "latitude": [45.0]})},
        rule_context(),
        tmp_path / "gx",
    )
    index = build_data_docs(tmp_path / "gx", tmp_path / "site")
    html = index.read_text(encoding="utf-8")
    assert "gx_indicator_values" in html and "gx_poles" in html


def test_hostile_text_is_escaped_in_data_docs(tmp_path: Path) -> None:
    """Values from files appear in the docs as text, never as markup."""
    frame = values_frame(
        [("<script>alert(1)</script>", 2016, None, "membres", 16.0, "raw/indicateurs/a.csv")]
    )
    outcomes = run_suites(
        (suite("gx_indicator_values"),), {"indicator_values": frame}, rule_context(), tmp_path / "gx"
    )
    # check_results keeps what the sender wrote (the dashboard shows it as text)…
    assert failures(outcomes)["pole_connu"].examples[0]["pole_id"] == "<script>alert(1)</script>"
    build_data_docs(tmp_path / "gx", tmp_path / "site")
    # … while the HTML site only ever holds it escaped.
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    assert "<script>alert(1)</script>" not in pages and "&lt;script&gt;alert(1)&lt;/script&gt;" in pages


@pytest.mark.parametrize("today", [date(2026, 11, 23)])
def test_rule_context(today: date) -> None:
    ctx = rule_context()
    assert (
        len(ctx.pole_ids) == 12
        and "taux_sortie_dynamique" in ctx.shares
        and "etp_par_salarie" not in ctx.shares
    )

"""The read of the adjusted comparison (`ptce.read.pathways.adjusted_comparison`): a small warehouse
written by hand, then the demo's published one (the pipeline's `pathway_adjusted`).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ptce.contract import create_table_sql
from ptce.read import pathways as reads
from ptce.read.base import STAFF, Viewer, Warehouse, current_warehouse

FUNDER = Viewer("funder")
BETA = Viewer("pole", "beta")
MODELE = "Régression logistique (essai)"
# pole, year, indicator, exits, observed, expected, gap, low, high, verdict
ROWS = [
    ("beta", 2016, "taux_emploi_durable", 40, 0.5, 0.3, 0.2, 0.05, 0.35, "au-dessus"),
    ("alpha", 2016, "taux_emploi_durable", 3, None, None, None, None, None, None),
    ("alpha", 2016, "taux_sortie_dynamique", 3, None, None, None, None, None, None),
    ("beta", 2017, "taux_emploi_durable", 25, 0.4, 0.42, -0.02, -0.2, 0.16, "conforme"),
]


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    path = tmp_path / "ptce.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(create_table_sql("poles"))
        con.execute(
            "insert into poles (pole_id, numero, nom, nom_court) values ('alpha', 1, 'Pôle Alpha', 'Alpha')"
        )
        con.execute(
            "insert into poles (pole_id, numero, nom, nom_court) values ('beta', 2, 'Pôle Bêta', 'Bêta')"
        )
        con.execute(create_table_sql("pathway_adjusted"))
        con.executemany(
            "insert into pathway_adjusted values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*r, MODELE) for r in ROWS],
        )
    return Warehouse(path=str(path), mtime_ns=path.stat().st_mtime_ns)


def test_one_row_per_pole_of_the_year_in_pole_order_with_names(warehouse: Warehouse) -> None:
    df = reads.adjusted_comparison(warehouse, STAFF, 2016, "taux_emploi_durable")
    assert df["pole_id"].tolist() == ["alpha", "beta"]
    assert df["nom_court"].tolist() == ["Alpha", "Bêta"] and df["numero"].tolist() == [1, 2]
    beta = df.iloc[1]
    assert (beta["taux_observe"], beta["taux_attendu"], beta["ecart"]) == (0.5, 0.3, 0.2)
    assert (beta["ic_bas"], beta["ic_haut"], beta["verdict"], beta["modele"]) == (
        0.05,
        0.35,
        "au-dessus",
        MODELE,
    )
    # Staff see the exits as they are.
    assert df["sorties"].tolist() == [3, 40] and df["sorties_masque"].tolist() == [False, False]


@pytest.mark.parametrize("viewer", [FUNDER, BETA, Viewer("pole", "alpha")])
def test_every_role_reads_it_with_small_exit_counts_masked(warehouse: Warehouse, viewer: Viewer) -> None:
    df = reads.adjusted_comparison(warehouse, viewer, 2016, "taux_emploi_durable")
    assert df["pole_id"].tolist() == ["alpha", "beta"]
    assert pd.isna(df.loc[0, "sorties"]) and df.loc[0, "sorties_masque"]
    assert df.loc[0, "sorties_libelle"] == "< 5"
    assert df.loc[1, "sorties"] == 40 and df.loc[1, "sorties_libelle"] == "40"
    assert df.loc[1, "verdict"] == "au-dessus"


def test_an_unknown_indicator_is_refused_in_french(warehouse: Warehouse) -> None:
    with pytest.raises(ValueError, match="Indicateur inconnu pour la comparaison ajustée : « sorties »"):
        reads.adjusted_comparison(warehouse, STAFF, 2016, "sorties")


def test_the_method_is_plain_french_and_names_the_rule_of_twenty() -> None:
    text = reads.ADJUSTED_METHOD
    assert "moins de 20 sorties" in text and "aucun effet « pôle »" in text and "95 %" in text
    for word in ("sexe", "tranche d'âge", "DELD", "RSA", "QPV", "RQTH", "territoire"):
        assert word in text


@pytest.mark.slow
def test_demo_publishes_the_adjusted_comparison(demo_data_dir: Path) -> None:
    wh = current_warehouse(demo_data_dir)
    assert wh is not None
    with duckdb.connect(wh.path, read_only=True) as con:
        adjusted = con.execute("select * from pathway_adjusted").df()
        derived = con.execute("select pole_id, annee, code, valeur from pathway_indicators").df()
        checks = con.execute("select passed from check_results where asset = 'pathway_adjusted'").df()
    assert checks["passed"].tolist() == [True]
    values = derived.set_index(["pole_id", "annee", "code"])["valeur"]
    assert len(adjusted) > 0 and adjusted["taux_attendu"].notna().any()
    for r in adjusted.itertuples():
        assert r.sorties == values[(r.pole_id, r.annee, "sorties")]
        if r.sorties < 20:
            assert pd.isna(r.taux_observe) and pd.isna(r.verdict)
            continue
        durable = values[(r.pole_id, r.annee, "sorties_emploi_durable")] / r.sorties
        expected = (
            durable if r.indicateur == "taux_emploi_durable" else values[(r.pole_id, r.annee, r.indicateur)]
        )
        assert r.taux_observe == pytest.approx(expected)
        if r.verdict == "au-dessus":
            assert r.ic_bas > 0
        elif r.verdict == "en dessous":
            assert r.ic_haut < 0
        elif r.verdict == "conforme":
            assert r.ic_bas <= 0 <= r.ic_haut
    # The read gives the same rows to the funder, names added.
    read = reads.adjusted_comparison(wh, FUNDER, 2016, "taux_sortie_dynamique")
    assert len(read) == len(
        adjusted[(adjusted["annee"] == 2016) & (adjusted["indicateur"] == "taux_sortie_dynamique")]
    )
    assert read["nom_court"].notna().all() and read["verdict"].notna().all()

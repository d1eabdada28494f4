"""Reads of the pathways (`ptce.read.pathways`) on a small warehouse built by hand.

Three poles, a few dozen stays written out below; every expected figure is counted by hand from
these rows (the comments say how), never by the code under test.

Pole alpha (stays of six persons, 2015–2016):
- a1: Régie A 01/01/2016–31/03/2016, internal move to Chantier B 01/04/2016–31/12/2016, emploi durable
- a2: Régie A 01/02/2016–01/08/2016, emploi de transition
- a3: Régie A from 01/03/2016, ongoing
- a4: Chantier B 01/06/2015–30/06/2016, autre sortie
- a5: Régie A 01/05/2016–01/07/2016, retrait
- a6: Chantier B 15/01/2016–15/03/2016, sortie positive
Pole beta: b1–b6 at Atelier C, 01/01/2016–31/10/2016 (2 durable, 1 transition, 3 autre); b7 from
01/06/2016 to 01/03/2017, emploi durable.
Pole gamma: g1–g8 at Ferme G, 01/02/2016–30/11/2016 (5 durable, 1 retrait, 2 autre).
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ptce.read import pathways as reads
from ptce.read.base import STAFF, Viewer, Warehouse, current_warehouse

FUNDER = Viewer("funder")
ALPHA = Viewer("pole", "alpha")
DAYS_PER_MONTH = 365.25 / 12

PATHWAYS_DDL = """
create table pathways (
    person_key varchar, pole_id varchar, structure varchar, date_entree date, date_sortie date,
    categorie_sortie varchar, parcours_id varchar, etape integer, mobilite_interne boolean,
    fin_parcours boolean, motif_regle varchar, duree_mois double, sexe varchar, tranche_age varchar,
    deld boolean, rsa boolean, qpv boolean, rqth boolean, heures_formation double,
    certification boolean, source_file varchar, row_number integer
)
"""

D = date
# person, pole, structure, entry, exit, category, pathway, step, move, ends, sex, age band, deld, rsa, qpv, rqth
ALPHA_STAYS = [
    ("a1", "alpha", "Régie A", D(2016, 1, 1), D(2016, 3, 31), None, "a1-1", 1, False, False,
     "F", "26–44 ans", True, False, True, True),
    ("a1", "alpha", "Chantier B", D(2016, 4, 1), D(2016, 12, 31), "emploi_durable", "a1-1", 2, True, True,
     "F", "45–54 ans", True, False, True, True),
    ("a2", "alpha", "Régie A", D(2016, 2, 1), D(2016, 8, 1), "emploi_transition", "a2-1", 1, False, True,
     "H", "moins de 26 ans", False, True, None, False),
    ("a3", "alpha", "Régie A", D(2016, 3, 1), None, None, "a3-1", 1, False, False,
     "F", "26–44 ans", True, True, False, None),
    ("a4", "alpha", "Chantier B", D(2015, 6, 1), D(2016, 6, 30), "autre_sortie", "a4-1", 1, False, True,
     None, "55 ans et plus", None, False, False, True),
    ("a5", "alpha", "Régie A", D(2016, 5, 1), D(2016, 7, 1), "retrait", "a5-1", 1, False, True,
     "H", "26–44 ans", False, False, False, False),
    ("a6", "alpha", "Chantier B", D(2016, 1, 15), D(2016, 3, 15), "sortie_positive", "a6-1", 1, False, True,
     "F", "moins de 26 ans", True, False, True, False),
]  # fmt: skip
BETA_CATEGORIES = [
    "emploi_durable",
    "emploi_durable",
    "emploi_transition",
    "autre_sortie",
    "autre_sortie",
    "autre_sortie",
]
GAMMA_CATEGORIES = ["emploi_durable"] * 5 + ["retrait", "autre_sortie", "autre_sortie"]


def _plain(
    person: str, pole: str, structure: str, entry: date, exit_: date | None, category: str | None
) -> tuple:
    return (person, pole, structure, entry, exit_, category, f"{person}-1", 1, False, exit_ is not None,
            "H", "26–44 ans", False, False, False, False)  # fmt: skip


STAYS = [
    *ALPHA_STAYS,
    *[
        _plain(f"b{i + 1}", "beta", "Atelier C", D(2016, 1, 1), D(2016, 10, 31), c)
        for i, c in enumerate(BETA_CATEGORIES)
    ],
    _plain("b7", "beta", "Atelier C", D(2016, 6, 1), D(2017, 3, 1), "emploi_durable"),
    *[
        _plain(f"g{i + 1}", "gamma", "Ferme G", D(2016, 2, 1), D(2016, 11, 30), c)
        for i, c in enumerate(GAMMA_CATEGORIES)
    ],
]


def build_warehouse(path: Path) -> Warehouse:
    """The contract tables the pathway reads use, with the rows above."""
    with duckdb.connect(str(path)) as con:
        con.execute("create table poles (pole_id varchar, numero integer, nom varchar, nom_court varchar)")
        con.executemany(
            "insert into poles values (?, ?, ?, ?)",
            [
                ["alpha", 1, "Pôle Alpha", "Alpha"],
                ["beta", 2, "Pôle Bêta", "Bêta"],
                ["gamma", 3, "Pôle Gamma", "Gamma"],
            ],
        )
        con.execute("create table indicator_catalog (code varchar, libelle varchar, unite varchar)")
        con.executemany(
            "insert into indicator_catalog values (?, ?, ?)",
            [["sorties", "Sorties de parcours (hors retraits)", "personnes"],
             ["taux_sortie_dynamique", "Taux de sorties dynamiques", "%"]],
        )  # fmt: skip
        con.execute(PATHWAYS_DDL)
        con.executemany(
            """
            insert into pathways (person_key, pole_id, structure, date_entree, date_sortie, categorie_sortie,
                parcours_id, etape, mobilite_interne, fin_parcours, sexe, tranche_age, deld, rsa, qpv, rqth)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [list(s) for s in STAYS],
        )
        con.execute(
            """
            create table pathway_indicators (pole_id varchar, annee integer, code varchar, valeur double,
                valeur_declaree double, ecart double, ecart_relatif double, origine varchar)
            """
        )
        con.executemany(
            "insert into pathway_indicators values (?, ?, ?, ?, ?, ?, ?, ?)",
            [["beta", 2016, "sorties", 6, 6, 0, 0, "parcours"],
             ["alpha", 2016, "taux_sortie_dynamique", 0.75, None, None, None, "parcours"],
             ["alpha", 2016, "sorties", 4, 5, -1, -0.2, "parcours"],
             ["alpha", 2016, "duree_mediane_mois", 9.0, None, None, None, "parcours"]],
        )  # fmt: skip
    return Warehouse(str(path), path.stat().st_mtime_ns)


@pytest.fixture
def wh(tmp_path: Path) -> Warehouse:
    return build_warehouse(tmp_path / "ptce.duckdb")


def by(frame: pd.DataFrame, *columns: str) -> dict:
    """{(key columns): personnes} of a long frame."""
    return {
        tuple(r[:-1]) if len(r) > 2 else r[0]: r[-1]
        for r in frame[[*columns, "personnes"]].itertuples(index=False)
    }


# --- Access ------------------------------------------------------------------------------------


def test_a_pole_cannot_read_another_poles_flows(wh: Warehouse) -> None:
    with pytest.raises(PermissionError, match="parcours d'un autre pôle ne sont pas accessibles"):
        reads.flows(wh, ALPHA, "beta", 2016)
    with pytest.raises(PermissionError, match="autre pôle"):
        reads.breakdowns(wh, ALPHA, "beta", 2016)
    with pytest.raises(PermissionError, match="autre pôle"):
        reads.derived_vs_declared(wh, ALPHA, "beta")


def test_the_funder_gets_network_figures_only(wh: Warehouse) -> None:
    for read in (
        lambda: reads.flows(wh, FUNDER, "alpha"),
        lambda: reads.exit_categories(wh, FUNDER, "alpha"),
        lambda: reads.dynamic_exit_rates(wh, FUNDER, 2016),
        lambda: reads.breakdown_by_pole(wh, FUNDER, 2016, "sexe"),
        lambda: reads.rqth(wh, FUNDER, "alpha", 2016),
        lambda: reads.derived_vs_declared(wh, FUNDER),
    ):
        with pytest.raises(PermissionError, match="Le financeur consulte les chiffres du réseau"):
            read()
    assert reads.poles(wh, FUNDER).empty
    assert reads.poles(wh, ALPHA)["pole_id"].tolist() == ["alpha"]
    assert reads.poles(wh, STAFF)["pole_id"].tolist() == ["alpha", "beta", "gamma"]


def test_rqth_is_never_crossed(wh: Warehouse) -> None:
    with pytest.raises(ValueError, match="Variable de répartition inconnue"):
        reads.breakdown_by_pole(wh, STAFF, 2016, "rqth")
    variables = set(reads.breakdowns(wh, STAFF, "alpha", 2016)["variable"])
    assert variables == {"sexe", "tranche_age", "deld", "rsa", "qpv"}


# --- Flows -------------------------------------------------------------------------------------


def test_flows_of_a_pole_follow_internal_moves_to_the_outcome(wh: Warehouse) -> None:
    flows = reads.flows(wh, ALPHA, "alpha", 2016)  # the pole's own detail: nothing masked
    assert not flows["masque"].any()
    links = by(flows, "source_etape", "source", "target_etape", "target")
    # The 2016 cohort: a1, a2, a3, a5, a6 (a4 entered in 2015).
    assert links == {
        ("entree", "Régie A", "mobilite", "Chantier B"): 1,
        ("mobilite", "Chantier B", "issue", "emploi_durable"): 1,
        ("entree", "Régie A", "issue", "emploi_transition"): 1,
        ("entree", "Régie A", "issue", reads.ONGOING): 1,
        ("entree", "Régie A", "issue", "retrait"): 1,
        ("entree", "Chantier B", "issue", "sortie_positive"): 1,
    }
    assert reads.cohort_size(wh, ALPHA, "alpha", 2016) == 5
    # Every year: a4 too, from Chantier B to an other exit.
    assert by(reads.flows(wh, STAFF, "alpha"), "source", "target")[("Chantier B", "autre_sortie")] == 1


def test_network_flows_go_from_poles_and_are_masked_for_the_funder(wh: Warehouse) -> None:
    staff = reads.flows(wh, STAFF, None, 2016)
    links = by(staff, "source_etape", "source_pole", "target")
    # The network names poles, not structures; a1's move goes through the one « moved » node.
    assert links[("entree", "alpha", reads.MOVED)] == 1
    moved = staff[staff["source_etape"] == "mobilite"]
    assert moved[["source", "target", "personnes"]].values.tolist() == [[reads.MOVED, "emploi_durable", 1]]
    assert moved["source_pole"].isna().all()
    assert staff["source"].isna().sum() == (staff["source_etape"] == "entree").sum()
    # Beta's 2016 cohort: b1–b7 (2 + 1 durable, 1 transition, 3 autre); gamma: 5 durable.
    assert links[("entree", "beta", "autre_sortie")] == 3
    assert links[("entree", "beta", "emploi_durable")] == 3
    assert links[("entree", "gamma", "emploi_durable")] == 5
    funder = reads.flows(wh, FUNDER, None, 2016)
    shown = funder.set_index(["source_pole", "target"])
    assert shown.loc[("beta", "autre_sortie"), "libelle"] == "< 5"
    assert math.isnan(shown.loc[("beta", "autre_sortie"), "personnes"])
    # No hidden count leaves the read: every masked cell is NaN.
    assert funder.loc[funder["masque"], "personnes"].isna().all()
    assert funder["masque"].sum() >= (staff["personnes"] < 5).sum()


# --- Exits -------------------------------------------------------------------------------------


def test_exit_categories_by_year(wh: Warehouse) -> None:
    alpha = by(reads.exit_categories(wh, STAFF, "alpha"), "annee", "categorie")
    assert alpha == {
        (2016, "emploi_durable"): 1,
        (2016, "emploi_transition"): 1,
        (2016, "autre_sortie"): 1,
        (2016, "retrait"): 1,
        (2016, "sortie_positive"): 1,
    }
    network = by(reads.exit_categories(wh, STAFF), "annee", "categorie")
    # durable: a1, b1, b2, g1–g5 = 8 in 2016, b7 in 2017; autre: a4, b4–b6, g7, g8 = 6.
    assert network[(2016, "emploi_durable")] == 8
    assert network[(2017, "emploi_durable")] == 1
    assert network[(2016, "autre_sortie")] == 6
    assert network[(2016, "retrait")] == 2


def test_dynamic_exit_rate_by_pole_with_its_exits(wh: Warehouse) -> None:
    rates = reads.dynamic_exit_rates(wh, STAFF, 2016)
    assert rates["pole_id"].tolist() == ["alpha", "beta", "gamma", None]
    # Exits other than withdrawals: alpha 4 (a1, a2, a4, a6), beta 6, gamma 7; network 17.
    # Dynamic: alpha 3 (a1, a2, a6), beta 3, gamma 5; network 11.
    # Small cells: alpha's 4 is under 5 (« < 5 »); beta, the smallest other, is masked too (« s »)
    # or the network total would give alpha's back.
    assert rates["sorties_libelle"].tolist() == ["< 5", "s", "7", "17"]
    assert rates["sorties_masque"].tolist() == [True, True, False, False]
    assert rates["sorties"].iloc[2:].tolist() == [7, 17]
    assert rates["sorties"].iloc[:2].isna().all() and rates["taux"].iloc[:2].isna().all()
    assert rates["taux"].iloc[2] == pytest.approx(5 / 7)
    assert rates["taux"].iloc[3] == pytest.approx(11 / 17)


def test_exits_by_pole_are_masked(wh: Warehouse) -> None:
    table = reads.exit_categories_by_pole(wh, STAFF, 2016).set_index(["pole_id", "categorie"])
    assert table.loc[("gamma", "emploi_durable"), "personnes"] == 5
    assert table.loc[("alpha", "emploi_durable"), "libelle"] == "< 5"
    assert table.loc[table["masque"], "personnes"].isna().all()


# --- Durations ---------------------------------------------------------------------------------


def test_duration_distribution_of_ended_pathways(wh: Warehouse) -> None:
    bins, median, n = reads.duration_distribution(wh, ALPHA, "alpha", 2016)
    # Ended in 2016 except the withdrawal: a6 60 days, a2 182, a1 365 (01/01 to 31/12/2016,
    # across its internal move), a4 395 (01/06/2015 to 30/06/2016).
    assert n == 4
    assert bins["personnes"].tolist() == [1, 1, 1, 1, 0, 0]
    assert bins["debut"].tolist() == [0, 3, 6, 12, 18, 24]
    assert median == pytest.approx((182 + 365) / 2 / DAYS_PER_MONTH)
    _, median_funder, n_funder = reads.duration_distribution(wh, FUNDER, None, 2017)
    assert (median_funder, n_funder) == (None, None)  # b7 alone: under the threshold


# --- Breakdowns --------------------------------------------------------------------------------


def test_breakdowns_of_the_persons_accompanied(wh: Warehouse) -> None:
    frame = reads.breakdowns(wh, ALPHA, "alpha", 2016)
    counts = by(frame, "variable", "modalite")
    # Six persons in 2016; a1's age band is that of its latest stay (45–54 ans).
    assert {m: counts[("sexe", m)] for m in ("F", "H", "non_renseigne")} == {
        "F": 3,
        "H": 2,
        "non_renseigne": 1,
    }
    assert [counts[("tranche_age", m)] for m in reads.MODALITIES["tranche_age"]] == [2, 2, 1, 1, 0]
    assert [counts[("deld", m)] for m in ("oui", "non", "non_renseigne")] == [3, 2, 1]
    assert [counts[("rsa", m)] for m in ("oui", "non", "non_renseigne")] == [2, 4, 0]
    assert [counts[("qpv", m)] for m in ("oui", "non", "non_renseigne")] == [2, 3, 1]
    assert frame.loc[(frame["variable"] == "sexe") & (frame["modalite"] == "F"), "part"].item() == 0.5
    assert frame["variable"].drop_duplicates().tolist() == list(reads.BREAKDOWN_VARIABLES)


def test_rqth_count_and_share(wh: Warehouse) -> None:
    row = reads.rqth(wh, ALPHA, "alpha", 2016).iloc[0]
    assert (row["personnes"], row["personnes_rqth"]) == (6, 2)  # a1 and a4
    assert row["part"] == pytest.approx(2 / 6)
    funder = reads.rqth(wh, FUNDER, None, 2016).iloc[0]
    # Network 2016: 6 + 7 + 8 = 21 persons, 2 with RQTH: under 5, masked with its share.
    assert funder["personnes"] == 21
    assert funder["libelle"] == "< 5" and math.isnan(funder["personnes_rqth"]) and math.isnan(funder["part"])


def test_breakdown_by_pole_is_masked(wh: Warehouse) -> None:
    table = reads.breakdown_by_pole(wh, STAFF, 2016, "sexe").set_index(["pole_id", "modalite"])
    assert table.loc[("gamma", "H"), "personnes"] == 8
    assert table.loc[("alpha", "F"), "libelle"] == "< 5"


# --- Derived against declared, years -----------------------------------------------------------


def test_derived_vs_declared_in_catalogue_order(wh: Warehouse) -> None:
    table = reads.derived_vs_declared(wh, STAFF, "alpha", 2016)
    assert table["code"].tolist() == ["sorties", "taux_sortie_dynamique", "duree_mediane_mois"]
    assert table["ecart"].iloc[0] == -1
    assert table["libelle"].iloc[0] == "Sorties de parcours (hors retraits)"
    assert reads.derived_vs_declared(wh, ALPHA, "alpha")["pole_id"].unique().tolist() == ["alpha"]
    assert reads.derived_vs_declared(wh, STAFF)["pole_id"].tolist()[-1] == "beta"


def test_years_from_first_entry_to_last_exit(wh: Warehouse) -> None:
    assert reads.years(wh, STAFF) == [2017, 2016, 2015]


# --- On the demo: the reads agree with the indicators the pipeline derives ---------------------


def test_reads_agree_with_the_derived_indicators_on_the_demo(demo_data_dir: Path) -> None:
    # The pipeline derives `pathway_indicators` in pandas (pipelines/pathways/tables.py); the reads
    # count in SQL. Same definitions, so the same exits, rates and medians, pole by pole.
    wh = current_warehouse(demo_data_dir)
    assert wh is not None
    derived = reads.derived_vs_declared(wh, STAFF).set_index(["pole_id", "annee", "code"])["valeur"]
    checked = 0
    for year in reads.years(wh, STAFF):
        rates = reads.dynamic_exit_rates(wh, STAFF, year)
        for row in rates[rates["pole_id"].notna() & ~rates["sorties_masque"]].itertuples(index=False):
            assert row.sorties == derived[(row.pole_id, year, "sorties")]
            assert row.taux == pytest.approx(derived[(row.pole_id, year, "taux_sortie_dynamique")])
            _, median, n = reads.duration_distribution(wh, STAFF, row.pole_id, year)
            assert n == row.sorties
            assert median == pytest.approx(derived[(row.pole_id, year, "duree_mediane_mois")])
            checked += 1
    assert checked >= 30  # twelve poles over the demo's years


def test_a_rate_never_gives_back_a_small_count_of_dynamic_exits_to_a_pole(tmp_path: Path) -> None:
    """Pole Delta: 3 dynamic exits out of 40 in 2016; its rate × 40 would give the 3 back."""
    path = tmp_path / "delta.duckdb"
    build_warehouse(path)
    delta = [
        _plain(f"d{i}", "delta", "Atelier D", D(2016, 1, 1), D(2016, 10, 31),
               "emploi_durable" if i < 3 else "autre_sortie")
        for i in range(40)
    ]  # fmt: skip
    with duckdb.connect(str(path)) as con:
        con.execute("insert into poles values ('delta', 4, 'Pôle Delta', 'Delta')")
        con.executemany(
            """
            insert into pathways (person_key, pole_id, structure, date_entree, date_sortie, categorie_sortie,
                parcours_id, etape, mobilite_interne, fin_parcours, sexe, tranche_age, deld, rsa, qpv, rqth)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [list(r) for r in delta],
        )
    wh = Warehouse(str(path), path.stat().st_mtime_ns)
    staff = reads.dynamic_exit_rates(wh, STAFF, 2016).set_index("nom")
    assert staff.at["Pôle Delta", "sorties_dynamiques"] == 3
    assert staff.at["Pôle Delta", "taux"] == pytest.approx(3 / 40)
    pole = reads.dynamic_exit_rates(wh, ALPHA, 2016).set_index("nom")
    assert pole.at["Pôle Delta", "sorties"] == 40
    assert math.isnan(pole.at["Pôle Delta", "sorties_dynamiques"])
    assert math.isnan(pole.at["Pôle Delta", "taux"])


def test_dynamic_exit_rates_count_a_pole_missing_from_the_reference_in_the_network_only(
    tmp_path: Path,
) -> None:
    """Delta's 6 exits of 2016 (its pathways published, the pole not in `poles`): no row of its
    own, but the network row counts them (17 + 6 = 23 exits, 11 + 2 = 13 dynamic)."""
    path = tmp_path / "sans_delta.duckdb"
    build_warehouse(path)
    delta = [
        _plain(f"d{i}", "delta", "Atelier D", D(2016, 1, 1), D(2016, 10, 31),
               "emploi_durable" if i < 2 else "autre_sortie")
        for i in range(6)
    ]  # fmt: skip
    with duckdb.connect(str(path)) as con:
        con.executemany(
            """
            insert into pathways (person_key, pole_id, structure, date_entree, date_sortie, categorie_sortie,
                parcours_id, etape, mobilite_interne, fin_parcours, sexe, tranche_age, deld, rsa, qpv, rqth)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [list(r) for r in delta],
        )
    wh = Warehouse(str(path), path.stat().st_mtime_ns)
    rates = reads.dynamic_exit_rates(wh, STAFF, 2016)
    assert rates["pole_id"].tolist() == ["alpha", "beta", "gamma", None]
    assert rates["numero"].tolist() == [1, 2, 3, None]
    network = rates.iloc[-1]
    assert (network["sorties"], network["sorties_dynamiques"]) == (23, 13)
    # A year without any exit: the network row alone, no exit and no rate.
    empty = reads.dynamic_exit_rates(wh, STAFF, 2030)
    assert empty["pole_id"].tolist() == [None]
    assert empty["sorties"].tolist() == [0] and math.isnan(empty["taux"].iloc[0])

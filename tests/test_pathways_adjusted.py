"""The adjusted comparison (issue #13 item 2) on constructed exits whose answer is known by hand.

The network of 2016 below has one profile variable that varies, DELD; every other characteristic
is the same for everybody (or always missing), so the model is intercept + DELD and its fitted
probabilities are exactly the network's success rate of each DELD group (a saturated logistic model
reproduces the cell proportions). Counts (exits to lasting employment / exits, per pole):

    pole     non-DELD     DELD       raw rate        expected                         verdict
    egal     120/200     40/200     160/400 = .400   (200×.6 + 200×.2)/400 = .400     conforme
    mieux    160/200     40/100     200/300 = .667   (200×.6 + 100×.2)/300 = .467     au-dessus
    moins     80/200      0/100      80/300 = .267   .467                             en dessous
    dur       16/26      60/300      76/326 = .233   (26×.6 + 300×.2)/326 = .2319     conforme
    petit      5/9        2/10        7/19                                            no figure
    network  381/635 = .6  142/710 = .2

`dur` has the lowest raw rate of all, yet its people (92 % long-term unemployed) do as well as the
network's: the raw-rate trap. Every other exit is "autre_sortie", so both indicators have the same
outcome here; each pole also has one withdrawal (left out of the exits).
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from pipelines.pathways.adjusted import adjust_year, build_adjusted, exits_frame
from pipelines.pathways.tables import build_indicators, build_pathways
from ptce.reference import Pole, PoleSet

# (pole, DELD, exits, of which to lasting employment)
CELLS = [
    ("egal", False, 200, 120),
    ("egal", True, 200, 40),
    ("mieux", False, 200, 160),
    ("mieux", True, 100, 40),
    ("moins", False, 200, 80),
    ("moins", True, 100, 0),
    ("dur", False, 26, 16),
    ("dur", True, 300, 60),
    ("petit", False, 9, 5),
    ("petit", True, 10, 2),
]


def stay(
    n: int, pole: str, deld: bool | None, category: str | None, exit_: str = "2016-06-30", **profile
) -> dict:
    return {
        "person_key": f"{n:032x}",
        "pole_id": pole,
        "structure": "Régie",
        "date_entree": pd.Timestamp("2015-09-01"),
        "date_sortie": pd.Timestamp(exit_) if exit_ else pd.NaT,
        "categorie_sortie": category,
        "motif_regle": None,
        "sexe": profile.get("sexe", "F"),
        "tranche_age": profile.get("tranche_age", "26–44 ans"),
        "deld": deld,
        "rsa": profile.get("rsa"),
        "qpv": profile.get("qpv", False),
        "rqth": profile.get("rqth"),
        "certification": None,
        "heures_formation": None,
        "source_file": "raw/parcours/f.csv",
        "row_number": n,
        "sheet": None,
    }


def network_stays() -> list[dict]:
    rows = []
    for pole, deld, exits, durable in CELLS:
        for i in range(exits):
            category = "emploi_durable" if i < durable else "autre_sortie"
            rows.append(stay(len(rows), pole, deld, category))
    for pole in ("egal", "mieux", "moins", "dur", "petit"):
        rows.append(stay(len(rows), pole, True, "retrait"))  # never an exit
    return rows


@pytest.fixture(scope="module")
def adjusted() -> pd.DataFrame:
    pathways = build_pathways(pd.DataFrame(network_stays()), gap_days=31)
    return build_adjusted(pathways).set_index(["indicateur", "pole_id"])


def row(frame: pd.DataFrame, pole: str, indicator: str = "taux_emploi_durable") -> pd.Series:
    return frame.loc[(indicator, pole)]


def test_a_pole_that_does_as_its_profile_predicts_is_conforme(adjusted: pd.DataFrame) -> None:
    egal = row(adjusted, "egal")
    assert egal["sorties"] == 400 and egal["annee"] == 2016
    assert egal["taux_observe"] == pytest.approx(0.4)
    assert egal["taux_attendu"] == pytest.approx(0.4, abs=1e-6)
    assert egal["ecart"] == pytest.approx(0.0, abs=1e-6)
    # Half-width by hand: observed mean under the model, (200×.6×.4 + 200×.2×.8) / 400² = 80 / 160 000,
    # minus the variance of the expected rate .5 r_nonDELD + .5 r_DELD, each rate estimated on the
    # network (which holds these exits): .25×.24/635 + .25×.16/710 (a saturated logit gives back p(1−p)/n).
    half = 1.959964 * math.sqrt(80 / 160_000 - 0.25 * 0.24 / 635 - 0.25 * 0.16 / 710)
    assert egal["ic_bas"] == pytest.approx(-half, abs=1e-5)
    assert egal["ic_haut"] == pytest.approx(half, abs=1e-5)
    assert egal["verdict"] == "conforme"


def test_better_than_predicted_is_above_and_worse_is_below(adjusted: pd.DataFrame) -> None:
    mieux, moins = row(adjusted, "mieux"), row(adjusted, "moins")
    assert mieux["taux_observe"] == pytest.approx(200 / 300)
    assert mieux["taux_attendu"] == pytest.approx(140 / 300, abs=1e-6)
    assert mieux["ecart"] == pytest.approx(60 / 300, abs=1e-6)
    assert mieux["ic_bas"] > 0 and mieux["verdict"] == "au-dessus"
    assert moins["taux_observe"] == pytest.approx(80 / 300)
    assert moins["taux_attendu"] == pytest.approx(140 / 300, abs=1e-6)
    assert moins["ecart"] == pytest.approx(-60 / 300, abs=1e-6)
    assert moins["ic_haut"] < 0 and moins["verdict"] == "en dessous"


def test_the_lowest_raw_rate_with_the_hardest_profile_is_not_below(adjusted: pd.DataFrame) -> None:
    rates = adjusted.loc["taux_emploi_durable", "taux_observe"].dropna()
    assert rates.idxmin() == "dur"
    dur = row(adjusted, "dur")
    assert dur["taux_observe"] == pytest.approx(76 / 326)
    assert dur["taux_attendu"] == pytest.approx(75.6 / 326, abs=1e-6)
    assert dur["verdict"] == "conforme"


def test_fewer_than_twenty_exits_give_no_figure(adjusted: pd.DataFrame) -> None:
    petit = row(adjusted, "petit")
    assert petit["sorties"] == 19
    figures = ["taux_observe", "taux_attendu", "ecart", "ic_bas", "ic_haut", "verdict"]
    assert petit[figures].isna().all()


def test_both_indicators_and_the_model_described(adjusted: pd.DataFrame) -> None:
    # Every outcome here is lasting employment or "autre sortie": both indicators agree.
    dynamic = adjusted.loc["taux_sortie_dynamique"]
    assert dynamic["verdict"].dropna().to_dict() == {
        "dur": "conforme",
        "egal": "conforme",
        "mieux": "au-dessus",
        "moins": "en dessous",
    }
    assert pd.isna(dynamic.loc["petit", "verdict"])
    modele = row(adjusted, "egal")["modele"]
    assert "sans effet pôle" in modele and "1 345" in modele.replace("\u202f", " ").replace("\xa0", " ")
    assert "territoire non pris en compte" in modele
    assert "sexe : une seule modalité, variable écartée" in modele
    assert "RSA : une seule modalité" in modele  # always missing: one level, "non_renseigne"


def test_observed_rates_are_those_of_pathway_indicators() -> None:
    rows = network_stays()
    # An exit without a category (outcome 0), one in 2017 and a pathway still going on.
    rows.append(stay(len(rows), "egal", False, None))
    rows.append(stay(len(rows), "mieux", False, "sortie_positive", exit_="2017-03-01"))
    rows.append(stay(len(rows), "mieux", True, None, exit_=None))
    pathways = build_pathways(pd.DataFrame(rows), gap_days=31)
    adjusted = build_adjusted(pathways)
    derived = build_indicators(
        pathways, pd.DataFrame(columns=["pole_id", "annee", "code", "valeur"]), date(2018, 1, 1)
    )
    values = derived.set_index(["pole_id", "annee", "code"])["valeur"]
    checked = 0
    for r in adjusted.itertuples():
        assert r.sorties == values[(r.pole_id, r.annee, "sorties")]
        if pd.isna(r.taux_observe):
            continue
        if r.indicateur == "taux_sortie_dynamique":
            expected = values[(r.pole_id, r.annee, "taux_sortie_dynamique")]
        else:
            expected = (
                values[(r.pole_id, r.annee, "sorties_emploi_durable")]
                / values[(r.pole_id, r.annee, "sorties")]
            )
        assert r.taux_observe == pytest.approx(expected)
        checked += 1
    assert checked == 8  # four poles of 20 exits or more in 2016, two indicators
    assert row(adjusted.set_index(["indicateur", "pole_id"]), "egal")["sorties"] == 401
    assert row(adjusted.set_index(["indicateur", "pole_id"]), "egal")["taux_observe"] == pytest.approx(
        160 / 401
    )


def test_a_year_with_too_few_exits_gives_no_expected_rate() -> None:
    # 30 exits, 12 to lasting employment: intercept + DELD need 2 × 10 events of the rarer outcome.
    rows = [stay(i, "egal", i % 2 == 0, "emploi_durable" if i < 12 else "autre_sortie") for i in range(30)]
    adjusted = build_adjusted(build_pathways(pd.DataFrame(rows), gap_days=31))
    assert len(adjusted) == 2
    egal = adjusted.iloc[0]
    assert egal["sorties"] == 30 and egal["taux_observe"] == pytest.approx(12 / 30)
    assert pd.isna(egal["taux_attendu"]) and pd.isna(egal["verdict"])
    assert egal["modele"].startswith("Modèle non ajusté : trop peu de sorties")


def test_a_rare_or_one_outcome_level_is_merged_not_fitted_to_infinity() -> None:
    rows = network_stays()
    # Eight RQTH exits, all to lasting employment: a level of its own would separate the data.
    rows += [stay(len(rows) + i, "egal", False, "emploi_durable", rqth=True) for i in range(8)]
    adjusted = build_adjusted(build_pathways(pd.DataFrame(rows), gap_days=31))
    egal = adjusted[(adjusted["pole_id"] == "egal") & (adjusted["indicateur"] == "taux_emploi_durable")].iloc[
        0
    ]
    assert "RQTH : oui regroupé(s) avec « non_renseigne »" in egal["modele"]
    assert "RQTH : une seule modalité, variable écartée" in egal["modele"]
    assert egal["verdict"] == "conforme" and not egal["modele"].startswith("Modèle non ajusté")


def test_separated_data_give_nulls_and_say_why() -> None:
    # Success exactly when at most one of DELD, RSA, QPV: each level has both outcomes, but a linear
    # score separates them (the coefficients run off to infinity).
    rows = []
    for deld in (False, True):
        for rsa in (False, True):
            for qpv in (False, True):
                success = deld + rsa + qpv <= 1
                for _ in range(10):
                    category = "emploi_durable" if success else "autre_sortie"
                    rows.append(
                        stay(
                            len(rows), "egal" if len(rows) % 2 else "mieux", deld, category, rsa=rsa, qpv=qpv
                        )
                    )
    adjusted = build_adjusted(build_pathways(pd.DataFrame(rows), gap_days=31))
    durable = adjusted[adjusted["indicateur"] == "taux_emploi_durable"]
    assert durable["taux_observe"].tolist() == [0.5, 0.5]
    assert durable["taux_attendu"].isna().all() and durable["verdict"].isna().all()
    assert durable["modele"].str.contains("séparation des données").all()


def test_redundant_characteristics_give_nulls_and_say_why() -> None:
    rows = network_stays()
    for r in rows:
        r["rsa"] = r["deld"]  # RSA recipients are exactly the long-term unemployed
    adjusted = build_adjusted(build_pathways(pd.DataFrame(rows), gap_days=31))
    assert adjusted["verdict"].isna().all()
    assert adjusted["modele"].str.contains("profils redondants").all()


def test_the_territory_enters_the_model_when_the_reference_gives_it() -> None:
    pathways = build_pathways(pd.DataFrame(network_stays()), gap_days=31)
    territories = {"egal": "urbain", "mieux": "rural", "moins": "urbain", "dur": "rural", "petit": "rural"}
    exits = exits_frame(pathways, territories)
    assert exits.groupby("pole_id")["territoire"].first().to_dict() == territories
    assert len(exits) == 1345  # the exits of CELLS; the 5 withdrawals are not exits
    adjusted = build_adjusted(pathways, territories)
    modele = adjusted["modele"].iloc[0]
    assert "territoire" in modele and "territoire non pris en compte" not in modele


def test_territories_are_read_from_the_pole_reference_when_given() -> None:
    from pipelines.pathways import assets

    def pole(pole_id: str, numero: int, territoire: str) -> Pole:
        return Pole(pole_id, numero, pole_id, (), "", "", "", "40", "", "", "", 44.0, 1.0, territoire)

    # The run's poles in force: one with its territory, one without (left out of the model's map).
    poles = PoleSet([pole("egal", 1, "rural"), pole("dur", 2, "")])
    assert assets.pole_territories(poles) == {"egal": "rural"}
    # Without poles given: the twelve shipped ones, each with its territory.
    assert assets.pole_territories()["sud_aquitain"] == "urbain" and len(assets.pole_territories()) == 12


def test_every_characteristic_in_the_model_on_a_seeded_network() -> None:
    # Six poles of 300 exits drawn (fixed seed) from one profile model with no pole effect, profiles
    # mixed differently per pole (DELD from 10 % to 60 %); pole "haut" gets +1 on the logit scale
    # (about +23 points at p = .5), pole "bas" −1: far beyond chance at n = 300 (half-width ≈ 5 points).
    rng = np.random.default_rng(13)
    bands = ["moins de 26 ans", "26–44 ans", "45–54 ans", "55 ans et plus"]
    rows = []
    for k, (pole, shift) in enumerate([("a", 0), ("b", 0), ("haut", 1), ("c", 0), ("bas", -1), ("d", 0)]):
        for i in range(300):
            deld = rng.random() < 0.1 + 0.1 * k
            rsa = rng.random() < 0.25
            qpv = rng.random() < 0.2
            sexe = rng.choice(["F", "H", "non_renseigne"], p=[0.48, 0.48, 0.04])
            age = rng.choice(bands, p=[0.25, 0.45, 0.2, 0.1])
            eta = (
                0.4
                - 1.2 * deld
                - 0.6 * rsa
                - 0.3 * qpv
                + 0.2 * (sexe == "F")
                - 0.5 * (age == bands[3])
                + shift
            )
            success = rng.random() < 1 / (1 + math.exp(-eta))
            rows.append(
                {
                    "parcours_id": f"{pole}-{i}",
                    "pole_id": pole,
                    "annee": 2016,
                    "categorie": "emploi_durable" if success else "autre_sortie",
                    "sexe": str(sexe),
                    "tranche_age": str(age),
                    "deld": "oui" if deld else "non",
                    "rsa": "oui" if rsa else "non",
                    "qpv": "oui" if qpv else "non",
                    "rqth": "non_renseigne",
                }
            )
    result = adjust_year(pd.DataFrame(rows), "taux_emploi_durable", 2016).set_index("pole_id")
    assert result["verdict"].to_dict() == {
        "a": "conforme",
        "b": "conforme",
        "bas": "en dessous",
        "c": "conforme",
        "d": "conforme",
        "haut": "au-dessus",
    }
    modele = result["modele"].iloc[0]
    assert "sexe, tranche d'âge, DELD, RSA, QPV, RQTH" in modele and "RQTH : une seule modalité" in modele
    assert not modele.startswith("Modèle non ajusté")

"""Stays to pathways and pathway indicators (issue #11 item 3-4), on small hand-built frames.

Expected figures are worked out by hand in the comments (days counted on a calendar), never by
the code under test.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pipelines.pathways.tables import build_indicators, build_pathways, latest_versions

A, B, C, D = ("a" * 32, "b" * 32, "c" * 32, "d" * 32)
TODAY = date(2018, 6, 30)


def stay(person, structure, entry, exit_=None, category=None, rule=None, hours=None, cert=None, row=1):
    return {
        "person_key": person,
        "pole_id": "phares",
        "structure": structure,
        "date_entree": pd.Timestamp(entry),
        "date_sortie": pd.Timestamp(exit_) if exit_ else pd.NaT,
        "categorie_sortie": category,
        "motif_regle": rule,
        "sexe": "F",
        "tranche_age": "26–44 ans",
        "deld": True,
        "rsa": None,
        "qpv": False,
        "rqth": None,
        "certification": cert,
        "heures_formation": hours,
        "source_file": "raw/parcours/f.csv",
        "row_number": row,
        "sheet": None,
    }


def example() -> pd.DataFrame:
    return pd.DataFrame(
        [
            # A: Régie, then Atelier 15 days later (internal move), exit to a CDI in 2017.
            stay(A, "Régie", "2016-02-03", "2016-06-30", "emploi_durable", "CDI", hours=100.0),
            stay(A, "Atelier", "2016-07-15", "2017-03-31", "emploi_durable", "CDI", cert=True),
            # B: exit on 31/03, Atelier on 02/05 (32 days later): a new pathway, the first exit counts.
            stay(B, "Régie", "2016-01-10", "2016-03-31", "autre_sortie", "Demandeur d'emploi"),
            stay(B, "Atelier", "2016-05-02", hours=60.0),
            # C: withdrawn (death) in 2017.
            stay(C, "Régie", "2017-09-01", "2017-12-31", "retrait", "Décès"),
            # D: entered in 2015, qualifying training in January 2016, certified.
            stay(D, "Atelier", "2015-11-01", "2016-01-31", "sortie_positive", "Formation", cert=True),
        ]
    )


def by_key(frame: pd.DataFrame, person: str) -> pd.DataFrame:
    return frame[frame["person_key"] == person].sort_values("etape").reset_index(drop=True)


def test_internal_move_keeps_the_pathway_and_drops_the_first_exit() -> None:
    paths = build_pathways(example(), gap_days=31)
    a = by_key(paths, A)
    assert a["parcours_id"].nunique() == 1
    assert a["etape"].tolist() == [1, 2]
    assert a["mobilite_interne"].tolist() == [False, True]
    assert a["fin_parcours"].tolist() == [False, True]
    assert pd.isna(a.loc[0, "categorie_sortie"]) and a.loc[0, "motif_regle"] == "CDI"
    assert a.loc[1, "categorie_sortie"] == "emploi_durable"
    # 03/02 -> 30/06/2016: 148 days = 4.9 months of 30.4375 days.
    assert a.loc[0, "duree_mois"] == pytest.approx(4.9)


def test_a_gap_over_the_limit_starts_a_new_pathway() -> None:
    paths = build_pathways(example(), gap_days=31)
    b = paths[paths["person_key"] == B].sort_values("date_entree").reset_index(drop=True)
    assert b["parcours_id"].nunique() == 2
    assert b["etape"].tolist() == [1, 1]
    assert b["mobilite_interne"].tolist() == [False, False]
    assert b.loc[0, "categorie_sortie"] == "autre_sortie" and bool(b.loc[0, "fin_parcours"])
    assert pd.isna(b.loc[1, "categorie_sortie"]) and not b.loc[1, "fin_parcours"]


@pytest.mark.parametrize(
    ("entry", "gap_days", "move"),
    [
        ("2016-05-01", 31, True),  # 31/03 -> 01/05: 31 days, at the limit
        ("2016-05-02", 31, False),  # 32 days
        ("2016-05-02", 32, True),  # the limit comes from the configuration
    ],
)
def test_gap_limit(entry: str, gap_days: int, move: bool) -> None:
    stays = pd.DataFrame(
        [stay(B, "Régie", "2016-01-10", "2016-03-31", "autre_sortie", "X"), stay(B, "Atelier", entry)]
    )
    paths = build_pathways(stays, gap_days=gap_days).sort_values("date_entree")
    assert paths["mobilite_interne"].tolist() == [False, move]
    assert paths["parcours_id"].nunique() == (1 if move else 2)
    assert pd.isna(paths.iloc[0]["categorie_sortie"]) == move


def test_back_to_the_same_structure_is_a_new_pathway() -> None:
    stays = pd.DataFrame(
        [stay(B, "Régie", "2016-01-10", "2016-03-31", "autre_sortie", "X"), stay(B, "régie", "2016-04-10")]
    )
    paths = build_pathways(stays, gap_days=31)
    assert paths["parcours_id"].nunique() == 2 and not paths["mobilite_interne"].any()


def test_resubmission_keeps_the_latest_version_of_a_stay() -> None:
    first = stay(A, "Régie A", "2016-02-03", row=2)
    first["source_file"] = "raw/parcours/phares_2016.csv"
    later = stay(A, "régie  a", "2016-02-03", "2017-01-15", "emploi_durable", "CDI", row=7)
    later["source_file"] = "raw/parcours/phares_2017.csv"
    other = stay(B, "Régie A", "2017-03-01", row=8)
    other["source_file"] = "raw/parcours/phares_2017.csv"
    arrivals = pd.DataFrame(
        {
            "source_file": ["raw/parcours/phares_2016.csv", "raw/parcours/phares_2017.csv"],
            "arrival_rank": [1, 2],
        }
    )
    # Given in any order: the arrival rank decides.
    kept = latest_versions(pd.DataFrame([later, other, first]), arrivals)
    assert len(kept) == 2
    a = kept[kept["person_key"] == A].iloc[0]
    assert a["source_file"] == "raw/parcours/phares_2017.csv" and a["row_number"] == 7
    assert a["date_sortie"] == pd.Timestamp("2017-01-15")


def indicators() -> dict[tuple[int, str], tuple[float, float | None]]:
    declared = pd.DataFrame(
        [
            {"pole_id": "phares", "annee": 2016, "code": "personnes_accompagnees", "valeur": 4.0},
            {"pole_id": "phares", "annee": 2016, "code": "sorties", "valeur": 0.0},
            {"pole_id": "autre", "annee": 2016, "code": "sorties", "valeur": 9.0},
        ]
    )
    frame = build_indicators(build_pathways(example(), gap_days=31), declared, TODAY)
    assert (frame["origine"] == "parcours").all() and (frame["pole_id"] == "phares").all()
    return {
        (r.annee, r.code): (r.valeur, None if pd.isna(r.valeur_declaree) else r.valeur_declaree)
        for r in frame.itertuples()
    }


def test_indicators_2016_by_hand() -> None:
    got = indicators()
    values = {code: v for (year, code), (v, _) in got.items() if year == 2016}
    assert values == pytest.approx(
        {
            "personnes_accompagnees": 3,  # A, B, D (C comes in 2017)
            "entrees_parcours": 3,  # A's pathway, B's two pathways
            "sorties": 2,  # B's first pathway, D's; A's move is no exit
            "sorties_emploi_durable": 0,
            "sorties_emploi_transition": 0,
            "sorties_positives": 1,
            "sorties_autres": 1,
            "retraits": 0,
            "taux_sortie_dynamique": 0.5,  # 1 positive / 2 exits
            # B: 10/01 -> 31/03 = 81 days; D: 01/11/2015 -> 31/01/2016 = 91 days; median 86 days.
            "duree_mediane_mois": 86 / 30.4375,
            # A's 100 h all in 2016; B's stay is open: counted to 31/12/2017, the last year the
            # pole's data speak of (C's exit), so 60 h over 609 days, 244 of them in 2016.
            "heures_formation": 100 + 60 * 244 / 609,
            "certifications": 1,  # D, certified on a stay ended in January 2016
            "mobilites_internes": 1,  # A
        }
    )
    assert got[(2016, "personnes_accompagnees")] == (3.0, 4.0)
    assert got[(2016, "sorties")] == (2.0, 0.0)
    assert got[(2016, "entrees_parcours")][1] is None


def test_indicators_2017_and_2015_by_hand() -> None:
    got = indicators()
    values = {code: v for (year, code), (v, _) in got.items() if year == 2017}
    assert values == pytest.approx(
        {
            "personnes_accompagnees": 3,  # A (to March), B (goes on), C
            "entrees_parcours": 1,  # C
            "sorties": 1,  # A; C's withdrawal is not counted
            "sorties_emploi_durable": 1,
            "sorties_emploi_transition": 0,
            "sorties_positives": 0,
            "sorties_autres": 0,
            "retraits": 1,
            "taux_sortie_dynamique": 1.0,
            "duree_mediane_mois": 422 / 30.4375,  # A: 03/02/2016 -> 31/03/2017 = 422 days
            "heures_formation": 60 * 365 / 609,
            "certifications": 1,  # A
            "mobilites_internes": 0,
        }
    )
    # 2015: D only; no exit, so no rate and no median; no hours given.
    assert {code for (year, code) in got if year == 2015} == {
        "personnes_accompagnees",
        "entrees_parcours",
        "sorties",
        "sorties_emploi_durable",
        "sorties_emploi_transition",
        "sorties_positives",
        "sorties_autres",
        "retraits",
        "certifications",
        "mobilites_internes",
    }
    # B's stay is still open, but the pole's data stop in 2017: no figure for 2018.
    assert max(year for year, _ in got) == 2017


def test_ecart_against_declared() -> None:
    declared = pd.DataFrame(
        [{"pole_id": "phares", "annee": 2016, "code": "personnes_accompagnees", "valeur": 4.0}]
    )
    frame = build_indicators(build_pathways(example(), gap_days=31), declared, TODAY)
    row = frame[(frame["annee"] == 2016) & (frame["code"] == "personnes_accompagnees")].iloc[0]
    assert (row["ecart"], row["ecart_relatif"]) == (-1.0, -0.25)


def test_empty_inputs_give_empty_tables() -> None:
    empty = build_pathways(pd.DataFrame(columns=list(example().columns)), gap_days=31)
    assert empty.empty
    assert build_indicators(empty, pd.DataFrame(columns=["pole_id", "annee", "code", "valeur"]), TODAY).empty

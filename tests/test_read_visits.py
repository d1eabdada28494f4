"""Reads of the community's events (`ptce.read.visits`) on the small warehouse of tests/visits_warehouse.py.

Every expected figure is counted by hand from the rows written there (its docstring lists the
events); the comments here say how.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from ptce.read import visits as reads
from ptce.read.base import STAFF, Viewer, Warehouse
from tests import visits_warehouse as data

FUNDER = Viewer("funder")
ALPHA = Viewer("pole", "alpha")


@pytest.fixture
def wh(tmp_path: Path) -> Warehouse:
    return data.build(tmp_path / "ptce.duckdb")


def test_events_by_date_with_host_kind_and_place(wh: Warehouse) -> None:
    events = reads.events(wh, STAFF)
    assert events["visit_id"].tolist() == ["V1", "V2", "V8", "V3", "V4", "V5", "V6", "V7"]
    by_id = events.set_index("visit_id")
    assert by_id.at["V1", "hote"] == "Pôle Alpha"
    assert by_id.at["V4", "type"] == "séminaire de capitalisation"
    assert by_id.at["V4", "hote"] is None or math.isnan(by_id.at["V4", "hote"])
    # V1 gives no place: drawn at its host alpha's (45.0, 5.0); V2 has its own (Nantes).
    assert (by_id.at["V1", "latitude"], by_id.at["V1", "longitude"]) == (45.0, 5.0)
    assert (by_id.at["V2", "latitude"], by_id.at["V2", "longitude"]) == (47.2, -1.55)
    # V8: no place and no host, so nowhere to draw it.
    assert math.isnan(by_id.at["V8", "latitude"])
    assert by_id.at["V3", "angles"] == ["parcours", "qualite"]
    assert by_id.at["V3", "angles_libelles"] == "Parcours et sécurisation, Qualité de l'emploi"
    assert by_id.at["V7", "statut"] == "prévue"


def test_staff_see_participants_as_they_are(wh: Warehouse) -> None:
    events = reads.events(wh, STAFF).set_index("visit_id")
    assert events["participants_libelle"].to_dict() == {
        "V1": "12", "V2": "3", "V8": "6", "V3": "8", "V4": "30", "V5": "4", "V6": "25", "V7": "–",
    }  # fmt: skip
    assert not events["participants_masque"].any()
    assert "nb_participants" not in events.columns


@pytest.mark.parametrize("viewer", [FUNDER, ALPHA], ids=["financeur", "pole"])
def test_small_participant_counts_are_masked_for_funder_and_poles(wh: Warehouse, viewer: Viewer) -> None:
    events = reads.events(wh, viewer).set_index("visit_id")
    # V2 (3) and V5 (4) are under 5. The 2016 total (47) would give V2 back: the smallest other
    # count of 2016, V8 (6), is masked too; in 2017 the only other count, V6 (25), is.
    assert events["participants_libelle"].to_dict() == {
        "V1": "12", "V2": "< 5", "V8": "s", "V3": "8", "V4": "30", "V5": "< 5", "V6": "s", "V7": "–",
    }  # fmt: skip
    assert events["participants_masque"].to_dict() == {
        "V1": False, "V2": True, "V8": True, "V3": False, "V4": False, "V5": True, "V6": True, "V7": False,
    }  # fmt: skip
    assert events["participants"].isna().tolist() == [False, True, True, False, False, True, True, True]
    assert "nb_participants" not in events.columns
    # The yearly and period totals stay published (no single hidden count can be told from them).
    community = reads.community_indicators(wh, viewer)
    people = community[community["code"] == "participants"]
    assert people["libelle_valeur"].tolist() == ["88", "12", "47", "29"]
    assert not people["masque"].any()


def test_a_masked_total_is_never_the_pipelines_raw_value(tmp_path: Path) -> None:
    wh = data.build(tmp_path / "ptce.duckdb")
    # 2015 made of one event of 2 participants: its total would be that small count itself.
    with duckdb.connect(wh.path) as con:
        con.execute("update visits set nb_participants = 2 where visit_id = 'V1'")
        con.execute("update community_indicators set valeur = 2 where code = 'participants' and annee = 2015")
    wh = Warehouse(wh.path, Path(wh.path).stat().st_mtime_ns)
    community = reads.community_indicators(wh, FUNDER).set_index(["code", "annee"])
    assert community.loc[("participants", 2015), "libelle_valeur"] == "< 5"
    assert math.isnan(community.loc[("participants", 2015), "valeur"])
    assert bool(community.loc[("participants", 2015), "masque"])
    staff = reads.community_indicators(wh, STAFF).set_index(["code", "annee"])
    assert staff.loc[("participants", 2015), "valeur"] == 2


def test_community_indicators_in_catalogue_order_period_first(wh: Warehouse) -> None:
    community = reads.community_indicators(wh, STAFF)
    period = community[community["annee"].isna()]
    assert period["code"].tolist() == [
        "evenements",
        "visites_apprenantes",
        "seminaires",
        "poles_presents_par_visite",
        "participants",
        "poles_participants",
        "poles_hotes",
        "pratiques_partagees",
    ]
    assert period["libelle"].iloc[0] == "Événements tenus"
    assert period.set_index("code").at["poles_presents_par_visite", "libelle_valeur"] == "2,5"
    events = community[community["code"] == "evenements"]
    assert events["annee"].tolist()[1:] == [2015, 2016, 2017]


def test_participation_counts_held_events_per_pole(wh: Warehouse) -> None:
    df = reads.pole_participation(wh, STAFF).set_index("pole_id")
    # alpha hosted V1, V3 and came to V2, V4, V5, V6; beta hosted V2 and came to V1, V3, V4 (V7 is
    # only planned); gamma hosted V5, came to V1, V4, V6, V8; delta hosts only V7 (planned) and
    # came to V3, V4, V8; epsilon took part in nothing.
    assert df["accueils"].to_dict() == {"alpha": 2, "beta": 1, "gamma": 1, "delta": 0, "epsilon": 0}
    assert df["participations"].to_dict() == {"alpha": 4, "beta": 3, "gamma": 4, "delta": 3, "epsilon": 0}
    assert df["presences"].to_dict() == {"alpha": 6, "beta": 4, "gamma": 5, "delta": 3, "epsilon": 0}
    # Learning visits only: alpha went to V2 and V5, beta to V1 and V3, gamma to V1, delta to V3.
    assert df["visites_accueillies"].to_dict() == {
        "alpha": 2,
        "beta": 1,
        "gamma": 1,
        "delta": 0,
        "epsilon": 0,
    }
    assert df["visites_faites"].to_dict() == {"alpha": 2, "beta": 2, "gamma": 1, "delta": 1, "epsilon": 0}
    assert df.index[df["jamais_accueilli"]].tolist() == ["delta", "epsilon"]
    assert df.index[df["jamais_participe"]].tolist() == ["epsilon"]


def test_matrix_of_who_visited_whom(wh: Warehouse) -> None:
    matrix = reads.visit_matrix(wh, STAFF)
    pairs = {(r.visiteur, r.hote): r.visites for r in matrix.itertuples(index=False)}
    # Held learning visits: V1 (alpha hosts beta, gamma), V2 (beta hosts alpha), V3 (alpha hosts
    # beta, delta), V5 (gamma hosts alpha). Seminars, the remote exchange and planned V7 do not count.
    assert pairs == {
        ("alpha", "beta"): 1,
        ("alpha", "gamma"): 1,
        ("beta", "alpha"): 2,
        ("gamma", "alpha"): 1,
        ("delta", "alpha"): 1,
    }
    assert matrix["visiteur_nom"].tolist() == ["Alpha", "Alpha", "Bêta", "Gamma", "Delta"]


def test_rhythm_against_the_aim_over_the_period(wh: Warehouse) -> None:
    rhythm = reads.rhythm(wh, STAFF)
    assert rhythm["annee"].tolist() == [2015, 2016, 2017]
    assert rhythm["visites"].tolist() == [1, 2, 1]  # V1; V2, V3; V5
    assert rhythm["prevues"].tolist() == [0, 0, 1]  # V7
    # Four a year, period April 2015 – July 2017: 9 months of 2015, 12 of 2016, 7 of 2017.
    assert rhythm["objectif"].tolist() == pytest.approx([3.0, 4.0, 28 / 12])
    assert rhythm["cumul"].tolist() == [1, 3, 4]
    assert rhythm["objectif_cumule"].tolist() == pytest.approx([3.0, 7.0, 7 + 28 / 12])


def test_months_in_period() -> None:
    from datetime import date

    start, end = date(2015, 4, 1), date(2017, 7, 31)
    assert [reads.months_in_period(y, start, end) for y in (2014, 2015, 2016, 2017, 2018)] == [0, 9, 12, 7, 0]


def test_offers_with_the_poles_own_words_for_staff_and_itself(wh: Warehouse) -> None:
    staff = reads.offers(wh, STAFF)
    assert staff["statut_offre"].tolist() == ["honorée", "honorée", "honorée", "ouverte", "déclinée"]
    assert staff["nom"].tolist()[0] == "Pôle Alpha"
    assert staff["experiences_visite"].tolist()[0] == "Le groupement agricole"
    funder = reads.offers(wh, FUNDER)
    assert funder["experiences_visite"].isna().all()
    assert funder["statut_offre"].tolist() == staff["statut_offre"].tolist()
    alpha = reads.offers(wh, ALPHA)
    assert alpha["experiences_visite"].notna().tolist() == [True, False, False, False, False]


def ids(frame: object) -> list[str]:
    return list(frame["practice_id"])  # type: ignore[index]


def test_practices_filtered_by_angle_and_pole(wh: Warehouse) -> None:
    assert ids(reads.practices(wh, STAFF)) == ["P1", "P4", "P2", "P3"]  # by pole number, then title
    assert ids(reads.practices(wh, STAFF, angle="parcours")) == ["P2"]
    assert ids(reads.practices(wh, STAFF, pole_id="alpha")) == ["P1", "P4"]
    assert ids(reads.practices(wh, STAFF, angle="qualite", pole_id="alpha")) == ["P4"]
    assert ids(reads.practices(wh, STAFF, angle="emploi")) == []
    practices = reads.practices(wh, STAFF).set_index("practice_id")
    assert practices.at["P1", "evenement"] == "Visite du groupement agricole"
    assert practices.at["P1", "angle_libelle"] == "Formes d'emploi et mutualisation"
    assert practices.at["P3", "visite_mentionnee"] == "séminaire de Marseille"


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("formation", ["P4"]),
        ("FORMATION", ["P4"]),  # case ignored
        ("amorcage", ["P3"]),  # accents ignored: « amorçage »
        ("Bêta", ["P2"]),  # the pole's name
        ("%", ["P1", "P2"]),  # a plain character: « 50 % » and « 100% », not a wildcard
        ("_", ["P2"]),  # « _souligné_ » only, not any character
        ('"cité"', ["P2"]),  # double quotes
        ("l'atelier", ["P2"]),  # a single quote
        ("<img src=x", ["P2"]),  # markup is text like any other
        ("=HYPERLINK(", ["P2"]),
        ("'; drop table practices; --", []),
        ("   ", ["P1", "P4", "P2", "P3"]),  # blank: no search
    ],
)
def test_practice_search_is_plain_text(wh: Warehouse, search: str, expected: list[str]) -> None:
    assert ids(reads.practices(wh, STAFF, search=search)) == expected
    # And the warehouse is untouched.
    assert len(reads.practices(wh, STAFF)) == 4


def test_documents_of_events(wh: Warehouse) -> None:
    docs = reads.event_documents(wh, STAFF)
    assert docs["titre"].tolist() == ["Compte rendu de la visite", "Synthèse du séminaire", "Diaporama"]
    assert docs["lien"].tolist()[1] == "javascript:alert(1)"  # text, as written
    assert reads.event_documents(wh, STAFF, "V4")["titre"].tolist() == ["Synthèse du séminaire", "Diaporama"]


def test_empty_warehouse_reads_empty(tmp_path: Path) -> None:
    wh = data.build(tmp_path / "ptce.duckdb", with_visits=False)
    assert reads.events(wh, FUNDER).empty
    assert reads.visit_matrix(wh, STAFF).empty
    assert reads.practices(wh, STAFF, search="x").empty
    assert reads.community_indicators(wh, FUNDER).empty
    participation = reads.pole_participation(wh, STAFF)
    assert participation["presences"].tolist() == [0, 0, 0, 0, 0]
    rhythm = reads.rhythm(wh, STAFF)
    assert rhythm["annee"].tolist() == [2015, 2016, 2017]
    assert rhythm["visites"].tolist() == [0, 0, 0]

"""The visits tables from constructed staged rows: ids, coordinates, offers, community indicators and
the linking of practices. Expected values are worked out by hand in the comments."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from pipelines.visits.assets import EVENT_COLUMNS, PRACTICE_COLUMNS
from pipelines.visits.tables import (
    build_community_indicators,
    build_events,
    build_offers,
    link_practices,
    match_event,
    offer_status,
)
from ptce.reference import load_poles

TODAY = date(2017, 1, 31)


def event(day: str, kind: str, host: str | None, **extra: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(EVENT_COLUMNS)
    row.update(
        date_visite=pd.Timestamp(day),
        date_fin=pd.NaT,
        type=kind,
        pole_id=host,
        poles_presents="",
        angles="",
        documents="[]",
        source_file="raw/visites/v.csv",
        sheet=None,
    )
    row.update(extra)
    return row


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    rows = [
        event(
            "2016-03-10",
            "visite apprenante",
            "dombinnov",
            lieu="Villars-les-Dombes",
            titre="L'incubateur",
            poles_presents="phares|esci",
            angles="creation",
            nb_participants=21,
            row_number=2,
            documents=json.dumps([["Compte rendu", "cr.pdf"], ["Diaporama", None]]),
        ),
        event(
            "2016-11-24",
            "séminaire de capitalisation",
            None,
            date_fin=pd.Timestamp("2016-11-25"),
            lieu="Paris",
            titre="Séminaire de capitalisation 2016",
            poles_presents="phares|esci|bousol|dombinnov",
            nb_participants=40,
            row_number=3,
        ),
        event(
            "2016-12-01",
            "visite apprenante",
            "esci",
            lieu="Lyon",
            titre="Le GEIQ du bâtiment",
            poles_presents="dombinnov",
            nb_participants=None,
            row_number=4,
        ),
        event(
            "2016-12-01",
            "visite apprenante",
            "esci",
            lieu="Voiron",
            titre="Le réemploi",
            nb_participants=5,
            row_number=5,
        ),
        event(
            "2017-03-16",
            "échange à distance",
            None,
            lieu="Visioconférence",
            titre="Préparer 2017",
            poles_presents="alpen",
            nb_participants=8,
            row_number=6,
        ),
    ]
    return build_events(pd.DataFrame(rows, columns=EVENT_COLUMNS), load_poles(), TODAY)


def test_events_ids_roles_coordinates_and_status(tables: dict[str, pd.DataFrame]) -> None:
    visits = tables["visits"].set_index("visit_id")
    assert list(visits.index) == [
        "2016-03-10-visite-dombinnov",
        "2016-11-24-seminaire-paris",
        "2016-12-01-visite-esci",
        "2016-12-01-visite-esci-2",  # same date, kind and host: numbered in row order
        "2017-03-16-echange-visioconference",
    ]
    assert visits["statut"].tolist() == ["tenue", "tenue", "tenue", "tenue", "prévue"]
    # Host's coordinates (Villars-les-Dombes, poles.yaml), a known place's (Paris, Lyon), none for a visio.
    dombes = next(p for p in load_poles() if p.pole_id == "dombinnov")
    assert visits.loc["2016-03-10-visite-dombinnov", ["latitude", "longitude"]].tolist() == [
        dombes.latitude,
        dombes.longitude,
    ]
    assert visits.loc["2016-11-24-seminaire-paris", "latitude"] == 48.8566
    assert visits.loc["2016-12-01-visite-esci", "latitude"] == 45.7640  # Lyon, not ESCI's Voiron
    assert pd.isna(visits.loc["2017-03-16-echange-visioconference", "latitude"])
    # Distinct poles present, host included: 1 + 2, 4, 1 + 1, 1, 1.
    assert visits["nb_poles_presents"].tolist() == [3, 4, 2, 1, 1]
    assert visits["nb_documents"].tolist() == [2, 0, 0, 0, 0]
    roles = tables["visit_poles"]
    assert sorted(roles[roles["visit_id"] == "2016-03-10-visite-dombinnov"].itertuples(index=False)) == [
        ("2016-03-10-visite-dombinnov", "dombinnov", "hote"),
        ("2016-03-10-visite-dombinnov", "esci", "participant"),
        ("2016-03-10-visite-dombinnov", "phares", "participant"),
    ]
    assert tables["visit_angles"].values.tolist() == [["2016-03-10-visite-dombinnov", "creation"]]
    assert tables["visit_documents"]["lien"].fillna("").tolist() == ["cr.pdf", ""]


def test_offer_statuses() -> None:
    assert offer_status(True, 2) == "honorée"
    assert offer_status(True, 0) == "ouverte"
    assert offer_status(False, 0) == "déclinée"
    assert offer_status(None, 0) == "sans réponse"
    assert offer_status(False, 1) == "accueil sans offre"
    assert offer_status(None, 1) == "accueil sans offre"


def test_offers_follow_the_current_application_and_held_visits(tables: dict[str, pd.DataFrame]) -> None:
    applications = pd.DataFrame(
        [
            ("dombinnov", True, "L'incubateur", "Au premier trimestre 2016"),
            ("esci", True, "Le GEIQ", "Fin 2016"),
            ("alpen", True, "Un chantier", "En 2017"),
            ("phares", False, None, None),
            ("bousol", None, None, None),
        ],
        columns=["pole_id", "accueil_visite", "experiences_visite", "periode_visite"],
    )
    offers = build_offers(
        ["alpen", "bousol", "dombinnov", "esci", "phares", "tarnais"], applications, tables["visits"]
    ).set_index("pole_id")
    assert offers["statut_offre"].to_dict() == {
        "alpen": "ouverte",  # offered; the visio of 2017 is not a learning visit it hosted
        "bousol": "sans réponse",
        "dombinnov": "honorée",
        "esci": "honorée",
        "phares": "déclinée",
        "tarnais": "sans réponse",  # no application at all
    }
    assert offers.loc["esci", "visites_accueillies"] == 2
    assert offers.loc["esci", "premiere_visite"] == date(2016, 12, 1)
    assert offers.loc["dombinnov", "periode_visite"] == "Au premier trimestre 2016"
    assert pd.isna(offers.loc["tarnais", "accueil_visite"])


def test_community_indicators_by_hand(tables: dict[str, pd.DataFrame]) -> None:
    practices = pd.DataFrame(
        {
            "practice_id": ["a", "b", "c"],
            "visit_id": ["2016-03-10-visite-dombinnov", "2017-03-16-echange-visioconference", None],
        }
    )
    got = build_community_indicators(tables["visits"], tables["visit_poles"], practices)
    values = {(None if pd.isna(r.annee) else int(r.annee), r.code): r.valeur for r in got.itertuples()}
    # Held: the four events of 2016 (the 2017 visio is planned on 31/01/2017).
    assert values[(2016, "evenements")] == 4
    assert values[(2016, "visites_apprenantes")] == 3
    assert values[(2016, "seminaires")] == 1
    assert values[(2016, "poles_presents_par_visite")] == pytest.approx((3 + 2 + 1) / 3)
    assert values[(2016, "participants")] == 21 + 40 + 5  # one visit did not count its people
    # dombinnov, phares, esci, bousol.
    assert values[(2016, "poles_participants")] == 4
    assert values[(2016, "poles_hotes")] == 2
    # A practice of a planned event still counts in its year; the unlinked one only for the period.
    assert values[(2016, "pratiques_partagees")] == 1
    assert values[(None, "pratiques_partagees")] == 3
    assert values[(None, "evenements")] == 4
    assert {y for y, _ in values} == {2016, None}


def test_practices_are_linked_by_id_date_host_year_kind_place_or_title(
    tables: dict[str, pd.DataFrame],
) -> None:
    visits = tables["visits"]
    cases = {
        "2016-03-10-visite-dombinnov": "2016-03-10-visite-dombinnov",
        "10/03/2016": "2016-03-10-visite-dombinnov",
        "Visite du 10 mars 2016": "2016-03-10-visite-dombinnov",
        "25/11/2016": "2016-11-24-seminaire-paris",  # inside the seminar's two days
        "Séminaire de Paris": "2016-11-24-seminaire-paris",
        "séminaire 2016": "2016-11-24-seminaire-paris",
        "Visite Domb'Innov": "2016-03-10-visite-dombinnov",
        "Le GEIQ du bâtiment": "2016-12-01-visite-esci",  # the event's title
        "16/03/2017": "2017-03-16-echange-visioconference",
    }
    for mention, expected in cases.items():
        assert match_event(mention, None, visits) == expected, mention
    # Two ESCI visits that day: ambiguous, unless a place or title settles it.
    assert match_event("01/12/2016", None, visits) is None
    assert match_event("01/12/2016 à Voiron", None, visits) == "2016-12-01-visite-esci-2"
    assert match_event("Visite de juillet", None, visits) is None
    assert match_event("02/02/2015", None, visits) is None


def test_link_practices_keeps_the_mention_and_gives_stable_ids(tables: dict[str, pd.DataFrame]) -> None:
    practices = pd.DataFrame(
        [
            ("Incubateur", "dombinnov", "creation", None, None, "10/03/2016", "raw/visites/p.csv", 2, None),
            ("Incubateur", "dombinnov", "creation", None, None, "une visite", "raw/visites/p.csv", 3, None),
            ("Tiers-lieu", "phares", None, "tiers-lieu", None, None, "raw/visites/p.csv", 4, None),
        ],
        columns=PRACTICE_COLUMNS,
    )
    got = link_practices(practices, tables["visits"])
    assert got["practice_id"].tolist() == [
        "dombinnov-incubateur",
        "dombinnov-incubateur-2",
        "phares-tiers-lieu",
    ]
    # « une visite » names a kind only: no event is guessed from it.
    assert got["visit_id"].fillna("-").tolist() == ["2016-03-10-visite-dombinnov", "-", "-"]
    assert got["visite_mentionnee"].fillna("-").tolist() == ["10/03/2016", "une visite", "-"]


def test_unlinked_practice_warning_names_file_row_and_mention() -> None:
    import duckdb

    from pipelines.visits.checks import UNLINKED_SQL, explain_unlinked

    con = duckdb.connect()
    con.execute(
        "create table practices as select * from (values "
        "('a', 'phares', 'Tiers-lieu', 'Visite de juillet', null, 'raw/visites/p.csv', 4), "
        "('b', 'esci', 'GEIQ', '01/12/2016', '2016-12-01-visite-esci', 'raw/visites/p.csv', 5), "
        "('c', 'alpen', 'Fonds', null, null, 'raw/visites/p.csv', 6)) "
        "t(practice_id, pole_id, titre, visite_mentionnee, visit_id, source_file, row_number)"
    )
    bad = con.execute(UNLINKED_SQL).df()
    assert bad["practice_id"].tolist() == ["a"]  # linked, or no mention at all: not reported
    assert explain_unlinked(bad).startswith(
        "1 pratique(s) dont la visite mentionnée ne correspond à aucun événement (ou à plusieurs) — "
        "raw/visites/p.csv, ligne 4 : « Tiers-lieu » (phares), visite « Visite de juillet »."
    )

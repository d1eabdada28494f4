"""The demo events and practices (`ptce sample`): what the demo writer promises, and what the whole
demo run publishes from it (conservation, visits, offers, community indicators)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.applications.demo_texts import pole_story
from pipelines.runner import RunOutcome
from pipelines.shared.sample import DEMO_NOTICE
from pipelines.visits.demo import (
    DEMO_EVENTS,
    DEMO_PRACTICES,
    EXPECTED_OFFERS,
    FAULTY_ROWS,
    NEVER_ATTENDS,
    OPEN_OFFER,
    write_demo_csv,
    write_demo_xlsx,
)
from ptce.paths import DataLayout


def query(data_dir: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(sql).df()


GOOD = [e for e in DEMO_EVENTS if e.start is not None]
VISITS = [e for e in GOOD if e.kind == "visite apprenante"]


def test_about_four_learning_visits_a_year_from_mid_2015_to_mid_2017() -> None:
    assert all(date(2015, 5, 1) <= e.start <= date(2017, 7, 31) for e in GOOD)
    assert len(VISITS) == 8  # two years of community life, four a year on average
    assert Counter(e.start.year for e in VISITS) == {2015: 1, 2016: 5, 2017: 2}


def test_hosts_are_poles_that_offered_around_their_experience() -> None:
    offered = {pole for pole, status in EXPECTED_OFFERS.items() if status in ("honorée", "ouverte")}
    assert {e.host for e in VISITS} == offered - {OPEN_OFFER}
    for visit in VISITS:
        # The visit shows the experience the pole named in its application (`demo_texts`).
        assert visit.titre.split(" et ")[0].lower() in pole_story(visit.host).visite.lower()


def test_seminars_meeting_exchanges_and_the_seed_resource_person() -> None:
    seminars = [e for e in GOOD if e.kind == "séminaire de capitalisation"]
    assert [(e.start, e.end, e.lieu) for e in seminars] == [
        (date(2016, 11, 24), date(2016, 11, 25), "Paris"),
        (date(2017, 6, 29), date(2017, 6, 30), "Lyon"),
    ]
    assert "Michel Adam, sociologue, Labo de l'ESS" in seminars[1].ressources
    assert [e.kind for e in GOOD].count("rencontre nationale") == 1
    assert [e.kind for e in GOOD].count("échange à distance") == 2
    assert all(NEVER_ATTENDS not in e.presents for e in DEMO_EVENTS)
    assert len(DEMO_EVENTS) - len(GOOD) == FAULTY_ROWS


def test_thirty_or_so_practices_most_linked() -> None:
    assert len(DEMO_PRACTICES) == 31
    linked = [p for p in DEMO_PRACTICES if p.visit_start is not None]
    assert len(linked) == 27
    # A practice is linked only to an event its pole attended.
    for practice in linked:
        event = next(e for e in GOOD if e.start == practice.visit_start)
        assert practice.pole_id in event.presents, practice.titre


def test_files_are_labelled_fictitious(tmp_path: Path) -> None:
    write_demo_csv(tmp_path / "v.csv")
    write_demo_xlsx(tmp_path / "v.xlsx")
    assert DEMO_NOTICE in (tmp_path / "v.csv").read_bytes().decode("cp1252")
    import openpyxl

    workbook = openpyxl.load_workbook(tmp_path / "v.xlsx")
    assert workbook.sheetnames == ["Événements", "Pratiques"]
    assert all(DEMO_NOTICE in [c.value for row in ws.iter_rows(max_row=3) for c in row] for ws in workbook)


def test_demo_run_publishes_the_visits(demo_run: RunOutcome) -> None:
    data_dir = demo_run.data_dir
    log = query(data_dir, "select * from ingest_log where kind = 'visites' order by source_file")
    assert log[["source_file", "rows_read", "rows_loaded", "rows_quarantined", "status"]].values.tolist() == [
        ["raw/visites/visites_2015_2016.csv", 10, 9, 1, "partial"],
        ["raw/visites/visites_et_pratiques_2017.xlsx", 36, 35, 1, "partial"],
    ]
    q = query(
        data_dir, "select field, value from quarantine where source_file like 'raw/visites/%' order by all"
    )
    assert q.values.tolist() == [["date", "31/04/2016"], ["pôle hôte", "Pôle Sud Aquitin"]]
    visits = query(data_dir, "select * from visits order by date_visite")
    assert pd.to_datetime(visits["date_visite"]).dt.date.tolist() == [e.start for e in GOOD]
    assert visits["type"].tolist() == [e.kind for e in GOOD]
    assert visits["pole_id"].fillna("-").tolist() == [e.host or "-" for e in GOOD]
    assert visits["nb_poles_presents"].tolist() == [len(e.presents) for e in GOOD]
    assert set(visits["statut"]) == {"tenue"}
    roles = query(data_dir, "select visit_id, pole_id from visit_poles")
    by_visit = roles.groupby("visit_id")["pole_id"].apply(frozenset).to_dict()
    assert [by_visit[v] for v in visits["visit_id"]] == [e.presents for e in GOOD]
    assert NEVER_ATTENDS not in set(roles["pole_id"])


def test_demo_practices_are_linked_to_the_event_they_name(demo_run: RunOutcome) -> None:
    got = query(
        demo_run.data_dir,
        "select p.titre, v.date_visite from practices p left join visits v using (visit_id)",
    )
    linked = {
        r.titre: (None if pd.isna(r.date_visite) else pd.Timestamp(r.date_visite).date())
        for r in got.itertuples()
    }
    assert linked == {p.titre: p.visit_start for p in DEMO_PRACTICES}
    assert "practices_linked" not in {c.name for c in demo_run.warnings}


def test_demo_offers_and_community_indicators(demo_run: RunOutcome) -> None:
    offers = query(demo_run.data_dir, "select pole_id, statut_offre, visites_accueillies from visit_offers")
    assert dict(zip(offers["pole_id"], offers["statut_offre"], strict=True)) == EXPECTED_OFFERS
    assert offers.set_index("pole_id").at["bousol", "visites_accueillies"] == 2
    ind = query(demo_run.data_dir, "select annee, code, valeur from community_indicators")
    values = {(None if pd.isna(r.annee) else int(r.annee), r.code): r.valeur for r in ind.itertuples()}
    assert values[(None, "visites_apprenantes")] == 8
    assert values[(None, "seminaires")] == 2
    assert values[(None, "evenements")] == 13
    assert values[(2016, "visites_apprenantes")] == 5
    assert values[(None, "pratiques_partagees")] == 31
    assert values[(None, "poles_participants")] == 11  # all but RE-Sources
    assert values[(None, "participants")] == sum(e.participants for e in GOOD)

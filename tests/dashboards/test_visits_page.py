"""The page « Visites et capitalisation »: its pure tables and charts, then the page run headless.

The pure tests build their frames by hand, as `ptce.read.visits` returns them. The page tests run
the app on the hand-written warehouse of tests/visits_warehouse.py and compare what the page shows
with counts made here in SQL on the same file, for staff, the funder and a pole; the last test
runs it on today's demo warehouse, whose visit tables are still empty.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.shared import export, printing
from dashboards.shared import reads as shared_reads
from dashboards.shared.table_format import display_frame, export_frame
from dashboards.visites import charts as visit_charts
from dashboards.visites import tables as visit_tables
from ptce.contract import OFFER_STATUSES, VISIT_TYPES
from ptce.paths import DataLayout
from ptce.read.base import Viewer
from tests import visits_warehouse as data
from tests.dashboards.test_no_raw_codes import page_text
from tests.french import NNBSP

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
PAGE = "visites/page.py"
TIMEOUT = 120
NAN = float("nan")

# --- Pure tables ---------------------------------------------------------------------------------


def test_every_kind_and_offer_status_has_a_french_label() -> None:
    assert set(visit_tables.KIND_LABELS) == set(VISIT_TYPES)
    assert set(visit_tables.OFFER_LABELS) == set(OFFER_STATUSES)
    assert set(visit_tables.OFFER_HELP) == set(OFFER_STATUSES)


def test_period_title() -> None:
    assert visit_tables.period_title(date(2015, 4, 1), date(2017, 7, 31)) == (
        "La communauté d’avril 2015 à juillet 2017"
    )
    assert visit_tables.period_title(date(2015, 2, 1), date(2016, 8, 31)) == (
        "La communauté de février 2015 à août 2016"
    )


def community_frame(masked: bool = False) -> pd.DataFrame:
    rows = [
        (None, "evenements", "Événements tenus", 7.0, False, "7"),
        (2016, "evenements", "Événements tenus", 4.0, False, "4"),
        (None, "participants", "Participants aux événements", NAN if masked else 88.0, masked,
         "s" if masked else "88"),
        (2015, "participants", "Participants aux événements", NAN if masked else 3.0, masked,
         "< 5" if masked else "3"),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["annee", "code", "libelle", "valeur", "masque", "libelle_valeur"])
    frame["annee"] = frame["annee"].astype("Int64")
    return frame


def test_community_table_by_year_with_mask_labels() -> None:
    shown = display_frame(visit_tables.community_table(community_frame(masked=True)))
    assert shown.columns.tolist() == ["Indicateur", "2015", "2016", "Période"]
    assert shown.values.tolist() == [
        ["Événements tenus", "–", "4", "7"],
        ["Participants aux événements", "< 5", "–", "s"],
    ]
    assert visit_tables.key_figures(community_frame())["code"].tolist() == ["evenements", "participants"]


def events_frame(masked: bool = False) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "visit_id": ["V1", "V2", "V3"],
            "pole_id": ["a", None, "b"],
            "hote": ["Pôle <b>A</b>", None, "Pôle B"],
            "hote_court": ["A", None, "B"],
            "type": ["visite apprenante", "séminaire de capitalisation", "visite apprenante"],
            "titre": ["Visite *chez* A", "Séminaire", "Visite prévue"],
            "date_visite": pd.to_datetime(["2016-03-15", "2016-12-01", "2017-09-15"]),
            "date_fin": pd.to_datetime([None, "2016-12-02", None]),
            "annee": [2016, 2016, 2017],
            "lieu": [None, "Paris", None],
            "latitude": [45.0, 48.85, NAN],
            "longitude": [5.0, 2.35, NAN],
            "angles_libelles": ["Parcours et sécurisation", "", ""],
            "nb_poles_presents": [3, 5, 2],
            "nb_documents": [1, 0, 0],
            "statut": ["tenue", "tenue", "prévue"],
            "participants": [NAN, 30.0, NAN] if masked else [3.0, 30.0, NAN],
            "participants_masque": [True, False, False] if masked else [False, False, False],
            "participants_libelle": ["< 5", "30", "–"] if masked else ["3", "30", "–"],
        }
    )


def test_events_table_in_french_with_participants_typed_or_labelled() -> None:
    shown = display_frame(visit_tables.events_table(events_frame()))
    assert shown["Date"].tolist() == ["15/03/2016", "01/12/2016", "15/09/2017"]
    assert shown["Fin"].tolist() == ["–", "02/12/2016", "–"]
    assert shown["Type"].tolist() == ["Visite apprenante", "Séminaire de capitalisation", "Visite apprenante"]
    assert shown["Pôle hôte"].tolist() == ["Pôle <b>A</b>", "Sans pôle hôte", "Pôle B"]
    assert shown["Statut"].tolist() == ["Tenu", "Tenu", "Prévu"]
    assert shown["Participants"].tolist() == ["3", "30", "–"]
    masked = display_frame(visit_tables.events_table(events_frame(masked=True)))
    assert masked["Participants"].tolist() == ["< 5", "30", "–"]
    assert visit_tables.unmapped_events(events_frame()) == ["Visite prévue"]


def practices_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "practice_id": ["P1", "P2"],
            "titre": [data.HOSTILE_TITLE, "Plan de formation"],
            "pole_id": ["b", "a"],
            "numero": [2, 1],
            "pole": ["Pôle B", "Pôle A"],
            "angle": ["parcours", "qualite"],
            "angle_libelle": ["Parcours et sécurisation", "Qualité de l'emploi"],
            "outil": [data.HOSTILE_TOOL, None],
            "description": [data.HOSTILE_DESCRIPTION, "Former"],
            "visit_id": [None, "V3"],
            "evenement": [None, "Visite du plan"],
            "visite_mentionnee": ["séminaire de Marseille", None],
        }
    )


def test_practices_table_keeps_text_as_text_and_exports_without_formula() -> None:
    table = visit_tables.practices_table(practices_frame())
    shown = display_frame(table)
    assert shown["Pratique ou outil"].tolist()[0] == "<img src=x onerror=alert(1)>"
    assert shown["Description"].tolist()[0] == data.HOSTILE_DESCRIPTION
    assert shown["Événement"].tolist() == [
        "séminaire de Marseille (événement non retrouvé)",
        "Visite du plan",
    ]
    csv = export.to_excel_csv(export_frame(table)).decode("utf-8-sig")
    assert "'=HYPERLINK(" in csv and ";=HYPERLINK(" not in csv
    assert visit_tables.angle_choices(practices_frame()) == {
        None: "Tous",
        "parcours": "Parcours et sécurisation",
        "qualite": "Qualité de l'emploi",
    }
    assert visit_tables.pole_choices(practices_frame()) == {None: "Tous", "a": "Pôle A", "b": "Pôle B"}


def test_offer_counts_in_status_order() -> None:
    offers = pd.DataFrame({"statut_offre": ["ouverte", "honorée", "honorée", "déclinée"]})
    counts = visit_tables.offer_counts(offers)
    assert counts["statut"].tolist() == list(OFFER_STATUSES)
    assert counts["poles"].tolist() == [2, 1, 1, 0, 0]


def rhythm_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "annee": [2015, 2016, 2017, 2018],
            "visites": [1, 5, 2, 1],
            "prevues": [0, 0, 1, 0],
            "objectif": [3.0, 4.0, 28 / 12, NAN],
            "cumul": [1, 6, 8, 9],
            "objectif_cumule": [3.0, 7.0, 7 + 28 / 12, 7 + 28 / 12],
        }
    )


def test_rhythm_caption_counts_the_period_only() -> None:
    # 2018 is outside the period: 1 + 5 + 2 = 8 held for 3 + 4 + 2,33 = 9,3 expected.
    assert visit_tables.rhythm_caption(rhythm_frame(), 4).startswith(
        "8 visites apprenantes tenues sur la période pour 9,3 attendues au rythme visé de 4 par an"
    )
    assert visit_tables.rhythm_caption(rhythm_frame(), 4).endswith(" 1 visite prévue, pas encore tenue.")


def test_practices_caption_agrees_in_number() -> None:
    assert visit_tables.practices_caption(31, 31) == "31 pratiques et outils partagés."
    assert visit_tables.practices_caption(1, 1) == "1 pratique ou outil partagé."
    assert visit_tables.practices_caption(1, 31) == "1 pratique ou outil sur 31 répond aux critères."
    assert visit_tables.practices_caption(0, 31) == "0 pratique ou outil sur 31 répond aux critères."
    assert visit_tables.practices_caption(2, 31) == "2 pratiques et outils sur 31 répondent aux critères."


def test_never_names() -> None:
    participation = pd.DataFrame(
        {"nom": ["Pôle A", "Pôle B", "Pôle C"], "jamais_accueilli": [False, True, True]}
    )
    names = visit_tables.never_names(participation, "jamais_accueilli")
    assert names == ["Pôle B", "Pôle C"]
    assert visit_tables.names_sentence(names, "aucun pôle") == "Pôle B, Pôle C"
    assert visit_tables.names_sentence([], "aucun pôle") == "aucun pôle"


# --- Pure charts ---------------------------------------------------------------------------------


def test_timeline_one_row_per_kind_planned_hollow_and_escaped() -> None:
    fig = visit_charts.timeline_figure(events_frame(masked=True))
    assert [t.name for t in fig.data] == [
        "Visite apprenante",
        visit_charts.PLANNED_NAME,
        "Séminaire de capitalisation",
    ]
    visits, planned, seminar = fig.data
    assert list(visits.y) == ["Visite apprenante"] and list(visits.text) == ["A"]
    assert planned.marker.color == "white"
    assert "Visite *chez* A" in visits.customdata[0]
    assert "Pôle &lt;b&gt;A&lt;/b&gt;" in visits.customdata[0]  # markup from a file, escaped
    assert "participants : &lt; 5" in visits.customdata[0]  # the published label, never the count
    assert "Sans pôle hôte" in seminar.customdata[0]


def test_timeline_names_of_close_visits_alternate_above_and_below() -> None:
    events = events_frame()
    # Three held visits given out of date order: V9 (June) sits between V1 (March) and V4 (July).
    extra = events.iloc[[0, 0]].assign(
        visit_id=["V4", "V9"],
        hote_court=["D", "C"],
        date_visite=pd.to_datetime(["2016-07-01", "2016-06-16"]),
    )
    fig = visit_charts.timeline_figure(pd.concat([events, extra], ignore_index=True))
    visits = fig.data[0]
    assert list(visits.text) == ["A", "C", "D"]
    assert list(visits.textposition) == ["top center", "bottom center", "top center"]


def test_events_map_places_located_events_only() -> None:
    fig = visit_charts.events_map_figure(events_frame())
    names = [t.name for t in fig.data]
    assert names[0] == "France métropolitaine"
    kinds = [t for t in fig.data if t.meta and "type" in t.meta]
    # V3 (no place, no host coordinates) is not drawn; V1 and V2 are, one trace per kind.
    assert [t.name for t in kinds] == ["Visite apprenante", "Séminaire de capitalisation"]
    assert sum(len(t.x) for t in kinds) == 2
    assert any(a.text.startswith("Fond de carte") for a in fig.layout.annotations)


def test_matrix_rows_visitors_columns_hosts_all_poles() -> None:
    poles = pd.DataFrame(
        {"pole_id": ["b", "a", "c"], "numero": [2, 1, 3], "nom_court": ["B", "A", "<i>C</i>"]}
    )
    matrix = pd.DataFrame({"visiteur": ["b", "a"], "hote": ["a", "b"], "visites": [2, 1]})
    (heatmap,) = visit_charts.matrix_figure(matrix, poles).data
    assert list(heatmap.x) == ["A", "B", "&lt;i&gt;C&lt;/i&gt;"]
    assert [list(r) for r in heatmap.z] == [[0, 1, 0], [2, 0, 0], [0, 0, 0]]


def generated_network(n_poles: int, n_pairs: int, seed: int = 16) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`n_poles` poles (listed out of number order) and random held learning visits between them."""
    rng = np.random.default_rng(seed)
    poles = pd.DataFrame(
        {
            "pole_id": [f"P{i:04d}" for i in range(n_poles)],
            "numero": range(1, n_poles + 1),
            "nom_court": [f"Pôle {i}" for i in range(1, n_poles + 1)],
        }
    ).sample(frac=1, random_state=seed)
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, n_poles, (n_pairs, 2)) if a != b}
    matrix = pd.DataFrame(
        {
            "visiteur": [f"P{a:04d}" for a, _ in sorted(pairs)],
            "hote": [f"P{b:04d}" for _, b in sorted(pairs)],
            "visites": rng.integers(1, 4, len(pairs)),
        }
    )
    # A pair with a pole unknown to the list is left out, as before.
    matrix.loc[len(matrix)] = ["inconnu", "P0001", 3]
    return matrix, poles


def test_matrix_at_scale_keeps_the_most_active_poles_and_groups_the_others() -> None:
    matrix, poles = generated_network(2000, 300)
    fig = visit_charts.matrix_figure(matrix, poles)

    (heatmap,) = fig.data
    z = np.asarray(heatmap.z)
    top = visit_tables.TOP_MATRIX_POLES
    assert isinstance(heatmap.z, np.ndarray)  # no nested lists of two thousand by two thousand
    assert z.shape == (top + 1, top + 1)
    assert heatmap.y[-1] == heatmap.x[-1] == visit_tables.OTHER_POLES
    known = matrix[matrix["visiteur"] != "inconnu"]
    assert z.sum() == known["visites"].sum()  # every visit counted once, in a pole or « Autres »
    made = known.groupby("visiteur")["visites"].sum()
    made.index = made.index.map(lambda p: f"Pôle {int(p[1:]) + 1}")
    expected = made.reset_index().assign(n=lambda f: f["visiteur"].str[5:].astype(int))
    expected = expected.sort_values(["visites", "n"], ascending=[False, True])["visiteur"].head(top)
    assert list(heatmap.y[:-1]) == expected.tolist()
    assert z[:-1].sum(axis=1).tolist() == made[expected].tolist()
    assert (z[:-1].sum(axis=1)[:-1] >= z[:-1].sum(axis=1)[1:]).all()
    hosted = known.groupby("hote")["visites"].sum()
    assert sorted(z[:, :-1].sum(axis=0), reverse=True) == sorted(hosted, reverse=True)[:top]
    caption = visit_tables.matrix_caption(matrix, poles)
    assert "les 20 pôles qui ont fait le plus de visites" in caption and "« Autres pôles »" in caption
    visitors = known["visiteur"].nunique()
    assert f"{2000 - visitors} n'ont encore visité personne" in caption.replace(NNBSP, "")


def test_matrix_at_scale_without_others_when_few_poles_are_active() -> None:
    matrix, poles = generated_network(500, 6)
    (heatmap,) = visit_charts.matrix_figure(matrix, poles).data

    known = matrix[matrix["visiteur"] != "inconnu"]
    assert len(heatmap.y) == known["visiteur"].nunique() and len(heatmap.x) == known["hote"].nunique()
    assert visit_tables.OTHER_POLES not in [*heatmap.y, *heatmap.x]
    assert np.asarray(heatmap.z).sum() == known["visites"].sum()
    assert "Autres pôles" not in visit_tables.matrix_caption(matrix, poles)


def test_matrix_up_to_the_limit_has_every_pole() -> None:
    matrix, poles = generated_network(visit_tables.ONE_CELL_PER_POLE, 40)
    (heatmap,) = visit_charts.matrix_figure(matrix, poles).data

    assert len(heatmap.x) == len(heatmap.y) == visit_tables.ONE_CELL_PER_POLE
    assert list(heatmap.y[:3]) == ["Pôle 1", "Pôle 2", "Pôle 3"]  # by number, every pole
    assert sum(map(sum, heatmap.z)) == matrix.loc[matrix["visiteur"] != "inconnu", "visites"].sum()
    assert visit_tables.matrix_caption(matrix, poles).endswith("un pôle qui n'a encore reçu personne.")


def test_participation_at_scale_shows_the_most_present_poles_and_counts_the_absent() -> None:
    rng = np.random.default_rng(16)
    n = 2000
    participation = pd.DataFrame(
        {
            "numero": range(1, n + 1),
            "nom": [f"Pôle {i}" for i in range(1, n + 1)],
            "nom_court": [f"P{i}" for i in range(1, n + 1)],
            "accueils": rng.integers(0, 3, n) * (rng.random(n) < 0.02),
            "participations": rng.integers(0, 4, n) * (rng.random(n) < 0.05),
        }
    )
    participation["jamais_accueilli"] = participation["accueils"].eq(0)
    hosted, came = visit_charts.participation_figure(participation).data

    top = visit_tables.TOP_MATRIX_POLES
    assert len(hosted.y) == len(came.y) == top
    presence = [a + b for a, b in zip(hosted.x, came.x, strict=True)]
    assert presence == sorted(presence, reverse=True) and min(presence) > 0
    total = participation["accueils"] + participation["participations"]
    assert presence == sorted(total, reverse=True)[:top]
    assert visit_tables.participation_caption(participation).startswith(f"Les {top} pôles présents")
    never = int(participation["jamais_accueilli"].sum())
    sentence = visit_tables.never_sentence(participation, "jamais_accueilli").replace(NNBSP, " ")
    assert sentence == f"{never:,} pôles sur 2,000 (voir le tableau)".replace(",", " ")
    # A few poles: every pole, and every name, as the demo shows them.
    few = participation.head(12)
    assert len(visit_charts.participation_figure(few).data[0].y) == 12
    assert visit_tables.participation_caption(few) is None
    names = visit_tables.never_names(few, "jamais_accueilli")
    assert visit_tables.never_sentence(few, "jamais_accueilli") == ", ".join(names)


def test_participation_and_offers_figures() -> None:
    participation = pd.DataFrame(
        {"numero": [2, 1], "nom_court": ["B", "A"], "accueils": [0, 2], "participations": [3, 1]}
    )
    hosted, came = visit_charts.participation_figure(participation).data
    assert list(hosted.y) == ["A", "B"] and list(hosted.x) == [2, 0] and list(came.x) == [1, 3]
    counts = visit_tables.offer_counts(pd.DataFrame({"statut_offre": ["honorée", "ouverte"]}))
    (bar,) = visit_charts.offers_figure(counts).data
    assert list(bar.x) == ["Honorée", "Ouverte", "Déclinée", "Accueil sans offre", "Sans réponse"]
    assert list(bar.y) == [1, 1, 0, 0, 0]


def test_rhythm_figure_aim_and_cumulative() -> None:
    fig = visit_charts.rhythm_figure(rhythm_frame(), 4)
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["Visites tenues"].y) == [1, 5, 2, 1]
    assert list(by_name["Visites prévues"].y) == [0, 0, 1, 0]
    aim = by_name["Objectif : 4 par an (au prorata de la période)"]
    assert list(aim.y) == [3.0, 4.0, 2.33, None]
    assert list(by_name["Attendues au rythme visé (cumul)"].y)[-1] == 9.33


# --- The page ------------------------------------------------------------------------------------


def run_page(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, viewer: Viewer | None = None, **params: str
) -> AppTest:
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    if viewer is not None:
        monkeypatch.setattr(shared_reads, "current_viewer", lambda: viewer)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sql(data_dir: Path, query: str, *params: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


def table(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return data.build_data_dir(tmp_path / "donnees")


@pytest.fixture(scope="module")
def staff_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[AppTest, Path]:
    """The page as staff open it on the test warehouse, run once for the tests that only read it."""
    data_dir = data.build_data_dir(tmp_path_factory.mktemp("visites_equipe") / "donnees")
    with pytest.MonkeyPatch.context() as monkeypatch:
        return run_page(monkeypatch, data_dir), data_dir


def test_page_counts_equal_sql_counts(staff_page: tuple[AppTest, Path]) -> None:
    at, data_dir = staff_page
    assert at.title[0].value == "Visites et capitalisation"
    assert any("Données fictives de démonstration" in w.value for w in at.warning)
    # Key figures: the period's community indicators, as published.
    period = dict(sql(data_dir, "select code, valeur from community_indicators where annee is null"))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Événements tenus"] == str(int(period["evenements"]))
    assert metrics["Participants aux événements"] == str(int(period["participants"]))
    assert metrics["Pôles présents par visite apprenante"] == "2,5"
    # Participation: each pole's counts from visit_poles over held events.
    counts = dict(
        sql(
            data_dir,
            """
            select p.nom, count(vp.visit_id) filter (where vp.role = 'hote' and v.statut = 'tenue')
            from poles p left join visit_poles vp using (pole_id) left join visits v using (visit_id)
            group by p.nom
            """,
        )
    )
    shown = table(at, "Événements accueillis")
    assert dict(zip(shown["Pôle"], shown["Événements accueillis"], strict=True)) == counts
    attended = dict(
        sql(
            data_dir,
            """
            select p.nom, count(vp.visit_id) filter (where vp.role = 'participant' and v.statut = 'tenue')
            from poles p left join visit_poles vp using (pole_id) left join visits v using (visit_id)
            group by p.nom
            """,
        )
    )
    assert dict(zip(shown["Pôle"], shown["Participations (hors accueil)"], strict=True)) == attended
    never = [m.value for m in at.markdown if m.value.startswith("N'ont encore accueilli")]
    assert never == ["N'ont encore accueilli aucun événement \\: Pôle Delta, Pôle Epsilon\\."]
    # Every event, every practice, every document listed.
    (n_events,) = sql(data_dir, "select count(*) from visits")[0]
    assert len(table(at, "Statut")) == n_events
    (n_practices,) = sql(data_dir, "select count(*) from practices")[0]
    assert len(table(at, "Pratique ou outil")) == n_practices
    (n_documents,) = sql(data_dir, "select count(*) from visit_documents")[0]
    assert len(table(at, "Lien ou fichier (texte)")) == n_documents
    # Staff see every participant count as it is.
    assert (
        table(at, "Statut")["Participants"].sum()
        == sql(data_dir, "select sum(nb_participants) from visits")[0][0]
    )
    # The matrix draws every held learning visit between two poles.
    traces = [json.loads(c.proto.spec)["data"][0] for c in at.get("plotly_chart")]
    z = next(t["z"] for t in traces if t.get("type") == "heatmap")
    (pairs,) = sql(
        data_dir,
        """
        select count(*) from visit_poles vp join visits v using (visit_id)
        where v.statut = 'tenue' and v.type = 'visite apprenante' and vp.role = 'participant'
        """,
    )[0]
    assert sum(map(sum, z)) == pairs == 6
    offers = table(at, "Suite donnée")
    assert offers["Suite donnée"].value_counts().to_dict() == {
        visit_tables.offer_label(s): n
        for s, n in sql(data_dir, "select statut_offre, count(*) from visit_offers group by all")
    }


@pytest.mark.parametrize("viewer", [Viewer("funder"), Viewer("pole", "alpha")], ids=["financeur", "pole"])
def test_the_funder_and_a_pole_see_small_counts_masked(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, viewer: Viewer
) -> None:
    at = run_page(monkeypatch, data_dir, viewer)
    participants = table(at, "Statut")["Participants"].tolist()
    # By date: V1 12, V2 3 (< 5), V8 6 (s), V3 8, V4 30, V5 4 (< 5), V6 25 (s), V7 unknown.
    assert participants == ["12", "< 5", "s", "8", "30", "< 5", "s", "–"]
    assert any("secret statistique" in c.value for c in at.caption)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Participants aux événements"] == "88"
    assert not any(str(v) in {"3", "4", "6", "25"} for v in participants)


def test_hostile_practice_text_is_shown_as_literal_text(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    at = run_page(monkeypatch, data_dir)
    practices = table(at, "Pratique ou outil")
    assert data.HOSTILE_TITLE in practices["Pratique ou outil"].tolist()
    assert data.HOSTILE_TOOL in practices["Outil"].tolist()
    assert data.HOSTILE_DESCRIPTION in practices["Description"].tolist()
    # Nothing on the page may render HTML, and no file text reaches Markdown unescaped.
    assert not any(m.proto.allow_html for m in [*at.markdown, *at.caption])
    for text in (data.HOSTILE_TITLE, "**gras**"):
        assert not any(text in m.value for m in [*at.markdown, *at.caption])
    # The search takes the hostile text as plain text too.
    at.text_input(key="pratiques_recherche").set_value("<img src=x").run()
    assert not at.exception
    assert table(at, "Pratique ou outil")["Pratique ou outil"].tolist() == [data.HOSTILE_TITLE]
    at.text_input(key="pratiques_recherche").set_value("%").run()
    assert len(table(at, "Pratique ou outil")) == 2  # « 50 % » and « 100% »
    at.text_input(key="pratiques_recherche").set_value("").run()
    at.selectbox(key="pratiques_angle").set_value("qualite").run()
    assert table(at, "Pratique ou outil")["Pratique ou outil"].tolist() == ["Plan de formation partagé"]


def test_no_code_is_shown(staff_page: tuple[AppTest, Path]) -> None:
    at, _ = staff_page
    codes = {"tenue", "prévue", "hote", "visits", "practices", "visit_poles", "poles_hotes", "qualite"}
    shown = [t for t in page_text(at) if t in codes]
    assert shown == []


def test_printable_version(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    at = run_page(monkeypatch, data_dir, **{printing.PARAM: "1"})
    assert "Version imprimable" in at.info[0].value
    assert not at.tabs
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert headings == ["#### Calendrier", "#### Carte", "#### Rythme des visites apprenantes"]
    # Tables whole and static, without downloads.
    assert not at.dataframe and not at.get("download_button")
    events = next(t.value for t in at.table if "Statut" in t.value.columns)
    assert len(events) == sql(data_dir, "select count(*) from visits")[0][0]


def test_no_event_yet_says_so_in_french(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = run_page(monkeypatch, data.build_data_dir(tmp_path / "vide", with_visits=False), Viewer("funder"))
    assert [i.value for i in at.info] == [visit_tables.EMPTY_MESSAGE]
    assert not at.get("plotly_chart")


def test_demo_page_counts_equal_sql_counts(monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path) -> None:
    """On the demo that `ptce sample` writes: every count the page shows is the warehouse's."""
    at = run_page(monkeypatch, demo_data_dir)
    assert not at.exception
    (n_events,) = sql(demo_data_dir, "select count(*) from visits")[0]
    assert n_events >= 10  # the demo promises about four visits a year plus seminars
    assert len(table(at, "Statut")) == n_events
    (n_practices,) = sql(demo_data_dir, "select count(*) from practices")[0]
    assert len(table(at, "Pratique ou outil")) == n_practices
    period = dict(sql(demo_data_dir, "select code, valeur from community_indicators where annee is null"))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Événements tenus"] == str(int(period["evenements"]))
    assert metrics["Visites apprenantes tenues"] == str(int(period["visites_apprenantes"]))
    hosted = dict(
        sql(
            demo_data_dir,
            """
            select p.nom, count(vp.visit_id) filter (where vp.role = 'hote' and v.statut = 'tenue')
            from poles p left join visit_poles vp using (pole_id) left join visits v using (visit_id)
            group by p.nom
            """,
        )
    )
    shown = table(at, "Événements accueillis")
    assert dict(zip(shown["Pôle"], shown["Événements accueillis"], strict=True)) == hosted
    offers = table(at, "Suite donnée")
    assert offers["Suite donnée"].value_counts().to_dict() == {
        visit_tables.offer_label(s): n
        for s, n in sql(demo_data_dir, "select statut_offre, count(*) from visit_offers group by all")
    }
    printable = run_page(monkeypatch, demo_data_dir, **{printing.PARAM: "1"})
    assert not printable.exception
    events = next(t.value for t in printable.table if "Statut" in t.value.columns)
    assert len(events) == n_events

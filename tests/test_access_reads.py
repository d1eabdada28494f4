"""Who may read what, at the query layer (SPEC §5): every read of `ptce.read` for the funder and a pole.

Every public read (a function of a `ptce.read` module whose first parameters are the warehouse and
the viewer) is found by introspection and must appear in `CALLS` with its arguments, so a new read
cannot be forgotten. Each call is made for the funder and for one pole, on the demo warehouse and
on a copy altered so that counts of persons are small everywhere (a pole with two or three persons,
a year where a single pole reports a count, events with two participants). Then:
- the reads SPEC §5 keeps from that viewer refuse it (`PermissionError`, in French): the data
  quality and applications for both, any one pole's pathways for the funder, another pole's
  pathways for a pole;
- no frame returned holds a person-level column (`person_key`, `parcours_id`);
- no count of persons from 1 to threshold - 1 reaches the viewer in any returned frame or figure,
  network totals included, except a pole's own detail (its own pathways and series).
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import shutil
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

import ptce.read
from ptce import small_cells
from ptce.paths import DataLayout
from ptce.read import angles
from ptce.read.base import Viewer, Warehouse, current_warehouse

OWN, OTHER = "phares", "sud_aquitain"  # the pole viewer's own pole, and another
FUNDER = Viewer("funder")
POLE = Viewer("pole", OWN)
VIEWERS = [FUNDER, POLE]
YEAR = "YEAR"  # placeholder: the latest year of the network figures
SECOND_YEAR = "SECOND_YEAR"  # placeholder: the second year (its previous year is the first)
PATHWAY_YEAR = "PATHWAY_YEAR"  # placeholder: the latest year of the pathways' exits
FIRST_VISIT = "FIRST_VISIT"  # placeholder: the first event's id
BOTH = frozenset({"funder", "pole"})
FUNDER_ONLY = frozenset({"funder"})
NOBODY: frozenset[str] = frozenset()
# Indicators compared: counts of persons, a rate built on them, a typed count and a ratio by size.
COMPARED = ("personnes_accompagnees", "sorties_emploi_durable", "taux_sortie_dynamique", "emplois_crees")
PERSON_LEVEL_COLUMNS = {"person_key", "parcours_id"}
# Columns whose values are counts of persons wherever they appear.
COUNT_COLUMNS = {
    "personnes",
    "personnes_rqth",
    "nb_personnes",
    "sorties",
    "sorties_dynamiques",
    "participants",
    "nb_participants",
}
# Columns holding an indicator's value (or a figure drawn from the poles' values): counts of
# persons on the rows of a person-count indicator.
VALUE_COLUMNS = ("valeur", "valeur_precedente", "mediane", "minimum", "maximum", "mediane_reseau")


@dataclass(frozen=True)
class Call:
    """One call of a read: its arguments (placeholders resolved per warehouse), who it refuses,
    and whether the pole viewer is reading its own detail (counts as they are)."""

    read: str
    args: tuple[Any, ...] = ()
    refused: frozenset[str] = NOBODY
    own_detail: bool = False


CALLS = [
    # Indicators: identity, catalogue and network for all; per-pole values masked across poles.
    Call("indicators.publication"),
    Call("indicators.years"),
    Call("indicators.poles"),
    Call("indicators.pole", (OTHER,)),
    Call("indicators.catalog"),
    Call("indicators.key_figures", (YEAR,)),
    Call("indicators.key_figures", (SECOND_YEAR,)),
    Call("indicators.network_trends"),
    Call("indicators.poles_year_table", (YEAR,)),
    Call("indicators.pole_series", (OTHER,)),
    Call("indicators.pole_series", (OWN,), own_detail=True),
    # Every pole's series at once (the report of a national network): across poles, every year.
    Call("indicators.poles_series", (COMPARED, tuple(range(2000, 2031)))),
    # Working angles: every domain of the catalogue (each has counts of persons).
    *[
        Call(f"angles.{read}", (domain, *extra))
        for domain in ("emploi", "mutualisation", "creation", "qualite", "parcours")
        for read, extra in (
            ("angle_indicators", ()),
            ("angle_poles", (YEAR,)),
            ("angle_network", ()),
        )
    ],
    # Data quality and applications quote the files and the poles' own words: staff only.
    *[
        Call(f"quality.{read}", refused=BOTH)
        for read in (
            "quality_run",
            "check_results",
            "ingest_log",
            "quarantine",
            "completeness",
            "reporting_rates",
            "indicator_changes",
        )
    ],
    *[
        Call(f"applications.{read}", refused=BOTH)
        for read in (
            "applications",
            "application_answers",
            "angle_counts",
            "application_tags",
            "application_fields",
        )
    ],
    # The community's life: open to all, participants masked.
    Call("visits.events"),
    Call("visits.event_documents"),
    Call("visits.event_documents", (FIRST_VISIT,)),
    Call("visits.pole_participation"),
    Call("visits.visit_matrix"),
    Call("visits.rhythm"),
    Call("visits.offers"),
    Call("visits.practices"),
    Call("visits.practices", (None, OTHER, "a")),
    Call("visits.community_indicators"),
    # Pathways: the network for all (masked), a pole's detail for staff and itself only.
    Call("pathways.years"),
    Call("pathways.poles", own_detail=True),
    *[
        call
        for read, args in (
            ("flows", (PATHWAY_YEAR,)),
            ("flows", ()),
            ("cohort_size", (PATHWAY_YEAR,)),
            ("exit_categories", ()),
            ("duration_distribution", (PATHWAY_YEAR,)),
            ("duration_distribution", ()),
            ("breakdowns", (PATHWAY_YEAR,)),
            ("rqth", (PATHWAY_YEAR,)),
        )
        for call in (
            Call(f"pathways.{read}", (None, *args)),
            Call(f"pathways.{read}", (OTHER, *args), refused=BOTH),
            Call(f"pathways.{read}", (OWN, *args), refused=FUNDER_ONLY, own_detail=True),
        )
    ],
    Call("pathways.exit_categories_by_pole", (PATHWAY_YEAR,), refused=FUNDER_ONLY),
    Call("pathways.dynamic_exit_rates", (PATHWAY_YEAR,), refused=FUNDER_ONLY),
    *[
        Call("pathways.breakdown_by_pole", (PATHWAY_YEAR, variable), refused=FUNDER_ONLY)
        for variable in ("sexe", "tranche_age", "deld", "rsa", "qpv")
    ],
    Call("pathways.derived_vs_declared", (None,), refused=BOTH),
    Call("pathways.derived_vs_declared", (OTHER,), refused=BOTH),
    Call("pathways.derived_vs_declared", (OWN, PATHWAY_YEAR), refused=FUNDER_ONLY, own_detail=True),
    # Comparison between poles: open to all, counts of persons of other poles masked.
    Call("comparison.indicator_choices"),
    Call("comparison.years"),
    Call("comparison.target_years"),
    Call("comparison.peer_groups", (YEAR,)),
    Call("comparison.pole_values", (YEAR, COMPARED)),
    Call("comparison.series", (COMPARED,)),
    Call("comparison.angle_profile", (YEAR, OTHER)),
    Call("comparison.angle_profile", (YEAR, OWN)),
    Call("comparison.targets", (YEAR,)),
    Call("comparison.targets", (YEAR, OTHER)),
    Call("comparison.targets", (YEAR, OWN), own_detail=True),
    # Where the figures come from (the report's traceability): file paths only, open to all.
    Call("sources.indicator_files", (YEAR,)),
    Call("sources.indicator_files"),
    Call("sources.target_files", (YEAR,)),
    Call("sources.pathway_files", (PATHWAY_YEAR,)),
    Call("sources.visit_files"),
    Call("sources.practice_files"),
    # The adjusted comparison (issue 13) holds no person-level rows: open to every role.
    *[
        Call("pathways.adjusted_comparison", (PATHWAY_YEAR, indicator))
        for indicator in ("taux_sortie_dynamique", "taux_emploi_durable")
    ],
]


def public_reads() -> dict[str, Callable[..., Any]]:
    """Every read of every `ptce.read` module: public, taking (wh, viewer, ...)."""
    found = {}
    for info in pkgutil.iter_modules(ptce.read.__path__):
        module = importlib.import_module(f"ptce.read.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if list(inspect.signature(function).parameters)[:2] == ["wh", "viewer"]:
                found[f"{info.name}.{name}"] = function
    return found


READS = public_reads()
PRESENT = [c for c in CALLS if c.read in READS]


def test_every_read_is_called() -> None:
    called = {c.read for c in CALLS}
    assert set(READS) - called == set(), "a read of ptce.read has no call in CALLS: add it"
    # The reads these tests know: a renamed one must not leave its calls silently unused.
    assert called - set(READS) <= {"pathways.adjusted_comparison"}


# --- Warehouses ------------------------------------------------------------------------------------


def _small_warehouse(demo_data_dir: Path, target_dir: Path) -> Path:
    """A copy of the demo warehouse where counts of persons are small everywhere."""
    target = DataLayout(target_dir).warehouse
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DataLayout(demo_data_dir).warehouse, target)
    people = "(select code from indicator_catalog where personnes)"
    with duckdb.connect(str(target)) as con:
        # The own pole with 2, the other with 3 of every count of persons, every year.
        con.execute(f"update mart_pole_year set valeur = 2 where pole_id = ? and code in {people}", [OWN])
        con.execute(f"update mart_pole_year set valeur = 3 where pole_id = ? and code in {people}", [OTHER])
        # The first year, one pole alone reports the persons accompanied: the total is its count.
        con.execute(
            "delete from mart_pole_year where code = 'personnes_accompagnees' and pole_id <> ? "
            "and annee = (select min(annee) from mart_pole_year)",
            [OTHER],
        )
        # The network figures follow, as the pipeline would compute them: the first year's
        # persons accompanied are the other pole's 3.
        con.execute(
            "update mart_network_year n set valeur = (select sum(m.valeur) from mart_pole_year m "
            f"where m.code = n.code and m.annee = n.annee) where n.code in {people}"
        )
        # Pathways: three persons of the own pole and four of the other, nobody else.
        for pole, keep in ((OWN, 3), (OTHER, 4)):
            con.execute(
                "delete from pathways where pole_id = ? and person_key not in "
                "(select distinct person_key from pathways where pole_id = ? order by person_key limit ?)",
                [pole, pole, keep],
            )
        con.execute("delete from pathways where pole_id not in (?, ?)", [OWN, OTHER])
        # Events: two participants at the first, three at the others.
        con.execute("update visits set nb_participants = 3")
        con.execute(
            "update visits set nb_participants = 2 where visit_id = (select min(visit_id) from visits)"
        )
    return target_dir


@pytest.fixture(scope="module")
def small_wh(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    wh = current_warehouse(_small_warehouse(demo_data_dir, tmp_path_factory.mktemp("small")))
    assert wh is not None
    return wh


@pytest.fixture(scope="module", params=["demo", "small"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    if request.param == "small":
        return request.getfixturevalue("small_wh")
    wh = current_warehouse(request.getfixturevalue("demo_data_dir"))
    assert wh is not None
    return wh


@cache  # one lookup per warehouse, not per case (about 400 cases)
def _context(wh: Warehouse) -> dict[str, Any]:
    con = duckdb.connect(wh.path, read_only=True)
    try:
        first, year = con.execute("select min(annee), max(annee) from mart_network_year").fetchone()
        pathway_year = con.execute(
            "select coalesce(max(year(date_sortie)), max(year(date_entree))) from pathways"
        ).fetchone()[0]
        visit = con.execute("select min(visit_id) from visits").fetchone()[0]
    finally:
        con.close()
    return {YEAR: int(year), SECOND_YEAR: int(first) + 1, PATHWAY_YEAR: int(pathway_year), FIRST_VISIT: visit}


def _args(call: Call, context: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(context.get(a, a) if isinstance(a, str) else a for a in call.args)


# --- Checks ------------------------------------------------------------------------------------------


@cache
def _person_codes(wh: Warehouse) -> frozenset[str]:
    con = duckdb.connect(wh.path, read_only=True)
    try:
        rows = con.execute("select code from indicator_catalog where personnes").fetchall()
    finally:
        con.close()
    # The community indicator of participants counts persons too (reference/visites.yaml).
    return frozenset({r[0] for r in rows} | {"participants"})


@cache
def _shares_of_persons(wh: Warehouse, people: frozenset[str]) -> frozenset[str]:
    """Shares whose reference population (their `denominateur` column) counts persons."""
    con = duckdb.connect(wh.path, read_only=True)
    try:
        codes = [r[0] for r in con.execute("select code from indicator_catalog where derive").fetchall()]
    finally:
        con.close()
    rows = angles.indicator_rows(wh, codes)
    return frozenset(r.code for r in rows.itertuples() if r.denominateur and set(r.denominateur) <= people)


def _frames(result: Any) -> Iterator[pd.DataFrame | int]:
    """The frames and counts a read returned (a frame, a count, or a tuple of them). A float beside
    them is not a count (the median duration of `duration_distribution`, in months)."""
    items = result if isinstance(result, tuple) else (result,)
    for item in items:
        if isinstance(item, pd.DataFrame | int) and not isinstance(item, bool):
            yield item


def _small(values: pd.Series | list[Any]) -> list[float]:
    seuil = small_cells.threshold()
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(float)
    return [v for v in numbers if not math.isnan(v) and 0 < v < seuil]


def small_counts(
    frame: pd.DataFrame | int, people: AbstractSet[str], shares: AbstractSet[str]
) -> dict[str, list[float]]:
    """Every count of persons under the threshold in `frame`, by column."""
    if not isinstance(frame, pd.DataFrame):
        return {"figure": _small([frame])} if _small([frame]) else {}
    found: dict[str, list[float]] = {}
    for column in frame.columns:
        # A count column, or a wide table's column of one indicator counting persons.
        if column in COUNT_COLUMNS or column in people:
            values = frame[column]
        elif column in VALUE_COLUMNS and "code" in frame.columns:
            values = frame.loc[frame["code"].isin(people), column]
        elif column == "denominateur" and "code" in frame.columns:
            values = frame.loc[frame["code"].isin(shares), column]
        else:
            continue
        if pd.api.types.is_bool_dtype(values):
            continue  # the catalogue's flag `personnes` (this indicator counts persons), not a count
        if small := _small(values):
            found[column] = small
    return found


CASES = [(c, v) for c in PRESENT for v in VIEWERS]
IDS = [f"{c.read}{c.args}-{v.role}" for c, v in CASES]


@pytest.mark.parametrize(("call", "viewer"), CASES, ids=IDS)
def test_each_read_gives_each_role_only_what_it_may_see(
    warehouse: Warehouse, call: Call, viewer: Viewer
) -> None:
    read = READS[call.read]
    args = _args(call, _context(warehouse))
    if viewer.role in call.refused:
        with pytest.raises(PermissionError) as refusal:
            read(warehouse, viewer, *args)
        assert "accessible" in str(refusal.value) or "réservées" in str(refusal.value)
        return
    result = read(warehouse, viewer, *args)
    frames = list(_frames(result))
    for frame in frames:
        if isinstance(frame, pd.DataFrame):
            assert PERSON_LEVEL_COLUMNS.isdisjoint(frame.columns)
            if viewer.role == "pole" and "pole_id" in frame.columns and call.own_detail:
                # A pole's own detail is its own: no row of another pole.
                assert set(frame["pole_id"].dropna()) <= {OWN}
    if viewer.role == "pole" and call.own_detail:
        return  # the pole's own detail: its counts as they are
    people = _person_codes(warehouse)
    shares = _shares_of_persons(warehouse, people)
    for frame in frames:
        if viewer.role == "pole" and isinstance(frame, pd.DataFrame) and "pole_id" in frame.columns:
            # A pole may see its own counts as they are in a table of every pole; the others' never.
            frame = frame[frame["pole_id"] != OWN]
        assert small_counts(frame, people, shares) == {}


def test_the_funder_opens_no_pole_of_the_pathways(warehouse: Warehouse) -> None:
    from ptce.read import pathways

    assert pathways.poles(warehouse, FUNDER).empty
    assert list(pathways.poles(warehouse, POLE)["pole_id"]) == [OWN]


def test_another_poles_series_keeps_its_words(warehouse: Warehouse) -> None:
    from ptce.read import indicators

    other = indicators.pole_series(warehouse, POLE, OTHER)
    assert other["commentaires"].isna().all() and other["fichiers"].isna().all()
    own = indicators.pole_series(warehouse, POLE, OWN)
    assert own["fichiers"].notna().any()


def _value(frame: pd.DataFrame, code: str, year: int, column: str = "valeur") -> float:
    return float(frame.loc[(frame["code"] == code) & (frame["annee"] == year), column].iloc[0])


def test_small_counts_reach_staff_and_the_pole_itself_only(small_wh: Warehouse) -> None:
    from ptce.read import indicators

    staff = Viewer("staff")
    year = _context(small_wh)[YEAR]
    # The own pole has 2 persons accompanied, the other 3 (set by `_small_warehouse`).
    assert _value(indicators.pole_series(small_wh, POLE, OWN), "personnes_accompagnees", year) == 2
    assert _value(indicators.pole_series(small_wh, staff, OTHER), "personnes_accompagnees", year) == 3
    other = indicators.pole_series(small_wh, POLE, OTHER)
    assert math.isnan(_value(other, "personnes_accompagnees", year))
    masks = other.loc[(other["code"] == "personnes_accompagnees") & (other["annee"] == year), "masque"]
    assert masks.tolist() == ["< 5"]
    # In the table of every pole both are masked for the funder, a third pole is not.
    table = indicators.poles_year_table(small_wh, FUNDER, year).set_index("pole_id")
    raw = indicators.poles_year_table(small_wh, staff, year).set_index("pole_id")
    assert table.loc[[OWN, OTHER], "personnes_accompagnees"].isna().all()
    assert raw.loc[[OWN, OTHER], "personnes_accompagnees"].tolist() == [2, 3]
    assert table.loc["bourian", "personnes_accompagnees"] == raw.loc["bourian", "personnes_accompagnees"] > 5
    # The first year, only the other pole reported persons accompanied: the network total is its 3.
    first = year - 2
    trends = indicators.network_trends(small_wh, FUNDER)
    assert math.isnan(_value(trends, "personnes_accompagnees", first))
    figures = indicators.key_figures(small_wh, FUNDER, first + 1).set_index("code")
    assert math.isnan(figures.loc["personnes_accompagnees", "valeur_precedente"])


def test_network_pathways_name_no_structure(warehouse: Warehouse) -> None:
    from ptce.read import pathways

    # A structure is a pole's own detail: the network's flows go from poles, through one node.
    for viewer in VIEWERS:
        flows = pathways.flows(warehouse, viewer, None, None)
        assert set(flows["source"].dropna()) <= {pathways.MOVED}
        assert set(flows["target"]) <= {pathways.MOVED, *pathways.EXIT_LABELS}

"""The comparison reads (`ptce.read.comparison`) on values written by hand.

A copy of the demo warehouse (its poles and catalogue) gets two years of its own: 2030, where four
poles have the rate of dynamic exits (« hausse »: higher is better) and the share of part-time
work undergone (« baisse »: lower is better) at 1, 2, 2 and 4, the latter built on counts of 3,
10, 20 and 30 persons; and 2031, where one pole sent its number of member structures only. Every
expected figure below is worked out by hand from those values.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from ptce.paths import DataLayout
from ptce.read import comparison
from ptce.read.base import STAFF, Viewer, Warehouse, current_warehouse

FUNDER = Viewer("funder")
RATE, PART_TIME, PART_TIME_COUNT = "taux_sortie_dynamique", "part_temps_partiel_subi", "temps_partiel_subi"
# Pole -> (rate, share, count of persons in part-time work undergone, employees).
VALUES_2030 = {
    "sud_aquitain": (1.0, 1.0, 3.0, 100.0),
    "phares": (2.0, 2.0, 10.0, 100.0),
    "esci": (2.0, 2.0, 20.0, 100.0),
    "alpen": (4.0, 4.0, 30.0, 100.0),
}
POLES = 12  # the demo's


@pytest.fixture(scope="module")
def wh(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    data_dir = tmp_path_factory.mktemp("comparaison_main")
    target = DataLayout(data_dir).warehouse
    target.parent.mkdir(parents=True)
    shutil.copyfile(DataLayout(demo_data_dir).warehouse, target)
    rows = [
        (pole, 2030, code, value)
        for pole, values in VALUES_2030.items()
        for code, value in zip((RATE, PART_TIME, PART_TIME_COUNT, "salaries"), values, strict=True)
    ]
    rows.append(("bousol", 2031, "membres", 12.0))
    with duckdb.connect(str(target)) as con:
        con.executemany(
            "insert into mart_pole_year (pole_id, annee, code, valeur, derive) values (?, ?, ?, ?, false)",
            rows,
        )
        con.execute(
            "insert into targets (pole_id, annee, code, valeur) values ('sud_aquitain', 2030, ?, 2.0)", [RATE]
        )
    found = current_warehouse(data_dir)
    assert found is not None
    return found


def column(frame: pd.DataFrame, code: str, name: str) -> dict[str, Any]:
    part = frame[frame["code"] == code]
    return {p: v for p, v in zip(part["pole_id"], part[name], strict=True) if not pd.isna(v)}


def test_staff_ranks_and_network_statistics(wh: Warehouse) -> None:
    frame = comparison.pole_values(wh, STAFF, 2030, [PART_TIME, RATE])
    assert len(frame) == 2 * POLES
    # The codes in the order asked, each over every pole in number order.
    assert list(frame["code"]) == [PART_TIME] * POLES + [RATE] * POLES
    assert list(frame["numero"][:POLES]) == list(range(1, POLES + 1))
    assert column(frame, RATE, "valeur") == {"sud_aquitain": 1.0, "phares": 2.0, "esci": 2.0, "alpen": 4.0}
    # Higher is better: 4 first, the two 2 tie second, 1 last (fourth).
    assert column(frame, RATE, "rang") == {"alpen": 1.0, "phares": 2.0, "esci": 2.0, "sud_aquitain": 4.0}
    # Lower is better: the other way round.
    assert column(frame, PART_TIME, "rang") == {"sud_aquitain": 1.0, "phares": 2.0, "esci": 2.0, "alpen": 4.0}
    for code in (RATE, PART_TIME):
        part = frame[frame["code"] == code]
        # 1 2 2 4: median (2 + 2) / 2; quartiles at positions 0,75 and 2,25 (linear interpolation).
        assert set(part["mediane"]) == {2.0}
        assert set(part["q1"]) == {1.0 + 0.75 * (2.0 - 1.0)}
        assert set(part["q3"]) == {2.0 + 0.25 * (4.0 - 2.0)}
        assert set(part["nb_poles"]) == {4}
        assert part["masque"].isna().all()
    assert column(frame, RATE, "membres") == {}  # no member count sent for 2030


def test_funder_statistics_leave_out_the_masked_shares(wh: Warehouse) -> None:
    frame = comparison.pole_values(wh, FUNDER, 2030, [PART_TIME])
    # Sud Aquitain's 3 persons are a small count, Phares's 10 (the smallest other) its partner:
    # both poles' shares are counts in disguise.
    assert column(frame, PART_TIME, "masque") == {"sud_aquitain": "s", "phares": "s"}
    assert column(frame, PART_TIME, "valeur") == {"esci": 2.0, "alpen": 4.0}
    assert column(frame, PART_TIME, "rang") == {"esci": 1.0, "alpen": 2.0}
    assert set(frame["mediane"]) == {3.0}
    assert set(frame["q1"]) == {2.0 + 0.25 * (4.0 - 2.0)}
    assert set(frame["nb_poles"]) == {2}


def test_a_year_without_values_gives_every_pole_without_statistics(wh: Warehouse) -> None:
    frame = comparison.pole_values(wh, STAFF, 1990, [RATE])
    assert len(frame) == POLES
    assert frame[["valeur", "rang", "mediane", "q1", "q3"]].isna().all().all()
    assert set(frame["nb_poles"]) == {0}
    assert comparison.pole_values(wh, STAFF, 2030, []).empty


@pytest.mark.parametrize(
    ("pole_id", "rate", "part_time"),
    [
        # 1 is below the three others on the rate (0 %), and the lowest share: better than all.
        ("sud_aquitain", (1.0, 0.0), (1.0, 100.0)),
        # 2 against 1, 2, 4: one below, one tied (half) -> 1,5 of 3.
        ("phares", (2.0, 50.0), (2.0, 50.0)),
        ("alpen", (4.0, 100.0), (4.0, 0.0)),
    ],
)
def test_angle_profile_percentile_ranks_by_hand(
    wh: Warehouse, pole_id: str, rate: tuple[float, float], part_time: tuple[float, float]
) -> None:
    profile = comparison.angle_profile(wh, STAFF, 2030, pole_id).set_index("code")
    assert tuple(profile.loc[RATE, ["valeur", "rang_centile"]]) == rate
    assert tuple(profile.loc[PART_TIME, ["valeur", "rang_centile"]]) == part_time
    assert profile.at[RATE, "nb_poles"] == 4
    # Every other profiled indicator has no value in 2030.
    others = profile.drop(index=[RATE, PART_TIME])
    assert len(others) > 5
    assert others["valeur"].isna().all() and others["rang_centile"].isna().all()
    assert set(others["nb_poles"]) == {0}


def test_angle_profile_of_a_pole_without_a_value(wh: Warehouse) -> None:
    for pole_id in ("bousol", "pas_un_pole"):
        profile = comparison.angle_profile(wh, STAFF, 2030, pole_id).set_index("code")
        assert math.isnan(profile.at[RATE, "valeur"]) and math.isnan(profile.at[RATE, "rang_centile"])
        assert profile.at[RATE, "nb_poles"] == 4


def test_series_keep_a_year_where_the_codes_have_no_value(wh: Warehouse) -> None:
    frame = comparison.series(wh, STAFF, [RATE])
    later = frame[frame["annee"] >= 2030]
    assert sorted(set(later["annee"])) == [2030, 2031]
    y2030 = later[later["annee"] == 2030]
    assert column(y2030, RATE, "valeur") == {"sud_aquitain": 1.0, "phares": 2.0, "esci": 2.0, "alpen": 4.0}
    assert set(y2030["mediane"]) == {2.0}
    # 2031: only a member count was sent, by one pole; the rate is there, unknown, for every pole.
    y2031 = later[later["annee"] == 2031]
    assert len(y2031) == POLES
    assert y2031["valeur"].isna().all() and y2031["mediane"].isna().all()


def test_targets_by_hand(wh: Warehouse) -> None:
    frame = comparison.targets(wh, STAFF, 2030)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["pole_id"], row["objectif"], row["valeur"], row["taux_atteinte"]) == (
        "sud_aquitain",
        2.0,
        1.0,
        0.5,
    )
    assert row["atteint"] is False or row["atteint"] == False  # noqa: E712 - numpy's False

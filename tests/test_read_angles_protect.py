"""`ptce.read.angles.protect_year` at scale: the fast one-column small cells give the same frames.

Each count of persons by pole is one table (poles, then the network total) through
`small_cells.suppress_series`, which protects a one-column table with `_column_masks` rather than
the general sweep (`_grid_masks`). On generated poles (small counts, zeros, gaps, shares made of
them), every frame of `protect_year` is the same both ways.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ptce import small_cells
from ptce.read.angles import ProtectedYear, _wide_values, protect_year

PEOPLE = {"salaries", "cdi", "formes", "absent"}


def indicators() -> pd.DataFrame:
    """Counts of persons, a yes/no value, and shares made of the counts (as `angle_indicators`)."""
    rows = [
        ("salaries", False, [], []),
        ("cdi", False, [], []),
        ("formes", False, [], []),
        ("oui_non", False, [], []),
        ("part_cdi", True, ["cdi"], ["salaries"]),
        ("part_formes", True, ["formes"], ["salaries", "cdi"]),
        ("part_absente", True, ["absent"], ["salaries"]),
    ]
    return pd.DataFrame(rows, columns=["code", "derive", "numerateur", "denominateur"])


def generated_year(seed: int, n_poles: int) -> tuple[pd.DataFrame, list[str]]:
    """One year's values by pole: mostly large counts, some small, zeros and unreported."""
    rng = np.random.default_rng(seed)
    pole_ids = [f"P{i:04d}" for i in range(n_poles)]
    wide = pd.DataFrame(index=pole_ids)
    for code in ("salaries", "cdi", "formes"):
        values = rng.integers(5, 400, n_poles).astype(float)
        small = rng.random(n_poles) < rng.choice([0.0, 0.002, 0.05, 0.3])
        values[small] = rng.integers(1, 5, int(small.sum()))
        values[rng.random(n_poles) < 0.05] = 0
        values[rng.random(n_poles) < 0.1] = np.nan
        wide[code] = values
    wide["oui_non"] = rng.integers(0, 2, n_poles).astype(float)
    wide["part_cdi"] = wide["cdi"] / wide["salaries"].replace(0, np.nan)
    wide["part_formes"] = wide["formes"] / (wide["salaries"] + wide["cdi"]).replace(0, np.nan)
    # Some poles did not report this year; the rows come unordered, as the warehouse gives them.
    reported = wide.sample(frac=0.9, random_state=seed)
    return reported, pole_ids


def assert_same(new: ProtectedYear, old: ProtectedYear) -> None:
    pd.testing.assert_frame_equal(new.values, old.values)
    pd.testing.assert_frame_equal(new.labels, old.labels)
    pd.testing.assert_frame_equal(new.dens, old.dens)
    pd.testing.assert_frame_equal(new.den_hidden, old.den_hidden)
    pd.testing.assert_series_equal(new.totals, old.totals)


@pytest.mark.parametrize("seed", range(12))
def test_protect_year_is_the_same_with_the_general_sweep(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    wide, pole_ids = generated_year(seed, int(np.random.default_rng(seed).choice([3, 12, 60, 400])))
    new = protect_year(wide, indicators(), PEOPLE, pole_ids)
    with monkeypatch.context() as m:
        m.setattr(small_cells, "_column_masks", lambda c, s: small_cells._grid_masks(c.reshape(-1, 1), s))
        old = protect_year(wide, indicators(), PEOPLE, pole_ids)
    assert_same(new, old)
    # The comparison is not of empty masks: a year with a small count has masked values.
    counts = wide[["salaries", "cdi", "formes"]]
    assert new.labels.notna().any().any() == bool(((counts >= 1) & (counts < 5)).any().any())


def test_network_figures_of_a_year_withhold_a_population_that_gives_one_pole_away() -> None:
    """`ProtectedYear.network`, read by `angle_network`: a share's population over the poles is
    withheld when exactly one pole's population is hidden (the sum would give it back)."""
    wide, pole_ids = generated_year(3, 400)
    year = protect_year(wide, indicators(), PEOPLE, pole_ids)
    network = year.network
    for code in indicators()["code"]:
        den, hidden = year.dens[code], year.den_hidden[code]
        one_hidden = int((hidden & den.notna()).sum()) == 1
        expected = np.nan if one_hidden else den.sum(min_count=1)
        assert network.at[code, "denominateur"] == expected or (
            np.isnan(expected) and np.isnan(network.at[code, "denominateur"])
        )
        assert network.at[code, "pole_masque"] == bool(year.labels[code].notna().any())
        assert network.at[code, "total_protege"] == year.totals[code] or np.isnan(year.totals[code])
    # A population hidden for one pole only: withheld; for none: the sum.
    single = ProtectedYear(
        values=pd.DataFrame({"part": [0.5, 0.5]}),
        labels=pd.DataFrame({"part": [None, "s"]}, dtype=object),
        dens=pd.DataFrame({"part": [10.0, 3.0]}),
        den_hidden=pd.DataFrame({"part": [False, True]}),
        totals=pd.Series({"part": np.nan}),
    )
    assert np.isnan(single.network.at["part", "denominateur"])
    assert single.network.at["part", "pole_masque"]
    two = ProtectedYear(
        values=single.values,
        labels=pd.DataFrame({"part": [None, None]}, dtype=object),
        dens=single.dens,
        den_hidden=pd.DataFrame({"part": [False, False]}),
        totals=single.totals,
    )
    assert two.network.at["part", "denominateur"] == 13.0 and not two.network.at["part", "pole_masque"]


def generated_long(seed: int, n_poles: int) -> pd.DataFrame:
    """Values by pole, year and code as the warehouse gives them (unordered), with gaps (null
    values), a code never reported and a few poles, years and codes given twice."""
    rng = np.random.default_rng(seed)
    poles = [f"P{i:04d}" for i in rng.permutation(n_poles)]
    rows = [
        (pole, year, code, float(rng.integers(0, 300)))
        for pole in poles
        for year in rng.choice(np.arange(2015, 2025, dtype=np.int32), 3, replace=False)
        for code in ("salaries", "cdi", "zz_oui_non", "formes")
        if rng.random() < 0.8
    ]
    long = pd.DataFrame(rows, columns=["pole_id", "annee", "code", "valeur"])
    long["annee"] = long["annee"].astype("int32")
    long.loc[rng.random(len(long)) < 0.1, "valeur"] = np.nan
    long.loc[long["code"] == "formes", "valeur"] = np.nan  # a code without any value
    twice = long.sample(frac=0.05, random_state=seed).assign(valeur=lambda f: f["valeur"] + 1)
    return pd.concat([long, twice], ignore_index=True).sample(frac=1, random_state=seed)


@pytest.mark.parametrize("seed", range(6))
def test_wide_values_are_the_pivot_table_they_replace(seed: int) -> None:
    long = generated_long(seed, [1, 12, 300][seed % 3])
    expected = long.pivot_table(index=["pole_id", "annee"], columns="code", values="valeur", aggfunc="first")
    pd.testing.assert_frame_equal(_wide_values(long), expected, check_exact=True)
    assert "formes" not in _wide_values(long).columns
    empty = long.head(0)
    pd.testing.assert_frame_equal(
        _wide_values(empty),
        empty.pivot_table(index=["pole_id", "annee"], columns="code", values="valeur", aggfunc="first"),
    )

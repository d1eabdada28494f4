"""The pathways reads' masking helpers, made whole-column, give the frames they gave row by row.

`_mask_long` joined its key columns row by row (`agg("|".join, axis=1)`) and `_unmasked` wrote
each count's label one call at a time: at two thousand poles, seconds. The versions kept here are
those row-by-row ones, word for word; the current helpers must return exactly the same frames on
generated tables with small counts (masked « < 5 »), the cells that protect them (« s »), zeros,
missing keys and counts, for a masked viewer and for one who sees every count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ptce import small_cells
from ptce.fmt import fmt_number
from ptce.read import pathways as reads


def row_by_row_unmasked(df: pd.DataFrame, value: str) -> pd.DataFrame:
    out = df.copy()
    out[value] = out[value].astype(float)
    out["masque"] = False
    out["libelle"] = [fmt_number(v) for v in out[value]]
    return out


def row_by_row_mask_long(
    df: pd.DataFrame, *, rows: str | list[str], columns: str | list[str], masked: bool
) -> pd.DataFrame:
    if not masked or df.empty:
        return row_by_row_unmasked(df, "personnes")
    work = df.copy()
    keys = {"_ligne": rows, "_colonne": columns}
    for key, cols in keys.items():
        cols = [cols] if isinstance(cols, str) else cols
        work[key] = work[cols].astype(object).fillna("").astype(str).agg("|".join, axis=1)
    out = small_cells.suppress_long(work, rows="_ligne", columns="_colonne", value="personnes")
    shown = out[small_cells.LONG_VALUE].astype(float)
    out["personnes"] = shown
    out["masque"] = shown.isna() & df["personnes"].notna().to_numpy()
    return out.drop(columns=["_ligne", "_colonne", small_cells.LONG_VALUE])


def counts(rng: np.random.Generator, n: int) -> np.ndarray:
    """Counts of persons: many small ones (1 to 4), zeros, and larger ones."""
    kind = rng.integers(0, 3, size=n)
    return np.where(
        kind == 0, rng.integers(1, 5, size=n), np.where(kind == 1, 0, rng.integers(5, 400, size=n))
    )


def flows_like(seed: int, n_poles: int) -> pd.DataFrame:
    """Network flows: each pole's entries to « moved » or an outcome, then « moved » to outcomes
    (missing poles and structures as in the read)."""
    rng = np.random.default_rng(seed)
    outcomes = [*reads.EXIT_CATEGORIES, reads.UNKNOWN_EXIT, reads.ONGOING]
    rows = []
    for i in range(n_poles):
        for target in rng.choice([reads.MOVED, *outcomes], size=rng.integers(1, 7), replace=False):
            stage = "mobilite" if target == reads.MOVED else "issue"
            rows.append(("entree", f"pole_{i:04d}", None, stage, None, target))
    for target in outcomes:
        rows.append(("mobilite", None, reads.MOVED, "issue", None, target))
    frame = pd.DataFrame(
        rows, columns=["source_etape", "source_pole", "source", "target_etape", "target_pole", "target"]
    )
    frame["personnes"] = counts(rng, len(frame))
    return frame


def by_pole_like(seed: int, n_poles: int, modalities: list[str]) -> pd.DataFrame:
    """A pole × modality table (breakdowns, exits by category), some pairs absent."""
    rng = np.random.default_rng(seed)
    rows = [
        (f"pole_{i:04d}", i + 1, f"Pôle {i}", m)
        for i in range(n_poles)
        for m in modalities
        if rng.random() < 0.8
    ]
    frame = pd.DataFrame(rows, columns=["pole_id", "numero", "nom", "modalite"])
    frame["personnes"] = counts(rng, len(frame))
    return frame


def by_year_like(seed: int) -> pd.DataFrame:
    """Exits by year (an integer key) and category."""
    rng = np.random.default_rng(seed)
    rows = [(year, c) for year in range(2012, 2024) for c in [*reads.EXIT_CATEGORIES, reads.UNKNOWN_EXIT]]
    frame = pd.DataFrame(rows, columns=["annee", "categorie"])
    frame["personnes"] = counts(rng, len(frame))
    return frame


CASES = [
    *[
        (
            flows_like(seed, n),
            ["source_etape", "source_pole", "source"],
            ["target_etape", "target_pole", "target"],
        )
        for seed, n in ((1, 3), (2, 12), (3, 150))
    ],
    *[
        (by_pole_like(seed, n, ["F", "H", "non_renseigne"]), "pole_id", "modalite")
        for seed, n in ((4, 5), (5, 200))
    ],
    (by_year_like(6), "annee", "categorie"),
]


@pytest.mark.parametrize("masked", [True, False])
@pytest.mark.parametrize(("frame", "rows", "columns"), CASES)
def test_mask_long_gives_the_frames_it_gave_row_by_row(
    frame: pd.DataFrame, rows: str | list[str], columns: str | list[str], masked: bool
) -> None:
    expected = row_by_row_mask_long(frame, rows=rows, columns=columns, masked=masked)
    got = reads._mask_long(frame, rows=rows, columns=columns, masked=masked)
    if masked:
        # The generated tables do hold small counts and the cells that protect them.
        assert set(got["libelle"]) >= {small_cells.primary_label(), small_cells.SECONDARY_LABEL}
        assert got["masque"].any()
    pd.testing.assert_frame_equal(got, expected)


def test_unmasked_labels_each_count_as_before_missing_ones_included() -> None:
    frame = pd.DataFrame({"personnes": [3, 0, 1234, np.nan, 3, 1234, 25_000, np.nan]})
    pd.testing.assert_frame_equal(
        reads._unmasked(frame, "personnes"), row_by_row_unmasked(frame, "personnes")
    )

"""Small cells (SPEC §5): the one rule every output uses to hide small counts of persons.

A count of persons from 1 to `threshold() - 1` is masked and shown `< 5` (primary suppression).
When a table's row and column totals are published, masking the small cell alone is not enough:
total minus the visible cells would give it back. Secondary suppression therefore masks more
cells (shown `s`) until no row and no column of the table, its totals included, holds exactly one
masked value. Pages, exports and the yearly report all call `suppress` (or its series / long-form
variants) and show only what `SuppressedTable` lets out: `values()`, `labels()` and the totals.

How the table is seen: the counts are extended with their margins, an (R+1) x (C+1) grid whose
last column holds the row totals, last row the column totals and corner the grand total. Every
row and every column of that grid is one published relation "cells add up to the total". A
relation with exactly one masked value gives that value away, so for each such line the smallest
visible positive cell is masked too (ties: first by position); a line with no such cell left
(its other cells are zero or missing) gets its total masked instead, which `row_totals()` /
`col_totals()` / `grand_total()` then return as NaN. Lines are swept until nothing changes.

Missing counts (NaN) stay missing: they are neither masked nor used to protect another cell, and
totals add up the known counts only. A zero is a true, shown zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from ptce import reference
from ptce.fmt import fmt_number

CONFIG_FILE = "confidentialite.yaml"
CONFIG_KEY = "seuil_petits_effectifs"
SECONDARY_LABEL = "s"
# A cell that is missing (NaN) has no count to show.
MISSING_LABEL = "–"
# Columns that `suppress_long` adds.
LONG_VALUE = "valeur_affichee"
LONG_MASK = "masque"
LONG_LABEL = "libelle"


def _check_threshold(value: object, where: str) -> int:
    # bool is an int in Python: `seuil_petits_effectifs: oui` must not pass as 1.
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise ValueError(
            f"{where} : la clé « {CONFIG_KEY} » doit être un nombre entier au moins égal à 2 "
            f"(valeur lue : {value!r})."
        )
    return value


@cache
def threshold() -> int:
    """The small-cell threshold of `ptce/reference/confidentialite.yaml` (5): counts below it are masked."""
    raw = reference.read_reference(CONFIG_FILE)
    value = raw.get(CONFIG_KEY) if isinstance(raw, dict) else None
    return _check_threshold(value, f"ptce/reference/{CONFIG_FILE}")


def _resolve(value: int | None) -> int:
    if value is None:
        return threshold()
    return _check_threshold(value, "Secret statistique")


def primary_label(threshold: int | None = None) -> str:
    """The label of a small count: `< 5` for the configured threshold."""
    return f"< {_resolve(threshold)}"


def __getattr__(name: str) -> str:
    # PRIMARY_LABEL follows the configuration file, read on first use rather than at import.
    if name == "PRIMARY_LABEL":
        return primary_label()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def note(threshold: int | None = None) -> str:
    """The French footnote that explains the two masks, for pages, exports and the report."""
    seuil = _resolve(threshold)
    return (
        f"« < {seuil} » : moins de {seuil} personnes ; le nombre exact n'est pas publié "
        f"(secret statistique). « {SECONDARY_LABEL} » : valeur masquée elle aussi, pour qu'un "
        f"total ne permette pas de retrouver un petit effectif par soustraction."
    )


@dataclass(frozen=True)
class SuppressedTable:
    """A table of counts with its masks. `counts` is private: never display it.

    `primary` marks the small counts themselves, `masked` every hidden cell (small or
    secondary). The totals' masks say which margins may be published (`margins=True` only).
    """

    counts: pd.DataFrame
    primary: pd.DataFrame
    masked: pd.DataFrame
    threshold: int
    margins: bool = True
    row_total_masked: pd.Series | None = None
    col_total_masked: pd.Series | None = None
    grand_total_masked: bool = False

    @property
    def primary_label(self) -> str:
        return f"< {self.threshold}"

    @property
    def secondary(self) -> pd.DataFrame:
        """Cells masked only to protect others (shown `s`)."""
        return self.masked & ~self.primary

    def values(self) -> pd.DataFrame:
        """The counts as floats, NaN where masked or missing: what a chart may plot."""
        return self.counts.astype(float).mask(self.masked)

    def labels(self) -> pd.DataFrame:
        """Each cell as French text: `1 234`, `< 5`, `s`, or `–` when missing."""
        shown = self.counts.astype(float).map(lambda v: fmt_number(v, missing=MISSING_LABEL))
        shown = shown.mask(self.secondary, SECONDARY_LABEL)
        return shown.mask(self.primary, self.primary_label).astype(object)

    def _totals(self) -> tuple[pd.Series, pd.Series, float]:
        if not self.margins:
            raise ValueError(
                "Secret statistique : ce tableau a été calculé sans totaux publiés "
                "(margins=False) ; ses totaux ne sont pas protégés. Recalculer avec margins=True."
            )
        counts = self.counts.astype(float)
        rows = counts.sum(axis=1, min_count=1)
        cols = counts.sum(axis=0, min_count=1)
        grand = rows.sum(min_count=1)
        return rows, cols, float(grand)

    def row_totals(self) -> pd.Series:
        """Row totals as publishable: NaN when masked (small, or needed to protect a cell)."""
        rows, _, _ = self._totals()
        return rows.mask(self.row_total_masked)

    def col_totals(self) -> pd.Series:
        """Column totals as publishable: NaN when masked (small, or needed to protect a cell)."""
        _, cols, _ = self._totals()
        return cols.mask(self.col_total_masked)

    def grand_total(self) -> float:
        """The table's grand total as publishable: NaN when masked."""
        _, _, grand = self._totals()
        return math.nan if self.grand_total_masked else grand

    def _total_labels(self, totals: pd.Series, masked: pd.Series) -> pd.Series:
        small = (totals >= 1) & (totals < self.threshold)
        shown = totals.map(lambda v: fmt_number(v, missing=MISSING_LABEL))
        shown = shown.mask(masked & ~small, SECONDARY_LABEL)
        return shown.mask(masked & small, self.primary_label).astype(object)

    def row_total_labels(self) -> pd.Series:
        """Row totals as French text (`1 234`, `< 5`, `s`)."""
        rows, _, _ = self._totals()
        return self._total_labels(rows, self.row_total_masked)

    def col_total_labels(self) -> pd.Series:
        """Column totals as French text (`1 234`, `< 5`, `s`)."""
        _, cols, _ = self._totals()
        return self._total_labels(cols, self.col_total_masked)

    def grand_total_label(self) -> str:
        """The grand total as French text (`1 234`, `< 5`, `s`)."""
        _, _, grand = self._totals()
        label = self._total_labels(pd.Series([grand]), pd.Series([self.grand_total_masked]))
        return str(label.iloc[0])


def _check_counts(counts: pd.DataFrame) -> np.ndarray:
    """The counts as a float grid, or a French error when they are not counts of persons."""
    try:
        grid = counts.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise TypeError("Secret statistique : le tableau doit contenir des nombres.") from exc
    known = grid[~np.isnan(grid)]
    if (known < 0).any() or (known != np.round(known)).any() or np.isinf(known).any():
        raise ValueError(
            "Secret statistique : le tableau doit contenir des comptages de personnes "
            "(nombres entiers positifs ou nuls)."
        )
    return grid


def _small(grid: np.ndarray, seuil: int) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (grid >= 1) & (grid < seuil)


def _lines(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    """The published relations of the extended grid, each as its cells with the total last.

    Order fixes which complement is chosen, so it is part of the rule: the table's rows, then its
    columns, then the row of column totals, then the column of row totals.
    """
    rows = [[(i, j) for j in range(n_cols + 1)] for i in range(n_rows)]
    cols = [[(i, j) for i in range(n_rows + 1)] for j in range(n_cols)]
    total_row = [[(n_rows, j) for j in range(n_cols + 1)]]
    total_col = [[(i, n_cols) for i in range(n_rows + 1)]]
    return rows + cols + total_row + total_col


def _sweep(grid: np.ndarray, masked: np.ndarray, lines: list[list[tuple[int, int]]]) -> None:
    """Mask complements until no published line holds exactly one hidden value (in place)."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            *cells, total = line
            if np.isnan(grid[total]):
                continue  # no published total (every cell missing): no relation to exploit
            present = [c for c in line if not np.isnan(grid[c])]
            if sum(bool(masked[c]) for c in present) != 1:
                continue
            candidates = [c for c in cells if _visible_positive(grid, masked, c)]
            if candidates:
                # Smallest value first; `min` keeps the first by position among equals.
                chosen = min(candidates, key=lambda c: grid[c])
            elif not masked[total]:
                chosen = total  # nothing left to hide the cell among: the total goes instead
            else:  # pragma: no cover - a masked total > 0 always has a visible positive cell
                continue
            masked[chosen] = True
            changed = True


def _visible_positive(grid: np.ndarray, masked: np.ndarray, position: tuple[int, int]) -> bool:
    return bool(not masked[position] and grid[position] > 0)


# Singular values below this are zero: the relations' coefficients are 0, 1 and -1.
_RANK_TOLERANCE = 1e-8


def _determined(
    grid: np.ndarray, masked: np.ndarray, lines: list[list[tuple[int, int]]]
) -> list[tuple[int, int]]:
    """Hidden values that the published relations, combined, still give back.

    The line sweep stops subtraction along one row or column; combining several relations can
    still isolate a value (say column 1 gives a + c, rows give a and c as their totals, and the
    column of row totals then leaves the third total alone). A hidden value is fixed exactly when
    every solution of the homogeneous system has 0 there, i.e. its column is outside the null
    space's support.
    """
    hidden = [c for c in zip(*np.nonzero(masked), strict=True) if not np.isnan(grid[c])]
    if not hidden:
        return []
    index = {(int(i), int(j)): k for k, (i, j) in enumerate(hidden)}
    relations = []
    for line in lines:
        *cells, total = line
        if np.isnan(grid[total]):
            continue
        row = np.zeros(len(hidden))
        for c in cells:
            if c in index:
                row[index[c]] = 1.0
        if total in index:
            row[index[total]] = -1.0
        if row.any():
            relations.append(row)
    if not relations:
        return []
    _, singular, vt = np.linalg.svd(np.array(relations))
    null_space = vt[int((singular > _RANK_TOLERANCE).sum()) :]
    fixed = np.all(np.abs(null_space) < _RANK_TOLERANCE, axis=0)
    return [c for c, k in index.items() if fixed[k]]


def _protect(grid: np.ndarray, masked: np.ndarray) -> None:
    """Secondary suppression on the extended grid, in place, until no hidden value can be found.

    First the line sweep; then, while some hidden value is still fixed by the relations taken
    together, the smallest visible positive cell of its row or column (cells before totals, first
    by position) is masked too and the lines are swept again. Masking every positive value is
    always safe (the true values then solve the relations along with any multiple of them), so
    the loop ends: as a last resort the smallest visible positive value of the grid is masked.
    """
    n_rows, n_cols = grid.shape[0] - 1, grid.shape[1] - 1
    lines = _lines(n_rows, n_cols)
    _sweep(grid, masked, lines)
    while found := _determined(grid, masked, lines):
        i, j = found[0]
        row = [(i, k) for k in range(n_cols + 1) if k != j]
        col = [(k, j) for k in range(n_rows + 1) if k != i]
        near = [c for c in row + col if _visible_positive(grid, masked, c)]
        inner = [c for c in near if c[0] < n_rows and c[1] < n_cols]
        anywhere = [c for c in np.ndindex(grid.shape) if _visible_positive(grid, masked, c)]
        pool = inner or near or anywhere
        # Always non-empty: a fixed hidden value means some positive value is still visible.
        masked[min(pool, key=lambda c: grid[c])] = True
        _sweep(grid, masked, lines)


def suppress(counts: pd.DataFrame, *, threshold: int | None = None, margins: bool = True) -> SuppressedTable:
    """Mask the small counts of `counts` and, when its totals are published, protect them.

    `margins=True` (default) means row totals, column totals and the grand total are shown:
    secondary suppression then applies. With `margins=False` only the small cells are masked and
    the totals must not be shown (`row_totals()` refuses).
    """
    seuil = _resolve(threshold)
    grid = _check_counts(counts)
    n_rows, n_cols = grid.shape
    primary = _small(grid, seuil)
    if not margins:
        frame = pd.DataFrame(primary, index=counts.index, columns=counts.columns)
        return SuppressedTable(counts.copy(), frame, frame.copy(), seuil, margins=False)

    extended = np.full((n_rows + 1, n_cols + 1), np.nan)
    extended[:n_rows, :n_cols] = grid
    # min_count semantics: a row or column with no known count has no total.
    for i in range(n_rows):
        known = grid[i][~np.isnan(grid[i])]
        extended[i, n_cols] = known.sum() if known.size else np.nan
    for j in range(n_cols + 1):
        column = extended[:n_rows, j]
        known = column[~np.isnan(column)]
        extended[n_rows, j] = known.sum() if known.size else np.nan
    masked = _small(extended, seuil)
    _protect(extended, masked)

    return SuppressedTable(
        counts=counts.copy(),
        primary=pd.DataFrame(primary, index=counts.index, columns=counts.columns),
        masked=pd.DataFrame(masked[:n_rows, :n_cols], index=counts.index, columns=counts.columns),
        threshold=seuil,
        margins=True,
        row_total_masked=pd.Series(masked[:n_rows, n_cols], index=counts.index),
        col_total_masked=pd.Series(masked[n_rows, :n_cols], index=counts.columns),
        grand_total_masked=bool(masked[n_rows, n_cols]),
    )


def suppress_series(
    counts: pd.Series, *, threshold: int | None = None, total: bool = True
) -> SuppressedTable:
    """A one-column table (persons per pole, say), `total=True` when its total is published."""
    name = counts.name if counts.name is not None else "effectif"
    return suppress(counts.to_frame(name=name), threshold=threshold, margins=total)


def suppress_long(
    frame: pd.DataFrame,
    *,
    rows: str,
    columns: str,
    value: str,
    threshold: int | None = None,
    margins: bool = True,
) -> pd.DataFrame:
    """Long-form counts for charts: `frame` with `valeur_affichee`, `masque` and `libelle` added.

    The table is `rows` x `columns` (one count per pair; absent pairs are missing, not zero), so
    with `margins=True` its row and column totals may be shown. `value` keeps the private count:
    plot `valeur_affichee` and label with `libelle`, never `value`.
    """
    if frame.duplicated([rows, columns]).any():
        raise ValueError(
            f"Secret statistique : plusieurs comptages pour un même couple « {rows} » / "
            f"« {columns} » ; le tableau doit en avoir un seul par case."
        )
    wide = frame.pivot(index=rows, columns=columns, values=value)
    table = suppress(wide, threshold=threshold, margins=margins)
    values, labels = table.values(), table.labels()
    row_pos = wide.index.get_indexer(frame[rows])
    col_pos = wide.columns.get_indexer(frame[columns])
    out = frame.copy()
    out[LONG_VALUE] = values.to_numpy()[row_pos, col_pos]
    primary = table.primary.to_numpy()[row_pos, col_pos]
    masked = table.masked.to_numpy()[row_pos, col_pos]
    mask_labels = np.full(len(out), None, dtype=object)
    mask_labels[masked] = SECONDARY_LABEL
    mask_labels[primary] = table.primary_label
    # object dtype keeps None (pandas would otherwise infer a string column holding NaN).
    out[LONG_MASK] = pd.Series(mask_labels, index=out.index, dtype=object)
    out[LONG_LABEL] = labels.to_numpy()[row_pos, col_pos]
    return out

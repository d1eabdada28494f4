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
Combining several lines can still isolate a value when no single line does; such values are
found exactly (as bridges of a graph, see `_exposed`) and protected by one more masked value that
closes a cycle through them, before sweeping again. The tests attack every output with linear
algebra over all the published relations.

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
# PRIMARY_LABEL (`< 5`) is a module attribute too, computed from the file on first use
# (`__getattr__` below); `primary_label(threshold)` gives it for another threshold.
# A cell that is missing (NaN) has no count to show.
MISSING_LABEL = "–"
# Columns that `suppress_long` adds.
LONG_VALUE = "valeur_affichee"
LONG_MASK = "masque"
LONG_LABEL = "libelle"


def _check_threshold(value: object, subject: str) -> int:
    # bool is an int in Python: `seuil_petits_effectifs: oui` must not pass as 1.
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise ValueError(f"{subject} doit être un nombre entier au moins égal à 2 (valeur lue : {value!r}).")
    return value


@cache
def threshold() -> int:
    """The small-cell threshold of `ptce/reference/confidentialite.yaml` (5): counts below it are masked."""
    raw = reference.read_reference(CONFIG_FILE)
    value = raw.get(CONFIG_KEY) if isinstance(raw, dict) else None
    return _check_threshold(value, f"ptce/reference/{CONFIG_FILE} : la clé « {CONFIG_KEY} »")


def _resolve(value: int | None) -> int:
    if value is None:
        return threshold()
    return _check_threshold(value, "Secret statistique : le seuil des petits effectifs")


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


def _bridges(n_nodes: int, edges: list[tuple[int, int]]) -> set[int]:
    """Indices of the bridges of an undirected graph (edges whose removal disconnects it).

    Tarjan's low-link method, iterative so that a long table cannot exhaust Python's stack.
    """
    adjacent: list[list[tuple[int, int]]] = [[] for _ in range(n_nodes)]
    for k, (u, v) in enumerate(edges):
        adjacent[u].append((v, k))
        adjacent[v].append((u, k))
    order = [-1] * n_nodes
    low = [0] * n_nodes
    bridges: set[int] = set()
    clock = 0
    for root in range(n_nodes):
        if order[root] != -1:
            continue
        order[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(adjacent[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            for other, k in neighbours:
                if k == via:
                    continue
                if order[other] == -1:
                    order[other] = low[other] = clock
                    clock += 1
                    stack.append((other, k, iter(adjacent[other])))
                    break
                low[node] = min(low[node], order[other])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.add(via)
    return bridges


def _reach(start: int, n_nodes: int, edges: list[tuple[int, int]], skip: int) -> set[int]:
    """Nodes connected to `start` without going through edge `skip`."""
    adjacent: list[list[int]] = [[] for _ in range(n_nodes)]
    for k, (u, v) in enumerate(edges):
        if k != skip:
            adjacent[u].append(v)
            adjacent[v].append(u)
    seen, todo = {start}, [start]
    while todo:
        for other in adjacent[todo.pop()]:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _exposed(grid: np.ndarray, masked: np.ndarray) -> tuple[tuple[int, int], list] | None:
    """The first hidden value the published relations, combined, still give away, if any.

    The line sweep stops subtraction along one row or column, but combining relations can still
    isolate a value (column 1 gives a + c, rows 1 and 3 give a and c as their totals: the column
    of row totals then leaves row 2's total alone). Seen as a graph whose nodes are the grid's
    lines and whose edges are its hidden positions (position (i, j) joins line "row i" to line
    "column j"), the relations are flow conservation at every node (flipping the sign of the
    relations of the table's columns and of the row of column totals makes every position +1 in
    one line and -1 in the other). A hidden value is then fixed exactly when its edge lies on no
    cycle: when it is a bridge. Returns that position and the visible positive positions that
    would close a cycle through it (one line on each side of the bridge).
    """
    n_rows = grid.shape[0]
    hidden = [(int(i), int(j)) for i, j in zip(*np.nonzero(masked), strict=True)]
    edges = [(i, n_rows + j) for i, j in hidden]
    n_nodes = n_rows + grid.shape[1]
    bridges = _bridges(n_nodes, edges)
    if not bridges:
        return None
    first = min(bridges)  # hidden positions are in row-major order: first by position
    row_side = _reach(edges[first][0], n_nodes, edges, first)
    col_side = _reach(edges[first][1], n_nodes, edges, first)
    closing = [
        c
        for c in np.ndindex(grid.shape)
        if _visible_positive(grid, masked, c)
        and (
            (c[0] in row_side and n_rows + c[1] in col_side)
            or (c[0] in col_side and n_rows + c[1] in row_side)
        )
    ]
    return hidden[first], closing


def _protect(grid: np.ndarray, masked: np.ndarray) -> None:
    """Secondary suppression on the extended grid, in place, until no hidden value can be found.

    First the line sweep; then, while some hidden value is still fixed by the relations taken
    together (`_exposed`), the smallest visible positive value that closes a cycle through it
    (table cells before totals, first by position) is masked too and the lines are swept again.
    Masking every positive value is always safe (the true values then make a flow that uses
    every edge, so no edge is a bridge), hence the loop ends; as a last resort, when no value
    closes the cycle (zeros or missing values in the way), the smallest visible positive value
    of the grid is masked.
    """
    n_rows, n_cols = grid.shape[0] - 1, grid.shape[1] - 1
    lines = _lines(n_rows, n_cols)
    _sweep(grid, masked, lines)
    while (found := _exposed(grid, masked)) is not None:
        _, closing = found
        inner = [c for c in closing if c[0] < n_rows and c[1] < n_cols]
        anywhere = [c for c in np.ndindex(grid.shape) if _visible_positive(grid, masked, c)]
        # `anywhere` is never empty here: with every positive value hidden nothing is exposed.
        pool = inner or closing or anywhere
        masked[min(pool, key=lambda c: grid[c])] = True
        _sweep(grid, masked, lines)


def _grid_masks(grid: np.ndarray, seuil: int) -> np.ndarray:
    """The masks of the extended grid of `grid` (cells, row totals, column totals, grand total)."""
    n_rows, n_cols = grid.shape
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
    return masked


def _column_masks(counts: np.ndarray, seuil: int) -> np.ndarray:
    """`_grid_masks` of a one-column table (`counts` one value per row), in a few array operations.

    The general rule gives this result directly on one column (tests/test_small_cells.py compares
    the two on random columns). Each row total is the row's only cell and the grand total is the
    column total, so the grid's second column mirrors the first (its row lines mask one with the
    other). The column's relation (cells, then total) then holds exactly one masked value only
    when a single cell is small and the total is not (a small total has small positive cells):
    the smallest visible positive cell is masked too (first by position; there is one, since the
    total is larger than the small cell), and the column of row totals makes the same choice on
    the same values. Two masked rows or more, each masked in both columns, lie on a cycle of the
    relations' graph: nothing is exposed (`_exposed`), the sweep ends there. Returns the extended
    grid's masks, shape (rows + 1, 2).
    """
    n_rows = counts.shape[0]
    known = ~np.isnan(counts)
    total = counts[known].sum() if known.any() else np.nan
    cells = _small(counts, seuil)
    total_masked = bool(_small(np.array([total]), seuil)[0])
    if not np.isnan(total) and int(cells.sum()) + total_masked == 1:
        # argmin returns the first of equal values: first by position, as `_sweep` picks.
        candidates = known & ~cells & (counts > 0)
        cells[int(np.argmin(np.where(candidates, counts, np.inf)))] = True
    masked = np.empty((n_rows + 1, 2), dtype=bool)
    masked[:n_rows, 0] = masked[:n_rows, 1] = cells
    masked[n_rows, :] = total_masked
    return masked


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

    masked = _column_masks(grid[:, 0], seuil) if n_cols == 1 else _grid_masks(grid, seuil)

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
    if frame[[rows, columns]].isna().any().any():
        raise ValueError(
            f"Secret statistique : « {rows} » et « {columns} » doivent être renseignés sur "
            f"chaque ligne (une case sans ligne ou sans colonne ne peut pas être protégée)."
        )
    wide = frame.pivot(index=rows, columns=columns, values=value)
    table = suppress(wide, threshold=threshold, margins=margins)
    values, labels = table.values(), table.labels()
    row_pos = wide.index.get_indexer(frame[rows])
    col_pos = wide.columns.get_indexer(frame[columns])
    out = frame.copy()
    out[LONG_VALUE] = values.to_numpy()[row_pos, col_pos]
    primary = table.primary.to_numpy(dtype=bool)[row_pos, col_pos]
    masked = table.masked.to_numpy(dtype=bool)[row_pos, col_pos]
    mask_labels = np.full(len(out), None, dtype=object)
    mask_labels[masked] = SECONDARY_LABEL
    mask_labels[primary] = table.primary_label
    # object dtype keeps None (pandas would otherwise infer a string column holding NaN).
    out[LONG_MASK] = pd.Series(mask_labels, index=out.index, dtype=object)
    out[LONG_LABEL] = labels.to_numpy()[row_pos, col_pos]
    return out

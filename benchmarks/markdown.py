"""BENCHMARKS.md pieces: Markdown tables, French figures, ratios and verdicts against a target (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from ptce.fmt import fmt_number

MET = "atteinte"
MISSED = "manquée"
NO_TARGET = "—"


def cell(text: object) -> str:
    """A table cell: a `|` would end the cell and a line break the row, so both are neutralised."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip()


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (GitHub flavour); every row has as many cells as there are headers."""
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"ligne de {len(row)} cellules pour {len(headers)} colonnes : {row!r}")
    lines = [
        "| " + " | ".join(cell(h) for h in headers) + " |",
        "|" + "|".join(" --- " for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def seconds(value: float | None) -> str:
    """`0.0123` -> `12,3 ms`; `3.456` -> `3,46 s`; `123.4` -> `2 min 03 s`."""
    if value is None:
        return "–"
    if value < 1:
        return f"{fmt_number(value * 1000, decimals=1)} ms"
    if value < 100:
        return f"{fmt_number(value, decimals=2)} s"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest:02d} s"


def size(value: int | None) -> str:
    """Bytes in binary units, as memory is counted: `1536 * 2**20` -> `1,5 Gio`."""
    if value is None:
        return "–"
    for unit, power in (("Gio", 30), ("Mio", 20), ("Kio", 10)):
        if value >= 2**power:
            return f"{fmt_number(value / 2**power, decimals=1)} {unit}"
    return f"{value} o"


def ratio(value: float | None) -> str:
    """`3.14159` -> `3,1×`; `0.5` -> `0,5×`."""
    return "–" if value is None else f"{fmt_number(value, decimals=1)}×"


def safe_ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def verdict(value: float | None, limit: float | None) -> str:
    """`atteinte` when `value` <= `limit`, `manquée` above; `—` without a target or a value."""
    if limit is None or value is None:
        return NO_TARGET
    return MET if value <= limit else MISSED

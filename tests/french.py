"""Expected French texts for tests, written independently of `ptce.fmt` (the code under test).

Tests compare what a page shows with these, so that a bug in the formatting functions cannot make
both sides of an assertion wrong in the same way.
"""

from __future__ import annotations

NNBSP = "\u202f"  # the French thousands separator (narrow no-break space)


def fr_int(n: int) -> str:
    """A whole number as the French locale writes it: 1 234 567."""
    return f"{int(n):,}".replace(",", NNBSP)


def fr_percent(ratio: float, decimals: int = 1) -> str:
    """A ratio as a French percentage: 0.625 -> "62,5 %"."""
    return f"{ratio * 100:.{decimals}f}".replace(".", ",") + " %"

"""French formatting (`ptce.fmt`), pinned on literal strings: `1 234,5`, `62,4 %`, `23/11/2026`.

The thousands separator is the narrow no-break space (U+202F) of the French locale, the decimal mark
a comma; a missing value is an en dash, never 0.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from babel.numbers import format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from ptce.fmt import (
    fmt_count,
    fmt_date,
    fmt_datetime,
    fmt_delta,
    fmt_number,
    fmt_percent,
    fmt_period,
    fmt_value,
)

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, f"1{NNBSP}234,5"),
        (1234.5, 0, f"1{NNBSP}234"),  # rounded half to even, as babel does: 1 234
        (3777, 0, f"3{NNBSP}777"),
        (-1234567, 0, f"-1{NNBSP}234{NNBSP}567"),
        (0.25, 2, "0,25"),
        (12, 0, "12"),
        (None, 0, "–"),
        (float("nan"), 1, "–"),
    ],
)
def test_numbers(value: float | None, decimals: int, expected: str) -> None:
    assert fmt_number(value, decimals=decimals) == expected


def test_percentages_and_changes() -> None:
    assert fmt_percent(0.6243) == "62,4 %"
    assert fmt_percent(1) == "100,0 %"
    assert fmt_percent(None) == "–"
    assert fmt_delta(0.063) == "+6,3 %"
    assert fmt_delta(-0.1) == "-10,0 %"
    assert fmt_delta(None) == "–"


@pytest.mark.parametrize(
    ("value", "unite", "expected"),
    [
        (2.5, "ETP", "2,5"),
        (1250.25, "heures", f"1{NNBSP}250,2"),  # hours keep one decimal, rounded half to even
        (0.629, "%", "62,9 %"),
        (1.0, "oui/non", "oui"),
        (0.0, "oui/non", "non"),
        (None, "personnes", "–"),
    ],
)
def test_values_by_unit(value: float | None, unite: str, expected: str) -> None:
    assert fmt_value(value, unite) == expected


def test_dates_and_periods() -> None:
    assert fmt_date(date(2026, 11, 23)) == "23/11/2026"
    assert fmt_datetime(datetime(2026, 11, 23, 8, 5)) == "23/11/2026 à 08:05"
    assert fmt_date(None) == "–"
    assert fmt_period(2016, 3) == "T3 2016"
    assert fmt_period(2016, None) == "2016"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0 visite tenue"),
        (1, 0, "1 visite tenue"),
        (1.5, 1, "1,5 visite tenue"),
        (2, 0, "2 visites tenues"),
        (9.33, 1, "9,3 visites tenues"),
        (1234, 0, "1\u202f234 visites tenues"),
    ],
)
def test_count_agrees_in_number_the_french_way(value: float, decimals: int, expected: str) -> None:
    assert fmt_count(value, "visite tenue", "visites tenues", decimals=decimals) == expected


# `fmt_number` and `fmt_percent` write digits themselves (Babel's generic pattern code costs about
# 25 µs a cell, and a page at national scale writes 100,000 cells): Babel stays the reference.
@settings(max_examples=400, deadline=None)
@given(
    value=st.one_of(
        st.floats(allow_nan=False, min_value=-1e18, max_value=1e18),
        st.integers(min_value=-(10**15), max_value=10**15),
        st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False).map(float),
    ),
    decimals=st.integers(min_value=0, max_value=3),
)
def test_numbers_are_written_as_babel_writes_them(value: float, decimals: int) -> None:
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    assert fmt_number(value, decimals) == format_decimal(value, format=pattern, locale="fr_FR")
    percent = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
    assert fmt_percent(value, decimals) == format_percent(value, format=percent, locale="fr_FR")


@pytest.mark.parametrize(
    "value", [2.675, 1.005, 0.125, -0.04, -0.0, 999.95, 1e21, 123456789012345678901234.5]
)
def test_half_even_rounding_and_edge_values_match_babel(value: float) -> None:
    for decimals in (0, 1, 2):
        pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
        assert fmt_number(value, decimals) == format_decimal(value, format=pattern, locale="fr_FR")


def test_infinity_is_left_to_babel() -> None:
    assert fmt_number(float("inf")) == format_decimal(float("inf"), format="#,##0", locale="fr_FR")

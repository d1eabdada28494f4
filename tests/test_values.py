"""French number and period parsing, including property-based checks."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.shared.values import (
    PercentCell,
    ValueProblem,
    is_missing,
    parse_number,
    parse_period,
    parse_quarter,
    reading_problem,
    shorten_quotes,
    truncate_text,
)
from ptce.reference import load_catalog

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("1\u202f234", 1234.0),
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("45 %", 0.45),
        ("12,5%", 0.125),
        ("+4", 4.0),
        ("-3", -3.0),
        (" 7 ", 7.0),
        ("1 234 567", 1234567.0),
        ("1.234.567", 1234567.0),
        (42, 42.0),
        (3.5, 3.5),
    ],
)
def test_parse_number(text: object, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["douze", "12 ans", "1,2,3", "12..5", "1.23.4", "--3", "%", True])
def test_parse_number_rejects_text(text: object) -> None:
    with pytest.raises(ValueProblem) as err:
        parse_number(text)
    assert "nombre" in err.value.reason


@pytest.mark.parametrize("text", ["", "  ", None, "NC", "n.c.", "N/D", "-", "—", "non renseigné", "?"])
def test_missing_markers(text: object) -> None:
    assert is_missing(text)


@pytest.mark.parametrize("text", ["0", 0, "0,0", "zéro?"])
def test_zero_is_not_missing(text: object) -> None:
    assert not is_missing(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (2016, (2016, None)),
        (2016.0, (2016, None)),
        ("2016", (2016, None)),
        ("2016-T3", (2016, 3)),
        ("T3 2016", (2016, 3)),
        ("t3-2016", (2016, 3)),
        ("2016 T1", (2016, 1)),
        ("2016Q2", (2016, 2)),
        ("3e trimestre 2016", (2016, 3)),
        ("1er trimestre 2017", (2017, 1)),
        ("Trimestre 4 2017", (2017, 4)),
    ],
)
def test_parse_period(text: object, expected: tuple[int, int | None]) -> None:
    assert parse_period(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2016-T5", "non reconnue"),
        ("2016-S1", "non reconnue"),
        ("31/12/2016", "non reconnue"),
        (date(2016, 12, 31), "date"),
        ("2027", "futur"),
        ("2009", "hors du champ"),
        (None, "vide"),
    ],
)
def test_parse_period_rejects(text: object, fragment: str) -> None:
    with pytest.raises(ValueProblem) as err:
        parse_period(text, today=TODAY)
    assert fragment in err.value.reason


def test_current_quarter_is_accepted_but_not_the_next() -> None:
    assert parse_period("T4 2026", today=TODAY) == (2026, 4)
    with pytest.raises(ValueProblem, match="futur"):
        parse_period("T4 2026", today=date(2026, 8, 1))


@pytest.mark.parametrize(("text", "expected"), [("T3", 3), (2, 2), ("4e trimestre", 4), ("", None)])
def test_parse_quarter(text: object, expected: int | None) -> None:
    assert parse_quarter(text) == expected


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_french_formatted_numbers_round_trip(value) -> None:
    """Any number written the French way (space thousands, decimal comma) reads back exactly."""
    integer, _, decimals = f"{abs(value):.2f}".partition(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    text = ("-" if value < 0 else "") + "\u00a0".join(groups) + "," + decimals
    assert parse_number(text) == pytest.approx(float(value))


@given(st.text(max_size=30))
def test_parse_number_raises_only_value_problem(text: str) -> None:
    try:
        result = parse_number(text)
    except ValueProblem:
        return
    assert result == result  # not NaN


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True)))
def test_parse_period_raises_only_value_problem(value: object) -> None:
    try:
        year, quarter = parse_period(value, today=TODAY)
    except ValueProblem:
        return
    assert 2010 <= year <= 2026 and quarter in {None, 1, 2, 3, 4}


# --- numbers whose reading is a guess (issue #8, item 6) ----------------------------------------

CATALOG = load_catalog()


def _indicator(code: str, unite: str | None = None):
    indicator = CATALOG.get(code)
    return dataclasses.replace(indicator, unite=unite) if unite else indicator


@pytest.mark.parametrize(
    ("value", "code", "decimal_comma", "fragment"),
    [
        ("1.234", "salaries", True, "« 1.234 » ambigu : 1\u202f234 avec un point séparateur de milliers"),
        ("1.234", "salaries", True, "écrire 1\u202f234 sans point"),
        ("-1.500", "etp", True, "écrire 1\u202f500 (sans point) ou 1,500 (virgule décimale)"),
        ("12.500", "heures_formation", True, "ambigu"),
        ("50 %", "etp", True, "signe % alors que « Équivalents temps plein des membres » se compte en ETP"),
        ("12,5 %", "salaries", True, "la valeur serait lue 0,125"),
        ("1e3", "membres", True, "« 1e3 » est en notation scientifique (lue 1\u202f000)"),
        ("2,5E+2", "membres", True, "notation scientifique"),
        ("1E400", "membres", True, "notation scientifique (nombre démesuré)"),
        ("1,234", "salaries", False, "« 1,234 » ambigu dans ce fichier séparé par des virgules"),
        (PercentCell(0.5), "etp", True, "cellule au format pourcentage (50 %, soit 0,5)"),
    ],
)
def test_numbers_read_on_a_guess_are_refused_with_the_readings(
    value: object, code: str, decimal_comma: bool, fragment: str
) -> None:
    reason = reading_problem(value, _indicator(code), decimal_comma=decimal_comma)
    assert reason is not None and fragment in reason, reason


@pytest.mark.parametrize(
    ("value", "code", "decimal_comma"),
    [
        ("1 234,5", "heures_formation", True),
        ("1\u00a0234", "salaries", True),
        ("12,5", "etp", True),
        ("1.5", "etp", True),
        ("0.125", "etp", True),
        ("1.234.567", "salaries", True),
        ("1.234,5", "heures_formation", True),
        ("1,234.5", "heures_formation", True),
        ("1234.5", "heures_formation", False),  # a comma-separated export from a tool
        ("1.250", "etp", False),  # a tool's decimal point
        ("12,5", "etp", False),  # quoted decimal comma in a comma file: one digit, not a thousands group
        ("12,5 %", "taux_test", True),  # a percentage indicator takes a % sign
        (PercentCell(0.125), "taux_test", True),
        (1234.5, "heures_formation", True),  # a number cell is a number
        ("douze", "salaries", True),  # not a number at all: parse_number explains
        ("NC", "salaries", True),
    ],
)
def test_unambiguous_numbers_are_read(value: object, code: str, decimal_comma: bool) -> None:
    indicator = _indicator("etp", "%") if code == "taux_test" else _indicator(code)
    assert reading_problem(value, indicator, decimal_comma=decimal_comma) is None


# --- spreadsheet floating point (issue #8, item 9) ----------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (30.000000000000004, 30.0),
        (2.9999999999999996, 3.0),
        (0.1 + 0.2, 0.3),
        ("0.30000000000000004", 0.3),
        (1234567.0000000002, 1234567.0),
        (12.5, 12.5),
        (1e30, 1e30),
    ],
)
def test_numbers_keep_the_digits_a_spreadsheet_shows(value: object, expected: float) -> None:
    assert parse_number(value) == expected  # exactly: what is stored is what Excel displays


# --- long texts (issue #8, item 10) --------------------------------------------------------------


def test_long_texts_are_cut_with_a_visible_marker() -> None:
    text = "x" * 40_000
    cut = truncate_text(text, 300)
    assert cut == "x" * 300 + " … [tronqué, 40\u202f000 caractères]"
    assert truncate_text(cut, 300) == cut  # cut once: the marker keeps the original length
    assert truncate_text("court", 300) == "court"
    message = f"valeur « {text} » non numérique : saisir un nombre"
    short = shorten_quotes(message, 300)
    assert short.startswith("valeur « xxx") and short.endswith(
        "caractères] » non numérique : saisir un nombre"
    )
    assert len(short) < 400


def test_targets_may_be_for_a_later_year_actual_values_may_not() -> None:
    """Targets are in the future by nature; the future-period rule is for actual values only."""
    assert parse_period("2030", today=TODAY, target=True) == (2030, None)
    assert parse_period(2030.0, today=TODAY, target=True) == (2030, None)
    with pytest.raises(ValueProblem, match="futur"):
        parse_period("2030", today=TODAY)
    # A mistyped year (2062 for 2026) is still caught: targets stop at the planning horizon.
    with pytest.raises(ValueProblem, match="horizon"):
        parse_period("2062", today=TODAY, target=True)
    with pytest.raises(ValueProblem, match="hors du champ"):
        parse_period("2009", today=TODAY, target=True)

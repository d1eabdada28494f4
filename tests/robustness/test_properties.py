"""Property-based tests of every parser: whatever the input, only the project's own errors.

Value parsers raise nothing but `ValueProblem`; readers nothing but `IngestionError`; the file parser
nothing at all, with conservation of rows and only sound values loaded. Examples are kept modest
(this folder runs in well under a minute) and deterministic (`derandomize`), so CI is stable.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipelines.indicators.parser import IndicatorFileParser
from pipelines.shared.readers import decode_text, read_csv, read_tabular, read_xlsx, sniff_delimiter
from pipelines.shared.results import IngestionError
from pipelines.shared.values import (
    EXCEL_ERRORS,
    FormulaCell,
    ValueProblem,
    is_missing,
    parse_number,
    parse_period,
    parse_quarter,
)
from ptce.reference import load_catalog
from tests.robustness.test_corpus import assert_quarantine_reasons, assert_record_is_sound

TODAY = date(2026, 11, 23)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FEW = settings(SETTINGS, max_examples=60)

# Any cell value a reader can hand over: text, numbers (huge, NaN, infinite), dates, formulas.
CELLS = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.builds(FormulaCell, st.text(max_size=10).map(lambda t: "=" + t)),
    st.sampled_from(["#N/A", "#DIV/0!", "=1+1", "(5)", "\u22123", "1e400", "NC", "1 234,5", "12 15"]),
)
FRENCH_LETTERS = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'-éèêëàâçîïôûùüÉÈÀÇÔ"


def _tmp(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    # A folder of their own: a generated « x.csv » at the root of the session's temporary folder
    # looked like a path-traversal escape to the deposit test that checks nothing lands there.
    folder = tmp_path_factory.getbasetemp() / "proprietes"
    folder.mkdir(exist_ok=True)
    return folder / name


# --- values -------------------------------------------------------------------------------------


@SETTINGS
@given(CELLS)
def test_parse_number_raises_only_value_problem_and_gives_finite_numbers(value: object) -> None:
    try:
        number = parse_number(value)
    except ValueProblem as exc:
        assert exc.reason
        return
    assert isinstance(number, float) and math.isfinite(number)


@SETTINGS
@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from([" ", "\u00a0", "\u202f", ""]))
def test_integers_written_the_french_way_read_back(value: int, space: str) -> None:
    digits = f"{abs(value):,}".replace(",", space)
    assert parse_number(("-" if value < 0 else "") + digits) == value


@SETTINGS
@given(
    st.integers(min_value=1, max_value=999),
    st.integers(min_value=0, max_value=10**6).map(str).filter(lambda s: len(s) != 3),
)
def test_two_numbers_separated_by_a_space_are_not_one(first: int, second: str) -> None:
    """ "12 15" is two numbers, not 1215: only groups of three digits follow a thousands space."""
    with pytest.raises(ValueProblem):
        parse_number(f"{first} {second}")


@SETTINGS
@given(CELLS)
def test_parse_period_gives_a_valid_period_or_a_value_problem(value: object) -> None:
    try:
        year, quarter = parse_period(value, today=TODAY)
    except ValueProblem as exc:
        assert exc.reason
        return
    assert 2010 <= year <= TODAY.year and quarter in {None, 1, 2, 3, 4}
    if year == TODAY.year and quarter is not None:
        assert quarter <= (TODAY.month - 1) // 3 + 1


@SETTINGS
@given(
    st.integers(min_value=2010, max_value=TODAY.year - 1),
    st.integers(min_value=1, max_value=4),
    st.sampled_from(["{y}-T{q}", "T{q} {y}", "{y}T{q}", "t{q}-{y}", "{q}e trimestre {y}", "{y} Q{q}"]),
)
def test_quarters_read_back(year: int, quarter: int, pattern: str) -> None:
    assert parse_period(pattern.format(y=year, q=quarter), today=TODAY) == (year, quarter)


@SETTINGS
@given(st.integers(min_value=TODAY.year + 1, max_value=2099))
def test_future_years_are_refused(year: int) -> None:
    with pytest.raises(ValueProblem, match="futur"):
        parse_period(str(year), today=TODAY)


@SETTINGS
@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)))
def test_dates_in_the_period_column(day: date) -> None:
    """A date is refused with advice, unless it is a year typed into a date-formatted cell."""
    serial = (day - date(1899, 12, 30)).days
    try:
        assert parse_period(datetime(day.year, day.month, day.day), today=TODAY) == (serial, None)
    except ValueProblem as exc:
        assert "date" in exc.reason or "futur" in exc.reason or "hors du champ" in exc.reason


@SETTINGS
@given(CELLS)
def test_parse_quarter_gives_one_to_four_none_or_a_value_problem(value: object) -> None:
    try:
        quarter = parse_quarter(value)
    except ValueProblem:
        return
    assert quarter in {None, 1, 2, 3, 4}


@SETTINGS
@given(CELLS)
def test_is_missing_never_raises_and_numbers_are_never_missing(value: object) -> None:
    missing = is_missing(value)
    assert isinstance(missing, bool)
    if missing:
        with pytest.raises(ValueProblem):
            parse_number(value)
    if isinstance(value, FormulaCell) or (isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS):
        assert not missing  # a failed or uncomputed formula is reported, never taken as "no figure"


# --- decoding and separators --------------------------------------------------------------------


@SETTINGS
@given(st.binary(max_size=400))
def test_decode_text_raises_only_ingestion_error(data: bytes) -> None:
    try:
        text, encoding = decode_text(data, "x.csv")
    except IngestionError as exc:
        assert exc.message.startswith("x.csv : ")
        return
    assert isinstance(text, str) and encoding


TEXT_LINES = st.lists(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=20),
    min_size=1,
    max_size=6,
).map(lambda lines: "\n".join(lines))


@SETTINGS
@given(TEXT_LINES)
def test_utf8_and_utf16_text_decode_back(text: str) -> None:
    assume(not text.startswith("\ufeff"))
    assert decode_text(text.encode("utf-8"), "x")[0] == text
    assert decode_text(text.encode("utf-16"), "x")[0] == text


@SETTINGS
@given(st.lists(st.tuples(st.text(FRENCH_LETTERS, max_size=20), st.booleans()), min_size=1, max_size=8))
def test_mixed_utf8_and_cp1252_lines_decode_back(lines: list[tuple[str, bool]]) -> None:
    """Each line may come from a UTF-8 or a CP1252 export: every line reads back right."""
    data = b"".join((line + "\n").encode("utf-8" if utf8 else "cp1252") for line, utf8 in lines)
    assert decode_text(data, "x")[0] == "".join(line + "\n" for line, _ in lines)


@SETTINGS
@given(st.text(max_size=300))
def test_sniff_delimiter_always_answers_a_separator(text: str) -> None:
    assert sniff_delimiter(text) in {";", ",", "\t", "|"}


@SETTINGS
@given(
    st.sampled_from([";", ",", "\t", "|"]),
    st.integers(min_value=2, max_value=6),
    st.lists(st.text("abcdefghij0123456789 éà", min_size=1, max_size=8), min_size=2, max_size=60),
)
def test_sniff_delimiter_finds_the_separator_of_a_regular_table(
    sep: str, width: int, cells: list[str]
) -> None:
    rows = [cells[i : i + width] for i in range(0, len(cells) - width + 1, width)]
    assume(rows and any(c.strip() for row in rows for c in row))
    rows = [[c if c.strip() else "x" for c in row] for row in rows]
    assert sniff_delimiter("\n".join(sep.join(row) for row in rows)) == sep


# --- readers ------------------------------------------------------------------------------------


@SETTINGS
@given(st.one_of(st.binary(max_size=600), TEXT_LINES.map(lambda t: t.encode("utf-8"))))
def test_read_csv_raises_only_ingestion_error(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = _tmp(tmp_path_factory, "arbitraire.csv")
    path.write_bytes(data)
    try:
        sheets, details = read_csv(path, "raw/indicateurs/arbitraire.csv")
    except IngestionError as exc:
        assert exc.message.startswith("raw/indicateurs/arbitraire.csv : ")
        return
    numbers = [n for n, _ in sheets[0].rows]
    assert numbers == sorted(set(numbers)) and all(n >= 1 for n in numbers)
    assert details["separator"]


def _valid_xlsx(compression: int) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Observatoire"])
    ws.append(["Pôle : PHARES"])
    ws.append(["Année", "Salariés des structures membres", "ETP mutualisés", "Entrées en parcours"])
    ws.append([2018, 120, "3,5", "=B4+1"])
    ws.append([2019, 130, 4, None])
    ws.merge_cells("A1:D1")
    hidden = wb.create_sheet("Cachée")
    hidden.append(["pole", "periode", "indicateur", "valeur"])
    hidden.append(["PHARES", 2018, "membres", 3])
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    if compression == zipfile.ZIP_DEFLATED:
        return buffer.getvalue()
    # Stored (uncompressed) members: mutations then reach the XML instead of the compressed stream.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
    return out.getvalue()


VALID_XLSX = {
    name: _valid_xlsx(c) for name, c in (("deflated", zipfile.ZIP_DEFLATED), ("stored", zipfile.ZIP_STORED))
}


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with a few flipped, deleted or inserted bytes, or truncated."""
    data = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "overwrite"]))
        pos = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif kind == "delete":
            del data[pos : pos + draw(st.integers(min_value=1, max_value=64))]
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "truncate":
            del data[pos:]
        else:
            chunk = draw(
                st.sampled_from([b"<", b">", b'"', b"\x00", b"999999999", b"<f>", b"</c>", b"r=", b"A1:"])
            )
            data[pos : pos + len(chunk)] = chunk
    return bytes(data)


@st.composite
def mutated_xlsx(draw: st.DrawFn) -> bytes:
    """A valid workbook damaged at the byte level, or with one XML member damaged and re-zipped."""
    original = VALID_XLSX[draw(st.sampled_from(sorted(VALID_XLSX)))]
    if draw(st.booleans()):
        return draw(mutated_bytes(original))
    source = zipfile.ZipFile(io.BytesIO(original))
    names = source.namelist()
    target_name = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            content = source.read(name)
            target.writestr(name, draw(mutated_bytes(content)) if name == target_name else content)
    return out.getvalue()


def _check_xlsx_reader(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        sheets, _ = read_xlsx(path, "raw/indicateurs/classeur.xlsx")
    except IngestionError as exc:
        assert exc.message.startswith("raw/indicateurs/classeur.xlsx : ")
        return
    for sheet in sheets:
        numbers = [n for n, _ in sheet.rows]
        assert numbers == sorted(set(numbers))


@FEW
@given(st.binary(max_size=2000))
def test_read_xlsx_arbitrary_bytes_raise_only_ingestion_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    _check_xlsx_reader(_tmp(tmp_path_factory, "classeur.xlsx"), data)


@SETTINGS
@given(mutated_xlsx())
def test_read_xlsx_mutated_workbooks_raise_only_ingestion_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    _check_xlsx_reader(_tmp(tmp_path_factory, "classeur.xlsx"), data)


@FEW
@given(mutated_xlsx(), st.sampled_from(["x.xlsx", "x.csv", "x.xls", "x.txt"]))
def test_read_tabular_any_extension_raises_only_ingestion_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str
) -> None:
    path = _tmp(tmp_path_factory, name)
    path.write_bytes(data)
    with contextlib.suppress(IngestionError):
        read_tabular(path, name)


# --- the indicator file parser on generated CSV files --------------------------------------------

CATALOG = load_catalog()
PARSER = IndicatorFileParser()
HEADER_TOKENS = [
    "pole",
    "Pôle",
    "N° pôle",
    "periode",
    "Période",
    "Année",
    "Trimestre",
    "indicateur",
    "Code indicateur",
    "Libellé",
    "valeur",
    "Valeur",
    "commentaire",
    "membres",
    "Salariés des structures membres",
    "etp",
    "sorties",
    "representation_salaries",
    "chiffre_affaires",
    "",
    "Total",
]
CELL_TOKENS = [
    # poles, valid and not
    "PHARES",
    "3",
    "Bou'Sol",
    "Pôle Sud Aquitain",
    "Pôle Nord",
    "13",
    # periods
    "2018",
    "2019-T3",
    "T2 2020",
    "2099",
    "2009",
    "31/12/2019",
    "T5",
    "T1",
    # indicators
    "membres",
    "etp",
    "salaries",
    "Entrées en parcours",
    "taux_sortie_dynamique",
    "chiffre",
    # values
    "12",
    "0",
    "1 234,5",
    "12,5",
    "-4",
    "douze",
    "1e15",
    "1e400",
    "=1+1",
    "#N/A",
    "NC",
    "",
    "2",
    "(5)",
    "12 15",
]


@st.composite
def indicator_csv(draw: st.DrawFn) -> tuple[bytes, list[list[str]]]:
    """A CSV indicator file from a vocabulary of good and bad headers and cells; also its rows."""
    width = draw(st.integers(min_value=1, max_value=6))
    header = draw(st.lists(st.sampled_from(HEADER_TOKENS), min_size=width, max_size=width))
    rows = draw(
        st.lists(
            st.lists(st.sampled_from(CELL_TOKENS), min_size=0, max_size=width + 1),
            max_size=12,
        )
    )
    sep = draw(st.sampled_from([";", ",", "\t", "|"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding), [header, *rows]


@SETTINGS
@given(indicator_csv(), st.sampled_from(["pole_inconnu.csv", "PHARES_2019.csv", "export.xlsx"]))
def test_parser_on_generated_csv_files(
    tmp_path_factory: pytest.TempPathFactory, generated: tuple[bytes, list[list[str]]], name: str
) -> None:
    data, rows = generated
    path = _tmp(tmp_path_factory, name)
    path.write_bytes(data)
    source = f"raw/indicateurs/{name}"
    result = PARSER.parse(path, source)  # never raises
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    if result.error is not None:
        assert result.error.startswith(f"{source} : ")
        assert not result.records and not result.quarantine
        return
    assert_quarantine_reasons(result)
    keys = set()
    for record in result.records:
        assert_record_is_sound(record)
        key = (record["pole_id"], record["annee"], record["trimestre"], record["code"])
        assert key not in keys
        keys.add(key)
        # No invented value: it is what some cell of its row says.
        cells = rows[record["row_number"] - 1]
        readable = set()
        for cell in cells:
            with contextlib.suppress(ValueProblem):
                readable.add(parse_number(cell))
        assert record["valeur"] in readable
    quarantined = {q.row_number for q in result.quarantine}
    assert not quarantined & {r["row_number"] for r in result.records}


@FEW
@given(st.lists(st.sampled_from(CELL_TOKENS), min_size=1, max_size=5), st.integers(min_value=0, max_value=40))
def test_parser_on_generated_xlsx_files(
    tmp_path_factory: pytest.TempPathFactory, row: list[str], shift: int
) -> None:
    """Wide and long workbooks with typed cells (numbers, dates, formulas): the same guarantees."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Pôle", "Période", "Indicateur", "Valeur", "Commentaire"])
    cells: list[object] = []
    for token in row:
        try:
            cells.append(parse_number(token) if token.strip() and not token.startswith("=") else token)
        except ValueProblem:
            cells.append(token)
    ws.append(cells)
    ws.append(["PHARES", datetime(2018, 1, 1) + timedelta(days=shift * 30), "membres", 3])
    path = _tmp(tmp_path_factory, "genere.xlsx")
    wb.save(path)
    result = PARSER.parse(path, "raw/indicateurs/genere.xlsx")
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert_quarantine_reasons(result)
    for record in result.records:
        assert_record_is_sound(record)

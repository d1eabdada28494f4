"""Parsing of cell values as French offices write them: numbers, periods, missing markers.

Each parser returns the value or raises `ValueProblem` with a French reason; callers turn that into a
quarantine row naming the file, row and field. `reading_problem` says when a written number can be
read two ways for its indicator's unit (`1.234`, `50 %` of a head count, `1e3`): such a value is
refused with the possible readings rather than loaded on a guess. Numbers are kept to the 15
significant digits a spreadsheet shows, so Excel's 30.000000000000004 is the 30 it displays.
Long texts are cut with a visible marker (`truncate_text`) before they are quoted or stored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from ptce.fmt import fmt_number
from ptce.reference import Indicator
from ptce.text import normalize_key, strip_accents, truncate_text

FIRST_YEAR = 2010  # the community started in 2015; earlier figures may serve as baselines
# Targets are set for years to come (multi-year plans run to 2030 and so on); further out than this
# is taken for a mistyped year (2062 for 2026) rather than a plan.
TARGET_HORIZON_YEARS = 15


def last_target_year(today: date) -> int:
    """The last year a target may be set for."""
    return today.year + TARGET_HORIZON_YEARS


# Written where a figure is unknown. Empty means missing, never zero (SPEC §2).
MISSING_MARKERS = {
    "",
    "nc",
    "nd",
    "na",
    "nr",
    "sd",
    "nonrenseigne",
    "nondisponible",
    "nonconnu",
    "inconnu",
}
_DASHES = {"-", "–", "—", "?", "/", "x"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009']")
_GROUPS_OF_THREE = re.compile(r"^\d{1,3}(\d{3})+$")
_PLAIN_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
# Spreadsheets compute in binary floating point and show 15 significant digits.
SIGNIFICANT_DIGITS = 15
# A written number, without its spaces, sign and parentheses, whose reading is a guess.
_SCIENTIFIC = re.compile(r"(\d+([.,]\d*)?|[.,]\d+)[eE][-+]?\d+%?")
_DOT_THEN_THREE = re.compile(r"[1-9]\d{0,2}\.\d{3}%?")
_COMMA_THEN_THREE = re.compile(r"[1-9]\d{0,2},\d{3}%?")
_QUOTED = re.compile(r"«\s?(.*?)\s?»", re.S)
PERCENT_UNITS = {"%"}


# Error values Excel stores in a cell whose formula failed (English codes in the file, French on screen).
EXCEL_ERRORS = {
    "#NULL!",
    "#NUL!",
    "#DIV/0!",
    "#VALUE!",
    "#VALEUR!",
    "#REF!",
    "#NAME?",
    "#NOM?",
    "#NUM!",
    "#NOMBRE!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
}
_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_TEXTS = (
    re.compile(r"^\d{1,2}[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),  # 31/12/2016
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-\d{1,2}$"),  # 2016-12-31
)


class ValueProblem(ValueError):
    """A cell that cannot be taken as it is; `reason` is French."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FormulaCell:
    """An XLSX cell holding a formula whose result was never computed (no cached value).

    Files written by programs (openpyxl, some exports) store the formula only; Excel computes and
    stores the result when the file is opened and saved. Such a cell is neither a value nor missing.
    """

    formula: str

    def __str__(self) -> str:
        return self.formula


class PercentCell(float):
    """A number from an XLSX cell formatted as a percentage: stored 0.5, shown « 50 % » in Excel."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{format(float(self) * 100, '.12g').replace('.', ',')} %"


def shorten_quotes(message: str, limit: int) -> str:
    """A message whose « quoted » file contents are each cut to `limit` characters.

    Messages quote what the sender wrote (`valeur « … » non numérique`); the quote is the only part
    of a message that can be arbitrarily long, the explanation and the advice around it are kept.
    """
    if len(message) <= limit:
        return message
    return _QUOTED.sub(
        lambda m: f"« {truncate_text(m.group(1), limit)} »" if len(m.group(1)) > limit else m.group(0),
        message,
    )


def formula_reason(value: object) -> str | None:
    """French reason when `value` is a formula (uncomputed XLSX formula, or `=…` text in a CSV)."""
    if isinstance(value, FormulaCell):
        return (
            f"formule « {value.formula} » sans valeur calculée : ouvrir le fichier dans Excel (ou "
            "LibreOffice) et l'enregistrer pour que les valeurs soient calculées, ou saisir la valeur"
        )
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text[:1] == "=" and len(text) > 1:
        return (
            f"formule « {text} » à la place d'une valeur (elle n'est pas calculée dans ce "
            "fichier) : saisir la valeur elle-même, ou enregistrer le fichier depuis Excel"
        )
    if text[:1] == "#" and text.upper() in EXCEL_ERRORS:
        return (
            f"erreur Excel « {text} » dans la cellule : corriger la formule ou saisir la "
            "valeur (laisser vide si elle est inconnue)"
        )
    return None


def header_roles(cells: list[object], by_key: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    """A header row's columns by role (`by_key`: normalised title -> role), and the titles left.

    The first column of a role wins; a repeated or unknown title is listed as ignored, so the
    ledger can say which columns were not read.
    """
    roles: dict[str, int] = {}
    ignored: list[str] = []
    for idx, cell in enumerate(cells):
        text = cell_text(cell)
        if not text:
            continue
        role = by_key.get(normalize_key(text))
        if role is None or role in roles:
            ignored.append(text)
        else:
            roles[role] = idx
    return roles, ignored


def cell_text(value: object) -> str:
    """A cell as the sender sees it, for quarantine rows and messages."""
    if value is None:
        return ""
    if isinstance(value, PercentCell):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        # 1e30 reads "1e+30", not the 31 digits of its binary approximation.
        return str(int(value)) if abs(value) < 1e15 else format(value, ".15g")
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def is_missing(value: object) -> bool:
    """True for an empty cell or an explicit 'not available' marker.

    A formula without a computed value and an Excel error (`#N/A`, `#DIV/0!`) are not missing: they
    say a figure was meant to be there, so they are reported rather than silently left empty.
    """
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] == "#" and stripped.upper() in EXCEL_ERRORS:
            return False
        return stripped in _DASHES or normalize_key(stripped) in MISSING_MARKERS
    return False


def parse_number(value: object) -> float:
    """`"1 234,5"`, `"1\u00a0234"`, `"12,5 %"`, `1234.5`, `"1.234,5"` -> float.

    A `%` sign divides by 100. When both `,` and `.` appear, the last one is the decimal mark;
    a lone `,` is a decimal comma (French Excel). Raises `ValueProblem` otherwise. The result is
    rounded to the 15 significant digits a spreadsheet displays (30.000000000000004 -> 30).
    """
    if isinstance(value, bool):
        raise ValueProblem(f"valeur « {value} » non numérique : saisir un nombre")
    formula = formula_reason(value)
    if formula:
        raise ValueProblem(formula)
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise ValueProblem("valeur trop grande : saisir un nombre fini") from None
    elif isinstance(value, datetime | date):
        raise ValueProblem(
            f"une date ({cell_text(value)}) a été saisie à la place d'un nombre : "
            "vérifier le format de la cellule"
        )
    else:
        number = _parse_number_text(str(value))
    if math.isnan(number) or math.isinf(number):
        raise ValueProblem(f"valeur « {cell_text(value)} » non numérique ou infinie : saisir un nombre fini")
    # Binary floating point leaves 30.000000000000004 where Excel shows (and the sender meant) 30.
    return float(f"{number:.{SIGNIFICANT_DIGITS}g}")


def _fr(number: float) -> str:
    return fmt_number(number, decimals=6)


def reading_problem(value: object, indicator: Indicator, *, decimal_comma: bool = True) -> str | None:
    """French reason when the number written in `value` can be read two ways for `indicator`.

    `decimal_comma`: the file follows French conventions (`;` CSV, text typed in a workbook), where
    a comma is the decimal mark and a dot may be a thousands separator; a comma-separated file from
    a tool uses the dot as decimal mark, and there a comma may be an English thousands separator.
    Values that are not numbers are left to `parse_number`.
    """
    label = f"« {indicator.libelle} »"
    percent_unit = indicator.unite in PERCENT_UNITS
    if isinstance(value, PercentCell) and not percent_unit:
        return (
            f"cellule au format pourcentage ({value}, soit {_fr(float(value))}) pour {label}, qui se "
            f"compte en {indicator.unite} et non en pourcentage : mettre la cellule au format Nombre et "
            "saisir la valeur elle-même"
        )
    if not isinstance(value, str):
        return None
    written = value.strip()
    compact = _SPACES.sub("", written).replace("\u2212", "-")
    if compact.startswith("(") and compact.endswith(")"):
        compact = compact[1:-1]
    compact = compact.lstrip("+-")
    try:
        number = parse_number(written)
    except ValueProblem:
        number = None
    if _SCIENTIFIC.fullmatch(compact):
        reading = f"lue {_fr(number)}" if number is not None else "nombre démesuré"
        return (
            f"« {written} » est en notation scientifique ({reading}) : c'est souvent le signe d'une "
            "cellule mal convertie (identifiant, nombre trop long) ; écrire le nombre en chiffres "
            "(ex. 1 000 plutôt que 1e3)"
        )
    if compact.endswith("%") and not percent_unit and number is not None:
        return (
            f"« {written} » porte un signe % alors que {label} se compte en {indicator.unite}, pas en "
            f"pourcentage (la valeur serait lue {_fr(number)}) : écrire le nombre lui-même, sans le "
            "signe %"
        )
    if decimal_comma and _DOT_THEN_THREE.fullmatch(compact):
        integer, _, decimals = compact.rstrip("%").partition(".")
        thousands = fmt_number(int(integer + decimals))
        if indicator.entier:
            return (
                f"« {written} » ambigu : {thousands} avec un point séparateur de milliers, ou "
                f"{integer},{decimals} avec un point décimal (pas un nombre entier, alors que {label} "
                f"se compte en nombres entiers) ; écrire {thousands} sans point"
            )
        return (
            f"« {written} » ambigu : {thousands} avec un point séparateur de milliers, ou "
            f"{integer},{decimals} avec un point décimal ; écrire {thousands} (sans point) ou "
            f"{integer},{decimals} (virgule décimale)"
        )
    if not decimal_comma and _COMMA_THEN_THREE.fullmatch(compact):
        integer, _, decimals = compact.rstrip("%").partition(",")
        thousands = fmt_number(int(integer + decimals))
        return (
            f"« {written} » ambigu dans ce fichier séparé par des virgules : {thousands} avec une "
            f"virgule séparateur de milliers (usage anglais), ou {integer},{decimals} avec une virgule "
            f"décimale ; écrire {integer + decimals} (sans séparateur) ou {integer}.{decimals}"
            " (point décimal)"
        )
    return None


def _parse_number_text(text: str) -> float:
    original = text.strip()
    # Unicode minus signs (copied from Word or a web page) are minus signs.
    s = original.replace("\u2212", "-").replace("\u2013", "-") if len(original) > 1 else original
    # Accounting format, as Excel writes a formatted cell to CSV: "(5)" is -5.
    if s.startswith("(") and s.endswith(")") and len(s) > 2:
        s = "-" + s[1:-1].strip()
    if _SPACES.search(s):
        if not _digit_groups_ok(s):
            raise _not_a_number(original)
        s = _SPACES.sub("", s)
    percent = s.endswith("%")
    if percent:
        s = s[:-1]
    s = s.lstrip("+") if s.startswith("+") else s
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        s = s.replace(thousands, "").replace(decimal, ".")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1 or s.count(".") > 1:
        sep = "," if "," in s else "."
        digits = s.lstrip("-").replace(sep, "")
        if not _GROUPS_OF_THREE.match(digits) or any(len(g) != 3 for g in s.lstrip("-").split(sep)[1:]):
            raise _not_a_number(original)
        s = s.replace(sep, "")
    if not _PLAIN_NUMBER.fullmatch(s):
        raise _not_a_number(original)
    number = float(s)
    return number / 100 if percent else number


def _not_a_number(text: str) -> ValueProblem:
    return ValueProblem(f"valeur « {text} » non numérique : saisir un nombre (ex. 1 234,5)")


def _digit_groups_ok(text: str) -> bool:
    """Spaces inside a number separate thousands: "1 234 567" yes, "12 15" (two numbers) no."""
    core = text.strip().rstrip("%").strip().lstrip("+-").strip()
    groups = [g for g in _SPACES.split(core) if g]
    if len(groups) < 2:
        return True
    return (
        bool(re.fullmatch(r"\d{1,3}", groups[0]))
        and all(re.fullmatch(r"\d{3}", g) for g in groups[1:-1])
        and bool(re.fullmatch(r"\d{3}([.,]\d*)?", groups[-1]))
    )


_YEAR = r"(?P<y>(19|20)\d{2})"
_QUARTER = r"(?P<q>[1-4])"
_PERIOD_PATTERNS = [
    re.compile(rf"^{_YEAR}$"),
    re.compile(rf"^{_YEAR}[-_/ ]*[TQ]{_QUARTER}$"),
    re.compile(rf"^[TQ]{_QUARTER}[-_/ ]*{_YEAR}$"),
    re.compile(rf"^{_QUARTER}(ER|E|EME|ND)?TRIMESTRE[-_/ ]*{_YEAR}$"),
    re.compile(rf"^TRIMESTRE{_QUARTER}[-_/ ]*{_YEAR}$"),
    re.compile(rf"^{_YEAR}[-_/ ]*TRIMESTRE{_QUARTER}$"),
]


def parse_period(value: object, *, today: date | None = None, target: bool = False) -> tuple[int, int | None]:
    """`2016`, `"2016-T3"`, `"T3 2016"`, `"3e trimestre 2016"` -> (year, quarter or None).

    An actual value cannot be for a period after `today`; a target (`target=True`) is for years to
    come by nature, up to `last_target_year`.
    """
    if isinstance(value, bool) or value is None:
        raise ValueProblem("période vide : indiquer l'année (2016) ou le trimestre (2016-T3)")
    formula = formula_reason(value)
    if formula:
        raise ValueProblem(formula)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        year = _year_typed_in_date_cell(value)
        if year is not None:
            return _check_year(year, None, str(year), today or date.today(), target)
        quarter = (value.month - 1) // 3 + 1
        raise ValueProblem(
            f"période « {cell_text(value)} » saisie comme une date : écrire l'année "
            f"({value.year}) ou le trimestre ({value.year}-T{quarter} ou T{quarter} {value.year})"
        )
    text = strip_accents(str(value)).upper()
    compact = re.sub(r"\s+", "", text)
    for pattern in _PERIOD_PATTERNS:
        m = pattern.match(compact)
        if m:
            year = int(m.group("y"))
            quarter = int(m.group("q")) if "q" in m.groupdict() and m.group("q") else None
            return _check_year(year, quarter, str(value).strip(), today or date.today(), target)
    for pattern in _DATE_TEXTS:
        m = pattern.match(str(value).strip())
        if m and 1 <= int(m.group("m")) <= 12:
            year, quarter = m.group("y"), (int(m.group("m")) - 1) // 3 + 1
            raise ValueProblem(
                f"période « {cell_text(value)} » non reconnue : c'est une date ; écrire l'année "
                f"({year}) ou le trimestre ({year}-T{quarter} ou T{quarter} {year})"
            )
    raise ValueProblem(
        f"période « {cell_text(value)} » non reconnue : écrire l'année (2016) "
        "ou le trimestre (2016-T3 ou T3 2016)"
    )


def _year_typed_in_date_cell(value: date) -> int | None:
    """2016 typed into a cell formatted as a date is stored as 2016 and shown as 08/07/1905.

    The stored number is what the sender typed: read it back as the year. Real dates (31/12/2016)
    are ambiguous (the year? its last quarter?) and stay a problem for the sender to settle.
    """
    if isinstance(value, datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return None
    day = value.date() if isinstance(value, datetime) else value
    serial = (day - _EXCEL_EPOCH).days
    return serial if FIRST_YEAR <= serial <= 2100 else None


def _check_year(
    year: int, quarter: int | None, text: str, today: date, target: bool
) -> tuple[int, int | None]:
    if year < FIRST_YEAR:
        raise ValueProblem(
            f"période « {text} » hors du champ de l'observatoire (années {FIRST_YEAR} et suivantes) : "
            "vérifier l'année saisie"
        )
    if target:
        if year > last_target_year(today):
            raise ValueProblem(
                f"période « {text} » au-delà de l'horizon des objectifs (jusqu'à "
                f"{last_target_year(today)}) : vérifier l'année saisie"
            )
        return year, quarter
    current_quarter = (today.month - 1) // 3 + 1
    if year > today.year or (year == today.year and quarter and quarter > current_quarter):
        raise ValueProblem(f"période « {text} » dans le futur : vérifier l'année saisie")
    return year, quarter


def parse_quarter(value: object) -> int | None:
    """A separate 'trimestre' column: `"T3"`, `3`, `"3e trimestre"`, empty -> 3 or None."""
    if is_missing(value):
        return None
    formula = formula_reason(value)
    if formula:
        raise ValueProblem(formula)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    compact = re.sub(r"\s+", "", strip_accents(str(value)).upper())
    m = re.fullmatch(r"(?:[TQ]|TRIMESTRE)?([1-4])(?:ER|E|EME|ND)?(?:TRIMESTRE)?", compact)
    if not m:
        raise ValueProblem(f"trimestre « {cell_text(value)} » non reconnu : écrire T1, T2, T3 ou T4")
    return int(m.group(1))

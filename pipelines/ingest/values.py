"""Parsing of cell values as French offices write them: numbers, periods, missing markers.

Each parser returns the value or raises `ValueProblem` with a French reason; callers turn that into a
quarantine row naming the file, row and field.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from ptce.text import normalize_key, strip_accents

FIRST_YEAR = 2010  # the community started in 2015; earlier figures may serve as baselines

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


class ValueProblem(ValueError):
    """A cell that cannot be taken as it is; `reason` is French."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def cell_text(value: object) -> str:
    """A cell as the sender sees it, for quarantine rows and messages."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def is_missing(value: object) -> bool:
    """True for an empty cell or an explicit 'not available' marker."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        stripped = value.strip()
        return stripped in _DASHES or normalize_key(stripped) in MISSING_MARKERS
    return False


def parse_number(value: object) -> float:
    """`"1 234,5"`, `"1\u00a0234"`, `"12,5 %"`, `1234.5`, `"1.234,5"` -> float.

    A `%` sign divides by 100. When both `,` and `.` appear, the last one is the decimal mark;
    a lone `,` is a decimal comma (French Excel). Raises `ValueProblem` otherwise.
    """
    if isinstance(value, bool):
        raise ValueProblem(f"valeur « {value} » non numérique : saisir un nombre")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, datetime | date):
        raise ValueProblem(
            f"une date ({cell_text(value)}) a été saisie à la place d'un nombre : "
            "vérifier le format de la cellule"
        )
    else:
        number = _parse_number_text(str(value))
    if math.isnan(number) or math.isinf(number):
        raise ValueProblem("valeur non numérique : saisir un nombre fini")
    return number


def _parse_number_text(text: str) -> float:
    original = text.strip()
    s = _SPACES.sub("", original)
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
            raise ValueProblem(f"valeur « {original} » non numérique : saisir un nombre (ex. 1 234,5)")
        s = s.replace(sep, "")
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", s):
        raise ValueProblem(f"valeur « {original} » non numérique : saisir un nombre (ex. 1 234,5)")
    number = float(s)
    return number / 100 if percent else number


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


def parse_period(value: object, *, today: date | None = None) -> tuple[int, int | None]:
    """`2016`, `"2016-T3"`, `"T3 2016"`, `"3e trimestre 2016"` -> (year, quarter or None)."""
    if isinstance(value, bool) or value is None:
        raise ValueProblem("période vide : indiquer l'année (2016) ou le trimestre (2016-T3)")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        raise ValueProblem(
            f"période « {cell_text(value)} » saisie comme une date : "
            "écrire l'année (2016) ou le trimestre (2016-T3 ou T3 2016)"
        )
    text = strip_accents(str(value)).upper()
    compact = re.sub(r"\s+", "", text)
    for pattern in _PERIOD_PATTERNS:
        m = pattern.match(compact)
        if m:
            year = int(m.group("y"))
            quarter = int(m.group("q")) if "q" in m.groupdict() and m.group("q") else None
            return _check_year(year, quarter, str(value).strip(), today or date.today())
    raise ValueProblem(
        f"période « {cell_text(value)} » non reconnue : écrire l'année (2016) "
        "ou le trimestre (2016-T3 ou T3 2016)"
    )


def _check_year(year: int, quarter: int | None, text: str, today: date) -> tuple[int, int | None]:
    if year < FIRST_YEAR:
        raise ValueProblem(
            f"période « {text} » hors du champ de l'observatoire (années {FIRST_YEAR} et suivantes)"
        )
    current_quarter = (today.month - 1) // 3 + 1
    if year > today.year or (year == today.year and quarter and quarter > current_quarter):
        raise ValueProblem(f"période « {text} » dans le futur : vérifier l'année saisie")
    return year, quarter


def parse_quarter(value: object) -> int | None:
    """A separate 'trimestre' column: `"T3"`, `3`, `"3e trimestre"`, empty -> 3 or None."""
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    compact = re.sub(r"\s+", "", strip_accents(str(value)).upper())
    m = re.fullmatch(r"(?:[TQ]|TRIMESTRE)?([1-4])(?:ER|E|EME|ND)?(?:TRIMESTRE)?", compact)
    if not m:
        raise ValueProblem(f"trimestre « {cell_text(value)} » non reconnu : écrire T1, T2, T3 ou T4")
    return int(m.group(1))

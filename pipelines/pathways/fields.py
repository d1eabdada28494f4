"""Reading the cells of a pathway row: yes/no flags, sex, age band, training hours (dates are read
by `pipelines.shared.dates`, shared with the visits).

Each reader returns the value or raises `ValueProblem` with a French reason. Readers of personal
fields (birth date) never quote the cell in their reason: it must not reach the quarantine.
"""

from __future__ import annotations

import re
from datetime import date

from pipelines.shared.values import ValueProblem, cell_text, formula_reason, is_missing, parse_number
from ptce.text import normalize_key

# The four age bands, written once (en dash in « 26–44 ans »): the published `tranche_age` values.
AGE_BANDS = ("moins de 26 ans", "26–44 ans", "45–54 ans", "55 ans et plus")
FIRST_ENTRY_YEAR = 2000
MAX_TRAINING_HOURS = 5_000  # more than two years of full-time training in one stay: a typing error

TRUE_WORDS = {"oui", "o", "1", "x", "vrai", "yes", "y", "true", "v"}
FALSE_WORDS = {"non", "n", "0", "faux", "no", "false", "f"}
TICKS = {"x", "✓", "✔", "☒", "☑"}
SEX_WORDS = {
    "f": "F",
    "femme": "F",
    "feminin": "F",
    "fem": "F",
    "h": "H",
    "homme": "H",
    "masculin": "H",
    "masc": "H",
    "m": "H",
}


def flag_column_uses_ticks(values: list[object]) -> bool:
    """A yes/no column filled with ticks (« x ») only: there, an empty cell means no."""
    # Each distinct cell once (by type too: `1` and `True` are equal but read differently).
    distinct = {v if type(v) is str else (type(v), v): v for v in values}.values()
    texts = {normalize_key(cell_text(v)) or cell_text(v) for v in distinct if not is_missing(v)}
    texts.discard("")
    return bool(texts) and texts <= {normalize_key(t) or t for t in TICKS}


def parse_flag(value: object, *, ticks: bool = False) -> bool | None:
    """oui/non, O/N, 1/0, x, vrai/faux -> bool; empty -> None (unknown), or False in a tick column."""
    if isinstance(value, str) and value.strip().lower() in {"x", "✓", "✔", "☒", "☑"}:
        return True
    if is_missing(value):
        return False if ticks else None
    formula = formula_reason(value)
    if formula:
        raise ValueProblem(formula)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = normalize_key(cell_text(value))
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise ValueProblem(f"valeur « {cell_text(value)} » non reconnue : écrire oui ou non (ou 1 / 0, x / vide)")


def parse_sex(value: object) -> str | None:
    """F/H, Femme/Homme, féminin/masculin -> 'F' / 'H'; empty -> None."""
    if is_missing(value):
        return None
    formula = formula_reason(value)
    if formula:
        raise ValueProblem(formula)
    sex = SEX_WORDS.get(normalize_key(cell_text(value)))
    if sex is None:
        raise ValueProblem(f"sexe « {cell_text(value)} » non reconnu : écrire F ou H (femme ou homme)")
    return sex


def age_band(birth: date, at: date) -> str:
    """The age band of a person born on `birth`, on the date `at` (the date of entry)."""
    age = at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))
    if age < 26:
        return AGE_BANDS[0]
    if age < 45:
        return AGE_BANDS[1]
    if age < 55:
        return AGE_BANDS[2]
    return AGE_BANDS[3]


def check_birth(birth: date, entry: date) -> None:
    """A birth date that cannot be right for a person entering a pathway on `entry` (never quoted)."""
    age = entry.year - birth.year - ((entry.month, entry.day) < (birth.month, birth.day))
    if age < 14 or age > 100:
        raise ValueProblem(
            "date de naissance invraisemblable pour une entrée en parcours (âge hors de 14 à 100 ans à "
            "la date d'entrée) : vérifier la date de naissance et la date d'entrée"
        )


_BAND_BY_KEY = {
    normalize_key(AGE_BANDS[0]): AGE_BANDS[0],
    "moins26ans": AGE_BANDS[0],
    "moins26": AGE_BANDS[0],
    "de26a44ans": AGE_BANDS[1],
    "2644ans": AGE_BANDS[1],
    "2644": AGE_BANDS[1],
    "26a44ans": AGE_BANDS[1],
    "26a44": AGE_BANDS[1],
    "de45a54ans": AGE_BANDS[2],
    "4554ans": AGE_BANDS[2],
    "4554": AGE_BANDS[2],
    "45a54ans": AGE_BANDS[2],
    "45a54": AGE_BANDS[2],
    "55ansetplus": AGE_BANDS[3],
    "55etplus": AGE_BANDS[3],
    "55ansouplus": AGE_BANDS[3],
    "plusde55ans": AGE_BANDS[3],
    "plusde54ans": AGE_BANDS[3],
}


def parse_age_band(value: object) -> str | None:
    """A given age band normalised to `AGE_BANDS` (« -26 ans », « 26-44 », « 55+ »…); empty -> None."""
    if is_missing(value):
        return None
    formula = formula_reason(value)
    if formula:
        raise ValueProblem(formula)
    text = cell_text(value).strip()
    compact = re.sub(r"\s+", "", text.lower())
    if re.fullmatch(r"(<|-|moinsde|moins)26(ans)?", compact):
        return AGE_BANDS[0]
    if re.fullmatch(r"(>=|≥|\+de|plusde)55(ans)?|55(ans)?(\+|etplus|ouplus)", compact):
        return AGE_BANDS[3]
    band = _BAND_BY_KEY.get(normalize_key(text))
    if band is None:
        raise ValueProblem(
            f"tranche d'âge « {text} » non reconnue : écrire l'une des tranches « "
            + " », « ".join(AGE_BANDS)
            + " », ou donner la date de naissance"
        )
    return band


def parse_hours(value: object) -> float | None:
    """Training hours of a stay (`35`, `"12,5"`): a non-negative number; empty -> None."""
    if is_missing(value):
        return None
    number = parse_number(value)
    if number < 0:
        raise ValueProblem(f"nombre d'heures négatif ({cell_text(value)}) : saisir un nombre positif ou nul")
    if number > MAX_TRAINING_HOURS:
        raise ValueProblem(
            f"nombre d'heures invraisemblable ({cell_text(value)}, plus de {MAX_TRAINING_HOURS} heures "
            "pour une étape) : vérifier la saisie"
        )
    return number

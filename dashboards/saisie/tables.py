"""Saisir des chiffres: the page's texts, its periods, the entry table and where each problem goes.

Pure functions (no Streamlit), so what the page shows can be tested on small inputs. The entry table
has one row per typed-in indicator of the catalogue (derived ones are computed, never typed), with
the pole's published value of the year before for reference and an empty « Valeur » to fill in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import pandas as pd

from dashboards.shared import display
from ptce import intake
from ptce.fmt import fmt_count, fmt_number
from ptce.reference import load_catalog

# The community started in 2015 (seed 000): the first year offered, unless figures go further back.
FIRST_YEAR = 2015
YEAR = "annee"
QUARTER = "trimestre"
PERIOD_KINDS: dict[str, str] = {YEAR: "Année", QUARTER: "Trimestre"}
# The file the entry becomes, as the preview and its problems name it.
ENTRY_FILE = "saisie.csv"

VALUE = "Valeur"
PROBLEM = "Problème"
CODE = "Code"
READ_ONLY = ("Angle de travail", CODE, "Indicateur", "Unité")

INTRO = (
    "Tapez les chiffres d'une période dans le tableau : une ligne par indicateur du catalogue, la "
    "valeur publiée l'année précédente à côté pour repère. Une case laissée vide n'est pas "
    "transmise. « Vérifier » contrôle les chiffres avec les mêmes règles que les fichiers (bornes, "
    "cohérence entre indicateurs) sans rien publier ; « Enregistrer » les garde dans un fichier du "
    "dossier des indicateurs, comme un fichier déposé, puis lance le traitement."
)
NO_VALUE = "Tapez au moins une valeur dans la colonne « Valeur » pour la vérifier."
STALE = "Les valeurs ont changé depuis la vérification : vérifiez-les à nouveau avant d'enregistrer."
CLEAN = "Vérification réussie : aucun problème bloquant. Vous pouvez enregistrer ces chiffres."


def period_code(year: int, quarter: int | None) -> str:
    """The period as files write it: `2018`, or `2018-T3`."""
    return f"{year}-T{quarter}" if quarter else str(year)


def year_options(today: date, first_published: int | None) -> list[int]:
    """Years that may be typed, most recent first: none to come (a value is never about the future)."""
    first = min(FIRST_YEAR, first_published) if first_published is not None else FIRST_YEAR
    return list(range(today.year, first - 1, -1))


def quarter_options(year: int, today: date) -> list[int]:
    """Quarters of `year` that have begun."""
    last = (today.month - 1) // 3 + 1 if year == today.year else 4
    return list(range(1, last + 1))


def default_year(last_published: int | None, today: date) -> int:
    """The year after the pole's last published one (what it is likely to send next), not to come."""
    return today.year if last_published is None else min(last_published + 1, today.year)


def reference_column(year: int) -> str:
    return f"Valeur publiée {year}"


def lowest_value() -> float | None:
    """The lowest value any typed-in indicator admits (the catalogue's `min`), for the number column."""
    mins = [ind.min for ind in load_catalog().indicators]
    return None if any(m is None for m in mins) else min(mins)  # type: ignore[type-var]


PREFILLED = (
    "Les chiffres déjà publiés pour {periode} sont pré-remplis dans « Valeur » : un envoi remplace "
    "toute la période du pôle, comme un fichier renvoyé. Modifiez ceux qui changent ; une case vidée "
    "retire le chiffre publié."
)
QUARTER_REPLACES = (
    "Un envoi remplace tous les chiffres du pôle pour ce trimestre : saisissez-les tous, pas seulement "
    "ceux qui changent."
)


def entry_frame(
    catalog: pd.DataFrame,
    reference: Mapping[str, float],
    reference_year: int,
    problems: Mapping[str, Sequence[str]] | None = None,
    current: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """The table to fill in: the typed-in indicators of `catalog` (its order), last year's value as
    text in French, « Valeur » holding what is already published for the period (`current`, empty
    for a new period), and the problems the last check found for each row.

    Pre-filled because an entry replaces the pole's whole period, like any file sent again: an
    empty « Valeur » for a published period would withdraw every figure not typed again."""
    typed = catalog[~catalog["derive"].astype(bool)]
    problems = problems or {}
    current = current or {}
    return pd.DataFrame(
        {
            "Angle de travail": typed["domaine_libelle"].astype(str).tolist(),
            CODE: typed["code"].astype(str).tolist(),
            "Indicateur": typed["libelle"].astype(str).tolist(),
            "Unité": typed["unite"].astype(str).tolist(),
            reference_column(reference_year): [
                display.value_text(reference.get(code), unite)
                for code, unite in zip(typed["code"], typed["unite"], strict=True)
            ],
            VALUE: pd.Series([current.get(str(code)) for code in typed["code"]], dtype="float64"),
            # Always text (never an all-empty column of another type): the editor keeps its edits
            # only while the table's columns keep their types.
            PROBLEM: [" ; ".join(problems.get(code, ())) for code in typed["code"]],
        }
    )


def values_from_edits(
    codes: Sequence[str], edits: object, current: Mapping[str, float] | None = None
) -> dict[str, float]:
    """The table's values so far: the pre-filled `current` ones with the editor's edits applied
    (`edited_rows`: row → {column: value}; a cell emptied removes its value)."""
    rows = edits.get("edited_rows", {}) if isinstance(edits, Mapping) else {}
    values: dict[str, float] = {code: float(v) for code, v in (current or {}).items() if code in codes}
    for row, changes in rows.items():
        i = int(row)
        if not (0 <= i < len(codes)) or not isinstance(changes, Mapping) or VALUE not in changes:
            continue
        value = changes[VALUE]
        if value is None or pd.isna(value):
            values.pop(codes[i], None)
        else:
            values[codes[i]] = float(value)
    return dict(sorted(values.items(), key=lambda item: codes.index(item[0])))


def typed_values(edited: pd.DataFrame) -> dict[str, float]:
    """The values typed in the edited table, by indicator code (empty cells left out)."""
    return {
        str(code): float(value)
        for code, value in zip(edited[CODE], edited[VALUE], strict=True)
        if value is not None and not pd.isna(value)
    }


def _entry_rows(entry: bytes) -> list[list[str]]:
    text = entry.decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def place_problems(
    problems: Iterable[intake.Problem], entry: bytes, codes: Sequence[str]
) -> tuple[dict[str, list[str]], list[intake.Problem]]:
    """Each problem beside the indicator it is about, and those about none.

    A problem names its indicator by its field (a column titled with the code or label, in a wide
    file), else by its row in the entry file (whose cells name the indicator, in a long file), else
    in its message. Row numbers are the file's line numbers, header included.
    """
    catalog = load_catalog()
    wanted = set(codes)

    def code_of(text: object) -> str | None:
        code = catalog.match(text) if text not in (None, "") else None
        return code if code in wanted else None

    rows = _entry_rows(entry)
    placed: dict[str, list[str]] = {}
    unplaced: list[intake.Problem] = []
    for problem in problems:
        code = code_of(problem.field)
        if code is None and problem.row is not None and 1 <= problem.row <= len(rows):
            code = next((c for c in map(code_of, rows[problem.row - 1]) if c is not None), None)
        if code is None:
            code = next(
                (c for c in codes if f"« {c} »" in problem.message or f"({c})" in problem.message), None
            )
        if code is None:
            unplaced.append(problem)
        else:
            placed.setdefault(code, []).append(problem.message)
    return placed, unplaced


def clean(preview: intake.Preview) -> bool:
    """Whether the check allows saving: publishable, no blocking problem."""
    return preview.publishable and not any(p.blocking for p in preview.problems)


def check_summary(preview: intake.Preview) -> str:
    blocking = sum(1 for p in preview.problems if p.blocking)
    return (
        f"Vérification terminée en {fmt_number(preview.seconds, decimals=1)} s : "
        f"{fmt_count(len(preview.problems), 'problème', 'problèmes')} "
        f"(dont {fmt_number(blocking)} bloquant{'s' if blocking >= 2 else ''})."
    )

"""Completeness of the submissions: what each pole owes, what arrived, and when (a reporting rate).

The calendar is in `ptce/reference/qualite.yaml`: for each kind of file, the years expected and the
due date. A pole-year is complete when every expected indicator has a value, partial when some have,
missing when none has and the due date has passed; a submission is late when its first file arrived
after the due date. A pole owes a submission when it is a member on its due date and joined by the
end of its year (`raw/poles/`: a new member owes nothing before it joined, a pole that left nothing
due after it left).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

import pandas as pd

from ptce.contract import TABLES
from ptce.reference import QualityConfig, load_catalog

COLUMNS = list(TABLES["completeness"])


def build_completeness(
    pole_ids: list[str],
    staged: pd.DataFrame,
    current: dict[str, pd.DataFrame],
    arrivals: pd.DataFrame,
    config: QualityConfig,
    today: date,
    catalogue_kinds: Collection[str] = (),
    membership: Mapping[str, tuple[date | None, date | None]] | None = None,
) -> pd.DataFrame:
    """One row per pole, expected year and kind of file.

    `membership`: pole id -> (date_entree, date_sortie) of the poles that joined or left (a pole not
    in it is a member throughout); a pole owes only the submissions of its membership.

    A kind in `catalogue_kinds` owes a value for every indicator of the catalogue; any other kind is
    compared with the widest set a pole gave that year (targets cover the indicators each chose).

    `staged`: every loaded value of every file (with `kind` and `source_file`); `current`: the values
    in force per kind (`indicateurs` -> indicator_values, `objectifs` -> targets).
    """
    n_codes = len(load_catalog().codes)
    first_arrival = (
        staged[["kind", "pole_id", "annee", "source_file"]]
        .drop_duplicates()
        .merge(arrivals[["source_file", "arrived_at"]], on="source_file", how="left")
        .groupby(["kind", "pole_id", "annee"])["arrived_at"]
        .min()
    )
    rows = []
    for expected in config.expected:
        values = current.get(expected.kind, pd.DataFrame(columns=["pole_id", "annee", "code"]))
        counts = values.groupby(["pole_id", "annee"])["code"].nunique()
        for year in expected.annees:
            due = expected.echeance(year)
            owing = [p for p in pole_ids if _owes(membership, p, year, due)]
            if expected.kind in catalogue_kinds:
                wanted = n_codes
            else:
                # E.g. targets cover the indicators each pole chose: compare with the widest set given.
                year_counts = [counts.get((p, year), 0) for p in owing]
                wanted = max([1, *year_counts])
            for pole_id in owing:
                n = int(counts.get((pole_id, year), 0))
                first = first_arrival.get((expected.kind, pole_id, year))
                first = None if first is None or pd.isna(first) else pd.Timestamp(first)
                if n >= wanted:
                    status = "complet"
                elif n > 0:
                    status = "partiel"
                else:
                    status = "manquant" if today > due else "à venir"
                rows.append(
                    {
                        "pole_id": pole_id,
                        "annee": year,
                        "kind": expected.kind,
                        "recu": n > 0,
                        "nb_valeurs": n,
                        "nb_attendues": wanted,
                        "taux": min(n / wanted, 1.0),
                        "premiere_reception": first,
                        "echeance": due,
                        "en_retard": bool(first is not None and first.date() > due),
                        "statut": status,
                    }
                )
    return pd.DataFrame(rows, columns=COLUMNS)


def _owes(
    membership: Mapping[str, tuple[date | None, date | None]] | None, pole_id: str, year: int, due: date
) -> bool:
    """Whether a pole owes the submission of `year` due on `due`: a member on that day, joined by
    the end of the year."""
    entered, left = (membership or {}).get(pole_id, (None, None))
    if entered is not None and (entered > date(year, 12, 31) or entered > due):
        return False
    return left is None or left >= due

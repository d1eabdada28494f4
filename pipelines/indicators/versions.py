"""Resubmissions: which file's figures are current for each pole and period, and what changed.

A later file for the same pole and period replaces the earlier figures as a whole (a pole resends
its table for the period, as with DHIS2 data sets): a value it no longer gives is withdrawn, not
kept from the older file. Every version stays in the history with its file, hash and arrival time,
and the changes between consecutive versions are listed.
"""

from __future__ import annotations

import pandas as pd

from ptce.contract import TABLES

PERIOD_KEY = ["pole_id", "annee", "trimestre"]
VALUE_KEY = [*PERIOD_KEY, "code"]

CHANGE_COLUMNS = list(TABLES["indicator_changes"])


def resolve_versions(
    staged: pd.DataFrame, arrivals: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(current values, history, changes) from the values of every file and the arrival order.

    `staged` has one row per loaded value (pole_id, annee, trimestre, code, valeur, source_file, …);
    `arrivals` gives each file's sha256, arrived_at and arrival_rank.
    """
    history = staged.merge(
        arrivals[["source_file", "sha256", "arrived_at", "arrival_rank"]], on="source_file", how="left"
    )
    # trimestre is nullable: group on a filled copy so yearly values form their own period.
    history["_q"] = history["trimestre"].fillna(0).astype(int)
    files = (
        history[["pole_id", "annee", "_q", "source_file", "arrival_rank"]]
        .drop_duplicates()
        .sort_values(["pole_id", "annee", "_q", "arrival_rank", "source_file"], kind="stable")
    )
    files["version"] = files.groupby(["pole_id", "annee", "_q"]).cumcount() + 1
    files["latest"] = files.groupby(["pole_id", "annee", "_q"])["version"].transform("max")
    history = history.merge(
        files[["pole_id", "annee", "_q", "source_file", "version", "latest"]],
        on=["pole_id", "annee", "_q", "source_file"],
        how="left",
    )
    history["current"] = history["version"] == history["latest"]
    changes = _changes(history)
    current = history[history["current"]].drop(columns=["_q", "latest"])
    history = history.drop(columns=["_q", "latest"])
    order = [*VALUE_KEY, "version"]
    return (
        current.sort_values(VALUE_KEY, kind="stable").reset_index(drop=True),
        history.sort_values(order, kind="stable").reset_index(drop=True),
        changes,
    )


def _changes(history: pd.DataFrame) -> pd.DataFrame:
    """Differences between version n-1 and version n of each pole and period."""
    later = history[history["version"] > 1]
    if later.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    cols = ["pole_id", "annee", "_q", "trimestre", "code", "valeur", "source_file", "version", "arrived_at"]
    new = history[cols].copy()
    old = history[cols].copy()
    old["version"] = old["version"] + 1  # align version n-1 with version n
    periods = later[["pole_id", "annee", "_q", "version"]].drop_duplicates()
    new = new.merge(periods, on=["pole_id", "annee", "_q", "version"])
    old = old.merge(periods, on=["pole_id", "annee", "_q", "version"])
    both = new.merge(
        old, on=["pole_id", "annee", "_q", "code", "version"], how="outer", suffixes=("_new", "_old")
    )
    # The file of each version, also for codes present on one side only.
    new_file = new[["pole_id", "annee", "_q", "version", "source_file", "arrived_at"]].drop_duplicates()
    old_file = old[["pole_id", "annee", "_q", "version", "source_file"]].drop_duplicates()
    both = both.drop(columns=["source_file_new", "source_file_old", "arrived_at_new", "arrived_at_old"])
    both = both.merge(new_file, on=["pole_id", "annee", "_q", "version"], how="left")
    both = both.merge(
        old_file.rename(columns={"source_file": "ancien_fichier"}),
        on=["pole_id", "annee", "_q", "version"],
        how="left",
    )
    kind = pd.Series("modifiée", index=both.index)
    kind[both["valeur_old"].isna()] = "ajoutée"
    kind[both["valeur_new"].isna()] = "retirée"
    both["type_changement"] = kind
    changed = both[(both["valeur_new"] != both["valeur_old"]) | kind.ne("modifiée")].copy()
    changed["trimestre"] = changed["_q"].where(changed["_q"] > 0).astype("Int64")
    out = changed.rename(
        columns={
            "valeur_old": "ancienne_valeur",
            "valeur_new": "nouvelle_valeur",
            "source_file": "nouveau_fichier",
        }
    )[CHANGE_COLUMNS]
    return out.sort_values(["pole_id", "annee", "trimestre", "version", "code"], kind="stable").reset_index(
        drop=True
    )

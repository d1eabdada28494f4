"""Stays, pathways and the indicators drawn from them: pure functions on DataFrames.

- Resubmissions: poles send a file per year, so one stay (person, pole, structure, entry date)
  comes again a year later with its exit filled in; the version of the file that arrived last
  (arrival register) is kept.
- Pathways: the stays of one person in one pole, by entry date. A stay that begins in another member
  structure at most `gap_days` days after the previous one ended is an internal move: the pathway
  goes on and the previous stay's exit is not an exit from the pole (no category, its matched rule
  kept). A longer gap, or a return to the same structure, starts a new pathway. Only the last stay
  of a pathway carries its exit category.
- `duree_mois` is the duration of the stay (entry to exit, in months of 30.4375 days; null while it
  goes on); pathway durations (first entry to last exit) are computed for the median.
- Indicators per pole and year (`PATHWAY_INDICATOR_CODES`), beside the values the pole declared.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ptce.contract import DAYS_PER_MONTH, PATHWAY_INDICATOR_CODES, TABLES, WITHDRAWN_EXIT
from ptce.text import normalize_key

PATHWAY_COLUMNS = list(TABLES["pathways"])
INDICATOR_COLUMNS = list(TABLES["pathway_indicators"])
CATEGORY_CODES = {
    "emploi_durable": "sorties_emploi_durable",
    "emploi_transition": "sorties_emploi_transition",
    "sortie_positive": "sorties_positives",
    "autre_sortie": "sorties_autres",
    "retrait": "retraits",
}
STAY_KEY = ["person_key", "pole_id", "structure_cle", "date_entree"]
# The columns of `pathways` that `build_indicators` reads (the asset reads no more of a million rows).
INDICATOR_INPUTS = (
    "pole_id",
    "person_key",
    "parcours_id",
    "etape",
    "date_entree",
    "date_sortie",
    "categorie_sortie",
    "fin_parcours",
    "mobilite_interne",
    "heures_formation",
    "certification",
)


def latest_versions(stays: pd.DataFrame, arrivals: pd.DataFrame) -> pd.DataFrame:
    """One row per stay: the version from the file that arrived last (then the later row)."""
    if stays.empty:
        return stays.copy()
    frame = stays.merge(arrivals[["source_file", "arrival_rank"]], on="source_file", how="left")
    frame["structure_cle"] = _keys(frame["structure"])
    frame = frame.sort_values(["arrival_rank", "source_file", "row_number"], kind="stable")
    kept = frame.drop_duplicates(subset=STAY_KEY, keep="last")
    return kept.drop(columns=["arrival_rank", "structure_cle"]).reset_index(drop=True)


def build_pathways(stays: pd.DataFrame, gap_days: int) -> pd.DataFrame:
    """The published `pathways` table from the stays in force (see the module docstring)."""
    if stays.empty:
        return pd.DataFrame(columns=PATHWAY_COLUMNS)
    frame = stays.copy()
    frame["date_entree"] = pd.to_datetime(frame["date_entree"])
    frame["date_sortie"] = pd.to_datetime(frame["date_sortie"])
    frame["structure_cle"] = _keys(frame["structure"])
    frame = frame.sort_values(
        ["pole_id", "person_key", "date_entree", "date_sortie", "structure_cle"],
        kind="stable",
        na_position="last",
    ).reset_index(drop=True)
    # Each stay against the previous stay of the same person (rows are sorted by pole and person).
    person = frame["pole_id"].to_numpy(dtype=object), frame["person_key"].to_numpy(dtype=object)
    n = len(frame)
    first = np.ones(n, dtype=bool)
    first[1:] = (person[0][1:] != person[0][:-1]) | (person[1][1:] != person[1][:-1])
    prev_exit = frame["date_sortie"].shift(1)
    gap = (frame["date_entree"] - prev_exit).dt.days.to_numpy()
    other_structure = frame["structure_cle"].to_numpy(dtype=object)
    other_structure = np.concatenate(([True], other_structure[1:] != other_structure[:-1]))
    open_before = prev_exit.isna().to_numpy()
    with np.errstate(invalid="ignore"):
        # An exit no later than `gap_days` before entering another structure: an internal move.
        move = ~first & ~open_before & (gap <= gap_days) & other_structure
        # The previous stay goes on (no exit), or this one starts before it ended (two overlapping
        # rows of one structure): still the same pathway, or the earlier exit would count while the
        # person stays on.
        same = ~first & (open_before | move | (gap < 0))
    # A new pathway starts at a person's first stay and at every stay that does not continue one.
    new_path = ~same
    index = np.arange(n)
    start_of_person = np.maximum.accumulate(np.where(first, index, 0))
    count = np.cumsum(new_path)
    number = count - count[start_of_person] + 1
    step = index - np.maximum.accumulate(np.where(new_path, index, 0)) + 1
    frame["mobilite_interne"] = move
    frame["parcours_id"] = (
        frame["person_key"].astype(str) + "-" + pd.Series(number, index=frame.index).astype(str)
    )
    frame["etape"] = step
    # A pathway's stays are consecutive rows: its last stay is the row before the next pathway.
    last = np.append(new_path[1:], True)
    frame["fin_parcours"] = last & frame["date_sortie"].notna()
    # Only the stay that ends a pathway carries its exit category (an internal move is no exit).
    frame["categorie_sortie"] = frame["categorie_sortie"].where(frame["fin_parcours"])
    frame["duree_mois"] = ((frame["date_sortie"] - frame["date_entree"]).dt.days / DAYS_PER_MONTH).round(1)
    frame["date_entree"] = frame["date_entree"].dt.date
    frame["date_sortie"] = (
        frame["date_sortie"].dt.date.astype(object).where(frame["date_sortie"].notna(), None)
    )
    return frame[PATHWAY_COLUMNS]


def _keys(texts: pd.Series) -> np.ndarray:
    """`normalize_key` of each text, computed once per distinct text (a million stays name a few
    thousand structures)."""
    codes, uniques = pd.factorize(texts, use_na_sentinel=False)
    return np.array([normalize_key(u) for u in uniques], dtype=object)[codes]


def pathway_spans(pathways: pd.DataFrame) -> pd.DataFrame:
    """One row per pathway: pole, person, first entry, exit (null if it goes on), category, months."""
    frame = pathways.copy()
    frame["date_entree"] = pd.to_datetime(frame["date_entree"])
    frame["date_sortie"] = pd.to_datetime(frame["date_sortie"])
    spans = frame.groupby("parcours_id").agg(
        pole_id=("pole_id", "first"), person_key=("person_key", "first"), debut=("date_entree", "min")
    )
    ends = frame[frame["fin_parcours"]].set_index("parcours_id")
    spans["fin"] = ends["date_sortie"]
    spans["categorie"] = ends["categorie_sortie"]
    spans["duree_mois"] = (spans["fin"] - spans["debut"]).dt.days / DAYS_PER_MONTH
    return spans.reset_index()


def build_indicators(pathways: pd.DataFrame, declared: pd.DataFrame, today: date) -> pd.DataFrame:
    """`pathway_indicators`: per pole and year, each code from the pathways beside the declared value.

    Years: from a pole's first entry to the last year its files speak of (latest entry or exit
    date); a stay still open counts up to the end of that year (never beyond `today`).
    - personnes_accompagnees: distinct persons with a stay overlapping the year;
    - entrees_parcours / sorties…: pathways starting / ended in the year (sorties without retraits);
    - taux_sortie_dynamique: (durable + transition + positive) / sorties (null without exits);
    - duree_mediane_mois: median duration of the pathways ended in the year (withdrawals left out);
    - heures_formation: each stay's hours shared over its days (an open stay up to the end of the
      last year covered), the year's share summed;
    - certifications: persons certified on a stay ended in the year;
    - mobilites_internes: persons with an internal move starting in the year.
    `declared`: mart_pole_year (pole_id, annee, code, valeur).

    Computed by grouping over all poles at once (a stay is repeated once per year it overlaps), not
    pole by pole: filtering the whole table for each pole made it quadratic in the number of poles.
    """
    if pathways.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    stays = pathways[
        ["pole_id", "person_key", "date_entree", "date_sortie", "heures_formation", "certification"]
    ].copy()
    stays["mobilite_interne"] = pathways["mobilite_interne"].astype(bool)
    stays["date_entree"] = pd.to_datetime(stays["date_entree"])
    stays["date_sortie"] = pd.to_datetime(stays["date_sortie"])
    # A stay still open is counted up to the end of the last year the pole's files speak of (its
    # latest entry or exit date), never beyond today: a file of 2017 says nothing of 2020.
    latest = stays[["date_entree", "date_sortie"]].max(axis=1).groupby(stays["pole_id"]).transform("max")
    horizon = pd.to_datetime(latest.dt.year.astype(str) + "-12-31").clip(upper=pd.Timestamp(today))
    stays["_fin"] = stays["date_sortie"].fillna(horizon)
    stays["_an_entree"] = stays["date_entree"].dt.year.astype("int64")
    stays["_an_fin"] = stays["_fin"].dt.year.astype("int64")
    stays["_an_sortie"] = stays["date_sortie"].dt.year
    stays["_certifie"] = stays["certification"].fillna(False).astype(bool)

    # Every (pole, year) from the pole's first entry to the end of the last year it speaks of.
    bounds = stays.groupby("pole_id", sort=True).agg(first=("_an_entree", "min"), last=("_an_fin", "max"))
    n_years = (bounds["last"] - bounds["first"] + 1).to_numpy()
    grid = pd.DataFrame(
        {
            "pole_id": np.repeat(bounds.index.to_numpy(), n_years),
            "annee": np.repeat(bounds["first"].to_numpy(), n_years) + _ranks(n_years),
        }
    )
    keys = ["pole_id", "annee"]

    # Each stay once per year it overlaps, in the stays' order (the hours are summed in that order).
    span = (stays["_an_fin"] - stays["_an_entree"] + 1).clip(lower=0).to_numpy()
    rows = np.repeat(np.arange(len(stays)), span)
    years = stays["_an_entree"].to_numpy()[rows] + _ranks(span)
    overlap = pd.DataFrame(
        {
            "pole_id": stays["pole_id"].to_numpy()[rows],
            "annee": years,
            "person_key": stays["person_key"].to_numpy()[rows],
        }
    )
    counts = overlap.groupby(keys, sort=False)["person_key"].nunique().rename("personnes_accompagnees")
    hours = _hours_by_year(stays, rows, years)

    spans = pathway_spans(pathways)
    entries = spans.groupby([spans["pole_id"], spans["debut"].dt.year.rename("annee")]).size()
    ended = spans[spans["fin"].notna()].assign(annee=lambda f: f["fin"].dt.year)
    by_category = ended.groupby(["pole_id", "annee", "categorie"]).size().unstack(fill_value=0)
    counted = ended[ended["categorie"] != WITHDRAWN_EXIT]
    exits = counted.groupby(keys).size()
    median = counted.groupby(keys)["duree_mois"].median()
    certified = stays[stays["_certifie"]].groupby(["pole_id", "_an_sortie"])["person_key"].nunique()
    moved = stays[stays["mobilite_interne"]].groupby(["pole_id", "_an_entree"])["person_key"].nunique()

    index = pd.MultiIndex.from_frame(grid)
    values = pd.DataFrame(index=index)
    values["personnes_accompagnees"] = counts.reindex(index, fill_value=0)
    values["entrees_parcours"] = entries.reindex(index, fill_value=0).to_numpy()
    values["sorties"] = exits.reindex(index, fill_value=0).to_numpy()
    for category, code in CATEGORY_CODES.items():
        column = by_category[category] if category in by_category else pd.Series(dtype=int)
        values[code] = column.reindex(index, fill_value=0).to_numpy()
    dynamic = values["sorties_emploi_durable"] + values["sorties_emploi_transition"]
    dynamic += values["sorties_positives"]
    with_exits = values["sorties"] > 0
    values["taux_sortie_dynamique"] = (dynamic / values["sorties"].where(with_exits)).where(with_exits)
    values["duree_mediane_mois"] = median.reindex(index).to_numpy()
    values["heures_formation"] = hours.reindex(index).to_numpy()
    values["certifications"] = certified.reindex(index, fill_value=0).to_numpy()
    values["mobilites_internes"] = moved.reindex(index, fill_value=0).to_numpy()

    long = values[list(PATHWAY_INDICATOR_CODES)].astype(float).stack(future_stack=True)
    long = long[long.notna()]
    frame = long.rename("valeur").reset_index()
    frame.columns = ["pole_id", "annee", "code", "valeur"]
    given = declared[["pole_id", "annee", "code", "valeur"]].rename(columns={"valeur": "valeur_declaree"})
    frame = frame.merge(given, on=["pole_id", "annee", "code"], how="left")
    frame["ecart"] = frame["valeur"] - frame["valeur_declaree"]
    frame["ecart_relatif"] = frame["ecart"] / frame["valeur_declaree"].where(frame["valeur_declaree"] != 0)
    frame["origine"] = "parcours"
    return frame[INDICATOR_COLUMNS].sort_values(["pole_id", "annee", "code"]).reset_index(drop=True)


def _ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, …, k - 1 for each count k, end to end: each copy's rank among those `np.repeat` made."""
    return np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)


def _hours_by_year(stays: pd.DataFrame, rows: np.ndarray, years: np.ndarray) -> pd.Series:
    """Training hours per (pole, year): each stay's hours shared over its days, the year's share summed.

    `rows` / `years`: each stay repeated once per year it overlaps. A pole and year without any
    stay giving hours has no figure (absent from the result).
    """
    has_hours = stays["heures_formation"].notna().to_numpy()[rows]
    rows, years = rows[has_hours], years[has_hours]
    start = stays["date_entree"].to_numpy()[rows]
    end = stays["_fin"].to_numpy()[rows]
    first_day = (years - 1970).astype("datetime64[Y]").astype("datetime64[ns]")
    last_day = (years - 1970 + 1).astype("datetime64[Y]").astype("datetime64[ns]") - np.timedelta64(1, "D")
    lo = np.maximum(start, first_day)
    hi = np.minimum(end, last_day)
    day = np.timedelta64(1, "D")
    in_year = np.clip((hi - lo) // day + 1, 0, None)
    total = (end - start) // day + 1
    share = pd.Series(in_year) / pd.Series(total)
    contribution = (pd.Series(stays["heures_formation"].to_numpy()[rows]) * share).to_numpy()
    poles = stays["pole_id"].to_numpy()[rows]
    # Summed group by group in the stays' order, as numpy sums (pairwise): the figures stay exactly
    # those of a sum over each pole and year's stays.
    order = np.lexsort((np.arange(len(rows)), years, pd.factorize(poles, sort=True)[0]))
    poles, years, contribution = poles[order], years[order], contribution[order]
    if not len(order):
        return pd.Series(dtype=float, index=pd.MultiIndex.from_arrays([[], []], names=["pole_id", "annee"]))
    change = np.flatnonzero((poles[1:] != poles[:-1]) | (years[1:] != years[:-1])) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(order)]))
    sums = [float(contribution[a:b].sum()) for a, b in zip(starts, ends, strict=True)]
    index = pd.MultiIndex.from_arrays([poles[starts], years[starts]], names=["pole_id", "annee"])
    return pd.Series(sums, index=index)

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


def latest_versions(stays: pd.DataFrame, arrivals: pd.DataFrame) -> pd.DataFrame:
    """One row per stay: the version from the file that arrived last (then the later row)."""
    if stays.empty:
        return stays.copy()
    frame = stays.merge(arrivals[["source_file", "arrival_rank"]], on="source_file", how="left")
    frame["structure_cle"] = frame["structure"].map(normalize_key)
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
    frame["structure_cle"] = frame["structure"].map(normalize_key)
    frame = frame.sort_values(
        ["pole_id", "person_key", "date_entree", "date_sortie", "structure_cle"],
        kind="stable",
        na_position="last",
    ).reset_index(drop=True)
    move = np.zeros(len(frame), dtype=bool)
    number = np.zeros(len(frame), dtype=int)
    step = np.zeros(len(frame), dtype=int)
    previous: dict[tuple[str, str], int] = {}
    for i, row in enumerate(frame.itertuples()):
        person = (row.pole_id, row.person_key)
        j = previous.get(person)
        if j is None:
            number[i], step[i] = 1, 1
        else:
            prev_exit = frame.at[j, "date_sortie"]
            if pd.isna(prev_exit):
                # The previous stay goes on: this one runs beside it, in the same pathway.
                same, is_move = True, False
            else:
                gap = (row.date_entree - prev_exit).days
                is_move = gap <= gap_days and row.structure_cle != frame.at[j, "structure_cle"]
                # Entered again before the previous stay ended (two overlapping rows of one structure):
                # still the same pathway, or the earlier exit would count while the person stays on.
                same = is_move or gap < 0
            move[i] = is_move
            number[i] = number[j] if same else number[j] + 1
            step[i] = step[j] + 1 if same else 1
        previous[person] = i
    frame["mobilite_interne"] = move
    frame["parcours_id"] = [f"{k}-{n}" for k, n in zip(frame["person_key"], number, strict=True)]
    frame["etape"] = step
    last = frame.groupby("parcours_id")["etape"].transform("max") == frame["etape"]
    frame["fin_parcours"] = last & frame["date_sortie"].notna()
    # Only the stay that ends a pathway carries its exit category (an internal move is no exit).
    frame["categorie_sortie"] = frame["categorie_sortie"].where(frame["fin_parcours"])
    frame["duree_mois"] = ((frame["date_sortie"] - frame["date_entree"]).dt.days / DAYS_PER_MONTH).round(1)
    frame["date_entree"] = frame["date_entree"].dt.date
    frame["date_sortie"] = (
        frame["date_sortie"].dt.date.astype(object).where(frame["date_sortie"].notna(), None)
    )
    return frame[PATHWAY_COLUMNS]


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


def _days_in_year(start: pd.Series, end: pd.Series, year: int) -> pd.Series:
    lo = start.clip(lower=pd.Timestamp(year, 1, 1))
    hi = end.clip(upper=pd.Timestamp(year, 12, 31))
    return ((hi - lo).dt.days + 1).clip(lower=0)


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
    """
    if pathways.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    stays = pathways.copy()
    stays["date_entree"] = pd.to_datetime(stays["date_entree"])
    stays["date_sortie"] = pd.to_datetime(stays["date_sortie"])
    # A stay still open is counted up to the end of the last year the pole's files speak of (its
    # latest entry or exit date), never beyond today: a file of 2017 says nothing of 2020.
    latest = stays[["date_entree", "date_sortie"]].max(axis=1).groupby(stays["pole_id"]).transform("max")
    horizon = pd.to_datetime(latest.dt.year.astype(str) + "-12-31").clip(upper=pd.Timestamp(today))
    stays["_fin"] = stays["date_sortie"].fillna(horizon)
    # Years computed once: the loop below compares integers only.
    stays["_an_entree"] = stays["date_entree"].dt.year
    stays["_an_fin"] = stays["_fin"].dt.year
    stays["_an_sortie"] = stays["date_sortie"].dt.year
    stays["_certifie"] = stays["certification"].fillna(False).astype(bool)
    stays["_mobilite"] = stays["mobilite_interne"].astype(bool)
    spans = pathway_spans(pathways)
    spans["_an_debut"] = spans["debut"].dt.year
    spans["_an_fin"] = spans["fin"].dt.year
    rows = []
    for pole_id, mine in stays.groupby("pole_id"):
        paths = spans[spans["pole_id"] == pole_id]
        for year in range(int(mine["_an_entree"].min()), int(mine["_an_fin"].max()) + 1):
            overlap = mine[(mine["_an_entree"] <= year) & (mine["_an_fin"] >= year)]
            ended = paths[paths["_an_fin"] == year]
            counted = ended[ended["categorie"] != WITHDRAWN_EXIT]
            by_category = ended["categorie"].value_counts()
            values: dict[str, float | None] = {
                "personnes_accompagnees": overlap["person_key"].nunique(),
                "entrees_parcours": int((paths["_an_debut"] == year).sum()),
                "sorties": len(counted),
            }
            for category, code in CATEGORY_CODES.items():
                values[code] = int(by_category.get(category, 0))
            dynamic = values["sorties_emploi_durable"] + values["sorties_emploi_transition"]
            dynamic += values["sorties_positives"]
            values["taux_sortie_dynamique"] = dynamic / len(counted) if len(counted) else None
            values["duree_mediane_mois"] = float(counted["duree_mois"].median()) if len(counted) else None
            with_hours = overlap[overlap["heures_formation"].notna()]
            if len(with_hours):
                total_days = (with_hours["_fin"] - with_hours["date_entree"]).dt.days + 1
                share = _days_in_year(with_hours["date_entree"], with_hours["_fin"], year) / total_days
                values["heures_formation"] = float((with_hours["heures_formation"] * share).sum())
            else:
                values["heures_formation"] = None
            values["certifications"] = mine.loc[
                mine["_certifie"] & (mine["_an_sortie"] == year), "person_key"
            ].nunique()
            values["mobilites_internes"] = mine.loc[
                mine["_mobilite"] & (mine["_an_entree"] == year), "person_key"
            ].nunique()
            rows.extend(
                {"pole_id": pole_id, "annee": year, "code": code, "valeur": float(values[code])}
                for code in PATHWAY_INDICATOR_CODES
                if values[code] is not None
            )
    frame = pd.DataFrame(rows, columns=["pole_id", "annee", "code", "valeur"])
    given = declared[["pole_id", "annee", "code", "valeur"]].rename(columns={"valeur": "valeur_declaree"})
    frame = frame.merge(given, on=["pole_id", "annee", "code"], how="left")
    frame["ecart"] = frame["valeur"] - frame["valeur_declaree"]
    frame["ecart_relatif"] = frame["ecart"] / frame["valeur_declaree"].where(frame["valeur_declaree"] != 0)
    frame["origine"] = "parcours"
    return frame[INDICATOR_COLUMNS].sort_values(["pole_id", "annee", "code"]).reset_index(drop=True)

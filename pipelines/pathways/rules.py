"""Quality rules of the pathways domain: Great Expectations suites of `pathways` (person-level, so
also rules that no identifying value slipped in). `pathway_indicators` follows `mart_pole_year`
(the declared figures), whose blocking suite runs in `gx_marts`: a GX suite of it there would make a
cycle, so its structure is checked in SQL (`checks.py`).

Examples of failed rules name a pathway by `parcours_id` (built on the pseudonym), the file and the
row, never a person's identifier.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.pathways.exits import CATEGORIES
from pipelines.pathways.fields import AGE_BANDS, FIRST_ENTRY_YEAR
from pipelines.pathways.pseudonym import PSEUDONYM_PATTERN
from pipelines.shared.gx_frames import table
from pipelines.shared.gx_suites import Rule, RuleContext, Suite, rule
from ptce.contract import TABLES


def pathways_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """`pathways` with a per-row flag: exit on or after entry (or no exit yet)."""
    frame = table(con, "pathways")
    entry = pd.to_datetime(frame["date_entree"])
    exit_ = pd.to_datetime(frame["date_sortie"])
    frame["dates_ordonnees"] = exit_.isna() | (exit_ >= entry)
    frame["annee_entree"] = entry.dt.year
    return frame


def _pathway_rules(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "person_key_hexadecimal",
            "La personne est désignée par un pseudonyme (32 caractères hexadécimaux), jamais par son "
            "identifiant.",
            lambda g: g.ExpectColumnValuesToMatchRegex(column="person_key", regex=PSEUDONYM_PATTERN),
        ),
        rule(
            "person_key_renseigne",
            "Chaque étape a son pseudonyme.",
            lambda g: g.ExpectColumnValuesToNotBeNull(column="person_key"),
        ),
        rule(
            "colonnes_du_contrat",
            "Seules les colonnes prévues : aucun nom, prénom, adresse ni date de naissance.",
            lambda g: g.ExpectTableColumnsToMatchSet(
                column_set=[*TABLES["pathways"], "dates_ordonnees", "annee_entree"], exact_match=True
            ),
        ),
        rule(
            "pole_connu",
            "Le pôle fait partie du référentiel des pôles.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="pole_id", value_set=list(ctx.pole_ids)),
        ),
        rule(
            "categorie_connue",
            "Catégorie de sortie parmi les cinq catégories de l'IAE (vide si le parcours continue).",
            lambda g: g.ExpectColumnValuesToBeInSet(column="categorie_sortie", value_set=list(CATEGORIES)),
        ),
        rule(
            "dates_ordonnees",
            "Date de sortie postérieure ou égale à la date d'entrée.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="dates_ordonnees", value_set=[True]),
        ),
        rule(
            "annee_entree_plausible",
            f"Entrée entre {FIRST_ENTRY_YEAR} et l'année en cours.",
            lambda g: g.ExpectColumnValuesToBeBetween(
                column="annee_entree", min_value=FIRST_ENTRY_YEAR, max_value=ctx.today.year
            ),
        ),
        rule(
            "tranche_age_connue",
            "Tranche d'âge parmi les quatre de l'observatoire (jamais une date de naissance).",
            lambda g: g.ExpectColumnValuesToBeInSet(column="tranche_age", value_set=list(AGE_BANDS)),
        ),
        rule(
            "sexe_f_h",
            "Sexe F ou H (vide si non renseigné).",
            lambda g: g.ExpectColumnValuesToBeInSet(column="sexe", value_set=["F", "H"]),
        ),
        rule(
            "etape_unique",
            "Une seule ligne par parcours et étape.",
            lambda g: g.ExpectCompoundColumnsToBeUnique(column_list=["parcours_id", "etape"]),
        ),
        rule(
            "fichier_source",
            "Chaque étape vient d'un fichier de raw/parcours/.",
            lambda g: g.ExpectColumnValuesToMatchRegex(column="source_file", regex=r"^raw/parcours/"),
        ),
    ]


TABLE_SUITES: tuple[Suite, ...] = (
    Suite(
        "pathways",
        "gx_pathways",
        "Parcours : pseudonymes, catégories, dates, tranches d'âge, aucune donnée identifiante.",
        "ERROR",
        "pathways",
        ("parcours_id", "etape", "source_file", "row_number"),
        _pathway_rules,
    ),
)
FRAMES = {"pathways": lambda con, ctx: pathways_frame(con)}

"""Quality rules of the visits domain: Great Expectations suites of its tables.

The event tables and `practices` are built in one step and checked in `gx_tables` (ERROR: a failure
is a defect of the observatory, the rows were already checked at reading). `visit_offers` and
`community_indicators` follow `applications` and the event tables, which `gx_tables` checks: their
suites run in `gx_marts` (one step later), never in `gx_tables`, which would wait for itself.
A practice whose « Visite » cell names no event is a warning of its own (`checks.py`), never a
reason to withhold publication.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.shared.gx_frames import table
from pipelines.shared.gx_suites import Rule, RuleContext, Suite, rule
from pipelines.visits.tables import HELD, LEARNING_VISIT, PLANNED
from ptce.contract import OFFER_STATUSES, VISIT_ROLES, VISIT_TYPES
from ptce.reference import load_catalog, load_community_indicators


def visits_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """`visits` with per-row flags: dates in order, year of the first day, host when one is due."""
    frame = table(con, "visits")
    start = pd.to_datetime(frame["date_visite"])
    end = pd.to_datetime(frame["date_fin"])
    frame["dates_ordonnees"] = end.isna() | (end > start)
    frame["annee_de_la_date"] = start.dt.year == frame["annee"]
    frame["hote_si_visite"] = (frame["type"] != LEARNING_VISIT) | frame["pole_id"].notna()
    return frame


def linked_frame(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """A table of rows about events, with a flag: the event exists in `visits` (or none is named)."""
    frame = table(con, name)
    known = set(table(con, "visits")["visit_id"])
    frame["visite_connue"] = frame["visit_id"].isna() | frame["visit_id"].isin(known)
    return frame


def community_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """`community_indicators` with the period as text (« ensemble » for the whole period)."""
    frame = table(con, "community_indicators")
    frame["periode"] = frame["annee"].map(lambda y: "ensemble" if pd.isna(y) else str(int(y)))
    return frame


def _visits(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "visit_id_unique",
            "Un identifiant par événement.",
            lambda g: g.ExpectColumnValuesToBeUnique(column="visit_id"),
        ),
        rule(
            "type_connu",
            "Type parmi les événements de la communauté (visite apprenante, séminaire, rencontre, échange).",
            lambda g: g.ExpectColumnValuesToBeInSet(column="type", value_set=list(VISIT_TYPES)),
        ),
        rule(
            "hote_connu",
            "Le pôle hôte fait partie du référentiel des pôles.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="pole_id", value_set=list(ctx.pole_ids)),
        ),
        rule(
            "visite_avec_hote",
            "Une visite apprenante a toujours un pôle hôte.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="hote_si_visite", value_set=[True]),
        ),
        rule(
            "dates_ordonnees",
            "Le dernier jour suit le premier (vide pour un événement d'un jour).",
            lambda g: g.ExpectColumnValuesToBeInSet(column="dates_ordonnees", value_set=[True]),
        ),
        rule(
            "annee_de_la_date",
            "L'année est celle du premier jour.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="annee_de_la_date", value_set=[True]),
        ),
        rule(
            "statut_connu",
            "Statut « tenue » ou « prévue ».",
            lambda g: g.ExpectColumnValuesToBeInSet(column="statut", value_set=[HELD, PLANNED]),
        ),
        rule(
            "participants_positifs",
            "Nombre de participants positif ou nul (compté, jamais nommé).",
            lambda g: g.ExpectColumnValuesToBeBetween(column="nb_participants", min_value=0),
        ),
        rule(
            "poles_presents_positifs",
            "Nombre de pôles présents entre 0 et le nombre de pôles du référentiel.",
            lambda g: g.ExpectColumnValuesToBeBetween(
                column="nb_poles_presents", min_value=0, max_value=len(ctx.pole_ids)
            ),
        ),
        rule(
            "fichier_source",
            "Chaque événement vient d'un fichier de raw/visites/.",
            lambda g: g.ExpectColumnValuesToMatchRegex(column="source_file", regex=r"^raw/visites/"),
        ),
    ]


def _visit_poles(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "pole_connu",
            "Le pôle fait partie du référentiel des pôles.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="pole_id", value_set=list(ctx.pole_ids)),
        ),
        rule(
            "role_connu",
            "Rôle « hote » ou « participant ».",
            lambda g: g.ExpectColumnValuesToBeInSet(column="role", value_set=list(VISIT_ROLES)),
        ),
        rule(
            "une_ligne_par_pole",
            "Un pôle figure une fois par événement.",
            lambda g: g.ExpectCompoundColumnsToBeUnique(column_list=["visit_id", "pole_id"]),
        ),
        rule(
            "visite_connue",
            "L'événement existe dans la table des visites.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="visite_connue", value_set=[True]),
        ),
    ]


def _visit_angles(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "angle_du_catalogue",
            "Angle parmi les cinq angles de travail (domaines du catalogue).",
            lambda g: g.ExpectColumnValuesToBeInSet(
                column="angle", value_set=[d.code for d in load_catalog().domains]
            ),
        ),
        rule(
            "une_ligne_par_angle",
            "Un angle figure une fois par événement.",
            lambda g: g.ExpectCompoundColumnsToBeUnique(column_list=["visit_id", "angle"]),
        ),
        rule(
            "visite_connue",
            "L'événement existe dans la table des visites.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="visite_connue", value_set=[True]),
        ),
    ]


def _visit_documents(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "titre_renseigne",
            "Chaque document a un titre (son lien ou son nom de fichier à défaut).",
            lambda g: g.ExpectColumnValuesToNotBeNull(column="titre"),
        ),
        rule(
            "visite_connue",
            "L'événement existe dans la table des visites.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="visite_connue", value_set=[True]),
        ),
    ]


def _practices(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "practice_id_unique",
            "Un identifiant par pratique.",
            lambda g: g.ExpectColumnValuesToBeUnique(column="practice_id"),
        ),
        rule(
            "titre_renseigne",
            "Chaque pratique a un titre.",
            lambda g: g.ExpectColumnValuesToNotBeNull(column="titre"),
        ),
        rule(
            "pole_connu",
            "Le pôle qui partage la pratique fait partie du référentiel des pôles.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="pole_id", value_set=list(ctx.pole_ids)),
        ),
        rule(
            "angle_du_catalogue",
            "Angle parmi les cinq angles de travail (vide si aucun n'est dit).",
            lambda g: g.ExpectColumnValuesToBeInSet(
                column="angle", value_set=[d.code for d in load_catalog().domains]
            ),
        ),
        rule(
            "visite_connue",
            "La visite rattachée existe dans la table des visites.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="visite_connue", value_set=[True]),
        ),
    ]


def _visit_offers(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "un_pole_par_ligne",
            f"Une ligne par pôle du référentiel ({len(ctx.pole_ids)}).",
            lambda g: g.ExpectTableRowCountToEqual(value=len(ctx.pole_ids)),
        ),
        rule(
            "pole_unique",
            "Un pôle figure une fois.",
            lambda g: g.ExpectColumnValuesToBeUnique(column="pole_id"),
        ),
        rule(
            "pole_connu",
            "Le pôle fait partie du référentiel des pôles.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="pole_id", value_set=list(ctx.pole_ids)),
        ),
        rule(
            "statut_connu",
            "Statut de l'offre parmi : " + ", ".join(OFFER_STATUSES) + ".",
            lambda g: g.ExpectColumnValuesToBeInSet(column="statut_offre", value_set=list(OFFER_STATUSES)),
        ),
        rule(
            "visites_positives",
            "Nombre de visites accueillies positif ou nul.",
            lambda g: g.ExpectColumnValuesToBeBetween(column="visites_accueillies", min_value=0),
        ),
    ]


def _community(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "code_du_catalogue",
            "Code de la section « vie de la communauté » du catalogue.",
            lambda g: g.ExpectColumnValuesToBeInSet(
                column="code", value_set=[i.code for i in load_community_indicators()]
            ),
        ),
        rule(
            "une_valeur_par_periode",
            "Une valeur par année (ou pour toute la période) et par indicateur.",
            lambda g: g.ExpectCompoundColumnsToBeUnique(column_list=["periode", "code"]),
        ),
        rule(
            "valeur_renseignee",
            "Chaque ligne porte une valeur.",
            lambda g: g.ExpectColumnValuesToNotBeNull(column="valeur"),
        ),
        rule(
            "valeur_positive",
            "Valeur positive ou nulle.",
            lambda g: g.ExpectColumnValuesToBeBetween(column="valeur", min_value=0),
        ),
    ]


TABLE_SUITES: tuple[Suite, ...] = (
    Suite(
        "visits",
        "gx_visits",
        "Événements : identifiants, types, hôtes connus, dates, statut.",
        "ERROR",
        "visits",
        ("visit_id", "source_file", "row_number"),
        _visits,
    ),
    Suite(
        "visit_poles",
        "gx_visit_poles",
        "Pôles par événement : pôles connus, rôles, événement existant.",
        "ERROR",
        "visit_poles",
        ("visit_id", "pole_id"),
        _visit_poles,
    ),
    Suite(
        "visit_angles",
        "gx_visit_angles",
        "Angles par événement : angles du catalogue.",
        "ERROR",
        "visit_angles",
        ("visit_id", "angle"),
        _visit_angles,
    ),
    Suite(
        "visit_documents",
        "gx_visit_documents",
        "Documents des événements : titrés, événement existant.",
        "ERROR",
        "visit_documents",
        ("visit_id", "source_file", "row_number"),
        _visit_documents,
    ),
    Suite(
        "practices",
        "gx_practices",
        "Pratiques partagées : identifiants, pôles connus, angles, visite existante.",
        "ERROR",
        "practices",
        ("practice_id", "source_file", "row_number"),
        _practices,
    ),
)
MART_SUITES: tuple[Suite, ...] = (
    Suite(
        "visit_offers",
        "gx_visit_offers",
        "Offres d'accueil : une ligne par pôle, statut connu.",
        "ERROR",
        "visit_offers",
        ("pole_id",),
        _visit_offers,
    ),
    Suite(
        "community_indicators",
        "gx_community_indicators",
        "Vie de la communauté : codes du catalogue, une valeur par période.",
        "ERROR",
        "community_indicators",
        ("periode", "code"),
        _community,
    ),
)
FRAMES = {
    "visits": lambda con, ctx: visits_frame(con),
    "visit_poles": lambda con, ctx: linked_frame(con, "visit_poles"),
    "visit_angles": lambda con, ctx: linked_frame(con, "visit_angles"),
    "visit_documents": lambda con, ctx: linked_frame(con, "visit_documents"),
    "practices": lambda con, ctx: linked_frame(con, "practices"),
    "community_indicators": lambda con, ctx: community_frame(con),
}

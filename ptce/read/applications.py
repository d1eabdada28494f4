"""Reads of the applications to the AMI: only the current version of each pole's answers.

Earlier versions stay in the warehouse for history; these reads show what is in force.

Staff only (`require_staff`, SPEC §5): the answers are each pole's own words. What a pole offered
for a visit reaches that pole through `ptce.read.visits.offers`.
"""

from __future__ import annotations

import pandas as pd

from ptce.read.base import Viewer, Warehouse, query, require_staff
from ptce.reference import load_keywords


def applications(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """One row per pole with a current application: identity, completeness, charter, visit offer."""
    require_staff(viewer)
    return query(
        wh,
        """
        select a.pole_id, p.numero, coalesce(p.nom, a.pole_id) as nom, a.source_file, a.version,
               a.arrived_at, a.completude, a.nb_questions, a.nb_repondues, a.charte,
               a.accueil_visite, a.experiences_visite, a.echeance_visite, a.periode_visite,
               a.statut_juridique, a.annee_debut, a.operationnel, a.nb_parties_prenantes,
               a.nb_salaries, a.nb_benevoles, a.part_financement_collectivites
        from applications a
        left join poles p using (pole_id)
        where a.current
        order by p.numero nulls last, a.pole_id
        """,
    )


def application_answers(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Every current answer, by pole then in form order (part, question number, label)."""
    require_staff(viewer)
    # `numero` is text ("1", "2"… or "" for the yes/no questions closing a part): sorted as a number,
    # the unnumbered ones last within their part, as on the form.
    return query(
        wh,
        """
        select a.pole_id, p.numero as pole_numero, coalesce(p.nom, a.pole_id) as nom, a.code,
               a.partie, a.numero, a.libelle, a.type, a.reponse, a.oui_non, a.repondue
        from application_answers a
        left join poles p using (pole_id)
        where a.current
        order by p.numero nulls last, a.pole_id, a.partie,
                 try_cast(a.numero as integer) nulls last, a.libelle
        """,
    )


def angle_counts(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Poles with a current application x the five working angles: answers tagged (0 when none).

    The angles are those of the keyword dictionary, in its order, so an angle no answer touches
    still has its column (with zeros) rather than vanishing from the heat map.
    """
    require_staff(viewer)
    angles = [k for k in load_keywords() if k.categorie == "angle"]
    return query(
        wh,
        """
        with angles as (
            select unnest(?) as tag, unnest(?) as libelle, unnest(range(len(?))) as ordre
        ),
        counts as (
            select pole_id, tag, count(distinct code_question) as nb
            from application_tags
            where current and categorie = 'angle'
            group by all
        )
        select a.pole_id, p.numero, coalesce(p.nom, a.pole_id) as nom, g.tag, g.libelle,
               coalesce(c.nb, 0) as nb
        from applications a
        cross join angles g
        left join poles p using (pole_id)
        left join counts c on c.pole_id = a.pole_id and c.tag = g.tag
        where a.current
        order by p.numero nulls last, a.pole_id, g.ordre
        """,
        [[k.code for k in angles], [k.libelle for k in angles], [k.code for k in angles]],
    )


def application_tags(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Current tags (angles and tools) with the sentence that triggered each, by pole."""
    require_staff(viewer)
    return query(
        wh,
        """
        select t.pole_id, p.numero, coalesce(p.nom, t.pole_id) as nom, t.tag, t.categorie,
               t.libelle, t.mot_cle, t.code_question, q.libelle as question, t.phrase
        from application_tags t
        left join poles p using (pole_id)
        left join (
            select code, min(libelle) as libelle from application_answers group by code
        ) q on q.code = t.code_question
        where t.current
        order by p.numero nulls last, t.pole_id, t.categorie, t.libelle, t.code_question
        """,
    )


def application_fields(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Current structured fields drawn from the answers, with the passage each came from."""
    require_staff(viewer)
    return query(
        wh,
        """
        select f.pole_id, p.numero, coalesce(p.nom, f.pole_id) as nom, f.champ, f.valeur,
               f.code_question, q.libelle as question, f.passage
        from application_fields f
        left join poles p using (pole_id)
        left join (
            select code, min(libelle) as libelle from application_answers group by code
        ) q on q.code = f.code_question
        where f.current
        order by p.numero nulls last, f.pole_id, f.champ
        """,
    )

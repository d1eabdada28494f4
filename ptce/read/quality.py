"""Reads of data quality: the checks of the publishing run, the ingest log, the quarantine,
completeness of the submissions, and the history of corrections.

Staff only (`require_staff`, SPEC §5): the quarantine and the check examples quote the files'
values, which can be person-level (a pathway row), and the ingest log names every pole's files.
"""

from __future__ import annotations

import pandas as pd

from ptce.read.base import Viewer, Warehouse, query, require_staff


def quality_run(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """The publishing run (one row): date, run id and where its Great Expectations Data Docs are."""
    require_staff(viewer)
    return query(
        wh,
        """
        select published_at, run_id, data_docs
        from publication
        order by published_at desc
        limit 1
        """,
    )


def check_results(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Every rule checked by the publishing run, failures first (blocking, then warnings)."""
    require_staff(viewer)
    # The pipeline empties check_results at the start of each run, so the table holds exactly the
    # rules of the run that published this warehouse; no filter on run_id is needed.
    return query(
        wh,
        """
        select run_id, asset, check_name, regle, description, severite, passed,
               unexpected_count, exemples, moteur
        from check_results
        order by passed, severite = 'WARN', asset, check_name, regle
        """,
    )


def ingest_log(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """One row per raw file read, with its arrival date and rank when the register knows them."""
    require_staff(viewer)
    return query(
        wh,
        """
        select l.source_file, l.kind, l.format, l.size_bytes,
               coalesce(l.rows_read, 0) as rows_read,
               coalesce(l.rows_loaded, 0) as rows_loaded,
               coalesce(l.rows_quarantined, 0) as rows_quarantined,
               l.status, l.message, a.arrived_at, a.arrival_rank
        from ingest_log l
        left join file_arrivals a using (source_file)
        order by l.kind, l.source_file
        """,
    )


def quarantine(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Quarantined cells with their French reason, the pole's name (null when not recognised), the
    row's period and indicator when known, and when the file arrived: the latest file first."""
    require_staff(viewer)
    return query(
        wh,
        """
        select q.source_file, q.sheet, q.row_number, q.field, q.value, q.reason, q.pole_id,
               p.nom as pole_nom, p.numero, q.annee, q.trimestre, q.indicateur,
               c.libelle as indicateur_libelle, a.arrived_at
        from quarantine q
        left join poles p using (pole_id)
        left join indicator_catalog c on c.code = q.indicateur
        left join file_arrivals a using (source_file)
        order by a.arrived_at desc nulls last, q.source_file, q.sheet nulls first, q.row_number,
                 q.field
        """,
    )


def completeness(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Expected submissions (pole x year x kind) with what arrived, in pole order."""
    require_staff(viewer)
    return query(
        wh,
        """
        select c.pole_id, p.nom as pole_nom, p.numero, c.annee, c.kind, c.recu, c.nb_valeurs,
               c.nb_attendues, c.taux, c.premiere_reception, c.echeance, c.en_retard, c.statut
        from completeness c
        left join poles p using (pole_id)
        order by c.kind, p.numero, c.annee
        """,
    )


def reporting_rates(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Per kind and year: submissions expected, received, received on time, complete."""
    require_staff(viewer)
    # "On time" counts a submission received whose first file arrived by the due date; a received
    # submission with an unknown lateness (null) is not counted as late.
    return query(
        wh,
        """
        select kind, annee,
               count(*) as attendus,
               count(*) filter (where recu) as recus,
               count(*) filter (where recu and not coalesce(en_retard, false)) as a_temps,
               count(*) filter (where statut = 'complet') as complets,
               count(*) filter (where statut = 'à venir') as a_venir
        from completeness
        group by kind, annee
        order by kind, annee
        """,
    )


def indicator_changes(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Values replaced, added or withdrawn by a later file for the same pole and period, newest first."""
    require_staff(viewer)
    return query(
        wh,
        """
        select ch.pole_id, p.nom as pole_nom, p.numero, ch.annee, ch.trimestre, ch.code,
               coalesce(c.libelle, ch.code) as libelle, coalesce(c.unite, 'nombre') as unite,
               ch.version, ch.ancienne_valeur, ch.nouvelle_valeur, ch.ancien_fichier,
               ch.nouveau_fichier, ch.arrived_at, ch.type_changement
        from indicator_changes ch
        left join poles p using (pole_id)
        left join indicator_catalog c using (code)
        order by ch.arrived_at desc, p.numero, ch.annee, ch.trimestre nulls first,
                 c.domaine_ordre, c.ordre, ch.code
        """,
    )

"""Every read of the published warehouse the dashboards make: the only module with SQL.

Each loader is a typed function returning a DataFrame, cached with `st.cache_data` on a `Warehouse`
value (path and modification time), so a new publication — the pipeline swaps the file with
`os.replace` — gets new cache entries at the next rerun. A connection is opened read-only for each
query and closed at once: holding one across reruns would keep reading the replaced file and would
block nothing useful.

Values (years, pole ids) always travel as `?` parameters, never formatted into the SQL text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from ptce.paths import DataLayout, resolve_data_dir
from ptce.warehouse import connect_readonly

# Key figures of the network shown at the top of the overview, in display order.
KEY_FIGURE_CODES: tuple[str, ...] = (
    "membres",
    "salaries",
    "etp",
    "emplois_crees",
    "personnes_accompagnees",
    "taux_sortie_dynamique",
)


# Per loader: enough for every pole of a few publications; old publications' entries age out.
CACHE_ENTRIES = 64


@dataclass(frozen=True)
class Warehouse:
    """One published version of the warehouse: the cache key of every loader."""

    path: str
    mtime_ns: int


def current_warehouse(data_dir: Path | None = None) -> Warehouse | None:
    """The published warehouse as it is now, or None when nothing has been published yet."""
    path = DataLayout(resolve_data_dir(data_dir)).warehouse
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return Warehouse(path=str(path), mtime_ns=stat.st_mtime_ns)


def _query(wh: Warehouse, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    con = connect_readonly(Path(wh.path))
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def publication(wh: Warehouse) -> pd.DataFrame:
    """The publication record (one row): date, demo flag, catalogue version."""
    return _query(
        wh,
        """
        select published_at, run_id, donnees_demo, catalogue_version, nb_fichiers
        from publication
        order by published_at desc
        limit 1
        """,
    )


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def years(wh: Warehouse) -> list[int]:
    """Years with network figures, most recent first."""
    df = _query(wh, "select distinct annee from mart_network_year order by annee desc")
    return [int(y) for y in df["annee"]]


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def poles(wh: Warehouse) -> pd.DataFrame:
    """The twelve poles with their identity, ordered by number."""
    return _query(
        wh,
        """
        select pole_id, numero, nom, nom_court, structure_initiatrice, description,
               representants, departement, nom_departement, region, commune, latitude, longitude
        from poles
        order by numero
        """,
    )


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def pole(wh: Warehouse, pole_id: str) -> pd.DataFrame:
    """One pole's identity (zero or one row)."""
    return _query(
        wh,
        """
        select pole_id, numero, nom, nom_court, structure_initiatrice, description,
               representants, departement, nom_departement, region, commune
        from poles
        where pole_id = ?
        """,
        [pole_id],
    )


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def catalog(wh: Warehouse) -> pd.DataFrame:
    """Indicators (typed-in and derived) in display order: by domain, then catalogue order."""
    return _query(
        wh,
        """
        select code, libelle, definition, unite, domaine, domaine_libelle, domaine_ordre, ordre,
               sens, derive, personnes
        from indicator_catalog
        order by domaine_ordre, derive, ordre
        """,
    )


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def key_figures(wh: Warehouse, year: int) -> pd.DataFrame:
    """Network value of the key figures for `year` and the year before (null when absent)."""
    df = _query(
        wh,
        """
        select c.code, c.libelle, c.unite, c.sens,
               cur.valeur as valeur, prev.valeur as valeur_precedente, cur.nb_poles
        from indicator_catalog c
        left join mart_network_year cur on cur.code = c.code and cur.annee = ?
        left join mart_network_year prev on prev.code = c.code and prev.annee = ? - 1
        where list_contains(?, c.code)
        """,
        [year, year, list(KEY_FIGURE_CODES)],
    )
    order = {code: i for i, code in enumerate(KEY_FIGURE_CODES)}
    return df.sort_values("code", key=lambda s: s.map(order)).reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def network_trends(wh: Warehouse) -> pd.DataFrame:
    """Network value and spread across poles, by year and indicator, with catalogue attributes."""
    return _query(
        wh,
        """
        select n.annee, n.code, c.libelle, c.unite, c.domaine, c.domaine_libelle,
               c.domaine_ordre, c.ordre, n.derive, n.valeur, n.mediane, n.minimum, n.maximum,
               n.nb_poles
        from mart_network_year n
        join indicator_catalog c using (code)
        order by c.domaine_ordre, c.derive, c.ordre, n.annee
        """,
    )


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def poles_year_table(wh: Warehouse, year: int) -> pd.DataFrame:
    """One row per pole: identity and its key figures for `year` (null when not reported)."""
    return _query(
        wh,
        """
        select p.pole_id, p.numero, p.nom, p.commune, p.nom_departement, p.region,
               max(m.valeur) filter (where m.code = 'membres') as membres,
               max(m.valeur) filter (where m.code = 'salaries') as salaries,
               max(m.valeur) filter (where m.code = 'etp') as etp,
               max(m.valeur) filter (where m.code = 'emplois_crees') as emplois_crees,
               max(m.valeur) filter (where m.code = 'personnes_accompagnees')
                   as personnes_accompagnees,
               max(m.valeur) filter (where m.code = 'taux_sortie_dynamique')
                   as taux_sortie_dynamique
        from poles p
        left join mart_pole_year m on m.pole_id = p.pole_id and m.annee = ?
        group by all
        order by p.numero
        """,
        [year],
    )


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def pole_series(wh: Warehouse, pole_id: str) -> pd.DataFrame:
    """A pole's yearly values beside the network median, with origin and source files.

    One row per (indicator, year) reported by the pole; `fichiers` lists the raw files the
    typed-in values came from (empty for derived indicators, computed from others) and
    `commentaires` the comments the pole wrote beside them.
    """
    return _query(
        wh,
        """
        with sources as (
            select annee, code, string_agg(distinct source_file, ', ' order by source_file)
                   as fichiers,
                   string_agg(distinct commentaire, ' | ' order by commentaire)
                       filter (where nullif(trim(commentaire), '') is not null) as commentaires
            from indicator_values
            where pole_id = ?
            group by annee, code
        )
        select m.annee, m.code, c.libelle, c.unite, c.domaine, c.domaine_libelle,
               c.domaine_ordre, c.ordre, m.derive, m.valeur, m.origine, m.nb_trimestres,
               n.mediane as mediane_reseau, n.nb_poles, s.fichiers, s.commentaires
        from mart_pole_year m
        join indicator_catalog c using (code)
        left join mart_network_year n on n.annee = m.annee and n.code = m.code
        left join sources s on s.annee = m.annee and s.code = m.code
        where m.pole_id = ?
        order by c.domaine_ordre, c.derive, c.ordre, m.annee
        """,
        [pole_id, pole_id],
    )


# --- Data quality (page « Qualité des données ») ------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def quality_run(wh: Warehouse) -> pd.DataFrame:
    """The publishing run (one row): date, run id and where its Great Expectations Data Docs are."""
    return _query(
        wh,
        """
        select published_at, run_id, data_docs
        from publication
        order by published_at desc
        limit 1
        """,
    )


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def check_results(wh: Warehouse) -> pd.DataFrame:
    """Every rule checked by the publishing run, failures first (blocking, then warnings)."""
    # The pipeline empties check_results at the start of each run, so the table holds exactly the
    # rules of the run that published this warehouse; no filter on run_id is needed.
    return _query(
        wh,
        """
        select run_id, asset, check_name, regle, description, severite, passed,
               unexpected_count, exemples, moteur
        from check_results
        order by passed, severite = 'WARN', asset, check_name, regle
        """,
    )


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def ingest_log(wh: Warehouse) -> pd.DataFrame:
    """One row per raw file read, with its arrival date and rank when the register knows them."""
    return _query(
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


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def quarantine(wh: Warehouse) -> pd.DataFrame:
    """Quarantined cells with their French reason and the pole's name (null when not recognised)."""
    return _query(
        wh,
        """
        select q.source_file, q.sheet, q.row_number, q.field, q.value, q.reason, q.pole_id,
               p.nom as pole_nom, p.numero
        from quarantine q
        left join poles p using (pole_id)
        order by q.source_file, q.sheet nulls first, q.row_number, q.field
        """,
    )


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def completeness(wh: Warehouse) -> pd.DataFrame:
    """Expected submissions (pole x year x kind) with what arrived, in pole order."""
    return _query(
        wh,
        """
        select c.pole_id, p.nom as pole_nom, p.numero, c.annee, c.kind, c.recu, c.nb_valeurs,
               c.nb_attendues, c.taux, c.premiere_reception, c.echeance, c.en_retard, c.statut
        from completeness c
        left join poles p using (pole_id)
        order by c.kind, p.numero, c.annee
        """,
    )


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def reporting_rates(wh: Warehouse) -> pd.DataFrame:
    """Per kind and year: submissions expected, received, received on time, complete."""
    # "On time" counts a submission received whose first file arrived by the due date; a received
    # submission with an unknown lateness (null) is not counted as late.
    return _query(
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


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def indicator_changes(wh: Warehouse) -> pd.DataFrame:
    """Values replaced, added or withdrawn by a later file for the same pole and period, newest first."""
    return _query(
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


# --- Applications to the AMI (page « Candidatures ») --------------------------------------------
# Only the current version of each pole's answers is shown; earlier versions stay in the warehouse.


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def applications(wh: Warehouse) -> pd.DataFrame:
    """One row per pole with a current application: identity, completeness, charter, visit offer."""
    return _query(
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


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def application_answers(wh: Warehouse) -> pd.DataFrame:
    """Every current answer, by pole then in form order (part, question number, label)."""
    # `numero` is text ("1", "2"… or "" for the yes/no questions closing a part): sorted as a number,
    # the unnumbered ones last within their part, as on the form.
    return _query(
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


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def angle_counts(wh: Warehouse) -> pd.DataFrame:
    """Poles with a current application x working angles: number of answers tagged (0 when none)."""
    return _query(
        wh,
        """
        with angles as (
            select tag, min(libelle) as libelle
            from application_tags
            where categorie = 'angle'
            group by tag
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
        order by p.numero nulls last, a.pole_id, g.tag
        """,
    )


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def application_tags(wh: Warehouse) -> pd.DataFrame:
    """Current tags (angles and tools) with the sentence that triggered each, by pole."""
    return _query(
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


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def application_fields(wh: Warehouse) -> pd.DataFrame:
    """Current structured fields drawn from the answers, with the passage each came from."""
    return _query(
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

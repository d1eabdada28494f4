"""Reads of where the published figures come from: the raw files behind each value (traceability).

The yearly report names, for every row of its tables, the raw files the row's figures were read
from (SPEC §4: `source_file` is the file's path relative to the data directory). These reads return
paths only — never a file's text, a comment or a person-level row — so they are open to every
viewer: a path says which pole sent which kind of file for which period, which the completeness
figures already publish.

Values always travel as `?` parameters. Each read returns `fichiers` as a sorted list of paths.
"""

from __future__ import annotations

import pandas as pd

from ptce.read.base import Viewer, Warehouse, query


def _as_lists(df: pd.DataFrame) -> pd.DataFrame:
    df["fichiers"] = df["fichiers"].map(lambda files: sorted(files) if files is not None else [])
    return df


def indicator_files(wh: Warehouse, viewer: Viewer, year: int | None = None) -> pd.DataFrame:
    """The files each pole's yearly value of each indicator came from (all years when None).

    One row per pole, year and code of `mart_pole_year`: pole_id, annee, code, fichiers. A typed-in
    value's files are those of its values in force (`indicator_values`, quarters included); a
    derived value's (a share, computed, never typed in) are the files of the codes it is computed
    from, for the same pole and year.
    """
    df = query(
        wh,
        """
        with parts as (
            select c.code, unnest(string_split(concat_ws(',', nullif(c.numerateur, ''),
                                                          nullif(c.denominateur, '')), ',')) as part
            from indicator_catalog c
            where c.derive
        ),
        typed as (
            select pole_id, annee, code, source_file from indicator_values
            where ? is null or annee = ?
        ),
        files as (
            select pole_id, annee, code, source_file from typed
            union
            select t.pole_id, t.annee, p.code, t.source_file
            from parts p join typed t on t.code = p.part
        )
        select m.pole_id, m.annee, m.code,
               list(distinct f.source_file) filter (where f.source_file is not null) as fichiers
        from mart_pole_year m
        left join files f using (pole_id, annee, code)
        where ? is null or m.annee = ?
        group by all
        order by m.pole_id, m.annee, m.code
        """,
        [year, year, year, year],
    )
    return _as_lists(df)


def target_files(wh: Warehouse, viewer: Viewer, year: int) -> pd.DataFrame:
    """The files each pole's targets of `year` came from: pole_id, code, fichiers."""
    df = query(
        wh,
        """
        select pole_id, code, list(distinct source_file order by source_file) as fichiers
        from targets
        where annee = ?
        group by all
        order by pole_id, code
        """,
        [year],
    )
    return _as_lists(df)


def pathway_files(wh: Warehouse, viewer: Viewer, year: int) -> pd.DataFrame:
    """The pathway files of each pole with a stay overlapping `year`: pole_id, fichiers.

    The pathway figures of a year (exits, rates, the adjusted comparison) are drawn from these
    stays; only the files' paths are returned, never a row.
    """
    df = query(
        wh,
        """
        select pole_id, list(distinct source_file order by source_file) as fichiers
        from pathways
        where date_entree <= make_date(?, 12, 31)
          and (date_sortie is null or date_sortie >= make_date(?, 1, 1))
        group by all
        order by pole_id
        """,
        [year, year],
    )
    return _as_lists(df)


def visit_files(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """The file each community event was read from: visit_id, annee, fichiers."""
    df = query(
        wh,
        """
        select visit_id, annee, list(distinct source_file order by source_file) as fichiers
        from visits
        group by all
        order by visit_id
        """,
    )
    return _as_lists(df)


def practice_files(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """The file each shared practice was read from: practice_id, fichiers."""
    df = query(
        wh,
        """
        select practice_id, list(distinct source_file order by source_file) as fichiers
        from practices
        group by all
        order by practice_id
        """,
    )
    return _as_lists(df)

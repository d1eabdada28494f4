"""Reads of the indicators: the poles, the catalogue, network and pole figures by year.

Every function takes the published warehouse and the viewer; for now every read is for staff
(`require_staff`), the filtering by role comes with the comparison and access work.
"""

from __future__ import annotations

import pandas as pd

from ptce.read.base import Viewer, Warehouse, query, require_staff
from ptce.reference import load_catalog


def publication(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """The publication record (one row): date, demo flag, catalogue version. Open to every viewer."""
    return query(
        wh,
        """
        select published_at, run_id, donnees_demo, catalogue_version, nb_fichiers
        from publication
        order by published_at desc
        limit 1
        """,
    )


def years(wh: Warehouse, viewer: Viewer) -> list[int]:
    """Years with network figures, most recent first."""
    require_staff(viewer)
    df = query(wh, "select distinct annee from mart_network_year order by annee desc")
    return [int(y) for y in df["annee"]]


def poles(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """The twelve poles with their identity, ordered by number."""
    require_staff(viewer)
    return query(
        wh,
        """
        select pole_id, numero, nom, nom_court, structure_initiatrice, description,
               representants, departement, nom_departement, region, commune, latitude, longitude
        from poles
        order by numero
        """,
    )


def pole(wh: Warehouse, viewer: Viewer, pole_id: str) -> pd.DataFrame:
    """One pole's identity (zero or one row)."""
    require_staff(viewer)
    return query(
        wh,
        """
        select pole_id, numero, nom, nom_court, structure_initiatrice, description,
               representants, departement, nom_departement, region, commune
        from poles
        where pole_id = ?
        """,
        [pole_id],
    )


def catalog(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Indicators (typed-in and derived) in display order: by domain, then catalogue order."""
    require_staff(viewer)
    return query(
        wh,
        """
        select code, libelle, definition, unite, domaine, domaine_libelle, domaine_ordre, ordre,
               sens, derive, personnes
        from indicator_catalog
        order by domaine_ordre, derive, ordre
        """,
    )


def key_figure_codes() -> tuple[str, ...]:
    """The network's key figures, in display order, as the catalogue lists them."""
    return tuple(k.code for k in load_catalog().key_figures)


def key_figures(wh: Warehouse, viewer: Viewer, year: int) -> pd.DataFrame:
    """Network value of the key figures for `year` and the year before (null when absent)."""
    require_staff(viewer)
    codes = key_figure_codes()
    df = query(
        wh,
        """
        select c.code, c.libelle, c.unite, c.sens, c.iris,
               cur.valeur as valeur, prev.valeur as valeur_precedente, cur.nb_poles
        from indicator_catalog c
        left join mart_network_year cur on cur.code = c.code and cur.annee = ?
        left join mart_network_year prev on prev.code = c.code and prev.annee = ? - 1
        where list_contains(?, c.code)
        """,
        [year, year, list(codes)],
    )
    order = {code: i for i, code in enumerate(codes)}
    return df.sort_values("code", key=lambda s: s.map(order)).reset_index(drop=True)


def network_trends(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Network value and spread across poles, by year and indicator, with catalogue attributes."""
    require_staff(viewer)
    return query(
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


def poles_year_table(wh: Warehouse, viewer: Viewer, year: int) -> pd.DataFrame:
    """One row per pole: identity and place, then one column per key figure (its code) for `year`.

    A value is null when the pole did not report it; the columns follow the catalogue's key figures.
    The place (department number, latitude, longitude) is what the overview's map draws.
    """
    require_staff(viewer)
    codes = key_figure_codes()
    identity = [
        "pole_id",
        "numero",
        "nom",
        "commune",
        "nom_departement",
        "departement",
        "region",
        "latitude",
        "longitude",
    ]
    long = query(
        wh,
        """
        select p.pole_id, p.numero, p.nom, p.commune, p.nom_departement, p.departement, p.region,
               p.latitude, p.longitude, m.code, m.valeur
        from poles p
        left join mart_pole_year m
               on m.pole_id = p.pole_id and m.annee = ? and list_contains(?, m.code)
        order by p.numero
        """,
        [year, list(codes)],
    )
    wide = long.pivot_table(index="pole_id", columns="code", values="valeur", aggfunc="max", dropna=False)
    table = long[identity].drop_duplicates("pole_id").set_index("pole_id")
    table = table.join(wide.reindex(columns=list(codes)))
    return table.reset_index()[[*identity, *codes]]


def pole_series(wh: Warehouse, viewer: Viewer, pole_id: str) -> pd.DataFrame:
    """A pole's yearly values beside the network median, with origin and source files.

    One row per (indicator, year) reported by the pole; `fichiers` lists the raw files the
    typed-in values came from (empty for derived indicators, computed from others) and
    `commentaires` the comments the pole wrote beside them.
    """
    require_staff(viewer)
    return query(
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

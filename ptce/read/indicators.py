"""Reads of the indicators: the poles, the catalogue, network and pole figures by year.

Every function takes the published warehouse and the viewer, and filters by role here (SPEC §5):
- staff see every value as it is;
- the funder and the poles read the poles' identity, the catalogue, the network figures and each
  pole's indicators (indicators are not person-level data), but every count of persons
  (catalogue `personnes`) of a pole goes through `ptce.small_cells` with the other poles' counts
  of the same year, and a network total of persons is the total published beside them (null when
  it would give a masked pole back). A share made of a masked count is masked with it. The
  spread across poles (median, minimum, maximum) of a count is withheld in a year with a masked
  pole, since it can be that pole's count;
- a pole reads its own series as it is (`pole_series`), with its comments and source files; those
  of another pole are withheld (the pole's own words).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ptce.read import angles
from ptce.read.base import Viewer, Warehouse, query
from ptce.reference import load_catalog


def _raw(viewer: Viewer, pole_id: str | None = None) -> bool:
    """Whether this viewer reads the values as they are: staff, or a pole reading its own."""
    own = viewer.role == "pole" and pole_id is not None and viewer.pole_id == pole_id
    return viewer.role == "staff" or own


def _protected(wh: Warehouse, codes: Sequence[str]) -> tuple[pd.DataFrame, dict[int, angles.ProtectedYear]]:
    """The catalogue rows of `codes` counting persons and, by year, the poles' values with small
    cells applied (for every code of the catalogue: callers pick theirs). Read-only results."""
    rows, by_year = _protected_catalogue(wh)
    return rows[rows["code"].isin(list(codes))], by_year


def _protected_catalogue(wh: Warehouse) -> tuple[pd.DataFrame, dict[int, angles.ProtectedYear]]:
    # Once per published warehouse, for the whole catalogue (`angles.protected_catalogue`): the
    # report asked it again for each of its twelve pole pages, 60 % of its content time.
    rows, by_year = angles.protected_catalogue(wh)
    return rows[rows["personnes"].astype(bool)], by_year


def _masked_in_year(data: angles.ProtectedYear | None, code: str) -> bool:
    return data is not None and code in data.labels.columns and bool(data.labels[code].notna().any())


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
    df = query(wh, "select distinct annee from mart_network_year order by annee desc")
    return [int(y) for y in df["annee"]]


def poles(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """The poles with their identity, ordered by number: the twelve shipped ones and those the
    reference files of `raw/poles/` added (a pole that left has its `date_depart`). Open to every
    viewer; `ptce.reference.PoleSet.from_frame` turns it into poles (names to match included)."""
    return query(
        wh,
        """
        select pole_id, numero, nom, nom_court, noms_usuels, structure_initiatrice, description,
               representants, departement, nom_departement, region, commune, latitude, longitude,
               territoire, secteur_principal, date_adhesion, date_depart, anciens_noms
        from poles
        order by numero
        """,
    )


def pole(wh: Warehouse, viewer: Viewer, pole_id: str) -> pd.DataFrame:
    """One pole's identity (zero or one row). Open to every viewer: the poles are public."""
    return query(
        wh,
        """
        select pole_id, numero, nom, nom_court, structure_initiatrice, description,
               representants, departement, nom_departement, region, commune, date_adhesion, date_depart
        from poles
        where pole_id = ?
        """,
        [pole_id],
    )


def catalog(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Indicators (typed-in and derived) in display order: by domain, then catalogue order."""
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
    if not _raw(viewer):
        counts, by_year = _protected(wh, codes)
        for column, when in (("valeur", year), ("valeur_precedente", year - 1)):
            data = by_year.get(when)
            totals = data.totals if data is not None else pd.Series(dtype=float)
            is_count = df["code"].isin(counts["code"])
            df[column] = df[column].where(~is_count, df["code"].map(totals).astype(float))
    order = {code: i for i, code in enumerate(codes)}
    return df.sort_values("code", key=lambda s: s.map(order)).reset_index(drop=True)


def network_trends(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Network value and spread across poles, by year and indicator, with catalogue attributes."""
    df = query(
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
    if _raw(viewer):
        return df
    counts, by_year = _protected(wh, df["code"].unique().tolist())
    for i in df.index[df["code"].isin(counts["code"])]:
        code, data = df.at[i, "code"], by_year.get(int(df.at[i, "annee"]))
        df.at[i, "valeur"] = data.totals[code] if data is not None else np.nan
        if _masked_in_year(data, code):
            df.loc[i, ["mediane", "minimum", "maximum"]] = np.nan
    return df


def poles_year_table(wh: Warehouse, viewer: Viewer, year: int) -> pd.DataFrame:
    """One row per pole of `year` (a member at some time in it, or with figures published for it):
    identity and place, then one column per key figure (its code).

    A value is null when the pole did not report it, or when small cells mask it (for every
    viewer but staff); `masques` lists the codes masked for the pole. The columns follow the
    catalogue's key figures. The place (department number, latitude, longitude) is what the
    overview's map draws.
    """
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
        -- The poles of the year: members at some time in it, or whose figures for it are published
        -- (a pole that joined later, or left before, is not an empty row of that year).
        where ((p.date_adhesion is null or year(p.date_adhesion) <= ?)
               and (p.date_depart is null or year(p.date_depart) >= ?))
           or m.valeur is not null
        order by p.numero
        """,
        [year, list(codes), year, year],
    )
    wide = long.pivot_table(index="pole_id", columns="code", values="valeur", aggfunc="max", dropna=False)
    table = long[identity].drop_duplicates("pole_id").set_index("pole_id")
    values = wide.reindex(columns=list(codes))
    masked = pd.Series([[] for _ in values.index], index=values.index, dtype=object)
    if not _raw(viewer):
        # A table of every pole: counts of persons masked across poles, for every viewer but staff.
        data = _protected(wh, codes)[1].get(year)
        if data is not None:
            values = data.values.reindex(index=values.index, columns=list(codes))
            labels = data.labels.reindex(index=values.index, columns=list(codes))
            masked = pd.Series(
                [[c for c in codes if pd.notna(labels.at[p, c])] for p in values.index],
                index=values.index,
                dtype=object,
            )
    table = table.join(values)
    table["masques"] = masked
    return table.reset_index()[[*identity, *codes, "masques"]]


def pole_series(wh: Warehouse, viewer: Viewer, pole_id: str) -> pd.DataFrame:
    """A pole's yearly values beside the network median, with origin and source files.

    One row per (indicator, year) reported by the pole; `fichiers` lists the raw files the
    typed-in values came from (empty for derived indicators, computed from others) and
    `commentaires` the comments the pole wrote beside them. `masque` is « < 5 » or « s » where a
    value is masked (small cells), else null.

    Staff and the pole itself read the series as it is. Anyone else (the funder, another pole)
    reads the pole's indicators with its counts of persons masked as in the table of every pole of
    the year, the network median of a count withheld in a year with a masked pole, and no source
    files nor comments (the pole's own words).
    """
    df = query(
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
    df["masque"] = pd.Series(None, index=df.index, dtype=object)
    if _raw(viewer, pole_id) or df.empty:
        return df
    # Another pole's series (or any series for the funder): its counts of persons masked as in
    # the table of every pole of each year, and the pole's own words withheld.
    counts, by_year = _protected(wh, df["code"].unique().tolist())
    for i in df.index:
        code, data = df.at[i, "code"], by_year.get(int(df.at[i, "annee"]))
        if data is None or pole_id not in data.values.index or code not in data.values.columns:
            continue
        df.at[i, "valeur"] = data.values.at[pole_id, code]
        df.at[i, "masque"] = data.labels.at[pole_id, code]
        if code in set(counts["code"]) and _masked_in_year(data, code):
            df.at[i, "mediane_reseau"] = np.nan
    df["fichiers"] = None
    df["commentaires"] = None
    return df


def poles_series(wh: Warehouse, viewer: Viewer, codes: Sequence[str], years: Sequence[int]) -> pd.DataFrame:
    """Every pole's values of `codes` in `years` beside the network median, in one read.

    What `pole_series` gives for one pole, for all of them at once (the yearly report of a network
    of thousands of poles, where one read per pole is what took the time), restricted to `codes`
    and `years`, without source files nor comments. One row per pole, indicator and year reported:
    pole_id, annee, code, libelle, unite, valeur, masque, mediane_reseau, in pole number order.

    Staff read the values as they are. Anyone else reads them as in the table of every pole of the
    year: counts of persons masked (`masque` « < 5 » or « s », `valeur` NaN), a share masked with
    the counts it is made of, the network median of a count withheld in a year with a masked pole.
    A pole reading its own values reads them as every other pole's here: this read is across poles.
    """
    df = query(
        wh,
        """
        select m.pole_id, m.annee, m.code, c.libelle, c.unite, m.valeur, n.mediane as mediane_reseau
        from mart_pole_year m
        join poles p using (pole_id)
        join indicator_catalog c using (code)
        left join mart_network_year n on n.annee = m.annee and n.code = m.code
        where list_contains(?, m.code) and list_contains(?, m.annee)
        order by p.numero, c.domaine_ordre, c.derive, c.ordre, m.annee
        """,
        [list(codes), [int(y) for y in years]],
    )
    df["masque"] = pd.Series(None, index=df.index, dtype=object)
    if viewer.role == "staff" or df.empty:
        return df
    counts, by_year = _protected(wh, df["code"].unique().tolist())
    wanted, people = set(df["code"]), set(counts["code"])
    shown, hidden_medians = [], []
    for year in sorted(set(df["annee"].astype(int)) & set(by_year)):
        data = by_year[year]
        columns = [c for c in data.values.columns if c in wanted]
        long = {
            name: frame[columns].rename_axis(index="pole_id", columns="code").stack(future_stack=True)
            for name, frame in (("protege", data.values), ("libelle_masque", data.labels))
        }
        shown.append(pd.DataFrame(long).reset_index().assign(annee=year))
        # The median of the poles' counts can be one pole's masked count (as in `pole_series`).
        hidden_medians += [(year, c) for c in columns if c in people and _masked_in_year(data, c)]
    if not shown:
        return df
    protected = pd.concat(shown, ignore_index=True)
    df = df.merge(protected, on=["pole_id", "annee", "code"], how="left", indicator=True)
    known = df.pop("_merge") == "both"
    df["valeur"] = df["valeur"].where(~known, df["protege"])
    labels = df.pop("libelle_masque")
    df["masque"] = labels.astype(object).where(labels.notna(), None)
    df = df.drop(columns="protege")
    if hidden_medians:
        hidden = pd.MultiIndex.from_tuples(hidden_medians, names=["annee", "code"])
        df.loc[pd.MultiIndex.from_frame(df[["annee", "code"]]).isin(hidden), "mediane_reseau"] = np.nan
    return df

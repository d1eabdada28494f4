"""Reads of a working angle of seed 000 (emploi mutualisé, création d'activités, qualité de l'emploi).

An angle is a catalogue domain, plus a few indicators of other domains that belong with it (the
share of CDI shown with the quality of employment). Three reads serve its page and the report:
`angle_indicators` (the catalogue rows), `angle_poles` (each pole's value for one year) and
`angle_network` (the network figure by year, as the catalogue's aggregation over poles says).

Small cells (SPEC §5) are applied here, so that every output reusing these reads is protected the
same way: a count of persons by pole (catalogue `personnes`) goes through `ptce.small_cells` one
indicator at a time, its network total being published beside the poles; a pole's share whose
numerator or denominator counts persons is masked with that count, since the share times the
reference population would give the count back. A masked value is NaN in `valeur` (a chart never
sees it) and its label (« < 5 » or « s ») is in `masque`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ptce.read.base import Viewer, Warehouse, query
from ptce.small_cells import SECONDARY_LABEL, suppress_series

# How the network figure is made from the poles' values, by catalogue `agregation_poles`.
AGGREGATIONS = ("somme", "moyenne", "ratio")


def angle_indicators(wh: Warehouse, viewer: Viewer, domain: str, extra: Sequence[str] = ()) -> pd.DataFrame:
    """The angle's indicators in display order: the domain's (typed-in, then derived) and `extra`.

    Columns: code, libelle, definition, unite, domaine, agregation_poles, personnes, sens, derive,
    numerateur and denominateur (lists of codes, empty for typed-in indicators), and
    `denominateur_libelle` (label of the reference population of a share, when it is one code).
    """
    return _catalog_rows(wh, domain, extra)


def indicator_rows(wh: Warehouse, codes: Sequence[str]) -> pd.DataFrame:
    """Catalogue rows of `codes` as `angle_indicators` gives them (numerator and denominator lists)."""
    return _catalog_rows(wh, None, codes)


def _catalog_rows(wh: Warehouse, domain: str | None, extra: Sequence[str]) -> pd.DataFrame:
    df = query(
        wh,
        """
        select c.code, c.libelle, c.definition, c.unite, c.domaine, c.agregation_poles,
               c.personnes, c.sens, c.derive,
               coalesce(string_split(nullif(c.numerateur, ''), ','), []) as numerateur,
               coalesce(string_split(nullif(c.denominateur, ''), ','), []) as denominateur,
               d.libelle as denominateur_libelle, coalesce(d.personnes, false) as denominateur_personnes
        from indicator_catalog c
        left join indicator_catalog d on d.code = nullif(c.denominateur, '')
        where c.domaine = ? or list_contains(?, c.code)
        order by c.domaine_ordre, c.derive, c.ordre
        """,
        [domain, list(extra)],
    )
    df["numerateur"] = df["numerateur"].map(list)
    df["denominateur"] = df["denominateur"].map(list)
    return df


def person_codes(wh: Warehouse, indicators: pd.DataFrame) -> set[str]:
    """Codes counting persons that the angle shows or builds its shares from."""
    parts = {c for codes in indicators["numerateur"] for c in codes}
    parts |= {c for codes in indicators["denominateur"] for c in codes}
    people = query(
        wh,
        "select code from indicator_catalog where personnes and list_contains(?, code)",
        [sorted(parts | set(indicators["code"]))],
    )
    return set(people["code"])


def pole_values(wh: Warehouse, codes: Sequence[str], year: int | None) -> pd.DataFrame:
    """Every pole × year × code of `codes` as a wide frame (index pole_id, annee), null if absent."""
    long = query(
        wh,
        """
        select p.pole_id, m.annee, m.code, m.valeur
        from poles p
        join mart_pole_year m on m.pole_id = p.pole_id
        where list_contains(?, m.code) and (? is null or m.annee = ?)
        """,
        [list(codes), year, year],
    )
    return _wide_values(long)


def _wide_values(long: pd.DataFrame) -> pd.DataFrame:
    """`long.pivot_table(index=["pole_id", "annee"], columns="code", values="valeur",
    aggfunc="first")` from the arrays (half the time at 2,000 poles): rows and columns sorted, a
    row or column without any value left out, the first value kept when one comes twice."""
    long = long[long["valeur"].notna()]
    if long.empty:
        return long.pivot_table(index=["pole_id", "annee"], columns="code", values="valeur", aggfunc="first")
    pole_at, poles = pd.factorize(long["pole_id"], sort=True)
    year_at, years = pd.factorize(long["annee"], sort=True)
    code_at, codes = pd.factorize(long["code"], sort=True)
    pairs, row_at = np.unique(pole_at.astype(np.int64) * len(years) + year_at, return_inverse=True)
    _, first = np.unique(row_at.astype(np.int64) * len(codes) + code_at, return_index=True)
    grid = np.full((len(pairs), len(codes)), np.nan)
    grid[row_at[first], code_at[first]] = long["valeur"].to_numpy(dtype=float)[first]
    index = pd.MultiIndex.from_arrays(
        [poles.take(pairs // len(years)), years.take(pairs % len(years))], names=["pole_id", "annee"]
    )
    return pd.DataFrame(grid, index=index, columns=pd.Index(codes, name="code"))


@dataclass(frozen=True)
class ProtectedYear:
    """One year's values by pole (index pole_id, a column per code), small cells applied."""

    values: pd.DataFrame  # NaN where masked or not reported
    labels: pd.DataFrame  # « < 5 » / « s » where masked, None elsewhere
    dens: pd.DataFrame  # a share's reference population by pole, where the pole has the share
    den_hidden: pd.DataFrame  # True where that population counts persons and is masked
    totals: pd.Series  # a person count's publishable network total (NaN where hidden)

    @functools.cached_property
    def network(self) -> pd.DataFrame:
        """By code (index): `total_protege` (`totals`), `denominateur` (a share's population over
        the poles, NaN when it would give one masked pole away) and `pole_masque` (a pole's value
        is masked). Worked out once for every code, on first use: `angle_network` reads it."""
        hidden = (self.den_hidden & self.dens.notna()).sum()
        return pd.DataFrame(
            {
                "total_protege": self.totals,
                "denominateur": self.dens.sum(min_count=1).where(hidden != 1),
                "pole_masque": self.labels.notna().any(),
            }
        )


def protect_year(
    wide: pd.DataFrame, indicators: pd.DataFrame, people: set[str], pole_ids: Sequence[str]
) -> ProtectedYear:
    """Small cells on one year's values by pole (`wide`, index pole_id, a column per code).

    Every count of persons in `people` is one table (poles, then their published network total)
    through `suppress_series`; a share is masked with the counts it is made of. Used by every read
    that shows the poles' indicators, or their network total, to the funder or across poles.
    """
    wide = wide.reindex(index=list(pole_ids))
    codes = list(indicators["code"])
    values = wide.reindex(columns=codes).astype(float)
    labels = pd.DataFrame(None, index=values.index, columns=codes, dtype=object)
    totals = pd.Series(np.nan, index=codes, dtype=float)
    # Every count of persons involved, one table per code: poles in rows, the network total below.
    masks: dict[str, pd.Series] = {}
    for code in sorted(people):
        counts = wide[code] if code in wide.columns else pd.Series(np.nan, index=wide.index)
        table = suppress_series(counts.rename(code).astype(float), total=True)
        masks[code] = table.masked[code]
        if code in labels.columns:
            # The masked cells' labels only: `table.labels()` writes every count in French first,
            # most of the report's time at 2,000 poles (680,000 numbers formatted, to be dropped).
            secondary = np.where(masks[code], SECONDARY_LABEL, None)
            labels[code] = np.where(table.primary[code], table.primary_label, secondary)
            totals[code] = table.col_totals()[code]
    dens = pd.DataFrame(np.nan, index=values.index, columns=codes, dtype=float)
    den_hidden = pd.DataFrame(False, index=values.index, columns=codes)
    no_mask = pd.Series(False, index=values.index)
    for ind in indicators[indicators["derive"]].itertuples(index=False):
        # A share is masked with the counts it is made of: « s », since it is not a count itself.
        hidden = no_mask.copy()
        for part in ind.numerateur:
            hidden |= masks.get(part, no_mask)
        for part in ind.denominateur:
            den_hidden[ind.code] |= masks.get(part, no_mask)
        hidden |= den_hidden[ind.code]
        labels[ind.code] = labels[ind.code].mask(hidden & values[ind.code].notna(), SECONDARY_LABEL)
        if all(c in wide.columns for c in ind.denominateur):
            den = wide[list(ind.denominateur)].sum(axis=1, min_count=len(ind.denominateur))
            dens[ind.code] = den.where(values[ind.code].notna())
    values = values.where(labels.isna())
    return ProtectedYear(values, labels, dens, den_hidden, totals)


@functools.lru_cache(maxsize=4)
def protected_catalogue(wh: Warehouse) -> tuple[pd.DataFrame, dict[int, ProtectedYear]]:
    """The whole catalogue's rows (as `indicator_rows`) and, by year, every pole's values with
    small cells applied (`protect_year`), once per published warehouse (the key holds its
    modification time, so a publication starts afresh). Read-only results.

    Each count is suppressed in its own table (poles and network total) and a share is masked
    with the counts it is made of, so a code's result does not depend on the other codes protected
    with it: every read takes its codes from here rather than protecting each year again (the
    report protected the ten years four times over, a minute at 2,000 poles).
    """
    every_code = query(wh, "select code from indicator_catalog order by code")["code"].tolist()
    rows = indicator_rows(wh, every_code)
    people = person_codes(wh, rows)
    wide = pole_values(wh, needed_codes(rows), None)
    pole_ids = pole_ids_in_order(wh)
    by_year = {
        int(year): protect_year(values.droplevel("annee"), rows, people, pole_ids)
        for year, values in wide.groupby(level="annee")
    }
    return rows, by_year


def _angle_rows(catalogue: pd.DataFrame, domain: str, extra: Sequence[str]) -> pd.DataFrame:
    """`angle_indicators` from the catalogue's rows read once per publication (`protected_catalogue`),
    without a query: the same rows in the same order (the catalogue's order, filtered)."""
    rows = catalogue[catalogue["domaine"].eq(domain) | catalogue["code"].isin(list(extra))]
    return rows.reset_index(drop=True)


def pole_ids_in_order(wh: Warehouse) -> list[str]:
    """Every pole id, in pole number order."""
    return list(query(wh, "select pole_id from poles order by numero")["pole_id"])


def angle_poles(
    wh: Warehouse, viewer: Viewer, domain: str, year: int, extra: Sequence[str] = ()
) -> pd.DataFrame:
    """Each pole's value of each of the angle's indicators for `year`, small cells applied.

    One row per pole × indicator (every pole, in number order; `valeur` null when the pole did not
    report it or when it is masked). Columns: pole_id, numero, nom, code, libelle, unite,
    personnes, derive, valeur, masque (« < 5 », « s » or null), denominateur (a share's reference
    population for the pole: the sum of its denominator codes, null when masked or not a share).
    """
    catalogue, by_year = protected_catalogue(wh)
    indicators = _angle_rows(catalogue, domain, extra)
    poles = query(wh, "select pole_id, numero, nom from poles order by numero")
    codes = list(indicators["code"])
    year_data = by_year.get(int(year))
    if year_data is None:  # no pole value that year: nothing to protect, every value missing
        year_data = protect_year(pd.DataFrame(), indicators, set(), list(poles["pole_id"]))
    dens = year_data.dens[codes].where(~year_data.den_hidden[codes])
    return _long_by_pole(poles, indicators, year_data.values[codes], year_data.labels[codes], dens)


def needed_codes(indicators: pd.DataFrame) -> list[str]:
    """The angle's codes and those its shares are computed from."""
    codes = list(indicators["code"])
    for parts in [*indicators["numerateur"], *indicators["denominateur"]]:
        codes += [c for c in parts if c not in codes]
    return codes


def _long_by_pole(
    poles: pd.DataFrame,
    indicators: pd.DataFrame,
    values: pd.DataFrame,
    labels: pd.DataFrame,
    dens: pd.DataFrame,
) -> pd.DataFrame:
    """One row per pole (in `poles` order) × indicator (in `indicators` order), built from the
    arrays: `values`, `labels` and `dens` have a row per pole id and a column per code."""
    codes = list(indicators["code"])
    # The poles of `poles` with a row of values (all of them: the frames are reindexed on every pole).
    at = pd.Index(values.index).get_indexer(poles["pole_id"])
    poles = poles[at >= 0]
    at = at[at >= 0]
    pole_rows = np.repeat(np.arange(len(poles)), len(codes))
    code_rows = np.tile(np.arange(len(codes)), len(poles))
    # Column by column with `take`, which keeps each column's type (Arrow strings, integers).
    columns: dict[str, object] = {c: poles[c].array.take(pole_rows) for c in ("pole_id", "numero", "nom")}
    for c in ("code", "libelle", "unite", "personnes", "derive"):
        columns[c] = indicators[c].array.take(code_rows)
    columns["valeur"] = values[codes].to_numpy(dtype=float)[at].ravel()
    masks = labels[codes].to_numpy(dtype=object)[at].ravel()
    # object, so that an unmasked value stays None (pandas would infer strings holding NaN).
    columns["masque"] = pd.Series(np.where(pd.isna(masks), None, masks), dtype=object)
    columns["denominateur"] = dens[codes].to_numpy(dtype=float)[at].ravel()
    return pd.DataFrame(columns)


def angle_network(wh: Warehouse, viewer: Viewer, domain: str, extra: Sequence[str] = ()) -> pd.DataFrame:
    """The network figure of each of the angle's indicators by year, with its sample size.

    `valeur` follows the catalogue's aggregation over poles (`agregation_poles`): the total of the
    poles for a sum, the share of poles answering yes for a yes/no mean, the ratio of the sums for
    a share. For a count of persons it is the total published beside the poles (null when small
    cells hide it). `nb_poles` poles reported it out of `nb_poles_total` (the members that year);
    `denominateur` is a share's reference population over those poles (null when a masked pole
    would be given away).
    Also: mediane (of the poles' values), libelle, unite, agregation_poles, personnes, derive.
    """
    catalogue, by_year = protected_catalogue(wh)
    indicators = _angle_rows(catalogue, domain, extra)
    if indicators.empty:  # an unknown domain: the empty frame typed as before
        indicators = angle_indicators(wh, viewer, domain, extra)
    # `person_codes` without a query: the catalogue's rows say which codes count persons.
    parts = {c for codes in [*indicators["numerateur"], *indicators["denominateur"]] for c in codes}
    people = set(
        catalogue.loc[
            catalogue["personnes"] & catalogue["code"].isin(parts | set(indicators["code"])), "code"
        ]
    )
    network = query(
        wh,
        """
        select n.annee, n.code, n.valeur, n.mediane, n.nb_poles,
               -- the poles that were members at some time that year (joined by its end, not left
               -- before its start): a pole added later or gone earlier owes nothing for it
               (select count(*) from poles p
                where (p.date_adhesion is null or year(p.date_adhesion) <= n.annee)
                  and (p.date_depart is null or year(p.date_depart) >= n.annee)) as nb_poles_total
        from mart_network_year n
        where list_contains(?, n.code)
        order by n.annee
        """,
        [list(indicators["code"])],
    )
    codes = list(indicators["code"])
    columns = ["annee", "code", "total_protege", "denominateur", "pole_masque"]
    if codes and by_year:
        # Each year's figures by code (`ProtectedYear.network`), the angle's codes in order.
        years = sorted(by_year)
        shown = [by_year[year].network.reindex(codes) for year in years]
        protected = pd.DataFrame(
            {
                "annee": np.repeat(np.array(years, dtype="int64"), len(codes)),
                "code": codes * len(years),
                **{c: np.concatenate([f[c].to_numpy() for f in shown]) for c in columns[2:]},
            }
        )
    else:
        protected = pd.DataFrame(columns=columns)
    frame = network.merge(protected, on=["annee", "code"], how="left")
    is_count = frame["code"].isin(people)
    frame["valeur"] = frame["valeur"].where(~is_count, frame["total_protege"])
    if viewer.role != "staff":
        # The median of the poles' counts can be one pole's masked count (or the mean of two).
        hidden = is_count & frame["pole_masque"].fillna(False).astype(bool)
        frame["mediane"] = frame["mediane"].where(~hidden)
    attributes = indicators[["code", "libelle", "unite", "agregation_poles", "personnes", "derive"]]
    frame = frame.merge(attributes, on="code")
    order = {code: i for i, code in enumerate(indicators["code"])}
    frame = frame.sort_values(["code", "annee"], key=lambda s: s.map(order) if s.name == "code" else s)
    columns = ["annee", "code", "libelle", "unite", "agregation_poles", "personnes", "derive"]
    return frame[[*columns, "valeur", "mediane", "nb_poles", "nb_poles_total", "denominateur"]].reset_index(
        drop=True
    )

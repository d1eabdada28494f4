"""Reads of the comparison between poles (page « Comparer les pôles », pole page's targets).

What a comparison may show depends on who reads (SPEC §5): staff see every value as published;
the funder and the poles see the poles' counts of persons (catalogue `personnes`) through
`ptce.small_cells`, one indicator and one year at a time, the network total counted as published
(other pages publish it), so secondary suppression applies. A pole sees its own values raw: its
own count is taken as known when the others' are protected (it is never the cell chosen to hide
another pole's small count, since the pole would subtract it back). A share or a ratio built from a
masked count is masked too (« s »): multiplied by its reference population it would give the
count back. A masked value is NaN in `valeur` (charts never see it), its label is in `masque`.

The network median, quartiles and ranks are computed over the values the viewer sees, so that
nothing masked can be read back from them.

Ratios (catalogue section `ratios`) divide an indicator by a size indicator (per member
structure, per FTE, per 100 persons accompanied); they are computed here for each pole and year
where both are known (and the size is positive). Peer groups (territory, main sector) come from
the pole reference; the size class from the `membres` indicator of the year.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ptce.read.base import Viewer, Warehouse, query
from ptce.reference import load_catalog, size_class
from ptce.small_cells import SECONDARY_LABEL, primary_label, suppress_series

# Nature of an indicator in the choices: typed in by the poles, derived from others, or a ratio.
TYPED, DERIVED, RATIO = "saisi", "derive", "ratio"
# The five working angles (catalogue domains), in catalogue order, for the angle profile.
PROFILE_COLUMNS = [
    "domaine",
    "domaine_libelle",
    "code",
    "libelle",
    "unite",
    "valeur",
    "rang_centile",
    "nb_poles",
]


def indicator_choices(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Every indicator a comparison may show: typed-in, derived, then the catalogue's ratios.

    Columns: code, libelle, unite, domaine, domaine_libelle, domaine_ordre, sens, nature
    (« saisi », « derive », « ratio »), personnes, numerateur, denominateur (lists of codes).
    """
    frame = query(
        wh,
        """
        select code, libelle, unite, domaine, domaine_libelle, domaine_ordre, ordre, sens,
               case when derive then 'derive' else 'saisi' end as nature, personnes,
               coalesce(string_split(nullif(numerateur, ''), ','), []) as numerateur,
               coalesce(string_split(nullif(denominateur, ''), ','), []) as denominateur
        from indicator_catalog
        order by domaine_ordre, derive, ordre
        """,
    )
    frame["numerateur"] = frame["numerateur"].map(list)
    frame["denominateur"] = frame["denominateur"].map(list)
    catalog = load_catalog()
    domains = {d.code: d for d in catalog.domains}
    ratios = pd.DataFrame(
        [
            {
                "code": r.code,
                "libelle": r.libelle,
                "unite": r.unite,
                "domaine": r.domaine,
                "domaine_libelle": domains[r.domaine].libelle,
                "domaine_ordre": domains[r.domaine].ordre,
                "ordre": 1_000 + i,
                "sens": r.sens,
                "nature": RATIO,
                "personnes": False,
                "numerateur": [r.numerateur],
                "denominateur": [r.denominateur],
            }
            for i, r in enumerate(catalog.ratios)
        ],
        columns=frame.columns,
    )
    out = pd.concat([frame, ratios], ignore_index=True) if len(ratios) else frame
    return out.drop(columns="ordre").reset_index(drop=True)


def _poles(wh: Warehouse) -> pd.DataFrame:
    # The peer groups are published with the poles (shipped or added by a reference file).
    return query(
        wh,
        "select pole_id, numero, nom, nom_court, territoire, secteur_principal from poles order by numero",
    )


def _needed(choices: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """The rows of `choices` a read of `codes` needs: theirs, those their shares and ratios are
    computed from (a share is masked with its parts, a ratio divides two of them), and `membres`
    (the size class). What a chosen code shows depends on these alone: each count of persons is
    protected on its own (`_protect`), so reading fewer codes changes nothing for the chosen ones."""
    chosen = choices[choices["code"].isin(list(codes))]
    parts = {c for column in ("numerateur", "denominateur") for row in chosen[column] for c in row}
    return choices[choices["code"].isin({*chosen["code"], *parts, "membres"})]


def _raw_values(wh: Warehouse, year: int | None, choices: pd.DataFrame) -> pd.DataFrame:
    """Published values of every pole for the typed-in and derived codes of `choices`, as a wide
    frame indexed by (pole_id, annee), and the catalogue ratios among `choices` added."""
    long = query(
        wh,
        """
        select pole_id, annee, code, valeur
        from mart_pole_year
        where (? is null or annee = ?) and list_contains(?, code)
        """,
        [
            year,
            year,
            sorted(
                set(choices["code"])
                | {c for row in choices["numerateur"] for c in row}
                | {c for row in choices["denominateur"] for c in row}
            ),
        ],
    )
    wide = long.pivot_table(index=["pole_id", "annee"], columns="code", values="valeur", aggfunc="first")
    ratio_codes = set(choices["code"])
    for ratio in (r for r in load_catalog().ratios if r.code in ratio_codes):
        num = wide[ratio.numerateur] if ratio.numerateur in wide.columns else np.nan
        den = wide[ratio.denominateur] if ratio.denominateur in wide.columns else np.nan
        if isinstance(den, pd.Series):
            den = den.where(den > 0)
        wide[ratio.code] = num / den * ratio.facteur if isinstance(num, pd.Series) else np.nan
    return wide


def _protect(
    wide: pd.DataFrame, choices: pd.DataFrame, viewer: Viewer, pole_ids: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One year's values (pole × code) as `viewer` may see them, and the mask labels."""
    wide = wide.reindex(index=list(pole_ids))
    codes = list(choices["code"])
    values = wide.reindex(columns=codes).astype(float)
    labels = pd.DataFrame(None, index=values.index, columns=codes, dtype=object)
    if viewer.role == "staff":
        return values, labels
    own = viewer.pole_id if viewer.role == "pole" else None
    people = set(choices.loc[choices["personnes"].astype(bool), "code"])
    no_mask = pd.Series(False, index=values.index)
    masks: dict[str, pd.Series] = {}
    for code in sorted(people):
        counts = values[code].copy()
        if own in counts.index and pd.notna(counts[own]):
            # The pole knows its own count: never the cell that hides another pole's.
            counts[own] = 0.0
        table = suppress_series(counts.rename(code), total=True)
        masked = table.masked[code] & (counts.index != own)
        masks[code] = masked
        primary = table.primary[code] & masked
        labels[code] = np.where(primary, primary_label(), np.where(masked, SECONDARY_LABEL, None))
    for row in choices[choices["nature"] != TYPED].itertuples(index=False):
        hidden = no_mask.copy()
        for part in [*row.numerateur, *row.denominateur]:
            hidden |= masks.get(part, no_mask)
        labels[row.code] = labels[row.code].mask(hidden & values[row.code].notna(), SECONDARY_LABEL)
    labels = labels.astype(object).where(labels.notna(), None)
    return values.where(labels.isna()), labels


def _best_first(sens: str) -> bool:
    """Whether a higher value ranks first (« hausse », « neutre »: the highest value first)."""
    return sens != "baisse"


def _value_rows(
    values: pd.DataFrame,
    labels: pd.DataFrame,
    chosen: pd.DataFrame,
    pole_ids: list[str],
    columns: list[str],
) -> pd.DataFrame:
    """One row per code of `chosen` (in its order) × pole (in `pole_ids` order), with the rank and
    the network statistics of each code over the values shown.

    Whole columns at once: the statistics are computed once per code (one quantile call for every
    code), not once per pole and code, which at two thousand poles was most of the read's time.
    """
    codes = list(chosen["code"])
    if not codes or not pole_ids:
        return pd.DataFrame([], columns=columns)
    shown = values.loc[pole_ids, codes]
    best_first = np.array([_best_first(s) for s in chosen["sens"]])
    # Ranked in two blocks (higher best, lower best), then back in the codes' order.
    ranks = pd.concat(
        [
            shown.loc[:, best_first].rank(ascending=False, method="min"),
            shown.loc[:, ~best_first].rank(ascending=True, method="min"),
        ],
        axis=1,
    )[codes]
    # NaN-skipping, as over the shown values alone; NaN for a code no pole shows.
    quartiles = shown.quantile([0.25, 0.75])
    n, k = len(pole_ids), len(codes)

    def per_code(stat: pd.Series) -> np.ndarray:
        return np.repeat(stat.to_numpy(dtype=float), n)

    return pd.DataFrame(
        {
            "pole_id": np.tile(np.asarray(pole_ids, dtype=object), k),
            "code": np.repeat(np.asarray(codes, dtype=object), n),
            # Column by column (Fortran order): the rows of one code, then the next.
            "valeur": shown.to_numpy(dtype=float).ravel(order="F"),
            "masque": labels.loc[pole_ids, codes].to_numpy(dtype=object).ravel(order="F"),
            "rang": ranks.to_numpy(dtype=float).ravel(order="F"),
            "mediane": per_code(shown.median()),
            "q1": per_code(quartiles.loc[0.25]),
            "q3": per_code(quartiles.loc[0.75]),
            "nb_poles": np.repeat(shown.count().to_numpy(dtype=np.int64), n),
        },
        columns=columns,
    )


def _shown_year(
    wh: Warehouse, viewer: Viewer, year: int, needed: pd.DataFrame, pole_ids: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One year's published values of the `needed` codes by pole (index pole_id, a column per
    code; no row for a pole without any), and as `viewer` may see them with the mask labels
    (`_protect`: every pole of `pole_ids`, in that order)."""
    wide = _raw_values(wh, year, needed)
    wide = wide.droplevel("annee") if len(wide) else pd.DataFrame(index=pd.Index([], name="pole_id"))
    values, labels = _protect(wide, needed, viewer, pole_ids)
    return wide, values, labels


def pole_values(wh: Warehouse, viewer: Viewer, year: int, codes: Sequence[str]) -> pd.DataFrame:
    """Each pole's value of each of `codes` for `year`, with the network median, quartiles, rank.

    One row per pole × code (every pole, in number order). Columns: pole_id, numero, nom,
    nom_court, territoire, secteur_principal, membres, classe_taille, code, libelle, unite, sens,
    nature, valeur (NaN when not reported or masked), masque (« < 5 », « s » or None), rang (1 =
    best as the indicator's `sens` says; NaN without a shown value), mediane, q1, q3, nb_poles
    (poles with a shown value: the statistics are over them).
    """
    choices = indicator_choices(wh, viewer)
    chosen = choices[choices["code"].isin(list(codes))]
    poles = _poles(wh)
    wide, values, labels = _shown_year(wh, viewer, year, _needed(choices, codes), list(poles["pole_id"]))
    membres = wide["membres"].reindex(poles["pole_id"]) if "membres" in wide.columns else None
    poles["membres"] = membres.to_numpy() if membres is not None else np.nan
    poles["classe_taille"] = poles["membres"].map(size_class)
    columns = ["pole_id", "code", "valeur", "masque", "rang", "mediane", "q1", "q3", "nb_poles"]
    frame = _value_rows(values, labels, chosen, list(poles["pole_id"]), columns)
    attributes = chosen[["code", "libelle", "unite", "sens", "nature"]]
    frame = poles.merge(frame, on="pole_id").merge(attributes, on="code")
    order = {code: i for i, code in enumerate(codes)}
    frame = frame.sort_values(
        ["code", "numero"], key=lambda s: s.map(order) if s.name == "code" else s
    ).reset_index(drop=True)
    frame["masque"] = frame["masque"].astype(object).where(frame["masque"].notna(), None)
    identity = ["pole_id", "numero", "nom", "nom_court", "territoire", "secteur_principal"]
    return frame[
        [*identity, "membres", "classe_taille", "code", "libelle", "unite", "sens", "nature", *columns[2:]]
    ]


def peer_groups(wh: Warehouse, viewer: Viewer, year: int) -> pd.DataFrame:
    """Each pole's peer group for `year`: territory, main sector, member structures, size class."""
    poles = _poles(wh)
    membres = query(
        wh,
        "select pole_id, valeur as membres from mart_pole_year where code = 'membres' and annee = ?",
        [year],
    )
    poles = poles.merge(membres, on="pole_id", how="left")
    poles["classe_taille"] = poles["membres"].map(size_class)
    return poles


def _value_years(wh: Warehouse) -> list[int]:
    """Years with a published pole value, in order."""
    frame = query(wh, "select distinct annee from mart_pole_year where valeur is not null order by annee")
    return [int(y) for y in frame["annee"]]


def series(wh: Warehouse, viewer: Viewer, codes: Sequence[str]) -> pd.DataFrame:
    """Each pole's value of `codes` by year, as the viewer may see it, with the yearly median.

    Columns: pole_id, numero, nom, nom_court, annee, code, libelle, unite, valeur, masque,
    mediane (of the values shown that year).
    """
    choices = indicator_choices(wh, viewer)
    chosen = choices[choices["code"].isin(list(codes))]
    needed = _needed(choices, codes)
    poles = _poles(wh)
    wide = _raw_values(wh, None, needed)
    by_year = dict(iter(wide.groupby(level="annee")))
    no_value = pd.DataFrame(index=pd.Index([], name="pole_id"))
    pole_ids = list(poles["pole_id"])
    codes = list(chosen["code"])
    n, k = len(pole_ids), len(codes)
    parts: dict[str, list[np.ndarray]] = {"annee": [], "valeur": [], "masque": [], "mediane": []}
    # Every year with a published value, whether or not the chosen codes have one that year: each
    # year masked on its own (`_protect`), its rows made whole columns at once (code by code, every
    # pole in each), as one small frame per code and year did.
    years = _value_years(wh)
    for year in years:
        year_values = by_year[year].droplevel("annee") if year in by_year else no_value
        values, labels = _protect(year_values, needed, viewer, pole_ids)
        parts["annee"].append(np.full(n * k, int(year), dtype=np.int64))
        parts["valeur"].append(values[codes].to_numpy(dtype=float).ravel(order="F"))
        parts["masque"].append(labels[codes].to_numpy(dtype=object).ravel(order="F"))
        parts["mediane"].append(np.repeat(values[codes].median().to_numpy(dtype=float), n))
    columns = ["pole_id", "annee", "code", "valeur", "masque", "mediane"]
    if years and k:
        frame = pd.DataFrame(
            {
                "pole_id": pd.Series(np.tile(np.asarray(pole_ids, dtype=object), k * len(years)), dtype=str),
                "annee": np.concatenate(parts["annee"]),
                "code": pd.Series(
                    np.tile(np.repeat(np.asarray(codes, dtype=object), n), len(years)), dtype=str
                ),
                **{c: np.concatenate(parts[c]) for c in ("valeur", "masque", "mediane")},
            },
            columns=columns,
        )
    else:
        frame = pd.DataFrame(columns=columns)
    frame = poles[["pole_id", "numero", "nom", "nom_court"]].merge(frame, on="pole_id")
    frame = frame.merge(chosen[["code", "libelle", "unite"]], on="code")
    frame["masque"] = frame["masque"].astype(object).where(frame["masque"].notna(), None)
    return frame.sort_values(["code", "numero", "annee"]).reset_index(drop=True)[
        ["pole_id", "numero", "nom", "nom_court", "annee", "code", "libelle", "unite", *columns[3:]]
    ]


def angle_profile(wh: Warehouse, viewer: Viewer, year: int, pole_id: str) -> pd.DataFrame:
    """A pole's place in the network across the five working angles for `year`.

    For each angle, its size-independent indicators (the derived shares and the ratios whose
    `sens` says which way is better): the pole's value and its percentile rank among the poles
    with a shown value (100 = better than every other pole, 0 = below every one; ties count
    half). One row per indicator (columns `PROFILE_COLUMNS`); `rang_centile` is NaN when the pole
    has no shown value or fewer than two poles have one.
    """
    choices = indicator_choices(wh, viewer)
    profiled = choices[(choices["nature"] != TYPED) & (choices["sens"] != "neutre")]
    profiled = profiled.sort_values("domaine_ordre", kind="stable")
    if profiled.empty:
        return pd.DataFrame([], columns=PROFILE_COLUMNS)
    pole_ids = list(_poles(wh)["pole_id"])
    codes = list(profiled["code"])
    _, values, _ = _shown_year(wh, viewer, year, _needed(choices, codes), pole_ids)
    # Poles in rows, the profiled codes in columns: every indicator at once.
    shown = values.loc[pole_ids, codes].to_numpy(dtype=float)
    is_mine = np.asarray(pole_ids, dtype=object) == pole_id
    mine = shown[is_mine][0] if is_mine.any() else np.full(len(codes), np.nan)
    others = shown[~is_mine]
    known = ~np.isnan(others)
    best_first = np.array([_best_first(s) for s in profiled["sens"]])
    with np.errstate(invalid="ignore"):  # NaN compared: False, as pandas does
        worse = np.where(best_first, others < mine, others > mine)
        ties = others == mine
    n_others = known.sum(axis=0)
    percentile = np.full(len(codes), np.nan)
    ranked = ~np.isnan(mine) & (n_others > 0)
    # The same operations, in the same order, as for one indicator at a time.
    percentile[ranked] = (
        100.0 * (worse.sum(axis=0)[ranked] + 0.5 * ties.sum(axis=0)[ranked]) / n_others[ranked]
    )
    return pd.DataFrame(
        {
            "domaine": profiled["domaine"].to_numpy(),
            "domaine_libelle": profiled["domaine_libelle"].to_numpy(),
            "code": codes,
            "libelle": profiled["libelle"].to_numpy(),
            "unite": profiled["unite"].to_numpy(),
            "valeur": mine,
            "rang_centile": percentile,
            "nb_poles": (~np.isnan(shown)).sum(axis=0).astype(int),
        },
        columns=PROFILE_COLUMNS,
    )


def targets(wh: Warehouse, viewer: Viewer, year: int, pole_id: str | None = None) -> pd.DataFrame:
    """Targets against results for `year`: one pole's (`pole_id`) or every pole's.

    One row per target. Columns: pole_id, numero, nom, nom_court, code, libelle, unite, sens,
    objectif, valeur (the result; NaN when not reported or masked for the viewer), masque,
    taux_atteinte (valeur / objectif), atteint (True / False; None when the result is unknown,
    masked, or the indicator has no direction). A pole reaches a « hausse » target at or above
    it, a « baisse » target at or below it.
    """
    frame = query(
        wh,
        """
        select t.pole_id, t.code, t.valeur as objectif
        from targets t
        where t.annee = ? and (? is null or t.pole_id = ?)
        """,
        [year, pole_id, pole_id],
    )
    codes = sorted(frame["code"].unique())
    shown = pole_values(wh, viewer, year, codes)
    shown = shown[
        ["pole_id", "numero", "nom", "nom_court", "code", "libelle", "unite", "sens", "valeur", "masque"]
    ]
    frame = frame.merge(shown, on=["pole_id", "code"], how="left")
    objectif = frame["objectif"].where(frame["objectif"] != 0)
    frame["taux_atteinte"] = frame["valeur"] / objectif
    reached = np.where(
        frame["sens"] == "baisse", frame["valeur"] <= frame["objectif"], frame["valeur"] >= frame["objectif"]
    )
    known = frame["valeur"].notna() & (frame["sens"] != "neutre")
    frame["atteint"] = pd.Series(reached, index=frame.index, dtype=object).where(known, None)
    frame = frame.sort_values(["numero", "code"]).reset_index(drop=True)
    return frame[
        [
            "pole_id",
            "numero",
            "nom",
            "nom_court",
            "code",
            "libelle",
            "unite",
            "sens",
            "objectif",
            "valeur",
            "masque",
            "taux_atteinte",
            "atteint",
        ]
    ]


def target_years(wh: Warehouse, viewer: Viewer) -> list[int]:
    """Years with targets, most recent first."""
    return [int(y) for y in query(wh, "select distinct annee from targets order by annee desc")["annee"]]


def years(wh: Warehouse, viewer: Viewer) -> list[int]:
    """Years with pole values, most recent first (open to every role: no value in it)."""
    return [
        int(y) for y in query(wh, "select distinct annee from mart_pole_year order by annee desc")["annee"]
    ]

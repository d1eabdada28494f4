"""Reads of the person-level pathways (`pathways`) and of the indicators derived from them.

Plain functions, no Streamlit: the « Parcours » page wraps them in its cache, the yearly report and
analysts call them directly. All SQL of the pathways is here; values (years, pole ids) always travel
as `?` parameters.

Access (SPEC §5), decided here and not in the page layout:
- staff see everything;
- the funder sees network-level aggregates only: asking for one pole, or for a table with one row
  per pole, is refused (`PermissionError`, in French);
- a pole sees its own person-level detail; another pole's detail is refused. It may see the
  cross-pole comparisons (the others' indicators), under small-cell suppression.

Small cells: every count of persons in a cross-pole view, and every count the funder (or a pole
looking at the network) receives, goes through `ptce.small_cells`, so the page and the report mask
the same cells the same way. A pole reading its own detail, and staff reading the network or one
pole, see the counts as they are.

A pathway (`parcours_id`) is one or more stays of a person in member structures of one pole, linked
by internal moves; it ends with the stay flagged `fin_parcours`, whose `categorie_sortie` is the
exit category. Persons are counted once (`person_key`) in the flows and the breakdowns; exits and
durations count ended pathways, as the indicators the pipeline derives do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ptce import small_cells
from ptce.contract import DAYS_PER_MONTH, DYNAMIC_EXIT_CATEGORIES, PATHWAY_INDICATOR_CODES, WITHDRAWN_EXIT
from ptce.fmt import fmt_number
from ptce.read.base import Viewer, Warehouse, query

# Exit categories (SPEC §3, IAE definitions) in display order, then the two states of a pathway
# that has no exit category: still running, or ended without a known category.
EXIT_CATEGORIES = (
    "emploi_durable",
    "emploi_transition",
    "sortie_positive",
    "autre_sortie",
    "retrait",
)
ONGOING = "en_cours"
# The one node of the network's flows for the persons who moved to another member structure.
MOVED = "mobilite_interne"
UNKNOWN_EXIT = "non_renseignee"
# Dynamic exits and withdrawals, as the contract defines them (the pages use these names).
DYNAMIC_CATEGORIES = DYNAMIC_EXIT_CATEGORIES
WITHDRAWN = WITHDRAWN_EXIT
# Every outcome of a pathway in French, in display order (pages, report).
EXIT_LABELS: dict[str, str] = {
    "emploi_durable": "Emploi durable",
    "emploi_transition": "Emploi de transition",
    "sortie_positive": "Sortie positive",
    "autre_sortie": "Autre sortie",
    "retrait": "Retrait (hors décompte)",
    UNKNOWN_EXIT: "Issue non renseignée",
    ONGOING: "Parcours en cours",
}

# Breakdown variables of the persons accompanied, in display order: column of `pathways` -> label.
# RQTH (health data, SPEC §5) is deliberately not here: it is only ever counted on its own
# (`rqth`), never crossed with another variable.
BREAKDOWN_VARIABLES: dict[str, str] = {
    "sexe": "Sexe",
    "tranche_age": "Tranche d'âge",
    "deld": "Demandeurs d'emploi de longue durée (DELD)",
    "rsa": "Bénéficiaires du RSA",
    "qpv": "Résidents d'un quartier prioritaire (QPV)",
}
BOOLEAN_VARIABLES = ("deld", "rsa", "qpv")
AGE_BANDS = ("moins de 26 ans", "26–44 ans", "45–54 ans", "55 ans et plus")
# A breakdown's modality when the row says nothing.
NOT_GIVEN = "non_renseigne"
# Modalities of each variable in display order (codes; labels in `MODALITY_LABELS`).
MODALITIES: dict[str, tuple[str, ...]] = {
    "sexe": ("F", "H", NOT_GIVEN),
    "tranche_age": (*AGE_BANDS, NOT_GIVEN),
    **{v: ("oui", "non", NOT_GIVEN) for v in BOOLEAN_VARIABLES},
}
MODALITY_LABELS: dict[str, str] = {
    "F": "Femmes",
    "H": "Hommes",
    "oui": "Oui",
    "non": "Non",
    NOT_GIVEN: "Non renseigné",
    **{band: band for band in AGE_BANDS},
}

# Durations of ended pathways, in months: bins [start, end) in display order, the last open.
DURATION_BINS: tuple[tuple[int, int | None], ...] = ((0, 3), (3, 6), (6, 12), (12, 18), (18, 24), (24, None))
NETWORK = None  # `pole_id` of a network-level read

FUNDER_REFUSED = (
    "Le financeur consulte les chiffres du réseau, pas ceux d'un pôle : ces données par pôle ne "
    "sont pas accessibles."
)
OTHER_POLE_REFUSED = (
    "Les parcours d'un autre pôle ne sont pas accessibles : un pôle ne voit que le détail de ses "
    "propres parcours."
)


# --- Access ------------------------------------------------------------------------------------


def check_scope(viewer: Viewer, pole_id: str | None) -> None:
    """Refuse, in French, a read of one pole's person-level detail by someone not allowed to see it.

    `pole_id` None is the network: open to every viewer (the counts are then masked for those who
    need it, `masks_network`).
    """
    if pole_id is None or viewer.role == "staff":
        return
    if viewer.role == "funder":
        raise PermissionError(FUNDER_REFUSED)
    if viewer.pole_id != pole_id:
        raise PermissionError(OTHER_POLE_REFUSED)


def check_cross_pole(viewer: Viewer) -> None:
    """A table with one row per pole: staff and poles (masked), never the funder (network only)."""
    if viewer.role == "funder":
        raise PermissionError(FUNDER_REFUSED)


def check_own_detail(viewer: Viewer, pole_id: str | None) -> None:
    """Per-pole detail that is not person counts (derived against declared): staff, or the pole itself."""
    if viewer.role == "staff":
        return
    if viewer.role == "funder":
        raise PermissionError(FUNDER_REFUSED)
    if pole_id is None or viewer.pole_id != pole_id:
        raise PermissionError(OTHER_POLE_REFUSED)


def masks(viewer: Viewer, pole_id: str | None) -> bool:
    """Whether the counts of a one-scope read (network or one pole) are masked for this viewer.

    Staff see every count; a pole sees its own counts; anything else (the funder, a pole looking at
    the network) is masked.
    """
    if viewer.role == "staff":
        return False
    return not (viewer.role == "pole" and pole_id is not None and viewer.pole_id == pole_id)


# --- SQL building blocks -----------------------------------------------------------------------

# One row per pathway of the chosen pole (all poles when the parameter is null): its person, its
# first entry and entry structure, its last structure, its number of stays, and, once ended, its
# end date and exit category. Two parameters: the pole id, twice.
PATHWAYS_CTE = """
parcours as (
    select pole_id, parcours_id,
           arg_min(person_key, etape) as person_key,
           min(date_entree) as debut,
           arg_min(structure, etape) as structure_entree,
           arg_max(structure, etape) as structure_finale,
           count(*) as nb_etapes,
           max(date_sortie) filter (where fin_parcours) as fin,
           bool_or(coalesce(fin_parcours, false)) as termine,
           arg_max(categorie_sortie, etape) filter (where fin_parcours) as categorie
    from pathways
    where cast(? as varchar) is null or pole_id = ?
    group by pole_id, parcours_id
)
"""

# One row per person accompanied during a year (a stay overlapping it), per pole or for the
# network, with the breakdown attributes of the person's latest stay in that year (a person's age
# band can change). Parameters: year, year, pole id, pole id. `{by}` is a fixed column list.
PERSONS_SQL = """
with sejours as (
    select * from pathways
    where date_entree <= make_date(?, 12, 31)
      and (date_sortie is null or date_sortie >= make_date(?, 1, 1))
      and (cast(? as varchar) is null or pole_id = ?)
),
personnes as (
    select {by} person_key,
           arg_max(sexe, date_entree) as sexe,
           arg_max(tranche_age, date_entree) as tranche_age,
           arg_max(deld, date_entree) as deld,
           arg_max(rsa, date_entree) as rsa,
           arg_max(qpv, date_entree) as qpv,
           bool_or(coalesce(rqth, false)) as rqth
    from sejours
    group by {by} person_key
)
"""


def _pole_params(pole_id: str | None) -> list[Any]:
    return [pole_id, pole_id]


def _int_counts(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    for column in columns:
        frame[column] = frame[column].fillna(0).astype(int)
    return frame


def _labels(values: pd.Series) -> np.ndarray:
    """`fmt_number` of each value, computed once per distinct value (counts repeat a lot)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # A missing value's code is -1: the last label, that of NaN.
    labels = np.array([*(fmt_number(v) for v in uniques), fmt_number(float("nan"))], dtype=object)
    return labels[codes]


def _unmasked(df: pd.DataFrame, value: str) -> pd.DataFrame:
    out = df.copy()
    out[value] = out[value].astype(float)
    out["masque"] = False
    out["libelle"] = _labels(out[value])
    return out


def _key(df: pd.DataFrame, columns: str | list[str]) -> pd.Series:
    """One text key per row from `columns` (missing as empty), joined by « | »: whole columns at
    once, the same keys (so the same table, in the same order) as joining them row by row."""
    columns = [columns] if isinstance(columns, str) else columns
    parts = [df[c].astype(object).fillna("").astype(str) for c in columns]
    key = parts[0]
    for part in parts[1:]:
        key = key + "|" + part
    return key


def _mask_long(
    df: pd.DataFrame, *, rows: str | list[str], columns: str | list[str], masked: bool
) -> pd.DataFrame:
    """`df` with its `personnes` made publishable: NaN where masked, `masque` (bool) and `libelle`
    (« 1 234 », « < 5 », « s ») added. `rows` x `columns` is the table whose cells and totals
    `small_cells.suppress_long` protects (several columns are joined into one key)."""
    if not masked or df.empty:
        return _unmasked(df, "personnes")
    work = df.copy()
    work["_ligne"] = _key(df, rows)
    work["_colonne"] = _key(df, columns)
    out = small_cells.suppress_long(work, rows="_ligne", columns="_colonne", value="personnes")
    shown = out[small_cells.LONG_VALUE].astype(float)
    # The private count leaves here replaced by what may be published.
    out["personnes"] = shown
    out["masque"] = shown.isna() & df["personnes"].notna().to_numpy()
    return out.drop(columns=["_ligne", "_colonne", small_cells.LONG_VALUE])


def _mask_series(df: pd.DataFrame, value: str, *, masked: bool, total: bool = True) -> pd.DataFrame:
    """`df` with its `value` counts (one list, its total published when `total`) made publishable,
    as in `_mask_long`."""
    if not masked or df.empty:
        return _unmasked(df, value)
    table = small_cells.suppress_series(df[value].reset_index(drop=True), total=total)
    out = df.copy()
    out[value] = table.values().iloc[:, 0].to_numpy()
    out["masque"] = table.masked.iloc[:, 0].to_numpy().astype(bool)
    out["libelle"] = table.labels().iloc[:, 0].to_numpy()
    return out


# --- Choices -----------------------------------------------------------------------------------


def years(wh: Warehouse, viewer: Viewer) -> list[int]:
    """Years with entries into or exits from a pathway, most recent first.

    Not the years a pathway merely goes on: the derived indicators run to this year while a stay
    is open, which would offer years no pole has reported on yet.
    """
    df = query(
        wh,
        """
        select year(date_entree) as annee from pathways
        union
        select year(date_sortie) from pathways where date_sortie is not null
        order by 1 desc
        """,
    )
    return [int(y) for y in df["annee"]]


def poles(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """The poles whose pathways this viewer may open one by one: all for staff, its own for a pole,
    none for the funder. Columns pole_id, numero, nom, nom_court, nb_personnes."""
    # Filtered in the query: staff every pole (`?` null), a pole its own, the funder none.
    scope = None if viewer.role == "staff" else (viewer.pole_id if viewer.role == "pole" else None)
    return query(
        wh,
        """
        select p.pole_id, p.numero, p.nom, p.nom_court, count(distinct w.person_key) as nb_personnes
        from poles p
        join pathways w using (pole_id)
        where ? and (cast(? as varchar) is null or p.pole_id = ?)
        group by all
        order by p.numero
        """,
        [viewer.role != "funder", scope, scope],
    )


# --- Flows (Sankey) ----------------------------------------------------------------------------


def flows(
    wh: Warehouse, viewer: Viewer, pole_id: str | None = NETWORK, year: int | None = None
) -> pd.DataFrame:
    """Persons from where their pathway began, through an internal move, to its outcome: the links
    of a Sankey diagram.

    For one pole: entry structure → structure reached by internal moves (the last one) → outcome.
    For the network: entry pole → « after an internal move » (`MOVED`, one node) → outcome; the
    network does not name structures, which are each pole's own detail (and sixty structures side
    by side are unreadable). A pathway without internal move goes straight to its outcome.

    The pathways are those that began in `year` (all when None): a cohort of entries, followed to
    where it is now. Columns: source_etape ('entree' or 'mobilite'), source_pole,
    source_pole_nom (short name), numero, source (structure; null for a network entry, which is
    the pole), target_etape ('mobilite' or 'issue'), target_pole, target (structure, `MOVED`, or
    an outcome: exit category, `ONGOING`, `UNKNOWN_EXIT`), personnes (distinct persons), masque,
    libelle — masked only for the viewers who need it (`masks`).
    """
    check_scope(viewer, pole_id)
    network = pole_id is None
    df = query(
        wh,
        f"""
        with {PATHWAYS_CTE},
        cohorte as (
            select *,
                   case when termine then coalesce(categorie, '{UNKNOWN_EXIT}') else '{ONGOING}' end
                       as issue,
                   case when ? then '{MOVED}' else structure_finale end as apres_mobilite
            from parcours
            where cast(? as integer) is null or year(debut) = ?
        ),
        liens as (
            select 'entree' as source_etape, pole_id as source_pole,
                   case when ? then null else structure_entree end as source,
                   case when nb_etapes > 1 then 'mobilite' else 'issue' end as target_etape,
                   case when nb_etapes > 1 and not ? then pole_id end as target_pole,
                   case when nb_etapes > 1 then apres_mobilite else issue end as target,
                   person_key
            from cohorte
            union all
            select 'mobilite', case when ? then null else pole_id end, apres_mobilite, 'issue', null,
                   issue, person_key
            from cohorte
            where nb_etapes > 1
        )
        select l.source_etape, l.source_pole, coalesce(p.nom_court, l.source_pole) as source_pole_nom,
               p.numero, l.source, l.target_etape, l.target_pole, l.target,
               count(distinct l.person_key) as personnes
        from liens l
        left join poles p on p.pole_id = l.source_pole
        group by all
        order by l.source_etape, p.numero, l.source, l.target_etape, l.target
        """,
        [*_pole_params(pole_id), network, year, year, network, network, network],
    )
    df = _int_counts(df, ["personnes"])
    return _mask_long(
        df,
        rows=["source_etape", "source_pole", "source"],
        columns=["target_etape", "target_pole", "target"],
        masked=masks(viewer, pole_id),
    )


def cohort_size(
    wh: Warehouse, viewer: Viewer, pole_id: str | None = NETWORK, year: int | None = None
) -> int | None:
    """Distinct persons whose pathway began in `year` (all years when None): the Sankey's sample.

    None for a masked viewer when the count is under the small-cell threshold (but not zero).
    """
    check_scope(viewer, pole_id)
    df = query(
        wh,
        f"""
        with {PATHWAYS_CTE}
        select count(distinct person_key) as n from parcours
        where cast(? as integer) is null or year(debut) = ?
        """,
        [*_pole_params(pole_id), year, year],
    )
    n = int(df["n"].iloc[0])
    if masks(viewer, pole_id) and 0 < n < small_cells.threshold():
        return None
    return n


# --- Exits -------------------------------------------------------------------------------------


def exit_categories(wh: Warehouse, viewer: Viewer, pole_id: str | None = NETWORK) -> pd.DataFrame:
    """Exits from a pathway, by year of exit and exit category (network, or one pole).

    One exit per ended pathway (a person leaving twice in a year counts twice, as in the exits the
    poles declare and the pipeline derives).

    Columns annee, categorie (code, `UNKNOWN_EXIT` when an ended pathway has none), personnes, then
    the masking columns (see `flows`). Withdrawals (`retrait`) are listed: the page says they are
    not counted as exits.
    """
    check_scope(viewer, pole_id)
    df = query(
        wh,
        f"""
        with {PATHWAYS_CTE}
        select year(fin) as annee, coalesce(categorie, '{UNKNOWN_EXIT}') as categorie,
               count(*) as personnes
        from parcours
        where termine and fin is not null
        group by all
        order by annee, categorie
        """,
        _pole_params(pole_id),
    )
    df = _int_counts(df, ["annee", "personnes"])
    return _mask_long(df, rows="annee", columns="categorie", masked=masks(viewer, pole_id))


def exit_categories_by_pole(wh: Warehouse, viewer: Viewer, year: int) -> pd.DataFrame:
    """Exits from a pathway in `year` (one per ended pathway), pole × exit category: a cross-pole
    view, always masked.

    Columns pole_id, numero, nom, categorie, personnes, then the masking columns.
    """
    check_cross_pole(viewer)
    df = query(
        wh,
        f"""
        with {PATHWAYS_CTE}
        select p.pole_id, p.numero, p.nom, coalesce(w.categorie, '{UNKNOWN_EXIT}') as categorie,
               count(*) as personnes
        from parcours w
        join poles p using (pole_id)
        where w.termine and year(w.fin) = ?
        group by all
        order by p.numero, categorie
        """,
        [*_pole_params(None), year],
    )
    df = _int_counts(df, ["personnes"])
    return _mask_long(df, rows="pole_id", columns="categorie", masked=True)


def dynamic_exit_rates(wh: Warehouse, viewer: Viewer, year: int) -> pd.DataFrame:
    """The dynamic-exit rate of each pole in `year`, with its number of exits, then the network.

    rate = (exits to lasting employment + to transitional employment + positive exits) / exits
    other than withdrawals (SPEC §3), one exit per ended pathway, as the pipeline derives
    `taux_sortie_dynamique`. One row per pole with exits in `year`,
    then a last row for the network (pole_id null). Columns pole_id, numero, nom, sorties (the
    sample size n), sorties_dynamiques, taux (ratio in [0, 1], NaN without exit), then sorties_masque
    (the exits are under the small-cell threshold) and sorties_libelle (« < 5 » or the count in
    French): a cross-pole view, so a pole's rate is hidden when its exits are masked (a rate on a
    handful of persons identifies them).
    """
    check_cross_pole(viewer)
    dynamic = list(DYNAMIC_CATEGORIES)
    # The poles' rows and the network's (every pathway, a pole in the reference or not) in one pass
    # over the pathways: the empty grouping set is the network, always one row.
    both = query(
        wh,
        f"""
        with {PATHWAYS_CTE}
        select p.pole_id, p.numero, p.nom,
               count(*) filter (where coalesce(w.categorie, '') <> ?) as sorties,
               count(*) filter (where list_contains(?, w.categorie))
                   as sorties_dynamiques,
               grouping(p.pole_id) = 1 as reseau
        from parcours w
        left join poles p on p.pole_id = w.pole_id
        where w.termine and year(w.fin) = ?
        group by grouping sets ((p.pole_id, p.numero, p.nom), ())
        having grouping(p.pole_id) = 1 or p.pole_id is not null
        order by reseau, p.numero
        """,
        [*_pole_params(None), WITHDRAWN, dynamic, year],
    )
    is_network = both["reseau"].astype(bool).to_numpy()
    per_pole = both[~is_network].drop(columns="reseau").astype({"numero": "int64"})
    network = pd.DataFrame(
        {
            "pole_id": [None],
            "numero": [None],
            "nom": [None],
            **{c: both.loc[is_network, c].to_numpy() for c in ("sorties", "sorties_dynamiques")},
        }
    )
    df = pd.concat([per_pole, network], ignore_index=True)
    df = _int_counts(df, ["sorties", "sorties_dynamiques"]).astype({"sorties_dynamiques": float})
    df["taux"] = df["sorties_dynamiques"] / df["sorties"].where(df["sorties"] > 0)
    # The network row is the published total of the poles' exits: secondary suppression protects it.
    table = small_cells.suppress_series(df["sorties"].iloc[:-1].reset_index(drop=True), total=True)
    hidden = [*table.masked.iloc[:, 0].tolist(), bool(table.grand_total_masked)]
    labels = [*table.labels().iloc[:, 0].tolist(), table.grand_total_label()]
    df["sorties_masque"] = hidden
    df["sorties_libelle"] = labels
    df["sorties"] = df["sorties"].astype(float).mask(df["sorties_masque"])
    df.loc[df["sorties_masque"], ["taux", "sorties_dynamiques"]] = float("nan")
    # A small number of dynamic exits is a small count of persons too, and the rate would give it
    # back (rate × exits): both are withheld from the poles for that row.
    if viewer.role != "staff":
        small = (df["sorties_dynamiques"] > 0) & (df["sorties_dynamiques"] < small_cells.threshold())
        df.loc[small, ["sorties_dynamiques", "taux"]] = float("nan")
    return df


# --- Durations ---------------------------------------------------------------------------------


def duration_distribution(
    wh: Warehouse, viewer: Viewer, pole_id: str | None = NETWORK, year: int | None = None
) -> tuple[pd.DataFrame, float | None, int | None]:
    """How long the pathways that ended in `year` (all ended pathways when None) lasted, in months.

    Withdrawals are left out, as in the median the pipeline derives (`duree_mediane_mois`). A
    pathway's duration runs from its first entry to its exit, whatever its internal moves, in
    months of 30,4375 days. Returns (bins, median, n): one row per bin of `DURATION_BINS` (debut,
    fin — null for the last, open bin —, personnes: pathways ended, one person each, plus the
    masking columns), the median duration (None without pathway) and the number of pathways; for a
    masked viewer both are None when that number is under the small-cell threshold.
    """
    check_scope(viewer, pole_id)
    durations = query(
        wh,
        f"""
        with {PATHWAYS_CTE}
        select date_diff('day', debut, fin) / ? as mois
        from parcours
        where termine and fin is not null and coalesce(categorie, '') <> ?
          and (cast(? as integer) is null or year(fin) = ?)
        """,
        [*_pole_params(pole_id), DAYS_PER_MONTH, WITHDRAWN, year, year],
    )
    months = durations["mois"].astype(float)
    rows = []
    for start, end in DURATION_BINS:
        inside = (months >= start) & ((months < end) if end is not None else True)
        rows.append({"debut": start, "fin": end, "personnes": int(inside.sum())})
    bins = pd.DataFrame(rows).astype({"fin": "Int64"})
    n: int | None = len(durations)
    median = float(months.median()) if n else None
    masked = masks(viewer, pole_id)
    bins = _mask_series(bins, "personnes", masked=masked)
    if masked and n is not None and 0 < n < small_cells.threshold():
        median, n = None, None
    return bins, median, n


# --- Breakdowns --------------------------------------------------------------------------------


def _breakdown_sql(by_pole: bool) -> str:
    by = "pole_id, " if by_pole else ""
    parts = []
    for variable in BREAKDOWN_VARIABLES:
        if variable in BOOLEAN_VARIABLES:
            modality = f"case when {variable} then 'oui' when not {variable} then 'non' end"
        else:
            modality = variable
        parts.append(
            f"select {by}'{variable}' as variable, coalesce({modality}, '{NOT_GIVEN}') as modalite, "
            f"count(*) as personnes from personnes group by all"
        )
    return PERSONS_SQL.format(by=by) + "\n union all \n".join(parts)


def _order_modalities(df: pd.DataFrame) -> pd.DataFrame:
    variables = list(BREAKDOWN_VARIABLES)
    df = df.assign(
        _v=df["variable"].map(variables.index),
        _m=[
            MODALITIES[v].index(m) if m in MODALITIES[v] else 99
            for v, m in zip(df["variable"], df["modalite"], strict=True)
        ],
    )
    return df


def breakdowns(wh: Warehouse, viewer: Viewer, pole_id: str | None, year: int) -> pd.DataFrame:
    """Persons accompanied in `year` (a stay overlapping the year) by sex, age band, DELD, RSA and QPV.

    One row per variable and modality (every modality of `MODALITIES`, 0 when none): variable,
    modalite (code), personnes, part (share of the persons accompanied, NaN when masked), then the
    masking columns. The network counts each person once, whatever the number of poles. RQTH is not
    here (see `rqth`).
    """
    check_scope(viewer, pole_id)
    df = query(wh, _breakdown_sql(by_pole=False), [year, year, *_pole_params(pole_id)])
    full = pd.DataFrame(
        [(v, m) for v in BREAKDOWN_VARIABLES for m in MODALITIES[v]], columns=["variable", "modalite"]
    )
    df = full.merge(df, on=["variable", "modalite"], how="outer")
    df = _int_counts(df, ["personnes"])
    df = _order_modalities(df).sort_values(["_v", "_m"]).drop(columns=["_v", "_m"]).reset_index(drop=True)
    total = df.groupby("variable")["personnes"].transform("sum")
    df["part"] = df["personnes"] / total.where(total > 0)
    masked = masks(viewer, pole_id)
    parts = [
        _mask_series(group.reset_index(drop=True), "personnes", masked=masked)
        for _, group in df.groupby("variable", sort=False)
    ]
    out = pd.concat(parts, ignore_index=True)
    out.loc[out["masque"], "part"] = float("nan")
    return out


def breakdown_by_pole(wh: Warehouse, viewer: Viewer, year: int, variable: str) -> pd.DataFrame:
    """Persons accompanied in `year`, pole × modality of one breakdown `variable`: cross-pole, masked.

    Columns pole_id, numero, nom, modalite, personnes, then the masking columns (with secondary
    suppression: no total reveals a masked cell). RQTH is refused here: it is never crossed.
    """
    check_cross_pole(viewer)
    if variable not in BREAKDOWN_VARIABLES:
        raise ValueError(f"Variable de répartition inconnue : {variable}")
    df = query(
        wh,
        f"""
        with b as ({_breakdown_sql(by_pole=True)})
        select p.pole_id, p.numero, p.nom, b.modalite, b.personnes
        from b join poles p using (pole_id)
        where b.variable = ?
        order by p.numero
        """,
        [year, year, *_pole_params(None), variable],
    )
    df = _int_counts(df, ["personnes"])
    return _mask_long(df, rows="pole_id", columns="modalite", masked=True)


def rqth(wh: Warehouse, viewer: Viewer, pole_id: str | None, year: int) -> pd.DataFrame:
    """Persons accompanied in `year` with a recognised disability (RQTH): count and share, nothing more.

    RQTH is health data (SPEC §5): it is only counted on its own for the network or one pole, never
    crossed with another variable. One row: personnes (accompanied), personnes_rqth, part, then
    masque and libelle (the RQTH count masked below the small-cell threshold for the viewers who
    need it, with its share).
    """
    check_scope(viewer, pole_id)
    df = query(
        wh,
        PERSONS_SQL.format(by="")
        + "select count(*) as personnes, count(*) filter (where rqth) as personnes_rqth from personnes",
        [year, year, *_pole_params(pole_id)],
    )
    df = _int_counts(df, ["personnes", "personnes_rqth"])
    df["part"] = df["personnes_rqth"] / df["personnes"].where(df["personnes"] > 0)
    masked = masks(viewer, pole_id)
    shown = _mask_series(df, "personnes_rqth", masked=masked, total=False)
    if masked and 0 < df["personnes"].iloc[0] < small_cells.threshold():
        # So few persons accompanied that their number is itself a small count: nothing is shown.
        shown["personnes"] = float("nan")
        shown[["personnes_rqth", "masque", "libelle"]] = [float("nan"), True, small_cells.PRIMARY_LABEL]
    shown.loc[shown["masque"], "part"] = float("nan")
    return shown


# --- Derived against declared ------------------------------------------------------------------


def derived_vs_declared(
    wh: Warehouse, viewer: Viewer, pole_id: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """Each indicator computed from the pathways beside the value the pole declared, with the gap.

    One row per pole, year and indicator of `pathway_indicators` (one pole, or every pole when
    `pole_id` is None — staff only —; one year, or all when `year` is None), in pole then catalogue
    order: pole_id, numero, nom, nom_court, annee, code, libelle (catalogue label, null for a code the
    catalogue does not list), unite, valeur (computed), valeur_declaree, ecart, ecart_relatif,
    origine. Per-pole figures: staff, or the pole itself.
    """
    check_own_detail(viewer, pole_id)
    return query(
        wh,
        """
        select i.pole_id, p.numero, coalesce(p.nom, i.pole_id) as nom,
               coalesce(p.nom_court, p.nom, i.pole_id) as nom_court, i.annee, i.code,
               c.libelle, c.unite, i.valeur, i.valeur_declaree, i.ecart, i.ecart_relatif, i.origine
        from pathway_indicators i
        left join poles p using (pole_id)
        left join indicator_catalog c using (code)
        where (cast(? as varchar) is null or i.pole_id = ?)
          and (cast(? as integer) is null or i.annee = ?)
        order by p.numero nulls last, i.pole_id, i.annee,
                 coalesce(list_position(?, i.code), 999), i.code
        """,
        [pole_id, pole_id, year, year, list(PATHWAY_INDICATOR_CODES)],
    )


# --- Adjusted comparison (« valeur ajoutée ») ---------------------------------------------------

# The two rates compared with what the profile of the persons predicts (`pathway_adjusted`).
ADJUSTED_INDICATORS: dict[str, str] = {
    "taux_sortie_dynamique": "Taux de sorties dynamiques",
    "taux_emploi_durable": "Taux de sorties vers l'emploi durable",
}
ADJUSTED_VERDICT_LABELS: dict[str, str] = {
    "au-dessus": "Au-dessus de l'attendu",
    "conforme": "Conforme à l'attendu",
    "en dessous": "En dessous de l'attendu",
}
# Below this many exits in the year, `pathway_adjusted` gives no figure (pipeline's MIN_EXITS).
ADJUSTED_MIN_EXITS = 20
# The method in plain French, for the page and the report (pipelines/pathways/adjusted.py for developers).
ADJUSTED_METHOD = (
    "Pour chaque pôle, le taux observé (sorties dynamiques, ou sorties vers l'emploi durable, hors "
    "retraits) est comparé au taux attendu compte tenu du profil des personnes sorties de ses "
    "parcours dans l'année. "
    "Le taux attendu vient d'un modèle statistique (régression logistique) ajusté sur toutes les "
    "sorties du réseau de l'année : il tient compte du sexe, de la tranche d'âge, du chômage de longue "
    "durée (DELD), du RSA, de la résidence en quartier prioritaire (QPV) et de la reconnaissance de "
    "handicap (RQTH) à l'entrée, ainsi que du territoire rural ou urbain du pôle quand le référentiel "
    "des pôles l'indique. "
    "Le modèle ne contient volontairement aucun effet « pôle » : l'attendu est ce que le réseau "
    "obtient en moyenne avec des personnes de ce profil, pas ce que le pôle obtient d'habitude. "
    "L'écart est le taux observé moins le taux attendu, en points de pourcentage : un écart positif "
    "signifie que le pôle fait mieux que ce que le profil de ses publics laisse prévoir. "
    "L'intervalle à 95 % donne la marge d'écart que le seul hasard peut produire, compte tenu du "
    "nombre de sorties du pôle ; le pôle n'est dit « au-dessus » ou « en dessous de l'attendu » que si "
    "tout l'intervalle est du même côté de zéro, sinon il est « conforme à l'attendu ». "
    f"Aucun chiffre n'est donné pour un pôle de moins de {ADJUSTED_MIN_EXITS} sorties dans l'année : "
    "sur si peu de personnes, l'écart ne se lit pas. "
    "Ce n'est pas un classement : un écart reflète aussi ce que le modèle ne voit pas, comme le marché "
    "local de l'emploi ou d'autres difficultés des personnes."
)
ADJUSTED_UNKNOWN = "Indicateur inconnu pour la comparaison ajustée : « {} » (attendu : {})."


def adjusted_comparison(wh: Warehouse, viewer: Viewer, year: int, indicator: str) -> pd.DataFrame:
    """Each pole's observed rate against the rate its people's profile predicts, in `year`.

    One row per pole with exits in `year` (pole order): the columns of `pathway_adjusted` (pole_id,
    annee, indicateur, sorties, taux_observe, taux_attendu, ecart, ic_bas, ic_haut, verdict,
    modele), then nom, nom_court, numero, sorties_masque and sorties_libelle. Open to every role:
    it holds rates and exits per pole, no person-level row; the number of exits is still a count of
    persons across poles, so for anyone but staff it goes through the small-cell rule (masked
    below the threshold; a pole that small has no rate anyway, see `ADJUSTED_MIN_EXITS`).
    """
    if indicator not in ADJUSTED_INDICATORS:
        raise ValueError(ADJUSTED_UNKNOWN.format(indicator, ", ".join(ADJUSTED_INDICATORS)))
    df = query(
        wh,
        """
        select a.pole_id, a.annee, a.indicateur, a.sorties, a.taux_observe, a.taux_attendu, a.ecart,
               a.ic_bas, a.ic_haut, a.verdict, a.modele,
               coalesce(p.nom, a.pole_id) as nom, coalesce(p.nom_court, p.nom, a.pole_id) as nom_court,
               p.numero
        from pathway_adjusted a
        left join poles p using (pole_id)
        where a.annee = ? and a.indicateur = ?
        order by p.numero nulls last, a.pole_id
        """,
        [year, indicator],
    )
    # No total row is published: primary suppression only.
    out = _mask_series(df, "sorties", masked=viewer.role != "staff", total=False)
    return out.rename(columns={"masque": "sorties_masque", "libelle": "sorties_libelle"})

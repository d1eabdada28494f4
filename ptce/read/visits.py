"""Reads of the community's own life: its events (visits, seminars, meetings), who took part, the
offers to host a visit, the practices and tools shared, and the community indicators.

Plain functions, no Streamlit: the « Visites et capitalisation » page wraps them in its cache, the
yearly report and analysts call them directly. All SQL of the visit tables is here; values (kinds,
statuses, search text) always travel as `?` parameters.

Who sees what (SPEC §5). The events, who hosted and who visited whom, the offers' outcome and the
practices are the community's shared knowledge: every viewer reads them. Two things are not:
- participants are persons: their counts (`nb_participants`, the indicator `participants`) reach
  the funder and the poles only through `ptce.small_cells`, as published values and labels
  (« < 5 », « s »); staff see them as they are;
- what a pole wrote in its application about the visit it could host (`experiences_visite`) is an
  application answer, which only staff read (`ptce.read.applications`); a pole reads its own.

An event is held (`HELD`) once its date has passed; counts of visits hosted, attended or held
(participation, matrix, rhythm) are over held events, as the community indicators are. Planned
events are listed, and counted apart in the rhythm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ptce import small_cells
from ptce.contract import VISIT_TYPES
from ptce.fmt import fmt_number
from ptce.read.base import Viewer, Warehouse, query
from ptce.reference import load_catalog, load_community_indicators, load_visit_config

HELD = "tenue"
PLANNED = "prévue"
LEARNING_VISIT = VISIT_TYPES[0]  # « visite apprenante »: the kind the matrix and the rhythm count
HOST, PARTICIPANT = "hote", "participant"
# The community indicator that counts persons (catalogue `personnes: true`).
PARTICIPANTS_CODE = "participants"


def masks(viewer: Viewer) -> bool:
    """Whether participant counts are masked for this viewer: for everyone but staff."""
    return viewer.role != "staff"


def angle_labels() -> dict[str, str]:
    """Working angles (catalogue domain codes) in French, in catalogue order."""
    return {d.code: d.libelle for d in sorted(load_catalog().domains, key=lambda d: d.ordre)}


# --- Events --------------------------------------------------------------------------------------

EVENTS_SQL = """
select v.visit_id, v.pole_id, p.numero, p.nom as hote, coalesce(p.nom_court, p.nom) as hote_court,
       v.type, v.titre, v.date_visite, v.date_fin, v.annee, v.lieu,
       -- An event without a place of its own is drawn at its host's.
       coalesce(v.latitude, p.latitude) as latitude, coalesce(v.longitude, p.longitude) as longitude,
       v.themes, v.nb_poles_presents, v.nb_participants, v.nb_documents, v.statut,
       coalesce((select list(a.angle order by a.angle) from visit_angles a
                 where a.visit_id = v.visit_id), []) as angles
from visits v
left join poles p on p.pole_id = v.pole_id
order by v.date_visite nulls last, v.visit_id
"""


@dataclass(frozen=True)
class _Participants:
    """Participant counts as they may be published to one viewer."""

    events: pd.DataFrame  # visit_id, participants (float, NaN masked or unknown), masque, libelle
    by_year: dict[int, tuple[float, str]]  # held events' total per year: value, label
    total: tuple[float, str] | None  # held events' grand total: value, label (None without any)


def _participants(raw: pd.DataFrame, masked: bool) -> _Participants:
    """Counts of participants of every event, with the totals of held events by year and overall.

    Masked: the held events form one table, event × year (an event sits in its year's column, the
    other cells missing), whose column totals are the yearly figures and whose corner is the
    period's: `small_cells.suppress` masks the small counts and whatever cell or total would give
    one back by subtraction, across years as within one. (`suppress_series` is this rule for one
    column; a table is needed here because yearly and overall totals are both published.) Planned
    events have no published total: their small counts only are masked.
    """
    counts = raw["nb_participants"].astype(float)
    held = raw["statut"].eq(HELD) & raw["annee"].notna()
    if not masked:
        out = pd.DataFrame(
            {
                "visit_id": raw["visit_id"],
                "participants": counts,
                "masque": False,
                "libelle": [fmt_number(v, missing=small_cells.MISSING_LABEL) for v in counts],
            }
        )
        by_year = {
            int(y): (float(s), fmt_number(s))
            for y, s in counts[held].groupby(raw.loc[held, "annee"].astype(int)).sum(min_count=1).items()
            if not pd.isna(s)
        }
        grand = counts[held].sum(min_count=1)
        return _Participants(out, by_year, None if pd.isna(grand) else (float(grand), fmt_number(grand)))

    shown = pd.Series(np.nan, index=raw.index)
    hidden = pd.Series(False, index=raw.index)
    labels = pd.Series(small_cells.MISSING_LABEL, index=raw.index, dtype=object)
    by_year: dict[int, tuple[float, str]] = {}
    total = None
    if held.any():
        frame = raw.loc[held, ["visit_id", "annee"]].assign(n=counts[held].to_numpy())
        wide = frame.pivot(index="visit_id", columns="annee", values="n").astype(float)
        table = small_cells.suppress(wide)
        values, cell_labels = table.values(), table.labels()
        for i in frame.index:
            vid, year = frame.at[i, "visit_id"], frame.at[i, "annee"]
            shown[i] = values.at[vid, year]
            hidden[i] = bool(table.masked.at[vid, year])
            labels[i] = cell_labels.at[vid, year]
        totals, total_labels = table.col_totals(), table.col_total_labels()
        by_year = {int(y): (float(totals[y]), str(total_labels[y])) for y in totals.index}
        total = (table.grand_total(), table.grand_total_label())
    others = ~held
    if others.any():
        table = small_cells.suppress_series(counts[others].reset_index(drop=True), total=False)
        shown[others] = table.values().iloc[:, 0].to_numpy()
        hidden[others] = table.masked.iloc[:, 0].to_numpy().astype(bool)
        labels[others] = table.labels().iloc[:, 0].to_numpy()
    out = pd.DataFrame(
        {"visit_id": raw["visit_id"], "participants": shown, "masque": hidden, "libelle": labels}
    )
    return _Participants(out, by_year, total)


def events(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Every event, by date: who hosted it, its kind, dates, place and where to draw it.

    Columns: visit_id, pole_id (host, null for an event without one), numero, hote (name),
    hote_court, type (a `VISIT_TYPES` code), titre, date_visite, date_fin, annee, lieu, latitude and
    longitude (the host pole's when the event gives none), themes, angles (list of catalogue domain
    codes), angles_libelles (French, comma-separated), nb_poles_presents, nb_documents, statut, then
    participants (persons, as this viewer may see them: NaN when masked or unknown),
    participants_masque, participants_libelle (« 23 », « < 5 », « s », « – »). The raw count never
    leaves this function for a masked viewer.
    """
    raw = query(wh, EVENTS_SQL)
    labels = angle_labels()
    raw["angles"] = [list(a) if a is not None else [] for a in raw["angles"]]
    order = list(labels)
    raw["angles"] = [
        sorted(a, key=lambda c: order.index(c) if c in order else len(order)) for a in raw["angles"]
    ]
    raw["angles_libelles"] = [", ".join(labels.get(c, c) for c in a) for a in raw["angles"]]
    people = _participants(raw, masks(viewer)).events
    out = raw.drop(columns=["nb_participants"])
    out["participants"] = people["participants"].to_numpy()
    out["participants_masque"] = people["masque"].to_numpy().astype(bool)
    out["participants_libelle"] = people["libelle"].to_numpy()
    return out


def event_documents(wh: Warehouse, viewer: Viewer, visit_id: str | None = None) -> pd.DataFrame:
    """Documents the events produced (all events, or one): visit_id, evenement (its title),
    date_visite, type, titre, lien (text as the file gave it: a link is never followed), by date."""
    return query(
        wh,
        """
        select d.visit_id, v.titre as evenement, v.date_visite, v.type, d.titre, d.lien
        from visit_documents d
        left join visits v using (visit_id)
        where cast(? as varchar) is null or d.visit_id = ?
        order by v.date_visite nulls last, d.visit_id, d.row_number, d.titre
        """,
        [visit_id, visit_id],
    )


# --- Poles ---------------------------------------------------------------------------------------


def pole_participation(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Every pole (in number order) with how it took part in the held events.

    Columns: pole_id, numero, nom, nom_court, accueils (held events it hosted), participations
    (held events it attended as a participant: another pole's visit, a seminar, a meeting),
    presences (held events it was present at, either way), visites_accueillies and visites_faites
    (the same two counts over learning visits only), jamais_accueilli, jamais_participe (bool).
    Counts of events, not of persons.
    """
    df = query(
        wh,
        """
        with presences as (
            select vp.pole_id, vp.visit_id, vp.role, v.type
            from visit_poles vp
            join visits v using (visit_id)
            where v.statut = ?
        )
        select p.pole_id, p.numero, p.nom, coalesce(p.nom_court, p.nom) as nom_court,
               count(distinct r.visit_id) filter (where r.role = ?) as accueils,
               count(distinct r.visit_id) filter (where r.role = ?) as participations,
               count(distinct r.visit_id) as presences,
               count(distinct r.visit_id) filter (where r.role = ? and r.type = ?) as visites_accueillies,
               count(distinct r.visit_id) filter (where r.role = ? and r.type = ?) as visites_faites
        from poles p
        left join presences r on r.pole_id = p.pole_id
        group by all
        order by p.numero
        """,
        [HELD, HOST, PARTICIPANT, HOST, LEARNING_VISIT, PARTICIPANT, LEARNING_VISIT],
    )
    counts = ["accueils", "participations", "presences", "visites_accueillies", "visites_faites"]
    for column in counts:
        df[column] = df[column].fillna(0).astype(int)
    df["jamais_accueilli"] = df["accueils"].eq(0)
    df["jamais_participe"] = df["participations"].eq(0)
    return df


def visit_matrix(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Who learns from whom: held learning visits, by visiting pole and host pole.

    One row per pair with at least one visit (a pole never counts as visiting itself): visiteur,
    visiteur_numero, visiteur_nom (short name), hote, hote_numero, hote_nom, visites. Counts of
    visits, not of persons.
    """
    return query(
        wh,
        """
        with tenues as (
            select visit_id, pole_id as hote from visits
            where statut = ? and type = ? and pole_id is not null
        )
        select vp.pole_id as visiteur, pv.numero as visiteur_numero,
               coalesce(pv.nom_court, pv.nom, vp.pole_id) as visiteur_nom,
               t.hote, ph.numero as hote_numero, coalesce(ph.nom_court, ph.nom, t.hote) as hote_nom,
               count(distinct t.visit_id) as visites
        from visit_poles vp
        join tenues t using (visit_id)
        left join poles pv on pv.pole_id = vp.pole_id
        left join poles ph on ph.pole_id = t.hote
        where vp.role = ? and vp.pole_id <> t.hote
        group by all
        order by pv.numero nulls last, ph.numero nulls last
        """,
        [HELD, LEARNING_VISIT, PARTICIPANT],
    )


# --- Rhythm --------------------------------------------------------------------------------------


def months_in_period(year: int, start: date, end: date) -> int:
    """Calendar months of `year` inside the period [start, end] (whole months: the period runs from
    the first of a month to the last day of another, as reference/visites.yaml sets it)."""
    first = max(start, date(year, 1, 1))
    last = min(end, date(year, 12, 31))
    if first > last:
        return 0
    return (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1


def rhythm(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """Learning visits held per year against the aim (reference/visites.yaml: four a year).

    One row per year from the period's first to its last (and any year with a learning visit
    outside it): annee, visites (held), prevues (planned), objectif (the aim prorated to the
    period's months in the year: 3 for April–December at four a year; NaN outside the period),
    cumul (visits held so far), objectif_cumule (visits expected so far over the period).
    """
    config = load_visit_config()
    counts = query(
        wh,
        """
        select annee, count(*) filter (where statut = ?) as visites,
               count(*) filter (where statut is distinct from ?) as prevues
        from visits
        where type = ? and annee is not null
        group by annee
        """,
        [HELD, HELD, LEARNING_VISIT],
    )
    years = {config.period_start.year, config.period_end.year, *(int(y) for y in counts["annee"])}
    frame = pd.DataFrame({"annee": range(min(years), max(years) + 1)})
    frame = frame.merge(counts.astype({"annee": int}), on="annee", how="left")
    frame[["visites", "prevues"]] = frame[["visites", "prevues"]].fillna(0).astype(int)
    months = [months_in_period(int(y), config.period_start, config.period_end) for y in frame["annee"]]
    aim = config.visits_per_year
    frame["objectif"] = [aim * m / 12 if m else np.nan for m in months]
    frame["cumul"] = frame["visites"].cumsum()
    frame["objectif_cumule"] = frame["objectif"].fillna(0).cumsum()
    return frame


# --- Offers --------------------------------------------------------------------------------------


def offers(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """What each pole's application offered for a visit, and what became of it (`OFFER_STATUSES`).

    Columns: pole_id, numero, nom, nom_court, accueil_visite (bool, null when unanswered),
    experiences_visite (the pole's own words: staff, or the pole itself; null for others),
    periode_visite, visites_accueillies, premiere_visite, derniere_visite, statut_offre.
    """
    # The pole's own words only for staff and the pole itself, filtered in the query.
    own = viewer.pole_id if viewer.role == "pole" else None
    return query(
        wh,
        """
        select o.pole_id, p.numero, coalesce(p.nom, o.pole_id) as nom,
               coalesce(p.nom_court, p.nom, o.pole_id) as nom_court, o.accueil_visite,
               case when ? or o.pole_id = ? then o.experiences_visite end as experiences_visite,
               o.periode_visite, o.visites_accueillies, o.premiere_visite,
               o.derniere_visite, o.statut_offre
        from visit_offers o
        left join poles p using (pole_id)
        order by p.numero nulls last, o.pole_id
        """,
        [viewer.role == "staff", own],
    )


# --- Practices -----------------------------------------------------------------------------------


def practices(
    wh: Warehouse,
    viewer: Viewer,
    angle: str | None = None,
    pole_id: str | None = None,
    search: str | None = None,
) -> pd.DataFrame:
    """Practices and tools the poles shared, filtered by working angle, pole and a search text.

    The search looks for `search` as it is written (quotes, `%`, `_` are ordinary characters; no
    pattern language) in the title, tool, description, pole name and event, ignoring case and
    accents. Columns: practice_id, titre, pole_id, numero, pole (name), angle (code), angle_libelle,
    outil, description, visit_id, evenement (the event's title), date_visite, visite_mentionnee, by
    pole number then title.
    """
    text = (search or "").strip() or None
    df = query(
        wh,
        """
        select r.practice_id, r.titre, r.pole_id, p.numero, coalesce(p.nom, r.pole_id) as pole,
               r.angle, r.outil, r.description, r.visit_id, v.titre as evenement, v.date_visite,
               r.visite_mentionnee
        from practices r
        left join poles p on p.pole_id = r.pole_id
        left join visits v on v.visit_id = r.visit_id
        where (cast(? as varchar) is null or r.angle = ?)
          and (cast(? as varchar) is null or r.pole_id = ?)
          and (cast(? as varchar) is null or contains(
                strip_accents(lower(concat_ws(' ', r.titre, r.outil, r.description, p.nom, p.nom_court,
                                              v.titre, r.visite_mentionnee))),
                strip_accents(lower(?))))
        order by p.numero nulls last, r.titre, r.practice_id
        """,
        [angle, angle, pole_id, pole_id, text, text],
    )
    labels = angle_labels()
    df.insert(df.columns.get_loc("angle") + 1, "angle_libelle", [labels.get(a, a) for a in df["angle"]])
    return df


# --- Community indicators ------------------------------------------------------------------------


def community_indicators(wh: Warehouse, viewer: Viewer) -> pd.DataFrame:
    """The community's own life (catalogue `vie_de_la_communaute`), by year and for the period.

    One row per published value, in catalogue order then by year (annee null — the whole period —
    first): annee, code, libelle, definition, unite, personnes, valeur (NaN when masked), masque,
    libelle_valeur (French). The participant count is masked for every viewer but staff with the
    same table as the events' counts (see `events`), so that no total gives a small count back.
    """
    df = query(wh, "select annee, code, valeur from community_indicators")
    catalogue = load_community_indicators()
    meta = pd.DataFrame(
        [
            {
                "code": c.code,
                "libelle": c.libelle,
                "definition": c.definition,
                "unite": c.unite,
                "personnes": c.personnes,
                "_ordre": i,
            }
            for i, c in enumerate(catalogue)
        ]
    )
    df = df.merge(meta, on="code", how="left")
    df["_ordre"] = df["_ordre"].fillna(len(catalogue))
    df["masque"] = False
    df["libelle_valeur"] = [
        fmt_number(v, decimals=1, missing=small_cells.MISSING_LABEL) for v in df["valeur"].astype(float)
    ]
    if masks(viewer):
        people = _participants(query(wh, EVENTS_SQL), masked=True)
        for i in df.index[df["personnes"].fillna(False).astype(bool)]:
            year = df.at[i, "annee"]
            shown = people.total if pd.isna(year) else people.by_year.get(int(year))
            value, label = shown if shown is not None else (np.nan, small_cells.MISSING_LABEL)
            df.at[i, "valeur"] = value
            df.at[i, "libelle_valeur"] = label
            df.at[i, "masque"] = label in (small_cells.primary_label(), small_cells.SECONDARY_LABEL)
    df["_annee"] = df["annee"].fillna(-1)
    df = df.sort_values(["_ordre", "_annee"]).drop(columns=["_ordre", "_annee"]).reset_index(drop=True)
    df["annee"] = df["annee"].astype("Int64")
    return df

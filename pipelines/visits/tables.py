"""The visits domain's tables from the staged rows (pure functions, no database, no Dagster).

- `build_events`: the staged event rows -> `visits`, `visit_poles`, `visit_angles`, `visit_documents`.
  An event's id is stable across runs: its date, kind and host (or place), « -2 », « -3 »… for
  further events with the same three, in file then row order.
- `link_practices`: each practice linked to the event its « Visite » cell names (an event id, a date
  with or without the host, a year, a kind, a place or the event's title), when exactly one event
  fits; otherwise `visit_id` stays null and `visite_mentionnee` keeps what the file said.
- `build_offers`: one row per pole, what its current application offered and what became of it.
- `build_community_indicators`: the community's own life per year and for the whole period.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date

import pandas as pd

from pipelines.shared.dates import parse_span
from pipelines.shared.values import ValueProblem
from pipelines.visits.fields import match_pole, place_coordinates
from ptce.contract import TABLES
from ptce.reference import Pole, PoleSet, load_community_indicators, load_visit_config
from ptce.text import normalize_key, normalize_words

LEARNING_VISIT = "visite apprenante"
SEMINAR = "séminaire de capitalisation"
HELD, PLANNED = "tenue", "prévue"
_KIND_SLUGS = {
    "visite apprenante": "visite",
    "séminaire de capitalisation": "seminaire",
    "rencontre nationale": "rencontre",
    "échange à distance": "echange",
}
# Dates inside a practice's « Visite » cell: « 12/03/2016 », « 2016-03-12 », « 12 mars 2016 ».
_DATE_IN_TEXT = re.compile(
    r"\b(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|"
    r"(?:\d{1,2}(?:er)?\s*(?:-|au|et|à)\s*)?\d{1,2}(?:er)?\s+[a-zéû]+\.?\s+\d{4})\b",
    re.I,
)
_YEAR_IN_TEXT = re.compile(r"\b(20\d{2})\b")
_MIN_TITLE_KEY = 10  # a shorter text is too vague to name an event by its title


def _slug(text: object) -> str:
    return normalize_words(text).replace(" ", "-")


def _text(value: object) -> str:
    """A staged text cell, or "" for a missing one (None, NaN or NA from the database)."""
    return value if isinstance(value, str) else ""


def _columns(table: str) -> list[str]:
    return list(TABLES[table])


def build_events(events: pd.DataFrame, poles: Iterable[Pole], today: date) -> dict[str, pd.DataFrame]:
    """`visits`, `visit_poles`, `visit_angles` and `visit_documents` from the staged event rows.

    `statut` is « tenue » once the first day is past or today (`today` is the run's date), else
    « prévue ». Coordinates: a known place of `visites.yaml` named by `lieu`, else the host's.
    """
    coords = {p.pole_id: (p.latitude, p.longitude) for p in poles}
    ordered = events.sort_values(["source_file", "sheet", "row_number"], na_position="first")
    visits, roles, angles, documents = [], [], [], []
    used: dict[str, int] = {}
    for row in ordered.itertuples(index=False):
        start = pd.Timestamp(row.date_visite).date()
        host = row.pole_id if isinstance(row.pole_id, str) else None
        place = row.lieu if isinstance(row.lieu, str) else None
        base = f"{start:%Y-%m-%d}-{_KIND_SLUGS[row.type]}-{host or _slug(place)[:30] or 'reseau'}"
        used[base] = used.get(base, 0) + 1
        visit_id = base if used[base] == 1 else f"{base}-{used[base]}"
        present = [p for p in _text(row.poles_presents).split("|") if p]
        lat_lon = place_coordinates(place) or (coords.get(host) if host else None)
        docs = json.loads(row.documents) if isinstance(row.documents, str) else []
        visit_angles = [a for a in _text(row.angles).split("|") if a]
        end = pd.Timestamp(row.date_fin).date() if pd.notna(row.date_fin) else None
        visits.append(
            {
                "visit_id": visit_id,
                "pole_id": host,
                "date_visite": start,
                "date_fin": end,
                "annee": start.year,
                "type": row.type,
                "titre": row.titre if isinstance(row.titre, str) else None,
                "lieu": place,
                "latitude": lat_lon[0] if lat_lon else None,
                "longitude": lat_lon[1] if lat_lon else None,
                "themes": row.themes if isinstance(row.themes, str) else None,
                "angles": ", ".join(visit_angles) or None,
                "nb_poles_presents": len({*present, *([host] if host else [])}),
                "nb_participants": None if pd.isna(row.nb_participants) else int(row.nb_participants),
                "personnes_ressources": row.personnes_ressources
                if isinstance(row.personnes_ressources, str)
                else None,
                "nb_documents": len(docs),
                "statut": HELD if start <= today else PLANNED,
                "source_file": row.source_file,
                "row_number": int(row.row_number),
            }
        )
        if host:
            roles.append({"visit_id": visit_id, "pole_id": host, "role": "hote"})
        roles.extend(
            {"visit_id": visit_id, "pole_id": p, "role": "participant"} for p in present if p != host
        )
        angles.extend({"visit_id": visit_id, "angle": a} for a in visit_angles)
        documents.extend(
            {
                "visit_id": visit_id,
                "titre": title,
                "lien": link,
                "source_file": row.source_file,
                "row_number": int(row.row_number),
            }
            for title, link in docs
        )
    return {
        "visits": pd.DataFrame(visits, columns=_columns("visits")),
        "visit_poles": pd.DataFrame(roles, columns=_columns("visit_poles")),
        "visit_angles": pd.DataFrame(angles, columns=_columns("visit_angles")),
        "visit_documents": pd.DataFrame(documents, columns=_columns("visit_documents")),
    }


def _dates_in(text: str) -> list[tuple[date, date]]:
    """Every date or two-day span written in a text, as (first, last) days."""
    try:
        start, end = parse_span(text.strip())
        return [(start, end or start)]
    except ValueProblem:
        pass
    found = []
    for match in _DATE_IN_TEXT.finditer(text):
        try:
            start, end = parse_span(match.group(1))
        except ValueProblem:
            continue
        found.append((start, end or start))
    return found


def _kind_named(words: str) -> str | None:
    """The event kind a mention names (« séminaire de Lyon » -> séminaire), when only one is named."""
    found = set()
    for kind in load_visit_config().types:
        for spelling in (kind.code, *kind.spellings):
            key = normalize_words(spelling)
            if re.search(rf"\b{re.escape(key)}s?\b", words):
                found.add(kind.code)
    return found.pop() if len(found) == 1 else None


def match_event(
    mention: str, practice_pole: str | None, visits: pd.DataFrame, poles: PoleSet | None = None
) -> str | None:
    """The id of the one event a practice's « Visite » cell names, else None.

    Tried in turn: the event's id; the features the text gives (dates, else a year; a pole; a
    place; a kind, which only narrows the others), every one of which the event must have; the
    event's title. When features leave several events, the one hosted by the practice's own pole
    wins if it is alone.
    """
    if visits.empty or not mention.strip():
        return None
    key = normalize_key(mention)
    by_id = visits[visits["visit_id"].map(normalize_key) == key]
    if len(by_id) == 1:
        return str(by_id["visit_id"].iloc[0])
    words = normalize_words(mention)
    candidates = visits
    used = False
    spans = _dates_in(mention)
    starts = pd.to_datetime(candidates["date_visite"]).dt.date
    ends = pd.to_datetime(candidates["date_fin"].fillna(candidates["date_visite"])).dt.date
    if spans:
        hit = pd.Series(False, index=candidates.index)
        for first, last in spans:
            hit |= (starts <= last) & (ends >= first)
        candidates, used = candidates[hit], True
    else:
        years = {int(y) for y in _YEAR_IN_TEXT.findall(mention)}
        if len(years) == 1:
            candidates, used = candidates[candidates["annee"] == years.pop()], True
    rest = _DATE_IN_TEXT.sub(" ", mention)
    pole = match_pole(rest, poles) if rest.strip() else None
    if pole is not None:
        candidates, used = candidates[candidates["pole_id"] == pole], True
    kind = _kind_named(words)
    if kind is not None:
        # Narrows, never names an event alone: « une visite » is no reference to one.
        candidates = candidates[candidates["type"] == kind]
    places = [
        p
        for p in candidates["lieu"].dropna().unique()
        if normalize_words(p) and re.search(rf"\b{re.escape(normalize_words(p))}\b", words)
    ]
    if places:
        candidates, used = candidates[candidates["lieu"].isin(places)], True
    if used and len(candidates) == 1:
        return str(candidates["visit_id"].iloc[0])
    if used and len(candidates) > 1 and practice_pole is not None:
        own = candidates[candidates["pole_id"] == practice_pole]
        if len(own) == 1:
            return str(own["visit_id"].iloc[0])
    titles = visits["titre"].fillna("").map(normalize_key)
    same = visits[titles == key]
    if len(same) != 1 and len(key) >= _MIN_TITLE_KEY:
        same = visits[titles.map(lambda t: len(t) >= _MIN_TITLE_KEY and (t in key or key in t))]
    if len(same) == 1:
        return str(same["visit_id"].iloc[0])
    return None


def link_practices(
    practices: pd.DataFrame, visits: pd.DataFrame, poles: PoleSet | None = None
) -> pd.DataFrame:
    """`practices` with a stable id (pole and title) and the event each one names, when found
    (`poles`: the run's poles in force, the shipped twelve by default)."""
    rows = []
    used: dict[str, int] = {}
    ordered = practices.sort_values(["source_file", "sheet", "row_number"], na_position="first")
    for row in ordered.itertuples(index=False):
        base = f"{row.pole_id}-{_slug(row.titre)[:50]}"
        used[base] = used.get(base, 0) + 1
        mention = row.visite_mentionnee if isinstance(row.visite_mentionnee, str) else None
        rows.append(
            {
                "practice_id": base if used[base] == 1 else f"{base}-{used[base]}",
                "titre": row.titre,
                "pole_id": row.pole_id,
                "angle": row.angle if isinstance(row.angle, str) else None,
                "outil": row.outil if isinstance(row.outil, str) else None,
                "description": row.description if isinstance(row.description, str) else None,
                "visit_id": match_event(mention, row.pole_id, visits, poles) if mention else None,
                "visite_mentionnee": mention,
                "source_file": row.source_file,
                "row_number": int(row.row_number),
            }
        )
    return pd.DataFrame(rows, columns=_columns("practices"))


def offer_status(offered: bool | None, hosted: int) -> str:
    """The fate of a pole's offer (contract `OFFER_STATUSES`) from its answer and the visits it hosted."""
    if hosted:
        return "honorée" if offered is True else "accueil sans offre"
    if offered is True:
        return "ouverte"
    return "déclinée" if offered is False else "sans réponse"


def build_offers(pole_ids: Iterable[str], applications: pd.DataFrame, visits: pd.DataFrame) -> pd.DataFrame:
    """One row per pole: its current application's offer and the learning visits it hosted (held).

    `applications`: the current application of each pole (`pole_id`, `accueil_visite`,
    `experiences_visite`, `periode_visite`); a pole without one has not answered. A planned visit
    does not honour an offer yet: it counts once held.
    """
    held = visits[(visits["type"] == LEARNING_VISIT) & (visits["statut"] == HELD) & visits["pole_id"].notna()]
    answers = {r.pole_id: r for r in applications.itertuples(index=False)}
    rows = []
    for pole_id in pole_ids:
        mine = held[held["pole_id"] == pole_id]
        answer = answers.get(pole_id)
        offered = None
        if answer is not None and not pd.isna(answer.accueil_visite):
            offered = bool(answer.accueil_visite)
        dates = pd.to_datetime(mine["date_visite"]).dt.date
        rows.append(
            {
                "pole_id": pole_id,
                "accueil_visite": offered,
                "experiences_visite": _text_or_none(answer, "experiences_visite"),
                "periode_visite": _text_or_none(answer, "periode_visite"),
                "visites_accueillies": len(mine),
                "premiere_visite": dates.min() if len(mine) else None,
                "derniere_visite": dates.max() if len(mine) else None,
                "statut_offre": offer_status(offered, len(mine)),
            }
        )
    frame = pd.DataFrame(rows, columns=_columns("visit_offers"))
    frame["accueil_visite"] = frame["accueil_visite"].astype("boolean")
    return frame


def _text_or_none(answer: object, column: str) -> str | None:
    value = getattr(answer, column, None) if answer is not None else None
    return value if isinstance(value, str) and value.strip() else None


def build_community_indicators(
    visits: pd.DataFrame, visit_poles: pd.DataFrame, practices: pd.DataFrame
) -> pd.DataFrame:
    """The catalogue's `vie_de_la_communaute` codes per year of the events held, and `annee` null for
    the whole period. Years run from the first to the last year with an event held (a year without
    one shows zeros). A mean without a visit, or participants nobody counted, give no row.
    """
    held = visits[visits["statut"] == HELD]
    held_ids = set(held["visit_id"])
    years = sorted(int(y) for y in held["annee"].unique())
    periods: list[int | None] = [*range(years[0], years[-1] + 1), None] if years else [None]
    year_of_visit = dict(zip(visits["visit_id"], visits["annee"], strict=True))
    practice_years = practices["visit_id"].map(year_of_visit)
    rows = []
    for period in periods:
        events = held if period is None else held[held["annee"] == period]
        learning = events[events["type"] == LEARNING_VISIT]
        present = visit_poles[visit_poles["visit_id"].isin(set(events["visit_id"]) & held_ids)]
        shared = practices if period is None else practices[practice_years == period]
        values: dict[str, float | None] = {
            "evenements": len(events),
            "visites_apprenantes": len(learning),
            "seminaires": int((events["type"] == SEMINAR).sum()),
            "poles_presents_par_visite": float(learning["nb_poles_presents"].mean())
            if len(learning)
            else None,
            "participants": float(events["nb_participants"].sum())
            if events["nb_participants"].notna().any()
            else None,
            "poles_participants": present["pole_id"].nunique(),
            "poles_hotes": learning["pole_id"].dropna().nunique(),
            "pratiques_partagees": len(shared),
        }
        for indicator in load_community_indicators():
            value = values.get(indicator.code)
            if value is not None:
                rows.append({"annee": period, "code": indicator.code, "valeur": float(value)})
    frame = pd.DataFrame(rows, columns=_columns("community_indicators"))
    frame["annee"] = frame["annee"].astype("Int64")
    return frame

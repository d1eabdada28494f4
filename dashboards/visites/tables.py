"""Visites et capitalisation: the page's French texts and tables, from the frames of `ptce.read.visits`.

Pure functions (no Streamlit). Everything that came from a file (titles, places, practices, links)
stays text: tables show it as cell values (never a link column, never Markdown), texts written
into Markdown go through `display.escape_markdown` on the page. Participant counts arrive
publishable (NaN where masked, the label « < 5 » or « s » beside): a table with a masked count
shows the labels, one without shows typed numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from dashboards.shared.maps import FULL_SIZE_MARKERS
from dashboards.shared.table_format import DATE, Table
from ptce.contract import OFFER_STATUSES
from ptce.fmt import fmt_count, fmt_number
from ptce.read import visits as vr

EMPTY_MESSAGE = (
    "Aucun événement de la communauté n'a encore été publié : ni visite apprenante, ni séminaire, "
    "ni rencontre. Déposez le fichier des visites dans `raw/visites/`, puis relancez `ptce run`."
)
# Event kinds (`VISIT_TYPES`) as the page writes them.
KIND_LABELS: dict[str, str] = {
    "visite apprenante": "Visite apprenante",
    "séminaire de capitalisation": "Séminaire de capitalisation",
    "rencontre nationale": "Rencontre nationale",
    "échange à distance": "Échange à distance",
}
STATUS_LABELS: dict[str, str] = {vr.HELD: "Tenu", vr.PLANNED: "Prévu"}
OFFER_LABELS: dict[str, str] = {
    "honorée": "Honorée",
    "ouverte": "Ouverte",
    "déclinée": "Déclinée",
    "accueil sans offre": "Accueil sans offre",
    "sans réponse": "Sans réponse",
}
OFFER_HELP: dict[str, str] = {
    "honorée": "le pôle a proposé d'accueillir une visite et l'a accueillie",
    "ouverte": "proposée, pas encore accueillie",
    "déclinée": "le pôle a répondu ne pas pouvoir accueillir",
    "accueil sans offre": "visite accueillie sans offre dans la candidature",
    "sans réponse": "question sans réponse et aucune visite accueillie",
}
NO_HOST = "Sans pôle hôte"
ALL = "Tous"
PERIOD_LABEL = "Période"


def kind_label(code: object) -> str:
    return KIND_LABELS.get(str(code), str(code))


def status_label(code: object) -> str:
    return STATUS_LABELS.get(str(code), str(code))


def offer_label(code: object) -> str:
    return OFFER_LABELS.get(str(code), str(code))


def _text(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# --- Key figures ---------------------------------------------------------------------------------


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")  # fmt: skip


def _month_year(day: date) -> str:
    month = MONTHS[day.month - 1]
    return f"{'d’' if month[0] in 'aeiou' else 'de '}{month} {day.year}"


def period_title(start: date, end: date) -> str:
    """« La communauté d’avril 2015 à juillet 2017 » (the period of reference/visites.yaml)."""
    return f"La communauté {_month_year(start)} à {MONTHS[end.month - 1]} {end.year}"


def key_figures(community: pd.DataFrame) -> pd.DataFrame:
    """The community indicators for the whole period (annee null), in catalogue order."""
    return community[community["annee"].isna()].reset_index(drop=True)


def community_table(community: pd.DataFrame) -> Table:
    """Indicators by year: one row per indicator, a column per year, then the whole period.

    Cells are the published labels (« 12 », « 2,5 », « < 5 »), so a masked count reads as such.
    """
    years = sorted(int(y) for y in community["annee"].dropna().unique())
    rows = []
    for code, group in community.groupby("code", sort=False):
        row: dict[str, object] = {
            "Indicateur": group["libelle"].iloc[0] if pd.notna(group["libelle"].iloc[0]) else code
        }
        by_year = {
            None if pd.isna(y) else int(y): label
            for y, label in zip(group["annee"], group["libelle_valeur"], strict=True)
        }
        for year in years:
            row[str(year)] = by_year.get(year, "–")
        row[PERIOD_LABEL] = by_year.get(None, "–")
        rows.append(row)
    return Table(pd.DataFrame(rows, columns=["Indicateur", *map(str, years), PERIOD_LABEL]))


def any_masked(frame: pd.DataFrame, column: str) -> bool:
    return bool(column in frame.columns and frame[column].fillna(False).astype(bool).any())


# --- Events --------------------------------------------------------------------------------------


def host_label(row: pd.Series | object) -> str:
    host = getattr(row, "hote", None)
    return NO_HOST if _text(host) is None else str(host)


def participants_column(events: pd.DataFrame) -> pd.Series:
    """Participants as the table shows them: typed counts, or every label when one is masked."""
    if any_masked(events, "participants_masque"):
        return events["participants_libelle"].astype(object)
    return events["participants"].astype("Int64")


def events_table(events: pd.DataFrame) -> Table:
    """Every event by date: kind, title, host, place, angles, poles present, participants, documents."""
    frame = pd.DataFrame(
        {
            "Date": pd.to_datetime(events["date_visite"]),
            "Fin": pd.to_datetime(events["date_fin"]),
            "Type": events["type"].map(kind_label),
            "Événement": events["titre"],
            "Pôle hôte": [host_label(r) for r in events.itertuples(index=False)],
            "Lieu": events["lieu"],
            "Angles de travail": events["angles_libelles"].replace("", None),
            "Pôles présents": events["nb_poles_presents"].astype("Int64"),
            "Participants": participants_column(events).to_numpy(),
            "Documents": events["nb_documents"].astype("Int64"),
            "Statut": events["statut"].map(status_label),
        }
    )
    return Table(frame, {"Date": DATE, "Fin": DATE})


def documents_table(documents: pd.DataFrame) -> Table:
    """Documents of the events; the link or file name is text, as written (never followed)."""
    frame = pd.DataFrame(
        {
            "Date": pd.to_datetime(documents["date_visite"]),
            "Événement": documents["evenement"],
            "Document": documents["titre"],
            "Lien ou fichier (texte)": documents["lien"],
        }
    )
    return Table(frame, {"Date": DATE})


def event_names(events: pd.DataFrame) -> dict[str, str]:
    """Choices of the event selector: « 10/06/2015 · Visite du groupement agricole »."""
    names = {}
    for row in events.itertuples(index=False):
        when = (
            pd.Timestamp(row.date_visite).strftime("%d/%m/%Y")
            if pd.notna(row.date_visite)
            else "date inconnue"
        )
        names[str(row.visit_id)] = f"{when} · {row.titre}"
    return names


def unmapped_events(events: pd.DataFrame) -> list[str]:
    """Titles of the events the map cannot place (no place of their own, no host)."""
    return [str(t) for t in events.loc[events["latitude"].isna() | events["longitude"].isna(), "titre"]]


# --- Rhythm --------------------------------------------------------------------------------------


def rhythm_caption(rhythm: pd.DataFrame, aim: int) -> str:
    """« 4 visites apprenantes tenues sur la période pour 9,3 attendues au rythme visé de 4 par an. »"""
    in_period = rhythm[rhythm["objectif"].notna()]
    held = int(in_period["visites"].sum())
    expected = float(in_period["objectif"].sum())
    planned = int(rhythm["prevues"].sum())
    text = (
        f"{fmt_count(held, 'visite apprenante tenue', 'visites apprenantes tenues')} sur la période "
        f"pour {fmt_count(expected, 'attendue', 'attendues', decimals=1)} au rythme visé de {aim} "
        "par an (objectif au prorata des mois de la période dans l'année)."
    )
    if planned:
        text += " " + fmt_count(
            planned, "visite prévue, pas encore tenue.", "visites prévues, pas encore tenues."
        )
    return text


# --- Who learns from whom -----------------------------------------------------------------------
# Up to this many poles (the map's full-size markers: the demo's twelve) the matrix has a row and
# a column per pole. A national network's 2,000 x 2,000 cells could be neither read nor drawn in
# time: the poles that visited most (rows) and hosted most (columns), the others grouped.
ONE_CELL_PER_POLE = FULL_SIZE_MARKERS
TOP_MATRIX_POLES = 20
OTHER_POLES = "Autres pôles"


def matrix_caption(matrix: pd.DataFrame, poles: pd.DataFrame) -> str:
    """What the matrix of `charts.matrix_figure` shows, for this many poles (`poles`: every pole)."""
    if len(poles) <= ONE_CELL_PER_POLE:
        return (
            "Nombre de visites apprenantes tenues où le pôle de la ligne est venu chez le pôle de la "
            "colonne (le pôle hôte). Une ligne vide : un pôle qui n'a encore visité personne ; une "
            "colonne vide : un pôle qui n'a encore reçu personne."
        )
    ids = set(poles["pole_id"].astype(str))
    known = matrix[matrix["visiteur"].astype(str).isin(ids) & matrix["hote"].astype(str).isin(ids)]
    known = known[known["visites"] > 0]
    visitors, hosts = known["visiteur"].nunique(), known["hote"].nunique()
    text = (
        "Nombre de visites apprenantes tenues où le pôle de la ligne est venu chez le pôle de la "
        f"colonne (le pôle hôte) : les {fmt_number(min(visitors, TOP_MATRIX_POLES))} pôles qui ont "
        f"fait le plus de visites (lignes) et les {fmt_number(min(hosts, TOP_MATRIX_POLES))} qui en "
        "ont reçu le plus (colonnes)"
    )
    if max(visitors, hosts) > TOP_MATRIX_POLES:
        text += f", les autres additionnés dans « {OTHER_POLES} »"
    return (
        f"{text}. Sur {fmt_number(len(ids))} pôles, {fmt_number(len(ids) - visitors)} n'ont encore "
        f"visité personne (pas de ligne) et {fmt_number(len(ids) - hosts)} n'ont encore reçu "
        "personne (pas de colonne)."
    )


# --- Poles ---------------------------------------------------------------------------------------


def participation_table(participation: pd.DataFrame) -> Table:
    """Each pole's part in the held events (counts of events, not persons)."""
    return Table(
        pd.DataFrame(
            {
                "Pôle": participation["nom"],
                "Événements accueillis": participation["accueils"].astype(int),
                "Participations (hors accueil)": participation["participations"].astype(int),
                "Événements où le pôle était présent": participation["presences"].astype(int),
                "Visites apprenantes accueillies": participation["visites_accueillies"].astype(int),
                "Visites apprenantes faites chez un autre pôle": participation["visites_faites"].astype(int),
            }
        )
    )


def most_present(participation: pd.DataFrame) -> pd.DataFrame:
    """The `TOP_MATRIX_POLES` poles present at the most held events (hosted and attended), most
    present first, ties by number: the participation chart of a large network."""
    presence = participation["accueils"].astype(int) + participation["participations"].astype(int)
    ranked = participation.assign(_presence=presence).sort_values(
        ["_presence", "numero"], ascending=[False, True], kind="stable"
    )
    return ranked[ranked["_presence"] > 0].head(TOP_MATRIX_POLES).drop(columns="_presence")


def participation_caption(participation: pd.DataFrame) -> str | None:
    """What the participation chart leaves out in a large network (None when it shows every pole)."""
    if len(participation) <= ONE_CELL_PER_POLE:
        return None
    shown = len(most_present(participation))
    return (
        f"Les {fmt_number(shown)} pôles présents au plus grand nombre d'événements tenus (accueils et "
        f"participations), sur {fmt_number(len(participation))} : le tableau ci-dessous donne chaque pôle."
    )


def never_names(participation: pd.DataFrame, column: str) -> list[str]:
    """Names of the poles flagged in `column` (`jamais_accueilli`, `jamais_participe`), by number."""
    return [str(n) for n in participation.loc[participation[column].astype(bool), "nom"]]


def never_sentence(participation: pd.DataFrame, column: str) -> str:
    """The poles flagged in `column` as a sentence: their names (`names_sentence`), or how many
    out of all in a large network, where a list of names could not be read."""
    names = never_names(participation, column)
    if len(participation) <= ONE_CELL_PER_POLE or not names:
        return names_sentence(names, "aucun pôle")
    return f"{fmt_count(len(names), 'pôle', 'pôles')} sur {fmt_number(len(participation))} (voir le tableau)"


def names_sentence(names: Sequence[str], none: str) -> str:
    """« Pôle Delta, Pôle Epsilon », or `none` when the list is empty."""
    return ", ".join(names) if names else none


# --- Offers --------------------------------------------------------------------------------------


def offer_counts(offers: pd.DataFrame) -> pd.DataFrame:
    """Poles per offer status, every status of `OFFER_STATUSES` in order (0 when none)."""
    counts = offers["statut_offre"].value_counts()
    return pd.DataFrame(
        {
            "statut": list(OFFER_STATUSES),
            "libelle": [offer_label(s) for s in OFFER_STATUSES],
            "poles": [int(counts.get(s, 0)) for s in OFFER_STATUSES],
        }
    )


def _yes_no(value: object) -> str:
    if value is None or pd.isna(value):
        return "Sans réponse"
    return "Oui" if bool(value) else "Non"


def offers_table(offers: pd.DataFrame) -> Table:
    """Each pole's offer to host a visit and what became of it."""
    frame = pd.DataFrame(
        {
            "Pôle": offers["nom"],
            "Suite donnée": offers["statut_offre"].map(offer_label),
            "Accueil proposé": offers["accueil_visite"].map(_yes_no),
            "Période proposée": offers["periode_visite"],
            "Visites accueillies": offers["visites_accueillies"].astype("Int64"),
            "Première visite": pd.to_datetime(offers["premiere_visite"]),
            "Dernière visite": pd.to_datetime(offers["derniere_visite"]),
            "Expériences proposées à la visite": offers["experiences_visite"],
        }
    )
    return Table(frame, {"Première visite": DATE, "Dernière visite": DATE})


# --- Practices -----------------------------------------------------------------------------------


def angle_choices(practices: pd.DataFrame) -> dict[str | None, str]:
    """Working angles that practices name, catalogue order first, « Tous » (None) first."""
    labels = vr.angle_labels()
    present = [a for a in practices["angle"].dropna().unique()]
    ordered = [a for a in labels if a in present] + sorted(a for a in present if a not in labels)
    return {None: ALL, **{str(a): labels.get(a, str(a)) for a in ordered}}


def pole_choices(practices: pd.DataFrame) -> dict[str | None, str]:
    """Poles that shared practices, by number, « Tous » (None) first."""
    rows = (
        practices.dropna(subset=["pole_id"])
        .drop_duplicates("pole_id")
        .sort_values("numero", na_position="last")
    )
    return {None: ALL, **{str(r.pole_id): str(r.pole) for r in rows.itertuples(index=False)}}


def practice_event(row: object) -> str | None:
    """The event a practice came from: its title, or what the file named when it was not found."""
    found = _text(getattr(row, "evenement", None))
    if found is not None:
        return found
    named = _text(getattr(row, "visite_mentionnee", None))
    return f"{named} (événement non retrouvé)" if named is not None else None


def practices_table(practices: pd.DataFrame) -> Table:
    """Practices and tools, every text as the pole wrote it (shown as text, exported without formula)."""
    frame = pd.DataFrame(
        {
            "Pratique ou outil": practices["titre"],
            "Pôle": practices["pole"],
            "Angle de travail": practices["angle_libelle"],
            "Outil": practices["outil"],
            "Description": practices["description"],
            "Événement": [practice_event(r) for r in practices.itertuples(index=False)],
        }
    )
    return Table(frame)


def practices_caption(shown: int, total: int) -> str:
    if shown == total:
        return fmt_count(total, "pratique ou outil partagé.", "pratiques et outils partagés.")
    verb = "répondent" if shown >= 2 else "répond"
    found = fmt_count(shown, "pratique ou outil", "pratiques et outils")
    return f"{found} sur {fmt_number(total)} {verb} aux critères."

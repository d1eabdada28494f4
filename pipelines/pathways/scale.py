"""Person-level pathway files at scale (`ptce sample --scale N`, see `pipelines/shared/scale.py`).

Each pole's synthetic stays (`pipelines.shared.scale.pole_flows`: about `rows_per_pole` rows over
its files) are written as the demo's yearly files are: one file per pole and year in
`raw/parcours/`, sent in March of the next year, listing the stays overlapping the year as known at
its end (an exit that happens later is blank, and the next year's file repeats the stay with it: a
resubmission; hours of a stay still open are the hours done so far). CSV, UTF-8 with BOM, `;`,
dates `JJ/MM/AAAA`, flags `oui`/`non`, decimal comma. Three column variants, by pole number:
- most poles: `parcours_<pole>_<year>.csv` with a « Pôle » column (the pole's identifier) and the
  exit reason as text (« CDI », « formation qualifiante »…);
- number ≡ 2 (mod 4): the pole only in the file name, with « Nom » and « Prénom » columns beside the
  identifier (invented names, never read by the pipeline);
- number ≡ 3 (mod 4): a « Catégorie de sortie » column holding the category (« Emploi durable »…).
Person identifiers are the pole's own (`P-00042`, or `2016-0042`), pseudonymised by the pipeline;
persons, names and structures are invented, and the first row's comment says so.
"""

from __future__ import annotations

import random
from bisect import bisect
from datetime import date

from pipelines.pathways.demo import (
    _COMMENTS,
    _FIRST_NAMES_F,
    _FIRST_NAMES_H,
    _MOVE_REASON,
    _SURNAMES,
    CATEGORY_NAMES,
    REASONS,
    STRUCTURES,
)
from pipelines.shared.scale import (
    MOVE,
    SCALE_NOTICE,
    PoleFlows,
    ScaleSink,
    ScaleSpec,
    Stay,
    cumulative,
    decimal_comma,
    pick,
    sent_on,
    slug,
)
from ptce.reference import Pole

KIND = "parcours"
BASE_COLUMNS = (
    "Identifiant",
    "Structure",
    "Date d'entrée",
    "Date de sortie",
    "Motif de sortie",
    "Sexe",
    "Date de naissance",
    "DELD",
    "RSA",
    "QPV",
    "RQTH",
    "Heures de formation",
    "Certification",
    "Commentaire",
)
_KINDS = ("ACI", "EI", "ETTI", "AI", "GEIQ", "Organisme de formation")
_THEMES = (
    "Les Jardins",
    "Recyclerie",
    "Bâtiment Solidaire",
    "Services de Proximité",
    "Mobilité Solidaire",
    "Bois et Forêt",
)
_MOVE_TEXT = _MOVE_REASON["siae"]
_AGES = ((18, 25), (26, 44), (45, 54), (55, 64))  # the four bands, weighted as IAE publics are
_AGE_TOTALS = cumulative((25, 45, 18, 12))


def variant(pole: Pole) -> str:
    """The pole's file layout: `colonne` (« Pôle » column), `nom_fichier` (file name), `categorie`."""
    return {2: "nom_fichier", 3: "categorie"}.get(pole.numero % 4, "colonne")


def columns(pole: Pole) -> tuple[str, ...]:
    """The header of the pole's files."""
    kind = variant(pole)
    if kind == "nom_fichier":
        return (BASE_COLUMNS[0], "Nom", "Prénom", *BASE_COLUMNS[1:])
    cols = ("Pôle", *BASE_COLUMNS)
    return (
        tuple("Catégorie de sortie" if c == "Motif de sortie" else c for c in cols)
        if kind == "categorie"
        else cols
    )


def structure_names(pole: Pole, count: int) -> list[str]:
    """The pole's member structures, the largest first: the demo's for the twelve, then invented."""
    names = [name for name, _ in STRUCTURES.get(pole.pole_id, ())]
    k = 0
    while len(names) < count:
        name = f"{_KINDS[k % len(_KINDS)]} {_THEMES[(pole.numero + k) % len(_THEMES)]} – {pole.commune}"
        if name not in names:
            names.append(name)
        k += 1
    return names[:count]


_DATES: dict[date, str] = {}


def _fr_date(day: date) -> str:
    text = _DATES.get(day)
    if text is None:
        text = _DATES[day] = day.strftime("%d/%m/%Y")
    return text


# Shares of the publics (DELD, RSA, QPV, RQTH) in 256ths: four flags from one 32-bit draw.
_FLAG_LIMITS = tuple(round(share * 256) for share in (0.40, 0.30, 0.25, 0.12))


def _person(
    rng: random.Random, stay: Stay, kind: str, by_year: dict[int, int]
) -> tuple[tuple[str, ...], ...]:
    """An invented person, as cells: (identifier[, nom, prénom]), (sexe, naissance, 4 flags), (comment,)."""
    rnd = rng.random
    woman = rnd() < 0.45
    low, high = _AGES[bisect(_AGE_TOTALS, rnd() * _AGE_TOTALS[-1])]
    age = low + int(rnd() * (high - low + 1))
    birth = date.fromordinal(stay.entree.toordinal() - round(age * 365.25) - 1 - int(rnd() * 360))
    bits = rng.getrandbits(32)
    deld, rsa, qpv, rqth = _FLAG_LIMITS
    flags = (
        "oui" if bits & 255 < deld else "non",
        "oui" if (bits >> 8) & 255 < rsa else "non",
        "oui" if (bits >> 16) & 255 < qpv else "non",
        "oui" if bits >> 24 < rqth else "non",
    )
    if kind == "nom_fichier":
        by_year[stay.entree.year] = by_year.get(stay.entree.year, 0) + 1
        head: tuple[str, ...] = (
            f"{stay.entree.year}-{by_year[stay.entree.year]:04d}",
            rng.choice(_SURNAMES),
            rng.choice(_FIRST_NAMES_F if woman else _FIRST_NAMES_H),
        )
    else:
        head = (f"P-{stay.person:05d}",)
    comment = rng.choice(_COMMENTS) if rng.random() < 0.05 else ""
    return head, ("F" if woman else "H", _fr_date(birth), *flags), (comment,)


_REASON_CHOICES = {
    category: ([text for text, _ in choices], cumulative([w for _, w in choices]))
    for category, choices in REASONS.items()
}


def _motif(rng: random.Random, stay: Stay, kind: str) -> str:
    """The exit reason as the pole writes it (the category itself in the `categorie` variant)."""
    if stay.categorie is None:
        return ""
    if stay.categorie == MOVE:  # the first stay of an internal move: hired by another member
        return CATEGORY_NAMES["sortie_positive"] if kind == "categorie" else _MOVE_TEXT
    if kind == "categorie":
        return CATEGORY_NAMES[stay.categorie]
    texts, totals = _REASON_CHOICES[stay.categorie]
    return str(pick(rng, texts, totals))


def pole_rows(spec: ScaleSpec, pole: Pole, flows: PoleFlows) -> dict[int, list[tuple[str, ...]]]:
    """Per year, the rows of the pole's file (header excluded), in the order its tool lists them
    (by structure, date of entry, identifier)."""
    rng = spec.rng("personnes", pole.numero)
    kind = variant(pole)
    lead = () if kind == "nom_fichier" else (pole.pole_id,)
    names = structure_names(pole, flows.structures)
    end = date(spec.last_year, 12, 31)
    first_year, last_year = spec.first_year, spec.last_year
    persons: dict[int, tuple[tuple[str, ...], ...]] = {}
    by_year: dict[int, int] = {}  # identifiers numbered by entry year (`2016-0042`)
    for stay in flows.stays:  # drawn in the stays' order: the files' order must not change them
        if stay.person not in persons:
            persons[stay.person] = _person(rng, stay, kind, by_year)
    motifs = [_motif(rng, stay, kind) for stay in flows.stays]
    order = sorted(
        range(len(flows.stays)),
        key=lambda i: (flows.stays[i].structure, flows.stays[i].entree, persons[flows.stays[i].person][0][0]),
    )
    out: dict[int, list[tuple[str, ...]]] = {y: [] for y in spec.year_list}
    for i in order:
        stay = flows.stays[i]
        head, details, comment = persons[stay.person]
        stop = stay.sortie or end
        total = (stop - stay.entree).days + 1
        start = (*lead, *head, names[stay.structure], _fr_date(stay.entree))
        # Cells after the hours are built once per stay; a row is a concatenation of tuples.
        exited = (_fr_date(stay.sortie), motifs[i]) if stay.sortie is not None else ("", "")
        final = (
            *start,
            *exited,
            *details,
            decimal_comma(stay.heures),
            "oui" if stay.certification else "non",
            *comment,
        )
        still_open = (*start, "", "", *details)
        not_yet = ("non", *comment)
        for year in range(max(stay.entree.year, first_year), min(stop.year, last_year) + 1):
            if year < stop.year:  # still open at the end of this year: the hours done so far
                hours = round(stay.heures * ((date(year, 12, 31) - stay.entree).days + 1) / total * 2) / 2
                out[year].append((*still_open, decimal_comma(hours), *not_yet))
            else:  # the exit is known (or the stay goes on after the last year)
                out[year].append(final)
    return out


class ScaleWriter:
    """Every pole's yearly pathway files."""

    def __init__(self, spec: ScaleSpec, sink: ScaleSink) -> None:
        self.spec, self.sink = spec, sink

    def pole(self, pole: Pole, flows: PoleFlows) -> None:
        header = columns(pole)
        for year, rows in pole_rows(self.spec, pole, flows).items():
            if rows:  # the notice rides in the first row's free comment
                rows[0] = (*rows[0][:-1], SCALE_NOTICE)
            name = f"parcours_{slug(pole)}_{year}.csv"
            self.sink.write_csv(KIND, name, header, rows, sent_on(year + 1, 3, pole))

    def finish(self) -> None:
        return None

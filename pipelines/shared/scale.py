"""`ptce sample --scale N`: synthetic raw data at national scale, in the formats the pipeline reads.

N poles × `years` years (2015 and after): poles 1–12 are the twelve shipped poles, 13..N are
generated members written to `raw/poles/poles-echelle.csv` (the poles reference file of issue #16).
Each domain writes its own files (`Domain.write_scale`, e.g. `pipelines/indicators/scale.py`); a
domain that has nothing to generate at scale may ship its demo files of the twelve as they are
(`Domain.demo_at_scale`). What this module holds is what several domains share:

- the spec (`ScaleSpec`) and the poles (`scale_poles`: shipped + generated, plausible communes of
  metropolitan France with jittered coordinates);
- the pathways of each pole (`pole_flows`): entries, stays, exits, internal moves, training hours
  and certifications, drawn once per pole from the seed. The pathways domain writes them as
  person-level rows; the indicators domain declares their yearly counts (`people_figures`, computed
  with the pipeline's own counting rules), so the figures drawn from the pathways land on the
  declared ones;
- `ScaleSink`: files are written into `raw/` with their (fictitious) sending date as modification
  date, which the arrival register takes as arrival.

Everything is deterministic for a seed (same bytes, XLSX included) and streamed pole by pole: memory
stays bounded whatever N. Every file says the data are fictitious, and the demo marker
(`LISEZMOI_DONNEES_FICTIVES.txt`) says they are synthetic scale data.
"""

from __future__ import annotations

import csv
import io
import math
import os
import random
import shutil
import time
from bisect import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from typing import IO, NamedTuple, Protocol

from ptce.contract import PATHWAY_DECLARED_CODES
from ptce.paths import DataLayout
from ptce.reference import Pole, load_poles

SCALE_NOTICE = (
    "DONNÉES FICTIVES SYNTHÉTIQUES (essai à grande échelle, « ptce sample --scale ») — aucun chiffre "
    "ne décrit un pôle ni une personne réels"
)
FIRST_YEAR = 2015  # the community's first year: the scale data start there, like the demo
DEFAULT_YEARS = 10
DEFAULT_XLSX_SHARE = 0.05
DEFAULT_ROWS_PER_POLE = 500  # pathway rows in a pole's files, on average
BLOCK = 250  # poles written together (by one worker); files across poles (targets) hold one block
SHIPPED = 12  # poles 1..12 are the shipped ones
POLES_KIND = "poles"  # raw folder of the poles reference file (issue #16, owned by its parser)
POLES_FILE = "poles-echelle.csv"
POLES_HEADER = (
    "identifiant",
    "numero",
    "nom",
    "noms_usuels",
    "structure_initiatrice",
    "description",
    "representants",
    "departement",
    "nom_departement",
    "region",
    "commune",
    "latitude",
    "longitude",
    "territoire",
    "secteur_principal",
    "date_entree",
    "date_sortie",
)
GENERATED_DESCRIPTION = (
    "Pôle fictif généré pour les essais à grande échelle (« ptce sample --scale ») : aucune donnée ne "
    "décrit un pôle réel."
)
SECTORS = ("Services et développement local", "Filières agricoles et alimentaires", "Transition écologique")

# Communes of metropolitan France a generated pole is placed in (then jittered by at most
# `_JITTER` degrees, which keeps it inside the country's bounds): commune, département, its name,
# région, latitude, longitude, territory.
COMMUNES: tuple[tuple[str, str, str, str, float, float, str], ...] = (
    ("Aurillac", "15", "Cantal", "Auvergne-Rhône-Alpes", 44.9264, 2.4397, "rural"),
    ("Roanne", "42", "Loire", "Auvergne-Rhône-Alpes", 46.0342, 4.0722, "mixte"),
    ("Villeurbanne", "69", "Rhône", "Auvergne-Rhône-Alpes", 45.7719, 4.8902, "urbain"),
    ("Annecy", "74", "Haute-Savoie", "Auvergne-Rhône-Alpes", 45.8992, 6.1294, "urbain"),
    ("Privas", "07", "Ardèche", "Auvergne-Rhône-Alpes", 44.7353, 4.5992, "rural"),
    ("Die", "26", "Drôme", "Auvergne-Rhône-Alpes", 44.7536, 5.3700, "rural"),
    ("Dijon", "21", "Côte-d'Or", "Bourgogne-Franche-Comté", 47.3220, 5.0415, "urbain"),
    ("Lons-le-Saunier", "39", "Jura", "Bourgogne-Franche-Comté", 46.6744, 5.5547, "rural"),
    ("Nevers", "58", "Nièvre", "Bourgogne-Franche-Comté", 46.9908, 3.1590, "mixte"),
    ("Lorient", "56", "Morbihan", "Bretagne", 47.7483, -3.3700, "mixte"),
    ("Saint-Brieuc", "22", "Côtes-d'Armor", "Bretagne", 48.5136, -2.7653, "mixte"),
    ("Quimper", "29", "Finistère", "Bretagne", 47.9960, -4.1024, "mixte"),
    ("Bourges", "18", "Cher", "Centre-Val de Loire", 47.0810, 2.3988, "mixte"),
    ("Tours", "37", "Indre-et-Loire", "Centre-Val de Loire", 47.3941, 0.6848, "urbain"),
    ("Ajaccio", "2A", "Corse-du-Sud", "Corse", 41.9192, 8.7386, "urbain"),
    ("Charleville-Mézières", "08", "Ardennes", "Grand Est", 49.7625, 4.7266, "mixte"),
    ("Mulhouse", "68", "Haut-Rhin", "Grand Est", 47.7508, 7.3359, "urbain"),
    ("Épinal", "88", "Vosges", "Grand Est", 48.1724, 6.4496, "mixte"),
    ("Roubaix", "59", "Nord", "Hauts-de-France", 50.6942, 3.1746, "urbain"),
    ("Amiens", "80", "Somme", "Hauts-de-France", 49.8941, 2.2958, "urbain"),
    ("Saint-Quentin", "02", "Aisne", "Hauts-de-France", 49.8465, 3.2876, "mixte"),
    ("Montreuil", "93", "Seine-Saint-Denis", "Île-de-France", 48.8638, 2.4485, "urbain"),
    ("Évry-Courcouronnes", "91", "Essonne", "Île-de-France", 48.6290, 2.4410, "urbain"),
    ("Meaux", "77", "Seine-et-Marne", "Île-de-France", 48.9601, 2.8788, "mixte"),
    ("Cherbourg-en-Cotentin", "50", "Manche", "Normandie", 49.6337, -1.6222, "mixte"),
    ("Évreux", "27", "Eure", "Normandie", 49.0241, 1.1508, "mixte"),
    ("Guéret", "23", "Creuse", "Nouvelle-Aquitaine", 46.1716, 1.8717, "rural"),
    ("Périgueux", "24", "Dordogne", "Nouvelle-Aquitaine", 45.1847, 0.7214, "mixte"),
    ("Niort", "79", "Deux-Sèvres", "Nouvelle-Aquitaine", 46.3237, -0.4588, "mixte"),
    ("Limoges", "87", "Haute-Vienne", "Nouvelle-Aquitaine", 45.8336, 1.2611, "urbain"),
    ("Rodez", "12", "Aveyron", "Occitanie", 44.3506, 2.5750, "rural"),
    ("Mende", "48", "Lozère", "Occitanie", 44.5181, 3.5006, "rural"),
    ("Perpignan", "66", "Pyrénées-Orientales", "Occitanie", 42.6887, 2.8948, "urbain"),
    ("Auch", "32", "Gers", "Occitanie", 43.6465, 0.5855, "rural"),
    ("Saint-Nazaire", "44", "Loire-Atlantique", "Pays de la Loire", 47.2735, -2.2138, "urbain"),
    ("Laval", "53", "Mayenne", "Pays de la Loire", 48.0707, -0.7734, "mixte"),
    ("La Roche-sur-Yon", "85", "Vendée", "Pays de la Loire", 46.6705, -1.4260, "mixte"),
    (
        "Digne-les-Bains",
        "04",
        "Alpes-de-Haute-Provence",
        "Provence-Alpes-Côte d'Azur",
        44.0925,
        6.2356,
        "rural",
    ),
    ("Marseille", "13", "Bouches-du-Rhône", "Provence-Alpes-Côte d'Azur", 43.2965, 5.3698, "urbain"),
    ("Avignon", "84", "Vaucluse", "Provence-Alpes-Côte d'Azur", 43.9493, 4.8055, "urbain"),
)
_JITTER = 0.05  # degrees: a few kilometres around the commune, so that markers do not all coincide


class ScaleError(ValueError):
    """A scale request that cannot be written; the message is French, for the command line."""


@dataclass(frozen=True)
class ScaleSpec:
    """What `ptce sample --scale` writes (see the module docstring)."""

    poles: int
    years: int = DEFAULT_YEARS
    seed: int = 0
    xlsx_share: float = DEFAULT_XLSX_SHARE
    targets: bool = True
    rows_per_pole: int = DEFAULT_ROWS_PER_POLE

    def check(self, today: date | None = None) -> None:
        """Raise `ScaleError` (French) for a request that cannot be written."""
        today = today or date.today()
        if self.poles < SHIPPED:
            raise ScaleError(
                f"--scale {self.poles} : il faut au moins {SHIPPED} pôles (les douze pôles de la "
                f"communauté sont les pôles 1 à {SHIPPED} ; les suivants sont générés)."
            )
        latest = today.year - FIRST_YEAR  # complete years only: the last one has ended
        if not 1 <= self.years <= latest:
            raise ScaleError(
                f"--years {self.years} : entre 1 et {latest} années ({FIRST_YEAR} à {today.year - 1}, "
                "années terminées seulement)."
            )
        if not 0 <= self.xlsx_share <= 1:
            raise ScaleError(
                f"--xlsx-share {self.xlsx_share:g} : une part entre 0 et 1 (0,05 = 5 % des pôles envoient "
                "des classeurs Excel)."
            )
        if self.rows_per_pole < 1:
            raise ScaleError("Nombre de lignes de parcours par pôle : au moins 1.")

    @property
    def first_year(self) -> int:
        return FIRST_YEAR

    @property
    def last_year(self) -> int:
        return FIRST_YEAR + self.years - 1

    @property
    def year_list(self) -> range:
        return range(self.first_year, self.last_year + 1)

    @property
    def generated(self) -> int:
        return self.poles - SHIPPED

    def rng(self, *parts: object) -> random.Random:
        """A generator of its own for each use (pole, domain…): one pole's draws never shift another's."""
        return random.Random("ptce-echelle-" + "-".join(str(p) for p in (self.seed, *parts)))

    @cached_property
    def xlsx_poles(self) -> frozenset[int]:
        """Numbers of the poles that send their indicator files as XLSX (`xlsx_share` of the poles)."""
        count = round(self.xlsx_share * self.poles)
        return frozenset(self.rng("xlsx").sample(range(1, self.poles + 1), count))


def number_width(spec: ScaleSpec) -> int:
    """Digits of a generated pole's number in its name and identifier (0137, or more past 9,999)."""
    return max(4, len(str(spec.poles)))


def generated_pole(spec: ScaleSpec, numero: int) -> Pole:
    """The generated member number `numero` (13..N): a fictitious name, a real commune of France."""
    rng = spec.rng("pole", numero)
    commune, dep, dep_name, region, lat, lon, territory = rng.choice(COMMUNES)
    text = f"{numero:0{number_width(spec)}d}"
    return Pole(
        pole_id=f"synthetique_{text}",
        numero=numero,
        nom=f"PTCE Synthétique {text} (fictif)",
        noms_usuels=(f"Synthétique {text}",),
        structure_initiatrice=f"Structure porteuse fictive {text}",
        description=GENERATED_DESCRIPTION,
        representants="Représentants fictifs",
        departement=dep,
        nom_departement=dep_name,
        region=region,
        commune=commune,
        latitude=round(lat + rng.uniform(-_JITTER, _JITTER), 4),
        longitude=round(lon + rng.uniform(-_JITTER, _JITTER), 4),
        territoire=territory,
        secteur_principal=rng.choice(SECTORS),
    )


def scale_pole(spec: ScaleSpec, numero: int) -> Pole:
    """Pole number `numero`: a shipped one (1..12) or a generated member."""
    return load_poles()[numero - 1] if numero <= SHIPPED else generated_pole(spec, numero)


def scale_poles(spec: ScaleSpec) -> list[Pole]:
    """Poles 1..N: the twelve shipped ones, then the generated members (built on demand, cheap)."""
    return [scale_pole(spec, n) for n in range(1, spec.poles + 1)]


def slug(pole: Pole) -> str:
    """A pole in a file name, as the demo writes it (`sud-aquitain`, `synthetique-0137`)."""
    return pole.pole_id.replace("_", "-")


_DECIMALS: dict[float, str] = {}


def decimal_comma(value: float) -> str:
    """`12.5` -> `12,5` (one decimal); an integral value is written without decimals.

    Memoised: a million values repeat a few thousand numbers.
    """
    text = _DECIMALS.get(value)
    if text is None:
        text = str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
        if len(_DECIMALS) < 200_000:
            _DECIMALS[value] = text
    return text


def sent_on(year: int, month: int, pole: Pole, day: int | None = None) -> datetime:
    """When a pole sent a file (its arrival): spread over the month and the day by pole number."""
    n = pole.numero
    return datetime(year, month, day or 1 + n % 27, 8 + n % 10, n % 60, tzinfo=UTC)


def cumulative(weights: Sequence[float]) -> list[float]:
    """Running totals of `weights`, for `pick`."""
    return list(accumulate(weights))


def pick(rng: random.Random, items: Sequence[object], totals: Sequence[float]) -> object:
    """One of `items`, weighted (`totals` from `cumulative`): `random.choices` without its overhead,
    which counts when a million rows are drawn."""
    return items[bisect(totals, rng.random() * totals[-1])]


def between(rng: random.Random, lo: int, hi: int) -> int:
    """An integer from `lo` to `hi` included (`randint` at a fraction of its cost)."""
    return lo + int(rng.random() * (hi - lo + 1))


# ---------------------------------------------------------------------------------------------------
# Pathways of a pole, shared by the pathways domain (rows) and the indicators domain (declared counts)

MOVE = "mobilite_interne"  # category of the first stay of an internal move (not an exit of the pole)
WITHDRAWAL = "retrait"
EXIT_CATEGORIES = ("emploi_durable", "emploi_transition", "sortie_positive", "autre_sortie", WITHDRAWAL)
_EXIT_TOTALS = cumulative((22, 22, 14, 34, 8))
# Share of exits with a certification, by category (training and qualifying jobs certify most).
_CERTIFIED = {
    "sortie_positive": 0.35,
    "emploi_durable": 0.25,
    "emploi_transition": 0.12,
    "autre_sortie": 0.05,
}
_MOVE_SHARE = 0.07  # pathways with one internal move to another member structure
_MAX_MOVE_GAP = 21  # days between the two stays of a move (the pipeline's limit is 31)
_MIN_STAY = 30
# Stay length: log-normal around ten months, 30 days to three years.
_MEDIAN_DAYS, _SPREAD, _MAX_DAYS = 300, 0.5, 1100
# Calendar years a pathway's stays overlap, on average (1 + mean length in years): a pathway is in
# that many yearly files, which sets the entries a pole needs for `rows_per_pole`.
_YEARS_OVERLAPPED = 2.2


class Stay(NamedTuple):
    """One stay of a synthetic person in a member structure of a pole."""

    person: int  # the person's number in the pole (1, 2, …), one pathway per person
    structure: int  # index of the member structure (0: the largest)
    entree: date
    sortie: date | None  # None: still in the structure at the end of the last year
    categorie: str | None  # exit category (`EXIT_CATEGORIES`), `MOVE`, or None while ongoing
    fin_parcours: bool  # the stay ends the pathway (with an exit)
    mobilite: bool  # the stay starts an internal move
    heures: float  # training hours over the whole stay (to its exit, or to the end of the last year)
    certification: bool


@dataclass(frozen=True)
class PoleFlows:
    """The pathways of one pole: its structures' count and every stay, by person."""

    structures: int
    stays: list[Stay] = field(repr=False)


def pole_flows(spec: ScaleSpec, pole: Pole) -> PoleFlows:
    """Every stay of a pole's synthetic persons, from `FIRST_YEAR - 1` to the end of the last year.

    Pathways entered the year before the first year make the stock the first year starts with; each
    of them is still under way on 1 January of the first year (no file could speak of it otherwise).
    """
    rng = spec.rng("parcours", pole.numero)
    rnd, gauss, exp, day = rng.random, rng.gauss, math.exp, date.fromordinal
    first, last = spec.first_year, spec.last_year
    # Days as ordinals (integers) while drawing: dates are made once, for the stays.
    start, end = date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal()
    structures = rng.randint(3, 6)
    sizes = range(structures)
    size_totals = cumulative([structures - i for i in sizes])  # the first structures are the largest
    level = spec.rows_per_pole / (spec.years * _YEARS_OVERLAPPED) * rng.uniform(0.6, 1.4)
    growth = rng.uniform(0.0, 0.04)
    rate_mu = math.log(_MEDIAN_DAYS)
    pathways: list[tuple[int, int | None, str | None]] = []
    for k, year in enumerate(range(first - 1, last + 1)):
        count = round(level * (1 + growth) ** k * rng.uniform(0.9, 1.1) * (0.9 if year < first else 1.0))
        lo, span = date(year, 1, 2).toordinal(), date(year, 12, 20).toordinal() - date(year, 1, 2).toordinal()
        for _ in range(count):
            entree = lo + int(rnd() * (span + 1))
            sortie = entree + int(min(_MAX_DAYS, max(_MIN_STAY, exp(rate_mu + _SPREAD * gauss(0.0, 1.0)))))
            if sortie < start:
                sortie = start + int(rnd() * 181)
            if sortie > end:
                pathways.append((entree, None, None))
            else:
                pathways.append(
                    (entree, sortie, EXIT_CATEGORIES[bisect(_EXIT_TOTALS, rnd() * _EXIT_TOTALS[-1])])
                )
    pathways.sort(key=lambda p: p[0])
    stays: list[Stay] = []
    for person, (entree, sortie, category) in enumerate(pathways, start=1):
        structure = bisect(size_totals, rnd() * size_totals[-1])
        # Hours per day of stay: none for about one stay in eight, otherwise a skewed spread.
        rate = 0.0 if rnd() < 0.12 else 0.09 * exp(0.6 * gauss(0.0, 1.0))
        certified = category in _CERTIFIED and rnd() < _CERTIFIED[category]
        stop = end if sortie is None else sortie
        # A move splits the pathway in two stays in two structures, a few days apart; both are
        # in the files' years (the first one ends on 1 January of the first year or later).
        lo = max(entree + _MIN_STAY, start)
        hi = stop - _MIN_STAY - _MAX_MOVE_GAP
        moved = rnd() < _MOVE_SHARE and hi > lo
        if moved:
            first_end = lo + int(rnd() * (hi - lo + 1))
            second = first_end + 1 + int(rnd() * _MAX_MOVE_GAP)
            other = (structure + 1 + int(rnd() * (structures - 1))) % structures
            hours = _hours(rate, first_end - entree + 1)
            stays.append(
                Stay(person, structure, day(entree), day(first_end), MOVE, False, False, hours, False)
            )
            structure, entree = other, second
        stays.append(
            Stay(
                person,
                structure,
                day(entree),
                None if sortie is None else day(sortie),
                category,
                sortie is not None,
                moved,
                _hours(rate, stop - entree + 1),
                certified,
            )
        )
    return PoleFlows(structures, stays)


def _hours(rate: float, days: int) -> float:
    """Training hours of a stay of `days` days at `rate` hours a day, in half hours as poles count them."""
    return round(rate * days * 2) / 2


_CODE_OF_CATEGORY = {
    "emploi_durable": "sorties_emploi_durable",
    "emploi_transition": "sorties_emploi_transition",
    "sortie_positive": "sorties_positives",
    "autre_sortie": "sorties_autres",
}


def people_figures(spec: ScaleSpec, flows: PoleFlows) -> dict[int, dict[str, float]]:
    """The yearly counts a pole declares for its pathways (`PATHWAY_DECLARED_CODES`), by the pipeline's rules.

    Same rules as `pathway_indicators`: persons with a stay overlapping the year; pathways starting
    in the year; pathways ending in the year, withdrawals left out, by category; each stay's hours
    shared over its days (a stay still open runs to the end of the last year); persons certified on a
    stay ended in the year; internal moves starting in the year. Hours to one decimal, as typed.
    """
    end = date(spec.last_year, 12, 31)
    years = spec.year_list
    out = {y: dict.fromkeys(PATHWAY_DECLARED_CODES, 0.0) for y in years}
    hours = dict.fromkeys(years, 0.0)
    bounds = {y: (date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal()) for y in years}
    spans: dict[int, list[date]] = {}  # person -> [first entry, last day]
    for stay in flows.stays:
        stop = stay.sortie or end
        span = spans.get(stay.person)
        if span is None:
            spans[stay.person] = [stay.entree, stop]
        elif stop > span[1]:
            span[1] = stop
        if stay.heures:
            first_day, last_day = stay.entree.toordinal(), stop.toordinal()
            per_day = stay.heures / (last_day - first_day + 1)
            for year in range(max(stay.entree.year, years.start), min(stop.year, years.stop - 1) + 1):
                lo, hi = bounds[year]
                hours[year] += per_day * (min(last_day, hi) - max(first_day, lo) + 1)
        if stay.mobilite and stay.entree.year in out:
            out[stay.entree.year]["mobilites_internes"] += 1
        if stay.fin_parcours and stay.sortie is not None and stay.sortie.year in out:
            figures = out[stay.sortie.year]
            if stay.categorie != WITHDRAWAL:
                figures["sorties"] += 1
                figures[_CODE_OF_CATEGORY[str(stay.categorie)]] += 1
            if stay.certification:
                figures["certifications"] += 1
    for first_day, last_day in spans.values():
        if first_day.year in out:
            out[first_day.year]["entrees_parcours"] += 1
        for year in range(max(first_day.year, years.start), min(last_day.year, years.stop - 1) + 1):
            out[year]["personnes_accompagnees"] += 1
    for year, figures in out.items():
        figures["heures_formation"] = round(hours[year], 1)
    return out


# ---------------------------------------------------------------------------------------------------
# Writing


@dataclass
class ScaleSink:
    """Where the domains' writers put their files, dated when they were (fictitiously) sent.

    Written straight into `raw/` (`write_scale` only writes into an empty one): the modification
    date is the sending date, which the arrival register takes as the arrival time.
    """

    layout: DataLayout
    block: range  # the numbers of the poles this sink's writers are fed (files across poles name it)
    files: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, name, data rows)
    _folders: dict[str, Path] = field(default_factory=dict)

    def path(self, kind: str, name: str) -> Path:
        folder = self._folders.get(kind)
        if folder is None:
            # The poles folder is the reference file's (issue #16), known to `RAW_KINDS` once its
            # parser is there; the path is the same either way.
            folder = self.layout.raw / kind if kind == POLES_KIND else self.layout.raw_folder(kind)
            folder.mkdir(parents=True, exist_ok=True)
            self._folders[kind] = folder
        return folder / name

    def open_csv(self, kind: str, name: str) -> IO[str]:
        """A CSV file to write, UTF-8 with a BOM (as French Excel saves « CSV UTF-8 »); `done` after."""
        fh = self.path(kind, name).open("x", encoding="utf-8", newline="")
        fh.write("\ufeff")  # by hand: the `utf-8-sig` codec costs a Python call per write
        return fh

    def block_label(self) -> str:
        """The block in a file name: `poles-0001-0250`."""
        width = max(4, len(str(self.block.stop - 1)))
        return f"poles-{self.block.start:0{width}d}-{self.block.stop - 1:0{width}d}"

    def write_csv(
        self, kind: str, name: str, header: Sequence[str], rows: list[Sequence[object]], sent: datetime
    ) -> None:
        """A whole `;` CSV file (CRLF, UTF-8 with BOM), dated `sent`."""
        buffer = io.StringIO(newline="")
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        self.write_bytes(kind, name, buffer.getvalue().encode("utf-8"), sent, len(rows))

    def write_bytes(self, kind: str, name: str, data: bytes, sent: datetime, rows: int) -> None:
        # One write and the date set on the open file: 40,000 files, so the calls count.
        fd = os.open(self.path(kind, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, data)
            os.utime(fd, (sent.timestamp(), sent.timestamp()))
        finally:
            os.close(fd)
        self.files.append((kind, name, rows))

    def done(self, kind: str, name: str, sent: datetime, rows: int) -> None:
        """A file written (by `open_csv`): dated `sent` (its arrival), counted with its data rows."""
        stamp = sent.timestamp()
        os.utime(self.path(kind, name), (stamp, stamp))
        self.files.append((kind, name, rows))


class PoleWriter(Protocol):
    """A domain's writer at scale (`Domain.write_scale` opens it): fed pole by pole, then finished.

    Opened for one block of poles (`ScaleSink.block`), possibly in a worker process: the poles of the
    block come in number order with their pathways (`pole_flows`, drawn once for every domain).
    """

    def pole(self, pole: Pole, flows: PoleFlows) -> None: ...

    def finish(self) -> None: ...


@dataclass(frozen=True)
class KindSummary:
    kind: str
    files: int
    rows: int | None  # None for demo files copied as they are (not counted)
    xlsx: int = 0


@dataclass(frozen=True)
class ScaleReport:
    """What `write_scale` wrote: per raw kind, files and data rows; bytes on disk and seconds."""

    spec: ScaleSpec
    kinds: tuple[KindSummary, ...]
    bytes: int
    seconds: float

    @property
    def files(self) -> int:
        return sum(k.files for k in self.kinds)


def poles_rows(poles: list[Pole], first_year: int) -> list[list[object]]:
    """The generated members as rows of the poles reference file (format of issue #16)."""
    return [
        [
            p.pole_id,
            p.numero,
            p.nom,
            "|".join(p.noms_usuels),
            p.structure_initiatrice,
            p.description,
            p.representants,
            p.departement,
            p.nom_departement,
            p.region,
            p.commune,
            f"{p.latitude:.4f}".replace(".", ","),
            f"{p.longitude:.4f}".replace(".", ","),
            p.territoire,
            p.secteur_principal,
            f"01/01/{first_year}",
            "",
        ]
        for p in poles
    ]


def _raw_has_files(layout: DataLayout) -> bool:
    return layout.raw.is_dir() and any(p.is_file() for p in layout.raw.rglob("*"))


def _write_block(data_dir: Path, spec: ScaleSpec, numbers: range) -> list[tuple[str, str, int]]:
    """Every domain's files for the poles `numbers` (a block); what was written, for the report.

    Run in a worker process: a block depends only on the spec and its pole numbers, so the output
    is the same whatever the number of workers.
    """
    from pipelines.shared.domain import domains

    sink = ScaleSink(DataLayout(data_dir), block=numbers)
    writers = [d.write_scale(spec, sink) for d in domains() if d.write_scale is not None]
    for numero in numbers:
        pole = scale_pole(spec, numero)
        flows = pole_flows(spec, pole)
        for writer in writers:
            writer.pole(pole, flows)
    for writer in writers:
        writer.finish()
    return sink.files


def blocks(spec: ScaleSpec, size: int = BLOCK) -> list[range]:
    """Pole numbers 1..N cut into blocks of `size` (the last one shorter)."""
    return [range(lo, min(lo + size, spec.poles + 1)) for lo in range(1, spec.poles + 1, size)]


def write_scale(
    data_dir: Path, spec: ScaleSpec, workers: int | None = None, block: int = BLOCK
) -> ScaleReport:
    """Write the synthetic scale data under `data_dir/raw/` (which must hold no file yet).

    Blocks of `block` poles are written by `workers` processes (default: one per core); the files
    are the same whatever the number of workers.
    """
    from pipelines.shared.domain import domains
    from pipelines.shared.sample import write_planned
    from ptce.paths import RAW_KINDS

    spec.check()
    layout = DataLayout(data_dir)
    if _raw_has_files(layout):
        raise ScaleError(
            f"Le dossier {layout.raw} contient déjà des fichiers : « ptce sample --scale » écrit dans un "
            "dossier de données vide (choisissez-en un autre avec --data-dir)."
        )
    started = time.perf_counter()
    workers = max(1, min(workers or os.cpu_count() or 1, len(blocks(spec, block))))
    files: list[tuple[str, str, int]] = []
    demo_kinds: Counter[str] = Counter()
    staging = layout.curated / ".sample_tmp"  # for the demo files of `demo_at_scale` domains
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    layout.raw.mkdir(parents=True, exist_ok=True)

    def write_demo_files() -> None:
        for domain in domains():
            if domain.write_scale is None and domain.demo_at_scale and domain.write_demo is not None:
                for path in write_planned(domain.write_demo(staging, layout)):
                    demo_kinds[layout.relative(path).split("/")[1]] += 1

    try:
        if workers == 1:
            for numbers in blocks(spec, block):
                files += _write_block(data_dir, spec, numbers)
            write_demo_files()
        else:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(workers) as pool:
                done = [pool.submit(_write_block, data_dir, spec, numbers) for numbers in blocks(spec, block)]
                write_demo_files()  # meanwhile
                for future in done:
                    files += future.result()
        generated = [scale_pole(spec, n) for n in range(SHIPPED + 1, spec.poles + 1)]
        if generated:  # sent before any figure of theirs
            sink = ScaleSink(layout, block=range(SHIPPED + 1, spec.poles + 1))
            sent = datetime(spec.first_year, 1, 5, 9, 0, tzinfo=UTC)
            sink.write_csv(POLES_KIND, POLES_FILE, POLES_HEADER, poles_rows(generated, spec.first_year), sent)
            files += sink.files
        layout.demo_marker.write_text(
            f"{SCALE_NOTICE}\n\nLes fichiers de ce dossier ont été générés par la commande « ptce sample "
            f"--scale {spec.poles} » (graine {spec.seed}, {spec.years} années à partir de {spec.first_year}) "
            "pour mesurer l'Observatoire PTCE à grande échelle. Les pôles 1 à 12 portent les noms des pôles "
            "de la communauté, mais leurs chiffres sont inventés ; les pôles suivants sont fictifs "
            f"(raw/poles/{POLES_FILE}). Ne les mélangez pas à des fichiers réels.\n",
            encoding="utf-8",
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for kind in RAW_KINDS:
        layout.raw_folder(kind).mkdir(parents=True, exist_ok=True)
    by_kind: dict[str, list[int]] = {}
    for kind, name, rows in files:
        entry = by_kind.setdefault(kind, [0, 0, 0])
        entry[0] += 1
        entry[1] += rows
        entry[2] += name.endswith(".xlsx")
    order = [*RAW_KINDS, POLES_KIND]
    kinds = [KindSummary(kind, f, r, x) for kind, (f, r, x) in by_kind.items()]
    kinds += [KindSummary(kind, n, None) for kind, n in demo_kinds.items()]
    kinds.sort(key=lambda k: (k.rows is None, order.index(k.kind) if k.kind in order else len(order)))
    size = sum(p.stat().st_size for p in layout.raw.rglob("*") if p.is_file())
    return ScaleReport(spec, tuple(kinds), size, time.perf_counter() - started)

"""The two reference files as typed objects: the poles and the indicator catalogue.

`reference/poles.yaml` comes from the member table of the community (seed 000): the twelve poles
shipped with the code, the base layer. Staff add or amend poles with files under the data directory
(`raw/poles/`); the pipeline reads them (`pipelines/shared/pole_reference.py`) and publishes the
effective poles in the warehouse's `poles` table, which `PoleSet.from_frame` turns back into poles
for the dashboards. `reference/catalogue_indicateurs.yaml` is the versioned indicator catalogue
(SPEC §3). Both are read-only here and cached: they ship with the code. The other files of
`reference/` (quality rules `qualite.yaml`, pathway settings `parcours.yaml`, keywords, form
questions) are loaded here too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ptce.text import normalize_key, normalize_words

if TYPE_CHECKING:  # pandas only for a type: the reference loads without it
    import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def read_reference(name: str) -> dict[str, Any]:
    """One reference file of `ptce/reference/`, parsed: every loader below reads through here.

    The one place that knows where reference data live, so that reference files kept under the
    data directory (new member poles, for instance) can later be layered over the shipped ones.
    """
    return yaml.safe_load((REFERENCE_DIR / name).read_text(encoding="utf-8"))


# Territory kinds of a pole (peer groups of the comparison page).
TERRITORIES = ("rural", "urbain", "mixte")
# Aggregation rule names as written in the catalogue (French, for its non-developer readers).
POLE_AGGREGATIONS = {"somme", "moyenne"}
QUARTER_AGGREGATIONS = {"somme", "dernier", "max"}


@dataclass(frozen=True)
class Pole:
    """One pole of the community, as published in the member table."""

    pole_id: str
    numero: int
    nom: str
    noms_usuels: tuple[str, ...]
    structure_initiatrice: str
    description: str
    representants: str
    departement: str
    nom_departement: str
    region: str
    commune: str
    latitude: float
    longitude: float
    # Peer group (« pôles comme le mien »), from the member table's descriptions, to be confirmed.
    territoire: str = ""
    secteur_principal: str = ""
    # Membership: None = a member from the start / still a member. A pole that left keeps its
    # history; it is only no longer expected to send files after `date_sortie`.
    date_entree: date | None = None
    date_sortie: date | None = None
    # Names a pole no longer goes by (renamed, an alias replaced): files that use them still match.
    anciens_noms: tuple[str, ...] = ()
    # The reference file of `raw/poles/` that last added or amended it; None for the shipped twelve.
    source_file: str | None = None

    @property
    def nom_court(self) -> str:
        """The usual short name, for charts and tables."""
        return self.noms_usuels[0] if self.noms_usuels else self.nom

    def member_on(self, day: date) -> bool:
        """Whether the pole belongs to the community on `day` (entered, not yet left)."""
        entered = self.date_entree is None or self.date_entree <= day
        return entered and (self.date_sortie is None or day <= self.date_sortie)


# Where a pole may be (latitude, longitude boxes): metropolitan France with Corsica, then the
# overseas departments and the inhabited overseas collectivities. A pole outside every box is a
# typing error (a swapped or unscaled coordinate).
FRANCE_BOXES: dict[str, tuple[float, float, float, float]] = {
    "France métropolitaine": (41.0, 51.5, -5.5, 10.0),
    "Guadeloupe": (15.8, 16.6, -61.9, -60.9),
    "Martinique": (14.3, 15.0, -61.3, -60.8),
    "Guyane": (2.0, 6.0, -54.7, -51.5),
    "La Réunion": (-21.5, -20.8, 55.1, 55.9),
    "Mayotte": (-13.1, -12.6, 44.9, 45.4),
    "Saint-Pierre-et-Miquelon": (46.7, 47.2, -56.5, -56.1),
    "Saint-Martin et Saint-Barthélemy": (17.8, 18.2, -63.2, -62.7),
    "Wallis-et-Futuna": (-14.5, -13.1, -178.3, -176.0),
    "Polynésie française": (-28.0, -7.0, -155.0, -134.0),
    "Nouvelle-Calédonie": (-23.0, -19.5, 163.5, 168.2),
}


def in_france(latitude: float, longitude: float) -> bool:
    """Whether a point lies in France (`FRANCE_BOXES`)."""
    if math.isnan(latitude) or math.isnan(longitude):
        return False
    return any(
        lat_min <= latitude <= lat_max and lon_min <= longitude <= lon_max
        for lat_min, lat_max, lon_min, lon_max in FRANCE_BOXES.values()
    )


@dataclass(frozen=True)
class Indicator:
    """An indicator typed in by the poles."""

    code: str
    libelle: str
    definition: str
    unite: str
    domaine: str
    agregation_poles: str
    agregation_trimestres: str
    personnes: bool
    sens: str
    entier: bool
    iris: str | None = None
    min: float | None = 0.0
    max: float | None = None


@dataclass(frozen=True)
class DerivedIndicator:
    """An indicator computed as sum(numerateur) / sum(denominateur), never typed in."""

    code: str
    libelle: str
    definition: str
    numerateur: tuple[str, ...]
    denominateur: tuple[str, ...]
    domaine: str
    unite: str
    sens: str


@dataclass(frozen=True)
class Ratio:
    """An indicator divided by a size indicator: numerateur / denominateur × facteur, per pole."""

    code: str
    libelle: str
    numerateur: str
    denominateur: str
    facteur: float
    unite: str
    domaine: str
    sens: str


# The size indicators a ratio may divide by (per FTE, per 100 persons accompanied, per member).
RATIO_DENOMINATORS = ("etp", "personnes_accompagnees", "membres")


@dataclass(frozen=True)
class Domain:
    code: str
    libelle: str
    ordre: int


@dataclass(frozen=True)
class KeyFigure:
    """A network key figure: its indicator, the short label shown, the table column's header."""

    code: str
    libelle_court: str
    entete: str


@dataclass(frozen=True)
class Catalog:
    """The indicator catalogue: domains, typed-in indicators and derived ones."""

    version: str
    domains: tuple[Domain, ...]
    indicators: tuple[Indicator, ...]
    derived: tuple[DerivedIndicator, ...]
    key_figures: tuple[KeyFigure, ...] = ()
    ratios: tuple[Ratio, ...] = ()
    _by_key: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def get(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(ind.code for ind in self.indicators)

    def unit(self, code: str) -> str:
        """Unit of a typed-in or derived indicator, or of a ratio."""
        for ind in (*self.indicators, *self.derived, *self.ratios):
            if ind.code == code:
                return ind.unite
        raise KeyError(code)

    def domain_label(self, code: str) -> str:
        return next(d.libelle for d in self.domains if d.code == code)

    def label(self, code: str) -> str:
        """French label of a typed-in or derived indicator, or of a ratio."""
        for ind in (*self.indicators, *self.derived, *self.ratios):
            if ind.code == code:
                return ind.libelle
        raise KeyError(code)

    def match(self, text: object) -> str | None:
        """Indicator code named by `text` (its code or its French label), insensitively."""
        return self._by_key.get(normalize_key(text))


@cache
def load_poles() -> tuple[Pole, ...]:
    """The twelve shipped poles (the base layer), ordered by number.

    The pipeline's parsers, checks and templates use the effective poles instead (`PoleSet`, the
    shipped twelve with the files of `raw/poles/` applied); the demo writers use these.
    """
    raw = read_reference("poles.yaml")
    poles = []
    for item in raw["poles"]:
        poles.append(
            Pole(
                pole_id=item["pole_id"],
                numero=int(item["numero"]),
                nom=item["nom"],
                noms_usuels=tuple(item.get("noms_usuels") or ()),
                structure_initiatrice=item["structure_initiatrice"],
                description=" ".join(item["description"].split()),
                representants=item["representants"],
                departement=str(item["departement"]),
                nom_departement=item["nom_departement"],
                region=item["region"],
                commune=item["commune"],
                latitude=float(item["latitude"]),
                longitude=float(item["longitude"]),
                territoire=item["territoire"],
                secteur_principal=item["secteur_principal"],
            )
        )
        if poles[-1].territoire not in TERRITORIES:
            raise ValueError(
                f"poles.yaml : territoire {poles[-1].territoire!r} inconnu pour {poles[-1].pole_id} "
                f"(attendu : {', '.join(TERRITORIES)})"
            )
    return tuple(sorted(poles, key=lambda p: p.numero))


@dataclass(frozen=True)
class SizeClass:
    """A size class of poles by member structures: from `minimum` (included) to the next one's."""

    libelle: str
    minimum: float


@cache
def load_size_classes() -> tuple[SizeClass, ...]:
    """The size classes of `poles.yaml` (`classes_taille`), by increasing minimum."""
    raw = read_reference("poles.yaml")
    classes = tuple(
        SizeClass(libelle=item["libelle"], minimum=float(item["minimum"])) for item in raw["classes_taille"]
    )
    if [c.minimum for c in classes] != sorted({c.minimum for c in classes}):
        raise ValueError("poles.yaml : les minimums de classes_taille doivent être croissants et distincts")
    return classes


def size_class(members: float | None) -> str | None:
    """The size class label of a pole with `members` member structures (None when unknown)."""
    if members is None or members != members:  # NaN: the pole did not report it
        return None
    label = None
    for cls in load_size_classes():
        if members >= cls.minimum:
            label = cls.libelle
    return label


def pole_by_id(pole_id: str) -> Pole:
    for pole in load_poles():
        if pole.pole_id == pole_id:
            return pole
    raise KeyError(pole_id)


def pole_numbers(poles: PoleSet | None = None) -> str:
    """The range of pole numbers for messages: « 1 à 12 » for the twelve shipped members."""
    numbers = [p.numero for p in (poles or shipped_poles())]
    return f"{min(numbers)} à {max(numbers)}"


# Where a pole's name ends and a precision begins ("PTCE Bou'Sol (Pain et Partage)").
_PRECISION_SEPARATORS = ("(", " - ", " – ", ",", ":", "/")
_WORD_SPLIT = re.compile(r"[\s_\-–.()/,:]+")
# Pole names are short: runs of words are looked for in the first words of a text only.
_MAX_WORDS = 20


class PoleMatcher:
    """Finds the pole a file names: id, number (1–12), full name or usual short name.

    Matching is insensitive to case, accents, spaces and punctuation. Prefixes such as "PTCE" or
    "Pôle" are optional ("Bou'Sol" = "PTCE Bou'Sol"), and "7 - PTCE Bou'Sol" is taken as its number.
    """

    _PREFIXES = ("ptce", "pole", "poledecooperation", "poleterritorialdecooperationeconomique")

    def __init__(self, poles: tuple[Pole, ...] | PoleSet | None = None) -> None:
        self._index: dict[str, str] = {}
        chosen = tuple(poles) if poles else load_poles()
        # Current names first, former names after: a name taken over by another pole is theirs now.
        for pole in chosen:
            self.add_pole(pole, former=False)
        for pole in chosen:
            for name in pole.anciens_noms:
                self._add(name, pole.pole_id)

    def add_pole(self, pole: Pole, *, former: bool = True) -> None:
        """Index one more pole's id, number and names (a name already known keeps its pole)."""
        for name in (pole.pole_id, pole.nom, *pole.noms_usuels, *(pole.anciens_noms if former else ())):
            self._add(name, pole.pole_id)
        self._index.setdefault(str(pole.numero), pole.pole_id)
        self._index.setdefault(f"{pole.numero:02d}", pole.pole_id)

    def _add(self, name: str, pole_id: str) -> None:
        key = normalize_key(name)
        self._index.setdefault(key, pole_id)
        for prefix in self._PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix) + 2:
                self._index.setdefault(key[len(prefix) :], pole_id)

    def match(self, text: object) -> str | None:
        if text is None:
            return None
        raw = str(text).strip()
        if not raw:
            return None
        # Numbers typed in Excel arrive as 7.0.
        if raw.replace(".0", "", 1).isdigit() and raw.endswith(".0"):
            raw = raw[:-2]
        key = normalize_key(raw)
        if key in self._index:
            return self._index[key]
        for prefix in self._PREFIXES:
            if key.startswith(prefix) and key[len(prefix) :] in self._index:
                return self._index[key[len(prefix) :]]
        # "7- PTCE Bou'Sol", as in the member table: number then name; both must agree if both known.
        head, sep, tail = raw.partition("-")
        if sep and head.strip().isdigit():
            by_number = self._index.get(str(int(head.strip())))
            by_name = self.match(tail)
            if by_number and (by_name is None or by_name == by_number):
                return by_number
        return None

    def find(self, text: object) -> str | None:
        """The one pole that free text names: a file name, a header line, a cell with a precision.

        Tried in turn: the whole text; the part before a precision ("PTCE Bou'Sol (Pain et
        Partage)", "Pôle AlpEn - Groupe ULISSE"); then every run of its words, longest first, where
        bare numbers never count (years, versions: "AMI 2015", "export_3"). Text that names two
        poles names none: guessing would file one pole's figures or answers under the other.
        """
        if text is None:
            return None
        raw = str(text).strip()
        found = self.match(raw)
        if found is not None:
            return found
        for sep in _PRECISION_SEPARATORS:
            if sep in raw:
                found = self.match(raw.split(sep)[0])
                if found is not None:
                    return found
        words = [w for w in _WORD_SPLIT.split(raw) if w][:_MAX_WORDS]
        named: set[str] = set()
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                chunk = " ".join(words[start : start + size])
                if normalize_key(chunk).isdigit():
                    continue
                pole = self.match(chunk)
                if pole is not None:
                    named.add(pole)
        return named.pop() if len(named) == 1 else None


class PoleSet:
    """The poles in force: the shipped twelve with the files of `raw/poles/` applied, by number.

    Iterates over its poles; holds the matcher the parsers use (`matcher`), the range of numbers
    their messages quote (`numbers`) and the poles still members on a day (`members_on`).
    """

    def __init__(self, poles: tuple[Pole, ...] | list[Pole]) -> None:
        self.poles: tuple[Pole, ...] = tuple(sorted(poles, key=lambda p: p.numero))

    def __iter__(self) -> Iterator[Pole]:
        return iter(self.poles)

    def __len__(self) -> int:
        return len(self.poles)

    def __bool__(self) -> bool:
        return bool(self.poles)

    def __repr__(self) -> str:
        return f"PoleSet({[p.pole_id for p in self.poles]})"

    @cached_property
    def matcher(self) -> PoleMatcher:
        return PoleMatcher(self.poles)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.pole_id for p in self.poles)

    def get(self, pole_id: str) -> Pole | None:
        return self._by_id.get(pole_id)

    @cached_property
    def _by_id(self) -> dict[str, Pole]:
        return {p.pole_id: p for p in self.poles}

    @property
    def numbers(self) -> str:
        """« 1 à 13 »: the range of numbers, as messages quote it."""
        return pole_numbers(self)

    def members_on(self, day: date) -> PoleSet:
        """The poles that belong to the community on `day` (those that left before are not)."""
        return PoleSet([p for p in self.poles if p.member_on(day)])

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> PoleSet:
        """The poles of a `poles` table (the published warehouse's, or the build's)."""
        cells = frame.astype(object).where(frame.notna(), None)  # NaN, NaT, NA -> None
        return cls([_pole_from_row(row) for row in cells.to_dict(orient="records")])


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _date_or_none(value: object) -> date | None:
    if value is None:
        return None
    if hasattr(value, "date") and callable(value.date):  # datetime, pandas Timestamp
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _names(value: object) -> tuple[str, ...]:
    text = _text_or_none(value)
    return tuple(n.strip() for n in text.split("|") if n.strip()) if text else ()


def _pole_from_row(row: dict[str, Any]) -> Pole:
    return Pole(
        pole_id=str(row["pole_id"]),
        numero=int(row["numero"]),
        nom=str(row["nom"]),
        noms_usuels=_names(row.get("noms_usuels")),
        structure_initiatrice=_text_or_none(row.get("structure_initiatrice")) or "",
        description=_text_or_none(row.get("description")) or "",
        representants=_text_or_none(row.get("representants")) or "",
        departement=_text_or_none(row.get("departement")) or "",
        nom_departement=_text_or_none(row.get("nom_departement")) or "",
        region=_text_or_none(row.get("region")) or "",
        commune=_text_or_none(row.get("commune")) or "",
        latitude=float(row["latitude"]),
        longitude=float(row["longitude"]),
        territoire=_text_or_none(row.get("territoire")) or "",
        secteur_principal=_text_or_none(row.get("secteur_principal")) or "",
        date_entree=_date_or_none(row.get("date_adhesion")),
        date_sortie=_date_or_none(row.get("date_depart")),
        anciens_noms=_names(row.get("anciens_noms")),
        source_file=_text_or_none(row.get("fichier_reference")),
    )


@cache
def shipped_poles() -> PoleSet:
    """The twelve shipped poles as a `PoleSet` (what parsers use when given no other poles)."""
    return PoleSet(load_poles())


@cache
def load_catalog() -> Catalog:
    """The indicator catalogue, validated for internal consistency."""
    raw = read_reference("catalogue_indicateurs.yaml")
    domains = tuple(
        Domain(code=d["code"], libelle=d["libelle"], ordre=int(d["ordre"])) for d in raw["domaines"]
    )
    domain_codes = {d.code for d in domains}
    indicators = []
    for item in raw["indicateurs"]:
        ind = Indicator(
            code=item["code"],
            libelle=item["libelle"],
            definition=item["definition"],
            unite=item["unite"],
            domaine=item["domaine"],
            agregation_poles=item["agregation_poles"],
            agregation_trimestres=item["agregation_trimestres"],
            personnes=bool(item["personnes"]),
            sens=item["sens"],
            entier=bool(item.get("entier", False)),
            iris=item.get("iris"),
            min=item.get("min", 0.0),
            max=item.get("max"),
        )
        if ind.domaine not in domain_codes:
            raise ValueError(f"Catalogue : domaine inconnu {ind.domaine!r} pour {ind.code}")
        if ind.agregation_poles not in POLE_AGGREGATIONS:
            raise ValueError(f"Catalogue : agrégation pôles inconnue pour {ind.code}")
        if ind.agregation_trimestres not in QUARTER_AGGREGATIONS:
            raise ValueError(f"Catalogue : agrégation trimestres inconnue pour {ind.code}")
        indicators.append(ind)
    codes = {ind.code for ind in indicators}
    derived = []
    for item in raw.get("derives", []):
        d = DerivedIndicator(
            code=item["code"],
            libelle=item["libelle"],
            definition=item["definition"],
            numerateur=tuple(item["numerateur"]),
            denominateur=tuple(item["denominateur"]),
            domaine=item["domaine"],
            unite=item["unite"],
            sens=item["sens"],
        )
        unknown = set(d.numerateur + d.denominateur) - codes
        if unknown:
            raise ValueError(f"Catalogue : {d.code} utilise des codes inconnus {sorted(unknown)}")
        derived.append(d)
    by_key: dict[str, str] = {}
    for ind in indicators:
        by_key[normalize_key(ind.code)] = ind.code
        by_key[normalize_key(ind.libelle)] = ind.code
        # Labels with a parenthesised hint ("… (1 = oui, 0 = non)") also match without it.
        short = ind.libelle.split("(")[0]
        by_key.setdefault(normalize_key(short), ind.code)
    known = codes | {d.code for d in derived}
    key_figures = tuple(
        KeyFigure(item["code"], item["libelle_court"], item.get("entete", item["libelle_court"]))
        for item in raw.get("chiffres_cles", [])
    )
    unknown_keys = [k.code for k in key_figures if k.code not in known]
    if unknown_keys:
        raise ValueError(f"Catalogue : chiffres clés aux codes inconnus {unknown_keys}")
    ratios = tuple(_ratio(item, codes, domain_codes) for item in raw.get("ratios", []))
    clashes = sorted({r.code for r in ratios} & known)
    if clashes:
        raise ValueError(f"Catalogue : ratios au code déjà pris par un indicateur {clashes}")
    return Catalog(
        version=str(raw["version"]),
        domains=domains,
        indicators=tuple(indicators),
        derived=tuple(derived),
        key_figures=key_figures,
        ratios=ratios,
        _by_key=by_key,
    )


def _ratio(item: dict[str, Any], codes: set[str], domain_codes: set[str]) -> Ratio:
    ratio = Ratio(
        code=item["code"],
        libelle=item["libelle"],
        numerateur=item["numerateur"],
        denominateur=item["denominateur"],
        facteur=float(item["facteur"]),
        unite=item["unite"],
        domaine=item["domaine"],
        sens=item["sens"],
    )
    if ratio.numerateur not in codes:
        raise ValueError(f"Catalogue : le ratio {ratio.code} rapporte un code inconnu {ratio.numerateur!r}")
    if ratio.denominateur not in RATIO_DENOMINATORS:
        raise ValueError(
            f"Catalogue : le ratio {ratio.code} doit diviser par {', '.join(RATIO_DENOMINATORS)} "
            f"(lu : {ratio.denominateur!r})"
        )
    if ratio.facteur not in (1.0, 100.0):
        raise ValueError(f"Catalogue : le facteur du ratio {ratio.code} doit valoir 1 ou 100")
    if ratio.domaine not in domain_codes:
        raise ValueError(f"Catalogue : domaine inconnu {ratio.domaine!r} pour le ratio {ratio.code}")
    return ratio


@dataclass(frozen=True)
class ExpectedSubmission:
    """One kind of file each pole owes for each of `annees`, due on `echeance(year)`."""

    kind: str
    annees: tuple[int, ...]
    month_day: tuple[int, int]
    same_year: bool

    def echeance(self, year: int) -> date:
        return date(year if self.same_year else year + 1, *self.month_day)


@dataclass(frozen=True)
class ReadLimits:
    """How much of a received file is read (`limites_lecture` in `qualite.yaml`).

    They keep one oversized or crafted file (a workbook whose text expands a thousandfold) from
    exhausting the machine's memory or the pages that show quarantined values.
    """

    csv_bytes: int = 20 * 1024 * 1024
    archive_bytes: int = 50 * 1024 * 1024
    archive_ratio: float = 200.0
    archive_ratio_floor_bytes: int = 5 * 1024 * 1024
    cell_chars: int = 32_767
    quoted_chars: int = 300
    comment_chars: int = 2_000


@dataclass(frozen=True)
class QualityConfig:
    """Thresholds of the data-quality rules and the collection calendar (`qualite.yaml`)."""

    jump_factor: float
    jump_floor: float
    quarter_tolerance: float
    expected: tuple[ExpectedSubmission, ...]
    read_limits: ReadLimits = field(default_factory=ReadLimits)


@cache
def load_quality_config() -> QualityConfig:
    raw = read_reference("qualite.yaml")
    expected = []
    for item in raw["envois_attendus"]:
        month, day = (int(x) for x in str(item["echeance"]).split("-"))
        expected.append(
            ExpectedSubmission(
                kind=item["type"],
                annees=tuple(int(y) for y in item["annees"]),
                month_day=(month, day),
                same_year=item.get("annee_echeance", "suivante") == "meme",
            )
        )
    limits = raw.get("limites_lecture") or {}
    defaults = ReadLimits()

    def megabytes(key: str, default: int) -> int:
        return int(float(limits[key]) * 1024 * 1024) if key in limits else default

    read_limits = ReadLimits(
        csv_bytes=megabytes("csv_mo", defaults.csv_bytes),
        archive_bytes=megabytes("classeur_decompresse_mo", defaults.archive_bytes),
        archive_ratio=float(limits.get("taux_compression_max", defaults.archive_ratio)),
        archive_ratio_floor_bytes=megabytes(
            "taux_compression_a_partir_de_mo", defaults.archive_ratio_floor_bytes
        ),
        cell_chars=int(limits.get("caracteres_cellule", defaults.cell_chars)),
        quoted_chars=int(limits.get("caracteres_valeur_citee", defaults.quoted_chars)),
        comment_chars=int(limits.get("caracteres_commentaire", defaults.comment_chars)),
    )
    return QualityConfig(
        jump_factor=float(raw["facteur_saut_annuel"]),
        jump_floor=float(raw["seuil_saut_annuel"]),
        quarter_tolerance=float(raw["tolerance_trimestres"]),
        expected=tuple(expected),
        read_limits=read_limits,
    )


def read_limits() -> ReadLimits:
    """The reading limits of `qualite.yaml` (one place for every reader and parser)."""
    return load_quality_config().read_limits


@dataclass(frozen=True)
class FormQuestion:
    """A question of the application form (seed 003), as `questions_ami.yaml` states it."""

    code: str
    partie: str
    numero: str
    kind: str  # "texte" or "oui_non"
    libelle: str
    texte: str
    phrases_cles: tuple[str, ...]


@dataclass(frozen=True)
class FormReference:
    """The form's questions in form order, and the template lines that are not answers."""

    questions: tuple[FormQuestion, ...]
    template: tuple[str, ...]


@cache
def load_form_questions() -> FormReference:
    """The application form's questions (`questions_ami.yaml`)."""
    raw = read_reference("questions_ami.yaml")
    questions = tuple(
        FormQuestion(
            code=item["code"],
            partie=str(item["partie"]),
            numero=str(item.get("numero") or ""),
            kind=item["type"],
            libelle=item["libelle"],
            texte=item["texte"],
            phrases_cles=tuple(item.get("phrases_cles") or ()),
        )
        for item in raw["questions"]
    )
    return FormReference(questions=questions, template=tuple(raw.get("gabarit") or ()))


@dataclass(frozen=True)
class KeywordEntry:
    """A tag of the keyword dictionary (`mots_cles.yaml`): a working angle or a tool."""

    code: str
    categorie: str  # "angle" or "outil"
    libelle: str
    mots_cles: tuple[str, ...]
    sigles_majuscules: tuple[str, ...]
    exclusions: tuple[str, ...]


@cache
def load_keywords() -> tuple[KeywordEntry, ...]:
    """The reviewed keyword dictionary, checked: every tag is an angle or a tool."""
    entries = []
    for item in read_reference("mots_cles.yaml")["etiquettes"]:
        if item["categorie"] not in ("angle", "outil"):
            raise ValueError(f"mots_cles.yaml : catégorie inconnue pour {item['code']!r}")
        entries.append(
            KeywordEntry(
                code=item["code"],
                categorie=item["categorie"],
                libelle=item["libelle"],
                mots_cles=tuple(item.get("mots_cles") or ()),
                sigles_majuscules=tuple(item.get("sigles_majuscules") or ()),
                exclusions=tuple(item.get("exclusions") or ()),
            )
        )
    return tuple(entries)


@dataclass(frozen=True)
class PathwayConfig:
    """Settings of the person-level pathways (`reference/parcours.yaml`)."""

    move_gap_days: int  # an entry in another member structure within this many days is an internal move
    gap_relative_tolerance: float  # derived vs declared: a gap is reported beyond both tolerances
    gap_absolute_tolerance: float


@cache
def load_pathway_config() -> PathwayConfig:
    raw = read_reference("parcours.yaml")
    return PathwayConfig(
        move_gap_days=int(raw["ecart_mobilite_interne_jours"]),
        gap_relative_tolerance=float(raw["tolerance_ecart_relatif"]),
        gap_absolute_tolerance=float(raw["tolerance_ecart_absolu"]),
    )


@dataclass(frozen=True)
class VisitType:
    """A kind of community event: its published code, the spellings a file may use, host rule."""

    code: str
    spellings: tuple[str, ...]
    host_required: bool


@dataclass(frozen=True)
class VisitConfig:
    """Settings of the community's events (`reference/visites.yaml`)."""

    visits_per_year: int
    period_start: date
    period_end: date
    types: tuple[VisitType, ...]
    angle_words: dict[str, tuple[str, ...]]  # catalogue domain code -> words naming it
    tools: tuple[str, ...]
    places: dict[str, tuple[float, float]]  # place name -> (latitude, longitude)

    def visit_type(self, text: object) -> str | None:
        """The event kind a cell names (code or a known spelling, accents and case ignored)."""
        key = _singular(normalize_words(text))
        if not key:
            return None
        for kind in self.types:
            if key in {_singular(normalize_words(s)) for s in (kind.code, *kind.spellings)}:
                return kind.code
        return None

    def host_required(self, code: str) -> bool:
        return next(k.host_required for k in self.types if k.code == code)


@cache
def load_visit_config() -> VisitConfig:
    raw = read_reference("visites.yaml")
    return VisitConfig(
        visits_per_year=int(raw["objectif_visites_par_an"]),
        period_start=_as_date(raw["periode"]["debut"]),
        period_end=_as_date(raw["periode"]["fin"]),
        types=tuple(
            VisitType(
                code=item["code"],
                spellings=tuple(item.get("ecritures") or ()),
                host_required=bool(item["hote_obligatoire"]),
            )
            for item in raw["types"]
        ),
        angle_words={code: tuple(words) for code, words in raw["angles"].items()},
        tools=tuple(raw["outils"]),
        places={name: (float(lat), float(lon)) for name, (lat, lon) in raw["lieux"].items()},
    )


def _singular(key: str) -> str:
    # Plurals: « Visites apprenantes », « Séminaires » name the same kind.
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in key.split(" "))


def _as_date(value: object) -> date:
    # YAML reads an unquoted 2015-04-01 as a date already; a quoted one stays text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@dataclass(frozen=True)
class CommunityIndicator:
    """An indicator of the community's own life (catalogue section `vie_de_la_communaute`)."""

    code: str
    libelle: str
    definition: str
    unite: str
    personnes: bool


@cache
def load_community_indicators() -> tuple[CommunityIndicator, ...]:
    """Indicators computed from the events (visits held, poles present...), in catalogue order."""
    raw = read_reference("catalogue_indicateurs.yaml")
    return tuple(
        CommunityIndicator(
            code=item["code"],
            libelle=item["libelle"],
            definition=item["definition"],
            unite=item["unite"],
            personnes=bool(item.get("personnes", False)),
        )
        for item in raw["vie_de_la_communaute"]
    )

"""Fictitious demo pathways (`ptce sample`): person-level rows for `raw/parcours/`.

About 4,400 invented persons over the twelve poles, one row per person and stay in a member structure,
for 2015–2017 (some entered in 2014, some still in their pathway at the end of 2017). Per pole and
year the pathways reproduce the figures the poles DECLARE in the demo indicator files (`DECLARED`, a
copy of `pipelines.indicators.demo.demo_values`): entries, exits by category, internal moves, training
hours and certifications, so a pathway indicator computed from these rows lands next to the declared
one.
Persons accompanied follow from the stock: they match in 2015 and stay close to the declared figure
where the declared flows allow it (the declared demo figures are not a perfect stock-flow account).

`demo_stays()` is the source of truth (a pure function, for tests and checks); `plan_demo_files`
writes it the ways poles write such files (`demo_files.py`). Output is deterministic: fixed seeds,
fixed XLSX timestamps.

Counting rules the rows are built for (the pathway indicators use the same ones): a pathway is a
person's stays in one pole ordered by date; a stay starting in another structure of the pole at most
31 days after the previous one ended is an internal move, not an exit; entries are pathways starting
in the year; exits are pathways ending in the year, withdrawals (`retrait`) excluded; persons
accompanied have a stay overlapping the year; training hours are spread over the stay's days.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pandas as pd

from pipelines.shared.domain import PlannedFile
from ptce.paths import DataLayout
from ptce.reference import Pole, load_poles

YEARS = (2015, 2016, 2017)
LAST_DAY = date(2017, 12, 31)  # the end of the demo: stays still open then are ongoing
_MIN_STAY = 30  # shortest stay the demo invents, in days
_MAX_MOVE_GAP = 21  # the demo's moves leave at most three weeks between stays (well within 31 days)

# Declared code of each counted exit category (the `sorties_autres` of the demo are `autre_sortie`).
_DECLARED_CODE = {
    "emploi_durable": "sorties_emploi_durable",
    "emploi_transition": "sorties_emploi_transition",
    "sortie_positive": "sorties_positives",
    "autre_sortie": "sorties_autres",
}

# Exit reasons as poles type them, per intended category, with their relative frequency.
REASONS: dict[str, tuple[tuple[str, int], ...]] = {
    "emploi_durable": (
        ("CDI", 6),
        ("CDI temps partiel", 3),
        ("CDD de 8 mois", 2),
        ("CDD de 12 mois", 1),
        ("mission d'intérim de 7 mois", 1),
        ("création d'entreprise", 1),
    ),
    "emploi_transition": (
        ("CDD 3 mois", 4),
        ("CDD de 4 mois", 2),
        ("intérim 2 mois", 3),
        ("mission d'intérim de 3 mois", 1),
        ("contrat aidé chez un employeur classique", 2),
    ),
    "sortie_positive": (
        ("formation qualifiante", 3),
        ("entrée en formation pré-qualifiante", 2),
        ("embauche dans une autre SIAE", 2),
    ),
    "autre_sortie": (("demandeur d'emploi", 3), ("sans nouvelles", 2)),
    "retrait": (("déménagement", 4), ("maladie longue durée", 2), ("décès", 1)),
}
# Some poles write the category itself instead of the reason.
CATEGORY_NAMES = {
    "emploi_durable": "Emploi durable",
    "emploi_transition": "Emploi de transition",
    "sortie_positive": "Sortie positive",
    "autre_sortie": "Autre sortie",
    "retrait": "Retrait",
}
CATEGORY_NAME_POLES = frozenset({"tarnais", "re_sources", "alpen"})
# The reason written on the first stay of an internal move (the category its text would have).
_MOVE_REASON = {"siae": "embauche dans une autre SIAE", "formation": "entrée en formation pré-qualifiante"}
_MOVE_CATEGORY = "sortie_positive"

# Reasons nobody can classify without asking the pole: the exit mapping must send them to review.
# One row each, on the pole, year and intended category given (kept few: the derived indicators stay
# next to the declared ones).
_REVIEW_PLAN = (
    ("sud_aquitain", 2015, "parti au Canada", "retrait"),
    ("phares", 2016, "CDD", "emploi_transition"),
    ("bourian", 2016, "mission d'intérim", "emploi_transition"),
    ("figeacteurs", 2017, "sortie dynamique", "emploi_durable"),
    ("bousol", 2017, "voir avec la conseillère", "autre_sortie"),
    ("dombinnov", 2015, "à compléter", "autre_sortie"),
)
REASONS_TO_REVIEW: tuple[str, ...] = tuple(text for _, _, text, _ in _REVIEW_PLAN)

# Age bands at the date of entry in a stay, as the observatory publishes them.
AGE_BANDS = ("moins de 26 ans", "26–44 ans", "45–54 ans", "55 ans et plus")

# Member structures (fictitious names): (name, kind), the first ones the largest.
STRUCTURES: dict[str, tuple[tuple[str, str], ...]] = {
    "sud_aquitain": (
        ("ACI Les Jardins de l'Adour", "siae"),
        ("EI Bois et Ports", "siae"),
        ("ETTI Intérim Littoral", "siae"),
        ("AI Services Solidaires Tarnosiens", "siae"),
        ("GEIQ Industrie Adour", "siae"),
    ),
    "laine_saugues": (
        ("ACI Les Toisons de la Margeride", "siae"),
        ("EI Filature du Plateau", "siae"),
        ("AI Coup de Main Saugain", "siae"),
    ),
    "phares": (
        ("ACI La Recyclerie du Canal", "siae"),
        ("EI Cuisines de l'Île", "siae"),
        ("ETTI Seine Intérim Solidaire", "siae"),
        ("CAE Coop'Actives 93", "cae"),
        ("Organisme de formation Les Savoirs du Fleuve", "formation"),
        ("AI Main Forte", "siae"),
    ),
    "tarnais": (
        ("ACI Les Ateliers du Sidobre", "siae"),
        ("EI Textiles du Thoré", "siae"),
        ("ETTI Tarn Emploi Solidaire", "siae"),
        ("GEIQ BTP Montagne Noire", "siae"),
    ),
    "bourian": (
        ("ACI Les Jardins du Causse", "siae"),
        ("EI Tri Quercy Bouriane", "siae"),
        ("AI Entraide Gourdonnaise", "siae"),
    ),
    "figeacteurs": (
        ("ACI Les Chemins du Célé", "siae"),
        ("EI Méca Solidaire", "siae"),
        ("ETTI Figeac Intérim Insertion", "siae"),
        ("CAE Ségala Entreprendre", "cae"),
    ),
    "bousol": (
        ("ACI Le Fournil Partagé", "siae"),
        ("EI Pains du Quartier", "siae"),
        ("Organisme de formation Boulange Avenir", "formation"),
    ),
    "eco_materiaux": (
        ("ACI Chantiers de la Durance", "siae"),
        ("EI Chanvre et Paille des Écrins", "siae"),
        ("GEIQ Éco-construction Alpes du Sud", "siae"),
        ("Organisme de formation Bâtir Durable 05", "formation"),
    ),
    "re_sources": (
        ("ACI Le Potager des Sources", "siae"),
        ("EI Ressourcerie Pays Haut", "siae"),
        ("AI Trait d'Union", "siae"),
    ),
    "dombinnov": (
        ("ACI Les Étangs Solidaires", "siae"),
        ("EI Dombes Services Verts", "siae"),
        ("ETTI Plaine Intérim", "siae"),
        ("AI Bresse Dombes Emploi", "siae"),
        ("CAE Cap Projets Ain", "cae"),
    ),
    "esci": (
        ("ACI Les Vergers du Grésivaudan", "siae"),
        ("EI Repro Services Voironnais", "siae"),
        ("CAE Coopérer pour Entreprendre 38", "cae"),
    ),
    "alpen": (
        ("ACI Les Cimes Vertes", "siae"),
        ("EI Alpes Propreté Solidaire", "siae"),
        ("ETTI Vercors Intérim", "siae"),
        ("GEIQ Propreté Dauphiné", "siae"),
    ),
}

_FIRST_NAMES_F = (
    "Amina", "Camille", "Chantal", "Claire", "Fatou", "Inès", "Julie", "Karima", "Laura", "Léa",
    "Linda", "Lucie", "Manon", "Marie", "Martine", "Nadia", "Nathalie", "Océane", "Samira", "Sandrine",
    "Sarah", "Sophie", "Sylvie", "Valérie", "Yasmina",
)  # fmt: skip
_FIRST_NAMES_H = (
    "Ahmed", "Alain", "Alexandre", "Bruno", "Cédric", "David", "Didier", "Enzo", "Franck", "Hugo",
    "Jérôme", "Julien", "Karim", "Kevin", "Laurent", "Lucas", "Mamadou", "Mehdi", "Nicolas", "Olivier",
    "Patrick", "Romain", "Sébastien", "Thomas", "Yannick",
)  # fmt: skip
_SURNAMES = (
    "Arnaud", "Barbier", "Benali", "Bertrand", "Blanc", "Bonnet", "Boyer", "Brun", "Camara", "Chevalier",
    "Clément", "Colin", "Diallo", "Dubois", "Dumas", "Dupont", "Durand", "Fabre", "Faure", "Fontaine",
    "Fournier", "Garcia", "Gauthier", "Girard", "Guérin", "Henry", "Lacroix", "Lambert", "Lefèvre",
    "Legrand", "Lemoine", "Marchand", "Martin", "Masson", "Mercier", "Meunier", "Morel", "Moulin",
    "Nicolas", "Perrin", "Petit", "Picard", "Renaud", "Roche", "Rousseau", "Roux", "Simon", "Traoré",
    "Vidal", "Vincent",
)  # fmt: skip
_COMMENTS = (
    "orienté(e) par la mission locale",
    "suivi renforcé",
    "permis B obtenu pendant le parcours",
    "pas de véhicule : horaires aménagés",
    "reprise après un arrêt de travail",
    "accompagnement santé en cours",
    "cherche un mode de garde",
    "orienté(e) par le référent RSA",
)


@dataclass
class _Pathway:
    """A person's pathway in one pole while it is being invented."""

    entree: date
    sortie: date | None = None
    categorie: str | None = None
    move: tuple[date, date] | None = None  # (end of the first stay, start of the next one)


# What the poles declare in the demo indicator files (`pipelines.indicators.demo.demo_values`, quarters
# summed per year), copied here because a domain never imports another one; a test checks the copy.
# Per pole and year: persons accompanied, entries, exits to durable employment, to transitional
# employment, positive exits, other exits, training hours, certifications, internal moves.
DECLARED_CODES = (
    "personnes_accompagnees",
    "entrees_parcours",
    "sorties_emploi_durable",
    "sorties_emploi_transition",
    "sorties_positives",
    "sorties_autres",
    "heures_formation",
    "certifications",
    "mobilites_internes",
)
DECLARED: dict[tuple[str, int], tuple[float, ...]] = {
    ("sud_aquitain", 2015): (251, 102, 23, 21, 11, 32, 6998.1, 15, 8),
    ("sud_aquitain", 2016): (256, 105, 26, 22, 12, 36, 6619.7, 15, 9),
    ("sud_aquitain", 2017): (277, 118, 29, 24, 13, 36, 7119.8, 16, 9),
    ("laine_saugues", 2015): (205, 70, 14, 11, 9, 27, 6484.5, 13, 16),
    ("laine_saugues", 2016): (231, 83, 17, 14, 12, 35, 6696.0, 18, 18),
    ("laine_saugues", 2017): (248, 84, 18, 13, 13, 33, 7768.1, 18, 19),
    ("phares", 2015): (262, 117, 37, 29, 17, 35, 18080.4, 6, 7),
    ("phares", 2016): (295, 147, 46, 35, 19, 36, 20082.8, 7, 7),
    ("phares", 2017): (301, 146, 44, 35, 19, 41, 22745.4, 7, 7),
    ("tarnais", 2015): (155, 79, 17, 10, 12, 22, 4292.1, 6, 12),
    ("tarnais", 2016): (173, 78, 20, 11, 12, 25, 5009.5, 7, 14),
    ("tarnais", 2017): (184, 88, 22, 12, 14, 29, 5438.3, 7, 14),
    ("bourian", 2015): (169, 94, 13, 16, 8, 34, 8095.4, 17, 6),
    ("bourian", 2016): (181, 105, 14, 17, 9, 36, 8700.8, 17, 7),
    ("bourian", 2017): (190, 113, 16, 20, 10, 39, 8558.8, 21, 7),
    ("figeacteurs", 2015): (157, 74, 12, 15, 7, 36, 6858.9, 14, 10),
    ("figeacteurs", 2016): (166, 88, 13, 17, 7, 33, 7319.7, 15, 10),
    ("figeacteurs", 2017): (178, 94, 15, 19, 8, 38, 7657.3, 17, 10),
    ("bousol", 2015): (92, 46, 7, 10, 5, 20, 2009.3, 12, 6),
    ("bousol", 2016): (102, 52, 8, 9, 4, 20, 2261.5, 11, 7),
    ("bousol", 2017): (109, 58, 8, 10, 4, 22, 2316.5, 12, 8),
    ("eco_materiaux", 2015): (162, 62, 18, 17, 8, 22, 5648.3, 14, 10),
    ("eco_materiaux", 2016): (177, 70, 18, 18, 7, 27, 5806.8, 17, 10),
    ("eco_materiaux", 2017): (181, 67, 18, 18, 7, 23, 5672.6, 16, 11),
    ("re_sources", 2015): (127, 51, 22, 16, 10, 18, 4173.9, 16, 9),
    ("re_sources", 2016): (141, 50, 23, 16, 10, 21, 4387.4, 16, 11),
    ("re_sources", 2017): (150, 58, 26, 18, 11, 20, 4777.3, 18, 11),
    ("dombinnov", 2015): (271, 152, 38, 28, 23, 35, 10224.7, 35, 10),
    ("dombinnov", 2016): (282, 161, 36, 25, 21, 34, 10802.4, 31, 10),
    ("dombinnov", 2017): (305, 164, 37, 31, 27, 42, 11284.5, 36, 12),
    ("esci", 2015): (98, 41, 11, 10, 6, 17, 5151.2, 10, 3),
    ("esci", 2016): (104, 41, 12, 10, 8, 21, 5804.9, 11, 3),
    ("esci", 2017): (109, 44, 13, 11, 8, 20, 6180.0, 11, 4),
    ("alpen", 2015): (182, 107, 25, 19, 7, 41, 14482.7, 6, 4),
    ("alpen", 2016): (190, 113, 27, 19, 8, 41, 14884.2, 6, 4),
    ("alpen", 2017): (205, 121, 28, 21, 8, 39, 15583.6, 6, 5),
}


def declared_by_year() -> dict[tuple[str, int], dict[str, float]]:
    """The declared figures per pole and year by code, with `sorties` (the sum of its categories)."""
    out = {}
    for key, values in DECLARED.items():
        figures = dict(zip(DECLARED_CODES, values, strict=True))
        figures["sorties"] = sum(figures[code] for code in _DECLARED_CODE.values())
        out[key] = figures
    return out


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _weighted_sample(rng: random.Random, items: list[_Pathway], weights: list[float], n: int) -> list:
    """`n` items without replacement, each kept with a chance that grows with its weight."""
    keyed = sorted(
        ((rng.random() ** (1.0 / w) if w > 0 else 0.0, i) for i, w in enumerate(weights)), reverse=True
    )
    return [items[i] for _, i in keyed[:n]]


def _pick(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_band(age: int) -> str:
    """The band of an age (files that give no birth date write it)."""
    return (
        AGE_BANDS[0] if age < 26 else AGE_BANDS[1] if age < 45 else AGE_BANDS[2] if age < 55 else AGE_BANDS[3]
    )


def _days_in(first: date, last: date, year: int) -> int:
    lo, hi = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
    return max(0, (hi - lo).days + 1)


def _pathways(pole: Pole, declared: dict[int, dict[str, float]], rng: random.Random) -> list[_Pathway]:
    """Entries, exits and moves of one pole, year by year, to the declared counts."""
    acc0 = round(declared[2015]["personnes_accompagnees"] - declared[2015]["entrees_parcours"])
    pathways = [_Pathway(_day(rng, date(2014, 1, 2), date(2014, 12, 31))) for _ in range(acc0)]
    for k, year in enumerate(YEARS):
        d = declared[year]
        pathways += [
            _Pathway(_day(rng, date(year, 1, 2), date(year, 12, 20)))
            for _ in range(round(d["entrees_parcours"]))
        ]
        # Withdrawals close the gap between this year's and next year's persons accompanied (a
        # withdrawal leaves the stock without counting as an exit); the last year, about 4 % of exits.
        exits = round(d["sorties"])
        if k + 1 < len(YEARS):
            nxt = declared[YEARS[k + 1]]
            gap = (
                d["personnes_accompagnees"] - exits + nxt["entrees_parcours"] - nxt["personnes_accompagnees"]
            )
            withdrawals = max(0, round(gap))
        else:
            withdrawals = round(0.04 * exits)
        end = date(year, 12, 31)
        eligible = [p for p in pathways if p.sortie is None and (end - p.entree).days >= _MIN_STAY]
        # Older pathways end first: IAE contracts last months, rarely more than two years.
        leaving = _weighted_sample(
            rng, eligible, [float((end - p.entree).days) ** 2 for p in eligible], exits + withdrawals
        )
        categories = [c for c, code in _DECLARED_CODE.items() for _ in range(round(d[code]))]
        categories += ["retrait"] * withdrawals
        rng.shuffle(categories)
        for p, category in zip(leaving, categories, strict=True):
            p.sortie = _day(rng, max(date(year, 1, 1), p.entree + timedelta(days=_MIN_STAY)), end)
            p.categorie = category
    for year in YEARS:
        # Internal moves: the first stay ends and the next one starts within three weeks, same year.
        candidates = []
        for p in pathways:
            lo = max(date(year, 1, 1), p.entree + timedelta(days=_MIN_STAY))
            hi = min(
                date(year, 12, 31), (p.sortie or LAST_DAY + timedelta(days=366)) - timedelta(days=_MIN_STAY)
            )
            if p.move is None and (hi - lo).days > _MAX_MOVE_GAP + 7:
                candidates.append((p, lo, hi))
        for p, lo, hi in rng.sample(candidates, round(declared[year]["mobilites_internes"])):
            gap = rng.randint(1, _MAX_MOVE_GAP)
            first_end = _day(rng, lo, hi - timedelta(days=gap))
            p.move = (first_end, first_end + timedelta(days=gap))
    return pathways


def _structures(pole_id: str, p: _Pathway, rng: random.Random) -> tuple[str, ...]:
    names = [name for name, _ in STRUCTURES[pole_id]]
    weights = [len(names) - i for i in range(len(names))]  # the first structures are the largest
    first = rng.choices(names, weights=weights)[0]
    if p.move is None:
        return (first,)
    # A move goes to another insertion structure or to a training body (a CAE is a later step).
    kinds = dict(STRUCTURES[pole_id])
    return (first, rng.choice([n for n in names if n != first and kinds[n] != "cae"]))


def _person(rng: random.Random, entree: date) -> dict[str, object]:
    """Sex, birth date and public flags of one invented person (shares of IAE publics)."""
    sexe = "F" if rng.random() < 0.45 else "H"
    band = rng.choices((0, 1, 2, 3), weights=(25, 45, 18, 12))[0]
    age = rng.randint(*((18, 25), (26, 44), (45, 54), (55, 64))[band])
    birth = entree - timedelta(days=round(age * 365.25) + rng.randint(1, 360))
    first_names = _FIRST_NAMES_F if sexe == "F" else _FIRST_NAMES_H
    return {
        "sexe": sexe,
        "date_naissance": birth,
        "deld": rng.random() < 0.40,
        "rsa": rng.random() < 0.30,
        "qpv": rng.random() < 0.25,
        "rqth": rng.random() < 0.12,
        "nom": rng.choice(_SURNAMES),
        "prenom": rng.choice(first_names),
        "commentaire": rng.choice(_COMMENTS) if rng.random() < 0.08 else "",
    }


def _fit_hours(
    stays: list[dict[str, object]], declared: dict[int, dict[str, float]], rng: random.Random
) -> None:
    """Training hours per stay whose spread over the stay's days adds up to the declared yearly hours."""
    import numpy as np

    total = np.array([((s["date_sortie"] or LAST_DAY) - s["date_entree"]).days + 1 for s in stays], float)
    days = np.array(
        [[_days_in(s["date_entree"], s["date_sortie"] or LAST_DAY, y) for y in YEARS] for s in stays], float
    )
    target = np.array([declared[y]["heures_formation"] for y in YEARS])
    share = days / np.maximum(days.sum(axis=1, keepdims=True), 1.0)
    # Hours per day of stay: none for about one stay in eight, otherwise a skewed spread.
    rate = np.array([0.0 if rng.random() < 0.12 else rng.lognormvariate(0, 0.6) for _ in stays])
    for _ in range(30):  # proportional fitting on the three years the stays overlap
        ratio = target / np.maximum(rate @ days, 1e-9)
        rate *= np.exp(share @ np.log(ratio))
    for s, hours in zip(stays, rate * total, strict=True):
        s["heures_formation"] = round(float(hours) * 2) / 2  # poles count half hours


def _identifier(pole_id: str, seq: int, entree: date, nom: str, by_prefix: dict[str, int]) -> str:
    """The person identifier as the pole's own tool writes it."""
    if pole_id in {"sud_aquitain", "eco_materiaux", "re_sources"}:
        return f"P-{seq:04d}"
    if pole_id in {"laine_saugues", "figeacteurs", "dombinnov"}:
        by_prefix[str(entree.year)] = by_prefix.get(str(entree.year), 0) + 1
        return f"{entree.year}-{by_prefix[str(entree.year)]:04d}"
    if pole_id in {"phares", "bousol"}:  # first letters of the surname and a number
        prefix = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode()[:3].upper()
        by_prefix[prefix] = by_prefix.get(prefix, 0) + 1
        return f"{prefix}{by_prefix[prefix]}"
    if pole_id == "tarnais":
        return f"{seq:05d}"  # leading zeros: a text cell, not a number
    if pole_id == "bourian":
        return f"B{entree.year % 100:02d}-{seq:03d}"
    return f"{pole_id[:3].upper()}-{seq:04d}"


def _pole_stays(pole: Pole, declared: dict[int, dict[str, float]]) -> list[dict[str, object]]:
    rng = random.Random(f"ptce-demo-parcours-{pole.pole_id}")
    pathways = _pathways(pole, declared, rng)
    pathways.sort(key=lambda p: p.entree)
    stays: list[dict[str, object]] = []
    by_prefix: dict[str, int] = {}
    kinds = dict(STRUCTURES[pole.pole_id])
    category_names = pole.pole_id in CATEGORY_NAME_POLES
    for seq, p in enumerate(pathways, start=1):
        person = _person(rng, p.entree)
        person_id = _identifier(pole.pole_id, seq, p.entree, str(person["nom"]), by_prefix)
        structures = _structures(pole.pole_id, p, rng)
        bounds = [(p.entree, p.sortie)] if p.move is None else [(p.entree, p.move[0]), (p.move[1], p.sortie)]
        for i, (first, last) in enumerate(bounds):
            final = i == len(bounds) - 1
            if final:
                category = p.categorie
                reason = None if category is None else _pick(rng, REASONS[category])
            else:
                category = _MOVE_CATEGORY
                reason = _MOVE_REASON["formation" if kinds[structures[i + 1]] == "formation" else "siae"]
            if category_names and reason is not None:
                reason = CATEGORY_NAMES[category]
            stays.append(
                {
                    "person_id": person_id,
                    "pole_id": pole.pole_id,
                    "structure": structures[i],
                    "date_entree": first,
                    "date_sortie": last,
                    "motif_sortie": reason,
                    "categorie_prevue": category,
                    "a_revoir": False,
                    "fin_parcours": final and last is not None,
                    "mobilite_interne": i > 0,
                    **person,
                    "tranche_age": age_band(_age(person["date_naissance"], first)),
                    "certification": False,
                }
            )
    _fit_hours(stays, declared, rng)
    for year in YEARS:  # certifications on pathways ending in the year, mostly after qualifying work
        ending = [
            s
            for s in stays
            if s["fin_parcours"] and s["date_sortie"].year == year and s["categorie_prevue"] != "retrait"
        ]
        weights = {
            "sortie_positive": 3.0,
            "emploi_durable": 2.0,
            "emploi_transition": 1.0,
            "autre_sortie": 0.5,
        }
        chosen = _weighted_sample(
            rng,
            ending,
            [weights[s["categorie_prevue"]] for s in ending],
            round(declared[year]["certifications"]),
        )
        for s in chosen:
            s["certification"] = True
    for pole_id, year, text, category in _REVIEW_PLAN:
        if pole_id != pole.pole_id:
            continue
        target = next(
            s
            for s in stays
            if s["fin_parcours"]
            and s["date_sortie"].year == year
            and s["categorie_prevue"] == category
            and not s["certification"]
        )
        target["motif_sortie"] = text
        target["a_revoir"] = True
    return stays


@cache
def _all_stays() -> pd.DataFrame:
    declared = declared_by_year()
    rows: list[dict[str, object]] = []
    for pole in load_poles():
        rows += _pole_stays(pole, {y: declared[(pole.pole_id, y)] for y in YEARS})
    frame = pd.DataFrame(rows)
    for column in ("date_entree", "date_sortie", "date_naissance"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def demo_stays() -> pd.DataFrame:
    """Every demo stay, as the files state it at the end of 2017 (a copy: callers may change it).

    Columns: `person_id` (as the pole writes it, unique within its pole), `pole_id`, `structure`,
    `date_entree`, `date_sortie` (NaT while ongoing), `motif_sortie` (the text written, None while
    ongoing), `categorie_prevue` (the category the reason means; `sortie_positive` on the first stay
    of an internal move), `a_revoir` (a reason of `REASONS_TO_REVIEW`), `fin_parcours` (the stay ends
    the pathway), `mobilite_interne` (the stay starts an internal move), `sexe`, `date_naissance`,
    `tranche_age`, `deld`, `rsa`, `qpv`, `rqth`, `heures_formation`, `certification`, and the
    identifying columns some files carry, `nom`, `prenom`, plus the free `commentaire`.
    """
    return _all_stays().copy()


def plan_demo_files(staging: Path, layout: DataLayout) -> list[PlannedFile]:
    """Write the demo pathway files in `staging`, each planned for `raw/parcours/` with its sending date."""
    from pipelines.pathways.demo_files import write_demo_files

    folder = staging / "parcours"
    folder.mkdir(parents=True, exist_ok=True)
    return [
        (tmp, layout.raw_folder("parcours") / tmp.name, sent)
        for tmp, sent in write_demo_files(folder, demo_stays())
    ]

"""Reading the cells of an event or practice row: lists of poles, themes and their working angles,
participants, documents, tools, places.

Each reader returns the value or raises `ValueProblem` with a French reason that quotes the cell.
Dates are read by `pipelines.shared.dates` (shared with the pathways).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache, lru_cache

from pipelines.shared.values import ValueProblem, cell_text, formula_reason, is_missing, parse_number
from ptce.reference import PoleSet, load_catalog, load_visit_config, shipped_poles
from ptce.text import normalize_key, normalize_words

# Hard separators of a list cell: « ; », a line break, « / » between spaces, a bullet.
_HARD = re.compile(r"\s*(?:;|\n|\r|\s/\s|•|\u2022)\s*")
# Soft separators: a comma, « et », « & ». A pole's own name may hold them (« PTCE Bourian : Filière
# agro - forestière et éco-construction »), so they split only where the pieces are poles.
_SOFT = re.compile(r"(\s*,\s*|\s+et\s+|\s*&\s*)")
# « tous les pôles », « les 12 pôles », « toute la communauté »: every pole of the reference.
_ALL_POLES = {"tous", "touslespoles", "lespoles", "tous les poles", "toutelacommunaute", "tousles12poles"}
_URL = re.compile(r"(https?://\S+|www\.\S+)", re.I)
_FILE_NAME = re.compile(
    r"([^\s:()\[\]«»]+\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|odp|txt|csv|zip|jpe?g|png|mp4))\b", re.I
)
MAX_PARTICIPANTS = 10_000  # more people than any community event could gather: a typing error
# Words that may follow a head count (« 24 participants »).
_COUNT_WORDS = re.compile(r"\s*(participants?|personnes?|pers\.?|inscrits?|presents?|présents?)\s*$", re.I)


def split_hard(value: object) -> list[str]:
    """A list cell cut at its hard separators (« ; », line breaks), empty pieces dropped."""
    if is_missing(value):
        return []
    return [p.strip() for p in _HARD.split(cell_text(value)) if p and p.strip()]


def split_items(value: object) -> list[str]:
    """A list cell cut at hard then soft separators (themes: « GEIQ, parcours et formation »)."""
    items = []
    for piece in split_hard(value):
        items.extend(p.strip() for p in _SOFT.split(piece)[::2] if p.strip())
    return items


def match_pole(text: str, poles: PoleSet | None = None) -> str | None:
    """The pole a short text names (id, number, name, usual name), else None.

    `poles`: the run's poles in force (the shipped twelve by default), as for every helper below.
    """
    matcher = (poles or shipped_poles()).matcher
    return matcher.match(text) or matcher.find(text)


@lru_cache(maxsize=8)
def _pole_names(poles: PoleSet) -> dict[str, str]:
    """Matching key -> a name to suggest, for every name and usual name of the reference."""
    names: dict[str, str] = {}
    for pole in poles:
        for name in (pole.nom, pole.nom_court, *pole.noms_usuels):
            names.setdefault(normalize_key(name), name)
    return names


def suggest_pole(text: str, poles: PoleSet | None = None) -> str | None:
    """The pole name closest to a mistyped one (« Domb'Inov » -> « Domb'Innov »), if close enough."""
    names = _pole_names(poles or shipped_poles())
    close = difflib.get_close_matches(normalize_key(text), list(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None


def unknown_pole_reason(text: str, what: str, poles: PoleSet | None = None) -> str:
    """French reason for a pole name the reference does not know, with a suggestion when close."""
    poles = poles or shipped_poles()
    hint = suggest_pole(text, poles)
    suggestion = f" (vouliez-vous dire « {hint} » ?)" if hint else ""
    return (
        f"{what} « {text} » inconnu{suggestion} : indiquer le numéro ({poles.numbers}) ou le nom "
        "d'un pôle de la communauté"
    )


def parse_poles(value: object, poles: PoleSet | None = None) -> tuple[list[str], list[str]]:
    """(pole ids in order, texts naming no pole) of a list cell of poles.

    Pieces are cut at hard separators; within a piece, commas and « et » separate poles only where
    the words around them name poles (the longest run of words naming one pole wins).
    """
    if formula_reason(value):
        raise ValueProblem(formula_reason(value) or "")
    poles = poles or shipped_poles()
    matcher = poles.matcher
    found: list[str] = []
    unknown: list[str] = []
    for piece in split_hard(value):
        if normalize_key(piece) in _ALL_POLES or normalize_words(piece) in _ALL_POLES:
            found.extend(p.pole_id for p in poles)
            continue
        pole = matcher.match(piece)
        if pole is not None:
            found.append(pole)
            continue
        tokens = _SOFT.split(piece)  # words, separator, words, separator, ...
        words = tokens[::2]
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                text = "".join(tokens[2 * i : 2 * j - 1]).strip()
                pole = matcher.match(text)
                if pole is not None:
                    found.append(pole)
                    i = j
                    break
            else:
                text = words[i].strip()
                pole = matcher.find(text) if text else None
                if pole is not None:
                    found.append(pole)
                elif text:
                    unknown.append(text)
                i += 1
    return list(dict.fromkeys(found)), unknown


def parse_participants(value: object) -> int | None:
    """A head count: a whole number from 0 (« 24 », « 24 participants »); empty -> None."""
    if is_missing(value):
        return None
    formula = formula_reason(value)
    if formula:
        raise ValueProblem(formula)
    text = value if isinstance(value, int | float) else _COUNT_WORDS.sub("", cell_text(value))
    try:
        number = parse_number(text)
    except ValueProblem:
        raise ValueProblem(
            f"nombre de participants « {cell_text(value)} » illisible : écrire un nombre entier (les "
            "participants sont comptés, jamais nommés)"
        ) from None
    if number < 0 or not float(number).is_integer():
        raise ValueProblem(
            f"nombre de participants « {cell_text(value)} » impossible : écrire un nombre entier positif "
            "ou nul"
        )
    if number > MAX_PARTICIPANTS:
        raise ValueProblem(
            f"nombre de participants « {cell_text(value)} » invraisemblable (plus de "
            f"{MAX_PARTICIPANTS}) : vérifier la saisie"
        )
    return int(number)


def parse_documents(value: object) -> list[tuple[str, str | None]]:
    """(title, link or file name) of each document of a cell, one per « ; » or line.

    « Compte rendu (cr_visite.pdf) », « Synthèse : https://… », or a bare file name or link (its
    own title). A link is kept as text, never followed.
    """
    documents = []
    for item in split_hard(value):
        found = _URL.search(item) or _FILE_NAME.search(item)
        if found is None:
            documents.append((item, None))
            continue
        link = found.group(1).rstrip(").,")
        title = (item[: found.start()] + item[found.end() :]).strip(" :-–()[]\t")
        documents.append((title or link, link))
    return documents


@cache
def _angle_phrases() -> list[tuple[str, str]]:
    """(normalised phrase, angle), longest first: « qualité de l'emploi » before « emploi »."""
    phrases = [
        (normalize_words(word), angle)
        for angle, words in load_visit_config().angle_words.items()
        for word in (*words, *_angle_labels().get(angle, ()))
    ]
    return sorted(set(phrases), key=lambda p: (-len(p[0]), p[0]))


@cache
def _angle_labels() -> dict[str, tuple[str, ...]]:
    """The catalogue's own code and label of each domain also name it (« Création d'activités »)."""
    return {d.code: (d.code, d.libelle) for d in load_catalog().domains}


def angles_of(texts: Iterable[str]) -> list[str]:
    """Working angles (catalogue domain codes, catalogue order) the texts name through angle words.

    Longer phrases are matched first and taken out, so « qualité de l'emploi » is quality only and
    « emploi partagé » pooling only, not also « emploi ».
    """
    found: set[str] = set()
    for text in texts:
        words = f" {normalize_words(text)} "
        for phrase, angle in _angle_phrases():
            needle = f" {phrase} "
            if phrase and needle in words:
                found.add(angle)
                words = words.replace(needle, " | ")
    order = [d.code for d in load_catalog().domains]
    return [a for a in order if a in found]


def parse_angle(value: object) -> str | None:
    """The one working angle a practice's « Angle » cell names; empty -> None."""
    if is_missing(value):
        return None
    formula = formula_reason(value)
    if formula:
        raise ValueProblem(formula)
    angles = angles_of([cell_text(value)])
    if len(angles) == 1:
        return angles[0]
    labels = " », « ".join(d.libelle for d in load_catalog().domains)
    what = "plusieurs angles" if angles else "aucun angle de travail reconnu"
    raise ValueProblem(f"angle « {cell_text(value)} » : {what} ; écrire l'un des cinq angles : « {labels} »")


def tool_name(value: object) -> str | None:
    """A tool under its reference spelling (« geiq » -> « GEIQ »), else as typed; empty -> None."""
    if is_missing(value):
        return None
    text = " ".join(cell_text(value).split())
    for tool in load_visit_config().tools:
        if normalize_key(tool) == normalize_key(text):
            return tool
    return text


def place_coordinates(place: str | None) -> tuple[float, float] | None:
    """Coordinates of a known place of `visites.yaml` a `lieu` names (« Lyon », « Paris 11e »)."""
    if not place:
        return None
    places = load_visit_config().places
    key = normalize_key(place)
    for name, coords in places.items():
        if normalize_key(name) == key:
            return coords
    words = f" {normalize_words(place)} "
    for name, coords in places.items():
        if f" {normalize_words(name)} " in words:
            return coords
    return None

"""Structured fields and theme tags drawn from the poles' answers to the AMI form (issue #4).

The answers (`ApplicationResult.answers`, one free text per question code of `questions_ami.yaml`)
are French prose. This module reads a few facts out of them with explicit patterns, never guessing:
a fact is extracted only when a sentence states it, and every extracted value keeps the sentence it
came from (`passage`) and the exact words that gave it (`extrait`), so that a reader can check it.

- `extract_fields` gives `operationnel`, `annee_debut`, `nb_parties_prenantes`, `nb_salaries`,
  `nb_benevoles`, `statut_juridique`, `part_financement_collectivites` and `periode_visite`;
- `tag_answers` tags each answer with the five working angles and the tools of seed 000, from the
  reviewed keyword dictionary `ptce/reference/mots_cles.yaml`;
- `structured_columns` turns the fields into the typed columns of the `applications` table.

Matching works on a length-preserving folded copy of each sentence (lower case, no accents, typographic
apostrophes and spaces made plain) so that spans found in the copy are spans of the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from ptce.reference import load_keywords
from ptce.text import normalize_words

# The AMI was launched in February 2015: "depuis 4 ans" in an answer means since 2011.
CALL_YEAR = 2015
MIN_YEAR, MAX_YEAR = 1990, 2026

# Question order in which each fact is looked for: the question that asks for it first, then the
# rest of part I (part II speaks of projects and tools, whose dates and head counts are not the pole's).
_PART_I = (
    "i1_operationnel",
    "i2_objectifs",
    "i3_parties_prenantes",
    "i4_secteurs_statut",
    "i5_gouvernance",
    "i6_resultats",
)
_ORDER = {
    "annee_debut": (
        "i1_operationnel",
        "i4_secteurs_statut",
        "i3_parties_prenantes",
        "i2_objectifs",
        "i5_gouvernance",
        "i6_resultats",
    ),
    "nb_parties_prenantes": (
        "i3_parties_prenantes",
        "i1_operationnel",
        "i2_objectifs",
        "i4_secteurs_statut",
        "i5_gouvernance",
    ),
    "nb_salaries": (
        "i4_secteurs_statut",
        "i1_operationnel",
        "i3_parties_prenantes",
        "i2_objectifs",
        "i5_gouvernance",
    ),
    "statut_juridique": (
        "i4_secteurs_statut",
        "i1_operationnel",
        "i3_parties_prenantes",
        "i5_gouvernance",
        "i2_objectifs",
        "i6_resultats",
    ),
}

COLUMNS: dict[str, type] = {
    "operationnel": bool,
    "annee_debut": int,
    "nb_parties_prenantes": int,
    "nb_salaries": int,
    "nb_benevoles": int,
    "statut_juridique": str,
    "part_financement_collectivites": float,
    "periode_visite": str,
}


@dataclass(frozen=True)
class ExtractedField:
    """One fact read from an answer, with the sentence that states it."""

    champ: str
    valeur: str
    code_question: str
    passage: str
    # The words of `passage` the value was read from (e.g. "40 %" for "0.4"): lets tests and
    # reviewers check the value against the text.
    extrait: str = ""


@dataclass(frozen=True)
class Tag:
    """A working angle or tool found in one answer, with the first sentence that triggered it."""

    tag: str
    categorie: str
    libelle: str
    mot_cle: str
    code_question: str
    phrase: str


# --------------------------------------------------------------------------- text helpers


def _fold_char(ch: str) -> str:
    if ch in "’‘ʼ´`":
        return "'"
    if ch in "\u00a0\u202f\u2009\t":
        return " "
    if ch in "–—‑‐":
        return "-"
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    # Keep length: ligatures ("œ" -> "oe") would shift every span after them.
    return base if len(base) == 1 else ch


# Characters met so far and the `str.translate` table of those that fold to another one: folding
# char by char in Python was a tenth of a demo run (about a million calls over the forms' texts).
_FOLD_SEEN: set[str] = set()
_FOLD_TABLE: dict[int, str] = {}


def fold(text: str, lower: bool = True) -> str:
    """Accent-free copy of `text`, same length, so spans in it are spans of `text`."""
    for ch in set(text) - _FOLD_SEEN:
        folded_ch = _fold_char(ch)
        if folded_ch != ch:
            _FOLD_TABLE[ord(ch)] = folded_ch
        _FOLD_SEEN.add(ch)
    folded = text.translate(_FOLD_TABLE)
    return folded.lower() if lower else folded


# Abbreviations whose final dot never ends a sentence.
_ABBREVIATIONS = frozenset(
    (
        "m",
        "mm",
        "mme",
        "mmes",
        "mlle",
        "dr",
        "pr",
        "cf",
        "ex",
        "p",
        "pp",
        "n",
        "no",
        "art",
        "st",
        "ste",
        "av",
        "bd",
        "env",
        "tel",
        "vol",
        "chap",
        "fig",
    )
)
_BOUNDARY = re.compile(r"[.!?…]+(?=\s|$)|[;\n\r]+")


def split_sentences(text: str | None) -> list[str]:
    """French sentences of `text`: split on ". ", "? ", "! ", ";" and line breaks.

    A dot does not split after a known abbreviation ("M.", "cf."), a single capital (an initial) or
    when the next word starts in lower case ("etc. et ..."), since those are not sentence ends.
    """
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        mark = match.group(0)
        if mark[0] in ".…":
            before = re.search(r"(\S+)$", text[start : match.start()])
            word = before.group(1).lower() if before else ""
            after = text[match.end() :].lstrip()
            next_char = after[:1]
            if next_char and next_char.islower():
                continue
            if (word in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", before.group(1) if before else "")) and (
                mark == "."
            ):
                continue
        end = match.end() if mark[0] in ".!?…" else match.start()
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _sentences(answers: dict[str, str | None], codes: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(question code, sentence) in the given question order, skipping unanswered questions."""
    for code in codes:
        for sentence in split_sentences(answers.get(code)):
            yield code, sentence


# --------------------------------------------------------------------------- numbers

_NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "dix-sept": 17,
    "dix-huit": 18,
    "dix-neuf": 19,
    "vingt": 20,
}
# Longest words first so that "dix-sept" is not read as "dix".
_WORDS_ALT = "|".join(w.replace("-", "[- ]") for w in sorted(_NUMBER_WORDS, key=len, reverse=True))
NUM = rf"(?<![a-z0-9])(?P<n>\d{{1,3}}(?: \d{{3}})+|\d+|{_WORDS_ALT})(?![a-z0-9])"


def _number(text: str) -> int:
    key = fold(text).replace(" ", "-") if not text[:1].isdigit() else text
    if key[:1].isdigit():
        return int(key.replace(" ", ""))
    return _NUMBER_WORDS[key]


# --------------------------------------------------------------------------- field patterns

_OP_NEGATED = re.compile(
    r"(?:pas|non|plus|jamais)\s+(?:encore\s+|tout a fait\s+|totalement\s+|vraiment\s+)?operationnel\w*"
    r"|(?:sera|serons|seront|devrait etre|devrions etre|deviendra|devenir)\s+(?:pleinement\s+)?"
    r"operationnel\w*"
)
_OP_POSITIVE = re.compile(r"(?<![a-z])operationnel\w*")
_OP_PROJECT = re.compile(
    r"\ben projet\b|\ben cours de (?:creation|constitution|structuration|formalisation)\b"
    r"|\ben (?:emergence|prefiguration|gestation|construction)\b|\bphase de (?:prefiguration|projet)\b"
)
_OP_YES = re.compile(r"^\s*(?P<w>oui)\b")
_OP_NO = re.compile(r"^\s*(?P<w>non)\b")

_MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
_YEAR = r"(?P<y>(?:19|20)\d\d)(?!\d)"
_START_YEAR = (
    re.compile(rf"\bdepuis\s+(?:l'annee\s+|l'an\s+|(?:debut|fin|mi)[- ](?:d')?\s*|(?:{_MONTHS})\s+)?{_YEAR}"),
    re.compile(
        r"\b(?:cree|fonde|lance|initie|ne|constitue|demarre|mis en place|monte|officialise)e?s?"
        rf"\s+(?:en|au|debut|fin|courant)\s+(?:(?:{_MONTHS})\s+)?(?:de\s+l'annee\s+)?{_YEAR}"
    ),
    re.compile(
        r"\b(?:creation|fondation|lancement|naissance|demarrage|constitution)\s+(?:\w+\s+){0,3}?"
        rf"(?:en|au)\s+(?:(?:{_MONTHS})\s+)?{_YEAR}"
    ),
)
_SINCE_YEARS = re.compile(rf"\bdepuis\s+{NUM}\s+(?:ans|annees|an)\b")

_MEMBER_NOUNS = (
    r"membres|adherents|associes|parties prenantes|structures|organisations|organismes|acteurs"
    r"|partenaires|entreprises|associations|cooperatives|collectivites|entrepreneurs|societaires"
)
# "7 membres du conseil d'administration" counts a board, not the pole's members.
_NOT_BOARD = r"(?!\s+(?:du|de l'|des)\s+(?:conseil|bureau|ca|comite|college))"
_MEMBERS_EXPLICIT = re.compile(
    rf"{NUM}\s+(?:(?:structures|organisations|entreprises|acteurs)\s+)?"
    r"(?:membres|adherents|associes|parties prenantes|societaires)\b" + _NOT_BOARD
)
_MEMBERS_VERB = re.compile(
    r"\b(?:reunit|reunissent|regroupe|regroupent|rassemble|rassemblent|federe|federent|associe"
    r"|compte|comptons|compose\w* d[eu']|constitue\w* d[eu'])\b[^.;:]{0,60}?"
    rf"{NUM}\s+(?:{_MEMBER_NOUNS})\b" + _NOT_BOARD
)
_MEMBERS_START = re.compile(rf"^\W*{NUM}\s+(?:{_MEMBER_NOUNS})\b" + _NOT_BOARD)

_EMPLOYEES = re.compile(rf"{NUM}\s+(?:(?:personnes|emplois)\s+)?salari[a-z-]*")
_EMPLOYS = re.compile(rf"\b(?:emploie|emploient|employons|salarie|salarions)\s+{NUM}\s+(?:personnes|salari)")
_VOLUNTEERS = re.compile(rf"{NUM}\s+benevoles?\b")

# Legal forms, most specific first: "SCIC SA" is a SCIC. Each pattern: (regex, on upper-case text).
_STATUSES: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...] = (
    ("SCIC", ((r"\bscic\b|societe cooperative d'interet collectif", False),)),
    (
        "SCOP",
        ((r"\bscop\b|societe cooperative (?:ouvriere )?(?:de production|et participative)", False),),
    ),
    ("GIP", ((r"\bGIP\b", True), (r"groupement d'interet public", False))),
    ("GIE", ((r"\bGIE\b", True), (r"groupement d'interet economique", False))),
    ("SCI", ((r"\bSCI\b", True), (r"societe civile immobiliere", False))),
    ("SARL", ((r"\bsarl\b|societe a responsabilite limitee", False),)),
    ("SAS", ((r"\bSASU?\b", True), (r"societe par actions simplifiee", False))),
    ("SA", ((r"\bSA\b", True), (r"societe anonyme", False))),
    (
        "association",
        (
            (r"\bassociations?\s+(?:de\s+)?(?:loi\s+)?(?:de\s+)?1901\b|\bloi\s+(?:de\s+)?1901\b", False),
            (r"\bstatut\s*:?\s*(?:d'|de\s+|d'une\s+|une\s+)?association", False),
            (r"\b(?:est|sommes)\s+une\s+association\b|\bforme\s+d'(?:une\s+)?association\b", False),
        ),
    ),
    (
        "sans statut juridique",
        (
            (
                r"sans (?:personnalite|structure|statut|forme) juridique"
                r"|pas (?:encore )?de (?:personnalite|structure|statut|forme) juridique"
                r"|collectif informel",
                False,
            ),
        ),
    ),
)
# "associatif" alone is only a legal form in a sentence about the status ("statut : GE associatif").
_WEAK_ASSOCIATION = re.compile(r"\bassociati(?:f|ve)s?\b")
_STATUS_CUE = re.compile(
    r"\bstatut|juridique|\bconstitue\w*\s+en\b|\bsous\s+(?:la\s+)?forme\b|\bdans le cadre d'une\b"
    r"|\b(?:ptce|pole)\s+est\s+une?\b|\bstructure porteuse\b"
)

_PERCENT = re.compile(r"(?<![\d,.])(?P<p>\d{1,3}(?:[.,]\d+)?)\s*(?:%|pour ?cents?|pourcents?)")
_FUNDING = re.compile(r"financ|budget|ressources|subvention|recettes|produits|fonds publics|\bapport")
_LOCAL_AUTHORITY = re.compile(
    r"collectivites?(?: territoriales?| locales?)?|conseils? regiona\w*|conseils? departementa\w*"
    r"|conseils? genera\w*|\bregions?\b|\bdepartements?\b|\bcommunes?\b|\bagglomerations?\b"
    r"|\bmetropoles?\b|intercommunalites?|\bepci\b|\bvilles?\b|\bmairies?\b"
)
# A percentage belongs to the local authorities only if it is this close to one of their names.
_FUNDING_DISTANCE = 80

# Words that can make up a time phrase before its year or season ("au début de l'année 2017").
_TIME_WORDS = (
    "d'ici la fin d[eu']|d'ici|au cours d[eu']|a partir d[eu']|au|aux|a|en|des|dans|le|la|l'|de|du|d'"
    "|fin|debut|mi|courant|vers|avant|apres|entre|et|ou|prochain|prochaine"
    "|premier|1er|second|seconde|deuxieme|2e|2eme|2nd|troisieme|3e|3eme|quatrieme|4e|4eme|dernier"
    f"|semestre|trimestre|annee|printemps|ete|automne|hiver|rentree|{_MONTHS}"
)
_TIME_CORE = f"printemps|ete|automne|hiver|rentree|semestre|trimestre|{_MONTHS}"
_TIME_CHAIN = rf"(?:(?<![a-z0-9])(?:{_TIME_WORDS})(?:\s+|(?<=')|-))*"
_PERIOD_YEAR = re.compile(rf"{_TIME_CHAIN}(?<![0-9])20[1-3]\d(?![0-9])")
_PERIOD_NO_YEAR = re.compile(rf"{_TIME_CHAIN}(?<![a-z])(?:{_TIME_CORE})(?![a-z])(?:\s+prochaine?)?")
# Chain words that make no sense at the start of the phrase as kept ("la visite ... de l'été").
_PERIOD_LEADING = re.compile(r"^(?:(?:le|la|les|l'|de|du|d'(?!ici)|et|ou|dans)(?:\s+|(?<=')))+")


def _field(champ: str, valeur: object, code: str, sentence: str, start: int, end: int) -> ExtractedField:
    return ExtractedField(
        champ=champ,
        valeur=str(valeur),
        code_question=code,
        passage=sentence,
        extrait=sentence[start:end].strip(),
    )


def _operationnel(answers: dict[str, str | None]) -> ExtractedField | None:
    # Question i1 asks exactly this; elsewhere only an explicit "opérationnel" counts, since "en
    # projet" in other answers speaks of a project of the pole, not of the pole itself.
    for code in ("i1_operationnel", *(c for c in _PART_I if c != "i1_operationnel")):
        for index, sentence in enumerate(split_sentences(answers.get(code))):
            low = fold(sentence)
            checks: list[tuple[re.Pattern[str], str]] = [(_OP_NEGATED, "non"), (_OP_POSITIVE, "oui")]
            if code == "i1_operationnel":
                checks.append((_OP_PROJECT, "non"))
                if index == 0:
                    checks += [(_OP_YES, "oui"), (_OP_NO, "non")]
            for pattern, value in checks:
                match = pattern.search(low)
                if match:
                    return _field("operationnel", value, code, sentence, match.start(), match.end())
    return None


def _annee_debut(answers: dict[str, str | None]) -> ExtractedField | None:
    for code, sentence in _sentences(answers, _ORDER["annee_debut"]):
        low = fold(sentence)
        for pattern in _START_YEAR:
            for match in pattern.finditer(low):
                year = int(match.group("y"))
                if MIN_YEAR <= year <= MAX_YEAR:
                    return _field("annee_debut", year, code, sentence, match.start(), match.end())
        match = _SINCE_YEARS.search(low)
        if match:
            years = _number(match.group("n"))
            if 0 < years <= CALL_YEAR - MIN_YEAR:
                return _field("annee_debut", CALL_YEAR - years, code, sentence, match.start(), match.end())
    return None


def _count(
    answers: dict[str, str | None], champ: str, codes: tuple[str, ...], patterns: tuple[re.Pattern[str], ...]
) -> ExtractedField | None:
    # Patterns in order of trust: a stronger pattern anywhere beats a weaker one in an earlier answer.
    for pattern in patterns:
        for code, sentence in _sentences(answers, codes):
            match = pattern.search(fold(sentence))
            if match:
                value = _number(sentence[match.start("n") : match.end("n")])
                if value > 0:
                    return _field(champ, value, code, sentence, match.start(), match.end())
    return None


def _status_in(sentence: str, allow_weak: bool) -> tuple[str, int, int] | None:
    low, upper = fold(sentence), fold(sentence, lower=False)
    for label, patterns in _STATUSES:
        for regex, on_upper in patterns:
            match = re.search(regex, upper if on_upper else low)
            if match:
                return label, match.start(), match.end()
    if allow_weak:
        match = _WEAK_ASSOCIATION.search(low)
        if match:
            return "association", match.start(), match.end()
    return None


def _statut(answers: dict[str, str | None]) -> ExtractedField | None:
    codes = _ORDER["statut_juridique"]
    # First a sentence about the status ("Statut : SCIC", "constitué en association"); failing that,
    # a clear legal form in the answer to i4, the question that asks for the status. A form named
    # elsewhere is usually the initiator's ("initié par la SCIC X"), not the pole's.
    for code, sentence in _sentences(answers, codes):
        if _STATUS_CUE.search(fold(sentence)):
            found = _status_in(sentence, allow_weak=True)
            if found:
                return _field("statut_juridique", found[0], code, sentence, found[1], found[2])
    for code, sentence in _sentences(answers, ("i4_secteurs_statut",)):
        found = _status_in(sentence, allow_weak=False)
        if found:
            return _field("statut_juridique", found[0], code, sentence, found[1], found[2])
    return None


def _financement(answers: dict[str, str | None]) -> ExtractedField | None:
    codes = ("i5_gouvernance", *(c for c in answers if c != "i5_gouvernance"))
    for code, sentence in _sentences(answers, codes):
        low = fold(sentence)
        if not _FUNDING.search(low):
            continue
        authorities = [m.span() for m in _LOCAL_AUTHORITY.finditer(low)]
        if not authorities:
            continue
        best: tuple[int, re.Match[str]] | None = None
        for match in _PERCENT.finditer(low):
            distance = min(
                max(a_start - match.end(), match.start() - a_end, 0) for a_start, a_end in authorities
            )
            if distance <= _FUNDING_DISTANCE and (best is None or distance < best[0]):
                best = (distance, match)
        if best is not None:
            match = best[1]
            percent = float(match.group("p").replace(",", "."))
            if 0 < percent <= 100:
                ratio = round(percent / 100, 4)
                return _field("part_financement_collectivites", f"{ratio:g}", code, sentence, *match.span())
    return None


def _periode(answers: dict[str, str | None]) -> ExtractedField | None:
    candidates: list[tuple[str, str]] = list(_sentences(answers, ("echeance_visite",)))
    # Outside the question itself, only a sentence that speaks of the visit.
    candidates += [
        (code, s)
        for code, s in _sentences(answers, ("experiences_visite", "ii5_attentes", "ii6_apports"))
        if "visite" in fold(s)
    ]
    for pattern in (_PERIOD_YEAR, _PERIOD_NO_YEAR):
        for code, sentence in candidates:
            if pattern is _PERIOD_NO_YEAR and code != "echeance_visite":
                continue
            match = pattern.search(fold(sentence))
            if match:
                start = match.start()
                lead = _PERIOD_LEADING.match(fold(sentence)[start : match.end()])
                if lead:
                    start += lead.end()
                phrase = sentence[start : match.end()].strip()
                return _field("periode_visite", phrase, code, sentence, start, match.end())
    return None


def extract_fields(answers: dict[str, str | None]) -> list[ExtractedField]:
    """The facts stated in the answers, each with its sentence; a fact not stated gives no field."""
    found = [
        _operationnel(answers),
        _annee_debut(answers),
        _count(
            answers,
            "nb_parties_prenantes",
            _ORDER["nb_parties_prenantes"],
            (_MEMBERS_EXPLICIT, _MEMBERS_VERB, _MEMBERS_START),
        ),
        _count(answers, "nb_salaries", _ORDER["nb_salaries"], (_EMPLOYS, _EMPLOYEES)),
        _count(answers, "nb_benevoles", _ORDER["nb_salaries"], (_VOLUNTEERS,)),
        _statut(answers),
        _financement(answers),
        _periode(answers),
    ]
    return [f for f in found if f is not None]


def structured_columns(fields: list[ExtractedField]) -> dict[str, bool | int | float | str | None]:
    """Typed values of the `applications` columns (None when the field was not found)."""
    columns: dict[str, bool | int | float | str | None] = dict.fromkeys(COLUMNS)
    for item in fields:
        kind = COLUMNS.get(item.champ)
        if kind is None or columns[item.champ] is not None:
            continue  # unknown field, or a second value for it: the first one wins
        if kind is bool:
            columns[item.champ] = item.valeur == "oui"
        elif kind is int:
            columns[item.champ] = int(item.valeur)
        elif kind is float:
            columns[item.champ] = float(item.valeur)
        else:
            columns[item.champ] = item.valeur
    return columns


# --------------------------------------------------------------------------- tags


@dataclass(frozen=True)
class TagRule:
    """One entry of `mots_cles.yaml`, compiled."""

    code: str
    categorie: str
    libelle: str
    keywords: tuple[tuple[str, re.Pattern[str]], ...]
    acronyms: tuple[tuple[str, re.Pattern[str]], ...]
    exclusions: tuple[re.Pattern[str], ...]


def _words_only(text: str, lower: bool = True) -> str:
    """Folded text with every non-alphanumeric character made a space (same length)."""
    return re.sub(r"[^A-Za-z0-9]", " ", fold(text, lower=lower))


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    prefix = phrase.rstrip().endswith("*")
    words = normalize_words(phrase.rstrip().rstrip("*")).split()
    body = r"\s+".join(re.escape(w) for w in words)
    if prefix:
        body += "[a-z0-9]*"
    return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])")


@cache
def load_tag_rules() -> tuple[TagRule, ...]:
    """The reviewed keyword dictionary `mots_cles.yaml`, compiled."""
    rules = []
    for entry in load_keywords():
        acronyms = tuple(
            (a, re.compile(rf"(?<![A-Za-z0-9]){re.escape(a)}(?![A-Za-z0-9])"))
            for a in entry.sigles_majuscules
        )
        rules.append(
            TagRule(
                code=entry.code,
                categorie=entry.categorie,
                libelle=entry.libelle,
                keywords=tuple((k, _phrase_pattern(k)) for k in entry.mots_cles),
                acronyms=acronyms,
                exclusions=tuple(_phrase_pattern(e) for e in entry.exclusions),
            )
        )
    return tuple(rules)


def match_tag(rule: TagRule, sentence: str) -> str | None:
    """The keyword of `rule` found first in `sentence` (as written in the dictionary), or None."""
    low = _words_only(sentence)
    # Exclusions are found on the lower-case copy; their spans blank both copies.
    spans = [m.span() for pattern in rule.exclusions for m in pattern.finditer(low)]
    upper = _words_only(sentence, lower=False)
    for start, end in spans:
        low = low[:start] + " " * (end - start) + low[end:]
        upper = upper[:start] + " " * (end - start) + upper[end:]
    hits = [(m.start(), k) for k, p in rule.keywords for m in [p.search(low)] if m]
    hits += [(m.start(), a) for a, p in rule.acronyms for m in [p.search(upper)] if m]
    return min(hits)[1] if hits else None


def _question_order(answers: dict[str, str | None]) -> list[str]:
    from pipelines.applications.form_parser import load_questions

    known = [q.code for q in load_questions().questions if q.code in answers]
    return known + [c for c in answers if c not in known]


def tag_answers(answers: dict[str, str | None]) -> list[Tag]:
    """One tag per (tag, question) whose answer names it, with the first sentence that does."""
    tags = []
    rules = load_tag_rules()
    for code in _question_order(answers):
        sentences = split_sentences(answers.get(code))
        for rule in rules:
            for sentence in sentences:
                keyword = match_tag(rule, sentence)
                if keyword is not None:
                    tags.append(Tag(rule.code, rule.categorie, rule.libelle, keyword, code, sentence))
                    break
    return tags

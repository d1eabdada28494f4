"""Exit reasons: the free French text a pole writes for a pathway's exit, read into its category.

The categories are those of SPEC §3 (IAE definitions). Which words lead to which category lives in
`ptce/reference/motifs_sortie.yaml`, a file COORACE staff read and edit; this module compiles it
(validating it, with French errors that name the entry) and applies it:

- every entry whose expressions occur in the text is found (words compared without case, accents,
  punctuation, feminine marks « (e) » or plural « s »; « C.D.I. » is « CDI »);
- an expression just after a negation of the file (« pas de CDI », « refus de formation », « fin
  de CDDI ») does not count: it is not the situation at exit;
- only the entries of the strongest priority count; if they agree on one category, that is the
  reading, if they disagree the text is ambiguous and left unclassified (never the most favourable
  guess: the pole states the situation at exit);
- CDD and temporary work take their category from the duration written beside them (« CDD de 8
  mois », « intérim 3 semaines », « CDD > 6 mois »), against the file's `seuil_mois`;
- text that matches nothing is never « autre sortie » by default: it is unclassified, with a French
  message saying which file to complete and how.

`classify` never raises on any text: an unreadable reason is a quarantine row, not a crash.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from typing import Any

from ptce.fmt import fmt_number
from ptce.reference import read_reference
from ptce.text import strip_accents

CATEGORIES: tuple[str, ...] = (
    "emploi_durable",
    "emploi_transition",
    "sortie_positive",
    "autre_sortie",
    "retrait",
)
CATEGORY_LABELS: dict[str, str] = {
    "emploi_durable": "Emploi durable",
    "emploi_transition": "Emploi de transition",
    "sortie_positive": "Sortie positive",
    "autre_sortie": "Autre sortie",
    "retrait": "Retrait (non comptée)",
}

MAPPING_NAME = "motifs_sortie.yaml"
# The path staff are told to edit, relative to the repository (messages name it).
MAPPING_FILE = f"ptce/reference/{MAPPING_NAME}"
PRIORITIES = (1, 2, 3)
DEFAULT_PRIORITY = 3

_EXAMPLES = "« CDI », « CDD de 8 mois », « formation qualifiante », « demandeur d'emploi »"
_EXAMPLE_ENTRY = "« - libelle: Départ à l'étranger » avec « expressions: [départ à l'étranger] »"


@dataclass(frozen=True)
class ExitReading:
    """What an exit reason says: its category and the mapping entry that decided it, or the problem."""

    category: str | None  # None when the text cannot be classified (the row goes to quarantine)
    rule: str | None  # French label of the mapping entry that matched (from our file, never the pole's text)
    months: float | None  # contract duration read from the text, when exactly one was
    # French message when category is None, lower-case first as it follows the parser's
    # "file, ligne N, champ X : " prefix; it says what to write or which mapping file to complete.
    problem: str | None


@dataclass(frozen=True)
class _Outcome:
    """One side of a duration threshold: the category and the rule label it gives."""

    category: str
    label: str


@dataclass(frozen=True)
class _Entry:
    """One entry of the mapping file, compiled."""

    label: str
    priority: int
    words: re.Pattern[str] | None  # expressions, matched on the folded lower-case text
    acronyms: re.Pattern[str] | None  # capital-only acronyms, matched on the folded text with its case
    category: str | None = None  # fixed entries (`motifs`)
    threshold: float | None = None  # duration entries (`selon_duree`)
    at_least: _Outcome | None = None
    below: _Outcome | None = None
    example: str | None = None


@dataclass(frozen=True)
class _Mention:
    """Where an entry's expression occurs in the text."""

    start: int
    end: int
    entry: _Entry


@dataclass(frozen=True)
class _Duration:
    """A duration read beside a contract: months, and how the text bounds it ("=", ">", ">=", "<", "<=")."""

    months: float
    op: str


@dataclass(frozen=True)
class _Verdict:
    """What one mention says: a category with its rule, or (category None) the duration it lacks."""

    mention: _Mention
    category: str | None
    rule: str
    duration: _Duration | None


class ExitMappingError(ValueError):
    """The mapping file is not valid: the French message names the file and the entry."""


# ------------------------------------------------------------------------------ text normalisation

# Feminine and plural marks of inclusive writing: "décédé(e)", "inscrit·e", "contrat(s)".
_INCLUSIVE = re.compile(r"\((?:e|es|s)\)|·(?:e|es)(?![a-z])", re.IGNORECASE)
# Dots of an acronym: "C.D.I." -> "CDI.", "e.t.t.i" -> "etti" (a letter alone, a dot, a letter alone).
_ACRONYM_DOT = re.compile(r"(?<![A-Za-z0-9])([A-Za-z])\.(?=[A-Za-z](?![A-Za-z0-9]))")
_SEPARATOR = r"[^a-z0-9]{0,4}"  # between the words of an expression: spaces, apostrophes, hyphens…


def _fold(text: str) -> str:
    """Accents, inclusive marks and acronym dots removed, case kept (capital-only acronyms need it).

    `_lower` then lower-cases it character by character, so that a match position found in one
    copy (an expression) is the same in the other (an acronym): a few characters lower-case to two.
    """
    return _ACRONYM_DOT.sub(r"\1", _INCLUSIVE.sub("", strip_accents(text)))


def _lower(folded: str) -> str:
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in folded)


def _words(expression: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _lower(_fold(expression)))


def _word_regex(word: str) -> str:
    # A final "s" is optional on every word, written or not: "nouvelle(s)", "contrats aidés".
    if word.endswith("s") and len(word) > 3:
        word = word[:-1]
    return re.escape(word) + "s?"


def _expression_key(expression: str) -> tuple[str, ...]:
    """What two expressions share when they match the same texts (for the duplicate check)."""
    return tuple(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in _words(expression))


def _compile_words(expressions: list[str]) -> re.Pattern[str] | None:
    bodies = sorted(
        {_SEPARATOR.join(_word_regex(w) for w in _words(e)) for e in expressions}, key=len, reverse=True
    )
    if not bodies:
        return None
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(bodies)})(?![a-z0-9])")


def _compile_acronyms(acronyms: list[str]) -> re.Pattern[str] | None:
    if not acronyms:
        return None
    alternatives = "|".join(re.escape(_fold(a).strip()) for a in sorted(acronyms, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")


# ------------------------------------------------------------------------------------- durations

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
    "dix sept": 17,
    "dix huit": 18,
    "dix neuf": 19,
    "vingt": 20,
    "vingt et un": 21,
    "vingt et une": 21,
    "vingt deux": 22,
    "vingt trois": 23,
    "vingt quatre": 24,
    "trente": 30,
    "trente six": 36,
}
_NUMBER_WORD_RE = "|".join(r"[\s-]+".join(w.split()) for w in sorted(_NUMBER_WORDS, key=len, reverse=True))
# Comparison words, strongest reading first; each maps to the bound it states.
_COMPARATORS = (
    (r">=|=>|≥|superieure?s?\s+ou\s+egale?s?\s+a|au\s+moins|d\s*['’]?\s*au\s+moins|minimum|mini", ">="),
    (r"<=|=<|≤|inferieure?s?\s+ou\s+egale?s?\s+a|au\s+plus|maximum|maxi|jusqu\s*['’]?\s*a", "<="),
    (r">|\+\s*de|\+|plus\s+de|superieure?s?\s+a|au[\s-]dela\s+de", ">"),
    (r"<|-\s*de|moins\s+de|inferieure?s?\s+a", "<"),
)
_DURATION = re.compile(
    r"(?<![a-z0-9])"
    r"(?:(?P<cmp>" + "|".join(f"(?:{c})" for c, _ in _COMPARATORS) + r")\s*)?"
    r"(?:de\s+|d\s*['’`]\s*|d\s+)?"
    rf"(?P<num>\d+(?:[.,]\d+)?|{_NUMBER_WORD_RE})"
    r"\s*(?P<unit>mois|m|ans?|annees?|semaines?|sem|jours?|j)(?![a-z0-9])"
    r"(?P<half>\s+et\s+demie?)?"
)
# What may sit between a duration written before its contract and the contract: "8 mois de CDD".
_BEFORE_GAP = re.compile(r"[\s'’`(]*(?:de|d|en)?[\s'’`]*")
_WINDOW_AFTER = 60
_WINDOW_BEFORE = 30
_LOOK_BACK = 8
_WINDOW_NEGATION = 40
# Small words allowed between a negation and what it negates: "refus d'une formation qualifiante".
_NEGATION_GAP = r"(?:[^a-z0-9]+(?:de|d|du|des|un|une|en|la|le|l|a|au|sa|son|ce|cette))*[^a-z0-9]+"
_BOUND_WORDS = {">": "plus de", ">=": "au moins", "<": "moins de", "<=": "au plus"}


def _number(text: str) -> float:
    words = " ".join(re.split(r"[\s-]+", text))
    if words in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[words])
    return float(text.replace(",", "."))


def _read_duration(match: re.Match[str], days_per_month: float) -> _Duration:
    value = _number(match["num"])
    unit = match["unit"]
    if unit.startswith("an"):
        months = value * 12 + (6 if match["half"] else 0)
    elif unit in ("mois", "m"):
        months = value + (0.5 if match["half"] else 0)
    elif unit.startswith("sem"):
        months = (value + (0.5 if match["half"] else 0)) * 7 / days_per_month
    else:
        months = value / days_per_month
    op = "="
    if match["cmp"]:
        op = next(o for pattern, o in _COMPARATORS if re.fullmatch(pattern, match["cmp"].strip()))
    return _Duration(months=round(months, 2), op=op)


# ------------------------------------------------------------------------------------- the mapping


@dataclass(frozen=True)
class ExitMapping:
    """The compiled mapping file: `classify` reads one exit reason."""

    version: str
    entries: tuple[_Entry, ...]
    days_per_month: float
    max_length: int
    negation: re.Pattern[str] | None = None

    def classify(self, text: str) -> ExitReading:
        """The category of one exit reason, or why it has none (never raises)."""
        raw = "" if text is None else str(text)
        stripped = raw.strip()
        if not stripped:
            return _problem(
                "motif de sortie vide : indiquer la situation de la personne à la sortie du parcours "
                f"(par exemple {_EXAMPLES}) ; motifs reconnus : {MAPPING_FILE}"
            )
        if len(stripped) > self.max_length:
            return _problem(
                f"motif de sortie trop long ({fmt_number(len(stripped))} caractères, au plus "
                f"{fmt_number(self.max_length)}), non lu : indiquer la situation à la sortie en quelques "
                f"mots (par exemple {_EXAMPLES}) ; motifs reconnus : {MAPPING_FILE}"
            )
        if _looks_like_formula(stripped):
            return _problem(
                f"motif de sortie écrit comme une formule de tableur (il commence par « {stripped[0]} »), "
                f"non lu : écrire le motif en toutes lettres (par exemple {_EXAMPLES}) ; motifs "
                f"reconnus : {MAPPING_FILE}"
            )
        folded = _fold(stripped)
        lower = _lower(folded)
        mentions = self._mentions(folded, lower)
        kept = [m for m in mentions if not self._negated(lower, m)]
        if mentions and not kept:
            return _problem(
                "motif de sortie sans situation à la sortie (le contrat ou la formation cités sont niés "
                "ou terminés : « pas de … », « refus de … », « fin de … ») : indiquer la situation de la "
                f"personne à la sortie du parcours (par exemple {_EXAMPLES}) ; mots concernés : "
                f"« negations » de {MAPPING_FILE}"
            )
        mentions = kept
        if not mentions:
            return _problem(
                f"motif de sortie non reconnu : écrire un motif connu (par exemple {_EXAMPLES}), ou "
                f"ajouter l'expression dans {MAPPING_FILE} sous la catégorie qui convient, par exemple "
                f"{_EXAMPLE_ENTRY}"
            )
        starts = [m.start for m in mentions]
        verdicts = [self._verdict(lower, i, mentions, starts) for i in range(len(mentions))]
        strongest = min(m.entry.priority for m in mentions)
        top = [v for v in verdicts if v.mention.entry.priority == strongest]
        return _decide(top, verdicts)

    def _mentions(self, folded: str, lower: str) -> list[_Mention]:
        found = []
        for entry in self.entries:
            if entry.words is not None:
                found += [_Mention(m.start(), m.end(), entry) for m in entry.words.finditer(lower)]
            if entry.acronyms is not None:
                found += [_Mention(m.start(), m.end(), entry) for m in entry.acronyms.finditer(folded)]
        return sorted(found, key=lambda m: (m.start, -m.end))

    def _negated(self, lower: str, mention: _Mention) -> bool:
        """Whether a negation of the file ("pas", "refus", "fin"…) comes just before the mention."""
        if self.negation is None:
            return False
        return (
            self.negation.search(lower, max(mention.start - _WINDOW_NEGATION, 0), mention.start) is not None
        )

    def _verdict(self, lower: str, index: int, mentions: list[_Mention], starts: list[int]) -> _Verdict:
        mention = mentions[index]
        entry = mention.entry
        if entry.category is not None:
            return _Verdict(mention, entry.category, entry.label, None)
        duration = self._duration(lower, index, mentions, starts)
        assert entry.threshold is not None and entry.at_least and entry.below  # checked at load
        if duration is None:
            return _Verdict(mention, None, entry.label, None)
        value, op = duration.months, duration.op
        if (op == "=" or op in (">", ">=")) and value >= entry.threshold:
            return _Verdict(mention, entry.at_least.category, entry.at_least.label, duration)
        if op == "=" or (op == "<" and value <= entry.threshold) or (op == "<=" and value < entry.threshold):
            return _Verdict(mention, entry.below.category, entry.below.label, duration)
        return _Verdict(mention, None, entry.label, duration)  # a bound that does not settle it

    def _duration(
        self, lower: str, index: int, mentions: list[_Mention], starts: list[int]
    ) -> _Duration | None:
        """The duration written just after the contract ("CDD de 8 mois"), else just before it
        ("8 mois de CDD"), never across another mention ("intérim 2 mois puis CDD").

        `mentions` are sorted by start (`starts`): neighbours are found by bisection, so a text
        repeating a contract word thousands of times stays linear.
        """
        mention = mentions[index]
        after_end = mention.end + _WINDOW_AFTER
        following = bisect_left(starts, mention.end)
        if following < len(mentions):
            after_end = min(after_end, starts[following])
        match = _DURATION.search(lower, mention.end, after_end)
        if match is not None:
            return _read_duration(match, self.days_per_month)
        # Mentions ending in the short window before this one start shortly before it: a few
        # steps back suffice.
        before_start = max(mention.start - _WINDOW_BEFORE, 0)
        for previous in mentions[max(index - _LOOK_BACK, 0) : index]:
            if previous.end <= mention.start:
                before_start = max(before_start, previous.end)
        for match in _DURATION.finditer(lower, before_start, mention.start):
            if _BEFORE_GAP.fullmatch(lower, match.end(), mention.start):
                return _read_duration(match, self.days_per_month)
        return None


def _problem(message: str) -> ExitReading:
    return ExitReading(category=None, rule=None, months=None, problem=message)


def _looks_like_formula(text: str) -> bool:
    """A spreadsheet formula ("=HYPERLINK(…)", "@SOMME(…)", "+A1"): never read as a reason.

    A leading "-" or "+" followed by words is a bullet or a sign ("- CDI", "+ de 6 mois en CDD").
    """
    if text[0] in "=@":
        return True
    return bool(re.match(r"[+\-]\s*(?:[A-Za-z_][\w.]*\(|\$?[A-Za-z]{1,3}\$?\d)", text))


def _category_name(category: str) -> str:
    return CATEGORY_LABELS[category].lower()


def _decide(top: list[_Verdict], every: list[_Verdict]) -> ExitReading:
    """The reading given by the mentions of the strongest priority (`top`)."""
    decided = [v for v in top if v.category is not None]
    undecided = [v for v in top if v.category is None]
    # A CDD without duration could still be either side of the threshold: it conflicts with the
    # other mentions only if no category fits them all.
    possible = set(CATEGORIES)
    for v in decided:
        possible &= {v.category}
    for v in undecided:
        entry = v.mention.entry
        assert entry.at_least and entry.below
        possible &= {entry.at_least.category, entry.below.category}
    if not possible:
        cited: list[str] = []
        for v in top:
            if v.category is not None:
                item = f"« {v.rule} » : {_category_name(v.category)}"
            else:
                item = f"« {v.rule} » : durée non précisée"
            if item not in cited:
                cited.append(item)
        return _problem(
            "motif de sortie ambigu, il cite des situations de catégories différentes "
            f"({' ; '.join(cited)}) : indiquer la seule situation de la personne à la sortie du parcours ; "
            "si cette formulation doit toujours donner la même catégorie, l'ajouter dans "
            f"{MAPPING_FILE} à une entrée de priorité plus forte (par exemple « priorite: 1 »)"
        )
    if undecided:
        v = undecided[0]
        entry = v.mention.entry
        assert entry.threshold is not None and entry.at_least and entry.below
        threshold = fmt_number(entry.threshold)
        rule = (
            f"{_category_name(entry.at_least.category)} à partir de {threshold} mois, "
            f"{_category_name(entry.below.category)} en dessous"
        )
        if v.duration is None:
            return _problem(
                f"durée du contrat manquante (« {entry.label} ») alors que sa catégorie en dépend ({rule}) : "
                f"préciser la durée dans le motif, par exemple « {entry.example} »"
            )
        bound = f"{_BOUND_WORDS[v.duration.op]} {fmt_number(v.duration.months)} mois"
        return _problem(
            f"durée du contrat imprécise (« {entry.label} ») : « {bound} » ne dit pas si le contrat "
            f"atteint {threshold} mois ({rule}) ; préciser la durée dans le motif, par exemple "
            f"« {entry.example} »"
        )
    first = decided[0]
    exact = {v.duration.months for v in every if v.duration is not None and v.duration.op == "="}
    return ExitReading(
        category=first.category,
        rule=first.rule,
        months=exact.pop() if len(exact) == 1 else None,
        problem=None,
    )


# -------------------------------------------------------------------------------- file validation


def _fail(source: str, where: str, what: str) -> ExitMappingError:
    return ExitMappingError(f"{source} : {where} : {what}")


def _text_list(value: Any, source: str, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise _fail(source, where, f"« {key} » doit être une liste (une ligne « - … » par expression)")
    return [str(v) for v in value]


def _entry_base(item: Any, source: str, where: str) -> tuple[str, list[str], list[str], int]:
    """Label, expressions, acronyms and priority of one entry, checked."""
    if not isinstance(item, dict):
        raise _fail(source, where, "l'entrée doit commencer par « - libelle: … »")
    label = item.get("libelle")
    if not isinstance(label, str) or not label.strip():
        raise _fail(source, where, "libellé manquant (ajoutez « libelle: … »)")
    where = f"{where} (« {label.strip()} »)"
    expressions = _text_list(item.get("expressions"), source, where, "expressions")
    acronyms = _text_list(item.get("sigles_majuscules"), source, where, "sigles_majuscules")
    for expression in expressions:
        if not _words(expression):
            raise _fail(source, where, f"l'expression « {expression} » ne contient ni lettre ni chiffre")
    for acronym in acronyms:
        if not re.fullmatch(r"[A-Z0-9]+", _fold(acronym).strip()):
            raise _fail(source, where, f"le sigle « {acronym} » doit être écrit en majuscules, d'un seul mot")
    if not expressions and not acronyms:
        raise _fail(source, where, "aucune expression (ajoutez au moins une ligne sous « expressions: »)")
    priority = item.get("priorite", DEFAULT_PRIORITY)
    if priority not in PRIORITIES or isinstance(priority, bool):
        raise _fail(source, where, f"priorité « {priority} » invalide (1, 2 ou 3)")
    return label.strip(), expressions, acronyms, int(priority)


def _category(value: Any, source: str, where: str) -> str:
    if value not in CATEGORIES:
        raise _fail(source, where, f"catégorie inconnue « {value} » (attendues : {', '.join(CATEGORIES)})")
    return str(value)


def _outcome(item: dict[str, Any], key: str, source: str, where: str) -> _Outcome:
    side = item.get(key)
    if not isinstance(side, dict):
        raise _fail(source, where, f"« {key} » manquant (avec « categorie: … » et « libelle: … »)")
    label = side.get("libelle")
    if not isinstance(label, str) or not label.strip():
        raise _fail(source, where, f"libellé manquant sous « {key} »")
    return _Outcome(_category(side.get("categorie"), source, f"{where}, {key}"), label.strip())


def _positive(value: Any, source: str, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise _fail(source, where, f"« {key} » doit être un nombre positif (par exemple 6)")
    return float(value)


def parse_exit_mapping(raw: Any, source: str = MAPPING_FILE) -> ExitMapping:
    """The mapping file's content (parsed YAML), validated and compiled.

    Raises `ExitMappingError` with a French message naming `source` and the faulty entry.
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("motifs"), dict):
        raise _fail(source, "fichier", "la rubrique « motifs: » (entrées par catégorie) est absente")
    entries: list[_Entry] = []
    owners: dict[tuple[str, ...], str] = {}

    def claim(expressions: list[str], where: str) -> None:
        # The same expression in two entries would make every text that uses it ambiguous.
        for expression in expressions:
            key = _expression_key(expression)
            if key in owners and owners[key] != where:
                raise _fail(source, where, f"l'expression « {expression} » figure déjà dans {owners[key]}")
            owners[key] = where

    for category, items in raw["motifs"].items():
        _category(category, source, f"motifs › {category}")
        if not isinstance(items, list) or not items:
            raise _fail(
                source, f"motifs › {category}", "aucune entrée (une ligne « - libelle: … » par entrée)"
            )
        for number, item in enumerate(items, start=1):
            where = f"motifs › {category}, entrée n° {number}"
            label, expressions, acronyms, priority = _entry_base(item, source, where)
            claim(expressions + acronyms, f"{where} (« {label} »)")
            entries.append(
                _Entry(
                    label=label,
                    priority=priority,
                    words=_compile_words(expressions),
                    acronyms=_compile_acronyms(acronyms),
                    category=category,
                )
            )
    durations = raw.get("selon_duree") or []
    if not isinstance(durations, list):
        raise _fail(source, "selon_duree", "la rubrique doit être une liste d'entrées « - libelle: … »")
    for number, item in enumerate(durations, start=1):
        where = f"selon_duree, entrée n° {number}"
        label, expressions, acronyms, priority = _entry_base(item, source, where)
        where = f"{where} (« {label} »)"
        claim(expressions + acronyms, where)
        example = item.get("exemple")
        if not isinstance(example, str) or not example.strip():
            raise _fail(source, where, "« exemple » manquant (un motif avec sa durée, « CDD de 8 mois »)")
        entries.append(
            _Entry(
                label=label,
                priority=priority,
                words=_compile_words(expressions),
                acronyms=_compile_acronyms(acronyms),
                threshold=_positive(item.get("seuil_mois"), source, where, "seuil_mois"),
                at_least=_outcome(item, "au_moins_le_seuil", source, where),
                below=_outcome(item, "sous_le_seuil", source, where),
                example=example.strip(),
            )
        )
    negations = _text_list(raw.get("negations"), source, "negations", "negations")
    negation_words = sorted({" ".join(_words(n)) for n in negations if _words(n)}, key=len, reverse=True)
    negation = None
    if negation_words:
        alternatives = "|".join(_SEPARATOR.join(re.escape(w) for w in n.split()) for n in negation_words)
        negation = re.compile(rf"(?<![a-z0-9])(?:{alternatives}){_NEGATION_GAP}$")
    max_length = raw.get("longueur_max", 1000)
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length <= 0:
        raise _fail(source, "longueur_max", "doit être un nombre entier de caractères (par exemple 1000)")
    return ExitMapping(
        version=str(raw.get("version", "")),
        entries=tuple(entries),
        days_per_month=_positive(raw.get("jours_par_mois", 30), source, "jours_par_mois", "jours_par_mois"),
        max_length=max_length,
        negation=negation,
    )


@cache
def load_exit_mapping() -> ExitMapping:
    """The shipped mapping `ptce/reference/motifs_sortie.yaml`, validated and compiled (cached)."""
    return parse_exit_mapping(read_reference(MAPPING_NAME), MAPPING_FILE)

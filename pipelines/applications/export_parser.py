"""Answers to the application form (seed 003) sent as a form-tool export, one row per pole (SPEC §2).

Form tools (Google Forms, LimeSurvey, Framaforms…) export a `.csv` or `.xlsx` with their own columns
(timestamp, e-mail address), a column naming the initiative and one column per question, titled with
the question's full text — often cut to about 100 characters — or a short version of it
("Signature de la charte (oui/non)"). Columns are therefore recognised by code, short label, full
text, text prefix or word overlap, ignoring case, accents, punctuation, "(oui/non)" suffixes and
numbering such as "II.3". Unrecognised columns are ignored and listed in a note: an e-mail address is
personal data and must never end up among the answers.

Each row becomes an `ApplicationResult` (pole_source "colonne"). A row whose pole is empty or
unknown, and every row of a pole given twice in the file (no way to tell which one is right), goes to
quarantine with a French reason naming the file, the row and the field.
`parse_application_export` never raises: a whole-file problem is a French `error` saying what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.applications.form_parser import (
    MIN_QUESTIONS,
    ApplicationResult,
    Question,
    QuestionSet,
    load_questions,
    match_question,
    parse_yes_no,
)
from pipelines.shared.readers import Sheet, read_into
from pipelines.shared.results import FileResult, IngestionError, QuarantineRecord
from pipelines.shared.values import cell_text, formula_reason, is_missing
from ptce.reference import PoleSet, shipped_poles
from ptce.text import normalize_key, normalize_words

POLE_SOURCE = "colonne"
POLE_FIELD = "pôle"
# The header is looked for among the first rows only: form tools put at most a few title rows above.
MAX_HEADER_ROW_INDEX = 20
# A column title this long (in normalised characters) that starts a question's text is that question
# cut by the form tool; shorter prefixes ("les", "quelles sont") would be ambiguous.
MIN_PREFIX_CHARS = 25
# Word-overlap (Dice) score between a title and a short label for a reworded short version.
LABEL_THRESHOLD = 0.6

_POLE_ALIASES = frozenset(
    normalize_key(alias)
    for alias in (
        "nom de l'initiative",
        "initiative",
        "nom du PTCE",
        "PTCE",
        "pôle",
        "pole",
        "nom du pôle",
        "nom de votre PTCE",
        "nom de votre initiative",
        "nom de votre pôle",
        "numéro",
        "numéro du pôle",
        "n° du pôle",
        "n°",
        "pole_id",
        "id pôle",
        "identifiant du pôle",
    )
)
# Columns a form tool adds on its own. Named so that the note can say what they are; never answers.
_TOOL_COLUMNS = frozenset(
    normalize_key(name)
    for name in (
        "horodatage",
        "horodateur",
        "timestamp",
        "date",
        "date de soumission",
        "date de réponse",
        "adresse e-mail",
        "adresse email",
        "adresse électronique",
        "e-mail",
        "email",
        "courriel",
        "id",
        "id de la réponse",
        "numéro de réponse",
    )
)
# "(oui/non)", "(Oui / Non)", "[oui ou non]" after a short label.
_YES_NO_SUFFIX = re.compile(r"[\(\[]\s*oui\s*(?:/|ou)\s*non\s*[\)\]]\s*$", re.IGNORECASE)
# Numbering before a title once normalised: "II.3 …" -> "ii 3 …", "Q4 - …" -> "q4 …", "1) …" -> "1 …".
_NUMBERING = re.compile(r"^(?:(?:[ivx]{1,4}|\d{1,2}|q\d{0,2}|question|n|no)\s+)+")
# Form tools mark cut texts with an ellipsis.
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")

_YES = frozenset({"oui", "o", "yes", "y", "x", "1", "vrai", "true"})
_NO = frozenset({"non", "n", "no", "0", "faux", "false"})
_CHECKED_MARKS = frozenset("☒☑✓✔✗✘■⊠")
_UNCHECKED_MARKS = frozenset("☐□")


@dataclass
class ExportResult(FileResult):
    """What one form-tool export says: one application per loaded row, the rest in quarantine.

    The ledger (rows read, loaded, quarantined; notes; status; message) is that of every raw file:
    `notes` say that something written was not taken (a second sheet, a doubled column, a yes/no
    cell that says neither), `infos` only inform (the tool's own columns, questions not asked).
    """

    kind: str = "candidatures"
    file_format: str = ""
    applications: list[ApplicationResult] = field(default_factory=list)


@dataclass
class _Header:
    """Where the pole and each question sit in one header row."""

    row_number: int
    pole: int | None
    questions: dict[str, int]
    ignored: list[str]
    duplicates: list[str]


def _clean_title(title: str) -> str:
    """A column title without "(oui/non)", ellipsis and leading numbering, as normalised words."""
    text = _ELLIPSIS.sub("", _YES_NO_SUFFIX.sub("", title.strip()))
    return _NUMBERING.sub("", normalize_words(text)).strip()


def _match_title(title: str, qs: QuestionSet) -> Question | None:
    """The question a column title names, or None."""
    key = normalize_key(title)
    words = _clean_title(title)
    if not key or not words:
        return None
    flat = words.replace(" ", "")
    for q in qs.questions:
        if key == normalize_key(q.code) or flat in (normalize_key(q.libelle), normalize_key(q.texte)):
            return q
    # A text cut by the form tool: a long enough prefix of exactly one question.
    if len(words) >= MIN_PREFIX_CHARS:
        prefixed = [q for q in qs.questions if normalize_words(q.texte).startswith(words)]
        if len(prefixed) == 1:
            return prefixed[0]
    # A reworded short version ("Charte signée ?") shares most words with its short label.
    tokens = set(words.split())
    best, best_score = None, 0.0
    for q in qs.questions:
        label = set(normalize_words(q.libelle).split()) - {"de", "la", "le", "les", "d", "l", "des", "et"}
        common = tokens - {"de", "la", "le", "les", "d", "l", "des", "et"}
        if not label or not common:
            continue
        score = 2 * len(label & common) / (len(label) + len(common))
        if score > best_score:
            best, best_score = q, score
    if best is not None and best_score >= LABEL_THRESHOLD:
        return best
    question, _ = match_question(title, qs)
    return question


def _read_header(row_number: int, cells: list[object], qs: QuestionSet) -> _Header:
    header = _Header(row_number, None, {}, [], [])
    for idx, cell in enumerate(cells):
        title = cell_text(cell)
        if not title:
            continue
        key = normalize_key(_YES_NO_SUFFIX.sub("", title))
        if key in _TOOL_COLUMNS:
            # Checked first: "Adresse e-mail" must never be taken for anything else.
            header.ignored.append(title)
            continue
        if key in _POLE_ALIASES and header.pole is None:
            header.pole = idx
            continue
        question = _match_title(title, qs)
        if question is None:
            header.ignored.append(title)
        elif question.code in header.questions:
            header.duplicates.append(title)
        else:
            header.questions[question.code] = idx
    return header


def _find_header(sheet: Sheet, qs: QuestionSet) -> tuple[_Header | None, _Header | None]:
    """(the header row, else the best near miss to explain what is missing)."""
    best: _Header | None = None
    for row_number, cells in sheet.rows[:MAX_HEADER_ROW_INDEX]:
        header = _read_header(row_number, cells, qs)
        if header.pole is not None and len(header.questions) >= MIN_QUESTIONS:
            return header, None
        score = len(header.questions) + (1 if header.pole is not None else 0)
        if score and (best is None or score > len(best.questions) + (1 if best.pole is not None else 0)):
            best = header
    return None, best


def _yes_no(value: object) -> tuple[bool | None, bool]:
    """(answer, readable). An empty cell is readable and None."""
    if isinstance(value, bool):
        return value, True
    text = cell_text(value)
    # Marks are ticks here, though `is_missing` would take a bare mark for "not available".
    if text in _CHECKED_MARKS:
        return True, True
    if text in _UNCHECKED_MARKS:
        return False, True
    # Words before `is_missing`, which takes a lone "x" for "not available": here it is a tick.
    key = normalize_key(text)
    if key in _YES:
        return True, True
    if key in _NO:
        return False, True
    if is_missing(value) or not text:
        return None, True
    # "☒ Oui ☐ Non" or "Oui, au printemps 2016" as in the Word form.
    parsed = parse_yes_no(text)
    return parsed, parsed is not None


def _text(value: object) -> str | None:
    if is_missing(value):
        return None
    text = cell_text(value)
    # Form tools write line breaks as \r\n; keep the paragraphs, drop blank lines.
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    joined = "\n".join(line for line in lines if line)
    return joined or None


def _cell(cells: list[object], idx: int) -> object:
    # Form tools drop trailing empty cells: a short row means unanswered last questions.
    return cells[idx] if idx < len(cells) else None


def _quote_list(titles: list[str]) -> str:
    return ", ".join(f"« {t} »" for t in titles)


def parse_application_export(path: Path, source_file: str, poles: PoleSet | None = None) -> ExportResult:
    """Read one form-tool export against `poles` (the run's poles in force; the shipped twelve by
    default). Never raises for bad content: see `ExportResult.error`."""
    result = ExportResult(source_file=source_file)
    try:
        sheets, _, _ = read_into(result, path, source_file)
        _parse_sheets(sheets, result, poles or shipped_poles())
    except IngestionError as exc:
        # A whole-file problem: nothing of the file is loaded nor counted, as for indicator files.
        result.error = exc.message
        result.applications.clear()
        result.quarantine.clear()
        result.notes.clear()
        result.rows_read = result.rows_loaded = 0
    return result


def _parse_sheets(sheets: list[Sheet], result: ExportResult, poles: PoleSet) -> None:
    qs = load_questions()
    name = result.source_file
    chosen: tuple[Sheet, _Header] | None = None
    near_miss: _Header | None = None
    skipped: list[str] = []
    for sheet in sheets:
        header, miss = _find_header(sheet, qs)
        if header is not None and chosen is None:
            chosen = (sheet, header)
        elif header is not None and sheet.name:
            skipped.append(sheet.name)
        elif miss is not None and (near_miss is None or len(miss.questions) > len(near_miss.questions)):
            near_miss = miss
    if chosen is None:
        raise IngestionError(_header_error(name, near_miss, qs, poles))
    sheet, header = chosen
    if skipped:
        result.notes.append(
            "Seule la première feuille de réponses a été lue ; feuille(s) ignorée(s) : "
            f"{_quote_list(skipped)}. Envoyez un export par fichier."
        )
    # Columns the tool adds and questions the form-tool left out cost no answer: told, status "ok".
    if header.ignored:
        result.infos.append(
            f"Colonnes ignorées (pas des questions de la trame) : {_quote_list(header.ignored)}."
        )
    if header.duplicates:
        result.notes.append(
            "Colonnes en double (seule la première est lue) : " + _quote_list(header.duplicates) + "."
        )
    missing = [q.libelle for q in qs.questions if q.code not in header.questions]
    if missing:
        result.infos.append(
            f"Questions absentes de l'export, laissées sans réponse : {_quote_list(missing)}."
        )
    data_rows = [r for r in sheet.rows if r[0] > header.row_number]
    if not data_rows:
        raise IngestionError(
            f"{name} : aucune réponse sous l'en-tête (ligne {header.row_number}) : le fichier ne "
            "contient que les titres des colonnes. Exportez à nouveau les réponses du formulaire."
        )
    _parse_rows(data_rows, header, sheet.name, qs, result, poles)


def _header_error(name: str, near_miss: _Header | None, qs: QuestionSet, poles: PoleSet) -> str:
    if near_miss is not None and near_miss.pole is None and len(near_miss.questions) >= MIN_QUESTIONS:
        return (
            f"{name} : aucune colonne ne désigne le pôle (en-tête ligne {near_miss.row_number}). "
            "Ajoutez une colonne « Nom de l'initiative » donnant le nom ou le numéro "
            f"({poles.numbers}) du pôle sur chaque ligne, puis renvoyez le fichier."
        )
    found = len(near_miss.questions) if near_miss is not None else 0
    where = f" (en-tête ligne {near_miss.row_number})" if near_miss is not None else ""
    pole_hint = (
        ""
        if near_miss is not None and near_miss.pole is not None
        else " et une colonne « Nom de l'initiative » donnant le pôle"
    )
    return (
        f"{name} : ce fichier ne semble pas être un export des réponses au formulaire de l'AMI « PTCE "
        f"Emploi et sécurisation des parcours » ({found} question(s) reconnue(s) sur "
        f"{len(qs.questions)}{where}). Il faut une ligne d'en-tête avec une colonne par question, "
        "titrée par le texte de la question ou son libellé court (ex. « Signature de la charte "
        f"(oui/non) »){pole_hint} ; exportez à nouveau les réponses depuis l'outil de formulaire."
    )


def _parse_rows(
    rows: list[tuple[int, list[object]]],
    header: _Header,
    sheet: str | None,
    qs: QuestionSet,
    result: ExportResult,
    poles: PoleSet,
) -> None:
    name = result.source_file
    matcher = poles.matcher
    assert header.pole is not None

    def quarantine(row_number: int, value: str, reason: str, pole_id: str | None) -> None:
        result.quarantine.append(
            QuarantineRecord(
                source_file=name,
                row_number=row_number,
                field=POLE_FIELD,
                value=value,
                reason=f"{name}, ligne {row_number}, champ {POLE_FIELD} : {reason}",
                pole_id=pole_id,
                sheet=sheet,
            )
        )

    candidates: list[tuple[int, str, str, ApplicationResult]] = []  # (row, pole, written, result)
    for row_number, cells in rows:
        result.rows_read += 1

        raw_pole = _cell(cells, header.pole)
        written = cell_text(raw_pole)
        if is_missing(raw_pole) or not written:
            quarantine(
                row_number,
                "",
                f"pôle non renseigné : indiquer le nom ou le numéro ({poles.numbers}) du pôle qui répond",
                None,
            )
            continue
        pole_id = matcher.find(raw_pole)
        if pole_id is None:
            quarantine(
                row_number,
                written,
                formula_reason(raw_pole)
                or f"pôle « {written} » inconnu : indiquer le nom ou le numéro ({poles.numbers}) d'un pôle "
                "de la communauté",
                None,
            )
            continue
        app = ApplicationResult(
            source_file=name,
            pole_id=pole_id,
            pole_source=POLE_SOURCE,
            questions_found=len(header.questions),
        )
        for q in qs.questions:
            idx = header.questions.get(q.code)
            value = _cell(cells, idx) if idx is not None else None
            if q.kind == "oui_non":
                answer, readable = _yes_no(value)
                app.yes_no[q.code] = answer
                if not readable:
                    note = (
                        f"{name}, ligne {row_number}, champ {q.libelle} : réponse « {cell_text(value)} » "
                        "ni oui ni non, comptée comme non renseignée ; répondre « Oui » ou « Non »."
                    )
                    app.notes.append(note)
                    result.notes.append(note)
            else:
                app.answers[q.code] = _text(value)
        candidates.append((row_number, pole_id, written, app))

    # The same pole twice: a corrected answer or a copy error, the file cannot say which; both wait.
    rows_by_pole: dict[str, list[int]] = {}
    for row_number, pole_id, _, _ in candidates:
        rows_by_pole.setdefault(pole_id, []).append(row_number)
    for row_number, pole_id, written, app in candidates:
        others = [r for r in rows_by_pole[pole_id] if r != row_number]
        if others:
            quarantine(
                row_number,
                written,
                f"pôle « {written} » présent sur plusieurs lignes (aussi ligne(s) "
                f"{', '.join(str(r) for r in others)}) : une seule ligne de réponses par pôle ; "
                "supprimer les réponses en trop et renvoyer le fichier",
                pole_id,
            )
            continue
        result.applications.append(app)
        result.rows_loaded += 1

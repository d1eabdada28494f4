"""Answers to the application form (seed 003) sent as Word `.docx` files (SPEC §2).

Each pole fills in the form its own way: answers in the paragraphs after a question, or in a table
cell beside (or below) it; questions renumbered ("1)", "1.", "Question 1 –"), retyped without accents
or slightly reworded; yes/no choices marked with ☒, ☑ or X, or by deleting the other word. Questions
are therefore recognised by word overlap with the reference texts of `questions_ami.yaml`, never by
exact text, and everything between two recognised questions is the answer, minus the form's own
explanation paragraphs.

`parse_application_docx` never raises: an unreadable file or a document that is not the form gives a
result whose `error` is a French message telling the sender what to do.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from pipelines.ingest.model import IngestionError
from pipelines.ingest.readers import TECH_LOG, check_archive, unreadable_file_error
from ptce.reference import REFERENCE_DIR, PoleMatcher
from ptce.text import normalize_key, normalize_words

QUESTIONS_FILE = REFERENCE_DIR / "questions_ami.yaml"

# Fewer recognised questions than this and the document is not taken for the form: a letter or a
# project note shares a few words with one question, rarely with four.
MIN_QUESTIONS = 4
# Word-overlap (Dice) score above which a paragraph is taken for a question.
MATCH_THRESHOLD = 0.5
# A key phrase only counts with this much overlap too: an answer may quote a few words of its question.
MIN_PHRASE_SCORE = 0.3
# How many top paragraphs may carry the "Initiative : …" line.
HEADER_PARAGRAPHS = 15

# Words too common in the form to tell questions apart; numbering ("ii", "1") goes with them.
_STOPWORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cette",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "ou",
        "par",
        "pour",
        "que",
        "quel",
        "quelle",
        "quelles",
        "quels",
        "qui",
        "s",
        "se",
        "sur",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "i",
        "ii",
        "iii",
        "iv",
        "v",
        "vi",
        "n",
        "no",
        "q",
        "question",
        "il",
        "elle",
        "est",
        "sont",
        "dans",
        "ainsi",
        "ne",
        "pas",
    ]
)
_HEADER_LABELS = frozenset(
    normalize_key(label)
    for label in ("initiative", "nom du ptce", "nom de l'initiative", "nom du pôle", "pôle", "ptce")
)

# Yes/no marks: checked boxes and crosses, then empty boxes.
_CHECKED = "☒☑✓✔✗✘■▪●◼⊠"
_UNCHECKED = "☐□○◻"
_YES_NO_TOKENS = re.compile(
    rf"(?P<on>[{_CHECKED}]|\[\s*[xX]\s*\]|\(\s*[xX]\s*\)|(?<![\w])[xX](?![\w]))"
    rf"|(?P<off>[{_UNCHECKED}]|\[\s*\]|\(\s*\))"
    r"|(?P<oui>(?<![\w])oui(?![\w]))|(?P<non>(?<![\w])non(?![\w]))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    """One question of the form, with its matching material precomputed."""

    code: str
    partie: str
    numero: str
    kind: str  # "texte" or "oui_non"
    libelle: str
    texte: str
    tokens: frozenset[str]
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class QuestionSet:
    questions: tuple[Question, ...]
    template: tuple[str, ...]

    @property
    def text_codes(self) -> tuple[str, ...]:
        return tuple(q.code for q in self.questions if q.kind == "texte")

    @property
    def yes_no_codes(self) -> tuple[str, ...]:
        return tuple(q.code for q in self.questions if q.kind == "oui_non")


@dataclass
class ApplicationResult:
    """What one application document says. Unanswered questions are None, never ""."""

    source_file: str
    pole_id: str | None = None
    pole_source: str | None = None  # "entête" or "nom de fichier"
    answers: dict[str, str | None] = field(default_factory=dict)
    yes_no: dict[str, bool | None] = field(default_factory=dict)
    questions_found: int = 0
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def status(self) -> str:
        return "error" if self.error is not None else "ok"


def _content_tokens(text: str) -> frozenset[str]:
    return frozenset(w for w in normalize_words(text).split() if w not in _STOPWORDS and not w.isdigit())


@cache
def load_questions() -> QuestionSet:
    """The form's questions in form order, from `questions_ami.yaml`."""
    raw = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    questions = tuple(
        Question(
            code=item["code"],
            partie=str(item["partie"]),
            numero=str(item.get("numero") or ""),
            kind=item["type"],
            libelle=item["libelle"],
            texte=item["texte"],
            tokens=_content_tokens(item["texte"]),
            phrases=tuple(normalize_words(p) for p in item.get("phrases_cles") or ()),
        )
        for item in raw["questions"]
    )
    template = tuple(normalize_words(t) for t in raw.get("gabarit") or ())
    return QuestionSet(questions=questions, template=template)


def _score(question: Question, words: str, tokens: frozenset[str]) -> float:
    if not tokens:
        return 0.0
    dice = 2 * len(question.tokens & tokens) / (len(question.tokens) + len(tokens))
    # A key phrase in a short paragraph is a reworded question; in a long one it may be an answer
    # quoting the question, so the length cap keeps answers from being taken for questions.
    if (
        dice >= MIN_PHRASE_SCORE
        and len(tokens) <= len(question.tokens) + 3
        and any(p in words for p in question.phrases)
    ):
        dice = max(dice, 0.75)
    return dice


def match_question(text: str, questions: QuestionSet | None = None) -> tuple[Question | None, str]:
    """The question `text` asks, if any, and what follows it on the same line (an inline answer).

    "A quelle échéance approximative ? Printemps 2016" gives the question and "Printemps 2016".
    """
    qs = questions or load_questions()
    candidates = [(text, "")]
    if "?" in text:
        head, _, tail = text.partition("?")
        if tail.strip():
            candidates.insert(0, (head, tail.strip()))
    for candidate, rest in candidates:
        words = normalize_words(candidate)
        tokens = _content_tokens(candidate)
        best, best_score = None, 0.0
        for question in qs.questions:
            score = _score(question, words, tokens)
            if score > best_score:
                best, best_score = question, score
        if best is not None and best_score >= MATCH_THRESHOLD:
            return best, rest
    return None, ""


def parse_yes_no(text: str | None) -> bool | None:
    """Oui/Non from a marked choice: "☒ Oui ☐ Non", "X Non", "Oui [X] Non [ ]", or one word left.

    Both words without a mark (the blank form) or both marked give None.
    """
    if not text:
        return None
    items = [
        (next(k for k in ("on", "off", "oui", "non") if m.group(k) is not None), m.start(), m.end())
        for m in _YES_NO_TOKENS.finditer(text)
    ]
    words = [kind for kind, _, _ in items if kind in ("oui", "non")]
    if not words:
        return None
    # A mark belongs to the nearer of the words around it ("Oui [X]   Non [ ]", "Oui\t\tX Non"). At
    # equal distance ("☒ Oui ☐ Non") it belongs to the word after it when the line starts with a mark,
    # else to the word before it ("Oui ☒ Non ☐").
    prefix = items[0][0] in ("on", "off")
    checked: set[str] = set()
    for i, (kind, start, end) in enumerate(items):
        if kind != "on":
            continue
        before = items[i - 1] if i > 0 and items[i - 1][0] in ("oui", "non") else None
        after = items[i + 1] if i + 1 < len(items) and items[i + 1][0] in ("oui", "non") else None
        gap_before = start - before[2] if before else None
        gap_after = after[1] - end if after else None
        if before and after:
            assert gap_before is not None and gap_after is not None
            if gap_before == gap_after:
                checked.add(after[0] if prefix else before[0])
            else:
                checked.add(before[0] if gap_before < gap_after else after[0])
        elif before or after:
            checked.add((before or after)[0])  # type: ignore[index]
    if len(checked) == 1:
        return checked.pop() == "oui"
    if not checked and len(set(words)) == 1:
        return words[0] == "oui"
    return None


# --- reading the document -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    kind: str  # "question", "para" or "close"
    text: str = ""
    question: Question | None = None


def _cell_text(cell: object) -> str:
    return "\n".join(p.text for p in cell.paragraphs)  # type: ignore[attr-defined]


def _unique_cells(row: object) -> list[object]:
    # Merged cells come back once per grid column: keep each underlying cell once.
    seen: set[int] = set()
    cells = []
    for cell in row.cells:  # type: ignore[attr-defined]
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _events(doc: object, qs: QuestionSet) -> Iterator[_Event]:
    """Body content in reading order: paragraphs and table rows interleaved."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = doc.element.body  # type: ignore[attr-defined]
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield from _paragraph_events(Paragraph(child, doc), qs)
        elif tag == "tbl":
            yield from _table_events(Table(child, doc), qs)


def _paragraph_events(paragraph: object, qs: QuestionSet) -> Iterator[_Event]:
    text = paragraph.text  # type: ignore[attr-defined]
    # The form's own explanations share many words with the questions: never take them for one.
    question, rest = (None, "") if _is_template(text, qs) else match_question(text, qs)
    if question is None:
        yield _Event("para", text)
        return
    yield _Event("question", text, question=question)
    if rest:
        yield _Event("para", rest)


def _table_events(table: object, qs: QuestionSet) -> Iterator[_Event]:
    for row in table.rows:  # type: ignore[attr-defined]
        cells = _unique_cells(row)
        if len(cells) >= 2:
            question, rest = match_question(_cell_text(cells[0]), qs)
            if question is not None:
                # Two-column layout: the answer is the rest of the row, and stops there.
                yield _Event("question", question=question)
                if rest:
                    yield _Event("para", rest)
                for cell in cells[1:]:
                    for p in cell.paragraphs:  # type: ignore[attr-defined]
                        yield _Event("para", p.text)
                yield _Event("close")
                continue
        # One-column layout (question row, answer row below) or an answer box under a question
        # paragraph: cells flow like paragraphs.
        for cell in cells:
            for p in cell.paragraphs:  # type: ignore[attr-defined]
                yield from _paragraph_events(p, qs)


def _is_template(text: str, qs: QuestionSet) -> bool:
    words = normalize_words(text)
    return any(t and t in words for t in qs.template)


def _collect(events: Iterator[_Event], qs: QuestionSet) -> dict[str, list[str]]:
    """Answer paragraphs per question code, first occurrence of each question only."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for event in events:
        if event.kind == "question":
            assert event.question is not None
            code = event.question.code
            if code in found and current is not None:
                # Already met: this is an answer echoing its question's words, not the question.
                current.append(event.text.strip())
                continue
            current = found.setdefault(code, [])
        elif event.kind == "close":
            current = None
        elif current is not None:
            text = event.text.strip()
            if text and not _is_template(text, qs):
                current.append(text)
    return found


def _read_document(path: Path, display_name: str) -> object:
    """Open the .docx, turning every way it can be unreadable into a French IngestionError."""
    try:
        data_head = path.read_bytes()[:8]
        size = path.stat().st_size
    except OSError as exc:
        raise unreadable_file_error(exc, display_name) from exc
    if size == 0:
        raise IngestionError(
            f"{display_name} : fichier vide. Vérifiez que le bon fichier a été déposé (un "
            "enregistrement a pu échouer) et renvoyez la trame de réponse remplie au format .docx."
        )
    if data_head.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestionError(
            f"{display_name} : format Word 97-2003 (.doc) non pris en charge (ou document protégé par "
            "mot de passe) : ouvrez-le dans Word, retirez l'éventuel mot de passe et enregistrez le "
            "document au format .docx (Fichier > Enregistrer sous > Document Word), puis renvoyez-le."
        )
    if not zipfile.is_zipfile(path):
        raise IngestionError(
            f"{display_name} : ce n'est pas un document Word .docx lisible (fichier corrompu, tronqué "
            "ou d'un autre format). Ouvrez-le dans Word et enregistrez le document au format .docx, "
            "puis renvoyez-le."
        )
    import docx

    try:
        # A few kilobytes of zip can expand to gigabytes of XML: refused before python-docx parses it.
        check_archive(path, display_name, what="document")
        return docx.Document(str(path))
    except IngestionError:
        raise
    except Exception as exc:
        # python-docx raises KeyError, BadZipFile, ValueError… on damaged packages or .odt files.
        TECH_LOG.warning("%s : document illisible : %r", display_name, exc)
        raise IngestionError(
            f"{display_name} : document Word .docx corrompu ou d'un autre format (OpenDocument .odt ?) "
            "illisible. Ouvrez-le dans Word et enregistrez le document au format .docx, puis "
            "renvoyez-le.",
            detail=repr(exc),
        ) from exc


def _pole_candidates(text: str) -> Iterator[str]:
    """`text`, then its parts, then every run of its words: "Candidature AMI - Bou'Sol" holds a pole."""
    text = text.strip()
    yield text
    for sep in ("(", " - ", " – ", ",", ":"):
        if sep in text:
            yield text.split(sep)[0]
    words = [w for w in re.split(r"[\s_\-–.()]+", text) if w]
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            chunk = " ".join(words[start : start + size])
            # Bare numbers are years or versions in file names ("AMI 2015", "v2"), not pole numbers.
            if not normalize_key(chunk).isdigit():
                yield chunk


def _match_pole(text: str, matcher: PoleMatcher) -> str | None:
    for candidate in _pole_candidates(text):
        pole_id = matcher.match(candidate)
        if pole_id is not None:
            return pole_id
    return None


def _header_pole(paragraphs: list[str]) -> tuple[bool, str | None, str]:
    """(a pole line was found, pole id, the value written) from the top lines."""
    matcher = PoleMatcher()
    for text in paragraphs[:HEADER_PARAGRAPHS]:
        label, sep, value = text.partition(":")
        if sep and normalize_key(label) in _HEADER_LABELS and value.strip():
            return True, _match_pole(value, matcher), value.strip()
    return False, None, ""


def _top_texts(doc: object) -> list[str]:
    texts = [p.text for p in doc.paragraphs[:HEADER_PARAGRAPHS]]  # type: ignore[attr-defined]
    # The pole line is sometimes the first row of a table ("Nom du PTCE : | …" or in one cell).
    for table in doc.tables[:2]:  # type: ignore[attr-defined]
        for row in table.rows[:3]:
            cells = _unique_cells(row)
            if len(cells) >= 2 and not _cell_text(cells[0]).strip().endswith(":"):
                texts.extend(_cell_text(c) for c in cells)
            elif len(cells) >= 2:
                texts.append(_cell_text(cells[0]) + " " + _cell_text(cells[1]))
            else:
                texts.extend(_cell_text(c) for c in cells)
    return [t.strip() for t in texts if t.strip()]


def parse_application_docx(path: Path, source_file: str | None = None) -> ApplicationResult:
    """Read one filled-in form. Never raises for bad content: see `ApplicationResult.error`."""
    display_name = source_file or path.name
    result = ApplicationResult(source_file=display_name)
    qs = load_questions()
    try:
        doc = _read_document(path, display_name)
        found = _collect(_events(doc, qs), qs)
        result.questions_found = len(found)
        if len(found) < MIN_QUESTIONS:
            raise IngestionError(
                f"{display_name} : ce document ne semble pas être la trame de réponse à l'AMI « PTCE "
                f"Emploi et sécurisation des parcours » ({len(found)} question(s) reconnue(s) sur "
                f"{len(qs.questions)}). Répondez dans la trame fournie, en gardant le texte des "
                "questions, et renvoyez-la au format .docx."
            )
        for q in qs.questions:
            lines = found.get(q.code) or []
            if q.kind == "oui_non":
                result.yes_no[q.code] = parse_yes_no("\n".join(lines))
            else:
                result.answers[q.code] = "\n".join(lines) if lines else None

        has_line, pole_id, written = _header_pole(_top_texts(doc))
        if pole_id is not None:
            result.pole_id, result.pole_source = pole_id, "entête"
        else:
            pole_id = _match_pole(Path(display_name).stem, PoleMatcher())
            if pole_id is not None:
                result.pole_id, result.pole_source = pole_id, "nom de fichier"
                if has_line:
                    result.notes.append(
                        f"pôle « {written} » de l'entête inconnu : pôle pris dans le nom du fichier."
                    )
            elif has_line:
                raise IngestionError(
                    f"{display_name} : pôle « {written} » inconnu. Écrivez en tête du document "
                    "« Initiative : » suivi du nom ou du numéro (1 à 12) d'un pôle de la communauté, "
                    "puis renvoyez-le."
                )
            else:
                raise IngestionError(
                    f"{display_name} : impossible de savoir de quel pôle il s'agit. Ajoutez en tête du "
                    "document une ligne « Initiative : » suivie du nom du pôle (ou mettez le nom du "
                    "pôle dans le nom du fichier), puis renvoyez-le."
                )
    except IngestionError as exc:
        result.error = exc.message
    return result

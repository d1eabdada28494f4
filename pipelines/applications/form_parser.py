"""Answers to the application form (seed 003) sent as Word `.docx` files (SPEC §2).

Each pole fills in the form its own way: answers in the paragraphs after a question, or in a table
cell beside (or below) it; questions renumbered ("1)", "1.", "Question 1 –"), retyped without accents
or slightly reworded; yes/no choices marked with ☒, ☑ or X, or by deleting the other word; and they
add section titles of their own. Questions are therefore recognised by word overlap with the reference
texts of `questions_ami.yaml` (each word weighted by how rare it is among the questions, mistyped words
read as the word they miss), never by exact text, against a bar that the layout signals of
`form_layout` raise for what looks like a heading and lower for what looks like a question. Each
question then goes to its best paragraph in the whole document, not the first one over the bar.
Everything between a question and the next question or heading is the answer, minus the form's own
explanation paragraphs: a paragraph that is no question but looks like a heading ends the answer.

`parse_application_docx` never raises: an unreadable file or a document that is not the form gives a
result whose `error` is a French message telling the sender what to do.
"""

from __future__ import annotations

import difflib
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from pipelines.applications.docx_controls import unwrap_controls
from pipelines.applications.form_layout import (
    Layout,
    StyleBook,
    heading_kind,
    question_bar,
    strip_numbering,
    text_shape,
)
from pipelines.shared.readers import TECH_LOG, check_archive, unreadable_file_error
from pipelines.shared.results import IngestionError
from ptce.reference import FormQuestion, PoleMatcher, PoleSet, load_form_questions, shipped_poles
from ptce.text import normalize_key, normalize_words

# Fewer recognised questions than this and the document is not taken for the form: a letter or a
# project note shares a few words with one question, rarely with four.
MIN_QUESTIONS = 4
# Word-overlap score (Dice, each word weighted by how rare it is among the questions) a paragraph needs
# to be taken for a question; the layout signals of `form_layout` raise it for what looks like a heading
# and lower it for what looks like a question.
MATCH_THRESHOLD = 0.5
# A key phrase only counts with this much overlap too: an answer may quote a few words of its question.
MIN_PHRASE_SCORE = 0.3
# What a key phrase of the question adds to the overlap (a reworded question keeps its key phrases).
KEY_PHRASE_BONUS = 0.25
# A word missing from the questions' vocabulary is read as a mistyped vocabulary word when it is this
# long and this similar to it (difflib ratio): "approxmative", "echence".
TYPO_MIN_LENGTH = 5
TYPO_RATIO = 0.85
TYPO_CACHE_SIZE = 50_000
# Margins closer than this are a tie, settled by document order.
TIE = 1e-3
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
class Question(FormQuestion):
    """One question of the form (as the reference states it), with its matching material precomputed."""

    tokens: frozenset[str] = frozenset()
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionSet:
    questions: tuple[Question, ...]
    template: tuple[str, ...]
    # Word -> weight: a word found in few questions tells more than "ptce" or "emploi", found in many.
    weights: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    # Weight of a word the questions never use: the most telling, since it is unlike any question.
    unknown_weight: float = 1.0
    _typos: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)
    _totals: dict[str, float] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def weight(self, word: str) -> float:
        return self.weights.get(word, self.unknown_weight)

    def total_weight(self, question: Question) -> float:
        if question.code not in self._totals:
            self._totals[question.code] = sum(self.weight(w) for w in question.tokens)
        return self._totals[question.code]

    def canonical(self, word: str) -> str:
        """`word`, or the vocabulary word it is a typo of."""
        if word in self.weights or len(word) < TYPO_MIN_LENGTH:
            return word
        if word not in self._typos:
            if len(self._typos) > TYPO_CACHE_SIZE:  # a long-running process reads many documents
                self._typos.clear()
            close = difflib.get_close_matches(word, list(self.weights), n=1, cutoff=TYPO_RATIO)
            self._typos[word] = close[0] if close else word
        return self._typos[word]

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
    form = load_form_questions()
    questions = tuple(
        Question(
            **asdict(q),
            tokens=_content_tokens(q.texte),
            phrases=tuple(normalize_words(p) for p in q.phrases_cles),
        )
        for q in form.questions
    )
    template = tuple(normalize_words(t) for t in form.template)
    # Inverse document frequency over the questions.
    counts: dict[str, int] = {}
    for q in questions:
        for word in q.tokens:
            counts[word] = counts.get(word, 0) + 1
    n = len(questions)
    weights = {word: math.log(1 + n / count) for word, count in counts.items()}
    return QuestionSet(
        questions=questions, template=template, weights=weights, unknown_weight=math.log(1 + n)
    )


def _overlap(
    question: Question,
    words: str,
    tokens: frozenset[str],
    own_weight: float,
    qs: QuestionSet,
    *,
    phrases: bool = True,
) -> float:
    """Weighted Dice overlap of a paragraph's words (`own_weight` in all) with the question's, plus
    its key phrases."""
    if not tokens:
        return 0.0
    common = sum(qs.weight(w) for w in tokens & question.tokens)
    total = own_weight + qs.total_weight(question)
    dice = 2 * common / total
    # A key phrase in a sentence of about the question's length is a reworded question; in a long one
    # it may be an answer quoting the question (hence the length cap), and in a short title it names
    # the question's topic (« Nature de la coopération »), so `phrases` is off for those.
    if (
        phrases
        and dice >= MIN_PHRASE_SCORE
        and len(tokens) <= len(question.tokens) + 3
        and any(p in words for p in question.phrases)
    ):
        dice = min(1.0, dice + KEY_PHRASE_BONUS)
    return dice


@dataclass(frozen=True)
class Candidate:
    """A question a paragraph may ask, by how far its overlap clears the bar set by its signals."""

    question: Question
    margin: float
    rest: str  # an inline answer after the question mark


def question_candidates(
    text: str, questions: QuestionSet | None = None, layout: Layout | None = None
) -> list[Candidate]:
    """Every question `text` may be, best first: overlap with the question's words, against a bar that
    heading signals raise (style, section numbering, capitals, short line) and question signals lower
    (question mark, interrogative or imperative wording, question numbering).

    "A quelle échéance approximative ? Printemps 2016" gives the question with rest "Printemps 2016".
    """
    qs = questions or load_questions()
    layout = layout or Layout()
    parts = [(text, "")]
    if "?" in text:
        head, _, tail = text.partition("?")
        if tail.strip():
            parts.insert(0, (head + "?", tail.strip()))
    found: dict[str, Candidate] = {}
    for part, rest in parts:
        body = strip_numbering(part)
        words = normalize_words(body)
        tokens = frozenset(qs.canonical(w) for w in _content_tokens(body))
        shape = text_shape(part, len(tokens))
        bar = MATCH_THRESHOLD + question_bar(shape, layout)
        own_weight = sum(qs.weight(w) for w in tokens)
        for question in qs.questions:
            margin = _overlap(question, words, tokens, own_weight, qs, phrases=not shape.short) - bar
            if margin >= 0 and (question.code not in found or margin > found[question.code].margin):
                found[question.code] = Candidate(question, margin, rest)
    return sorted(found.values(), key=lambda c: -c.margin)


def match_question(
    text: str, questions: QuestionSet | None = None, layout: Layout | None = None
) -> tuple[Question | None, str]:
    """The question `text` asks, if any, and what follows it on the same line (an inline answer).

    "A quelle échéance approximative ? Printemps 2016" gives the question and "Printemps 2016"; a
    section title sharing words with a question (« II. VOTRE PTCE ET L'EMPLOI ») gives None.
    """
    candidates = question_candidates(text, questions, layout)
    if not candidates:
        return None, ""
    return candidates[0].question, candidates[0].rest


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


@dataclass
class _Block:
    """One paragraph of the body or of a table cell, or a table row that may be a question, in order."""

    text: str
    candidates: list[Candidate] = field(default_factory=list)
    heading: str | None = None  # "strong", "weak" or None: see `form_layout.heading_kind`
    template: bool = False
    # A row whose first cell may be a question: the other cells' paragraphs are its answer, and `flow`
    # is how the whole row reads if its first cell is not kept as a question.
    row_answer: tuple[str, ...] | None = None
    flow: tuple[str, ...] = ()
    chosen: Candidate | None = None


def _cell_paragraphs(cell: object) -> list[object]:
    """A cell's paragraphs in order, those of the tables nested in it included."""
    from docx.text.paragraph import Paragraph

    paragraphs: list[object] = []
    for item in cell.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Paragraph):
            paragraphs.append(item)
        else:
            for row in item.rows:
                for nested in _unique_cells(row):
                    paragraphs.extend(_cell_paragraphs(nested))
    return paragraphs


def _cell_text(cell: object) -> str:
    return "\n".join(p.text for p in _cell_paragraphs(cell))  # type: ignore[attr-defined]


def _unique_cells(row: object) -> list[object]:
    # Merged cells come back once per grid column: keep each underlying cell once.
    seen: set[int] = set()
    cells = []
    for cell in row.cells:  # type: ignore[attr-defined]
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _blocks(doc: object, qs: QuestionSet) -> Iterator[_Block]:
    """Body content in reading order: paragraphs and table rows interleaved."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    styles = StyleBook(doc)
    body = doc.element.body  # type: ignore[attr-defined]
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield _paragraph_block(Paragraph(child, doc), qs, styles)
        elif tag == "tbl":
            yield from _table_blocks(Table(child, doc), qs, styles)


def _paragraph_block(paragraph: object, qs: QuestionSet, styles: StyleBook) -> _Block:
    text = paragraph.text  # type: ignore[attr-defined]
    if not text.strip():
        return _Block(text)
    layout = styles.paragraph_layout(paragraph)
    template = _is_template(text, qs)
    return _Block(
        text,
        # The form's own explanations share many words with the questions: never take them for one.
        candidates=[] if template else question_candidates(text, qs, layout),
        heading=heading_kind(text_shape(text, len(_content_tokens(text))), layout),
        template=template,
    )


def _cell_layout(cell: object, styles: StyleBook) -> Layout:
    layouts = [styles.paragraph_layout(p) for p in _cell_paragraphs(cell) if p.text.strip()]  # type: ignore[attr-defined]
    return Layout(
        heading_style=any(lay.heading_style for lay in layouts),
        bold=bool(layouts) and all(lay.bold for lay in layouts),
        contents=any(lay.contents for lay in layouts),
    )


def _table_blocks(table: object, qs: QuestionSet, styles: StyleBook) -> Iterator[_Block]:
    for row in table.rows:  # type: ignore[attr-defined]
        cells = _unique_cells(row)
        if len(cells) >= 2:
            head = _cell_text(cells[0])
            layout = _cell_layout(cells[0], styles)
            template = _is_template(head, qs)
            candidates = [] if template or not head.strip() else question_candidates(head, qs, layout)
            if candidates:
                # Two-column layout: the answer is the rest of the row.
                yield _Block(
                    head,
                    candidates,
                    row_answer=tuple(p.text for cell in cells[1:] for p in _cell_paragraphs(cell)),  # type: ignore[attr-defined]
                    flow=tuple(p.text for cell in cells for p in _cell_paragraphs(cell)),  # type: ignore[attr-defined]
                )
                continue
        # One-column layout (question row, answer row below) or an answer box under a question
        # paragraph: cells flow like paragraphs.
        for cell in cells:
            for p in _cell_paragraphs(cell):
                yield _paragraph_block(p, qs, styles)


def _is_template(text: str, qs: QuestionSet) -> bool:
    words = normalize_words(text)
    return any(t and t in words for t in qs.template)


def _assign(blocks: list[_Block]) -> None:
    """Give each question its best paragraph in the whole document, one paragraph per question.

    The best margin wins, not the first paragraph over the bar: a custom heading sharing words with a
    question loses to the question itself wherever it stands. Ties go to the earlier paragraph (an
    answer quoting its whole question comes after it).
    """
    pairs = sorted(
        ((round(c.margin / TIE), i, c) for i, b in enumerate(blocks) for c in b.candidates),
        key=lambda item: (-item[0], item[1]),
    )
    taken: set[str] = set()
    for _, i, candidate in pairs:
        if blocks[i].chosen is None and candidate.question.code not in taken:
            blocks[i].chosen = candidate
            taken.add(candidate.question.code)


def _is_boundary(blocks: list[_Block], i: int) -> bool:
    """Whether block `i` is a heading that ends the answer above it (it is never a question).

    A strong heading always is. A weak one (a short bold or capitalised line) only when nothing but
    blank lines, the form's explanations or other such lines stand between it and the next question,
    strong heading or the end: followed by text, it is a sub-title of the answer and stays in it.
    """
    block = blocks[i]
    if block.heading == "strong":
        return True
    if block.heading != "weak":
        return False
    for following in blocks[i + 1 :]:
        if following.chosen is not None or following.heading == "strong":
            return True
        if not following.text.strip() or following.template or following.heading == "weak":
            continue
        return False
    return True


def _answer_lines(texts: tuple[str, ...], qs: QuestionSet) -> list[str]:
    return [t.strip() for t in texts if t.strip() and not _is_template(t, qs)]


def _collect(blocks: list[_Block], qs: QuestionSet) -> tuple[dict[str, list[str]], dict[str, int]]:
    """(answer paragraphs per question code, paragraphs per heading that fall under no question).

    A heading ends the answer above it; the text between it and the next question answers nothing
    (an annex, the pole's introduction to a part) and is counted so that the sender can be told.
    """
    found: dict[str, list[str]] = {}
    orphans: dict[str, int] = {}
    current: list[str] | None = None
    heading: str | None = None
    for i, block in enumerate(blocks):
        if block.chosen is not None:
            current = found.setdefault(block.chosen.question.code, [])
            heading = None
            if block.chosen.rest:
                current.append(block.chosen.rest)
            if block.row_answer is not None:
                current.extend(_answer_lines(block.row_answer, qs))
                current = None
            continue
        if block.row_answer is None and _is_boundary(blocks, i):
            current, heading = None, block.text.strip()
            continue
        # A row head or paragraph that lost its question to a better one reads as plain text.
        lines = _answer_lines(block.flow if block.row_answer is not None else (block.text,), qs)
        if current is not None:
            current.extend(lines)
        elif heading is not None and found and lines:
            orphans[heading] = orphans.get(heading, 0) + len(lines)
    return found, orphans


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
        document = docx.Document(str(path))
        # Answers typed in content controls (and other wrappers) read like ordinary text.
        unwrap_controls(document)
        return document
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


def _header_pole(paragraphs: list[str], matcher: PoleMatcher) -> tuple[bool, str | None, str]:
    """(a pole line was found, pole id, the value written) from the top lines."""
    for text in paragraphs[:HEADER_PARAGRAPHS]:
        label, sep, value = text.partition(":")
        if sep and normalize_key(label) in _HEADER_LABELS and value.strip():
            return True, matcher.find(value), value.strip()
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


def _orphan_note(heading: str, count: int) -> str:
    title = heading if len(heading) <= 80 else heading[:79] + "…"
    return (
        f"{count} paragraphe(s) placé(s) sous le titre « {title} » ne répondent à aucune question et ne "
        "sont pas repris dans les réponses : s'ils répondent à une question, placez-les sous cette "
        "question et renvoyez le document."
    )


def parse_application_docx(
    path: Path, source_file: str | None = None, poles: PoleSet | None = None
) -> ApplicationResult:
    """Read one filled-in form against `poles` (the run's poles in force; the shipped twelve by
    default). Never raises for bad content: see `ApplicationResult.error`."""
    display_name = source_file or path.name
    poles = poles or shipped_poles()
    result = ApplicationResult(source_file=display_name)
    qs = load_questions()
    try:
        doc = _read_document(path, display_name)
        blocks = list(_blocks(doc, qs))
        _assign(blocks)
        found, orphans = _collect(blocks, qs)
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

        for heading, count in orphans.items():
            result.notes.append(_orphan_note(heading, count))

        has_line, pole_id, written = _header_pole(_top_texts(doc), poles.matcher)
        if pole_id is not None:
            result.pole_id, result.pole_source = pole_id, "entête"
        else:
            pole_id = poles.matcher.find(Path(display_name).stem)
            if pole_id is not None:
                result.pole_id, result.pole_source = pole_id, "nom de fichier"
                if has_line:
                    result.notes.append(
                        f"pôle « {written} » de l'entête inconnu : pôle pris dans le nom du fichier."
                    )
            elif has_line:
                raise IngestionError(
                    f"{display_name} : pôle « {written} » inconnu. Écrivez en tête du document "
                    f"« Initiative : » suivi du nom ou du numéro ({poles.numbers}) d'un pôle de la "
                    "communauté, puis renvoyez-le."
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

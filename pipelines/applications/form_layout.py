"""What a paragraph of a Word form looks like: a question, a heading, or neither (issue #8, item 7).

Poles add their own section titles to the form (« II. VOTRE PTCE ET L'EMPLOI », « Partie 2 – Nos
actions », « ANNEXES ») and these share words with the questions. Word overlap alone cannot tell them
apart, so the application parser weighs the signals gathered here:

- Word's own structure: a heading or title style (« Heading 2 », « Titre 1 »), an outline level,
  bold type;
- the shape of the text: section numbering (« II. », « Partie 2 », « A) »), a section word alone
  (« Annexes », « Sommaire »), capitals on a short line, a short line without a question mark, the
  pole's own voice (« Nos actions », where the form says « vos »);
- the marks of a question: a question mark, an interrogative or imperative opening (« Quelles… »,
  « Pouvez-vous… », « Décrivez… »), question numbering (« Question 3 », « Q3 »).

Nothing here knows the questions' words: `applications.py` combines these signals with the overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ptce.text import normalize_words

# Section numbering: a roman numeral or a capital letter before a stop ("II.", "IV –", "B)"), unless a
# question number follows ("II.3 Pouvez-vous…" numbers a question); or a section word with its number.
# ("Axe 1 :", "Volet 2 :" are left out: poles number the parts of an answer that way.)
_SECTION_NUMBERING = re.compile(
    r"^\s*(?:"
    r"[IVX]+\s*[.)\-–—:](?!\s*\d)"
    r"|[A-H]\s*[.)](?=\s)"
    r"|(?i:partie|section|chapitre|titre|annexe)s?(?:\s+(?:[IVX]+|\d+|[A-Z])\b|\s*$|\s*[:\-–—])"
    r")"
)
# A section word alone is a heading whatever its style.
_SECTION_WORDS = frozenset(
    [
        "annexe",
        "annexes",
        "sommaire",
        "table des matieres",
        "introduction",
        "preambule",
        "conclusion",
        "synthese",
        "bibliographie",
        "glossaire",
        "pieces jointes",
        "documents joints",
        "remerciements",
    ]
)
_QUESTION_NUMBERING = re.compile(r"^\s*(?:question|q)\s*\d+", re.IGNORECASE)
# Any leading numbering, to find the first real word: "II.3", "1)", "Question 2 –", "Q4 :", "B)".
_LEADING_NUMBERING = re.compile(
    r"^\s*(?:(?i:question|q)\s*(?=\d))?"
    r"(?:(?:\d+|[IVX]+)(?:\s*[.)\-–—:/]\s*\d+)*|[A-H](?=\s*[.)]))"
    r"\s*[.)\-–—:]?\s+"
)
# How the form asks: interrogative words, verb-subject inversion ("Souhaitez-vous", "est-il"), and the
# imperatives of application forms.
_INTERROGATIVE = re.compile(
    r"^(?:(?:a|en|dans|sur|autour de|pour|par|de) )?"
    r"(?:quel|quels|quelle|quelles|lesquel\w*|comment|pourquoi|combien|en quoi|s il s agit)\b"
)
_INVERSION = re.compile(r"\w-(?:t-)?(?:vous|il|elle|ils|elles|on)\b", re.IGNORECASE)
_IMPERATIVES = frozenset(
    [
        "decrivez",
        "precisez",
        "indiquez",
        "presentez",
        "expliquez",
        "detaillez",
        "citez",
        "listez",
        "donnez",
        "exposez",
        "mentionnez",
        "joignez",
        "veuillez",
        "merci",
    ]
)
_FIRST_PERSON = frozenset(["nos", "notre", "mon", "ma", "mes"])
_SENTENCE_ENDS = (".", "?", "!", ":", ";", ",")
_ANSWER_MARKS = re.compile(r"\d|[☒☑☐□✓✔✗✘■]|\b(?:oui|non)\b", re.IGNORECASE)
# Heading styles, by name in any language Word writes them: "Heading 2", "Titre 1", "Title", "Subtitle".
_HEADING_STYLE = re.compile(r"^(?:heading|titre|title|subtitle|sous titre)\b")
# Table of contents entries: "toc 1" (Word's name in every language), "TOC Heading", "Table des matières 1".
_CONTENTS_STYLE = re.compile(r"^(?:toc|table des matieres|tdm)\b")

# A short line has at most this many words once numbering and small words are set aside.
SHORT_WORDS = 4
# Capitals only count as a heading mark on a line of at most this many words ("QUESTION 1 - S'IL
# S'AGIT D'UN PTCE OPÉRATIONNEL…" is a question in capitals, not a heading).
CAPS_MAX_WORDS = 8
# A line longer than this is a sentence, not a title (the form's own part II title has 13 words).
TITLE_MAX_WORDS = 15

# How much each signal raises (heading) or lowers (question) the overlap a paragraph needs to be taken
# for a question. The base bar is `applications.MATCH_THRESHOLD`; these were set on the heading and
# question corpora of tests/form_headings.py.
HEADING_STYLE_BAR = 0.3
SECTION_BAR = 0.3
CAPS_BAR = 0.15
SHORT_BAR = 0.3
FIRST_PERSON_BAR = 0.1
QUESTION_MARK_BAR = -0.1
ASKING_BAR = -0.1
QUESTION_NUMBERING_BAR = -0.05
# Out of reach: a table of contents listing the questions comes before them and would tie with them.
CONTENTS_BAR = 10.0


@dataclass(frozen=True)
class Layout:
    """What Word says about a paragraph beyond its text."""

    heading_style: bool = False  # a heading or title style, or an outline level
    bold: bool = False  # every run with text is bold
    contents: bool = False  # an entry of a table of contents: it repeats a title, never asks anything


@dataclass(frozen=True)
class Shape:
    """Signals read from a paragraph's text alone."""

    section: bool  # section numbering or a section word alone
    caps: bool  # capitals on a short line
    short: bool  # few words and no question mark
    first_person: bool  # the pole's voice ("Nos actions") without a question mark
    question_mark: bool
    asking: bool  # interrogative, inversion or imperative opening
    question_numbering: bool  # "Question 3", "Q3"
    title_like: bool  # short enough for a title, no sentence punctuation at the end
    answer_like: bool  # a figure, a yes/no word or a check mark: what short answers hold
    words: int  # words after the numbering


def strip_numbering(text: str) -> str:
    """The text without its leading numbering: "Q2 : Les objectifs…" -> "Les objectifs…"."""
    return _LEADING_NUMBERING.sub("", text, count=1)


def _body_words(text: str) -> list[str]:
    """The text's words without its leading numbering, lower case and without accents."""
    return normalize_words(strip_numbering(text)).split()


def text_shape(text: str, content_words: int) -> Shape:
    """The text's signals; `content_words` is how many words count for matching (no small words)."""
    words = _body_words(text)
    body = " ".join(words)
    question_mark = "?" in text
    letters = [c for c in text if c.isalpha()]
    stripped = text.strip()
    return Shape(
        section=bool(_SECTION_NUMBERING.match(text)) or normalize_words(text) in _SECTION_WORDS,
        caps=len(letters) >= 3 and all(c.isupper() for c in letters) and len(words) <= CAPS_MAX_WORDS,
        short=content_words <= SHORT_WORDS and not question_mark,
        first_person=bool(words) and words[0] in _FIRST_PERSON and not question_mark,
        question_mark=question_mark,
        asking=bool(_INTERROGATIVE.match(body))
        or bool(_INVERSION.search(text))
        or (bool(words) and words[0] in _IMPERATIVES),
        question_numbering=bool(_QUESTION_NUMBERING.match(text)),
        title_like=0 < len(words) <= TITLE_MAX_WORDS and not stripped.endswith(_SENTENCE_ENDS),
        answer_like=bool(_ANSWER_MARKS.search(text)),
        words=len(words),
    )


def question_bar(shape: Shape, layout: Layout) -> float:
    """How much the signals move the overlap a paragraph needs to be a question (added to the base)."""
    if layout.contents:
        return CONTENTS_BAR
    bar = 0.0
    if layout.heading_style:
        bar += HEADING_STYLE_BAR
    if shape.section:
        bar += SECTION_BAR
    if shape.caps:
        bar += CAPS_BAR
    if shape.short:
        bar += SHORT_BAR
    if shape.first_person:
        bar += FIRST_PERSON_BAR
    if shape.question_mark:
        bar += QUESTION_MARK_BAR
    if shape.asking:
        bar += ASKING_BAR
    if shape.question_numbering:
        bar += QUESTION_NUMBERING_BAR
    return bar


def heading_kind(shape: Shape, layout: Layout) -> str | None:
    """Whether a paragraph that is not a question is a heading: "strong", "weak" or None.

    Strong: a heading style, or section numbering or a section word on a title-like line: deliberate
    structure, always an answer boundary ("A. Nous avons créé un GEIQ." is a sentence of an answer).
    Weak: a short bold or capitalised title-like line, a boundary only where a question or another
    heading follows it (the parser decides), since an answer may start with a bold word or hold a bold
    sub-title of its own.
    """
    if shape.question_mark or shape.asking:
        return None
    if layout.heading_style or layout.contents or (shape.section and shape.title_like):
        return "strong"
    if (layout.bold or shape.caps) and shape.title_like and not shape.answer_like:
        return "weak"
    return None


def _outline_level(element: object) -> int | None:
    from docx.oxml.ns import qn

    ppr = getattr(element, "pPr", None)
    level = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if level is None:
        return None
    try:
        return int(level.get(qn("w:val")))
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class _StyleFacts:
    heading: bool
    contents: bool
    bold: bool | None
    outline: int | None


class StyleBook:
    """A document's styles, each followed to its base styles once.

    python-docx scans every style of the document on each style lookup: read per paragraph, that made
    parsing a form five times slower.
    """

    def __init__(self, document: object) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        raw: dict[str, tuple[str, str | None, bool | None, int | None]] = {}
        self.default_paragraph: str | None = None
        for style in document.styles:  # type: ignore[attr-defined]
            element = style.element
            font = getattr(style, "font", None)
            raw[style.style_id] = (
                normalize_words(style.name or ""),
                element.basedOn_val,
                font.bold if font is not None else None,
                _outline_level(element),
            )
            if element.default and style.type == WD_STYLE_TYPE.PARAGRAPH:
                self.default_paragraph = style.style_id
        self._facts = {style_id: self._resolve(style_id, raw) for style_id in raw}

    @staticmethod
    def _resolve(
        style_id: str, raw: dict[str, tuple[str, str | None, bool | None, int | None]]
    ) -> _StyleFacts:
        names: list[str] = []
        bold: bool | None = None
        outline: int | None = None
        current: str | None = style_id
        while current in raw and len(names) < 10:  # a loop of basedOn would never end
            name, based_on, own_bold, own_outline = raw[current]
            names.append(name)
            bold = own_bold if bold is None else bold
            outline = own_outline if outline is None else outline
            current = based_on
        return _StyleFacts(
            heading=any(_HEADING_STYLE.match(n) for n in names),
            contents=any(_CONTENTS_STYLE.match(n) for n in names),
            bold=bold,
            outline=outline,
        )

    def facts(self, style_id: str | None) -> _StyleFacts | None:
        return self._facts.get(style_id) if style_id is not None else None

    def paragraph_layout(self, paragraph: object) -> Layout:
        """Heading style, boldness and table-of-contents style of a python-docx paragraph."""
        p = paragraph._p  # type: ignore[attr-defined]
        style = self.facts(p.style or self.default_paragraph)
        # Outline levels 0-8 put a paragraph in Word's navigation pane as a heading; 9 is body text.
        level = _outline_level(p)
        if level is None and style is not None:
            level = style.outline
        contents = style is not None and style.contents
        heading = (
            (style is not None and style.heading) or (level is not None and level < 9)
        ) and not contents
        style_bold = bool(style and style.bold)

        def run_bold(run: object) -> bool:
            if run.bold is not None:  # type: ignore[attr-defined]
                return bool(run.bold)  # type: ignore[attr-defined]
            char_style = self.facts(run._r.style)  # type: ignore[attr-defined]
            if char_style is not None and char_style.bold is not None:
                return char_style.bold
            return style_bold

        runs = [r for r in paragraph.runs if r.text.strip()]  # type: ignore[attr-defined]
        return Layout(
            heading_style=heading, bold=bool(runs) and all(run_bold(r) for r in runs), contents=contents
        )

"""Tolerant text matching: the keys used to compare headers, pole names and labels.

Files come from many hands (Excel, form tools, Word), so comparisons ignore case, accents, spaces and
punctuation: "Nom de l'initiative", "NOM_DE_L_INITIATIVE" and "nom de l’initiative " are one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ptce.fmt import fmt_number

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# The marker `truncate_text` leaves at the end of a text it cut.
_TRUNCATED = re.compile(r" … \[tronqué, [\d\s]+ caractères\]$")


def strip_accents(text: str) -> str:
    """Remove diacritics ("Équivalents" -> "Equivalents"), keeping the base letters."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Ligatures that NFKD leaves alone but French writers use.
    return folded.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")


def normalize_key(text: object) -> str:
    """Matching key: lower case, no accents, only letters and digits."""
    if text is None:
        return ""
    return _normalize_key(str(text))


@lru_cache(maxsize=65_536)
def _normalize_key(text: str) -> str:
    # Files repeat the same few hundred pole names, labels and markers on every row: memoised.
    return _NON_ALNUM.sub("", strip_accents(text).lower())


def normalize_words(text: object) -> str:
    """Like `normalize_key` but keeps single spaces between words (for phrase matching)."""
    if text is None:
        return ""
    return _normalize_words(str(text))


@lru_cache(maxsize=65_536)
def _normalize_words(text: str) -> str:
    # An application form's paragraphs are normalised several times each (shape, words, template).
    return _NON_ALNUM.sub(" ", strip_accents(text).lower()).strip()


def truncate_text(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with a marker saying how long it was.

    Used for every text kept from a file (cells, comments, quoted values) so that one oversized cell
    cannot fill the memory or a page; the marker makes the cut visible to whoever reads it.
    """
    if len(text) <= limit:
        return text
    already = _TRUNCATED.search(text)
    if already is not None and already.start() <= limit:
        return text  # cut before (in the reader, say): the marker gives the original length
    return f"{text[:limit]} … [tronqué, {fmt_number(len(text))} caractères]"

"""Pseudonymisation of person identifiers at ingestion (SPEC §5): HMAC-SHA256 with a secret key.

The key comes from the environment variable `PTCE_PSEUDO_KEY`, never from a file of the project.
Identifiers are pole-local strings (two poles may both number a person "12"), so the message is the
pole id and the normalised identifier; the same person written "ab 12" and "AB12" in two files of
one pole gets one pseudonym, and another key gives other pseudonyms. Demo data (the demo marker
under `raw/`) may run without a key: a fixed demo key is used, loudly.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass

from ptce.paths import DataLayout

KEY_VARIABLE = "PTCE_PSEUDO_KEY"
PSEUDONYM_LENGTH = 32  # hex characters kept (128 bits): short enough to read, no collision in practice
PSEUDONYM_PATTERN = rf"^[0-9a-f]{{{PSEUDONYM_LENGTH}}}$"
# Public on purpose: it only ever protects fictitious demo data.
DEMO_KEY = b"observatoire-ptce-cle-de-demonstration"
_SPACES = re.compile(r"\s+")

# Words of the two messages below that the run summary (`pipelines.runner`) looks for.
DEMO_KEY_MARK = "clé de démonstration"
NO_KEY_MARK = "clé de pseudonymisation est absente"
DEMO_KEY_NOTE = (
    "Attention : identifiants pseudonymisés avec la clé de démonstration (variable "
    f"{KEY_VARIABLE} absente), admise seulement pour les données fictives. Pour de vrais fichiers, "
    f"définissez {KEY_VARIABLE} avant « ptce run »."
)
NO_KEY_ERROR = (
    "{source_file} : fichier de parcours non chargé : la clé de pseudonymisation est absente. Les "
    "identifiants des personnes ne sont jamais enregistrés tels quels ; définissez la variable "
    f"d'environnement {KEY_VARIABLE} (une phrase secrète longue, conservée hors du dossier de données "
    "et toujours la même d'une construction à l'autre), puis relancez « ptce run ». Les autres "
    "fichiers ont été publiés."
)


@dataclass(frozen=True)
class PseudonymKey:
    """The key to use, or None when there is none; `demo` when it is the public demo key."""

    key: bytes | None
    demo: bool = False


def resolve_key(layout: DataLayout, environ: dict[str, str] | None = None) -> PseudonymKey:
    """The environment's key; else the demo key for demo data; else no key (files refused)."""
    value = (environ if environ is not None else os.environ).get(KEY_VARIABLE, "")
    if value.strip():
        return PseudonymKey(value.encode("utf-8"))
    if layout.demo_marker.exists():
        return PseudonymKey(DEMO_KEY, demo=True)
    return PseudonymKey(None)


def normalise_identifier(raw: str) -> str:
    """`" ab 12 "`, `"AB12"`, `"ＡＢ１２"` -> `"ab12"`: NFKC, case folded, no whitespace at all."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", raw).strip().casefold())


def pseudonymise(key: bytes, pole_id: str, identifier: str) -> str:
    """The person's pseudonym within the pole: HMAC-SHA256(pole_id US identifier), 32 hex chars."""
    return pseudonym_of(key, pole_id, normalise_identifier(identifier))


def pseudonym_of(key: bytes, pole_id: str, normalised: str) -> str:
    """`pseudonymise` of an identifier already normalised (`normalise_identifier`), which a parser
    may keep from one row to the next."""
    message = f"{pole_id}\x1f{normalised}".encode()
    return hmac.digest(key, message, hashlib.sha256).hex()[:PSEUDONYM_LENGTH]

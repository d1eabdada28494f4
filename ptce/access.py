"""Who may read the dashboards: the role file mapping e-mail addresses to a role (SPEC §5).

In production the dashboards log people in through an OpenID Connect provider (Streamlit's
`st.login`); the provider proves an e-mail address, and this file says what that address may see.
It lives in the data directory, beside the files it protects: `<data>/acces/roles.yaml`
(`DataLayout.role_file`). It is written by COORACE staff, in YAML with French keys:

    utilisateurs:
      - e-mail: marie.martin@coorace.example
        rôle: equipe            # équipe COORACE : tout
      - e-mail: suivi@fondation.example
        rôle: financeur         # Fondation de France : pages réseau, aucune donnée individuelle
      - e-mail: coordination@pole.example
        rôle: pole
        pôle: Bou'Sol           # identifiant, numéro (1–12) ou nom du pôle

Addresses are compared trimmed and case-insensitively. The file is all or nothing: one error
(bad YAML, unknown role or pole, pole missing for a pole user, an address listed twice) and nobody
is let in, because a half-read access list could give someone the wrong role. Every error is
reported in French with the file, the entry and the field, for staff to fix.

No Streamlit here: the dashboards (`dashboards/shared/access.py`) and the tests call it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from ptce.paths import DataLayout, resolve_data_dir
from ptce.read.base import Viewer
from ptce.reference import PoleMatcher
from ptce.text import normalize_key

# Accepted spellings of each key and role value, compared without accents, case or punctuation
# ("rôle", "Role", "ROLE" are one key): the file is typed by people.
_EMAIL_KEYS = frozenset({"email", "courriel", "adresse"})
_ROLE_KEYS = frozenset({"role"})
_POLE_KEYS = frozenset({"pole"})
_ROLES: dict[str, str] = {"equipe": "staff", "financeur": "funder", "pole": "pole"}
ROLE_VALUES = ("equipe", "financeur", "pole")


class RoleFileError(ValueError):
    """The role file is missing or wrong; `errors` lists every problem found, in French."""

    def __init__(self, path: Path, errors: list[str]) -> None:
        self.path = path
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class RoleFile:
    """The access list, read and validated: trimmed lower-case e-mail → viewer."""

    path: Path
    viewers: Mapping[str, Viewer]

    def viewer_for(self, email: str | None) -> Viewer | None:
        """The viewer an e-mail address maps to, or None when the address is not listed."""
        if not email:
            return None
        return self.viewers.get(normalize_email(email))


def normalize_email(email: str) -> str:
    """An address as compared: trimmed, lower case (providers differ in the case they return)."""
    return str(email).strip().lower()


def _field(entry: Mapping[object, object], keys: frozenset[str]) -> tuple[bool, object]:
    for key, value in entry.items():
        if normalize_key(str(key)) in keys:
            return True, value
    return False, None


def _entry_viewer(
    name: str, number: int, entry: object, matcher: PoleMatcher, errors: list[str]
) -> tuple[str, Viewer] | None:
    """One entry of `utilisateurs`, or None after adding its errors."""
    where = f"{name}, entrée n° {number}"
    if not isinstance(entry, Mapping):
        errors.append(f"{where} : l'entrée doit donner « e-mail » et « rôle » (et « pôle » pour un pôle).")
        return None
    found, raw_email = _field(entry, _EMAIL_KEYS)
    email = normalize_email(raw_email) if found and raw_email is not None else ""
    if not email or "@" not in email:
        errors.append(f"{where}, champ « e-mail » : adresse manquante ou invalide ({raw_email!r}).")
        return None
    where = f"{where} ({email})"
    _, raw_role = _field(entry, _ROLE_KEYS)
    role = _ROLES.get(normalize_key(str(raw_role))) if raw_role is not None else None
    if role is None:
        errors.append(
            f"{where}, champ « rôle » : rôle inconnu ({raw_role!r}) ; "
            "rôles possibles : equipe, financeur, pole."
        )
        return None
    has_pole, raw_pole = _field(entry, _POLE_KEYS)
    if role != "pole":
        if has_pole and raw_pole not in (None, ""):
            # A pole given to staff or the funder is a mistake in the file, not something to ignore:
            # the person writing it probably meant a pole user.
            errors.append(f"{where}, champ « pôle » : un pôle n'est donné qu'avec le rôle « pole ».")
            return None
        return email, Viewer(role)  # type: ignore[arg-type]
    if raw_pole is None or str(raw_pole).strip() == "":
        errors.append(f"{where}, champ « pôle » : pôle manquant pour un utilisateur de rôle « pole ».")
        return None
    pole_id = matcher.match(raw_pole)
    if pole_id is None:
        errors.append(
            f"{where}, champ « pôle » : pôle inconnu ({raw_pole!r}) ; "
            "donnez son identifiant, son numéro (1 à 12) ou son nom."
        )
        return None
    return email, Viewer("pole", pole_id)


def load_role_file(path: Path, matcher: PoleMatcher | None = None) -> RoleFile:
    """Read and validate the role file at `path`; raise RoleFileError listing every problem."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RoleFileError(path, [f"{name} : fichier des accès introuvable ({path})."]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RoleFileError(path, [f"{name} : fichier des accès illisible ({exc})."]) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", ligne {mark.line + 1}" if mark is not None else ""
        raise RoleFileError(
            path, [f"{name}{line} : YAML invalide ({getattr(exc, 'problem', exc)})."]
        ) from None
    entries = raw.get("utilisateurs") if isinstance(raw, Mapping) else None
    if not isinstance(entries, list):
        raise RoleFileError(
            path, [f"{name} : la liste « utilisateurs » est absente (voir le README, section Accès)."]
        )
    matcher = matcher or PoleMatcher()
    errors: list[str] = []
    viewers: dict[str, Viewer] = {}
    first_seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        found = _entry_viewer(name, number, entry, matcher, errors)
        if found is None:
            continue
        email, viewer = found
        if email in first_seen:
            errors.append(
                f"{name}, entrée n° {number} ({email}), champ « e-mail » : adresse déjà donnée "
                f"à l'entrée n° {first_seen[email]}."
            )
            continue
        first_seen[email] = number
        viewers[email] = viewer
    if errors:
        raise RoleFileError(path, errors)
    return RoleFile(path=path, viewers=viewers)


def viewer_for(email: str | None, path: Path | None = None) -> Viewer | None:
    """The viewer of a logged-in e-mail address, from the role file of the data directory.

    None when the address is not listed. Raises RoleFileError when the file is missing or wrong:
    then nobody is let in.
    """
    if path is None:
        path = DataLayout(resolve_data_dir()).role_file
    return load_role_file(path).viewer_for(email)

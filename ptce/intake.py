"""Stand-in for the intake client (`ptce/intake.py`), written by another branch.

Only the agreed names and signatures, so that the pages import; every function raises
NotImplementedError. The real module replaces this file at merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

KINDS: dict[str, str] = {
    "indicateurs": "Indicateurs d'emploi",
    "objectifs": "Objectifs annuels",
    "parcours": "Parcours individuels",
    "visites": "Visites et pratiques",
    "candidatures": "Candidatures",
}
ALLOWED_EXTENSIONS: dict[str, frozenset[str]] = {
    "indicateurs": frozenset({".xlsx", ".csv"}),
    "objectifs": frozenset({".xlsx", ".csv"}),
    "parcours": frozenset({".xlsx", ".csv"}),
    "visites": frozenset({".xlsx", ".csv"}),
    "candidatures": frozenset({".docx", ".xlsx", ".csv"}),
}
MAX_BYTES: int = 20 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    field: str | None
    message: str
    blocking: bool


@dataclass(frozen=True)
class Change:
    pole_id: str
    pole: str
    annee: int
    code: str
    libelle: str
    unite: str
    old: float | None
    new: float | None
    change: str


@dataclass(frozen=True)
class FilePreview:
    name: str
    kind: str
    status: str
    message: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    poles: tuple[str, ...]
    other_poles: tuple[str, ...]


@dataclass(frozen=True)
class Preview:
    files: tuple[FilePreview, ...]
    problems: tuple[Problem, ...]
    changes: tuple[Change, ...]
    checks_blocking: tuple[str, ...]
    checks_warning: tuple[str, ...]
    publishable: bool
    seconds: float


@dataclass(frozen=True)
class Deposited:
    original_name: str
    stored: str


@dataclass(frozen=True)
class RunState:
    running: bool
    queued: bool
    lines: tuple[str, ...]
    finished_at: datetime | None
    ok: bool | None


class IntakeError(Exception): ...


def check_upload(upload: Upload, kind: str) -> None:
    raise NotImplementedError


def detect_kind(upload: Upload) -> str | None:
    raise NotImplementedError


def preview(data_dir: Path, uploads: list[Upload], kind: str, pole_id: str | None = None) -> Preview:
    raise NotImplementedError


def deposit(data_dir: Path, uploads: list[Upload], kind: str, who: str, run: bool = True) -> list[Deposited]:
    raise NotImplementedError


def run_state(data_dir: Path) -> RunState:
    raise NotImplementedError


def entry_csv(pole_id: str, periode: str, values: dict[str, float | None]) -> bytes:
    raise NotImplementedError


def write_entry(
    data_dir: Path, pole_id: str, periode: str, values: dict[str, float | None], who: str
) -> Deposited:
    raise NotImplementedError

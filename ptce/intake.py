"""Client of `ptce preview` / `ptce deposit` for the pages « Déposer des fichiers » and « Saisir des
chiffres » (issue #15), and the deposit rules both sides share.

Dashboards never import the pipeline, so this module talks to it through the installed `ptce`
command in a subprocess (the console script beside `sys.executable`), with the data folder passed
explicitly, and reads the JSON the commands write. Uploaded bytes are first written to a private
temporary folder under names of our own (`fichier-1.csv`): nothing from the uploaded name is used as
a path, here or in the commands. No Streamlit here; no `pipelines` import.

The rules of what may be deposited (`KINDS`, `ALLOWED_EXTENSIONS`, `MAX_BYTES`, `refusal`) live
here and the pipeline's side (`pipelines.shared.intake`) imports them, so both refuse the same files.

`detect_kind` reads nothing itself: it asks `ptce preview --detect-only`, which uses the domains'
header recognisers (the same header rules as the parsers).
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath

from ptce.paths import DataLayout

# Raw folder -> French label, in the order the pages offer them.
KINDS: dict[str, str] = {
    "indicateurs": "Indicateurs d'emploi",
    "objectifs": "Objectifs annuels",
    "parcours": "Parcours individuels",
    "visites": "Visites et pratiques",
    "candidatures": "Candidatures",
    "poles": "Référentiel des pôles",
}
# Who the members are (a new pole, a new name or alias, a departure) is COORACE staff's to say:
# a pole may not deposit these, whatever the page offers it.
STAFF_KINDS = frozenset({"poles"})
STAFF_ONLY = "Seule l'équipe COORACE peut déposer un fichier de type « {label} »."
_TABULAR = frozenset({".xlsx", ".csv"})
ALLOWED_EXTENSIONS: dict[str, frozenset[str]] = {
    "indicateurs": _TABULAR,
    "objectifs": _TABULAR,
    "parcours": _TABULAR,
    "visites": _TABULAR,
    "candidatures": _TABULAR | {".docx"},
    "poles": _TABULAR,
}
MAX_BYTES = 20 * 1024 * 1024
JOURNAL_LINES = 40  # lines of the run journal a page shows
# A command's own time limits: a preview is one pipeline run (about 20-40 s on the demo).
PREVIEW_TIMEOUT = 900
COMMAND_TIMEOUT = 120


@dataclass(frozen=True)
class Upload:
    """An uploaded file: `name` is what the person's browser said, never trusted for a path."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Problem:
    """One problem of a file, in French; `file` is its original name, `row` and `field` when known."""

    file: str
    row: int | None
    field: str | None
    message: str
    blocking: bool


@dataclass(frozen=True)
class Change:
    """A published yearly value the files would add, modify or withdraw (`change`)."""

    pole_id: str
    pole: str
    annee: int
    code: str
    libelle: str
    unite: str
    old: float | None
    new: float | None
    change: str  # "ajout" | "modification" | "retrait"


@dataclass(frozen=True)
class FilePreview:
    """How one file would be read: its `ingest_log` line and the poles it touches."""

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
    """A stored file: `stored` is relative to the data folder (`raw/indicateurs/depot-….csv`)."""

    original_name: str
    stored: str


@dataclass(frozen=True)
class RunState:
    """The requested runs: one under way (`running`), one waiting (`queued`), the journal's end."""

    running: bool
    queued: bool
    lines: tuple[str, ...]
    finished_at: datetime | None
    ok: bool | None


class IntakeError(Exception):
    """A file refused or a command that failed; the message is French, for the person."""


def upload_suffix(name: str) -> str:
    """The extension of an uploaded name, lower-cased (`""` if none); the only part ever used."""
    base = PurePosixPath(name.replace("\\", "/")).name
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def refusal(name: str, size: int, kind: str) -> str | None:
    """Why a file of `size` bytes named `name` may not be deposited as `kind`, in French, or None."""
    shown = name if len(name) <= 120 else name[:117] + "…"
    if kind not in KINDS:
        return f"Type de fichier inconnu : « {kind} ». Types possibles : {', '.join(KINDS)}."
    allowed = ALLOWED_EXTENSIONS[kind]
    suffix = upload_suffix(name)
    if suffix not in allowed:
        listed = ", ".join(sorted(allowed))
        what = f"l'extension « {suffix} »" if suffix else "un nom sans extension"
        return (
            f"« {shown} » : {what} n'est pas acceptée pour les {KINDS[kind].lower()} "
            f"(extensions acceptées : {listed})."
        )
    if size == 0:
        return f"« {shown} » : le fichier est vide."
    if size > MAX_BYTES:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        return (
            f"« {shown} » : le fichier pèse {megabytes} Mo, au-delà de la limite de "
            f"{MAX_BYTES // 1024 // 1024} Mo. Envoyez-le en plusieurs fichiers ou sans les onglets inutiles."
        )
    return None


def check_upload(upload: Upload, kind: str) -> None:
    """Raise `IntakeError` (French) if the upload may not be deposited as `kind`: size, extension, empty."""
    reason = refusal(upload.name, len(upload.data), kind)
    if reason is not None:
        raise IntakeError(reason)


def _ptce_command() -> list[str]:
    script = Path(sys.executable).parent / "ptce"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipelines.cli"]


@contextmanager
def _written(uploads: list[Upload]) -> Iterator[list[Path]]:
    """The uploads written to a private temporary folder under names of our own."""
    with tempfile.TemporaryDirectory(prefix="ptce-depot-") as folder:
        os.chmod(folder, 0o700)
        paths = []
        for number, upload in enumerate(uploads, start=1):
            path = Path(folder) / f"fichier-{number}{upload_suffix(upload.name)}"
            path.write_bytes(upload.data)
            paths.append(path)
        yield paths


def _as_argument(text: str) -> str:
    """`text` as a command argument: no NUL (refused by the system) nor other control character.

    Passed as `--option=text`, so a name beginning with « - » is not taken for an option.
    """
    return "".join(ch if ch >= " " and ch != "\x7f" else " " for ch in text)


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [*_ptce_command(), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise IntakeError(f"La commande « ptce {args[0]} » n'a pas répondu en {timeout:.0f} s.") from exc
    except OSError as exc:
        raise IntakeError(f"La commande « ptce » n'a pas pu être lancée ({exc.strerror}).") from exc


def _failure(proc: subprocess.CompletedProcess[str], what: str) -> IntakeError:
    # The commands write their French reason on stderr; the last lines are the useful ones.
    detail = " ".join(line.strip() for line in proc.stderr.strip().splitlines()[-3:] if line.strip())
    return IntakeError(f"{what} a échoué" + (f" : {detail}" if detail else f" (code {proc.returncode})."))


def detect_kind(upload: Upload) -> str | None:
    """The kind of an upload from its extension and column headers, or None when unrecognised.

    Indicators and targets have the same headers: a table of indicator values is `indicateurs`
    unless the person chooses otherwise.
    """
    suffix = upload_suffix(upload.name)
    if suffix == ".docx":
        return "candidatures"
    if suffix not in _TABULAR or not upload.data or len(upload.data) > MAX_BYTES:
        return None
    with _written([upload]) as paths, tempfile.TemporaryDirectory(prefix="ptce-type-") as out:
        result = Path(out) / "type.json"
        proc = _run(["preview", str(paths[0]), "--detect-only", "--json", str(result)], COMMAND_TIMEOUT)
        if proc.returncode != 0 or not result.exists():
            return None
        kinds = json.loads(result.read_text(encoding="utf-8"))["kinds"]
    return kinds[0] if kinds else None


def staff_only(kind: str, pole_id: str | None) -> str | None:
    """Why a pole (`pole_id`; None for staff) may not deposit `kind`, in French, or None.

    The one rule the page, this client and `ptce preview --pole` apply."""
    if pole_id is not None and kind in STAFF_KINDS:
        return STAFF_ONLY.format(label=KINDS[kind])
    return None


def kinds_for(pole_id: str | None) -> list[str]:
    """The kinds a person may deposit: every kind for staff (`pole_id` None), not `STAFF_KINDS`
    for a pole."""
    return [k for k in KINDS if staff_only(k, pole_id) is None]


def _check_allowed(kind: str, pole_id: str | None) -> None:
    reason = staff_only(kind, pole_id)
    if reason is not None:
        raise IntakeError(reason)


def preview(data_dir: Path, uploads: list[Upload], kind: str, pole_id: str | None = None) -> Preview:
    """What depositing `uploads` as `kind` would do, from a pipeline run on a scratch copy.

    Nothing in `data_dir` is written. `pole_id`: each file says which other poles it touches.
    """
    _check_allowed(kind, pole_id)
    for upload in uploads:
        check_upload(upload, kind)
    with _written(uploads) as paths, tempfile.TemporaryDirectory(prefix="ptce-apercu-") as out:
        result = Path(out) / "apercu.json"
        args = ["preview", *map(str, paths), "--kind", kind, "--data-dir", str(data_dir)]
        args += ["--json", str(result)]
        args += [f"--original-name={_as_argument(upload.name)}" for upload in uploads]
        if pole_id is not None:
            args.append(f"--pole={pole_id}")
        proc = _run(args, PREVIEW_TIMEOUT)
        if proc.returncode not in (0, 2) or not result.exists():
            raise _failure(proc, "L'aperçu")
        return preview_from_json(json.loads(result.read_text(encoding="utf-8")))


def preview_from_json(data: dict) -> Preview:
    """A `Preview` from the JSON of `ptce preview` (schema in the README)."""
    return Preview(
        files=tuple(
            FilePreview(
                name=f["name"],
                kind=f["kind"],
                status=f["status"],
                message=f["message"],
                rows_read=f["rows_read"],
                rows_loaded=f["rows_loaded"],
                rows_quarantined=f["rows_quarantined"],
                poles=tuple(f["poles"]),
                other_poles=tuple(f["other_poles"]),
            )
            for f in data["files"]
        ),
        problems=tuple(
            Problem(p["file"], p["row"], p["field"], p["message"], p["blocking"]) for p in data["problems"]
        ),
        changes=tuple(
            Change(
                c["pole_id"],
                c["pole"],
                c["annee"],
                c["code"],
                c["libelle"],
                c["unite"],
                c["old"],
                c["new"],
                c["change"],
            )
            for c in data["changes"]
        ),
        checks_blocking=tuple(data["checks_blocking"]),
        checks_warning=tuple(data["checks_warning"]),
        publishable=data["publishable"],
        seconds=data["seconds"],
    )


def deposit(
    data_dir: Path,
    uploads: list[Upload],
    kind: str,
    who: str,
    run: bool = True,
    pole_id: str | None = None,
) -> list[Deposited]:
    """Store `uploads` under `raw/<kind>/` with safe names, record them, then request a run.

    `pole_id`: the depositing pole (None for staff), refused the kinds only staff may deposit."""
    _check_allowed(kind, pole_id)
    for upload in uploads:
        check_upload(upload, kind)
    with _written(uploads) as paths, tempfile.TemporaryDirectory(prefix="ptce-depot-") as out:
        result = Path(out) / "depot.json"
        args = ["deposit", *map(str, paths), "--kind", kind, "--data-dir", str(data_dir)]
        args += [f"--who={_as_argument(who)}", "--json", str(result)]
        args += [f"--original-name={_as_argument(upload.name)}" for upload in uploads]
        if not run:
            args.append("--no-run")
        proc = _run(args, COMMAND_TIMEOUT)
        if proc.returncode != 0 or not result.exists():
            raise _failure(proc, "Le dépôt")
        stored = json.loads(result.read_text(encoding="utf-8"))["deposited"]
    return [Deposited(d["original_name"], d["stored"]) for d in stored]


def _build_locked(layout: DataLayout) -> bool:
    # Same probe as `pipelines.shared.build_lock.is_locked` (not importable here): a shared lock
    # conflicts only with a build's exclusive one, and is dropped at once.
    try:
        fd = os.open(layout.build_dir / "construction.lock", os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def run_state(data_dir: Path) -> RunState:
    """The runs requested by deposits: running, queued, the journal's last lines and last outcome."""
    layout = DataLayout(Path(data_dir).resolve())
    try:
        lines = layout.run_journal.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        lines = []
    finished_at = ok = None
    try:
        status = json.loads(layout.run_status.read_text(encoding="utf-8"))
        if status.get("fin"):
            finished_at = datetime.fromisoformat(status["fin"])
            ok = bool(status.get("publie"))
    except (FileNotFoundError, ValueError, KeyError):
        pass
    return RunState(
        running=_build_locked(layout),
        queued=layout.run_request.exists(),
        lines=tuple(lines[-JOURNAL_LINES:]),
        finished_at=finished_at,
        ok=ok,
    )


def entry_csv(pole_id: str, periode: str, values: dict[str, float | None]) -> bytes:
    """A typed entry as a normal long indicator file: UTF-8 with BOM, `;`, decimal comma.

    A value left empty (None) is not written: the period's file gives only what was typed, and a
    later entry for the same period replaces it as a whole, like any resubmitted file.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["pôle", "période", "indicateur", "valeur"])
    for code, value in values.items():
        if value is None:
            continue
        # Plain decimals, never an exponent (`1e-05`), with the French comma the parser expects.
        text = format(Decimal(repr(float(value))), "f").removesuffix(".0").replace(".", ",")
        writer.writerow([pole_id, periode, code, text])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_entry(
    data_dir: Path, pole_id: str, periode: str, values: dict[str, float | None], who: str
) -> Deposited:
    """Deposit a typed entry as an indicator file (`entry_csv`) and request a run."""
    safe_period = "".join(ch for ch in periode if ch.isalnum() or ch == "-")[:20]
    upload = Upload(name=f"saisie-{pole_id}-{safe_period}.csv", data=entry_csv(pole_id, periode, values))
    return deposit(data_dir, [upload], "indicateurs", who)[0]

"""Files brought in through the pages (issue #15): preview on a scratch copy, safe deposit, run requests.

- Preview (`ptce preview`): the data folder's `raw/` (hard links when the file system allows, else
  copies) and its arrival register (always a copy: the run appends to it) go to a temporary
  folder; the new files are added under `raw/<kind>/` with the names a deposit would give them; the
  same pipeline runs there (`run_pipeline`, an ephemeral Dagster instance, DAGSTER_HOME pointed into
  the scratch folder). The report reads the scratch build database: each new file's `ingest_log`
  line and quarantined rows, the failed checks, and the published yearly values (`mart_pole_year`)
  of the pole-years the new files touch, real warehouse against scratch. Nothing in the real data
  folder is written, and the rules are those of a real run by construction.
- Deposit (`ptce deposit`): each file is stored as `raw/<kind>/depot-<YYYYMMDD-HHMMSS>-<8 hex>.<ext>`
  (the extension from the allow-list; nothing else from the uploaded name), written to a temporary
  file beside `raw/`, synced, then hard-linked into place (never overwrites an existing file); its
  arrival is recorded in the register and one line goes to `depots.csv` (original name as text).
- Run requests: the marker `curated/.build/run-demandee` is created with O_EXCL; whoever creates it
  starts a detached `ptce run --journal …`, which removes the marker as soon as it holds the build
  lock. A deposit that finds the marker has nothing to do: the queued run has not read `raw/` yet.

Which tables hold a file's poles and pole-years is read from the contract's columns, never from a
domain by name; the deposit rules (`KINDS`, `ALLOWED_EXTENSIONS`, `MAX_BYTES`) are `ptce.intake`'s.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipelines.shared.arrivals import record_arrivals, register_path
from ptce.contract import TABLES, connect_readonly
from ptce.intake import ALLOWED_EXTENSIONS, KINDS, refusal, staff_only, upload_suffix
from ptce.paths import PROJECT_ROOT, DataLayout
from ptce.spreadsheet import neutralise

DEPOSIT_FIELDS = ["depose_utc", "qui", "type", "nom_original", "fichier", "sha256", "taille_octets"]
MAX_NAME_CHARS = 255  # an original name longer than this is cut in depots.csv
# A marker without a live run behind it (the start failed, the run was killed) is stale after this.
STALE_MARKER_SECONDS = 60.0
# The detached run waits this long for a build in progress before giving up (exit code 3).
RUN_WAIT_SECONDS = 3600.0


class IntakeRefused(Exception):
    """A file that may not be deposited, or a deposit that failed; `message` is French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Incoming:
    """A file to preview or deposit: where it is now, and the name the person gave it."""

    path: Path
    original_name: str


def check_incoming(files: Sequence[Incoming], kind: str) -> None:
    """Raise `IntakeRefused` for the first file not allowed (kind, extension, empty, too big)."""
    for item in files:
        try:
            size = item.path.stat().st_size
        except OSError as exc:
            raise IntakeRefused(f"Fichier illisible : {item.path} ({exc.strerror}).") from exc
        reason = refusal(item.original_name, size, kind)
        if reason is not None:
            raise IntakeRefused(reason)


def stored_name(original_name: str, kind: str, now: datetime | None = None) -> str:
    """`depot-<YYYYMMDD-HHMMSS>-<8 hex><ext>`: the extension is the allow-list's, nothing else is kept."""
    suffix = upload_suffix(original_name)
    allowed = {ext for ext in ALLOWED_EXTENSIONS[kind] if ext == suffix}
    if not allowed:
        raise IntakeRefused(refusal(original_name, 1, kind) or "Extension non acceptée.")
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return f"depot-{stamp}-{secrets.token_hex(4)}{allowed.pop()}"


# --- Preview -------------------------------------------------------------------------------------


def _link_or_copy(src: str, dst: str) -> None:
    # The pipeline never writes a raw file, so a hard link is as safe as a copy and costs nothing.
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def preview(
    data_dir: Path, files: Sequence[tuple[Incoming, str]], pole_id: str | None = None
) -> dict[str, Any]:
    """The preview of depositing `files` ((file, kind) pairs) into `data_dir`, as the JSON dict.

    Schema: see the README (« ptce preview »).
    """
    import dagster as dg

    from pipelines.runner import run_pipeline

    started = time.perf_counter()
    layout = DataLayout(data_dir.resolve())
    for item, kind in files:
        check_incoming([item], kind)
        reason = staff_only(kind, pole_id)
        if reason is not None:
            raise IntakeRefused(reason)
    with tempfile.TemporaryDirectory(prefix="ptce-apercu-") as tmp:
        scratch = DataLayout(Path(tmp).resolve() / "data")
        if layout.raw.is_dir():
            shutil.copytree(layout.raw, scratch.raw, symlinks=True, copy_function=_link_or_copy)
        scratch.raw.mkdir(parents=True, exist_ok=True)
        if register_path(layout).exists():
            shutil.copy2(register_path(layout), register_path(scratch))
        new: dict[str, tuple[str, str]] = {}  # stored path -> (original name, kind)
        for item, kind in files:
            folder = scratch.raw_folder(kind)
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / stored_name(item.original_name, kind)
            shutil.copyfile(item.path, target)  # modification time now: the latest arrival
            new[scratch.relative(target)] = (item.original_name, kind)
        home = scratch.curated / ".dagster"
        home.mkdir(parents=True)
        with _environment(DAGSTER_HOME=str(home), PTCE_DATA_DIR=str(scratch.data_dir)):
            outcome = run_pipeline(scratch.data_dir, instance=dg.DagsterInstance.ephemeral())
        report = _report(layout, scratch, new, pole_id)
        errors = [_humanise(e, scratch, new) for e in outcome.step_errors]
        report["checks_blocking"] += [f"Étape en échec — {e}" for e in errors]
        report["publishable"] = bool(outcome.published and not outcome.step_errors)
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def _humanise(text: str | None, scratch: DataLayout, new: dict[str, tuple[str, str]]) -> str:
    """A message of the scratch run as the person should read it: their file names, no temp paths."""
    text = (text or "").replace(f"{scratch.data_dir}/", "")
    for stored, (original, _) in new.items():
        text = text.replace(f"« {stored} »", stored).replace(stored, f"« {original} »")
    return text


def _tables_with(*columns: str) -> list[str]:
    return [t for t, cols in TABLES.items() if all(c in cols for c in columns)]


def _exists(
    con: duckdb.DuckDBPyConnection, table: str, schema: str = "main", catalog: str | None = None
) -> bool:
    sql = "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?"
    params: list[Any] = [schema, table]
    if catalog is not None:
        sql += " and database_name = ?"
        params.append(catalog)
    return bool(con.execute(sql, params).fetchall()[0][0])


def _report(
    layout: DataLayout, scratch: DataLayout, new: dict[str, tuple[str, str]], pole_id: str | None
) -> dict[str, Any]:
    names = list(new)
    empty = pd.DataFrame({"source_file": pd.Series(names, dtype=object)})
    with duckdb.connect(str(scratch.build_database), read_only=True) as con:
        con.register("new_files", empty)
        log = (
            con.execute(
                "select * from ingest_log where source_file in (select source_file from new_files)"
            ).df()
            if _exists(con, "ingest_log")
            else pd.DataFrame(columns=list(TABLES["ingest_log"]))
        )
        quarantine = (
            con.execute(
                """select source_file, row_number, field, reason from quarantine
                   where source_file in (from new_files) order by source_file, row_number"""
            ).df()
            if _exists(con, "quarantine")
            else pd.DataFrame(columns=["source_file", "row_number", "field", "reason"])
        )
        # Every loaded row that names a pole (and a year): the poles and pole-years a file touches.
        poles: dict[str, set[str]] = {n: set() for n in names}
        touched: set[tuple[str, int]] = set()
        for table in _tables_with("source_file", "pole_id"):
            if not _exists(con, table):
                continue
            year = ", annee" if "annee" in TABLES[table] and table != "quarantine" else ", null::integer"
            rows = con.execute(
                f"""select distinct source_file, pole_id{year} from "{table}"
                    where pole_id is not null and source_file in (select source_file from new_files)"""
            ).fetchall()
            for source_file, pole, annee in rows:
                poles[source_file].add(pole)
                if annee is not None:
                    touched.add((pole, int(annee)))
        changes = _changes(con, layout, touched)
        checks_blocking, checks_warning = _failed_checks(con, layout, scratch, new)
    files = []
    for stored, (original, kind) in new.items():
        row = log[log["source_file"] == stored]
        found = row.iloc[0] if len(row) else None
        touched_poles = sorted(poles[stored])
        files.append(
            {
                "name": original,
                "stored": stored,
                "kind": kind,
                "status": "error" if found is None else str(found["status"]),
                "message": "Fichier non lu." if found is None else _humanise(found["message"], scratch, new),
                "rows_read": 0 if found is None else int(found["rows_read"] or 0),
                "rows_loaded": 0 if found is None else int(found["rows_loaded"] or 0),
                "rows_quarantined": 0 if found is None else int(found["rows_quarantined"] or 0),
                "poles": touched_poles,
                "other_poles": [] if pole_id is None else [p for p in touched_poles if p != pole_id],
            }
        )
    problems = [
        {"file": f["name"], "row": None, "field": None, "message": f["message"], "blocking": True}
        for f in files
        if f["status"] in ("error", "ignored")
    ]
    problems += [
        {
            "file": new[q.source_file][0],
            "row": None if pd.isna(q.row_number) else int(q.row_number),
            "field": None if pd.isna(q.field) else str(q.field),
            "message": _humanise(q.reason, scratch, new),
            "blocking": True,
        }
        for q in quarantine.itertuples()
    ]
    return {
        "version": 1,
        "files": files,
        "problems": problems,
        "changes": changes,
        "checks_blocking": checks_blocking,
        "checks_warning": checks_warning,
        "publishable": False,
        "seconds": 0.0,
    }


def _changes(
    con: duckdb.DuckDBPyConnection, layout: DataLayout, touched: set[tuple[str, int]]
) -> list[dict[str, Any]]:
    """Published yearly values of the touched pole-years: real warehouse against the scratch one."""
    if not touched or not _exists(con, "mart_pole_year"):
        return []
    con.register(
        "touched",
        pd.DataFrame(sorted(touched), columns=["pole_id", "annee"]).astype({"annee": "int32"}),
    )
    nothing = "select null::varchar pole_id, null::integer annee, null::varchar code, null::double valeur"
    old_sql = nothing + " limit 0"
    attached = layout.warehouse.exists()
    if attached:
        con.execute("attach ? as pub (read_only)", [str(layout.warehouse)])
        if _exists(con, "mart_pole_year", catalog="pub"):
            old_sql = """select pole_id, annee, code, valeur
                         from touched join pub.main.mart_pole_year using (pole_id, annee)"""
    try:
        rows = con.execute(
            f"""with old as ({old_sql}),
                     new as (select pole_id, annee, code, valeur
                             from touched join main.mart_pole_year using (pole_id, annee))
                select pole_id, coalesce(p.nom_court, pole_id), annee, code, coalesce(c.libelle, code),
                       coalesce(c.unite, ''), old.valeur, new.valeur
                from old full join new using (pole_id, annee, code)
                left join main.poles p using (pole_id)
                left join main.indicator_catalog c using (code)
                where old.valeur is distinct from new.valeur
                order by pole_id, annee, c.domaine_ordre nulls last, c.ordre nulls last, code"""
        ).fetchall()
    finally:
        if attached:
            con.execute("detach pub")
    return [
        {
            "pole_id": pole,
            "pole": name,
            "annee": int(annee),
            "code": code,
            "libelle": label,
            "unite": unit,
            "old": old,
            "new": value,
            "change": "ajout" if old is None else "retrait" if value is None else "modification",
        }
        for pole, name, annee, code, label, unit, old, value in rows
    ]


def _failed_checks(
    con: duckdb.DuckDBPyConnection, layout: DataLayout, scratch: DataLayout, new: dict[str, tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """Failed checks of the scratch run, in French: every blocking one; the warnings that the
    published warehouse does not already show (same check, same count), so old ones do not repeat."""
    if not _exists(con, "check_results"):
        return [], []
    failed = con.execute(
        """select asset, check_name, regle, description, severite, unexpected_count
           from check_results where not passed order by severite, asset, check_name, regle"""
    ).fetchall()
    known: set[tuple[Any, ...]] = set()
    if layout.warehouse.exists():
        try:
            with connect_readonly(layout.warehouse) as pub:
                known = set(
                    pub.execute(
                        """select asset, check_name, regle, unexpected_count
                           from check_results where not passed"""
                    ).fetchall()
                )
        except duckdb.Error:
            known = set()
    blocking, warning = [], []
    for asset, name, rule, description, severity, count in failed:
        text = _humanise(f"{description} ({count or 0} écart(s))", scratch, new)
        if severity == "ERROR":
            blocking.append(text)
        elif (asset, name, rule, count) not in known:
            warning.append(text)
    return blocking, warning


# --- Kind detection ------------------------------------------------------------------------------


def detect_kinds(path: Path) -> list[str]:
    """Kinds whose header a file has, most likely first (`.docx` is an application form)."""
    from pipelines.shared.domain import domains
    from pipelines.shared.readers import read_tabular
    from pipelines.shared.results import IngestionError

    suffix = path.suffix.lower()
    if suffix == ".docx":
        return ["candidatures"]
    try:
        sheets, _, _ = read_tabular(path, path.name)
    except IngestionError:
        return []
    found: list[str] = []
    for sheet in sheets:
        for _, cells in sheet.rows[:20]:
            for domain in domains():
                for kind, recognise in domain.header_recognisers.items():
                    if kind not in found and recognise(list(cells)):
                        found.append(kind)
    # Indicators and targets look alike: indicators unless the person chooses. A pathway file
    # (« Identifiant ; Date d'entrée ; Date de sortie ») may also read as a poles file recording
    # departures: pathways first, the kinds' order; staff choose « Référentiel des pôles ».
    return sorted(found, key=lambda k: list(KINDS).index(k) if k in KINDS else len(KINDS))


# --- Deposit -------------------------------------------------------------------------------------


@contextmanager
def _deposit_lock(layout: DataLayout) -> Iterator[None]:
    """Serialises deposits' appends to the register and `depots.csv` (two pages at once)."""
    layout.build_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(layout.build_dir / "depots.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _store(layout: DataLayout, item: Incoming, kind: str) -> Path:
    """Copy `item` to a fresh safe name under `raw/<kind>/`, atomically, never over another file."""
    folder = layout.raw_folder(kind)
    folder.mkdir(parents=True, exist_ok=True)
    # The temporary copy sits beside raw/, never inside it: a run in progress must not list it.
    staging = layout.build_dir / "depots-en-cours"
    staging.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=staging, suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, item.path.open("rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        for _ in range(20):
            target = folder / stored_name(item.original_name, kind)
            try:
                os.link(tmp, target)  # fails if the name exists: nothing is ever overwritten
                return target
            except FileExistsError:
                continue
            except OSError:
                # No hard links on this file system: rename after a last check for the name.
                if target.exists():
                    continue
                os.replace(tmp, target)
                return target
        raise IntakeRefused(f"Impossible de trouver un nom libre dans {layout.relative(folder)}.")
    finally:
        tmp.unlink(missing_ok=True)


def deposit(
    data_dir: Path, files: Sequence[Incoming], kind: str, who: str, run: bool = True
) -> list[dict[str, str]]:
    """Store `files` as `kind`, record them (register, `depots.csv`), then request a run.

    Returns [{"original_name", "stored"}] in order. Every file is checked before any is stored.
    """
    layout = DataLayout(data_dir.resolve())
    check_incoming(files, kind)
    deposited = []
    with _deposit_lock(layout):
        for item in files:
            target = _store(layout, item, kind)
            stored = layout.relative(target)
            sha = _sha256(target)
            inventory = pd.DataFrame([{"source_file": stored, "sha256": sha, "kind": kind}])
            record_arrivals(layout, inventory)
            _append_deposit(layout, who, kind, item.original_name, stored, sha, target.stat().st_size)
            deposited.append({"original_name": item.original_name, "stored": stored})
    if run:
        request_run(layout)
    return deposited


def _append_deposit(
    layout: DataLayout, who: str, kind: str, original: str, stored: str, sha: str, size: int
) -> None:
    path = layout.deposits_file
    is_new = not path.exists()
    # Excel opens this file: a name or a person beginning with « = » stays text (ptce.spreadsheet).
    row = {
        "depose_utc": datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "qui": neutralise(who[:MAX_NAME_CHARS]),
        "type": kind,
        "nom_original": neutralise(original[:MAX_NAME_CHARS]),
        "fichier": stored,
        "sha256": sha,
        "taille_octets": size,
    }
    with path.open("a", encoding="utf-8-sig" if is_new else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=DEPOSIT_FIELDS, delimiter=";")
        if is_new:
            writer.writeheader()
        writer.writerow(row)


def read_deposits(layout: DataLayout) -> pd.DataFrame:
    """`depots.csv` as text columns (empty frame with the columns when nothing was deposited)."""
    if not layout.deposits_file.exists():
        return pd.DataFrame(columns=DEPOSIT_FIELDS)
    return pd.read_csv(layout.deposits_file, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


# --- Run requests --------------------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _marker_is_stale(marker: Path) -> bool:
    """A marker whose run is gone: its process ended without removing it, or it never started."""
    try:
        text = marker.read_text(encoding="utf-8").strip()
        age = time.time() - marker.stat().st_mtime
    except FileNotFoundError:
        return False
    if text.isdigit():
        return not _pid_alive(int(text))
    return age > STALE_MARKER_SECONDS


def request_run(layout: DataLayout) -> bool:
    """Ask for a run; True when this call started one, False when one was already queued."""
    marker = layout.run_request
    marker.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(2):
        try:
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            if not _marker_is_stale(marker):
                return False
            marker.unlink(missing_ok=True)
            continue
        try:
            process = start_detached_run(layout)
            os.write(fd, str(process.pid).encode())
        except OSError:
            marker.unlink(missing_ok=True)
            raise
        finally:
            os.close(fd)
        return True
    return False


def start_detached_run(layout: DataLayout) -> subprocess.Popen[bytes]:
    """`ptce run --journal …` in its own session: it outlives the page or command that asked."""
    command = [
        sys.executable,
        "-m",
        "pipelines.cli",
        "run",
        "--data-dir",
        str(layout.data_dir),
        "--journal",
        str(layout.run_journal),
        "--wait",
        str(RUN_WAIT_SECONDS),
    ]
    layout.build_dir.mkdir(parents=True, exist_ok=True)
    # Its French lines go to the journal; what it might print beyond them (an unexpected error
    # before the journal opens) is kept beside it rather than lost.
    with (layout.build_dir / "derniere-execution.err").open("w", encoding="utf-8") as errors:
        return subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
            close_fds=True,
        )


def write_json(path: Path, data: dict[str, Any]) -> None:
    """`data` as UTF-8 JSON, written to a temporary file then renamed (never read half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)

"""One build at a time per data folder: a file lock under `curated/.build/`.

Two builds of the same folder would write the same build database and Great Expectations stores
(DuckDB allows one writer; the GX stores get mixed up). So every build takes an exclusive lock on
`curated/.build/construction.lock`: `ptce run` before it starts (waiting a bounded time, then a
French message and exit code 3), and every Dagster run — launched by the sensor, the daemon or the
UI — when its `WarehouseResource` is set up. The sensor does not start a run while the lock is held.

`fcntl.flock` locks are released by the system when the holding process ends, even if it crashes,
so a stale lock file never blocks anything: the file stays, only the lock matters. Inside one
process the lock is reentrant (`ptce run` holds it, then the run it executes takes it again).
Holder details (process, start time) are written in the file for the waiting side's message.
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from ptce.fmt import fmt_datetime
from ptce.paths import DataLayout

LOCK_NAME = "construction.lock"
# A full build takes about a minute; a second build waits for the first rather than failing.
DEFAULT_WAIT_SECONDS = 600.0
POLL_SECONDS = 0.5

_held: dict[Path, tuple[int, int]] = {}  # lock path -> (file descriptor, depth), in this process
_guard = threading.Lock()


class BuildInProgress(Exception):
    """Another build holds the lock of this data folder. `message` is French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def lock_path(layout: DataLayout) -> Path:
    return layout.build_dir / LOCK_NAME


def holder_text(layout: DataLayout) -> str:
    """Who holds (or last held) the lock, in French, from the details the holder wrote."""
    try:
        details = dict(
            line.split("=", 1)
            for line in lock_path(layout).read_text(encoding="utf-8").splitlines()
            if "=" in line
        )
        started = datetime.fromisoformat(details["debut"])
        return f"processus {details['pid']} sur {details['hote']}, commencée le {fmt_datetime(started)}"
    except (OSError, KeyError, ValueError):
        return "détails indisponibles"


def in_progress_message(layout: DataLayout) -> str:
    return (
        f"Une construction de l'entrepôt est déjà en cours sur le dossier de données {layout.data_dir} "
        f"({holder_text(layout)})."
    )


def is_locked(layout: DataLayout) -> bool:
    """Whether a build holds the lock (in this process or another)."""
    path = lock_path(layout)
    with _guard:
        if path in _held:
            return True
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        # A shared lock conflicts only with a build's exclusive one; it is dropped at once.
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases the probe's shared lock
    return False


def acquire(
    layout: DataLayout, wait: float = DEFAULT_WAIT_SECONDS, on_wait: Callable[[str], None] | None = None
) -> None:
    """Take the build lock, waiting up to `wait` seconds; raise `BuildInProgress` after that.

    `on_wait` is told once, in French, that the build waits for another one.
    """
    path = lock_path(layout)
    with _guard:
        if path in _held:
            fd, depth = _held[path]
            _held[path] = (fd, depth + 1)
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + max(wait, 0.0)
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.close(fd)
                raise BuildInProgress(
                    in_progress_message(layout)
                    + f" Elle n'est pas terminée après {wait:.0f} s d'attente : relancez la commande "
                    "quand elle sera finie (suivi dans l'interface Dagster)."
                ) from None
            if not told and on_wait is not None:
                on_wait(in_progress_message(layout) + f" Attente de sa fin (au plus {wait:.0f} s)…")
                told = True
            time.sleep(min(POLL_SECONDS, remaining))
    details = (
        f"pid={os.getpid()}\nhote={socket.gethostname()}\n"
        f"debut={datetime.now().isoformat(timespec='seconds')}\n"
    )
    os.ftruncate(fd, 0)
    os.pwrite(fd, details.encode("utf-8"), 0)
    with _guard:
        _held[path] = (fd, 1)


def release(layout: DataLayout) -> None:
    """Give back one level of the lock; the last one unlocks it."""
    path = lock_path(layout)
    with _guard:
        fd, depth = _held[path]
        if depth > 1:
            _held[path] = (fd, depth - 1)
            return
        del _held[path]
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


@contextmanager
def build_lock(
    layout: DataLayout, wait: float = DEFAULT_WAIT_SECONDS, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the build lock of `layout` for the block (see `acquire`)."""
    acquire(layout, wait, on_wait)
    try:
        yield
    finally:
        release(layout)

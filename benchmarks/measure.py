"""Measuring: a command's wall time and the peak memory of its process tree, percentiles, the machine.

Peak memory is the largest sum of resident set sizes of the child and all its descendants, polled
from /proc every `POLL_SECONDS` (a spike shorter than that can be missed; the figure is a floor of
the true peak). `resource.getrusage(RUSAGE_CHILDREN)` would give the largest single process only,
and accumulate over every child the bench ever ran.
"""

from __future__ import annotations

import contextlib
import math
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

POLL_SECONDS = 0.05
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) of `values`, linearly interpolated between ranks (as numpy's
    default): p50 of [1, 2, 3, 4] is 2.5, p95 of 1..20 is 19.05."""
    if not values:
        raise ValueError("percentile of no value")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0–100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue  # the process ended between listdir and open
        # The command name may hold spaces and parentheses: fields start after the last ')'.
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and all its descendants (0 if it is gone)."""
    children = _children_map()
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * PAGE_BYTES
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(children.get(current, []))
    return total


@dataclass
class Measured:
    """A child process: its exit code, wall time, peak memory of its tree, and what it printed."""

    returncode: int
    seconds: float
    peak_rss: int
    output: str
    timed_out: bool = False


def run_measured(
    cmd: Sequence[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float | None = None,
) -> Measured:
    """Run `cmd`, polling its process tree's memory; stdout and stderr are kept (merged)."""
    started = time.perf_counter()
    # A session of its own: on a timeout the child and what it started (Chromium for the report)
    # are stopped together, and nothing else.
    proc = subprocess.Popen(
        list(cmd),
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    peak = 0
    timed_out = False
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_bytes(proc.pid))
            done.wait(POLL_SECONDS)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        output += f"\n[délai de {timeout:.0f} s dépassé : processus arrêté]"
    finally:
        done.set()
        poller.join()
    return Measured(proc.returncode, time.perf_counter() - started, peak, output, timed_out)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def _git_commit(root: Path) -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        return commit + (" (modifications non validées)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "inconnu"


@dataclass(frozen=True)
class Machine:
    """What the figures were measured on (they drift with the machine; ratios less so)."""

    cpu: str
    cores: int
    cores_usable: int
    ram_bytes: int | None
    python: str
    versions: dict[str, str]
    date: str
    commit: str
    bytecode: str


def _module_files() -> list[str]:
    """The `__init__.py` of the big libraries `ptce run` imports (where their bytecode would be)."""
    import importlib.util

    files = []
    for name in ("duckdb", "dagster", "pandas"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            files.append(spec.origin)
    return files


def describe_machine(root: Path) -> Machine:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    no_bytecode = os.environ.get("PYTHONDONTWRITEBYTECODE")
    # The set-up compiles the environment once (`uv sync --compile-bytecode`): with that, processes
    # read .pyc files even when they may not write any.
    compiled = any(Path(init).parent.joinpath("__pycache__").is_dir() for init in _module_files())
    return Machine(
        cpu=_cpu_model(),
        cores=os.cpu_count() or 1,
        cores_usable=usable,
        ram_bytes=_ram_bytes(),
        python=f"{platform.python_implementation()} {platform.python_version()}",
        versions={
            p: _version(p)
            for p in ("duckdb", "dagster", "great-expectations", "pandas", "streamlit", "openpyxl")
        },
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        commit=_git_commit(root),
        bytecode=(
            "bibliothèques précompilées à l'installation (fichiers .pyc lus par chaque processus)"
            + (" ; PYTHONDONTWRITEBYTECODE=1 : aucun autre .pyc écrit" if no_bytecode else "")
            if compiled
            else "PYTHONDONTWRITEBYTECODE=1 : aucun fichier .pyc, chaque processus compile ses modules"
            if no_bytecode
            else "fichiers .pyc écrits au premier usage et réutilisés"
        ),
    )


# What `ptce run` imports, for its bare-import reference (the demo target: run <= 2 x this import).
RUN_LIBRARIES = (
    "dagster",
    "dagster_duckdb",
    "great_expectations",
    "duckdb",
    "pandas",
    "numpy",
    "openpyxl",
    "docx",
    "yaml",
    "babel",
    "statsmodels.api",
)


def bare_import_command() -> list[str]:
    return [sys.executable, "-c", "import " + ", ".join(RUN_LIBRARIES)]

"""Fixtures of the browser tests: the real app, served by `ptce dashboard`, driven by Chromium.

The data directory is built the way a user builds it — `ptce sample`, a few hostile files a pole
might send (script tags in an answer and a comment, a formula in a cell), then `ptce run` — while
the app starts on free local ports against it. Chromium is Debian's (/usr/bin/chromium, driven
by Playwright); no browser is ever downloaded. Every request the pages make is recorded, and any
request to a host other than the local one is refused and reported by the tests.

Screenshots are kept, full height, in `test-artifacts/screenshots/` (git-ignored).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipelines.applications.form_parser import load_questions
from pipelines.cli import main
from ptce.paths import PROJECT_ROOT

CHROMIUM = Path(os.environ.get("PTCE_CHROMIUM", "/usr/bin/chromium"))
# Flags of a quiet headless Chromium on a machine with no way out: without the background
# networking ones, Chromium keeps trying to reach its vendor's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# The `ptce` command the project installs, from the same environment as the tests.
PTCE = Path(sys.executable).parent / "ptce"
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
# Screenshots and PNG renderings of the printed PDFs are for a person to look at: written on a
# developer's machine, not in CI where nobody opens them and where drawing each page at full
# height (up to 16 000 px) and rasterising every printed sheet took minutes. Every assertion runs
# either way. PTCE_CAPTURES=1 forces them, PTCE_CAPTURES=0 turns them off.
CAPTURES = os.environ.get("PTCE_CAPTURES", "0" if os.environ.get("CI") else "1") != "0"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
# Addresses written in an answer: none may become a live link or a fetched image.
LINKS = (
    "Voir http://exemple.invalid/page, www.exemple.invalid, contact@exemple.invalid, "
    "[clic](http://exemple.invalid/lien) ![logo](http://exemple.invalid/logo.png)"
)
FORMULA = '=HYPERLINK("http://exemple.invalid";"clic")'
# The pole whose answers and comment carry the payloads: n° 1 comes first in every selector.
HOSTILE_POLE_NAME = "Pôle Sud Aquitain"
HOSTILE_POLE_SHORT = "Sud Aquitain"  # in the selectors' full name « Pôle de Coopération Sud Aquitain »
# The demo indicator file (pole Bourian, CP1252 CSV) that gets a commented value and a formula.
COMMENT_FILE = "bourian_indicateurs_2016.csv"
COMMENT_POLE_NAME = "PTCE Bourian"
# A practice (raw/visites/) whose title carries an image tag: the visits page must list it as text.
PRACTICE_TITLE = f"Fiche {IMG} partagée"


@dataclass
class Server:
    """The app under test: its address, data directory and server log."""

    url: str
    data_dir: Path
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@dataclass
class Traffic:
    """What a page did beyond drawing: requests sent, requests refused, dialogs opened."""

    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def _build_data(data_dir: Path) -> None:
    """`ptce sample`, the hostile files, then `ptce run`: the command's own entry point, in this
    process (the pipeline is already imported by the other tests; a new process would import it again)."""
    out, err = io.StringIO(), io.StringIO()
    # `ptce run` sets these for its process; they must not outlive the build.
    with pytest.MonkeyPatch.context() as env, redirect_stdout(out), redirect_stderr(err):
        for name in ("PTCE_DATA_DIR", "DAGSTER_HOME"):
            env.setenv(name, os.environ.get(name, ""))
        sampled = main(["sample", "--data-dir", str(data_dir)])
        if sampled == 0:
            _add_hostile_files(data_dir)
            built = main(["run", "--data-dir", str(data_dir)])
    assert sampled == 0, out.getvalue() + err.getvalue()
    assert built == 0, out.getvalue() + err.getvalue()
    assert "Entrepôt publié." in out.getvalue()


def _add_hostile_files(data_dir: Path) -> None:
    """What a careless or malicious sender could put in files: markup and formulas."""
    raw = data_dir / "raw"
    # A form-tool export resent by pole n° 1: its answers become the current version.
    questions = load_questions().questions
    texts = {0: f"{SCRIPT} {IMG} (données fictives)", 1: LINKS}
    answers = [
        texts.get(i, "Oui" if q.kind == "oui_non" else "Réponse fictive.") for i, q in enumerate(questions)
    ]
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Nom de l'initiative", *(q.texte[:100] for q in questions)])
    writer.writerow([HOSTILE_POLE_NAME, *answers])
    (raw / "candidatures" / "export_formulaire_renvoi.csv").write_text(out.getvalue(), encoding="utf-8")
    # A pole's own French-Excel CSV: markup in a comment, and a line whose indicator is a formula
    # (unknown indicator: quarantined, so the formula reaches the quarantine export).
    path = raw / "indicateurs" / COMMENT_FILE
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="cp1252"), newline=""), delimiter=";"))
    rows[1][4] = f"{SCRIPT} {IMG}"
    rows.append([rows[1][0], rows[1][1], FORMULA, "3", ""])
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="cp1252", newline="")
    # A practices file resent by the same pole: markup and a formula in what the page lists as text.
    practices = io.StringIO(newline="")
    writer = csv.writer(practices, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Titre", "Pôle", "Angle", "Outil", "Description", "Visite"])
    writer.writerow(
        [PRACTICE_TITLE, HOSTILE_POLE_NAME, "qualité de l'emploi", FORMULA, f"{SCRIPT} **gras**", ""]
    )
    (raw / "visites" / "pratiques_renvoi.csv").write_text(practices.getvalue(), encoding="utf-8")


def _free_port_pair() -> int:
    """A port P with P+1 free too (`ptce dashboard` serves the Data Docs on P+1)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("aucune paire de ports libres")


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté (code {process.returncode}) :\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"le serveur ne répond pas après {timeout} s :\n{log.read_text()}")


def start_dashboard(
    data_dir: Path,
    folder: Path,
    extra: Callable[[str], list[str]] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[subprocess.Popen, str, Path]:
    """`ptce dashboard` over `data_dir` on free local ports, healthy: (process, address, log).

    `extra(url)` gives more arguments for the server at `url` (a login's secrets name its own
    address); `meanwhile()` runs once while the first server starts (the server needs no data to
    start). Ports are free when chosen but another process may take one before the server binds
    it (tests running side by side): the server then stops at once, and is started again on other
    ports. Stop it with `_stop`.
    """
    for attempt in range(3):
        port = _free_port_pair()
        url = f"http://127.0.0.1:{port}"
        log = folder / f"serveur-{attempt}.log"
        arguments = extra(url) if extra is not None else []
        with log.open("w", encoding="utf-8") as out:
            process = subprocess.Popen(
                [str(PTCE), "dashboard", "--data-dir", str(data_dir), "--port", str(port), *arguments],
                cwd=PROJECT_ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if meanwhile is not None:
            task, meanwhile = meanwhile, None
            try:
                task()
            except BaseException:
                _stop(process)
                raise
        try:
            _wait_healthy(url, process, log)
        except RuntimeError:
            _stop(process)
            if "Address already in use" in log.read_text(errors="replace") and attempt < 2:
                continue
            raise
        return process, url, log
    raise AssertionError("unreachable")


@pytest.fixture(scope="package")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`ptce dashboard` on free local ports, over demo data plus hostile files built meanwhile with
    the `ptce` command (no page is asked for before the data are built); stopped with Ctrl-C
    (SIGINT) at the end."""
    data_dir = tmp_path_factory.mktemp("navigateur") / "data"
    process, url, log = start_dashboard(
        data_dir, tmp_path_factory.mktemp("serveur"), meanwhile=lambda: _build_data(data_dir)
    )
    try:
        yield Server(url=url, data_dir=data_dir, log=log)
    finally:
        _stop(process)


STOP_GRACE_SECONDS = 10


def _stop(process: subprocess.Popen) -> None:
    """Ctrl-C as a terminal sends it: SIGINT to the whole process group (`ptce dashboard` and its
    servers at once), then SIGKILL after a grace period. With SIGINT to `ptce` alone, three of the
    servers were still up after 30 s in a profiled run (90 s of teardown); stopped by hand with a
    page open, one stops in under 4 s."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# Package scope: Playwright's event loop is closed once the browser tests are done, before the
# pipeline tests run Dagster (which warns about a foreign event loop left open).
@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """Debian's headless Chromium through Playwright (fails in CI when it is missing)."""
    if not CHROMIUM.exists():
        message = (
            f"Chromium introuvable ({CHROMIUM}) : installez-le avec « apt-get install chromium "
            "fonts-noto-color-emoji » (./scripts/test.sh le fait quand il tourne en root)."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


# The server (and its data, built by Dagster) before the browser: Playwright's event loop must not be
# open while Dagster runs in this process.
@pytest.fixture
def page(app_server: Server, browser, traffic: Traffic) -> Iterator[object]:
    """A fresh page (own context: no cookies, no cache) that records what it sends and opens."""
    context = browser.new_context(
        viewport={"width": 1440, "height": 1000}, locale="fr-FR", accept_downloads=True
    )

    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        traffic.requests.append(route.request.url)
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            # Refused here so a test run never leaves the machine; reported by the tests.
            traffic.refused.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()

    def on_dialog(dialog) -> None:
        traffic.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("console", lambda m: traffic.console_errors.append(m.text) if m.type == "error" else None)
    try:
        yield pg
    finally:
        context.close()


def wait_for_app(pg, timeout: float = 60_000) -> None:
    """Wait until Streamlit is connected and the page's script has finished running."""
    # The state is "notRunning" for a moment before the first run starts: wait for content too.
    pg.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"]', timeout=timeout)
    pg.wait_for_selector(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]',
        timeout=timeout,
    )
    # Charts draw after the script ends; let them settle before reading or screenshotting.
    pg.wait_for_load_state("networkidle")
    pg.wait_for_timeout(300)


def full_screenshot(pg, name: str) -> Path | None:
    """The whole page, full height: Streamlit scrolls inside its main container, not the window.
    None when captures are off (CI, see CAPTURES)."""
    if not CAPTURES:
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = pg.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]') || document.body;
            return Math.max(main.scrollHeight, document.body.scrollHeight);
        }"""
    )
    viewport = pg.viewport_size
    pg.set_viewport_size({"width": viewport["width"], "height": min(int(height) + 40, 16_000)})
    pg.wait_for_timeout(500)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    pg.set_viewport_size(viewport)
    return path


def copy_artifact(source: Path, name: str) -> Path:
    """Keep a downloaded file beside the screenshots, for a person to open."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    shutil.copyfile(source, target)
    return target

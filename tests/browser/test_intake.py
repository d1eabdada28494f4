"""Depositing files and typing figures, in a real browser, down to the published figures (issue #15).

The pages run the real thing: « Vérifier » is a pipeline run on a scratch copy of the data folder,
« Confirmer le dépôt » and « Enregistrer » store a raw file and start a detached `ptce run`. So this
module has its own server over a copy of the browser tests' data (the other tests read those data
unchanged), and its tests run in order on it: a bad file loads nothing; a correction, then figures
typed in the form while its run goes on, both land: the overview and the pole page change. Every
expected figure is the one the test wrote in its files, read back by SQL. (Two files deposited one
right after the other are also covered without a browser, in tests/test_intake.py: each check here
is a pipeline run, so the browser does only what needs a browser.)
"""

from __future__ import annotations

import csv
import io
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ptce import intake
from ptce.contract import connect_readonly
from ptce.paths import DataLayout
from tests.browser.conftest import Server, Traffic, _stop, full_screenshot, start_dashboard, wait_for_app
from tests.browser.test_interactions import choose
from tests.browser.test_tables import column_texts, grid_of, number

pytestmark = [pytest.mark.browser, pytest.mark.slow]

YEAR = 2017  # the demo's last published year
BAD_NAME = "<img src=x onerror=alert(1)>.csv"
TRAVERSAL_NAME = "../../x.csv"
# Poles that send yearly files (one value per indicator for the year, no quarters): a resent file
# for the year replaces theirs as a whole, so the corrections repeat every value but one.
FIRST_POLE, TYPED_POLE = "phares", "tarnais"
CODE = "emplois_crees"
TYPED_CODE = "membres"  # the first row of the entry table
TYPED_VALUE = 77
PREVIEW_TIMEOUT = 180_000  # ms: a check is a pipeline run (20-30 s alone, more on a busy machine)
RUN_TIMEOUT = 300  # s: the deposits' runs, one after the other


@pytest.fixture(scope="module")
def intake_server(app_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`ptce dashboard` over a copy of the browser tests' data: the deposits change it."""
    data_dir = tmp_path_factory.mktemp("depot") / "data"
    # The copy keeps no run state of the original (none is under way: it was built before).
    shutil.copytree(app_server.data_dir, data_dir, symlinks=True)
    process, url, log = start_dashboard(data_dir, tmp_path_factory.mktemp("serveur-depot"))
    try:
        yield Server(url=url, data_dir=data_dir, log=log)
    finally:
        _wait_for_runs(data_dir)  # a detached run must not outlive the test's folder
        _stop(process)


def _sql(server: Server, sql: str, params: list | None = None) -> list[tuple]:
    con = connect_readonly(DataLayout(server.data_dir).warehouse)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _published(server: Server, pole_id: str, code: str) -> float | None:
    rows = _sql(
        server,
        "select valeur from mart_pole_year where pole_id = ? and annee = ? and code = ?",
        [pole_id, YEAR, code],
    )
    return rows[0][0] if rows else None


def _network(server: Server, code: str) -> float:
    ((value,),) = _sql(
        server, "select valeur from mart_network_year where annee = ? and code = ?", [YEAR, code]
    )
    return value


def _french(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _correction(server: Server, pole_id: str, code: str, value: float) -> bytes:
    """The pole's yearly file for YEAR sent again, every value as published but `code`'s."""
    rows = _sql(
        server,
        "select code, valeur from indicator_values where pole_id = ? and annee = ? and trimestre is null "
        "order by row_number",
        [pole_id, YEAR],
    )
    assert len(rows) >= 10 and code in {c for c, _ in rows}, rows
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["pôle", "période", "indicateur", "valeur"])
    for row_code, row_value in rows:
        writer.writerow([pole_id, YEAR, row_code, _french(value if row_code == code else row_value)])
    return out.getvalue().encode("utf-8")


def _raw_listing(data_dir: Path) -> list[str]:
    return sorted(p.relative_to(data_dir).as_posix() for p in (data_dir / "raw").rglob("*"))


def _wait_for_runs(data_dir: Path) -> None:
    """Until no run requested by a deposit is under way or waiting."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        state = intake.run_state(data_dir)
        if not (state.running or state.queued):
            return
        time.sleep(1)
    raise AssertionError(
        f"le traitement n'a pas fini en {RUN_TIMEOUT} s : {intake.run_state(data_dir).lines}"
    )


def _upload(pg, key: str, name: str, data: bytes, attempts: int = 3) -> None:
    """Send one file through the uploader `key`, as a person's browser does.

    Choosing the file type redraws the uploader (its accepted types change): a file set on the
    uploader just before that rerun reaches the page (a slow machine shows it, CI once did) is
    dropped with the old widget. So the file is set again, up to `attempts` times in all, until
    the uploader lists it; an uploader that never takes it still fails the test."""
    # The uploader shortens a long name on screen; its « Remove » button names the whole file.
    listed = pg.locator(f".st-key-{key}").get_by_role("button", name=f"Remove {name}", exact=True)
    for attempt in range(1, attempts + 1):
        wait_for_app(pg)
        pg.locator(f".st-key-{key} input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
        )
        try:
            expect(listed).to_be_visible(timeout=20_000)
            break
        except AssertionError:
            if attempt == attempts:
                raise
    wait_for_app(pg)


def _open_value_editor(pg, grid, attempts: int = 3):
    """Open the editor of the first row's « Valeur » cell: click the first cell, move right, Enter.

    A rerun that redraws the grid between the click and the keys (the page's last choice reaching
    the server late: CI once showed it) leaves the keys on another cell, whose editor is read-only.
    Then Escape and again, up to `attempts` times in all; a cell never editable fails the test."""
    editor = pg.locator("#portal textarea, #portal input").first
    for attempt in range(1, attempts + 1):
        wait_for_app(pg)
        columns = grid.evaluate("g => [...g.querySelectorAll('th')].map(h => h.textContent.trim())")
        box = grid.locator('[data-testid="data-grid-canvas"]').bounding_box()
        pg.mouse.click(box["x"] + 20, box["y"] + 35 + 17)  # below the header row: the first data row
        for _ in range(columns.index("Valeur")):
            pg.keyboard.press("ArrowRight")
        pg.keyboard.press("Enter")
        try:
            expect(editor).to_be_editable(timeout=10_000)
            return editor
        except AssertionError:
            if attempt == attempts:
                raise
            pg.keyboard.press("Escape")
    raise AssertionError("unreachable")


def _check(pg) -> None:
    """« Vérifier », then wait for the result of the run on a scratch copy."""
    pg.locator(".st-key-depot_verifier button").click()
    expect(pg.get_by_text("Résultat de la vérification")).to_be_visible(timeout=PREVIEW_TIMEOUT)
    wait_for_app(pg)


def _cells(grid, *columns: str) -> list[tuple[str, ...]]:
    return list(zip(*(column_texts(grid, c) for c in columns), strict=True))


def test_a_bad_file_shows_its_french_problems_and_loads_nothing(
    page, intake_server: Server, traffic: Traffic
) -> None:
    layout = DataLayout(intake_server.data_dir)
    raw_before = _raw_listing(intake_server.data_dir)
    published_before = layout.warehouse.stat().st_mtime_ns
    bad = (
        "pôle;période;indicateur;valeur\r\n"
        f"Pôle Imaginaire;{YEAR};{CODE};4\r\n"
        f"{FIRST_POLE};{YEAR};{CODE};-5\r\n"
    ).encode()

    page.goto(f"{intake_server.url}/deposer")
    wait_for_app(page)
    choose(page, "Type de fichier", "Indicateurs d'emploi")
    wait_for_app(page)
    _upload(page, "depot_fichiers", BAD_NAME, bad)
    _check(page)

    grid = grid_of(page, "depot_problemes")
    problems = _cells(grid, "Fichier", "Ligne", "Champ", "Problème", "Gravité")
    assert [(f, number(r), c, g) for f, r, c, _, g in problems] == [
        (BAD_NAME, 2, "pôle", "Bloquant"),
        (BAD_NAME, 3, "valeur", "Bloquant"),
    ]
    assert "ligne 2, champ pôle" in problems[0][3] and "Pôle Imaginaire" in problems[0][3]
    assert "ligne 3, champ valeur" in problems[1][3] and "valeur négative (-5)" in problems[1][3]
    files = _cells(grid_of(page, "depot_fichiers_verifies"), "Fichier", "Lignes chargées")
    assert [(f, number(n)) for f, n in files] == [(BAD_NAME, 0)]
    # The name is text: shown as sent, never made into an image, no script run.
    expect(page.get_by_text(BAD_NAME).first).to_be_attached()
    assert page.locator('img[src="x"]').count() == 0
    full_screenshot(page, "depot-fichier-errone")

    # Nothing loaded: no raw file written, the published warehouse untouched, no run asked for.
    assert _raw_listing(intake_server.data_dir) == raw_before
    assert layout.warehouse.stat().st_mtime_ns == published_before
    assert not layout.run_request.exists()
    assert traffic.refused == [] and traffic.dialogs == []


def test_a_correction_then_figures_typed_meanwhile_both_land_on_the_overview_and_pole_page(
    page, intake_server: Server, traffic: Traffic
) -> None:
    data_dir = intake_server.data_dir
    layout = DataLayout(data_dir)
    first_old = _published(intake_server, FIRST_POLE, CODE)
    total_old = _network(intake_server, CODE)
    assert first_old is not None
    first_new = first_old + 23
    ((pole_label,),) = _sql(intake_server, "select nom from poles where pole_id = ?", [TYPED_POLE])
    assert _published(intake_server, TYPED_POLE, TYPED_CODE) != TYPED_VALUE
    raw_before = set(_raw_listing(data_dir))

    page.goto(f"{intake_server.url}/deposer")
    wait_for_app(page)
    choose(page, "Type de fichier", "Indicateurs d'emploi")
    wait_for_app(page)
    _upload(page, "depot_fichiers", TRAVERSAL_NAME, _correction(intake_server, FIRST_POLE, CODE, first_new))
    _check(page)
    changes = _cells(
        grid_of(page, "depot_changements"),
        "Pôle",
        "Indicateur",
        "Ancienne valeur",
        "Nouvelle valeur",
        "Changement",
    )
    assert [(p, i, number(o), number(n), c) for p, i, o, n, c in changes] == [
        ("PHARES", "Emplois créés dans l'année", first_old, first_new, "Modification")
    ]
    full_screenshot(page, "depot-correction-apercu")
    page.locator(".st-key-depot_confirmer button").click()
    expect(page.get_by_text("Dépôt enregistré")).to_be_visible(timeout=60_000)
    shown = page.get_by_text(f"« {TRAVERSAL_NAME} » → raw/indicateurs/depot-")
    expect(shown).to_be_visible()

    # Stored under a name of our own, inside raw/; the name as sent only in the register of deposits.
    added = sorted(set(_raw_listing(data_dir)) - raw_before)
    assert len(added) == 1 and added[0].startswith("raw/indicateurs/depot-") and added[0].endswith(".csv")
    assert added[0] in shown.inner_text()
    assert not (data_dir.parent / "x.csv").exists() and not (data_dir / "x.csv").exists()
    # « ../../x.csv » from raw/<kind>/ or from the data folder: neither landing place may hold it.
    # (Only these two: the folders above are pytest's, shared with other tests' files.)
    assert list(data_dir.rglob("x.csv")) == [] and not (data_dir.parent.parent / "x.csv").exists()
    with layout.deposits_file.open(encoding="utf-8-sig", newline="") as f:
        register = f.read()
    assert TRAVERSAL_NAME in register and added[0] in register

    # Then figures typed in the form, while the correction's run goes on.
    page.goto(f"{intake_server.url}/saisir")
    wait_for_app(page)
    choose(page, "Pôle", pole_label)
    wait_for_app(page)
    choose(page, "Année", str(YEAR))
    wait_for_app(page)

    # The grid draws on a canvas: select the first cell, move right to « Valeur », open its editor
    # (Enter), type, Enter. Keys typed on a closed cell open the editor and lose all but the first.
    grid = page.locator(".st-key-saisie_tableau [data-testid='stDataFrame']")
    expect(grid.locator("table")).to_be_attached(timeout=30_000)
    grid.scroll_into_view_if_needed()
    assert column_texts(grid, "Code")[0] == TYPED_CODE
    editor = _open_value_editor(page, grid)
    editor.fill(str(TYPED_VALUE))
    page.keyboard.press("Enter")
    expect(editor).to_have_count(0)
    wait_for_app(page)
    assert number(column_texts(grid, "Valeur")[0]) == TYPED_VALUE

    page.locator(".st-key-saisie_verifier button").click()
    expect(page.get_by_text("Vérification réussie")).to_be_visible(timeout=PREVIEW_TIMEOUT)
    wait_for_app(page)
    full_screenshot(page, "saisie-verifiee")
    page.locator(".st-key-saisie_enregistrer button").click()
    expect(page.get_by_text("Chiffres enregistrés")).to_be_visible(timeout=60_000)

    typed_files = sorted(set(_raw_listing(data_dir)) - raw_before - {added[0]})
    assert len(typed_files) == 1 and typed_files[0].startswith("raw/indicateurs/depot-"), typed_files
    rows = list(
        csv.reader(io.StringIO((data_dir / typed_files[0]).read_text(encoding="utf-8-sig")), delimiter=";")
    )
    assert [TYPED_POLE, str(YEAR), TYPED_CODE, str(TYPED_VALUE)] in rows

    # Both deposits land: the typed one was saved while the correction's run went on (or just
    # after it), so it was served by the run queued behind it, or by one of its own.
    _wait_for_runs(data_dir)
    state = intake.run_state(data_dir)
    assert state.ok, state.lines
    assert _published(intake_server, FIRST_POLE, CODE) == first_new
    assert _published(intake_server, TYPED_POLE, TYPED_CODE) == TYPED_VALUE
    # The entry repeats the pole's other published values: only the correction moves the total.
    total_new = total_old - first_old + first_new
    assert _network(intake_server, CODE) == total_new

    # The overview (the last year by default) shows the new network figure.
    page.goto(intake_server.url)
    wait_for_app(page)
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Emplois créés")
    expect(metric.locator('[data-testid="stMetricValue"]')).to_have_text(_french(total_new))
    full_screenshot(page, "depot-vue-ensemble-apres")

    # The pole page shows the typed value.
    page.goto(f"{intake_server.url}/pole?pole={TYPED_POLE}")
    wait_for_app(page)
    values = grid_of(page, "valeurs_pole")
    row = column_texts(values, "Indicateur").index("Structures membres du pôle")
    assert number(column_texts(values, str(YEAR))[row]) == TYPED_VALUE
    full_screenshot(page, "saisie-fiche-pole")
    assert traffic.refused == [] and traffic.dialogs == []

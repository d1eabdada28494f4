"""Issue #15 backend: `ptce preview`, `ptce deposit`, run requests and the pages' client `ptce.intake`.

The preview and the deposits go through the client, so through the `ptce` command in a subprocess,
as the pages do. Pipeline runs are shared between assertions: one preview (a bad file and a good
correction together), two deposits in a row published by the detached run(s), one rebuild.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.runner import run_pipeline
from pipelines.shared import intake as shared
from ptce import intake
from ptce.contract import TABLES
from ptce.paths import DataLayout

# A correction of PTCE Bourian's yearly 2016 figures (demo file raw/indicateurs/bourian_indicateurs_
# 2016.csv): ETP 356,2 -> 360, salariés 417 -> 420, « Travailleurs pluriactifs accompagnés » (8)
# left out, hence withdrawn; every other yearly value as in the demo file.
CORRECTION = """Pôle;Période;Indicateur;Valeur;Commentaire
PTCE Bourian;2016;Entrepreneurs-salariés;3;
PTCE Bourian;2016;Équivalents temps plein des membres;360;corrigé
PTCE Bourian;2016;ETP dédiés à l'animation du pôle;1,6;
PTCE Bourian;2016;ETP mutualisés;3;
PTCE Bourian;2016;Employeurs adhérents à un groupement d'employeurs;3;
PTCE Bourian;2016;Structures membres du pôle;27;
PTCE Bourian;2016;Personnes accompagnées dans l'année;181;
PTCE Bourian;2016;Porteurs de projet accompagnés;5;
PTCE Bourian;2016;Représentation des salariés dans la gouvernance (1 = oui, 0 = non);0;
PTCE Bourian;2016;Salariés des structures membres;420;
PTCE Bourian;2016;Salariés en CDI;166;
PTCE Bourian;2016;Salariés ayant suivi une formation;214;
PTCE Bourian;2016;Salariés en emploi partagé ou mis à disposition;5;
PTCE Bourian;2016;Services mutualisés proposés aux salariés;5;
PTCE Bourian;2016;Salariés à temps partiel subi;58;
""".encode("utf-8-sig")

# Four rows, each wrong in one field.
BAD = """Pôle;Période;Indicateur;Valeur
PTCE Bourian;2017;Salariés des structures membres;beaucoup
Pôle Inconnu;2017;Salariés en CDI;12
PTCE Bourian;2017;Indicateur imaginaire;4
PTCE Bourian;2017;Salariés en CDI;-3
""".encode("utf-8-sig")

EVIL_NAMES = ("../../x.csv", "<img src=x onerror=alert(1)>.csv")


def _tree_hash(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def intake_dir(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session demo (raw files, register, published warehouse) for this module."""
    data_dir = tmp_path_factory.mktemp("intake") / "data"
    shutil.copytree(demo_data_dir, data_dir, ignore=shutil.ignore_patterns(".dagster", "construction.lock"))
    return data_dir


# --- Without a pipeline run -------------------------------------------------------------------------


def test_uploads_refused_in_french() -> None:
    with pytest.raises(intake.IntakeError, match=r"pèse 20,0 Mo, au-delà de la limite de 20 Mo"):
        intake.check_upload(intake.Upload("gros.csv", b"x" * (intake.MAX_BYTES + 1)), "indicateurs")
    with pytest.raises(intake.IntakeError, match=r"« outil.exe » : l'extension « .exe » n'est pas acceptée"):
        intake.check_upload(intake.Upload("outil.exe", b"MZ"), "indicateurs")
    with pytest.raises(intake.IntakeError, match=r"« .docx » n'est pas acceptée pour les indicateurs"):
        intake.check_upload(intake.Upload("ami.docx", b"PK"), "indicateurs")
    with pytest.raises(intake.IntakeError, match=r"« vide.csv » : le fichier est vide"):
        intake.check_upload(intake.Upload("vide.csv", b""), "indicateurs")
    with pytest.raises(intake.IntakeError, match=r"Type de fichier inconnu : « budget »"):
        intake.check_upload(intake.Upload("a.csv", b"a"), "budget")
    with pytest.raises(intake.IntakeError, match=r"un nom sans extension"):
        intake.check_upload(intake.Upload("sans_extension", b"a"), "visites")
    intake.check_upload(intake.Upload("AMI.DOCX", b"PK"), "candidatures")  # upper case is fine


def test_stored_names_keep_nothing_of_the_upload() -> None:
    for name in (*EVIL_NAMES, "C:\\Users\\moi\\Bureau\\chiffres 2016.CSV", "x.tar.csv"):
        stored = shared.stored_name(name, "indicateurs")
        assert stored.startswith("depot-") and stored.endswith(".csv")
        stamp, hexa = stored.removeprefix("depot-").removesuffix(".csv").rsplit("-", 1)
        assert len(stamp) == 15 and stamp[8] == "-" and stamp.replace("-", "").isdigit()
        assert len(hexa) == 8 and all(c in "0123456789abcdef" for c in hexa)


def test_entry_csv_is_a_long_indicator_file() -> None:
    data = intake.entry_csv(
        "phares", "2017", {"salaries": 250.0, "etp": 198.5, "membres": None, "ge_employeurs": 0}
    )
    assert (
        data
        == (
            "\ufeffpôle;période;indicateur;valeur\r\n"
            "phares;2017;salaries;250\r\n"
            "phares;2017;etp;198,5\r\n"
            "phares;2017;ge_employeurs;0\r\n"
        ).encode()
    )


def test_a_queued_run_is_not_started_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layout = DataLayout(tmp_path)
    started: list[int] = []

    class FakeProcess:
        pid = 424242

    def fake_start(layout: DataLayout) -> FakeProcess:
        started.append(1)
        return FakeProcess()

    monkeypatch.setattr(shared, "start_detached_run", fake_start)
    monkeypatch.setattr(shared, "_pid_alive", lambda pid: pid == 424242)
    assert shared.request_run(layout) is True
    assert layout.run_request.read_text() == "424242"
    # The run has not taken the lock yet (marker still there): later deposits ask nothing more.
    assert shared.request_run(layout) is False
    assert shared.request_run(layout) is False
    assert started == [1]
    # Its process died without starting (marker left behind): the next deposit starts a new one.
    monkeypatch.setattr(shared, "_pid_alive", lambda pid: False)
    assert shared.request_run(layout) is True
    assert started == [1, 1]


def test_kind_detection(demo_data_dir: Path) -> None:
    raw = demo_data_dir / "raw"
    assert shared.detect_kinds(raw / "indicateurs" / "bourian_indicateurs_2016.csv")[0] == "indicateurs"
    assert shared.detect_kinds(raw / "indicateurs" / "phares_indicateurs_2016.xlsx")[0] == "indicateurs"
    assert shared.detect_kinds(raw / "parcours" / "parcours_bourian_2015.csv") == ["parcours"]
    assert shared.detect_kinds(raw / "visites" / "visites_2015_2016.csv") == ["visites"]
    # Through the client (the `ptce preview --detect-only` command), as the page asks.
    data = (raw / "parcours" / "parcours_phares_2015.xlsx").read_bytes()
    assert intake.detect_kind(intake.Upload("../tableau.xlsx", data)) == "parcours"
    assert intake.detect_kind(intake.Upload("AMI.docx", b"PK")) == "candidatures"
    assert intake.detect_kind(intake.Upload("notes.csv", b"bonjour;au revoir\n1;2\n")) is None


def test_only_staff_may_deposit_the_poles_reference(intake_dir: Path, tmp_path: Path) -> None:
    before = _tree_hash(intake_dir)
    poles_file = intake.Upload("ajouts.csv", b"identifiant;numero;nom\npole_treize;13;PTCE Treize\n")
    refused = "Seule l'équipe COORACE peut déposer un fichier de type « Référentiel des pôles »."
    with pytest.raises(intake.IntakeError, match=refused):
        intake.preview(intake_dir, [poles_file], "poles", pole_id="phares")
    with pytest.raises(intake.IntakeError, match=refused):
        intake.deposit(intake_dir, [poles_file], "poles", "pôle phares", run=False, pole_id="phares")
    # The command the client runs refuses it too (`ptce preview --pole`), before any scratch run.
    source = tmp_path / "ajouts.csv"
    source.write_bytes(poles_file.data)
    with pytest.raises(shared.IntakeRefused, match=refused):
        shared.preview(intake_dir, [(shared.Incoming(source, "ajouts.csv"), "poles")], pole_id="phares")
    assert _tree_hash(intake_dir) == before
    assert "poles" in intake.kinds_for(None) and "poles" not in intake.kinds_for("phares")


# --- Preview (one scratch run) -----------------------------------------------------------------------


def test_preview_lists_problems_and_changes_without_writing(intake_dir: Path) -> None:
    before = _tree_hash(intake_dir)
    started = time.perf_counter()
    result = intake.preview(
        intake_dir,
        [intake.Upload("mauvais.csv", BAD), intake.Upload(EVIL_NAMES[0], CORRECTION)],
        "indicateurs",
        pole_id="phares",
    )
    elapsed = time.perf_counter() - started
    assert _tree_hash(intake_dir) == before, "the preview wrote into the data folder"
    assert result.seconds <= elapsed

    bad, good = result.files
    assert (bad.name, bad.kind, bad.status) == ("mauvais.csv", "indicateurs", "partial")
    assert (bad.rows_read, bad.rows_loaded, bad.rows_quarantined) == (4, 0, 4)
    assert (good.name, good.status, good.rows_read, good.rows_loaded) == (EVIL_NAMES[0], "ok", 15, 15)
    assert good.poles == ("bourian",) and good.other_poles == ("bourian",)

    problems = [(p.file, p.row, p.field, p.blocking) for p in result.problems]
    assert problems == [
        ("mauvais.csv", 2, "valeur", True),
        ("mauvais.csv", 3, "pôle", True),
        ("mauvais.csv", 4, "indicateur", True),
        ("mauvais.csv", 5, "valeur", True),
    ]
    messages = [p.message for p in result.problems]
    assert messages[0].startswith(
        "« mauvais.csv », ligne 2, champ valeur : valeur « beaucoup » non numérique"
    )
    assert "pôle « Pôle Inconnu » inconnu" in messages[1]
    assert "indicateur « Indicateur imaginaire » inconnu" in messages[2]
    assert "valeur négative (-3) impossible" in messages[3]
    for text in [*messages, bad.message, good.message, *result.checks_warning]:
        assert "depot-" not in text and "/tmp" not in text and "ptce-apercu" not in text

    changes = {(c.pole_id, c.annee, c.code): (c.old, c.new, c.change) for c in result.changes}
    assert changes[("bourian", 2016, "etp")] == (356.2, 360.0, "modification")
    assert changes[("bourian", 2016, "salaries")] == (417.0, 420.0, "modification")
    assert changes[("bourian", 2016, "pluriactifs")] == (8.0, None, "retrait")
    # Derived values follow: part of CDI = 166 / 417 before, 166 / 420 after.
    old, new, _ = changes[("bourian", 2016, "part_cdi")]
    assert old == pytest.approx(166 / 417) and new == pytest.approx(166 / 420)
    # Nothing else of Bourian 2016 changes (the other values were resent unchanged), and no other
    # pole-year is listed (the bad file loaded nothing).
    assert set(changes) == {
        ("bourian", 2016, code)
        for code in (
            "etp",
            "salaries",
            "pluriactifs",
            "part_cdi",
            "etp_par_salarie",
            "part_salaries_formes",
            "part_temps_partiel_subi",
        )
    }
    etp = next(c for c in result.changes if c.code == "etp")
    assert (etp.pole, etp.libelle, etp.unite) == (
        "PTCE Bourian",
        "Équivalents temps plein des membres",
        "ETP",
    )
    assert result.publishable and result.checks_blocking == ()
    # The withdrawn value is a partial resubmission: the warning says so (new in this preview).
    assert any("valeurs qu'il ne redonne pas sont retirées" in w for w in result.checks_warning)


# --- Deposits, the detached run(s), the rebuild -------------------------------------------------------


def _wait_for_runs(data_dir: Path, timeout: float = 600) -> intake.RunState:
    deadline = time.monotonic() + timeout
    while True:
        state = intake.run_state(data_dir)
        if not state.running and not state.queued and state.finished_at is not None:
            return state
        assert time.monotonic() < deadline, state
        time.sleep(1)


def _tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    frames = {}
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        for table in TABLES:
            if table == "publication":  # when and by which run: differs by design
                continue
            sql = (
                f'select * exclude (run_id) from "{table}"' if table == "check_results" else f'from "{table}"'
            )
            frames[table] = con.execute(sql + " order by all").df()
    return frames


def test_deposits_land_safely_and_a_rebuild_reproduces_them(
    intake_dir: Path, demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    layout = DataLayout(intake_dir)
    with pytest.raises(intake.IntakeError, match="le fichier est vide"):
        intake.deposit(intake_dir, [intake.Upload("vide.csv", b"")], "indicateurs", "équipe")

    first = intake.deposit(
        intake_dir, [intake.Upload(EVIL_NAMES[0], CORRECTION)], "indicateurs", "=cmd|' /C calc'!A0"
    )
    # A typed entry, deposited right after, under a hostile name: PHARES 2017, three values.
    entry = intake.entry_csv("phares", "2017", {"salaries": 250.0, "etp": 198.5, "ge_employeurs": None})
    second = intake.deposit(intake_dir, [intake.Upload(EVIL_NAMES[1], entry)], "indicateurs", "pôle PHARES")
    deposited = [*first, *second]
    assert [d.original_name for d in deposited] == list(EVIL_NAMES)
    for d in deposited:
        assert d.stored.startswith("raw/indicateurs/depot-") and d.stored.endswith(".csv")
        assert "/" not in d.stored.removeprefix("raw/indicateurs/")
    assert (intake_dir / first[0].stored).read_bytes() == CORRECTION
    assert (intake_dir / second[0].stored).read_bytes() == entry
    # The original names are nowhere but in depots.csv, as text.
    names = [p.relative_to(intake_dir).as_posix() for p in intake_dir.rglob("*")]
    assert not any("img" in n or "x.csv" in n for n in names), names
    assert not (intake_dir.parent / "x.csv").exists() and not (intake_dir.parent.parent / "x.csv").exists()
    with layout.deposits_file.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [(r["nom_original"], r["fichier"], r["type"]) for r in rows] == [
        (EVIL_NAMES[0], first[0].stored, "indicateurs"),
        (EVIL_NAMES[1], second[0].stored, "indicateurs"),
    ]
    assert rows[0]["qui"] == "'=cmd|' /C calc'!A0"  # a formula stays text when Excel opens the file
    assert rows[1]["taille_octets"] == str(len(entry))
    assert rows[1]["sha256"] == hashlib.sha256(entry).hexdigest()
    register = (intake_dir / "registre_arrivees.csv").read_text(encoding="utf-8")
    for d in deposited:
        assert d.stored in register
    assert "img" not in register

    state = _wait_for_runs(intake_dir)
    assert state.ok is True and not layout.run_request.exists()
    assert any("Entrepôt publié." in line for line in state.lines), state.lines
    assert not any("Traceback" in line for line in state.lines)
    with duckdb.connect(str(layout.warehouse), read_only=True) as con:
        values = dict(
            con.execute(
                """select pole_id || ' ' || annee || ' ' || code, valeur from mart_pole_year
                   where (pole_id = 'bourian' and annee = 2016 and code in ('etp', 'salaries', 'pluriactifs'))
                      or (pole_id = 'phares' and annee = 2017 and code in ('etp', 'salaries', 'ge_employeurs'))"""
            ).fetchall()
        )
        logged = con.execute(
            "select source_file, status, rows_loaded from ingest_log where source_file like '%depot-%'"
        ).fetchall()
    assert values == {
        "bourian 2016 etp": 360.0,
        "bourian 2016 salaries": 420.0,
        "phares 2017 etp": 198.5,
        "phares 2017 salaries": 250.0,
    }
    assert sorted(logged) == sorted([(first[0].stored, "ok", 15), (second[0].stored, "ok", 2)])

    # Deleting curated/ and rebuilding from raw/ and the register gives the same warehouse.
    published = _tables(intake_dir)
    shutil.rmtree(layout.curated)
    outcome = run_pipeline(intake_dir)
    assert outcome.published, outcome.step_errors
    rebuilt = _tables(intake_dir)
    for table, frame in published.items():
        pd.testing.assert_frame_equal(frame, rebuilt[table], check_dtype=True, obj=table)
    assert os.environ.get("DAGSTER_HOME") is None


def test_names_pass_to_the_command_as_plain_arguments() -> None:
    # A NUL would make the system refuse the command; a line break would split depots.csv's line.
    assert intake._as_argument("a\x00b\nc\td.csv") == "a b c d.csv"
    assert intake._as_argument("-rapport.csv") == "-rapport.csv"  # passed as --original-name=…

"""The `ptce` command line: a stable interface for people and scripts.

`ptce sample` then `ptce run` on the demo is checked in tests/test_build_lock.py::test_two_ptce_run_at_once,
which runs them anyway.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.cli import main


def test_run_without_raw_folder_says_what_to_do(tmp_path: Path, capsys) -> None:
    assert main(["run", "--data-dir", str(tmp_path / "vide")]) == 1
    assert "ptce sample" in capsys.readouterr().err


def test_template_command(tmp_path: Path) -> None:
    """Without `--kind`, `ptce template` still writes the indicators workbook."""
    out = tmp_path / "modele.xlsx"
    assert main(["template", "--out", str(out)]) == 0
    import openpyxl

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Notice", "Saisie annuelle", "Saisie détaillée", "Catalogue", "Listes"]
    codes = [row[0] for row in wb["Catalogue"].iter_rows(min_row=2, values_only=True)]
    assert "emplois_crees" in codes and "services_salaries" in codes


@pytest.mark.parametrize(
    ("kind", "entry_sheets"),
    [
        ("indicateurs", ["Saisie annuelle", "Saisie détaillée", "Catalogue"]),
        ("objectifs", ["Saisie annuelle", "Saisie détaillée", "Catalogue"]),
        ("parcours", ["Parcours"]),
        ("visites", ["Événements", "Pratiques"]),
    ],
)
def test_template_command_by_kind(
    kind: str, entry_sheets: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sous-dossier" / f"modele-{kind}.xlsx"
    assert main(["template", "--kind", kind, "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"Modèle de saisie vierge ({kind}) écrit : {out}\n"
    import openpyxl

    assert openpyxl.load_workbook(out).sheetnames == ["Notice", *entry_sheets, "Listes"]


def test_template_for_applications_says_the_form_is_a_word_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["template", "--kind", "candidatures"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Pas de modèle Excel pour les candidatures : ")
    assert "trame Word (.docx)" in err and "« Déposer des fichiers »" in err
    assert list(tmp_path.iterdir()) == []


def test_template_default_file_name_follows_the_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["template", "--kind", "parcours"]) == 0
    assert main(["template"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "modele_indicateurs_ptce.xlsx",
        "modele_parcours_ptce.xlsx",
    ]


def test_template_unknown_kind_is_a_french_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["template", "--kind", "budget"])
    assert done.value.code == 1
    assert "choix invalide : 'budget'" in capsys.readouterr().err


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ptce"), "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    for command in ("sample", "run", "dashboard", "template", "report"):
        assert command in result.stdout


@pytest.mark.parametrize("command", [[], ["run"], ["sample"], ["dashboard"], ["dagster"], ["template"]])
def test_help_is_french(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("utilisation : ptce")
    assert "afficher cette aide et quitter" in text
    for english in ("usage:", "show this help", "positional arguments", "optional arguments"):
        assert english not in text


def test_usage_errors_are_french_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["publier"])
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert "ptce : erreur : " in err and "choix invalide : 'publier'" in err
    with pytest.raises(SystemExit) as done:
        main(["run", "--wait", "bientôt"])
    assert done.value.code == 1
    assert "nombre invalide : 'bientôt'" in capsys.readouterr().err


def test_dashboard_secrets_file_is_passed_to_streamlit(tmp_path: Path) -> None:
    from pipelines.cli import _streamlit_cmd

    secrets = tmp_path / "secrets.toml"
    cmd = _streamlit_cmd(8501, "127.0.0.1", secrets)
    assert cmd[-2:] == ["--secrets.files", str(secrets)]
    assert "--secrets.files" not in _streamlit_cmd(8501, "127.0.0.1")


def test_dashboard_refuses_a_missing_secrets_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "absent.toml"
    assert main(["dashboard", "--data-dir", str(tmp_path), "--secrets", str(missing)]) == 1
    assert f"Fichier de secrets introuvable : {missing}" in capsys.readouterr().err


def test_dashboard_environment_names_real_streamlit_options(tmp_path: Path) -> None:
    """Streamlit's own command takes every STREAMLIT_* variable `ptce dashboard` sets (a misspelt
    name would silently leave tracebacks, outside links or usage statistics on)."""
    import itertools
    import os
    import subprocess
    import sys

    from pipelines.cli import STREAMLIT_ENV

    done = subprocess.run(
        [str(Path(sys.executable).parent / "streamlit"), "config", "show"],
        env={**os.environ, **STREAMLIT_ENV, "HOME": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # `config show` prints the origin of a value on the comment line just above it.
    set_here = {
        line.split(" = ")[0]: line.split(" = ")[1]
        for above, line in itertools.pairwise(lines)
        if "set in command-line argument or environment variable" in above
    }
    assert set_here == {
        "gatherUsageStats": "false",
        "headless": "true",
        "toolbarMode": '"minimal"',
        "disableDataExport": "true",
        "showErrorDetails": '"none"',
    }


@pytest.mark.parametrize("fails", [False, True])
def test_run_journal_says_the_outcome_before_the_build_lock_is_free(
    fails: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that sees no build under way must find the outcome already written (issue seen in CI:
    the lock freed, then a few seconds of « nothing running, nothing finished »)."""
    import pipelines.runner as runner
    from pipelines.shared import build_lock
    from ptce import intake
    from ptce.paths import DataLayout

    data_dir = tmp_path / "data"
    (data_dir / "raw").mkdir(parents=True)
    layout = DataLayout(data_dir)
    journal = layout.run_journal

    def fake_run(data_dir: Path, instance: object = None) -> runner.RunOutcome:
        if fails:
            raise RuntimeError("panne simulée")
        return runner.RunOutcome(
            data_dir=data_dir, run_id="r", success=True, published=True, checks=[], step_errors=[]
        )

    seen: list[intake.RunState] = []
    release = build_lock.release

    def watched_release(layout: DataLayout) -> None:
        seen.append(intake.run_state(data_dir))
        release(layout)

    monkeypatch.setattr(runner, "run_pipeline", fake_run)
    monkeypatch.setattr(runner, "summary_lines", lambda outcome: ["Entrepôt publié."])
    monkeypatch.setattr(build_lock, "release", watched_release)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.delenv("PTCE_DATA_DIR", raising=False)

    if fails:
        with pytest.raises(RuntimeError, match="panne simulée"):
            main(["run", "--data-dir", str(data_dir), "--journal", str(journal)])
    else:
        assert main(["run", "--data-dir", str(data_dir), "--journal", str(journal)]) == 0
    (at_release,) = seen
    assert at_release.finished_at is not None
    assert at_release.ok is (not fails)
    last = at_release.lines[-1]
    assert ("Échec de l'exécution" in last) if fails else last.split("] ", 1)[1].startswith("Durée : ")

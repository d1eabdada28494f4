"""Building one year's report (`reports/build.py`) and `ptce report`, around fake content and renderers.

The content and the renderers are replaced (tests/report_fakes.py): these tests pin the checks
before building (nothing published, a year without data), the default folder, the temporary names
and renames (a failed build leaves no half file and keeps the previous files), the progress lines
and the command's French output and exit codes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipelines.cli import main
from ptce.paths import DataLayout
from reports.build import build_year, built_reports
from reports.model import ReportError
from tests.report_fakes import FAKE_PAGES, FAKE_PDF, install_fakes, tiny_warehouse


def test_nothing_published_is_a_french_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    built = install_fakes(monkeypatch)
    with pytest.raises(ReportError, match=r"Aucun entrepôt publié dans .*ptce run"):
        build_year(tmp_path, 2016)
    assert main(["report", "--year", "2016", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"Aucun entrepôt publié dans {tmp_path / 'curated'} : lancez d'abord « ptce run »" in err
    assert main(["report", "--data-dir", str(tmp_path)]) == 1  # no year: same message
    assert "Aucun entrepôt publié" in capsys.readouterr().err
    assert built == []
    assert not DataLayout(tmp_path).reports_dir.exists()


def test_a_year_without_data_is_a_french_error_naming_the_years(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    built = install_fakes(monkeypatch)
    tiny_warehouse(tmp_path, [2015, 2016])
    assert main(["report", "--year", "1999", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Aucune donnée pour l'année 1999 dans l'entrepôt publié" in err
    assert "Années disponibles : 2015, 2016." in err
    assert built == []  # the content was never asked for
    assert not DataLayout(tmp_path).reports_dir.exists()


def test_a_year_that_is_not_a_number_is_a_usage_error(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--year", "deux-mille", "--data-dir", str(tmp_path)])
    assert exit_info.value.code == 1
    assert "nombre entier invalide : 'deux-mille'" in capsys.readouterr().err


def test_build_writes_the_three_files_in_the_default_folder(tmp_path: Path, monkeypatch) -> None:
    install_fakes(monkeypatch)
    tiny_warehouse(tmp_path, [2016])
    lines: list[str] = []
    report = build_year(tmp_path, 2016, progress=lines.append)
    folder = tmp_path / "curated" / "rapports"
    assert (report.pdf, report.xlsx, report.html) == (
        folder / "rapport-ptce-2016.pdf",
        folder / "rapport-ptce-2016.xlsx",
        folder / "rapport-ptce-2016.html",
    )
    assert report.pages == FAKE_PAGES and report.seconds > 0
    assert report.pdf.read_bytes() == FAKE_PDF
    assert load_workbook(report.xlsx).sheetnames == ["Rapport", "Emploi au sein du PTCE"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "rapport-ptce-2016.html",
        "rapport-ptce-2016.pdf",
        "rapport-ptce-2016.xlsx",
    ]
    assert lines == [
        "Lecture de l'entrepôt publié pour 2016…",
        "Chiffres du réseau…",
        "Écriture du classeur Excel…",
        "Écriture de la page HTML…",
        "Écriture du PDF…",
        "Rapport 2016 construit : 3 pages.",
    ]
    assert [(f.year, f.format) for f in built_reports(folder)] == [
        (2016, "pdf"),
        (2016, "xlsx"),
        (2016, "html"),
    ]


def test_a_failed_build_leaves_no_half_file_and_keeps_the_previous_one(tmp_path: Path, monkeypatch) -> None:
    tiny_warehouse(tmp_path, [2016])
    out = tmp_path / "sortie"
    install_fakes(monkeypatch)
    first = build_year(tmp_path, 2016, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    install_fakes(monkeypatch, fail_in_pdf=True)
    with pytest.raises(ReportError, match="installez le paquet Debian « chromium »"):
        build_year(tmp_path, 2016, out)
    # The same three files, unchanged; no temporary left behind, hidden or not.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert first.pdf.read_bytes() == FAKE_PDF


def test_a_failed_first_build_leaves_the_folder_empty(tmp_path: Path, monkeypatch) -> None:
    tiny_warehouse(tmp_path, [2016])
    install_fakes(monkeypatch, fail_in_pdf=True)
    with pytest.raises(ReportError):
        build_year(tmp_path, 2016, tmp_path / "sortie")
    assert list((tmp_path / "sortie").iterdir()) == []


def test_command_defaults_to_the_last_year_and_prints_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    built = install_fakes(monkeypatch)
    tiny_warehouse(tmp_path, [2015, 2017, 2016])
    out = tmp_path / "ailleurs"
    assert main(["report", "--data-dir", str(tmp_path), "--out", str(out)]) == 0
    assert built == [2017]
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "Année non précisée : rapport de 2017, la dernière année avec des données.",
        "Lecture de l'entrepôt publié pour 2017…",
        "Chiffres du réseau…",
        "Écriture du classeur Excel…",
        "Écriture de la page HTML…",
        "Écriture du PDF…",
        "Rapport 2017 construit : 3 pages.",
    ]
    lines = captured.out.splitlines()
    assert lines[0].startswith("Rapport 2017 écrit en ") and lines[0].endswith(" s :")
    assert lines[1:] == [
        f"  PDF (3 pages) : {out / 'rapport-ptce-2017.pdf'}",
        f"  Excel : {out / 'rapport-ptce-2017.xlsx'}",
        f"  HTML : {out / 'rapport-ptce-2017.html'}",
    ]


def test_an_unwritable_folder_is_a_french_error(tmp_path: Path, monkeypatch) -> None:
    if os.geteuid() == 0:
        # root writes anywhere: a file in the way of the folder refuses it for everyone.
        blocked = tmp_path / "fichier"
        blocked.write_text("x")
        out = blocked / "rapports"
    else:
        locked = tmp_path / "verrouille"
        locked.mkdir(mode=0o500)
        out = locked / "rapports"
    install_fakes(monkeypatch)
    tiny_warehouse(tmp_path, [2016])
    with pytest.raises(ReportError, match="Impossible de créer le dossier des rapports"):
        build_year(tmp_path, 2016, out)


def test_built_reports_ignore_other_files(tmp_path: Path) -> None:
    for name in (
        "rapport-ptce-2015.pdf",
        "rapport-ptce-2016.html",
        ".rapport-ptce-2016.en-cours-ab.pdf",
        "x.pdf",
    ):
        (tmp_path / name).write_text("x")
    (tmp_path / "rapport-ptce-abcd.pdf").write_text("x")
    assert [(f.year, f.format) for f in built_reports(tmp_path)] == [(2016, "html"), (2015, "pdf")]
    assert built_reports(tmp_path / "absent") == []

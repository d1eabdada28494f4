"""Oversized files and unreadable ones: refused or cut with a French message, never a Python name.

Issue #8, items 10 and 11. The limits live in `ptce/reference/qualite.yaml` (`limites_lecture`); the
tests lower them where a real-size file would be slow to build.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

import ptce.reference
from pipelines.applications.form_parser import parse_application_docx
from pipelines.indicators.parser import IndicatorFileParser
from pipelines.runner import RunOutcome, step_error_text, summary_lines
from pipelines.shared.readers import read_csv, read_tabular
from pipelines.shared.results import FileResult, QuarantineRecord
from tests.robustness.corpus import expanding_xlsx
from tests.robustness.test_corpus import PYTHON_TEXT

SOURCE = "raw/indicateurs"


def parse(path: Path) -> FileResult:
    return IndicatorFileParser().parse(path, f"{SOURCE}/{path.name}")


def lower_limits(monkeypatch: pytest.MonkeyPatch, **limits: int) -> None:
    config = ptce.reference.load_quality_config()
    lowered = dataclasses.replace(config, read_limits=dataclasses.replace(config.read_limits, **limits))
    monkeypatch.setattr(ptce.reference, "load_quality_config", lambda: lowered)


def test_limits_are_read_from_the_quality_file() -> None:
    limits = ptce.reference.read_limits()
    assert limits.archive_bytes == 50 * 1024 * 1024 and limits.csv_bytes == 20 * 1024 * 1024
    assert limits.cell_chars == 32_767 and limits.quoted_chars == 300


def test_workbook_too_large_once_uncompressed_is_refused_before_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The declared sizes are checked first: openpyxl never parses the expanded XML."""
    lower_limits(monkeypatch, archive_bytes=2 * 1024 * 1024)
    path = tmp_path / "laine_2021.xlsx"
    path.write_bytes(expanding_xlsx(3))

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl opened an oversized workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", no_parse)
    result = parse(path)
    assert result.status == "error"
    assert "classeur trop volumineux une fois décompressé (3 Mo de contenu" in result.error
    assert "limite 2 Mo" in result.error and "Vérifiez" in result.error


def test_workbook_compressed_a_thousandfold_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "laine_2021.xlsx"
    path.write_bytes(expanding_xlsx(6))  # under the size limit, but 6 MB from a few kilobytes
    result = parse(path)
    assert result.status == "error" and "classeur anormalement compressé" in result.error


def test_oversized_docx_is_refused_before_python_docx_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower_limits(monkeypatch, archive_bytes=1024 * 1024)
    path = tmp_path / "PHARES_candidature.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "a" * (2 * 1024 * 1024) + "</w:document>")
    result = parse_application_docx(path, "raw/candidatures/PHARES_candidature.docx")
    assert result.error is not None and "document trop volumineux une fois décompressé" in result.error


def test_csv_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lower_limits(monkeypatch, csv_bytes=10_000)
    path = tmp_path / "phares.csv"
    path.write_text("pole;periode;indicateur;valeur\n" + "PHARES;2016;membres;12\n" * 1_000, encoding="utf-8")
    result = parse(path)
    assert result.status == "error"
    assert (
        "fichier CSV trop volumineux (0" in result.error
        and "vérifiez qu'il s'agit du bon fichier" in result.error
    )


def test_a_cell_longer_than_excel_allows_is_cut_in_csv_and_xlsx(tmp_path: Path) -> None:
    csv_path = tmp_path / "long.csv"
    csv_path.write_text(f'a;b\n1;"{"x" * 40_000}"\n', encoding="utf-8")
    sheets, _ = read_csv(csv_path, "long.csv")
    assert sheets[0].rows[1][1][1] == "x" * 32_767 + " … [tronqué, 40\u202f000 caractères]"
    xlsx_path = tmp_path / "long.xlsx"
    xlsx_path.write_bytes(expanding_xlsx(1))  # one 1 MB cell, which no Excel could write
    sheets, _, _ = read_tabular(xlsx_path, "long.xlsx")
    value = sheets[0].rows[1][1][3]
    assert value == "0 " + "9" * 32_765 + " … [tronqué, 1\u202f048\u202f578 caractères]"


def test_a_megabyte_cell_is_quarantined_at_a_bounded_length(tmp_path: Path) -> None:
    path = tmp_path / "laine_2021.xlsx"
    path.write_bytes(expanding_xlsx(1))
    result = parse(path)
    assert result.status == "partial" and result.rows_read == 1
    [q] = result.quarantine
    assert len(q.value) < 350 and q.value.endswith("caractères]")
    assert len(q.reason) < 800 and q.reason.endswith("non numérique : saisir un nombre (ex. 1 234,5)")
    assert len(result.message()) < 400


def test_quarantine_records_are_bounded_whoever_builds_them() -> None:
    text = "y" * 100_000
    record = QuarantineRecord(
        "f.csv", 2, "valeur", text, f"f.csv, ligne 2, champ valeur : « {text} » inconnu"
    )
    assert record.value == "y" * 300 + " … [tronqué, 100\u202f000 caractères]"
    assert len(record.reason) < 400 and record.reason.endswith("caractères] » inconnu")


# --- item 11: French messages, technical detail in the Dagster log only ---------------------------


def _damaged_workbook() -> bytes:
    """A zip that openpyxl fails on with a KeyError (no [Content_Types].xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def test_damaged_workbook_message_is_french_and_the_detail_goes_to_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "abime.xlsx"
    path.write_bytes(_damaged_workbook())
    with caplog.at_level(logging.WARNING, logger="dagster.builtin.ptce.ingest"):
        result = parse(path)
    assert result.status == "error" and "classeur .xlsx illisible" in result.error
    assert not PYTHON_TEXT.search(result.error), result.error
    assert not re.search(r"\(\w+\)\.", result.error)
    assert any("KeyError" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("name", ["dossier.csv", "dossier.xlsx", "dossier.docx"])
def test_file_system_errors_are_told_in_french(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.mkdir()  # reading it raises IsADirectoryError ("Is a directory")
    if name.endswith(".docx"):
        error = parse_application_docx(path, f"raw/candidatures/{name}").error
    else:
        error = parse(path).error
    assert error is not None and "c'est un dossier, pas un fichier" in error
    assert "Is a directory" not in error and not PYTHON_TEXT.search(error)


def test_failed_step_summary_is_french(tmp_path: Path) -> None:
    # An unexpected error deep in a step (openpyxl's KeyError on a damaged archive): the summary
    # names the step and the run, never the exception or its English text.
    error = SimpleNamespace(
        cls_name="KeyError", message="KeyError: \"There is no item named 'xl/workbook.xml'\"", cause=None
    )
    event = SimpleNamespace(event_specific_data=SimpleNamespace(user_failure_data=None, error=error))
    step_error = step_error_text("Lecture des fichiers d'indicateurs", event, "abc123")
    outcome = RunOutcome(
        data_dir=tmp_path, run_id="abc123", success=False, published=False, step_errors=[step_error]
    )
    text = "\n".join(summary_lines(outcome))
    assert "Lecture des fichiers d'indicateurs" in text and "exécution abc123" in text
    assert "interface Dagster" in text
    assert "KeyError" not in text and "There is no item" not in text

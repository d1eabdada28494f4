"""The ledger of the raw files and the French account of what went wrong.

One `ingest_log` row per file whatever its parser; a parser crash on one file is that file's error,
never the run's; a failed conservation check names the files; a failed step says, in French, which
step and which file.
"""

from __future__ import annotations

import logging
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pipelines.applications.assets import stg_application_files
from pipelines.applications.demo_export import write_demo_export
from pipelines.indicators.assets import stg_indicator_files
from pipelines.indicators.parser import IndicatorFileParser
from pipelines.pathways.assets import stg_pathway_files
from pipelines.poles.assets import stg_pole_files
from pipelines.runner import CheckOutcome, RunOutcome, run_pipeline, summary_lines
from pipelines.shared.ledger import crash_result
from pipelines.shared.ledger_assets import ingest_log
from pipelines.shared.quality_checks import CONSERVATION_SQL, conservation_gaps, quarantine_gaps
from pipelines.shared.raw_assets import raw_files
from pipelines.shared.resources import WarehouseResource
from pipelines.visits.assets import stg_visit_files
from ptce.paths import DataLayout


def test_failed_conservation_names_each_file_in_french() -> None:
    con = duckdb.connect()
    con.execute(
        "create table raw_inventory as select * from (values ('raw/candidatures/export.csv'),"
        " ('raw/indicateurs/ok.csv'), ('raw/indicateurs/oublie.csv')) t(source_file)"
    )
    con.execute(
        """create table ingest_log as select * from (values
            ('raw/candidatures/export.csv', 3, 2, 0, 'partial'),
            ('raw/indicateurs/ok.csv', 5, 4, 1, 'partial'),
            ('raw/indicateurs/fantome.csv', 0, 0, 0, 'ok')
        ) t(source_file, rows_read, rows_loaded, rows_quarantined, status)"""
    )
    text = conservation_gaps(con.execute(CONSERVATION_SQL).df())
    assert text.startswith("Comptes du journal faux pour 3 fichier(s) — ")
    assert "raw/candidatures/export.csv : 3 ligne(s) lue(s) mais 2 chargée(s) et 0 en quarantaine" in text
    assert "raw/indicateurs/oublie.csv : fichier présent sans ligne de journal" in text
    assert "raw/indicateurs/fantome.csv : ligne de journal sans fichier correspondant" in text
    assert "raw/indicateurs/ok.csv" not in text

    # `ptce run` prints it under the blocking check.
    outcome = RunOutcome(
        data_dir=Path("/nulle/part"),
        run_id="r1",
        success=False,
        published=False,
        checks=[CheckOutcome("ingest_log", "ingest_log_conservation", False, "ERROR", 3, detail=text)],
    )
    lines = summary_lines(outcome)
    assert "    BLOQUANT — ingest_log / ingest_log_conservation : 3 écart(s)" in lines
    assert f"      {text}" in lines


def test_quarantine_mismatch_names_each_file_in_french() -> None:
    bad = pd.DataFrame(
        {"source_file": ["raw/candidatures/export.csv"], "rows_quarantined": [0], "en_quarantaine": [1]}
    )
    assert quarantine_gaps(bad).startswith(
        "Quarantaine et journal en désaccord pour 1 fichier(s) — raw/candidatures/export.csv : 0 ligne(s) "
        "en quarantaine selon le journal, 1 dans la quarantaine."
    )


def test_a_parser_crash_is_the_error_of_that_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    (raw / "indicateurs").mkdir(parents=True)
    (raw / "indicateurs" / "a.csv").write_text("pôle;période;membres\nPHARES;2018;3\n", encoding="utf-8")
    (raw / "indicateurs" / "b.csv").write_text("pôle;période;membres\nESCI;2018;4\n", encoding="utf-8")
    write_demo_export(raw / "candidatures")
    real_parse = IndicatorFileParser.parse

    def parse(self, path: Path, source_file: str):
        if path.name == "a.csv":
            raise RuntimeError("bug")
        return real_parse(self, path, source_file)

    monkeypatch.setattr(IndicatorFileParser, "parse", parse)
    monkeypatch.setattr(
        "pipelines.applications.assets.parse_application_export",
        lambda *_: (_ for _ in ()).throw(KeyError("bug")),
    )
    result = dg.materialize(
        [raw_files, stg_indicator_files, stg_application_files],
        resources={"warehouse": WarehouseResource(data_dir=str(tmp_path))},
    )
    assert result.success
    with duckdb.connect(str(DataLayout(tmp_path).build_database), read_only=True) as con:
        log = con.execute(
            "select * from stg_indicator_log union all by name select * from stg_application_log"
        ).df()
    log = log.set_index("source_file")
    for crashed in ("raw/indicateurs/a.csv", "raw/candidatures/export_formulaire_ami_2015.xlsx"):
        row = log.loc[crashed]
        assert row["status"] == "error" and row["rows_read"] == 0
        assert row["message"].startswith(f"{crashed} : erreur inattendue")
        assert "bug" not in row["message"] and "Error" not in row["message"]
    assert log.at["raw/indicateurs/b.csv", "status"] == "ok"


def test_a_failed_step_is_told_in_french_with_its_file(tmp_path: Path) -> None:
    """Issue #8.2: no English Dagster error; the step and the file concerned are named."""
    (tmp_path / "raw" / "indicateurs").mkdir(parents=True)
    register = tmp_path / "registre_arrivees.csv"
    register.mkdir()  # a folder where the arrival register should be: it cannot be read
    outcome = run_pipeline(tmp_path)
    assert not outcome.published
    assert outcome.step_errors == [
        "étape « Inventaire des fichiers bruts déposés par les pôles » : erreur d'accès au disque (c'est un "
        f"dossier, un fichier est attendu), fichier concerné : {register}. Corrigez la cause si elle est "
        "indiquée puis relancez « ptce run » ; sinon transmettez ce message à l'équipe technique (détail "
        f"dans l'interface Dagster, exécution {outcome.run_id})."
    ]
    text = "\n".join(summary_lines(outcome))
    assert "Publication annulée : une étape a échoué (voir ci-dessus)." in text
    assert "IsADirectoryError" not in text and "Errno" not in text


def test_ignored_files_count_no_row(tmp_path: Path) -> None:
    """Issue #8.4 in the ledger: an ignored file is logged with 0 / 0 / 0, and conservation holds."""
    folder = tmp_path / "raw" / "indicateurs"
    folder.mkdir(parents=True)
    (folder / ".phares.csv").write_text("pôle;période;membres\nPHARES;2018;3\n", encoding="utf-8")
    (folder / "esci.csv").write_text("pôle;période;membres\nESCI;2018;4\n", encoding="utf-8")
    result = dg.materialize(
        [
            raw_files,
            stg_indicator_files,
            stg_application_files,
            stg_pathway_files,
            stg_pole_files,
            stg_visit_files,
            ingest_log,
        ],
        resources={"warehouse": WarehouseResource(data_dir=str(tmp_path))},
    )
    assert result.success
    with duckdb.connect(str(DataLayout(tmp_path).build_database), read_only=True) as con:
        log = con.execute("select * from ingest_log order by source_file").df()
        gaps = con.execute(CONSERVATION_SQL).df()
    assert log["source_file"].tolist() == ["raw/indicateurs/.phares.csv", "raw/indicateurs/esci.csv"]
    hidden = log.iloc[0]
    assert (hidden["status"], hidden["rows_read"], hidden["rows_loaded"], hidden["rows_quarantined"]) == (
        "ignored",
        0,
        0,
        0,
    )
    assert pd.isna(hidden["sha256"]) and hidden["message"].startswith("raw/indicateurs/.phares.csv : ")
    assert gaps.empty


def test_a_crash_on_a_person_level_file_keeps_the_exception_message_out_of_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The exception quotes a cell, as a parser bug might: on a person-level file the log gets the
    # exception type and where it happened, never the cell.
    caplog.set_level(logging.DEBUG)
    cell = "DUPONTEL Marcelline"  # a variable: the traceback quotes the source line, not its values
    for personal in (False, True):
        try:
            raise ValueError(f"cellule illisible : {cell}")
        except ValueError:
            result = crash_result("raw/parcours/x.csv", "parcours", "csv", personal=personal)
        assert result.status == "error"
        assert result.message().startswith("raw/parcours/x.csv : erreur inattendue")
        assert ("DUPONTEL" in caplog.text) is not personal
        assert "ValueError" in caplog.text and "test_ledger.py" in caplog.text
        caplog.clear()

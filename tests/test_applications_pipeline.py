"""Applications through the whole pipeline: demo forms and export in, versioned tables out."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from pipelines.applications.assets import stg_application_files
from pipelines.applications.demo_export import demo_export_answers, demo_export_facts, write_demo_export
from pipelines.applications.demo_forms import demo_forms
from pipelines.applications.demo_texts import FACT_SOURCES
from pipelines.runner import RunOutcome
from pipelines.shared.raw_assets import raw_files
from pipelines.shared.resources import WarehouseResource
from ptce.paths import DataLayout
from tests.odd_files import BAD_APPLICATION_FILES


def query(data_dir: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(sql).df()


def test_every_pole_has_a_current_application(demo_data_dir: Path) -> None:
    apps = query(demo_data_dir, "select * from applications")
    current = apps[apps["current"]]
    assert sorted(current["pole_id"]) == sorted({f.pole_id for f in demo_forms()})
    assert current["pole_id"].is_unique
    # The form-tool export arrived after the Word forms of its poles: it is their current version.
    exported = set(demo_export_answers())
    resent = current[current["pole_id"].isin(exported)]
    assert (resent["version"] == 2).all() and set(resent["format"]) == {"xlsx"}
    assert set(apps[~apps["current"]]["pole_id"]) == exported
    assert apps["completude"].between(0, 1).all()


def test_current_answers_are_what_the_poles_wrote(demo_data_dir: Path) -> None:
    answers = query(demo_data_dir, "select * from application_answers where current")
    exported = demo_export_answers()
    for form in demo_forms():
        mine = answers[answers["pole_id"] == form.pole_id].set_index("code")
        if form.pole_id in exported:
            want = exported[form.pole_id]
            for code, value in want.items():
                got = mine.at[code, "oui_non"] if isinstance(value, bool) else mine.at[code, "reponse"]
                assert (None if pd.isna(got) else got) == value, (form.pole_id, code)
            continue
        for code, value in form.answers.items():
            got = mine.at[code, "reponse"]
            assert (None if pd.isna(got) else got) == value, (form.pole_id, code)
        for code, value in form.yes_no.items():
            got = mine.at[code, "oui_non"]
            assert (None if pd.isna(got) else bool(got)) == value, (form.pole_id, code)
    # Unanswered questions are null, never empty strings.
    assert not (answers["reponse"] == "").any()


def test_structured_fields_are_the_facts_the_poles_wrote(demo_data_dir: Path) -> None:
    """Every pole's current application, Word form or export row: the columns drawn from its answers
    are the facts the demo generator stated (a fact whose question is left blank may be missing)."""
    apps = query(demo_data_dir, "select * from applications where current").set_index("pole_id")
    exported, export_facts = demo_export_answers(), demo_export_facts()
    checked = 0
    for form in demo_forms():
        answers, facts = form.answers, form.facts
        if form.pole_id in exported:
            answers, facts = exported[form.pole_id], export_facts[form.pole_id]
        for champ, value in facts.items():
            got = apps.at[form.pole_id, champ]
            got = None if pd.isna(got) else got
            if answers[FACT_SOURCES[champ]]:
                checked += 1
                assert got == value, (form.pole_id, champ, got, value)
            else:
                assert got in (None, value), (form.pole_id, champ, got, value)
    assert checked >= 12 * 6


def test_tags_and_fields_keep_their_source_sentence(demo_data_dir: Path) -> None:
    tags = query(demo_data_dir, "select * from application_tags where current")
    assert set(tags["categorie"]) <= {"angle", "outil"} and not tags.empty
    answers = query(demo_data_dir, "select pole_id, code, reponse from application_answers where current")
    text = {(r.pole_id, r.code): r.reponse or "" for r in answers.itertuples()}
    for t in tags.itertuples():
        assert t.phrase.strip() and t.phrase.strip()[:30] in text[(t.pole_id, t.code_question)]
    fields = query(demo_data_dir, "select * from application_fields where current")
    assert not fields.empty and (fields["passage"].str.len() > 0).all()


def test_late_application_is_flagged(demo_data_dir: Path) -> None:
    c = query(demo_data_dir, "select * from completeness where kind = 'candidatures'")
    assert len(c) == 12 and (c["statut"] == "complet").all()
    assert c[c["en_retard"]]["pole_id"].tolist() == ["bourian"]


def test_structured_fields_from_the_demo_documents(tmp_path: Path) -> None:
    """Word documents built with python-docx -> answers -> structured fields, as the generator stated."""
    from pipelines.applications.demo_forms import write_demo_forms
    from pipelines.applications.fields import extract_fields, structured_columns
    from pipelines.applications.form_parser import parse_application_docx

    forms = {f.file_name: f for f in demo_forms()}
    for path in write_demo_forms(tmp_path):
        parsed = structured_columns(extract_fields(parse_application_docx(path, path.name).answers))
        intended = structured_columns(extract_fields(forms[path.name].answers))
        assert parsed == intended, path.name
        # Where the generator wrote the status and the start year, they are found.
        form = forms[path.name]
        if form.answers.get("i4_secteurs_statut"):
            assert parsed["statut_juridique"] is not None, path.name
        if form.answers.get("i1_operationnel"):
            assert parsed["operationnel"] is not None, path.name


def test_bad_application_files_are_reported_and_nothing_else_is_affected(
    demo_data_dir: Path, odd_files_run: RunOutcome
) -> None:
    """tests/odd_files.py's broken application files: each is an error, the applications unchanged."""
    outcome, data_dir = odd_files_run, odd_files_run.data_dir
    assert outcome.published
    log = query(data_dir, "select * from ingest_log where kind = 'candidatures'").set_index("source_file")
    for name, fragment in BAD_APPLICATION_FILES.items():
        row = log.loc[f"raw/candidatures/{name}"]
        assert row["status"] == "error" and fragment in row["message"], (name, row["message"])
        assert row["message"].startswith(f"raw/candidatures/{name}")
    assert (log["rows_read"] == log["rows_loaded"] + log["rows_quarantined"]).all()
    before = query(demo_data_dir, "select pole_id, version, source_file from applications order by all")
    after = query(data_dir, "select pole_id, version, source_file from applications order by all")
    pd.testing.assert_frame_equal(before, after)


def _export_with_misspelt_pole(folder: Path) -> Path:
    """The demo export (3 rows) with the second pole misspelt, under another name."""
    from openpyxl import load_workbook

    path = write_demo_export(folder)
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet["C4"].value == "PTCE RE-Sources"
    sheet["C4"] = "PTCE RE-Sourses"
    target = folder / "export_pole_mal_ecrit.xlsx"
    workbook.save(target)
    path.unlink()
    return target


def test_export_row_with_unknown_pole_is_counted_in_the_ledger(tmp_path: Path) -> None:
    """Issue #8.1: the log row of an export counts its quarantined rows like every other file."""
    _export_with_misspelt_pole(tmp_path / "raw" / "candidatures")
    warehouse = WarehouseResource(data_dir=str(tmp_path))
    result = dg.materialize(
        [raw_files, stg_application_files], resources={"warehouse": warehouse}, raise_on_error=False
    )
    assert result.success
    with duckdb.connect(str(DataLayout(tmp_path).build_database), read_only=True) as con:
        log = con.execute("select * from stg_application_log").df()
        quarantined = con.execute("select * from stg_application_quarantine").df()
    row = log.set_index("source_file").loc["raw/candidatures/export_pole_mal_ecrit.xlsx"]
    assert (row["rows_read"], row["rows_loaded"], row["rows_quarantined"]) == (3, 2, 1)
    assert row["status"] == "partial" and "1 en quarantaine" in row["message"]
    assert quarantined["row_number"].tolist() == [4] and quarantined["value"].tolist() == ["PTCE RE-Sourses"]

"""The whole pipeline on the demo data plus the malformed corpus: good data published, bad data explained.

One run over a data directory holding the demo files, every corpus file in `raw/indicateurs/` and
every form-tool export case in `raw/candidatures/` (plus the file-system cases of
test_file_system.py, which share the run: `odd_run` in conftest.py, and are left out here). The
warehouse must still be published, every corpus file logged with a French message, rows
conserved per file, every quarantine row naming its file, row and field, and `indicator_values`
holding exactly the demo values plus the good values of the corpus — nothing from a bad row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.indicators.demo import demo_values
from ptce.paths import DataLayout
from tests.robustness.conftest import OddRun
from tests.robustness.test_corpus import ERROR_ACTIONS, EXPECTED, EXPORT_EXPECTED, REASON_ACTIONS


def _query(data_dir: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(sql).df()


def _key(row) -> tuple:
    return (row.pole_id, int(row.annee), None if pd.isna(row.trimestre) else int(row.trimestre), row.code)


@pytest.mark.slow
def test_demo_and_corpus_through_the_whole_pipeline(odd_run: OddRun) -> None:
    data_dir, sources, exports = odd_run.data_dir, odd_run.sources, odd_run.exports
    assert odd_run.exit_code == 0 and "Entrepôt publié." in odd_run.out, (odd_run.out, odd_run.err)
    fs_files = {e.source_file for e in odd_run.fs_entries}

    # One log row per corpus file, with the expected status and a French message.
    log = _query(data_dir, "select * from ingest_log").set_index("source_file")
    assert (log["rows_read"] == log["rows_loaded"] + log["rows_quarantined"]).all()
    for name, source in sources.items():
        row = log.loc[source]
        expect = EXPECTED[name]
        assert row["status"] == expect.status, (source, row["message"])
        if expect.status == "error":
            assert row["message"].startswith(f"{source} : ") and ERROR_ACTIONS.search(row["message"])
            assert row["rows_read"] == 0
        else:
            assert "ligne(s) lue(s)" in row["message"] and "chargée(s)" in row["message"]
        assert row["rows_quarantined"] == len(expect.quarantine), source
    # Exports with bad rows: the rows are quarantined and counted, the rest is loaded (issue #8.1).
    for name, source in exports.items():
        row, expect = log.loc[source], EXPORT_EXPECTED[name]
        assert (row["status"], row["rows_read"]) == (expect.status, expect.rows_read), row["message"]
        assert row["rows_quarantined"] == len(expect.quarantine), row["message"]
    apps = _query(data_dir, "select source_file, pole_id from applications")
    for name, source in exports.items():
        assert set(apps.loc[apps["source_file"] == source, "pole_id"]) == EXPORT_EXPECTED[name].poles
    corpus_files = {*sources.values(), *exports.values()}
    demo_files = [s for s in log.index if s.startswith("raw/") and s not in corpus_files | fs_files]
    # The demo files all load (one of them has two mistyped rows on purpose: status "partial").
    assert demo_files and (log.loc[demo_files, "status"] != "error").all()

    # Quarantine: exactly the announced rows, each naming its file, row and field, in French.
    quarantine = _query(data_dir, "select * from quarantine")
    for q in quarantine.itertuples():
        assert q.reason.startswith(f"{q.source_file}, ligne {q.row_number}, champ {q.field} : ")
        assert REASON_ACTIONS.search(q.reason)
    per_file = quarantine.groupby("source_file")["row_number"].nunique()
    for name, source in exports.items():
        assert set(quarantine.loc[quarantine["source_file"] == source, "row_number"]) == set(
            EXPORT_EXPECTED[name].quarantine
        )
    for name, source in sources.items():
        assert per_file.get(source, 0) == len(EXPECTED[name].quarantine), source
        assert set(quarantine.loc[quarantine["source_file"] == source, "row_number"]) == set(
            EXPECTED[name].quarantine
        )

    # Values: the demo ones, untouched, plus exactly the good corpus values.
    values = _query(data_dir, "select * from indicator_values")
    values = values[~values["source_file"].isin(fs_files)]
    corpus_good = {key: value for expect in EXPECTED.values() for key, value in expect.records.items()}
    assert len(values) == len(demo_values()) + len(corpus_good)
    got = {_key(r): (r.valeur, r.source_file, r.row_number) for r in values.itertuples()}
    for v in demo_values():
        value, source, _ = got[(v.pole_id, v.annee, v.trimestre, v.code)]
        assert value == pytest.approx(v.valeur) and source not in sources.values()
    from_corpus = {key: item for key, item in got.items() if item[1] in sources.values()}
    assert from_corpus.keys() == corpus_good.keys()
    for key, value in corpus_good.items():
        assert from_corpus[key][0] == pytest.approx(value), key
    # Nothing from a quarantined row reached the curated table.
    bad_rows = set(zip(quarantine["source_file"], quarantine["row_number"], strict=True))
    assert not {(source, row) for _, source, row in from_corpus.values()} & bad_rows

"""The interface SPEC §4 promises to others, pinned literally (not compared with our own contract).

Tables and columns that the dashboards, the report and analysts rely on, and the `ptce` command
that scripts call. Written out here from the SPEC so that a rename in the code fails a test.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.cli import build_parser
from ptce.paths import DataLayout

# SPEC §4: "Stable tables that others may rely on".
STABLE_TABLES = {
    "poles",
    "indicator_catalog",
    "indicator_values",
    "targets",
    "applications",
    "pathways",
    "visits",
    "ingest_log",
    "quarantine",
}
# SPEC §4: "These columns at least, with these names".
SPEC_COLUMNS = {
    "poles": ["pole_id", "numero", "nom", "departement"],
    "indicator_values": ["pole_id", "annee", "trimestre", "code", "valeur", "source_file"],
    "applications": ["pole_id", "source_file", "charte", "accueil_visite"],
    "pathways": ["person_key", "pole_id", "structure", "date_entree", "date_sortie", "categorie_sortie"],
    "ingest_log": [
        "source_file",
        "sha256",
        "kind",
        "rows_read",
        "rows_loaded",
        "rows_quarantined",
        "status",
        "message",
    ],
    "quarantine": ["source_file", "row_number", "field", "value", "reason"],
}
# SPEC §4: the `ptce` sub-commands and their options.
SPEC_COMMANDS = {
    "sample": ["--data-dir"],
    "run": ["--data-dir"],
    "dashboard": ["--data-dir"],
    "report": ["--year", "--data-dir", "--out"],
    "template": ["--out"],
}


def _columns(data_dir: Path) -> dict[str, set[str]]:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_name, column_name from information_schema.columns where table_schema = 'main'"
        ).fetchall()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    return found


def test_the_published_warehouse_has_the_stable_tables(demo_data_dir: Path) -> None:
    assert set(_columns(demo_data_dir)) >= STABLE_TABLES


@pytest.mark.parametrize("table", sorted(SPEC_COLUMNS))
def test_spec_columns_are_published_with_their_names(demo_data_dir: Path, table: str) -> None:
    assert set(SPEC_COLUMNS[table]) <= _columns(demo_data_dir)[table]


def _subcommands() -> dict[str, list[str]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {
        name: [opt for action in p._actions for opt in action.option_strings]
        for name, p in sub.choices.items()
    }


@pytest.mark.parametrize("command", sorted(SPEC_COMMANDS))
def test_ptce_has_the_spec_commands_and_options(command: str) -> None:
    commands = _subcommands()
    assert command in commands
    assert set(SPEC_COMMANDS[command]) <= set(commands[command])

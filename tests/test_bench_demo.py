"""`ptce bench` on the demo, end to end (several minutes: marked `benchmark`, deselected by default and
in CI; run it with `pytest -m benchmark tests/test_bench_demo.py`).

BENCHMARKS.md must hold every row — the run, its memory, the floor and its equality with the
published marts, the checks, every page read, every page, the report — and the floor must give the
same marts as the pipeline.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from benchmarks.bench import main
from benchmarks.pages import pages
from benchmarks.queries import page_reads

pytestmark = pytest.mark.benchmark


def test_the_bench_writes_every_figure_of_the_demo(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    args = argparse.Namespace(scales="demo", repeat=2, work_dir=str(tmp_path / "travail"), out=str(out))
    assert main(args) == 0
    text = out.read_text(encoding="utf-8")
    assert "**Problème**" not in text
    for heading in (
        "## Machine",
        "## Cibles de l'issue #16",
        "## Démo — 12 pôles (`ptce sample`)",
        "### Construction, contrôles, rapport",
        "### Le plancher est-il le même travail ?",
        "### Lectures des pages (jusqu'à 2 appels chacune, sans cache)",
        "### Pages (AppTest, médiane)",
    ):
        assert heading in text
    for row in (
        "| `ptce run` : durée (processus complet) |",
        "| `ptce run` : mémoire maximale (arbre de processus) |",
        "| Plancher DuckDB (`benchmarks/floor.sql`) |",
        "| Plancher identique à l'entrepôt publié | oui |",
        "| Contrôles Great Expectations (`gx_marts`, `gx_tables`) |",
        "| Rapport annuel 2016 (`ptce report` : PDF, Excel, HTML) |",
        "| démo | `ptce run` ÷ import nu de ses bibliothèques |",
    ):
        assert row in text
    for table in ("mart_pole_year", "mart_network_year", "pathway_indicators"):
        assert f"| `{table}` |" in text
        line = next(line for line in text.splitlines() if line.startswith(f"| `{table}` |"))
        assert line.endswith("| oui |"), line
    for read in page_reads():
        line = next(line for line in text.splitlines() if line.startswith(f"| `{read}` |"))
        assert "erreur" not in line, line
    for page in pages():
        line = next(line for line in text.splitlines() if line.startswith(f"| `{page}` |"))
        assert "erreur" not in line, line

"""Shared fixtures: a demo data directory with its published warehouse, built once per session.

Tests never touch the project's own `data/`: everything happens under pytest's temporary folders.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.runner import RunOutcome, run_pipeline
from pipelines.shared.sample import write_sample


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> RunOutcome:
    """The demo raw files written by `ptce sample`, then one full pipeline run."""
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    write_sample(data_dir)
    outcome = run_pipeline(data_dir)
    assert outcome.published, outcome.step_errors
    return outcome


@pytest.fixture(scope="session")
def demo_data_dir(demo_run: RunOutcome) -> Path:
    """Data directory holding the demo raw files and the published warehouse."""
    return demo_run.data_dir

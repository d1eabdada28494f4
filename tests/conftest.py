"""Shared fixtures: a demo data directory with its published warehouse, built once per session.

Tests never touch the project's own `data/`: everything happens under pytest's temporary folders.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.runner import RunOutcome, run_pipeline
from pipelines.shared.sample import write_sample
from ptce.read.base import release_connections
from tests.odd_files import write_bad_and_pending_files, write_bad_application_files, write_later_target


@pytest.fixture(autouse=True)
def _release_read_connections() -> Iterator[None]:
    """The read layer keeps its connections open; DuckDB refuses to write a file in place while
    it is attached read-only in the process, and tests write warehouses in their temporary
    folders: each test leaves none open for the next."""
    yield
    release_connections()


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


@pytest.fixture(scope="session")
def odd_files_run(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> RunOutcome:
    """The demo raw files plus the odd files of tests/odd_files.py (a later target, broken and
    pending files), through one pipeline run: each test reads the rows of its own files."""
    data_dir = tmp_path_factory.mktemp("odd_files") / "data"
    shutil.copytree(demo_data_dir / "raw", data_dir / "raw")
    write_later_target(data_dir / "raw")
    write_bad_and_pending_files(data_dir / "raw")
    write_bad_application_files(data_dir / "raw")
    return run_pipeline(data_dir)


# Tests that need the whole pipeline run on the demo data (directly or through these fixtures) are
# `slow`: still in CI, left out of the quick loop `pytest -m "not slow and not browser"`.
FULL_RUN_FIXTURES = {"demo_run", "demo_data_dir", "altered_data_dir", "app_server", "odd_files_run"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        # pytest-xdist (`--dist loadgroup`, scripts/test.sh): one group per test file, so a module's
        # fixtures are built once; one group for every browser test, so they share one app server
        # (a full demo run to set up) and never run two Chromiums at once on a 2-core machine.
        group = "navigateur" if item.get_closest_marker("browser") else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
        # Benchmarks are slow too: the quick loop's -m replaces the default `-m 'not benchmark'`.
        if FULL_RUN_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("benchmark"):
            item.add_marker(pytest.mark.slow)

"""Fixtures of the dashboard tests: variants of the published demo warehouse (`demo_data_dir`).

The demo itself is built once per session by tests/conftest.py and must never be modified here;
a test that needs different data changes a private copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from ptce.paths import DataLayout


@pytest.fixture
def altered_data_dir(tmp_path: Path, demo_data_dir: Path) -> Callable[..., Path]:
    """Factory: a data directory holding a copy of the demo warehouse changed by the SQL given.

    The demo publishes every table the pages read (quality, applications), with real content.
    """

    def make(*statements: str, params: tuple[list[object], ...] = ()) -> Path:
        target = DataLayout(tmp_path).warehouse
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DataLayout(demo_data_dir).warehouse, target)
        with duckdb.connect(str(target)) as con:
            for i, sql in enumerate(statements):
                con.execute(sql, params[i] if i < len(params) else [])
        return tmp_path

    return make

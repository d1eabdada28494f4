"""One pipeline run shared by the robustness tests: the demo files, the malformed corpus
(`corpus.py`) and every file-system case (`test_file_system.py`) in one data folder.

The corpus uses the years 2018-2021 and the file-system cases other poles or years, so no case
replaces another's figures (a later file for a pole and period replaces the earlier one as a whole):
each test reads the rows of its own files. One run instead of one per kind of oddity, through
`ptce run` as a user launches it.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.shared.sample import write_sample
from tests.robustness.corpus import EXPORT_CASES, write_corpus


@dataclass(frozen=True)
class OddRun:
    """The run over demo + corpus + file-system cases: where, what `ptce run` said, what was written."""

    data_dir: Path
    exit_code: int
    out: str
    err: str
    sources: dict[str, str]  # corpus case -> its file under raw/indicateurs/
    exports: dict[str, str]  # export case -> its file under raw/candidatures/
    fs_entries: list  # the file-system cases' expected log rows (test_file_system.Entry)


@pytest.fixture(scope="package")
def odd_run(tmp_path_factory: pytest.TempPathFactory) -> OddRun:
    from tests.robustness.test_file_system import build_cases

    root = tmp_path_factory.mktemp("robustesse")
    data_dir = root / "data"
    write_sample(data_dir)
    written = write_corpus(data_dir / "raw" / "indicateurs")
    exports = write_corpus(data_dir / "raw" / "candidatures", EXPORT_CASES)
    fs_entries = build_cases(data_dir, root / "dehors")
    out, err = io.StringIO(), io.StringIO()
    # `ptce run` sets these for its process; they must not outlive the run.
    with pytest.MonkeyPatch.context() as monkeypatch, redirect_stdout(out), redirect_stderr(err):
        monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
        monkeypatch.setenv("DAGSTER_HOME", str(data_dir / "curated" / ".dagster"))
        code = main(["run", "--data-dir", str(data_dir)])
    return OddRun(
        data_dir=data_dir,
        exit_code=code,
        out=out.getvalue(),
        err=err.getvalue(),
        sources={name: path.relative_to(data_dir).as_posix() for name, path in written.items()},
        exports={name: path.relative_to(data_dir).as_posix() for name, path in exports.items()},
        fs_entries=fs_entries,
    )

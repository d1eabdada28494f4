"""Where things live under a data directory (SPEC §2 and §4).

The data directory is `data/` beside the project by default; `PTCE_DATA_DIR` or `--data-dir` change
it. Only this module knows the layout, so the pipeline and the dashboards agree on it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"

# Raw input folders, by kind of file (SPEC §2). Order is the order of ingestion and of display.
# `poles`: the staff's reference files adding or amending member poles (issue #16), layered over the
# twelve shipped in `ptce/reference/poles.yaml`.
RAW_KINDS: dict[str, str] = {
    "candidatures": "candidatures",
    "indicateurs": "indicateurs",
    "objectifs": "objectifs",
    "parcours": "parcours",
    "visites": "visites",
    "poles": "poles",
}

DEMO_MARKER = "LISEZMOI_DONNEES_FICTIVES.txt"


def resolve_data_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: explicit value, else `PTCE_DATA_DIR`, else `data/` in the project."""
    chosen = value or os.environ.get("PTCE_DATA_DIR") or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()


@dataclass(frozen=True)
class DataLayout:
    """Paths under one data directory."""

    data_dir: Path

    @property
    def raw(self) -> Path:
        return self.data_dir / "raw"

    def raw_folder(self, kind: str) -> Path:
        return self.raw / RAW_KINDS[kind]

    @property
    def curated(self) -> Path:
        return self.data_dir / "curated"

    @property
    def warehouse(self) -> Path:
        """The published warehouse that dashboards and analysts read."""
        return self.curated / "ptce.duckdb"

    @property
    def build_dir(self) -> Path:
        """Private working area of the pipeline; never read by the dashboards."""
        return self.curated / ".build"

    @property
    def build_database(self) -> Path:
        return self.build_dir / "ptce_build.duckdb"

    @property
    def data_docs_dir(self) -> Path:
        """Great Expectations Data Docs of the published run (static HTML site)."""
        return self.curated / "data_docs"

    @property
    def reports_dir(self) -> Path:
        """The yearly reports for the funder (`ptce report`, the « Rapports » page, Dagster)."""
        return self.curated / "rapports"

    @property
    def parquet_dir(self) -> Path:
        return self.curated / "parquet"

    @property
    def role_file(self) -> Path:
        """Who may read the dashboards once a login provider is configured (ptce/access.py)."""
        return self.data_dir / "acces" / "roles.yaml"

    @property
    def deposits_file(self) -> Path:
        """One line per file deposited through the pages (`ptce deposit`): who, when, original name."""
        return self.data_dir / "depots.csv"

    @property
    def run_request(self) -> Path:
        """Marker of a requested run not started yet (`ptce deposit`; removed by `ptce run`)."""
        return self.build_dir / "run-demandee"

    @property
    def run_journal(self) -> Path:
        """Progress and summary of the runs requested by deposits (`ptce run --journal`)."""
        return self.build_dir / "derniere-execution.log"

    @property
    def run_status(self) -> Path:
        """State of the last journalled run (JSON: start, end, outcome), beside its journal."""
        return self.build_dir / "derniere-execution.json"

    @property
    def demo_marker(self) -> Path:
        return self.raw / DEMO_MARKER

    def relative(self, path: Path) -> str:
        """Path relative to the data directory, with `/` separators (`raw/indicateurs/x.csv`)."""
        return path.resolve().relative_to(self.data_dir).as_posix()

"""The directions of imports that keep the code by domain (README « Architecture »).

- `dashboards` never imports `pipelines`: pages read the published warehouse through `ptce.read`.
- `ptce` (shared knowledge, the contract and the read layer) imports neither side, nor Streamlit.
- A pipeline domain (`pipelines/<domain>/`) imports no other domain: only `pipelines.shared` and
  `ptce`; `pipelines.shared` imports no domain (it collects them by discovery, never by name).
- A dashboard page folder imports no other page: only `dashboards.shared`.
- `reports` (the yearly report) imports neither `pipelines` nor Streamlit; of `dashboards` it uses
  only the pure chart modules (`dashboards.<page>.charts`, `dashboards.shared.plotting`,
  `dashboards.shared.maps`, `dashboards.shared.angle_charts`), so that a chart in the report is the
  dashboard's own figure.
- `benchmarks` (`ptce bench`) measures the product from outside: it may use every side, and nothing
  imports it but the command line (`pipelines/cli.py`, lazily); it imports no dashboard page, only
  `dashboards.shared`.
Checked on the source with `ast`, imports inside functions included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ptce.paths import PROJECT_ROOT

PIPELINE_DOMAINS = sorted(
    p.name
    for p in (PROJECT_ROOT / "pipelines").iterdir()
    if (p / "__init__.py").exists() and p.name != "shared"
)
PAGES = sorted(
    p.name
    for p in (PROJECT_ROOT / "dashboards").iterdir()
    if (p / "__init__.py").exists() and p.name != "shared"
)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def sources(folder: str) -> list[Path]:
    return sorted((PROJECT_ROOT / folder).rglob("*.py"))


def offending(folder: str, forbidden: list[str]) -> list[str]:
    bad = []
    for path in sources(folder):
        for module in sorted(imports_of(path)):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(PROJECT_ROOT)} imports {module}")
    return bad


def test_the_domains_and_pages_are_found() -> None:
    assert {"indicators", "applications"} <= set(PIPELINE_DOMAINS)
    assert {"overview", "pole", "quality", "applications"} <= set(PAGES)


def test_dashboards_never_import_pipelines() -> None:
    assert offending("dashboards", ["pipelines"]) == []


def test_shared_knowledge_imports_neither_side_nor_streamlit() -> None:
    assert offending("ptce", ["pipelines", "dashboards", "streamlit"]) == []


@pytest.mark.parametrize("domain", PIPELINE_DOMAINS)
def test_a_pipeline_domain_imports_no_other_domain(domain: str) -> None:
    others = [f"pipelines.{d}" for d in PIPELINE_DOMAINS if d != domain]
    assert offending(f"pipelines/{domain}", [*others, "dashboards"]) == []


def test_pipeline_shared_imports_no_domain() -> None:
    assert offending("pipelines/shared", [f"pipelines.{d}" for d in PIPELINE_DOMAINS] + ["dashboards"]) == []


@pytest.mark.parametrize("page", PAGES)
def test_a_page_imports_no_other_page(page: str) -> None:
    others = [f"dashboards.{p}" for p in PAGES if p != page]
    assert offending(f"dashboards/{page}", others) == []


REPORT_CHART_MODULES = (
    "dashboards.shared.plotting",
    "dashboards.shared.maps",
    "dashboards.shared.angle_charts",
)


def test_reports_import_neither_pipelines_nor_streamlit() -> None:
    assert offending("reports", ["pipelines", "streamlit"]) == []


def test_reports_use_only_the_pure_chart_modules_of_the_dashboards() -> None:
    bad = []
    for path in sources("reports"):
        for module in sorted(imports_of(path)):
            if not module.startswith("dashboards"):
                continue
            base = module.rsplit(".", 1)[0] if module.count(".") >= 2 else module
            allowed = module in REPORT_CHART_MODULES or base in REPORT_CHART_MODULES
            allowed = allowed or (module.split(".")[-1] == "charts" or base.split(".")[-1] == "charts")
            if not allowed:
                bad.append(f"{path.relative_to(PROJECT_ROOT)} imports {module}")
    assert bad == []


def test_nothing_imports_the_benchmarks_but_the_command_line() -> None:
    bad = [
        line
        for folder in ("ptce", "dashboards", "reports", "pipelines")
        for line in offending(folder, ["benchmarks"])
    ]
    assert bad == [
        "pipelines/cli.py imports benchmarks.bench",
        "pipelines/cli.py imports benchmarks.bench.main",
    ]


def test_the_benchmarks_import_no_page() -> None:
    assert offending("benchmarks", [f"dashboards.{p}" for p in PAGES]) == []

"""The yearly report in Dagster: the asset partitioned by year, its job, its 1 March schedule.

The content and renderers are fakes (tests/report_fakes.py); the warehouse is a tiny published file
holding only the years, so nothing here needs a pipeline run.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import build_definitions, defs
from pipelines.shared.resources import WarehouseResource
from reports.assets import YEARS, ReportResource, rapport_annuel, yearly_report_schedule
from tests.report_fakes import FAKE_PAGES, install_fakes, tiny_warehouse


def test_definitions_load_with_the_report_asset_job_and_schedule() -> None:
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    key = dg.AssetKey("rapport_annuel")
    assert key in graph.get_all_asset_keys()
    assert graph.get(key).parent_keys == {dg.AssetKey("published_warehouse")}
    specs = {spec.key: spec for spec in defs.resolve_all_asset_specs()}
    assert specs[key].group_name == "rapports"
    schedule = defs.resolve_schedule_def("rapport_annuel_1er_mars")
    assert schedule.cron_schedule == "0 6 1 3 *"
    assert schedule.execution_timezone == "Europe/Paris"
    assert schedule.job_name == "construire_rapport_annuel"
    assert defs.resolve_job_def("construire_rapport_annuel").partitions_def == YEARS


def test_the_report_has_one_partition_per_ended_year_from_2015() -> None:
    keys = YEARS.get_partition_keys(current_time=datetime(2017, 3, 1))
    assert keys == ["2015", "2016"]
    assert YEARS.get_partition_keys(current_time=datetime(2018, 1, 2))[-1] == "2017"


def test_the_warehouse_job_never_builds_the_report() -> None:
    job = defs.resolve_job_def("construire_entrepot")
    names = {node.name for node in job.graph.nodes}
    assert "published_warehouse" in names
    assert "rapport_annuel" not in names


def test_definitions_built_for_a_folder_give_the_report_that_folder(tmp_path: Path) -> None:
    built = build_definitions(WarehouseResource(data_dir=str(tmp_path)))
    assert built.resources["rapports"].data_dir == str(tmp_path)
    # The code location's own: the same environment variable, resolved when a run starts.
    data_dir = defs.resources["rapports"].data_dir
    assert isinstance(data_dir, dg.EnvVar) and data_dir.env_var_name == "PTCE_DATA_DIR"


def _tick(data_dir: Path, when: datetime) -> dg.RunRequest | dg.SkipReason:
    context = dg.build_schedule_context(
        scheduled_execution_time=when, resources={"rapports": ReportResource(data_dir=str(data_dir))}
    )
    return yearly_report_schedule(context)


def test_the_schedule_asks_for_the_previous_year_when_it_has_data(tmp_path: Path) -> None:
    tiny_warehouse(tmp_path, [2015, 2016])
    request = _tick(tmp_path, datetime(2017, 3, 1, 6, 0))
    assert isinstance(request, dg.RunRequest)
    assert request.partition_key == "2016" and request.run_key == "rapport-2016"


def test_the_schedule_skips_in_french_a_year_without_data_or_no_warehouse(tmp_path: Path) -> None:
    skip = _tick(tmp_path, datetime(2017, 3, 1, 6, 0))
    assert isinstance(skip, dg.SkipReason) and skip.skip_message.startswith("Aucun entrepôt publié")
    tiny_warehouse(tmp_path, [2015, 2016])
    skip = _tick(tmp_path, datetime(2019, 3, 1, 6, 0))
    assert isinstance(skip, dg.SkipReason)
    assert (
        skip.skip_message == "Pas de rapport 2018 : l'entrepôt publié n'a pas de chiffres pour cette année."
    )


def test_materialising_a_year_writes_its_three_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = install_fakes(monkeypatch)
    tiny_warehouse(tmp_path, [2016])
    result = dg.materialize(
        [rapport_annuel], partition_key="2016", resources={"rapports": ReportResource(data_dir=str(tmp_path))}
    )
    assert result.success and built == [2016]
    metadata = result.asset_materializations_for_node("rapport_annuel")[0].metadata
    assert metadata["pages"].value == FAKE_PAGES
    folder = tmp_path / "curated" / "rapports"
    assert metadata["pdf"].value == str(folder / "rapport-ptce-2016.pdf")
    assert sorted(p.name for p in folder.iterdir()) == [
        "rapport-ptce-2016.html",
        "rapport-ptce-2016.pdf",
        "rapport-ptce-2016.xlsx",
    ]


def test_a_year_without_data_fails_the_run_with_the_french_reason(tmp_path: Path, monkeypatch) -> None:
    install_fakes(monkeypatch)
    tiny_warehouse(tmp_path, [2016])
    result = dg.materialize(
        [rapport_annuel],
        partition_key="2015",
        resources={"rapports": ReportResource(data_dir=str(tmp_path))},
        raise_on_error=False,
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "Aucune donnée pour l'année 2015" in failure.step_failure_data.error.message

"""Indicator and target files: staging (parse every file), the curated tables, then the yearly marts.

Staging keeps everything each file gave — loaded values, quarantined rows, one log line — so the
curated tables can be rebuilt and checked against it. Curated `indicator_values` keeps one value per
pole, period and indicator: a later file for a pole and period replaces the earlier one (see
`pipelines.indicators.versions`), and every version is kept in `indicator_history`.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import repeat
from pathlib import Path

import dagster as dg
import pandas as pd

from pipelines.indicators.marts import build_network_year, build_pole_year
from pipelines.indicators.parser import IndicatorFileParser
from pipelines.indicators.versions import resolve_versions
from pipelines.shared.build_store import write_table
from pipelines.shared.ledger import crash_result, ledger_frames, log_metadata
from pipelines.shared.pole_reference import staged_poles
from pipelines.shared.resources import WarehouseResource
from pipelines.shared.results import FileResult, record_columns
from ptce.paths import DataLayout
from ptce.reference import PoleSet

VALUE_COLUMNS = [
    "pole_id",
    "annee",
    "trimestre",
    "code",
    "valeur",
    "commentaire",
    "source_file",
    "row_number",
    "sheet",
]
PARSED_KINDS = ("indicateurs", "objectifs")


def parse_files(
    layout: DataLayout, inventory: pd.DataFrame, poles: PoleSet | None = None
) -> list[FileResult]:
    """Parse every indicator and target file of the inventory, in path order, against `poles` (the
    run's poles in force; the shipped twelve when not given)."""
    parsers = {kind: IndicatorFileParser(kind, poles=poles) for kind in PARSED_KINDS}
    results = []
    for row in inventory.itertuples():
        if row.kind not in parsers:
            continue
        try:
            result = parsers[row.kind].parse(layout.data_dir / Path(row.source_file), row.source_file)
        except Exception:  # a bad file never stops publication of the rest
            result = crash_result(row.source_file, row.kind, row.format)
        results.append(result)
    return results


def results_to_frames(
    results: list[FileResult], inventory: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(values, quarantine, log) frames; values carry a `kind` column (indicateurs/objectifs)."""
    columns = record_columns((res.records for res in results), VALUE_COLUMNS)
    if columns is not None:
        columns["kind"] = [kind for res in results for kind in repeat(res.kind, len(res.records))]
    values_df = pd.DataFrame(columns, columns=[*VALUE_COLUMNS, "kind"])
    values_df["trimestre"] = values_df["trimestre"].astype("Int64")
    return (values_df, *ledger_frames(results, inventory))


@dg.asset(group_name="staging", kinds={"duckdb", "python"}, deps=["raw_files", "stg_pole_files"])
def stg_indicator_files(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Lecture de chaque fichier d'indicateurs et d'objectifs : valeurs, quarantaine, journal."""
    layout = warehouse.layout
    with warehouse.get_connection() as con:
        inventory = con.execute("select * from raw_files order by source_file").df()
        results = parse_files(layout, inventory, staged_poles(con, layout))
        values, quarantine, log = results_to_frames(results, inventory)
        write_table(con, "stg_indicator_values", values)
        write_table(con, "stg_indicator_quarantine", quarantine)
        write_table(con, "stg_indicator_log", log)
    return dg.MaterializeResult(metadata=log_metadata(log))


VERSION_DEPS = ["stg_indicator_files", "raw_files"]


@dg.multi_asset(
    group_name="curated",
    specs=[
        dg.AssetSpec(
            "indicator_values",
            kinds={"duckdb"},
            deps=VERSION_DEPS,
            description="Valeurs en vigueur des indicateurs par pôle, année et trimestre.",
        ),
        dg.AssetSpec(
            "indicator_history",
            kinds={"duckdb"},
            deps=VERSION_DEPS,
            description="Toutes les versions de chaque valeur, avec fichier, empreinte et date d'arrivée.",
        ),
        dg.AssetSpec(
            "indicator_changes",
            kinds={"duckdb"},
            deps=VERSION_DEPS,
            description="Changements entre deux versions successives d'un pôle pour une période.",
        ),
    ],
)
def indicator_versions(warehouse: WarehouseResource) -> Iterator[dg.MaterializeResult]:
    """Valeurs en vigueur, historique et changements (un envoi plus récent remplace la période)."""
    with warehouse.get_connection() as con:
        staged = con.execute("select * from stg_indicator_values where kind = 'indicateurs'").df()
        arrivals = con.execute("select * from file_arrivals").df()
        current, history, changes = resolve_versions(staged, arrivals)
        n = write_table(con, "indicator_values", current, order_by=["pole_id", "annee", "trimestre", "code"])
        yield dg.MaterializeResult(
            asset_key="indicator_values",
            metadata={"dagster/row_count": n, "valeurs_remplacees": len(history) - n},
        )
        n = write_table(
            con, "indicator_history", history, order_by=["pole_id", "annee", "trimestre", "code", "version"]
        )
        yield dg.MaterializeResult(asset_key="indicator_history", metadata={"dagster/row_count": n})
        n = write_table(
            con, "indicator_changes", changes, order_by=["pole_id", "annee", "trimestre", "version", "code"]
        )
        yield dg.MaterializeResult(asset_key="indicator_changes", metadata={"dagster/row_count": n})


@dg.asset(group_name="curated", kinds={"duckdb"}, deps=["stg_indicator_files", "raw_files"])
def targets(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Objectifs annuels par pôle et indicateur (le dernier envoi pour un pôle et une année fait foi)."""
    with warehouse.get_connection() as con:
        staged = con.execute("select * from stg_indicator_values where kind = 'objectifs'").df()
        arrivals = con.execute("select * from file_arrivals").df()
        current, _, _ = resolve_versions(staged, arrivals)
        n = write_table(con, "targets", current, order_by=["pole_id", "annee", "code"])
    return dg.MaterializeResult(metadata={"dagster/row_count": n})


# --- Marts: yearly figures per pole and for the network, what dashboards and reports read ---------


@dg.asset(group_name="marts", kinds={"duckdb"}, deps=["indicator_values", "indicator_catalog"])
def mart_pole_year(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Valeur annuelle par pôle et indicateur (trimestres agrégés, indicateurs dérivés calculés)."""
    with warehouse.get_connection() as con:
        frame = build_pole_year(con)
        n = write_table(con, "mart_pole_year", frame, order_by=["pole_id", "annee", "code"])
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": n,
            "depuis_trimestres": int((frame["origine"] == "trimestres").sum()),
        }
    )


@dg.asset(group_name="marts", kinds={"duckdb"}, deps=["mart_pole_year"])
def mart_network_year(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Chiffre réseau par année et indicateur, avec médiane, minimum et maximum des pôles."""
    with warehouse.get_connection() as con:
        pole_year = con.execute("select * from mart_pole_year").df()
        frame = build_network_year(pole_year)
        n = write_table(con, "mart_network_year", frame, order_by=["annee", "code"])
    return dg.MaterializeResult(metadata={"dagster/row_count": n})

"""Community event files: staging (read every file of `raw/visites/`), the event tables, the
practices, the offers to host and the community's own indicators.

`visits`, `visit_poles`, `visit_angles`, `visit_documents` and `practices` are built in one step
(their GX suites run in `gx_tables`, so none of them may wait for another's check). `visit_offers`
reads the current applications (by SQL: a domain never imports another) and `community_indicators`
the events held; both are checked in `gx_marts`, after `gx_tables`, which avoids a cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import pandas as pd

from pipelines.shared.build_store import write_table
from pipelines.shared.ledger import crash_result, ledger_frames, log_metadata
from pipelines.shared.pole_reference import staged_poles
from pipelines.shared.resources import WarehouseResource
from pipelines.shared.results import FileResult
from pipelines.visits.parser import KIND, VisitFileParser, records_of
from pipelines.visits.tables import (
    build_community_indicators,
    build_events,
    build_offers,
    link_practices,
)
from ptce.contract import table_label
from ptce.paths import DataLayout
from ptce.reference import PoleSet

EVENT_COLUMNS = [
    "date_visite",
    "date_fin",
    "type",
    "pole_id",
    "titre",
    "lieu",
    "themes",
    "angles",
    "poles_presents",
    "nb_participants",
    "personnes_ressources",
    "documents",
    "source_file",
    "row_number",
    "sheet",
]
PRACTICE_COLUMNS = [
    "titre",
    "pole_id",
    "angle",
    "outil",
    "description",
    "visite_mentionnee",
    "source_file",
    "row_number",
    "sheet",
]
EVENT_TABLES = ("visits", "visit_poles", "visit_angles", "visit_documents", "practices")


def parse_files(
    layout: DataLayout, inventory: pd.DataFrame, today: date | None = None, poles: PoleSet | None = None
) -> list[FileResult]:
    """Parse every event file of the inventory, in path order, against `poles` (the run's poles in
    force; the shipped twelve when not given)."""
    parser = VisitFileParser(today=today, poles=poles)
    results = []
    for row in inventory.itertuples():
        if row.kind != KIND:
            continue
        try:
            result = parser.parse(layout.data_dir / Path(row.source_file), row.source_file)
        except Exception:  # a bad file never stops publication of the rest
            result = crash_result(row.source_file, KIND, row.format)
        results.append(result)
    return results


def _typed(frame: pd.DataFrame, dates: tuple[str, ...], integers: tuple[str, ...]) -> pd.DataFrame:
    for column in dates:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    for column in integers:
        frame[column] = frame[column].astype("Int64")
    for column in frame.columns:
        if column not in dates and column not in integers:
            frame[column] = frame[column].astype("string")
    return frame


def results_to_frames(
    results: list[FileResult], inventory: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(events, practices, quarantine, log) frames of the parsed files."""
    events = pd.DataFrame([r for res in results for r in records_of(res, "event")], columns=EVENT_COLUMNS)
    practices = pd.DataFrame(
        [r for res in results for r in records_of(res, "practice")], columns=PRACTICE_COLUMNS
    )
    events = _typed(events, ("date_visite", "date_fin"), ("nb_participants", "row_number"))
    practices = _typed(practices, (), ("row_number",))
    return (events, practices, *ledger_frames(results, inventory))


@dg.asset(group_name="staging", kinds={"duckdb", "python"}, deps=["raw_files", "stg_pole_files"])
def stg_visit_files(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Lecture de chaque fichier de visites : événements, pratiques, quarantaine, journal."""
    with warehouse.get_connection() as con:
        inventory = con.execute("select * from raw_files order by source_file").df()
        results = parse_files(warehouse.layout, inventory, poles=staged_poles(con, warehouse.layout))
        events, practices, quarantine, log = results_to_frames(results, inventory)
        write_table(con, "stg_visit_events", events)
        write_table(con, "stg_visit_practices", practices)
        write_table(con, "stg_visit_quarantine", quarantine)
        write_table(con, "stg_visit_log", log)
    return dg.MaterializeResult(
        metadata={**log_metadata(log), "evenements": len(events), "pratiques": len(practices)}
    )


def _staged(con, table: str) -> pd.DataFrame:
    return con.execute(f"select * from {table}").df().replace({pd.NA: None})


@dg.multi_asset(
    group_name="curated",
    specs=[
        dg.AssetSpec(t, kinds={"duckdb"}, description=table_label(t), deps=["stg_visit_files"])
        for t in EVENT_TABLES
    ],
)
def visit_tables(warehouse: WarehouseResource) -> Iterator[dg.MaterializeResult]:
    """Événements de la communauté, pôles présents, angles, documents et pratiques partagées."""
    with warehouse.get_connection() as con:
        events = _staged(con, "stg_visit_events")
        practices = _staged(con, "stg_visit_practices")
        poles = staged_poles(con, warehouse.layout)
        tables = build_events(events, poles, date.today())
        tables["practices"] = link_practices(practices, tables["visits"], poles)
        order = {
            "visits": ["date_visite", "visit_id"],
            "visit_poles": ["visit_id", "role", "pole_id"],
            "visit_angles": ["visit_id", "angle"],
            "visit_documents": ["visit_id", "row_number", "titre"],
            "practices": ["practice_id"],
        }
        for table in EVENT_TABLES:
            n = write_table(con, table, tables[table], order_by=order[table])
            metadata: dict[str, int] = {"dagster/row_count": n}
            if table == "practices":
                metadata["pratiques_rattachees"] = int(tables[table]["visit_id"].notna().sum())
            yield dg.MaterializeResult(asset_key=table, metadata=metadata)


@dg.asset(group_name="marts", kinds={"duckdb"}, deps=["visits", "applications"])
def visit_offers(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Offres d'accueil de visite : ce que chaque pôle a proposé dans sa candidature, et ce qu'il en est."""
    with warehouse.get_connection() as con:
        applications = con.execute(
            "select pole_id, accueil_visite, experiences_visite, periode_visite from applications "
            "where current"
        ).df()
        visits = con.execute("select * from visits").df()
        frame = build_offers(staged_poles(con, warehouse.layout).ids, applications, visits)
        n = write_table(con, "visit_offers", frame, order_by=["pole_id"])
    counts = frame.groupby("statut_offre").size().to_dict()
    return dg.MaterializeResult(
        metadata={"dagster/row_count": n, **{f"offres_{k}": int(v) for k, v in counts.items()}}
    )


@dg.asset(group_name="marts", kinds={"duckdb"}, deps=["visits", "visit_poles", "practices"])
def community_indicators(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Vie de la communauté par année : événements tenus, pôles présents, pratiques partagées."""
    with warehouse.get_connection() as con:
        visits = con.execute("select * from visits").df()
        visit_poles = con.execute("select * from visit_poles").df()
        practices = con.execute("select * from practices").df()
        frame = build_community_indicators(visits, visit_poles, practices)
        n = write_table(con, "community_indicators", frame, order_by=["annee nulls last", "code"])
    return dg.MaterializeResult(metadata={"dagster/row_count": n})

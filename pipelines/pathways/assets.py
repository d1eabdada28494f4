"""Pathway files: staging (read and pseudonymise every file), the `pathways` table, its indicators.

Staging keeps each file's stays (already pseudonymised: no raw identifier is ever written), its
quarantined rows and its log row. `pathways` keeps the latest version of each stay (arrival
register) and groups stays into pathways; `pathway_indicators` counts them per pole and year beside
the figures the poles declared; `pathway_adjusted` sets each pole's exit rates against those its
people's profile predicts (`adjusted.py`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import pandas as pd

from pipelines.pathways.adjusted import EXIT_INPUTS, build_adjusted
from pipelines.pathways.parser import FLAG_ROLES, KIND, RECORD_COLUMNS, PathwayFileParser
from pipelines.pathways.pseudonym import KEY_VARIABLE, resolve_key
from pipelines.pathways.tables import INDICATOR_INPUTS, build_indicators, build_pathways, latest_versions
from pipelines.shared.build_store import write_table
from pipelines.shared.ledger import crash_result, ledger_frames, log_metadata
from pipelines.shared.pole_reference import staged_poles
from pipelines.shared.resources import WarehouseResource
from pipelines.shared.results import FileResult, record_columns
from ptce.paths import DataLayout
from ptce.reference import PoleSet, load_pathway_config, shipped_poles

STAY_COLUMNS = list(RECORD_COLUMNS)
STAY_TYPES = {
    "date_entree": "datetime64[s]",
    "date_sortie": "datetime64[s]",
    **{role: "boolean" for role in FLAG_ROLES},
    "heures_formation": "float64",
    "row_number": "Int64",
}


def parse_files(
    layout: DataLayout, inventory: pd.DataFrame, today: date | None = None, poles: PoleSet | None = None
) -> list[FileResult]:
    """Parse every pathway file of the inventory, in path order, with the run's pseudonym key and
    poles in force (the shipped twelve when not given)."""
    rows = [row for row in inventory.itertuples() if row.kind == KIND]
    if not rows:
        return []
    key = resolve_key(layout)
    logger = dg.get_dagster_logger()
    if key.key is None:
        logger.error(
            "%s absente : %d fichier(s) de parcours non chargé(s) (données réelles, pas de clé).",
            KEY_VARIABLE,
            len(rows),
        )
    elif key.demo:
        logger.warning(
            "ATTENTION : %s absente ; identifiants pseudonymisés avec la CLÉ DE DÉMONSTRATION "
            "(admise seulement pour les données fictives).",
            KEY_VARIABLE,
        )
    parser = PathwayFileParser(key, today=today, poles=poles)
    results = []
    for row in rows:
        try:
            result = parser.parse(layout.data_dir / Path(row.source_file), row.source_file)
        except Exception:  # a bad file never stops publication of the rest
            result = crash_result(row.source_file, KIND, row.format, personal=True)
        results.append(result)
    return results


def results_to_frames(
    results: list[FileResult], inventory: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(stays, quarantine, log) frames of the parsed files."""
    columns = record_columns((res.records for res in results), STAY_COLUMNS)
    stays_df = pd.DataFrame(columns, columns=STAY_COLUMNS)
    for column, dtype in STAY_TYPES.items():
        stays_df[column] = (
            pd.to_datetime(stays_df[column]).astype(dtype)
            if dtype.startswith("datetime")
            else stays_df[column].astype(dtype)
        )
    return (stays_df, *ledger_frames(results, inventory))


@dg.asset(group_name="staging", kinds={"duckdb", "python"}, deps=["raw_files", "stg_pole_files"])
def stg_pathway_files(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Lecture de chaque fichier de parcours (identifiants pseudonymisés) : étapes, quarantaine, journal."""
    layout = warehouse.layout
    with warehouse.get_connection() as con:
        inventory = con.execute("select * from raw_files order by source_file").df()
        results = parse_files(layout, inventory, poles=staged_poles(con, layout))
        stays, quarantine, log = results_to_frames(results, inventory)
        write_table(con, "stg_pathway_stays", stays)
        write_table(con, "stg_pathway_quarantine", quarantine)
        write_table(con, "stg_pathway_log", log)
    key = resolve_key(layout) if len(log) else None
    return dg.MaterializeResult(
        metadata={
            **log_metadata(log),
            "cle_de_demonstration": bool(key is not None and key.demo),
        }
    )


@dg.asset(group_name="curated", kinds={"duckdb"}, deps=["stg_pathway_files", "raw_files"])
def pathways(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Parcours individuels : une ligne par personne (pseudonyme) et étape dans une structure membre."""
    with warehouse.get_connection() as con:
        stays = con.execute("select * from stg_pathway_stays").df()
        arrivals = con.execute("select source_file, arrival_rank from file_arrivals").df()
        current = latest_versions(stays, arrivals)
        frame = build_pathways(current, load_pathway_config().move_gap_days)
        n = write_table(con, "pathways", frame, order_by=["pole_id", "person_key", "date_entree", "etape"])
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": n,
            "etapes_remplacees_par_un_renvoi": len(stays) - len(current),
            "mobilites_internes": int(frame["mobilite_interne"].sum()) if n else 0,
        }
    )


@dg.asset(group_name="marts", kinds={"duckdb"}, deps=["pathways", "mart_pole_year"])
def pathway_indicators(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Indicateurs tirés des parcours par pôle et année, à côté des valeurs déclarées par les pôles."""
    with warehouse.get_connection() as con:
        stays = con.execute(f"select {', '.join(INDICATOR_INPUTS)} from pathways").df()
        declared = con.execute("select pole_id, annee, code, valeur from mart_pole_year").df()
        frame = build_indicators(stays, declared, date.today())
        n = write_table(con, "pathway_indicators", frame, order_by=["pole_id", "annee", "code"])
    return dg.MaterializeResult(metadata={"dagster/row_count": n})


def pole_territories(poles: PoleSet | None = None) -> dict[str, str]:
    """The rural / urban territory of each pole in force, when the reference gives it (`territoire`)."""
    return {p.pole_id: p.territoire for p in (poles or shipped_poles()) if p.territoire}


@dg.asset(group_name="marts", kinds={"duckdb", "python"}, deps=["pathways"])
def pathway_adjusted(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Comparaison ajustée : taux de sortie observés de chaque pôle face aux taux attendus selon le profil."""
    with warehouse.get_connection() as con:
        stays = con.execute(f"select {', '.join(EXIT_INPUTS)} from pathways").df()
        frame = build_adjusted(stays, pole_territories(staged_poles(con, warehouse.layout)))
        n = write_table(con, "pathway_adjusted", frame, order_by=["annee", "indicateur", "pole_id"])
    verdicts = frame["verdict"].value_counts()
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": n,
            **{f"verdict_{k.replace(' ', '_').replace('-', '_')}": int(v) for k, v in verdicts.items()},
        }
    )

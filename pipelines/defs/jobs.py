"""The main job and the sensor that starts it when files arrive in the raw folders."""

import dagster as dg

from pipelines.defs.raw.assets import scan_raw_files
from pipelines.resources import WarehouseResource
from pipelines.warehouse import raw_fingerprint, read_published_fingerprint

JOB_NAME = "construire_entrepot"

build_warehouse_job = dg.define_asset_job(
    name=JOB_NAME,
    selection=dg.AssetSelection.all(),
    description="Lit les fichiers bruts, contrôle, construit et publie l'entrepôt DuckDB.",
)


@dg.sensor(
    job=build_warehouse_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING
)
def raw_files_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource) -> dg.SensorResult:
    """Lance la construction quand le contenu des dossiers raw/ change (nouveau fichier, nouvelle version)."""
    layout = warehouse.layout
    inventory = scan_raw_files(layout)
    fingerprint = raw_fingerprint(zip(inventory["source_file"], inventory["sha256"], strict=True))
    if context.cursor == fingerprint:
        return dg.SensorResult(skip_reason="Aucun changement dans les dossiers raw/.")
    if context.cursor is None and read_published_fingerprint(layout) == fingerprint:
        # The published warehouse was built from exactly these files (e.g. by `ptce run`).
        return dg.SensorResult(skip_reason="Entrepôt déjà à jour.", cursor=fingerprint)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=fingerprint, tags={"declencheur": "nouveaux_fichiers"})],
        cursor=fingerprint,
    )

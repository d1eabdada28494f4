"""The main job and the sensor that starts it when files arrive in the raw folders.

The sensor never starts a build while another one holds the data folder's build lock (a `ptce run`,
or a run already launched): it skips with a French reason and looks again at its next evaluation.
"""

import dagster as dg

from pipelines.shared import build_lock
from pipelines.shared.build_store import raw_fingerprint, read_published_fingerprint
from pipelines.shared.inventory import scan_inventory
from pipelines.shared.resources import WarehouseResource

JOB_NAME = "construire_entrepot"
# Assets made from the published warehouse on their own schedule (the yearly report,
# `reports/assets.py`, partitioned by year): never part of a warehouse build.
AFTER_PUBLICATION_GROUP = "rapports"

build_warehouse_job = dg.define_asset_job(
    name=JOB_NAME,
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups(AFTER_PUBLICATION_GROUP),
    description="Lit les fichiers bruts, contrôle, construit et publie l'entrepôt DuckDB.",
)


@dg.sensor(
    job=build_warehouse_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING
)
def raw_files_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource) -> dg.SensorResult:
    """Lance la construction quand le contenu des dossiers raw/ change (nouveau fichier, nouvelle version)."""
    layout = warehouse.layout
    if build_lock.is_locked(layout):
        # The cursor stays: files changed meanwhile are seen at the next evaluation after the build.
        return dg.SensorResult(
            skip_reason=build_lock.in_progress_message(layout) + " Nouvel examen au prochain passage."
        )
    entries = scan_inventory(layout).entries
    # Same rule as publication (INVENTORY_FINGERPRINT_SQL): the hash, or the status of an unread entry.
    fingerprint = raw_fingerprint(
        zip(entries["source_file"], entries["sha256"].fillna(entries["status"]), strict=True)
    )
    if context.cursor == fingerprint:
        return dg.SensorResult(skip_reason="Aucun changement dans les dossiers raw/.")
    if read_published_fingerprint(layout) == fingerprint:
        # The published warehouse was built from exactly these files (e.g. by `ptce run`, maybe
        # while the sensor was skipping because of the lock): nothing to rebuild.
        return dg.SensorResult(skip_reason="Entrepôt déjà à jour.", cursor=fingerprint)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=fingerprint, tags={"declencheur": "nouveaux_fichiers"})],
        cursor=fingerprint,
    )

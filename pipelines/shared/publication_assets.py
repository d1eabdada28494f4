"""Publication: the checked build database becomes the warehouse the dashboards read.

It depends on every curated table and mart, so blocking checks that fail with ERROR severity stop
the run before this step: the previously published warehouse stays in place.
"""

import dagster as dg

from pipelines.shared.build_store import publish, publish_data_docs
from pipelines.shared.domain import domains
from pipelines.shared.resources import WarehouseResource

# Shared tables, then the tables each domain declares it builds (`DOMAIN.tables`).
SHARED_TABLES = [
    "indicator_catalog",
    "ingest_log",
    "quarantine",
    "completeness",
]
PUBLISHED_FROM = [*SHARED_TABLES, *(t for d in domains() for t in d.tables)]


@dg.asset(group_name="publication", kinds={"duckdb"}, deps=PUBLISHED_FROM)
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Entrepôt publié curated/ptce.duckdb, remplacé d'un bloc (lecture seule pour les tableaux de bord)."""
    layout = warehouse.layout
    is_demo = layout.demo_marker.exists()
    with warehouse.get_connection() as con:
        path = publish(
            con, layout, context.run_id, is_demo, data_docs=publish_data_docs(layout, context.run_id)
        )
    return dg.MaterializeResult(
        metadata={"chemin": dg.MetadataValue.path(str(path)), "donnees_demo": is_demo}
    )

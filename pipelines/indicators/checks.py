"""Ledger checks of the indicators domain (SQL): no value lost in the history, partial resubmissions."""

# No `from __future__ import annotations`: Dagster reads the `context` annotation at definition time.
import dagster as dg

from pipelines.shared.quality_checks import sql_check
from pipelines.shared.resources import WarehouseResource


@dg.asset_check(asset="indicator_history", blocking=True, additional_deps=["stg_indicator_files"])
def history_keeps_every_value(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Toute valeur chargée d'un fichier figure dans l'historique (rien n'est perdu au remplacement)."""
    with warehouse.get_connection() as con:
        return sql_check(
            con,
            context.run.run_id,
            "indicator_history",
            "history_keeps_every_value",
            """
            select s.source_file, s.row_number, s.code from stg_indicator_values s
            anti join indicator_history h
              on h.source_file = s.source_file and h.pole_id = s.pole_id and h.annee = s.annee
             and h.trimestre is not distinct from s.trimestre and h.code = s.code
            where s.kind = 'indicateurs'
            """,
            "Chaque valeur chargée d'un fichier se retrouve dans l'historique des versions.",
        )


@dg.asset_check(asset="indicator_changes", blocking=True)
def partial_resubmission(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Alerte : un renvoi a retiré des valeurs qu'une version précédente donnait pour la même période."""
    # A later file replaces its pole-period as a whole (SPEC): a short "correction" file then
    # withdraws every value it does not repeat. Allowed, kept in the history, but staff must see it.
    with warehouse.get_connection() as con:
        return sql_check(
            con,
            context.run.run_id,
            "indicator_changes",
            "renvoi_partiel",
            """
            select pole_id, annee, trimestre, nouveau_fichier, ancien_fichier, count(*) as valeurs_retirees
            from indicator_changes where type_changement = 'retirée'
            group by all order by all
            """,
            "Un fichier plus récent remplace la période d'un pôle : les valeurs qu'il ne redonne pas "
            "sont retirées (gardées dans l'historique). Vérifiez qu'il s'agit bien d'un envoi complet.",
            severity="WARN",
        )

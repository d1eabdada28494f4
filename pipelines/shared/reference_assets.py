"""Curated reference table: the indicator catalogue, from `ptce/reference/` (the poles are a domain of
their own, `pipelines/poles/`, since staff amend them with files)."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from pipelines.shared.build_store import write_table
from pipelines.shared.resources import WarehouseResource
from ptce.reference import load_catalog


def catalog_frame() -> pd.DataFrame:
    catalog = load_catalog()
    domains = {d.code: d for d in catalog.domains}
    rows = []
    for order, ind in enumerate(catalog.indicators, start=1):
        rows.append(
            {
                "code": ind.code,
                "libelle": ind.libelle,
                "definition": ind.definition,
                "unite": ind.unite,
                "domaine": ind.domaine,
                "domaine_libelle": domains[ind.domaine].libelle,
                "domaine_ordre": domains[ind.domaine].ordre,
                "ordre": order,
                "agregation_poles": ind.agregation_poles,
                "agregation_trimestres": ind.agregation_trimestres,
                "personnes": ind.personnes,
                "sens": ind.sens,
                "entier": ind.entier,
                "iris": ind.iris,
                "derive": False,
                "numerateur": None,
                "denominateur": None,
                "catalogue_version": catalog.version,
            }
        )
    for order, d in enumerate(catalog.derived, start=len(rows) + 1):
        rows.append(
            {
                "code": d.code,
                "libelle": d.libelle,
                "definition": d.definition,
                "unite": d.unite,
                "domaine": d.domaine,
                "domaine_libelle": domains[d.domaine].libelle,
                "domaine_ordre": domains[d.domaine].ordre,
                "ordre": order,
                "agregation_poles": "ratio",
                "agregation_trimestres": "ratio",
                "personnes": False,
                "sens": d.sens,
                "entier": False,
                "iris": None,
                "derive": True,
                "numerateur": ",".join(d.numerateur),
                "denominateur": ",".join(d.denominateur),
                "catalogue_version": catalog.version,
            }
        )
    return pd.DataFrame(rows)


@dg.asset(group_name="curated", kinds={"duckdb"})
def indicator_catalog(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Catalogue versionné des indicateurs (saisis et dérivés)."""
    with warehouse.get_connection() as con:
        n = write_table(con, "indicator_catalog", catalog_frame(), order_by=["ordre"])
    return dg.MaterializeResult(metadata={"dagster/row_count": n, "version": load_catalog().version})

"""Checks of the pathways domain (SQL): the figures drawn from the pathways beside those declared,
and the form of the adjusted comparison (`pathway_adjusted`: built from `pathways`, checked in
`gx_tables`, so a GX suite of it would make a cycle).

A warning only, never blocking: a pole's declared figures and its person-level file may differ for
good reasons (a file sent for part of the year, people followed outside the file), and staff want to
see where, not to lose the publication.
"""

# No `from __future__ import annotations`: Dagster reads the `context` annotation at definition time.
import dagster as dg
import pandas as pd

from pipelines.pathways.adjusted import INDICATORS as ADJUSTED_INDICATORS
from pipelines.pathways.adjusted import MIN_EXITS
from pipelines.shared.quality_checks import first_named, sql_check
from pipelines.shared.resources import WarehouseResource
from ptce.contract import PATHWAY_DECLARED_CODES, PATHWAY_INDICATOR_CODES
from ptce.fmt import fmt_number
from ptce.reference import load_pathway_config

MAX_NAMED = 10


def gaps_sql(relative: float, absolute: float) -> str:
    """Rows of `pathway_indicators` whose gap exceeds both tolerances."""
    # Counts only: rates and medians have no meaningful tolerance in persons.
    codes = ", ".join(f"'{c}'" for c in PATHWAY_DECLARED_CODES)
    return f"""
        select pole_id, annee, code, valeur, valeur_declaree, ecart
        from pathway_indicators
        where valeur_declaree is not null and code in ({codes})
          and abs(ecart) > greatest({relative} * abs(valeur_declaree), {absolute})
        order by pole_id, annee, code
    """


def explain_gaps(bad: pd.DataFrame) -> str:
    """French account of the gaps, each named (pole, year, indicator, both figures)."""
    parts = [
        f"{r.pole_id} {r.annee} « {r.code} » : {fmt_number(r.valeur)} d'après les parcours, "
        f"{fmt_number(r.valeur_declaree)} déclaré(s)"
        for r in bad.head(MAX_NAMED).itertuples()
    ]
    config = load_pathway_config()
    return (
        f"{len(bad)} écart(s) entre les parcours et les chiffres déclarés au-delà de la tolérance "
        f"({config.gap_relative_tolerance:.0%} et {fmt_number(config.gap_absolute_tolerance)}) — "
        + first_named(parts, len(bad), limit=MAX_NAMED)
        + ". Vérifiez avec le pôle que le fichier de parcours couvre toute l'année."
    )


@dg.asset_check(asset="pathway_indicators", blocking=False)
def pathway_vs_declared(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Alerte : indicateurs tirés des parcours éloignés des valeurs déclarées par le pôle."""
    config = load_pathway_config()
    with warehouse.get_connection() as con:
        return sql_check(
            con,
            context.run.run_id,
            "pathway_indicators",
            "parcours_vs_declare",
            gaps_sql(config.gap_relative_tolerance, config.gap_absolute_tolerance),
            "Les indicateurs tirés des parcours sont proches des valeurs déclarées par les pôles "
            f"(écart au plus {config.gap_relative_tolerance:.0%} de la valeur déclarée ou "
            f"{fmt_number(config.gap_absolute_tolerance)}).",
            severity="WARN",
            explain=explain_gaps,
        )


@dg.asset_check(asset="pathway_indicators", blocking=True)
def pathway_indicators_well_formed(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Indicateurs tirés des parcours : une valeur par pôle, année et code connu, positive ou nulle."""
    codes = ", ".join(f"'{c}'" for c in PATHWAY_INDICATOR_CODES)
    with warehouse.get_connection() as con:
        return sql_check(
            con,
            context.run.run_id,
            "pathway_indicators",
            "indicateurs_parcours_bien_formes",
            f"""
            select pole_id, annee, code, count(*) as lignes, min(valeur) as valeur_min
            from pathway_indicators group by all
            having count(*) > 1 or code not in ({codes}) or min(valeur) < 0 or count(valeur) < count(*)
            order by all
            """,
            "Une seule valeur par pôle, année et indicateur tiré des parcours, d'un code connu, "
            "renseignée et positive ou nulle.",
        )


ADJUSTED_SQL = f"""
    select pole_id, annee, indicateur, sorties, taux_observe, taux_attendu, ecart, ic_bas, ic_haut, verdict
    from (select *, count(*) over (partition by pole_id, annee, indicateur) as lignes from pathway_adjusted)
    where lignes > 1
       or indicateur not in ({", ".join(f"'{c}'" for c in ADJUSTED_INDICATORS)})
       or sorties is null or sorties < 1
       or (sorties < {MIN_EXITS} and coalesce(taux_observe, taux_attendu, ecart, ic_bas, ic_haut) is not null)
       or (sorties < {MIN_EXITS} and verdict is not null)
       or (sorties >= {MIN_EXITS} and taux_observe is null)
       or taux_observe not between 0 and 1 or taux_attendu not between 0 and 1
       or (taux_attendu is null) <> (verdict is null)
       or abs(ecart - (taux_observe - taux_attendu)) > 1e-9
       or not (ic_bas <= ecart and ecart <= ic_haut)
       or verdict <> case when ic_bas > 0 then 'au-dessus' when ic_haut < 0 then 'en dessous'
                          else 'conforme' end
    order by all
"""


@dg.asset_check(asset="pathway_adjusted", blocking=True)
def pathway_adjusted_well_formed(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Comparaison ajustée : un écart et son intervalle cohérents, un verdict seulement s'il est établi."""
    with warehouse.get_connection() as con:
        return sql_check(
            con,
            context.run.run_id,
            "pathway_adjusted",
            "comparaison_ajustee_bien_formee",
            ADJUSTED_SQL,
            "Une ligne par pôle, année et indicateur ; aucun chiffre sous "
            f"{MIN_EXITS} sorties ; écart = observé − attendu dans son intervalle à 95 % ; verdict "
            "« au-dessus » ou « en dessous » seulement quand l'intervalle exclut zéro.",
        )

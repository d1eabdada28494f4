"""Quality rules of the indicators domain: the Great Expectations suites of its tables and marts,
and the derived frames their cross-field rules judge (one row per pole and year with one column per
indicator, quarters beside their year, each value beside the previous year's).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from pipelines.indicators.marts import QUARTERS_ROLLUP_SQL
from pipelines.shared.gx_frames import table
from pipelines.shared.gx_suites import Rule, RuleContext, Suite, rule
from pipelines.shared.values import FIRST_YEAR, last_target_year
from ptce.reference import QualityConfig, load_catalog

EXIT_CATEGORIES = (
    "sorties_emploi_durable",
    "sorties_emploi_transition",
    "sorties_positives",
    "sorties_autres",
)


def indicator_values_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """indicator_values with per-row flags for the catalogue's integer and bound rules."""
    catalog = {i.code: i for i in load_catalog().indicators}
    frame = table(con, "indicator_values")
    integer = frame["code"].map(lambda c: catalog[c].entier if c in catalog else False).astype(bool)
    upper = frame["code"].map(lambda c: catalog[c].max if c in catalog else None)
    frame["entier_respecte"] = ~integer | (frame["valeur"] % 1 == 0)
    frame["borne_respectee"] = upper.isna() | (frame["valeur"] <= upper.fillna(np.inf))
    return frame


def pole_year_wide(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per pole and year, one column per indicator (typed-in and derived)."""
    mart = table(con, "mart_pole_year")
    wide = mart.pivot_table(index=["pole_id", "annee"], columns="code", values="valeur", aggfunc="first")
    wide = wide.reset_index()
    wide.columns.name = None
    for code in [i.code for i in load_catalog().indicators] + [d.code for d in load_catalog().derived]:
        if code not in wide:
            wide[code] = np.nan
    # Sum of the exit categories, only where all four are known (else the rule cannot be judged).
    wide["sorties_par_categorie"] = wide[list(EXIT_CATEGORIES)].sum(axis=1, min_count=len(EXIT_CATEGORIES))
    return wide


def quarters_vs_year(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Yearly values typed in beside the roll-up of the same year's four quarters, where both exist."""
    return (
        con.execute(
            f"""
        with q as ({QUARTERS_ROLLUP_SQL})
        select y.pole_id, y.annee, y.code, y.valeur as valeur_annuelle, q.valeur as valeur_trimestres,
               q.nb_trimestres
        from indicator_values y join q using (pole_id, annee, code)
        where y.trimestre is null and q.nb_trimestres = 4
        order by all
        """
        )
        .df()
        .assign(
            ecart_relatif=lambda f: (
                (f["valeur_annuelle"] - f["valeur_trimestres"]).abs()
                / f[["valeur_annuelle", "valeur_trimestres"]].abs().max(axis=1).clip(lower=1)
            )
        )
    )


def year_on_year(con: duckdb.DuckDBPyConnection, config: QualityConfig) -> pd.DataFrame:
    """Each typed-in yearly figure beside the previous year's, with the jump factor between them."""
    frame = con.execute(
        """
        select m.pole_id, m.annee, m.code, m.valeur, p.valeur as valeur_precedente
        from mart_pole_year m
        join mart_pole_year p on p.pole_id = m.pole_id and p.code = m.code and p.annee = m.annee - 1
        join indicator_catalog c on c.code = m.code
        where not m.derive and c.unite <> 'oui/non'
        order by all
        """
    ).df()
    high = frame[["valeur", "valeur_precedente"]].max(axis=1)
    low = frame[["valeur", "valeur_precedente"]].min(axis=1)
    factor = (high / low.where(low > 0)).fillna(np.inf)
    # Small counts move a lot (1 -> 4) without meaning anything: judged only above the floor.
    frame["facteur_saut"] = factor.where(high >= config.jump_floor, 1.0)
    return frame


def _value_rules(ctx: RuleContext, with_quarters: bool, actual: bool = True) -> list[Rule]:
    """Rules shared by actual values and targets (`actual=False`: years to come are allowed)."""
    key = ["pole_id", "annee", "trimestre", "code"] if with_quarters else ["pole_id", "annee", "code"]
    # Targets are for years to come by nature: for them only a mistyped year is refused.
    last_year = ctx.today.year if actual else last_target_year(ctx.today)
    last_year_text = "l'année en cours" if actual else f"{last_year} (horizon des objectifs)"
    rules = [
        rule(
            "pole_connu",
            "Le pôle fait partie du référentiel des pôles (intégrité référentielle).",
            lambda g: g.ExpectColumnValuesToBeInSet(column="pole_id", value_set=list(ctx.pole_ids)),
        ),
        rule(
            "indicateur_du_catalogue",
            "L'indicateur est un code saisi du catalogue.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="code", value_set=list(ctx.typed_codes)),
        ),
        rule(
            "annee_plausible",
            f"Année entre {FIRST_YEAR} et {last_year_text}.",
            lambda g: g.ExpectColumnValuesToBeBetween(
                column="annee", min_value=FIRST_YEAR, max_value=last_year
            ),
        ),
        rule(
            "valeur_renseignee",
            "Valeur renseignée.",
            lambda g: g.ExpectColumnValuesToNotBeNull(column="valeur"),
        ),
        rule(
            "valeur_positive",
            "Valeur positive ou nulle.",
            lambda g: g.ExpectColumnValuesToBeBetween(column="valeur", min_value=0),
        ),
        rule(
            "cle_unique",
            "Une seule valeur par pôle, période et indicateur.",
            lambda g: g.ExpectCompoundColumnsToBeUnique(column_list=key),
        ),
        rule(
            "fichier_source",
            "Chaque valeur vient d'un fichier de raw/.",
            lambda g: g.ExpectColumnValuesToMatchRegex(column="source_file", regex=r"^raw/"),
        ),
    ]
    if with_quarters:
        rules += [
            rule(
                "trimestre_1_4",
                "Trimestre entre 1 et 4 (vide pour une année).",
                lambda g: g.ExpectColumnValuesToBeInSet(column="trimestre", value_set=[1, 2, 3, 4]),
            ),
            rule(
                "comptages_entiers",
                "Les indicateurs qui se comptent en unités ont des valeurs entières.",
                lambda g: g.ExpectColumnValuesToBeInSet(column="entier_respecte", value_set=[True]),
            ),
            rule(
                "bornes_du_catalogue",
                "Les valeurs respectent le maximum du catalogue (oui/non : 0 ou 1).",
                lambda g: g.ExpectColumnValuesToBeInSet(column="borne_respectee", value_set=[True]),
            ),
        ]
    return rules


def _mart_structure(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "cle_unique",
            "Une seule valeur annuelle par pôle, année et indicateur.",
            lambda g: g.ExpectCompoundColumnsToBeUnique(column_list=["pole_id", "annee", "code"]),
        ),
        rule(
            "valeur_renseignee",
            "Valeur renseignée.",
            lambda g: g.ExpectColumnValuesToNotBeNull(column="valeur"),
        ),
        rule(
            "indicateur_du_catalogue",
            "Indicateur saisi ou dérivé du catalogue.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="code", value_set=list(ctx.all_codes)),
        ),
    ]


def _le(a: str, b: str, text: str) -> Rule:
    """Rule: column a <= column b where both are known."""
    return rule(
        f"{a}_inferieur_a_{b}",
        text,
        lambda g: g.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=b, column_B=a, or_equal=True, ignore_row_if="either_value_is_missing"
        ),
    )


def _coherence(ctx: RuleContext) -> list[Rule]:
    rules = [
        _le("sorties_par_categorie", "sorties", "Sorties par catégorie ≤ sorties (hors retraits)."),
        _le("sorties", "personnes_accompagnees", "Sorties ≤ personnes accompagnées."),
        _le("entrees_parcours", "personnes_accompagnees", "Entrées en parcours ≤ personnes accompagnées."),
        _le("etp", "salaries", "ETP ≤ salariés."),
        _le("salaries_cdi", "salaries", "Salariés en CDI ≤ salariés."),
        _le("salaries_formes", "salaries", "Salariés formés ≤ salariés."),
        _le("temps_partiel_subi", "salaries", "Salariés à temps partiel subi ≤ salariés."),
        _le("etp_mutualises", "salaries_partages", "ETP mutualisés ≤ salariés partagés."),
    ]
    for code in ctx.shares:
        rules.append(
            rule(
                f"{code}_entre_0_et_1",
                f"Part « {code} » entre 0 et 100 %.",
                lambda g, code=code: g.ExpectColumnValuesToBeBetween(column=code, min_value=0, max_value=1),
            )
        )
    return rules


def _quarters(ctx: RuleContext) -> list[Rule]:
    tol = ctx.config.quarter_tolerance
    return [
        rule(
            "trimestres_coherents_avec_annee",
            f"Valeur annuelle égale à l'agrégation de ses quatre trimestres (écart ≤ {tol:.0%}).",
            lambda g: g.ExpectColumnValuesToBeBetween(column="ecart_relatif", min_value=0, max_value=tol),
        )
    ]


def _jumps(ctx: RuleContext) -> list[Rule]:
    f = ctx.config.jump_factor
    return [
        rule(
            "saut_annuel",
            f"Pas de valeur multipliée ou divisée par plus de {f:g} d'une année sur l'autre.",
            lambda g: g.ExpectColumnValuesToBeBetween(column="facteur_saut", max_value=f),
        )
    ]


VALUE_INDEX = ("pole_id", "annee", "trimestre", "code", "source_file")
TABLE_SUITES: tuple[Suite, ...] = (
    Suite(
        "indicator_values",
        "gx_indicator_values",
        "Types, codes, bornes et unicité des valeurs.",
        "ERROR",
        "indicator_values",
        VALUE_INDEX,
        lambda ctx: _value_rules(ctx, with_quarters=True),
    ),
    Suite(
        "indicator_values",
        "gx_trimestres_annee",
        "Trimestres cohérents avec la valeur annuelle.",
        "WARN",
        "quarters_vs_year",
        ("pole_id", "annee", "code"),
        _quarters,
    ),
    Suite(
        "targets",
        "gx_targets",
        "Objectifs : codes, bornes et unicité.",
        "ERROR",
        "targets",
        ("pole_id", "annee", "code", "source_file"),
        lambda ctx: _value_rules(ctx, with_quarters=False, actual=False),
    ),
)
MART_SUITES: tuple[Suite, ...] = (
    Suite(
        "mart_pole_year",
        "gx_mart_pole_year",
        "Valeurs annuelles uniques et renseignées.",
        "ERROR",
        "mart_pole_year",
        ("pole_id", "annee", "code"),
        _mart_structure,
    ),
    Suite(
        "mart_pole_year",
        "gx_coherence",
        "Cohérence entre indicateurs d'un même pôle et d'une même année.",
        "WARN",
        "pole_year_wide",
        ("pole_id", "annee"),
        _coherence,
    ),
    Suite(
        "mart_pole_year",
        "gx_sauts_annuels",
        "Sauts d'une année sur l'autre.",
        "WARN",
        "year_on_year",
        ("pole_id", "annee", "code"),
        _jumps,
    ),
)


FRAMES = {
    "indicator_values": lambda con, ctx: indicator_values_frame(con),
    "quarters_vs_year": lambda con, ctx: quarters_vs_year(con),
    "pole_year_wide": lambda con, ctx: pole_year_wide(con),
    "year_on_year": lambda con, ctx: year_on_year(con, ctx.config),
}

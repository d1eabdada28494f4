"""Frames the quality suites validate: curated tables as they are, plus derived views for the
cross-field rules (one row per pole and year with one column per indicator, quarters beside their
year, each value beside the previous year's).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from ptce.reference import QualityConfig, load_catalog

EXIT_CATEGORIES = (
    "sorties_emploi_durable",
    "sorties_emploi_transition",
    "sorties_positives",
    "sorties_autres",
)


def table(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    return con.execute(f'select * from "{name}"').df()


def indicator_values_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """indicator_values with per-row flags for the catalogue's integer and bound rules."""
    catalog = {i.code: i for i in load_catalog().indicators}
    frame = table(con, "indicator_values")
    integer = frame["code"].map(lambda c: catalog[c].entier if c in catalog else False).astype(bool)
    upper = frame["code"].map(lambda c: catalog[c].max if c in catalog else None)
    frame["entier_respecte"] = ~integer | (frame["valeur"] % 1 == 0)
    frame["borne_respectee"] = upper.isna() | (frame["valeur"] <= upper.fillna(np.inf))
    return frame


def ingest_log_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return with_ingest_log_flags(table(con, "ingest_log"))


def with_ingest_log_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """ingest_log rows with the columns its rules judge: the conservation gap, and the flags of the
    rules that depend on the status (an ignored file has no row; a loaded file has its hash)."""
    frame = frame.copy()
    frame["ecart_conservation"] = frame["rows_read"] - frame["rows_loaded"] - frame["rows_quarantined"]
    ignored = frame["status"] == "ignored"
    counts = frame[["rows_read", "rows_loaded", "rows_quarantined"]]
    frame["ignore_sans_ligne"] = ~ignored | (counts == 0).all(axis=1)
    frame["empreinte_si_lu"] = ~frame["status"].isin(["ok", "partial"]) | frame["sha256"].notna()
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
            """
        with q as (
            select v.pole_id, v.annee, v.code, c.agregation_trimestres as regle,
                   count(distinct v.trimestre) as nb_trimestres, sum(v.valeur) as s, max(v.valeur) as mx,
                   arg_max(v.valeur, v.trimestre) as dernier
            from indicator_values v join indicator_catalog c on c.code = v.code
            where v.trimestre is not null group by all
        )
        select y.pole_id, y.annee, y.code, y.valeur as valeur_annuelle,
               case q.regle when 'somme' then q.s when 'max' then q.mx else q.dernier end
                   as valeur_trimestres,
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

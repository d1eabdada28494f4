"""Yearly marts: one figure per pole, year and indicator, and the network figure per year.

Quarters roll up to the year with the catalogue rule (sum of flows, last stock, max of distinct
persons) only where the pole gave no yearly value. Derived indicators are ratios of sums: for a pole,
of its own values; for the network, of the poles that gave every component — never a mean of rates.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from ptce.contract import TABLES
from ptce.reference import load_catalog

# The roll-up of a pole's quarters to the year with the catalogue rule (sum of flows, max of distinct
# persons, last stock): the one definition, used by the marts and by the quarters-vs-year rule.
QUARTERS_ROLLUP_SQL = """
select v.pole_id, v.annee, v.code, count(distinct v.trimestre) as nb_trimestres,
       case any_value(c.agregation_trimestres)
           when 'somme' then sum(v.valeur)
           when 'max' then max(v.valeur)
           else arg_max(v.valeur, v.trimestre)
       end as valeur
from indicator_values v join indicator_catalog c on c.code = v.code
where v.trimestre is not null
group by v.pole_id, v.annee, v.code
"""

ROLLUP_SQL = f"""
with q as ({QUARTERS_ROLLUP_SQL}),
y as (
    select pole_id, annee, code, valeur from indicator_values where trimestre is null
)
select pole_id, annee, code, valeur, 'annuel' as origine, null::integer as nb_trimestres
from y
union all
select q.pole_id, q.annee, q.code, q.valeur, 'trimestres', q.nb_trimestres
from q anti join y using (pole_id, annee, code)
"""


def build_pole_year(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Typed-in yearly values, quarters rolled up, then derived ratios per pole and year."""
    base = con.execute(ROLLUP_SQL).df()
    base["derive"] = False
    derived_rows = []
    wide = base.pivot_table(index=["pole_id", "annee"], columns="code", values="valeur", aggfunc="first")
    for d in load_catalog().derived:
        needed = [*d.numerateur, *d.denominateur]
        if not set(needed) <= set(wide.columns):
            continue
        complete = wide[needed].dropna()
        den = complete[list(d.denominateur)].sum(axis=1)
        num = complete[list(d.numerateur)].sum(axis=1)
        ratio = (num / den)[den > 0]
        for (pole_id, annee), value in ratio.items():
            derived_rows.append(
                {
                    "pole_id": pole_id,
                    "annee": int(annee),
                    "code": d.code,
                    "valeur": float(value),
                    "origine": "calcul",
                    "nb_trimestres": None,
                    "derive": True,
                }
            )
    frame = pd.concat([base, pd.DataFrame(derived_rows, columns=base.columns)], ignore_index=True)
    frame["nb_trimestres"] = frame["nb_trimestres"].astype("Int64")
    return frame.sort_values(["pole_id", "annee", "code"], kind="stable").reset_index(drop=True)


def build_network_year(pole_year: pd.DataFrame) -> pd.DataFrame:
    """Network figure per year and indicator, with median, min, max and number of poles."""
    catalog = load_catalog()
    rules = {i.code: i.agregation_poles for i in catalog.indicators}
    rows = []
    base = pole_year[~pole_year["derive"]]
    for (annee, code), grp in base.groupby(["annee", "code"]):
        vals = grp["valeur"]
        total = vals.mean() if rules.get(code) == "moyenne" else vals.sum()
        rows.append(_network_row(int(annee), str(code), float(total), vals, False))
    wide = base.pivot_table(index=["annee", "pole_id"], columns="code", values="valeur", aggfunc="first")
    derived = pole_year[pole_year["derive"]]
    for d in catalog.derived:
        needed = [*d.numerateur, *d.denominateur]
        if not set(needed) <= set(wide.columns):
            continue
        complete = wide[needed].dropna()
        for annee, grp in complete.groupby(level="annee"):
            den = grp[list(d.denominateur)].to_numpy().sum()
            if den <= 0:
                continue
            ratio = grp[list(d.numerateur)].to_numpy().sum() / den
            per_pole = derived[(derived["annee"] == annee) & (derived["code"] == d.code)]["valeur"]
            rows.append(_network_row(int(annee), d.code, float(ratio), per_pole, True))
    frame = pd.DataFrame(rows, columns=list(TABLES["mart_network_year"]))
    return frame.sort_values(["annee", "code"], kind="stable").reset_index(drop=True)


def _network_row(annee: int, code: str, value: float, per_pole: pd.Series, derive: bool) -> dict:
    return {
        "annee": annee,
        "code": code,
        "valeur": value,
        "mediane": float(per_pole.median()) if len(per_pole) else None,
        "minimum": float(per_pole.min()) if len(per_pole) else None,
        "maximum": float(per_pole.max()) if len(per_pole) else None,
        "nb_poles": int(per_pole.count()),
        "derive": derive,
    }

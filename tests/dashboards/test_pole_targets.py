"""Targets against results on the pole page (« Fiche pôle »), on the demo warehouse.

Expectations come from the demo's `targets` and `mart_pole_year` read here in SQL: the rows of the
pole's targets for the year, and those whose result is below the target, listed in words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ptce.paths import DataLayout

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")


def sql(data_dir: Path, query: str, *params: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


@pytest.mark.parametrize("year", [2017, 2016])
def test_pole_page_lists_targets_with_status_and_the_missed_ones(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path, year: int
) -> None:
    monkeypatch.setenv("PTCE_DATA_DIR", str(demo_data_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["pole"] = "sud_aquitain"
    at.run()
    at.switch_page("pole/page.py").run()
    at.selectbox(key="pole_objectifs_annee").set_value(year).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Objectifs et résultats" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "Statut" in d.value.columns)
    expected = sql(
        demo_data_dir, "select count(*) from targets where pole_id = 'sud_aquitain' and annee = ?", year
    )
    assert len(table) == expected[0][0]
    missed = sql(
        demo_data_dir,
        """
        select c.libelle from targets t
        join mart_pole_year m using (pole_id, annee, code)
        join indicator_catalog c on c.code = t.code
        where t.pole_id = 'sud_aquitain' and t.annee = ? and m.valeur < t.valeur
        order by t.code
        """,
        year,
    )
    assert sorted(table.loc[table["Statut"] == "Non atteint", "Indicateur"]) == sorted(r[0] for r in missed)
    lines = [t.value for t in at.text if t.value.startswith("• ")]
    assert [line.split(" : ")[0] for line in lines] == [f"• {r[0]}" for r in missed]

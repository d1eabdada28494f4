"""Yearly marts on hand-made values: quarter roll-up rules, yearly precedence, ratio of sums."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from pipelines.indicators.marts import build_network_year, build_pole_year
from pipelines.shared.build_store import write_table
from pipelines.shared.reference_assets import catalog_frame


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    write_table(con, "indicator_catalog", catalog_frame())
    return con


def load(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    frame = pd.DataFrame(rows, columns=["pole_id", "annee", "trimestre", "code", "valeur"])
    frame["trimestre"] = frame["trimestre"].astype("Int64")
    frame["commentaire"] = None
    frame["source_file"] = "raw/indicateurs/test.csv"
    frame["row_number"] = range(2, len(frame) + 2)
    write_table(con, "indicator_values", frame)


def value(frame: pd.DataFrame, **where: object) -> float:
    mask = pd.Series(True, index=frame.index)
    for k, v in where.items():
        mask &= frame[k] == v
    assert mask.sum() == 1, where
    return float(frame.loc[mask, "valeur"].iloc[0])


def test_quarter_rules(con: duckdb.DuckDBPyConnection) -> None:
    load(
        con,
        [
            # flow: sum of quarters
            ("phares", 2016, 1, "entrees_parcours", 3),
            ("phares", 2016, 2, "entrees_parcours", 4),
            ("phares", 2016, 4, "entrees_parcours", 5),
            # stock: value of the last quarter given
            ("phares", 2016, 1, "salaries", 100),
            ("phares", 2016, 3, "salaries", 90),
            # distinct persons: the largest quarter
            ("phares", 2016, 1, "personnes_accompagnees", 40),
            ("phares", 2016, 2, "personnes_accompagnees", 55),
            ("phares", 2016, 3, "personnes_accompagnees", 50),
            # a yearly value wins over its quarters
            ("phares", 2016, None, "sorties", 30),
            ("phares", 2016, 1, "sorties", 2),
        ],
    )
    mart = build_pole_year(con)
    assert value(mart, code="entrees_parcours") == 12
    assert int(mart.loc[mart["code"] == "entrees_parcours", "nb_trimestres"].iloc[0]) == 3
    assert value(mart, code="salaries") == 90
    assert value(mart, code="personnes_accompagnees") == 55
    assert value(mart, code="sorties") == 30
    assert mart.loc[mart["code"] == "sorties", "origine"].iloc[0] == "annuel"


def test_network_rates_are_ratios_of_sums_not_means(con: duckdb.DuckDBPyConnection) -> None:
    load(
        con,
        [
            ("phares", 2016, None, "salaries", 100),
            ("phares", 2016, None, "salaries_cdi", 50),  # 50 %
            ("alpen", 2016, None, "salaries", 300),
            ("alpen", 2016, None, "salaries_cdi", 60),  # 20 %
            ("alpen", 2016, None, "representation_salaries", 1),
            ("phares", 2016, None, "representation_salaries", 0),
        ],
    )
    pole_year = build_pole_year(con)
    assert value(pole_year, pole_id="phares", code="part_cdi") == pytest.approx(0.5)
    network = build_network_year(pole_year)
    row = network[network["code"] == "part_cdi"].iloc[0]
    assert row["valeur"] == pytest.approx(110 / 400)  # not (0.5 + 0.2) / 2
    assert row["mediane"] == pytest.approx(0.35) and row["nb_poles"] == 2
    assert value(network, code="salaries") == 400
    assert value(network, code="representation_salaries") == pytest.approx(0.5)  # share of poles


def test_rate_needs_every_component(con: duckdb.DuckDBPyConnection) -> None:
    load(con, [("phares", 2016, None, "sorties", 10), ("phares", 2016, None, "sorties_emploi_durable", 4)])
    mart = build_pole_year(con)
    assert value(mart, code="taux_emploi_durable") == pytest.approx(0.4)
    assert "taux_sortie_dynamique" not in set(mart["code"])  # transition and positive exits missing

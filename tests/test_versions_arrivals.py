"""Resubmissions (versions per pole and period), the arrival register, and completeness."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from pipelines.indicators.versions import resolve_versions
from pipelines.shared.arrivals import read_register, record_arrivals, register_path
from pipelines.shared.completeness import build_completeness
from pipelines.shared.raw_assets import scan_raw_files
from ptce.paths import DataLayout
from ptce.reference import load_catalog, load_quality_config


def staged(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["pole_id", "annee", "trimestre", "code", "valeur", "source_file"])
    frame["trimestre"] = frame["trimestre"].astype("Int64")
    return frame


def arrivals(order: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_file": order,
            "sha256": [f"h{i}" for i in range(len(order))],
            "arrived_at": pd.date_range("2017-01-01", periods=len(order), freq="D"),
            "arrival_rank": range(1, len(order) + 1),
        }
    )


def test_later_arrival_wins_whatever_the_file_names() -> None:
    values = staged(
        [
            ("phares", 2016, None, "membres", 10.0, "z_premier.csv"),
            ("phares", 2016, None, "etp", 5.0, "z_premier.csv"),
            ("phares", 2016, None, "membres", 11.0, "a_second.csv"),
            ("phares", 2016, None, "sorties", 3.0, "a_second.csv"),
            ("phares", 2016, 2, "entrees_parcours", 4.0, "z_premier.csv"),
        ]
    )
    current, history, changes = resolve_versions(values, arrivals(["z_premier.csv", "a_second.csv"]))
    yearly = current[current["trimestre"].isna()]
    assert dict(zip(yearly["code"], yearly["valeur"], strict=True)) == {"membres": 11.0, "sorties": 3.0}
    # The quarter is another period: the second file did not touch it.
    assert current[current["trimestre"] == 2]["source_file"].tolist() == ["z_premier.csv"]
    assert len(history) == 5 and history["current"].sum() == 3
    got = {
        (r.code, r.type_changement, r.ancienne_valeur if pd.notna(r.ancienne_valeur) else None)
        for r in changes.itertuples()
    }
    assert got == {("membres", "modifiée", 10.0), ("etp", "retirée", 5.0), ("sorties", "ajoutée", None)}
    assert set(changes["ancien_fichier"]) == {"z_premier.csv"} and set(changes["nouveau_fichier"]) == {
        "a_second.csv"
    }


def test_identical_resend_changes_nothing() -> None:
    values = staged(
        [("alpen", 2017, None, "membres", 9.0, "v1.csv"), ("alpen", 2017, None, "membres", 9.0, "v2.csv")]
    )
    current, history, changes = resolve_versions(values, arrivals(["v1.csv", "v2.csv"]))
    assert current["source_file"].tolist() == ["v2.csv"] and history["version"].tolist() == [1, 2]
    assert changes.empty


def _raw(tmp_path: Path, name: str, text: str, when: datetime) -> Path:
    path = tmp_path / "raw" / "indicateurs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def test_register_records_each_version_once_and_survives_new_dates(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    a = _raw(tmp_path, "b_fichier.csv", "x", datetime(2017, 2, 1, tzinfo=UTC))
    _raw(tmp_path, "a_fichier.csv", "y", datetime(2017, 3, 1, tzinfo=UTC))
    first = record_arrivals(layout, scan_raw_files(layout))
    assert first["source_file"].tolist() == ["raw/indicateurs/b_fichier.csv", "raw/indicateurs/a_fichier.csv"]
    # A copy or a checkout gives the files new dates: the register keeps the order they arrived in.
    now = datetime.now(UTC).timestamp()
    os.utime(a, (now, now))
    again = record_arrivals(layout, scan_raw_files(layout))
    assert again["source_file"].tolist() == first["source_file"].tolist()
    assert len(read_register(layout)) == 2
    # A new version of a file (same path, other content) is a new arrival.
    a.write_text("x corrigé", encoding="utf-8")
    third = record_arrivals(layout, scan_raw_files(layout))
    assert third["source_file"].tolist()[-1] == "raw/indicateurs/b_fichier.csv"
    assert len(read_register(layout)) == 3
    assert register_path(layout).parent == tmp_path  # beside raw/, never inside it


def test_completeness_statuses() -> None:
    config = load_quality_config()
    n = len(load_catalog().codes)
    current = {
        "indicateurs": pd.DataFrame(
            [("phares", 2016, c) for c in load_catalog().codes] + [("alpen", 2016, "membres")],
            columns=["pole_id", "annee", "code"],
        ),
        "objectifs": pd.DataFrame(columns=["pole_id", "annee", "code"]),
    }
    stg = pd.DataFrame(
        {
            "kind": ["indicateurs", "indicateurs"],
            "pole_id": ["phares", "alpen"],
            "annee": [2016, 2016],
            "source_file": ["p.csv", "a.csv"],
        }
    )
    arr = pd.DataFrame(
        {"source_file": ["p.csv", "a.csv"], "arrived_at": pd.to_datetime(["2017-02-01", "2017-06-01"])}
    )
    table = build_completeness(
        ["phares", "alpen", "esci"],
        stg,
        current,
        arr,
        config,
        today=date(2017, 3, 15),
        catalogue_kinds={"indicateurs"},
    )
    row = table.set_index(["kind", "pole_id", "annee"])
    assert row.loc[("indicateurs", "phares", 2016), "statut"] == "complet"
    assert not row.loc[("indicateurs", "phares", 2016), "en_retard"]
    assert row.loc[("indicateurs", "alpen", 2016), "statut"] == "partiel"
    assert row.loc[("indicateurs", "alpen", 2016), "taux"] == 1 / n
    assert row.loc[("indicateurs", "alpen", 2016), "en_retard"]  # first file after 31/03/2017
    assert row.loc[("indicateurs", "esci", 2016), "statut"] == "à venir"  # due 31/03/2017, today 15/03
    assert row.loc[("indicateurs", "esci", 2015), "statut"] == "manquant"
    assert row.loc[("objectifs", "esci", 2016), "statut"] == "manquant"  # due 31/01/2016

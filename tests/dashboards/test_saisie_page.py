"""The page « Saisir des chiffres » run headless (AppTest), for a pole and for staff.

The table is pre-filled from the demo warehouse (the expected codes and values are read here by
SQL); the intake client (`entry_csv`, `preview`, `write_entry`, `run_state`) is replaced by fakes
returning hand-written values, so these tests pin the page: the table, where each problem lands,
when saving is allowed and what it sends. Typed values are put in the editor's state, as a user's
edits are (AppTest cannot type into a grid).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.saisie import tables
from ptce import intake
from ptce.paths import DataLayout
from tests.dashboards.apps import open_app
from tests.french import fr_int

PAGE = "saisie/page.py"
OWN = "phares"
# The demo (`ptce sample`) has figures for 2015-2017: the page opens on 2018, 2017 for reference.
PERIOD = "2018"
ENTRY = b"pole;periode;indicateur;valeur\nphares;2018;membres;15\nphares;2018;etp;12,5\n"
IDLE = intake.RunState(running=False, queued=False, lines=(), finished_at=None, ok=None)


def rows(data_dir: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def typed_codes(data_dir: Path) -> list[str]:
    return [
        r[0]
        for r in rows(
            data_dir,
            "select code from indicator_catalog where not derive order by domaine_ordre, ordre",
        )
    ]


def fr_value(value: float | None, unite: str) -> str:
    """A published value as the page writes it, written independently of `ptce.fmt`."""
    if value is None:
        return "–"
    if unite == "oui/non":
        return "oui" if value else "non"
    if float(value).is_integer():
        return fr_int(int(value))
    whole, decimals = f"{value:.1f}".split(".")
    return fr_int(int(whole)) + "," + decimals if unite in {"ETP", "heures", "ratio"} else str(value)


class Fakes:
    def __init__(self, previews: list[intake.Preview]) -> None:
        self.previews = previews
        self.calls: dict[str, list[Any]] = {"entry_csv": [], "preview": [], "write_entry": []}

    def install(self, monkeypatch: pytest.MonkeyPatch) -> Fakes:
        monkeypatch.setattr(intake, "entry_csv", self.entry_csv)
        monkeypatch.setattr(intake, "preview", self.preview)
        monkeypatch.setattr(intake, "write_entry", self.write_entry)
        monkeypatch.setattr(intake, "run_state", lambda data_dir: IDLE)
        return self

    def entry_csv(self, pole_id: str, periode: str, values: dict[str, float | None]) -> bytes:
        self.calls["entry_csv"].append((pole_id, periode, dict(values)))
        return ENTRY

    def preview(self, data_dir: Path, uploads: list[intake.Upload], kind: str, pole_id: str | None = None):
        self.calls["preview"].append(([(u.name, u.data) for u in uploads], kind, pole_id))
        return self.previews.pop(0)

    def write_entry(
        self, data_dir: Path, pole_id: str, periode: str, values: dict[str, float | None], who: str
    ):
        self.calls["write_entry"].append((pole_id, periode, dict(values), who))
        return intake.Deposited("saisie.csv", "raw/indicateurs/saisie-20170301-101500-0a1b2c3d.csv")


def preview_with(*problems: intake.Problem, publishable: bool = True) -> intake.Preview:
    changes = (
        intake.Change(
            OWN, "PHARES", 2018, "membres", "Structures membres du pôle", "nombre", None, 15.0, "ajout"
        ),
    )
    return intake.Preview((), problems, changes, (), (), publishable, 17.0)


def open_page(monkeypatch: pytest.MonkeyPatch, data_dir: Path, role: str, pole: str | None = None) -> AppTest:
    return open_app(monkeypatch, data_dir, role, pole, PAGE)


def type_values(at: AppTest, key: str, by_row: dict[int, float]) -> AppTest:
    at.session_state[key] = {
        "edited_rows": {row: {"Valeur": value} for row, value in by_row.items()},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def editor(at: AppTest) -> pd.DataFrame:
    [frame] = [d.value for d in at.data_editor]
    return frame


def test_the_table_lists_the_catalogue_with_the_poles_last_published_values(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    Fakes([]).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "pole", OWN)
    assert [t.value for t in at.title] == ["Saisir des chiffres"]
    assert not at.selectbox(key="saisie_annee").disabled
    assert not [s for s in at.selectbox if s.key == "saisie_pole"]  # no pole to choose: its own
    assert at.selectbox(key="saisie_annee").value == 2018
    assert at.selectbox(key="saisie_annee").options[0] == str(date.today().year)
    frame = editor(at)
    codes = typed_codes(demo_data_dir)
    assert list(frame["Code"]) == codes
    assert "taux_sortie_dynamique" not in codes  # derived: computed, never typed
    published = {
        code: (valeur, unite)
        for code, valeur, unite in rows(
            demo_data_dir,
            """
            select m.code, m.valeur, c.unite from mart_pole_year m join indicator_catalog c using (code)
            where m.pole_id = ? and m.annee = 2017 and not m.derive
            """,
            OWN,
        )
    }
    assert len(published) >= 20  # the demo's phares reported most indicators in 2017
    expected = [fr_value(*published[c]) if c in published else "–" for c in codes]
    assert list(frame["Valeur publiée 2017"]) == expected
    assert frame["Valeur"].isna().all()
    assert set(frame["Problème"]) == {""}
    # The own small counts as they are: phares had 1 shared employee in 2017.
    assert frame.set_index("Code").at["salaries_partages", "Valeur publiée 2017"] == "1"
    assert at.button(key="saisie_verifier").disabled
    assert at.button(key="saisie_enregistrer").disabled


def test_problems_land_on_their_rows_and_block_saving_until_a_clean_check(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    blocking = intake.Problem(
        "saisie.csv", 3, "valeur", "Valeur hors bornes : 12,5 ETP pour 15 membres.", True
    )
    by_field = intake.Problem("saisie.csv", None, "membres", "Hausse inhabituelle par rapport à 2017.", False)
    general = intake.Problem("saisie.csv", None, None, "Période <b>2018</b> : pas encore d'objectifs.", False)
    fakes = Fakes(
        [preview_with(blocking, by_field, general, publishable=False), preview_with(by_field)]
    ).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "pole", OWN)
    codes = typed_codes(demo_data_dir)
    key = f"saisie_valeurs_{OWN}_{PERIOD}"
    type_values(at, key, {codes.index("membres"): 15, codes.index("etp"): 12.5})
    at.button(key="saisie_verifier").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert fakes.calls["entry_csv"] == [(OWN, PERIOD, {"membres": 15.0, "etp": 12.5})]
    assert fakes.calls["preview"] == [([("saisie.csv", ENTRY)], "indicateurs", OWN)]

    frame = editor(at).set_index("Code")
    assert frame.at["etp", "Problème"] == "Valeur hors bornes : 12,5 ETP pour 15 membres."  # by its row
    assert frame.at["membres", "Problème"] == "Hausse inhabituelle par rapport à 2017."  # by its field
    assert (frame.drop(index=["etp", "membres"])["Problème"] == "").all()
    # The edits survive the check: the values are still in the table.
    assert tables.values_from_edits(codes, at.session_state[key]) == {"membres": 15.0, "etp": 12.5}
    assert "• Période <b>2018</b> : pas encore d'objectifs." in [t.value for t in at.text]  # as text
    assert at.button(key="saisie_enregistrer").disabled
    assert any(e.value.startswith("Des problèmes bloquants empêchent d'enregistrer") for e in at.error)

    # The pole changes a value: the check is stale until it is run again.
    type_values(at, key, {codes.index("membres"): 15, codes.index("etp"): 2.5})
    assert any(w.value.startswith("Les valeurs ont changé depuis la vérification") for w in at.warning)
    at.button(key="saisie_verifier").click().run()
    assert at.success[0].value == tables.CLEAN
    changes = next(d.value for d in at.dataframe if "Changement" in d.value.columns)
    assert changes.to_dict("records")[0]["Changement"] == "Ajout"
    save = at.button(key="saisie_enregistrer")
    assert not save.disabled
    save.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert fakes.calls["write_entry"] == [
        (OWN, PERIOD, {"membres": 15.0, "etp": 2.5}, "démonstration — pôle phares")
    ]
    assert "Fichier : raw/indicateurs/saisie-20170301-101500-0a1b2c3d.csv" in [t.value for t in at.text]
    # A new, empty table: the saved figures are not sent twice by mistake.
    assert editor(at)["Valeur"].isna().all()


def test_a_published_year_is_prefilled_so_that_a_correction_withdraws_nothing(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    # An entry replaces the pole's whole period: typing one correction into an empty table would
    # withdraw every other published figure of the year (seen in the browser). So the year's
    # published values are in « Valeur » from the start, and a check sends them all.
    fakes = Fakes([preview_with()]).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "pole", OWN)
    at.selectbox(key="saisie_annee").set_value(2017).run()
    published = dict(
        rows(
            demo_data_dir,
            "select code, valeur from mart_pole_year where pole_id = ? and annee = 2017 and not derive",
            OWN,
        )
    )
    frame = editor(at).set_index("Code")
    assert {c: v for c, v in frame["Valeur"].items() if not pd.isna(v)} == published
    assert any("sont pré-remplis" in i.value for i in at.info)
    codes = typed_codes(demo_data_dir)
    key = f"saisie_valeurs_{OWN}_2017"
    membres = published["membres"]
    emptied = next(c for c in codes if c in published and c != "membres")
    type_values(at, key, {codes.index("membres"): membres + 1, codes.index(emptied): None})
    at.button(key="saisie_verifier").click().run()
    sent = fakes.calls["entry_csv"][0][2]
    expected = {c: v for c, v in published.items() if c != emptied} | {"membres": membres + 1}
    assert sent == expected


def test_staff_choose_the_pole_and_a_quarter(monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path) -> None:
    fakes = Fakes([preview_with()]).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "staff")
    at.selectbox(key="saisie_pole").set_value("bousol").run()
    at.radio(key="saisie_type_periode").set_value("trimestre").run()
    at.selectbox(key="saisie_annee").set_value(2016).run()
    at.selectbox(key="saisie_trimestre").set_value(3).run()
    assert "Valeur publiée 2015" in editor(at).columns
    codes = typed_codes(demo_data_dir)
    type_values(at, "saisie_valeurs_bousol_2016-T3", {codes.index("salaries"): 40})
    at.button(key="saisie_verifier").click().run()
    assert fakes.calls["entry_csv"] == [("bousol", "2016-T3", {"salaries": 40.0})]
    assert [c[2] for c in fakes.calls["preview"]] == ["bousol"]
    at.button(key="saisie_enregistrer").click().run()
    assert fakes.calls["write_entry"] == [
        ("bousol", "2016-T3", {"salaries": 40.0}, "démonstration — Équipe COORACE")
    ]


def test_periods_offered_are_never_to_come() -> None:
    today = date(2026, 5, 12)
    assert tables.year_options(today, 2016) == list(range(2026, 2014, -1))
    assert tables.year_options(today, 2012)[-1] == 2012
    assert tables.quarter_options(2026, today) == [1, 2]
    assert tables.quarter_options(2025, today) == [1, 2, 3, 4]
    assert tables.default_year(2017, today) == 2018
    assert tables.default_year(2026, today) == 2026
    assert tables.default_year(None, today) == 2026
    assert tables.period_code(2016, 3) == "2016-T3" and tables.period_code(2016, None) == "2016"


def test_problems_are_placed_by_field_row_or_message() -> None:
    codes = ["membres", "salaries", "etp"]
    wide = b"pole;periode;membres;Salari\xc3\xa9s des structures membres\nphares;2018;15;40\n"
    problems = [
        intake.Problem("saisie.csv", 2, "Salariés des structures membres", "Trop de salariés.", True),
        intake.Problem("saisie.csv", 2, "periode", "Période à venir.", True),
        intake.Problem("saisie.csv", None, None, "Indicateur « etp » manquant.", False),
    ]
    placed, unplaced = tables.place_problems(problems, wide, codes)
    assert placed == {"salaries": ["Trop de salariés."], "etp": ["Indicateur « etp » manquant."]}
    # Row 2 of a wide file names no single indicator: the problem stays general.
    assert [p.message for p in unplaced] == ["Période à venir."]

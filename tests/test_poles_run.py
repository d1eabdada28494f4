"""A thirteenth pole, a renamed pole and a pole that left, by reference files only (issue #16, done-when).

The demo's raw files, plus what staff and the new member would send: `raw/poles/ajouts.csv` adds
« PTCE Treize (fictif) » (member since 01/01/2016), renames ESCI with a new usual name « ESI Isère »
and records that PTCE Bourian left on 30/06/2017; an empty poles file beside it (an error row, never
a blocked run); the new pole's indicator file, and an ESCI file that names the pole by its new alias.
One full pipeline run (`ptce run`'s `run_pipeline`), then: the warehouse and marts, the blank
template, the dashboards (AppTest) and the checks all know the thirteen poles.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest

from pipelines.cli import main
from pipelines.runner import RunOutcome, run_pipeline, summary_lines
from ptce.paths import DataLayout
from tests.dashboards.apps import open_app

POLES_FILE = (
    "identifiant;numero;nom;noms_usuels;structure_initiatrice;description;representants;departement;"
    "nom_departement;region;commune;latitude;longitude;territoire;secteur_principal;date_entree;"
    "date_sortie\n"
    "pole_treize;13;PTCE Treize (fictif);PTCE Treize | Treize;Association fictive;Pôle inventé pour "
    "les tests (données fictives).;Camille Exemple;63;Puy-de-Dôme;Auvergne-Rhône-Alpes;Thiers;45,8564;"
    "3,5475;rural;Industrie;01/01/2016;\n"
    "esci;;Entrepreneurs Solidaires de l'Isère;ESI Isère | ESCI;;;;;;;;;;;;;\n"
    "bourian;;;;;;;;;;;;;;;;30/06/2017\n"
)
# The new member's own figures for 2016 (a file named after it, the pole in every row).
TREIZE_VALUES = {"salaries": 25.0, "membres": 11.0, "entrees_parcours": 8.0}
TREIZE_FILE = "pole;periode;indicateur;valeur\n" + "".join(
    f"PTCE Treize (fictif);2016;{code};{int(value)}\n" for code, value in TREIZE_VALUES.items()
)
TREIZE_NAME = "PTCE Treize (fictif)"


def sql(data_dir: Path, query: str, *params: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


@dataclass(frozen=True)
class PolesRun:
    outcome: RunOutcome
    esci_members: int  # what the file naming ESCI by its new alias says

    @property
    def data_dir(self) -> Path:
        return self.outcome.data_dir


@pytest.fixture(scope="module")
def poles_run(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> PolesRun:
    data_dir = tmp_path_factory.mktemp("poles_run") / "data"
    shutil.copytree(demo_data_dir / "raw", data_dir / "raw")
    poles = data_dir / "raw" / "poles"
    poles.mkdir(exist_ok=True)
    (poles / "ajouts.csv").write_text(POLES_FILE, encoding="utf-8")
    (poles / "vide.csv").write_bytes(b"")
    indicators = data_dir / "raw" / "indicateurs"
    (indicators / "treize_indicateurs_2016.csv").write_text(TREIZE_FILE, encoding="utf-8")
    # ESCI's 2017 members, one more than the demo's, in a later file naming it by its new alias.
    ((members,),) = sql(
        demo_data_dir,
        "select valeur from indicator_values where pole_id = 'esci' and annee = 2017 "
        "and trimestre is null and code = 'membres'",
    )
    (indicators / "esi_isere_2017.csv").write_text(
        f"pole;periode;indicateur;valeur\nESI Isère;2017;membres;{int(members) + 1}\n", encoding="utf-8"
    )
    return PolesRun(run_pipeline(data_dir), int(members) + 1)


def test_the_run_publishes_with_no_blocking_failure(poles_run: PolesRun) -> None:
    outcome = poles_run.outcome
    assert outcome.published, (outcome.step_errors, outcome.blocking_failures)
    assert outcome.blocking_failures == []
    failed = sql(
        poles_run.data_dir, "select regle from check_results where severite = 'ERROR' and not passed"
    )
    assert failed == []
    ((description, passed),) = sql(
        poles_run.data_dir, "select description, passed from check_results where regle = 'tous_les_poles'"
    )
    assert passed and description.startswith("Le référentiel compte les 13 pôles en vigueur")


def test_the_run_summary_counts_the_poles(poles_run: PolesRun) -> None:
    assert (
        "  Pôles : 13 au référentiel, dont 3 ajouté(s) ou modifié(s) par 2 fichier(s) de raw/poles/ et "
        "1 sorti(s) de la communauté"
    ) in summary_lines(poles_run.outcome)


def test_the_poles_table_holds_the_thirteen_poles(poles_run: PolesRun) -> None:
    rows = sql(poles_run.data_dir, "select pole_id, numero, nom, nom_court from poles order by numero")
    assert len(rows) == 13
    assert rows[-1] == ("pole_treize", 13, TREIZE_NAME, "PTCE Treize")
    ((commune, territoire, entree, source),) = sql(
        poles_run.data_dir,
        "select commune, territoire, date_adhesion, fichier_reference from poles where pole_id = 'pole_treize'",
    )
    assert (commune, territoire, str(entree), source) == (
        "Thiers",
        "rural",
        "2016-01-01",
        "raw/poles/ajouts.csv",
    )
    ((nom, court, former),) = sql(
        poles_run.data_dir, "select nom, nom_court, anciens_noms from poles where pole_id = 'esci'"
    )
    assert (nom, court) == ("Entrepreneurs Solidaires de l'Isère", "ESI Isère")
    assert former.startswith("Entrepreneurs Solidaires en Centre Isère | ")


def test_the_new_pole_reaches_the_marts(poles_run: PolesRun) -> None:
    values = dict(
        sql(
            poles_run.data_dir,
            "select code, valeur from mart_pole_year where pole_id = 'pole_treize' and annee = 2016 and not derive",
        )
    )
    assert values == TREIZE_VALUES
    # Counted in the network figure of 2016: thirteen poles reported salaried staff.
    ((n_poles,),) = sql(
        poles_run.data_dir, "select nb_poles from mart_network_year where annee = 2016 and code = 'salaries'"
    )
    assert n_poles == 13


def test_a_file_naming_the_pole_by_its_new_alias_loads(poles_run: PolesRun) -> None:
    rows = sql(
        poles_run.data_dir,
        "select pole_id, valeur, source_file from indicator_values where code = 'membres' and annee = 2017 "
        "and source_file = 'raw/indicateurs/esi_isere_2017.csv'",
    )
    assert rows == [("esci", float(poles_run.esci_members), "raw/indicateurs/esi_isere_2017.csv")]
    log = dict(
        sql(
            poles_run.data_dir,
            "select source_file, status from ingest_log where source_file in "
            "('raw/indicateurs/esi_isere_2017.csv', 'raw/indicateurs/treize_indicateurs_2016.csv')",
        )
    )
    assert log == {
        "raw/indicateurs/esi_isere_2017.csv": "ok",
        "raw/indicateurs/treize_indicateurs_2016.csv": "ok",
    }


def test_a_pole_that_left_keeps_its_published_history(poles_run: PolesRun, demo_data_dir: Path) -> None:
    ((left,),) = sql(poles_run.data_dir, "select date_depart from poles where pole_id = 'bourian'")
    assert str(left) == "2017-06-30"
    history = "select annee, code, valeur from mart_pole_year where pole_id = 'bourian' order by all"
    published = sql(poles_run.data_dir, history)
    assert published == sql(demo_data_dir, history) and {a for a, _, _ in published} == {2015, 2016, 2017}


def test_the_poles_files_are_logged_and_a_bad_one_blocks_nothing(poles_run: PolesRun) -> None:
    log = sql(
        poles_run.data_dir,
        "select source_file, status, rows_read, rows_loaded from ingest_log where kind = 'poles' order by 1",
    )
    assert log == [("raw/poles/ajouts.csv", "ok", 3, 3), ("raw/poles/vide.csv", "error", 0, 0)]


def test_completeness_counts_the_members_of_each_year(poles_run: PolesRun) -> None:
    per_year = dict(
        sql(
            poles_run.data_dir,
            "select annee, count(distinct pole_id) from completeness where kind = 'indicateurs' group by 1",
        )
    )
    # 2015: the twelve (treize joined 01/01/2016); 2016: thirteen (bourian left after 31/03/2017,
    # the due date of 2016); 2017: twelve (bourian gone before 31/03/2018, treize in).
    assert per_year == {2015: 12, 2016: 13, 2017: 12}
    owed = sql(
        poles_run.data_dir,
        "select annee, statut, nb_valeurs from completeness where kind = 'indicateurs' and pole_id = 'pole_treize' "
        "order by annee",
    )
    assert owed == [(2016, "partiel", 3), (2017, "manquant", 0)]
    assert sql(
        poles_run.data_dir,
        "select count(*) from completeness where pole_id = 'bourian' and annee = 2017 "
        "and kind = 'indicateurs'",
    ) == [(0,)]


def test_the_blank_template_lists_the_new_pole(poles_run: PolesRun, tmp_path: Path) -> None:
    out = tmp_path / "modele.xlsx"
    assert (
        main(["template", "--kind", "indicateurs", "--data-dir", str(poles_run.data_dir), "--out", str(out)])
        == 0
    )
    listed = [c.value for c in openpyxl.load_workbook(out)["Listes"]["A"][2:] if c.value]
    assert "PTCE Treize" in listed and "ESI Isère" in listed
    assert "PTCE Bourian" not in listed and len(listed) == 12


def test_the_year_table_lists_the_poles_of_that_year_only(poles_run: PolesRun) -> None:
    """The overview's table and map: a pole appears from the year it joined to the year it left."""
    from ptce.read.base import STAFF, current_warehouse
    from ptce.read.indicators import poles_year_table

    wh = current_warehouse(poles_run.data_dir)
    assert wh is not None
    listed = {y: set(poles_year_table(wh, STAFF, y)["pole_id"]) for y in (2015, 2016, 2017, 2018)}
    assert "pole_treize" not in listed[2015] and len(listed[2015]) == 12  # joined 01/01/2016
    assert "pole_treize" in listed[2016] and len(listed[2016]) == 13
    assert "bourian" in listed[2017] and len(listed[2017]) == 13  # left on 30/06/2017
    # 2018, a year with no figure yet: the members, without the pole that left.
    assert "bourian" not in listed[2018] and len(listed[2018]) == 12


def test_the_overview_offers_the_new_pole(monkeypatch: pytest.MonkeyPatch, poles_run: PolesRun) -> None:
    at = open_app(monkeypatch, poles_run.data_dir, "staff")
    assert not at.exception, [e.value for e in at.exception]
    assert f"13. {TREIZE_NAME}" in at.selectbox(key="ouvrir_fiche").options


def test_the_pole_pages_show_the_new_pole_and_the_departure(
    monkeypatch: pytest.MonkeyPatch, poles_run: PolesRun
) -> None:
    at = open_app(monkeypatch, poles_run.data_dir, "staff", page="pole/page.py")
    at.selectbox(key="pole_choisi").set_value("pole_treize").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == r"PTCE Treize \(fictif\)"  # its name as text: Markdown escaped
    assert at.info[0].value == "Membre de la communauté depuis le 01/01/2016."
    at.selectbox(key="pole_choisi").set_value("bourian").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.info[0].value == "A quitté la communauté le 30/06/2017 : ses chiffres transmis restent publiés."


def test_the_new_pole_may_look_as_itself(monkeypatch: pytest.MonkeyPatch, poles_run: PolesRun) -> None:
    at = open_app(monkeypatch, poles_run.data_dir, "pole", pole="pole_treize")
    assert not at.exception, [e.value for e in at.exception]
    assert f"13 — {TREIZE_NAME}" in at.selectbox(key="demo_pole").options

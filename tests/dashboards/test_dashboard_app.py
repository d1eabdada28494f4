"""The dashboards run headless (Streamlit AppTest) against the demo warehouse and its variants."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ptce.paths import DataLayout
from tests.french import fr_int

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
TIMEOUT = 60  # the first run imports Plotly and pandas; later runs take well under a second
DEMO_BANNER = "Données fictives de démonstration"


def run_app(monkeypatch: pytest.MonkeyPatch, data_dir: Path, pole: str | None = None) -> AppTest:
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    if pole is not None:
        at.query_params["pole"] = pole
        at.switch_page("pole/page.py")
        at.run()
    return at


def scalar(data_dir: Path, query: str, *params: object) -> object:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(query, list(params)).fetchone()[0]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_overview_shows_network_figures_from_the_warehouse(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = run_app(monkeypatch, demo_data_dir)

    assert not at.exception
    assert any(DEMO_BANNER in w.value for w in at.warning)
    year = scalar(demo_data_dir, "select max(annee) from mart_network_year")
    assert at.selectbox(key="annee").value == year
    membres = scalar(
        demo_data_dir,
        "select sum(valeur) from mart_pole_year where code = 'membres' and annee = ?",
        year,
    )
    assert metric(at, "Structures membres") == fr_int(membres)
    assert [m.label for m in at.metric] == [
        "Structures membres",
        "Salariés",
        "Équivalents temps plein",
        "Emplois créés",
        "Emplois consolidés",
        "Personnes accompagnées",
        "Sorties vers l'emploi durable",
        "Taux de sorties dynamiques",
    ]
    # The funder's impact references are in the help of the figures that have one.
    helps = {m.label: m.proto.help for m in at.metric}
    assert helps["Emplois consolidés"].endswith("Référence IRIS+ : PI5691.")
    assert "IRIS+" not in helps["Personnes accompagnées"]
    # One tab per domain of the catalogue, each with its chart, plus the map.
    domains = scalar(
        demo_data_dir,
        "select list(distinct domaine_libelle order by domaine_libelle) from indicator_catalog",
    )
    assert sorted(t.label for t in at.tabs) == domains
    assert len(at.get("plotly_chart")) == len(domains) + 1
    assert len(at.dataframe[0].value) == 12
    assert at.sidebar.caption[0].value.startswith("Données publiées le ")


def test_overview_year_selector_changes_figures(monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path) -> None:
    at = run_app(monkeypatch, demo_data_dir)
    first = scalar(demo_data_dir, "select min(annee) from mart_network_year")

    at.selectbox(key="annee").set_value(first).run()

    assert not at.exception
    salaries = scalar(
        demo_data_dir,
        "select valeur from mart_network_year where code = 'salaries' and annee = ?",
        first,
    )
    assert metric(at, "Salariés") == fr_int(salaries)
    # No previous year to compare with: no change shown.
    assert all(not m.delta for m in at.metric)


def map_spec(at: AppTest) -> dict:
    """The overview map's figure as sent to the browser (the chart with a colour bar)."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if any("colorbar" in trace.get("marker", {}) for trace in spec["data"]):
            return spec
    raise AssertionError("pas de carte des pôles sur la page")


def test_overview_map_shows_the_chosen_figure(monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path) -> None:
    at = run_app(monkeypatch, demo_data_dir)
    year = at.selectbox(key="annee").value
    # The choice is among the catalogue's key figures, by their short French label.
    choice = at.selectbox(key="chiffre_carte")
    assert choice.label == "Chiffre affiché sur la carte"
    # The same figures, in the same order, as the key-figure cards above the map.
    assert choice.options == [m.label for m in at.metric]

    choice.set_value("etp").run()
    assert not at.exception
    valued = next(t for t in map_spec(at)["data"] if "colorbar" in t.get("marker", {}))
    assert valued["marker"]["colorbar"]["title"]["text"] == f"Équivalents temps plein en {year} (ETP)"
    with duckdb.connect(str(DataLayout(demo_data_dir).warehouse), read_only=True) as con:
        expected = dict(
            con.execute(
                "select pole_id, valeur from mart_pole_year where code = 'etp' and annee = ?", [year]
            ).fetchall()
        )
    colours = zip(valued["customdata"], valued["marker"]["color"], strict=True)
    shown = {custom[0]: colour for custom, colour in colours}
    assert shown == pytest.approx(expected)


def test_overview_opens_the_pole_chosen_beside_the_map(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = run_app(monkeypatch, demo_data_dir)
    opener = at.selectbox(key="ouvrir_fiche")
    assert opener.label == "Ouvrir la fiche d'un pôle" and opener.value is None

    opener.set_value("phares").run()

    assert not at.exception
    assert at.title[0].value == "PHARES"
    assert at.query_params["pole"] == "phares"


def test_pole_page_identity_and_series(monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path) -> None:
    at = run_app(monkeypatch, demo_data_dir)
    at.switch_page("pole/page.py").run()

    assert not at.exception
    assert any(DEMO_BANNER in w.value for w in at.warning)  # on every page
    assert at.title[0].value == scalar(demo_data_dir, "select nom from poles where numero = 1")
    assert at.query_params["pole"] == scalar(demo_data_dir, "select pole_id from poles where numero = 1")
    description = scalar(demo_data_dir, "select description from poles where numero = 1")
    assert description in [t.value for t in at.text]
    assert len(at.get("plotly_chart")) == len(at.tabs) >= 5
    # One row per indicator (its years side by side).
    n_values = scalar(
        demo_data_dir, "select count(distinct code) from mart_pole_year where pole_id = 'sud_aquitain'"
    )
    assert len(at.dataframe[0].value) == n_values

    at.selectbox(key="pole_choisi").set_value("phares").run()
    assert not at.exception
    assert at.title[0].value == "PHARES"
    assert at.query_params["pole"] == "phares"


def test_pole_page_opens_the_pole_named_in_the_address(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = run_app(monkeypatch, demo_data_dir, pole="bousol")
    assert not at.exception
    assert at.selectbox(key="pole_choisi").value == "bousol"

    unknown = run_app(monkeypatch, demo_data_dir, pole="inconnu")
    assert not unknown.exception
    assert unknown.selectbox(key="pole_choisi").value == "sud_aquitain"


def test_text_from_the_warehouse_is_never_html(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    hostile = "<script>alert(1)</script> **gras** [lien](javascript:alert(1))"
    data_dir = altered_data_dir(
        "update poles set description = ?, commune = ? where pole_id = 'phares'",
        params=([hostile, "<img src=x onerror=alert(1)>"],),
    )
    at = run_app(monkeypatch, data_dir, pole="phares")

    assert not at.exception
    assert hostile in [t.value for t in at.text]  # st.text: shown verbatim, never interpreted
    for element in at.markdown:
        assert not element.proto.allow_html
    caption = next(c.value for c in at.caption if c.value.startswith("Pôle n°"))
    assert r"\<img" in caption  # Markdown-escaped


def test_no_banner_on_real_data(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    data_dir = altered_data_dir("update publication set donnees_demo = false")
    at = run_app(monkeypatch, data_dir)
    assert not at.exception
    assert not any(DEMO_BANNER in w.value for w in at.warning)


def test_no_warehouse_yet_says_how_to_publish(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = run_app(monkeypatch, tmp_path)

    assert not at.exception
    assert len(at.info) == 1
    assert "Aucun entrepôt de données n'est encore publié" in at.info[0].value
    assert "ptce run" in at.info[0].value
    assert not at.metric


def test_unreadable_warehouse_gives_a_french_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    warehouse = DataLayout(tmp_path).warehouse
    warehouse.parent.mkdir(parents=True)
    warehouse.write_bytes(b"ceci n'est pas un entrepot duckdb" * 200)

    at = run_app(monkeypatch, tmp_path)

    assert not at.exception
    assert "ne peut pas être lu" in at.error[0].value

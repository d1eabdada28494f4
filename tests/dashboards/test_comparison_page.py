"""The page « Comparer les pôles »: its pure tables and charts, then the page run headless per role.

Pure tests build their frames by hand, as `ptce.read.comparison` returns them. The page tests run
the app on the demo warehouse for staff, the funder and a pole, and compare what the page shows
with the demo's values read here in SQL (2017: Bou'Sol's 4 « sorties positives » are a small count,
so its dynamic-exit rate is masked for the funder, shown to Bou'Sol itself and to staff).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.comparaison import charts, tables
from dashboards.shared import reads as shared_reads
from dashboards.shared.table_format import display_frame
from ptce.paths import DataLayout
from ptce.read.base import Viewer

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
PAGE = "comparaison/page.py"
TIMEOUT = 120
NAN = float("nan")

# --- Pure tables and charts ----------------------------------------------------------------------


def groups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pole_id": ["a", "b", "c", "d"],
            "numero": [1, 2, 3, 4],
            "nom_court": ["Alpha", "Bêta", "Gamma", "Delta"],
            "territoire": ["rural", "urbain", "rural", "mixte"],
            "secteur_principal": ["Transition écologique", "Transition écologique", "Services", "Services"],
            "classe_taille": ["Petit pôle", "Petit pôle", "Grand pôle", None],
        }
    )


def test_peer_groups_keep_the_poles_like_the_reference() -> None:
    assert tables.peer_ids(groups(), "a", tables.ALL) == ["a", "b", "c", "d"]
    assert tables.peer_ids(groups(), "a", tables.SIZE) == ["a", "b"]
    assert tables.peer_ids(groups(), "a", tables.TERRITORY) == ["a", "c"]
    assert tables.peer_ids(groups(), "c", tables.SECTOR) == ["c", "d"]
    # No member count this year: compared with every pole, and said so.
    assert tables.peer_ids(groups(), "d", tables.SIZE) == ["a", "b", "c", "d"]
    assert tables.peer_text(groups(), "a", tables.TERRITORY) == (
        "2 pôles au territoire du même type (rural) que Alpha, lui compris."
    )
    assert tables.peer_text(groups(), "d", tables.SIZE).startswith("Groupe de Delta inconnu cette année")


def values_frame() -> pd.DataFrame:
    rows = [
        ("a", 1, "Alpha", 0.5, None, 2.0),
        ("b", 2, "Bêta", 0.75, None, 1.0),
        ("c", 3, "Gamma", NAN, "s", NAN),
        ("d", 4, "Delta", NAN, None, NAN),
    ]
    frame = pd.DataFrame(rows, columns=["pole_id", "numero", "nom_court", "valeur", "masque", "rang"])
    frame["nom"] = frame["nom_court"]
    frame["territoire"], frame["secteur_principal"], frame["classe_taille"] = (
        "rural",
        "Services",
        "Petit pôle",
    )
    frame["code"], frame["libelle"], frame["unite"] = (
        "taux_sortie_dynamique",
        "Taux de sorties dynamiques",
        "%",
    )
    frame["mediane"], frame["q1"], frame["q3"], frame["nb_poles"] = 0.625, 0.56, 0.69, 2
    return frame


def test_comparison_table_writes_masks_as_text_and_ranks() -> None:
    shown = display_frame(tables.comparison_table(values_frame()))
    assert shown["Taux de sorties dynamiques (%)"].tolist() == ["50,0 %", "75,0 %", "s", "–"]
    assert shown["Rang : Taux de sorties dynamiques"].tolist() == ["2", "1", "–", "–"]
    assert shown["Pôle"].tolist()[0] == "1. Alpha"


def test_comparison_export_gives_rates_in_percent_and_the_mask_label() -> None:
    export = tables.comparison_export(values_frame())
    assert export["Valeur"].tolist()[:2] == [50.0, 75.0]
    assert export["Secret statistique"].tolist()[2] == "s"
    assert export["Médiane des pôles"].iloc[0] == 62.5


def test_stats_text_names_median_quartiles_and_sample() -> None:
    assert tables.stats_text(values_frame()) == (
        "Médiane du réseau : 62,5 % ; la moitié des pôles entre 56,0 % et 69,0 % "
        "(sur 2 pôles dont la valeur est publiée)."
    )


def test_ranked_bars_best_first_highlight_median_band_and_masked_label() -> None:
    fig = charts.ranked_bars(values_frame(), highlight="a")
    bars = fig.data[0]
    # Best at the top: the category array lists bottom to top (masked and unreported, then 2nd, 1st).
    assert list(fig.layout.yaxis.categoryarray) == ["Delta", "Gamma", "<b>▶ Alpha</b>", "Bêta"]
    assert list(bars.x) == [50.0, 75.0] and list(bars.y) == ["<b>▶ Alpha</b>", "Bêta"]
    assert list(bars.marker.color) == [charts.POLE_COLOR, charts.OTHER_COLOR]
    assert [a.text for a in fig.layout.annotations if a.x == 0] == ["s", "non transmis"]
    assert fig.layout.shapes[0].x0 == pytest.approx(56.0) and fig.layout.shapes[0].x1 == pytest.approx(69.0)
    assert fig.layout.shapes[1].x0 == pytest.approx(62.5)


def targets_frame() -> pd.DataFrame:
    rows = [
        ("a", 1, "Alpha", "emplois_crees", "Emplois créés dans l'année", "emplois", 30.0, 24.0, None, 0.8, False),
        ("a", 1, "Alpha", "sorties_emploi_durable", "Sorties vers l'emploi durable", "personnes", 10.0, 12.0, None,
         1.2, True),
        ("b", 2, "Bêta", "sorties_emploi_durable", "Sorties vers l'emploi durable", "personnes", 6.0, NAN, "< 5",
         NAN, None),
        ("b", 2, "Bêta", "emplois_crees", "Emplois créés dans l'année", "emplois", 8.0, NAN, None, NAN, None),
    ]  # fmt: skip
    columns = ["pole_id", "numero", "nom_court", "code", "libelle", "unite", "objectif", "valeur", "masque"]
    frame = pd.DataFrame(rows, columns=[*columns, "taux_atteinte", "atteint"])
    frame["nom"] = frame["nom_court"]
    return frame


def test_targets_table_status_in_words_and_missed_targets() -> None:
    shown = display_frame(tables.targets_table(targets_frame()))
    assert shown["Statut"].tolist() == [
        "Non atteint",
        "Atteint",
        "Masqué (secret statistique)",
        "Résultat non transmis",
    ]
    assert shown["Résultat"].tolist() == ["24", "12", "< 5", "–"]
    assert shown["Taux d'atteinte"].tolist() == ["80,0 %", "120,0 %", "–", "–"]
    assert tables.missed_targets(targets_frame()) == [
        "Alpha — Emplois créés dans l'année : 24 emplois pour un objectif de 30 emplois (80,0 % de l'objectif)"
    ]
    assert tables.targets_summary(targets_frame()) == (
        "1 objectif atteint sur 4 ; 1 non atteint ; 2 sans résultat publié."
    )


def adjusted_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pole_id": ["a", "b", "c"],
            "numero": [1, 2, 3],
            "nom": ["Alpha", "Bêta", "Gamma"],
            "nom_court": ["Alpha", "Bêta", "Gamma"],
            "sorties": [120, 80, 12],
            "taux_observe": [0.7, 0.5, 0.4],
            "taux_attendu": [0.6, 0.51, 0.5],
            "ecart": [0.1, -0.01, -0.1],
            "ic_bas": [0.02, -0.08, NAN],
            "ic_haut": [0.18, 0.06, NAN],
            "verdict": ["au-dessus", "conforme", None],
        }
    )


def test_adjusted_chart_shows_only_verdicts_with_their_interval() -> None:
    fig = charts.adjusted_figure(adjusted_frame())
    points = fig.data[0]
    assert list(points.y) == ["Bêta", "Alpha"]  # Gamma: under 20 exits, no figure
    assert list(points.x) == pytest.approx([-1.0, 10.0])
    assert list(points.error_x.array) == pytest.approx([7.0, 8.0])
    assert list(points.error_x.arrayminus) == pytest.approx([7.0, 8.0])
    assert list(points.text) == ["conforme à l'attendu", "au-dessus de l'attendu"]
    shown = display_frame(tables.adjusted_table(adjusted_frame()))
    assert shown["Résultat"].tolist()[2] == "non calculé (moins de 20 sorties)"


def test_adjusted_read_is_none_until_it_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shared_reads, "_adjusted", None)
    assert shared_reads.adjusted_comparison(None, 2017, "taux_emploi_durable") is None  # type: ignore[arg-type]

    def missing_table(*_: Any) -> pd.DataFrame:
        raise duckdb.CatalogException("Table with name pathway_adjusted does not exist!")

    monkeypatch.setattr(shared_reads, "_adjusted", missing_table)
    assert shared_reads.adjusted_comparison(None, 2017, "taux_emploi_durable") is None  # type: ignore[arg-type]


def test_profile_figure_plots_percentile_ranks() -> None:
    profile = pd.DataFrame(
        {
            "domaine": ["emploi", "parcours"],
            "domaine_libelle": ["Emploi", "Parcours"],
            "code": ["part_cdi", "taux_emploi_durable"],
            "libelle": ["Part des salariés en CDI", "Taux de sorties vers l'emploi durable"],
            "unite": ["%", "%"],
            "valeur": [0.5, NAN],
            "rang_centile": [54.5, NAN],
            "nb_poles": [12, 10],
        }
    )
    fig = charts.profile_figure(profile, "Alpha")
    assert list(fig.data[0].x) == [54.5] and list(fig.data[0].y) == ["Emploi · Part des salariés en CDI"]


# --- The page, per role --------------------------------------------------------------------------


def run_page(monkeypatch: pytest.MonkeyPatch, data_dir: Path, viewer: Viewer | None = None) -> AppTest:
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    if viewer is not None:
        monkeypatch.setattr(shared_reads, "current_viewer", lambda: viewer)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sql(data_dir: Path, query: str, *params: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


def comparison_cells(at: AppTest) -> dict[str, Any]:
    frame = next(d.value for d in at.dataframe if "Classe de taille" in d.value.columns)
    # Keyed by pole number (« 7. … » is Bou'Sol).
    numbers = [str(name).split(".")[0] for name in frame["Pôle"]]
    return dict(zip(numbers, frame["Taux de sorties dynamiques (%)"], strict=True))


SECTIONS = [
    "Classement des pôles",
    "Tableau de comparaison",
    "Évolution dans le temps",
    "Objectifs et résultats",
    "Comparaison ajustée",
]


def test_page_for_staff_shows_every_value_and_the_targets(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = run_page(monkeypatch, demo_data_dir)
    subheaders = [s.value for s in at.subheader]
    assert all(s in subheaders for s in SECTIONS)
    assert at.selectbox(key="comparer_annee").value == 2017
    cells = comparison_cells(at)
    expected = sql(
        demo_data_dir,
        "select valeur from mart_pole_year where pole_id = 'bousol' and annee = 2017 and code = 'taux_sortie_dynamique'",
    )[0][0]
    assert float(cells["7"]) == pytest.approx(expected)
    targets = next(d.value for d in at.dataframe if "Statut" in d.value.columns)
    assert len(targets) == sql(demo_data_dir, "select count(*) from targets where annee = 2017")[0][0]
    missed = sql(
        demo_data_dir,
        """
        select count(*) from targets t join mart_pole_year m using (pole_id, annee, code)
        where t.annee = 2017 and m.valeur < t.valeur
        """,
    )[0][0]
    assert sum(t.value.startswith("• ") for t in at.text) == missed
    # Peer filter: the poles of PHARES's size class only (2017: 15 to 24 member structures).
    at.selectbox(key="comparer_pole").set_value("phares").run()
    at.radio(key="comparer_pairs").set_value(tables.SIZE).run()
    assert not at.exception
    same_size = sql(
        demo_data_dir,
        "select count(*) from mart_pole_year where code = 'membres' and annee = 2017 and valeur between 15 and 24.999",
    )[0][0]
    assert len(comparison_cells(at)) == same_size


def test_page_for_the_funder_masks_a_share_built_on_a_small_count(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = run_page(monkeypatch, demo_data_dir, Viewer("funder"))
    cells = comparison_cells(at)
    assert cells["7"] == "s"
    assert any("secret statistique" in c.value for c in at.caption)


def test_page_for_a_pole_shows_its_own_value_and_no_pole_chooser(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = run_page(monkeypatch, demo_data_dir, Viewer("pole", "bousol"))
    assert "comparer_pole" not in [s.key for s in at.selectbox]
    assert any("Votre pôle" in m.value and "Bou'Sol" in m.value for m in at.markdown)
    cells = comparison_cells(at)
    assert cells["7"] not in ("s", "< 5", "–")
    assert any(s.value.startswith("Profil de Bou'Sol") for s in at.subheader)


def test_page_shows_the_adjusted_comparison_once_its_read_exists(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    asked: list[tuple[int, str]] = []

    def adjusted(wh: Any, year: int, indicator: str) -> pd.DataFrame:
        asked.append((year, indicator))
        return adjusted_frame()

    monkeypatch.setattr(shared_reads, "_adjusted", adjusted)
    at = run_page(monkeypatch, demo_data_dir)
    assert asked[-1] == (2017, "taux_sortie_dynamique")
    assert not [i for i in at.info if "pas encore disponible" in i.value]
    verdicts = next(d.value for d in at.dataframe if "Écart (points)" in d.value.columns)
    assert verdicts["Résultat"].tolist() == [
        "au-dessus de l'attendu",
        "conforme à l'attendu",
        "non calculé (moins de 20 sorties)",
    ]
    assert any("régression logistique" in t.value for t in at.text)


def test_export_title_says_demo_data_are_fictitious() -> None:
    assert tables.export_title(2017, True).endswith("DONNÉES FICTIVES DE DÉMONSTRATION")
    assert tables.export_title(2017, False) == "Observatoire PTCE — comparaison des pôles, 2017"


def test_beyond_the_threshold_the_missed_targets_are_counted_not_all_listed() -> None:
    """2,000 poles can miss 10,000 targets: the page lists the first ones and counts the rest."""
    text = tables.missed_rest_text(tables.MISSED_SHOWN + 1234)
    assert text.startswith("… et 1\u202f234 autres objectifs non atteints (1\u202f254 en tout)")
    assert "colonne « Statut »" in text
    assert tables.missed_rest_text(tables.MISSED_SHOWN + 1).startswith("… et 1 autre objectif non atteint (")

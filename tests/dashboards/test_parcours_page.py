"""The page « Parcours »: its pure tables and charts on small frames, then the page run headless.

The pure tests build their frames by hand, as `ptce.read.pathways` returns them. The page tests run
the app on a copy of the demo warehouse (`altered_data_dir`) and compare what the page shows with
counts made here in SQL on the same file; they also run it as a pole and as the funder would see it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.parcours import charts as parcours_charts
from dashboards.parcours import tables as parcours_tables
from dashboards.shared import reads as shared_reads
from dashboards.shared.table_format import display_frame
from ptce.paths import DataLayout
from ptce.read import pathways as pw
from ptce.read.base import Viewer, current_warehouse
from tests.dashboards.test_no_raw_codes import page_text
from tests.french import fr_int, fr_percent

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
PAGE = "parcours/page.py"
TIMEOUT = 120
CATEGORY_CODES = [
    "emploi_durable",
    "emploi_transition",
    "sortie_positive",
    "autre_sortie",
    "retrait",
    "en_cours",
]

# --- Pure tables ---------------------------------------------------------------------------------


def long_counts(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    """A frame as the reads return it: counts (NaN when masked), masque, libelle."""
    return pd.DataFrame(rows, columns=[*columns, "personnes", "masque", "libelle"])


def test_scope_choices_start_with_the_network() -> None:
    poles = pd.DataFrame({"pole_id": ["phares", "alpen"], "numero": [3, 12], "nom": ["PHARES", "Pôle AlpEn"]})
    assert parcours_tables.scope_names(poles) == {
        None: "Tout le réseau",
        "phares": "3. PHARES",
        "alpen": "12. Pôle AlpEn",
    }


def test_breakdown_table_shows_masks_as_labels() -> None:
    frame = pd.DataFrame(
        {
            "variable": ["sexe", "sexe", "sexe"],
            "modalite": ["F", "H", "non_renseigne"],
            "personnes": [12.0, float("nan"), float("nan")],
            "part": [0.8, float("nan"), float("nan")],
            "masque": [False, True, True],
            "libelle": ["12", "< 5", "s"],
        }
    )
    shown = display_frame(parcours_tables.breakdown_table(frame))
    assert shown["Caractéristique"].tolist() == ["Sexe"] * 3
    assert shown["Modalité"].tolist() == ["Femmes", "Hommes", "Non renseigné"]
    assert shown["Personnes"].tolist() == ["12", "< 5", "s"]
    assert shown["Part"].tolist() == ["80,0 %", "–", "–"]
    unmasked = frame.assign(personnes=[12.0, 3.0, 0.0], masque=False)
    # Nothing masked: typed counts, which sort as numbers.
    assert parcours_tables.breakdown_table(unmasked).frame["Personnes"].tolist() == [12, 3, 0]


def test_rates_table_names_the_network_and_hides_masked_rates() -> None:
    rates = pd.DataFrame(
        {
            "pole_id": ["a", "b", None],
            "nom": ["Pôle A", "Pôle B", None],
            "sorties": [float("nan"), 40.0, 43.0],
            "sorties_dynamiques": [float("nan"), 30.0, 32.0],
            "taux": [float("nan"), 0.75, 32 / 43],
            "sorties_masque": [True, False, False],
            "sorties_libelle": ["< 5", "40", "43"],
        }
    )
    shown = display_frame(parcours_tables.rates_table(rates))
    assert shown["Pôle"].tolist() == ["Pôle A", "Pôle B", "Tout le réseau"]
    assert shown["Sorties hors retraits (n)"].tolist() == ["< 5", "40", "43"]
    assert shown["Taux de sorties dynamiques"].tolist() == ["–", "75,0 %", "74,4 %"]


def test_derived_table_labels_every_code_and_writes_units() -> None:
    frame = pd.DataFrame(
        {
            "nom": ["PHARES"] * 3,
            "nom_court": ["PHARES"] * 3,
            "annee": [2016] * 3,
            "code": ["sorties", "taux_sortie_dynamique", "retraits"],
            "libelle": ["Sorties de parcours (hors retraits)", "Taux de sorties dynamiques", None],
            "unite": ["personnes", "%", None],
            "valeur": [40.0, 0.625, 3.0],
            "valeur_declaree": [42.0, 0.6, None],
            "ecart": [-2.0, 0.025, None],
            "ecart_relatif": [-2 / 42, 0.025 / 0.6, None],
        }
    )
    shown = display_frame(parcours_tables.derived_table(frame, with_pole=True))
    assert shown["Indicateur"].tolist()[2].startswith("Sorties retirées du décompte")
    assert shown["Calculé depuis les parcours"].tolist() == ["40", "62,5 %", "3"]
    assert shown["Déclaré par le pôle"].tolist() == ["42", "60,0 %", "–"]
    assert shown["Écart relatif"].tolist() == ["-4,8 %", "4,2 %", "–"]
    assert parcours_tables.gaps_only(frame)["code"].tolist() == ["sorties", "taux_sortie_dynamique"]
    # 100,03 hours computed against 100 declared: written 100 and 100 (one decimal), no difference;
    # a rate 1,2 point apart is one.
    hours = {"nom": "PHARES", "nom_court": "PHARES", "annee": 2016, "code": "heures_formation",
             "libelle": "Heures de formation dispensées", "unite": "heures", "valeur": 100.03,
             "valeur_declaree": 100.0, "ecart": 0.03, "ecart_relatif": 0.0003}  # fmt: skip
    rate = {**hours, "code": "taux_sortie_dynamique", "unite": "%", "valeur": 0.512, "valeur_declaree": 0.5,
            "ecart": 0.012, "ecart_relatif": 0.024}  # fmt: skip
    both = pd.concat([frame, pd.DataFrame([hours, rate])], ignore_index=True)
    assert parcours_tables.gaps_only(both)["valeur"].tolist() == [40.0, 0.625, 0.512]
    assert parcours_tables.gaps_caption(both).startswith(
        "4 valeur(s) déclarée(s) à comparer, dont 3 différente(s) du calcul ; 1 valeur(s) calculée(s)"
    )


# --- Pure charts ---------------------------------------------------------------------------------


def pole_flows() -> pd.DataFrame:
    rows = [
        ("entree", "p", "Pôle P", 1, "<b>Régie</b>", "mobilite", "p", "Chantier", 7.0, False, "7"),
        ("mobilite", "p", "Pôle P", 1, "Chantier", "issue", None, "emploi_durable", 7.0, False, "7"),
        ("entree", "p", "Pôle P", 1, "<b>Régie</b>", "issue", None, "en_cours", 20.0, False, "20"),
        ("entree", "p", "Pôle P", 1, "<b>Régie</b>", "issue", None, "retrait", float("nan"), True, "< 5"),
    ]
    columns = [
        "source_etape",
        "source_pole",
        "source_pole_nom",
        "numero",
        "source",
        "target_etape",
        "target_pole",
        "target",
    ]
    return long_counts(rows, columns)


def test_sankey_labels_are_french_escaped_and_counts_in_persons() -> None:
    fig = parcours_charts.sankey_figure(pole_flows(), network=False)
    sankey = fig.data[0]
    labels = list(sankey.node.label)
    assert "&lt;b&gt;Régie&lt;/b&gt;" in labels  # a structure name from a file, never live markup
    assert {"Emploi durable", "Parcours en cours"} <= set(labels)
    assert not set(labels) & set(CATEGORY_CODES)
    # The masked link (withdrawals, « < 5 ») is not drawn; the others carry their persons.
    assert sorted(sankey.link.value) == [7.0, 7.0, 20.0]
    assert "Retrait (hors décompte)" not in labels
    assert any(h.endswith("20 personnes") for h in sankey.link.customdata)
    # Columns: entry at the left, the outcomes at the right.
    xs = dict(zip(labels, sankey.node.x, strict=True))
    assert xs["&lt;b&gt;Régie&lt;/b&gt;"] < xs["Chantier"] < xs["Emploi durable"]


def test_network_sankey_starts_from_the_poles() -> None:
    rows = [
        ("entree", "p", "Pôle P", 1, None, "mobilite", None, pw.MOVED, 6.0, False, "6"),
        ("mobilite", None, None, None, pw.MOVED, "issue", None, "autre_sortie", 6.0, False, "6"),
        ("entree", "q", "Pôle Q", 2, None, "issue", None, "autre_sortie", 9.0, False, "9"),
    ]
    columns = [
        "source_etape",
        "source_pole",
        "source_pole_nom",
        "numero",
        "source",
        "target_etape",
        "target_pole",
        "target",
    ]
    labels = list(parcours_charts.sankey_figure(long_counts(rows, columns), network=True).data[0].node.label)
    assert labels == ["Pôle P", "Après une mobilité interne", "Autre sortie", "Pôle Q"]


def test_exits_chart_stacks_categories_with_n_per_year() -> None:
    rows = [
        (2016, "emploi_durable", 10.0, False, "10"),
        (2016, "autre_sortie", 6.0, False, "6"),
        (2016, "retrait", 5.0, False, "5"),
        (2017, "emploi_durable", 8.0, False, "8"),
        (2017, "retrait", float("nan"), True, "< 5"),
    ]
    fig = parcours_charts.exits_figure(long_counts(rows, ["annee", "categorie"]))
    assert [t.name for t in fig.data] == ["Emploi durable", "Autre sortie", "Retrait (hors décompte)"]
    # n: exits counted, withdrawals left out (10 + 6); 2017 has a masked cell: no n.
    assert [a.text for a in fig.layout.annotations] == ["n = 16"]
    exits = long_counts(rows, ["annee", "categorie"])
    assert parcours_tables.dynamic_rate(exits, 2016) == pytest.approx(10 / 16)
    # 2017: the masked cell is the withdrawals, which the rate leaves out: 8 / 8.
    assert parcours_tables.dynamic_rate(exits, 2017) == 1.0
    masked_exit = exits.assign(
        personnes=[10.0, float("nan"), 5.0, 8.0, 2.0], masque=[False, True, False, False, False]
    )
    assert parcours_tables.dynamic_rate(masked_exit, 2016) is None  # part of the exits hidden
    assert fig.layout.yaxis.title.text == "personnes"


def test_rates_chart_shows_each_n() -> None:
    rates = pd.DataFrame(
        {
            "pole_id": ["a", "b", "c", None],
            "nom": ["Pôle A", "Pôle B", "Pôle C", None],
            "sorties": [float("nan"), 42.0, 40.0, 85.0],
            # Pôle C: 3 dynamic exits of 40, its rate withheld (it would give the 3 back).
            "taux": [float("nan"), 0.5, float("nan"), 0.3],
            "sorties_masque": [True, False, False, False],
            "sorties_libelle": ["< 5", "42", "40", "85"],
        }
    )
    bar = parcours_charts.rates_figure(rates, "b").data[0]
    assert list(bar.text) == [
        "n < 5 sorties : taux non publié",
        "50,0 % · n = 42 sorties",
        "taux non publié (secret statistique)",
        "30,0 % · n = 85 sorties",
    ]
    assert list(bar.y) == ["Pôle A", "Pôle B", "Pôle C", "Tout le réseau"]
    assert bar.marker.color[1] == parcours_charts.POLE_COLOR


def test_duration_chart_places_the_median_in_its_bin() -> None:
    bins = pd.DataFrame(
        {
            "debut": [0, 3, 6, 12],
            "fin": pd.array([3, 6, 12, None], dtype="Int64"),
            "personnes": [1.0, 2.0, 3.0, 1.0],
        }
    )
    fig = parcours_charts.duration_figure(bins, 9.0)
    # 9 months: half-way through the third bar (6 to 12 months), which spans 1,5 to 2,5.
    assert fig.layout.shapes[0].x0 == pytest.approx(2.0)
    assert list(fig.layout.xaxis.ticktext) == ["0 à 3 mois", "3 à 6 mois", "6 à 12 mois", "12 mois et plus"]
    assert "Médiane : 9 mois" in [a.text for a in fig.layout.annotations]


def test_breakdown_chart_never_shows_rqth() -> None:
    frame = pd.DataFrame(
        [(v, m, 3.0, False, "3") for v in pw.BREAKDOWN_VARIABLES for m in pw.MODALITIES[v]],
        columns=["variable", "modalite", "personnes", "masque", "libelle"],
    )
    fig = parcours_charts.breakdown_figure(frame)
    assert [t.meta["variable"] for t in fig.data] == list(pw.BREAKDOWN_VARIABLES)
    assert all("RQTH" not in a.text for a in fig.layout.annotations)


# --- The page ------------------------------------------------------------------------------------


def run_page(monkeypatch: pytest.MonkeyPatch, data_dir: Path, viewer: Viewer | None = None) -> AppTest:
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    if viewer is not None:
        monkeypatch.setattr(shared_reads, "current_viewer", lambda: viewer)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def scalar(data_dir: Path, query: str, *params: object) -> Any:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()[0][0]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def table(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


PERSONS_SQL = """
select count(distinct person_key) from pathways
where date_entree <= make_date(?, 12, 31) and (date_sortie is null or date_sortie >= make_date(?, 1, 1))
"""
EXITS_SQL = "select count(*) from pathways where fin_parcours and year(date_sortie) = ? and categorie_sortie <> 'retrait'"


@pytest.fixture
def data_dir(altered_data_dir: Callable[..., Path]) -> Path:
    return altered_data_dir()


@pytest.fixture(scope="module")
def staff_page(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[AppTest, Path]:
    """The page as staff open it, on a copy of the demo, run once for the tests that only read it."""
    data_dir = tmp_path_factory.mktemp("parcours_equipe")
    target = DataLayout(data_dir).warehouse
    target.parent.mkdir(parents=True)
    shutil.copyfile(DataLayout(demo_data_dir).warehouse, target)
    with pytest.MonkeyPatch.context() as monkeypatch:
        return run_page(monkeypatch, data_dir), data_dir


def test_page_totals_match_sql(staff_page: tuple[AppTest, Path]) -> None:
    at, data_dir = staff_page
    assert at.title[0].value == "Parcours des personnes accompagnées"
    year = scalar(
        data_dir, "select max(greatest(year(date_entree), coalesce(year(date_sortie), 0))) from pathways"
    )
    assert at.selectbox(key="parcours_annee").value == year
    persons = scalar(data_dir, PERSONS_SQL, year, year)
    assert persons > 1_000  # the demo: about 3 000 persons over the years
    assert metric(at, "Personnes accompagnées") == fr_int(persons)
    exits = scalar(data_dir, EXITS_SQL, year)
    assert metric(at, "Sorties (hors retraits)") == fr_int(exits)
    dynamic = scalar(
        data_dir,
        EXITS_SQL + " and categorie_sortie in ('emploi_durable', 'emploi_transition', 'sortie_positive')",
        year,
    )
    assert metric(at, "Taux de sorties dynamiques") == fr_percent(dynamic / exits)
    entries = scalar(
        data_dir,
        "select count(distinct person_key) from pathways where etape = 1 and year(date_entree) = ?",
        year,
    )
    assert metric(at, "Entrées en parcours") == fr_int(entries)
    rates = table(at, "Sorties hors retraits (n)")
    assert rates["Pôle"].iloc[-1] == "Tout le réseau"
    assert rates["Sorties hors retraits (n)"].iloc[-1] == scalar(data_dir, EXITS_SQL, year)


def test_one_pole_matches_sql(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    at = run_page(monkeypatch, data_dir)
    at.selectbox(key="parcours_pole").set_value("phares").run()
    assert not at.exception
    year = at.selectbox(key="parcours_annee").value
    persons = scalar(data_dir, PERSONS_SQL + " and pole_id = ?", year, year, "phares")
    assert metric(at, "Personnes accompagnées") == fr_int(persons)
    assert metric(at, "Sorties (hors retraits)") == fr_int(
        scalar(data_dir, EXITS_SQL + " and pole_id = ?", year, "phares")
    )
    # The pole's own Sankey names its structures, and only its own.
    sankey = next(c for c in at.get("plotly_chart") if '"type":"sankey"' in c.proto.spec.replace(" ", ""))
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        others = {
            r[0]
            for r in con.execute(
                "select distinct structure from pathways where pole_id <> 'phares'"
            ).fetchall()
        }
        own = {
            r[0]
            for r in con.execute(
                "select distinct structure from pathways where pole_id = 'phares'"
            ).fetchall()
        }
    labels = set(re.findall(r'"label":\[(.*?)\]', sankey.proto.spec)[0].replace('"', "").split(","))
    assert labels & own and not (labels & (others - own))


def test_a_pole_viewer_cannot_read_another_poles_flows(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    wh = current_warehouse(data_dir)
    assert wh is not None
    viewer = Viewer("pole", "phares")
    with pytest.raises(PermissionError, match="parcours d'un autre pôle ne sont pas accessibles"):
        pw.flows(wh, viewer, "alpen", 2016)
    assert len(pw.flows(wh, viewer, "phares", 2016)) > 0
    # On the page, such a viewer is offered the network and its own pole only.
    at = run_page(monkeypatch, data_dir, viewer)
    assert at.selectbox(key="parcours_pole").options == ["Tout le réseau", "3. PHARES"]


def test_the_funder_sees_the_network_only(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    at = run_page(monkeypatch, data_dir, Viewer("funder"))
    assert at.selectbox(key="parcours_pole").options == ["Tout le réseau"]
    assert any("Le financeur consulte les chiffres du réseau" in i.value for i in at.info)
    assert not any("Sorties hors retraits (n)" in d.value.columns for d in at.dataframe)


def test_rqth_is_only_an_aggregate_on_the_page(staff_page: tuple[AppTest, Path]) -> None:
    at, data_dir = staff_page
    year = at.selectbox(key="parcours_annee").value
    characteristics = set(table(at, "Caractéristique")["Caractéristique"])
    assert characteristics == set(pw.BREAKDOWN_VARIABLES.values())
    assert "rqth" not in at.selectbox(key="parcours_variable").options
    rqth = scalar(data_dir, PERSONS_SQL + " and rqth", year, year)
    texts = [m.value for m in at.markdown if "RQTH" in m.value]
    assert len(texts) == 1 and fr_int(rqth) in texts[0]
    for frame in at.dataframe:
        assert not any("RQTH" in str(c) for c in frame.value.columns)


def test_no_category_or_table_code_on_the_page(staff_page: tuple[AppTest, Path]) -> None:
    at, _ = staff_page
    pattern = re.compile(
        r"(?<![\w/.])(" + "|".join([*CATEGORY_CODES, "pathways", "pathway_indicators"]) + r")(?![\w/])"
    )
    assert [t[:80] for t in page_text(at) if pattern.search(t)] == []
    # Structure names come from files: nothing on the page may render HTML.
    assert not any(m.proto.allow_html for m in [*at.markdown, *at.caption])

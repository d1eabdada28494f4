"""The working-angle pages (emploi mutualisé, création d'activités, qualité de l'emploi).

Headless runs (AppTest) on the demo warehouse: each page loads, says what it shows with units and
sample sizes, its totals are the warehouse's (summed here with DuckDB), small counts of persons
are shown « < 5 ». Tables and charts are also tested as pure functions on hand-built frames.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.creation import charts as creation_charts
from dashboards.creation import tables as creation_tables
from dashboards.shared import angle_charts, angle_tables
from dashboards.shared.table_format import display_frame
from ptce.paths import DataLayout
from ptce.read import angles
from ptce.read.base import STAFF, Viewer, Warehouse, current_warehouse, query
from tests.dashboards.test_no_raw_codes import codes, page_text
from tests.french import NNBSP, fr_int, fr_percent

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
DEMO_BANNER = "Données fictives de démonstration"
PAGES = {
    "mutualisation/page.py": "Emploi mutualisé",
    "creation/page.py": "Création d'activités",
    "qualite_emploi/page.py": "Qualité de l'emploi",
}
SMALL_CELL_NOTE = "« < 5 » : moins de 5 personnes"


def open_page(monkeypatch: pytest.MonkeyPatch, data_dir: Path, page: str) -> AppTest:
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    return at


def rows(data_dir: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def poles_table(at: AppTest) -> pd.DataFrame:
    """The table of the poles for the year (the page's first table, the network's is the second)."""
    return at.dataframe[0].value


@pytest.mark.parametrize(("page", "title"), PAGES.items())
def test_page_runs_with_title_units_sample_sizes_and_no_raw_code(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path, page: str, title: str
) -> None:
    at = open_page(monkeypatch, demo_data_dir, page)

    assert not at.exception
    assert [t.value for t in at.title] == [title]
    assert any(DEMO_BANNER in w.value for w in at.warning)
    year = rows(demo_data_dir, "select max(annee) from mart_network_year")[0][0]
    assert at.selectbox(key="annee").value == year
    # Every network figure has its sample size beneath: poles reporting out of the twelve.
    captions = [c.value for c in at.caption]
    assert sum(bool(re.match(r"\d+ pôles? sur 12 · ", c)) for c in captions) == len(at.metric) > 0
    # A chart of the poles, a chart of the years (and the funnels), tables of both.
    assert len(at.get("plotly_chart")) >= 2
    assert len(at.dataframe) == 2
    assert len(at.dataframe[0].value) == 12
    # No rule, table or field code, nor any indicator code, is shown.
    # (Codes that are French words, « pluriactifs », « membres », are in the labels themselves.)
    indicator_codes = {c for (c,) in rows(demo_data_dir, "select code from indicator_catalog") if "_" in c}
    pattern = re.compile(
        r"(?<![\w/.])("
        + "|".join(map(re.escape, sorted(codes(demo_data_dir) | indicator_codes)))
        + r")(?![\w/])"
    )
    assert [m.group(1) for text in page_text(at) for m in pattern.finditer(text)] == []


def test_shared_employment_total_and_small_counts_come_from_the_warehouse(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = open_page(monkeypatch, demo_data_dir, "mutualisation/page.py")
    year = at.selectbox(key="annee").value
    (total, poles), *_ = rows(
        demo_data_dir,
        "select sum(valeur), count(distinct pole_id) from mart_pole_year where code = ? and annee = ?",
        "salaries_partages",
        year,
    )
    assert metric(at, "Salariés en emploi partagé ou mis à disposition") == f"{fr_int(total)} personnes"
    etp = rows(
        demo_data_dir,
        "select sum(valeur) from mart_pole_year where code = 'etp_mutualises' and annee = ?",
        year,
    )[0][0]
    assert metric(at, "ETP mutualisés") == f"{etp:.1f}".replace(".", ",") + " ETP"
    assert f"{poles} pôles sur 12 · total des pôles" in [c.value for c in at.caption]

    # Every pole with 1 to 4 multi-activity workers is shown « < 5 » in the table of poles.
    small = rows(
        demo_data_dir,
        """
        select p.numero || '. ' || p.nom from mart_pole_year m join poles p using (pole_id)
        where m.code = 'pluriactifs' and m.annee = ? and m.valeur between 1 and 4
        """,
        year,
    )
    assert small, "la démo devrait avoir de petits effectifs de pluriactifs"
    shown = poles_table(at).set_index("Pôle")["Travailleurs pluriactifs accompagnés (personnes)"]
    for (pole,) in small:
        assert shown[pole] == "< 5"
    # No count from 1 to 4 is readable anywhere in that column, and the footnote explains the mask.
    assert not any(v in {"1", "2", "3", "4"} for v in shown)
    assert any(SMALL_CELL_NOTE in c.value for c in at.caption)


def test_quality_share_of_cdi_is_a_ratio_of_sums_with_its_population(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = open_page(monkeypatch, demo_data_dir, "qualite_emploi/page.py")
    first = rows(demo_data_dir, "select min(annee) from mart_network_year")[0][0]
    at.selectbox(key="annee").set_value(first).run()
    assert not at.exception

    (cdi, salaries), *_ = rows(
        demo_data_dir,
        """
        select sum(c.valeur), sum(s.valeur) from indicator_values c
        join indicator_values s on s.pole_id = c.pole_id and s.annee = c.annee
             and s.trimestre is null and s.code = 'salaries'
        where c.code = 'salaries_cdi' and c.annee = ? and c.trimestre is null
        """,
        first,
    )
    assert metric(at, "Part des salariés en CDI") == fr_percent(cdi / salaries)
    population = f"sur {fr_int(salaries)} salariés des structures membres"
    assert any(c.value.endswith(f"rapport des sommes, {population}") for c in at.caption)
    # Representation of employees, yes/no by pole: the network figure is the share of poles saying yes.
    yes, n = rows(
        demo_data_dir,
        "select sum(valeur), count(*) from mart_pole_year where code = 'representation_salaries' and annee = ?",
        first,
    )[0]
    assert metric(at, "Représentation des salariés dans la gouvernance : part des pôles") == fr_percent(
        yes / n
    )


def test_creation_funnels_follow_the_stages_for_the_network_and_a_pole(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    at = open_page(monkeypatch, demo_data_dir, "creation/page.py")
    year = at.selectbox(key="annee").value
    funnels = [c for c in at.get("plotly_chart") if '"type":"funnel"' in c.proto.spec.replace(" ", "")]
    assert len(funnels) == 2
    porteurs = rows(
        demo_data_dir,
        "select sum(valeur) from mart_pole_year where code = 'porteurs_accompagnes' and annee = ?",
        year,
    )[0][0]
    assert f"{fr_int(porteurs)} personnes" in funnels[0].proto.spec

    at.selectbox(key="entonnoir_pole").set_value("phares").run()
    assert not at.exception
    assert (
        "PHARES en " in next(c for c in at.get("plotly_chart") if "entonnoir_pole" in c.proto.id).proto.spec
    )


# --- Pure functions --------------------------------------------------------------------------


def by_pole_frame() -> pd.DataFrame:
    """Three poles, a count of persons (one masked by the read layer) and a share with its population."""
    base = {"pole_id": ["a", "b", "c"], "numero": [1, 2, 3], "nom": ["Alpha", "Bêta", "Gamma"]}
    count = pd.DataFrame(
        {
            **base,
            "code": "pluriactifs",
            "libelle": "Travailleurs pluriactifs accompagnés",
            "unite": "personnes",
            "personnes": True,
            "derive": False,
            "valeur": [12.0, None, None],
            "masque": [None, "< 5", None],
            "denominateur": None,
        }
    )
    share = pd.DataFrame(
        {
            **base,
            "code": "part_cdi",
            "libelle": "Part des salariés en CDI",
            "unite": "%",
            "personnes": False,
            "derive": True,
            "valeur": [0.5, 0.25, None],
            "masque": [None, None, None],
            "denominateur": [300.0, 40.0, None],
        }
    )
    return pd.concat([count, share], ignore_index=True)


def test_poles_table_shows_masks_units_and_the_population_of_a_share() -> None:
    table = angle_tables.poles_table(by_pole_frame(), {"part_cdi": "Salariés des structures membres"})
    shown = display_frame(table)

    assert list(shown.columns) == [
        "Pôle",
        "Travailleurs pluriactifs accompagnés (personnes)",
        "Part des salariés en CDI (%)",
        "Salariés des structures membres (effectif de référence)",
    ]
    assert shown["Pôle"].tolist() == ["1. Alpha", "2. Bêta", "3. Gamma"]
    assert shown["Travailleurs pluriactifs accompagnés (personnes)"].tolist() == ["12", "< 5", "–"]
    assert shown["Part des salariés en CDI (%)"].tolist() == ["50,0 %", "25,0 %", "–"]
    assert shown["Salariés des structures membres (effectif de référence)"].tolist() == ["300", "40", "–"]


def test_sample_text_says_poles_aggregation_and_population() -> None:
    row = pd.Series(
        {
            "nb_poles": 11,
            "nb_poles_total": 12,
            "agregation_poles": "ratio",
            "unite": "%",
            "derive": True,
            "denominateur": 3817.0,
        }
    )
    text = angle_tables.sample_text(row, "Salariés des structures membres")
    assert text == f"11 pôles sur 12 · rapport des sommes, sur 3{NNBSP}817 salariés des structures membres"
    hidden = angle_tables.sample_text(row.copy().replace({3817.0: None}), "Salariés des structures membres")
    assert hidden.endswith("effectif salariés des structures membres masqué (secret statistique)")
    one = pd.Series(
        {
            "nb_poles": 1,
            "nb_poles_total": 12,
            "agregation_poles": "moyenne",
            "unite": "oui/non",
            "derive": False,
        }
    )
    assert angle_tables.sample_text(one) == "1 pôle sur 12 · part des pôles répondant oui"


def test_poles_chart_writes_units_and_masks_without_a_bar() -> None:
    rows_ = by_pole_frame()
    fig = angle_charts.poles_figure(rows_[rows_["code"] == "pluriactifs"], 2017)

    assert fig.layout.title.text == "Travailleurs pluriactifs accompagnés par pôle en 2017 (personnes)"
    bar = fig.data[0]
    assert list(bar.x) == [12.0, None, None]
    assert list(bar.text) == ["12 personnes", "< 5", "–"]
    assert [a.text for a in fig.layout.annotations] == ["< 5", "–"]
    shares = angle_charts.poles_figure(rows_[rows_["code"] == "part_cdi"], 2017)
    assert list(shares.data[0].x) == [50.0, 25.0, None]  # rates drawn in percent
    assert shares.layout.xaxis.ticksuffix == " %"


def network_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "annee": [2016, 2017, 2016, 2017],
            "code": ["salaries_partages", "salaries_partages", "part_cdi", "part_cdi"],
            "libelle": [
                "Salariés en emploi partagé",
                "Salariés en emploi partagé",
                "Part des salariés en CDI",
                "Part des salariés en CDI",
            ],
            "unite": ["personnes", "personnes", "%", "%"],
            "agregation_poles": ["somme", "somme", "ratio", "ratio"],
            "personnes": [True, True, False, False],
            "derive": [False, False, True, True],
            "valeur": [75.0, 83.0, 0.52, 0.53],
            "mediane": [5.0, 4.5, 0.55, 0.51],
            "nb_poles": [12, 12, 12, 11],
            "nb_poles_total": [12, 12, 12, 12],
            "denominateur": [None, None, 3601.0, 3817.0],
        }
    )


def test_network_chart_total_for_counts_ratio_and_median_for_shares() -> None:
    fig = angle_charts.network_figure(network_frame())

    series = [(t.meta["code"], t.meta["serie"]) for t in fig.data]
    assert series == [("salaries_partages", "reseau"), ("part_cdi", "reseau"), ("part_cdi", "mediane")]
    assert fig.data[0].name == "Réseau"  # the legend's entry; the hover says how it is made
    assert "Réseau (total des pôles)" in fig.data[0].hovertemplate
    assert list(fig.data[0].y) == [75.0, 83.0]
    assert fig.data[1].name == "Réseau (rapport des sommes)"
    assert list(fig.data[1].y) == pytest.approx([52.0, 53.0])
    assert [a.text for a in fig.layout.annotations] == [
        "Salariés en emploi partagé",
        "Part des salariés en CDI",
    ]
    assert fig.layout.yaxis.title.text == "personnes"
    assert fig.layout.yaxis2.ticksuffix == " %"


def test_network_table_has_sample_sizes() -> None:
    shown = display_frame(
        angle_tables.network_table(network_frame(), {"part_cdi": "Salariés des structures membres"})
    )
    last = shown.iloc[-1]
    assert last["Valeur du réseau"] == "53,0 %"
    assert last["Calcul"] == "rapport des sommes"
    assert (last["Pôles ayant transmis"], last["Pôles du réseau"]) == ("11", "12")
    assert last["Effectif de référence"] == f"3{NNBSP}817"
    assert shown.iloc[0]["Valeur du réseau"] == "75 personnes"


def test_funnel_keeps_the_stage_order_and_writes_each_unit() -> None:
    stages = pd.DataFrame(
        {
            "code": list(creation_tables.FUNNEL),
            "libelle": [
                "Porteurs de projet accompagnés",
                "Activités créées",
                "Entrepreneurs-salariés",
                "Emplois créés",
            ],
            "unite": ["personnes", "nombre", "personnes", "emplois"],
            "valeur": [237.0, 55.0, None, 76.0],
            "masque": [None, None, "< 5", None],
        }
    )
    fig = creation_charts.funnel_figure(stages, "Réseau en 2017")

    funnel = fig.data[0]
    assert funnel.type == "funnel"
    # Labels may wrap (`<br>`) but keep the stage order.
    assert [y.replace("<br>", " ") for y in funnel.y] == [
        "Porteurs de projet accompagnés",
        "Activités créées",
        "Entrepreneurs-salariés (< 5)",
        "Emplois créés",
    ]
    assert list(funnel.text) == ["237 personnes", "55", "< 5", "76 emplois"]
    assert list(funnel.x) == [237.0, 55.0, None, 76.0]
    assert fig.layout.title.text == "Réseau en 2017"


def test_network_stages_follow_the_funnel_order() -> None:
    codes = list(reversed(creation_tables.FUNNEL))  # emplois, entrepreneurs, activités, porteurs
    people = [c in {"entrepreneurs_salaries", "porteurs_accompagnes"} for c in codes]
    values = [76.0, None, 55.0, 237.0]  # the entrepreneurs' total hidden by small cells
    network = pd.DataFrame({"annee": 2017, "code": codes, "libelle": codes, "unite": "nombre"})
    network = network.assign(personnes=people, valeur=values)
    stages = creation_tables.network_stages(network, 2017)
    assert stages["code"].tolist() == list(creation_tables.FUNNEL)
    assert stages["masque"].tolist() == [None, None, "s", None]


def test_read_layer_hides_a_lone_small_count_and_one_more_pole_to_protect_the_total(
    altered_data_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One pole with 2 shared employees, the others 10: « < 5 », and one « s » so the total cannot
    give the 2 back; a pole with 3 employees in involuntary part-time: its share is hidden too."""
    data_dir = altered_data_dir(
        "update mart_pole_year set valeur = 10 where code = 'salaries_partages' and annee = 2017",
        "update mart_pole_year set valeur = 2 where code = 'salaries_partages' and annee = 2017 and pole_id = 'phares'",
        "update mart_pole_year set valeur = 30 where code = 'temps_partiel_subi' and annee = 2017",
        "update mart_pole_year set valeur = 3 where code = 'temps_partiel_subi' and annee = 2017 and pole_id = 'esci'",
    )
    at = open_page(monkeypatch, data_dir, "mutualisation/page.py")
    at.selectbox(key="annee").set_value(2017).run()
    shown = poles_table(at).set_index("Pôle")["Salariés en emploi partagé ou mis à disposition (personnes)"]
    assert shown["3. PHARES"] == "< 5"
    assert (shown == "< 5").sum() == 1
    assert (shown == "s").sum() == 1
    assert set(shown[(shown != "< 5") & (shown != "s")]) == {"10"}
    # The network total stays published: the two hidden cells cannot be told apart from it.
    assert metric(at, "Salariés en emploi partagé ou mis à disposition") == "112 personnes"

    at = open_page(monkeypatch, data_dir, "qualite_emploi/page.py")
    at.selectbox(key="annee").set_value(2017).run()
    quality = poles_table(at).set_index("Pôle")
    assert (
        quality.loc[
            "11. Entrepreneurs Solidaires en Centre Isère", "Salariés à temps partiel subi (personnes)"
        ]
        == "< 5"
    )
    assert (
        quality.loc[
            "11. Entrepreneurs Solidaires en Centre Isère", "Part des salariés à temps partiel subi (%)"
        ]
        == "s"
    )


@pytest.mark.parametrize(
    ("domain", "extra"), [("mutualisation", ()), ("creation", ()), ("qualite", ("part_cdi",))]
)
def test_read_layer_never_lets_a_small_count_of_persons_out(
    demo_data_dir: Path, domain: str, extra: tuple[str, ...]
) -> None:
    wh = current_warehouse(demo_data_dir)
    assert wh is not None
    for (year,) in rows(demo_data_dir, "select distinct annee from mart_pole_year"):
        by_pole = angles.angle_poles(wh, STAFF, domain, year, extra)
        people = by_pole[by_pole["personnes"]]
        assert not people["valeur"].between(1, 4).any()
        # Every small count in the warehouse is masked « < 5 » by the read.
        small = rows(
            demo_data_dir,
            """
            select m.pole_id, m.code from mart_pole_year m join indicator_catalog c using (code)
            where c.personnes and c.domaine = ? and m.annee = ? and m.valeur between 1 and 4
            """,
            domain,
            year,
        )
        masks = people.set_index(["pole_id", "code"])["masque"]
        assert all(masks[key] == "< 5" for key in small)
        # A masked value is never given to a chart.
        assert by_pole.loc[by_pole["masque"].notna(), "valeur"].isna().all()


def angle_poles_as_before(wh: Warehouse, domain: str, year: int, extra: tuple[str, ...]) -> pd.DataFrame:
    """`angles.angle_poles` as it was before the national scale (a query for the angle's rows,
    then stack and merges, 36 ms at 2,000 poles): the reference the faster read must equal."""
    indicators = angles.angle_indicators(wh, STAFF, domain, extra)
    poles = query(wh, "select pole_id, numero, nom from poles order by numero")
    codes = list(indicators["code"])
    year_data = angles.protected_catalogue(wh)[1].get(int(year))
    if year_data is None:
        year_data = angles.protect_year(pd.DataFrame(), indicators, set(), list(poles["pole_id"]))
    dens = year_data.dens[codes].where(~year_data.den_hidden[codes])

    def long(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        out = frame.rename_axis(index="pole_id", columns="code").stack(future_stack=True)
        return out.rename(name).reset_index()

    frame = long(year_data.values[codes], "valeur").merge(
        long(year_data.labels[codes], "masque"), on=["pole_id", "code"]
    )
    frame = frame.merge(long(dens, "denominateur"), on=["pole_id", "code"])
    frame["masque"] = frame["masque"].astype(object).where(frame["masque"].notna(), None)
    attributes = indicators[["code", "libelle", "unite", "personnes", "derive"]]
    frame = poles.merge(frame, on="pole_id").merge(attributes, on="code")
    order = {code: i for i, code in enumerate(indicators["code"])}
    frame = frame.sort_values(["numero", "code"], key=lambda s: s.map(order) if s.name == "code" else s)
    columns = ["pole_id", "numero", "nom", "code", "libelle", "unite", "personnes", "derive"]
    return frame[[*columns, "valeur", "masque", "denominateur"]].reset_index(drop=True)


@pytest.mark.parametrize(
    ("domain", "extra"), [("mutualisation", ()), ("creation", ()), ("qualite", ("part_cdi",))]
)
def test_angle_poles_is_the_frame_it_was(demo_data_dir: Path, domain: str, extra: tuple[str, ...]) -> None:
    wh = current_warehouse(demo_data_dir)
    assert wh is not None
    years = [y for (y,) in rows(demo_data_dir, "select distinct annee from mart_pole_year")]
    for year in [*years, min(years) - 5]:  # and a year without any value
        expected = angle_poles_as_before(wh, domain, year, extra)
        pd.testing.assert_frame_equal(angles.angle_poles(wh, STAFF, domain, year, extra), expected)


def angle_network_as_before(
    wh: Warehouse, viewer: Viewer, domain: str, extra: tuple[str, ...]
) -> pd.DataFrame:
    """`angles.angle_network` as it was before the national scale (three queries, then a pandas loop
    over years × indicators, 45 ms at 2,000 poles): the reference the faster read must equal."""
    indicators = angles.angle_indicators(wh, viewer, domain, extra)
    people = angles.person_codes(wh, indicators)
    network = query(
        wh,
        """
        select n.annee, n.code, n.valeur, n.mediane, n.nb_poles,
               -- the poles that were members at some time that year (joined by its end, not left
               -- before its start): a pole added later or gone earlier owes nothing for it
               (select count(*) from poles p
                where (p.date_adhesion is null or year(p.date_adhesion) <= n.annee)
                  and (p.date_depart is null or year(p.date_depart) >= n.annee)) as nb_poles_total
        from mart_network_year n
        where list_contains(?, n.code)
        order by n.annee
        """,
        [list(indicators["code"])],
    )
    rows = []
    for year, data in sorted(angles.protected_catalogue(wh)[1].items()):
        for ind in indicators.itertuples(index=False):
            # A share's population over the poles: withheld when it would give one masked pole away.
            den = data.dens[ind.code]
            hidden = int((data.den_hidden[ind.code] & den.notna()).sum())
            rows.append(
                {
                    "annee": int(year),
                    "code": ind.code,
                    "total_protege": data.totals[ind.code],
                    "denominateur": den.sum(min_count=1) if hidden != 1 else np.nan,
                    "pole_masque": bool(data.labels[ind.code].notna().any()),
                }
            )
    protected = pd.DataFrame(rows, columns=["annee", "code", "total_protege", "denominateur", "pole_masque"])
    frame = network.merge(protected, on=["annee", "code"], how="left")
    is_count = frame["code"].isin(people)
    frame["valeur"] = frame["valeur"].where(~is_count, frame["total_protege"])
    if viewer.role != "staff":
        # The median of the poles' counts can be one pole's masked count (or the mean of two).
        hidden = is_count & frame["pole_masque"].fillna(False).astype(bool)
        frame["mediane"] = frame["mediane"].where(~hidden)
    attributes = indicators[["code", "libelle", "unite", "agregation_poles", "personnes", "derive"]]
    frame = frame.merge(attributes, on="code")
    order = {code: i for i, code in enumerate(indicators["code"])}
    frame = frame.sort_values(["code", "annee"], key=lambda s: s.map(order) if s.name == "code" else s)
    columns = ["annee", "code", "libelle", "unite", "agregation_poles", "personnes", "derive"]
    return frame[[*columns, "valeur", "mediane", "nb_poles", "nb_poles_total", "denominateur"]].reset_index(
        drop=True
    )


@pytest.mark.parametrize("viewer", [STAFF, Viewer("funder")])
def test_angle_network_is_the_frame_it_was(demo_data_dir: Path, viewer: Viewer) -> None:
    wh = current_warehouse(demo_data_dir)
    assert wh is not None
    for domain, extra in [
        ("mutualisation", ()),
        ("creation", ()),
        ("qualite", ("part_cdi",)),
        ("inconnu", ()),
    ]:
        expected = angle_network_as_before(wh, viewer, domain, extra)
        pd.testing.assert_frame_equal(
            angles.angle_network(wh, viewer, domain, extra), expected, check_exact=True
        )


def many_poles_frame(n: int, unite: str = "personnes", seed: int = 16) -> pd.DataFrame:
    """`n` generated poles for one indicator: values, ties, masked small counts and gaps."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 50, n).astype(float) if unite != "oui/non" else rng.integers(0, 2, n) * 1.0
    masks = np.full(n, None, dtype=object)
    masks[rng.random(n) < 0.1] = "< 5"
    values[masks != None] = np.nan  # noqa: E711 - element-wise on an object array
    values[rng.random(n) < 0.1] = np.nan
    return pd.DataFrame(
        {
            "pole_id": [f"P{i:04d}" for i in range(n)],
            "numero": range(1, n + 1),
            "nom": [f"Pôle {i}" for i in range(1, n + 1)],
            "code": "pluriactifs",
            "libelle": "Travailleurs pluriactifs accompagnés",
            "unite": unite,
            "personnes": True,
            "derive": False,
            "valeur": values,
            "masque": masks,
            "denominateur": None,
        }
    )


def test_poles_chart_at_scale_keeps_the_highest_values_and_the_viewers_pole() -> None:
    rows_ = many_poles_frame(200)
    masked = rows_[rows_["masque"].notna()].iloc[0]
    fig = angle_charts.poles_figure(rows_, 2024, viewer_pole=masked["pole_id"])

    bar = fig.data[0]
    assert len(fig.data) == 1 and len(bar.y) == angle_charts.TOP_POLES + 1
    valued = rows_.dropna(subset=["valeur"]).sort_values(["valeur", "numero"], ascending=[False, True])
    top = valued.head(angle_charts.TOP_POLES)
    expected = [f"{n}. {nom}" for n, nom in zip(top["numero"], top["nom"], strict=True)]
    assert list(bar.y) == [*expected, f"{masked['numero']}. {masked['nom']}"]
    assert list(bar.x[:-1]) == top["valeur"].tolist() and bar.x[-1] is None
    # The viewer's pole is in its own colour, its masked value written at the axis: one annotation.
    assert list(bar.marker.color) == [angle_charts.POLE_COLOR] * angle_charts.TOP_POLES + [
        angle_charts.VIEWER_COLOR
    ]
    assert [a.text for a in fig.layout.annotations] == ["< 5"]
    n_masked, n_missing = int(rows_["masque"].notna().sum()), int(rows_["valeur"].isna().sum())
    assert f"sur {len(valued)} pôles ayant une valeur publiée" in fig.layout.title.text
    assert f"{n_masked} valeurs masquées" in fig.layout.title.text
    assert f"{n_missing - n_masked} pôles sans valeur" in fig.layout.title.text
    # Staff (no pole of their own): the top only, no annotation.
    staff = angle_charts.poles_figure(rows_, 2024)
    assert len(staff.data[0].y) == angle_charts.TOP_POLES and not staff.layout.annotations


def test_poles_chart_at_scale_counts_the_poles_by_answer_for_yes_no() -> None:
    rows_ = many_poles_frame(300, unite="oui/non")
    fig = angle_charts.poles_figure(rows_, 2024, viewer_pole="P0003")

    bar = fig.data[0]
    assert list(bar.x) == ["oui", "non", "masqué (secret statistique)", "sans valeur"]
    assert list(bar.y) == [
        int((rows_["valeur"] == 1).sum()),
        int((rows_["valeur"] == 0).sum()),
        int(rows_["masque"].notna().sum()),
        int((rows_["valeur"].isna() & rows_["masque"].isna()).sum()),
    ]
    assert sum(bar.y) == 300
    own = rows_.set_index("pole_id").loc["P0003"]
    if isinstance(own["masque"], str):
        answer = own["masque"]
    elif pd.isna(own["valeur"]):
        answer = "–"
    else:
        answer = "oui" if own["valeur"] == 1 else "non"
    assert fig.layout.title.text.endswith(f"votre pôle : {answer}</span>")


def test_poles_chart_up_to_the_limit_has_a_bar_per_pole_and_an_annotation_per_gap() -> None:
    rows_ = many_poles_frame(angle_charts.ONE_BAR_PER_POLE)
    fig = angle_charts.poles_figure(rows_, 2024, viewer_pole="P0003")

    assert len(fig.data[0].y) == angle_charts.ONE_BAR_PER_POLE  # every pole, in number order
    assert list(fig.data[0].y[:2]) == ["1. Pôle 1", "2. Pôle 2"]
    assert len(fig.layout.annotations) == int(rows_["valeur"].isna().sum())
    assert fig.data[0].marker.color == angle_charts.POLE_COLOR  # the demo's chart, unchanged

"""Chart builders on small frames: traces, values, French labels and number formats, the map."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboards.overview import charts as overview_charts
from dashboards.pole import charts as pole_charts
from dashboards.quality import charts as quality_charts
from ptce.reference import load_poles

NNBSP = "\u202f"  # Babel puts a narrow no-break space between thousands in fr_FR


def network_frame() -> pd.DataFrame:
    rows = []
    for annee, salaries, taux in [(2015, 1200.0, 0.452), (2016, 1234.0, 0.5), (2017, 1300.0, 0.61)]:
        rows.append(
            {
                "annee": annee,
                "code": "salaries",
                "libelle": "Salariés",
                "unite": "personnes",
                "valeur": salaries,
            }
        )
        rows.append(
            {"annee": annee, "code": "taux", "libelle": "Taux de sorties", "unite": "%", "valeur": taux}
        )
    return pd.DataFrame(rows)


def test_network_domain_figure_one_subplot_per_indicator_rates_in_percent() -> None:
    fig = overview_charts.network_domain_figure(network_frame())

    assert [t.meta["code"] for t in fig.data] == ["salaries", "taux"]
    salaries, taux = fig.data
    assert list(salaries.x) == [2015, 2016, 2017]
    assert list(salaries.y) == [1200.0, 1234.0, 1300.0]
    assert list(taux.y) == pytest.approx([45.2, 50.0, 61.0])
    # Hover texts are French: space thousands separator, decimal comma, "%" after a space.
    # Each tooltip and each value axis carries its unit.
    assert salaries.customdata[1] == f"1{NNBSP}234 personnes"
    assert taux.customdata[0] == "45,2 %"
    assert fig.layout.separators == ", "
    assert fig.layout.yaxis.title.text == "personnes"
    assert fig.layout.yaxis2.title.text == "%"
    assert fig.layout.yaxis2.ticksuffix == " %"
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["Salariés", "Taux de sorties"]
    # Years are labels, not numbers with a thousands separator.
    assert list(fig.layout.xaxis.ticktext) == ["2015", "2016", "2017"]


def test_network_domain_figure_yes_no_indicator_is_a_share_of_poles() -> None:
    frame = pd.DataFrame(
        [{"annee": 2016, "code": "repr", "libelle": "Représentation", "unite": "oui/non", "valeur": 0.75}]
    )
    (trace,) = overview_charts.network_domain_figure(frame).data
    assert list(trace.y) == [75.0]
    assert trace.customdata[0] == "75,0 %"


def test_small_chart_titles_are_whole_and_say_what_is_plotted() -> None:
    label = "Représentation des salariés dans la gouvernance (1 = oui, 0 = non)"
    frame = pd.DataFrame(
        [
            {"annee": 2016, "code": "repr", "libelle": label, "unite": "oui/non", "valeur": 0.75},
            {
                "annee": 2016,
                "code": "heures",
                "libelle": "Heures de formation par personne accompagnée",
                "unite": "heures",
                "valeur": 12.5,
            },
        ]
    )
    fig = overview_charts.network_domain_figure(frame)
    titles = [a.text for a in fig.layout.annotations]
    # The network plots the share of poles: the yes/no coding note would be wrong, and is gone.
    assert all("1 = oui" not in t for t in titles)
    assert titles[0].replace("<br>", " ") == (
        "Représentation des salariés dans la gouvernance : part des pôles"
    )
    # Long titles wrap instead of running into the next chart; the top margin makes room for them.
    assert all(len(line) <= 42 for t in titles for line in t.split("<br>"))
    assert max(t.count("<br>") for t in titles) >= 1
    assert fig.layout.margin.t >= 16 * (max(t.count("<br>") for t in titles) + 1)
    assert fig.data[1].customdata[0] == "12,5 heures"


def pole_frame() -> pd.DataFrame:
    rows = []
    for annee, membres, med_membres, taux, med_taux in [
        (2015, 10.0, 12.0, 0.4, 0.5),
        (2016, 14.0, 13.5, None, 0.55),
    ]:
        rows.append(
            {
                "annee": annee,
                "code": "membres",
                "libelle": "Structures membres",
                "unite": "nombre",
                "valeur": membres,
                "mediane_reseau": med_membres,
            }
        )
        rows.append(
            {
                "annee": annee,
                "code": "taux",
                "libelle": "Taux",
                "unite": "%",
                "valeur": taux,
                "mediane_reseau": med_taux,
            }
        )
    return pd.DataFrame(rows)


def test_pole_domain_figure_pole_line_beside_network_median() -> None:
    fig = pole_charts.pole_domain_figure(pole_frame(), "Pôle <b>test</b>")

    assert len(fig.data) == 4  # median and pole, for each of the two indicators
    median, pole = fig.data[0], fig.data[1]
    assert median.name == "Médiane des pôles"
    assert median.line.dash == "dash"
    assert list(median.y) == [12.0, 13.5]
    assert list(pole.y) == [10.0, 14.0]
    # Names from the warehouse are escaped for Plotly's pseudo-HTML.
    assert pole.name == "Pôle &lt;b&gt;test&lt;/b&gt;"
    # One legend entry per series, not one per subplot.
    assert [t.showlegend for t in fig.data] == [True, True, False, False]
    taux_pole = fig.data[3]
    assert taux_pole.y[0] == pytest.approx(40.0)
    assert taux_pole.y[1] is None  # a missing year stays a gap, not zero
    assert taux_pole.customdata[1] == "–"
    assert fig.layout.separators == ", "


def poles_frame() -> pd.DataFrame:
    return pd.DataFrame([p.__dict__ for p in load_poles()])


def test_france_map_has_outline_and_twelve_numbered_poles() -> None:
    fig = overview_charts.france_map_figure(poles_frame())

    outline, markers = fig.data
    assert outline.fill == "toself"
    assert outline.hoverinfo == "skip"
    assert len([x for x in outline.x if x is not None]) > 200
    assert list(markers.text) == [str(n) for n in range(1, 13)]
    assert len(markers.x) == 12
    nom, commune, departement = markers.customdata[0]
    assert (nom, commune, departement) == ("Pôle de Coopération Sud Aquitain", "Tarnos", "Landes (40)")
    # Every pole lies within the drawn outline's bounding box.
    xs = [x for x in outline.x if x is not None]
    ys = [y for y in outline.y if y is not None]
    assert all(min(xs) <= x <= max(xs) for x in markers.x)
    assert all(min(ys) <= y <= max(ys) for y in markers.y)
    assert fig.layout.yaxis.scaleanchor == "x"
    assert "Natural Earth" in fig.layout.annotations[0].text


def test_map_projection_and_marker_spread() -> None:
    sud_aquitain = load_poles()[0]
    fig = overview_charts.france_map_figure(poles_frame())
    markers = fig.data[1]
    # An isolated pole is drawn where it is: x = lon × cos(46,5°), y = lat.
    assert markers.x[0] == pytest.approx(sud_aquitain.longitude * math.cos(math.radians(46.5)))
    assert markers.y[0] == pytest.approx(sud_aquitain.latitude)
    # Poles close together (Voiron, Grenoble) are nudged apart so both numbers stay readable.
    points = list(zip(markers.x, markers.y, strict=True))
    gaps = [math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1 :]]
    assert min(gaps) >= overview_charts.MARKER_MIN_DISTANCE - 1e-9


def test_spread_markers_leaves_distant_points_alone() -> None:
    points = [(0.0, 0.0), (0.1, 0.0), (5.0, 5.0), (5.0, 5.0)]
    moved = overview_charts.spread_markers(points, min_distance=1.0)
    assert math.dist(moved[0], moved[1]) >= 1.0 - 1e-9
    assert math.dist(moved[2], moved[3]) >= 1.0 - 1e-9
    assert moved[0][1] == pytest.approx(0.0)  # pushed along the line joining them


def test_france_outline_file_is_small_metropolitan_and_attributed() -> None:
    outline = overview_charts.load_france_outline()
    feature = outline["features"][0]
    assert "Natural Earth" in feature["properties"]["source"]
    polygons = feature["geometry"]["coordinates"]
    points = [pt for polygon in polygons for ring in polygon for pt in ring]
    assert 150 <= len(points) <= 1000
    assert all(-6 <= lon <= 10 and 41 <= lat <= 52 for lon, lat in points)
    # Mainland first, and Corsica is there.
    assert any(min(lon for lon, _ in poly[0]) > 8.3 for poly in polygons[1:])


def completeness_frame() -> pd.DataFrame:
    def cell(
        pole_id: str, nom: str, numero: int, annee: int, taux: float | None, statut: str, late: bool
    ) -> dict:
        return {
            "pole_id": pole_id,
            "pole_nom": nom,
            "numero": numero,
            "annee": annee,
            "taux": taux,
            "statut": statut,
            "en_retard": late,
            "nb_valeurs": int((taux or 0) * 30),
            "nb_attendues": 30,
            "premiere_reception": pd.Timestamp(f"{annee + 1}-04-10") if taux else None,
            "echeance": pd.Timestamp(f"{annee + 1}-03-31"),
        }

    return pd.DataFrame(
        [
            cell("phares", "PHARES <b>", 2, 2016, 1.0, "complet", True),
            cell("sud_aquitain", "Pôle Sud Aquitain", 1, 2016, 0.5, "partiel", False),
            cell("sud_aquitain", "Pôle Sud Aquitain", 1, 2015, 0.0, "manquant", False),
            cell("phares", "PHARES <b>", 2, 2015, None, "à venir", False),
        ]
    )


def test_completeness_figure_poles_by_years_coloured_by_rate() -> None:
    fig = quality_charts.completeness_figure(completeness_frame())

    (heatmap,) = fig.data
    assert list(heatmap.x) == ["2015", "2016"]
    # Pole order (numero), names escaped for Plotly's pseudo-HTML.
    assert list(heatmap.y) == ["Pôle Sud Aquitain", "PHARES &lt;b&gt;"]
    assert fig.layout.yaxis.autorange == "reversed"
    # A submission not yet due is blank, not red.
    assert [list(r) for r in heatmap.z] == [[0.0, 0.5], [None, 1.0]]
    assert [list(r) for r in heatmap.text] == [["manquant", "partiel"], ["à venir", "complet · en retard"]]
    assert (heatmap.zmin, heatmap.zmax) == (0, 1)
    hover = heatmap.customdata[1][1]
    assert "15 valeur(s) sur 30" in heatmap.customdata[0][1]
    assert "Première réception : 10/04/2017" in hover and "Échéance : 31/03/2017" in hover
    assert "Première réception : –" in heatmap.customdata[0][0]

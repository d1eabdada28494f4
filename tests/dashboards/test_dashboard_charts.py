"""Chart builders on small frames: traces, values, French labels and number formats, the map."""

from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboards.overview import charts as overview_charts
from dashboards.pole import charts as pole_charts
from dashboards.quality import charts as quality_charts
from dashboards.shared import maps
from pipelines.shared.scale import ScaleSpec, scale_poles
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
    """The twelve poles of the reference as `reads.poles_year_table` gives them, with staff counts.

    Pole n° 3 sent no value; the others have 100 × their number (n° 12: 1 200).
    """
    frame = pd.DataFrame([p.__dict__ for p in load_poles()])
    frame["salaries"] = [None if n == 3 else 100.0 * n for n in frame["numero"]]
    frame["taux"] = [None if n == 3 else n / 20 for n in frame["numero"]]
    return frame


def map_figure(code: str = "salaries", unite: str = "personnes") -> go.Figure:
    return overview_charts.france_map_figure(poles_frame(), code, "Salariés en 2017", unite)


def map_traces(fig: go.Figure) -> tuple[go.Scatter, go.Scatter, go.Scatter, go.Scatter]:
    """Outline, leader lines, poles with a value, poles without."""
    outline, leaders, valued, missing = fig.data
    return outline, leaders, valued, missing


def test_france_map_has_outline_and_twelve_numbered_poles() -> None:
    outline, _, valued, missing = map_traces(map_figure())

    assert outline.fill == "toself"
    assert outline.hoverinfo == "skip"
    assert len([x for x in outline.x if x is not None]) > 200
    assert sorted([*valued.text, *missing.text], key=int) == [str(n) for n in range(1, 13)]
    ids = {p.pole_id for p in load_poles()}
    assert {c[0] for c in [*valued.customdata, *missing.customdata]} == ids  # what a click hands the page
    _, nom, lieu, valeur = valued.customdata[0]
    assert (nom, lieu, valeur) == (
        "Pôle de Coopération Sud Aquitain",
        "Tarnos · Landes (40)",
        "100 personnes",
    )
    # Every pole lies within the drawn outline's bounding box.
    xs = [x for x in outline.x if x is not None]
    ys = [y for y in outline.y if y is not None]
    assert all(min(xs) <= x <= max(xs) for x in [*valued.x, *missing.x])
    assert all(min(ys) <= y <= max(ys) for y in [*valued.y, *missing.y])
    fig = map_figure()
    assert fig.layout.yaxis.scaleanchor == "x"
    assert "Natural Earth" in fig.layout.annotations[0].text


def test_map_colours_poles_by_the_chosen_figure_with_its_unit() -> None:
    fig = map_figure()
    _, _, valued, _ = map_traces(fig)
    numbers = [int(t) for t in valued.text]
    # The colour is the value itself, on a scale from the lowest pole to the highest.
    assert list(valued.marker.color) == [100.0 * n for n in numbers]
    assert (valued.marker.cmin, valued.marker.cmax) == (100.0, 1200.0)
    bar = valued.marker.colorbar
    assert bar.title.text == "Salariés en 2017 (personnes)"
    assert bar.orientation == "h"
    assert fig.layout.separators == ", "  # colour-bar ticks in French
    # Hover in French: the pole, its place, the figure's value in its unit, and what a click does.
    twelve = valued.customdata[numbers.index(12)]
    assert twelve[3] == f"1{NNBSP}200 personnes"
    assert "Salariés en 2017 : %{customdata[3]}" in valued.hovertemplate
    assert "Cliquer pour ouvrir la fiche du pôle" in valued.hovertemplate
    # The number on a light marker is dark, on a dark one white.
    colours = list(valued.textfont.color)
    assert colours[numbers.index(1)] == overview_charts.MARKER_TEXT_DARK
    assert colours[numbers.index(12)] == "white"


def test_map_rates_in_percent_on_the_colour_bar() -> None:
    _, _, valued, _ = map_traces(
        overview_charts.france_map_figure(poles_frame(), "taux", "Taux de sorties en 2017", "%")
    )
    numbers = [int(t) for t in valued.text]
    assert list(valued.marker.color) == pytest.approx([n * 5.0 for n in numbers])
    assert valued.marker.colorbar.ticksuffix == " %"
    assert valued.marker.colorbar.title.text == "Taux de sorties en 2017 (%)"
    assert valued.customdata[numbers.index(10)][3] == "50,0 %"


def test_map_poles_without_a_value_are_hollow_grey_and_said_so() -> None:
    fig = map_figure()
    _, _, valued, missing = map_traces(fig)
    assert list(missing.text) == ["3"]
    assert "3" not in list(valued.text)
    assert missing.marker.color == "white"
    assert missing.marker.line.color == overview_charts.MISSING_COLOR
    assert missing.customdata[0][3] == "valeur non transmise"
    assert missing.name == "Pas de valeur transmise" and missing.showlegend
    # Every pole sent its value: no legend entry for hollow markers.
    full = poles_frame().assign(salaries=lambda f: f["numero"] * 10.0)
    (*_, none_missing) = overview_charts.france_map_figure(full, "salaries", "Salariés", "personnes").data
    assert list(none_missing.x) == [] and not none_missing.showlegend


def test_map_markers_are_apart_and_tied_to_their_true_place() -> None:
    poles = poles_frame()
    _, leaders, valued, missing = map_traces(map_figure())
    shown = {
        int(n): (x, y)
        for trace in (valued, missing)
        for n, x, y in zip(trace.text, trace.x, trace.y, strict=True)
    }
    true = {int(r.numero): maps.project(r.longitude, r.latitude) for r in poles.itertuples()}
    # An isolated pole is drawn where it is: x = lon × cos(46,5°), y = lat.
    assert shown[1] == pytest.approx(true[1])
    assert true[1][0] == pytest.approx(poles.loc[0, "longitude"] * math.cos(math.radians(46.5)))
    # Poles close together (Voiron n° 11, Grenoble n° 12) are nudged apart: no two markers overlap.
    points = list(shown.values())
    gaps = [math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1 :]]
    assert min(gaps) >= maps.MARKER_MIN_DISTANCE
    assert math.dist(true[11], true[12]) < maps.MARKER_MIN_DISTANCE
    # A line goes from each moved marker back to its pole's true place; unmoved ones have none.
    segments = _segments(leaders)
    moved = {n for n in shown if math.dist(shown[n], true[n]) > 1e-6}
    assert {11, 12} <= moved
    assert 1 not in moved
    assert sorted(segments) == sorted((true[n], shown[n]) for n in moved)
    assert leaders.hoverinfo == "skip"


def _segments(trace: go.Scatter) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    xs, ys = list(trace.x), list(trace.y)
    return [((xs[i], ys[i]), (xs[i + 1], ys[i + 1])) for i in range(0, len(xs), 3)]


def test_spread_markers_leaves_distant_points_alone() -> None:
    points = [(0.0, 0.0), (0.1, 0.0), (5.0, 5.0), (5.0, 5.0)]
    moved = maps.spread_markers(points, min_distance=1.0)
    assert math.dist(moved[0], moved[1]) >= 1.0
    assert math.dist(moved[2], moved[3]) >= 1.0
    assert moved[0][1] == pytest.approx(0.0)  # pushed along the line joining them
    far = [(0.0, 0.0), (3.0, 0.0)]
    assert maps.spread_markers(far, min_distance=1.0) == far


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(st.floats(0, 1.5), st.floats(0, 1.5)),
        min_size=2,
        max_size=15,
    )
)
def test_spread_markers_never_leaves_two_markers_overlapping(points: list[tuple[float, float]]) -> None:
    """However tight the cluster (coincident places included), every pair ends far enough apart."""
    moved = maps.spread_markers(points, min_distance=0.55)
    assert len(moved) == len(points)
    assert min(math.dist(a, b) for i, a in enumerate(moved) for b in moved[i + 1 :]) >= 0.55


def test_spread_markers_of_a_national_network_leave_no_pair_overlapping() -> None:
    """Two thousand places in a box the size of mainland France, many within a marker of another."""
    rng = random.Random(16)
    points = [(rng.uniform(-4, 8) * 0.7, rng.uniform(42, 51)) for _ in range(2_000)]
    points += points[:50]  # fifty places given twice (two poles in one town)
    moved = np.array(maps.spread_markers(points, min_distance=0.1))
    assert moved.shape == (2_050, 2)
    gaps = np.hypot(*(moved[:, None, :] - moved[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() >= 0.1


@pytest.mark.parametrize(
    ("count", "spacing", "size"),
    [
        (1, 0.55, 22.0),
        (12, 0.55, 22.0),  # the demo's twelve poles: full size, as always
        (60, 0.55, 22.0),
        (240, 0.275, 11.0),  # four times as many markers: half the spacing, half the size
        (2_000, 0.55 * math.sqrt(60 / 2_000), 4.0),  # 0,095°; 3,8 pixels, drawn at the 4-pixel floor
    ],
)
def test_marker_spacing_and_size_shrink_with_the_number_of_markers(
    count: int, spacing: float, size: float
) -> None:
    assert maps.marker_spacing(count) == pytest.approx(spacing)
    assert maps.marker_size(count) == pytest.approx(size)
    spread = maps.spread_markers([(0.0, 0.0)] * 3 + [(9.0, 9.0)] * (count - 3) if count > 3 else [(0.0, 0.0)])
    if count > 3:  # by default, markers are spread at the spacing for their number
        assert math.dist(spread[0], spread[1]) >= spacing


def test_map_of_many_poles_draws_smaller_markers_without_their_number() -> None:
    """240 poles (the twelve places, twenty poles at each): markers of 11 pixels, half the full
    size, too small to hold a number; the hover still says which pole it is."""
    frame = pd.concat([poles_frame()] * 20, ignore_index=True)
    frame["numero"] = range(1, 241)
    frame["pole_id"] = [f"pole_{n}" for n in frame["numero"]]
    _, leaders, valued, missing = map_traces(
        overview_charts.france_map_figure(frame, "salaries", "Salariés", "personnes")
    )
    assert len(valued.x) + len(missing.x) == 240
    for trace in (valued, missing):
        assert trace.marker.size == pytest.approx(11.0)
        assert trace.mode == "markers"
        assert "%{text}." in trace.hovertemplate
    assert sorted(int(n) for n in [*valued.text, *missing.text]) == list(range(1, 241))
    assert leaders.marker.size == pytest.approx(4.0)
    # The demo's twelve: full size, numbered.
    _, _, valued, _ = map_traces(map_figure())
    assert (valued.marker.size, valued.mode) == (22, "markers+text")


# France's outline spans longitudes -4,761 to 9,556 and latitudes 41,385 to 51,096
# (ptce/reference/france_outline.json), projected: x = longitude × cos(46,5°), y = latitude.
FRANCE_X = (-4.761 * math.cos(math.radians(46.5)), 9.556 * math.cos(math.radians(46.5)))
FRANCE_Y = (41.385, 51.096)


def test_two_thousand_poles_of_the_scale_sample_spread_apart_within_france_near_their_town() -> None:
    """`ptce sample --scale 2000` puts about fifty poles in each of 41 towns (a few kilometres
    around it): at the spacing for 2,000 markers, every pair ends apart, every marker on the map of
    France and within 1° of its pole (about 80 km), in a fraction of a second."""
    poles = scale_poles(ScaleSpec(poles=2_000))
    true_xy = [maps.project(p.longitude, p.latitude) for p in poles]
    maps._spread.cache_clear()
    started = time.perf_counter()
    moved = np.array(maps.spread_markers(true_xy))
    elapsed = time.perf_counter() - started
    assert moved.shape == (2_000, 2)
    gaps = np.hypot(*(moved[:, None, :] - moved[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() >= maps.marker_spacing(2_000)
    assert FRANCE_X[0] <= moved[:, 0].min() and moved[:, 0].max() <= FRANCE_X[1]
    assert FRANCE_Y[0] <= moved[:, 1].min() and moved[:, 1].max() <= FRANCE_Y[1]
    assert np.hypot(*(moved - np.array(true_xy)).T).max() <= 1.0
    # Pushing pairs apart round after round took minutes here; the grid takes tens of milliseconds
    # (a generous bound: the machine is shared).
    assert elapsed < 2.0


def test_spread_markers_lays_a_crowd_on_a_honeycomb_around_its_place() -> None:
    """Seven markers at one place: a grid place next to it (the grid is the map's, so within
    1/sqrt(3) of the place) and the six around that one, 1 apart."""
    moved = maps.spread_markers([(10.0, 20.0)] * 7, min_distance=1.0)
    assert len(set(moved)) == 7
    centres = [c for c in moved if sorted(round(math.dist(c, p), 4) for p in moved) == [0.0] + [1.0] * 6]
    assert len(centres) == 1
    assert math.dist(centres[0], (10.0, 20.0)) <= 1 / math.sqrt(3)
    assert min(math.dist(a, b) for i, a in enumerate(moved) for b in moved[i + 1 :]) >= 1.0


def test_spread_markers_is_cached() -> None:
    points = [(0.0, 0.0), (0.2, 0.1), (0.1, 0.3)]
    first = maps.spread_markers(points, min_distance=0.7)
    before = maps._spread.cache_info().hits
    again = maps.spread_markers([list(p) for p in points], min_distance=0.7)
    assert again == first
    assert maps._spread.cache_info().hits == before + 1


@pytest.mark.parametrize(
    ("values", "expected"),
    [([3.0, 7.0, 5.0], (3.0, 7.0)), ([4.0, 4.0], (0.0, 4.0)), ([0.0], (0.0, 1.0)), ([], (0.0, 1.0))],
)
def test_colour_range(values: list[float], expected: tuple[float, float]) -> None:
    assert overview_charts.colour_range(values) == expected


def test_france_outline_file_is_small_metropolitan_and_attributed() -> None:
    outline = maps.load_france_outline()
    feature = outline["features"][0]
    assert "Natural Earth" in feature["properties"]["source"]
    polygons = feature["geometry"]["coordinates"]
    points = [pt for polygon in polygons for ring in polygon for pt in ring]
    assert 150 <= len(points) <= 1000
    assert all(-6 <= lon <= 10 and 41 <= lat <= 52 for lon, lat in points)
    # Mainland first, and Corsica is there.
    assert any(min(lon for lon, _ in poly[0]) > 8.3 for poly in polygons[1:])


SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


@pytest.mark.parametrize(
    ("code", "unite", "label"),
    [("salaries", "personnes", "Salariés en 2017"), ("taux", "%", "Taux en 2017")],
)
def test_overview_map_unchanged_by_the_shared_map_module(code: str, unite: str, label: str) -> None:
    """The overview's map, figure for figure, as it was drawn before its outline, projection, marker
    spreading and axes moved to `dashboards/shared/maps.py` (snapshots written from the code of
    that time, on `poles_frame()`, without Plotly's global template): sharing the map with the visits page changed nothing."""
    fig = overview_charts.france_map_figure(poles_frame(), code, label, unite)
    drawn = json.loads(json.dumps(fig.to_plotly_json(), default=str))
    # The template is Plotly's global default (Streamlit replaces it once imported), not the figure.
    drawn["layout"].pop("template", None)
    expected = json.loads((SNAPSHOTS / f"overview_map_{code}.json").read_text(encoding="utf-8"))
    assert drawn == expected


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

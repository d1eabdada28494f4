"""The comparison and pathways charts and tables at a national scale (two hundred generated poles).

Beyond `MAX_POLES_DRAWN` poles a chart with one mark per pole is unreadable and costs seconds to
build: the charts then draw the distribution, the ends of the ranking and the chosen pole. Frames
are generated as the reads return them; the twelve-pole behaviour is in the pages' own tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboards.comparaison import charts as comparison_charts
from dashboards.comparaison import tables as comparison_tables
from dashboards.parcours import charts as parcours_charts
from dashboards.parcours import tables as parcours_tables
from ptce.read import pathways as pw

N_POLES = 200
YEARS = list(range(2015, 2025))


def pole_ids(n: int = N_POLES) -> list[str]:
    return [f"p{i:03d}" for i in range(n)]


def values_frame(seed: int = 1) -> pd.DataFrame:
    """One indicator's comparison rows: 200 poles, a few masked or not reported."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, N_POLES)
    masque = np.array([None] * N_POLES, dtype=object)
    masque[[5, 50]] = "< 5"
    values[[5, 50, 60]] = np.nan
    frame = pd.DataFrame(
        {
            "pole_id": pole_ids(),
            "nom_court": [f"Pôle {i}" for i in range(N_POLES)],
            "valeur": values,
            "masque": masque,
        }
    )
    frame["rang"] = frame["valeur"].rank(ascending=False, method="min")
    shown = frame["valeur"].dropna()
    frame["mediane"], frame["q1"], frame["q3"] = shown.median(), shown.quantile(0.25), shown.quantile(0.75)
    frame["nb_poles"] = len(shown)
    frame["libelle"], frame["unite"] = "Taux de sorties dynamiques", "%"
    return frame


def test_ranked_bars_at_scale_keep_the_ends_and_the_reference_pole() -> None:
    frame = values_frame()
    middle = frame.sort_values("rang").iloc[100]["pole_id"]
    fig = comparison_charts.ranked_bars(frame, highlight=middle)
    bars = fig.data[0]
    ends = comparison_tables.RANKED_ENDS
    # The ten best, the ten last and the reference pole: 21 bars, not 197.
    assert len(bars.y) == 2 * ends + 1
    assert f"<b>▶ Pôle {int(middle[1:])}</b>" in bars.y
    ranked = frame.dropna(subset=["valeur"]).sort_values("rang")
    assert float(bars.x[-1]) == pytest.approx(ranked["valeur"].iloc[0] * 100)  # the best, at the top
    assert float(bars.x[0]) == pytest.approx(ranked["valeur"].iloc[-1] * 100)  # the last, at the bottom
    # Two runs of poles left out (the 86 ranked below the reference, the 90 above), one row for the
    # three without a shown value; the axis lists every drawn row once.
    texts = [a.text for a in fig.layout.annotations if a.x == 0]
    assert texts[0] == "3 pôles : valeur masquée (secret statistique) ou non transmise"
    assert sorted(texts[1:]) == sorted(
        ["⋯ 86 pôles non tracés (voir le tableau)", "⋯ 90 pôles non tracés (voir le tableau)"]
    )
    categories = list(fig.layout.yaxis.categoryarray)
    assert len(categories) == len(set(categories)) == 2 * ends + 1 + 3
    assert fig.layout.height < 1000


def test_ranked_bars_at_scale_show_a_masked_reference_pole_with_its_label() -> None:
    fig = comparison_charts.ranked_bars(values_frame(), highlight="p005")
    assert "<b>▶ Pôle 5</b>" in list(fig.layout.yaxis.categoryarray)
    assert "&lt; 5" in [a.text for a in fig.layout.annotations]  # escaped for Plotly's labels
    assert len(fig.data[0].y) == 2 * comparison_tables.RANKED_ENDS


def series_frame() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    rows = []
    for code, unite in (("a", "%"), ("b", "emplois")):
        for i, pole in enumerate(pole_ids()):
            for year in YEARS:
                rows.append((pole, i + 1, f"Pôle {i}", f"Pôle {i}", year, code, f"Indicateur {code}", unite,
                             float(rng.uniform(0, 1)), None))  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=[
            "pole_id",
            "numero",
            "nom",
            "nom_court",
            "annee",
            "code",
            "libelle",
            "unite",
            "valeur",
            "masque",
        ],
    )
    frame["mediane"] = frame.groupby(["code", "annee"])["valeur"].transform("median")
    return frame


def test_small_multiples_at_scale_draw_the_band_the_reference_and_the_median() -> None:
    series = series_frame()
    compared = pole_ids()[:150]
    fig = comparison_charts.small_multiples_figure(series, compared, "p007")
    # Per indicator: the two edges of the band, the reference pole, the median; not 150 lines.
    assert [t.meta.get("serie", t.meta.get("pole_id")) for t in fig.data] == [
        "q1",
        "q3",
        "p007",
        "mediane",
    ] * 2
    q1, q3 = fig.data[0], fig.data[1]
    part = series[(series["code"] == "a") & series["pole_id"].isin(compared)]
    expected = part.groupby("annee")["valeur"].quantile([0.25, 0.75]).unstack() * 100
    assert list(q1.x) == YEARS
    assert list(q1.y) == pytest.approx(list(expected[0.25]))
    assert list(q3.y) == pytest.approx(list(expected[0.75]))
    assert q3.fill == "tonexty"
    assert fig.data[2].line.width == 3
    # The second indicator in its own subplot.
    assert {t.xaxis for t in fig.data[4:]} == {"x2"}


def test_small_multiples_below_the_threshold_keep_one_line_per_pole() -> None:
    series = series_frame()
    fig = comparison_charts.small_multiples_figure(series, pole_ids()[:12], "p003")
    assert len(fig.data) == 2 * (12 + 1)


def network_flows(n: int = N_POLES) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = []
    for i in range(n):
        pole = f"p{i:03d}"
        for target in ("emploi_durable", "autre_sortie", pw.ONGOING):
            rows.append(
                ("entree", pole, f"Pôle {i}", i + 1, None, "issue", None, target, float(rng.integers(5, 50)))
            )
        rows.append(
            ("entree", pole, f"Pôle {i}", i + 1, None, "mobilite", None, pw.MOVED, float(rng.integers(5, 9)))
        )
    rows.append(("mobilite", None, None, None, pw.MOVED, "issue", None, "emploi_durable", 700.0))
    rows.append(("mobilite", None, None, None, pw.MOVED, "issue", None, "autre_sortie", 600.0))
    columns = [
        "source_etape",
        "source_pole",
        "source_pole_nom",
        "numero",
        "source",
        "target_etape",
        "target_pole",
    ]
    frame = pd.DataFrame(rows, columns=[*columns, "target", "personnes"])
    frame["masque"] = False
    frame["libelle"] = frame["personnes"].map(lambda v: str(int(v)))
    return frame


def test_network_sankey_at_scale_gathers_the_smallest_entry_poles() -> None:
    flows = network_flows()
    sankey = parcours_charts.sankey_figure(flows, network=True).data[0]
    labels = list(sankey.node.label)
    entries = [label for label, x in zip(labels, sankey.node.x, strict=True) if x < 0.1]
    assert len(entries) == parcours_charts.SANKEY_MAX_ENTRIES
    gathered = N_POLES - (parcours_charts.SANKEY_MAX_ENTRIES - 1)
    assert entries[-1] == f"Autres pôles ({gathered})"
    # The largest poles keep their node; every person is still drawn.
    sizes = flows[flows["source_etape"] == "entree"].groupby("source_pole_nom", sort=False)["personnes"].sum()
    assert set(entries[:-1]) == set(sizes.sort_values(ascending=False, kind="stable").index[:29])
    assert sum(sankey.link.value) == pytest.approx(flows["personnes"].sum())
    assert len(sankey.link.value) <= 4 * parcours_charts.SANKEY_MAX_ENTRIES + 2


def test_network_sankey_below_the_threshold_keeps_every_pole() -> None:
    sankey = parcours_charts.sankey_figure(network_flows(12), network=True).data[0]
    assert not any(str(label).startswith("Autres") for label in sankey.node.label)
    assert len(sankey.node.label) == 12 + 1 + 3


def rates_frame() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    taux = rng.uniform(0, 1, N_POLES)
    masked = np.zeros(N_POLES, dtype=bool)
    masked[[3, 30]] = True
    taux[masked] = np.nan
    frame = pd.DataFrame(
        {
            "pole_id": [*pole_ids(), None],
            "nom": [*(f"Pôle {i}" for i in range(N_POLES)), None],
            "sorties": [*np.where(masked, np.nan, 40.0), 8000.0],
            "taux": [*taux, 0.5],
            "sorties_masque": [*masked, False],
            "sorties_libelle": [*np.where(masked, "< 5", "40"), "8 000"],
        }
    )
    return frame


def test_rates_chart_at_scale_keeps_the_ends_the_selected_pole_and_the_network() -> None:
    rates = rates_frame()
    ranked = rates.iloc[:-1].dropna(subset=["taux"]).sort_values("taux", ascending=False)
    selected = ranked["pole_id"].iloc[50]
    bar = parcours_charts.rates_figure(rates, selected).data[0]
    names = list(bar.y)
    assert names[:10] == list(ranked["nom"].iloc[:10])
    assert names[-1] == "Tout le réseau"
    assert f"Pôle {int(selected[1:])}" in names
    assert "⋯ 40 pôles au taux plus élevé" in names and "⋯ 137 pôles au taux plus bas" in names
    assert "⋯ 2 pôles sans taux publié" in names
    assert len(names) == 10 + 1 + 1 + 1 + 10 + 1 + 1
    assert bar.marker.color[names.index(f"Pôle {int(selected[1:])}")] == parcours_charts.POLE_COLOR


def test_count_texts_write_each_cell_as_count_text_does() -> None:
    rng = np.random.default_rng(5)
    n = 500
    values = pd.Series(rng.integers(0, 3000, n).astype(float))
    labels = pd.Series([str(int(v)) for v in values], dtype=object)
    masked = rng.random(n) < 0.3
    values[masked] = np.nan
    labels[masked] = rng.choice(["< 5", "s"], int(masked.sum()))
    labels[[0, 1]] = [None, ""]  # no label: the missing count's own text
    values[[0, 1]] = np.nan
    expected = [parcours_tables.count_text(v, lab) for v, lab in zip(values, labels, strict=True)]
    assert list(parcours_tables.count_texts(values, labels)) == expected
    assert {"< 5", "s"} <= set(expected)  # masked cells keep their label


def adjusted_frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    gaps = rng.normal(0, 0.05, n)
    return pd.DataFrame(
        {
            "pole_id": pole_ids(n),
            "nom_court": [f"Pôle {i}" for i in range(n)],
            "ecart": gaps,
            "ic_bas": gaps - 0.03,
            "ic_haut": gaps + 0.03,
            "verdict": ["dans_la_norme"] * n,
        }
    )


def test_adjusted_comparison_at_scale_keeps_the_largest_gaps_and_the_reference() -> None:
    frame = adjusted_frame(N_POLES)
    reference = frame.sort_values("ecart")["pole_id"].iloc[N_POLES // 2]  # a pole in the middle
    fig = comparison_charts.adjusted_figure(frame, reference)
    drawn = list(fig.data[0].y)
    ends = comparison_tables.RANKED_ENDS
    ordered = frame.sort_values("ecart")["nom_court"].tolist()
    assert len(drawn) == 2 * ends + 1
    assert set(ordered[:ends]) | set(ordered[-ends:]) <= set(drawn)
    assert frame.set_index("pole_id").at[reference, "nom_court"] in drawn
    assert fig.layout.height < 1_000
    # Twelve poles: every one drawn.
    assert len(comparison_charts.adjusted_figure(adjusted_frame(12)).data[0].y) == 12

"""The demo data: fictitious, deterministic, and internally coherent."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

from pipelines.indicators.demo import YEARS, demo_values
from pipelines.shared.sample import DEMO_NOTICE, write_sample
from ptce.reference import load_catalog, load_poles


def _yearly() -> dict[tuple[str, int], dict[str, float]]:
    """Yearly figure per pole: yearly values, quarters summed (only flows are quarterly in the demo)."""
    out: dict[tuple[str, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for v in demo_values():
        out[(v.pole_id, v.annee)][v.code] += v.valeur
    return out


def test_every_pole_year_and_indicator_is_present() -> None:
    yearly = _yearly()
    assert len(yearly) == 12 * len(YEARS)
    for figures in yearly.values():
        assert set(figures) == set(load_catalog().codes)


def test_figures_are_coherent() -> None:
    for (pole, year), v in _yearly().items():
        where = f"{pole} {year}"
        categories = (
            v["sorties_emploi_durable"]
            + v["sorties_emploi_transition"]
            + v["sorties_positives"]
            + v["sorties_autres"]
        )
        assert categories == v["sorties"], where
        assert v["sorties"] <= v["personnes_accompagnees"], where
        assert v["etp"] <= v["salaries"] and v["salaries_cdi"] <= v["salaries"], where
        assert v["salaries_formes"] <= v["salaries"] and v["temps_partiel_subi"] <= v["salaries"], where
        assert v["etp_mutualises"] <= v["salaries_partages"], where
        assert v["activites_creees"] <= v["porteurs_accompagnes"], where
        assert v["representation_salaries"] in (0, 1), where
        assert all(x >= 0 for x in v.values()), where


def test_quarterly_exits_are_coherent_within_each_quarter() -> None:
    by_quarter: dict[tuple, dict[str, float]] = defaultdict(dict)
    for v in demo_values():
        if v.trimestre:
            by_quarter[(v.pole_id, v.annee, v.trimestre)][v.code] = v.valeur
    assert by_quarter
    for key, q in by_quarter.items():
        parts = ("sorties_emploi_durable", "sorties_emploi_transition", "sorties_positives", "sorties_autres")
        assert sum(q[c] for c in parts) == q["sorties"], key
        assert min(q.values()) >= 0, key


def test_files_are_deterministic_and_labelled_fictitious(tmp_path: Path) -> None:
    """Also: every pole has its files, and a second `ptce sample` never overwrites a file (one
    test, so that the sample is written twice, not five times)."""
    first = write_sample(tmp_path / "a")
    second = write_sample(tmp_path / "b")
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in first]
    assert digest == [hashlib.sha256(p.read_bytes()).hexdigest() for p in second]
    text = " ".join(p.name for p in (tmp_path / "a" / "raw" / "indicateurs").iterdir())
    for pole in load_poles():
        assert pole.pole_id.replace("_", "-") in text
    # A file changed by hand survives a new `ptce sample` over the same folder.
    target = next(p for p in second if p.suffix == ".csv")
    target.write_text("modifié à la main", encoding="utf-8")
    write_sample(tmp_path / "b")
    assert target.read_text(encoding="utf-8") == "modifié à la main"
    names = {p.name for p in first}
    assert "LISEZMOI_DONNEES_FICTIVES.txt" in names
    assert {p.suffix for p in first} >= {".xlsx", ".csv"}
    # The French-Excel CSVs really are CP1252 (not valid UTF-8) and carry the demo notice.
    cp1252 = [
        p for p in first if p.name.startswith(("bourian_", "figeacteurs_", "bousol_", "eco-materiaux_"))
    ]
    assert len(cp1252) == 12
    raw = cp1252[0].read_bytes()
    try:
        raw.decode("utf-8")
        is_utf8 = True
    except UnicodeDecodeError:
        is_utf8 = False
    assert not is_utf8 and DEMO_NOTICE in raw.decode("cp1252")
    # Non-breaking-space thousands, as French Excel writes them, appear in these files.
    assert any("\u00a0" in p.read_bytes().decode("cp1252") for p in cp1252)

"""`ptce sample --scale N` (issue #16): synthetic raw data at scale, in the formats the pipeline reads.

One small write (N = 20 poles × 10 years) is shared by the tests; counts are worked out by hand from
N and the parameters: 30 catalogue indicators, 14 of them flows summed over quarters; poles with an
odd number send their flows by quarter (16 yearly values + 14 × 4 quarterly values = 72 rows a
year), the others 30 rows a year; round(0.05 × 20) = 1 pole sends XLSX.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipelines.cli import main
from pipelines.indicators.parser import IndicatorFileParser
from pipelines.pathways.parser import PathwayFileParser
from pipelines.pathways.pseudonym import PseudonymKey
from pipelines.pathways.tables import build_indicators, build_pathways, latest_versions
from pipelines.shared.scale import (
    MOVE,
    PoleFlows,
    ScaleReport,
    ScaleSpec,
    Stay,
    people_figures,
    scale_poles,
    write_scale,
)
from ptce.reference import PoleMatcher, load_catalog, load_poles

N = 20
YEARS = range(2015, 2025)
# Copied from ISSUE16.md, the interface fixed between the #16 helpers.
POLES_HEADER = (
    "identifiant;numero;nom;noms_usuels;structure_initiatrice;description;representants;departement;"
    "nom_departement;region;commune;latitude;longitude;territoire;secteur_principal;date_entree;date_sortie"
)
SHIPPED = {p.pole_id for p in load_poles()}
GENERATED_NAMES = {f"synthetique_{n:04d}" for n in range(13, N + 1)} | {str(n) for n in range(13, N + 1)}


@pytest.fixture(scope="module")
def scale_written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ScaleReport]:
    data_dir = tmp_path_factory.mktemp("echelle") / "data"
    return data_dir, write_scale(data_dir, ScaleSpec(N), workers=1)


@pytest.fixture(scope="module")
def scale_dir(scale_written: tuple[Path, ScaleReport]) -> Path:
    return scale_written[0]


def _files(data_dir: Path, folder: str) -> list[Path]:
    return sorted((data_dir / "raw" / folder).iterdir())


def _all_poles_matcher() -> PoleMatcher:
    """The shipped and the generated poles (until the poles reference file is read by the pipeline)."""
    return PoleMatcher(tuple(scale_poles(ScaleSpec(N))))


def test_catalogue_counts_behind_the_hand_computed_rows() -> None:
    catalog = load_catalog()
    assert len(catalog.indicators) == 30
    assert sum(i.agregation_trimestres == "somme" for i in catalog.indicators) == 14


def test_files_and_rows_written(scale_written: tuple[Path, ScaleReport]) -> None:
    scale_dir, report = scale_written
    by_kind = {k.kind: k for k in report.kinds}
    assert (by_kind["indicateurs"].files, by_kind["indicateurs"].xlsx) == (200, 10)
    # 10 quarterly poles × 10 years × 72 rows + 10 yearly poles × 10 years × 30 rows.
    assert by_kind["indicateurs"].rows == 7_200 + 3_000
    # Targets for 2016–2024 (9 files, one block of poles), 20 poles × 4 codes each.
    assert (by_kind["objectifs"].files, by_kind["objectifs"].rows) == (9, 720)
    assert (by_kind["poles"].files, by_kind["poles"].rows) == (1, 8)
    assert by_kind["parcours"].files == 200
    # About 500 rows per pole (drawn): 10,000 give or take the draw.
    assert 9_000 <= by_kind["parcours"].rows <= 11_000
    # Applications and visits: the demo files of the twelve, nothing generated.
    assert by_kind["candidatures"].rows is None and by_kind["visites"].rows is None
    assert len(_files(scale_dir, "indicateurs")) == 200
    assert len([p for p in _files(scale_dir, "indicateurs") if p.suffix == ".xlsx"]) == 10
    assert len(_files(scale_dir, "parcours")) == 200
    names = {p.name for p in _files(scale_dir, "indicateurs")}
    assert {"phares_indicateurs_2015.csv", "synthetique-0020_indicateurs_2024.csv"} <= names | {
        n.replace(".xlsx", ".csv") for n in names
    }


def test_poles_file_follows_the_issue16_format(scale_dir: Path) -> None:
    raw = (scale_dir / "raw" / "poles" / "poles-echelle.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == POLES_HEADER
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    assert [r["numero"] for r in rows] == [str(n) for n in range(13, 21)]
    assert rows[0]["identifiant"] == "synthetique_0013"
    assert rows[0]["nom"] == "PTCE Synthétique 0013 (fictif)"
    assert rows[0]["noms_usuels"] == "Synthétique 0013"
    for row in rows:
        latitude = float(row["latitude"].replace(",", "."))
        longitude = float(row["longitude"].replace(",", "."))
        assert 41 <= latitude <= 51.5 and -5.5 <= longitude <= 9.7, row
        assert row["territoire"] in {"rural", "urbain", "mixte"}
        assert all(row[k] for k in ("nom", "numero", "departement", "region", "commune")), row
        assert row["date_entree"] == "01/01/2015" and row["date_sortie"] == ""


def test_everything_is_labelled_fictitious(scale_dir: Path) -> None:
    marker = (scale_dir / "raw" / "LISEZMOI_DONNEES_FICTIVES.txt").read_text(encoding="utf-8")
    assert marker.startswith("DONNÉES FICTIVES SYNTHÉTIQUES") and "--scale 20" in marker
    for folder in ("indicateurs", "objectifs", "parcours"):
        for path in _files(scale_dir, folder):
            if path.suffix == ".csv":
                text = path.read_text(encoding="utf-8-sig")
                assert "DONNÉES FICTIVES SYNTHÉTIQUES" in text.splitlines()[1], path.name
            else:
                book = openpyxl.load_workbook(path, read_only=True)
                notice = next(book.worksheets[0].iter_rows(min_row=2, max_row=2, values_only=True))[0]
                book.close()
                assert str(notice).startswith("DONNÉES FICTIVES SYNTHÉTIQUES"), path.name


def test_csv_are_french_excel_utf8(scale_dir: Path) -> None:
    path = scale_dir / "raw" / "indicateurs" / "synthetique-0013_indicateurs_2016.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Pôle;Période;Indicateur;Valeur;Commentaire"
    etp = next(line for line in lines if ";etp;" in line)
    assert etp.startswith("synthetique_0013;2016;etp;") and "," in etp.split(";")[3]
    assert any(line.startswith("synthetique_0013;T3 2016;entrees_parcours;") for line in lines)


def test_indicator_files_parse_without_quarantine(scale_dir: Path) -> None:
    """The shipped poles load with today's parser; every pole loads once the generated ones are known."""
    for kind in ("indicateurs", "objectifs"):
        today_parser = IndicatorFileParser(kind)
        known = IndicatorFileParser(kind)
        known.matcher = _all_poles_matcher()
        for path in _files(scale_dir, kind):
            source = f"raw/{kind}/{path.name}"
            result = known.parse(path, source)
            assert result.error is None and not result.quarantine, source
            assert result.rows_loaded == result.rows_read > 0, source
            today = today_parser.parse(path, source)
            assert today.error is None, source
            assert {r["pole_id"] for r in today.records} <= SHIPPED
            # Until the poles reference file is read, generated poles are unknown, and only they
            # (named by identifier in CSV files, by number in XLSX files).
            for row in today.quarantine:
                assert row.field == "pôle" and row.value in GENERATED_NAMES, row.reason
            shipped_rows = sum(1 for r in result.records if r["pole_id"] in SHIPPED)
            assert len(today.records) == shipped_rows, source


def test_pathway_files_parse_without_quarantine_and_match_the_declared_figures(scale_dir: Path) -> None:
    """Every pathway row loads; the pipeline's own counting rules, run on the stays, give exactly
    the persons, entries, exits, moves and certifications the indicator files declare."""
    parser = PathwayFileParser(PseudonymKey(b"cle-de-test"), today=date(2026, 1, 1))
    parser.matcher = _all_poles_matcher()
    stays, arrivals = [], []
    files = sorted(_files(scale_dir, "parcours"), key=lambda p: (p.stat().st_mtime, p.name))
    for rank, path in enumerate(files):
        result = parser.parse(path, f"raw/parcours/{path.name}")
        assert result.error is None and not result.quarantine, path.name
        assert result.rows_loaded == result.rows_read > 0
        stays += result.records
        arrivals.append((result.source_file, rank))
    kept = latest_versions(
        pd.DataFrame(stays), pd.DataFrame(arrivals, columns=["source_file", "arrival_rank"])
    )
    derived = build_indicators(
        build_pathways(kept, 31),
        pd.DataFrame(columns=["pole_id", "annee", "code", "valeur"]),
        date(2026, 1, 1),
    )
    got = {(r.pole_id, r.annee, r.code): r.valeur for r in derived.itertuples()}
    declared: dict[tuple[str, int, str], float] = {}
    indicators = IndicatorFileParser("indicateurs")
    indicators.matcher = parser.matcher
    for path in _files(scale_dir, "indicateurs"):
        for rec in indicators.parse(path, path.name).records:
            key = (rec["pole_id"], rec["annee"], rec["code"])
            declared[key] = declared.get(key, 0.0) + rec["valeur"]  # quarters of flows add up
    codes = ("personnes_accompagnees", "entrees_parcours", "sorties", "sorties_emploi_durable",
             "sorties_emploi_transition", "sorties_positives", "sorties_autres", "certifications",
             "mobilites_internes")  # fmt: skip
    for pole_id in {k[0] for k in declared}:
        for year in YEARS:
            for code in codes:
                assert got.get((pole_id, year, code), 0.0) == declared[(pole_id, year, code)], (
                    pole_id,
                    year,
                    code,
                )
            hours = got.get((pole_id, year, "heures_formation"), 0.0)
            assert hours == pytest.approx(declared[(pole_id, year, "heures_formation")], abs=0.1)


def test_people_figures_follow_the_pipeline_counting_rules() -> None:
    """Three persons over 2015–2016, counted by hand (hours: one hour a day for person 1, 0,1 for 2)."""
    flows = PoleFlows(
        3,
        [
            # Person 1: 1 March 2015 – 29 February 2016 (366 days), durable job, certified.
            Stay(1, 0, date(2015, 3, 1), date(2016, 2, 29), "emploi_durable", True, False, 366.0, True),
            # Person 2: entered in 2014, moved to another structure in June 2015, still there.
            Stay(2, 0, date(2014, 11, 1), date(2015, 5, 31), MOVE, False, False, 0.0, False),
            Stay(2, 1, date(2015, 6, 10), None, None, False, True, 57.1, False),
            # Person 3: withdrawn (not an exit) in 2016.
            Stay(3, 2, date(2016, 1, 10), date(2016, 6, 30), "retrait", True, False, 0.0, False),
        ],
    )
    figures = people_figures(ScaleSpec(12, years=2), flows)
    assert figures[2015] == {
        "personnes_accompagnees": 2,
        "entrees_parcours": 1,
        "sorties": 0,
        "sorties_emploi_durable": 0,
        "sorties_emploi_transition": 0,
        "sorties_positives": 0,
        "sorties_autres": 0,
        "heures_formation": 326.5,  # 306 days of person 1 + 205 days × 0,1 of person 2
        "certifications": 0,
        "mobilites_internes": 1,
    }
    assert figures[2016] == {
        "personnes_accompagnees": 3,
        "entrees_parcours": 1,
        "sorties": 1,
        "sorties_emploi_durable": 1,
        "sorties_emploi_transition": 0,
        "sorties_positives": 0,
        "sorties_autres": 0,
        "heures_formation": 96.6,  # 60 days of person 1 + 366 days × 0,1 of person 2
        "certifications": 1,
        "mobilites_internes": 0,
    }


def test_same_files_whatever_the_number_of_workers(scale_dir: Path, tmp_path: Path) -> None:
    """Blocks of 7 poles written by two processes: the same bytes and dates as one process (targets
    are gathered by block, so only their files differ)."""
    other = tmp_path / "data"
    write_scale(other, ScaleSpec(N), workers=2, block=7)
    for folder in ("indicateurs", "parcours", "poles"):
        mine = {p.name: p for p in _files(scale_dir, folder)}
        theirs = {p.name: p for p in _files(other, folder)}
        assert mine.keys() == theirs.keys()
        for name, path in mine.items():
            assert path.read_bytes() == theirs[name].read_bytes(), name
            assert path.stat().st_mtime == theirs[name].stat().st_mtime, name
    assert len(_files(other, "objectifs")) == 9 * 3  # blocks 1–7, 8–14, 15–20


def test_another_seed_draws_other_figures(scale_dir: Path, tmp_path: Path) -> None:
    write_scale(tmp_path / "data", ScaleSpec(N, seed=7, xlsx_share=0), workers=1)
    name = "synthetique-0014_indicateurs_2016.csv"
    assert (tmp_path / "data" / "raw" / "indicateurs" / name).read_bytes() != (
        scale_dir / "raw" / "indicateurs" / name
    ).read_bytes()


def test_cli_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    args = ["sample", "--data-dir", str(data_dir), "--scale", "12", "--years", "2", "--xlsx-share", "0"]
    assert main([*args, "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "12 pôles (les 12 de la communauté et 0 pôle généré), 2 années (2015 à 2016), graine 0." in out
    # 6 quarterly poles × 2 years × 72 rows + 6 yearly poles × 2 years × 30 rows; targets for 2016.
    assert "  indicateurs : 24 fichiers, 1\u202f224 lignes\n" in out
    assert "  objectifs : 1 fichier, 48 lignes\n" in out
    assert "  parcours : 24 fichiers, " in out
    assert not list((data_dir / "raw" / "poles").glob("*"))  # no generated pole, no poles file
    # Never over existing files.
    assert main(args) == 1
    assert "contient déjà des fichiers" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "5"], "--scale 5 : il faut au moins 12 pôles"),
        (["--scale", "20", "--years", "0"], "--years 0 : entre 1 et"),
        (["--scale", "20", "--xlsx-share", "1.5"], "--xlsx-share 1.5 : une part entre 0 et 1"),
        (["--years", "3"], "--years : seulement avec --scale N"),
        (["--seed", "3", "--no-targets"], "--seed, --no-targets : seulement avec --scale N"),
    ],
)
def test_cli_scale_refusals_are_french(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sample", "--data-dir", str(tmp_path / "d"), *args]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "d").exists()

"""The demo pathways: fictitious, deterministic, written as poles write them, and coherent with the
figures the same poles declare in the demo indicator files.

The pathway figures are recomputed here from `demo_stays()` with the counting rules of the spec
(independently of how the demo builds them) and compared with `pipelines.indicators.demo`.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipelines.indicators.demo import demo_values
from pipelines.pathways import demo
from pipelines.pathways.demo import REASONS_TO_REVIEW, demo_stays, plan_demo_files
from ptce.paths import DataLayout
from ptce.reference import load_poles

YEARS = (2015, 2016, 2017)
MOVE_DAYS = 31
CATEGORY_CODES = {
    "emploi_durable": "sorties_emploi_durable",
    "emploi_transition": "sorties_emploi_transition",
    "sortie_positive": "sorties_positives",
    "autre_sortie": "sorties_autres",
}
# Which pole each single-pole file holds (the Isère workbook names its poles in a column).
FILE_POLE = {
    "tableau_suivi_parcours": "sud_aquitain",
    "parcours_accompagnes": "laine_saugues",
    "parcours_phares": "phares",
    "parcours_tarnais": "tarnais",
    "parcours_bourian": "bourian",
    "parcours_figeacteurs": "figeacteurs",
    "parcours_bousol": "bousol",
    "parcours_eco-materiaux": "eco_materiaux",
    "parcours_dombinnov": "dombinnov",
    "export_parcours_re-sources": "re_sources",
}


@pytest.fixture(scope="module")
def stays() -> pd.DataFrame:
    return demo_stays()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Path, datetime | None]]:
    root = tmp_path_factory.mktemp("pwdemo")
    return plan_demo_files(root / "staging", DataLayout(root / "data"))


def _declared() -> dict[tuple[str, int], dict[str, float]]:
    out: dict[tuple[str, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for v in demo_values():
        out[(v.pole_id, v.annee)][v.code] += v.valeur  # quarters of flows add up to the year
    return out


def _derived(stays: pd.DataFrame) -> dict[tuple[str, int], dict[str, float]]:
    """Pathway indicators by the spec's rules, from the stays alone."""
    out: dict[tuple[str, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    records = stays.astype(object).where(stays.notna(), None).to_dict("records")
    by_person: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in records:
        by_person[(row["pole_id"], row["person_id"])].append(row)
    for (pole, _person), rows in by_person.items():
        rows.sort(key=lambda r: r["date_entree"])
        pathways = [[rows[0]]]
        for row in rows[1:]:
            previous = pathways[-1][-1]
            gap = (row["date_entree"] - previous["date_sortie"]).days
            if gap <= MOVE_DAYS and row["structure"] != previous["structure"]:
                pathways[-1].append(row)
                out[(pole, row["date_entree"].year)]["mobilites_internes"] += 1
            else:
                pathways.append([row])
        for pathway in pathways:
            out[(pole, pathway[0]["date_entree"].year)]["entrees_parcours"] += 1
            last = pathway[-1]
            if last["date_sortie"] is not None and last["categorie_prevue"] != "retrait":
                year = last["date_sortie"].year
                out[(pole, year)]["sorties"] += 1
                out[(pole, year)][CATEGORY_CODES[last["categorie_prevue"]]] += 1
        for year in YEARS:
            first, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
            if any(
                r["date_entree"] <= end and (r["date_sortie"] is None or r["date_sortie"] >= first)
                for r in rows
            ):
                out[(pole, year)]["personnes_accompagnees"] += 1
    for row in records:
        last = row["date_sortie"] if row["date_sortie"] is not None else pd.Timestamp(2017, 12, 31)
        days = (last - row["date_entree"]).days + 1
        for year in YEARS:
            lo, hi = max(row["date_entree"], pd.Timestamp(year, 1, 1)), min(last, pd.Timestamp(year, 12, 31))
            if hi >= lo:
                share = ((hi - lo).days + 1) / days
                out[(row["pole_id"], year)]["heures_formation"] += row["heures_formation"] * share
        if row["certification"] and row["date_sortie"] is not None:
            out[(row["pole_id"], row["date_sortie"].year)]["certifications"] += 1
    return out


@pytest.fixture(scope="module")
def derived(stays: pd.DataFrame) -> dict[tuple[str, int], dict[str, float]]:
    return _derived(stays)


def test_the_copy_of_the_declared_figures_is_current() -> None:
    """The demo builds on its own copy of the declared figures (a domain imports no other one)."""
    declared = _declared()
    assert set(demo.DECLARED) == set(declared) and len(declared) == 12 * 3
    for key, values in demo.DECLARED.items():
        for code, value in zip(demo.DECLARED_CODES, values, strict=True):
            assert value == pytest.approx(declared[key][code], abs=0.05), (key, code)


def test_about_four_thousand_persons_over_every_pole_and_year(stays: pd.DataFrame, derived: dict) -> None:
    persons = stays[["pole_id", "person_id"]].drop_duplicates()
    # The declared figures need 2,131 persons in 2015 plus 3,243 entries in 2015–2017 (4,379 pathways).
    assert 4_000 <= len(persons) <= 4_800
    assert set(stays["pole_id"]) == {p.pole_id for p in load_poles()}
    for pole in load_poles():
        for year in YEARS:
            assert derived[(pole.pole_id, year)]["personnes_accompagnees"] >= 40, (pole.pole_id, year)
    assert stays["date_entree"].min() >= pd.Timestamp(2014, 1, 1)
    assert stays["date_entree"].dt.year.eq(2014).sum() > 500  # some were already there in 2015
    assert stays["date_sortie"].isna().sum() > 500  # some are still in their pathway at the end
    assert stays["date_sortie"].max() <= pd.Timestamp(2017, 12, 31)
    ended = stays.dropna(subset=["date_sortie"])
    assert (ended["date_sortie"] > ended["date_entree"]).all()


def test_breakdowns_have_plausible_shares(stays: pd.DataFrame) -> None:
    persons = stays.sort_values("date_entree").drop_duplicates(["pole_id", "person_id"])
    assert 0.40 <= (persons["sexe"] == "F").mean() <= 0.50
    assert set(persons["sexe"]) == {"F", "H"}
    age = (persons["date_entree"] - persons["date_naissance"]).dt.days / 365.25
    assert age.min() >= 18 and age.max() < 65
    assert 0.20 <= (age < 26).mean() <= 0.30
    for flag, (lo, hi) in {
        "deld": (0.35, 0.45),
        "rsa": (0.25, 0.35),
        "qpv": (0.20, 0.30),
        "rqth": (0.08, 0.16),
    }.items():
        assert lo <= persons[flag].mean() <= hi, flag
    assert (stays["heures_formation"] >= 0).all() and (stays["heures_formation"] > 0).mean() > 0.7
    assert stays["certification"].any()
    # Every pole has three to six structures, and some persons moved from one to another.
    per_pole = stays.groupby("pole_id")["structure"].nunique()
    assert per_pole.between(3, 6).all()
    assert (stays.groupby(["pole_id", "person_id"])["structure"].nunique() == 2).sum() > 300


def test_pathway_figures_match_the_declared_ones(derived: dict) -> None:
    declared = _declared()
    codes = ("entrees_parcours", "sorties", *CATEGORY_CODES.values(), "mobilites_internes", "certifications")
    for pole in load_poles():
        for year in YEARS:
            d, got = declared[(pole.pole_id, year)], derived[(pole.pole_id, year)]
            for code in codes:
                assert abs(got[code] - d[code]) <= max(1, 0.03 * d[code]), (
                    pole.pole_id,
                    year,
                    code,
                    got[code],
                    d[code],
                )
            assert got["heures_formation"] == pytest.approx(d["heures_formation"], rel=0.02), (
                pole.pole_id,
                year,
            )
            # About half of the exits are dynamic (durable, transition, positive), as declared.
            dynamic = (
                got["sorties_emploi_durable"] + got["sorties_emploi_transition"] + got["sorties_positives"]
            )
            assert 0.35 <= dynamic / got["sorties"] <= 0.80


def test_persons_accompanied_deviate_only_where_the_declared_flows_force_it(derived: dict) -> None:
    declared = _declared()
    network = defaultdict(lambda: [0.0, 0.0])
    for pole in load_poles():
        shortfall = 0.0  # persons the declared figures count but their own entries and exits cannot supply
        for year in YEARS:
            d, got = declared[(pole.pole_id, year)], derived[(pole.pole_id, year)]
            if year > YEARS[0]:
                before = declared[(pole.pole_id, year - 1)]
                stock = before["personnes_accompagnees"] - before["sorties"] + d["entrees_parcours"]
                shortfall += max(0.0, d["personnes_accompagnees"] - stock)
            gap = d["personnes_accompagnees"] - got["personnes_accompagnees"]
            assert (
                -max(2, 0.03 * d["personnes_accompagnees"])
                <= gap
                <= shortfall + max(2, 0.03 * d["personnes_accompagnees"])
            ), (pole.pole_id, year)
            network[year][0] += d["personnes_accompagnees"]
            network[year][1] += got["personnes_accompagnees"]
    for year, (want, got) in network.items():
        assert got == pytest.approx(want, rel=0.05), year


def test_reasons_to_review_are_few_and_present(stays: pd.DataFrame) -> None:
    flagged = stays[stays["a_revoir"]]
    assert 5 <= len(flagged) <= 10
    assert sorted(flagged["motif_sortie"]) == sorted(REASONS_TO_REVIEW)
    assert flagged["date_sortie"].notna().all()
    others = stays[~stays["a_revoir"] & stays["motif_sortie"].notna()]
    assert not set(others["motif_sortie"]) & set(REASONS_TO_REVIEW)
    # Free reasons and category names written directly both occur.
    assert {"CDI", "CDD 3 mois", "formation qualifiante", "sans nouvelles", "déménagement"} <= set(
        others["motif_sortie"]
    )
    assert {"Emploi durable", "Retrait"} <= set(others["motif_sortie"])


def _cells(path: Path) -> list[list[object]]:
    """Every row of a demo file, read with the standard libraries only."""
    if path.suffix == ".xlsx":
        return [
            list(r) for r in openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True)
        ]
    raw = path.read_bytes()
    text = (
        raw.decode("utf-8-sig")
        if path.name.startswith(("export", "parcours_dombinnov"))
        else raw.decode("cp1252")
    )
    delimiter = "," if path.name.startswith("export") else ";"
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _table(path: Path) -> list[dict[str, object]]:
    rows = _cells(path)
    at = next(
        i for i, r in enumerate(rows) if any(str(c).lower() in {"identifiant", "n° personne"} for c in r)
    )
    header = [str(c) for c in rows[at]]
    # Excel readers drop the empty cells at the end of a row: pad them back.
    return [dict(zip(header, r + [None] * (len(header) - len(r)), strict=True)) for r in rows[at + 1 :]]


def test_files_are_written_for_raw_parcours_with_sending_dates(written: list, tmp_path: Path) -> None:
    assert len(written) == 31
    for tmp, final, sent in written:
        assert tmp.is_file() and tmp.stat().st_size > 1_000
        assert final.parent == DataLayout(final.parents[2]).raw_folder("parcours")
        assert final.name == tmp.name and sent is not None
    names = sorted(final.name for _, final, _ in written)
    assert len(set(names)) == 31
    # Never named like the indicator files (`<pole>_…`), which the sample test tells apart by prefix.
    assert not any(n.startswith(("bourian_", "figeacteurs_", "bousol_", "eco-materiaux_")) for n in names)
    # A yearly file is sent after its year ends, and before the next year's file of the same pole.
    for tmp, _, sent in written:
        year = next((y for y in YEARS if str(y) in tmp.stem and "2015-2017" not in tmp.stem), 2017)
        assert sent.year == year + 1


def test_files_are_deterministic(tmp_path: Path, written: list) -> None:
    demo._all_stays.cache_clear()  # regenerate from scratch, not from the cached frame
    again = plan_demo_files(tmp_path / "staging", DataLayout(tmp_path / "data"))
    digest = [(t.name, hashlib.sha256(t.read_bytes()).hexdigest(), s) for t, _, s in written]
    assert digest == [(t.name, hashlib.sha256(t.read_bytes()).hexdigest(), s) for t, _, s in again]


def test_files_take_the_forms_poles_use(written: list) -> None:
    files = {tmp.name: tmp for tmp, _, _ in written}
    # French Excel CSV: CP1252 (not UTF-8), `;`, dates 03/02/2016, oui/non, decimal comma.
    bourian = files["parcours_bourian_2016.csv"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        bourian.decode("utf-8")
    table = _table(files["parcours_bourian_2016.csv"])
    assert list(table[0])[:3] == ["Pôle", "Identifiant", "Structure"]
    assert all(len(str(r["Date d'entrée"]).split("/")) == 3 for r in table)
    assert {r["DELD"] for r in table} == {"oui", "non"}
    assert any("," in str(r["Heures de formation"]) for r in table)
    assert "fictives" in str(table[0]["Commentaire"])
    # The tool export: UTF-8, `,`, ISO dates, categories and age bands.
    export = _table(files["export_parcours_re-sources_2015-2017.csv"])
    assert date.fromisoformat(str(export[0]["date_entree"])) < date(2015, 1, 1)
    assert {r["categorie_sortie"] for r in export} >= {"Emploi durable", "Sortie positive", ""}
    assert "tranche_age" in export[0] and "date_naissance" not in export[0]
    assert files["parcours_dombinnov_2016.csv"].read_bytes().startswith(b"\xef\xbb\xbf")
    # XLSX: title rows saying the data are fictitious, real date cells, some with names beside the id.
    for name in (
        "tableau_suivi_parcours_2016.xlsx",
        "parcours_phares_2016.xlsx",
        "parcours_isere_esci-alpen_2016.xlsx",
    ):
        rows = _cells(files[name])
        assert any("fictives" in str(r[0]) for r in rows[:4]), name
        table = _table(files[name])
        assert isinstance(table[0]["Date d'entrée"], datetime), name
    assert (
        _cells(files["tableau_suivi_parcours_2016.xlsx"])[1][0] == "Pôle : Pôle de Coopération Sud Aquitain"
    )
    assert {"Nom", "Prénom"} <= set(_table(files["parcours_phares_2017.xlsx"])[0])
    assert {"Nom", "Prénom"} <= set(_table(files["parcours_bousol_2017.csv"])[0])
    assert "Tranche d'âge" in _table(files["parcours_accompagnes_2015.xlsx"])[0]
    assert "Date de naissance" in _table(files["parcours_accompagnes_2016.xlsx"])[0]
    assert {r["Pôle"] for r in _table(files["parcours_isere_esci-alpen_2017.xlsx"])} == {"ESCI", "AlpEn"}


def test_files_hold_every_person_moves_and_resubmissions(written: list, stays: pd.DataFrame) -> None:
    files = {tmp.name: tmp for tmp, _, _ in written}
    seen: set[tuple[str, str]] = set()
    texts: list[str] = []
    for name, path in files.items():
        table = _table(path)
        prefix = name.rsplit("_", 1)[0].removesuffix("_2015-2017")
        for row in table:
            pole = FILE_POLE.get(prefix) or {"ESCI": "esci", "AlpEn": "alpen"}[row["Pôle"]]
            seen.add((pole, str(row.get("Identifiant") or row.get("N° personne") or row.get("identifiant"))))
            texts += [str(v) for v in row.values() if v]
    assert seen == set(zip(stays["pole_id"], stays["person_id"], strict=True))
    for reason in REASONS_TO_REVIEW:
        assert reason in texts, reason
    # Internal moves: one person, two structures, in one yearly file.
    rows_2016 = _table(files["parcours_bourian_2016.csv"])
    by_person = defaultdict(set)
    for row in rows_2016:
        by_person[row["Identifiant"]].add(row["Structure"])
    assert any(len(s) == 2 for s in by_person.values())
    # Resubmission: a stay still open in the 2016 file comes back in 2017 with its exit date.
    open_2016 = {(r["Identifiant"], r["Date d'entrée"]) for r in rows_2016 if not r["Date de sortie"]}
    closed_2017 = {
        (r["Identifiant"], r["Date d'entrée"])
        for r in _table(files["parcours_bourian_2017.csv"])
        if r["Date de sortie"]
    }
    assert len(open_2016 & closed_2017) > 20


def test_every_reason_maps_to_its_intended_category_but_the_ones_to_review(stays: pd.DataFrame) -> None:
    from pipelines.pathways.exits import load_exit_mapping

    mapping = load_exit_mapping()
    written = stays[stays["motif_sortie"].notna()]
    pairs = written[["motif_sortie", "categorie_prevue", "a_revoir"]].drop_duplicates()
    assert len(pairs) > 20
    for text, category, to_review in pairs.itertuples(index=False):
        reading = mapping.classify(text)
        if to_review:
            assert reading.category is None and reading.problem, text
        else:
            assert reading.category == category, (text, category, reading.category, reading.problem)

"""Fictitious demo data (`ptce sample`): plausible, coherent indicator files for the twelve poles.

The figures are invented; every file says so. They are written the ways French offices write them
(SPEC §2) so the demo exercises the real ingestion:
- poles 1–4: one XLSX per pole and year, wide (one column per indicator, French labels), title rows;
- poles 5–8: CSV from French Excel — CP1252, `;`, decimal comma, non-breaking-space thousands —
  long form, flows by quarter written `T3 2016`, stocks by year;
- poles 9–10: one UTF-8 CSV export of 2015–2017 with `,`, long form, quarters written `2016-T3`;
- poles 11–12: one XLSX per year, long form, title rows, both poles;
- targets for 2016–2017 in `raw/objectifs/`.
Each file is dated when a pole would have sent it; a few show the quality features (a late sending,
a corrected resubmission, missing targets, two mistyped rows). Output is deterministic: same bytes
on every run (fixed seeds, fixed XLSX timestamps).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.shared.domain import PlannedFile
from pipelines.shared.sample import DEMO_NOTICE, normalise_zip
from ptce.paths import DataLayout
from ptce.reference import Pole, load_catalog, load_poles

if TYPE_CHECKING:
    from openpyxl import Workbook

YEARS = (2015, 2016, 2017)
QUARTERLY_POLES = {5, 6, 7, 8, 9, 10}
# Pole-specific emphasis, after the working angles of seed 000 (CAE, groupement d'employeurs, pluri-activité).
_CAE = {4, 10, 11}
_GE = {1, 6, 11}
_PLURIACTIVE = {3}
_GEIQ = {1, 7, 8, 12}

# Submissions that show the quality features: a pole that never sent its 2017 targets, a pole
# that sent its 2016 figures late, and PHARES resending its 2016 table with two corrections.
MISSING_TARGETS = {("re_sources", 2017)}
LATE = {("figeacteurs", 2016): (2017, 5, 12)}
FIRST_VERSION_ERRORS = {("phares", 2016): {"salaries_cdi": 1.25, "sorties_emploi_durable": 0.6}}
# The pole whose answers to the call arrived after the deadline.
# Rows a pole typed wrongly, which the ingestion must quarantine with a reason (file, line, field).
FAULTY_ROWS = {
    ("bousol", 2017): [
        ["Bou'Sol", "2017", "Salariés en CDI", "env. 40", "chiffre à confirmer"],
        ["Bou Sole", "2017", "Entrées en parcours", "12", ""],
    ]
}

TARGET_CODES = ("emplois_crees", "personnes_accompagnees", "entrees_parcours", "sorties_emploi_durable")


@dataclass(frozen=True)
class DemoValue:
    pole_id: str
    annee: int
    trimestre: int | None
    code: str
    valeur: float


def _split(total: float, rng: random.Random, integer: bool) -> list[float]:
    """Split a yearly flow into four quarters that add up exactly."""
    weights = [rng.uniform(0.7, 1.3) for _ in range(4)]
    scale = total / sum(weights)
    if not integer:
        parts = [round(w * scale, 1) for w in weights[:3]]
        return [*parts, round(total - sum(parts), 1)]
    parts = [int(w * scale) for w in weights[:3]]
    return [*parts, int(total) - sum(parts)]


def _yearly_profile(pole: Pole) -> dict[int, dict[str, float]]:
    rng = random.Random(f"ptce-demo-{pole.pole_id}")
    n = pole.numero
    base_sal = rng.randint(40, 420)
    base_acc = rng.randint(40, 280)
    # A pole's structure (FTE per employee, share of CDI, exit profile…) is its own and moves
    # little from one year to the next: draw it once, then let it drift by a few points a year.
    ratios = {
        "etp": rng.uniform(0.62, 0.86),
        "cdi": rng.uniform(0.35, 0.7),
        "crees": rng.uniform(0.03, 0.1),
        "consolides": rng.uniform(0.02, 0.08),
        "entrees": rng.uniform(0.35, 0.6),
        "sorties": rng.uniform(0.3, 0.5),
        "durable": rng.uniform(0.18, 0.34),
        "transition": rng.uniform(0.14, 0.28),
        "positives": rng.uniform(0.08, 0.2),
        "heures": rng.uniform(20, 80),
        "certif": rng.uniform(0.05, 0.3),
        "mobilite": rng.uniform(0.02, 0.08),
        "formes": rng.uniform(0.2, 0.5),
        "tps": rng.uniform(0.04, 0.14),
    }

    def r(name: str) -> float:
        return ratios[name] * rng.uniform(0.93, 1.07)

    # Levels of the smaller counts, by the pole's profile (CAE, groupement d'employeurs…), drawn once.
    levels = {
        "ge": rng.randint(8, 25) if n in _GE else rng.randint(0, 4),
        "partages": rng.randint(10, 30) if n in _GE else rng.randint(0, 6),
        "geiq": rng.randint(4, 16) if n in _GEIQ else rng.randint(0, 2),
        "pluri": rng.randint(25, 45) if n in _PLURIACTIVE else rng.randint(0, 8),
        "porteurs": rng.randint(35, 80) if n in _CAE else rng.randint(2, 12),
        "es": rng.randint(20, 60) if n in _CAE else rng.randint(0, 5),
        "services": rng.randint(0, 4),
    }

    def level(name: str, k: int, growth: int = 0) -> int:
        return max(0, levels[name] + growth * k + rng.randint(-1, 1))

    out: dict[int, dict[str, float]] = {}
    for k, year in enumerate(YEARS):
        growth = 1 + 0.07 * k + rng.uniform(-0.03, 0.05)
        v: dict[str, float] = {}
        v["membres"] = max(5, round((8 + n % 7 * 3) * (1 + 0.1 * k)) + rng.randint(0, 2))
        v["salaries"] = round(base_sal * growth)
        v["etp"] = round(v["salaries"] * min(r("etp"), 0.95), 1)
        v["salaries_cdi"] = round(v["salaries"] * r("cdi"))
        v["emplois_crees"] = round(v["salaries"] * r("crees"))
        v["emplois_consolides"] = round(v["salaries"] * r("consolides"))
        v["etp_animation"] = round(rng.uniform(0.5, 1.5) + 0.3 * k, 1)
        v["personnes_accompagnees"] = round(base_acc * growth)
        acc = v["personnes_accompagnees"]
        v["entrees_parcours"] = round(acc * r("entrees"))
        exits = round(acc * r("sorties"))
        v["sorties_emploi_durable"] = round(exits * r("durable"))
        v["sorties_emploi_transition"] = round(exits * r("transition"))
        v["sorties_positives"] = round(exits * r("positives"))
        v["sorties_autres"] = exits - (
            v["sorties_emploi_durable"] + v["sorties_emploi_transition"] + v["sorties_positives"]
        )
        v["sorties"] = exits
        v["heures_formation"] = round(acc * r("heures"), 1)
        v["certifications"] = round(exits * r("certif"))
        v["mobilites_internes"] = round(acc * r("mobilite"))
        v["ge_employeurs"] = level("ge", k, 2 if n in _GE else 0)
        v["salaries_partages"] = level("partages", k, 3 if n in _GE else 0)
        v["etp_mutualises"] = round(v["salaries_partages"] * rng.uniform(0.4, 0.7), 1)
        v["contrats_geiq"] = level("geiq", k)
        v["pluriactifs"] = level("pluri", k, 4 if n in _PLURIACTIVE else 0)
        v["porteurs_accompagnes"] = level("porteurs", k, 5 if n in _CAE else 0)
        v["activites_creees"] = round(v["porteurs_accompagnes"] * rng.uniform(0.15, 0.35))
        v["entrepreneurs_salaries"] = level("es", k, 4 if n in _CAE else 0)
        v["emplois_crees_activites"] = round(v["activites_creees"] * rng.uniform(1.0, 1.6))
        v["salaries_formes"] = round(v["salaries"] * r("formes"))
        v["temps_partiel_subi"] = round(v["salaries"] * r("tps"))
        v["representation_salaries"] = 1 if (n + k) % 3 != 0 or k == 2 else 0
        v["services_salaries"] = level("services", k, 1)
        out[year] = v
    return out


def demo_values() -> list[DemoValue]:
    """The values the demo files state, pole by pole: yearly, or quarterly for flows of some poles.

    Tests compare what the pipeline loads with this list, computed independently of the parsers.
    """
    catalog = load_catalog()
    values: list[DemoValue] = []
    for pole in load_poles():
        rng = random.Random(f"ptce-demo-quarters-{pole.pole_id}")
        for year, yearly in _yearly_profile(pole).items():
            for ind in catalog.indicators:
                total = yearly[ind.code]
                if pole.numero in QUARTERLY_POLES and ind.agregation_trimestres == "somme":
                    for q, part in enumerate(_split(total, rng, ind.entier), start=1):
                        values.append(DemoValue(pole.pole_id, year, q, ind.code, part))
                else:
                    values.append(DemoValue(pole.pole_id, year, None, ind.code, total))
    # Quarters of exits must stay coherent: recompute `sorties` per quarter from its categories.
    by_key = {(v.pole_id, v.annee, v.trimestre, v.code): v for v in values}
    parts = ("sorties_emploi_durable", "sorties_emploi_transition", "sorties_positives", "sorties_autres")
    fixed: list[DemoValue] = []
    for v in values:
        if v.code == "sorties" and v.trimestre is not None:
            total = sum(by_key[(v.pole_id, v.annee, v.trimestre, c)].valeur for c in parts)
            v = DemoValue(v.pole_id, v.annee, v.trimestre, v.code, total)
        fixed.append(v)
    return fixed


def demo_targets() -> list[DemoValue]:
    """Yearly targets for 2016–2017: last year's figure plus an ambition of 5–20 %."""
    out = []
    for pole in load_poles():
        rng = random.Random(f"ptce-demo-targets-{pole.pole_id}")
        profile = _yearly_profile(pole)
        for year in (2016, 2017):
            if (pole.pole_id, year) in MISSING_TARGETS:
                continue
            for code in TARGET_CODES:
                out.append(
                    DemoValue(
                        pole.pole_id,
                        year,
                        None,
                        code,
                        round(profile[year - 1][code] * rng.uniform(1.05, 1.2)),
                    )
                )
    return out


# ---------------------------------------------------------------------------------------------------
# Writers


def _fr_number(value: float, nbsp: bool = True) -> str:
    """`1234.5` -> `1 234,5` with a non-breaking space, as French Excel exports it."""
    text = f"{value:,.1f}" if not float(value).is_integer() else f"{int(value):,}"
    return text.replace(",", "\u00a0" if nbsp else " ").replace(".", ",")


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _deterministic_xlsx(workbook: Workbook, path: Path) -> None:
    """Save an openpyxl workbook with fixed timestamps so the bytes never change."""
    fixed = datetime(2018, 1, 15, 9, 0, 0)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "Observatoire PTCE (démo)"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(normalise_zip(buffer.getvalue()))


def _write_wide_xlsx(path: Path, pole: Pole, rows: list[DemoValue], with_pole_column: bool) -> None:
    import openpyxl
    from openpyxl.styles import Font

    catalog = load_catalog()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Indicateurs"
    ws.append(["Observatoire PTCE — indicateurs annuels de l'emploi et des parcours"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"Pôle : {pole.nom}"])
    ws.append([DEMO_NOTICE])
    ws.append([])
    header = (["Pôle"] if with_pole_column else []) + ["Année"] + [i.libelle for i in catalog.indicators]
    ws.append(header)
    for cell in ws[5]:
        cell.font = Font(bold=True)
    by_year: dict[int, dict[str, float]] = {}
    for v in rows:
        by_year.setdefault(v.annee, {})[v.code] = v.valeur
    for year in sorted(by_year):
        vals = by_year[year]
        line: list[object] = [pole.nom_court] if with_pole_column else []
        line.append(year)
        line += [vals.get(i.code) for i in catalog.indicators]
        ws.append(line)
    _deterministic_xlsx(wb, path)


def _write_long_xlsx(path: Path, rows: list[DemoValue], title: str, value_header: str = "Valeur") -> None:
    import openpyxl
    from openpyxl.styles import Font

    catalog = load_catalog()
    poles = {p.pole_id: p for p in load_poles()}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Données"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([DEMO_NOTICE])
    ws.append([])
    ws.append(["N° pôle", "Nom du pôle", "Période", "Code indicateur", "Libellé", value_header])
    for v in rows:
        period = f"{v.annee}-T{v.trimestre}" if v.trimestre else v.annee
        pole = poles[v.pole_id]
        ws.append([pole.numero, pole.nom, period, v.code, catalog.label(v.code), v.valeur])
    # "Nom du pôle" and "Libellé" are informative; the parser keys on "N° pôle" and "Code indicateur".
    ws.cell(row=4, column=2).value = "Nom (pour information)"
    ws.cell(row=4, column=5).value = "Libellé (pour information)"
    _deterministic_xlsx(wb, path)


def _write_csv_cp1252(path: Path, pole: Pole, rows: list[DemoValue], faulty: list[list[str]] = ()) -> None:
    catalog = load_catalog()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Pôle", "Période", "Indicateur", "Valeur", "Commentaire"])
    for v in rows:
        period = f"T{v.trimestre} {v.annee}" if v.trimestre else str(v.annee)
        comment = DEMO_NOTICE if v.code == "membres" else ""
        writer.writerow([pole.nom_court, period, catalog.label(v.code), _fr_number(v.valeur), comment])
    for row in faulty:
        writer.writerow(row)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def _write_csv_utf8(path: Path, pole: Pole, rows: list[DemoValue]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=",", lineterminator="\n")
    writer.writerow(["pole", "periode", "indicateur", "valeur", "commentaire"])
    for v in rows:
        period = f"{v.annee}-T{v.trimestre}" if v.trimestre else str(v.annee)
        comment = "données fictives" if v.code == "membres" else ""
        writer.writerow([pole.pole_id, period, v.code, _plain_number(v.valeur), comment])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _slug(pole: Pole) -> str:
    return pole.pole_id.replace("_", "-")


def _sent_on(pole: Pole, year: int) -> datetime:
    """When the pole sent its figures for `year`: February of the next year, unless late."""
    y, m, d = LATE.get((pole.pole_id, year), (year + 1, 2, 8 + pole.numero))
    return datetime(y, m, d, 10, 0, tzinfo=UTC)


def _first_version(rows: list[DemoValue], errors: dict[str, float]) -> list[DemoValue]:
    """The values as first sent, with the mistakes the pole corrected later."""
    return [
        DemoValue(v.pole_id, v.annee, v.trimestre, v.code, round(v.valeur * errors[v.code]))
        if v.code in errors
        else v
        for v in rows
    ]


def demo_superseded() -> list[DemoValue]:
    """Values of the first versions that a later file replaced (for tests of the history)."""
    out = []
    for (pole_id, year), errors in FIRST_VERSION_ERRORS.items():
        rows = [v for v in demo_values() if v.pole_id == pole_id and v.annee == year and v.code in errors]
        out += _first_version(rows, errors)
    return out


def plan_demo_files(staging: Path, layout: DataLayout) -> list[PlannedFile]:
    """Write the demo indicator and target files in `staging`, each planned for its raw folder.

    Each file gets the date of its (fictitious) sending, which becomes its modification date and so
    its arrival time in the arrival register (`pipelines.shared.sample` moves them in place).
    """
    planned: list[PlannedFile] = []

    def plan(kind: str, name: str, sent: datetime | None) -> Path:
        tmp = staging / name
        planned.append((tmp, layout.raw_folder(kind) / name, sent))
        return tmp

    values = demo_values()
    poles = load_poles()
    by_pole = {p.pole_id: p for p in poles}
    for pole in poles:
        rows = [v for v in values if v.pole_id == pole.pole_id]
        rows.sort(key=lambda v: (v.annee, v.trimestre or 0, v.code))
        if pole.numero <= 4:
            for year in YEARS:
                year_rows = [v for v in rows if v.annee == year]
                errors = FIRST_VERSION_ERRORS.get((pole.pole_id, year))
                first = _first_version(year_rows, errors) if errors else year_rows
                name = f"{_slug(pole)}_indicateurs_{year}.xlsx"
                _write_wide_xlsx(
                    plan("indicateurs", name, _sent_on(pole, year)), pole, first, pole.numero % 2 == 1
                )
                if errors:
                    corrected = f"{_slug(pole)}_indicateurs_{year}_corrige.xlsx"
                    sent = _sent_on(pole, year).replace(month=4, day=3)
                    _write_wide_xlsx(
                        plan("indicateurs", corrected, sent), pole, year_rows, pole.numero % 2 == 1
                    )
        elif pole.numero <= 8:
            for year in YEARS:
                year_rows = [v for v in rows if v.annee == year]
                name = f"{_slug(pole)}_indicateurs_{year}.csv"
                faulty = FAULTY_ROWS.get((pole.pole_id, year), [])
                _write_csv_cp1252(plan("indicateurs", name, _sent_on(pole, year)), pole, year_rows, faulty)
        elif pole.numero <= 10:
            # One export of three years, sent at the start of 2018: late for 2015 and 2016.
            name = f"{_slug(pole)}_export_2015-2017.csv"
            _write_csv_utf8(plan("indicateurs", name, _sent_on(pole, 2017) - timedelta(days=20)), pole, rows)
    for year in YEARS:
        isere = [v for v in values if v.pole_id in {"esci", "alpen"} and v.annee == year]
        isere.sort(key=lambda v: (v.pole_id, v.annee, v.trimestre or 0, v.code))
        _write_long_xlsx(
            plan("indicateurs", f"isere_esci-alpen_indicateurs_{year}.xlsx", _sent_on(by_pole["esci"], year)),
            isere,
            f"Pôles isérois — tableau de bord emploi {year}",
        )
    _write_long_xlsx(
        plan("objectifs", "objectifs_2016-2017.xlsx", datetime(2016, 1, 20, 10, 0, tzinfo=UTC)),
        demo_targets(),
        "Objectifs annuels des pôles 2016-2017",
        value_header="Objectif",
    )
    return planned

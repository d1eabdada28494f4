"""Indicator and target files at scale (`ptce sample --scale N`, see `pipelines/shared/scale.py`).

One file per pole and year in `raw/indicateurs/`, every catalogue indicator, sent in February of
the next year:
- CSV (most poles): `<pole>_indicateurs_<year>.csv`, UTF-8 with BOM, `;`, decimal comma, long
  form `Pôle;Période;Indicateur;Valeur;Commentaire` with the pole's identifier and the indicator's
  code; the first row's comment says the data are fictitious;
- XLSX (`ScaleSpec.xlsx_share` of the poles): `<pole>_indicateurs_<year>.xlsx`, long form under a
  title and the notice, `Pôle` given by the pole's number, periods `2016-T3`;
- poles with an odd number send their flows by quarter (`T3 2016`; the catalogue's flows, those
  whose quarters add up), their stocks by year, as demo poles 5–10 do.
Targets (`raw/objectifs/objectifs_<year>_poles-0001-0250.csv`: one file per year from the second
and per block of 250 poles, as a regional network would gather them, sent in January): last
year's figure plus an ambition of 5–20 %, for the demo's four target codes.

The figures are drawn per pole from the seed and keep the catalogue's coherence (ETP ≤ salariés,
exits by category adding up to exits, integers where counted, 0/1 for yes/no); the pathway counts
(persons accompanied, entries, exits, hours, certifications, moves) are the ones the pole's
synthetic pathway files give (`pipelines.shared.scale.people_figures`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from pipelines.indicators.demo import TARGET_CODES
from pipelines.shared.sample import normalise_zip
from pipelines.shared.scale import (
    SCALE_NOTICE,
    PoleFlows,
    ScaleSink,
    ScaleSpec,
    decimal_comma,
    people_figures,
    sent_on,
    slug,
)
from ptce.reference import Catalog, Pole, load_catalog

KIND = "indicateurs"
TARGETS_KIND = "objectifs"
CSV_HEADER = ("Pôle", "Période", "Indicateur", "Valeur", "Commentaire")
XLSX_HEADER = ("Pôle", "Période", "Code indicateur", "Valeur", "Commentaire")
TARGETS_HEADER = ("Pôle", "Année", "Indicateur", "Objectif", "Commentaire")
EXIT_PARTS = ("sorties_emploi_durable", "sorties_emploi_transition", "sorties_positives", "sorties_autres")
# Profiles of the shipped poles, as in the demo (CAE, groupement d'employeurs, pluri-activité, GEIQ);
# a generated pole draws its own.
_SHIPPED_PROFILES = {
    "cae": {4, 10, 11},
    "ge": {1, 6, 11},
    "pluriactive": {3},
    "geiq": {1, 7, 8, 12},
}


def quarterly(pole: Pole) -> bool:
    """Poles with an odd number send their flows by quarter."""
    return pole.numero % 2 == 1


def _profile(spec: ScaleSpec, pole: Pole) -> dict[str, bool]:
    if pole.numero <= 12:
        return {name: pole.numero in numbers for name, numbers in _SHIPPED_PROFILES.items()}
    rng = spec.rng("profil", pole.numero)
    return {"cae": rng.random() < 0.25, "ge": rng.random() < 0.25, "pluriactive": rng.random() < 0.1,
            "geiq": rng.random() < 0.3}  # fmt: skip


def yearly_figures(spec: ScaleSpec, pole: Pole, flows: PoleFlows) -> dict[int, dict[str, float]]:
    """Every catalogue indicator of a pole, per year (its quarters: `file_values`)."""
    rng = spec.rng("indicateurs", pole.numero)
    people = people_figures(spec, flows)
    kind = _profile(spec, pole)
    n = pole.numero
    base_sal = rng.randint(40, 420)
    # A pole's structure (FTE per employee, share of CDI…) is its own and moves little from one
    # year to the next: drawn once, then drifting by a few points a year.
    ratios = {
        "etp": rng.uniform(0.62, 0.86),
        "cdi": rng.uniform(0.35, 0.7),
        "crees": rng.uniform(0.03, 0.1),
        "consolides": rng.uniform(0.02, 0.08),
        "formes": rng.uniform(0.2, 0.5),
        "tps": rng.uniform(0.04, 0.14),
    }
    growth_rate = rng.uniform(0.0, 0.05)

    def r(name: str) -> float:
        return ratios[name] * rng.uniform(0.95, 1.05)

    levels = {
        "ge": rng.randint(8, 25) if kind["ge"] else rng.randint(0, 4),
        "partages": rng.randint(10, 30) if kind["ge"] else rng.randint(0, 6),
        "geiq": rng.randint(4, 16) if kind["geiq"] else rng.randint(0, 2),
        "pluri": rng.randint(25, 45) if kind["pluriactive"] else rng.randint(0, 8),
        "porteurs": rng.randint(35, 80) if kind["cae"] else rng.randint(2, 12),
        "es": rng.randint(20, 60) if kind["cae"] else rng.randint(0, 5),
        "services": rng.randint(0, 4),
    }

    def level(name: str, grown: float) -> int:
        return max(0, round(levels[name] * grown) + rng.randint(-1, 1))

    members = 8 + n % 7 * 3
    out: dict[int, dict[str, float]] = {}
    for k, year in enumerate(spec.year_list):
        grown = (1 + growth_rate) ** k * rng.uniform(0.97, 1.03)
        v: dict[str, float] = dict(people[year])
        v["membres"] = max(5, round(members * 1.04**k) + rng.randint(0, 2))
        v["salaries"] = round(base_sal * grown)
        v["etp"] = round(v["salaries"] * min(r("etp"), 0.95), 1)
        v["salaries_cdi"] = round(v["salaries"] * r("cdi"))
        v["emplois_crees"] = round(v["salaries"] * r("crees"))
        v["emplois_consolides"] = round(v["salaries"] * r("consolides"))
        v["etp_animation"] = round(rng.uniform(0.5, 1.5) + 0.1 * k, 1)
        v["ge_employeurs"] = level("ge", grown)
        v["salaries_partages"] = level("partages", grown)
        v["etp_mutualises"] = round(v["salaries_partages"] * rng.uniform(0.4, 0.7), 1)
        v["contrats_geiq"] = level("geiq", grown)
        v["pluriactifs"] = level("pluri", grown)
        v["porteurs_accompagnes"] = level("porteurs", grown)
        v["activites_creees"] = round(v["porteurs_accompagnes"] * rng.uniform(0.15, 0.35))
        v["entrepreneurs_salaries"] = level("es", grown)
        v["emplois_crees_activites"] = round(v["activites_creees"] * rng.uniform(1.0, 1.6))
        v["salaries_formes"] = round(v["salaries"] * r("formes"))
        v["temps_partiel_subi"] = round(v["salaries"] * r("tps"))
        v["representation_salaries"] = 1 if (n + k) % 3 != 0 or k >= 2 else 0
        v["services_salaries"] = level("services", grown)
        out[year] = v
    return out


def _split(total: float, integer: bool, rng_uniform: list[float]) -> list[float]:
    """A yearly flow cut into four quarters that add up exactly (in tenths for decimals)."""
    units = round(total) if integer else round(total * 10)
    scale = units / sum(rng_uniform)
    parts = [int(w * scale) for w in rng_uniform[:3]]
    parts.append(units - sum(parts))
    return [float(p) if integer else p / 10 for p in parts]


def file_values(
    spec: ScaleSpec, pole: Pole, catalog: Catalog, figures: dict[int, dict[str, float]]
) -> Iterator[tuple[int, list[tuple[int | None, str, float]]]]:
    """Per year, the values a pole's file states: (quarter or None, code, value), in file order."""
    rng = spec.rng("trimestres", pole.numero)
    by_quarter = quarterly(pole)
    for year in spec.year_list:
        v = figures[year]
        yearly: list[tuple[int | None, str, float]] = []
        quarters: dict[int, list[tuple[int | None, str, float]]] = {1: [], 2: [], 3: [], 4: []}
        exits = [0.0] * 4
        for ind in catalog.indicators:
            if not (by_quarter and ind.agregation_trimestres == "somme"):
                yearly.append((None, ind.code, v[ind.code]))
                continue
            if ind.code == "sorties":
                continue  # the sum of the four categories, quarter by quarter (added below)
            parts = _split(v[ind.code], ind.entier, [rng.uniform(0.7, 1.3) for _ in range(4)])
            for q, part in enumerate(parts, start=1):
                quarters[q].append((q, ind.code, part))
                if ind.code in EXIT_PARTS:
                    exits[q - 1] += part
        if by_quarter:
            for q in quarters:
                quarters[q].append((q, "sorties", exits[q - 1]))
        yield year, [*yearly, *(row for q in (1, 2, 3, 4) for row in quarters[q])]


def _csv_period(year: int, quarter: int | None) -> str:
    return f"T{quarter} {year}" if quarter else str(year)


def _csv_rows(pole: Pole, year: int, rows: list[tuple[int | None, str, float]]) -> list[list[str]]:
    out = [[pole.pole_id, _csv_period(year, q), code, decimal_comma(value), ""] for q, code, value in rows]
    if out:  # the notice rides in the first row's comment
        out[0][-1] = SCALE_NOTICE
    return out


def _xlsx_bytes(pole: Pole, year: int, rows: list[tuple[int | None, str, float]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)  # streamed: several times faster than the default mode
    ws = wb.create_sheet("Indicateurs")
    ws.append([f"Tableau de bord des indicateurs {year}"])
    ws.append([SCALE_NOTICE])
    ws.append([])
    ws.append(list(XLSX_HEADER))
    for quarter, code, value in rows:
        period: int | str = f"{year}-T{quarter}" if quarter else year
        ws.append([pole.numero, period, code, int(value) if float(value).is_integer() else value, None])
    fixed = datetime(2018, 1, 15, 9, 0, 0)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "Observatoire PTCE (données synthétiques)"
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalise_zip(buffer.getvalue())


class ScaleWriter:
    """Every pole's indicator files, one per year; the targets files, one per year, at the end."""

    def __init__(self, spec: ScaleSpec, sink: ScaleSink) -> None:
        self.spec, self.sink = spec, sink
        self.catalog = load_catalog()
        self.target_years = list(spec.year_list)[1:] if spec.targets else []
        self.target_rows = dict.fromkeys(self.target_years, 0)
        # One targets file per year holds every pole: kept open while the poles go by.
        self.targets: dict[int, tuple[IO[str], Any]] = {}
        for year in self.target_years:
            fh = sink.open_csv(TARGETS_KIND, self._target_name(year))
            writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
            writer.writerow(TARGETS_HEADER)
            self.targets[year] = (fh, writer)

    def _target_name(self, year: int) -> str:
        return f"objectifs_{year}_{self.sink.block_label()}.csv"

    def pole(self, pole: Pole, flows: PoleFlows) -> None:
        spec, sink = self.spec, self.sink
        figures = yearly_figures(spec, pole, flows)
        xlsx = pole.numero in spec.xlsx_poles
        for year, rows in file_values(spec, pole, self.catalog, figures):
            sent = sent_on(year + 1, 2, pole)
            if xlsx:
                name = f"{slug(pole)}_{KIND}_{year}.xlsx"
                sink.write_bytes(KIND, name, _xlsx_bytes(pole, year, rows), sent, len(rows))
            else:
                sink.write_csv(
                    KIND, f"{slug(pole)}_{KIND}_{year}.csv", CSV_HEADER, _csv_rows(pole, year, rows), sent
                )
        rng = spec.rng("objectifs", pole.numero)
        for year in self.target_years:
            writer = self.targets[year][1]
            for code in TARGET_CODES:
                goal = round(figures[year - 1][code] * rng.uniform(1.05, 1.2))
                writer.writerow(
                    (pole.pole_id, year, code, goal, "" if self.target_rows[year] else SCALE_NOTICE)
                )
                self.target_rows[year] += 1

    def finish(self) -> None:
        for year, (fh, _) in self.targets.items():
            fh.close()
            sent = datetime(year, 1, 20, 10, self.sink.block.start % 60, tzinfo=UTC)
            self.sink.done(TARGETS_KIND, self._target_name(year), sent, self.target_rows[year])

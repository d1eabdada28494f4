"""The report of one year, built from the published warehouse as the funder sees it.

`build_report` reads through `ptce.read` as `Viewer("funder")`, so every count of persons under the
small-cell threshold arrives masked (with secondary suppression) and is carried into the report as
the read's label (« < 5 », « s »). Data quality and completeness are staff reads: the report takes
from them only pole-level statuses and counts of files and rows, never a file's text or a value.
Every table row names its raw files (`ptce.read.sources`); a network figure names the files of the
poles it adds up.

The sections, in order: the year in brief (the summary sentences and headline figures), key figures
by working angle, pathways, pooled employment and activity creation, job quality, the poles (one
part per pole, `reports/poles.py`), learning visits and practices, completeness and quality, the
methodological annex. The sections of the community's life, of data quality and the annex are in
`reports/community.py`.

A national network (more than `national.DETAIL_POLE_LIMIT` poles) is shown by distributions: each
table with one row per pole goes to the workbook only, the printed report giving the poles'
quartiles and a histogram where a chart had one bar per pole (`reports/national.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property

import pandas as pd

from dashboards.comparaison.charts import adjusted_figure
from dashboards.overview.charts import network_domain_figure
from dashboards.parcours.charts import exits_figure, rates_figure
from dashboards.shared.angle_charts import network_figure, poles_figure
from ptce import small_cells
from ptce.fmt import fmt_number, fmt_percent, fmt_value, local_time
from ptce.read import angles, indicators, pathways, sources
from ptce.read.base import Viewer, Warehouse
from reports import community, national, poles, sentences
from reports.charts import distribution_figure, gaps_figure
from reports.model import (
    Column,
    KeyFigure,
    Publication,
    Report,
    ReportChart,
    ReportError,
    ReportTable,
    Section,
)
from reports.tables import (
    cell,
    indicator_column,
    is_missing,
    network_cell,
    number,
    pole_label,
    yes_no,
)
from reports.tables import sources as join_sources
from reports.xlsx import sheet_name

FUNDER = Viewer("funder")
Progress = Callable[[str], None]

# The working angles of seed 000 with the sections that detail them (the catalogue's domains).
ANGLE_SECTIONS = {
    "mutualisation_creation": ("Emploi mutualisé et création d'activités", ("mutualisation", "creation")),
    "qualite_emploi": ("Qualité de l'emploi", ("qualite",)),
}
# Indicators of another domain shown with an angle (the share of CDI with job quality), as the
# dashboards' angle pages do.
ANGLE_EXTRA = {"qualite": ("part_cdi",)}
ADJUSTED_INDICATOR = "taux_sortie_dynamique"
PATHWAYS_SHEET = "Parcours et sécurisation"
# Rates are shown in the network tables as percentages, with their unit in a column.
PERCENT_UNITS = {"%", "oui/non"}


@dataclass(frozen=True)
class _FileIndex:
    """The raw files of the indicator values, by value, by network figure and by pole and year."""

    by_value: dict[tuple[str, int, str], list[str]]
    by_network: dict[tuple[str, int], list[str]]
    by_pole_year: dict[tuple[str, int], list[str]]


@dataclass
class Context:
    """What every section reads once: the year, the poles, the catalogue and the files by value."""

    wh: Warehouse
    year: int
    years: list[int]
    poles: pd.DataFrame
    catalog: pd.DataFrame
    files: pd.DataFrame  # indicator_files: pole_id, annee, code, fichiers
    pathway_files: dict[str, list[str]]
    cache: dict[str, object] = field(default_factory=dict)

    @property
    def national(self) -> bool:
        """Whether the poles are too many to be shown one by one in the printed report."""
        return national.is_national(len(self.poles))

    @property
    def previous_years(self) -> list[int]:
        return sorted(y for y in self.years if y <= self.year)

    @cached_property
    def _file_index(self) -> _FileIndex:
        # One pass over the files of every value, so that a lookup is a dict access: filtering the
        # frame for each table row scanned poles x years x codes rows each time, quadratic in the
        # poles (most of a minute at 100 poles, hours at 2,000). Years after the report's are
        # never asked for.
        files = self.files[self.files["annee"] <= self.year]
        index = _FileIndex({}, {}, {})
        by_network: dict[tuple[str, int], list[list[str]]] = {}
        by_pole_year: dict[tuple[str, int], list[list[str]]] = {}
        columns = [files[c].tolist() for c in ("pole_id", "annee", "code", "fichiers")]
        for pole_id, annee, code, paths in zip(*columns, strict=True):
            index.by_value[(code, annee, pole_id)] = paths
            by_network.setdefault((code, annee), []).append(paths)
            by_pole_year.setdefault((pole_id, annee), []).append(paths)
        index.by_network.update({k: [f for p in v for f in p] for k, v in by_network.items()})
        index.by_pole_year.update({k: [f for p in v for f in p] for k, v in by_pole_year.items()})
        return index

    def value_files(self, code: str, year: int, pole_id: str | None = None) -> list[str]:
        """The files of one value (one pole), or of the network figure (every pole's)."""
        if pole_id is None:
            return list(self._file_index.by_network.get((code, year), ()))
        return list(self._file_index.by_value.get((code, year, pole_id), ()))

    def pole_year_files(self, pole_id: str, year: int) -> list[str]:
        """The files of every indicator value of one pole for one year."""
        return list(self._file_index.by_pole_year.get((pole_id, year), ()))

    def codes_files(self, codes: list[str], year: int, pole_id: str | None = None) -> list[str]:
        return [f for code in codes for f in self.value_files(code, year, pole_id)]

    def all_pathway_files(self) -> list[str]:
        return [f for files in self.pathway_files.values() for f in files]


def build_report(wh: Warehouse, year: int, *, progress: Progress | None = None) -> Report:
    """The report of `year` from the published warehouse `wh`, as the funder may read it.

    Raises `ReportError` (in French) when the warehouse holds no figure for `year`.
    """
    say = progress or (lambda _line: None)
    years = indicators.years(wh, FUNDER)
    if year not in years:
        available = ", ".join(str(y) for y in sorted(years)) or "aucune"
        raise ReportError(
            f"Aucune donnée pour l'année {year} dans l'entrepôt publié : le rapport ne peut pas être "
            f"construit (années disponibles : {available})."
        )
    publication = indicators.publication(wh, FUNDER).iloc[0]
    say("Lecture de l'entrepôt publié…")
    ctx = Context(
        wh=wh,
        year=year,
        years=sorted(years),
        poles=indicators.poles(wh, FUNDER),
        catalog=indicators.catalog(wh, FUNDER),
        files=sources.indicator_files(wh, FUNDER),
        pathway_files=dict(
            zip(
                *(lambda d: (d["pole_id"], d["fichiers"]))(sources.pathway_files(wh, FUNDER, year)),
                strict=True,
            )
        ),
    )
    ctx.cache["catalogue_version"] = str(publication["catalogue_version"])
    steps: list[tuple[str, Callable[[Context], Section]]] = [
        (f"Synthèse de l'année {year}…", summary_section),
        ("Chiffres clés par angle de travail…", key_figures_section),
        ("Parcours vers l'emploi…", pathways_section),
        ("Emploi mutualisé et création d'activités…", lambda c: angles_section(c, "mutualisation_creation")),
        ("Qualité de l'emploi…", lambda c: angles_section(c, "qualite_emploi")),
        ("Pages des pôles…", poles.poles_section),
        ("Visites apprenantes et pratiques partagées…", community.visits_section),
        ("Complétude et qualité des données…", community.quality_section),
        ("Annexe méthodologique…", community.annex_section),
    ]
    sections = []
    for line, build in steps:
        say(line)
        sections.append(build(ctx))
    summary = list(sections[0].paragraphs)
    demo = bool(publication["donnees_demo"])
    return Report(
        year=year,
        title=f"Communauté apprenante PTCE — rapport {year}",
        subtitle=(
            "Emploi et sécurisation des parcours : l'impact des pôles territoriaux de coopération "
            "économique, pour la Fondation de France"
        ),
        demo=demo,
        publication=Publication(
            run_id=str(publication["run_id"]),
            # On the Paris clock, as the pages show it; naive so that the workbook can store it.
            published_at=local_time(publication["published_at"]).replace(tzinfo=None),
            catalogue_version=str(publication["catalogue_version"]),
            file_count=int(publication["nb_fichiers"]),
        ),
        threshold=small_cells.threshold(),
        summary=summary,
        sections=sections,
        generated_at=datetime.now(),
    )


# --- 1. The year in brief ------------------------------------------------------------------------


def _key_figure(
    label: str,
    value: object,
    previous: object,
    unite: str,
    nb_poles: object,
    year: int,
    files: list[str],
) -> KeyFigure:
    shown = network_cell(value, nb_poles)
    rate = unite in PERCENT_UNITS
    if isinstance(shown, str):
        return KeyFigure(label, None, shown, unit=unite, masked=True, sources=join_sources(files))
    if shown is None:
        return KeyFigure(label, None, "–", unit=unite, sources=join_sources(files))
    change = sentences.figure_change(shown, number(previous), year - 1, rate=rate)
    if unite == "oui/non":
        # The network figure of a yes/no indicator is the share of poles answering yes.
        label = f"{label} : part des pôles répondant oui"
        return KeyFigure(
            label, shown, fmt_percent(shown), unit="%", change=change, sources=join_sources(files)
        )
    return KeyFigure(
        label, shown, fmt_value(shown, unite), unit=unite, change=change, sources=join_sources(files)
    )


def summary_section(ctx: Context) -> Section:
    """« L'année Y en bref »: 3 to 6 sentences computed from the figures, the headline figures."""
    year = ctx.year
    figures = indicators.key_figures(ctx.wh, FUNDER, year)
    by_code = figures.set_index("code")
    key_figures = [
        _key_figure(
            row.libelle,
            row.valeur,
            row.valeur_precedente,
            row.unite,
            row.nb_poles,
            year,
            ctx.value_files(row.code, year),
        )
        for row in figures.itertuples(index=False)
    ]

    def value(code: str, column: str = "valeur") -> float | None:
        return number(by_code.at[code, column]) if code in by_code.index else None

    total_poles = len(ctx.poles)
    reporting = (
        by_code.at["personnes_accompagnees", "nb_poles"]
        if "personnes_accompagnees" in by_code.index
        else None
    )
    visits = community.year_counts(ctx)
    lines = [
        sentences.persons_sentence(
            value("personnes_accompagnees"),
            value("personnes_accompagnees", "valeur_precedente"),
            year,
            None if is_missing(reporting) else int(reporting),
            total_poles,
        ),
        sentences.jobs_sentence(value("emplois_crees"), value("emplois_consolides"), year),
        sentences.exits_sentence(
            value("taux_sortie_dynamique"),
            value("taux_sortie_dynamique", "valeur_precedente"),
            value("sorties_emploi_durable"),
            year,
        ),
        sentences.visits_sentence(
            visits.get("visites_apprenantes"),
            visits.get("seminaires"),
            visits.get("pratiques_partagees"),
            year,
        ),
        community.reporting_summary(ctx),
    ]
    paragraphs = [line for line in lines if line]
    return Section(
        key="synthese",
        title=f"L'année {year} en bref",
        paragraphs=paragraphs,
        key_figures=key_figures,
        page_break=True,
    )


# --- 2. Key figures by working angle -------------------------------------------------------------


def _network_table_rows(ctx: Context, trends: pd.DataFrame) -> tuple[list[tuple], list[str]]:
    """One row per indicator: label, unit, then its network value each year (rates in %)."""
    rows, row_sources = [], []
    for code, data in trends.groupby("code", sort=False):
        first = data.iloc[0]
        unite = str(first["unite"])
        by_year = data.set_index("annee")
        cells = []
        files: list[str] = []
        for y in ctx.previous_years:
            if y not in by_year.index:
                cells.append(None)
                continue
            shown = network_cell(by_year.at[y, "valeur"], by_year.at[y, "nb_poles"])
            if isinstance(shown, float) and unite in PERCENT_UNITS:
                shown = shown * 100
            cells.append(shown)
            files += ctx.value_files(str(code), y)
        unit_word = "% des pôles" if unite == "oui/non" else unite
        rows.append((str(first["libelle"]), unit_word, *cells))
        row_sources.append(join_sources(files))
    return rows, row_sources


def key_figures_section(ctx: Context) -> Section:
    """Each working angle: the network's figures of the year with their change, the series over
    the years (one XLSX sheet per angle), the overview's chart."""
    year = ctx.year
    trends = indicators.network_trends(ctx.wh, FUNDER)
    trends = trends[trends["annee"] <= year]
    subsections = []
    for domain, data in trends.groupby("domaine_ordre", sort=True):
        angle = str(data["domaine_libelle"].iloc[0])
        code_domain = str(data["domaine"].iloc[0])
        figures = []
        for code, rows in data.groupby("code", sort=False):
            by_year = rows.set_index("annee")
            if year not in by_year.index:
                continue
            current = by_year.loc[year]
            previous = by_year.at[year - 1, "valeur"] if year - 1 in by_year.index else None
            figures.append(
                _key_figure(
                    str(current["libelle"]),
                    current["valeur"],
                    previous,
                    str(current["unite"]),
                    current["nb_poles"],
                    year,
                    ctx.value_files(str(code), year),
                )
            )
        rows, row_sources = _network_table_rows(ctx, data)
        table = ReportTable(
            key=f"reseau_{code_domain}",
            title=f"{angle} : chiffres du réseau par année",
            columns=(
                Column("Indicateur"),
                Column("Unité"),
                *(Column(str(y), "number", 2) for y in ctx.previous_years),
            ),
            rows=tuple(rows),
            sources=tuple(row_sources),
            note=(
                "Chiffre du réseau selon la règle du catalogue (total des pôles, part des pôles "
                "répondant oui, rapport des sommes pour une part ou un taux, exprimé en %). "
                + small_cells.note()
            ),
            sheet=angle,
        )
        chart = ReportChart(
            key=f"reseau_{code_domain}",
            title=f"{angle} : le réseau au fil des années",
            figure=network_domain_figure(data),
            alt=f"Chiffres du réseau par année pour l'angle « {angle} », un petit graphique par indicateur.",
            height=520,
        )
        subsections.append(
            Section(
                key=f"chiffres_{code_domain}",
                title=angle,
                key_figures=figures,
                tables=[table],
                charts=[chart],
                page_break=False,
            )
        )
        del domain
    return Section(
        key="chiffres_cles",
        title="Chiffres clés du réseau par angle de travail",
        paragraphs=[
            f"Chiffres du réseau en {year} pour chacun des cinq angles de travail de la communauté, "
            f"avec leur évolution par rapport à {year - 1} ; un nombre de personnes inférieur à "
            f"{small_cells.threshold()} n'est jamais publié."
        ],
        subsections=subsections,
    )


# --- 3. Pathways ---------------------------------------------------------------------------------


def _exit_table(ctx: Context, exits: pd.DataFrame) -> ReportTable:
    years = [y for y in (ctx.year - 1, ctx.year) if y in set(exits["annee"].astype(int))]
    rows, row_sources = [], []
    files = join_sources(ctx.all_pathway_files())
    for code, label in pathways.EXIT_LABELS.items():
        data = exits[exits["categorie"] == code]
        if data.empty:
            continue
        by_year = data.set_index(data["annee"].astype(int))
        cells = [
            cell(by_year.at[y, "personnes"], by_year.at[y, "libelle"] if by_year.at[y, "masque"] else None)
            if y in by_year.index
            else 0.0
            for y in years
        ]
        dynamic = "oui" if code in pathways.DYNAMIC_CATEGORIES else "non"
        counted = "non" if code == pathways.WITHDRAWN else "oui"
        rows.append((label, dynamic, counted, *cells))
        row_sources.append(files)
    return ReportTable(
        key="sorties_categories",
        title=f"Sorties de parcours par catégorie, {' et '.join(str(y) for y in years)} (personnes)",
        columns=(
            Column("Catégorie de sortie"),
            Column("Sortie dynamique"),
            Column("Comptée dans les sorties"),
            *(Column(f"{y} (personnes)", "count") for y in years),
        ),
        rows=tuple(rows),
        sources=tuple(row_sources),
        note="Une sortie par parcours terminé, tirée des fichiers de parcours des pôles. "
        + small_cells.note(),
        sheet=PATHWAYS_SHEET,
    )


def _by_pole(by_pole: pd.DataFrame) -> dict[str, dict[str, tuple[object, object]]]:
    """The values and masks of a read by pole, then by code, in one pass: filtering the frame for
    each pole was quadratic in the poles, and a pandas call per pole costs minutes at 2,000."""
    found: dict[str, dict[str, tuple[object, object]]] = {}
    for pole_id, code, value, mask in zip(
        by_pole["pole_id"], by_pole["code"], by_pole["valeur"], by_pole["masque"], strict=True
    ):
        found.setdefault(str(pole_id), {})[str(code)] = (value, mask)
    return found


def _rates_frame(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Each pole's exits and dynamic-exit rate of the year, then the network (indicators read);
    also the network's figures of the year by code and the read by pole they come from."""
    by_pole = angles.angle_poles(ctx.wh, FUNDER, "parcours", ctx.year)
    network = angles.angle_network(ctx.wh, FUNDER, "parcours")
    network = network[network["annee"] == ctx.year].set_index("code")
    rows = []
    grouped = _by_pole(by_pole)
    for pole in ctx.poles.itertuples(index=False):
        data = grouped.get(str(pole.pole_id), {})
        exits_value, exits_mask = data.get("sorties", (None, None))
        rate_value, rate_mask = data.get(ADJUSTED_INDICATOR, (None, None))
        if is_missing(exits_value) and not exits_mask:
            continue
        rows.append(
            {
                "pole_id": pole.pole_id,
                "numero": pole.numero,
                "nom": pole.nom_court or pole.nom,
                "nom_long": pole.nom,
                "sorties": number(exits_value),
                "sorties_masque": bool(exits_mask),
                "sorties_libelle": exits_mask or fmt_number(number(exits_value)),
                "taux": number(rate_value),
                "taux_masque": rate_mask,
            }
        )
    exits_total = network.at["sorties", "valeur"] if "sorties" in network.index else None
    rows.append(
        {
            "pole_id": None,
            "numero": None,
            "nom": "Réseau",
            "nom_long": "Réseau",
            "sorties": number(exits_total),
            "sorties_masque": is_missing(exits_total),
            "sorties_libelle": small_cells.SECONDARY_LABEL
            if is_missing(exits_total)
            else fmt_number(number(exits_total)),
            "taux": number(network.at[ADJUSTED_INDICATOR, "valeur"])
            if ADJUSTED_INDICATOR in network.index
            else None,
            "taux_masque": None,
        }
    )
    frame = pd.DataFrame(rows)
    return frame, network, by_pole


def _rates_table(ctx: Context, rates: pd.DataFrame) -> ReportTable:
    rows, row_sources = [], []
    parts = ["sorties", "sorties_emploi_durable", "sorties_emploi_transition", "sorties_positives"]
    for r in rates.itertuples(index=False):
        exits_cell = r.sorties_libelle if r.sorties_masque else r.sorties
        rate_cell = cell(r.taux, r.taux_masque)
        pole_id = None if is_missing(r.pole_id) else str(r.pole_id)
        name = "Réseau" if pole_id is None else pole_label(r.numero, r.nom_long)
        rows.append((name, exits_cell, rate_cell))
        row_sources.append(join_sources(ctx.codes_files(parts, ctx.year, pole_id)))
    return ReportTable(
        key="taux_sorties_dynamiques",
        title=f"Taux de sorties dynamiques par pôle en {ctx.year}",
        columns=(
            Column("Pôle"),
            Column("Sorties hors retraits (personnes)", "count"),
            Column("Taux de sorties dynamiques", "percent", 1),
        ),
        rows=tuple(rows),
        sources=tuple(row_sources),
        note=(
            "Taux = (sorties vers l'emploi durable + vers l'emploi de transition + sorties positives) "
            "/ sorties hors retraits, d'après les indicateurs transmis par les pôles. Un taux est masqué "
            "avec les effectifs dont il est tiré. " + small_cells.note()
        ),
        sheet=PATHWAYS_SHEET,
    )


def _adjusted_table(ctx: Context, adjusted: pd.DataFrame) -> ReportTable:
    rows, row_sources = [], []
    for r in adjusted.itertuples(index=False):
        verdict = pathways.ADJUSTED_VERDICT_LABELS.get(r.verdict) if isinstance(r.verdict, str) else None
        if verdict is None:
            verdict = f"Moins de {pathways.ADJUSTED_MIN_EXITS} sorties : pas de comparaison"
        rows.append(
            (
                pole_label(r.numero, r.nom),
                cell(r.taux_observe),
                cell(r.taux_attendu),
                None if is_missing(r.ecart) else round(float(r.ecart) * 100, 1),
                None if is_missing(r.ic_bas) else round(float(r.ic_bas) * 100, 1),
                None if is_missing(r.ic_haut) else round(float(r.ic_haut) * 100, 1),
                verdict,
            )
        )
        row_sources.append(join_sources(ctx.pathway_files.get(r.pole_id, [])))
    return ReportTable(
        key="comparaison_ajustee",
        title=f"Comparaison ajustée du taux de sorties dynamiques en {ctx.year}",
        columns=(
            Column("Pôle"),
            Column("Taux observé", "percent", 1),
            Column("Taux attendu", "percent", 1),
            Column("Écart (points)", "number", 1),
            Column("Intervalle à 95 % : bas (points)", "number", 1),
            Column("Intervalle à 95 % : haut (points)", "number", 1),
            Column("Verdict"),
        ),
        rows=tuple(rows),
        sources=tuple(row_sources),
        note=(
            "Taux tirés des fichiers de parcours (une sortie par parcours terminé), comparés au taux "
            "attendu compte tenu du profil des personnes sorties ; méthode en annexe. Le nombre de "
            "sorties de chaque pôle n'est pas repris ici : publié sans total, il pourrait permettre "
            "de retrouver un effectif masqué dans un autre tableau."
        ),
        sheet=PATHWAYS_SHEET,
    )


def _adjusted_sentence(adjusted: pd.DataFrame) -> str | None:
    verdicts = adjusted["verdict"].dropna()
    return sentences.adjusted_sentence(
        int((verdicts == "au-dessus").sum()),
        int((verdicts == "conforme").sum()),
        int((verdicts == "en dessous").sum()),
    )


def pathways_section(ctx: Context) -> Section:
    """Exit categories, the dynamic-exit rate by pole, the adjusted comparison."""
    year = ctx.year
    exits = pathways.exit_categories(ctx.wh, FUNDER)
    exits = exits[exits["annee"].astype(int) <= year]
    rates, network, by_pole = _rates_frame(ctx)
    adjusted = pathways.adjusted_comparison(ctx.wh, FUNDER, year, ADJUSTED_INDICATOR)
    figures = indicators.key_figures(ctx.wh, FUNDER, year).set_index("code")

    def key(code: str, column: str) -> float | None:
        return number(figures.at[code, column]) if code in figures.index else None

    paragraphs = [
        sentences.exits_sentence(
            key(ADJUSTED_INDICATOR, "valeur"),
            key(ADJUSTED_INDICATOR, "valeur_precedente"),
            key("sorties_emploi_durable", "valeur"),
            year,
        ),
        _adjusted_sentence(adjusted),
        "Les retraits (décès, déménagement, longue maladie…) ne sont pas comptés dans les sorties.",
    ]
    tables = []
    charts = []
    if not exits.empty:
        tables.append(_exit_table(ctx, exits))
        charts.append(
            ReportChart(
                key="sorties_categories",
                title="Sorties de parcours par année et par catégorie",
                figure=exits_figure(exits),
                alt="Sorties de parcours du réseau par année, empilées par catégorie de sortie.",
            )
        )
    if ctx.national:
        national_tables, national_charts = _national_pathways(ctx, rates, network, by_pole, adjusted)
        paragraphs.append(
            national.workbook_sentence(
                len(ctx.poles),
                f"feuille « {sheet_name(PATHWAYS_SHEET, set())} » : taux et comparaison ajustée",
            )
        )
        return Section(
            key="parcours",
            title="Parcours vers l'emploi",
            paragraphs=[p for p in paragraphs if p],
            charts=charts + national_charts,
            tables=tables + national_tables,
        )
    tables.append(_rates_table(ctx, rates))
    charts.append(
        ReportChart(
            key="taux_sorties_dynamiques",
            title=f"Taux de sorties dynamiques par pôle en {year}",
            figure=rates_figure(rates, None),
            alt=f"Barres du taux de sorties dynamiques de chaque pôle et du réseau en {year}.",
            height=520,
        )
    )
    if not adjusted.empty:
        tables.append(_adjusted_table(ctx, adjusted))
        if adjusted["verdict"].notna().any():
            charts.append(
                ReportChart(
                    key="comparaison_ajustee",
                    title=f"Écart de chaque pôle à son taux attendu en {year}",
                    figure=adjusted_figure(adjusted),
                    alt="Écart de chaque pôle à son taux attendu, en points, avec son intervalle à 95 %.",
                    height=max(300, 120 + 40 * int(adjusted["verdict"].notna().sum())),
                )
            )
    return Section(
        key="parcours",
        title="Parcours vers l'emploi",
        paragraphs=[p for p in paragraphs if p],
        charts=charts,
        tables=tables,
    )


def _national_pathways(
    ctx: Context, rates: pd.DataFrame, network: pd.DataFrame, by_pole: pd.DataFrame, adjusted: pd.DataFrame
) -> tuple[list[ReportTable], list[ReportChart]]:
    """The rates and the adjusted comparison of a national network: the spread of the rates, the
    poles by verdict (named when few are off their expected rate), histograms; every pole's row in
    the workbook."""
    year = ctx.year
    by_code = {str(code): rows for code, rows in by_pole.groupby("code", sort=False)}
    rows, row_sources = [], []
    for code in ("sorties", ADJUSTED_INDICATOR):
        data = by_code.get(code)
        if data is None or data.empty:
            continue
        known = code in network.index
        rows.append(
            national.distribution_row(
                str(data["libelle"].iloc[0]),
                str(data["unite"].iloc[0]),
                data["valeur"],
                data["masque"],
                network.at[code, "valeur"] if known else None,
                network.at[code, "nb_poles"] if known else None,
            )
        )
        row_sources.append(join_sources(ctx.value_files(code, year)))
    count = fmt_number(len(ctx.poles))
    tables = [
        national.distribution_table(
            key="repartition_taux_sorties_dynamiques",
            title=f"Sorties et taux de sorties dynamiques des {count} pôles en {year}",
            rows=rows,
            sources=row_sources,
            sheet=PATHWAYS_SHEET,
            note=small_cells.note(),
        ),
        replace(_rates_table(ctx, rates), printed=False),
    ]
    shown_rates = rates[rates["pole_id"].notna()]["taux"].astype(float) * 100
    network_rate = (
        number(network.at[ADJUSTED_INDICATOR, "valeur"]) if ADJUSTED_INDICATOR in network.index else None
    )
    charts = [
        ReportChart(
            key="repartition_taux_sorties_dynamiques",
            title=f"Taux de sorties dynamiques des pôles en {year}",
            figure=distribution_figure(
                shown_rates.tolist(), "%", reference=None if network_rate is None else network_rate * 100
            ),
            alt=(
                f"Nombre de pôles par tranche de taux de sorties dynamiques en {year}, et le taux du "
                "réseau ; un taux masqué n'y figure pas."
            ),
            height=380,
        )
    ]
    if adjusted.empty:
        return tables, charts
    tables.append(_verdicts_table(ctx, adjusted))
    off = adjusted[adjusted["verdict"].isin(["au-dessus", "en dessous"])]
    if 0 < len(off) <= national.DETAIL_POLE_LIMIT:
        tables.append(
            replace(
                _adjusted_table(ctx, off),
                key="comparaison_ajustee_ecarts",
                title=f"Les pôles au-dessus ou en dessous de leur taux attendu en {year}",
                sheet=None,
            )
        )
    tables.append(replace(_adjusted_table(ctx, adjusted), printed=False))
    if adjusted["verdict"].notna().any():
        charts.append(
            ReportChart(
                key="comparaison_ajustee_ecarts",
                title=f"Écart des pôles à leur taux attendu en {year}",
                figure=gaps_figure(adjusted),
                alt="Nombre de pôles par tranche d'écart à leur taux attendu, en points, selon le verdict.",
                height=400,
            )
        )
    return tables, charts


def _verdicts_table(ctx: Context, adjusted: pd.DataFrame) -> ReportTable:
    """How many poles are above, in line with or below their expected rate, and without a verdict."""
    no_verdict = f"Moins de {pathways.ADJUSTED_MIN_EXITS} sorties : pas de comparaison"
    verdicts = pathways.ADJUSTED_VERDICT_LABELS.items()
    groups = [(label, adjusted["verdict"] == code) for code, label in verdicts]
    groups.append((no_verdict, adjusted["verdict"].isna()))
    rows, row_sources = [], []
    for label, chosen in groups:
        rows.append((label, float(chosen.sum())))
        poles_ = adjusted.loc[chosen, "pole_id"]
        row_sources.append(join_sources(f for p in poles_ for f in ctx.pathway_files.get(p, [])))
    return ReportTable(
        key="comparaison_ajustee_verdicts",
        title=f"Comparaison ajustée du taux de sorties dynamiques en {ctx.year} : les pôles par verdict",
        columns=(Column("Verdict"), Column("Pôles", "count")),
        rows=tuple(rows),
        sources=tuple(row_sources),
        note=(
            "Un pôle n'est dit au-dessus ou en dessous de l'attendu que si tout son intervalle à 95 % est "
            "du même côté de zéro ; ce n'est pas un classement (méthode en annexe)."
        ),
        sheet=PATHWAYS_SHEET,
    )


# --- 4 and 5. Working angles by pole -------------------------------------------------------------


def _angle_subsection(ctx: Context, domain: str) -> Section:
    extra = ANGLE_EXTRA.get(domain, ())
    year = ctx.year
    by_pole = angles.angle_poles(ctx.wh, FUNDER, domain, year, extra)
    network = angles.angle_network(ctx.wh, FUNDER, domain, extra)
    catalog = angles.angle_indicators(ctx.wh, FUNDER, domain, extra)
    angle = str(ctx.catalog.loc[ctx.catalog["domaine"] == domain, "domaine_libelle"].iloc[0])
    codes = list(catalog["code"])
    units = dict(zip(catalog["code"], catalog["unite"], strict=True))
    columns = (
        Column("Pôle"),
        *(indicator_column(r.libelle, r.unite) for r in catalog.itertuples(index=False)),
    )
    rows, row_sources = [], []
    grouped = _by_pole(by_pole)
    for pole in ctx.poles.itertuples(index=False):
        data = grouped.get(str(pole.pole_id), {})
        cells = [_indicator_cell(data, code, units[code]) for code in codes]
        rows.append((pole_label(pole.numero, pole.nom), *cells))
        row_sources.append(join_sources(ctx.codes_files(codes, year, pole.pole_id)))
    year_network = network[network["annee"] == year].set_index("code")
    network_cells = []
    for code in codes:
        if code not in year_network.index:
            network_cells.append(None)
            continue
        value = network_cell(year_network.at[code, "valeur"], year_network.at[code, "nb_poles"])
        network_cells.append(value)
    rows.append(("Réseau", *network_cells))
    row_sources.append(join_sources(ctx.codes_files(codes, year)))
    table = ReportTable(
        key=f"poles_{domain}",
        title=f"{angle} : chaque pôle en {year}",
        columns=columns,
        rows=tuple(rows),
        sources=tuple(row_sources),
        note=(
            "« – » : non transmis. Réseau : total des pôles, part des pôles répondant oui, ou rapport "
            "des sommes pour une part. " + small_cells.note()
        ),
        sheet=angle,
    )
    charts = [
        ReportChart(
            key=f"reseau_{domain}_annees",
            title=f"{angle} : le réseau au fil des années",
            figure=network_figure(network[network["annee"] <= year]),
            alt=f"Chiffres du réseau par année pour l'angle « {angle} », un petit graphique par indicateur.",
            height=520,
        )
    ]
    # The angle's first typed-in indicator, compared across the poles.
    typed = catalog[~catalog["derive"].astype(bool)]
    if ctx.national:
        return _national_angle(ctx, angle, domain, catalog, by_pole, year_network, table, charts)
    if not typed.empty:
        first = str(typed["code"].iloc[0])
        rows_first = by_pole[by_pole["code"] == first]
        label = str(typed["libelle"].iloc[0])
        charts.insert(
            0,
            ReportChart(
                key=f"poles_{first}",
                title=f"{label} : chaque pôle en {year}",
                figure=poles_figure(rows_first, year),
                alt=f"« {label} » de chaque pôle en {year} ; une valeur masquée n'a pas de barre.",
                height=480,
            ),
        )
    return Section(key=f"angle_{domain}", title=angle, tables=[table], charts=charts, page_break=False)


def _national_angle(
    ctx: Context,
    angle: str,
    domain: str,
    catalog: pd.DataFrame,
    by_pole: pd.DataFrame,
    year_network: pd.DataFrame,
    table: ReportTable,
    charts: list[ReportChart],
) -> Section:
    # Every pole's row goes to the workbook; the page gives each indicator's spread over the poles
    # and a histogram of the angle's first typed-in indicator instead of a bar per pole.
    year = ctx.year
    by_code = {str(code): rows for code, rows in by_pole.groupby("code", sort=False)}
    empty = by_pole.iloc[0:0]
    rows, row_sources = [], []
    for ind in catalog.itertuples(index=False):
        data = by_code.get(str(ind.code), empty)
        known = ind.code in year_network.index
        rows.append(
            national.distribution_row(
                str(ind.libelle),
                str(ind.unite),
                data["valeur"],
                data["masque"],
                year_network.at[ind.code, "valeur"] if known else None,
                year_network.at[ind.code, "nb_poles"] if known else None,
            )
        )
        row_sources.append(join_sources(ctx.value_files(str(ind.code), year)))
    count = fmt_number(len(ctx.poles))
    spread = national.distribution_table(
        key=f"repartition_{domain}",
        title=f"{angle} : les {count} pôles en {year}",
        rows=rows,
        sources=row_sources,
        sheet=angle,
        note=small_cells.note(),
    )
    typed = catalog[~catalog["derive"].astype(bool) & (catalog["unite"] != "oui/non")]
    if not typed.empty:
        first = typed.iloc[0]
        scale = 100 if first["unite"] in PERCENT_UNITS else 1
        values = by_code.get(str(first["code"]), empty)["valeur"] * scale
        median = national.quantiles(values.tolist())[1]
        charts.insert(
            0,
            ReportChart(
                key=f"repartition_{first['code']}",
                title=f"{first['libelle']} : les pôles en {year}",
                figure=distribution_figure(
                    values.tolist(), str(first["unite"]), reference=median, reference_name="Médiane des pôles"
                ),
                alt=(
                    f"Nombre de pôles par tranche de « {first['libelle']} » en {year}, et la médiane des "
                    "pôles ; une valeur masquée n'y figure pas."
                ),
                height=380,
            ),
        )
    return Section(
        key=f"angle_{domain}",
        title=angle,
        paragraphs=[
            national.workbook_sentence(
                len(ctx.poles), f"feuille « {sheet_name(angle, set())} » : chaque pôle et chaque indicateur"
            )
        ],
        tables=[spread, replace(table, printed=False)],
        charts=charts,
        page_break=False,
    )


def _indicator_cell(data: dict[str, tuple[object, object]], code: str, unite: str) -> object:
    if code not in data:
        return None
    value, mask = data[code]
    if unite == "oui/non" and not mask:
        return yes_no(value) if not is_missing(value) else None
    return cell(value, mask)


def angles_section(ctx: Context, key: str) -> Section:
    """Per-pole tables of the year and the network's series for the angles of one section."""
    title, domains = ANGLE_SECTIONS[key]
    subsections = [_angle_subsection(ctx, domain) for domain in domains]
    if len(subsections) == 1:
        only = subsections[0]
        return Section(
            key=key, title=title, paragraphs=only.paragraphs, tables=only.tables, charts=only.charts
        )
    return Section(key=key, title=title, subsections=subsections)

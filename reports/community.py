"""The report's sections on the community's life, on data quality and the methodological annex.

Visits and practices are read as the funder (participant counts masked by `ptce.read.visits`).
Completeness and quality are staff reads (`ptce.read.quality`): only pole-level statuses, dates
of reception and counts of files, rows and checks reach the report — never a quarantined value,
a check's examples, a file's message or a corrected value (which could be a small count).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from dashboards.visites.charts import rhythm_figure, timeline_figure
from ptce import small_cells
from ptce.read import pathways, quality, sources, visits
from ptce.read.base import STAFF, Viewer
from ptce.reference import load_visit_config, read_reference
from reports import national, sentences
from reports.model import Column, KeyFigure, ReportChart, ReportTable, Section
from reports.tables import cell, is_missing, pole_label, yes_no
from reports.tables import sources as join_sources

if TYPE_CHECKING:
    from reports.content import Context

FUNDER = Viewer("funder")
SUBMISSIONS_SHEET = "Envois des pôles"
# Poles a sentence names before « et N autres pôles ».
NAMED_POLES = 10
CATALOGUE_FILE = "ptce/reference/catalogue_indicateurs.yaml"
EXITS_FILE = "ptce/reference/motifs_sortie.yaml"
# Kinds of submission as completeness names them, in French.
KIND_LABELS = {
    "indicateurs": "indicateurs",
    "objectifs": "objectifs",
    "candidatures": "candidatures",
    "parcours": "parcours",
    "visites": "visites",
}
STATUS_LABELS = {"complet": "complet", "partiel": "partiel", "manquant": "manquant", "à venir": "à venir"}
# The IAE exit categories (SPEC §3), in the order of `pathways.EXIT_CATEGORIES`.
EXIT_DEFINITIONS = {
    "emploi_durable": (
        "CDI ; CDD ou intérim de 6 mois ou plus ; titularisation ou stage dans la fonction publique ; "
        "création ou reprise d'entreprise."
    ),
    "emploi_transition": "CDD ou intérim de moins de 6 mois ; contrat aidé chez un employeur classique.",
    "sortie_positive": (
        "Formation qualifiante, pré-qualifiante ou certifiante ; embauche dans une autre structure "
        "d'insertion (SIAE)."
    ),
    "autre_sortie": "Toute autre sortie (chômage, inactivité, sans nouvelles…), comptée dans les sorties.",
    "retrait": "Décès, déménagement, longue maladie… : retirée du compte des sorties.",
}


def _community(ctx: Context) -> pd.DataFrame:
    if "community" not in ctx.cache:
        ctx.cache["community"] = visits.community_indicators(ctx.wh, FUNDER)
    return ctx.cache["community"]  # type: ignore[return-value]


def year_counts(ctx: Context) -> dict[str, float | None]:
    """The community indicators of the year by code (None when masked or absent)."""
    data = _community(ctx)
    rows = data[data["annee"].astype("Int64") == ctx.year]
    return {
        str(r.code): (None if r.masque or is_missing(r.valeur) else float(r.valeur))
        for r in rows.itertuples(index=False)
    }


def _visit_year_files(ctx: Context) -> list[str]:
    files = sources.visit_files(ctx.wh, FUNDER)
    return [f for fs in files.loc[files["annee"] == ctx.year, "fichiers"] for f in fs]


# --- 7. Visits and practices ---------------------------------------------------------------------


def visits_section(ctx: Context) -> Section:
    """The events of the year, the practices shared at them, the community indicators."""
    year = ctx.year
    events = visits.events(ctx.wh, FUNDER)
    year_events = events[events["annee"].astype("Int64") == year].reset_index(drop=True)
    event_files = sources.visit_files(ctx.wh, FUNDER).set_index("visit_id")["fichiers"]
    counts = year_counts(ctx)
    paragraphs = [
        sentences.visits_sentence(
            counts.get("visites_apprenantes"),
            counts.get("seminaires"),
            counts.get("pratiques_partagees"),
            year,
        )
    ]
    held = year_events[
        (year_events["type"] == visits.LEARNING_VISIT) & (year_events["statut"] == visits.HELD)
    ]
    if not held.empty:
        last = held.sort_values("date_visite").iloc[-1]
        host = None if is_missing(last["hote_court"]) else str(last["hote_court"])
        paragraphs.append(
            sentences.last_event_sentence(pd.Timestamp(last["date_visite"]).date(), host, "visite apprenante")
        )
    tables, charts = [], []
    if not year_events.empty:
        rows, row_sources = [], []
        for e in year_events.itertuples(index=False):
            participants = e.participants_libelle if e.participants_masque else cell(e.participants)
            rows.append(
                (
                    pd.Timestamp(e.date_visite).date(),
                    str(e.type),
                    str(e.titre),
                    None if is_missing(e.hote) else pole_label(e.numero, str(e.hote)),
                    None if is_missing(e.lieu) else str(e.lieu),
                    cell(e.nb_poles_presents),
                    participants,
                    str(e.statut),
                )
            )
            row_sources.append(join_sources(event_files.get(e.visit_id, [])))
        tables.append(
            ReportTable(
                key="evenements",
                title=f"Événements de la communauté en {year}",
                columns=(
                    Column("Date", "date"),
                    Column("Type"),
                    Column("Titre"),
                    Column("Pôle hôte"),
                    Column("Lieu"),
                    Column("Pôles présents", "count"),
                    Column("Participants (personnes)", "count"),
                    Column("Statut"),
                ),
                rows=tuple(rows),
                sources=tuple(row_sources),
                note="Titres et lieux tels que les fichiers de visites les donnent. " + small_cells.note(),
                sheet="Vie de la communauté",
            )
        )
        charts.append(
            ReportChart(
                key="evenements_calendrier",
                title=f"Les événements de {year} sur l'année",
                figure=timeline_figure(year_events),
                alt=f"Frise des événements de la communauté en {year}, une ligne par type d'événement.",
                height=360,
            )
        )
    rhythm = visits.rhythm(ctx.wh, FUNDER)
    rhythm = rhythm[rhythm["annee"] <= year]
    if not rhythm.empty:
        charts.append(
            ReportChart(
                key="visites_rythme",
                title="Visites apprenantes tenues par an face à l'objectif",
                figure=rhythm_figure(rhythm, load_visit_config().visits_per_year),
                alt=(
                    "Visites apprenantes tenues chaque année face à l'objectif de la communauté, "
                    "et leur cumul."
                ),
            )
        )
    tables.append(_practices_table(ctx, year_events))
    tables.append(_community_table(ctx))
    return Section(
        key="visites",
        title="Visites apprenantes et pratiques partagées",
        paragraphs=[p for p in paragraphs if p],
        tables=[t for t in tables if t.rows],
        charts=charts,
    )


def _practices_table(ctx: Context, year_events: pd.DataFrame) -> ReportTable:
    practices = visits.practices(ctx.wh, FUNDER)
    of_year = practices[practices["visit_id"].isin(set(year_events["visit_id"]))]
    files = sources.practice_files(ctx.wh, FUNDER).set_index("practice_id")["fichiers"]
    rows = tuple(
        (
            str(p.titre),
            pole_label(p.numero, str(p.pole)) if not is_missing(p.pole) else None,
            None if is_missing(p.angle_libelle) else str(p.angle_libelle),
            None if is_missing(p.outil) else str(p.outil),
            None if is_missing(p.evenement) else str(p.evenement),
        )
        for p in of_year.itertuples(index=False)
    )
    return ReportTable(
        key="pratiques",
        title=f"Pratiques et outils partagés lors des événements de {ctx.year}",
        columns=(
            Column("Pratique"),
            Column("Pôle"),
            Column("Angle de travail"),
            Column("Outil"),
            Column("Événement"),
        ),
        rows=rows,
        sources=tuple(join_sources(files.get(p, [])) for p in of_year["practice_id"]),
        note="Textes tels que les pôles les ont écrits dans leurs fichiers.",
        sheet="Vie de la communauté",
    )


def _community_table(ctx: Context) -> ReportTable:
    data = _community(ctx)
    files = join_sources(_visit_year_files(ctx))
    all_files = join_sources(f for fs in sources.visit_files(ctx.wh, FUNDER)["fichiers"] for f in fs)
    rows, row_sources = [], []
    for code, group in data.groupby("code", sort=False):
        by_year = {(None if is_missing(r.annee) else int(r.annee)): r for r in group.itertuples(index=False)}
        first = group.iloc[0]

        def shown(row: object) -> object:
            if row is None:
                return None
            return row.libelle_valeur if row.masque else cell(row.valeur)  # type: ignore[attr-defined]

        rows.append(
            (
                str(first["libelle"]),
                str(first["unite"]),
                shown(by_year.get(ctx.year)),
                shown(by_year.get(None)),
            )
        )
        row_sources.append(files if ctx.year in by_year else all_files)
        del code
    return ReportTable(
        key="vie_communaute",
        title="Indicateurs de la vie de la communauté",
        columns=(
            Column("Indicateur"),
            Column("Unité"),
            Column(str(ctx.year), "number", 1),
            Column("Toute la période", "number", 1),
        ),
        rows=tuple(rows),
        sources=tuple(row_sources),
        note="Calculés à partir des événements tenus. " + small_cells.note(),
        sheet="Vie de la communauté",
    )


# --- 8. Completeness and quality -----------------------------------------------------------------


def reporting_summary(ctx: Context) -> str | None:
    """The summary's sentence on the indicators received for the year."""
    rates = quality.reporting_rates(ctx.wh, STAFF)
    row = rates[(rates["kind"] == "indicateurs") & (rates["annee"] == ctx.year)]
    if row.empty:
        return None
    r = row.iloc[0]
    return sentences.reporting_sentence(
        int(r["recus"]), int(r["attendus"]), int(r["recus"]) - int(r["a_temps"]), ctx.year
    )


def quality_section(ctx: Context) -> Section:
    """Which poles reported for the year and when, what was corrected, rows loaded and checks run."""
    year = ctx.year
    completeness = quality.completeness(ctx.wh, STAFF)
    of_year = completeness[completeness["annee"] == year]
    kinds = [k for k in KIND_LABELS if k in set(of_year["kind"])]
    rates = quality.reporting_rates(ctx.wh, STAFF)
    paragraphs = []
    for kind in kinds:
        row = rates[(rates["kind"] == kind) & (rates["annee"] == year)]
        if not row.empty:
            r = row.iloc[0]
            paragraphs.append(
                sentences.reporting_sentence(
                    int(r["recus"]), int(r["attendus"]), int(r["recus"]) - int(r["a_temps"]), year, kind
                )
            )
    changes = quality.indicator_changes(ctx.wh, STAFF)
    changes = changes[changes["annee"] == year]
    changed_poles = list(dict.fromkeys(changes.sort_values("numero")["pole_nom"].astype(str)))
    # A national network may correct values of hundreds of poles: the sentence names a few.
    named = changed_poles[:NAMED_POLES] if ctx.national else changed_poles
    paragraphs.append(
        sentences.corrections_sentence(len(changes), named, year, others=len(changed_poles) - len(named))
    )

    # Each pole's rows and target files found once: filtering the frames for each pole was
    # quadratic in the poles.
    target_files = sources.target_files(ctx.wh, FUNDER, year)
    targets_by_pole = {
        str(pole_id): [f for fs in group["fichiers"] for f in fs]
        for pole_id, group in target_files.groupby("pole_id", sort=False)
    }
    status_by_pole: dict[str, dict[str, object]] = {}
    for r in of_year.itertuples(index=False):
        status_by_pole.setdefault(str(r.pole_id), {})[str(r.kind)] = r
    tables = []
    rows, row_sources = [], []
    for pole in ctx.poles.itertuples(index=False):
        pole_rows = status_by_pole.get(str(pole.pole_id), {})
        cells: list[object] = [pole_label(pole.numero, pole.nom)]
        files: list[str] = []
        for kind in kinds:
            if kind not in pole_rows:
                cells += [None, None, None]
                continue
            r = pole_rows[kind]
            first = r.premiere_reception  # type: ignore[attr-defined]
            received = None if is_missing(first) else pd.Timestamp(first).date()
            status = str(r.statut)  # type: ignore[attr-defined]
            cells += [STATUS_LABELS.get(status, status), received, yes_no(r.en_retard)]  # type: ignore[attr-defined]
        files += ctx.pole_year_files(str(pole.pole_id), year)
        files += targets_by_pole.get(str(pole.pole_id), [])
        rows.append(tuple(cells))
        row_sources.append(join_sources(files))
    columns = [Column("Pôle")]
    for kind in kinds:
        label = KIND_LABELS[kind].capitalize()
        columns += [
            Column(f"{label} : statut"),
            Column(f"{label} : reçu le", "date"),
            Column(f"{label} : en retard"),
        ]
    completeness_table = ReportTable(
        key="completude",
        title=f"Envois des pôles pour {year}",
        columns=tuple(columns),
        rows=tuple(rows),
        sources=tuple(row_sources),
        note=(
            "Statut : complet, partiel (valeurs manquantes), manquant ; en retard : reçu après l'échéance."
        ),
    )
    if ctx.national:
        # Every pole's row in the workbook; the page counts the poles by status of each kind.
        tables.append(_status_table(ctx, of_year, kinds, targets_by_pole))
        completeness_table = replace(completeness_table, sheet=SUBMISSIONS_SHEET, printed=False)
        paragraphs.append(
            national.workbook_sentence(
                len(ctx.poles), f"feuille « {SUBMISSIONS_SHEET} » : les envois de chaque pôle pour {year}"
            )
        )
    tables.append(completeness_table)
    many_changes = ctx.national and len(changes) > national.DETAIL_POLE_LIMIT
    if not changes.empty:
        tables.append(
            ReportTable(
                key="corrections",
                title=f"Valeurs de {year} corrigées par un nouvel envoi",
                columns=(
                    Column("Pôle"),
                    Column("Indicateur"),
                    Column("Changement"),
                    Column("Reçu le", "date"),
                ),
                rows=tuple(
                    (
                        pole_label(c.numero, str(c.pole_nom)),
                        str(c.libelle) if not is_missing(c.libelle) else str(c.code),
                        str(c.type_changement),
                        None if is_missing(c.arrived_at) else pd.Timestamp(c.arrived_at).date(),
                    )
                    for c in changes.itertuples(index=False)
                ),
                sources=tuple(
                    join_sources([x for x in (c.ancien_fichier, c.nouveau_fichier) if isinstance(x, str)])
                    for c in changes.itertuples(index=False)
                ),
                note="Les valeurs elles-mêmes ne sont pas reprises : la dernière reçue est celle du rapport.",
                # Past a page of corrections, a national network's list is in the workbook only.
                sheet=SUBMISSIONS_SHEET if many_changes else None,
                printed=not many_changes,
            )
        )
    tables.append(_ingest_table(ctx))
    checks = quality.check_results(ctx.wh, STAFF)
    passed = int(checks["passed"].astype(bool).sum())
    warned = int((~checks["passed"].astype(bool) & (checks["severite"] == "WARN")).sum())
    blocking = int((~checks["passed"].astype(bool) & (checks["severite"] == "ERROR")).sum())
    key_figures = [
        KeyFigure("Contrôles réussis", float(passed), sentences.fmt_number(passed)),
        KeyFigure("Contrôles en alerte", float(warned), sentences.fmt_number(warned)),
        KeyFigure("Contrôles bloquants en échec", float(blocking), sentences.fmt_number(blocking)),
    ]
    paragraphs.append(
        f"La publication de l'entrepôt a passé "
        f"{sentences.fmt_count(len(checks), 'contrôle', 'contrôles')} de qualité : "
        f"{sentences.fmt_count(passed, 'réussi', 'réussis')}, {fmt_alerts(warned)}, aucun bloquant en échec."
        if blocking == 0
        else f"{sentences.fmt_count(blocking, 'contrôle bloquant', 'contrôles bloquants')} en échec."
    )
    return Section(
        key="completude_qualite",
        title="Complétude et qualité des données",
        paragraphs=[p for p in paragraphs if p],
        key_figures=key_figures,
        tables=tables,
    )


def _status_table(
    ctx: Context, of_year: pd.DataFrame, kinds: list[str], target_files: dict[str, list[str]]
) -> ReportTable:
    """For each kind of submission of the year, how many poles sent it complete, partial, not at
    all or late (a national network's completeness, every pole's row being in the workbook)."""
    statuses = list(STATUS_LABELS)
    log = _ingest_log(ctx)
    rows, row_sources = [], []
    for kind in kinds:
        data = of_year[of_year["kind"] == kind]
        counts = data["statut"].astype(str).value_counts()
        late = data["en_retard"].map(lambda v: not is_missing(v) and bool(v))
        rows.append(
            (
                KIND_LABELS[kind].capitalize(),
                float(data["pole_id"].nunique()),
                *(float(counts.get(status, 0)) for status in statuses),
                float(late.sum()),
            )
        )
        # The files of the year where the warehouse knows them, else every file of that kind.
        if kind == "indicateurs":
            files = [f for p in data["pole_id"] for f in ctx.pole_year_files(str(p), ctx.year)]
        elif kind == "objectifs":
            files = [f for fs in target_files.values() for f in fs]
        elif kind == "parcours":
            files = ctx.all_pathway_files()
        else:
            files = log.loc[log["kind"] == kind, "source_file"].astype(str).tolist()
        row_sources.append(join_sources(files))
    return ReportTable(
        key="completude_statuts",
        title=f"Envois des pôles pour {ctx.year} : nombre de pôles par statut",
        columns=(
            Column("Envoi"),
            Column("Pôles attendus", "count"),
            *(Column(f"Pôles : {STATUS_LABELS[s]}", "count") for s in statuses),
            Column("Pôles en retard", "count"),
        ),
        rows=tuple(rows),
        sources=tuple(row_sources),
        note=(
            "Statut : complet, partiel (valeurs manquantes), manquant, à venir (échéance pas encore "
            "passée) ; en retard : reçu après l'échéance."
        ),
    )


def _ingest_log(ctx: Context) -> pd.DataFrame:
    if "ingest_log" not in ctx.cache:
        ctx.cache["ingest_log"] = quality.ingest_log(ctx.wh, STAFF)
    return ctx.cache["ingest_log"]  # type: ignore[return-value]


def fmt_alerts(count: int) -> str:
    """« aucun en alerte », « 1 en alerte », « 2 en alerte »."""
    return "aucun en alerte" if count == 0 else f"{sentences.fmt_number(count)} en alerte"


def _ingest_table(ctx: Context) -> ReportTable:
    log = _ingest_log(ctx)
    rows, row_sources = [], []
    for kind, group in log.groupby("kind", sort=True):
        rows.append(
            (
                KIND_LABELS.get(str(kind), str(kind)),
                float(len(group)),
                float(group["rows_read"].fillna(0).sum()),
                float(group["rows_loaded"].fillna(0).sum()),
                float(group["rows_quarantined"].fillna(0).sum()),
                float((group["status"] == "error").sum()),
            )
        )
        row_sources.append(join_sources(group["source_file"].astype(str)))
    return ReportTable(
        key="fichiers_lignes",
        title="Fichiers reçus et lignes chargées (toutes années)",
        columns=(
            Column("Type de fichier"),
            Column("Fichiers", "count"),
            Column("Lignes lues", "count"),
            Column("Lignes chargées", "count"),
            Column("Lignes en quarantaine", "count"),
            Column("Fichiers illisibles", "count"),
        ),
        rows=tuple(rows),
        sources=tuple(row_sources),
        note=(
            "Chaque ligne lue est chargée ou mise en quarantaine avec sa raison (examinée par "
            "l'équipe COORACE)."
        ),
    )


# --- 9. Methodological annex ---------------------------------------------------------------------


def annex_section(ctx: Context) -> Section:
    """The catalogue's definitions, the exit categories, the small-cell rule, the adjusted method."""
    catalog = ctx.catalog
    definitions = ReportTable(
        key="definitions",
        title="Définitions des indicateurs",
        columns=(Column("Code"), Column("Libellé"), Column("Unité"), Column("Définition"), Column("Angle")),
        rows=tuple(
            (str(r.code), str(r.libelle), str(r.unite), str(r.definition or ""), str(r.domaine_libelle))
            for r in catalog.itertuples(index=False)
        ),
        sources=tuple(CATALOGUE_FILE for _ in range(len(catalog))),
        note=f"Catalogue des indicateurs, version {ctx.cache.get('catalogue_version', '')}".rstrip() + ".",
        sheet="Définitions",
    )
    rules = (read_reference("motifs_sortie.yaml") or {}).get("motifs", {})
    exit_rows = []
    for code in pathways.EXIT_CATEGORIES:
        labels = [str(rule.get("libelle")) for rule in rules.get(code, []) if isinstance(rule, dict)]
        exit_rows.append(
            (
                pathways.EXIT_LABELS[code],
                EXIT_DEFINITIONS[code],
                "oui" if code in pathways.DYNAMIC_CATEGORIES else "non",
                "non" if code == pathways.WITHDRAWN else "oui",
                " ; ".join(labels),
            )
        )
    exits = ReportTable(
        key="categories_sortie",
        title="Catégories de sortie de parcours",
        columns=(
            Column("Catégorie"),
            Column("Définition"),
            Column("Sortie dynamique"),
            Column("Comptée dans les sorties"),
            Column("Motifs reconnus"),
        ),
        rows=tuple(exit_rows),
        sources=tuple(EXITS_FILE for _ in exit_rows),
        note="Définitions de l'insertion par l'activité économique (IAE).",
        sheet="Définitions",
    )
    return Section(
        key="annexe",
        title="Annexe méthodologique",
        paragraphs=[
            "Les chiffres viennent des fichiers transmis par les pôles (indicateurs, parcours, visites), "
            "chargés, contrôlés et publiés dans l'entrepôt de l'Observatoire ; chaque ligne des tableaux "
            "du classeur nomme ses fichiers sources. Les indicateurs dérivés (taux, parts) sont calculés, "
            "jamais saisis : rapport des sommes, pour chaque pôle puis pour le réseau.",
            "Taux de sorties dynamiques = (sorties vers l'emploi durable + vers l'emploi de transition "
            "+ sorties positives) / (sorties − retraits).",
            "Secret statistique : " + small_cells.note(),
            "Comparaison ajustée : " + pathways.ADJUSTED_METHOD,
        ],
        tables=[definitions, exits],
    )

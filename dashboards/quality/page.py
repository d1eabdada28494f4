"""Qualité des données: what the last run checked, what each file gave, what was set aside.

For the COORACE staff who load the poles' files: the rules of the publishing run and their
examples, the Great Expectations Data Docs, the files read (rows read, loaded, quarantined), the
quarantined cells with their reasons (filterable, exportable for Excel), which submissions are
complete, partial, missing or late, and the figures a later file corrected.

Everything that came from a file (values, reasons, messages, names) is shown as data or text,
never as HTML or Markdown.
"""

from __future__ import annotations

import os

import duckdb
import streamlit as st

from dashboards.quality import charts, tables
from dashboards.shared import display, reads, widgets
from ptce.contract import table_label
from ptce.fmt import fmt_datetime, fmt_number
from ptce.paths import resolve_data_dir

wh = reads.current_warehouse()
if wh is None:  # app.py stops before this; the guard keeps the page runnable on its own
    st.stop()

st.title("Qualité des données")

try:
    run = reads.quality_run(wh)
    checks = reads.check_results(wh)
    log = reads.ingest_log(wh)
    quarantined = reads.quarantine(wh)
    cells = reads.completeness(wh)
    rates = reads.reporting_rates(wh)
    changes = reads.indicator_changes(wh)
except duckdb.Error:
    # A warehouse published before the quality tables existed: say what to do, not a traceback.
    st.error(
        "L'entrepôt publié ne contient pas encore le suivi de la qualité des données. "
        "Relancez `ptce run` pour le reconstruire.",
        icon=":material/error:",
    )
    st.stop()

esc = display.escape_markdown

# --- Last run and its checks -----------------------------------------------------------------
st.subheader("Dernière exécution et contrôles")
if not run.empty:
    record = run.iloc[0]
    st.caption(
        f"Publication du {fmt_datetime(display.local_time(record['published_at']))} · "
        f"exécution {esc(record['run_id'])}"
    )
summary = tables.check_summary(checks)
columns = st.columns(4)
columns[0].metric("Règles vérifiées", fmt_number(summary.total), border=True)
columns[1].metric("Règles respectées", fmt_number(summary.passed), border=True)
columns[2].metric("Alertes (WARN)", fmt_number(summary.warn), border=True)
columns[3].metric("Erreurs bloquantes (ERROR)", fmt_number(summary.error), border=True)

if checks.empty:
    st.info("Aucun contrôle n'a été enregistré pour cette publication.")
else:
    widgets.show_table(tables.checks_table(checks), key="regles", file_name="regles_qualite.csv")
    failed = checks[~checks["passed"].astype(bool)]
    st.caption(
        "Une règle bloquante en échec empêche la publication ; une alerte est signalée sans "
        "bloquer." + (" Exemples des règles en échec ci-dessous." if not failed.empty else "")
    )
    for i, row in enumerate(failed.itertuples(index=False)):
        outcome = tables.check_outcome(row.passed, row.severite)
        count = fmt_number(row.unexpected_count)
        # Expander labels are Markdown: rule and table names are escaped.
        rule_text = row.description if isinstance(row.description, str) else row.regle
        where = table_label(row.asset)
        with st.expander(f"{outcome} — {esc(rule_text)} ({esc(where)}) : {count} anomalie(s)"):
            widgets.show_table(
                tables.examples_frame(row.exemples),
                key=f"exemples_{i}",
                file_name=f"exemples_regle_{i + 1}.csv",
            )

# --- Great Expectations Data Docs ------------------------------------------------------------
st.subheader("Documentation des contrôles")
kind, target = tables.data_docs_target(
    run.iloc[0]["data_docs"] if not run.empty else None,
    resolve_data_dir(),
    # Set by `ptce dashboard`, which serves the Data Docs folder beside the app.
    served_url=os.environ.get("PTCE_DATA_DOCS_URL"),
)
if kind == "url":
    st.link_button("Ouvrir la documentation Great Expectations", target, icon=":material/open_in_new:")
elif kind == "path":
    st.markdown(
        "La documentation Great Expectations (règles, résultats détaillés) est un site enregistré "
        "sur la machine qui a exécuté le traitement. Pour la consulter, ouvrez ce fichier dans un "
        "navigateur (copiez le chemin dans la barre d'adresse) :"
    )
    st.code(target, language=None)
else:
    st.info("La documentation Great Expectations n'est pas disponible pour cette publication.")

# --- Files read ------------------------------------------------------------------------------
st.subheader("Fichiers reçus")
ingest = tables.ingest_summary(log)
columns = st.columns(4)
columns[0].metric("Fichiers lus", fmt_number(ingest.files - ingest.ignored), border=True)
columns[1].metric("Lignes lues", fmt_number(ingest.rows_read), border=True)
columns[2].metric("Lignes chargées", fmt_number(ingest.rows_loaded), border=True)
columns[3].metric("Lignes en quarantaine", fmt_number(ingest.rows_quarantined), border=True)
if ingest.unbalanced:
    st.error(
        "Lignes non comptabilisées : pour "
        f"{fmt_number(len(ingest.unbalanced))} fichier(s), lignes lues ≠ lignes chargées + lignes "
        "en quarantaine (voir la colonne « Bilan »).",
        icon=":material/error:",
    )
elif ingest.files:
    st.success(
        "Chaque ligne lue est chargée ou mise en quarantaine : lignes lues = lignes chargées + "
        f"lignes en quarantaine pour les {fmt_number(ingest.files)} fichier(s).",
        icon=":material/check_circle:",
    )
if ingest.ignored:
    st.info(
        f"{fmt_number(ingest.ignored)} fichier(s) ou dossier(s) non lu(s) : fichiers du système, "
        "masqués ou déposés hors des dossiers prévus (statut « Ignoré » ci-dessous, avec la marche à "
        "suivre pour chacun).",
        icon=":material/info:",
    )
if log.empty:
    st.info("Aucun fichier n'a été lu.")
else:
    widgets.show_table(tables.ingest_table(log), key="journal", file_name="journal_fichiers.csv")

# --- Quarantine ------------------------------------------------------------------------------
st.subheader("Lignes en quarantaine")
if quarantined.empty:
    st.info("Aucune valeur n'a été mise en quarantaine.")
else:
    st.caption(
        "Une ligne dont une valeur est illisible ou hors des règles n'est pas chargée : elle est "
        "mise de côté ici avec le motif, pour être corrigée dans le fichier du pôle puis renvoyée."
    )
    pole_options, pole_labels = tables.pole_filter_options(quarantined)
    left, right = st.columns(2)
    with left:
        pole_choice = st.selectbox(
            "Pôle", pole_options, format_func=pole_labels.__getitem__, key="quarantaine_pole"
        )
    by_pole = tables.filter_by_pole(quarantined, pole_choice)
    with right:
        files = sorted(by_pole["source_file"].dropna().unique())
        file_choice = st.selectbox(
            "Fichier",
            [tables.ALL_FILES, *files],
            format_func=lambda f: tables.ALL_FILES_LABEL if f == tables.ALL_FILES else f,
            key="quarantaine_fichier",
        )
    shown = tables.filter_by_file(by_pole, file_choice)
    rows = shown.dropna(subset=["row_number"]).drop_duplicates(["source_file", "sheet", "row_number"])
    columns = st.columns(3)
    columns[0].metric("Valeurs en quarantaine", fmt_number(len(shown)), border=True)
    columns[1].metric("Lignes concernées", fmt_number(len(rows)), border=True)
    columns[2].metric("Fichiers concernés", fmt_number(shown["source_file"].nunique()), border=True)
    pole_name = (
        pole_labels[pole_choice] if pole_choice not in (tables.ALL_POLES, tables.UNKNOWN_POLE) else None
    )
    selection = widgets.show_table(
        tables.quarantine_table(shown),
        key="quarantaine",
        file_name=f"quarantaine_{pole_choice}.csv" if pole_name else "quarantaine.csv",
        download_label=(
            f"Télécharger les lignes à corriger par {pole_name} (CSV pour Excel)"
            if pole_name
            else "Télécharger pour Excel (CSV)"
        ),
        # Reasons are sentences: three lines per row let them wrap, the chosen row shows them whole.
        row_height=72,
        on_select="rerun",
        # Widths that keep the reason in view beside the pole, period, indicator, field and value.
        column_config={
            "Pôle": st.column_config.TextColumn("Pôle", width=180, pinned=True),
            "Indicateur": st.column_config.TextColumn("Indicateur", width=140),
            "Valeur": st.column_config.TextColumn("Valeur", width=140),
            "Motif": st.column_config.TextColumn("Motif", width=340),
        },
    )
    st.caption(
        "Les fichiers les plus récents d'abord. Choisir un pôle ci-dessus pour télécharger ses lignes "
        "à lui renvoyer ; cliquer sur une ligne pour lire son motif en entier."
    )
    chosen = selection.selection.rows if selection is not None else []
    if chosen:
        row = shown.iloc[chosen[0]]
        with st.container(border=True):
            st.caption(f"{esc(row['source_file'])} · {tables.line_text(row['row_number'])}")
            st.text(tables.reason_text(row["reason"], row["source_file"], row["row_number"]))

# --- Completeness ----------------------------------------------------------------------------
st.subheader("Complétude des envois")
if cells.empty:
    st.info("Aucun envoi attendu n'est défini.")
else:
    kinds = [k for k in ("indicateurs", "objectifs") if k in set(cells["kind"])]
    kinds += sorted(set(cells["kind"]) - set(kinds))
    kind_choice = st.radio(
        "Type d'envoi",
        kinds,
        format_func=lambda k: tables.KIND_LABELS.get(k, k),
        horizontal=True,
        key="completude_type",
    )
    kind_cells = cells[cells["kind"] == kind_choice]
    of_kind = kind_cells
    pages = tables.pole_pages(kind_cells)
    if len(pages) > 1:
        page_choice = st.selectbox(
            "Pôles affichés",
            range(len(pages)),
            format_func=lambda i: pages[i][0],
            key="completude_poles",
            help=f"{fmt_number(kind_cells['pole_id'].nunique())} pôles : la matrice en montre "
            f"{fmt_number(tables.COMPLETENESS_PAGE_POLES)} à la fois, par numéro ; le taux de "
            "déclaration ci-dessous et les relances comptent tous les pôles.",
        )
        of_kind = kind_cells[kind_cells["pole_id"].isin(pages[page_choice][1])]
    st.plotly_chart(
        charts.completeness_figure(of_kind),
        width="stretch",
        key="completude",
        # The toolbar would sit on the year labels, at the top of the matrix.
        config={"displayModeBar": False},
    )
    st.caption(
        "Couleur : part des valeurs attendues reçues. « complet » : toutes les valeurs attendues "
        "sont là ; « partiel » : une partie ; « manquant » : rien après l'échéance ; « à venir » : "
        "échéance non atteinte. « en retard » : premier fichier reçu après l'échéance."
    )
    st.markdown("**Taux de déclaration par année**")
    widgets.show_table(
        tables.reporting_table(rates[rates["kind"] == kind_choice]),
        key="taux_declaration",
        file_name="taux_declaration.csv",
    )

    st.markdown("**Relances**")
    due_years = tables.reminder_years(kind_cells)
    if not due_years:
        st.info("Aucune échéance n'est encore passée pour ce type d'envoi.")
    else:
        reminder_year = st.selectbox(
            "Année à relancer",
            due_years,
            index=tables.reminder_default(kind_cells, due_years),
            key="relances_annee",
        )
        reminders = tables.reminders_table(kind_cells, reads.poles(wh), reminder_year)
        kind_label = tables.KIND_LABELS.get(kind_choice, kind_choice).lower()
        if reminders.frame.empty:
            st.success(
                f"Tous les pôles ont envoyé leurs {kind_label} {reminder_year} complets et à temps.",
                icon=":material/check_circle:",
            )
        else:
            st.caption(
                f"Pôles dont l'envoi « {kind_label} » {reminder_year} manque, est partiel ou est arrivé "
                "après l'échéance, avec leurs représentants, pour une relance."
            )
            widgets.show_table(
                reminders,
                key="relances",
                file_name=f"relances_{kind_choice}_{reminder_year}.csv",
                download_label="Télécharger la liste pour un publipostage (CSV pour Excel)",
            )

# --- Corrections -----------------------------------------------------------------------------
st.subheader("Historique des corrections")
st.caption(
    "Quand un pôle envoie un nouveau fichier pour la même période, ses chiffres remplacent ceux "
    "du fichier précédent ; les versions antérieures restent conservées dans l'entrepôt, et "
    "chaque valeur modifiée, ajoutée ou retirée est listée ici."
)
if changes.empty:
    st.info("Aucune correction : aucun fichier n'a remplacé les chiffres d'un envoi précédent.")
else:
    change_options, change_labels = tables.pole_filter_options(changes)
    change_choice = st.selectbox(
        "Pôle", change_options, format_func=change_labels.__getitem__, key="corrections_pole"
    )
    widgets.show_table(
        tables.changes_table(tables.filter_by_pole(changes, change_choice)),
        key="corrections",
        file_name="corrections.csv",
    )

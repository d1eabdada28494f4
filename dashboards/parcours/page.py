"""Parcours: the pathways of the persons accompanied, for the network or one pole, and one year.

Flows from the entry structure to the exit, exits by category over the years, the dynamic-exit
rate of each pole, how long ended pathways lasted, who the persons are, and the indicators
computed from the pathways beside those the poles declared. Widgets only: the reads (and the
access and small-cell rules) are in `ptce.read.pathways`, the texts and tables in tables.py, the
figures in charts.py.
"""

from __future__ import annotations

import streamlit as st

from dashboards.parcours import charts, tables
from dashboards.shared import display, printing, reads, widgets
from ptce import small_cells
from ptce.fmt import fmt_number, fmt_percent
from ptce.read import pathways as pw

wh = reads.current_warehouse()
if wh is None:  # app.py stops before this; the guard keeps the page runnable on its own
    st.stop()

st.title("Parcours des personnes accompagnées")
st.caption(
    "Chaque parcours suit une personne dans les structures membres d'un pôle, de son entrée à sa "
    "sortie, mobilités internes comprises. Les personnes sont pseudonymisées : aucune n'est "
    "nommée ni identifiable."
)

available_years = reads.pathway_years(wh)
if not available_years:
    st.info(
        "Aucun parcours n'a encore été publié. Déposez les fichiers de parcours des pôles dans "
        "`raw/parcours/`, puis relancez `ptce run`.",
        icon=":material/info:",
    )
    st.stop()

# The poles this viewer may open (the read filters them: staff all, a pole its own, the funder
# none), after the network; a pole opens on its own pathways.
poles = reads.pathway_poles(wh)
names = tables.scope_names(poles)
viewer = reads.current_viewer()
scopes = list(names)
start = scopes.index(viewer.pole_id) if viewer.role == "pole" and viewer.pole_id in scopes else 0
choice_column, year_column = printing.columns([3, 1])
with choice_column:
    pole_id = st.selectbox("Pôle", scopes, index=start, format_func=names.__getitem__, key="parcours_pole")
with year_column:
    year = st.selectbox("Année", available_years, index=0, key="parcours_annee")
scope = names[pole_id]
network = pole_id is None


def small_cells_note() -> None:
    """The footnote under a view with masked counts (once per view that has one)."""
    st.caption(small_cells.note())


def refused(error: PermissionError) -> None:
    """A view this viewer may not see (the read said why, in French)."""
    st.info(str(error), icon=":material/lock:")


# --- Key figures -------------------------------------------------------------------------------
breakdowns = reads.pathway_breakdowns(wh, pole_id, year)
exits = reads.exit_categories(wh, pole_id)
persons = tables.metric_persons(breakdowns)
cohort = reads.pathway_cohort_size(wh, pole_id, year)
exits_year = tables.exits_total(exits, year)
try:
    rates = reads.dynamic_exit_rates(wh, year)
except PermissionError as error:  # the funder: network figures only, no table of poles
    rates, rates_refused = None, error
else:
    rates_refused = None

st.subheader(f"{display.escape_markdown(scope)} en {year}")
cards = st.columns(4)
cards[0].metric(
    "Personnes accompagnées",
    fmt_number(persons),
    help=f"Personnes distinctes ayant au moins un séjour en cours en {year}.",
    border=True,
)
cards[1].metric(
    "Entrées en parcours",
    fmt_number(cohort),
    help=f"Personnes dont le parcours a commencé en {year}.",
    border=True,
)
cards[2].metric(
    "Sorties (hors retraits)",
    fmt_number(exits_year),
    help="Parcours terminés dans l'année, hors sorties retirées du décompte (décès, déménagement…).",
    border=True,
)
cards[3].metric(
    "Taux de sorties dynamiques",
    fmt_percent(tables.dynamic_rate(exits, year)),
    help=(
        "(Emploi durable + emploi de transition + sorties positives) / sorties hors retraits, "
        f"soit ici {tables.persons_phrase(exits_year, 'sorties')} en {year}."
    ),
    border=True,
)

# --- Flows ---------------------------------------------------------------------------------------
st.subheader(
    f"Des {'pôles' if network else 'structures'} d'entrée aux sorties : parcours commencés en {year}"
)
flows = reads.pathway_flows(wh, pole_id, year)
if flows.empty:
    st.info(f"Aucun parcours n'a commencé en {year} ici.")
else:
    st.plotly_chart(charts.sankey_figure(flows, network), width="stretch", key="parcours_sankey")
    st.caption(
        f"{tables.persons_phrase(cohort)} entrées en parcours en {year} ({display.escape_markdown(scope)}) : "
        + (
            "pôle d'entrée, passage éventuel par une autre structure membre du pôle (mobilité interne), "
            if network
            else "structure d'entrée, structure atteinte par une mobilité interne, "
        )
        + "puis issue du parcours (« Parcours en cours » s'il n'est pas terminé). Épaisseur des "
        "liens : nombre de personnes ; survolez un lien pour lire son effectif."
    )
    if bool(flows["masque"].any()):
        st.caption(
            f"Les liens de moins de {small_cells.threshold()} personnes, et ceux qui permettraient "
            "de les retrouver, ne sont pas tracés."
        )
        small_cells_note()

# --- Exits by category --------------------------------------------------------------------------
st.subheader("Sorties par catégorie et par année")
if exits.empty:
    st.info("Aucun parcours terminé.")
else:
    st.plotly_chart(charts.exits_figure(exits), width="stretch", key="parcours_sorties")
    st.caption(
        "Nombre de personnes sorties de parcours, par année de sortie et catégorie (définitions de "
        "l'IAE). n : sorties comptées, hors retraits ; les retraits (décès, déménagement, longue "
        "maladie…) sont montrés mais exclus du décompte et du taux."
    )
    if bool(exits["masque"].any()):
        small_cells_note()

# --- Dynamic-exit rate by pole -------------------------------------------------------------------
st.subheader(f"Taux de sorties dynamiques par pôle en {year}")
if rates is None:
    refused(rates_refused)
elif len(rates) <= 1 and rates["sorties"].fillna(0).sum() == 0:
    st.info(f"Aucune sortie de parcours en {year}.")
else:
    st.plotly_chart(charts.rates_figure(rates, pole_id), width="stretch", key="parcours_taux")
    st.caption(
        "Part des sorties vers l'emploi durable, l'emploi de transition ou une sortie positive, "
        "parmi les sorties hors retraits ; n : nombre de sorties du pôle dans l'année (base du taux). "
        f"Comparaison entre pôles : un pôle de moins de {small_cells.threshold()} sorties n'a pas "
        "de taux publié."
    )
    widgets.show_table(
        tables.rates_table(rates), key="parcours_taux_tableau", file_name=f"taux_sorties_{year}.csv"
    )
    if bool(rates["sorties_masque"].any()):
        small_cells_note()

# --- Durations ------------------------------------------------------------------------------------
st.subheader(f"Durée des parcours terminés en {year}")
bins, median, n_ended = reads.duration_distribution(wh, pole_id, year)
if n_ended == 0:
    st.info(f"Aucun parcours terminé en {year}.")
else:
    st.plotly_chart(charts.duration_figure(bins, median), width="stretch", key="parcours_durees")
    median_text = "non publiée" if median is None else f"{fmt_number(median, decimals=1)} mois"
    st.caption(
        f"Parcours terminés en {year}, hors retraits : n = {tables.count_text(n_ended, '< 5')} ; "
        f"durée de la première entrée à la sortie, mobilités internes comprises (mois de 30,4 "
        f"jours). Médiane : {median_text}. Axe vertical : nombre de personnes."
    )
    if bool(bins["masque"].any()):
        small_cells_note()

# --- Who the persons are ----------------------------------------------------------------------------
st.subheader(f"Les personnes accompagnées en {year}")
rqth_row = reads.rqth(wh, pole_id, year).iloc[0]
if int(rqth_row["personnes"]) == 0:
    st.info(f"Aucune personne accompagnée en {year}.")
else:
    st.plotly_chart(charts.breakdown_figure(breakdowns), width="stretch", key="parcours_profils")
    st.caption(
        f"{tables.persons_phrase(persons)} accompagnées en {year} (au moins un séjour dans "
        "l'année), chacune comptée une fois avec les caractéristiques de son dernier séjour. "
        "Axe vertical : nombre de personnes."
    )
    widgets.show_table(
        tables.breakdown_table(breakdowns),
        key="parcours_profils_tableau",
        file_name=f"profils_{year}.csv",
        # The characteristic's full label stays readable while it is pinned.
        column_config={"Caractéristique": st.column_config.Column(width=340, pinned=True)},
    )
    st.markdown(display.escape_markdown(tables.rqth_text(rqth_row)))
    if bool(breakdowns["masque"].any()) or bool(rqth_row["masque"]):
        small_cells_note()
    if network and len(poles) > 1:
        with st.expander("Comparer les pôles"):
            variable = st.selectbox(
                "Caractéristique",
                list(pw.BREAKDOWN_VARIABLES),
                format_func=pw.BREAKDOWN_VARIABLES.__getitem__,
                key="parcours_variable",
            )
            widgets.show_table(
                tables.breakdown_by_pole_table(reads.breakdown_by_pole(wh, year, variable), variable),
                key="parcours_profils_poles",
                file_name=f"profils_poles_{variable}_{year}.csv",
            )
            st.caption(f"Personnes accompagnées en {year} par pôle. {small_cells.note()}")
        with st.expander(f"Sorties par pôle et par catégorie en {year}"):
            widgets.show_table(
                tables.exits_by_pole_table(reads.exit_categories_by_pole(wh, year)),
                key="parcours_sorties_poles",
                file_name=f"sorties_poles_{year}.csv",
            )
            st.caption(f"Nombre de personnes sorties. {small_cells.note()}")

# --- Derived against declared --------------------------------------------------------------------------
st.subheader(f"Indicateurs calculés depuis les parcours et déclarés par les pôles ({year})")
try:
    derived = reads.derived_vs_declared(wh, pole_id, year)
except PermissionError as error:  # per-pole figures: staff, or the pole itself
    derived = None
    refused(error)
if derived is None:
    pass
elif derived.empty:
    st.info(f"Aucun indicateur calculé pour {year}.")
else:
    st.caption(
        "« Calculé depuis les parcours » : tiré des parcours individuels transmis ; « Déclaré par "
        "le pôle » : la valeur de son fichier d'indicateurs. " + tables.gaps_caption(derived)
    )
    only_gaps = st.toggle(
        "Seulement les valeurs qui diffèrent de la déclaration",
        value=network,
        key="parcours_ecarts_seuls",
    )
    widgets.show_table(
        tables.derived_table(tables.gaps_only(derived) if only_gaps else derived, with_pole=network),
        key="parcours_calcule_declare",
        # Sized so that the gaps, the point of the table, are in view without scrolling sideways.
        column_config={
            "Pôle": st.column_config.Column(width=180, pinned=True),
            "Indicateur": st.column_config.Column(width=280, pinned=not network),
            "Unité": st.column_config.Column(width=80),
        },
        file_name=f"parcours_calcule_declare_{year}.csv",
    )

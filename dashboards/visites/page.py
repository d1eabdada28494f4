"""Visites et capitalisation: the learning community's own life.

Its key figures (events held, learning visits, poles present, practices shared), the events on a
timeline and a map, the rhythm of learning visits against the four-a-year aim, who learns from
whom, each pole's part, the offers to host a visit, the practices and tools shared (searchable),
and the events with their documents. Widgets only: the reads (and the small-cell rule on the
participants) are in `ptce.read.visits`, the texts and tables in tables.py, the figures in
charts.py. Everything from a file is shown as text: table cells, escaped Markdown, escaped chart
labels.
"""

from __future__ import annotations

import streamlit as st

from dashboards.shared import display, printing, reads, widgets
from dashboards.visites import charts, tables
from ptce import small_cells
from ptce.reference import load_visit_config

wh = reads.current_warehouse()
if wh is None:  # app.py stops before this; the guard keeps the page runnable on its own
    st.stop()

esc = display.escape_markdown
config = load_visit_config()

st.title("Visites et capitalisation")
st.caption(
    "La vie de la communauté apprenante : visites apprenantes chez les pôles, séminaires de "
    "capitalisation, rencontres et échanges à distance, et les pratiques et outils que les pôles "
    "ont partagés. Les participants sont comptés, jamais nommés."
)
printing.version_switch()

events = reads.visit_events(wh)
if events.empty:
    st.info(tables.EMPTY_MESSAGE, icon=":material/info:")
    st.stop()

community = reads.community_indicators(wh)
participation = reads.pole_participation(wh)
masked_note = False

# --- Key figures ---------------------------------------------------------------------------------
st.subheader(tables.period_title(config.period_start, config.period_end))
figures = tables.key_figures(community)
if figures.empty:
    st.info("Les indicateurs de la vie de la communauté ne sont pas encore publiés.")
else:
    per_row = 4
    cells = [c for _ in range(-(-len(figures) // per_row)) for c in st.columns(per_row)]
    for cell, row in zip(cells, figures.itertuples(index=False), strict=False):
        cell.metric(row.libelle, row.libelle_valeur, help=row.definition, border=True)
    masked_note |= tables.any_masked(figures, "masque")
    with st.expander("Les mêmes indicateurs année par année"):
        widgets.show_table(
            tables.community_table(community), key="visites_indicateurs", file_name="vie_communaute.csv"
        )

# --- Timeline, map, rhythm -----------------------------------------------------------------------
st.subheader("Les événements")
timeline_tab, map_tab, rhythm_tab = printing.tabs(
    ["Calendrier", "Carte", "Rythme des visites apprenantes"], key="visites_vues"
)
with timeline_tab:
    st.plotly_chart(charts.timeline_figure(events), width="stretch", key="visites_calendrier")
    st.caption(
        "Chaque point est un événement, à sa date, sur la ligne de son type ; le nom au-dessus est "
        "celui du pôle hôte. Un point vide est un événement prévu, pas encore tenu."
    )
with map_tab:
    st.plotly_chart(
        charts.events_map_figure(events),
        width="stretch",
        config={"displayModeBar": False},
        key="visites_carte",
    )
    unmapped = tables.unmapped_events(events)
    note = "Un événement sans lieu propre est placé chez son pôle hôte."
    if unmapped:
        note += f" Sans lieu ni pôle hôte, donc absents de la carte : {', '.join(unmapped)}."
    st.caption(esc(note))
with rhythm_tab:
    rhythm = reads.visit_rhythm(wh)
    st.plotly_chart(
        charts.rhythm_figure(rhythm, config.visits_per_year), width="stretch", key="visites_rythme"
    )
    st.caption(esc(tables.rhythm_caption(rhythm, config.visits_per_year)))

# --- Who learns from whom ----------------------------------------------------------------------------
st.subheader("Qui apprend de qui")
matrix = reads.visit_matrix(wh)
if matrix.empty:
    st.info("Aucune visite apprenante tenue n'a encore réuni deux pôles.")
else:
    st.plotly_chart(charts.matrix_figure(matrix, participation), width="stretch", key="visites_matrice")
    st.caption(tables.matrix_caption(matrix, participation))

# --- Participation ----------------------------------------------------------------------------------
st.subheader("Participation des pôles")
st.plotly_chart(charts.participation_figure(participation), width="stretch", key="visites_participation")
if (shown := tables.participation_caption(participation)) is not None:
    st.caption(esc(shown))
never_hosted = tables.never_sentence(participation, "jamais_accueilli")
never_came = tables.never_sentence(participation, "jamais_participe")
st.markdown(esc(f"N'ont encore accueilli aucun événement : {never_hosted}."))
st.markdown(
    esc(f"N'ont encore participé à aucun événement d'un autre pôle ni à un séminaire : {never_came}.")
)
widgets.show_table(
    tables.participation_table(participation),
    key="visites_participation_tableau",
    file_name="participation_poles.csv",
)
st.caption("Événements tenus seulement ; nombre d'événements, pas de personnes.")

# --- Offers ---------------------------------------------------------------------------------------------
st.subheader("Offres d'accueil de visite")
offers = reads.visit_offers(wh)
if offers.empty:
    st.info("Aucune offre d'accueil n'a été relevée dans les candidatures.")
else:
    st.plotly_chart(charts.offers_figure(tables.offer_counts(offers)), width="stretch", key="visites_offres")
    st.caption(
        "Ce que chaque pôle a répondu dans sa candidature à la question de l'accueil d'une visite, "
        "et ce qu'il en est advenu : "
        + " ; ".join(f"« {tables.offer_label(s)} » : {h}" for s, h in tables.OFFER_HELP.items())
        + "."
    )
    widgets.show_table(
        tables.offers_table(offers), key="visites_offres_tableau", file_name="offres_accueil.csv"
    )

# --- Practices ----------------------------------------------------------------------------------------
st.subheader("Pratiques et outils partagés")
all_practices = reads.practices(wh)
if all_practices.empty:
    st.info("Aucune pratique ni aucun outil partagé n'a encore été publié.")
else:
    angles = tables.angle_choices(all_practices)
    poles = tables.pole_choices(all_practices)
    angle_column, pole_column, search_column = printing.columns([1, 1, 2])
    angle = angle_column.selectbox(
        "Angle de travail", list(angles), format_func=angles.__getitem__, key="pratiques_angle"
    )
    pole = pole_column.selectbox("Pôle", list(poles), format_func=poles.__getitem__, key="pratiques_pole")
    search = search_column.text_input(
        "Rechercher",
        key="pratiques_recherche",
        placeholder="un mot du titre, de l'outil ou de la description",
    )
    found = reads.practices(wh, angle, pole, search or None)
    st.caption(tables.practices_caption(len(found), len(all_practices)))
    if found.empty:
        st.info("Aucune pratique ne répond à ces critères.")
    else:
        widgets.show_table(
            tables.practices_table(found),
            key="visites_pratiques",
            file_name="pratiques_outils.csv",
            row_height=60,
            column_config={"Description": st.column_config.TextColumn(width="large")},
        )

# --- Events and documents ------------------------------------------------------------------------------
st.subheader("Liste des événements et documents")
widgets.show_table(tables.events_table(events), key="visites_evenements", file_name="evenements.csv")
masked_note |= tables.any_masked(events, "participants_masque")
documents = reads.visit_documents(wh)
if documents.empty:
    st.caption("Aucun document n'est rattaché aux événements.")
else:
    widgets.show_table(
        tables.documents_table(documents), key="visites_documents", file_name="documents_evenements.csv"
    )
    st.caption(
        "Les liens sont donnés comme texte, tels que le fichier les écrit : copiez-les pour les ouvrir."
    )
if masked_note:
    st.caption(small_cells.note())

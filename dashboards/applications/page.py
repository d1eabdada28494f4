"""Candidatures: the poles' answers to the AMI form, side by side, searchable, tagged.

The table of current applications (completeness, charter, visit offer), two poles' answers read side
by side in form order, a search over every current answer with the hits in bold, the working angles
each pole's answers touch, who offers to host a visit, and for one pole the sentences behind its
tags and the passages behind its structured fields.

Everything that came from a file (answers, names, sentences) is shown as text, data or escaped
Markdown, never as HTML.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from dashboards.applications import charts, tables
from dashboards.shared import display, reads, widgets
from ptce.fmt import fmt_number

# More results than this and only the first are shown: a one-letter search would list everything.
MAX_RESULTS = 50

wh = reads.current_warehouse()
if wh is None:  # app.py stops before this; the guard keeps the page runnable on its own
    st.stop()

st.title("Candidatures")

try:
    apps = reads.applications(wh)
    answers = reads.application_answers(wh)
    angles = reads.angle_counts(wh)
    tags = reads.application_tags(wh)
    fields = reads.application_fields(wh)
except duckdb.Error:
    # A warehouse published before the application tables existed: say what to do.
    st.error(
        "L'entrepôt publié ne contient pas encore les réponses à l'AMI. "
        "Relancez `ptce run` pour le reconstruire.",
        icon=":material/error:",
    )
    st.stop()

if apps.empty:
    st.info("Aucune réponse à l'AMI n'a encore été reçue.")
    st.stop()

esc = display.escape_markdown
names = dict(zip(apps["pole_id"], apps["nom"].astype(str), strict=True))
pole_ids = apps["pole_id"].tolist()


def not_answered() -> None:
    st.markdown(f"*{tables.NOT_ANSWERED}*")


# --- Table of applications -------------------------------------------------------------------
st.subheader("Réponses reçues")
st.caption("Dernière version reçue de chaque pôle. Complétude : part des questions ayant une réponse.")
widgets.show_table(tables.applications_table(apps), key="candidatures_table", file_name="candidatures.csv")

# --- Side by side ----------------------------------------------------------------------------
st.subheader("Comparer deux pôles")
left_col, right_col = st.columns(2)
first = left_col.selectbox("Premier pôle", pole_ids, format_func=names.__getitem__, key="comparer_a")
second = right_col.selectbox(
    "Second pôle",
    pole_ids,
    index=1 if len(pole_ids) > 1 else 0,
    format_func=names.__getitem__,
    key="comparer_b",
)
questions = answers.drop_duplicates("code")[["code", "partie", "numero", "libelle"]]
by_answer = {(r.pole_id, r.code): r for r in answers.itertuples(index=False)}
for question in questions.itertuples(index=False):
    st.markdown(f"**{tables.question_label(question.partie, question.numero, question.libelle)}**")
    columns = st.columns(2)
    for column, pole_id in zip(columns, (first, second), strict=True):
        with column:
            row = by_answer.get((pole_id, question.code))
            text = None if row is None else tables.answer_text(row.reponse, row.type, row.oui_non)
            if text is None:
                not_answered()
            else:
                st.text(text)

# --- Search ----------------------------------------------------------------------------------
st.subheader("Rechercher dans les réponses")
query = st.text_input(
    "Mot ou expression", key="recherche", help="Sans tenir compte des majuscules ni des accents."
)
if query.strip():
    found = tables.search_answers(answers, query)
    st.caption(f"{fmt_number(len(found))} réponse(s) trouvée(s)")
    if len(found) > MAX_RESULTS:
        st.caption(f"Seules les {MAX_RESULTS} premières sont affichées ; précisez la recherche.")
    for row in found.head(MAX_RESULTS).itertuples(index=False):
        with st.container(border=True):
            st.caption(f"{esc(row.nom)} · {tables.question_label(row.partie, row.numero, row.libelle)}")
            st.markdown(tables.highlight_markdown(row.reponse, query))

# --- Working angles and tools ----------------------------------------------------------------
st.subheader("Angles de travail")
if angles.empty:
    st.info("Aucune réponse n'a encore été rattachée à un angle de travail.")
else:
    st.plotly_chart(charts.angles_heatmap_figure(angles), width="stretch", key="angles")
    st.caption("Nombre de réponses d'un pôle où un mot-clé de l'angle de travail a été repéré.")
st.markdown("**Outils cités**")
tools = tables.tools_table(tags)
if tools.empty:
    st.info("Aucun outil n'a été repéré dans les réponses.")
else:
    widgets.show_table(tools, key="outils", file_name="outils_cites.csv")

# --- Learning visits -------------------------------------------------------------------------
st.subheader("Visites apprenantes proposées")
visits = tables.visits_table(apps)
st.metric("Pôles prêts à accueillir une visite", fmt_number(len(visits)), border=True)
if visits.empty:
    st.info("Aucun pôle ne propose encore d'accueillir une visite.")
else:
    widgets.show_table(visits, key="visites", file_name="visites_proposees.csv")

# --- One pole's tags and fields --------------------------------------------------------------
st.subheader("Mots-clés et champs repérés")
pole_id = st.selectbox("Pôle", pole_ids, format_func=names.__getitem__, key="details_pole")
pole_tags = tags[tags["pole_id"] == pole_id]
pole_fields = fields[fields["pole_id"] == pole_id]
with st.expander(f"Mots-clés repérés ({fmt_number(len(pole_tags))})", expanded=True):
    if pole_tags.empty:
        st.info("Aucun mot-clé repéré dans les réponses de ce pôle.")
    else:
        widgets.show_table(
            tables.tags_table(pole_tags), key="details_tags", file_name=f"mots_cles_{pole_id}.csv"
        )
with st.expander(f"Champs structurés ({fmt_number(len(pole_fields))})", expanded=True):
    if pole_fields.empty:
        st.info("Aucun champ structuré tiré des réponses de ce pôle.")
    else:
        widgets.show_table(
            tables.fields_table(pole_fields), key="details_champs", file_name=f"champs_{pole_id}.csv"
        )

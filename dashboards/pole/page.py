"""Fiche pôle: one pole's identity and its indicators over time beside the network median.

The pole is chosen in a selector, or given in the address as `?pole=<pole_id>` (links from the
overview's table); the address follows the selector so a page can be shared.
"""

from __future__ import annotations

import streamlit as st

from dashboards.pole import charts, tables
from dashboards.shared import display, printing, reads, target_tables, widgets

wh = reads.current_warehouse()
if wh is None:  # app.py stops before this; the guard keeps the page runnable on its own
    st.stop()

poles = reads.poles(wh)
if poles.empty:
    st.info("Aucun pôle n'est encore publié.")
    st.stop()

pole_ids = poles["pole_id"].tolist()
names = dict(
    zip(poles["pole_id"], poles["numero"].astype(int).astype(str) + ". " + poles["nom"], strict=True)
)
requested = st.query_params.get("pole")
viewer = reads.current_viewer()
# A pole opens on its own page; it may still choose another pole (its indicators, counts of
# persons masked by the reads).
own = viewer.pole_id if viewer.role == "pole" else None
default = requested if requested in pole_ids else own
pole_id = st.selectbox(
    "Pôle",
    pole_ids,
    index=pole_ids.index(default) if default in pole_ids else 0,
    format_func=names.__getitem__,
    key="pole_choisi",
)
if requested != pole_id:
    st.query_params["pole"] = pole_id

identity = reads.pole(wh, pole_id).iloc[0]
# Text from the warehouse is shown as text: st.text for free text, escaped Markdown elsewhere.
esc = display.escape_markdown
st.title(esc(identity["nom"]), anchor=False)
printing.version_switch()
st.caption(
    f"Pôle n° {int(identity['numero'])} · {esc(identity['commune'])} · "
    f"{esc(identity['nom_departement'])} ({esc(identity['departement'])}) · "
    f"{esc(identity['region'])}"
)
membership = tables.membership_text(identity["date_adhesion"], identity["date_depart"])
if membership:
    st.info(membership, icon=":material/event:")
left, right = st.columns(2)
with left:
    st.markdown("**Structure initiatrice**")
    st.text(identity["structure_initiatrice"])
    st.markdown("**Représentants**")
    st.text(identity["representants"])
with right:
    st.markdown("**Présentation**")
    st.text(identity["description"])

series = reads.pole_series(wh, pole_id)
if series.empty:
    st.info("Ce pôle n'a encore transmis aucune valeur d'indicateur.")
    st.stop()

st.subheader("Indicateurs du pôle et médiane des pôles")
domains = series[["domaine", "domaine_libelle"]].drop_duplicates()
tabs = printing.tabs(domains["domaine_libelle"].tolist(), key="indicateurs")
for tab, domain in zip(tabs, domains["domaine"], strict=True):
    with tab:
        st.plotly_chart(
            charts.pole_domain_figure(series[series["domaine"] == domain], identity["nom"]),
            width="stretch",
            key=f"pole_{domain}",
        )

st.subheader("Valeurs annuelles et médiane des pôles")
st.caption(
    "Par angle de travail : chaque année, la valeur du pôle puis la médiane des pôles ayant transmis la leur."
)
widgets.show_table(
    tables.pole_values_table(series),
    key="valeurs_pole",
    file_name=f"valeurs_{pole_id}.csv",
    # The indicator and its angle stay in view while the years scroll sideways.
    column_config={"Angle de travail": st.column_config.Column(pinned=True)},
)
if series["masque"].notna().any():
    st.caption(display.masked_values_note())
# Where each value comes from is for staff at the screen: a hundred rows the printed page leaves out.
# The files are the pole's own: the read gives them to staff and to the pole itself only.
if not printing.printable() and series["fichiers"].notna().any():
    with st.expander("Origine et fichiers sources de chaque valeur"):
        widgets.show_table(
            tables.pole_sources_table(series), key="sources_pole", file_name=f"sources_{pole_id}.csv"
        )

# Targets against results: the pole's yearly targets (raw/objectifs/) and what it reached.
target_years = reads.target_years(wh)
if target_years:
    st.subheader("Objectifs et résultats", anchor=False)
    target_year = st.selectbox("Année des objectifs", target_years, key="pole_objectifs_annee")
    targets = reads.targets(wh, target_year, pole_id)
    if targets.empty:
        st.info(f"Ce pôle n'a pas transmis d'objectifs pour {target_year}.")
    else:
        st.caption(target_tables.targets_summary(targets) + " Taux d'atteinte = résultat / objectif.")
        widgets.show_table(
            target_tables.targets_table(targets, with_pole=False),
            key="objectifs_pole",
            file_name=f"objectifs_{pole_id}_{target_year}.csv",
        )
        missed = target_tables.missed_targets(targets, with_pole=False)
        if missed:
            st.markdown("**Objectifs non atteints**")
            for line in missed:
                st.text(f"• {line}")

comments = tables.pole_comments(series)
if not comments.empty:
    st.subheader("Commentaires du pôle")
    st.caption("Ce que le pôle a écrit à côté de ses valeurs, tel quel.")
    for comment in comments.itertuples(index=False):
        with st.container(border=True):
            st.caption(f"{esc(comment.libelle)} · {comment.annee}")
            st.text(comment.commentaire)

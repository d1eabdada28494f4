"""Comparer les pôles: chosen indicators for a year, ranked, against the network median and quartiles.

Widgets only: the reads (`dashboards.shared.reads`) apply the viewer's role (a pole sees its own
values raw, the other poles' small counts of persons masked), `tables` and `charts` shape them.
"""

from __future__ import annotations

import streamlit as st

from dashboards.comparaison import charts, tables
from dashboards.shared import display, export, printing, reads, widgets
from ptce import small_cells

wh = reads.current_warehouse()
if wh is None:  # app.py stops before this; the guard keeps the page runnable on its own
    st.stop()
viewer = reads.current_viewer()

st.title("Comparer les pôles", anchor=False)
printing.version_switch()
st.caption(
    "Les indicateurs choisis pour une année, pôle par pôle, face à la médiane du réseau et à ses "
    "quartiles. Les ratios rapportent un indicateur à la taille du pôle (par structure membre, pour "
    "100 ETP, pour 100 personnes accompagnées) pour comparer équitablement un grand et un petit pôle."
)

years = reads.comparison_years(wh)
if not years:
    st.info("Aucune valeur d'indicateur n'est encore publiée.")
    st.stop()
choices = reads.comparison_choices(wh)
labels = {
    code: tables.choice_label(lib, nature)
    for code, lib, nature in zip(choices["code"], choices["libelle"], choices["nature"], strict=True)
}

left, right = st.columns([1, 3])
with left:
    year = st.selectbox("Année", years, key="comparer_annee")
with right:
    codes = st.multiselect(
        "Indicateurs (saisis, calculés ou ratios par taille)",
        list(choices["code"]),
        default=[c for c in tables.DEFAULT_CODES if c in labels],
        format_func=labels.__getitem__,
        max_selections=tables.MAX_CODES,
        key="comparer_indicateurs",
    )

groups = reads.peer_groups(wh, year)
names = dict(zip(groups["pole_id"], groups["nom_court"], strict=True))
left, right = st.columns(2)
with left:
    if viewer.role == "pole" and viewer.pole_id in names:
        reference = viewer.pole_id
        st.markdown(f"**Votre pôle** : {display.escape_markdown(names[reference])}")
    else:
        # Labels made once: looked up pole by pole, two thousand poles cost seconds.
        choice_labels = {
            p: tables.pole_label(n, names[p])
            for p, n in zip(groups["pole_id"], groups["numero"], strict=True)
        }
        reference = st.selectbox(
            "Pôle de référence (mis en évidence)",
            list(groups["pole_id"]),
            format_func=choice_labels.__getitem__,
            key="comparer_pole",
        )
with right:
    criterion = st.radio(
        "Pôles comparés",
        list(tables.PEER_LABELS),
        format_func=tables.PEER_LABELS.__getitem__,
        horizontal=True,
        key="comparer_pairs",
    )
compared = tables.peer_ids(groups, reference, criterion)
st.caption(
    tables.peer_text(groups, reference, criterion)
    + " Territoire et secteur principal sont tirés du tableau des membres (à confirmer par COORACE) ; "
    "la classe de taille suit le nombre de structures membres de l'année."
)

if not codes:
    st.info("Choisissez au moins un indicateur.")
    st.stop()

values = reads.comparison_values(wh, year, tuple(codes))
shown = values[values["pole_id"].isin(compared)]

st.subheader("Classement des pôles", anchor=False)
st.caption(tables.ranked_caption(len(compared)))
for code in codes:
    rows = shown[shown["code"] == code]
    if rows.empty:
        continue
    st.plotly_chart(charts.ranked_bars(rows, reference), width="stretch", key=f"barres_{code}")
    st.caption(tables.stats_text(rows))
if shown["masque"].notna().any():
    st.caption(small_cells.note())

st.subheader("Tableau de comparaison", anchor=False)
widgets.show_table(tables.comparison_table(shown), key="comparaison", file_name=f"comparaison_{year}.csv")
long = tables.comparison_export(shown)
publication = reads.publication(wh)
demo = not publication.empty and bool(publication.iloc[0]["donnees_demo"])
# Both files are written when clicked (callables): a workbook of 2,000 poles costs seconds per run.
st.download_button(
    "Télécharger le tableau détaillé (Excel, XLSX)",
    data=lambda: export.to_xlsx(long, sheet=f"Comparaison {year}", title=tables.export_title(year, demo)),
    file_name=f"comparaison_{year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    type="tertiary",
    key="comparaison_xlsx",
)
st.download_button(
    "Télécharger le tableau détaillé (CSV pour Excel)",
    data=lambda: export.to_excel_csv(long),
    file_name=f"comparaison_detail_{year}.csv",
    mime="text/csv",
    icon=":material/download:",
    type="tertiary",
    key="comparaison_detail_csv",
)

st.subheader("Évolution dans le temps", anchor=False)
st.caption(tables.series_caption(len(compared)))
series = reads.comparison_series(wh, tuple(codes))
st.plotly_chart(charts.small_multiples_figure(series, compared, reference), width="stretch", key="evolution")

st.subheader(f"Profil de {names.get(reference, reference)} sur les cinq angles de travail", anchor=False)
st.caption(
    "Rang centile de chaque indicateur indépendant de la taille : 100 = mieux que tous les autres "
    "pôles, 50 = au niveau de la médiane, 0 = en dessous de tous (sur les pôles dont la valeur est publiée)."
)
profile = reads.angle_profile(wh, year, reference)
if profile["rang_centile"].notna().any():
    st.plotly_chart(charts.profile_figure(profile, names.get(reference, "")), width="stretch", key="profil")
widgets.show_table(
    tables.profile_table(profile), key="profil_table", file_name=f"profil_{reference}_{year}.csv"
)

st.subheader("Objectifs et résultats", anchor=False)
targets = reads.targets(wh, year)
targets = targets[targets["pole_id"].isin(compared)]
if targets.empty:
    st.info(f"Aucun objectif n'est publié pour {year} pour les pôles comparés.")
else:
    st.caption(tables.targets_summary(targets) + " Taux d'atteinte = résultat / objectif.")
    widgets.show_table(tables.targets_table(targets), key="objectifs", file_name=f"objectifs_{year}.csv")
    missed = tables.missed_targets(targets)
    if missed:
        st.markdown("**Objectifs non atteints**")
        if len(missed) <= tables.MAX_POLES_DRAWN:
            for line in missed:
                st.text(f"• {line}")
        else:  # a national network: the first ones, and the count; the table above has them all
            st.text("\n".join(f"• {line}" for line in missed[: tables.MISSED_SHOWN]))
            st.caption(tables.missed_rest_text(len(missed)))

st.subheader("Comparaison ajustée", anchor=False)
indicator = st.selectbox(
    "Taux comparé au taux attendu",
    list(tables.ADJUSTED_INDICATORS),
    format_func=tables.ADJUSTED_INDICATORS.__getitem__,
    key="comparer_ajuste",
)
adjusted = reads.adjusted_comparison(wh, year, indicator)
if adjusted is None:
    st.info("La comparaison ajustée n'est pas encore disponible dans cette version de l'observatoire.")
elif adjusted.empty:
    st.info(f"Pas de comparaison ajustée publiée pour {year}.")
else:
    if adjusted["verdict"].notna().any():
        st.plotly_chart(charts.adjusted_figure(adjusted, reference), width="stretch", key="ajuste")
        judged = int(adjusted["verdict"].notna().sum())
        if judged > tables.MAX_POLES_DRAWN:
            st.caption(tables.adjusted_caption(judged))
    widgets.show_table(
        tables.adjusted_table(adjusted), key="ajuste_table", file_name=f"ajuste_{indicator}_{year}.csv"
    )
with st.expander("Méthode de la comparaison ajustée"):
    st.text(tables.METHOD_TEXT)

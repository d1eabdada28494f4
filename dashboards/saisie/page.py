"""Saisir des chiffres: a pole's figures of one period typed in a table, checked, then saved.

Staff choose the pole; a pole types its own figures only (the pole is fixed). The table lists the
catalogue's typed-in indicators with the pole's published value of the year before (read as the
viewer: a pole reads its own values as they are). « Vérifier » turns the values into the file they
will become (`intake.entry_csv`) and runs the same preview as a deposited file, so the same rules
apply (ranges, coherence, blocking checks); each problem is shown on its indicator's row.
« Enregistrer », once a check found nothing blocking, writes that raw file (`intake.write_entry`)
and asks for a run, whose journal the page then follows.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards.saisie import tables
from dashboards.shared import access, changes, display, reads, runs, table_format
from ptce import intake
from ptce.paths import resolve_data_dir

CHECK_KEY = "saisie_verification"  # ((pole, period, values), Preview)
SAVED_KEY = "saisie_enregistree"  # the Deposited of the last save
ROUND_KEY = "saisie_tour"  # a new, empty table after each save

wh = reads.current_warehouse()
if wh is None:  # app.py stops before this; the guard keeps the page runnable on its own
    st.stop()

esc = display.escape_markdown
data_dir = resolve_data_dir()
viewer = reads.current_viewer()
poles = reads.poles(wh)
names = dict(zip(poles["pole_id"], poles["nom"], strict=True))

st.title("Saisir des chiffres")
st.caption(tables.INTRO)

if viewer.role == "pole" and viewer.pole_id is not None:
    pole_id = viewer.pole_id
    st.info(
        f"Vous saisissez les chiffres de votre pôle, {esc(names.get(pole_id, pole_id))}.",
        icon=":material/info:",
    )
else:
    pole_ids = poles["pole_id"].tolist()
    labels = dict(zip(pole_ids, poles["numero"].astype(int).astype(str) + ". " + poles["nom"], strict=True))
    pole_id = st.selectbox("Pôle", pole_ids, format_func=labels.__getitem__, key="saisie_pole")

series = reads.pole_series(wh, pole_id)
typed_series = series[~series["derive"].astype(bool)] if not series.empty else series
published_years = sorted({int(y) for y in typed_series["annee"]}) if not typed_series.empty else []
today = date.today()
years = tables.year_options(today, published_years[0] if published_years else None)
start = tables.default_year(published_years[-1] if published_years else None, today)

left, middle, right = st.columns(3)
period_kind = left.radio(
    "Période",
    list(tables.PERIOD_KINDS),
    format_func=tables.PERIOD_KINDS.__getitem__,
    horizontal=True,
    key="saisie_type_periode",
)
year = middle.selectbox("Année", years, index=years.index(start), key="saisie_annee")
quarter = None
if period_kind == tables.QUARTER:
    quarter = right.selectbox(
        "Trimestre",
        tables.quarter_options(year, today),
        format_func=lambda q: f"T{q}",
        key="saisie_trimestre",
    )
periode = tables.period_code(year, quarter)

reference_year = year - 1
reference = {
    str(code): float(value)
    for code, value in typed_series[typed_series["annee"] == reference_year][["code", "valeur"]].itertuples(
        index=False
    )
}
catalog = reads.catalog(wh)
codes = catalog[~catalog["derive"].astype(bool)]["code"].astype(str).tolist()
# What is published for the chosen year, pre-filled: an entry replaces the pole's whole period.
# Quarterly values are not read here, so a quarter starts empty (and the page says what that means).
published_now = (
    {
        str(code): float(value)
        for code, value in typed_series[typed_series["annee"] == year][["code", "valeur"]].itertuples(
            index=False
        )
        if value is not None and not pd.isna(value)
    }
    if quarter is None and not typed_series.empty
    else {}
)

editor_round = int(st.session_state.get(ROUND_KEY, 0))
editor_key = f"saisie_valeurs_{pole_id}_{periode}" + (f"_{editor_round}" if editor_round else "")
# The values typed so far (the editor's own state): a check is shown only while they are unchanged.
before = tables.values_from_edits(codes, st.session_state.get(editor_key), published_now)
signature = (pole_id, periode, tuple(before.items()))
stored = st.session_state.get(CHECK_KEY)
check: intake.Preview | None = (
    stored[1] if stored is not None and stored[0][:2] == (pole_id, periode) else None
)
current = check is not None and stored[0] == signature
placed: dict[str, list[str]] = {}
unplaced: list[intake.Problem] = []
if check is not None and current:
    placed, unplaced = tables.place_problems(check.problems, stored[2], codes)

st.caption(
    f"Pour repère, la colonne « {tables.reference_column(reference_year)} » donne la valeur annuelle "
    f"publiée du pôle en {reference_year} (vide : non transmise)."
)
if published_now:
    st.info(tables.PREFILLED.format(periode=periode), icon=":material/edit_note:")
elif quarter is not None:
    st.info(tables.QUARTER_REPLACES, icon=":material/info:")
with st.container(key="saisie_tableau"):
    edited = st.data_editor(
        tables.entry_frame(catalog, reference, reference_year, placed, published_now),
        key=editor_key,
        hide_index=True,
        num_rows="fixed",
        # An empty cell shows « – » (not transmitted), not Streamlit's English « None ».
        placeholder=table_format.MISSING,
        disabled=[*tables.READ_ONLY, tables.reference_column(reference_year), tables.PROBLEM],
        column_config={
            tables.VALUE: st.column_config.NumberColumn(
                tables.VALUE,
                min_value=tables.lowest_value(),
                format="localized",  # the browser's French: 225,7 rather than 225.7
                help="Le chiffre de la période ; laissez vide ce que vous ne transmettez pas.",
            ),
            tables.PROBLEM: st.column_config.TextColumn(tables.PROBLEM, width="large"),
        },
    )
values = tables.typed_values(edited)

if not values:
    st.caption(tables.NO_VALUE)
if st.button(
    "Vérifier", type="primary", icon=":material/fact_check:", key="saisie_verifier", disabled=not values
):
    entry = intake.entry_csv(pole_id, periode, values)
    with st.status("Vérification des chiffres sur une copie des données…", expanded=True) as status:
        st.caption("Rien n'est publié pendant la vérification ; comptez quinze à trente secondes.")
        try:
            checked = intake.preview(
                data_dir, [intake.Upload(tables.ENTRY_FILE, entry)], "indicateurs", pole_id
            )
        except intake.IntakeError as exc:
            status.update(label="La vérification n'a pas pu se faire.", state="error")
            st.error(esc(str(exc)), icon=":material/error:")
        else:
            st.session_state[CHECK_KEY] = ((pole_id, periode, tuple(values.items())), checked, entry)
            status.update(label=tables.check_summary(checked), state="complete", expanded=False)
            # Again from the top: the table shows each problem on its row.
            st.rerun()

if check is not None and not current:
    st.warning(tables.STALE, icon=":material/warning:")
elif check is not None:
    st.caption(tables.check_summary(check))
    if unplaced:
        st.markdown("**Autres problèmes**")
        st.text("\n".join(f"• {p.message}" for p in unplaced))
    changes.show_checks(check)
    if tables.clean(check):
        st.success(tables.CLEAN, icon=":material/check_circle:")
        if runs.busy(intake.run_state(data_dir)):
            st.info(runs.BUSY, icon=":material/hourglass_top:")
    else:
        st.error(
            "Des problèmes bloquants empêchent d'enregistrer : corrigez les valeurs signalées dans la "
            "colonne « Problème », puis vérifiez à nouveau.",
            icon=":material/block:",
        )
    changes.show_changes(check, "saisie_changements")

if st.button(
    "Enregistrer",
    icon=":material/save:",
    key="saisie_enregistrer",
    disabled=not (check is not None and current and tables.clean(check)),
):
    try:
        saved = intake.write_entry(data_dir, pole_id, periode, values, access.actor())
    except intake.IntakeError as exc:
        st.error(esc(str(exc)), icon=":material/error:")
    else:
        st.session_state[SAVED_KEY] = saved
        st.session_state.pop(CHECK_KEY, None)
        st.session_state[ROUND_KEY] = editor_round + 1
        runs.start_watching()
        st.rerun()

saved = st.session_state.get(SAVED_KEY)
if saved is not None:
    st.success(
        "Chiffres enregistrés : le traitement des données est demandé.", icon=":material/check_circle:"
    )
    st.text(f"Fichier : {saved.stored}")
runs.show_run(data_dir, "saisie")

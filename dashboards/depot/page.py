"""Déposer des fichiers: blank templates, then upload, check without publishing, confirm, follow the run.

The files are checked by `ptce.intake.preview` — a real pipeline run on a scratch copy of the data
folder, so the rules are those of every file — which reports each file's rows, each problem with
its row and field, the published figures that would change and the checks that would fail.
« Confirmer le dépôt » stores the files under `raw/<kind>/` (`intake.deposit`, names made safe
there) and asks for a run, whose journal the page then follows. A pole deposits for itself only: a
file with another pole's figures is refused before any confirmation. Names and messages from the
files are shown as text (table cells, `st.text`, escaped Markdown), never as HTML.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from dashboards.depot import tables, templates
from dashboards.shared import access, changes, display, reads, runs, widgets
from ptce import intake
from ptce.paths import resolve_data_dir

PREVIEW_KEY = "depot_apercu"  # (signature of the files checked, their kind, the Preview)
DEPOSITED_KEY = "depot_deposes"  # the files of the last deposit, as stored
UPLOADER_ROUND_KEY = "depot_tour"  # a new uploader (empty) after each deposit
TEMPLATE_KEY = "depot_modele"  # (kind, bytes or None when it failed)

wh = reads.current_warehouse()
if wh is None:  # app.py stops before this; the guard keeps the page runnable on its own
    st.stop()

esc = display.escape_markdown
data_dir = resolve_data_dir()
viewer = reads.current_viewer()
own = viewer.pole_id if viewer.role == "pole" else None
poles = reads.poles(wh)
names = dict(zip(poles["pole_id"], poles["nom"], strict=True))

st.title("Déposer des fichiers")
st.caption(tables.INTRO)
if own is not None:
    st.info(
        f"Vous déposez les fichiers de votre pôle, {esc(names.get(own, own))} : un fichier qui "
        "contient les chiffres d'un autre pôle sera refusé.",
        icon=":material/info:",
    )

with st.expander("Modèles vierges à télécharger", icon=":material/download:"):
    st.caption(tables.TEMPLATES_INTRO)
    template_kind = st.selectbox(
        "Modèle", intake.kinds_for(own), format_func=tables.kind_label, key="depot_modele_type"
    )
    if st.button("Préparer le modèle", key="depot_modele_preparer", icon=":material/build:"):
        with st.spinner("Préparation du modèle…"):
            try:
                data = templates.template_bytes(template_kind, str(data_dir), wh)
            except templates.TemplateError:
                data = None
        st.session_state[TEMPLATE_KEY] = (template_kind, data)
    prepared = st.session_state.get(TEMPLATE_KEY)
    if prepared is not None and prepared[0] == template_kind:
        if prepared[1] is None:
            st.warning(tables.TEMPLATE_FAILED.format(label=tables.kind_label(template_kind)))
        else:
            st.download_button(
                f"Télécharger le modèle « {tables.kind_label(template_kind)} »",
                data=prepared[1],
                file_name=tables.template_file_name(template_kind),
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                icon=":material/download:",
                key="depot_modele_telecharger",
            )

st.subheader("Fichiers à déposer", anchor=False)
chosen = st.selectbox(
    "Type de fichier", tables.kind_options(own), format_func=tables.kind_label, key="depot_type"
)
upload_round = int(st.session_state.get(UPLOADER_ROUND_KEY, 0))
sent = st.file_uploader(
    "Fichiers (un ou plusieurs)",
    type=tables.accepted_extensions(chosen),
    accept_multiple_files=True,
    key="depot_fichiers" + (f"_{upload_round}" if upload_round else ""),
    max_upload_size=tables.max_megabytes(),
    help=tables.uploader_help(chosen),
)
uploads = [intake.Upload(f.name, f.getvalue()) for f in sent or []]

# The kind: the one chosen, or the one every file is recognised as.
kind: str | None = None if chosen == tables.AUTO else chosen
refused: list[str] = []
if uploads and chosen == tables.AUTO:
    detected = {u.name: intake.detect_kind(u) for u in uploads}
    unknown = [name for name, k in detected.items() if k is None]
    found = sorted({k for k in detected.values() if k is not None})
    for name in unknown:
        refused.append(tables.DETECT_FAILED.format(name=name))
    if len(found) > 1:
        refused.append(tables.MIXED_KINDS.format(kinds=", ".join(tables.kind_label(k) for k in found)))
    elif found and not unknown:
        kind = found[0]
        st.caption(f"Type reconnu : {tables.kind_label(kind)}.")
# A file recognised as the poles reference, sent by a pole: said, never checked nor stored.
not_yours = intake.staff_only(kind, own) if uploads and kind is not None else None
if not_yours is not None:
    refused.append(not_yours)
elif uploads and kind is not None:
    for upload in uploads:
        try:
            intake.check_upload(upload, kind)
        except intake.IntakeError as exc:
            refused.append(str(exc))
for message in refused:
    # The message names the file as it was sent: escaped, so it reads as typed.
    st.error(esc(message), icon=":material/block:")

signature = (
    kind,
    own,
    tuple((u.name, hashlib.sha256(u.data).hexdigest()) for u in uploads),
)
can_check = bool(uploads) and kind is not None and not refused
if uploads and refused:
    st.caption("Retirez ou corrigez les fichiers refusés pour lancer la vérification.")
if st.button(
    "Vérifier",
    type="primary",
    icon=":material/fact_check:",
    key="depot_verifier",
    disabled=not can_check,
):
    st.session_state.pop(PREVIEW_KEY, None)
    with st.status("Vérification des fichiers sur une copie des données…", expanded=True) as status:
        st.caption("Rien n'est publié pendant la vérification ; comptez quinze à trente secondes.")
        try:
            checked = intake.preview(data_dir, uploads, kind, own)  # type: ignore[arg-type]
        except intake.IntakeError as exc:
            status.update(label="La vérification n'a pas pu se faire.", state="error")
            st.error(esc(str(exc)), icon=":material/error:")
        else:
            st.session_state[PREVIEW_KEY] = (signature, checked)
            status.update(label=tables.preview_label(checked), state="complete", expanded=False)

stored = st.session_state.get(PREVIEW_KEY)
result: intake.Preview | None = stored[1] if stored is not None and stored[0] == signature else None
if result is not None:
    st.subheader("Résultat de la vérification", anchor=False)
    widgets.show_table(
        tables.files_table(result.files, names),
        key="depot_fichiers_verifies",
        file_name="fichiers_verifies.csv",
    )

    st.markdown("**Problèmes relevés**")
    if result.problems:
        widgets.show_table(
            tables.problems_table(result.problems), key="depot_problemes", file_name="problemes.csv"
        )
    else:
        st.success("Aucun problème relevé dans les fichiers.", icon=":material/check_circle:")

    changes.show_checks(result)
    changes.show_changes(result, "depot_changements")

    foreign = tables.foreign_poles(result, own) if own is not None else []
    if foreign:
        for name, others in foreign:
            st.error(
                esc(tables.FOREIGN_POLE.format(name=name, poles=tables.pole_names(others, names))),
                icon=":material/block:",
            )
    else:
        unloaded = tables.unloaded_files(result)
        for name in unloaded:
            st.warning(esc(tables.NOTHING_LOADED.format(name=name)), icon=":material/warning:")
        if not result.publishable:
            st.warning(tables.NOT_PUBLISHABLE, icon=":material/warning:")
        elif runs.busy(intake.run_state(data_dir)):
            st.info(runs.BUSY, icon=":material/hourglass_top:")
        if st.button(
            "Confirmer le dépôt",
            type="primary",
            icon=":material/cloud_upload:",
            key="depot_confirmer",
            disabled=not result.publishable or bool(unloaded),
        ):
            try:
                stored_files = intake.deposit(data_dir, uploads, kind, access.actor(), pole_id=own)  # type: ignore[arg-type]
            except intake.IntakeError as exc:
                st.error(esc(str(exc)), icon=":material/error:")
            else:
                st.session_state[DEPOSITED_KEY] = stored_files
                st.session_state.pop(PREVIEW_KEY, None)
                st.session_state[UPLOADER_ROUND_KEY] = upload_round + 1
                runs.start_watching()
                st.rerun()

deposited = st.session_state.get(DEPOSITED_KEY)
if deposited:
    st.success("Dépôt enregistré : le traitement des données est demandé.", icon=":material/check_circle:")
    # Names as sent, shown as text.
    st.text("\n".join(f"« {d.original_name} » → {d.stored}" for d in deposited))
runs.show_run(data_dir, "depot")

"""The pipeline run that a deposit or a typed entry asked for, as both pages show it.

`ptce.intake.deposit` and `write_entry` store the file and request a run (one at a time per data
folder); `intake.run_state` reads where it stands and its journal. After a deposit in this session,
the page polls it every few seconds in a fragment, shows the journal as plain text while the run
goes on, then its result once, and reruns the whole page so that the new figures are read.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ptce import intake
from ptce.fmt import fmt_datetime, local_time

# Session keys: whether this session follows a run ("suivi" then "termine"), and its last state.
WATCH_KEY = "traitement_suivi"
LAST_STATE_KEY = "traitement_dernier_etat"
POLL_SECONDS = 3
# The journal shown: its last lines (a full run writes a few dozen; a long one stays readable).
JOURNAL_LINES = 200

BUSY = (
    "Un dépôt est déjà en cours de traitement. Vous pouvez confirmer le vôtre : il sera traité "
    "juste après, sans être perdu."
)


def busy(state: intake.RunState) -> bool:
    """Whether a run is going on or waiting to start."""
    return state.running or state.queued


def state_label(state: intake.RunState) -> str:
    """One French line saying where the run stands (the label of the progress box)."""
    if state.running:
        return "Traitement en cours : lecture des fichiers, contrôles, publication…"
    if state.queued:
        return "Traitement demandé : il commence dès que la construction en cours se termine."
    when = fmt_datetime(local_time(state.finished_at)) if state.finished_at is not None else None
    if state.ok:
        return f"Traitement terminé le {when} : les chiffres sont publiés." if when else "Traitement terminé."
    if state.ok is False:
        return (
            f"Traitement terminé le {when} sans publication : le journal ci-dessous dit pourquoi."
            if when
            else "Le traitement s'est arrêté sans publier : le journal ci-dessous dit pourquoi."
        )
    return "Aucun traitement en cours."


def _box_state(state: intake.RunState) -> str:
    if busy(state):
        return "running"
    return "error" if state.ok is False else "complete"


def _show(state: intake.RunState, key: str) -> None:
    # Not a `with` block: leaving one marks a running status complete.
    box = st.status(state_label(state), state=_box_state(state), expanded=True)  # type: ignore[arg-type]
    if state.lines:
        # The journal as it is, never read as Markdown or HTML (file names, messages).
        box.text("\n".join(state.lines[-JOURNAL_LINES:]))
    else:
        box.caption("Le journal du traitement apparaîtra ici dès son démarrage.")
    if busy(state):
        box.button("Actualiser", key=f"{key}_actualiser", icon=":material/refresh:")


def start_watching() -> None:
    """Follow the run just requested: the page polls it until it ends."""
    st.session_state[WATCH_KEY] = "suivi"
    st.session_state.pop(LAST_STATE_KEY, None)


def show_run(data_dir: Path, key: str) -> None:
    """The run this session asked for: its journal while it goes on, then its result."""
    watching = st.session_state.get(WATCH_KEY)
    if watching == "termine":
        last = st.session_state.get(LAST_STATE_KEY)
        if isinstance(last, intake.RunState):
            st.subheader("Traitement", anchor=False)
            _show(last, key)
        return
    if watching != "suivi":
        return
    st.subheader("Traitement", anchor=False)

    @st.fragment(run_every=POLL_SECONDS)
    def progress() -> None:
        state = intake.run_state(data_dir)
        _show(state, key)
        if not busy(state):
            st.session_state[WATCH_KEY] = "termine"
            st.session_state[LAST_STATE_KEY] = state
            # The whole page again: the polling stops and the new publication's figures are read.
            st.rerun()

    progress()

"""Who is looking at the app: the viewer (role and pole) of the current session (SPEC §5).

The single place the dashboards learn the viewer from. Every cached read (`reads.py`) passes it to
the read layer, which filters by role in its queries; the router (`app.py`) shows only the pages
the viewer's role may open.

`require_viewer()`, called once per run by `app.py`, decides who that is:

- an OpenID Connect provider is configured for Streamlit (an `[auth]` section in `secrets.toml`):
  a visitor must log in (`st.login`); the provider's e-mail is looked up in the role file
  (`ptce/access.py`, `<data>/acces/roles.yaml`); an address not listed, a missing or wrong role
  file, or an unreadable login configuration shows a French message and nothing else;
- no provider: a local demo, with a role chooser in the sidebar marked as such. It never appears
  once a provider is configured, even a broken one (fail closed).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, NoReturn

import duckdb
import pandas as pd
import streamlit as st
from streamlit import config

from ptce.access import RoleFileError, load_role_file
from ptce.paths import DataLayout, resolve_data_dir
from ptce.read import indicators
from ptce.read.base import STAFF, Viewer, Warehouse, current_warehouse
from ptce.reference import PoleSet, shipped_poles

# The session key holding the Viewer of this browser session.
VIEWER_KEY = "ptce_viewer"
# The session key holding the login's e-mail (absent in the demo): who deposits files and figures.
EMAIL_KEY = "ptce_email"
# Widget keys of the demo chooser.
DEMO_ROLE_KEY = "demo_role"
DEMO_POLE_KEY = "demo_pole"

DEMO_TITLE = "Démonstration — choix du rôle (désactivé dès qu'un fournisseur d'identité est configuré)"
ROLE_LABELS: dict[str, str] = {
    "staff": "Équipe COORACE",
    "funder": "Fondation de France (financeur)",
    "pole": "Un pôle",
}
# What `st.login()` needs besides the provider itself (Streamlit's documented shared settings).
_SHARED_AUTH_KEYS = ("redirect_uri", "cookie_secret")
_PROVIDER_AUTH_KEYS = ("client_id", "client_secret", "server_metadata_url")

# Role-file problems already written to the server console (each run would repeat them).
_reported: set[str] = set()


def current_viewer() -> Viewer:
    """The viewer of this session, as `require_viewer` set it (staff when nothing was set)."""
    viewer = st.session_state.get(VIEWER_KEY)
    return viewer if isinstance(viewer, Viewer) else STAFF


AuthState = Literal["none", "ready", "broken"]


def _auth_section() -> tuple[AuthState, Mapping[str, object] | None]:
    """Whether a login provider is configured: none, ready (the `[auth]` section), or broken.

    Broken — a secrets file exists but cannot be read, or `[auth]` lacks a key — counts as
    configured: the demo chooser must not open the data because a secrets file has a typo.
    """
    try:
        loaded = st.secrets.load_if_toml_exists()
        auth = st.secrets.get("auth") if loaded else None
    except Exception:  # any failure to read the secrets is a broken configuration
        return "broken", None
    if not loaded:
        files = config.get_option("secrets.files") or []
        return ("broken" if any(Path(f).exists() for f in files) else "none"), None
    if auth is None:
        return "none", None
    if not isinstance(auth, Mapping) or not auth:
        return "broken", None
    return "ready", auth


def _missing_auth_keys(auth: Mapping[str, object]) -> list[str]:
    missing = [k for k in _SHARED_AUTH_KEYS if not auth.get(k)]
    providers = {k: v for k, v in auth.items() if isinstance(v, Mapping)}
    if not providers:
        missing += [k for k in _PROVIDER_AUTH_KEYS if not auth.get(k)]
    return missing


def _providers(auth: Mapping[str, object]) -> list[str | None]:
    """The providers to offer: the default one (`[auth]` itself) or each `[auth.<name>]`."""
    if auth.get("client_id"):
        return [None]
    return [name for name, value in auth.items() if isinstance(value, Mapping)]


def _report(text: str) -> None:
    # The console of `ptce dashboard` is where staff fix the configuration; visitors never see it.
    if text not in _reported:
        _reported.add(text)
        print(text, file=sys.stderr, flush=True)


def _refuse(message: str, detail: str | None = None, logout: bool = False) -> NoReturn:
    """A French message instead of the app, then stop: nothing else is drawn."""
    st.session_state.pop(VIEWER_KEY, None)
    st.session_state.pop(EMAIL_KEY, None)
    st.title("Observatoire PTCE")
    st.error(message, icon=":material/block:")
    if detail:
        # Plain text: an address comes from the provider and is never read as Markdown.
        st.text(detail)
    if logout and st.button("Se déconnecter", key="logout_refused"):
        st.logout()
    st.stop()


def _login_page(auth: Mapping[str, object]) -> NoReturn:
    st.session_state.pop(VIEWER_KEY, None)
    st.session_state.pop(EMAIL_KEY, None)
    st.title("Observatoire PTCE")
    st.info(
        "L'Observatoire est réservé à l'équipe COORACE, à la Fondation de France et aux pôles. "
        "Connectez-vous avec votre compte pour y accéder.",
        icon=":material/lock:",
    )
    providers = _providers(auth)
    for provider in providers:
        label = "Se connecter" if provider is None or len(providers) == 1 else f"Se connecter ({provider})"
        if st.button(label, type="primary", key=f"login_{provider or 'defaut'}"):
            st.login(provider) if provider else st.login()
    st.stop()


@st.cache_data(show_spinner=False, max_entries=4)
def _published_pole_frame(wh: Warehouse) -> pd.DataFrame:
    return indicators.poles(wh, STAFF)


def published_poles() -> PoleSet:
    """The poles as last published: the shipped twelve and those the reference files of
    `raw/poles/` added or amended; the shipped twelve before anything is published."""
    wh = current_warehouse()
    if wh is None:
        return shipped_poles()
    try:
        frame = _published_pole_frame(wh)
    except duckdb.Error:  # a warehouse published before the poles were data: its twelve poles
        return shipped_poles()
    return PoleSet.from_frame(frame) if len(frame) else shipped_poles()


def _role_caption(viewer: Viewer) -> str:
    if viewer.role == "pole":
        names = {p.pole_id: p.nom for p in published_poles()}
        return f"Rôle : pôle — {names.get(viewer.pole_id or '', viewer.pole_id)}"
    return f"Rôle : {ROLE_LABELS[viewer.role]}"


def _logged_in_viewer(auth: Mapping[str, object]) -> Viewer:
    if not st.user.get("is_logged_in"):
        _login_page(auth)
    email = str(st.user.get("email") or "").strip()
    if st.user.get("email_verified") is False:
        # Some providers let people type any address into their profile and say so with this
        # claim: an address the provider has not checked proves nothing.
        _refuse(
            "Votre adresse électronique n'est pas vérifiée par votre fournisseur d'identité : "
            "l'accès à l'Observatoire PTCE ne peut pas lui être accordé.",
            detail=f"Adresse de connexion : {email}",
            logout=True,
        )
    layout = DataLayout(resolve_data_dir())
    try:
        # A pole added by a reference file may be named in the role file: matched like the others.
        viewer = load_role_file(layout.role_file, published_poles().matcher).viewer_for(email)
    except RoleFileError as exc:
        _report("Fichier des accès invalide — personne ne peut se connecter :\n" + "\n".join(exc.errors))
        _refuse(
            "L'accès à l'Observatoire n'est pas encore ouvert : le fichier des accès "
            "(acces/roles.yaml) est absent ou contient des erreurs. L'équipe COORACE doit le "
            "corriger ; le détail est écrit dans la console du serveur.",
            logout=True,
        )
    if viewer is None:
        _refuse(
            "Votre adresse n'a pas accès à l'Observatoire PTCE. Si vous pensez qu'il s'agit d'une "
            "erreur, demandez l'accès à l'équipe COORACE.",
            detail=f"Adresse de connexion : {email or '(aucune adresse transmise)'}",
            logout=True,
        )
    st.session_state[VIEWER_KEY] = viewer
    st.session_state[EMAIL_KEY] = email
    st.sidebar.text(f"Connexion : {email}\n{_role_caption(viewer)}")
    if st.sidebar.button("Se déconnecter", key="logout"):
        st.logout()
    return viewer


def _demo_viewer() -> Viewer:
    """The local demo: the role is chosen in the sidebar; COORACE staff by default."""
    box = st.sidebar.container(border=True)
    # Bold, in its own bordered box: nobody should take the demo for a login. A constant, not data.
    box.markdown(f":material/science: **{DEMO_TITLE}**")
    role = box.radio("Rôle", list(ROLE_LABELS), format_func=ROLE_LABELS.__getitem__, key=DEMO_ROLE_KEY)
    viewer = STAFF
    if role == "funder":
        viewer = Viewer("funder")
    elif role == "pole":
        poles = published_poles()
        labels = {p.pole_id: f"{p.numero} — {p.nom}" for p in poles}
        pole_id = box.selectbox("Pôle", list(labels), format_func=labels.__getitem__, key=DEMO_POLE_KEY)
        viewer = Viewer("pole", pole_id)
    st.session_state[VIEWER_KEY] = viewer
    st.session_state.pop(EMAIL_KEY, None)
    return viewer


def actor() -> str:
    """Who acts, as the records of deposits and typed figures name them: the login's e-mail, or
    in the demo the role chosen (« démonstration — Équipe COORACE », « démonstration — pôle phares »)."""
    email = st.session_state.get(EMAIL_KEY)
    if email:
        return str(email)
    viewer = current_viewer()
    role = f"pôle {viewer.pole_id}" if viewer.role == "pole" else ROLE_LABELS[viewer.role]
    return f"démonstration — {role}"


def require_viewer() -> Viewer:
    """The viewer of this run, or a French page and `st.stop()` when nobody may see anything."""
    state, auth = _auth_section()
    if state == "broken" or (auth is not None and _missing_auth_keys(auth)):
        missing = _missing_auth_keys(auth) if auth is not None else []
        _report(
            "Configuration de connexion illisible ou incomplète (secrets.toml, section [auth])"
            + (f" : clés manquantes {', '.join(missing)}" if missing else "")
        )
        _refuse(
            "La connexion à l'Observatoire est mal configurée (fichier secrets.toml, section "
            "[auth]) : personne ne peut entrer tant qu'elle n'est pas corrigée. Le détail est écrit "
            "dans la console du serveur."
        )
    if auth is not None:
        return _logged_in_viewer(auth)
    return _demo_viewer()

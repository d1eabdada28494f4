"""The blank templates offered on « Déposer des fichiers », written by the `ptce template` command.

The dashboards never import the pipelines: the template is written by the project's own console
script (`ptce`, installed next to the running Python) in a subprocess, into a temporary file whose
bytes are kept in Streamlit's cache for the publication (a new catalogue or pole arrives with one).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import streamlit as st

from ptce.read.base import Warehouse

# Writing a workbook takes a few seconds; a command stuck longer than this is given up.
TIMEOUT_SECONDS = 120


class TemplateError(Exception):
    """The template could not be written (the detail goes to the server console)."""


def ptce_command() -> Path:
    """The `ptce` console script of this environment (beside the interpreter running the app)."""
    return Path(sys.executable).with_name("ptce")


@st.cache_data(show_spinner=False, max_entries=16)
def template_bytes(kind: str, data_dir: str, wh: Warehouse | None) -> bytes:
    """The blank template of `kind` (`ptce template --kind K`), cached per publication `wh`.

    Raises TemplateError on failure: an exception is not cached, so the next click tries again.
    """
    with tempfile.TemporaryDirectory(prefix="ptce-modele-") as folder:
        out = Path(folder) / f"modele_{kind}.xlsx"
        command = [str(ptce_command()), "template", "--kind", kind, "--out", str(out)]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                env={**os.environ, "PTCE_DATA_DIR": data_dir},
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            _report(kind, str(exc))
            raise TemplateError(kind) from exc
        if done.returncode != 0 or not out.is_file():
            _report(kind, (done.stderr or done.stdout or f"code de sortie {done.returncode}").strip())
            raise TemplateError(kind)
        return out.read_bytes()


def _report(kind: str, detail: str) -> None:
    # The console of `ptce dashboard` is where staff look; the page says it in French only.
    print(f"Modèle « {kind} » non écrit par `ptce template` : {detail}", file=sys.stderr, flush=True)

"""Déposer des fichiers: the page's texts and the tables of a preview (files, problems, changes).

Pure functions (no Streamlit), so what the page shows can be tested on hand-written previews. Every
text that came from a file (its name, a cell, a message quoting it) stays a plain cell of a table:
`st.dataframe` shows it as text, never as Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from dashboards.shared import table_format as tf
from dashboards.shared.table_format import Table
from ptce import intake
from ptce.fmt import fmt_count, fmt_number

AUTO = "__auto__"  # the kind option « Détecter automatiquement » (kinds are folder names)
AUTO_LABEL = "Détecter automatiquement"
MEGABYTE = 1024 * 1024

INTRO = (
    "Déposez ici les fichiers d'un pôle : ils sont d'abord vérifiés sans rien publier — chaque "
    "problème est dit en français avec sa ligne et sa colonne, et les chiffres qui changeraient "
    "sont listés (ajoutés, modifiés avec l'ancienne et la nouvelle valeur, retirés). Rien n'est "
    "enregistré avant que vous confirmiez ; le fichier est alors rangé dans le dossier de son type "
    "sous un nom sûr, et le traitement des données se lance."
)
TEMPLATES_INTRO = (
    "Un modèle vierge par type de fichier : un classeur Excel avec une feuille d'instructions, des "
    "listes de choix pour le pôle, la période et les indicateurs, et des cellules qui n'acceptent "
    "que des nombres."
)
TEMPLATE_FAILED = (
    "Le modèle « {label} » n'a pas pu être préparé. Réessayez plus tard ou demandez-le à l'équipe "
    "COORACE ; le détail est écrit dans la console du serveur."
)
DETECT_FAILED = (
    "Le type du fichier « {name} » n'a pas été reconnu d'après ses colonnes : choisissez le type "
    "de fichier ci-dessus."
)
MIXED_KINDS = (
    "Les fichiers déposés ne sont pas du même type ({kinds}) : déposez-les séparément, ou choisissez "
    "le type ci-dessus."
)
FOREIGN_POLE = (
    "Dépôt refusé : le fichier « {name} » contient des chiffres d'un autre pôle ({poles}). Un pôle "
    "ne dépose que ses propres chiffres ; pour corriger ceux d'un autre pôle, adressez-vous à "
    "l'équipe COORACE."
)
NOT_PUBLISHABLE = (
    "Ce dépôt ne peut pas être confirmé : des problèmes bloquants empêcheraient la publication. "
    "Corrigez le fichier et déposez-le à nouveau."
)

NOTHING_LOADED = (
    "Aucune ligne du fichier « {name} » ne serait chargée : corrigez-le d'après les problèmes "
    "ci-dessus avant de le déposer."
)


def unloaded_files(result: intake.Preview) -> list[str]:
    """Names of the previewed files of which no row would be loaded: depositing them would only
    fill the quarantine, so the page asks for a corrected file instead."""
    return [f.name for f in result.files if f.rows_loaded == 0]


STATUS_LABELS: dict[str, str] = {
    "ok": "✅ Tout est lisible",
    "partial": "⚠️ Partiel (lignes en quarantaine)",
    "error": "⛔ Illisible (rien ne serait chargé)",
    "ignored": "⏭️ Ignoré (non lu)",
}


def kind_options(pole_id: str | None = None) -> list[str]:
    """The kind chooser's options: detection first, then each raw folder the person may fill
    (`pole_id`: a pole depositing its own files, not the poles reference)."""
    return [AUTO, *intake.kinds_for(pole_id)]


def kind_label(kind: str) -> str:
    return AUTO_LABEL if kind == AUTO else intake.KINDS.get(kind, kind)


def accepted_extensions(kind: str) -> list[str]:
    """What the uploader accepts for `kind` (every kind's extensions when it is to be detected)."""
    kinds = list(intake.ALLOWED_EXTENSIONS) if kind == AUTO else [kind]
    return sorted({ext for k in kinds for ext in intake.ALLOWED_EXTENSIONS.get(k, ())})


def max_megabytes() -> int:
    """The size limit of one file, in whole megabytes (the uploader's unit)."""
    return max(1, intake.MAX_BYTES // MEGABYTE)


def uploader_help(kind: str) -> str:
    extensions = ", ".join(accepted_extensions(kind))
    return f"Formats acceptés : {extensions} ; {fmt_number(max_megabytes())} Mo au plus par fichier."


def template_file_name(kind: str) -> str:
    return f"modele_{kind}_ptce.xlsx"


def pole_names(ids: Sequence[str], names: Mapping[str, str]) -> str:
    """Pole ids as their names, in the order given (an unknown id stays as it is)."""
    return ", ".join(names.get(p, p) for p in ids)


def foreign_poles(preview: intake.Preview, own: str) -> list[tuple[str, tuple[str, ...]]]:
    """For a pole depositing: each file that touches another pole, with those poles."""
    found = []
    for f in preview.files:
        others = tuple(dict.fromkeys([*f.other_poles, *(p for p in f.poles if p != own)]))
        if others:
            found.append((f.name, others))
    return found


def preview_label(preview: intake.Preview) -> str:
    """The status line once a check has ended."""
    blocking = sum(1 for p in preview.problems if p.blocking) + len(preview.checks_blocking)
    return (
        f"Vérification terminée en {fmt_number(preview.seconds, decimals=1)} s : "
        f"{fmt_count(len(preview.files), 'fichier', 'fichiers')}, "
        f"{fmt_count(len(preview.problems), 'problème', 'problèmes')} "
        f"(dont {fmt_number(blocking)} bloquant{'s' if blocking >= 2 else ''}), "
        f"{fmt_count(len(preview.changes), 'chiffre modifié', 'chiffres modifiés')}."
    )


def files_table(files: Sequence[intake.FilePreview], names: Mapping[str, str]) -> Table:
    """One row per file: its name as sent, its type, its status and the rows it would give."""
    frame = pd.DataFrame(
        {
            "Fichier": [f.name for f in files],
            "Type": [intake.KINDS.get(f.kind, f.kind) for f in files],
            "État": [STATUS_LABELS.get(f.status, f.status) for f in files],
            "Lignes lues": pd.array([f.rows_read for f in files], dtype="Int64"),
            "Lignes chargées": pd.array([f.rows_loaded for f in files], dtype="Int64"),
            "Lignes en quarantaine": pd.array([f.rows_quarantined for f in files], dtype="Int64"),
            "Pôles": [pole_names(f.poles, names) for f in files],
            "Message": [f.message for f in files],
        }
    )
    return Table(frame)


def problems_table(problems: Sequence[intake.Problem]) -> Table:
    """Every problem found: file, row, field, what is wrong (in French), blocking or not."""
    frame = pd.DataFrame(
        {
            "Fichier": [p.file for p in problems],
            "Ligne": pd.array([p.row for p in problems], dtype="Int64"),
            "Champ": [p.field or "" for p in problems],
            "Problème": [p.message for p in problems],
            "Gravité": ["Bloquant" if p.blocking else "Avertissement" for p in problems],
        }
    )
    return Table(frame, {"Ligne": tf.INTEGER})

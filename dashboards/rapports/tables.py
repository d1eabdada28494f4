"""Rapports: the texts of the page and the table of the reports already built.

Pure functions (no Streamlit), so what the page shows can be tested on small inputs.
"""

from __future__ import annotations

import pandas as pd

from dashboards.shared import table_format as tf
from dashboards.shared.table_format import Table
from ptce.fmt import fmt_count, fmt_number
from reports.build import BuiltFile, BuiltReport

FORMAT_LABELS: dict[str, str] = {"pdf": "PDF", "xlsx": "Excel", "html": "HTML"}
MIME_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
}
DOWNLOAD_LABELS: dict[str, str] = {
    "pdf": "Télécharger le PDF",
    "xlsx": "Télécharger le classeur Excel",
    "html": "Télécharger la page HTML",
}
INTRO = (
    "Le rapport annuel pour la Fondation de France, construit depuis l'entrepôt publié : un PDF à "
    "imprimer, un classeur Excel (une feuille par angle de travail, chaque chiffre avec ses fichiers "
    "sources et la date de publication) et une page HTML autonome aux graphiques interactifs. Tout "
    "nombre de personnes inférieur au seuil y est masqué, quel que soit le rôle de qui le construit."
)
NO_YEAR = "L'entrepôt publié ne contient encore aucune année de chiffres : pas de rapport à construire."
NONE_BUILT = "Aucun rapport n'a encore été construit."


def built_label(report: BuiltReport) -> str:
    """The status line once a build has ended: « Rapport 2016 construit en 42,5 s (28 pages). »"""
    return (
        f"Rapport {report.year} construit en {fmt_number(report.seconds, decimals=1)} s "
        f"({fmt_count(report.pages, 'page', 'pages')})."
    )


def built_table(files: list[BuiltFile]) -> Table:
    """The report files found in the output folder: year, format, file, when built, size."""
    frame = pd.DataFrame(
        {
            "Année": [f.year for f in files],
            "Format": [FORMAT_LABELS[f.format] for f in files],
            "Fichier": [f.path.name for f in files],
            "Construit le": [pd.Timestamp(f.modified) for f in files],
            "Taille (Ko)": [round(f.size / 1024, 1) for f in files],
        }
    )
    return Table(frame, {"Année": tf.YEAR, "Construit le": tf.DATETIME, "Taille (Ko)": tf.DECIMAL})

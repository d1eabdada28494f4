"""The applications domain: answers to the 2015 call (.docx forms and form-tool exports)."""

from __future__ import annotations

from pathlib import Path

from pipelines.applications import rules
from pipelines.shared.domain import Domain, PlannedFile
from ptce.paths import DataLayout


def _write_demo(staging: Path, layout: DataLayout) -> list[PlannedFile]:
    from pipelines.applications.demo import plan_demo_files  # python-docx only when a demo is written

    return plan_demo_files(staging, layout)


DOMAIN = Domain(
    name="applications",
    raw_kinds=("candidatures",),
    staging_asset="stg_application_files",
    staging_log="stg_application_log",
    staging_quarantine="stg_application_quarantine",
    tables=("applications", "application_answers", "application_fields", "application_tags"),
    # Answers to the AMI are one submission per pole, due for the 2015 call.
    submissions_sql=(
        "select 'candidatures' as kind, pole_id, 2015 as annee, source_file from stg_application_results"
    ),
    current_sql={
        "candidatures": "select pole_id, 2015 as annee, 'candidature' as code from applications where current"
    },
    completeness_deps=("applications", "stg_application_files"),
    table_suites=rules.TABLE_SUITES,
    write_demo=_write_demo,
    demo_at_scale=True,  # `ptce sample --scale`: the twelve poles' demo files, nothing generated
    template_notes={
        "candidatures": (
            "Pas de modèle Excel pour les candidatures : un pôle répond à l'appel à manifestation "
            "d'intérêt sur la trame Word (.docx) diffusée avec l'appel, qui n'est pas fournie avec "
            "l'observatoire. Déposez la trame remplie (un pôle par fichier, au format .docx) sur la page "
            "« Déposer des fichiers », type « candidatures », ou dans le dossier raw/candidatures/ ; "
            "l'export d'un outil de formulaire en ligne (.xlsx, .csv, un pôle par ligne) est lu aussi."
        )
    },
)

"""Demo answers to the call for expressions of interest (`ptce sample`), planned for `raw/candidatures/`.

Twelve filled-in forms in varied layouts (`demo_forms.py`), one sent after the deadline (2 March
2015), and a form-tool export that resends three poles (`demo_export.py`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pipelines.applications.demo_export import write_demo_export
from pipelines.applications.demo_forms import demo_forms, write_demo_forms
from pipelines.shared.domain import PlannedFile
from pipelines.shared.sample import normalise_zip
from ptce.paths import DataLayout
from ptce.reference import load_poles

APPLICATION_LATE = "bourian"


def plan_demo_files(staging: Path, layout: DataLayout) -> list[PlannedFile]:
    """Write the demo forms and export in `staging`, each planned for `raw/candidatures/`."""
    planned: list[PlannedFile] = []
    by_pole = {p.pole_id: p for p in load_poles()}
    forms_dir = staging / "candidatures"
    pole_of_form = {form.file_name: by_pole[form.pole_id] for form in demo_forms()}
    for doc in write_demo_forms(forms_dir):
        pole = pole_of_form[doc.name]
        if pole.pole_id == APPLICATION_LATE:
            sent = datetime(2015, 3, 9, 16, 0, tzinfo=UTC)
        else:
            sent = datetime(2015, 2, 10 + pole.numero, 11, 0, tzinfo=UTC)
        doc.write_bytes(normalise_zip(doc.read_bytes()))
        planned.append((doc, layout.raw_folder("candidatures") / doc.name, sent))
    export = write_demo_export(forms_dir)
    export.write_bytes(normalise_zip(export.read_bytes()))
    planned.append(
        (export, layout.raw_folder("candidatures") / export.name, datetime(2015, 3, 2, 18, 0, tzinfo=UTC))
    )
    return planned

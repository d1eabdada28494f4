"""Files a pole might send beside the demo ones: a target for a later year, broken and pending files.

They are independent of one another (each goes to its own file and its own ledger row), so one
pipeline run over the demo plus all of them (`odd_files_run` in tests/conftest.py) serves the tests
of tests/test_pipeline.py and tests/test_applications_pipeline.py that each needed a full run.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

LATER_YEAR = date.today().year + 4  # 2030 when written: targets are in the future by nature
LATER_TARGET_FILE = f"phares_objectifs_{LATER_YEAR}.csv"

# Broken application files and a fragment of the French message each must get.
BAD_APPLICATION_FILES = {
    "ancien_format.doc": ".docx",
    "abime.docx": "",
    "vide.docx": "vide",
    "dossier.pdf": ".docx",
    "lettre.docx": "",
    "candidature_sans_nom.docx": "Pôle du Grand Nord",
}


def write_later_target(raw: Path) -> None:
    """A target file for a year after today's, with two targets of PHARES."""
    (raw / "objectifs" / LATER_TARGET_FILE).write_text(
        f"pole;annee;indicateur;objectif\nPHARES;{LATER_YEAR};emplois_crees;15\nPHARES;{LATER_YEAR};membres;30\n",
        encoding="utf-8",
    )


def write_bad_and_pending_files(raw: Path) -> None:
    """An unreadable workbook, a CSV with one mistyped value, a visits file (domain not yet
    integrated) and a pathway file with no recognisable table."""
    (raw / "indicateurs" / "casse.xlsx").write_bytes(b"pas un classeur")
    (raw / "indicateurs" / "erreurs.csv").write_text(
        "pole;periode;indicateur;valeur\nPHARES;2016;salaries;douze\n", encoding="utf-8"
    )
    (raw / "visites" / "visites_2016.csv").write_text("date;pole\n1;PHARES\n", encoding="utf-8")
    (raw / "parcours" / "parcours_2016.csv").write_text("id;pole\n1;PHARES\n", encoding="utf-8")


def _form_with_unknown_pole(path: Path) -> None:
    """A real filled-in form whose header names no pole of the community (nor does its file name)."""
    import docx

    from pipelines.applications.demo_forms import write_demo_forms

    source = next(p for p in write_demo_forms(path.parent / "_tmp") if "esci" not in p.name.lower())
    document = docx.Document(str(source))
    for paragraph in document.paragraphs[:15]:
        if paragraph.text.strip().lower().startswith(("initiative", "nom du ptce", "nom de l")):
            paragraph.text = "Initiative : Pôle du Grand Nord"
    document.save(str(path))
    shutil.rmtree(path.parent / "_tmp")


def write_bad_application_files(raw: Path) -> None:
    """The files of BAD_APPLICATION_FILES, each unusable in its own way."""
    folder = raw / "candidatures"
    (folder / "ancien_format.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (folder / "abime.docx").write_bytes(b"PK\x03\x04 ceci n'est plus un document")
    (folder / "vide.docx").write_bytes(b"")
    (folder / "dossier.pdf").write_bytes(b"%PDF-1.4 ...")
    with zipfile.ZipFile(folder / "lettre.docx", "w") as z:  # a zip that is not a Word document
        z.writestr("bonjour.txt", "Madame, Monsieur")
    _form_with_unknown_pole(folder / "candidature_sans_nom.docx")

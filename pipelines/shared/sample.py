"""`ptce sample`: every domain writes its fictitious demo files, then they are moved into `raw/`.

(`ptce sample --scale N`, synthetic data at national scale, is `pipelines/shared/scale.py`.)

Each domain plans its files (`DOMAIN.write_demo`: written in a staging folder, with their raw path
and the date of their fictitious sending); here they are moved in place with that date as their
modification date, which the arrival register takes as their arrival time, and the demo marker is
written. Existing files with identical content are left as they are; a file that exists with other
content is never overwritten (raw folders are only ever added to).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from pathlib import Path

from pipelines.shared.domain import PlannedFile, domains
from ptce.paths import RAW_KINDS, DataLayout

DEMO_NOTICE = "DONNÉES FICTIVES DE DÉMONSTRATION — aucun chiffre ne décrit un pôle réel"


def normalise_zip(data: bytes) -> bytes:
    """Office files are zips: fix every entry's timestamp and the document dates, for stable bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            content = src.read(name)
            if name == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*(</dcterms:(?:modified|created)>)",
                    rb"\g<1>2018-01-15T09:00:00Z\g<2>",
                    content,
                )
            info = zipfile.ZipInfo(name, date_time=(2018, 1, 15, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, content)
    return out.getvalue()


def write_planned(planned: list[PlannedFile]) -> list[Path]:
    """Move planned files in place, dated when they were sent; an existing file is left as it is."""
    written: list[Path] = []
    for tmp, final, sent in planned:
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            tmp.unlink()
            written.append(final)
            continue
        tmp.replace(final)
        if sent is not None:
            os.utime(final, (sent.timestamp(), sent.timestamp()))
        written.append(final)
    return written


def write_sample(data_dir: Path) -> list[Path]:
    """Write every domain's demo raw files under `data_dir/raw/` and return their paths."""
    layout = DataLayout(data_dir)
    staging = data_dir / "curated" / ".sample_tmp"
    staging.mkdir(parents=True, exist_ok=True)
    planned: list[PlannedFile] = []
    for domain in domains():
        if domain.write_demo is not None:
            planned.extend(domain.write_demo(staging, layout))
    marker = staging / "marker.txt"
    marker.write_text(
        f"{DEMO_NOTICE}\n\nLes fichiers de ce dossier ont été générés par la commande « ptce sample » "
        "pour la démonstration de l'Observatoire PTCE. Remplacez-les par les fichiers réels des pôles "
        "(voir le README).\n",
        encoding="utf-8",
    )
    planned.append((marker, layout.demo_marker, None))
    written = write_planned(planned)
    shutil.rmtree(staging, ignore_errors=True)
    for kind in RAW_KINDS:  # every folder, even of kinds no domain reads yet
        layout.raw_folder(kind).mkdir(parents=True, exist_ok=True)
    return written

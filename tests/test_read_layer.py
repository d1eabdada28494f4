"""The read layer (`ptce.read`) on its own: plain functions, no Streamlit, a viewer on every read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ptce.read import applications, indicators, quality
from ptce.read.base import STAFF, Viewer, current_warehouse
from ptce.reference import load_keywords

READS = [
    (indicators.years, ()),
    (indicators.poles, ()),
    (indicators.pole_series, ("phares",)),
    (quality.quarantine, ()),
    (quality.ingest_log, ()),
    (applications.application_answers, ()),
]
# Data quality and applications quote the files and the poles' own words: staff only. (Every read
# for every role: tests/test_access_reads.py.)
STAFF_ONLY = READS[3:]


def test_reads_work_without_streamlit_loaded() -> None:
    # The report and analysts use these reads in a process that never imports Streamlit.
    code = "import sys, ptce.read.indicators, ptce.read.quality, ptce.read.applications; print('streamlit' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize(("read", "args"), READS, ids=[r.__name__ for r, _ in READS])
def test_staff_reads_everything(demo_data_dir: Path, read, args) -> None:
    wh = current_warehouse(demo_data_dir)
    assert wh is not None
    result = read(wh, STAFF, *args)
    assert len(result) > 0


@pytest.mark.parametrize("viewer", [Viewer("funder"), Viewer("pole", "phares")])
@pytest.mark.parametrize(("read", "args"), STAFF_ONLY, ids=[r.__name__ for r, _ in STAFF_ONLY])
def test_staff_only_reads_refuse_other_viewers(demo_data_dir: Path, viewer: Viewer, read, args) -> None:
    wh = current_warehouse(demo_data_dir)
    assert wh is not None
    with pytest.raises(PermissionError, match="réservées à l'équipe COORACE"):
        read(wh, viewer, *args)


def test_publication_is_open_to_every_viewer(demo_data_dir: Path) -> None:
    # Every page says whether its data are fictitious, whoever looks at it.
    wh = current_warehouse(demo_data_dir)
    assert wh is not None
    assert bool(indicators.publication(wh, Viewer("funder")).loc[0, "donnees_demo"]) is True


def test_the_heat_map_has_the_five_working_angles_even_untouched(demo_data_dir: Path) -> None:
    wh = current_warehouse(demo_data_dir)
    assert wh is not None
    counts = applications.angle_counts(wh, STAFF)
    angles = counts.drop_duplicates("tag")
    # The five angles of the community (seed 000), in the dictionary's order.
    assert angles["tag"].tolist() == [
        "parcours",
        "formes_emploi",
        "qualite_emploi",
        "creation_activites",
        "filieres",
    ]
    assert len(counts) == 5 * counts["pole_id"].nunique()


def test_the_demo_gives_every_angle_and_tool_and_every_pole_tags(demo_data_dir: Path) -> None:
    # The demo answers are meant to fill the heat map and the tool table: no empty column, no pole
    # without a tag (a regression to placeholder answers would show here).
    wh = current_warehouse(demo_data_dir)
    assert wh is not None
    counts = applications.angle_counts(wh, STAFF)
    assert (counts.groupby("tag")["nb"].sum() > 0).all()
    assert (counts.groupby("pole_id")["nb"].sum() > 0).all()
    tags = applications.application_tags(wh, STAFF)
    tools = {k.code for k in load_keywords() if k.categorie == "outil"}
    assert set(tags.loc[tags["categorie"] == "outil", "tag"]) == tools
    assert set(tags["pole_id"]) == set(counts["pole_id"])

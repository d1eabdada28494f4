"""The yearly report of a national network (issue #16): more poles than a funder reads one by one.

Above `reports.content.DETAIL_POLE_LIMIT` poles, the part « Les pôles » is one compact table (one
row per pole) and the per-pole detail goes to the workbook only; every other table or chart with one
row or bar per pole gives way to a distribution. Built on a copy of the demo warehouse with
generated poles added (`_national_warehouse`), one of them written by hand here.
"""

from __future__ import annotations

from reports.tables import SOURCES_LIMIT, sources


def test_sources_that_fit_a_cell_are_named_one_by_one() -> None:
    assert sources(["raw/b.csv", "raw/a.csv", "raw/a.csv", ""]) == "raw/a.csv ; raw/b.csv"


def test_sources_too_long_for_a_cell_are_counted_by_folder() -> None:
    files = [f"raw/indicateurs/pole{i:04d}_indicateurs_2016.csv" for i in range(2000)]
    files.append("raw/objectifs/objectifs_2016.csv")
    assert len(" ; ".join(files)) > SOURCES_LIMIT
    assert sources(files) == (
        "2\u202f001 fichiers, trop nombreux pour être nommés un à un dans une cellule : "
        "raw/indicateurs/ : 2\u202f000 fichiers, de « pole0000_indicateurs_2016.csv » à "
        "« pole1999_indicateurs_2016.csv » ; raw/objectifs/ : 1 fichier, « objectifs_2016.csv »"
    )

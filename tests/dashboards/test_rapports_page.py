"""The page « Rapports » run headless (AppTest), for staff, the funder and a pole.

The build itself is replaced by a fake (`reports.build.build_year` monkeypatched) that writes three
small files and reports progress: these tests pin the page (year choice, progress shown as text,
the downloads, the list of built files, the French error), not the report's content. They run on
a copy of the demo warehouse (`altered_data_dir`), so a build never writes into the shared demo.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reports import build
from reports.model import ReportError
from tests.dashboards.apps import open_app

PAGE = "rapports/page.py"
DEMO_YEARS = [2017, 2016, 2015]  # ptce sample writes 2015-2017; the page offers the latest first
PROGRESS = ["Lecture de l'entrepôt publié…", "**Chiffres** du <b>réseau</b>…"]


def fake_build(calls: list[int], *, error: str | None = None) -> Callable[..., build.BuiltReport]:
    def build_year(data_dir, year, out_dir=None, *, progress=None) -> build.BuiltReport:
        calls.append(year)
        for line in PROGRESS:
            progress(line)
        if error is not None:
            raise ReportError(error)
        folder = build.default_out_dir(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {fmt: folder / build.file_name(year, fmt) for fmt in build.FORMATS}
        for fmt, path in paths.items():
            path.write_bytes(f"{fmt} {year}".encode())
        return build.BuiltReport(year, paths["pdf"], paths["xlsx"], paths["html"], pages=12, seconds=1.54)

    return build_year


def open_page(monkeypatch: pytest.MonkeyPatch, data_dir: Path, role: str, pole: str | None = None) -> AppTest:
    return open_app(monkeypatch, data_dir, role, pole)


@pytest.mark.parametrize("role", ["staff", "funder"])
def test_staff_and_funder_build_a_year_and_download_its_three_files(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path], role: str
) -> None:
    data_dir = altered_data_dir()
    calls: list[int] = []
    monkeypatch.setattr(build, "build_year", fake_build(calls))
    at = open_page(monkeypatch, data_dir, role)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Rapports annuels"]
    chooser = at.selectbox(key="rapport_annee")
    assert chooser.options == [str(y) for y in DEMO_YEARS] and chooser.value == 2017
    assert not at.download_button  # nothing built yet
    assert [i.value for i in at.info] == ["Aucun rapport n'a encore été construit."]

    chooser.set_value(2016).run()
    at.button(key="rapport_construire").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert calls == [2016]
    [status] = at.status
    assert status.state == "complete"
    assert status.label == "Rapport 2016 construit en 1,5 s (12 pages)."
    # Progress lines as plain text: the Markdown and the tag are shown, not interpreted.
    assert [t.value for t in status.text] == PROGRESS
    assert [b.label for b in at.download_button] == [
        "Télécharger le PDF",
        "Télécharger le classeur Excel",
        "Télécharger la page HTML",
    ]
    built = at.dataframe[0].value
    assert list(built["Fichier"]) == [
        "rapport-ptce-2016.pdf",
        "rapport-ptce-2016.xlsx",
        "rapport-ptce-2016.html",
    ]
    assert list(built["Format"]) == ["PDF", "Excel", "HTML"]
    # The files were written where `ptce report` writes them.
    assert sorted(p.name for p in (data_dir / "curated" / "rapports").iterdir()) == [
        "rapport-ptce-2016.html",
        "rapport-ptce-2016.pdf",
        "rapport-ptce-2016.xlsx",
    ]


def test_reports_built_before_are_listed_with_their_date_and_offered_for_their_year(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    data_dir = altered_data_dir()
    folder = data_dir / "curated" / "rapports"
    folder.mkdir(parents=True)
    (folder / "rapport-ptce-2015.pdf").write_bytes(b"x" * 2048)
    when = datetime(2016, 3, 1, 9, 30, tzinfo=UTC).timestamp()
    os.utime(folder / "rapport-ptce-2015.pdf", (when, when))
    at = open_page(monkeypatch, data_dir, "funder")
    at.switch_page(PAGE).run()
    assert not at.download_button  # 2017 chosen: no file for it
    table = at.dataframe[0].value
    assert table.to_dict("records")[0]["Fichier"] == "rapport-ptce-2015.pdf"
    assert table.to_dict("records")[0]["Taille (Ko)"] == 2.0
    # 09:30 UTC is 10:30 on the Paris clock (winter time), as the publication beside it is shown.
    assert table.to_dict("records")[0]["Construit le"].to_pydatetime() == datetime(2016, 3, 1, 10, 30)
    at.selectbox(key="rapport_annee").set_value(2015).run()
    assert [b.label for b in at.download_button] == ["Télécharger le PDF"]


def test_a_failed_build_says_why_in_french_as_text(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    data_dir = altered_data_dir()
    message = "Chromium est introuvable : installez le paquet **chromium** <b>(Debian)</b>."
    monkeypatch.setattr(build, "build_year", fake_build([], error=message))
    at = open_page(monkeypatch, data_dir, "staff")
    at.switch_page(PAGE).run()
    at.button(key="rapport_construire").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [status] = at.status
    assert status.state == "error" and status.label == "Le rapport 2017 n'a pas pu être construit."
    [error] = at.error
    # Escaped for Markdown: the asterisks and the tag are shown as typed.
    assert "\\*\\*chromium\\*\\*" in error.value and "<b>" not in error.value.replace("\\<b>", "")
    assert not at.download_button


def test_a_pole_has_no_reports_page(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    at = open_page(monkeypatch, altered_data_dir(), "pole", "phares")
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)

"""The page « Qualité des données » run headless (AppTest): its figures are the warehouse's.

Every test runs the app router and switches to the page, on a copy of the demo warehouse published by
the pipeline (`altered_data_dir`; the demo has two faulty rows in quarantine and one corrected
resubmission), changed by SQL where a test needs it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from dashboards.quality import tables as quality_tables
from dashboards.shared import display
from ptce.paths import DataLayout
from tests.french import fr_int

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
PAGE = "quality/page.py"
TIMEOUT = 60  # the first run imports Plotly and pandas; later runs take well under a second

HYPERLINK = '=HYPERLINK("http://x")'
SCRIPT = "<script>alert(1)</script>"

# Two failed warnings, so the page has examples to show (the demo's own checks all pass).
FAILED_RULES = """
insert into check_results
select run_id, 'mart_pole_year', 'gx_marts', 'saut_annuel',
       'Valeur multipliée ou divisée par plus de 3 d''une année sur l''autre.', 'WARN', false, 2,
       '[{"pole_id": "phares", "annee": 2016, "valeur": 42.5}, {"pole_id": "bousol", "annee": 2017, "valeur": null}]',
       'gx'
from publication
union all
select run_id, 'completeness', 'gx_completeness', 'envois_**en**_retard', 'Envois **reçus** après [l''échéance](x).',
       'WARN', false, 3, '["phares 2016", "bousol 2017", 12]', 'gx'
from publication
"""


def run_page(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> AppTest:
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    return at


def rows(data_dir: Path, query: str, *params: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


def scalar(data_dir: Path, query: str, *params: object) -> Any:
    return rows(data_dir, query, *params)[0][0]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The displayed dataframe that has this column (each table of the page has its own)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.fixture
def spy_download(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Records what the page hands to `st.download_button` (AppTest cannot click a download)."""
    calls: list[dict[str, Any]] = []
    real = streamlit.download_button

    def spy(label: str, data: Any, **kwargs: Any) -> bool:
        # A table's file is written when the person clicks (a callable): written here as a click would.
        calls.append({"label": label, "data": data() if callable(data) else data, **kwargs})
        return real(label, data, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", spy)
    return calls


def quarantine_download(calls: list[dict[str, Any]]) -> dict[str, Any]:
    """The last download the page offered for the quarantine table (every table has one)."""
    return [c for c in calls if c["file_name"].startswith("quarantaine")][-1]


def test_every_table_on_the_page_has_the_safe_download(
    monkeypatch: pytest.MonkeyPatch,
    altered_data_dir: Callable[..., Path],
    spy_download: list[dict[str, Any]],
) -> None:
    at = run_page(monkeypatch, altered_data_dir())
    assert not at.exception
    # Streamlit's own table export is switched off; each table shown has the project's export.
    buttons = at.get("download_button")
    assert len(buttons) == len(at.dataframe) > 3
    assert all("(CSV" in b.proto.label and "Excel" in b.proto.label for b in buttons)


def test_quality_page_figures_are_the_warehouse_tables(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    data_dir = altered_data_dir(FAILED_RULES)
    at = run_page(monkeypatch, data_dir)

    assert not at.exception
    assert at.title[0].value == "Qualité des données"
    assert any("Données fictives" in w.value for w in at.warning)  # the router's demo banner

    # Checks of the run: counts by outcome, one table row per rule, one expander per failure.
    run_id = scalar(data_dir, "select run_id from publication")
    assert any(display.escape_markdown(run_id) in c.value for c in at.caption)
    n_checks, n_passed, n_warn, n_error, n_warn_indicators = rows(
        data_dir,
        """
        select count(*), count(*) filter (where passed),
               count(*) filter (where not passed and severite = 'WARN'),
               count(*) filter (where not passed and severite = 'ERROR'),
               count(*) filter (where not passed and severite = 'WARN' and regle <> 'parcours_vs_declare')
        from check_results
        """,
    )[0]
    assert metric(at, "Règles vérifiées") == fr_int(n_checks)
    assert metric(at, "Règles respectées") == fr_int(n_passed)
    assert metric(at, "Alertes (WARN)") == fr_int(n_warn)
    # The altered data's two indicator warnings; the demo pathways may add the pathway comparison's.
    assert n_warn_indicators == 2
    assert metric(at, "Erreurs bloquantes (ERROR)") == fr_int(n_error)
    checks = table(at, "Règle")
    assert len(checks) == n_checks
    assert checks["Résultat"].iloc[0] == quality_tables.CHECK_WARN  # failures first
    assert (checks["Résultat"] == quality_tables.CHECK_PASSED).sum() == n_passed
    assert len(at.expander) == n_warn + n_error
    jumps = next(e for e in at.expander if "multipliée" in e.label)
    examples = jumps.dataframe[0].value
    assert list(examples.columns) == ["pole_id", "annee", "valeur"]
    assert examples["valeur"].tolist() == ["42,5", "–"]

    # Files read: totals and the conservation rule, file by file.
    n_files, read, loaded, quarantined = rows(
        data_dir,
        "select count(*), sum(rows_read), sum(rows_loaded), sum(rows_quarantined) from ingest_log",
    )[0]
    assert metric(at, "Fichiers lus") == fr_int(n_files)
    assert metric(at, "Lignes lues") == fr_int(read)
    assert metric(at, "Lignes chargées") == fr_int(loaded)
    assert metric(at, "Lignes en quarantaine") == fr_int(quarantined)
    assert read == loaded + quarantined
    assert any("Chaque ligne lue est chargée ou mise en quarantaine" in s.value for s in at.success)
    assert len(table(at, "Bilan")) == n_files

    # Quarantine: every cell, with the counts of cells, rows and files.
    n_cells, n_rows, n_qfiles = rows(
        data_dir,
        """
        select count(*), count(distinct (source_file, sheet, row_number)), count(distinct source_file)
        from quarantine
        """,
    )[0]
    assert metric(at, "Valeurs en quarantaine") == fr_int(n_cells)
    assert metric(at, "Lignes concernées") == fr_int(n_rows) == fr_int(quarantined)
    assert metric(at, "Fichiers concernés") == fr_int(n_qfiles)
    assert len(table(at, "Motif")) == n_cells

    # Completeness matrix and reporting rates of the first kind (indicators).
    assert at.radio(key="completude_type").value == "indicateurs"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    heatmap = spec["data"][0]
    n_poles, n_years = rows(
        data_dir,
        "select count(distinct pole_id), count(distinct annee) from completeness where kind = 'indicateurs'",
    )[0]
    assert (len(heatmap["z"]), len(heatmap["z"][0])) == (n_poles, n_years)
    rates = table(at, "Taux de déclaration")
    assert len(rates) == n_years
    first_year, expected, received = rows(
        data_dir,
        """
        select annee, count(*), count(*) filter (where recu) from completeness
        where kind = 'indicateurs' group by annee order by annee limit 1
        """,
    )[0]
    assert rates["Année"].iloc[0] == first_year  # typed: sorts as a number
    assert rates["Taux de déclaration"].iloc[0] == pytest.approx(received / expected)

    # Corrections: one row per change.
    n_changes = scalar(data_dir, "select count(*) from indicator_changes")
    assert len(table(at, "Nouvelle valeur")) == n_changes


def test_quarantine_filters_by_pole_and_file(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    data_dir = altered_data_dir()
    at = run_page(monkeypatch, data_dir)
    pole_id, pole_name = rows(
        data_dir,
        """
        select q.pole_id, p.nom from quarantine q join poles p using (pole_id)
        group by all order by min(p.numero) limit 1
        """,
    )[0]

    at.selectbox(key="quarantaine_pole").set_value(pole_id).run()
    assert not at.exception
    n = scalar(data_dir, "select count(*) from quarantine where pole_id = ?", pole_id)
    shown = table(at, "Motif")
    assert len(shown) == n
    assert set(shown["Pôle"]) == {pole_name}
    assert metric(at, "Valeurs en quarantaine") == fr_int(n)

    # Rows whose pole was not recognised have their own option.
    at.selectbox(key="quarantaine_pole").set_value(quality_tables.UNKNOWN_POLE).run()
    unknown = scalar(data_dir, "select count(*) from quarantine where pole_id is null")
    assert len(table(at, "Motif")) == unknown > 0
    assert set(table(at, "Motif")["Pôle"]) == {quality_tables.UNKNOWN_POLE_LABEL}

    # Back to every pole, then one file.
    at.selectbox(key="quarantaine_pole").set_value(quality_tables.ALL_POLES).run()
    source = scalar(data_dir, "select min(source_file) from quarantine")
    at.selectbox(key="quarantaine_fichier").set_value(source).run()
    assert not at.exception
    in_file = scalar(data_dir, "select count(*) from quarantine where source_file = ?", source)
    assert len(table(at, "Motif")) == in_file
    assert metric(at, "Fichiers concernés") == "1"


def test_download_is_the_filtered_table_for_excel(
    monkeypatch: pytest.MonkeyPatch,
    altered_data_dir: Callable[..., Path],
    spy_download: list[dict[str, Any]],
) -> None:
    data_dir = altered_data_dir()
    at = run_page(monkeypatch, data_dir)
    pole_id = scalar(data_dir, "select min(pole_id) from quarantine")

    at.selectbox(key="quarantaine_pole").set_value(pole_id).run()

    assert not at.exception
    last = quarantine_download(spy_download)
    assert last["mime"] == "text/csv"
    shown = table(at, "Motif")
    # Named for the pole, to send back to it.
    assert last["file_name"] == f"quarantaine_{pole_id}.csv"
    exported = pd.read_csv(io.BytesIO(last["data"]), sep=";", encoding="utf-8-sig", dtype=str)
    assert len(exported) == scalar(data_dir, "select count(*) from quarantine where pole_id = ?", pole_id)
    assert list(exported.columns) == list(shown.columns)


def test_values_from_files_are_shown_literally_and_neutralised_in_the_csv(
    monkeypatch: pytest.MonkeyPatch,
    altered_data_dir: Callable[..., Path],
    spy_download: list[dict[str, Any]],
) -> None:
    data_dir = altered_data_dir(
        "insert into quarantine values ('raw/indicateurs/hostile.csv', 2, 'valeur', ?, ?, null, null, null, null, null)",
        "insert into quarantine values ('raw/indicateurs/hostile.csv', 3, 'valeur', ?, ?, null, null, null, null, null)",
        FAILED_RULES,
        params=(
            [HYPERLINK, "raw/indicateurs/hostile.csv, ligne 2 : **pas un nombre** [ici](javascript:x)"],
            [SCRIPT, "+33 n'est pas une valeur"],
        ),
    )
    at = run_page(monkeypatch, data_dir)

    assert not at.exception
    shown = table(at, "Motif")
    assert HYPERLINK in shown["Valeur"].tolist()
    assert SCRIPT in shown["Valeur"].tolist()
    assert "+33 n'est pas une valeur" in shown["Motif"].tolist()
    for element in at.markdown:
        assert not element.proto.allow_html
    # Rules are named in words, Markdown-escaped, in the expander labels; tables by their French name.
    assert any(
        r"Envois \*\*reçus\*\* après \[l'échéance\]\(x\)\. (Complétude des envois)" in e.label
        for e in at.expander
    )

    exported = quarantine_download(spy_download)["data"].decode("utf-8-sig")
    assert "'" + HYPERLINK.replace('"', '""') in exported  # quoted CSV doubles the quotes
    assert SCRIPT in exported  # harmless in Excel: not a formula
    assert ";'+33 n'est pas une valeur" in exported
    assert "\n=" not in exported and ";=" not in exported


@pytest.mark.parametrize(
    ("data_docs", "expected"),
    [
        ("https://qualite.example.org/data_docs/index.html", "url"),
        ("curated/data_docs/index.html", "path"),
        (None, "absent"),
    ],
)
def test_data_docs_link(
    monkeypatch: pytest.MonkeyPatch,
    altered_data_dir: Callable[..., Path],
    data_docs: str | None,
    expected: str,
) -> None:
    data_dir = altered_data_dir("update publication set data_docs = ?", params=([data_docs],))
    at = run_page(monkeypatch, data_dir)

    assert not at.exception
    if expected == "url":
        assert at.link_button[0].value == "Ouvrir la documentation Great Expectations"
        assert at.link_button[0].proto.url == data_docs
        assert not at.code
    elif expected == "path":
        assert not at.link_button
        # A path relative to the data directory is shown whole, ready to open.
        assert at.code[0].value == str(data_dir.resolve() / "curated" / "data_docs" / "index.html")
    else:
        assert not at.link_button and not at.code
        assert any("n'est pas disponible" in i.value for i in at.info)


def test_completeness_kind_selector(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    data_dir = altered_data_dir()
    at = run_page(monkeypatch, data_dir)

    at.radio(key="completude_type").set_value("objectifs").run()

    assert not at.exception
    heatmap = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    years = [
        r[0]
        for r in rows(data_dir, "select distinct annee from completeness where kind = 'objectifs' order by 1")
    ]
    assert heatmap["x"] == [str(y) for y in years]
    assert table(at, "Taux de déclaration")["Année"].tolist() == list(years)


def test_corrections_table_and_pole_filter(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    data_dir = altered_data_dir()
    at = run_page(monkeypatch, data_dir)
    pole_id, pole_name, annee, trimestre, libelle, unite, old, new = rows(
        data_dir,
        """
        select ch.pole_id, p.nom, ch.annee, ch.trimestre, c.libelle, c.unite, ch.ancienne_valeur,
               ch.nouvelle_valeur
        from indicator_changes ch join poles p using (pole_id) join indicator_catalog c using (code)
        order by ch.arrived_at desc, p.numero, ch.annee, ch.trimestre nulls first, c.domaine_ordre, c.ordre
        limit 1
        """,
    )[0]

    at.selectbox(key="corrections_pole").set_value(pole_id).run()

    assert not at.exception
    shown = table(at, "Nouvelle valeur")
    assert len(shown) == scalar(data_dir, "select count(*) from indicator_changes where pole_id = ?", pole_id)
    first = shown.iloc[0]
    assert first["Pôle"] == pole_name
    assert first["Période"] == (f"T{trimestre} {annee}" if trimestre else str(annee))
    assert first["Indicateur"] == libelle
    assert unite == "personnes"  # the demo's corrections are head counts: whole numbers
    assert first["Ancienne valeur"] == old  # typed; written in French by the table helper
    assert first["Nouvelle valeur"] == new
    assert any("versions antérieures restent conservées" in c.value for c in at.caption)


def test_empty_quality_tables_say_so(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    data_dir = altered_data_dir(
        "delete from check_results",
        "delete from quarantine",
        "delete from indicator_changes",
        "delete from completeness",
    )
    at = run_page(monkeypatch, data_dir)

    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "Aucun contrôle" in infos
    assert "Aucune valeur n'a été mise en quarantaine" in infos
    assert "Aucune correction" in infos
    assert "Aucun envoi attendu" in infos
    # Only the file log remains as a table, with its export; nothing to export from empty tables.
    assert [b.key for b in at.get("download_button")] == ["journal_csv"]


def test_warehouse_without_quality_tables_gives_a_french_error(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    data_dir = altered_data_dir("drop table if exists check_results")
    at = run_page(monkeypatch, data_dir)

    assert not at.exception
    assert "ne contient pas encore le suivi de la qualité" in at.error[0].value

"""The page « Candidatures » run headless (AppTest), and its pure helpers.

Page tests run the app router and switch to the page, on a copy of the demo warehouse published by
the pipeline (`altered_data_dir`), changed by SQL where a test needs it. Every figure is compared
with a count made in SQL on the same file.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.applications import charts as applications_charts
from dashboards.applications import tables as applications_tables
from dashboards.shared import printing
from dashboards.shared.table_format import display_frame
from ptce.paths import DataLayout
from tests.french import fr_int

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
PAGE = "applications/page.py"
TIMEOUT = 60
MAX_RESULTS = 50  # dashboards/views/applications.py

SCRIPT = "<script>alert(1)</script>"
# What the page shows as an answer (`applications_tables.answer_text`): a yes/no choice, else non-blank text.
ANSWERED = "(type = 'oui_non' and oui_non is not null) or regexp_matches(coalesce(reponse, ''), '\\S')"
FOLD = "lower(strip_accents(reponse))"


def run_page(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> AppTest:
    monkeypatch.setenv("PTCE_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rows(data_dir: Path, query: str, *params: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(DataLayout(data_dir).warehouse), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


def scalar(data_dir: Path, query: str, *params: object) -> Any:
    return rows(data_dir, query, *params)[0][0]


def table(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def current_poles(data_dir: Path) -> list[str]:
    """Pole ids of the current applications, in the page's order (pole number)."""
    return [
        r[0]
        for r in rows(
            data_dir,
            """
            select a.pole_id from applications a left join poles p using (pole_id)
            where a.current order by p.numero nulls last, a.pole_id
            """,
        )
    ]


def found_caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if "trouvée(s)" in c.value)


@pytest.fixture
def data_dir(altered_data_dir: Callable[..., Path]) -> Path:
    return altered_data_dir()


# --- The page ------------------------------------------------------------------------------


def test_table_of_applications_is_one_row_per_current_application(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    at = run_page(monkeypatch, data_dir)
    assert at.title[0].value == "Candidatures"
    shown = table(at, "Complétude")
    n_current = scalar(data_dir, "select count(*) from applications where current")
    assert n_current > 0
    assert len(shown) == n_current
    expected = rows(
        data_dir,
        """
        select count(*) filter (where charte), count(*) filter (where not charte),
               count(*) filter (where charte is null)
        from applications where current
        """,
    )[0]
    assert tuple((shown["Charte"] == v).sum() for v in ("Oui", "Non", "Non renseigné")) == expected


def test_visit_offers_match_sql(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    at = run_page(monkeypatch, data_dir)
    offers = scalar(data_dir, "select count(*) from applications where current and accueil_visite")
    metric = next(m.value for m in at.metric if m.label == "Pôles prêts à accueillir une visite")
    assert metric == fr_int(offers)
    if offers:
        visits = table(at, "Expériences à découvrir")
        assert len(visits) == offers
        experiences = rows(
            data_dir,
            "select experiences_visite from applications where current and accueil_visite "
            "and experiences_visite is not null",
        )
        assert {r[0] for r in experiences} <= set(visits["Expériences à découvrir"])


@pytest.mark.parametrize("word", ["insertion", "MOBILITÉ"])
def test_search_finds_exactly_the_matching_answers(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, word: str
) -> None:
    at = run_page(monkeypatch, data_dir)
    at.text_input(key="recherche").input(word).run()
    assert not at.exception
    folded = applications_tables._fold(word)[0]
    expected = scalar(
        data_dir,
        f"select count(*) from application_answers where current and contains({FOLD}, ?)",
        folded,
    )
    assert found_caption(at) == f"{fr_int(expected)} réponse(s) trouvée(s)"
    answers = rows(
        data_dir,
        f"""
        select reponse from application_answers a left join poles p using (pole_id)
        where current and contains({FOLD}, ?)
        order by p.numero nulls last, a.pole_id, a.partie,
                 try_cast(a.numero as integer) nulls last, a.libelle
        """,
        folded,
    )
    expected_md = Counter(applications_tables.highlight_markdown(r[0], word) for r in answers[:MAX_RESULTS])
    shown = Counter(m.value for m in at.markdown if m.value in expected_md)
    assert shown == expected_md


def test_side_by_side_shows_each_question_for_both_poles(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    poles = current_poles(data_dir)
    at = run_page(monkeypatch, data_dir)
    first, second = poles[-1], poles[0]
    at.selectbox(key="comparer_a").set_value(first)
    at.selectbox(key="comparer_b").set_value(second).run()
    assert not at.exception
    n_questions = scalar(data_dir, "select count(distinct code) from application_answers where current")
    answered = {
        pole: scalar(
            data_dir,
            f"select count(*) from application_answers where current and pole_id = ? and ({ANSWERED})",
            pole,
        )
        for pole in (first, second)
    }
    assert len(at.text) == answered[first] + answered[second]
    blanks = [m for m in at.markdown if m.value == "*Non renseigné*"]
    assert len(blanks) == 2 * n_questions - answered[first] - answered[second]


def test_answers_from_files_are_shown_literally(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    probe = altered_data_dir()
    pole = current_poles(probe)[0]
    code = scalar(
        probe,
        "select min(code) from application_answers where current and pole_id = ? and type = 'texte'",
        pole,
    )
    data_dir = altered_data_dir(
        """
        update application_answers set reponse = ? || ' *gras* [lien](http://x) &lt;b&gt;', repondue = true
        where current and pole_id = ? and code = ?
        """,
        params=([SCRIPT, pole, code],),
    )
    at = run_page(monkeypatch, data_dir)
    at.selectbox(key="comparer_a").set_value(pole).run()
    assert f"{SCRIPT} *gras* [lien](http://x) &lt;b&gt;" in [t.value for t in at.text]
    at.text_input(key="recherche").input("alert").run()
    assert not at.exception
    hits = [m.value for m in at.markdown if "alert" in m.value]
    assert applications_tables.highlight_markdown(f"{SCRIPT} *gras*", "alert") in hits[0]
    assert all(SCRIPT not in m.value for m in at.markdown)  # always escaped
    # No element of the page is allowed to render HTML.
    assert not any(m.proto.allow_html for m in [*at.markdown, *at.caption])
    # The only HTML is the app's own print style sheet and script, never text from a file.
    assert {h.proto.body for h in at.get("html")} <= set(printing.print_support_html())


def test_heat_map_and_details_match_sql(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    at = run_page(monkeypatch, data_dir)
    tagged = scalar(
        data_dir,
        """
        select count(*) from (
            select distinct t.pole_id, t.tag, t.code_question
            from application_tags t join applications a on a.pole_id = t.pole_id and a.current
            where t.current and t.categorie = 'angle'
        )
        """,
    )
    charts_shown = at.get("plotly_chart")
    if tagged:
        heat = json.loads(charts_shown[0].proto.spec)["data"][0]
        assert heat["type"] == "heatmap"
        assert len(heat["y"]) == scalar(data_dir, "select count(*) from applications where current")
        assert sum(int(re.sub(r"\D", "", v)) for row in heat["text"] for v in row) == tagged
    pole = current_poles(data_dir)[0]
    at.selectbox(key="details_pole").set_value(pole).run()
    n_tags = scalar(data_dir, "select count(*) from application_tags where current and pole_id = ?", pole)
    n_fields = scalar(data_dir, "select count(*) from application_fields where current and pole_id = ?", pole)
    labels = [e.label for e in at.expander]
    assert f"Mots-clés repérés ({fr_int(n_tags)})" in labels
    assert f"Champs structurés ({fr_int(n_fields)})" in labels
    if n_tags:
        assert len(table(at, "Phrase")) == n_tags
    if n_fields:
        assert len(table(at, "Passage")) == n_fields


def test_warehouse_without_application_tables_gives_a_french_error(
    monkeypatch: pytest.MonkeyPatch, altered_data_dir: Callable[..., Path]
) -> None:
    data_dir = altered_data_dir(
        "drop table if exists application_answers", "drop table if exists application_tags"
    )
    at = run_page(monkeypatch, data_dir)
    assert "ne contient pas encore les réponses" in at.error[0].value


# --- Pure helpers --------------------------------------------------------------------------


def test_match_spans_ignore_case_and_accents_and_point_at_the_original() -> None:
    text = "Mobilité : la MOBILITE des salariés, l'œuvre"
    assert applications_tables.match_spans(text, "mobilité") == [(0, 8), (14, 22)]
    assert applications_tables.match_spans(text, "oeuvre") == [(39, 44)]
    assert text[39:44] == "œuvre"
    assert applications_tables.match_spans(text, "  ") == []
    assert applications_tables.match_spans(None, "x") == []


def test_highlight_markdown_bolds_hits_and_keeps_everything_else_literal() -> None:
    assert (
        applications_tables.highlight_markdown("Un élan, un Élan.", "elan") == "Un **élan**, un **Élan**\\."
    )
    shown = applications_tables.highlight_markdown(f"{SCRIPT} *x* [a](b) &lt; ===", "alert")
    assert "<script>" not in shown
    assert shown.startswith("\\<script\\>**alert**\\(1\\)\\</script\\>")
    assert "\\*x\\*" in shown and "\\[a\\]\\(b\\)" in shown
    assert "\\&lt;" in shown and "\\=\\=\\=" in shown
    # Line breaks survive; no query means no bold.
    assert applications_tables.highlight_markdown("a\nb", "") == "a  \nb"
    # A hit that is itself special is escaped inside the bold markers.
    assert applications_tables.highlight_markdown("1*2", "*") == "1**\\***2"


def test_search_answers_filters_rows() -> None:
    answers = pd.DataFrame({"reponse": ["Écoute active", None, "écouter", "rien"]})
    assert applications_tables.search_answers(answers, "ECOUTE")["reponse"].tolist() == [
        "Écoute active",
        "écouter",
    ]
    assert applications_tables.search_answers(answers, " ").empty


def test_applications_table_texts() -> None:
    apps = pd.DataFrame(
        {
            "nom": ["A", "B"],
            "completude": [0.5, None],
            "charte": [True, None],
            "accueil_visite": [False, True],
            "periode_visite": [None, "2016-T2"],
            "statut_juridique": ["SCIC", None],
            "annee_debut": [2012, None],
        }
    )
    table = applications_tables.applications_table(apps)
    assert table.frame["Complétude"].tolist()[0] == 0.5  # typed: sorts as a number
    out = display_frame(table)
    assert out["Complétude"].tolist() == ["50 %", "–"]
    assert out["Charte"].tolist() == ["Oui", "Non renseigné"]
    assert out["Visite proposée"].tolist() == ["Non", "Oui"]
    assert out["Année de début"].tolist() == ["2012", "Non renseigné"]


def test_angles_heatmap_counts_and_zero_fill() -> None:
    counts = pd.DataFrame(
        {
            "pole_id": ["b", "a", "a"],
            "numero": [2, 1, 1],
            "nom": ["Pôle <B>", "Pôle A", "Pôle A"],
            "tag": ["gpec", "gpec", "mobilite"],
            "libelle": ["GPEC", "GPEC", "Mobilité"],
            "nb": [3, 1, 2],
        }
    )
    fig = applications_charts.angles_heatmap_figure(counts)
    heat = fig.data[0]
    assert list(heat.y) == ["Pôle A", "Pôle &lt;B&gt;"]
    assert list(heat.x) == ["GPEC", "Mobilité"]
    assert [list(r) for r in heat.z] == [[1, 2], [3, 0]]
    assert sum(sum(r) for r in heat.z) == counts["nb"].sum()

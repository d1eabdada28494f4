"""What every page shares: inert Markdown, values by unit, Paris time, capped tables and safe CSV."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboards.shared import display, export


def test_value_text_is_french() -> None:
    assert display.value_text(3777.0, "personnes") == "3\u202f777"
    assert display.value_text(0.6243, "%") == "62,4 %"
    assert display.value_text(float("nan"), "nombre") == "–"
    assert display.value_text(None, "%") == "–"
    assert display.value_text(1.0, "oui/non") == "oui"
    assert display.value_text(0.0, "oui/non") == "non"
    assert display.value_text(0.5, "oui/non") == "0,5"  # a median of yes/no answers


def test_value_with_unit_reads_as_a_sentence() -> None:
    assert display.value_with_unit(3777.0, "personnes") == "3\u202f777 personnes"
    assert display.value_with_unit(12.5, "ETP") == "12,5 ETP"
    # French singular for 0 and 1 (and below 2).
    assert display.value_with_unit(1.0, "emplois") == "1 emploi"
    assert display.value_with_unit(0.0, "personnes") == "0 personne"
    assert display.value_with_unit(1.5, "heures") == "1,5 heure"
    # Rates carry their sign already; counts, ratios and yes/no stand alone; missing is a dash.
    assert display.value_with_unit(0.6243, "%") == "62,4 %"
    assert display.value_with_unit(16.0, "nombre") == "16"
    assert display.value_with_unit(1.0, "oui/non") == "oui"
    assert display.value_with_unit(None, "personnes") == "–"
    assert display.value_with_unit(float("nan"), "emplois") == "–"


def test_publication_caption_on_paris_clock() -> None:
    # The pipeline writes UTC; Paris is UTC+1 in winter and UTC+2 in summer.
    winter = display.publication_caption(pd.Timestamp("2026-11-23 19:14:25"), "2026.1")
    assert winter == "Données publiées le 23/11/2026 à 20:14 · catalogue 2026.1"
    summer = display.publication_caption(pd.Timestamp("2026-07-01 12:00"), "2026.1")
    assert summer == "Données publiées le 01/07/2026 à 14:00 · catalogue 2026.1"
    assert display.publication_caption(None, None) == "Données publiées le – · catalogue –"


def test_escape_markdown_makes_names_inert() -> None:
    escaped = display.escape_markdown("Pôle *gras* [lien](http://x) $x$ <b>")
    assert escaped == "Pôle \\*gras\\* \\[lien\\]\\(http\u2060\\://x\\) \\$x\\$ \\<b\\>"


@pytest.mark.parametrize(
    "text",
    [
        "voir http://exemple.invalid/page",
        "HTTPS://exemple.invalid",
        "(https://exemple.invalid)",
        "www.exemple.invalid",
        "écrire à contact@exemple.invalid",
        "mailto:contact@exemple.invalid",
        "ftp://exemple.invalid",
    ],
)
def test_escape_markdown_leaves_no_autolink(text: str) -> None:
    # GitHub-flavoured Markdown links these even when every punctuation mark is escaped; the word
    # joiner breaks each trigger, and the text reads the same once it is removed.
    escaped = display.escape_markdown(text)
    assert escaped.replace("\u2060", "").replace("\\", "") == text
    plain = escaped.replace("\\", "")
    for trigger in ("http:", "https:", "HTTPS:", "ftp:", "www.", "@", "mailto:"):
        if trigger in text:
            assert trigger not in plain or (trigger == "@" and "\u2060@" in plain)
    assert "\u2060" in escaped


def test_cap_table_cuts_rows_and_long_cells_visibly() -> None:
    frame = pd.DataFrame({"texte": ["court", "x" * 50], "n": [1, 2]})
    capped, rows_cut, cells_cut = export.cap_table(frame, 1, 10)
    assert (rows_cut, cells_cut) == (True, False)
    assert capped["texte"].tolist() == ["court"]
    capped, rows_cut, cells_cut = export.cap_table(frame, None, 10)
    assert (rows_cut, cells_cut) == (False, True)
    assert capped["texte"].tolist() == ["court", "x" * 10 + " … [tronqué, 50 caractères]"]
    assert capped["n"].tolist() == [1, 2]
    assert frame["texte"].tolist()[1] == "x" * 50  # the frame given is left alone


def test_to_excel_csv_is_for_french_excel_and_runs_no_formula() -> None:
    frame = pd.DataFrame(
        {
            "Pôle": ["Écomatériaux", "Bou'Sol", "PHARES", "AlpEn", "Tarnais", "Réseau"],
            "Valeur": [
                '=HYPERLINK("http://x")',
                "+33 6 12",
                "-2+3",
                "@SUM(A1)",
                "\t=1+1",
                "<script>alert(1)</script>",
            ],
            "Taux": [0.5, 1234.25, -3.5, None, 2.0, 0.0],
            "Ligne": pd.array([1, 2, None, 4, 5, 6], dtype="Int64"),
        }
    )

    data = export.to_excel_csv(frame)

    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads the accents right
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "Pôle;Valeur;Taux;Ligne"
    assert lines[1] == 'Écomatériaux;"\'=HYPERLINK(""http://x"")";0,5;1'
    assert lines[2] == "Bou'Sol;'+33 6 12;1234,25;2"
    assert lines[3] == "PHARES;'-2+3;-3,5;"  # a negative number stays a number
    assert lines[4] == "AlpEn;'@SUM(A1);;4"  # missing stays empty, never zero
    assert lines[5] == "Tarnais;'\t=1+1;2,0;5"
    assert lines[6] == "Réseau;<script>alert(1)</script>;0,0;6"
    # Round trip: every cell comes back, accents intact, formulas behind their apostrophe.
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Valeur": str})
    assert back["Pôle"].tolist() == frame["Pôle"].tolist()
    assert back["Valeur"].tolist() == ["'" + v for v in frame["Valeur"][:5]] + [frame["Valeur"][5]]
    assert back["Taux"].tolist()[:3] == [0.5, 1234.25, -3.5]
    with pytest.raises(UnicodeDecodeError):
        data.decode("ascii")  # genuinely UTF-8, not a lossy 8-bit code page


def test_to_excel_csv_neutralises_carriage_return_and_headers() -> None:
    data = export.to_excel_csv(pd.DataFrame({"=A1": ["\r=cmd"]}))
    assert data.decode("utf-8-sig") == "'=A1\r\n\"'\r=cmd\"\r\n"


@pytest.mark.parametrize(
    ("value", "unite", "expected"),
    [
        (1234.0, "personnes", "1\u202f234 personnes"),
        (1.0, "personnes", "1 personne"),
        (0.0, "emplois", "0 emploi"),  # French: below two is singular
        (12.5, "ETP", "12,5 ETP"),
        (36.0, "contrats", "36 contrats"),
        (0.452, "%", "45,2 %"),
        (7.0, "nombre", "7"),  # a plain count has no word
        (1.0, "oui/non", "oui"),
        (None, "personnes", "–"),
    ],
)
def test_value_with_unit_for_tooltips(value: float | None, unite: str, expected: str) -> None:
    assert display.value_with_unit(value, unite) == expected

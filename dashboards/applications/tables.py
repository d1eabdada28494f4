"""Candidatures: the applications table, answers as text, the search with its hits, tags and fields.

Everything that came from a file is escaped for Markdown or shown as text, never as HTML.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboards.shared.display import escape_markdown, missing
from dashboards.shared.table_format import Table
from ptce.contract import APPLICATION_FIELD_LABELS
from ptce.fmt import fmt_percent
from ptce.text import strip_accents

NOT_ANSWERED = "Non renseigné"
# Characters Markdown reads beyond `escape_markdown`'s: entities (`&lt;`) and setext underlines (`===`).
_ANSWER_SPECIAL = re.compile(r"([&=])")


def yes_no_text(value: object) -> str:
    """A yes/no answer in French: "Oui", "Non", or "Non renseigné" when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return NOT_ANSWERED
    return "Oui" if bool(value) else "Non"


def applications_table(apps: pd.DataFrame) -> Table:
    """The table of poles' current applications (rows of `reads.applications`): completeness as a
    rate and the starting year as a number, so both sort."""
    return Table(
        pd.DataFrame(
            {
                "Pôle": apps["nom"].astype(str),
                "Complétude": apps["completude"].astype(float),
                "Charte": [yes_no_text(v) for v in apps["charte"]],
                "Visite proposée": [yes_no_text(v) for v in apps["accueil_visite"]],
                "Période de visite": [NOT_ANSWERED if missing(v) else str(v) for v in apps["periode_visite"]],
                "Statut juridique": [
                    NOT_ANSWERED if missing(v) else str(v) for v in apps["statut_juridique"]
                ],
                "Année de début": pd.array(apps["annee_debut"], dtype="Int64"),
            }
        ),
        formats={
            "Complétude": lambda v: fmt_percent(v, decimals=0),  # type: ignore[arg-type]
            "Année de début": lambda v: NOT_ANSWERED if missing(v) else str(int(v)),  # type: ignore[call-overload]
        },
    )


def question_label(partie: object, numero: object, libelle: object) -> str:
    """ "I.2 – Objectifs…" (escaped Markdown); a question without number is "I – …"."""
    number = "" if missing(numero) else str(numero).strip()
    ref = f"{partie}.{number}" if number else str(partie)
    return escape_markdown(f"{ref} – {libelle}")


def answer_text(reponse: object, kind: object, oui_non: object) -> str | None:
    """What a pole answered to one question, as text; None when unanswered."""
    if kind == "oui_non" and not missing(oui_non):
        return yes_no_text(oui_non)
    if missing(reponse) or not str(reponse).strip():
        return None
    return str(reponse)


def _fold(text: str) -> tuple[str, list[int]]:
    """`text` in lower case without accents, and for each folded character its index in `text`."""
    folded: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        piece = strip_accents(ch).lower()
        folded.append(piece)
        origin.extend([i] * len(piece))
    return "".join(folded), origin


def match_spans(text: object, query: object) -> list[tuple[int, int]]:
    """Where `query` occurs in `text`, ignoring case and accents: (start, end) in the original text."""
    if missing(text) or missing(query):
        return []
    needle = _fold(str(query).strip())[0]
    if not needle:
        return []
    haystack, origin = _fold(str(text))
    spans: list[tuple[int, int]] = []
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        spans.append((origin[start], origin[end - 1] + 1))
        start = haystack.find(needle, end)
    return spans


def escape_answer(text: object) -> str:
    """Free text made inert for Markdown, with its line breaks kept."""
    escaped = _ANSWER_SPECIAL.sub(r"\\\1", escape_markdown(text))
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def highlight_markdown(text: object, query: object) -> str:
    """`text` as escaped Markdown with each occurrence of `query` in bold (`**…**`).

    Everything is text: the answer is escaped before the bold markers are added, so `<script>` or
    `*` in it are shown as they are.
    """
    if missing(text):
        return ""
    source = str(text)
    parts: list[str] = []
    last = 0
    for start, end in match_spans(source, query):
        parts.append(escape_answer(source[last:start]))
        parts.append(f"**{escape_answer(source[start:end])}**")
        last = end
    parts.append(escape_answer(source[last:]))
    return "".join(parts)


def search_answers(answers: pd.DataFrame, query: object) -> pd.DataFrame:
    """Rows of `reads.application_answers` whose answer contains `query` (case, accents ignored)."""
    if missing(query) or not str(query).strip():
        return answers.iloc[0:0]
    mask = [bool(match_spans(r, query)) for r in answers["reponse"]]
    return answers[mask]


def visits_table(apps: pd.DataFrame) -> pd.DataFrame:
    """Poles offering to host a learning visit: around which experiences, and when."""
    offers = apps[apps["accueil_visite"].fillna(False).astype(bool)]
    return pd.DataFrame(
        {
            "Pôle": offers["nom"].astype(str),
            "Expériences à découvrir": [
                NOT_ANSWERED if missing(v) else str(v) for v in offers["experiences_visite"]
            ],
            "Échéance indiquée": [NOT_ANSWERED if missing(v) else str(v) for v in offers["echeance_visite"]],
            "Période": [NOT_ANSWERED if missing(v) else str(v) for v in offers["periode_visite"]],
        }
    )


def tools_table(tags: pd.DataFrame) -> pd.DataFrame:
    """Tools named by each pole (tags of category 'outil'): one row per pole."""
    tools = tags[tags["categorie"] == "outil"]
    rows = []
    for (_, nom), group in tools.groupby(["pole_id", "nom"], sort=False):
        names = sorted(set(group["libelle"].astype(str)))
        rows.append({"Pôle": str(nom), "Outils cités": ", ".join(names), "Nombre": len(names)})
    return pd.DataFrame(rows, columns=["Pôle", "Outils cités", "Nombre"])


CATEGORY_LABELS: dict[str, str] = {"angle": "Angle de travail", "outil": "Outil"}


def tags_table(tags: pd.DataFrame) -> pd.DataFrame:
    """One pole's tags with the sentence that triggered each."""
    return pd.DataFrame(
        {
            "Catégorie": [CATEGORY_LABELS.get(str(c), str(c)) for c in tags["categorie"]],
            "Étiquette": tags["libelle"].astype(str),
            "Mot-clé": tags["mot_cle"].fillna("").astype(str),
            "Question": tags["question"].fillna(tags["code_question"]).fillna("").astype(str),
            "Phrase": tags["phrase"].fillna("").astype(str),
        }
    )


def fields_table(fields: pd.DataFrame) -> pd.DataFrame:
    """One pole's structured fields with the passage each was drawn from."""
    return pd.DataFrame(
        {
            "Champ": [APPLICATION_FIELD_LABELS.get(str(c), str(c)) for c in fields["champ"]],
            "Valeur": [NOT_ANSWERED if missing(v) else str(v) for v in fields["valeur"]],
            "Question": fields["question"].fillna(fields["code_question"]).fillna("").astype(str),
            "Passage": fields["passage"].fillna("").astype(str),
        }
    )

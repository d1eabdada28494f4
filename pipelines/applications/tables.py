"""From parsed application documents to the warehouse tables (`applications` and its companions).

A pole may send its answers more than once (a corrected form, then a form-tool export): each file
is a version, ordered by arrival (the arrival register); the latest is current and earlier ones are
kept. Structured fields and tags are drawn from the answers of every version, marked current or not.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.applications.fields import extract_fields, structured_columns, tag_answers
from pipelines.applications.form_parser import ApplicationResult, load_questions
from ptce.contract import TABLES


@dataclass(frozen=True)
class ParsedApplication:
    """One application read from a file (a .docx gives one; an export gives one per row)."""

    result: ApplicationResult
    file_format: str


def build_application_tables(
    parsed: list[ParsedApplication], arrivals: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """The four application tables, with versions per pole by arrival order."""
    questions = load_questions().questions
    rank = dict(zip(arrivals["source_file"], arrivals["arrival_rank"], strict=True))
    arrived = dict(zip(arrivals["source_file"], arrivals["arrived_at"], strict=True))
    ok = [p for p in parsed if p.result.error is None and p.result.pole_id]
    ok.sort(key=lambda p: (p.result.pole_id, rank.get(p.result.source_file, 0), p.result.source_file))
    latest: dict[str, int] = {}
    versions: list[int] = []
    for p in ok:
        latest[p.result.pole_id] = latest.get(p.result.pole_id, 0) + 1
        versions.append(latest[p.result.pole_id])

    apps, answers, fields, tags = [], [], [], []
    for p, version in zip(ok, versions, strict=True):
        r = p.result
        current = version == latest[r.pole_id]
        answered = sum(1 for q in questions if _answered(r, q.code, q.kind))
        fields_found = extract_fields(r.answers)
        row = {
            "pole_id": r.pole_id,
            "source_file": r.source_file,
            "charte": r.yes_no.get("charte"),
            "accueil_visite": r.yes_no.get("accueil_visite"),
            "version": version,
            "current": current,
            "arrived_at": arrived.get(r.source_file),
            "format": p.file_format,
            "nb_questions": len(questions),
            "nb_repondues": answered,
            "completude": answered / len(questions),
            **{q.code: r.answers.get(q.code) for q in questions if q.kind == "texte"},
            **structured_columns(fields_found),
        }
        apps.append(row)
        for q in questions:
            answers.append(
                {
                    "pole_id": r.pole_id,
                    "source_file": r.source_file,
                    "version": version,
                    "current": current,
                    "code": q.code,
                    "partie": q.partie,
                    "numero": q.numero,
                    "libelle": q.libelle,
                    "type": q.kind,
                    "reponse": r.answers.get(q.code) if q.kind == "texte" else None,
                    "oui_non": r.yes_no.get(q.code) if q.kind == "oui_non" else None,
                    "repondue": _answered(r, q.code, q.kind),
                }
            )
        for f in fields_found:
            fields.append(
                {
                    "pole_id": r.pole_id,
                    "source_file": r.source_file,
                    "current": current,
                    "champ": f.champ,
                    "valeur": str(f.valeur),
                    "code_question": f.code_question,
                    "passage": f.passage,
                }
            )
        for t in tag_answers(r.answers):
            tags.append(
                {
                    "pole_id": r.pole_id,
                    "source_file": r.source_file,
                    "current": current,
                    "tag": t.tag,
                    "categorie": t.categorie,
                    "libelle": t.libelle,
                    "mot_cle": t.mot_cle,
                    "code_question": t.code_question,
                    "phrase": t.phrase,
                }
            )
    return {
        "applications": pd.DataFrame(apps, columns=list(TABLES["applications"])),
        "application_answers": pd.DataFrame(answers, columns=list(TABLES["application_answers"])),
        "application_fields": pd.DataFrame(fields, columns=list(TABLES["application_fields"])),
        "application_tags": pd.DataFrame(tags, columns=list(TABLES["application_tags"])),
    }


def _answered(r: ApplicationResult, code: str, kind: str) -> bool:
    if kind == "oui_non":
        return r.yes_no.get(code) is not None
    return r.answers.get(code) is not None

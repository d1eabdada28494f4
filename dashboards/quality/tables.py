"""Qualité des données: rule outcomes, the file log, the quarantine, completeness and corrections.

Tables keep numbers and dates typed and say how they are written (`Table`); badges are text
(st.dataframe shows text, never HTML).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from dashboards.shared import table_format as tf
from dashboards.shared.display import missing
from dashboards.shared.table_format import Table
from ptce.contract import table_label
from ptce.fmt import fmt_date, fmt_number, fmt_period

# Outcome of a rule: the symbol carries the meaning, the word makes it readable without colour.
CHECK_PASSED = "✅ Réussie"
CHECK_WARN = "⚠️ Alerte"
CHECK_ERROR = "⛔ Bloquante"
SEVERITY_LABELS: dict[str, str] = {"ERROR": "Bloquante", "WARN": "Alerte"}
ENGINE_LABELS: dict[str, str] = {"gx": "Great Expectations", "sql": "SQL"}
# ingest_log.status, as a text badge (st.dataframe shows text, never HTML).
INGEST_STATUS_LABELS: dict[str, str] = {
    "ok": "✅ Chargé",
    "partial": "⚠️ Partiel",
    "error": "⛔ Illisible",
    # Listed so staff know it was not read (system file, hidden, outside the kind folders).
    "ignored": "⏭️ Ignoré (non lu)",
}
KIND_LABELS: dict[str, str] = {
    "candidatures": "Candidatures",
    "indicateurs": "Indicateurs",
    "objectifs": "Objectifs",
    "parcours": "Parcours",
    "visites": "Visites",
    "non_classe": "Hors des dossiers prévus",
}
# Options of the pole filters that are not pole ids (ids are lowercase words, never these).
ALL_POLES = "__tous__"
UNKNOWN_POLE = "__inconnu__"
ALL_POLES_LABEL = "Tous les pôles"
UNKNOWN_POLE_LABEL = "Pôle non reconnu"
ALL_FILES = "__tous__"
ALL_FILES_LABEL = "Tous les fichiers"
DataDocsKind = Literal["url", "path", "absent"]


def check_outcome(passed: object, severite: object) -> str:
    """A rule's outcome as a text badge: passed, failed warning, or failed blocking rule."""
    if bool(passed):
        return CHECK_PASSED
    return CHECK_WARN if severite == "WARN" else CHECK_ERROR


@dataclass(frozen=True)
class CheckSummary:
    """How many rules of a run passed, failed as warnings, failed as blocking errors."""

    total: int
    passed: int
    warn: int
    error: int


def check_summary(checks: pd.DataFrame) -> CheckSummary:
    """Counts of `reads.check_results` rows by outcome."""
    passed = checks["passed"].astype(bool)
    failed = checks[~passed]
    warn = int((failed["severite"] == "WARN").sum())
    return CheckSummary(total=len(checks), passed=int(passed.sum()), warn=warn, error=len(failed) - warn)


def checks_table(checks: pd.DataFrame) -> Table:
    """The rules of the run (rows of `reads.check_results`), French, anomalies counted as numbers."""
    return Table(
        pd.DataFrame(
            {
                "Résultat": [
                    check_outcome(p, s) for p, s in zip(checks["passed"], checks["severite"], strict=True)
                ],
                # The rule in words; its code stays in the warehouse and the Data Docs for developers.
                "Règle": checks["description"].fillna(checks["regle"]).astype(str),
                "Table": [table_label(a) for a in checks["asset"]],
                "Sévérité": [SEVERITY_LABELS.get(str(s), str(s)) for s in checks["severite"]],
                "Anomalies": pd.array(checks["unexpected_count"], dtype="Int64"),
                "Moteur": [ENGINE_LABELS.get(str(m), str(m)) for m in checks["moteur"]],
            }
        )
    )


def _cell_text(value: object) -> str:
    """One value of a JSON example as text: nested structures stay JSON, missing is a dash."""
    if value is None:
        return "–"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return fmt_number(value, decimals=3)
    return str(value)


def examples_frame(exemples: object) -> pd.DataFrame:
    """The examples of a failed rule (`check_results.exemples`, JSON list) as a table of texts.

    A list of objects gives one column per key; a list of plain values, one column "Valeur".
    Every cell is text, so mixed types (a number here, a name there) display as they are; text
    that is not JSON is shown whole, as one value, rather than lost.
    """
    if exemples is None or (isinstance(exemples, float) and pd.isna(exemples)):
        return pd.DataFrame({"Valeur": pd.Series([], dtype=str)})
    try:
        parsed = json.loads(str(exemples))
    except ValueError:
        parsed = [str(exemples)]
    items = parsed if isinstance(parsed, list) else [parsed]
    if items and all(isinstance(item, dict) for item in items):
        columns = list(dict.fromkeys(key for item in items for key in item))
        return pd.DataFrame({str(key): [_cell_text(item.get(key)) for item in items] for key in columns})
    return pd.DataFrame({"Valeur": [_cell_text(item) for item in items]})


def data_docs_target(
    value: object, data_dir: Path | None = None, served_url: str | None = None
) -> tuple[DataDocsKind, str]:
    """Where the Great Expectations Data Docs are: a web address, a file path, or nowhere.

    The pipeline records a path relative to the data directory (`curated/data_docs/index.html`).
    `ptce dashboard` serves that folder and passes its address (`served_url`), which wins; without
    it the path is made absolute with `data_dir`, since that is what a reader can open.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip():
        return "absent", ""
    if served_url:
        return "url", served_url
    text = str(value).strip()
    if text.lower().startswith(("http://", "https://")):
        return "url", text
    path = Path(text)
    if data_dir is not None and not path.is_absolute():
        path = data_dir / path
    return "path", str(path)


def ingest_table(log: pd.DataFrame) -> Table:
    """The files read (rows of `reads.ingest_log`): counts as numbers, arrival as a date."""
    gap = log["rows_read"] - log["rows_loaded"] - log["rows_quarantined"]
    return Table(
        pd.DataFrame(
            {
                "Fichier": log["source_file"].astype(str),
                "Type": [KIND_LABELS.get(str(k), str(k)) for k in log["kind"]],
                "Reçu le": pd.to_datetime(log["arrived_at"]),
                "Statut": [INGEST_STATUS_LABELS.get(str(s), str(s)) for s in log["status"]],
                "Lignes lues": log["rows_read"].astype("Int64"),
                "Chargées": log["rows_loaded"].astype("Int64"),
                "En quarantaine": log["rows_quarantined"].astype("Int64"),
                "Bilan": ["✅" if g == 0 else f"⛔ écart de {fmt_number(g)}" for g in gap],
                "Message": log["message"].fillna("").astype(str),
            }
        )
    )


@dataclass(frozen=True)
class IngestSummary:
    """Totals of the files read, and the files whose rows do not add up."""

    files: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    unbalanced: tuple[str, ...]
    ignored: int = 0  # files listed but not read (status "ignored"), included in `files`


def ingest_summary(log: pd.DataFrame) -> IngestSummary:
    """Totals of `reads.ingest_log`, and the files breaking read = loaded + quarantined."""
    gap = log["rows_read"] - log["rows_loaded"] - log["rows_quarantined"]
    return IngestSummary(
        files=len(log),
        rows_read=int(log["rows_read"].sum()),
        rows_loaded=int(log["rows_loaded"].sum()),
        rows_quarantined=int(log["rows_quarantined"].sum()),
        unbalanced=tuple(log.loc[gap != 0, "source_file"].astype(str)),
        ignored=int((log["status"] == "ignored").sum()),
    )


def pole_filter_options(frame: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """Options of a pole filter over rows with `pole_id`, `pole_nom`, `numero` (pole order).

    "Tous les pôles" first, then the poles present in the rows, then "Pôle non reconnu" when some
    rows name no known pole. Returns the option values and their labels.
    """
    known = frame.dropna(subset=["pole_nom"]).drop_duplicates("pole_id").sort_values("numero")
    options = [ALL_POLES, *known["pole_id"].astype(str)]
    labels = dict(zip(options, [ALL_POLES_LABEL, *known["pole_nom"].astype(str)], strict=True))
    if frame["pole_nom"].isna().any():
        options.append(UNKNOWN_POLE)
        labels[UNKNOWN_POLE] = UNKNOWN_POLE_LABEL
    return options, labels


def filter_by_pole(frame: pd.DataFrame, choice: str) -> pd.DataFrame:
    """Rows of the chosen pole option (see `pole_filter_options`)."""
    if choice == ALL_POLES:
        return frame
    if choice == UNKNOWN_POLE:
        # No pole id, or an id that is not one of the twelve poles: both are "not recognised".
        return frame[frame["pole_nom"].isna()]
    return frame[frame["pole_id"] == choice]


def filter_by_file(frame: pd.DataFrame, choice: str) -> pd.DataFrame:
    """Rows of the chosen file, or all rows."""
    return frame if choice == ALL_FILES else frame[frame["source_file"] == choice]


def reason_text(reason: object, source_file: object, row_number: object) -> str:
    """A quarantine reason without the file, line and field it begins with (they have their columns).

    The pipeline writes « fichier.csv, ligne 12, champ valeur : motif » so that the reason reads on
    its own in logs; in the table those words would only repeat the columns beside it.
    """
    if missing(reason):
        return ""
    text = str(reason)
    prefix = re.escape(str(source_file)) + r"(?:, feuille « [^»]*»)?"
    if not missing(row_number):
        prefix += rf",? ligne {int(row_number)}"  # type: ignore[call-overload]
    match = re.match(prefix + r"(?:, champ [^:]*)? : ", text)
    return text[match.end() :] if match else text


def _period(annee: object, trimestre: object) -> str:
    if missing(annee):
        return "–"
    return fmt_period(int(annee), _quarter(trimestre))  # type: ignore[call-overload]


def quarantine_table(rows: pd.DataFrame) -> Table:
    """Quarantined cells (rows of `reads.quarantine`) as staff act on them: which pole, period and
    indicator, which field and value, why; then where it is in the file and when it came."""
    indicator = rows["indicateur_libelle"].fillna(rows["indicateur"])
    return Table(
        pd.DataFrame(
            {
                "Pôle": rows["pole_nom"].fillna(UNKNOWN_POLE_LABEL).astype(str),
                "Période": [_period(a, t) for a, t in zip(rows["annee"], rows["trimestre"], strict=True)],
                "Indicateur": indicator.fillna("–").astype(str),
                "Champ": rows["field"].fillna("").astype(str),
                "Valeur": rows["value"].fillna("").astype(str),
                "Motif": [
                    reason_text(r, f, n)
                    for r, f, n in zip(rows["reason"], rows["source_file"], rows["row_number"], strict=True)
                ],
                "Fichier": rows["source_file"].astype(str),
                "Feuille": rows["sheet"].fillna("").astype(str),
                "Ligne": pd.array(rows["row_number"], dtype="Int64"),
                "Reçu le": pd.to_datetime(rows["arrived_at"]),
            }
        ),
        formats={"Ligne": tf.YEAR},  # a line number, written without a thousands space
    )


# Beyond this many poles the completeness matrix shows one block of poles at a time: a matrix of
# 2,000 rows is neither readable nor quick to draw.
COMPLETENESS_PAGE_POLES = 50


def pole_pages(cells: pd.DataFrame, size: int = COMPLETENESS_PAGE_POLES) -> list[tuple[str, list[str]]]:
    """The poles of `cells` (pole_id, numero) by their number, in blocks of `size`: one label and
    the poles' ids per block (« Pôles n° 1 à 50 »); one block when they all fit."""
    poles = cells.drop_duplicates("pole_id").sort_values(["numero", "pole_id"], na_position="last")
    ids = [str(p) for p in poles["pole_id"]]
    numbers = list(poles["numero"])
    pages = []
    for start in range(0, len(ids), size):
        block = numbers[start : start + size]
        known = [int(n) for n in block if pd.notna(n)]
        label = (
            f"Pôles n° {fmt_number(known[0])} à {fmt_number(known[-1])}"
            if known
            else f"Pôles {fmt_number(start + 1)} à {fmt_number(start + len(block))}"
        )
        pages.append((label, ids[start : start + size]))
    return pages


def completeness_text(statut: object, en_retard: object) -> str:
    """Label of a cell of the completeness matrix: the status, and whether it came late."""
    label = "–" if statut is None or (isinstance(statut, float) and pd.isna(statut)) else str(statut)
    if en_retard is not None and not pd.isna(en_retard) and bool(en_retard):
        label += " · en retard"
    return label


def reporting_table(rates: pd.DataFrame) -> Table:
    """Reporting rate per year (rows of `reads.reporting_rates` for one kind): counts and rates typed."""

    def share(part: pd.Series) -> pd.Series:
        expected = rates["attendus"].astype(float)
        return (part.astype(float) / expected).where(expected > 0)

    return Table(
        pd.DataFrame(
            {
                "Année": rates["annee"].astype(int),
                "Envois attendus": rates["attendus"].astype("Int64"),
                "Reçus": rates["recus"].astype("Int64"),
                "Taux de déclaration": share(rates["recus"]),
                "Reçus dans les délais": rates["a_temps"].astype("Int64"),
                "Taux dans les délais": share(rates["a_temps"]),
                "Complets": rates["complets"].astype("Int64"),
            }
        ),
        formats={"Année": tf.YEAR, "Taux de déclaration": tf.PERCENT, "Taux dans les délais": tf.PERCENT},
    )


def _quarter(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def changes_table(changes: pd.DataFrame) -> Table:
    """Corrections between versions (rows of `reads.indicator_changes`): values in their unit, typed."""
    return Table(
        pd.DataFrame(
            {
                "Pôle": changes["pole_nom"].fillna(changes["pole_id"]).fillna(UNKNOWN_POLE_LABEL).astype(str),
                "Reçu le": pd.to_datetime(changes["arrived_at"]),
                "Période": [
                    fmt_period(int(a), _quarter(t))
                    for a, t in zip(changes["annee"], changes["trimestre"], strict=True)
                ],
                "Indicateur": changes["libelle"].astype(str),
                "Changement": changes["type_changement"].fillna("").astype(str),
                "Ancienne valeur": changes["ancienne_valeur"].astype(float),
                "Nouvelle valeur": changes["nouvelle_valeur"].astype(float),
                "Unité": changes["unite"].fillna("nombre").astype(str),
                "Version": pd.array(changes["version"], dtype="Int64"),
                "Ancien fichier": changes["ancien_fichier"].fillna("").astype(str),
                "Nouveau fichier": changes["nouveau_fichier"].fillna("").astype(str),
            }
        ),
        formats={"Version": tf.INTEGER},
        unit_column="Unité",
    )


# Completeness statuses a reminder is sent for (see `completeness_text` for all of them).
TO_CHASE = ("manquant", "partiel")


def reminder_years(cells: pd.DataFrame) -> list[int]:
    """Years of one kind's completeness rows with a deadline passed, the latest first."""
    due = cells[cells["statut"] != "à venir"]
    return sorted({int(a) for a in due["annee"]}, reverse=True)


def reminder_default(cells: pd.DataFrame, years: list[int]) -> int:
    """Index in `years` of the year to show first: the latest with a pole to remind, else the latest."""
    chase = cells[cells["statut"].isin(TO_CHASE) | cells["en_retard"].fillna(False).astype(bool)]
    pending = {int(a) for a in chase["annee"]}
    return next((i for i, year in enumerate(years) if year in pending), 0)


def _situation(statut: object, en_retard: object, nb: object, attendues: object, recu_le: object) -> str:
    if statut == "manquant":
        text = "Rien reçu"
    elif statut == "partiel":
        n = 0 if missing(nb) else int(nb)  # type: ignore[call-overload]
        m = 0 if missing(attendues) else int(attendues)  # type: ignore[call-overload]
        text = (
            f"Envoi partiel : {fmt_number(n)} valeur{'s' if n > 1 else ''} sur {fmt_number(m)} "
            f"attendue{'s' if m > 1 else ''}"
        )
    else:
        text = "Complet"
    if not missing(en_retard) and bool(en_retard):
        when = "" if missing(recu_le) else f" le {fmt_date(pd.Timestamp(recu_le).to_pydatetime())}"  # type: ignore[arg-type]
        text += f" · reçu en retard{when}"
    return text


def reminders_table(cells: pd.DataFrame, poles: pd.DataFrame, annee: int) -> Table:
    """Poles to remind for one kind of sending and year: nothing or part received after the
    deadline, or received late, with their representatives (from the member table) for a mailing."""
    year = cells[cells["annee"].astype(int) == annee]
    chase = year[year["statut"].isin(TO_CHASE) | year["en_retard"].fillna(False).astype(bool)]
    rows = chase.merge(
        poles[["pole_id", "representants", "structure_initiatrice", "commune"]], on="pole_id", how="left"
    ).sort_values("numero")
    return Table(
        pd.DataFrame(
            {
                "Pôle": rows["pole_nom"].fillna(rows["pole_id"]).astype(str),
                "Situation": [
                    _situation(*values)
                    for values in zip(
                        rows["statut"],
                        rows["en_retard"],
                        rows["nb_valeurs"],
                        rows["nb_attendues"],
                        rows["premiere_reception"],
                        strict=True,
                    )
                ],
                "Échéance": pd.to_datetime(rows["echeance"]),
                "Premier envoi": pd.to_datetime(rows["premiere_reception"]),
                "Représentants": rows["representants"].fillna("").astype(str),
                "Structure initiatrice": rows["structure_initiatrice"].fillna("").astype(str),
                "Commune": rows["commune"].fillna("").astype(str),
            }
        )
    )


def line_text(row_number: object) -> str:
    """« ligne 12 », or « ligne inconnue » for a problem about the whole file."""
    return "ligne inconnue" if missing(row_number) else f"ligne {int(row_number)}"  # type: ignore[call-overload]

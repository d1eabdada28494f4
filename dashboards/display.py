"""French display helpers for the views: metric texts, year-on-year changes, formatted tables.

Pure functions (no Streamlit), so the exact strings a page shows can be tested on small frames.
Tables are formatted to strings here because the browser's locale, not ours, would otherwise
decide how `st.dataframe` writes numbers; the product promises `1 234,5` everywhere.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from ptce.fmt import fmt_date, fmt_datetime, fmt_delta, fmt_number, fmt_percent, fmt_period, fmt_value
from ptce.text import strip_accents

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# Escaping is not enough against GitHub-flavoured autolinks: `http://…`, `www.…` and `a@b.fr` in
# plain text still become live links. An invisible WORD JOINER (U+2060) inside each trigger keeps
# the text as it reads while no autolink can form (zero-width match positions below).
_AUTOLINK_TRIGGER = re.compile(
    r"(?i)(?<=\bhttp)(?=s?\\:)|(?<=\bftp)(?=\\:)|(?<=\bwww)(?=\\\.)|(?=@)|(?<=\bmailto)(?=\\:)"
)

DeltaColor = Literal["normal", "inverse", "off"]

# How a yearly value was obtained (mart_pole_year.origine), in words for the pole page.
# Values outside this list are shown as they are.
ORIGIN_LABELS: dict[str, str] = {
    "annuel": "valeur annuelle transmise",
    "trimestres": "calculée à partir des trimestres",
    "calcul": "calculée (rapport de sommes)",
}
# The pipeline stamps publications in UTC; readers expect the time on their clock.
DISPLAY_TIMEZONE = "Europe/Paris"

# Short labels of the network key figures (the catalogue labels speak of one pole).
KEY_FIGURE_LABELS: dict[str, str] = {
    "membres": "Structures membres",
    "salaries": "Salariés",
    "etp": "Équivalents temps plein",
    "emplois_crees": "Emplois créés",
    "personnes_accompagnees": "Personnes accompagnées",
    "taux_sortie_dynamique": "Taux de sorties dynamiques",
}

# Columns of the overview's table of poles: (query column, French header, catalogue unit).
POLE_TABLE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("membres", "Structures membres", "nombre"),
    ("salaries", "Salariés", "personnes"),
    ("etp", "ETP", "ETP"),
    ("emplois_crees", "Emplois créés", "emplois"),
    ("personnes_accompagnees", "Personnes accompagnées", "personnes"),
    ("taux_sortie_dynamique", "Taux de sorties dynamiques", "%"),
)


def escape_markdown(text: object) -> str:
    """Text from the warehouse, made inert for Streamlit's Markdown (titles, captions).

    Streamlit never renders raw HTML without `unsafe_allow_html`, but `*`, `_`, `[..](..)` or `$`
    in a name would still be read as formatting, links or formulas, and `http://…`, `www.…` or an
    e-mail address as a live link.
    """
    return _AUTOLINK_TRIGGER.sub("\u2060", _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)))


def value_text(value: float | None, unite: str) -> str:
    """A value in French, by catalogue unit ("–" when missing).

    A median or mean of yes/no answers over poles can be 0,5: neither yes nor no, so it is
    written as a number.
    """
    if value is None or pd.isna(value):
        return fmt_value(None, unite)
    if unite == "oui/non" and value not in (0, 1):
        return fmt_number(value, decimals=2)
    return fmt_value(value, unite)


def metric_delta(current: float | None, previous: float | None, unite: str) -> str | None:
    """Change from the previous year: points for rates, relative change otherwise.

    None (no delta shown) when either year is missing, or when a relative change would divide by
    zero. The sign comes first, which is how `st.metric` picks the arrow.
    """
    if current is None or previous is None or pd.isna(current) or pd.isna(previous):
        return None
    if unite == "%":
        points = (current - previous) * 100
        sign = "+" if points >= 0 else "-"
        return f"{sign}{fmt_number(abs(points), decimals=1)} pt"
    if previous == 0:
        return None
    return fmt_delta((current - previous) / previous)


def key_figure_label(code: str, libelle: str) -> str:
    """Label of a key figure on the overview."""
    return KEY_FIGURE_LABELS.get(code, libelle)


def metric_help(libelle: str, nb_poles: object, total: int, year: int, has_previous: bool) -> str:
    """Tooltip of a key figure: the catalogue label, how many poles it covers, the comparison."""
    n = 0 if nb_poles is None or pd.isna(nb_poles) else int(nb_poles)
    verb = "ont transmis" if n > 1 else "a transmis"
    text = f"{libelle} : {n} pôle{'s' if n > 1 else ''} sur {total} {verb} cette valeur pour {year}."
    if has_previous:
        text += f" Évolution par rapport à {year - 1}."
    return text


def delta_color(sens: str | None) -> DeltaColor:
    """Green when the change goes the right way for this indicator (catalogue `sens`)."""
    if sens == "baisse":
        return "inverse"
    if sens == "hausse":
        return "normal"
    return "off"


def local_time(published_at: object) -> datetime | None:
    """A publication timestamp (naive = UTC, as the pipeline writes it) on the Paris clock."""
    if published_at is None or pd.isna(published_at):
        return None
    stamp = pd.Timestamp(published_at)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    try:
        return stamp.tz_convert(ZoneInfo(DISPLAY_TIMEZONE)).to_pydatetime()
    except ZoneInfoNotFoundError:  # no time zone database on the machine: say it is UTC
        return stamp.to_pydatetime()


def publication_caption(published_at: object, catalogue_version: object) -> str:
    """Sidebar caption: when the figures were published and with which catalogue."""
    when = local_time(published_at)
    text = fmt_datetime(when)
    if when is not None and when.utcoffset() == timedelta(0) and str(when.tzinfo) == "UTC":
        text += " (UTC)"
    return f"Données publiées le {text} · catalogue {catalogue_version or '–'}"


def poles_table(df: pd.DataFrame) -> pd.DataFrame:
    """The overview's table of poles (rows of `reads.poles_year_table`), French and formatted."""
    out = pd.DataFrame(
        {
            "N°": df["numero"].astype(int),
            "Pôle": df["nom"],
            "Commune": df["commune"],
            "Département": df["nom_departement"],
            "Région": df["region"],
        }
    )
    for column, header, unite in POLE_TABLE_COLUMNS:
        out[header] = [value_text(v, unite) for v in df[column]]
    out["Fiche"] = ["pole?pole=" + str(pole_id) for pole_id in df["pole_id"]]
    return out


def pole_values_table(series: pd.DataFrame) -> pd.DataFrame:
    """A pole's yearly values (rows of `reads.pole_series`): one row per indicator and year."""
    return pd.DataFrame(
        {
            "Domaine": series["domaine_libelle"],
            "Indicateur": series["libelle"],
            "Année": series["annee"].astype(int).astype(str),
            "Valeur": [value_text(v, u) for v, u in zip(series["valeur"], series["unite"], strict=True)],
            "Médiane des pôles": [
                value_text(v, u) for v, u in zip(series["mediane_reseau"], series["unite"], strict=True)
            ],
            "Origine": [
                origin_label(o, n) for o, n in zip(series["origine"], series["nb_trimestres"], strict=True)
            ],
            "Commentaire du pôle": series["commentaires"].fillna("").astype(str),
            "Fichiers sources": series["fichiers"].fillna("").astype(str),
        }
    )


def pole_comments(series: pd.DataFrame) -> pd.DataFrame:
    """The comments a pole wrote beside its values: indicator label, year, comment, in table order."""
    commented = series[series["commentaires"].fillna("").astype(str).str.strip() != ""]
    return pd.DataFrame(
        {
            "libelle": commented["libelle"].astype(str),
            "annee": commented["annee"].astype(int),
            "commentaire": commented["commentaires"].astype(str),
        }
    ).reset_index(drop=True)


def origin_label(origine: object, nb_trimestres: object) -> str:
    """`origine` of a yearly value in words, with the number of quarters when rolled up."""
    if origine is None or (not isinstance(origine, str) and pd.isna(origine)):
        return "–"
    label = ORIGIN_LABELS.get(str(origine), str(origine))
    if nb_trimestres is not None and not pd.isna(nb_trimestres) and int(nb_trimestres) > 0:
        n = int(nb_trimestres)
        label += f" ({n} trimestre{'s' if n > 1 else ''})"
    return label


# --- Data quality --------------------------------------------------------------------------------

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
# Excel runs a cell as a formula when it begins with one of these (OWASP "CSV injection"); a tab
# or carriage return first is also a known trick to hide the formula sign from naive filters.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

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


def checks_table(checks: pd.DataFrame) -> pd.DataFrame:
    """The rules of the run (rows of `reads.check_results`), French and formatted."""
    return pd.DataFrame(
        {
            "Résultat": [
                check_outcome(p, s) for p, s in zip(checks["passed"], checks["severite"], strict=True)
            ],
            "Règle": checks["regle"].astype(str),
            "Description": checks["description"].fillna("").astype(str),
            "Table": checks["asset"].astype(str),
            "Sévérité": [SEVERITY_LABELS.get(str(s), str(s)) for s in checks["severite"]],
            "Anomalies": [fmt_number(n, missing="–") for n in checks["unexpected_count"]],
            "Moteur": [ENGINE_LABELS.get(str(m), str(m)) for m in checks["moteur"]],
        }
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


def ingest_table(log: pd.DataFrame) -> pd.DataFrame:
    """The files read (rows of `reads.ingest_log`), French and formatted."""
    gap = log["rows_read"] - log["rows_loaded"] - log["rows_quarantined"]
    return pd.DataFrame(
        {
            "Fichier": log["source_file"].astype(str),
            "Type": [KIND_LABELS.get(str(k), str(k)) for k in log["kind"]],
            "Reçu le": [fmt_date(as_datetime(v)) for v in log["arrived_at"]],
            "Statut": [INGEST_STATUS_LABELS.get(str(s), str(s)) for s in log["status"]],
            "Lignes lues": [fmt_number(n) for n in log["rows_read"]],
            "Chargées": [fmt_number(n) for n in log["rows_loaded"]],
            "En quarantaine": [fmt_number(n) for n in log["rows_quarantined"]],
            "Bilan": ["✅" if g == 0 else f"⛔ écart de {fmt_number(g)}" for g in gap],
            "Message": log["message"].fillna("").astype(str),
        }
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


def quarantine_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Quarantined cells (rows of `reads.quarantine`), French columns, values as received."""
    return pd.DataFrame(
        {
            "Fichier": rows["source_file"].astype(str),
            "Feuille": rows["sheet"].fillna("").astype(str),
            "Ligne": [None if pd.isna(n) else int(n) for n in rows["row_number"]],
            "Pôle": rows["pole_nom"].fillna(UNKNOWN_POLE_LABEL).astype(str),
            "Champ": rows["field"].fillna("").astype(str),
            "Valeur": rows["value"].fillna("").astype(str),
            "Motif": rows["reason"].fillna("").astype(str),
        }
    ).astype({"Ligne": "Int64"})


def _neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cap_table(frame: pd.DataFrame, max_rows: int | None, max_chars: int) -> tuple[pd.DataFrame, bool, bool]:
    """`frame` cut to `max_rows` rows (None: all) and its text cells to `max_chars` characters.

    Returns the capped frame and whether rows, and whether cells, were cut. A cut cell ends with a
    visible marker giving its full length, so nobody takes it for the whole value.
    """
    rows_cut = max_rows is not None and len(frame) > max_rows
    capped = frame.head(max_rows) if rows_cut else frame.copy()
    cells_cut = False
    for column in capped.columns:
        if pd.api.types.is_numeric_dtype(capped[column]) or pd.api.types.is_datetime64_any_dtype(
            capped[column]
        ):
            continue
        long = capped[column].map(lambda v: isinstance(v, str) and len(v) > max_chars)
        if long.any():
            cells_cut = True
            capped[column] = capped[column].map(lambda v: truncate_text(v, max_chars))
    return capped, rows_cut, cells_cut


def truncate_text(value: object, max_chars: int) -> object:
    """A text longer than `max_chars` cut, with « … [tronqué, N caractères] »; anything else as is."""
    if not isinstance(value, str) or len(value) <= max_chars:
        return value
    return f"{value[:max_chars]}… [tronqué, {fmt_number(len(value))} caractères]"


def to_excel_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV for French Excel: `;`, decimal comma, UTF-8 with BOM, no live formula.

    The BOM makes Excel read UTF-8 (else accents break as CP1252); `;` is the list separator of
    the French locale. Text cells beginning with a formula sign get a leading apostrophe, so a
    value sent by a pole (`=HYPERLINK(...)`) is shown, never run. Numbers are left alone: a
    negative number is a number, not a formula.
    """
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(_neutralise)
    safe.columns = [_neutralise(str(c)) for c in safe.columns]
    text = safe.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def completeness_text(statut: object, en_retard: object) -> str:
    """Label of a cell of the completeness matrix: the status, and whether it came late."""
    label = "–" if statut is None or (isinstance(statut, float) and pd.isna(statut)) else str(statut)
    if en_retard is not None and not pd.isna(en_retard) and bool(en_retard):
        label += " · en retard"
    return label


def reporting_table(rates: pd.DataFrame) -> pd.DataFrame:
    """Reporting rate per year (rows of `reads.reporting_rates` for one kind), formatted."""

    def share(part: pd.Series) -> list[str]:
        return [fmt_percent(p / n) if n else "–" for p, n in zip(part, rates["attendus"], strict=True)]

    return pd.DataFrame(
        {
            "Année": rates["annee"].astype(int).astype(str),
            "Envois attendus": [fmt_number(n) for n in rates["attendus"]],
            "Reçus": [fmt_number(n) for n in rates["recus"]],
            "Taux de déclaration": share(rates["recus"]),
            "Reçus dans les délais": [fmt_number(n) for n in rates["a_temps"]],
            "Taux dans les délais": share(rates["a_temps"]),
            "Complets": [fmt_number(n) for n in rates["complets"]],
        }
    )


def as_datetime(value: object) -> datetime | None:
    """A timestamp or date from the warehouse as a datetime (None when missing)."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def _quarter(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Corrections between versions (rows of `reads.indicator_changes`), French and formatted."""
    return pd.DataFrame(
        {
            "Reçu le": [fmt_date(as_datetime(v)) for v in changes["arrived_at"]],
            "Pôle": changes["pole_nom"].fillna(changes["pole_id"]).fillna(UNKNOWN_POLE_LABEL).astype(str),
            "Période": [
                fmt_period(int(a), _quarter(t))
                for a, t in zip(changes["annee"], changes["trimestre"], strict=True)
            ],
            "Indicateur": changes["libelle"].astype(str),
            "Changement": changes["type_changement"].fillna("").astype(str),
            "Ancienne valeur": [
                value_text(v, u) for v, u in zip(changes["ancienne_valeur"], changes["unite"], strict=True)
            ],
            "Nouvelle valeur": [
                value_text(v, u) for v, u in zip(changes["nouvelle_valeur"], changes["unite"], strict=True)
            ],
            "Version": [None if pd.isna(v) else int(v) for v in changes["version"]],
            "Ancien fichier": changes["ancien_fichier"].fillna("").astype(str),
            "Nouveau fichier": changes["nouveau_fichier"].fillna("").astype(str),
        }
    ).astype({"Version": "Int64"})


# --- Applications to the AMI (page « Candidatures ») --------------------------------------------

NOT_ANSWERED = "Non renseigné"
# Characters Markdown reads beyond `escape_markdown`'s: entities (`&lt;`) and setext underlines (`===`).
_ANSWER_SPECIAL = re.compile(r"([&=])")


def yes_no_text(value: object) -> str:
    """A yes/no answer in French: "Oui", "Non", or "Non renseigné" when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return NOT_ANSWERED
    return "Oui" if bool(value) else "Non"


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def applications_table(apps: pd.DataFrame) -> pd.DataFrame:
    """The table of poles' current applications (rows of `reads.applications`)."""
    return pd.DataFrame(
        {
            "Pôle": apps["nom"].astype(str),
            "Complétude": [fmt_percent(v, decimals=0) for v in apps["completude"]],
            "Charte": [yes_no_text(v) for v in apps["charte"]],
            "Visite proposée": [yes_no_text(v) for v in apps["accueil_visite"]],
            "Période de visite": [NOT_ANSWERED if _missing(v) else str(v) for v in apps["periode_visite"]],
            "Statut juridique": [NOT_ANSWERED if _missing(v) else str(v) for v in apps["statut_juridique"]],
            "Année de début": [NOT_ANSWERED if _missing(v) else str(int(v)) for v in apps["annee_debut"]],
        }
    )


def question_label(partie: object, numero: object, libelle: object) -> str:
    """ "I.2 – Objectifs…" (escaped Markdown); a question without number is "I – …"."""
    number = "" if _missing(numero) else str(numero).strip()
    ref = f"{partie}.{number}" if number else str(partie)
    return escape_markdown(f"{ref} – {libelle}")


def answer_text(reponse: object, kind: object, oui_non: object) -> str | None:
    """What a pole answered to one question, as text; None when unanswered."""
    if kind == "oui_non" and not _missing(oui_non):
        return yes_no_text(oui_non)
    if _missing(reponse) or not str(reponse).strip():
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
    if _missing(text) or _missing(query):
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
    if _missing(text):
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
    if _missing(query) or not str(query).strip():
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
                NOT_ANSWERED if _missing(v) else str(v) for v in offers["experiences_visite"]
            ],
            "Échéance indiquée": [NOT_ANSWERED if _missing(v) else str(v) for v in offers["echeance_visite"]],
            "Période": [NOT_ANSWERED if _missing(v) else str(v) for v in offers["periode_visite"]],
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
            "Champ": fields["champ"].astype(str),
            "Valeur": [NOT_ANSWERED if _missing(v) else str(v) for v in fields["valeur"]],
            "Question": fields["question"].fillna(fields["code_question"]).fillna("").astype(str),
            "Passage": fields["passage"].fillna("").astype(str),
        }
    )

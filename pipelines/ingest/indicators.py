"""Parser of indicator files and target files (`raw/indicateurs/`, `raw/objectifs/`).

Two layouts are accepted (SPEC §2):
- long: one row per value — `pole, periode, indicateur, valeur[, commentaire]`;
- wide: one row per pole and period, one column per indicator (code or French label).
Headers may sit below title rows; the pole and the year may be given once in those title rows
("Pôle : PHARES", "Année : 2016") or, for the pole, by the file name.

Row accounting: a file row is either loaded (all its values are valid) or quarantined with one entry
per faulty field. A wide row with one bad cell is quarantined whole, so that a pole never sees half a
row published while the other half waits for a fix.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from pipelines.ingest.model import FileResult, IngestionError, QuarantineRecord
from pipelines.ingest.readers import Sheet, read_tabular
from pipelines.ingest.values import (
    ValueProblem,
    cell_text,
    is_missing,
    parse_number,
    parse_period,
    parse_quarter,
)
from ptce.reference import Catalog, Indicator, PoleMatcher, load_catalog
from ptce.text import normalize_key

HEADER_SCAN_ROWS = 20
MAX_PLAUSIBLE = 10_000_000  # no pole counts ten million of anything

ROLE_ALIASES: dict[str, set[str]] = {
    "pole": {
        "pole",
        "poleid",
        "idpole",
        "codepole",
        "numeropole",
        "numerodupole",
        "ptce",
        "nomduptce",
        "nomdupole",
        "npole",
        "nopole",
        "numpole",
        "initiative",
        "nomdelinitiative",
        "nompole",
    },
    "periode": {"periode", "period", "annee", "an", "year", "exercice", "anneeoutrimestre"},
    "trimestre": {"trimestre", "quarter", "trim"},
    "indicateur": {
        "indicateur",
        "codeindicateur",
        "code",
        "libelle",
        "libelleindicateur",
        "indicator",
        "libelledelindicateur",
        "nomindicateur",
    },
    "valeur": {"valeur", "value", "nombre", "montant", "realise", "resultat", "valeurrealisee"},
    "objectif": {"objectif", "objectifs", "cible", "valeurcible", "valeurobjectif"},
    "commentaire": {
        "commentaire",
        "commentaires",
        "remarque",
        "remarques",
        "observation",
        "observations",
        "note",
        "notes",
        "precision",
        "precisions",
    },
}
_ROLE_BY_KEY = {alias: role for role, aliases in ROLE_ALIASES.items() for alias in aliases}
_TITLE_POLE_KEYS = ROLE_ALIASES["pole"]
_TITLE_YEAR_KEYS = {"annee", "periode", "exercice", "an"}

FIELD_LABELS = {
    "pole": "pôle",
    "periode": "période",
    "trimestre": "trimestre",
    "indicateur": "indicateur",
    "valeur": "valeur",
    "objectif": "objectif",
}


class _Header:
    """Where each role and indicator sits in a header row."""

    def __init__(self, row_number: int, cells: list[object], catalog: Catalog, kind: str) -> None:
        self.row_number = row_number
        self.roles: dict[str, int] = {}
        self.indicators: dict[str, int] = {}
        self.ignored: list[str] = []
        self.duplicates: list[str] = []
        for idx, cell in enumerate(cells):
            text = cell_text(cell)
            if not text:
                continue
            key = normalize_key(text)
            role = _ROLE_BY_KEY.get(key)
            code = catalog.match(text)
            if role == "objectif" and kind != "objectifs":
                role = None
            if role is not None and not (role == "indicateur" and code):
                if role in self.roles:
                    self.duplicates.append(text)
                else:
                    self.roles[role] = idx
            elif code is not None:
                if code in self.indicators:
                    self.duplicates.append(text)
                else:
                    self.indicators[code] = idx
            else:
                self.ignored.append(text)
        if kind == "objectifs" and "objectif" in self.roles and "valeur" not in self.roles:
            self.roles["valeur"] = self.roles.pop("objectif")

    @property
    def is_long(self) -> bool:
        return "indicateur" in self.roles and "valeur" in self.roles

    @property
    def is_wide(self) -> bool:
        return not self.is_long and bool(self.indicators)

    def plausible(self) -> bool:
        has_period_or_pole = "periode" in self.roles or "pole" in self.roles
        return (self.is_long and has_period_or_pole) or (
            self.is_wide and (has_period_or_pole or len(self.indicators) >= 3)
        )


def _title_context(rows: list[tuple[int, list[object]]], matcher: PoleMatcher) -> dict[str, Any]:
    """ "Pôle : PHARES" / "Année : 2016" written above the header, in one cell or two."""
    context: dict[str, Any] = {}
    for _, cells in rows:
        texts = [cell_text(c) for c in cells if cell_text(c)]
        pairs: list[tuple[str, str]] = []
        for i, text in enumerate(texts):
            if ":" in text:
                key, _, value = text.partition(":")
                if value.strip():
                    pairs.append((key, value.strip()))
                elif i + 1 < len(texts):
                    pairs.append((key, texts[i + 1]))
            elif i + 1 < len(texts) and normalize_key(text) in _TITLE_POLE_KEYS | _TITLE_YEAR_KEYS:
                pairs.append((text, texts[i + 1]))
        for key, value in pairs:
            nkey = normalize_key(key)
            if nkey in _TITLE_POLE_KEYS and "pole" not in context:
                pole = matcher.match(value)
                if pole:
                    context["pole"] = pole
            elif nkey in _TITLE_YEAR_KEYS and "periode" not in context:
                with contextlib.suppress(ValueProblem):
                    context["periode"] = parse_period(value)
    return context


def pole_from_filename(path: Path, matcher: PoleMatcher) -> str | None:
    """The one pole named in the file name (`PHARES_indicateurs_2016.xlsx`).

    Bare numbers do not count (`export_3.csv` is not pole 3), and a name that mentions two poles
    names none: guessing would file one pole's figures under the other.
    """
    tokens = [t for t in re.split(r"[_\-\s.]+", path.stem) if t]
    found: set[str] = set()
    for size in (4, 3, 2, 1):
        for start in range(len(tokens) - size + 1):
            chunk = tokens[start : start + size]
            if size == 1 and chunk[0].isdigit():
                continue
            pole = matcher.match(" ".join(chunk))
            if pole:
                found.add(pole)
    return found.pop() if len(found) == 1 else None


def _check_value(number: float, indicator: Indicator) -> None:
    label = f"« {indicator.libelle} »"
    if indicator.min is not None and number < indicator.min:
        raise ValueProblem(f"valeur négative ({cell_text(number)}) impossible pour {label}")
    if indicator.max is not None and number > indicator.max:
        raise ValueProblem(
            f"valeur {cell_text(number)} hors de l'intervalle autorisé "
            f"({cell_text(indicator.min)} à {cell_text(indicator.max)}) pour {label}"
        )
    if abs(number) > MAX_PLAUSIBLE:
        raise ValueProblem(
            f"valeur {cell_text(number)} invraisemblable pour {label} (plus de 10 millions) : "
            "vérifier l'unité et les séparateurs"
        )
    if indicator.entier and not float(number).is_integer():
        raise ValueProblem(
            f"valeur non entière ({cell_text(number).replace('.', ',')}) pour {label}, "
            "qui se compte en nombres entiers"
        )


class IndicatorFileParser:
    """Parses one indicator or target file into records, quarantine rows and a log entry."""

    def __init__(self, kind: str = "indicateurs", catalog: Catalog | None = None) -> None:
        if kind not in {"indicateurs", "objectifs"}:
            raise ValueError(kind)
        self.kind = kind
        self.catalog = catalog or load_catalog()
        self.matcher = PoleMatcher()

    def parse(self, path: Path, source_file: str) -> FileResult:
        """Never raises for bad content: an unreadable file gives a result with `error` set."""
        result = FileResult(source_file=source_file, kind=self.kind, file_format=path.suffix[1:])
        try:
            sheets, file_format, _details = read_tabular(path, source_file)
            result.file_format = file_format
            self._parse_sheets(path, sheets, result)
        except IngestionError as exc:
            result.error = exc.message
            result.records.clear()
            result.quarantine.clear()
            result.rows_read = result.rows_loaded = 0
        return result

    def _parse_sheets(self, path: Path, sheets: list[Sheet], result: FileResult) -> None:
        found = False
        for sheet in sheets:
            header = self._find_header(sheet)
            if header is None:
                continue
            found = True
            if header.duplicates:
                raise IngestionError(
                    f"{result.source_file} : colonne(s) en double dans l'en-tête "
                    f"(ligne {header.row_number}) : {', '.join(header.duplicates)}. "
                    "Gardez une seule colonne par information."
                )
            above = [r for r in sheet.rows if r[0] < header.row_number]
            context = _title_context(above, self.matcher)
            if "pole" not in header.roles and "pole" not in context:
                pole = pole_from_filename(path, self.matcher)
                if pole:
                    context["pole"] = pole
            if "pole" not in header.roles and "pole" not in context:
                raise IngestionError(
                    f"{result.source_file} : impossible de savoir de quel pôle il s'agit. Ajoutez "
                    "une colonne « pôle » (numéro ou nom), ou une ligne « Pôle : … » au-dessus du "
                    "tableau."
                )
            if "periode" not in header.roles and "periode" not in context:
                raise IngestionError(
                    f"{result.source_file} : aucune colonne « période » (ou « année ») trouvée. "
                    "Ajoutez-la : 2016, 2016-T3 ou T3 2016."
                )
            if header.ignored and header.is_wide:
                result.notes.append(
                    f"Colonne(s) non reconnue(s), ignorée(s) (feuille {sheet.name or 'unique'}) : "
                    + ", ".join(f"« {c} »" for c in header.ignored)
                    + "."
                )
            data_rows = [r for r in sheet.rows if r[0] > header.row_number]
            if data_rows and self._is_code_row(data_rows[0][1], header):
                # Templates show each indicator's code under its label: a second header line.
                data_rows = data_rows[1:]
            for row_number, cells in data_rows:
                self._parse_row(row_number, cells, header, context, sheet.name, result)
        if not found:
            raise IngestionError(
                f"{result.source_file} : aucun tableau d'indicateurs reconnu. L'en-tête doit "
                "contenir « pôle », « période » et soit « indicateur » et « valeur », soit une "
                "colonne par indicateur (code ou libellé du catalogue). Utilisez le modèle Excel "
                "fourni par COORACE (commande « ptce template »)."
            )
        self._quarantine_conflicts(result)

    def _is_code_row(self, cells: list[object], header: _Header) -> bool:
        if not header.is_wide:
            return False
        named = [
            self.catalog.match(cells[idx]) == code
            for code, idx in header.indicators.items()
            if idx < len(cells) and cell_text(cells[idx])
        ]
        return len(named) >= 3 and all(named)

    def _find_header(self, sheet: Sheet) -> _Header | None:
        for row_number, cells in sheet.rows[:HEADER_SCAN_ROWS]:
            header = _Header(row_number, cells, self.catalog, self.kind)
            if header.plausible():
                return header
        return None

    def _parse_row(
        self,
        row_number: int,
        cells: list[object],
        header: _Header,
        context: dict[str, Any],
        sheet: str | None,
        result: FileResult,
    ) -> None:
        result.rows_read += 1
        problems: list[tuple[str, str, str]] = []  # (field, value, reason)

        def cell(idx: int | None) -> object:
            return cells[idx] if idx is not None and idx < len(cells) else None

        pole_id = context.get("pole")
        if "pole" in header.roles:
            raw = cell(header.roles["pole"])
            if is_missing(raw):
                problems.append(("pole", "", "pôle non renseigné : indiquer le numéro ou le nom"))
            else:
                pole_id = self.matcher.match(raw)
                if pole_id is None:
                    problems.append(
                        (
                            "pole",
                            cell_text(raw),
                            f"pôle « {cell_text(raw)} » inconnu : indiquer le numéro (1 à 12) "
                            "ou le nom d'un pôle de la communauté",
                        )
                    )
        period: tuple[int, int | None] | None = context.get("periode")
        if "periode" in header.roles:
            raw = cell(header.roles["periode"])
            try:
                period = parse_period(raw if not is_missing(raw) else None)
                if "trimestre" in header.roles:
                    quarter = parse_quarter(cell(header.roles["trimestre"]))
                    if quarter is not None:
                        period = parse_period(f"{period[0]}-T{quarter}")
            except ValueProblem as exc:
                problems.append(("periode", cell_text(raw), exc.reason))
                period = None
        if period is not None and self.kind == "objectifs" and period[1] is not None:
            problems.append(
                (
                    "periode",
                    f"T{period[1]} {period[0]}",
                    "objectif trimestriel : donner l'objectif annuel",
                )
            )
        comment_raw = cell(header.roles.get("commentaire"))
        comment = None if is_missing(comment_raw) else cell_text(comment_raw)

        values: list[tuple[str, float]] = []
        if header.is_long:
            raw_ind = cell(header.roles["indicateur"])
            code = self.catalog.match(raw_ind) if not is_missing(raw_ind) else None
            if code is None:
                problems.append(
                    (
                        "indicateur",
                        cell_text(raw_ind),
                        f"indicateur « {cell_text(raw_ind)} » inconnu : utiliser un code ou un "
                        "libellé du catalogue (ex. « salaries » ou « Salariés des structures "
                        "membres »)",
                    )
                )
            raw_val = cell(header.roles["valeur"])
            if is_missing(raw_val):
                problems.append(
                    (
                        "valeur",
                        cell_text(raw_val),
                        "valeur non renseignée : ligne sans chiffre (vide = donnée manquante, "
                        "jamais zéro) ; compléter ou retirer la ligne",
                    )
                )
            else:
                try:
                    number = parse_number(raw_val)
                    if code is not None:
                        _check_value(number, self.catalog.get(code))
                        values.append((code, number))
                except ValueProblem as exc:
                    problems.append(("valeur", cell_text(raw_val), exc.reason))
        else:
            for code, idx in header.indicators.items():
                raw_val = cell(idx)
                if is_missing(raw_val):
                    continue
                try:
                    number = parse_number(raw_val)
                    _check_value(number, self.catalog.get(code))
                    values.append((code, number))
                except ValueProblem as exc:
                    problems.append((code, cell_text(raw_val), exc.reason))
            if not values and not problems:
                problems.append(
                    (
                        "valeurs",
                        "",
                        "aucune valeur renseignée sur la ligne : compléter ou la retirer",
                    )
                )

        if problems:
            for field, value, reason in problems:
                result.quarantine.append(
                    QuarantineRecord(
                        source_file=result.source_file,
                        row_number=row_number,
                        field=FIELD_LABELS.get(field, field),
                        value=value,
                        reason=f"{result.source_file}, ligne {row_number}, "
                        f"champ {FIELD_LABELS.get(field, field)} : {reason}",
                        pole_id=pole_id,
                        sheet=sheet,
                    )
                )
            return
        assert period is not None and pole_id is not None
        for code, number in values:
            result.records.append(
                {
                    "pole_id": pole_id,
                    "annee": period[0],
                    "trimestre": period[1],
                    "code": code,
                    "valeur": number,
                    "commentaire": comment,
                    "source_file": result.source_file,
                    "row_number": row_number,
                    "sheet": sheet,
                }
            )
        result.rows_loaded += 1

    def _quarantine_conflicts(self, result: FileResult) -> None:
        """Same pole, period and indicator twice in one file with different values: a conflict.

        Every row involved goes to quarantine (nothing is silently chosen); an exact repetition is
        harmless and kept once. Linear in the number of records: files can be large.
        """
        by_key: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
        for rec in result.records:
            by_key[(rec["pole_id"], rec["annee"], rec["trimestre"], rec["code"])].append(rec)
        # (sheet, row) -> [(value, reason)], and the row's pole, for each conflicting row.
        conflicts: dict[tuple[str | None, int], list[tuple[str, str]]] = defaultdict(list)
        pole_of_row: dict[tuple[str | None, int], str] = {}
        kept: list[dict[str, Any]] = []
        for key, recs in by_key.items():
            if len({r["valeur"] for r in recs}) == 1:
                kept.append(recs[0])
                continue
            rows = sorted({r["row_number"] for r in recs})
            for r in recs:
                others = [str(n) for n in rows if n != r["row_number"]]
                shown = ", ".join(others[:5]) + (f" et {len(others) - 5} autre(s)" if len(others) > 5 else "")
                where = (r["sheet"], r["row_number"])
                pole_of_row[where] = r["pole_id"]
                conflicts[where].append(
                    (
                        cell_text(r["valeur"]),
                        f"{self.catalog.label(key[3])} {cell_text(r['valeur'])} en conflit avec la "
                        f"ligne {shown} (même pôle, période et indicateur, autre valeur) : "
                        "garder une seule valeur",
                    )
                )
        if not conflicts:
            result.records = kept
            return
        result.records = [r for r in kept if (r["sheet"], r["row_number"]) not in conflicts]
        for (sheet, row_number), entries in sorted(conflicts.items(), key=lambda x: x[0][1]):
            for value, reason in entries:
                result.quarantine.append(
                    QuarantineRecord(
                        source_file=result.source_file,
                        row_number=row_number,
                        field="valeur",
                        value=value,
                        reason=f"{result.source_file}, ligne {row_number}, champ valeur : {reason}",
                        pole_id=pole_of_row[(sheet, row_number)],
                        sheet=sheet,
                    )
                )
            result.rows_loaded -= 1

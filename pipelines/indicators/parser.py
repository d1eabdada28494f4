"""Parser of indicator files and target files (`raw/indicateurs/`, `raw/objectifs/`).

Two layouts are accepted (SPEC §2):
- long: one row per value — `pole, periode, indicateur, valeur[, commentaire]`;
- wide: one row per pole and period, one column per indicator (code or French label).
Headers may sit below title rows; the pole and the year may be given once in those title rows
("Pôle : PHARES", "Année : 2016") or, for the pole, by the file name.

Row accounting: a file row is either loaded (all its values are valid) or quarantined with one entry
per faulty field. A wide row with one bad cell is quarantined whole, so that a pole never sees half a
row published while the other half waits for a fix.

What Excel users do to tables is taken into account: a header on two rows with merged cells
("Pôle" merged over both rows, a domain title over several indicator columns), the pole merged down
over its rows, a code column next to a label column, hidden sheets, rows and columns (ignored, and
said so in the file's log), formulas never computed and Excel errors (reported, never read as
"missing"), a comma-separated file whose decimal commas split numbers in two (reported, never loaded
half), numbers whose reading would be a guess for the indicator's unit (`1.234`, `50 %` of a head
count, `1e3`: quarantined with the possible readings).
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.shared.readers import Sheet, column_letter, read_into
from pipelines.shared.results import FileResult, IngestionError, QuarantineRecord, Records
from pipelines.shared.values import (
    ValueProblem,
    cell_text,
    formula_reason,
    is_missing,
    parse_number,
    parse_period,
    parse_quarter,
    reading_problem,
    truncate_text,
)
from ptce.reference import Catalog, Indicator, PoleMatcher, PoleSet, load_catalog, read_limits, shipped_poles
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
# An indicator column titled "Code" next to one titled "Libellé": the code decides, the label checks.
_CODE_KEYS = {"code", "codeindicateur"}
# Columns whose merged cells stand for every row they cover (identifiers, not values).
_FILLED_ROLES = ("pole", "periode", "trimestre", "indicateur", "indicateur_libelle", "commentaire")
MAX_MERGED_CELLS = 200_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TITLE_POLE_KEYS = ROLE_ALIASES["pole"]
_TITLE_YEAR_KEYS = {"annee", "periode", "exercice", "an"}

# The columns of a loaded value (`FileResult.records`).
RECORD_COLUMNS = (
    "pole_id",
    "annee",
    "trimestre",
    "code",
    "valeur",
    "commentaire",
    "source_file",
    "row_number",
    "sheet",
)
# What the fast path's memos hold for a cell that needs the full row reader (a problem to explain),
# and for an empty value cell of a wide row (skipped).
_SLOW = object()
_EMPTY = object()

FIELD_LABELS = {
    "pole": "pôle",
    "periode": "période",
    "trimestre": "trimestre",
    "indicateur": "indicateur",
    "valeur": "valeur",
    "objectif": "objectif",
    "indicateur_libelle": "libellé",
    "colonnes": "colonnes",
}


class _Header:
    """Where each role and indicator sits in a header row."""

    def __init__(self, row_number: int, cells: list[object], catalog: Catalog, kind: str) -> None:
        self.row_number = row_number
        self.width = len(cells)
        self.roles: dict[str, int] = {}
        self.indicators: dict[str, int] = {}
        self.ignored: list[str] = []
        self.duplicates: list[str] = []
        role_keys: dict[str, str] = {}
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
                if (
                    role == "indicateur"
                    and role in self.roles
                    and "indicateur_libelle" not in self.roles
                    and (key in _CODE_KEYS) != (role_keys[role] in _CODE_KEYS)
                ):
                    if key in _CODE_KEYS:
                        self.roles["indicateur_libelle"] = self.roles["indicateur"]
                        self.roles["indicateur"] = idx
                    else:
                        self.roles["indicateur_libelle"] = idx
                elif role in self.roles:
                    self.duplicates.append(text)
                else:
                    self.roles[role] = idx
                    role_keys[role] = key
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
        has_period_or_pole = bool({"periode", "trimestre", "pole"} & set(self.roles))
        return (self.is_long and has_period_or_pole) or (
            self.is_wide and (has_period_or_pole or len(self.indicators) >= 3)
        )

    @property
    def evidence(self) -> int:
        """How much this row looks like an indicator table header (to explain a near miss)."""
        core = {"pole", "periode", "indicateur", "valeur"} & set(self.roles)
        return len(core) + (1 if self.indicators else 0)

    def missing_columns(self) -> str:
        """What a near-miss header lacks, in French."""
        if self.is_long or self.indicators:
            return "« période » (ou « année ») ou « pôle »"
        if "indicateur" in self.roles:
            return "« valeur »"
        if "valeur" in self.roles:
            return "« indicateur »"
        return "« indicateur » et « valeur » (ou d'une colonne par indicateur)"

    def found_columns(self) -> str:
        names = [f"« {FIELD_LABELS[r]} »" for r in self.roles if r in FIELD_LABELS]
        if self.indicators:
            names.append(f"{len(self.indicators)} indicateur(s)")
        return ", ".join(names)


def _title_context(
    rows: list[tuple[int, list[object]]], matcher: PoleMatcher, target: bool
) -> dict[str, Any]:
    """ "Pôle : PHARES" / "Année : 2016" written above the header, in one cell or two.

    `target`: the file holds targets, whose year may be one to come.
    """
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
                    context["periode"] = parse_period(value, target=target)
    return context


def _fr(number: float) -> str:
    """A number as French readers write it in a message: decimal comma."""
    return cell_text(number).replace(".", ",")


def _check_value(number: float, indicator: Indicator) -> None:
    label = f"« {indicator.libelle} »"
    if indicator.min is not None and number < indicator.min:
        if indicator.min == 0:
            raise ValueProblem(
                f"valeur négative ({_fr(number)}) impossible pour {label} : saisir un nombre positif "
                "ou nul (laisser vide si inconnu)"
            )
        raise ValueProblem(
            f"valeur {_fr(number)} inférieure au minimum ({_fr(indicator.min)}) pour {label} : "
            "vérifier la saisie"
        )
    if indicator.max is not None and number > indicator.max:
        raise ValueProblem(
            f"valeur {_fr(number)} hors de l'intervalle autorisé "
            f"({_fr(indicator.min or 0)} à {_fr(indicator.max)}) pour {label} : vérifier la saisie"
        )
    if abs(number) > MAX_PLAUSIBLE:
        raise ValueProblem(
            f"valeur {_fr(number)} invraisemblable pour {label} (plus de 10 millions) : "
            "vérifier l'unité et les séparateurs"
        )
    if indicator.entier and not float(number).is_integer():
        raise ValueProblem(
            f"valeur non entière ({_fr(number)}) pour {label}, "
            "qui se compte en nombres entiers : corriger la saisie"
        )


def _clean_comment(value: object) -> str | None:
    """A comment as text, without the invisible control characters odd encodings leave behind.

    Kept up to the comment limit (`qualite.yaml`), with a visible marker when cut.
    """
    if is_missing(value):
        return None
    text = _CONTROL.sub("", cell_text(value)).strip()
    return truncate_text(text, read_limits().comment_chars) if text else None


def _bounded(cells: list[object], keep: int | None, limit: int) -> list[object]:
    """Cells with every text but the comment (`keep`) cut to `limit` characters.

    No pole, period, indicator or value is that long: such a cell is refused anyway, and its
    quarantine row and reason then quote it at a bounded length.
    """
    if not any(isinstance(c, str) and len(c) > limit for c in cells):
        return cells
    return [truncate_text(c, limit) if isinstance(c, str) and i != keep else c for i, c in enumerate(cells)]


class _SheetLayout:
    """Merged ranges of a sheet, indexed for the parser (empty for CSV files)."""

    def __init__(self, sheet: Sheet) -> None:
        self.rows = dict(sheet.rows) if sheet.merged else {}
        # (row, col) of a cell hidden under a vertical merge -> row of the range's top-left cell.
        self.down: dict[int, dict[int, int]] = defaultdict(dict)
        # (row, col) of every cell of a merged range -> the range as Excel names it ("C5:C6").
        self.ranges: dict[tuple[int, int], str] = {}
        budget = MAX_MERGED_CELLS
        for min_col, min_row, max_col, max_row in sheet.merged:
            area = (max_col - min_col + 1) * (max_row - min_row + 1)
            if area > budget:
                continue
            budget -= area
            name = f"{column_letter(min_col)}{min_row}:{column_letter(max_col)}{max_row}"
            for row in range(min_row, max_row + 1):
                for col in range(min_col - 1, max_col):
                    self.ranges[(row, col)] = name
                if row > min_row:
                    self.down[row][min_col - 1] = min_row

    def filled(self, row_number: int, cells: list[object], columns: set[int] | None = None) -> list[object]:
        """`cells` with the cells under a vertical merge given the value Excel shows there."""
        below = self.down.get(row_number)
        if not below:
            return cells
        out = list(cells)
        for col, anchor_row in below.items():
            if columns is not None and col not in columns:
                continue
            anchor = self.rows.get(anchor_row, [])
            if col < len(anchor) and (col >= len(out) or out[col] is None):
                out.extend([None] * (col + 1 - len(out)))
                out[col] = anchor[col]
        return out


@dataclass(frozen=True)
class _FastPlan:
    """Columns the fast path reads in a sheet (`IndicatorFileParser._fast_row`)."""

    pole: int | None
    periode: int | None
    commentaire: int | None
    indicateur: int | None  # long form: the indicator and value columns
    valeur: int | None
    wide: tuple[tuple[str, int], ...]  # wide form: (code, column) of each indicator
    context_pole: str | None
    context_period: tuple[int, int | None] | None
    limit: int


class IndicatorFileParser:
    """Parses one indicator or target file into records, quarantine rows and a log entry."""

    def __init__(
        self, kind: str = "indicateurs", catalog: Catalog | None = None, poles: PoleSet | None = None
    ) -> None:
        if kind not in {"indicateurs", "objectifs"}:
            raise ValueError(kind)
        self.kind = kind
        # Targets are for years to come by nature: the future-period rule is for actual values only.
        self.is_target = kind == "objectifs"
        self.catalog = catalog or load_catalog()
        # The run's poles in force (the shipped twelve and `raw/poles/`); the shipped ones by default.
        self.poles = poles or shipped_poles()
        self.matcher = self.poles.matcher
        self._decimal_comma = True  # French conventions; set per file from its separator
        # Cell readings of the fast path (`_fast_row`), by cell: files repeat the same poles,
        # periods, codes and values. The readers are pure, so a reading holds for every file of
        # the run; a value's reading also depends on its indicator and the file's decimal mark.
        self._poles_read: dict[object, Any] = {}
        self._periods_read: dict[object, Any] = {}
        self._codes_read: dict[object, Any] = {}
        self._comments_read: dict[object, Any] = {}
        self._numbers_read: dict[tuple, Any] = {}

    def parse(self, path: Path, source_file: str) -> FileResult:
        """Never raises for bad content: an unreadable file gives a result with `error` set."""
        result = FileResult(
            source_file=source_file,
            kind=self.kind,
            file_format=path.suffix[1:].lower(),
            records=Records(RECORD_COLUMNS),
        )
        hidden: str | None = None
        try:
            sheets, details, hidden = read_into(result, path, source_file)
            self._parse_sheets(path, sheets, result, details)
        except IngestionError as exc:
            # A table missing because its rows or columns are hidden: the error says they are.
            result.error = exc.message + (f" {hidden}" if hidden else "")
            result.records.clear()
            result.quarantine.clear()
            result.notes.clear()
            result.rows_read = result.rows_loaded = 0
        return result

    def _parse_sheets(
        self, path: Path, sheets: list[Sheet], result: FileResult, details: dict[str, str]
    ) -> None:
        first_header: _Header | None = None
        near_miss: _Header | None = None
        hidden_tables: list[str] = []
        hidden_other: list[str] = []
        self._decimal_comma = details.get("separator_char") != ","
        for sheet in sheets:
            layout = _SheetLayout(sheet)
            header = self._find_header(sheet, layout)
            if header is None:
                if sheet.hidden and sheet.rows:
                    hidden_other.append(f"« {sheet.name} »")
                candidate = self._near_miss(sheet, layout)
                if (
                    candidate is not None
                    and not sheet.hidden
                    and (near_miss is None or candidate.evidence > near_miss.evidence)
                ):
                    near_miss = candidate
                continue
            if sheet.hidden:
                # The sender does not see a hidden sheet: its figures are not theirs to publish.
                n = sum(1 for r in sheet.rows if r[0] > header.row_number)
                if n:
                    hidden_tables.append(f"« {sheet.name} » ({n} ligne(s))")
                continue
            first_header = first_header or header
            if header.duplicates:
                raise IngestionError(
                    f"{result.source_file} : colonne(s) en double dans l'en-tête "
                    f"(ligne {header.row_number}) : {', '.join(header.duplicates)}. "
                    "Gardez une seule colonne par information."
                )
            above = [r for r in sheet.rows if r[0] < header.row_number]
            context = _title_context(above, self.matcher, self.is_target)
            if "pole" not in header.roles and "pole" not in context:
                pole = self.matcher.find(path.stem)
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
            width_check = sheet.name is None and details.get("separator_char") == ","
            if width_check and data_rows:
                # Rows uniformly one cell longer (a separator at the end of every line) are fine.
                widths = {len(cells) for _, cells in data_rows}
                extra_empty = all(not str(c).strip() for _, cells in data_rows for c in cells[header.width :])
                width_check = not (len(widths) == 1 and extra_empty)
            filled_columns = {header.roles[r] for r in _FILLED_ROLES if r in header.roles}
            fast = self._fast_plan(header, context, layout)
            for row_number, cells in data_rows:
                cells = layout.filled(row_number, cells, filled_columns)
                if width_check and len(cells) > header.width:
                    self._quarantine_wide_row(row_number, cells, header, context, result)
                    continue
                if fast is not None and self._fast_row(fast, row_number, cells, sheet.name, result):
                    continue
                self._parse_row(row_number, cells, header, context, sheet.name, result, layout)
        if first_header is None:
            if hidden_tables:
                raise IngestionError(
                    f"{result.source_file} : le tableau d'indicateurs se trouve dans une feuille "
                    f"masquée ({', '.join(hidden_tables)}), qui n'est pas lue. Affichez-la dans Excel "
                    "(clic droit sur un onglet > Afficher) et renvoyez le fichier."
                )
            if near_miss is not None:
                raise IngestionError(
                    f"{result.source_file} : en-tête incomplet ligne {near_miss.row_number} "
                    f"(colonnes reconnues : {near_miss.found_columns()}) : il manque la colonne "
                    f"{near_miss.missing_columns()}. Ajoutez-la, ou utilisez le modèle Excel fourni "
                    "par COORACE (commande « ptce template »)."
                )
            raise IngestionError(
                f"{result.source_file} : aucun tableau d'indicateurs reconnu. L'en-tête doit "
                "contenir « pôle », « période » et soit « indicateur » et « valeur », soit une "
                "colonne par indicateur (code ou libellé du catalogue). Utilisez le modèle Excel "
                "fourni par COORACE (commande « ptce template »)."
            )
        if result.rows_read == 0:
            raise IngestionError(
                f"{result.source_file} : aucune ligne de données sous l'en-tête (ligne "
                f"{first_header.row_number}) : le fichier ne contient que les titres des colonnes. "
                "Complétez le tableau et renvoyez-le."
            )
        if hidden_tables:
            result.notes.append(
                f"Feuille(s) masquée(s) ignorée(s) : {', '.join(hidden_tables)}. Si ces chiffres "
                "doivent être intégrés, affichez la feuille dans Excel (clic droit sur un onglet > "
                "Afficher) et renvoyez le fichier."
            )
        if hidden_other:
            # Lists behind drop-down menus, mostly: nothing to load, but not silently skipped.
            result.infos.append(
                f"Feuille(s) masquée(s) sans tableau d'indicateurs, non lue(s) : {', '.join(hidden_other)}."
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

    def _find_header(self, sheet: Sheet, layout: _SheetLayout) -> _Header | None:
        for row_number, cells in sheet.rows[:HEADER_SCAN_ROWS]:
            # A title merged down over two header rows counts on both (the lower one is the header).
            header = _Header(row_number, layout.filled(row_number, cells), self.catalog, self.kind)
            if header.plausible():
                return header
        return None

    def _near_miss(self, sheet: Sheet, layout: _SheetLayout) -> _Header | None:
        best: _Header | None = None
        for row_number, cells in sheet.rows[:HEADER_SCAN_ROWS]:
            header = _Header(row_number, layout.filled(row_number, cells), self.catalog, self.kind)
            if header.evidence >= 2 and (best is None or header.evidence > best.evidence):
                best = header
        return best

    def _fast_plan(self, header: _Header, context: dict[str, Any], layout: _SheetLayout) -> _FastPlan | None:
        """Where the fast path reads a sheet's rows; None when its rows need the full reader.

        Merged cells, a separate quarter column and a label column checked against the code column
        are left to `_parse_row`, rows and all.
        """
        if layout.ranges or "trimestre" in header.roles or "indicateur_libelle" in header.roles:
            return None
        roles = header.roles
        period = context.get("periode")
        if "periode" not in roles and (period is None or (self.is_target and period[1] is not None)):
            return None  # no period, or a quarterly target: every row has a problem to explain
        return _FastPlan(
            pole=roles.get("pole"),
            periode=roles.get("periode"),
            commentaire=roles.get("commentaire"),
            indicateur=roles["indicateur"] if header.is_long else None,
            valeur=roles["valeur"] if header.is_long else None,
            wide=tuple(header.indicators.items()),
            context_pole=context.get("pole"),
            context_period=context.get("periode"),
            limit=read_limits().quoted_chars,
        )

    def _fast_row(
        self, plan: _FastPlan, row_number: int, cells: list[object], sheet: str | None, result: FileResult
    ) -> bool:
        """Load a row whose every cell reads without a problem, as `_parse_row` would; else False.

        Each distinct cell is read once by the same readers as `_parse_row` (memoised: files repeat
        the same poles, periods, codes and values), so a row loaded here is loaded there with the
        same values. A row with anything to explain (a problem, an overlong cell) goes to
        `_parse_row`, which writes its quarantine rows: the French reasons have one author.
        """
        n = len(cells)
        if plan.pole is None:
            pole_id = plan.context_pole
        else:
            raw = cells[plan.pole] if plan.pole < n else None
            pole_id = self._poles_read.get(raw if type(raw) is str else (type(raw), raw), _SLOW)
            if pole_id is _SLOW:
                pole_id = self._remember(self._poles_read, raw, self._read_pole, plan.limit)
            if pole_id is _SLOW:
                return False
        if plan.periode is None:
            period = plan.context_period
        else:
            raw = cells[plan.periode] if plan.periode < n else None
            period = self._periods_read.get(raw if type(raw) is str else (type(raw), raw), _SLOW)
            if period is _SLOW:
                period = self._remember(self._periods_read, raw, self._read_period, plan.limit)
            if period is _SLOW:
                return False
        comment = None
        if plan.commentaire is not None:
            raw = cells[plan.commentaire] if plan.commentaire < n else None
            comment = self._comments_read.get(raw if type(raw) is str else (type(raw), raw), _SLOW)
            if comment is _SLOW:
                # The comment is the one cell not cut to the quoting limit (`_bounded`).
                comment = self._remember(self._comments_read, raw, _clean_comment, None)
        numbers = self._numbers_read
        decimal_comma = self._decimal_comma
        values: list[tuple[str, float]] = []
        if plan.indicateur is not None:
            raw = cells[plan.indicateur] if plan.indicateur < n else None
            code = self._codes_read.get(raw if type(raw) is str else (type(raw), raw), _SLOW)
            if code is _SLOW:
                code = self._remember(self._codes_read, raw, self._read_code, plan.limit)
            if code is _SLOW:
                return False
            raw = cells[plan.valeur] if plan.valeur < n else None  # type: ignore[operator]
            key = (code, decimal_comma, raw if type(raw) is str else (type(raw), raw))
            number = numbers.get(key, _SLOW)
            if number is _SLOW:
                number = numbers[key] = self._read_number(code, raw, plan.limit)
            if number is _SLOW or number is _EMPTY:
                return False
            values.append((code, number))
        else:
            for code, idx in plan.wide:
                raw = cells[idx] if idx < n else None
                key = (code, decimal_comma, raw if type(raw) is str else (type(raw), raw))
                number = numbers.get(key, _SLOW)
                if number is _SLOW:
                    number = numbers[key] = self._read_number(code, raw, plan.limit)
                if number is _SLOW:
                    return False
                if number is not _EMPTY:
                    values.append((code, number))
            if not values:
                return False
        year, quarter = period
        add = result.records.add  # type: ignore[union-attr]
        for code, number in values:
            add(pole_id, year, quarter, code, number, comment, result.source_file, row_number, sheet)
        result.rows_read += 1
        result.rows_loaded += 1
        return True

    @staticmethod
    def _remember(memo: dict[object, Any], raw: object, reader: Any, limit: int | None) -> Any:
        """`reader(raw)` stored in `memo`; a text over `limit` needs the full reader (`_bounded`)."""
        too_long = limit is not None and isinstance(raw, str) and len(raw) > limit
        reading = _SLOW if too_long else reader(raw)
        memo[raw if type(raw) is str else (type(raw), raw)] = reading
        return reading

    def _read_pole(self, raw: object) -> Any:
        if is_missing(raw):
            return _SLOW
        pole_id = self.matcher.match(raw)
        return _SLOW if pole_id is None else pole_id

    def _read_period(self, raw: object) -> Any:
        try:
            period = parse_period(raw if not is_missing(raw) else None, target=self.is_target)
        except ValueProblem:
            return _SLOW
        # A quarterly target is refused (`_parse_row` says why).
        return _SLOW if self.kind == "objectifs" and period[1] is not None else period

    def _read_code(self, raw: object) -> Any:
        if is_missing(raw):
            return _SLOW
        code = self.catalog.match(raw)
        return _SLOW if code is None else code

    def _read_number(self, code: str, raw: object, limit: int) -> Any:
        """A value cell's number for `code`; `_EMPTY` when empty, `_SLOW` when it needs explaining."""
        if isinstance(raw, str) and len(raw) > limit:
            return _SLOW
        if is_missing(raw):
            return _EMPTY
        try:
            return self._number(raw, self.catalog.get(code))
        except ValueProblem:
            return _SLOW

    def _quarantine_wide_row(
        self,
        row_number: int,
        cells: list[object],
        header: _Header,
        context: dict[str, Any],
        result: FileResult,
    ) -> None:
        """A comma-separated row longer than its header: a decimal comma split a number in two."""
        result.rows_read += 1
        pole_id = context.get("pole")
        if "pole" in header.roles and header.roles["pole"] < len(cells):
            pole_id = self.matcher.match(cells[header.roles["pole"]]) or pole_id
        reason = (
            f"la ligne compte {len(cells)} cellules pour {header.width} colonnes d'en-tête : dans ce "
            "fichier séparé par des virgules, une virgule décimale (12,5) coupe un nombre en deux. "
            'Mettre les nombres décimaux entre guillemets ("12,5"), écrire 12.5, ou enregistrer le '
            "fichier au format « CSV (séparateur : point-virgule) »"
        )
        result.quarantine.append(
            QuarantineRecord(
                source_file=result.source_file,
                row_number=row_number,
                field=FIELD_LABELS["colonnes"],
                value=",".join(cell_text(c) for c in cells),
                reason=f"{result.source_file}, ligne {row_number}, champ colonnes : {reason}",
                pole_id=pole_id,
                sheet=None,
            )
        )

    def _parse_row(
        self,
        row_number: int,
        cells: list[object],
        header: _Header,
        context: dict[str, Any],
        sheet: str | None,
        result: FileResult,
        layout: _SheetLayout,
    ) -> None:
        result.rows_read += 1
        problems: list[tuple[str, str, str]] = []  # (field, value, reason)
        cells = _bounded(cells, header.roles.get("commentaire"), read_limits().quoted_chars)

        def cell(idx: int | None) -> object:
            return cells[idx] if idx is not None and idx < len(cells) else None

        def merged_value(field: str, idx: int) -> bool:
            """A value cell inside a merged range stands for several rows or indicators: refused."""
            where = layout.ranges.get((row_number, idx))
            if where is None:
                return False
            problems.append(
                (
                    field,
                    cell_text(cell(idx)),
                    f"cellule fusionnée ({where}) : une valeur par ligne et par indicateur ; "
                    "défusionner les cellules et saisir la valeur de chaque ligne",
                )
            )
            return True

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
                            formula_reason(raw)
                            or f"pôle « {cell_text(raw)} » inconnu : indiquer le numéro "
                            f"({self.poles.numbers}) ou le nom d'un pôle de la communauté",
                        )
                    )
        period: tuple[int, int | None] | None = context.get("periode")
        if "periode" in header.roles:
            raw = cell(header.roles["periode"])
            try:
                period = parse_period(raw if not is_missing(raw) else None, target=self.is_target)
            except ValueProblem as exc:
                problems.append(("periode", cell_text(raw), exc.reason))
                period = None
        if "trimestre" in header.roles and period is not None:
            # The quarter column applies whether the year comes from a column or from a title row.
            raw_q = cell(header.roles["trimestre"])
            try:
                quarter = parse_quarter(raw_q)
                if quarter is not None and period[1] is not None and period[1] != quarter:
                    raise ValueProblem(
                        f"trimestre « {cell_text(raw_q)} » différent de celui de la période "
                        f"(T{period[1]} {period[0]}) : n'en indiquer qu'un"
                    )
                if quarter is not None:
                    period = parse_period(f"{period[0]}-T{quarter}", target=self.is_target)
            except ValueProblem as exc:
                problems.append(("trimestre", cell_text(raw_q), exc.reason))
                period = None
        if period is not None and self.kind == "objectifs" and period[1] is not None:
            problems.append(
                (
                    "periode",
                    f"T{period[1]} {period[0]}",
                    "objectif trimestriel : donner l'objectif annuel",
                )
            )
        comment = _clean_comment(cell(header.roles["commentaire"])) if "commentaire" in header.roles else None

        values: list[tuple[str, float]] = []
        if header.is_long:
            code = self._long_indicator(cell(header.roles["indicateur"]), header, cell, problems)
            raw_val = cell(header.roles["valeur"])
            if merged_value("valeur", header.roles["valeur"]):
                pass
            elif is_missing(raw_val):
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
                    if code is not None:
                        values.append((code, self._number(raw_val, self.catalog.get(code))))
                    else:
                        parse_number(raw_val)
                except ValueProblem as exc:
                    problems.append(("valeur", cell_text(raw_val), exc.reason))
        else:
            for code, idx in header.indicators.items():
                raw_val = cell(idx)
                if merged_value(code, idx) or is_missing(raw_val):
                    continue
                try:
                    values.append((code, self._number(raw_val, self.catalog.get(code))))
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
            row_code = code if header.is_long else None
            for field, value, reason in problems:
                # In a wide file the field of a bad value is its indicator's column.
                indicator = row_code or (field if field in self.catalog.codes else None)
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
                        annee=period[0] if period else None,
                        trimestre=period[1] if period else None,
                        indicateur=indicator,
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

    def _number(self, raw: object, indicator: Indicator) -> float:
        """The value of `raw` for `indicator`, or `ValueProblem` (ambiguous, unreadable, out of range)."""
        ambiguous = reading_problem(raw, indicator, decimal_comma=self._decimal_comma)
        if ambiguous:
            raise ValueProblem(ambiguous)
        number = parse_number(raw)
        _check_value(number, indicator)
        return number

    def _long_indicator(
        self,
        raw_ind: object,
        header: _Header,
        cell: Any,
        problems: list[tuple[str, str, str]],
    ) -> str | None:
        """The indicator of a long row: its code column, checked against the label column if any."""
        raw_label = None
        if "indicateur_libelle" in header.roles:
            raw_label = cell(header.roles["indicateur_libelle"])
            if is_missing(raw_ind) and not is_missing(raw_label):
                raw_ind, raw_label = raw_label, None
        if is_missing(raw_ind):
            problems.append(
                (
                    "indicateur",
                    "",
                    "indicateur non renseigné : indiquer un code ou un libellé du catalogue "
                    "(ex. « salaries » ou « Salariés des structures membres »)",
                )
            )
            return None
        code = self.catalog.match(raw_ind)
        if code is None:
            problems.append(
                (
                    "indicateur",
                    cell_text(raw_ind),
                    formula_reason(raw_ind)
                    or f"indicateur « {cell_text(raw_ind)} » inconnu : utiliser un code ou un "
                    "libellé du catalogue (ex. « salaries » ou « Salariés des structures "
                    "membres »)",
                )
            )
            return None
        if raw_label is not None and not is_missing(raw_label):
            other = self.catalog.match(raw_label)
            if other != code:
                problems.append(
                    (
                        "indicateur_libelle",
                        cell_text(raw_label),
                        f"le libellé « {cell_text(raw_label)} » ne correspond pas au code "
                        f"« {cell_text(raw_ind)} » ({self.catalog.label(code)}) : corriger l'un des deux",
                    )
                )
                return None
        return code

    def _quarantine_conflicts(self, result: FileResult) -> None:
        """Same pole, period and indicator twice in one file with different values: a conflict.

        Every row involved goes to quarantine (nothing is silently chosen); an exact repetition is
        harmless and kept once. Linear in the number of records: files can be large.
        """
        if isinstance(result.records, Records):
            data = result.records.data
            keys = list(zip(data["pole_id"], data["annee"], data["trimestre"], data["code"], strict=True))
            if len(set(keys)) == len(keys):
                return  # no pole, period and indicator twice: nothing to settle (the usual file)
        by_key: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
        for rec in result.records:
            by_key[(rec["pole_id"], rec["annee"], rec["trimestre"], rec["code"])].append(rec)
        # (sheet, row) -> [(value, reason)], and the row's pole, for each conflicting row.
        conflicts: dict[tuple[str | None, int], list[tuple[str, str]]] = defaultdict(list)
        pole_of_row: dict[tuple[str | None, int], str] = {}
        key_of_row: dict[tuple[str | None, int], tuple] = {}
        for key, recs in by_key.items():
            if len({r["valeur"] for r in recs}) == 1:
                continue
            places = sorted({(r["sheet"] or "", r["row_number"]) for r in recs})
            for r in recs:
                here = (r["sheet"] or "", r["row_number"])
                others = []
                for sheet, row in places:  # the first few suffice: the reason stays short
                    if (sheet, row) != here:
                        others.append(str(row) if sheet == here[0] else f"{row} (feuille « {sheet} »)")
                        if len(others) == 5:
                            break
                n_others = len(places) - 1  # `here` is one of the places
                shown = ", ".join(others) + (f" et {n_others - 5} autre(s)" if n_others > 5 else "")
                where = (r["sheet"], r["row_number"])
                pole_of_row[where] = r["pole_id"]
                key_of_row[where] = key
                conflicts[where].append(
                    (
                        cell_text(r["valeur"]),
                        f"{self.catalog.label(key[3])} {cell_text(r['valeur'])} en conflit avec la "
                        f"ligne {shown} (même pôle, période et indicateur, autre valeur) : "
                        "garder une seule valeur",
                    )
                )
        # Exact repetitions are kept once, from a row that is not itself in conflict on another value.
        kept: list[dict[str, Any]] = []
        seen: set[tuple] = set()
        for rec in result.records:
            key = (rec["pole_id"], rec["annee"], rec["trimestre"], rec["code"])
            if (rec["sheet"], rec["row_number"]) in conflicts or key in seen:
                continue
            seen.add(key)
            kept.append(rec)
        result.records = Records(RECORD_COLUMNS)
        for rec in kept:
            result.records.append(rec)
        for (sheet, row_number), entries in sorted(conflicts.items(), key=lambda x: (x[0][0] or "", x[0][1])):
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
                        annee=key_of_row[(sheet, row_number)][1],
                        trimestre=key_of_row[(sheet, row_number)][2],
                        indicateur=key_of_row[(sheet, row_number)][3],
                    )
                )
            result.rows_loaded -= 1

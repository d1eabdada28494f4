"""Parser of person-level pathway files (`raw/parcours/`): one row per person and stay in a structure.

Same reading rules as the indicator files (`pipelines.shared.readers`): CSV in any French Excel
encoding and separator, XLSX with title rows above the header, hidden rows and sheets left out and
noted, formulas refused, headers matched insensitively. The pole is given in a column, in a title
row (« Pôle : PHARES ») or by the file name.

Personal data: the person identifier is replaced by its pseudonym (`pseudonym.pseudonymise`) as soon
as the row is read; a birth date only gives the age band at the date of entry. Columns outside the
schema (name, address, phone, social security number, comments…) are never read: the file's log
names them by their header only. Quarantine rows name the person by pseudonym (when the identifier
was readable) and never quote an identifier or a birth date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.pathways.exits import load_exit_mapping
from pipelines.pathways.fields import (
    FIRST_ENTRY_YEAR,
    age_band,
    check_birth,
    flag_column_uses_ticks,
    parse_age_band,
    parse_flag,
    parse_hours,
    parse_sex,
)
from pipelines.pathways.pseudonym import (
    DEMO_KEY_NOTE,
    NO_KEY_ERROR,
    PseudonymKey,
    normalise_identifier,
    pseudonym_of,
    pseudonymise,
)
from pipelines.shared.dates import parse_date
from pipelines.shared.readers import Sheet, hidden_sheets_note, read_into
from pipelines.shared.results import FileResult, IngestionError, Records
from pipelines.shared.values import ValueProblem, cell_text, formula_reason, header_roles, is_missing
from ptce.reference import PoleMatcher, PoleSet, shipped_poles
from ptce.text import normalize_key

KIND = "parcours"
HEADER_SCAN_ROWS = 20
MAX_IDENTIFIER_CHARS = 64  # an identifier is a short code: longer text is something else
MAX_STRUCTURE_CHARS = 200
MASKED = "[masquée]"  # what the quarantine shows instead of a personal value

# Column roles and the normalised headers that name them (`ptce.text.normalize_key`).
ROLE_ALIASES: dict[str, set[str]] = {
    "identifiant": {
        "identifiant",
        "id",
        "idpersonne",
        "identifiantpersonne",
        "identifiantdelapersonne",
        "identifiantindividu",
        "npersonne",
        "nopersonne",
        "numpersonne",
        "numeropersonne",
        "ndepersonne",
        "numerodepersonne",
        "codepersonne",
        "refpersonne",
        "referencepersonne",
        "nsalarie",
        "idsalarie",
        "identifiantsalarie",
        "nbeneficiaire",
        "idbeneficiaire",
        "identifiantbeneficiaire",
    },
    "pole": {
        "pole",
        "poleid",
        "idpole",
        "codepole",
        "numeropole",
        "numerodupole",
        "npole",
        "nopole",
        "ptce",
        "nomduptce",
        "nomdupole",
        "nompole",
    },
    "structure": {
        "structure",
        "structuremembre",
        "structuremembredupole",
        "siae",
        "structuresiae",
        "structuredaccueil",
        "structuredaccompagnement",
        "nomdelastructure",
        "structureemployeuse",
        "membre",
    },
    "date_entree": {
        "dateentree",
        "datedentree",
        "entree",
        "dateentreeenparcours",
        "datedentreeenparcours",
        "dateentreeparcours",
        "datedebut",
        "datededebut",
        "debut",
        "debutdeparcours",
    },
    "date_sortie": {
        "datesortie",
        "datedesortie",
        "sortie",
        "datesortieparcours",
        "datedesortiedeparcours",
        "datedefin",
        "datefin",
        "fin",
        "findeparcours",
    },
    "motif_sortie": {
        "motifsortie",
        "motifdesortie",
        "motif",
        "categoriesortie",
        "categoriedesortie",
        "typesortie",
        "typedesortie",
        "situationsortie",
        "situationalasortie",
        "sortievers",
    },
    "sexe": {"sexe", "genre", "sex"},
    "date_naissance": {"datenaissance", "datedenaissance", "naissance", "nele", "nee", "nelenee"},
    "tranche_age": {"trancheage", "tranchedage", "classeage", "classedage", "trancheagealentree"},
    "deld": {"deld", "demandeurdemploidelongueduree", "chomeurdelongueduree"},
    "rsa": {"rsa", "beneficiairersa", "beneficiairedursa", "allocatairersa"},
    "qpv": {"qpv", "residentqpv", "habitantqpv", "quartierprioritaire", "residentquartierprioritaire"},
    "rqth": {"rqth", "travailleurhandicape", "reconnaissancetravailleurhandicape"},
    "heures_formation": {
        "heuresformation",
        "heuresdeformation",
        "nbheuresformation",
        "nbheuresdeformation",
        "nombreheuresformation",
        "nombredheuresdeformation",
        "formationheures",
        "heuresdeformationsuivies",
    },
    "certification": {
        "certification",
        "certificationobtenue",
        "certificationqualification",
        "qualificationobtenue",
        "certificationouqualificationobtenue",
    },
}
_ROLE_BY_KEY = {alias: role for role, aliases in ROLE_ALIASES.items() for alias in aliases}
FLAG_ROLES = ("deld", "rsa", "qpv", "rqth", "certification")

# How each field is named to the sender (quarantine `field`, reasons).
FIELD_LABELS = {
    "identifiant": "identifiant",
    "pole": "pôle",
    "structure": "structure",
    "date_entree": "date d'entrée",
    "date_sortie": "date de sortie",
    "motif_sortie": "motif de sortie",
    "sexe": "sexe",
    "date_naissance": "date de naissance",
    "tranche_age": "tranche d'âge",
    "deld": "DELD",
    "rsa": "RSA",
    "qpv": "QPV",
    "rqth": "RQTH",
    "heures_formation": "heures de formation",
    "certification": "certification obtenue",
    "ligne": "ligne",
}
_TITLE_POLE_KEYS = ROLE_ALIASES["pole"]
REQUIRED = ("identifiant", "date_entree")
# The columns of a loaded stay (`FileResult.records`), in the order of the staging table.
RECORD_COLUMNS = (
    "person_key",
    "pole_id",
    "structure",
    "date_entree",
    "date_sortie",
    "categorie_sortie",
    "motif_regle",
    "sexe",
    "tranche_age",
    *FLAG_ROLES,
    "heures_formation",
    "source_file",
    "row_number",
    "sheet",
)
# What the fast path's memos hold for a cell that needs the full row reader (a problem to explain),
# and for an empty cell.
_SLOW = object()
_EMPTY = object()
# Pseudonyms remembered by the fast path, by pole and normalised identifier: a pole's files come one
# after the other (path order), so a bounded memo serves a person's stays in each yearly file
# without growing with the network.
MAX_REMEMBERED_PERSONS = 200_000
DATE_ROLES = ("date_entree", "date_sortie")


@dataclass
class _Header:
    row_number: int
    roles: dict[str, int]
    ignored: list[str]

    @property
    def plausible(self) -> bool:
        return all(r in self.roles for r in REQUIRED) and len(self.roles) >= 3


def _header(row_number: int, cells: list[object]) -> _Header:
    return _Header(row_number, *header_roles(cells, _ROLE_BY_KEY))


def _title_pole(rows: list[tuple[int, list[object]]], matcher: PoleMatcher) -> str | None:
    """ "Pôle : PHARES" written above the header, in one cell or in two."""
    for _, cells in rows:
        texts = [cell_text(c) for c in cells if cell_text(c)]
        for i, text in enumerate(texts):
            key, sep, value = text.partition(":")
            if not sep:
                key, value = text, ""
            if normalize_key(key) not in _TITLE_POLE_KEYS:
                continue
            value = value.strip() or (texts[i + 1] if i + 1 < len(texts) else "")
            pole = matcher.match(value) or matcher.find(value)
            if pole:
                return pole
    return None


class PathwayFileParser:
    """Parses one pathway file into stays (pseudonymised), quarantine rows and a log entry."""

    def __init__(self, key: PseudonymKey, today: date | None = None, poles: PoleSet | None = None) -> None:
        self.key = key
        self.today = today or date.today()
        # The run's poles in force (the shipped twelve and `raw/poles/`); the shipped ones by default.
        self.poles = poles or shipped_poles()
        self.matcher = self.poles.matcher
        self.exits = load_exit_mapping()
        self._memo: dict[tuple, tuple[Any, str | None]] = {}
        self._exit_memo: dict[str, Any] = {}
        # Cell readings of the fast path (`_parse_body`), by column, and pseudonyms by pole and cell.
        self._read: dict[str, dict[object, Any]] = {}
        self._persons: dict[tuple[str, str], str] = {}

    def parse(self, path: Path, source_file: str) -> FileResult:
        """Never raises for bad content: an unreadable file (or no key) gives `error`."""
        result = FileResult(
            source_file=source_file,
            kind=KIND,
            file_format=path.suffix[1:].lower(),
            records=Records(RECORD_COLUMNS),
        )
        if self.key.key is None:
            result.error = NO_KEY_ERROR.format(source_file=source_file)
            return result
        try:
            sheets, _, _ = read_into(result, path, source_file)
            self._parse_sheets(path, sheets, result)
        except IngestionError as exc:
            result.error = exc.message
            result.records.clear()
            result.quarantine.clear()
            result.rows_read = result.rows_loaded = 0
        if self.key.demo and result.error is None:
            result.infos.append(DEMO_KEY_NOTE)
        return result

    def _parse_sheets(self, path: Path, sheets: list[Sheet], result: FileResult) -> None:
        found = False
        hidden_tables: list[str] = []
        ignored: list[str] = []
        for sheet in sheets:
            header = None
            for row_number, cells in sheet.rows[:HEADER_SCAN_ROWS]:
                candidate = _header(row_number, cells)
                if candidate.plausible:
                    header = candidate
                    break
            if header is None:
                continue
            if sheet.hidden:
                hidden_tables.append(sheet.name or "")
                continue
            found = True
            above = [(n, c) for n, c in sheet.rows if n < header.row_number]
            title_pole = _title_pole(above, self.matcher)

            def context_pole(title_pole: str | None = title_pole) -> str | None:
                """The pole of rows without one: the title row's, else the file name's (read only
                when a row needs it: thousands of files name their pole in a column)."""
                return title_pole or self.matcher.find(path.stem)

            for name in header.ignored:
                if name not in ignored:
                    ignored.append(name)
            body = _fill_merged(sheet, header, [(n, c) for n, c in sheet.rows if n > header.row_number])
            if "pole" not in header.roles and context_pole() is None:
                raise IngestionError(
                    f"{result.source_file} : pôle introuvable : ni colonne « Pôle », ni ligne « Pôle : … » "
                    "au-dessus du tableau, ni nom de pôle dans le nom du fichier. Ajoutez la colonne "
                    f"« Pôle » (numéro {self.poles.numbers} ou nom) et renvoyez le fichier."
                )
            sheet_name = sheet.name if len(sheets) > 1 else None
            self._parse_body(body, header, context_pole, sheet_name, result)
        if found and result.rows_read == 0:
            # Headers and nothing under them: not silently « ok », the pole may have sent the model.
            result.notes.append(
                f"{result.source_file} : aucune ligne de parcours sous les en-têtes : le tableau est vide. "
                "Vérifiez que le bon fichier a été déposé et renvoyez-le avec une ligne par personne et "
                "par étape."
            )
        if hidden_tables:
            result.notes.append(hidden_sheets_note(hidden_tables, "parcours"))
        if not found:
            raise IngestionError(
                f"{result.source_file} : aucun tableau de parcours reconnu (en-têtes attendus dans les "
                f"{HEADER_SCAN_ROWS} premières lignes : « Identifiant », « Pôle », « Structure », « Date "
                "d'entrée », « Date de sortie », « Motif de sortie »…). Vérifiez les en-têtes et renvoyez "
                "le fichier."
            )
        if ignored:
            names = ", ".join(f"« {cell_text(n)[:60]} »" for n in ignored[:30])
            more = f" et {len(ignored) - 30} autre(s)" if len(ignored) > 30 else ""
            result.infos.append(
                f"Colonnes non lues (hors du modèle des parcours, rien n'en est conservé) : {names}{more}."
            )

    def _parse_body(
        self,
        body: list[tuple[int, list[object]]],
        header: _Header,
        context_pole: Callable[[], str | None],
        sheet: str | None,
        result: FileResult,
    ) -> None:
        """Every row of a table, in order: loaded by the fast path when all its cells read without
        a problem, else by `_parse_row`, which alone writes quarantine rows and their reasons.

        The fast path reads each column through a memo of its distinct cells (files repeat the same
        poles, structures, dates, motifs and identifiers), with `_parse_row`'s own rules (the
        `_fast_…` readers), so a row it loads is loaded there with the same stay.
        """
        roles = header.roles
        cells_of = {
            role: [cells[idx] if idx < len(cells) else None for _, cells in body]
            for role, idx in roles.items()
        }
        ticks = {role: flag_column_uses_ticks(cells_of[role]) for role in FLAG_ROLES if role in roles}

        def column(role: str, reader: Any, memo_name: str | None = None) -> list[Any]:
            return self._read_column(memo_name or role, reader, cells_of.get(role) or [None] * len(body))

        poles = column("pole", self._fast_pole)
        # The title's or the file name's pole, for rows whose pole cell is empty (if any).
        default_pole = context_pole() if "pole" not in roles or _EMPTY in poles else None
        columns = [
            poles,
            column("identifiant", self._fast_identifier),
            column("structure", self._fast_structure),
            column("date_entree", self._fast_entry),
            column("date_sortie", self._fast_exit),
            column("motif_sortie", self._fast_motif),
            column("sexe", self._fast_sex),
            column("date_naissance", self._fast_birth),
            column("tranche_age", self._fast_band),
            column("heures_formation", self._fast_hours),
        ]
        for role in FLAG_ROLES:
            # A tick column reads an empty cell as « non »: its readings are remembered apart.
            tick = ticks.get(role, False)
            columns.append(column(role, self._fast_tick if tick else self._fast_flag, f"{role}/{tick}"))
        seen: dict[tuple, int] = {}
        persons = self._persons
        source = result.source_file
        loaded: list[tuple] = []  # rows of the fast path, stored in order before any other row

        def slow(row_number: int, cells: list[object]) -> None:
            self._store(result, loaded)
            self._parse_row(row_number, cells, header, default_pole, ticks, sheet, result, seen)

        for (row_number, cells), *readings in zip(body, *columns, strict=True):
            pole_id, identifier, structure, entry, exit_date, motif, sex, birth, band, hours, *flags = (
                readings
            )
            if pole_id is _EMPTY:
                pole_id = default_pole
            person_key = _SLOW
            if pole_id is not _SLOW and pole_id is not None and identifier is not _SLOW:
                person_key = persons.get((pole_id, identifier))
                if person_key is None:
                    if len(persons) >= MAX_REMEMBERED_PERSONS:
                        persons.clear()
                    assert self.key.key is not None
                    person_key = persons[pole_id, identifier] = pseudonym_of(
                        self.key.key, pole_id, identifier
                    )
            stay = self._fast_stay(person_key, pole_id, structure, entry, exit_date, motif, birth, band)
            if stay is None or _SLOW in (sex, hours, *flags) or stay[0] in seen:
                # Something to explain (or the same stay twice in the file): `_parse_row` says what.
                slow(row_number, cells)
                continue
            stay_key, band = stay
            seen[stay_key] = row_number
            category, rule = (None, None) if motif is _EMPTY else motif
            exit_date = None if exit_date is _EMPTY else exit_date
            stay_row = (person_key, pole_id, structure[0], entry, exit_date, category, rule, sex, band)
            loaded.append((*stay_row, *flags, hours, source, row_number, sheet))
        self._store(result, loaded)

    @staticmethod
    def _store(result: FileResult, loaded: list[tuple]) -> None:
        """Move the fast path's rows into the file's records (each row read and loaded)."""
        result.records.extend_rows(loaded)  # type: ignore[union-attr]
        result.rows_read += len(loaded)
        result.rows_loaded += len(loaded)
        loaded.clear()

    def _read_column(self, memo_name: str, reader: Any, raws: list[object]) -> list[Any]:
        """`reader` of each cell of a column, each distinct cell read once per run."""
        memo = self._read.setdefault(memo_name, {})
        out = []
        for raw in raws:
            key = raw if type(raw) is str else (type(raw), raw)
            try:
                out.append(memo[key])
            except KeyError:
                out.append(memo.setdefault(key, reader(raw)))
        return out

    @staticmethod
    def _fast_stay(
        person_key: Any,
        pole_id: Any,
        structure: Any,
        entry: Any,
        exit_date: Any,
        motif: Any,
        birth: Any,
        band: Any,
    ) -> tuple[tuple, str | None] | None:
        """(stay key, age band) of a row whose readings go together, None when `_parse_row` must
        explain something: an unreadable cell, an exit before entry, a motif without exit date
        (or the reverse), a birth date that does not fit the entry."""
        if _SLOW in (person_key, pole_id, structure, entry, exit_date, motif, birth) or entry is _EMPTY:
            return None
        if pole_id is None or (exit_date is not _EMPTY and exit_date < entry):
            return None
        if (motif is _EMPTY) != (exit_date is _EMPTY):
            return None
        if birth is not _EMPTY:
            try:
                check_birth(birth, entry)
            except ValueProblem:
                return None
            band = age_band(birth, entry)  # the birth date decides; the age band column is not read
        elif band is _SLOW:
            return None
        return (person_key, pole_id, structure[1], entry), band

    # The fast path's readers: `_parse_row`'s rules for one cell, `_SLOW` where it finds a problem.

    def _fast_pole(self, raw: object) -> Any:
        if is_missing(raw):
            return _EMPTY  # the title row's or the file name's pole, if any
        return self.matcher.match(raw) or self.matcher.find(raw) or _SLOW

    def _fast_identifier(self, raw: object) -> Any:
        """The identifier as its pseudonym is computed from it (`normalise_identifier`)."""
        if is_missing(raw) or formula_reason(raw) or len(cell_text(raw)) > MAX_IDENTIFIER_CHARS:
            return _SLOW
        if _is_date(raw):
            return _SLOW
        return normalise_identifier(cell_text(raw))

    def _fast_structure(self, raw: object) -> Any:
        if is_missing(raw) or formula_reason(raw) or cell_text(raw).startswith(_FORMULA_STARTS):
            return _SLOW
        if len(cell_text(raw)) > MAX_STRUCTURE_CHARS:
            return _SLOW
        structure = " ".join(cell_text(raw).split())
        return structure, normalize_key(structure)

    def _fast_date(self, raw: object) -> Any:
        if is_missing(raw):
            return _EMPTY
        try:
            return parse_date(raw)
        except ValueProblem:
            return _SLOW

    def _fast_entry(self, raw: object) -> Any:
        entry = self._fast_date(raw)
        if isinstance(entry, date) and (entry > self.today or entry.year < FIRST_ENTRY_YEAR):
            return _SLOW
        return entry

    def _fast_exit(self, raw: object) -> Any:
        exit_date = self._fast_date(raw)
        return _SLOW if isinstance(exit_date, date) and exit_date > self.today else exit_date

    def _fast_motif(self, raw: object) -> Any:
        if is_missing(raw):
            return _EMPTY
        text = cell_text(raw)
        if formula_reason(raw) or text.startswith(_FORMULA_STARTS):
            return _SLOW
        exit_reading = self.exits.classify(text)
        if exit_reading.problem is not None or exit_reading.category is None:
            return _SLOW
        return exit_reading.category, exit_reading.rule

    def _fast_birth(self, raw: object) -> Any:
        if is_missing(raw):
            return _EMPTY
        try:
            return parse_date(raw, birth=True, today=self.today)
        except ValueProblem:
            return _SLOW

    @staticmethod
    def _guarded(reader: Any, raw: object) -> Any:
        try:
            return reader(raw)
        except ValueProblem:
            return _SLOW

    def _fast_sex(self, raw: object) -> Any:
        return self._guarded(parse_sex, raw)

    def _fast_band(self, raw: object) -> Any:
        return self._guarded(parse_age_band, raw)

    def _fast_hours(self, raw: object) -> Any:
        return self._guarded(parse_hours, raw)

    def _fast_flag(self, raw: object) -> Any:
        return self._guarded(parse_flag, raw)

    def _fast_tick(self, raw: object) -> Any:
        return self._guarded(lambda v: parse_flag(v, ticks=True), raw)

    def _motif_shown(self, value: object) -> str:
        """The motif as the quarantine quotes it.

        Free text may name the person (« sortie de M. DUPONTEL »): the civility and the name after
        it are masked, the rest is quoted so that the pole can fix it; a formula or a text too long
        to be a motif (a comment) is not quoted at all.
        """
        text = cell_text(value)
        if formula_reason(value) or text.startswith(_FORMULA_STARTS) or len(text) > self.exits.max_length:
            return MASKED
        return _mask_names(text)

    def _parse_row(
        self,
        row_number: int,
        cells: list[object],
        header: _Header,
        context_pole: str | None,
        ticks: dict[str, bool],
        sheet: str | None,
        result: FileResult,
        seen: dict[tuple, int],
    ) -> None:
        result.rows_read += 1
        roles = header.roles
        problems: list[tuple[str, str | None, str]] = []  # (field, value shown, reason)

        def raw(role: str) -> object:
            return _cell(cells, roles[role]) if role in roles else None

        def read(role: str, reader: Any, value: object) -> Any:
            # Memoised by (role, cell): the readers are pure and a file repeats the same few dates,
            # flags and motifs on every row (200 000 rows would otherwise take about a minute).
            try:
                memo_key = (role, type(value), value)
                outcome = self._memo.get(memo_key)
            except TypeError:
                memo_key, outcome = None, None
            if outcome is None:
                try:
                    outcome = (reader(value), None)
                except ValueProblem as exc:
                    outcome = (None, exc.reason)
                if memo_key is not None:
                    self._memo[memo_key] = outcome
            if outcome[1] is not None:
                problems.append((role, *_shown(value, outcome[1], date_field=role in DATE_ROLES)))
            return outcome[0]

        # Pole first: the pseudonym is scoped by pole.
        pole_id = context_pole
        if "pole" in roles and not is_missing(raw("pole")):
            pole_id = self.matcher.match(raw("pole")) or self.matcher.find(raw("pole"))
            if pole_id is None:
                reason = (
                    f"pôle « {cell_text(raw('pole'))} » inconnu : indiquer le numéro "
                    f"({self.poles.numbers}) ou le nom d'un pôle de la communauté"
                )
                problems.append(("pole", *_shown(raw("pole"), reason)))
        elif pole_id is None:
            problems.append(("pole", None, "pôle non renseigné : indiquer le numéro ou le nom du pôle"))

        person_key = None
        raw_id = raw("identifiant")
        if is_missing(raw_id):
            problems.append(
                ("identifiant", None, "identifiant de la personne non renseigné : indiquer l'identifiant")
            )
        elif formula_reason(raw_id) or len(cell_text(raw_id)) > MAX_IDENTIFIER_CHARS:
            # Never quoted: a formula or a long text may hold the person's name.
            problems.append(
                (
                    "identifiant",
                    None,
                    "identifiant illisible (formule ou texte de plus de "
                    f"{MAX_IDENTIFIER_CHARS} caractères) : saisir l'identifiant de la personne",
                )
            )
        elif _is_date(raw_id):
            # A date in the identifier column is most likely a birth date: never a usable key (two
            # persons born the same day would merge), never quoted.
            problems.append(
                (
                    "identifiant",
                    MASKED,
                    "une date a été saisie à la place de l'identifiant (date de naissance ?), non "
                    "recopiée ici : saisir l'identifiant de la personne dans le pôle",
                )
            )
        elif pole_id is not None:
            assert self.key.key is not None
            person_key = pseudonymise(self.key.key, pole_id, cell_text(raw_id))

        structure = None
        raw_structure = raw("structure")
        if is_missing(raw_structure):
            problems.append(("structure", None, "structure membre non renseignée : indiquer la structure"))
        elif formula_reason(raw_structure) or cell_text(raw_structure).startswith(_FORMULA_STARTS):
            problems.append(("structure", MASKED, FORMULA_MASKED))
        elif len(cell_text(raw_structure)) > MAX_STRUCTURE_CHARS:
            # Not quoted: a long text in this column is a comment, which may speak of the person.
            problems.append(
                (
                    "structure",
                    MASKED,
                    f"nom de structure de plus de {MAX_STRUCTURE_CHARS} caractères : saisir le nom de la "
                    "structure membre seulement",
                )
            )
        else:
            structure = " ".join(cell_text(raw_structure).split())

        entry = None
        raw_entry = raw("date_entree")
        if is_missing(raw_entry):
            problems.append(
                ("date_entree", None, "date d'entrée non renseignée : indiquer la date (jj/mm/aaaa)")
            )
        else:
            entry = read("date_entree", parse_date, raw_entry)
            if entry is not None and entry > self.today:
                problems.append(
                    ("date_entree", cell_text(raw_entry), "date d'entrée dans le futur : vérifier la date")
                )
                entry = None
            elif entry is not None and entry.year < FIRST_ENTRY_YEAR:
                problems.append(
                    (
                        "date_entree",
                        cell_text(raw_entry),
                        f"date d'entrée antérieure à {FIRST_ENTRY_YEAR} : vérifier l'année",
                    )
                )
                entry = None

        exit_date = None
        raw_exit = raw("date_sortie")
        if not is_missing(raw_exit):
            exit_date = read("date_sortie", parse_date, raw_exit)
            if exit_date is not None and exit_date > self.today:
                problems.append(
                    (
                        "date_sortie",
                        cell_text(raw_exit),
                        "date de sortie dans le futur : ne la saisir qu'une fois la sortie faite",
                    )
                )
            elif exit_date is not None and entry is not None and exit_date < entry:
                problems.append(
                    (
                        "date_sortie",
                        cell_text(raw_exit),
                        f"date de sortie antérieure à la date d'entrée ({entry:%d/%m/%Y}) : "
                        "corriger l'une des deux dates",
                    )
                )

        category = rule = None
        raw_reason = raw("motif_sortie")
        if not is_missing(raw_reason):
            if is_missing(raw_exit):
                problems.append(
                    (
                        "motif_sortie",
                        self._motif_shown(raw_reason),
                        "motif de sortie sans date de sortie : saisir la date de sortie, ou retirer le "
                        "motif si la personne est toujours en parcours",
                    )
                )
            elif formula_reason(raw_reason) or cell_text(raw_reason).startswith(_FORMULA_STARTS):
                problems.append(("motif_sortie", MASKED, FORMULA_MASKED))
            else:
                reading = self._exit_memo.get(cell_text(raw_reason))
                if reading is None:
                    reading = self._exit_memo[cell_text(raw_reason)] = self.exits.classify(
                        cell_text(raw_reason)
                    )
                if reading.problem is not None or reading.category is None:
                    shown = self._motif_shown(raw_reason)
                    problems.append(
                        (
                            "motif_sortie",
                            shown,
                            reading.problem or f"motif de sortie « {shown} » non reconnu : préciser le motif",
                        )
                    )
                else:
                    category, rule = reading.category, reading.rule
        elif not is_missing(raw_exit):
            problems.append(
                (
                    "motif_sortie",
                    None,
                    "date de sortie sans motif : indiquer le motif de sortie (emploi, formation, "
                    "autre sortie…)",
                )
            )

        sex = read("sexe", parse_sex, raw("sexe"))
        band = None
        raw_birth = raw("date_naissance")
        if not is_missing(raw_birth):
            try:
                birth = parse_date(raw_birth, birth=True, today=self.today)
                if entry is not None:
                    check_birth(birth, entry)
                    band = age_band(birth, entry)
            except ValueProblem as exc:
                # Never quoted: the birth date is personal data.
                problems.append(("date_naissance", MASKED, exc.reason))
        if band is None and "tranche_age" in roles:
            band = read("tranche_age", parse_age_band, raw("tranche_age"))
        flags = {
            role: read(role, lambda v, role=role: parse_flag(v, ticks=ticks.get(role, False)), raw(role))
            for role in FLAG_ROLES
        }
        hours = read("heures_formation", parse_hours, raw("heures_formation"))

        if not problems and person_key is not None:
            stay_key = (person_key, pole_id, normalize_key(structure), entry)
            if stay_key in seen:
                problems.append(
                    (
                        "ligne",
                        None,
                        f"même personne, même structure et même date d'entrée qu'à la ligne {seen[stay_key]} "
                        "du même fichier : ne garder qu'une ligne par étape",
                    )
                )
            else:
                seen[stay_key] = row_number

        if problems:
            # The person by pseudonym, after the reason: the reason's prefix stays « file, row, field : ».
            who = f" (personne {person_key})" if person_key else ""
            for field, value, reason in problems:
                result.quarantine_row(
                    row_number,
                    FIELD_LABELS[field],
                    value,
                    reason,
                    after=who,
                    pole_id=pole_id,
                    sheet=sheet,
                    annee=entry.year if entry else None,
                )
            return
        result.records.append(
            {
                "person_key": person_key,
                "pole_id": pole_id,
                "structure": structure,
                "date_entree": entry,
                "date_sortie": exit_date,
                "categorie_sortie": category,
                "motif_regle": rule,
                "sexe": sex,
                "tranche_age": band,
                **{role: flags[role] for role in FLAG_ROLES},
                "heures_formation": hours,
                "source_file": result.source_file,
                "row_number": row_number,
                "sheet": sheet,
            }
        )
        result.rows_loaded += 1


# Columns whose cells merged down stand for every row they cover (« PHARES » merged over the rows of
# the pole): never the identifier (one merged identifier over two persons would merge them).
_FILLED_ROLES = ("pole", "structure")


def _fill_merged(
    sheet: Sheet, header: _Header, body: list[tuple[int, list[object]]]
) -> list[tuple[int, list[object]]]:
    """The body rows with the pole and structure of a vertically merged cell copied to every row."""
    columns = {header.roles[r] for r in _FILLED_ROLES if r in header.roles}
    if not sheet.merged or not columns or not body:
        return body
    values = dict(sheet.rows)
    last_row = body[-1][0]
    top: dict[int, dict[int, int]] = {}  # row -> {column index: row of the range's top-left cell}
    for min_col, min_row, max_col, max_row in sheet.merged:
        for col in range(min_col - 1, max_col):
            if col in columns and max_row > min_row:
                for row in range(min_row + 1, min(max_row, last_row) + 1):
                    top.setdefault(row, {})[col] = min_row
    filled = []
    for row_number, cells in body:
        if row_number in top:
            cells = list(cells)
            for col, source in top[row_number].items():
                if is_missing(_cell(cells, col)):
                    cells.extend([None] * (col + 1 - len(cells)))
                    cells[col] = _cell(values.get(source, []), col)
        filled.append((row_number, cells))
    return filled


def _cell(cells: list[object], idx: int) -> object:
    return cells[idx] if idx < len(cells) else None


# Why a formula is never quoted here: in a file about persons it may hold a name or a link to one
# (`=HYPERLINK("…";"DUPONTEL")`), and the quarantine is read by more people than the file.
FORMULA_MASKED = (
    "formule (ou erreur Excel) à la place d'une valeur, non recopiée ici : saisir la valeur elle-même, "
    "ou ouvrir le fichier dans Excel et l'enregistrer pour que la valeur soit calculée"
)
# A structure, motif or code never starts like a spreadsheet formula (`+cmd|…`, `@SOMME(…)`):
# stored as is, it would run as a formula when an export of the warehouse is opened in Excel.
_FORMULA_STARTS = ("=", "+", "@")
_DATE_TEXT = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$")
# « M. DUPONTEL », « Mme Marcelline Durand »: a civility and the capitalised words after it.
_CIVILITY_NAME = re.compile(
    r"\b(M\.|MM\.|Mr\.?|Mme|Mlle|Monsieur|Madame|Mademoiselle)(\s+[A-ZÀ-Ý][\w'’-]*\.?)+",
)


def _looks_like_date(value: object) -> bool:
    """A date cell or a date-shaped text: in a field that is not a date, likely a birth date."""
    return isinstance(value, date) or bool(_DATE_TEXT.match(cell_text(value)))


def _is_date(value: object) -> bool:
    """A real calendar date (stricter than `_looks_like_date`: a code like « 75-12-0345 » stays)."""
    if not _looks_like_date(value):
        return False
    try:
        parse_date(value)
    except ValueProblem:
        return False
    return True


def _shown(value: object, reason: str, *, date_field: bool = False) -> tuple[str | None, str]:
    """(value, reason) for the quarantine, with formulas and stray dates masked out of both."""
    if formula_reason(value) or cell_text(value).startswith(_FORMULA_STARTS):
        return MASKED, FORMULA_MASKED
    if not date_field and _looks_like_date(value):
        return MASKED, (
            "une date a été saisie dans ce champ (date de naissance ?), non recopiée ici : saisir la "
            "valeur attendue dans cette colonne"
        )
    return cell_text(value), reason


def _mask_names(text: str) -> str:
    """A free-text motif with « M. DUPONTEL » or « Mme Durand » replaced by « M. [nom masqué] »."""
    return _CIVILITY_NAME.sub(lambda m: f"{m.group(1)} [nom masqué]", text)

"""Parser of the community's event files (`raw/visites/`): learning visits, seminars, meetings,
remote exchanges, and the practices and tools the poles shared.

Same reading rules as the other kinds (`pipelines.shared.readers`): CSV in any French Excel encoding
and separator, XLSX with title rows above the header, hidden rows and sheets left out and noted,
oversized cells cut. Each table (a CSV, or each sheet of a workbook) is recognised by its headers:
an **events** table has a date column (« Date », « Type », « Pôle hôte », « Lieu », « Thèmes »,
« Pôles présents », « Participants », « Personnes ressources », « Documents »…); a **practices**
table has a title and a pole and no date (« Titre », « Pôle », « Angle », « Outil », « Description »,
« Visite »). A workbook may hold both (a sheet « Pratiques » beside the events); a file may hold only
one.

Every row read is loaded or quarantined with French reasons naming the file, row, field and value.
Formulas are never evaluated: in a text field their text is kept as text, in a date or a count the
row is quarantined. Participants are counted, never named. Practices are linked to their event
later (`tables.link_practices`), once every file is read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.shared.dates import parse_span
from pipelines.shared.readers import Sheet, hidden_sheets_note, read_into
from pipelines.shared.results import FileResult, IngestionError
from pipelines.shared.values import (
    ValueProblem,
    cell_text,
    formula_reason,
    header_roles,
    is_missing,
    truncate_text,
)
from pipelines.visits.fields import (
    angles_of,
    match_pole,
    parse_angle,
    parse_documents,
    parse_participants,
    parse_poles,
    split_hard,
    split_items,
    tool_name,
    unknown_pole_reason,
)
from ptce.reference import PoleSet, load_visit_config, read_limits, shipped_poles
from ptce.text import normalize_key

KIND = "visites"
HEADER_SCAN_ROWS = 20
FIRST_YEAR = 2010  # the community started in 2015; earlier meetings may have prepared it
YEARS_AHEAD = 3  # events are planned at most this far ahead: later, the year is mistyped

EVENT_ALIASES: dict[str, set[str]] = {
    "date": {
        "date",
        "dates",
        "datedelavisite",
        "datevisite",
        "datedelevenement",
        "dateevenement",
        "datedebut",
        "datededebut",
        "jour",
        "quand",
    },
    "date_fin": {"datefin", "datedefin", "fin", "jusquau", "dernierjour"},
    "type": {
        "type",
        "typedevenement",
        "typeevenement",
        "typedevisite",
        "nature",
        "naturedelevenement",
        "categorie",
        "format",
    },
    "hote": {
        "polehote",
        "polesdaccueil",
        "poledaccueil",
        "poleaccueillant",
        "hote",
        "accueil",
        "accueillipar",
        "pole",
        "ptce",
        "ptcehote",
        "ptcedaccueil",
        "npole",
        "numeropole",
    },
    "lieu": {"lieu", "ville", "commune", "adresse", "lieudelavisite", "lieudelevenement", "localisation"},
    "titre": {
        "titre",
        "intitule",
        "objet",
        "titredelavisite",
        "titredelevenement",
        "nomdelevenement",
        "evenement",
        "sujet",
    },
    "themes": {
        "themes",
        "theme",
        "thematiques",
        "thematique",
        "angles",
        "angle",
        "anglesdetravail",
        "angledetravail",
        "experiences",
        "experiencespresentees",
    },
    "poles_presents": {
        "polespresents",
        "polesparticipants",
        "polesrepresentes",
        "presents",
        "poles",
        "participantspoles",
        "ptcepresents",
    },
    "participants": {
        "participants",
        "nombredeparticipants",
        "nbparticipants",
        "nbdeparticipants",
        "nbredeparticipants",
        "nombreparticipants",
        "effectif",
        "nombredepersonnes",
        "nbpersonnes",
    },
    "personnes_ressources": {
        "personnesressources",
        "personneressource",
        "personnesressource",
        "intervenants",
        "intervenant",
        "experts",
        "grandtemoin",
        "grandstemoins",
    },
    "documents": {
        "documents",
        "documentsproduits",
        "document",
        "livrables",
        "supports",
        "productions",
        "comptesrendus",
        "compterendu",
    },
}
PRACTICE_ALIASES: dict[str, set[str]] = {
    "titre": {
        "titre",
        "pratique",
        "intitule",
        "titredelapratique",
        "nomdelapratique",
        "pratiqueououtil",
        "outiloupratique",
        "pratiquepartagee",
    },
    "pole": {
        "pole",
        "ptce",
        "polequipartage",
        "poleporteur",
        "partageepar",
        "partagepar",
        "npole",
        "numeropole",
    },
    "angle": {"angle", "angledetravail", "axe", "theme", "thematique", "domaine"},
    "outil": {"outil", "typedoutil", "dispositif", "outilmobilise"},
    "description": {"description", "descriptioncourte", "resume", "presentation", "courtedescription"},
    "visite": {
        "visite",
        "visiteliee",
        "visiteassociee",
        "evenement",
        "evenementlie",
        "lorsdelavisite",
        "partageelorsde",
        "visiteouevenement",
    },
}
_EVENT_BY_KEY = {alias: role for role, aliases in EVENT_ALIASES.items() for alias in aliases}
_PRACTICE_BY_KEY = {alias: role for role, aliases in PRACTICE_ALIASES.items() for alias in aliases}

FIELD_LABELS = {
    "date": "date",
    "date_fin": "date de fin",
    "type": "type",
    "hote": "pôle hôte",
    "lieu": "lieu",
    "titre": "titre",
    "themes": "thèmes",
    "poles_presents": "pôles présents",
    "participants": "participants",
    "personnes_ressources": "personnes ressources",
    "documents": "documents",
    "pole": "pôle",
    "angle": "angle",
    "outil": "outil",
    "description": "description",
    "visite": "visite",
    "ligne": "ligne",
}
EVENT_HEADERS_HINT = (
    "« Date », « Type », « Pôle hôte », « Lieu », « Thèmes », « Pôles présents », « Participants », "
    "« Personnes ressources », « Documents »"
)
PRACTICE_HEADERS_HINT = "« Titre », « Pôle », « Angle », « Outil », « Description », « Visite »"


@dataclass
class _Header:
    table: str  # "events" or "practices"
    row_number: int
    roles: dict[str, int]
    ignored: list[str]


def find_header(row_number: int, cells: list[object]) -> _Header | None:
    """The header a row is, if any: events (a date and two more columns) or practices."""
    roles, ignored = header_roles(cells, _EVENT_BY_KEY)
    if "date" in roles and len(roles) >= 3:
        return _Header("events", row_number, roles, ignored)
    roles, ignored = header_roles(cells, _PRACTICE_BY_KEY)
    if "titre" in roles and "pole" in roles and len(roles) >= 3:
        return _Header("practices", row_number, roles, ignored)
    return None


def _cell(cells: list[object], idx: int) -> object:
    return cells[idx] if idx < len(cells) else None


def _text(value: object) -> str | None:
    """A free-text cell as kept: spaces tidied, cut at the comment limit; a formula stays its text."""
    if is_missing(value) and not formula_reason(value):
        return None
    text = " ".join(cell_text(value).split())
    return truncate_text(text, read_limits().comment_chars) if text else None


def _shown(value: object) -> str | None:
    text = cell_text(value)
    return text or None


class VisitFileParser:
    """Parses one file of `raw/visites/` into event and practice records, quarantine rows, a log entry."""

    def __init__(self, today: date | None = None, poles: PoleSet | None = None) -> None:
        self.today = today or date.today()
        self.config = load_visit_config()
        # The run's poles in force (the shipped twelve and `raw/poles/`); the shipped ones by default.
        self.poles = poles or shipped_poles()

    def parse(self, path: Path, source_file: str) -> FileResult:
        """Never raises for bad content: an unreadable file gives `error`."""
        result = FileResult(source_file=source_file, kind=KIND, file_format=path.suffix[1:].lower())
        try:
            sheets, _, _ = read_into(result, path, source_file)
            self._parse_sheets(sheets, result)
        except IngestionError as exc:
            result.error = exc.message
            result.records.clear()
            result.quarantine.clear()
            result.rows_read = result.rows_loaded = 0
        return result

    def _parse_sheets(self, sheets: list[Sheet], result: FileResult) -> None:
        found: list[str] = []
        hidden_tables: list[str] = []
        ignored: list[str] = []
        empty: list[str] = []  # remarks on tables with nothing under their header
        for sheet in sheets:
            header = None
            for row_number, cells in sheet.rows[:HEADER_SCAN_ROWS]:
                header = find_header(row_number, cells)
                if header is not None:
                    break
            if header is None:
                continue
            if sheet.hidden:
                hidden_tables.append(sheet.name or "")
                continue
            found.append(header.table)
            ignored.extend(n for n in header.ignored if n not in ignored)
            sheet_name = sheet.name if len(sheets) > 1 else None
            if header.table == "events" and "type" not in header.roles:
                result.infos.append(
                    "Pas de colonne « Type » : chaque ligne est lue comme une visite apprenante."
                )
            before = result.rows_read
            seen: dict[tuple, int] = {}
            for row_number, cells in sheet.rows:
                if row_number <= header.row_number:
                    continue
                if header.table == "events":
                    self._event_row(row_number, cells, header, sheet_name, result, seen)
                else:
                    self._practice_row(row_number, cells, header, sheet_name, result, seen)
            if result.rows_read == before:
                what = "d'événement" if header.table == "events" else "de pratique"
                where = f" (feuille « {sheet.name} »)" if sheet_name else ""
                empty.append(f"{result.source_file} : aucune ligne {what} sous les en-têtes{where}")
        # A file with no row at all is not silently « ok »; one whose other table has rows is (the
        # template's sheet left blank, events sent without practices): said, without « partial ».
        if empty and result.rows_read:
            result.infos.extend(f"{remark}." for remark in empty)
        else:
            result.notes.extend(
                f"{remark} : le tableau est vide. Vérifiez que le bon fichier a été déposé et renvoyez-le."
                for remark in empty
            )
        if hidden_tables:
            result.notes.append(hidden_sheets_note(hidden_tables, "lignes"))
        if not found:
            raise IngestionError(
                f"{result.source_file} : aucun tableau de visites ni de pratiques reconnu (en-têtes "
                f"attendus dans les {HEADER_SCAN_ROWS} premières lignes : pour les événements "
                f"{EVENT_HEADERS_HINT} ; pour les pratiques {PRACTICE_HEADERS_HINT}). Vérifiez les "
                "en-têtes et renvoyez le fichier."
            )
        if ignored:
            names = ", ".join(f"« {cell_text(n)[:60]} »" for n in ignored[:30])
            more = f" et {len(ignored) - 30} autre(s)" if len(ignored) > 30 else ""
            result.infos.append(f"Colonnes non lues (hors du modèle des visites) : {names}{more}.")

    def _quarantine(
        self,
        result: FileResult,
        row_number: int,
        sheet: str | None,
        problems: list[tuple[str, str | None, str]],
        pole_id: str | None,
        year: int | None,
    ) -> None:
        for field, value, reason in problems:
            result.quarantine_row(
                row_number,
                FIELD_LABELS[field],
                value,
                reason,
                quoted=value,
                pole_id=pole_id,
                sheet=sheet,
                annee=year,
            )

    def _event_row(
        self,
        row_number: int,
        cells: list[object],
        header: _Header,
        sheet: str | None,
        result: FileResult,
        seen: dict[tuple, int],
    ) -> None:
        result.rows_read += 1
        roles = header.roles
        problems: list[tuple[str, str | None, str]] = []

        def raw(role: str) -> object:
            return _cell(cells, roles[role]) if role in roles else None

        # Dates: one cell (« 29-30 juin 2017 ») or a start and an end column.
        start = end = None
        if is_missing(raw("date")):
            problems.append(("date", None, "date non renseignée : indiquer la date (jj/mm/aaaa)"))
        else:
            try:
                start, end = parse_span(raw("date"), today=self.today)
            except ValueProblem as exc:
                problems.append(("date", _shown(raw("date")), exc.reason))
        if start is not None and not is_missing(raw("date_fin")):
            try:
                other, _ = parse_span(raw("date_fin"), today=self.today)
                if other < start:
                    problems.append(
                        (
                            "date_fin",
                            _shown(raw("date_fin")),
                            f"date de fin antérieure au début ({start:%d/%m/%Y}) : corriger l'une des "
                            "deux dates",
                        )
                    )
                elif other != start:
                    end = other
            except ValueProblem as exc:
                problems.append(("date_fin", _shown(raw("date_fin")), exc.reason))
        if start is not None and not FIRST_YEAR <= start.year <= self.today.year + YEARS_AHEAD:
            problems.append(
                (
                    "date",
                    _shown(raw("date")),
                    f"année {start.year} invraisemblable pour un événement de la communauté (entre "
                    f"{FIRST_YEAR} et {self.today.year + YEARS_AHEAD}) : vérifier l'année",
                )
            )
            start = None

        kind = None
        if "type" not in roles:
            kind = "visite apprenante"
        elif is_missing(raw("type")):
            problems.append(("type", None, f"type d'événement non renseigné : écrire {self._kinds()}"))
        elif formula_reason(raw("type")):
            problems.append(("type", _shown(raw("type")), formula_reason(raw("type")) or ""))
        else:
            kind = self.config.visit_type(cell_text(raw("type")))
            if kind is None:
                problems.append(
                    (
                        "type",
                        _shown(raw("type")),
                        f"type d'événement « {cell_text(raw('type'))} » non reconnu : écrire {self._kinds()}",
                    )
                )

        host = None
        if not is_missing(raw("hote")):
            try:
                hosts, unknown = parse_poles(raw("hote"), self.poles)
            except ValueProblem as exc:
                hosts, unknown = [], []
                problems.append(("hote", _shown(raw("hote")), exc.reason))
            if unknown:
                for text in unknown:
                    problems.append(("hote", text, unknown_pole_reason(text, "pôle hôte", self.poles)))
            elif len(hosts) > 1:
                problems.append(
                    (
                        "hote",
                        _shown(raw("hote")),
                        "plusieurs pôles hôtes : n'en garder qu'un (les autres vont dans « Pôles présents »)",
                    )
                )
            elif hosts:
                host = hosts[0]
        elif kind is not None and self.config.host_required(kind):
            problems.append(
                (
                    "hote",
                    None,
                    f"{kind} sans pôle hôte : indiquer le pôle qui l'accueille (numéro "
                    f"{self.poles.numbers} ou nom)",
                )
            )

        present: list[str] = []
        if not is_missing(raw("poles_presents")):
            try:
                present, unknown = parse_poles(raw("poles_presents"), self.poles)
            except ValueProblem as exc:
                unknown = []
                problems.append(("poles_presents", _shown(raw("poles_presents")), exc.reason))
            for text in unknown:
                problems.append(
                    ("poles_presents", text, unknown_pole_reason(text, "pôle présent", self.poles))
                )

        participants = None
        try:
            participants = parse_participants(raw("participants"))
        except ValueProblem as exc:
            problems.append(("participants", _shown(raw("participants")), exc.reason))

        title = _text(raw("titre"))
        place = _text(raw("lieu"))
        themes = [" ".join(t.split()) for t in split_items(raw("themes"))] if "themes" in roles else []
        resources = [" ".join(p.split()) for p in split_hard(raw("personnes_ressources"))]
        documents = parse_documents(raw("documents")) if "documents" in roles else []

        if not problems and start is not None:
            key = (start, kind, host, normalize_key(title), normalize_key(place))
            if key in seen:
                problems.append(
                    (
                        "ligne",
                        None,
                        f"même date, même type, même hôte, même titre et même lieu qu'à la ligne {seen[key]} "
                        "du même fichier : ne garder qu'une ligne par événement",
                    )
                )
            else:
                seen[key] = row_number

        if problems:
            self._quarantine(result, row_number, sheet, problems, host, start.year if start else None)
            return
        limit = read_limits().comment_chars
        result.records.append(
            {
                "record": "event",
                "date_visite": start,
                "date_fin": end,
                "type": kind,
                "pole_id": host,
                "titre": title,
                "lieu": place,
                "themes": truncate_text(" ; ".join(themes), limit) if themes else None,
                "angles": "|".join(angles_of([*themes, title or ""])) if themes or title else "",
                "poles_presents": "|".join(p for p in present if p != host),
                "nb_participants": participants,
                "personnes_ressources": truncate_text(" ; ".join(resources), limit) if resources else None,
                "documents": json.dumps(
                    [[truncate_text(t, limit), link] for t, link in documents], ensure_ascii=False
                ),
                "source_file": result.source_file,
                "row_number": row_number,
                "sheet": sheet,
            }
        )
        result.rows_loaded += 1

    def _kinds(self) -> str:
        return ", ".join(f"« {k.code} »" for k in self.config.types)

    def _practice_row(
        self,
        row_number: int,
        cells: list[object],
        header: _Header,
        sheet: str | None,
        result: FileResult,
        seen: dict[tuple, int],
    ) -> None:
        result.rows_read += 1
        roles = header.roles
        problems: list[tuple[str, str | None, str]] = []

        def raw(role: str) -> object:
            return _cell(cells, roles[role]) if role in roles else None

        title = _text(raw("titre"))
        if title is None:
            problems.append(("titre", None, "titre de la pratique non renseigné : indiquer son titre"))

        pole_id = None
        if is_missing(raw("pole")):
            problems.append(("pole", None, "pôle non renseigné : indiquer le pôle qui partage la pratique"))
        else:
            text = cell_text(raw("pole"))
            pole_id = match_pole(text, self.poles)
            if pole_id is None:
                problems.append(("pole", text, unknown_pole_reason(text, "pôle", self.poles)))

        angle = None
        try:
            angle = parse_angle(raw("angle"))
        except ValueProblem as exc:
            problems.append(("angle", _shown(raw("angle")), exc.reason))
        tool = tool_name(raw("outil"))
        if angle is None and not problems:
            # No angle written: the tool or the title may name one (« GEIQ » -> mutualisation).
            guessed = angles_of([tool or "", title or ""])
            angle = guessed[0] if len(guessed) == 1 else None
        mention = _text(raw("visite"))

        if not problems:
            key = (pole_id, normalize_key(title))
            if key in seen:
                problems.append(
                    (
                        "ligne",
                        None,
                        f"même pôle et même titre qu'à la ligne {seen[key]} du même fichier : ne garder "
                        "qu'une ligne par pratique",
                    )
                )
            else:
                seen[key] = row_number
        if problems:
            self._quarantine(result, row_number, sheet, problems, pole_id, None)
            return
        result.records.append(
            {
                "record": "practice",
                "titre": title,
                "pole_id": pole_id,
                "angle": angle,
                "outil": tool,
                "description": _text(raw("description")),
                "visite_mentionnee": mention,
                "source_file": result.source_file,
                "row_number": row_number,
                "sheet": sheet,
            }
        )
        result.rows_loaded += 1


def records_of(result: FileResult, record: str) -> list[dict[str, Any]]:
    """The event (`record="event"`) or practice records of a parsed file."""
    return [r for r in result.records if r["record"] == record]

"""The effective poles: the twelve shipped poles with the staff's reference files of `raw/poles/`.

Poles are data (issue #16): staff add a member, rename a pole, give it a new usual name or record
that it left by putting a CSV or XLSX file in `raw/poles/`, with no code change. The header
(case, accents and spacing ignored; title rows above it allowed) names the columns
`identifiant;numero;nom;noms_usuels;structure_initiatrice;description;representants;departement;
nom_departement;region;commune;latitude;longitude;territoire;secteur_principal;date_entree;
date_sortie`, in any order, any of them but `identifiant` left out.

- A row whose `identifiant` is known (shipped, or added by an earlier file) amends that pole: its
  non-empty cells replace, its empty cells keep. A name or usual name it replaces becomes a former
  name (`anciens_noms`): files that still use it load as before.
- A new `identifiant` adds a member: `numero`, `nom`, `departement`, `region`, `commune`,
  `latitude`, `longitude` and `territoire` are then required.
- Files apply in arrival order (the arrival register), rows in file order: a later one wins.
- A pole with a `date_sortie` has left: it keeps its history (its values stay published); it is
  only no longer expected to send files (completeness) nor offered in the blank templates.

Every row read is applied or quarantined whole, with French reasons naming the file, the row and
the field (an amendment half applied would publish a pole nobody wrote). A file that cannot be read
is one `error` row in the log; the others still apply.

The pipeline stages the effective poles once per run (`stg_pole_files`, table `stg_poles`), and
every parser of the run takes them from there (`staged_poles`). Outside a run, `effective_poles`
reads the folder itself (`ptce template`), cached on the files' signature.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipelines.shared.arrivals import arrival_order, register_path
from pipelines.shared.dates import parse_date
from pipelines.shared.readers import Sheet, hidden_sheets_note, read_into
from pipelines.shared.results import FileResult, IngestionError
from pipelines.shared.values import (
    ValueProblem,
    cell_text,
    formula_reason,
    header_roles,
    is_missing,
    parse_number,
)
from ptce.contract import TABLES
from ptce.fmt import fmt_number
from ptce.paths import DataLayout
from ptce.reference import FRANCE_BOXES, TERRITORIES, Pole, PoleMatcher, PoleSet, in_france, load_poles
from ptce.text import normalize_key

if TYPE_CHECKING:
    import duckdb

KIND = "poles"
HEADER_SCAN_ROWS = 20
# The columns of a poles file, in the order of the template, with the other titles read as them.
ALIASES: dict[str, set[str]] = {
    "identifiant": {"identifiant", "id", "poleid", "identifiantpole", "identifiantdupole", "codepole"},
    "numero": {"numero", "numeropole", "numerodupole", "n", "no", "num"},
    "nom": {"nom", "nompole", "nomdupole"},
    "noms_usuels": {"nomsusuels", "nomusuel", "alias", "autresnoms", "nomscourts", "nomcourt"},
    "structure_initiatrice": {"structureinitiatrice", "structureporteuse", "porteur"},
    "description": {"description", "presentation"},
    "representants": {"representants", "representant", "contacts", "contact"},
    "departement": {"departement", "codedepartement", "numerodepartement", "dept", "dep"},
    "nom_departement": {"nomdepartement", "nomdudepartement", "libelledepartement"},
    "region": {"region"},
    "commune": {"commune", "ville"},
    "latitude": {"latitude", "lat"},
    "longitude": {"longitude", "lon", "lng"},
    "territoire": {"territoire", "typedeterritoire"},
    "secteur_principal": {"secteurprincipal", "secteur", "secteurdactivite"},
    "date_entree": {"dateentree", "datedentree", "entree", "datedadhesion"},
    "date_sortie": {"datesortie", "datedesortie", "sortie", "datededepart"},
}
COLUMNS = tuple(ALIASES)
_BY_KEY = {alias: column for column, aliases in ALIASES.items() for alias in aliases}
# What a new member must state: what the map, the peer groups and the lists need.
REQUIRED_FOR_NEW = (
    "numero",
    "nom",
    "departement",
    "region",
    "commune",
    "latitude",
    "longitude",
    "territoire",
)
# Longest text kept per column (characters): a name is a line, a description a paragraph.
TEXT_LIMITS = {
    "nom": 150,
    "structure_initiatrice": 300,
    "description": 2_000,
    "representants": 300,
    "nom_departement": 100,
    "region": 100,
    "commune": 100,
    "secteur_principal": 150,
}
ALIAS_LIMIT = 100
QUOTED_IN_REASON = 80  # longer cells are not quoted in a quarantine reason (their value column has them)
MAX_ALIASES = 20
MAX_NUMBER = 99_999
_SLUG = re.compile(r"^[a-z0-9_]{1,60}$")
# Department codes: 01–95 with Corsica's 2A/2B, and the overseas 971–976 / 975, 977, 978, 986–988.
_DEPARTMENT = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-8]|98[6-8])$")
_SLUG_HINT = "lettres minuscules sans accent, chiffres et « _ » seulement (par exemple « pole_treize »)"


@dataclass(frozen=True)
class PoleLayers:
    """The effective poles and the outcome of every reference file read (arrival order)."""

    poles: PoleSet
    results: tuple[FileResult, ...]


def is_poles_header(cells: list[object]) -> bool:
    """Whether a row is the header of a poles file (kind detection of `ptce preview`)."""
    return _is_header(*header_roles(cells, _BY_KEY))


def _is_header(roles: dict[str, int], ignored: list[str]) -> bool:
    """The identifier with a name or a number; or with other columns of the reference only
    (« identifiant;date_sortie » records a departure). A pathway file's « Identifiant » (of a
    person) beside « Date d'entrée » comes with columns no poles file has: not a poles header."""
    if "identifiant" not in roles or len(roles) < 2:
        return False
    return bool({"nom", "numero", "noms_usuels"} & set(roles)) or not ignored


def _suggestion(title: str) -> str | None:
    close = difflib.get_close_matches(normalize_key(title), list(_BY_KEY), n=1, cutoff=0.8)
    return _BY_KEY[close[0]] if close else None


def _shown(value: object) -> str | None:
    return cell_text(value) or None


def _text(value: object) -> str:
    return " ".join(cell_text(value).split())


class _Problems(list[tuple[str, str | None, str]]):
    """(column, value as written, French reason) of one row."""

    def add(self, column: str, value: object, reason: str) -> None:
        self.append((column, _shown(value), reason))


class PoleFileReader:
    """Applies reference files one after the other to the poles in force (`apply`)."""

    def __init__(self, base: Iterable[Pole] | None = None) -> None:
        self.state: dict[str, Pole] = {p.pole_id: p for p in (base if base is not None else load_poles())}
        self._numbers = {p.numero: p.pole_id for p in self.state.values()}
        self._names = PoleMatcher(tuple(self.state.values()))

    @property
    def poles(self) -> PoleSet:
        return PoleSet(list(self.state.values()))

    def apply(self, path: Path, source_file: str) -> FileResult:
        """Read one file and apply its valid rows. Never raises for bad content."""
        result = FileResult(source_file=source_file, kind=KIND, file_format=path.suffix[1:].lower())
        before = dict(self.state)
        try:
            sheets, _, _ = read_into(result, path, source_file)
            self._apply_sheets(sheets, result)
        except IngestionError as exc:
            # Nothing of an unreadable file applies, not even the rows read before the fault.
            self._restore(before)
            result.error = exc.message
            result.records.clear()
            result.quarantine.clear()
            result.rows_read = result.rows_loaded = 0
        return result

    def _restore(self, state: dict[str, Pole]) -> None:
        self.state = state
        self._numbers = {p.numero: p.pole_id for p in state.values()}
        self._names = PoleMatcher(tuple(state.values()))

    # --- tables -----------------------------------------------------------------------------------

    def _apply_sheets(self, sheets: list[Sheet], result: FileResult) -> None:
        found: tuple[Sheet, int, dict[str, int], list[str]] | None = None
        others: list[str] = []
        hidden: list[str] = []
        for sheet in sheets:
            for row_number, cells in sheet.rows[:HEADER_SCAN_ROWS]:
                roles, ignored = header_roles(cells, _BY_KEY)
                if _is_header(roles, ignored):
                    if sheet.hidden:
                        # The sender does not see a hidden sheet: its rows are not theirs to apply.
                        hidden.append(sheet.name or "")
                    elif found is None:
                        found = (sheet, row_number, roles, ignored)
                    else:
                        others.append(f"« {sheet.name} »")
                    break
        hidden_note = hidden_sheets_note(hidden, "pôles") if hidden else None
        if found is None:
            raise IngestionError(
                f"{result.source_file} : aucun tableau de pôles reconnu (en-têtes attendus dans les "
                f"{HEADER_SCAN_ROWS} premières lignes : « identifiant » et les colonnes à renseigner, "
                f"parmi {', '.join(COLUMNS)}). Vérifiez les en-têtes (ou écrivez le modèle avec "
                "« ptce template --kind poles ») et renvoyez le fichier."
                + (f" {hidden_note}" if hidden_note else "")
            )
        if hidden_note:
            result.notes.append(hidden_note)
        sheet, header_row, roles, ignored = found
        unknown = self._unknown_columns(ignored, result)
        if others:
            result.infos.append(
                f"Seule la première feuille qui contient un tableau de pôles est lue ; non lue(s) : "
                f"{', '.join(others)}."
            )
        rows = [(n, cells) for n, cells in sheet.rows if n > header_row]
        duplicates = self._duplicates(rows, roles)
        for row_number, cells in rows:
            result.rows_read += 1
            values = {col: cells[idx] for col, idx in roles.items() if idx < len(cells)}
            if row_number in duplicates:
                pole_id = _text(values.get("identifiant"))
                self._quarantine(result, row_number, [("identifiant", pole_id, duplicates[row_number])], None)
                continue
            self._apply_row(result, row_number, values, unknown)
        if not rows:
            result.notes.append(
                f"{result.source_file} : aucune ligne sous les en-têtes (ligne {header_row}) : le tableau "
                "est vide. Vérifiez que le bon fichier a été déposé."
            )

    def _unknown_columns(self, ignored: list[str], result: FileResult) -> dict[str, str]:
        """Column -> the title that was probably meant for it (« lattitude »): said in the log."""
        meant: dict[str, str] = {}
        remarks = []
        for title in ignored:
            shown = cell_text(title)[:60]
            column = _suggestion(title)
            if column is not None:
                meant.setdefault(column, shown)
                remarks.append(f"« {shown} » (vouliez-vous dire « {column} » ?)")
            else:
                remarks.append(f"« {shown} »")
        if remarks:
            result.notes.append(
                f"Colonne(s) non reconnue(s), non lue(s) : {', '.join(remarks[:30])}. Colonnes "
                f"possibles : {', '.join(COLUMNS)}."
            )
        return meant

    @staticmethod
    def _duplicates(rows: list[tuple[int, list[object]]], roles: dict[str, int]) -> dict[int, str]:
        """Row number -> reason, for every row of an identifier written on several rows."""
        idx = roles["identifiant"]
        by_id: dict[str, list[int]] = {}
        for row_number, cells in rows:
            key = _text(cells[idx]) if idx < len(cells) else ""
            if key:
                by_id.setdefault(key.lower(), []).append(row_number)
        reasons = {}
        for numbers in by_id.values():
            if len(numbers) > 1:
                listed = ", ".join(str(n) for n in numbers)
                for n in numbers:
                    reasons[n] = (
                        f"identifiant présent sur plusieurs lignes de ce fichier (lignes {listed}) : "
                        "aucune n'est appliquée. Gardez une seule ligne par pôle et renvoyez le fichier"
                    )
        return reasons

    # --- one row --------------------------------------------------------------------------------

    def _apply_row(
        self, result: FileResult, row_number: int, values: dict[str, object], unknown: dict[str, str]
    ) -> None:
        problems = _Problems()
        written = {col: v for col, v in values.items() if not is_missing(v) or formula_reason(v)}
        raw_id = written.get("identifiant")
        pole_id = _text(raw_id) if raw_id is not None else ""
        if not pole_id:
            problems.add(
                "identifiant",
                None,
                "identifiant manquant : chaque ligne nomme le pôle qu'elle ajoute ou modifie",
            )
        elif formula_reason(raw_id):
            problems.add("identifiant", raw_id, formula_reason(raw_id) or "")
        elif not _SLUG.match(pole_id):
            problems.add("identifiant", raw_id, f"identifiant invalide : {_SLUG_HINT}")
        if problems:
            self._quarantine(result, row_number, problems, None)
            return
        changes: dict[str, object] = {}
        for column, value in written.items():
            if column == "identifiant":
                continue
            try:
                changes[column] = _read_cell(column, value)
            except ValueProblem as exc:
                problems.add(column, value, exc.reason)
        existing = self.state.get(pole_id)
        if existing is None:
            self._missing_for_new(pole_id, changes, problems, unknown)
        if problems:
            self._quarantine(result, row_number, problems, pole_id)
            return
        pole = _amended(existing, pole_id, changes, result.source_file)
        self._cross_checks(pole, existing, changes, problems)
        if problems:
            self._quarantine(result, row_number, problems, pole_id)
            return
        self.state[pole_id] = pole
        if existing is not None:
            self._numbers.pop(existing.numero, None)
        self._numbers[pole.numero] = pole_id
        self._names.add_pole(pole)
        result.records.append(
            {
                "pole_id": pole_id,
                "action": "ajout" if existing is None else "modification",
                "row_number": row_number,
            }
        )
        result.rows_loaded += 1

    def _missing_for_new(
        self, pole_id: str, changes: dict[str, object], problems: _Problems, unknown: dict[str, str]
    ) -> None:
        """A new identifier must come with what a member needs (`REQUIRED_FOR_NEW`)."""
        given = set(changes) | {column for column, _, _ in problems}
        missing = [c for c in REQUIRED_FOR_NEW if c not in given]
        if not missing:
            return
        if len(missing) == len(REQUIRED_FOR_NEW):
            # Nothing a new member needs: most likely an amendment with a mistyped identifier.
            close = difflib.get_close_matches(pole_id, list(self.state), n=1, cutoff=0.6)
            hint = f" (vouliez-vous dire « {close[0]} » ?)" if close else ""
            problems.add(
                "identifiant",
                pole_id,
                f"identifiant inconnu{hint} : ce n'est ni un des pôles livrés ni un pôle ajouté par un "
                "fichier précédent. Pour modifier un pôle, reprendre son identifiant exact ; pour en "
                f"ajouter un, remplir aussi {', '.join(REQUIRED_FOR_NEW)}",
            )
            return
        for column in missing:
            hint = ""
            if column in unknown:
                hint = f" ; la colonne « {unknown[column]} » n'est pas reconnue : l'appeler « {column} »"
            problems.add(
                column,
                None,
                f"obligatoire pour ajouter un pôle (identifiant nouveau « {pole_id} »){hint}",
            )

    def _cross_checks(
        self, pole: Pole, existing: Pole | None, changes: dict[str, object], problems: _Problems
    ) -> None:
        """What a row may break among the poles in force: numbers, names, places, dates."""
        owner = self._numbers.get(pole.numero)
        if "numero" in changes and owner is not None and owner != pole.pole_id:
            problems.add(
                "numero",
                pole.numero,
                f"numéro déjà pris par le pôle « {self.state[owner].nom} » ({owner}) : choisir un "
                "numéro libre",
            )
        names = [("identifiant", pole.pole_id)] if existing is None else []
        if "nom" in changes:
            names.append(("nom", pole.nom))
        names.extend(("noms_usuels", n) for n in (changes.get("noms_usuels") or ()))
        for column, name in names:
            other = self._names.match(name)
            if other is not None and other != pole.pole_id and other in self.state:
                problems.add(
                    column,
                    name,
                    f"« {name} » désigne déjà le pôle « {self.state[other].nom} » ({other}) : les "
                    "fichiers ne sauraient plus de quel pôle il s'agit. Choisir un autre nom",
                )
        if ("latitude" in changes or "longitude" in changes) and not in_france(pole.latitude, pole.longitude):
            column = "latitude" if "latitude" in changes else "longitude"
            value = pole.latitude if column == "latitude" else pole.longitude
            problems.add(
                column,
                value,
                f"coordonnées ({_decimal(pole.latitude)} ; {_decimal(pole.longitude)}) hors de France "
                f"(métropole : latitude {_decimal(FRANCE_BOXES['France métropolitaine'][0])} à "
                f"{_decimal(FRANCE_BOXES['France métropolitaine'][1])}, longitude "
                f"{_decimal(FRANCE_BOXES['France métropolitaine'][2])} à "
                f"{_decimal(FRANCE_BOXES['France métropolitaine'][3])} ; outre-mer aussi) : vérifier "
                "la latitude et la longitude en degrés décimaux (par exemple 44,9603 et 3,5453)",
            )
        if pole.date_entree and pole.date_sortie and pole.date_sortie < pole.date_entree:
            column = "date_sortie" if "date_sortie" in changes else "date_entree"
            problems.add(
                column,
                changes.get(column),
                f"date de sortie ({pole.date_sortie:%d/%m/%Y}) avant la date d'entrée "
                f"({pole.date_entree:%d/%m/%Y}) : corriger l'une des deux",
            )

    def _quarantine(
        self,
        result: FileResult,
        row_number: int,
        problems: Iterable[tuple[str, str | None, str]],
        pole_id: str | None,
    ) -> None:
        for column, value, reason in problems:
            # A long text stays in the `value` column: the reason quotes short cells only.
            short = value is not None and len(value) <= QUOTED_IN_REASON
            result.quarantine_row(
                row_number, column, value, reason, quoted=value if short else None, pole_id=pole_id
            )


def _decimal(number: float) -> str:
    return format(number, "g").replace(".", ",")


def _read_cell(column: str, value: object) -> object:
    """One written cell as the pole holds it; raises `ValueProblem` with a French reason."""
    formula = formula_reason(value)
    if formula:
        raise ValueProblem(formula)
    if column == "numero":
        invalid = ValueProblem(f"numéro de pôle invalide : un nombre entier de 1 à {fmt_number(MAX_NUMBER)}")
        try:
            number = parse_number(value)
        except ValueProblem:
            raise invalid from None
        if not number.is_integer() or not 1 <= number <= MAX_NUMBER:
            raise invalid
        return int(number)
    if column in ("latitude", "longitude"):
        return parse_number(value)
    if column in ("date_entree", "date_sortie"):
        return parse_date(value)
    if column == "territoire":
        key = normalize_key(value)
        if key not in TERRITORIES:
            raise ValueProblem(
                f"territoire inconnu : écrire {', '.join(TERRITORIES[:-1])} ou {TERRITORIES[-1]}"
            )
        return key
    if column == "departement":
        return _department(value)
    if column == "noms_usuels":
        names = [n for n in (" ".join(p.split()) for p in cell_text(value).split("|")) if n]
        if len(names) > MAX_ALIASES:
            raise ValueProblem(f"{len(names)} noms usuels : au plus {MAX_ALIASES}, séparés par « | »")
        for name in names:
            if len(name) > ALIAS_LIMIT:
                raise ValueProblem(
                    f"nom usuel de {len(name)} caractères : au plus {ALIAS_LIMIT} (séparer les noms "
                    "par « | »)"
                )
        return tuple(dict.fromkeys(names))
    text = _text(value)
    limit = TEXT_LIMITS[column]
    if len(text) > limit or "[tronqué," in text:
        raise ValueProblem(
            f"texte de {fmt_number(len(text))} caractères : au plus {fmt_number(limit)}, le raccourcir"
        )
    if column == "nom" and "|" in text:
        raise ValueProblem("le nom ne peut pas contenir « | » (réservé aux noms usuels)")
    return text


def _department(value: object) -> str:
    """`40`, `"40"`, `1` -> `"01"`, `"2a"` -> `"2A"`, `971`."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        text = str(int(value))
    else:
        text = _text(value).upper()
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    if not _DEPARTMENT.match(text):
        raise ValueProblem("numéro de département inconnu : écrire son code (01 à 95, 2A, 2B, 971 à 976…)")
    return text


def _amended(existing: Pole | None, pole_id: str, changes: dict[str, object], source_file: str) -> Pole:
    """The pole a row describes: `existing` with the row's written cells, or a new one."""
    if existing is None:
        base = Pole(
            pole_id=pole_id,
            numero=0,
            nom="",
            noms_usuels=(),
            structure_initiatrice="",
            description="",
            representants="",
            departement="",
            nom_departement="",
            region="",
            commune="",
            latitude=float("nan"),
            longitude=float("nan"),
        )
    else:
        base = existing
    former = list(base.anciens_noms)
    if existing is not None:
        replaced = []
        if "nom" in changes and changes["nom"] != existing.nom:
            replaced.append(existing.nom)
        if "noms_usuels" in changes:
            replaced.extend(n for n in existing.noms_usuels if n not in changes["noms_usuels"])  # type: ignore[operator]
        former.extend(replaced)
    pole = dataclasses.replace(base, **changes, source_file=source_file)  # type: ignore[arg-type]
    current = {normalize_key(n) for n in (pole.nom, *pole.noms_usuels)}
    kept = [n for n in dict.fromkeys(former) if normalize_key(n) not in current]
    return dataclasses.replace(pole, anciens_noms=tuple(kept))


def layer_files(files: Iterable[tuple[Path, str]], base: Iterable[Pole] | None = None) -> PoleLayers:
    """Apply `files` ((path, name as logged), in arrival order) over `base` (the shipped twelve)."""
    reader = PoleFileReader(base)
    results = []
    for path, source_file in files:
        try:
            results.append(reader.apply(path, source_file))
        except Exception:  # a bad file never stops the others: its log row says so
            from pipelines.shared.ledger import crash_result

            results.append(crash_result(source_file, KIND, path.suffix[1:].lower()))
    return PoleLayers(poles=reader.poles, results=tuple(results))


# (data folder, signature) -> layers: `ptce template` and tests ask more than once per process.
_CACHE: dict[tuple[str, tuple], PoleLayers] = {}
_CACHE_SIZE = 8


def _signature(layout: DataLayout, files: pd.DataFrame) -> tuple:
    """What the effective poles depend on: each file's name, content and time, and the register."""
    stamps = []
    for row in files.itertuples():
        stat = (layout.data_dir / row.source_file).stat()
        stamps.append((row.source_file, row.sha256, stat.st_mtime_ns))
    register = register_path(layout)
    reg = register.stat() if register.exists() else None
    return (tuple(stamps), (reg.st_size, reg.st_mtime_ns) if reg else None)


def effective_poles(layout: DataLayout) -> PoleLayers:
    """The poles in force for a data folder, read from `raw/poles/` (outside a run: `ptce template`)."""
    from pipelines.shared.inventory import scan_kind

    files = scan_kind(layout, KIND).to_read
    key = (str(layout.data_dir), _signature(layout, files))
    if key not in _CACHE:
        ordered = arrival_order(layout, files)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = layer_files((layout.data_dir / name, name) for name in ordered["source_file"])
    return _CACHE[key]


def poles_frame(poles: Iterable[Pole]) -> pd.DataFrame:
    """The `poles` table (contract columns) of `poles`."""
    rows = [
        {
            "pole_id": p.pole_id,
            "numero": p.numero,
            "nom": p.nom,
            "nom_court": p.nom_court,
            "noms_usuels": " | ".join(p.noms_usuels),
            "structure_initiatrice": p.structure_initiatrice,
            "description": p.description,
            "representants": p.representants,
            "departement": p.departement,
            "nom_departement": p.nom_departement,
            "region": p.region,
            "commune": p.commune,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "territoire": p.territoire or None,
            "secteur_principal": p.secteur_principal or None,
            "date_adhesion": p.date_entree,
            "date_depart": p.date_sortie,
            "anciens_noms": " | ".join(p.anciens_noms) or None,
            "fichier_reference": p.source_file,
        }
        for p in poles
    ]
    frame = pd.DataFrame(rows, columns=list(TABLES["poles"]))
    for column in ("date_adhesion", "date_depart"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    return frame


def staged_poles(con: duckdb.DuckDBPyConnection, layout: DataLayout) -> PoleSet:
    """The run's effective poles: `stg_poles`, written by the staging asset `stg_pole_files` upstream
    of every parser; read from `raw/poles/` when a test materialises a parser without it."""
    tables = con.execute("select table_name from information_schema.tables where table_name = 'stg_poles'")
    if tables.fetchall():
        return PoleSet.from_frame(con.execute("select * from stg_poles").df())
    return effective_poles(layout).poles


def members_for_templates(poles: PoleSet, today: date | None = None) -> PoleSet:
    """The poles a blank template offers: those still members today."""
    return poles.members_on(today or date.today())

"""Reading tabular files (CSV, XLSX) into sheets of numbered rows, as their senders wrote them.

CSV: UTF-8 with or without BOM, else CP1252 (French Excel), line by line when a file mixes both;
UTF-16 (Excel's « Texte Unicode ») with or without BOM; separator `;`, `,`, tab or `|`, sniffed.
XLSX: every sheet, cached values of formulas (openpyxl, read-only); a formula that was never
computed is kept as a `FormulaCell` so that it is reported, not mistaken for an empty cell; a number
in a cell formatted as a percentage is a `PercentCell`; merged ranges and hidden sheets are reported
to the parser. Hidden rows and columns are left out, as the sender does not see them, and listed in
`Sheet.hidden_rows` / `Sheet.hidden_columns` so that the file's log says so (`hidden_note`): hidden by
hand or by a filter, set to zero height or width, or not shown in a sheet whose rows are hidden by
default (`zeroHeight`, where only rows given a height of their own show). No
DuckDB extension is used: the machines have no internet, so `INSTALL excel` is not an option (SPEC §2).
Limits (`limites_lecture` in `qualite.yaml`): a CSV over the size limit, a workbook whose declared
uncompressed content or compression ratio is too large are refused before being read; a cell longer
than the cell limit is cut with a visible marker.
A file is read by what it contains, not only by its extension: an XLSX named `.csv` is read as a
workbook and a CSV named `.xlsx` as text, with a remark telling the sender to rename it.
Row numbers are those the sender sees (line in the file, row in the sheet).
Nothing here raises anything but `IngestionError` on bad content; its message is French and the
technical cause goes to the Dagster log only.
"""

from __future__ import annotations

import csv
import errno
import html
import io
import logging
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.shared.results import FileResult, IngestionError
from pipelines.shared.values import FormulaCell, PercentCell, truncate_text
from ptce.fmt import fmt_number
from ptce.reference import read_limits

# The logger `dagster.get_dagster_logger("ptce.ingest")` returns, named without importing Dagster:
# inside a run, Dagster captures it into the run's event log (technical details, never shown to users).
TECH_LOG = logging.getLogger("dagster.builtin.ptce.ingest")

MAX_SNIFF_LINES = 30
MAX_XLSX_ROWS = 1_048_576  # Excel's own limit: a row number beyond it means a damaged file
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream name of an encrypted (password-protected) Office file inside its OLE container.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f]")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR_R = re.compile(rb"\br=\"([A-Z]{1,3}[0-9]{1,7})\"")
_ATTR_T = re.compile(rb"\bt=\"(\w+)\"")
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", re.S)
_CELL_REF = rb"[A-Z]{1,3}[0-9]{1,7}"
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"(" + _CELL_REF + rb"(?::" + _CELL_REF + rb")?)\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_HIDDEN = re.compile(rb"\bhidden=\"(?:1|true)\"")
_SHEET_FORMAT = re.compile(rb"<(?:\w+:)?sheetFormatPr\b([^>]*)>")
_ZERO_HEIGHT = re.compile(rb"\bzeroHeight=\"(?:1|true)\"")
_ATTR_HT = re.compile(rb"\bht=\"([^\"]*)\"")
_ATTR_WIDTH = re.compile(rb"\bwidth=\"([^\"]*)\"")
_ATTR_MIN_MAX = re.compile(rb"\bmin=\"(\d+)\"[^>]*?\bmax=\"(\d+)\"")
_ATTR_ROW = re.compile(rb"\br=\"(\d+)\"")
_ATTR_S = re.compile(rb"\bs=\"(\d+)\"")
_XF_TAG = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b[^>]*?numFmtId=\"(\d+)\"[^>]*?formatCode=\"([^\"]*)\"")
_NUM_FMT_ID = re.compile(rb"\bnumFmtId=\"(\d+)\"")
_PERCENT_BUILTIN_FORMATS = {9, 10}  # "0%" and "0.00%"
MAX_XLSX_COLUMNS = 16_384  # Excel's own limit
# Parts of an Office archive that are parsed as XML (pictures are stored, not read).
_XML_PARTS = (".xml", ".rels", ".vml")
SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre"}


@dataclass
class Sheet:
    """Non-empty rows of one sheet (or of a CSV file): (row number, cells).

    `merged`: merged ranges of an XLSX sheet as (min_col, min_row, max_col, max_row), 1-based; only
    the top-left cell of a range holds the value. `hidden`: the sheet is hidden in Excel.
    `hidden_rows` / `hidden_columns`: rows and columns (1-based) hidden in Excel that held something;
    their cells are not in `rows`.
    """

    name: str | None
    rows: list[tuple[int, list[object]]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)


def hidden_note(sheets: list[Sheet]) -> str | None:
    """French remark naming the hidden rows and columns left out of visible sheets, if any."""
    parts = []
    for sheet in sheets:
        if sheet.hidden or not (sheet.hidden_rows or sheet.hidden_columns):
            continue
        found = []
        if sheet.hidden_rows:
            found.append(f"ligne(s) {_ranges(sheet.hidden_rows, str)}")
        if sheet.hidden_columns:
            found.append(f"colonne(s) {_ranges(sheet.hidden_columns, column_letter)}")
        parts.append(f"{' et '.join(found)} (feuille « {sheet.name} »)")
    if not parts:
        return None
    return (
        f"Lignes ou colonnes masquées ignorées : {' ; '.join(parts)}. Elles ne sont pas lues, comme "
        "une feuille masquée. Si leurs chiffres doivent être intégrés, affichez-les dans Excel "
        "(sélectionner les lignes ou colonnes voisines, clic droit > Afficher ; ou retirer le filtre) "
        "et renvoyez le fichier."
    )


def hidden_sheets_note(names: list[str], what: str) -> str:
    """French remark on the hidden sheets holding a table, left unread: « … Pour intégrer ces
    `what`, affichez la feuille dans Excel… » (`what`: « parcours », « lignes »…)."""
    listed = ", ".join(f"« {n} »" for n in names)
    return (
        f"Feuille(s) masquée(s) ignorée(s) : {listed} (elles ne sont pas lues). Pour intégrer ces "
        f"{what}, affichez la feuille dans Excel et renvoyez le fichier."
    )


def read_into(
    result: FileResult, path: Path, source_file: str
) -> tuple[list[Sheet], dict[str, str], str | None]:
    """Read a CSV or XLSX for a parser's `result`: (sheets, reader details, note on hidden cells).

    Records the file format, the reader's own remark (encoding, separator) and the note naming the
    hidden rows, columns or sheets left out, so that every parser reports them the same way.
    Raises `IngestionError` like `read_tabular`.
    """
    sheets, file_format, details = read_tabular(path, source_file)
    result.file_format = file_format
    if details.get("info"):
        result.infos.append(details["info"])
    hidden = hidden_note(sheets)
    if hidden:
        result.notes.append(hidden)
    return sheets, details, hidden


def _ranges(numbers: list[int], name: Any, shown: int = 20) -> str:
    """`[3, 4, 5, 9]` -> "3 à 5, 9" (at most `shown` ranges, then a count)."""
    spans: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], n)
        else:
            spans.append((n, n))
    texts = [name(a) if a == b else f"{name(a)} à {name(b)}" for a, b in spans[:shown]]
    if len(spans) > shown:
        texts.append(f"et {len(spans) - shown} autre(s) plage(s)")
    return ", ".join(texts)


def column_letter(index: int) -> str:
    """1 -> "A", 28 -> "AB": a column as Excel names it."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _os_error_text(exc: OSError) -> str:
    """What a file-system error means for the person who dropped the file, in French."""
    if exc.errno in {errno.EACCES, errno.EPERM}:
        return "accès refusé"
    if exc.errno == errno.ENOENT:
        return "fichier introuvable : il a été déplacé ou supprimé pendant la lecture"
    if exc.errno == errno.EISDIR:
        return "c'est un dossier, pas un fichier"
    if exc.errno in {errno.EBUSY, errno.ETXTBSY}:
        return "fichier occupé par un autre programme"
    return "erreur du système de fichiers"


def unreadable_file_error(exc: OSError, display_name: str) -> IngestionError:
    """The French error for a file the system cannot read (the technical cause goes to the log)."""
    TECH_LOG.warning("%s : lecture impossible : %r", display_name, exc)
    return IngestionError(
        f"{display_name} : fichier illisible ({_os_error_text(exc)}). Vérifiez qu'il n'est pas ouvert "
        "ailleurs ou protégé, puis déposez-le à nouveau.",
        detail=repr(exc),
    )


# --- CSV ----------------------------------------------------------------------------------------


def decode_text(data: bytes, display_name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8 (BOM or not) first, then CP1252, the French Excel default.

    A file that mixes UTF-8 and CP1252 lines (two exports pasted together) is decoded line by line;
    UTF-16 and UTF-32 are recognised by their BOM, UTF-16 also without one. Raises `IngestionError`
    for binary content.
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        text, encoding = _decode_strict(data, "utf-32", display_name), "utf-32"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _decode_strict(data, "utf-16", display_name), "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        text, encoding = _decode_8bit(data[3:])
        encoding = "utf-8-sig" if encoding == "utf-8" else f"utf-8-sig, {encoding}"
    elif b"\x00" in data[:4096]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise IngestionError(_binary_message(display_name))
        text, encoding = utf16
    else:
        text, encoding = _decode_8bit(data)
    sample = text[:65_536]
    if len(_CONTROL_CHARS.findall(sample)) > max(1, len(sample) // 100):
        raise IngestionError(_binary_message(display_name))
    return text, encoding


def _empty_file(display_name: str) -> IngestionError:
    return IngestionError(
        f"{display_name} : fichier vide, aucune ligne à lire. Vérifiez que le bon fichier a été "
        "déposé (un enregistrement a pu échouer) et renvoyez-le."
    )


def _binary_message(display_name: str) -> str:
    return (
        f"{display_name} : fichier binaire, pas un CSV. Enregistrez-le au format "
        "« CSV (séparateur : point-virgule) » ou envoyez le classeur .xlsx."
    )


def _decode_strict(data: bytes, encoding: str, display_name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestionError(
            f"{display_name} : texte {encoding.upper()} tronqué ou corrompu (octet {exc.start}). "
            "Réenregistrez le fichier depuis Excel au format « CSV UTF-8 » ou "
            "« CSV (séparateur : point-virgule) »."
        ) from exc


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """UTF-8, else CP1252 (Latin-1 for the few bytes CP1252 leaves undefined), line by line if mixed."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if not _UTF8_MULTIBYTE.search(data):
        # No UTF-8 sequence at all: a plain CP1252 file (the usual French Excel CSV).
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "latin-1"
    parts: list[str] = []
    used: set[str] = set()
    for line in data.splitlines(keepends=True):
        try:
            parts.append(line.decode("utf-8"))
            if not line.isascii():
                used.add("utf-8")
        except UnicodeDecodeError:
            try:
                parts.append(line.decode("cp1252"))
                used.add("cp1252")
            except UnicodeDecodeError:
                parts.append(line.decode("latin-1"))
                used.add("latin-1")
    eight_bit = "latin-1" if "latin-1" in used else "cp1252"
    return "".join(parts), (f"mixte (utf-8 et {eight_bit})" if "utf-8" in used else eight_bit)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without BOM: every other byte is zero (French text is mostly Latin letters)."""
    sample = data[:4096]
    if len(data) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.6 * len(odd) and even.count(0) <= 0.1 * len(even):
        encoding = "utf-16-le"
    elif even.count(0) >= 0.6 * len(even) and odd.count(0) <= 0.1 * len(odd):
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return None


def sniff_delimiter(text: str) -> str:
    """The separator that splits the first records most consistently.

    Records, not lines: a quoted answer may span several lines and hold commas. And a wrong
    separator leaves quote characters inside its fields (`PHARES;"Chômage` split on `,`), while the
    right one consumes them: fewer stray quotes wins first, then the steadier split.
    """
    if not text or text.isspace():
        return ";"
    head = "\n".join(text.splitlines()[: MAX_SNIFF_LINES * 4])
    quoted = '"' in head
    best, best_key = ";", None
    for sep in (";", ",", "\t", "|"):
        if sep not in head:
            continue  # every record would be one cell: nothing to weigh
        try:
            records = []
            for record in csv.reader(io.StringIO(head, newline=""), delimiter=sep):
                if "".join(record).strip():  # some cell holds more than spaces
                    records.append(record)
                if len(records) >= MAX_SNIFF_LINES:
                    break
        except csv.Error:
            continue
        useful = [len(r) - 1 for r in records if len(r) > 1]
        if not useful:
            continue
        stray_quotes = sum(cell.count('"') for r in records for cell in r) if quoted else 0
        # Favour separators present on most records with a stable count (the header and data rows).
        modal = max(set(useful), key=useful.count)
        key = (-stray_quotes, useful.count(modal) * 10 + modal)
        if best_key is None or key > best_key:
            best, best_key = sep, key
    return best


def read_csv(path: Path, display_name: str) -> tuple[list[Sheet], dict[str, str]]:
    """The rows of a CSV file; details give its encoding and separator (`separator_char` too).

    Refused above the size limit; a cell longer than the cell limit is cut with a visible marker.
    """
    limits = read_limits()
    size = path.stat().st_size
    if size > limits.csv_bytes:
        raise IngestionError(
            f"{display_name} : fichier CSV trop volumineux ({_megabytes(size)} ; limite "
            f"{_megabytes(limits.csv_bytes)}), il n'a pas été lu. Un envoi d'indicateurs ou de "
            "réponses tient en quelques centaines de lignes : vérifiez qu'il s'agit du bon fichier, "
            "retirez les lignes et colonnes qui ne font pas partie du tableau et renvoyez-le."
        )
    data = path.read_bytes()
    if not data.strip():
        raise _empty_file(display_name)
    text, encoding = decode_text(data, display_name)
    del data
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    line_start = 1
    cell_chars = limits.cell_chars
    try:
        for cells in reader:
            joined = "".join(cells)
            if joined.strip():  # some cell holds more than spaces
                if len(joined) > cell_chars and max(map(len, cells)) > cell_chars:
                    cells = [truncate_text(c, cell_chars) for c in cells]
                rows.append((line_start, cells))  # the reader gives a new list per record
            line_start = reader.line_num + 1
    except csv.Error as exc:
        TECH_LOG.warning("%s : erreur du lecteur CSV vers la ligne %s : %s", display_name, line_start, exc)
        if "field larger than field limit" in str(exc):
            raise IngestionError(
                f"{display_name} : une cellule de plus de {fmt_number(csv.field_size_limit())} "
                f"caractères commence ligne {line_start} : c'est en général un guillemet (\") ouvert "
                "et jamais refermé, qui avale la suite du fichier. Corrigez les guillemets de cette "
                "ligne, ou réenregistrez le fichier depuis Excel.",
                detail=str(exc),
            ) from exc
        raise IngestionError(
            f"{display_name} : CSV mal formé vers la ligne {line_start} (guillemets ou caractères "
            "inattendus). Vérifiez les guillemets de cette ligne, ou réenregistrez le fichier depuis "
            "Excel.",
            detail=str(exc),
        ) from exc
    if not rows:
        raise _empty_file(display_name)
    if reader.line_num > rows[-1][0]:
        _check_last_quote(text, rows[-1][0], delimiter, display_name)
    details = {
        "encoding": encoding,
        "separator": SEPARATOR_NAMES[delimiter],
        "separator_char": delimiter,
    }
    if encoding.startswith("mixte") or ", " in encoding:
        details["info"] = (
            "Encodage mixte (UTF-8 et Windows-1252) : les accents ont été lus ligne par ligne ; "
            "enregistrez le fichier en « CSV UTF-8 » pour éviter les erreurs d'accents."
        )
    return [Sheet(name=None, rows=rows)], details


def _check_last_quote(text: str, start_line: int, delimiter: str, display_name: str) -> None:
    """A quote opened and never closed swallows the rest of the file into one cell: refuse it."""
    lines = io.StringIO(text, newline="").readlines()
    tail = "".join(lines[start_line - 1 :])
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise IngestionError(
                f"{display_name} : guillemet ouvert ligne {start_line} et jamais refermé : toute la "
                'suite du fichier serait lue comme une seule cellule. Corrigez les guillemets (") de '
                "cette ligne, ou réenregistrez le fichier depuis Excel."
            ) from exc


# --- XLSX ---------------------------------------------------------------------------------------


def _not_a_workbook(data_head: bytes, data: bytes, display_name: str) -> IngestionError:
    if data_head.startswith(OLE_SIGNATURE):
        if _ENCRYPTED_STREAM in data:
            return IngestionError(
                f"{display_name} : classeur protégé par mot de passe, illisible sans lui. Ouvrez-le "
                "dans Excel, retirez le mot de passe (Fichier > Informations > Protéger le classeur > "
                "Chiffrer avec mot de passe : effacer), enregistrez-le au format .xlsx et renvoyez-le."
            )
        return IngestionError(
            f"{display_name} : classeur protégé par mot de passe ou au format Excel 97-2003 "
            "(.xls). Retirez la protection et enregistrez-le au format .xlsx."
        )
    if data_head.startswith(ZIP_SIGNATURE):
        return IngestionError(
            f"{display_name} : classeur .xlsx tronqué (envoi ou copie interrompus ?). Renvoyez le "
            "fichier complet, ou réenregistrez-le depuis Excel au format .xlsx."
        )
    return IngestionError(
        f"{display_name} : ce n'est pas un classeur Excel .xlsx lisible (fichier corrompu ou "
        "d'un autre format). Réenregistrez-le depuis Excel au format .xlsx."
    )


def read_xlsx(path: Path, display_name: str) -> tuple[list[Sheet], dict[str, str]]:
    """Every sheet of an XLSX workbook (hidden ones flagged), as the values Excel last computed."""
    if path.stat().st_size == 0:
        raise _empty_file(display_name)
    if not zipfile.is_zipfile(path):
        data = path.read_bytes()
        raise _not_a_workbook(data[:8], data, display_name)
    try:
        check_archive(path, display_name)
        return _read_workbook(path, display_name), {}
    except IngestionError:
        raise
    except Exception as exc:
        # openpyxl, zipfile, zlib and the XML parser raise many kinds of errors on a damaged file;
        # whichever it is, the sender's remedy is the same. The exception is for the log only.
        TECH_LOG.warning("%s : classeur illisible : %r", display_name, exc)
        raise IngestionError(
            f"{display_name} : classeur .xlsx illisible, tronqué ou corrompu. "
            "Réenregistrez-le depuis Excel au format .xlsx et renvoyez-le.",
            detail=repr(exc),
        ) from exc


def _megabytes(size: int) -> str:
    return f"{fmt_number(size / (1024 * 1024), decimals=1)} Mo"


def check_archive(path: Path, display_name: str, what: str = "classeur") -> None:
    """Refuse an Office archive (.xlsx, .docx) too large once uncompressed, before opening it.

    A few hundred kilobytes of zip can hold hundreds of megabytes of repetitive XML, which openpyxl
    would parse into gigabytes of memory. The sizes the archive declares bound what can be read
    (the zip reader stops at the declared size), so they are checked without decompressing.
    """
    limits = read_limits()
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    size = path.stat().st_size
    total = sum(m.file_size for m in members if m.filename.lower().endswith(_XML_PARTS))
    advice = (
        "Vérifiez qu'il s'agit du bon fichier ; sinon copiez le seul tableau dans un nouveau "
        "classeur (ou dans le modèle fourni par COORACE), sans cellules de texte très long ni "
        "lignes ou colonnes vides mises en forme, et renvoyez-le."
        if what == "classeur"
        else "Vérifiez qu'il s'agit du bon fichier ; sinon copiez le texte dans un nouveau document "
        "(ou dans la trame vierge), enregistrez-le au format .docx et renvoyez-le."
    )
    if total > limits.archive_bytes:
        TECH_LOG.warning("%s : %s octets de XML déclarés pour %s octets", display_name, total, size)
        raise IngestionError(
            f"{display_name} : {what} trop volumineux une fois décompressé ({_megabytes(total)} de "
            f"contenu pour un fichier de {_megabytes(size)} ; limite {_megabytes(limits.archive_bytes)}"
            f"), il n'a pas été ouvert. {advice}"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.archive_ratio_floor_bytes and ratio > limits.archive_ratio:
            TECH_LOG.warning("%s : %s compressé %.0f fois", display_name, member.filename, ratio)
            raise IngestionError(
                f"{display_name} : {what} anormalement compressé (une partie occupe "
                f"{_megabytes(member.file_size)} une fois décompressée, {fmt_number(ratio)} fois sa "
                f"taille dans le fichier), il n'a pas été ouvert. {advice}"
            )


@dataclass
class _SheetScan:
    """What openpyxl's read-only mode does not tell about a worksheet, from its XML."""

    has_formula: bool = False
    # Rows hidden by default (`<sheetFormatPr zeroHeight="1">`): a row shows only with a height of its own.
    zero_height: bool = False
    merges: set[bytes] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)  # 0-based
    # row -> 0-based columns of numbers shown as percentages
    percent_cells: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


def _percent_styles(archive: zipfile.ZipFile) -> set[bytes]:
    """Style indexes (`s="…"` of a cell) whose number format shows a percentage."""
    name = next((n for n in archive.namelist() if n.lower().endswith("styles.xml")), None)
    if name is None:
        return set()
    xml = archive.read(name)
    percent_formats = set(_PERCENT_BUILTIN_FORMATS)
    for fmt_id, code in _NUM_FMT.findall(xml):
        # A % in quotes or escaped by a backslash is literal text, not the percentage format.
        literal = re.sub(rb'"[^"]*"|&quot;.*?&quot;|\\.', b"", code)
        if b"%" in literal:
            percent_formats.add(int(fmt_id))
    xfs = _CELL_XFS.search(xml)
    if xfs is None:
        return set()
    styles = set()
    for index, attrs in enumerate(_XF_TAG.findall(xfs.group(1))):
        fmt = _NUM_FMT_ID.search(attrs)
        if fmt is not None and int(fmt.group(1)) in percent_formats:
            styles.add(str(index).encode("ascii"))
    return styles


def _scan_sheet_xml(archive: zipfile.ZipFile, member: str | None, percent_styles: set[bytes]) -> _SheetScan:
    """Formulas, merged ranges, hidden rows and columns, percent cells of a worksheet, as a stream."""
    scan = _SheetScan()
    if member is None:
        return scan
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            scan.has_formula = scan.has_formula or bool(_FORMULA_TAG.search(window))
            scan.merges.update(_MERGE_REF.findall(window))
            # The sheet's format comes before its rows (schema order): known before they are read.
            scan.zero_height = scan.zero_height or any(
                _ZERO_HEIGHT.search(attrs) for attrs in _SHEET_FORMAT.findall(window)
            )
            for attrs in _ROW_TAG.findall(window):
                row = _ATTR_ROW.search(attrs)
                height = _size(attrs, _ATTR_HT)
                if row is not None and (
                    _HIDDEN.search(attrs) or height == 0 or (scan.zero_height and not height)
                ):
                    scan.hidden_rows.add(int(row.group(1)))
            for attrs in _COL_TAG.findall(window):
                span = _ATTR_MIN_MAX.search(attrs)
                if span is not None and (_HIDDEN.search(attrs) or _size(attrs, _ATTR_WIDTH) == 0):
                    first, last = int(span.group(1)), min(int(span.group(2)), MAX_XLSX_COLUMNS)
                    scan.hidden_columns.update(range(first - 1, last))
            if percent_styles:
                for attrs in _CELL_TAG.findall(window):
                    style = _ATTR_S.search(attrs)
                    if style is None or style.group(1) not in percent_styles:
                        continue
                    kind = _ATTR_T.search(attrs)
                    ref = _ATTR_R.search(attrs)
                    if ref is not None and (kind is None or kind.group(1) == b"n"):
                        column, row = _split_ref(ref.group(1))
                        scan.percent_cells[row].add(column)
            tail = window[-200:]
    return scan


def _size(attrs: bytes, pattern: re.Pattern[bytes]) -> float | None:
    """A row height or column width from a tag's attributes; None when absent or unreadable."""
    found = pattern.search(attrs)
    if found is None:
        return None
    try:
        return float(found.group(1))
    except ValueError:
        return None


def _split_ref(ref: bytes) -> tuple[int, int]:
    """b"AB12" -> (27, 12): 0-based column, 1-based row."""
    letters = ref.rstrip(b"0123456789")
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return column - 1, int(ref[len(letters) :])


def _uncomputed_formulas(xml: bytes) -> dict[int, dict[int, str]]:
    """Formula cells without a computed result: {row: {column index (0-based): "=FORMULA"}}.

    openpyxl reads such a cell as empty, exactly like a formula whose result is an empty text
    (`=SI(A1="";"";…)`), so the sheet XML decides: a result is stored in `<v>`, and an empty text
    result is typed `t="str"`.
    """
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    found: dict[int, dict[int, str]] = defaultdict(dict)
    for attrs, inner in _CELL.findall(xml):
        if not inner or not _FORMULA_TAG.search(inner):
            continue
        ref = _ATTR_R.search(attrs)
        kind = _ATTR_T.search(attrs)
        value = _VALUE.search(inner)
        if ref is None or (kind is not None and kind.group(1) == b"str"):
            continue
        if value is not None and value.group(1).strip():
            continue
        column, row = coordinate_from_string(ref.group(1).decode("ascii"))
        formula = _FORMULA_TEXT.search(inner)
        text = html.unescape(formula.group(1).decode("utf-8", "replace")) if formula else ""
        found[row][column_index_from_string(column) - 1] = "=" + text if text else "=(formule partagée)"
    return found


def _read_workbook(path: Path, display_name: str) -> list[Sheet]:
    # Imported here: openpyxl is slow to import and only XLSX needs it.
    import openpyxl

    with path.open("rb") as handle:
        # A file object, not the path: openpyxl refuses a workbook whose name ends in .csv.
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        return _workbook_sheets(workbook, path, display_name)


def _has_content(value: object) -> bool:
    return value is not None and bool(str(value).strip())


def _workbook_sheets(workbook: Any, path: Path, display_name: str) -> list[Sheet]:
    from openpyxl.utils.cell import range_boundaries

    cell_chars = read_limits().cell_chars
    sheets: list[Sheet] = []
    try:
        with zipfile.ZipFile(path) as archive:
            percent_styles = _percent_styles(archive)
            scans = []
            for ws in workbook.worksheets:
                member = getattr(ws, "_worksheet_path", None)
                scan = _scan_sheet_xml(archive, member, percent_styles)
                formulas = _uncomputed_formulas(archive.read(member)) if scan.has_formula and member else {}
                scans.append((formulas, scan))
        for ws, (formulas, scan) in zip(workbook.worksheets, scans, strict=True):
            title = truncate_text(ws.title, 100)
            ws.reset_dimensions()  # trust the cells, not the declared size (often wrong)
            rows: list[tuple[int, list[object]]] = []
            hidden_rows: list[int] = []
            hidden_columns: set[int] = set()
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if number > MAX_XLSX_ROWS:
                    raise IngestionError(
                        f"{display_name} : feuille « {title} » de plus de {MAX_XLSX_ROWS} lignes : "
                        "classeur corrompu. Réenregistrez-le depuis Excel au format .xlsx."
                    )
                cells = list(values)
                for col, text in formulas.get(number, {}).items():
                    if col >= len(cells):
                        cells.extend([None] * (col + 1 - len(cells)))
                    if cells[col] is None:
                        cells[col] = FormulaCell(truncate_text(text, cell_chars))
                for col in scan.percent_cells.get(number, ()):
                    if (
                        col < len(cells)
                        and isinstance(cells[col], int | float)
                        and not isinstance(cells[col], bool)
                    ):
                        cells[col] = PercentCell(cells[col])
                if scan.hidden_columns and number not in scan.hidden_rows:
                    # The sender does not see these cells: left out, and said so.
                    for col in scan.hidden_columns.intersection(range(len(cells))):
                        if _has_content(cells[col]):
                            hidden_columns.add(col + 1)
                            cells[col] = None
                while cells and cells[-1] is None:
                    cells.pop()
                if any(_has_content(c) for c in cells):
                    if number in scan.hidden_rows:
                        hidden_rows.append(number)
                        continue
                    if any(isinstance(c, str) and len(c) > cell_chars for c in cells):
                        cells = [truncate_text(c, cell_chars) if isinstance(c, str) else c for c in cells]
                    rows.append((number, cells))
            merged = []
            for ref in scan.merges:
                min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
                if (min_col, min_row) != (max_col, max_row):
                    merged.append((min_col, min_row, max_col, max_row))
            sheets.append(
                Sheet(
                    name=title,
                    rows=rows,
                    merged=sorted(merged),
                    hidden=getattr(ws, "sheet_state", "visible") != "visible",
                    hidden_rows=hidden_rows,
                    hidden_columns=sorted(hidden_columns),
                )
            )
    finally:
        workbook.close()
    return sheets


# --- Dispatch -----------------------------------------------------------------------------------


def _looks_like_csv(data: bytes) -> bool:
    """Text with a separator on its first line (a CSV saved under another extension)."""
    try:
        text, _ = decode_text(data[:65_536], "")
    except IngestionError:
        return False
    first = next((line for line in text.splitlines() if line.strip()), "")
    return any(sep in first for sep in SEPARATOR_NAMES)


def read_tabular(path: Path, display_name: str) -> tuple[list[Sheet], str, dict[str, str]]:
    """Sheets of a `.csv` or `.xlsx` file, its format, and details (encoding, separator, info).

    `details["info"]`, when present, is a French remark for the sender (e.g. a file to rename).
    """
    try:
        return _read_tabular(path, display_name)
    except OSError as exc:
        raise unreadable_file_error(exc, display_name) from exc


def _read_tabular(path: Path, display_name: str) -> tuple[list[Sheet], str, dict[str, str]]:
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(8)
    if suffix in {".csv", ".txt"}:
        if head.startswith(ZIP_SIGNATURE):
            sheets, details = read_xlsx(path, display_name)
            details["info"] = (
                f"Ce fichier « {suffix} » est en réalité un classeur Excel : il a été lu comme un "
                ".xlsx. Renommez-le en .xlsx, ou enregistrez-le au format « CSV (séparateur : "
                "point-virgule) »."
            )
            return sheets, "xlsx", details
        if head.startswith(OLE_SIGNATURE):
            raise IngestionError(
                f"{display_name} : ce fichier « {suffix} » est en réalité un classeur Excel 97-2003 "
                "(.xls) ou protégé par mot de passe. Enregistrez-le au format .xlsx (sans mot de "
                "passe) ou « CSV (séparateur : point-virgule) »."
            )
        sheets, details = read_csv(path, display_name)
        return sheets, "csv", details
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        if head.startswith(ZIP_SIGNATURE) or (suffix != ".xls" and zipfile.is_zipfile(path)):
            sheets, details = read_xlsx(path, display_name)
            if suffix == ".xls":
                details["info"] = (
                    "Ce fichier « .xls » est en réalité un classeur .xlsx : il a été lu comme tel. "
                    "Renommez-le en .xlsx."
                )
            return sheets, "xlsx", details
        data = path.read_bytes()
        if suffix == ".xls" and head.startswith(OLE_SIGNATURE) and _ENCRYPTED_STREAM not in data:
            raise IngestionError(
                f"{display_name} : format Excel 97-2003 (.xls) non pris en charge. "
                "Enregistrez le classeur au format .xlsx."
            )
        if data.strip() and not head.startswith(OLE_SIGNATURE) and _looks_like_csv(data):
            sheets, details = read_csv(path, display_name)
            details["info"] = (
                f"Ce fichier « {suffix} » est en réalité un fichier texte (CSV) : il a été lu comme "
                "un CSV. Renommez-le en .csv, ou enregistrez-le depuis Excel au format .xlsx."
            )
            return sheets, "csv", details
        if suffix == ".xls" and not head.startswith(OLE_SIGNATURE):
            raise IngestionError(
                f"{display_name} : ce n'est pas un classeur Excel lisible (fichier corrompu ou d'un "
                "autre format). Enregistrez le classeur au format .xlsx."
            )
        if not data:
            raise _empty_file(display_name)
        raise _not_a_workbook(head, data, display_name)
    raise IngestionError(
        f"{display_name} : format « {suffix or 'sans extension'} » non pris en charge ici. "
        "Envoyez un classeur .xlsx ou un fichier .csv."
    )

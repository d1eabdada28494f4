"""Reading tabular files (CSV, XLSX) into sheets of numbered rows, as their senders wrote them.

CSV: UTF-8 with or without BOM, else CP1252 (French Excel); separator `;`, `,`, tab or `|`, sniffed.
XLSX: every sheet, cached values of formulas (openpyxl, read-only). No DuckDB extension is used: the
machines have no internet, so `INSTALL excel` is not an option (SPEC §2).
Row numbers are those the sender sees (line in the file, row in the sheet).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.model import IngestionError

MAX_SNIFF_LINES = 30


@dataclass
class Sheet:
    """Non-empty rows of one sheet (or of a CSV file): (row number, cells)."""

    name: str | None
    rows: list[tuple[int, list[object]]]


def decode_text(data: bytes, display_name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8 (BOM or not) first, then CP1252, the French Excel default."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise IngestionError(
            f"{display_name} : fichier binaire, pas un CSV. Enregistrez-le au format "
            "« CSV (séparateur : point-virgule) » ou envoyez le classeur .xlsx."
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # A few bytes are undefined in CP1252; Latin-1 maps every byte, so nothing is lost.
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The separator that splits the first lines most consistently."""
    lines = [line for line in text.splitlines()[:MAX_SNIFF_LINES] if line.strip()]
    if not lines:
        return ";"
    best, best_score = ";", -1.0
    for sep in (";", ",", "\t", "|"):
        counts = [len(next(csv.reader([line], delimiter=sep))) - 1 for line in lines]
        useful = [c for c in counts if c > 0]
        if not useful:
            continue
        # Favour separators present on most lines with a stable count (the header and data rows).
        modal = max(set(useful), key=useful.count)
        score = useful.count(modal) * 10 + modal
        if score > best_score:
            best, best_score = sep, score
    return best


def read_csv(path: Path, display_name: str) -> tuple[list[Sheet], dict[str, str]]:
    data = path.read_bytes()
    if not data.strip():
        raise IngestionError(f"{display_name} : fichier vide, aucune ligne à lire.")
    text, encoding = decode_text(data, display_name)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    try:
        line_start = 1
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((line_start, list(cells)))
            line_start = reader.line_num + 1
    except csv.Error as exc:
        raise IngestionError(
            f"{display_name} : CSV mal formé vers la ligne {reader.line_num} ({exc}). "
            "Vérifiez les guillemets, ou réenregistrez le fichier depuis Excel."
        ) from exc
    sep_name = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre"}[delimiter]
    return [Sheet(name=None, rows=rows)], {"encoding": encoding, "separator": sep_name}


def read_xlsx(path: Path, display_name: str) -> tuple[list[Sheet], dict[str, str]]:
    # Imported here: openpyxl is slow to import and only XLSX needs it.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if path.stat().st_size == 0:
        raise IngestionError(f"{display_name} : fichier vide, aucune ligne à lire.")
    if not zipfile.is_zipfile(path):
        head = path.read_bytes()[:8]
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            # OLE container: an old .xls, or an .xlsx protected by a password (encrypted).
            raise IngestionError(
                f"{display_name} : classeur protégé par mot de passe ou au format Excel 97-2003 "
                "(.xls). Retirez la protection et enregistrez-le au format .xlsx."
            )
        raise IngestionError(
            f"{display_name} : ce n'est pas un classeur Excel .xlsx lisible (fichier corrompu ou "
            "d'un autre format). Réenregistrez-le depuis Excel au format .xlsx."
        )
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise IngestionError(
            f"{display_name} : classeur .xlsx illisible ou tronqué ({type(exc).__name__}). "
            "Réenregistrez-le depuis Excel au format .xlsx."
        ) from exc
    sheets: list[Sheet] = []
    try:
        for ws in workbook.worksheets:
            rows: list[tuple[int, list[object]]] = []
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = list(values)
                if any(c is not None and str(c).strip() for c in cells):
                    rows.append((number, cells))
            sheets.append(Sheet(name=ws.title, rows=rows))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise IngestionError(
            f"{display_name} : classeur .xlsx tronqué ou corrompu ({type(exc).__name__}). "
            "Réenregistrez-le depuis Excel au format .xlsx."
        ) from exc
    finally:
        workbook.close()
    return sheets, {}


def read_tabular(path: Path, display_name: str) -> tuple[list[Sheet], str, dict[str, str]]:
    """Sheets of a `.csv` or `.xlsx` file, its format, and details (encoding, separator)."""
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        sheets, details = read_csv(path, display_name)
        return sheets, "csv", details
    if suffix in {".xlsx", ".xlsm"}:
        sheets, details = read_xlsx(path, display_name)
        return sheets, "xlsx", details
    if suffix == ".xls":
        raise IngestionError(
            f"{display_name} : format Excel 97-2003 (.xls) non pris en charge. "
            "Enregistrez le classeur au format .xlsx."
        )
    raise IngestionError(
        f"{display_name} : format « {suffix or 'sans extension'} » non pris en charge ici. "
        "Envoyez un classeur .xlsx ou un fichier .csv."
    )

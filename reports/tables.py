"""Small helpers shared by the report's sections: cells, units, sources, pole names.

Pure functions on the frames of `ptce.read`: a masked value becomes its small-cell label (the
string the read gives, « < 5 » or « s »), a missing one None, and the files of a row are joined
« ; » as `ReportTable.sources` wants them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ptce.fmt import fmt_count
from ptce.small_cells import SECONDARY_LABEL
from reports.model import Cell, Column, ColumnKind

# Catalogue units whose values are whole counts (persons, jobs, structures, contracts).
COUNT_UNITS = {"personnes", "nombre", "emplois", "contrats"}
# Units written as words in headers; a plain count (`nombre`) has none.
HEADER_UNITS = {
    "personnes": "personnes",
    "emplois": "emplois",
    "contrats": "contrats",
    "ETP": "ETP",
    "heures": "heures",
    "%": "%",
    "oui/non": "oui/non",
    "ratio": "rapport",
}
# The network figure of a yes/no indicator is the share of poles answering yes.
SHARE_UNITS = {"%", "oui/non"}
SEPARATOR = " ; "
# Excel keeps at most 32,767 characters in a cell. A network figure of a national network names
# every pole's files (2,000 poles x their files: several times that): beyond the limit, the row
# says how many files each folder holds instead of naming them.
SOURCES_LIMIT = 32_767


def is_missing(value: object) -> bool:
    """None, NaN or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(math.isnan(value))  # type: ignore[arg-type]
    except TypeError:
        return str(value) in {"<NA>", "NaT"}


def number(value: object) -> float | None:
    """A value as a float, None when missing."""
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def cell(value: object, mask: object = None) -> Cell:
    """A table cell: the small-cell label when masked, None when missing, else the number."""
    if isinstance(mask, str) and mask:
        return mask
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return int(value)
    return float(value)  # type: ignore[arg-type]


def network_cell(value: object, nb_poles: object) -> Cell:
    """A network figure: None when no pole reported it, the secondary label when the read withheld
    it although poles reported it (small cells: the total would give a masked pole back)."""
    if not is_missing(value):
        return float(value)  # type: ignore[arg-type]
    if not is_missing(nb_poles) and int(nb_poles) > 0:  # type: ignore[arg-type]
        return SECONDARY_LABEL
    return None


def unit_kind(unite: str) -> tuple[ColumnKind, int]:
    """How a column of one catalogue unit is written: counts whole, FTE and hours with a decimal,
    shares as percentages, ratios with two decimals."""
    if unite in COUNT_UNITS:
        return "count", 0
    if unite in SHARE_UNITS:
        return "percent", 1
    if unite == "ratio":
        return "number", 2
    return "number", 1


def header(libelle: str, unite: str) -> str:
    """« Salariés des structures membres (personnes) »; a plain count has no unit."""
    word = HEADER_UNITS.get(unite)
    return f"{libelle} ({word})" if word else libelle


def indicator_column(libelle: str, unite: str) -> Column:
    kind, decimals = unit_kind(unite)
    return Column(header(libelle, unite), kind, decimals)


def sources(files: Iterable[str]) -> str:
    """Files joined « ; », each once, sorted (« » when none). When they would not fit in one
    spreadsheet cell (`SOURCES_LIMIT`), how many files there are in each folder, first and last."""
    unique = sorted({f for f in files if f})
    joined = SEPARATOR.join(unique)
    return joined if len(joined) <= SOURCES_LIMIT else _by_folder(unique)


def _by_folder(files: list[str]) -> str:
    folders: dict[str, list[str]] = {}
    for path in files:
        folder, _, name = path.rpartition("/")
        folders.setdefault(f"{folder}/" if folder else "", []).append(name)
    parts = []
    for folder, names in folders.items():
        span = f"« {names[0]} »" if len(names) == 1 else f"de « {names[0]} » à « {names[-1]} »"
        count = fmt_count(len(names), "fichier", "fichiers")
        parts.append(f"{folder or 'dossier des données'} : {count}, {span}")
    total = fmt_count(len(files), "fichier", "fichiers")
    return f"{total}, trop nombreux pour être nommés un à un dans une cellule : " + SEPARATOR.join(parts)


def pole_label(numero: object, nom: str) -> str:
    """« 3. PHARES »: the pole's number then its name, as the dashboards' tables write it."""
    return f"{int(numero)}. {nom}" if not is_missing(numero) else nom  # type: ignore[arg-type]


def yes_no(value: object) -> str | None:
    if is_missing(value):
        return None
    return "oui" if bool(value) else "non"

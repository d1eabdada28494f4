"""The demo pathway files, written the ways poles write them (the rows come from `demo.demo_stays`).

- Sud Aquitain, Laine: one XLSX per year, the pole named only in the title row (Laine's 2015 file
  gives an age band instead of the birth date);
- PHARES, Tarnais: one XLSX per year with a « Pôle » column (PHARES adds « Nom », « Prénom »; the
  Tarnais pole writes exit categories, not reasons);
- Bourian, FigeACTeurs: CP1252 `;` CSV per year with a « Pôle » column (« 6 - FigeACTeurs »);
- Bou'Sol, Éco-matériaux: CP1252 `;` CSV per year, the pole only in the file name (Bou'Sol adds
  « Nom », « Prénom »);
- RE-Sources: one UTF-8 `,` export of 2015–2017 from a tool: ISO dates, categories, age bands;
- Domb'Innov: UTF-8 (with BOM) `;` CSV per year, the pole only in the file name;
- ESCI and AlpEn: one XLSX per year for both Isère poles, « Pôle » column.

A yearly file lists the stays overlapping its year as known at its end: an exit that happens later
is blank, then the next year's file repeats the stay with its exit date (a resubmission). Training
hours of a stay still open are the hours done so far. Every file says the data are fictitious
(title row of an XLSX, first comment of a CSV). Bytes are stable: fixed XLSX timestamps.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from pipelines.pathways.demo import AGE_BANDS
from pipelines.shared.sample import normalise_zip
from ptce.reference import Pole, load_poles

NOTICE = "Données fictives de démonstration : personnes et structures inventées, aucune personne réelle"

# Header of each field, per file family. Keys: see `_values`.
_XLSX_TITLED = (
    ("N° personne", "id"),
    ("Structure", "structure"),
    ("Date d'entrée", "entree"),
    ("Date de sortie", "sortie"),
    ("Motif de sortie", "motif"),
    ("Sexe", "sexe"),
    ("Date de naissance", "naissance"),
    ("DELD", "deld"),
    ("RSA", "rsa"),
    ("QPV", "qpv"),
    ("RQTH", "rqth"),
    ("Heures de formation", "heures"),
    ("Certification obtenue", "certif"),
)
_XLSX_COLUMN = (
    ("Pôle", "pole"),
    ("Identifiant", "id"),
    ("Structure", "structure"),
    ("Date d'entrée", "entree"),
    ("Date de sortie", "sortie"),
    ("Motif de sortie", "motif"),
    ("Sexe", "sexe"),
    ("Date de naissance", "naissance"),
    ("DELD", "deld"),
    ("Bénéficiaire du RSA", "rsa"),
    ("QPV", "qpv"),
    ("RQTH", "rqth"),
    ("Heures de formation", "heures"),
    ("Certification", "certif"),
    ("Commentaire", "commentaire"),
)
_CSV_FR = (
    ("Pôle", "pole"),
    ("Identifiant", "id"),
    ("Structure", "structure"),
    ("Date d'entrée", "entree"),
    ("Date de sortie", "sortie"),
    ("Motif de sortie", "motif"),
    ("Sexe", "sexe"),
    ("Date de naissance", "naissance"),
    ("DELD", "deld"),
    ("RSA", "rsa"),
    ("QPV", "qpv"),
    ("RQTH", "rqth"),
    ("Heures de formation", "heures"),
    ("Certification", "certif"),
    ("Commentaire", "commentaire"),
)
_EXPORT = (
    ("identifiant", "id"),
    ("pole", "pole"),
    ("structure", "structure"),
    ("date_entree", "entree"),
    ("date_sortie", "sortie"),
    ("categorie_sortie", "motif"),
    ("sexe", "sexe"),
    ("tranche_age", "tranche"),
    ("deld", "deld"),
    ("rsa", "rsa"),
    ("qpv", "qpv"),
    ("rqth", "rqth"),
    ("heures_formation", "heures"),
    ("certification", "certif"),
    ("commentaire", "commentaire"),
)
_NAMES = (("Nom", "nom"), ("Prénom", "prenom"))
# How the Laine pole wrote the age bands in 2015, before it recorded birth dates.
_BAND_WRITTEN = dict(zip(AGE_BANDS, ("- 26 ans", "26-44", "45-54", "55+"), strict=True))

Columns = tuple[tuple[str, str], ...]


def _with_names(columns: Columns) -> Columns:
    """Identifying columns some poles keep beside the identifier (never read by the pipeline)."""
    at = next(i for i, (_, key) in enumerate(columns) if key == "id") + 1
    return (*columns[:at], *_NAMES, *columns[at:])


def _without(columns: Columns, *keys: str) -> Columns:
    return tuple(c for c in columns if c[1] not in keys)


def _renamed(columns: Columns, key: str, header: str) -> Columns:
    return tuple((header if k == key else h, k) for h, k in columns)


def _plain(stays: pd.DataFrame) -> list[dict[str, object]]:
    """The stays as plain Python values (dates as `date`, None for a missing exit)."""
    out = stays.astype(object).where(stays.notna(), None).to_dict("records")
    for stay in out:
        for key in ("date_entree", "date_sortie", "date_naissance"):
            if stay[key] is not None:
                stay[key] = stay[key].date()
    return out


def _values(stay: dict[str, object], pole_label: str, as_of: int | None) -> dict[str, object]:
    """A stay as its file states it at the end of year `as_of` (None: as known at the end of 2017)."""
    entree, sortie = stay["date_entree"], stay["date_sortie"]
    known = sortie is not None and (as_of is None or sortie.year <= as_of)
    hours = float(stay["heures_formation"])
    if sortie is not None and not known:  # hours done so far, pro rata of the days already spent
        so_far = (date(as_of, 12, 31) - entree).days + 1
        hours = round(hours * so_far / ((sortie - entree).days + 1) * 2) / 2
    return {
        "pole": pole_label,
        "id": stay["person_id"],
        "nom": stay["nom"],
        "prenom": stay["prenom"],
        "structure": stay["structure"],
        "entree": entree,
        "sortie": sortie if known else None,
        "motif": stay["motif_sortie"] if known else None,
        "sexe": stay["sexe"],
        "naissance": stay["date_naissance"],
        "tranche": stay["tranche_age"],
        "tranche_ecrite": _BAND_WRITTEN[str(stay["tranche_age"])],
        "deld": bool(stay["deld"]),
        "rsa": bool(stay["rsa"]),
        "qpv": bool(stay["qpv"]),
        "rqth": bool(stay["rqth"]),
        "heures": hours,
        "certif": bool(stay["certification"]) and known,
        "commentaire": stay["commentaire"],
    }


def _rows(stays: list[dict[str, object]], year: int | None) -> list[dict[str, object]]:
    """Stays overlapping `year` (all when None), in the order a pole's tool lists them."""
    if year is None:
        return sorted(stays, key=lambda s: (s["person_id"], s["date_entree"]))
    first, last = date(year, 1, 1), date(year, 12, 31)
    kept = [
        s
        for s in stays
        if s["date_entree"] <= last and (s["date_sortie"] is None or s["date_sortie"] >= first)
    ]
    return sorted(kept, key=lambda s: (s["structure"], s["date_entree"], s["person_id"]))


def _hours_text(value: float, decimal: str) -> str:
    return str(int(value)) if value.is_integer() else f"{value:.1f}".replace(".", decimal)


def _csv_cell(value: object, iso: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.isoformat() if iso else value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return _hours_text(value, "." if iso else ",")
    return str(value)


def _write_csv(
    path: Path, columns: Columns, records: list[dict[str, object]], *, delimiter: str, encoding: str
) -> None:
    iso = delimiter == ","
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if not iso else "\n")
    writer.writerow([header for header, _ in columns])
    for i, record in enumerate(records):
        cells = [_csv_cell(record[key], iso) for _, key in columns]
        if i == 0:  # the notice rides in the first row's free comment
            cells[-1] = NOTICE
        writer.writerow(cells)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _write_xlsx(path: Path, titles: list[str], columns: Columns, records: list[dict[str, object]]) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)  # streamed: several times faster on thousands of rows
    ws = wb.create_sheet("Parcours")

    def styled(value: object, **style: object) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    ws.append([styled(titles[0], font=Font(bold=True, size=14))])
    for title in titles[1:]:
        ws.append([title])
    ws.append([])
    ws.append([styled(header, font=Font(bold=True)) for header, _ in columns])
    for record in records:
        line: list[object] = []
        for _, key in columns:
            value = record[key]
            if isinstance(value, bool):
                value = "Oui" if value else "Non"
            elif isinstance(value, date):  # a real Excel date, shown the French way
                value = styled(value, number_format="DD/MM/YYYY")
            elif value == "":
                value = None
            line.append(value)
        ws.append(line)
    fixed = datetime(2018, 1, 15, 9, 0, 0)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "Observatoire PTCE (démo)"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(normalise_zip(buffer.getvalue()))


def _sent(year: int, pole: Pole) -> datetime:
    """A yearly file is sent in March of the next year."""
    return datetime(year + 1, 3, pole.numero, 10, 0, tzinfo=UTC)


def write_demo_files(folder: Path, stays: pd.DataFrame) -> list[tuple[Path, datetime]]:
    """Write every demo pathway file in `folder`; return each with its sending date."""
    poles = {p.pole_id: p for p in load_poles()}
    written: list[tuple[Path, datetime]] = []
    by_pole: dict[str, list[dict[str, object]]] = {}
    for stay in _plain(stays):
        by_pole.setdefault(str(stay["pole_id"]), []).append(stay)

    def records(pole_ids: tuple[str, ...], year: int | None, label: Callable[[Pole], str]) -> list[dict]:
        out = []
        for pole_id in pole_ids:
            for stay in _rows(by_pole[pole_id], year):
                out.append(_values(stay, label(poles[pole_id]), year))
        return out

    def slug(pole_id: str) -> str:
        return pole_id.replace("_", "-")

    for year in (2015, 2016, 2017):
        # The pole only in the title row.
        for pole_id, name in (
            ("sud_aquitain", f"tableau_suivi_parcours_{year}.xlsx"),
            ("laine_saugues", f"parcours_accompagnes_{year}.xlsx"),
        ):
            pole = poles[pole_id]
            columns = _XLSX_TITLED
            if pole_id == "laine_saugues" and year == 2015:
                columns = tuple(
                    ("Tranche d'âge", "tranche_ecrite") if k == "naissance" else (h, k) for h, k in columns
                )
            path = folder / name
            titles = [f"Suivi des parcours {year}", f"Pôle : {pole.nom}", NOTICE]
            _write_xlsx(path, titles, columns, records((pole_id,), year, lambda p: p.nom_court))
            written.append((path, _sent(year, pole)))
        # A « Pôle » column.
        for pole_id in ("phares", "tarnais"):
            pole = poles[pole_id]
            columns = (
                _with_names(_XLSX_COLUMN)
                if pole_id == "phares"
                else _renamed(_XLSX_COLUMN, "motif", "Catégorie de sortie")
            )
            path = folder / f"parcours_{slug(pole_id)}_{year}.xlsx"
            rows = records((pole_id,), year, lambda p: p.nom_court)
            _write_xlsx(path, [f"Suivi des parcours {year}", NOTICE], columns, rows)
            written.append((path, _sent(year, pole)))
        for pole_id in ("bourian", "figeacteurs"):
            pole = poles[pole_id]
            path = folder / f"parcours_{slug(pole_id)}_{year}.csv"
            label = (
                (lambda p: p.nom_court) if pole_id == "bourian" else (lambda p: f"{p.numero} - {p.nom_court}")
            )
            _write_csv(path, _CSV_FR, records((pole_id,), year, label), delimiter=";", encoding="cp1252")
            written.append((path, _sent(year, pole)))
        # The pole only in the file name.
        for pole_id, encoding in (
            ("bousol", "cp1252"),
            ("eco_materiaux", "cp1252"),
            ("dombinnov", "utf-8-sig"),
        ):
            pole = poles[pole_id]
            columns = _without(_CSV_FR, "pole")
            if pole_id == "bousol":
                columns = _with_names(columns)
            path = folder / f"parcours_{slug(pole_id)}_{year}.csv"
            _write_csv(
                path,
                columns,
                records((pole_id,), year, lambda p: p.nom_court),
                delimiter=";",
                encoding=encoding,
            )
            written.append((path, _sent(year, pole)))
        # Both Isère poles in one workbook.
        path = folder / f"parcours_isere_esci-alpen_{year}.xlsx"
        rows = records(("esci", "alpen"), year, lambda p: p.nom_court)
        _write_xlsx(path, [f"Suivi des parcours {year} — PTCE isérois", NOTICE], _XLSX_COLUMN, rows)
        written.append((path, _sent(year, poles["esci"]).replace(day=20)))
    # One export of the three years from RE-Sources' tool, sent at the start of 2018.
    path = folder / "export_parcours_re-sources_2015-2017.csv"
    _write_csv(
        path, _EXPORT, records(("re_sources",), None, lambda p: p.pole_id), delimiter=",", encoding="utf-8"
    )
    written.append((path, datetime(2018, 1, 29, 16, 30, tzinfo=UTC)))
    return written

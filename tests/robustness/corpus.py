"""A corpus of malformed indicator files, built from code: one function per case.

Each case returns `(file name, bytes)`; `write_corpus(folder)` writes them all. The files imitate what
poles really send (Excel exports in odd encodings, hand-made CSV, damaged or protected workbooks) and
mix good rows with bad ones. Good values use years 2018-2021, and no two cases give figures for the
same pole and period, so that they never collide with the demo data (2015-2017) nor with each other
(a later file for a pole and period replaces the earlier one as a whole): the end-to-end test can
count exactly what must reach the warehouse. What each case must give is written in `test_corpus.py`.

`EXPORT_CASES` are form-tool exports of the application form (`raw/candidatures/`), one pole per row,
with bad rows among good ones; each export case names its own poles (no two cases on one pole).
"""

from __future__ import annotations

import csv
import io
import random
import re
import struct
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

CaseBuilder = Callable[[], tuple[str, bytes]]
CASES: dict[str, CaseBuilder] = {}


def case(builder: CaseBuilder) -> CaseBuilder:
    """Register a case under its function name."""
    CASES[builder.__name__] = builder
    return builder


EXPORT_CASES: dict[str, CaseBuilder] = {}


def export_case(builder: CaseBuilder) -> CaseBuilder:
    """Register a form-tool export case under its function name."""
    EXPORT_CASES[builder.__name__] = builder
    return builder


def build_case(name: str) -> tuple[str, bytes]:
    """(file name, bytes) of one case."""
    return {**CASES, **EXPORT_CASES}[name]()


def write_corpus(folder: Path, cases: dict[str, CaseBuilder] | None = None) -> dict[str, Path]:
    """Write every case (of `CASES`, or of `cases`) into `folder`; returns case name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, builder in (CASES if cases is None else cases).items():
        file_name, data = builder()
        path = folder / file_name
        assert not path.exists(), f"two cases write {file_name}"
        path.write_bytes(data)
        written[name] = path
    return written


# --- helpers ------------------------------------------------------------------------------------


def _lines(*lines: str, end: str = "\n") -> str:
    return end.join(lines) + end


def _xlsx(fill: Callable[[Workbook], None]) -> bytes:
    wb = openpyxl.Workbook()
    wb.properties.creator = "corpus"
    wb.properties.created = wb.properties.modified = datetime(2020, 1, 1)
    fill(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rewrite_member(xlsx: bytes, member: str, edit: Callable[[bytes], bytes]) -> bytes:
    """The same workbook with one zip member edited (to write what openpyxl cannot)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, edit(data) if item.filename == member else data)
    return out.getvalue()


def _cfb(streams: list[tuple[str, bytes]]) -> bytes:
    """A minimal Compound File Binary (OLE2) container, the format of .xls and encrypted .xlsx.

    Version 3, 512-byte sectors, one FAT sector, one directory sector; every stream is padded to
    4096 bytes so it lives in regular sectors (no mini stream). Enough for any reader to see what
    the file is; not meant to be opened by Excel.
    """
    sector = 512
    free, end_chain, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    assert len(streams) <= 3
    padded = [(name, data.ljust(4096, b"\0")) for name, data in streams]
    fat = [fat_sector, end_chain]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for _, data in padded:
        n = len(data) // sector
        first = len(fat)
        starts.append(first)
        fat.extend(range(first + 1, first + n))
        fat.append(end_chain)
    fat.extend([free] * (128 - len(fat)))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, right, child)
            + b"\0" * 16  # CLSID
            + b"\0" * 4  # state bits
            + b"\0" * 16  # creation and modification times
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1 if padded else no_stream, no_stream, end_chain, 0)
    for i, ((name, data), start) in enumerate(zip(padded, starts, strict=True)):
        right = i + 2 if i + 1 < len(padded) else no_stream
        directory += entry(name, 2, no_stream, right, start, len(data))
    while len(directory) < sector:
        directory += entry("", 0, no_stream, no_stream, 0, 0)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end_chain, 0, end_chain, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    assert len(header) == sector
    body = struct.pack("<128I", *fat) + directory
    return header + body + b"".join(data for _, data in padded)


def _wide_sheet(ws, title_pole: str | None, header: list[str], rows: list[list[object]]) -> None:
    ws.append(["Observatoire PTCE — tableau de bord (corpus de test)"])
    if title_pole:
        ws.append([f"Pôle : {title_pole}"])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)


# --- encodings ----------------------------------------------------------------------------------


@case
def utf16_unicode_text() -> tuple[str, bytes]:
    """Excel « Texte Unicode » export: UTF-16 LE with BOM, tab-separated."""
    text = _lines(
        "Pôle\tPériode\tIndicateur\tValeur",
        "Bou'Sol\t2018\tSalariés des structures membres\t1 234",
        "Bou'Sol\t2018\tÉquivalents temps plein des membres\t37,5",
        end="\r\n",
    )
    return "corpus_texte_unicode.csv", text.encode("utf-16")


@case
def utf16_without_bom() -> tuple[str, bytes]:
    """UTF-16 LE with no BOM (some export tools), `;`-separated."""
    text = _lines("pôle;période;indicateur;valeur", "ESCI;2018;membres;14", "ESCI;2018;etp;12,5")
    return "corpus_utf16_sans_bom.csv", text.encode("utf-16-le")


@case
def utf16_truncated() -> tuple[str, bytes]:
    """UTF-16 file cut in the middle of a character (odd number of bytes)."""
    text = _lines("pôle;période;indicateur;valeur", "ESCI;2018;membres;14")
    return "corpus_utf16_tronque.csv", text.encode("utf-16")[:-1]


@case
def latin1_with_c1_controls() -> tuple[str, bytes]:
    """ISO-8859-1 file with bytes CP1252 leaves undefined (0x81, 0x8D) in a comment."""
    text = _lines(
        "Pôle;Période;Indicateur;Valeur;Commentaire",
        "PHARES;2018;Structures membres du pôle;16;réf\x8d interne",
        "PHARES;2018;Salariés des structures membres;240;\x81",
    )
    return "corpus_latin1.csv", text.encode("latin-1")


@case
def mixed_utf8_cp1252() -> tuple[str, bytes]:
    """Two exports pasted together: UTF-8 header and line, then a CP1252 line."""
    data = (
        "Pôle;Période;Indicateur;Valeur;Commentaire\n".encode()
        + "Pôle Tarnais;2018;membres;21;déjà compté\n".encode()
        + "Pôle Tarnais;2018;salaries;310;réunion d'été\n".encode("cp1252")
    )
    return "corpus_encodage_mixte.csv", data


@case
def bom_then_cp1252() -> tuple[str, bytes]:
    """UTF-8 BOM, then a line in CP1252 (an invalid UTF-8 byte after a BOM)."""
    data = (
        b"\xef\xbb\xbf"
        + "Pôle;Période;Indicateur;Valeur\n".encode()
        + "Bourian;2018;Entrées en parcours;9\n".encode("cp1252")
        + b"Bourian;2018;membres;11\n"
    )
    return "corpus_bom_puis_cp1252.csv", data


# --- separators ---------------------------------------------------------------------------------


@case
def tab_separated() -> tuple[str, bytes]:
    text = _lines(
        "pole\tperiode\tindicateur\tvaleur", "FigeACTeurs\t2018\tmembres\t17", "6\t2018-T2\tsorties\t3"
    )
    return "corpus_tabulations.csv", text.encode()


@case
def pipe_separated() -> tuple[str, bytes]:
    text = _lines("pole|periode|indicateur|valeur", "Éco-matériaux|2018|membres|9", "8|T3 2018|sorties|4")
    return "corpus_barres.csv", text.encode()


@case
def comma_with_decimal_commas() -> tuple[str, bytes]:
    """`,` separator and unquoted decimal commas: "12,5" becomes two cells."""
    text = _lines(
        "pole,periode,indicateur,valeur,commentaire",
        "RE-Sources,2018,membres,20,",  # 2: fine
        "RE-Sources,2018,etp,12,5,",  # 3: 12,5 split in two
        'RE-Sources,2018,heures_formation,"1234,5",',  # 4: quoted, fine
        "RE-Sources,2018,salaries,1,234,",  # 5: thousands comma split in two
        "RE-Sources,2018,etp_animation,1.5,ok",  # 6: decimal point, fine
    )
    return "corpus_virgules_decimales.csv", text.encode()


@case
def trailing_separators() -> tuple[str, bytes]:
    text = _lines(
        "Pôle;Période;Indicateur;Valeur;",
        "Domb'Innov;2018;membres;25;",
        "Domb'Innov;2018;salaries_cdi;80;;",
    )
    return "corpus_separateurs_en_fin.csv", text.encode("cp1252")


@case
def bom_semicolon() -> tuple[str, bytes]:
    text = _lines(
        "Pôle;Période;Indicateur;Valeur",
        "Pôle AlpEn;2018;Heures de formation dispensées;2\u00a0345,5",
        "Pôle AlpEn;2018;Salariés des structures membres;1\u202f020",
        end="\r\n",
    )
    return "corpus_bom_point_virgule.csv", b"\xef\xbb\xbf" + text.encode()


# --- structure ----------------------------------------------------------------------------------


@case
def missing_value_column() -> tuple[str, bytes]:
    text = _lines("pole;periode;indicateur", "PHARES;2019;membres", "PHARES;2019;salaries")
    return "corpus_sans_colonne_valeur.csv", text.encode()


@case
def missing_pole() -> tuple[str, bytes]:
    """No pole column, no title row, a file name naming no pole."""
    text = _lines("periode;indicateur;valeur", "2019;membres;3")
    return "corpus_export_2019.csv", text.encode()


@case
def missing_period_column() -> tuple[str, bytes]:
    text = _lines("pole;indicateur;valeur", "PHARES;membres;3")
    return "corpus_sans_periode.csv", text.encode()


@case
def duplicated_columns() -> tuple[str, bytes]:
    text = _lines("pole;periode;indicateur;valeur;Valeur", "PHARES;2019;membres;3;4")
    return "corpus_colonnes_en_double.csv", text.encode()


@case
def code_and_label_columns() -> tuple[str, bytes]:
    """A code column next to a label column: codes decide, labels are checked."""
    text = _lines(
        "Pôle;Période;Code indicateur;Libellé;Valeur",
        "Pôle Laine;2018;membres;Structures membres du pôle;12",  # 2: agree
        "Pôle Laine;2018;;Salariés des structures membres;150",  # 3: label only
        "Pôle Laine;2018;etp;Salariés en CDI;80",  # 4: disagree
    )
    return "corpus_code_et_libelle.csv", text.encode()


@case
def header_only_csv() -> tuple[str, bytes]:
    return "corpus_entete_seul.csv", b"pole;periode;indicateur;valeur\r\n"


@case
def header_only_sheet_xlsx() -> tuple[str, bytes]:
    """A filled wide sheet, and a long sheet left with its header only (as in the template)."""

    def fill(wb: Workbook) -> None:
        wide = wb.active
        wide.title = "Saisie annuelle"
        _wide_sheet(
            wide,
            "Pôle Sud Aquitain",
            ["Année", "Structures membres du pôle", "Salariés des structures membres"],
            [[2018, 30, 410]],
        )
        long = wb.create_sheet("Saisie détaillée")
        long.append(["Pôle", "Période", "Indicateur", "Valeur", "Commentaire"])

    return "corpus_feuille_entete_seule.xlsx", _xlsx(fill)


@case
def header_only_xlsx() -> tuple[str, bytes]:
    def fill(wb: Workbook) -> None:
        wb.active.append(["Pôle", "Période", "Indicateur", "Valeur"])

    return "corpus_entete_seul.xlsx", _xlsx(fill)


@case
def empty_file() -> tuple[str, bytes]:
    return "corpus_vide.csv", b""


@case
def blank_file() -> tuple[str, bytes]:
    return "corpus_blanc.csv", b"\r\n  \r\n;;;\r\n"


@case
def blank_rows_in_the_middle() -> tuple[str, bytes]:
    text = _lines(
        "pole;periode;indicateur;valeur",  # 1
        "1;2019;membres;31",  # 2
        "",  # 3
        ";;;",  # 4
        "1;2019;salaries;420",  # 5
        "   ",  # 6
        "1;2019;etp;300,5",  # 7
    )
    return "corpus_lignes_vides.csv", text.encode()


@case
def quoted_newlines() -> tuple[str, bytes]:
    text = _lines(
        "pole;periode;indicateur;valeur;commentaire",  # 1
        'Pôle Laine;2019;membres;13;"première ligne',  # 2
        "deuxième ligne; avec un point-virgule",  # 3
        'fin"',  # 4
        'Pôle Laine;2019;salaries;"1 500";',  # 5
        "Pôle Laine;2019;salaries_cdi;douze;",  # 6
    )
    return "corpus_retours_ligne.csv", text.encode()


@case
def unclosed_quote() -> tuple[str, bytes]:
    text = _lines(
        "pole;periode;indicateur;valeur;commentaire",
        "Pôle Laine;2019;etp;10;ok",
        'Pôle Laine;2019;membres;13;"guillemet jamais refermé',
        "Pôle Laine;2019;salaries;150;",
    )
    return "corpus_guillemet_ouvert.csv", text.encode()


# --- values -------------------------------------------------------------------------------------


@case
def unknown_pole() -> tuple[str, bytes]:
    text = _lines(
        "pole;periode;indicateur;valeur",
        "Pôle Nord;2019;membres;5",  # 2
        "13;2019;membres;5",  # 3
        "0;2019;membres;5",  # 4
        ";2019;membres;5",  # 5
        "PTCE Bourian;2019;membres;15",  # 6: fine
    )
    return "corpus_pole_inconnu.csv", text.encode()


@case
def unknown_indicator_long() -> tuple[str, bytes]:
    text = _lines(
        "pole;periode;indicateur;valeur",
        "FigeACTeurs;2019;chiffre_affaires;120000",  # 2
        "FigeACTeurs;2019;;4",  # 3
        "FigeACTeurs;2019;taux_sortie_dynamique;0,5",  # 4: derived, never typed in
        "FigeACTeurs;2019;Structures membres du pôle;18",  # 5: fine
    )
    return "corpus_indicateur_inconnu.csv", text.encode()


@case
def unknown_column_wide() -> tuple[str, bytes]:
    text = _lines(
        "Pôle;Année;Structures membres du pôle;Chiffre d'affaires;Salariés des structures membres",
        "Bou'Sol;2019;22;1 200 000;260",
    )
    return "corpus_colonne_inconnue.csv", text.encode("cp1252")


@case
def text_in_numbers() -> tuple[str, bytes]:
    text = _lines(
        "pole;periode;indicateur;valeur",
        "Éco-matériaux;2019;membres;douze",  # 2
        "Éco-matériaux;2019;salaries;12 personnes",  # 3
        "Éco-matériaux;2019;salaries_cdi;environ 40",  # 4
        "Éco-matériaux;2019;sorties;12 15",  # 5: two numbers, not thousands
        "Éco-matériaux;2019;etp;12.5.3",  # 6
        "Éco-matériaux;2019;entrees_parcours;N/A",  # 7: missing, not zero
        "Éco-matériaux;2019;heures_formation;1 234",  # 8: fine
        "Éco-matériaux;2019;certifications;0",  # 9: zero is a value
    )
    return "corpus_texte_dans_nombres.csv", text.encode()


@case
def negative_counts() -> tuple[str, bytes]:
    text = _lines(
        "pole;periode;indicateur;valeur",
        "RE-Sources;2019;membres;-4",  # 2
        "RE-Sources;2019;salaries;\u22123",  # 3: Unicode minus
        "RE-Sources;2019;sorties;(5)",  # 4: accounting format
        "RE-Sources;2019;etp;-0,5",  # 5
        "RE-Sources;2019;representation_salaries;2",  # 6: 0 or 1 only
        "RE-Sources;2019;entrees_parcours;0",  # 7: fine
    )
    return "corpus_comptes_negatifs.csv", text.encode()


@case
def periods_out_of_range() -> tuple[str, bytes]:
    text = _lines(
        "pole;periode;indicateur;valeur",
        "Domb'Innov;2009;membres;5",  # 2: before the observatory
        "Domb'Innov;1999;membres;5",  # 3
        "Domb'Innov;2099;membres;5",  # 4: future
        "Domb'Innov;2016-T5;sorties;5",  # 5
        "Domb'Innov;T0 2019;sorties;5",  # 6
        "Domb'Innov;3016;membres;5",  # 7
        "Domb'Innov;31/12/2019;membres;5",  # 8: a date
        "Domb'Innov;2019-S1;sorties;5",  # 9: half-year
        "Domb'Innov;;membres;5",  # 10: empty
        "Domb'Innov;2019-T2;sorties;6",  # 11: fine
    )
    return "corpus_periodes_hors_champ.csv", text.encode()


@case
def conflicting_duplicates() -> tuple[str, bytes]:
    text = _lines(
        "pole;periode;indicateur;valeur",
        "ESCI;2019;membres;10",  # 2: conflict with 3
        "ESCI;2019;membres;11",  # 3
        "ESCI;2019;etp;5",  # 4: exact repetition of 5, kept once
        "ESCI;2019;etp;5,0",  # 5
        "ESCI;2019-T1;sorties;2",  # 6: fine
        "ESCI;2019-T2;sorties;3",  # 7: fine
    )
    return "corpus_doublons.csv", text.encode()


@case
def huge_numbers_csv() -> tuple[str, bytes]:
    text = _lines(
        "pole;periode;indicateur;valeur",
        "Pôle AlpEn;2019;heures_formation;1e15",  # 2
        "Pôle AlpEn;2019;salaries;1000000000000000000000000000000",  # 3: 10^30
        "Pôle AlpEn;2019;membres;1E400",  # 4: infinite
        "Pôle AlpEn;2019;etp;10 000 001",  # 5: over ten million
        "Pôle AlpEn;2019;heures_formation_bis;3",  # 6: unknown indicator
        "Pôle AlpEn;2019;entrees_parcours;9 999 999",  # 7: fine (just plausible)
    )
    return "corpus_nombres_enormes.csv", text.encode()


@case
def huge_numbers_xlsx() -> tuple[str, bytes]:
    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
        ws.append(["Pôle Sud Aquitain", 2020, "heures_formation", 1e15])  # 2
        ws.append(["Pôle Sud Aquitain", 2020, "salaries", 10**30])  # 3
        ws.append(["Pôle Sud Aquitain", 2020, "membres", 33])  # 4: fine

    return "corpus_nombres_enormes.xlsx", _xlsx(fill)


@case
def formulas_in_csv() -> tuple[str, bytes]:
    text = _lines(
        "pole;periode;indicateur;valeur;commentaire",
        "Pôle Laine;2020;membres;=1+1;",  # 2: a formula instead of a value
        "Pôle Laine;2020;salaries;155;=1+1",  # 3: formula-like comment, kept as text
        "Pôle Laine;2020;etp;@SUM(1);",  # 4
        "Pôle Laine;2020;salaries_cdi;+90;",  # 5: fine
        '=HYPERLINK("http://x");2020;sorties;1;',  # 6: formula as pole
    )
    return "corpus_formules.csv", text.encode()


@case
def formulas_without_cached_values() -> tuple[str, bytes]:
    """openpyxl writes formulas without results: Excel never computed them."""

    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
        ws.append(["PHARES", "2020-T1", "sorties", 4])  # 2: fine
        ws.append(["PHARES", "2020-T2", "sorties", 6])  # 3: fine
        ws.append(["PHARES", "2020", "sorties_autres", "=SUM(D2:D3)"])  # 4: uncomputed formula
        ws.append(["PHARES", "=2019+1", "membres", 16])  # 5: formula in the period

    return "corpus_formules_sans_valeur.xlsx", _xlsx(fill)


@case
def formulas_with_cached_values() -> tuple[str, bytes]:
    """Formulas as Excel saves them (result stored), including an empty-text result."""

    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
        ws.append(["Pôle Tarnais", 2020, "sorties_positives", 20])  # 2
        ws.append(["Pôle Tarnais", 2020, "sorties_autres", 22])  # 3
        ws.append(["Pôle Tarnais", 2020, "sorties", "=D2+D3"])  # 4: result 42 stored
        ws.append(["Pôle Tarnais", 2020, "certifications", '=IF(D2>100,D2,"")'])  # 5: result ""

    def cache(xml: bytes) -> bytes:
        xml = xml.replace(b'<c r="D4"><f>D2+D3</f><v></v></c>', b'<c r="D4"><f>D2+D3</f><v>42</v></c>')
        edited = re.sub(rb'<c r="D5">(<f>.*?</f>)<v></v></c>', rb'<c r="D5" t="str">\1<v></v></c>', xml)
        assert edited != xml
        return edited

    return "corpus_formules_calculees.xlsx", _rewrite_member(_xlsx(fill), "xl/worksheets/sheet1.xml", cache)


@case
def excel_errors() -> tuple[str, bytes]:
    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
        ws.append(["Bourian", 2020, "membres", "#DIV/0!"])  # 2
        ws.append(["Bourian", 2020, "salaries", "#N/A"])  # 3
        ws.append(["Bourian", 2020, "etp", "#VALUE!"])  # 4
        ws.append(["Bourian", 2020, "sorties", 7])  # 5: fine

    return "corpus_erreurs_excel.xlsx", _xlsx(fill)


@case
def numbers_as_text_xlsx() -> tuple[str, bytes]:
    def fill(wb: Workbook) -> None:
        _wide_sheet(
            wb.active,
            "FigeACTeurs",
            [
                "Année",
                "Salariés des structures membres",
                "Équivalents temps plein des membres",
                "ETP mutualisés",
            ],
            [["2020", "1 234", "84,5", " 12 "], [" 2021 ", "1\u00a0100", "80.25", "NC"]],
        )

    return "corpus_nombres_en_texte.xlsx", _xlsx(fill)


# --- damaged or disguised workbooks -------------------------------------------------------------


@case
def random_bytes_xlsx() -> tuple[str, bytes]:
    return "corpus_octets_aleatoires.xlsx", random.Random(3).randbytes(5000)


@case
def password_protected_xlsx() -> tuple[str, bytes]:
    """An encrypted workbook: an OLE container with EncryptionInfo and EncryptedPackage streams."""
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" cipherAlgorithm="AES"/></encryption>'
    )
    package = struct.pack("<Q", 8000) + random.Random(4).randbytes(3000)
    return "corpus_protege.xlsx", _cfb([("EncryptionInfo", info), ("EncryptedPackage", package)])


@case
def old_xls() -> tuple[str, bytes]:
    """An Excel 97-2003 workbook: an OLE container with a Workbook stream."""
    return "corpus_ancien_format.xls", _cfb([("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00" * 50)])


@case
def truncated_xlsx() -> tuple[str, bytes]:
    def fill(wb: Workbook) -> None:
        wb.active.append(["Pôle", "Période", "Indicateur", "Valeur"])
        for i in range(200):
            wb.active.append(["PHARES", 2019, "membres", i])

    data = _xlsx(fill)
    return "corpus_tronque.xlsx", data[: len(data) * 2 // 3]


@case
def merged_header_cells() -> tuple[str, bytes]:
    """A two-row header with merged cells, the pole and year merged down, a value merged over rows."""

    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.append(["Indicateurs trimestriels 2020"])  # 1
        ws.merge_cells("A1:E1")
        ws.append([])  # 2
        ws.append([])  # 3
        ws.append(["Pôle", "Année", "Trimestre", "Emploi", None])  # 4
        ws.append([None, None, None, "Salariés des structures membres", "Entrées en parcours"])  # 5
        ws.merge_cells("A4:A5")
        ws.merge_cells("B4:B5")
        ws.merge_cells("C4:C5")
        ws.merge_cells("D4:E4")
        ws.append(["Bou'Sol", 2020, "T1", 250, 8])  # 6
        ws.append([None, None, "T2", 255, 9])  # 7
        ws.append([None, None, "T3", 260, 14])  # 8
        ws.append([None, None, "T4", 262, None])  # 9
        ws.merge_cells("A6:A9")
        ws.merge_cells("B6:B9")
        ws.merge_cells("E8:E9")  # one number for two quarters

    return "corpus_entete_fusionne.xlsx", _xlsx(fill)


@case
def xlsx_named_csv() -> tuple[str, bytes]:
    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
        ws.append(["Éco-matériaux", 2020, "membres", 10])
        ws.append(["Éco-matériaux", 2020, "salaries", 95])

    return "corpus_classeur_renomme.csv", _xlsx(fill)


@case
def csv_named_xlsx() -> tuple[str, bytes]:
    text = _lines("Pôle;Période;Indicateur;Valeur", "RE-Sources;2020;membres;21", "RE-Sources;2020;etp;15,5")
    return "corpus_texte_renomme.xlsx", text.encode("cp1252")


@case
def hidden_sheets() -> tuple[str, bytes]:
    """A visible sheet, a hidden old version with other values, a very hidden lookup list."""

    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.title = "Saisie"
        ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
        ws.append(["Domb'Innov", 2020, "membres", 26])
        ws.append(["Domb'Innov", 2020, "salaries", 310])
        old = wb.create_sheet("Ancienne version")
        old.append(["Pôle", "Période", "Indicateur", "Valeur"])
        old.append(["Domb'Innov", 2020, "membres", 99])
        old.append(["Domb'Innov", 2020, "salaries_cdi", 999])
        old.sheet_state = "hidden"
        lists = wb.create_sheet("Listes")
        lists.append(["Pôle"])
        for name in ("PHARES", "ESCI", "Bou'Sol"):
            lists.append([name])
        lists.sheet_state = "veryHidden"

    return "corpus_feuilles_masquees.xlsx", _xlsx(fill)


@case
def excel_dates_in_period() -> tuple[str, bytes]:
    """Period cells formatted as dates: a real date, and 2020 typed into a date-formatted cell."""

    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
        ws.append(["ESCI", datetime(2020, 12, 31), "membres", 12])  # 2: a date, ambiguous
        ws.append(["ESCI", 2020, "salaries", 140])  # 3: 2020 shown as 12/07/1905
        ws["B3"].number_format = "dd/mm/yyyy"
        ws.append(["ESCI", datetime(2020, 6, 30, 14, 30), "etp", 90])  # 4: date and time
        ws.append(["ESCI", "2020", "salaries_cdi", 70])  # 5: fine

    return "corpus_dates_en_periode.xlsx", _xlsx(fill)


@case
def year_in_title_quarter_column() -> tuple[str, bytes]:
    """Pole and year in title rows, quarters in a column of their own."""

    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.append(["Pôle : AlpEn"])
        ws.append(["Année : 2020"])
        ws.append([])
        ws.append(["Trimestre", "Indicateur", "Valeur"])
        ws.append(["T1", "Entrées en parcours", 5])
        ws.append(["T2", "Entrées en parcours", 7])
        ws.append(["T5", "Entrées en parcours", 7])  # 7: no such quarter
        ws.append([None, "Structures membres du pôle", 19])  # 8: yearly

    return "corpus_annee_en_titre.xlsx", _xlsx(fill)


# --- hardening (issue #8): hidden cells, ambiguous numbers, spreadsheet floats, oversized content --


@case
def hidden_rows_and_columns() -> tuple[str, bytes]:
    """A row hidden by hand (an old version), an indicator column hidden, an empty hidden row."""

    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.title = "Saisie"
        _wide_sheet(
            ws,
            "Pôle Tarnais",
            ["Année", "Structures membres du pôle", "Salariés des structures membres", "Entrées en parcours"],
            [
                [2021, 22, 315, 14],  # 5
                [2021, 99, 999, 99],  # 6: hidden (an older version kept out of sight)
                [],  # 7: hidden and empty: nothing to say
            ],
        )
        ws.row_dimensions[6].hidden = True
        ws.row_dimensions[7].hidden = True
        ws.column_dimensions["D"].hidden = True

    return "corpus_lignes_colonnes_masquees.xlsx", _xlsx(fill)


@case
def rows_hidden_by_default() -> tuple[str, bytes]:
    """Every row hidden by default (`<sheetFormatPr zeroHeight="1">`, Excel's « hide all rows below »):
    only rows given a height of their own show; a row typed under the table without one does not."""

    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.title = "Saisie"
        _wide_sheet(
            ws,
            "Éco-matériaux",
            ["Année", "Structures membres du pôle", "Salariés des structures membres", "Entrées en parcours"],
            [
                [2021, 11, 96, 6],  # 5
                [2021, 99, 999, 99],  # 6: no height of its own: hidden
            ],
        )
        ws.sheet_format.zeroHeight = True
        for row in range(1, 6):
            ws.row_dimensions[row].height = 15

    return "corpus_lignes_masquees_par_defaut.xlsx", _xlsx(fill)


@case
def ambiguous_numbers_semicolon() -> tuple[str, bytes]:
    """A French `;` file: a dot then three digits, a % on a head count, scientific notation."""
    text = _lines(
        "pole;periode;indicateur;valeur",
        "ESCI;2021;salaries;1.234",  # 2: 1 234 or 1,234?
        "ESCI;2021;etp;50 %",  # 3: an ETP count is not a percentage
        "ESCI;2021;membres;1e3",  # 4: scientific notation
        "ESCI;2021;heures_formation;1.500",  # 5: hours, 1 500 or 1,5?
        "ESCI;2021;certifications;2,5 %",  # 6
        "ESCI;2021;sorties;12",  # 7: fine
        "ESCI;2021;etp_animation;1.5",  # 8: fine (a dot then one digit is a decimal point)
        "ESCI;2021;entrees_parcours;1.234.567",  # 9: fine (groups of three: thousands)
        "ESCI;2021;heures_formation_par_salarie;1 234,5",  # 10: unknown indicator
    )
    return "corpus_nombres_ambigus.csv", text.encode("cp1252")


@case
def ambiguous_numbers_comma() -> tuple[str, bytes]:
    """A comma-separated export from a tool: the dot is the decimal mark, a quoted `1,234` is not sure."""
    text = _lines(
        "pole,periode,indicateur,valeur",
        'Bourian,2021,salaries,"1,234"',  # 2: English thousands or French decimal?
        "Bourian,2021,etp_animation,1.250",  # 3: fine here: a tool's decimal point
        "Bourian,2021,heures_formation,1234.5",  # 4: fine
        'Bourian,2021,sorties,"12,5 %"',  # 5: a % on a count
    )
    return "corpus_nombres_ambigus_virgule.csv", text.encode()


@case
def percent_formatted_cells() -> tuple[str, bytes]:
    """Numbers typed into cells formatted as percentages: Excel stores 50 % as 0.5."""

    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
        ws.append(["Domb'Innov", 2021, "etp", 0.5])  # 2: shown « 50 % »
        ws["D2"].number_format = "0%"
        ws.append(["Domb'Innov", 2021, "membres", 1.25])  # 3: shown « 125,0 % »
        ws["D3"].number_format = '0.0" "%'
        ws.append(["Domb'Innov", 2021, "salaries", 240])  # 4: fine
        ws.append(["Domb'Innov", 2021, "sorties", 9])  # 5: fine, a literal % in the format is text
        ws["D5"].number_format = '0" \\%"'

    return "corpus_cellules_pourcentage.xlsx", _xlsx(fill)


# Values as Excel stores them (17 significant digits), where openpyxl would write the 15 it shows.
EXCEL_FLOATS = {111_001: "30.000000000000004", 111_002: "2.9999999999999996", 111_003: "3.0000000000000004"}


def excel_floats(xlsx: bytes, sheet: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A workbook whose placeholder numbers (keys of `EXCEL_FLOATS`) hold Excel's binary noise."""

    def edit(xml: bytes) -> bytes:
        for placeholder, stored in EXCEL_FLOATS.items():
            xml = xml.replace(f"<v>{placeholder}</v>".encode(), f"<v>{stored}</v>".encode())
        return xml

    return _rewrite_member(xlsx, sheet, edit)


@case
def spreadsheet_float_noise() -> tuple[str, bytes]:
    """Values computed by formulas and saved by Excel: 30.000000000000004 is shown (and meant) 30."""

    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.append(["Pôle", "Période", "Indicateur", "Valeur"])
        ws.append(["PHARES", 2021, "salaries", 111_001])  # 2: =0,1*300, shown 30
        ws.append(["PHARES", 2021, "sorties", 111_002])  # 3: shown 3
        ws.append(["PHARES", 2021, "etp", 111_003])  # 4: shown 3
        ws.append(["PHARES", 2021, "membres", 12.5])  # 5: really not whole

    return "corpus_flottants_excel.xlsx", excel_floats(_xlsx(fill))


LONG_TEXT = "Voir le rapport d'activité joint, page 12. " * 700  # 30 100 characters (Excel allows 32 767)
LONG_COMMENT = "Chiffre consolidé avec la fédération. " * 150  # 5 700 characters


@case
def very_long_cells() -> tuple[str, bytes]:
    """A paragraph pasted into a value cell, a very long comment on a good row."""

    def fill(wb: Workbook) -> None:
        ws = wb.active
        ws.append(["Pôle", "Période", "Indicateur", "Valeur", "Commentaire"])
        ws.append(["RE-Sources", 2021, "membres", LONG_TEXT, None])  # 2
        ws.append(["RE-Sources", 2021, "salaries", 180, LONG_COMMENT])  # 3: fine, comment cut
        ws.append([LONG_TEXT, 2021, "sorties", 4, None])  # 4: a pole nobody can read

    return "corpus_cellules_tres_longues.xlsx", _xlsx(fill)


def expanding_xlsx(megabytes: int, pole: str = "Pôle Laine", year: int = 2021) -> bytes:
    """A workbook of a few kilobytes whose text expands to `megabytes` MB (1 MB per value cell).

    Written by hand: openpyxl (like Excel) cuts a cell at 32 767 characters, other tools do not.
    """
    ns = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships {ns}><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships {ns}><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }

    def text(ref: str, value: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'

    header = ["Pôle", "Période", "Indicateur", "Valeur"]

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), xml)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
                b'org/spreadsheetml/2006/main"><sheetData><row r="1">'
                + "".join(text(f"{c}1", t) for c, t in zip("ABCD", header, strict=True)).encode()
                + b"</row>"
            )
            block = b"9" * (1 << 20)
            for i in range(megabytes):
                r = i + 2
                head = text(f"A{r}", pole) + f'<c r="B{r}"><v>{year}</v></c>' + text(f"C{r}", "membres")
                sheet.write(f'<row r="{r}">{head}<c r="D{r}" t="inlineStr"><is><t>{i} '.encode())
                sheet.write(block)
                sheet.write(b"</t></is></c></row>")
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@case
def text_bomb_xlsx() -> tuple[str, bytes]:
    """8 MB of text in 8 KB: refused before openpyxl opens it (the real one was 206 KB -> 200 MB)."""
    return "corpus_classeur_demesure.xlsx", expanding_xlsx(8)


@case
def csv_cell_over_field_limit() -> tuple[str, bytes]:
    """A quote never closed early in a long file: the csv module's field limit is reached."""
    lines = ["pole;periode;indicateur;valeur;commentaire", 'Pôle Sud Aquitain;2021;membres;14;"voir note']
    lines += [f"Pôle Sud Aquitain;2021;sorties;{i % 9};ligne {i} " + "x" * 60 for i in range(3_000)]
    return "corpus_guillemet_long.csv", _lines(*lines).encode()


# --- form-tool exports of the application form (raw/candidatures/) ----------------------------------


def _export_rows(poles: list[object]) -> tuple[list[str], list[list[object]]]:
    """A form-tool header (timestamp, e-mail, initiative, one column per question) and one answer
    row per pole cell; the answers are short and fictitious."""
    from pipelines.applications.form_parser import load_questions

    questions = load_questions().questions
    header = ["Horodatage", "Adresse e-mail", "Nom de l'initiative", *(q.libelle for q in questions)]
    rows = []
    for i, pole in enumerate(poles):
        answers = ["Oui" if q.kind == "oui_non" else f"Réponse fictive {i} à {q.code}." for q in questions]
        rows.append([f"0{i + 1}/03/2019 10:00:00", f"contact{i}@exemple.org", pole, *answers])
    return header, rows


def _export_csv(poles: list[object], encoding: str = "cp1252", sep: str = ";") -> bytes:
    header, rows = _export_rows(poles)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@export_case
def export_misspelt_pole() -> tuple[str, bytes]:
    """Issue #8.1: a clean three-row export with one pole misspelt."""
    return "corpus_export_pole_mal_ecrit.csv", _export_csv(["PHARES", "Bou Sole", "Pôle Tarnais"])


@export_case
def export_duplicated_pole() -> tuple[str, bytes]:
    """The same pole twice (by name, then by number): neither row can be trusted."""

    def fill(wb: Workbook) -> None:
        header, rows = _export_rows(["Domb'Innov", "FigeACTeurs", "10"])
        wb.active.append(header)
        for row in rows:
            wb.active.append(row)

    return "corpus_export_pole_en_double.xlsx", _xlsx(fill)


@export_case
def export_empty_and_formula_poles() -> tuple[str, bytes]:
    """A row without pole, a pole typed as a formula, a good row; UTF-8 with commas."""
    poles = ["", '=HYPERLINK("http://exemple.org";"ESCI")', "Pôle Sud Aquitain"]
    return "corpus_export_poles_vides.csv", _export_csv(poles, encoding="utf-8", sep=",")

"""The XLSX template the poles fill in (`ptce template`), built from the catalogue.

Two entry sheets, both read back by the indicator parser: "Saisie annuelle" (wide: one row per year,
one column per indicator, labels and codes shown) and "Saisie détaillée" (long: one row per value,
for quarters and comments). A "Catalogue" sheet gives each indicator's definition and unit.
"""

from __future__ import annotations

from pathlib import Path

from ptce.reference import load_catalog, load_poles


def write_template(path: Path) -> Path:
    """Write the template workbook to `path` and return it."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    catalog = load_catalog()
    poles = load_poles()
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    wb = openpyxl.Workbook()

    notice = wb.active
    notice.title = "Notice"
    lines = [
        "Observatoire PTCE — modèle de saisie des indicateurs",
        f"Catalogue des indicateurs, version {catalog.version}",
        "",
        "1. Indiquez votre pôle en haut de la feuille « Saisie annuelle » (ligne « Pôle : »).",
        "2. Une ligne par année : saisissez les chiffres de l'année (stock au 31/12, flux sur l'année).",
        "3. Pour des chiffres trimestriels ou un commentaire, utilisez la feuille « Saisie détaillée » "
        "(période : 2016 ou 2016-T3).",
        "4. Laissez vide une donnée inconnue : vide signifie « non disponible », jamais zéro.",
        "5. Nombres : 1 234,5 ou 1234.5 ; pas de texte dans les cellules de chiffres.",
        "6. Déposez le fichier dans le dossier raw/indicateurs/ (ou envoyez-le à COORACE).",
    ]
    for line in lines:
        notice.append([line])
    notice["A1"].font = Font(bold=True, size=14)
    notice.column_dimensions["A"].width = 110

    wide = wb.create_sheet("Saisie annuelle")
    wide.append(["Observatoire PTCE — saisie annuelle des indicateurs"])
    wide["A1"].font = Font(bold=True, size=13)
    wide.append(["Pôle :", ""])
    wide["A2"].font = bold
    wide.append([])
    wide.append(["Année", *[ind.libelle for ind in catalog.indicators]])
    wide.append(["(code)", *[ind.code for ind in catalog.indicators]])
    for cell in wide[4]:
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in wide[5]:
        cell.font = Font(italic=True, color="808080")
    pole_list = DataValidation(
        type="list", formula1='"' + ",".join(p.nom_court for p in poles)[:250] + '"', allow_blank=True
    )
    wide.add_data_validation(pole_list)
    pole_list.add("B2")
    wide.column_dimensions["B"].width = 30

    long = wb.create_sheet("Saisie détaillée")
    long.append(["Pôle", "Période", "Indicateur", "Valeur", "Commentaire"])
    for cell in long[1]:
        cell.font = bold
        cell.fill = header_fill
    codes = DataValidation(type="list", formula1="=Catalogue!$A$2:$A$200", allow_blank=True)
    long.add_data_validation(codes)
    codes.add("C2:C5000")
    for col, width in zip("ABCDE", (28, 12, 30, 12, 50), strict=True):
        long.column_dimensions[col].width = width

    cat = wb.create_sheet("Catalogue")
    cat.append(["Code", "Libellé", "Domaine", "Unité", "Définition", "IRIS+"])
    for cell in cat[1]:
        cell.font = bold
        cell.fill = header_fill
    for ind in catalog.indicators:
        cat.append(
            [ind.code, ind.libelle, catalog.domain_label(ind.domaine), ind.unite, ind.definition, ind.iris]
        )
    for col, width in zip("ABCDEF", (26, 45, 32, 12, 90, 10), strict=True):
        cat.column_dimensions[col].width = width

    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path

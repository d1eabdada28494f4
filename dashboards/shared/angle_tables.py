"""Texts and tables of a working-angle page (emploi mutualisé, création d'activités, qualité de l'emploi).

Pure functions on the frames of `ptce.read.angles` (no Streamlit): the network figure with its
sample size, the poles compared for one year, the network over the years. Small cells are already
applied by the read layer: a masked value is null with its label (« < 5 », « s ») in `masque`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from dashboards.shared.display import missing, value_text, value_with_unit
from dashboards.shared.plotting import network_unit
from dashboards.shared.table_format import INTEGER, YEAR, Table
from ptce.fmt import fmt_number


@dataclass(frozen=True)
class Angle:
    """What a working-angle page shows: the catalogue domain, and indicators of other domains."""

    domain: str
    title: str
    intro: str
    extra: tuple[str, ...] = field(default_factory=tuple)
    key: str = ""  # prefix of the page's widget keys and file names

    @property
    def slug(self) -> str:
        return self.key or self.domain


# How the network figure is made, by catalogue `agregation_poles` (and unit for yes/no).
AGGREGATION_LABELS = {
    "somme": "total des pôles",
    "moyenne": "part des pôles répondant oui",
    "ratio": "rapport des sommes",
}
# Units as words in headers; a plain count (`nombre`) has none.
HEADER_UNITS = {
    "personnes": "personnes",
    "emplois": "emplois",
    "contrats": "contrats",
    "ETP": "ETP",
    "%": "%",
    "heures": "heures",
    "oui/non": "oui/non",
    "ratio": "rapport",
}


def aggregation_label(agregation: str, unite: str) -> str:
    """How the network figure is made, in words (`moyenne` of a yes/no: the share of poles)."""
    if agregation == "moyenne" and unite != "oui/non":
        return "moyenne des pôles"
    return AGGREGATION_LABELS.get(agregation, agregation)


# A label's own note on how a yes/no is coded: the unit « oui/non » says it.
_CODING_NOTE = re.compile(r"\s*\(1\s*=\s*oui,\s*0\s*=\s*non\)\s*$", re.IGNORECASE)


def header(libelle: str, unite: str) -> str:
    """A column header with its unit: « Salariés en emploi partagé (personnes) »."""
    unit = HEADER_UNITS.get(unite)
    label = _CODING_NOTE.sub("", str(libelle))
    return f"{label} ({unit})" if unit else label


def network_label(libelle: str, unite: str) -> str:
    """The label of a network figure (its value is written with its unit); a yes/no is a share
    of poles there."""
    label = _CODING_NOTE.sub("", str(libelle))
    return f"{label} : part des pôles" if unite == "oui/non" else label


def poles_text(nb_poles: object, nb_total: object) -> str:
    """« 11 pôles sur 12 » (the poles that reported the value)."""
    n = 0 if missing(nb_poles) else int(nb_poles)  # type: ignore[call-overload]
    total = 0 if missing(nb_total) else int(nb_total)  # type: ignore[call-overload]
    return f"{n} pôle{'s' if n > 1 else ''} sur {total}"


def sample_text(row: pd.Series, denominator_label: object = None) -> str:
    """The sample size under a network figure: poles reporting, and a share's population.

    « 12 pôles sur 12 · total des pôles » ; « 12 pôles sur 12 · rapport des sommes, sur 3 817
    salariés des structures membres ».
    """
    text = f"{poles_text(row['nb_poles'], row['nb_poles_total'])} · "
    text += aggregation_label(str(row["agregation_poles"]), str(row["unite"]))
    if bool(row["derive"]):
        population = "" if missing(denominator_label) else f" {str(denominator_label).lower()}"
        if missing(row["denominateur"]):
            text += f", effectif{population} masqué (secret statistique)"
        else:
            text += f", sur {fmt_number(row['denominateur'])}{population}"
    return text


def network_value_text(row: pd.Series) -> str:
    """The network figure in French with its unit (a yes/no mean is a share of poles)."""
    if missing(row["valeur"]) and bool(row["personnes"]):
        return "masqué (secret statistique)"
    return value_with_unit(row["valeur"], network_unit(str(row["unite"])))


def year_figures(network: pd.DataFrame, year: int) -> pd.DataFrame:
    """The network rows of `year`, one per indicator, in display order."""
    return network[network["annee"] == year].reset_index(drop=True)


def masked_cell(value: object, mask: object, unite: str) -> str:
    """One cell of a by-pole table as text: the mask label, else the value in its unit."""
    if isinstance(mask, str) and mask:
        return mask
    return value_text(value, unite)  # type: ignore[arg-type]


def poles_table(by_pole: pd.DataFrame, denominators: dict[str, str]) -> Table:
    """The poles compared for one year: a row per pole, a column per indicator (with its unit).

    A column holding a masked cell is written as text (« < 5 », « s », the values in French): the
    grid of the page draws a missing value as a dash whatever the table says, so a masked count
    must be a text to be read as such. Other columns stay typed and sort as numbers. A share is
    followed by its reference population for the pole (`denominators`: code -> population), once
    when several shares have the same.
    """
    poles = by_pole.drop_duplicates("pole_id")
    names = [f"{int(n)}. {nom}" for n, nom in zip(poles["numero"], poles["nom"], strict=True)]
    out = pd.DataFrame({"Pôle": names})
    formats: dict[str, str] = {}
    for code, rows in by_pole.groupby("code", sort=False):
        first = rows.iloc[0]
        name = header(str(first["libelle"]), str(first["unite"]))
        unite = str(first["unite"])
        if rows["masque"].notna().any():
            out[name] = [
                masked_cell(v, m, unite) for v, m in zip(rows["valeur"], rows["masque"], strict=True)
            ]
        else:
            out[name] = rows["valeur"].astype(float).to_numpy()
            formats[name] = unite
        if bool(first["derive"]):
            population = denominators.get(str(code), "effectif")
            den = rows["denominateur"].astype(float).to_numpy()
            column = f"{population} (effectif de référence)"
            if column in out.columns and not pd.Series(den).equals(out[column]):
                column = f"{population} (effectif de référence : {str(first['libelle']).lower()})"
            if column not in out.columns:
                out[column] = den
                formats[column] = INTEGER
    return Table(out, formats)


def network_table(network: pd.DataFrame, denominators: dict[str, str]) -> Table:
    """The network over the years: a row per indicator and year, with how it is made and its sample."""
    out = pd.DataFrame(
        {
            "Indicateur": network["libelle"].astype(str),
            "Année": network["annee"].astype(int),
            "Valeur du réseau": [network_value_text(r) for _, r in network.iterrows()],
            "Calcul": [
                aggregation_label(str(a), str(u))
                for a, u in zip(network["agregation_poles"], network["unite"], strict=True)
            ],
            "Pôles ayant transmis": network["nb_poles"].astype("Int64"),
            "Pôles du réseau": network["nb_poles_total"].astype("Int64"),
            "Effectif de référence": network["denominateur"].astype(float),
            "Population de référence": [denominators.get(str(c), "") for c in network["code"]],
        }
    )
    if not network["derive"].any():  # no share: no reference population to show
        out = out.drop(columns=["Effectif de référence", "Population de référence"])
    return Table(out, {"Année": YEAR})

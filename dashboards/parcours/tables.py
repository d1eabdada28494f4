"""Parcours: the page's French texts and tables, from the frames of `ptce.read.pathways`.

Pure functions (no Streamlit). Counts of persons come from the reads already made publishable:
a masked count is NaN there and its French label (« < 5 », « s ») is in `libelle`; a table with a
masked cell shows the labels, one without shows typed numbers (they then sort as numbers).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from dashboards.shared.table_format import PERCENT, Table
from ptce.contract import PATHWAY_INDICATOR_LABELS
from ptce.fmt import fmt_number, fmt_percent
from ptce.read import pathways as pw

NETWORK_LABEL = "Tout le réseau"
# Units of the derived codes the catalogue does not hold (labels in ptce.contract).
EXTRA_UNITS: dict[str, str] = {"duree_mediane_mois": "mois", "retraits": "personnes"}
# How a value of `pathway_indicators` was obtained (`origine`), in words.
ORIGIN_LABELS: dict[str, str] = {"parcours": "calculé depuis les parcours"}


def scope_names(poles: pd.DataFrame) -> dict[str | None, str]:
    """Choices of the pole selector: the network first (None), then each pole as « N. Nom »."""
    names: dict[str | None, str] = {None: NETWORK_LABEL}
    for pole_id, numero, nom in zip(poles["pole_id"], poles["numero"], poles["nom"], strict=True):
        names[str(pole_id)] = f"{int(numero)}. {nom}"
    return names


def exit_label(code: object) -> str:
    """An outcome of a pathway in French (the code itself if unknown)."""
    return pw.EXIT_LABELS.get(str(code), str(code))


def count_text(value: object, label: object = None) -> str:
    """A count of persons as shown: its mask label when masked, else « 1 234 »."""
    if isinstance(label, str) and label and (value is None or pd.isna(value)):
        return label
    return fmt_number(None if value is None or pd.isna(value) else float(value))


def count_texts(values: pd.Series, labels: pd.Series) -> np.ndarray:
    """`count_text` of each (value, label) pair, the numbers formatted once per distinct value
    (a table of two thousand poles repeats the same small counts)."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    codes, uniques = pd.factorize(numbers, use_na_sentinel=True)
    # A missing value's code is -1: the last text, that of a missing count.
    texts = np.array([*(fmt_number(float(v)) for v in uniques), fmt_number(None)], dtype=object)[codes]
    label_array = labels.to_numpy(dtype=object)
    labelled = np.array([isinstance(lab, str) and bool(lab) for lab in label_array], dtype=bool)
    return np.where(labelled & numbers.isna().to_numpy(), label_array, texts)


def persons_phrase(n: object, word: str = "personnes") -> str:
    """« 1 234 personnes », « 1 personne » (singular below 2), « un nombre non publié de
    personnes » when masked."""
    if n is None or pd.isna(n):
        return f"un nombre non publié (secret statistique) de {word}"
    singular = word[:-1] if word.endswith("s") else word
    return f"{fmt_number(float(n))} {singular if float(n) < 2 else word}"


def _count_column(frame: pd.DataFrame, value: str = "personnes") -> pd.Series:
    """Typed counts when nothing is masked, else every cell as its French label."""
    if bool(frame["masque"].any()):
        return pd.Series(count_texts(frame[value], frame["libelle"]), index=frame.index, dtype=object)
    return frame[value].astype("Int64")


def metric_persons(breakdowns: pd.DataFrame) -> float | None:
    """Persons accompanied in the year: the total of one breakdown (every person has one sex
    modality, « non renseigné » included); None when a masked cell hides part of it."""
    sexes = breakdowns[breakdowns["variable"] == "sexe"]
    if sexes.empty or bool(sexes["masque"].any()):
        return None
    return float(sexes["personnes"].sum())


def exits_total(exits: pd.DataFrame, year: int) -> float | None:
    """Exits other than withdrawals in `year` (None when a masked cell hides part of them)."""
    rows = exits[(exits["annee"] == year) & (exits["categorie"] != pw.WITHDRAWN)]
    if bool(rows["masque"].any()):
        return None
    return float(rows["personnes"].sum())


def dynamic_rate(exits: pd.DataFrame, year: int) -> float | None:
    """The dynamic-exit rate of `year` from the exits by category (None without exit or when masked)."""
    rows = exits[(exits["annee"] == year) & (exits["categorie"] != pw.WITHDRAWN)]
    if rows.empty or bool(rows["masque"].any()):
        return None
    counted = float(rows["personnes"].sum())
    dynamic = float(rows.loc[rows["categorie"].isin(pw.DYNAMIC_CATEGORIES), "personnes"].sum())
    return dynamic / counted if counted else None


def breakdown_table(breakdowns: pd.DataFrame) -> Table:
    """Persons accompanied by sex, age band, DELD, RSA, QPV: variable, modality, persons, share."""
    out = pd.DataFrame(
        {
            "Caractéristique": breakdowns["variable"].map(pw.BREAKDOWN_VARIABLES),
            "Modalité": breakdowns["modalite"].map(lambda m: pw.MODALITY_LABELS.get(str(m), str(m))),
            "Personnes": _count_column(breakdowns).to_numpy(),
            "Part": breakdowns["part"].astype(float).to_numpy(),
        }
    )
    return Table(out, {"Part": PERCENT})


def rqth_text(row: Mapping[str, object]) -> str:
    """RQTH on its own: « 12 personnes reconnues travailleurs handicapés (RQTH), soit 4,3 % des
    personnes accompagnées », or the mask."""
    rqth = row["personnes_rqth"]
    if rqth is None or pd.isna(rqth):
        label = row.get("libelle") or "–"
        return (
            f"Personnes reconnues travailleurs handicapés (RQTH) : {label} "
            "(nombre et part non publiés, secret statistique)."
        )
    return (
        f"Personnes reconnues travailleurs handicapés (RQTH) : {fmt_number(float(rqth))}, soit "
        f"{fmt_percent(row['part'])} des personnes accompagnées (chiffre global : la RQTH n'est "
        "croisée avec aucune autre caractéristique)."
    )


def breakdown_by_pole_table(frame: pd.DataFrame, variable: str) -> Table:
    """One breakdown, pole × modality, every cell as shown (« < 5 », « s » where masked)."""
    modalities = [m for m in pw.MODALITIES[variable] if m in set(frame["modalite"])]
    cells = frame.assign(texte=count_texts(frame["personnes"], frame["libelle"]))
    wide = cells.pivot_table(index=["numero", "nom"], columns="modalite", values="texte", aggfunc="first")
    wide = wide.reindex(columns=modalities).fillna("–").reset_index().sort_values("numero")
    out = pd.DataFrame({"Pôle": wide["nom"].astype(str).to_numpy()})
    for m in modalities:
        out[pw.MODALITY_LABELS.get(m, m)] = wide[m].to_numpy()
    return Table(out)


def exits_by_pole_table(frame: pd.DataFrame) -> Table:
    """Exits of a year, pole × outcome, every cell as shown (« < 5 », « s » where masked)."""
    order = [c for c in pw.EXIT_LABELS if c in set(frame["categorie"])]
    cells = frame.assign(texte=count_texts(frame["personnes"], frame["libelle"]))
    wide = cells.pivot_table(index=["numero", "nom"], columns="categorie", values="texte", aggfunc="first")
    wide = wide.reindex(columns=order).fillna("0").reset_index().sort_values("numero")
    out = pd.DataFrame({"Pôle": wide["nom"].astype(str).to_numpy()})
    for code in order:
        out[exit_label(code)] = wide[code].to_numpy()
    return Table(out)


def rates_table(rates: pd.DataFrame) -> Table:
    """Dynamic-exit rate by pole: pole, exits (n), dynamic exits, rate; the network last."""
    names = [
        NETWORK_LABEL if pd.isna(p) else str(n) for p, n in zip(rates["pole_id"], rates["nom"], strict=True)
    ]
    masked = bool(rates["sorties_masque"].any())
    exits = (
        rates["sorties_libelle"].astype(str).to_numpy()
        if masked
        else rates["sorties"].astype("Int64").to_numpy()
    )
    dynamic = (
        [
            count_text(v, "s" if m else None)
            for v, m in zip(rates["sorties_dynamiques"], rates["sorties_masque"], strict=True)
        ]
        if masked
        else rates["sorties_dynamiques"].astype("Int64").to_numpy()
    )
    out = pd.DataFrame(
        {
            "Pôle": names,
            "Sorties hors retraits (n)": exits,
            "Sorties dynamiques": dynamic,
            "Taux de sorties dynamiques": rates["taux"].astype(float).to_numpy(),
        }
    )
    return Table(out, {"Taux de sorties dynamiques": PERCENT})


def indicator_label(code: str, libelle: object) -> str:
    if isinstance(libelle, str) and libelle.strip():
        return libelle
    return PATHWAY_INDICATOR_LABELS.get(code, code)


def indicator_unit(code: str, unite: object) -> str:
    if isinstance(unite, str) and unite.strip():
        return unite
    return EXTRA_UNITS.get(code, "nombre")


# A gap that rounds to zero where the table shows it (one decimal, rates in points of %) is the
# same value written with more or fewer decimals, not a difference.
GAP_TOLERANCE = 0.05
DERIVED = "Calculé depuis les parcours"
DECLARED = "Déclaré par le pôle"


def derived_table(frame: pd.DataFrame, with_pole: bool) -> Table:
    """Each indicator computed from the pathways beside the pole's declared value, with the gap.

    Rows of `derived_vs_declared` for one year; values in their unit (row by row), the relative gap
    in percent; the pole column when the table covers several poles.
    """
    out = pd.DataFrame(index=frame.index)
    if with_pole:
        # The short name: the gaps, last, stay in view beside seven columns.
        out["Pôle"] = frame["nom_court"].astype(str) if "nom_court" in frame else frame["nom"].astype(str)
    out["Indicateur"] = [
        indicator_label(c, lib) for c, lib in zip(frame["code"], frame["libelle"], strict=True)
    ]
    out["Unité"] = [indicator_unit(c, u) for c, u in zip(frame["code"], frame["unite"], strict=True)]
    out[DERIVED] = frame["valeur"].astype(float)
    out[DECLARED] = frame["valeur_declaree"].astype(float)
    out["Écart"] = frame["ecart"].astype(float)
    out["Écart relatif"] = frame["ecart_relatif"].astype(float)
    return Table(out.reset_index(drop=True), {"Écart relatif": PERCENT}, unit_column="Unité")


def _differs(frame: pd.DataFrame) -> pd.Series:
    """Rows whose computed value differs from a declared one, as the table writes them."""
    units = pd.Series(
        [indicator_unit(c, u) for c, u in zip(frame["code"], frame["unite"], strict=True)], index=frame.index
    )
    shown = frame["ecart"].astype(float).where(units != PERCENT, frame["ecart"].astype(float) * 100)
    return frame["valeur_declaree"].notna() & (shown.abs() >= GAP_TOLERANCE)


def gaps_only(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of `derived_vs_declared` whose computed value differs from a declared one."""
    return frame[_differs(frame)]


def gaps_caption(frame: pd.DataFrame) -> str:
    """How many computed values differ from the declared ones, and how many were not declared."""
    declared = frame["valeur_declaree"].notna()
    differ = _differs(frame)
    return (
        f"{fmt_number(int(declared.sum()))} valeur(s) déclarée(s) à comparer, dont "
        f"{fmt_number(int(differ.sum()))} différente(s) du calcul ; "
        f"{fmt_number(int((~declared).sum()))} valeur(s) calculée(s) sans valeur déclarée (–). "
        "Écart = calculé − déclaré."
    )

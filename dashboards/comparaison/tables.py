"""Texts and tables of the page « Comparer les pôles » (and the targets of the pole page).

Pure functions on the frames of `ptce.read.comparison` (no Streamlit). Small cells are already
applied by the read layer: a masked value is null with its label (« < 5 », « s ») in `masque`.
"""

from __future__ import annotations

import pandas as pd

from dashboards.shared.angle_tables import header, masked_cell
from dashboards.shared.display import missing, value_with_unit
from dashboards.shared.table_format import PERCENT, Table
from dashboards.shared.target_tables import (  # noqa: F401 - the page's tables in one module
    HIDDEN,
    MISSED,
    REACHED,
    UNKNOWN,
    missed_targets,
    pole_label,
    target_status,
    targets_summary,
    targets_table,
)
from ptce.fmt import fmt_number

# Beyond this many compared poles, the charts draw the distribution and the reference pole rather
# than one mark per pole (the overview map's `FULL_SIZE_MARKERS` threshold, dashboards/shared/maps.py);
# the captions say so.
MAX_POLES_DRAWN = 60
# At scale, the ranked bars keep this many poles at each end of the ranking.
RANKED_ENDS = 10
# Beyond `MAX_POLES_DRAWN` targets missed, the page lists this many; the table above has them all.
MISSED_SHOWN = 20


def adjusted_caption(n_judged: int) -> str:
    """Under the adjusted comparison of a national network: which poles the chart draws."""
    return (
        f"{fmt_number(n_judged)} pôles comparés : le graphique montre les {fmt_number(RANKED_ENDS)} "
        f"écarts les plus bas, les {fmt_number(RANKED_ENDS)} plus hauts et le pôle de référence ; "
        "le tableau ci-dessous les donne tous."
    )


def missed_rest_text(n_missed: int) -> str:
    """What follows the first `MISSED_SHOWN` targets missed, when there are more."""
    rest = n_missed - MISSED_SHOWN
    return (
        f"… et {fmt_number(rest)} autre{'s' if rest > 1 else ''} objectif{'s' if rest > 1 else ''} "
        f"non atteint{'s' if rest > 1 else ''} ({fmt_number(n_missed)} en tout) : le tableau ci-dessus "
        "les donne tous (colonne « Statut »), comme son téléchargement."
    )


# Shown first: one size-independent indicator per main question (jobs, exits, lasting employment).
DEFAULT_CODES = ("emplois_crees_par_membre", "taux_sortie_dynamique", "emploi_durable_pour_100_accompagnes")
# At most this many indicators at once: a page of ranked bars stays readable.
MAX_CODES = 6

NATURE_LABELS = {"saisi": "indicateur saisi", "derive": "indicateur calculé", "ratio": "ratio par taille"}

# « Pôles comme le mien »: which poles are compared with the reference pole.
ALL, SIZE, TERRITORY, SECTOR = "tous", "taille", "territoire", "secteur"
PEER_LABELS = {
    ALL: "Tous les pôles",
    SIZE: "Même classe de taille",
    TERRITORY: "Même type de territoire",
    SECTOR: "Même secteur principal",
}
_PEER_COLUMNS = {SIZE: "classe_taille", TERRITORY: "territoire", SECTOR: "secteur_principal"}
TERRITORY_LABELS = {"rural": "rural", "urbain": "urbain", "mixte": "mixte (urbain et rural)"}


def choice_label(libelle: str, nature: str) -> str:
    """An indicator in the choice list: « Emplois créés par structure membre (ratio par taille) »."""
    return f"{libelle} ({NATURE_LABELS.get(nature, nature)})"


def peer_ids(groups: pd.DataFrame, pole_id: str, criterion: str) -> list[str]:
    """The poles of `groups` in the same group as `pole_id` (itself included), by `criterion`.

    A pole whose group is unknown (no member count this year) is compared with every pole.
    """
    if criterion == ALL or criterion not in _PEER_COLUMNS:
        return list(groups["pole_id"])
    column = _PEER_COLUMNS[criterion]
    mine = groups.loc[groups["pole_id"] == pole_id, column]
    if mine.empty or missing(mine.iloc[0]):
        return list(groups["pole_id"])
    return list(groups.loc[groups[column] == mine.iloc[0], "pole_id"])


def peer_text(groups: pd.DataFrame, pole_id: str, criterion: str) -> str:
    """What the filter kept, in words: « 5 pôles de la même classe de taille que PHARES (…) »."""
    ids = peer_ids(groups, pole_id, criterion)
    row = groups.loc[groups["pole_id"] == pole_id].iloc[0]
    n = len(ids)
    if criterion == ALL:
        return f"Les {n} pôles du réseau."
    column = _PEER_COLUMNS[criterion]
    if missing(row[column]):
        return f"Groupe de {row['nom_court']} inconnu cette année : les {n} pôles du réseau."
    value = str(row[column])
    what = {
        SIZE: f"de la même classe de taille ({value.lower()})",
        TERRITORY: f"au territoire du même type ({TERRITORY_LABELS.get(value, value)})",
        SECTOR: f"du même secteur principal ({value.lower()})",
    }[criterion]
    return f"{n} pôle{'s' if n > 1 else ''} {what} que {row['nom_court']}, lui compris."


def stats_text(rows: pd.DataFrame) -> str:
    """The network statistics under a chart: median and quartiles over the poles shown."""
    first = rows.iloc[0]
    unite = str(first["unite"])
    n = int(first["nb_poles"])
    if n == 0:
        return "Aucun pôle n'a de valeur publiée pour cette année."
    return (
        f"Médiane du réseau : {value_with_unit(first['mediane'], unite)} ; la moitié des pôles entre "
        f"{value_with_unit(first['q1'], unite)} et {value_with_unit(first['q3'], unite)} "
        f"(sur {n} pôle{'s' if n > 1 else ''} dont la valeur est publiée)."
    )


def ranked_caption(n_compared: int) -> str:
    """How to read the ranked bars; beyond `MAX_POLES_DRAWN` poles, which of them are drawn."""
    text = (
        "Barres classées du meilleur au moins bon (selon le sens de l'indicateur) ; trait en tirets : "
        "médiane du réseau ; bande grise : la moitié des pôles, entre le premier et le troisième "
        "quartile. Le pôle de référence est en foncé, marqué ▶."
    )
    if n_compared <= MAX_POLES_DRAWN:
        return text
    return (
        f"{text} Au-delà de {MAX_POLES_DRAWN} pôles, seuls les {RANKED_ENDS} meilleurs, les "
        f"{RANKED_ENDS} derniers et le pôle de référence ont leur barre ; le tableau de comparaison "
        "ci-dessous donne tous les pôles."
    )


def series_caption(n_compared: int) -> str:
    """How to read the small charts over time (lines per pole, or their band at scale)."""
    if n_compared <= MAX_POLES_DRAWN:
        return (
            "Une petite courbe par indicateur : les pôles comparés, le pôle de référence en gras, "
            "la médiane en tirets."
        )
    return (
        f"Un petit graphique par indicateur : au-delà de {MAX_POLES_DRAWN} pôles, la bande bleue "
        "couvre la moitié des pôles comparés (du premier au troisième quartile de chaque année), "
        "le pôle de référence est en gras, la médiane du réseau en tirets."
    )


def comparison_table(values: pd.DataFrame) -> Table:
    """One row per pole, its peer group, then one column per indicator (masked cells as text)."""
    poles = values.drop_duplicates("pole_id")
    out = pd.DataFrame(
        {
            "Pôle": [pole_label(n, nom) for n, nom in zip(poles["numero"], poles["nom"], strict=True)],
            "Territoire": poles["territoire"].map(lambda t: TERRITORY_LABELS.get(t, t)).to_numpy(),
            "Secteur principal": poles["secteur_principal"].to_numpy(),
            "Classe de taille": poles["classe_taille"].fillna("inconnue").to_numpy(),
        }
    )
    formats: dict[str, str] = {}
    for _, rows in values.groupby("code", sort=False):
        rows = rows.set_index("pole_id").reindex(poles["pole_id"])
        first = rows.iloc[0]
        unite = str(first["unite"])
        name = header(str(first["libelle"]), unite)
        if rows["masque"].notna().any():
            out[name] = [
                masked_cell(v, m, unite) for v, m in zip(rows["valeur"], rows["masque"], strict=True)
            ]
        else:
            out[name] = rows["valeur"].astype(float).to_numpy()
            formats[name] = unite
        out[f"Rang : {first['libelle']}"] = rows["rang"].astype("Int64").to_numpy()
    return Table(out, formats)


def export_title(year: int, demo: bool) -> str:
    """The first line of the XLSX download: what it is, and that demo data are fictitious."""
    title = f"Observatoire PTCE — comparaison des pôles, {year}"
    return f"{title} — DONNÉES FICTIVES DE DÉMONSTRATION" if demo else title


def comparison_export(values: pd.DataFrame) -> pd.DataFrame:
    """The comparison as one row per pole and indicator, for the CSV and XLSX downloads.

    Rates are in percent (45.2, the unit column says « % »), the way they read beside the page; a
    masked value is empty with its label in « Secret statistique ».
    """
    rate = values["unite"] == PERCENT
    scale = rate.map({True: 100.0, False: 1.0})
    return pd.DataFrame(
        {
            "Pôle": [pole_label(n, nom) for n, nom in zip(values["numero"], values["nom"], strict=True)],
            "Territoire": values["territoire"].to_numpy(),
            "Secteur principal": values["secteur_principal"].to_numpy(),
            "Classe de taille": values["classe_taille"].to_numpy(),
            "Indicateur": values["libelle"].to_numpy(),
            "Unité": values["unite"].to_numpy(),
            "Valeur": (values["valeur"] * scale).round(4).to_numpy(),
            "Secret statistique": values["masque"].to_numpy(),
            "Rang": values["rang"].astype("Int64").to_numpy(),
            "Médiane des pôles": (values["mediane"] * scale).round(4).to_numpy(),
            "1er quartile": (values["q1"] * scale).round(4).to_numpy(),
            "3e quartile": (values["q3"] * scale).round(4).to_numpy(),
            "Pôles publiés": values["nb_poles"].astype(int).to_numpy(),
        }
    )


# --- Angle profile -------------------------------------------------------------------------------


def profile_table(profile: pd.DataFrame) -> Table:
    """The angle profile as a table: angle, indicator, the pole's value, its percentile rank."""
    out = pd.DataFrame(
        {
            "Angle de travail": profile["domaine_libelle"].to_numpy(),
            "Indicateur": profile["libelle"].to_numpy(),
            "Unité": profile["unite"].to_numpy(),
            "Valeur du pôle": profile["valeur"].astype(float).to_numpy(),
            "Rang centile (0 à 100)": profile["rang_centile"].astype(float).round(0).to_numpy(),
            "Pôles comparés": profile["nb_poles"].astype(int).to_numpy(),
        }
    )
    return Table(out, {"Rang centile (0 à 100)": "entier", "Pôles comparés": "entier"}, unit_column="Unité")


# --- Adjusted comparison -------------------------------------------------------------------------

ADJUSTED_INDICATORS = {
    "taux_sortie_dynamique": "Taux de sorties dynamiques",
    "taux_emploi_durable": "Taux de sorties vers l'emploi durable",
}
VERDICT_LABELS = {
    "au-dessus": "au-dessus de l'attendu",
    "conforme": "conforme à l'attendu",
    "en dessous": "en dessous de l'attendu",
}
METHOD_TEXT = (
    "Comment lire cette section : un pôle qui accompagne surtout des personnes éloignées de l'emploi "
    "(chômage de longue durée, RSA, quartier prioritaire, reconnaissance de handicap) a, toutes choses "
    "égales par ailleurs, moins de sorties vers l'emploi qu'un autre. Pour comparer équitablement, un "
    "modèle statistique (régression logistique) est ajusté sur toutes les personnes sorties du réseau : "
    "il estime, pour chaque personne, la chance de sortie selon son sexe, sa tranche d'âge, sa "
    "situation à l'entrée (chômage de longue durée, RSA, quartier prioritaire, RQTH) et le type de "
    "territoire du pôle. Le taux attendu d'un pôle est la moyenne de ces chances pour les personnes "
    "qu'il a accompagnées ; l'écart est son taux observé moins ce taux attendu, en points. "
    "L'intervalle montre la marge d'incertitude à 95 % : un pôle n'est dit « au-dessus » ou « en "
    "dessous de l'attendu » que si tout l'intervalle est du même côté de zéro, sinon il est "
    "« conforme à l'attendu ». Aucun résultat n'est donné pour un pôle de moins de 20 sorties."
)


def adjusted_table(adjusted: pd.DataFrame) -> Table:
    """The adjusted comparison: observed and expected rates, the gap with its interval, the verdict."""
    out = pd.DataFrame(
        {
            "Pôle": [pole_label(n, nom) for n, nom in zip(adjusted["numero"], adjusted["nom"], strict=True)],
            "Sorties": adjusted["sorties"].astype("Int64").to_numpy(),
            "Taux observé": adjusted["taux_observe"].astype(float).to_numpy(),
            "Taux attendu": adjusted["taux_attendu"].astype(float).to_numpy(),
            "Écart (points)": (adjusted["ecart"].astype(float) * 100).round(1).to_numpy(),
            "Intervalle à 95 % : bas (points)": (adjusted["ic_bas"].astype(float) * 100).round(1).to_numpy(),
            "Intervalle à 95 % : haut (points)": (adjusted["ic_haut"].astype(float) * 100)
            .round(1)
            .to_numpy(),
            "Résultat": [
                VERDICT_LABELS.get(v, "non calculé (moins de 20 sorties)")
                if isinstance(v, str)
                else "non calculé (moins de 20 sorties)"
                for v in adjusted["verdict"]
            ],
        }
    )
    return Table(out, {"Taux observé": PERCENT, "Taux attendu": PERCENT})

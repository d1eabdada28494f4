"""The adjusted comparison of the poles' exit rates (« valeur ajoutée »): pure functions on DataFrames.

What is compared. For each indicator (`taux_sortie_dynamique`: exits to lasting or transitional
employment or positive exits; `taux_emploi_durable`: exits to lasting employment) and each year,
a pole's observed rate is set against the rate expected from the profile of the people who left it.
The exits are exactly those of `pathway_indicators` (`tables.pathway_spans`): one per ended
pathway, in the year of its exit, withdrawals (`retrait`) left out, an exit without a category
counted with outcome 0; so the observed rate equals the rate `pathway_indicators` derives.

The model. One logistic regression per indicator and year (statsmodels GLM, binomial family,
logit link) on every exit of the network that year, outcome 1 / 0, with the profile at entry into
the pathway (first stay) as categorical covariates: sex, age band, DELD, RSA, QPV, RQTH — a missing
value is a level of its own — and the pole's territory (rural / urban) when the pole reference
gives one (`territoire` in `ptce/reference/poles.yaml`; left out, and said so in `modele`, while it
does not). There is deliberately no pole effect: the expectation must be what the network as a
whole achieves with such people, not what this pole usually achieves. A pole's expected rate is
the mean of the predicted probabilities of its exits; the gap is observed − expected (proportion).

Robustness, decided before fitting so that the fit is always well posed:
- a level with fewer than `MIN_LEVEL_EXITS` exits, or whose exits all have the same outcome (which
  would separate the data: infinite coefficient), is merged into its variable's most frequent level;
  a variable left with one level is dropped (listed in `modele`);
- the model is fitted only with at least `EVENTS_PER_PARAMETER` exits of the rarer outcome per
  parameter (the usual rule of ten events per variable), on a full-rank design; a fit that does not
  converge or still diverges (|coefficient| > `MAX_COEFFICIENT`) gives no expected rate either. In
  those cases every figure but `sorties` and `taux_observe` is NULL and `modele` says why, in French.

The 95 % interval of the gap. The question is whether the gap could be chance if the pole did
exactly as the model predicts. Under that hypothesis its exits are independent Bernoulli(p_i), and
the gap is the mean of the pole's residuals y_i − p̂_i. Its variance, to first order, is
    Σ p_i(1 − p_i) / n²  −  g' V g,
where V is the covariance of the coefficients and g = Σ p_i(1 − p_i) x_i / n the gradient of the
pole's mean prediction: the first term is the chance in the observed rate, and the second is
subtracted because the pole's own exits helped fit the model, so part of their chance variation is
already in the expectation (the covariance of the observed rate with the expected one is g' V g,
itself the delta-method variance of the expected rate: +g'Vg − 2g'Vg). This is the variance of a
sum of residuals of a logistic fit (the binary analogue of σ²(1 − h)); it is never negative, and
it vanishes for a "pole" that would be the whole network (whose observed rate always equals its
expectation). The interval is gap ± 1.96 × √variance: closed-form, deterministic (no bootstrap
seed). Measured on simulated networks of twelve poles of 40 to 140 exits with no pole effect
(200 draws): 4.9 % of the verdicts were not 'conforme', as a 95 % interval should give; adding the
delta-method variance instead of subtracting it gave 2.8 % (too wide) and detected a pole 0.6
logit above in 62 % of draws instead of 73 %. The verdict is 'au-dessus' / 'en dessous' only
when the interval excludes 0, else 'conforme'.

Fewer than `MIN_EXITS` exits (20): only `sorties` is given, every other figure is NULL (a rate on a
handful of persons is both fragile and identifying).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from pipelines.pathways.tables import pathway_spans
from ptce.contract import DYNAMIC_EXIT_CATEGORIES, TABLES, WITHDRAWN_EXIT
from ptce.fmt import fmt_number

ADJUSTED_COLUMNS = list(TABLES["pathway_adjusted"])
# The outcome of each indicator: exit categories counted as a success (numerators of the catalogue).
INDICATORS: dict[str, tuple[str, ...]] = {
    "taux_sortie_dynamique": DYNAMIC_EXIT_CATEGORIES,
    "taux_emploi_durable": ("emploi_durable",),
}
# What `modele` calls each outcome (French, shown on the page).
OUTCOME_LABELS: dict[str, str] = {
    "taux_sortie_dynamique": "sortie dynamique",
    "taux_emploi_durable": "sortie vers l'emploi durable",
}
MIN_EXITS = 20
MIN_LEVEL_EXITS = 10
EVENTS_PER_PARAMETER = 10
MAX_COEFFICIENT = 10.0
Z_95 = 1.959963984540054
MISSING = "non_renseigne"
# Covariates in model order, with the French name `modele` uses.
COVARIATES: dict[str, str] = {
    "sexe": "sexe",
    "tranche_age": "tranche d'âge",
    "deld": "DELD",
    "rsa": "RSA",
    "qpv": "QPV",
    "rqth": "RQTH",
    "territoire": "territoire",
}
BOOLEAN_COVARIATES = ("deld", "rsa", "qpv", "rqth")
# The columns of `pathways` that `build_adjusted` reads (the asset reads no more of a million rows).
EXIT_INPUTS = (
    "pole_id",
    "person_key",
    "parcours_id",
    "etape",
    "date_entree",
    "date_sortie",
    "categorie_sortie",
    "fin_parcours",
    "sexe",
    "tranche_age",
    *BOOLEAN_COVARIATES,
)
ABOVE, AS_EXPECTED, BELOW = "au-dessus", "conforme", "en dessous"


def exits_frame(pathways: pd.DataFrame, territories: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per exit counted by `pathway_indicators`: pole_id, annee, categorie, the profile.

    The profile is that of the pathway's first stay (at entry); `territoire` is the pole's from
    `territories` (absent from the frame when no pole has one).
    """
    columns = ["parcours_id", "pole_id", "annee", "categorie", *COVARIATES]
    if pathways.empty:
        return pd.DataFrame(columns=columns)
    spans = pathway_spans(pathways)
    spans = spans[spans["fin"].notna() & spans["categorie"].ne(WITHDRAWN_EXIT)].copy()
    spans["annee"] = spans["fin"].dt.year.astype(int)
    first = pathways.sort_values(["parcours_id", "etape"], kind="stable").drop_duplicates("parcours_id")
    profile = first.set_index("parcours_id")[["sexe", "tranche_age", *BOOLEAN_COVARIATES]]
    frame = spans.join(profile, on="parcours_id")
    for column in ("sexe", "tranche_age"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), MISSING).astype(str)
    for column in BOOLEAN_COVARIATES:
        values = frame[column].astype("boolean")
        frame[column] = np.where(values.isna(), MISSING, np.where(values.fillna(False), "oui", "non"))
    known = {k: v for k, v in (territories or {}).items() if v}
    if known:
        frame["territoire"] = frame["pole_id"].map(known).fillna(MISSING).astype(str)
    else:
        columns.remove("territoire")
    return frame[columns].reset_index(drop=True)


def _merge_levels(values: pd.Series, outcome: pd.Series) -> tuple[pd.Series, list[str]]:
    """Merge rare or one-outcome levels into the most frequent one (see the module docstring)."""
    counts = values.value_counts()
    modal = counts.index[0]
    merged = []
    for level, n in counts.items():
        if level == modal:
            continue
        rate = outcome[values == level].mean()
        if n < MIN_LEVEL_EXITS or rate in (0.0, 1.0):
            merged.append(str(level))
    if merged:
        values = values.where(~values.isin(merged), modal)
    return values, merged


def _design(exits: pd.DataFrame, outcome: pd.Series) -> tuple[pd.DataFrame, list[str]]:
    """Intercept + one dummy per non-reference level; French notes on what was merged or dropped."""
    parts = [pd.Series(1.0, index=exits.index, name="constante")]
    notes = []
    for column, label in COVARIATES.items():
        if column not in exits:
            continue
        values, merged = _merge_levels(exits[column], outcome)
        if merged:
            notes.append(f"{label} : {', '.join(sorted(merged))} regroupé(s) avec « {values.mode()[0]} »")
        levels = values.value_counts().index.tolist()  # most frequent first: the reference level
        if len(levels) < 2:
            notes.append(f"{label} : une seule modalité, variable écartée")
            continue
        for level in levels[1:]:
            parts.append((values == level).astype(float).rename(f"{column}={level}"))
    return pd.concat(parts, axis=1), notes


def _fit(design: pd.DataFrame, outcome: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray] | str:
    """(coefficients, covariance, probabilities) of the logistic model, or why it was not fitted."""
    # Imported when a mart is built, never when definitions load; the GLM module alone, not
    # `statsmodels.api` (which imports every model of the library: a second more per run).
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM

    n_events = int(min(outcome.sum(), len(outcome) - outcome.sum()))
    n_params = design.shape[1]
    if n_events < EVENTS_PER_PARAMETER * n_params:
        return (
            f"trop peu de sorties pour ajuster le modèle ({fmt_number(len(outcome))} sorties, dont "
            f"{fmt_number(n_events)} pour l'issue la plus rare ; il en faut au moins "
            f"{EVENTS_PER_PARAMETER} par paramètre, soit {fmt_number(EVENTS_PER_PARAMETER * n_params)})"
        )
    x = design.to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # judged below, on the result itself
        try:
            model = GLM(outcome.to_numpy(dtype=float), x, family=Binomial())
            # The model has computed the design's rank (`np.linalg.matrix_rank`): not a second time.
            if model.df_model + 1 < n_params:
                return "profils redondants (deux caractéristiques toujours liées) : modèle non identifiable"
            result = model.fit()
        except Exception as exc:  # a numerical failure costs this year's expected rates, not the run
            return f"échec de l'ajustement du modèle ({type(exc).__name__})"
    params = np.asarray(result.params)
    cov = np.asarray(result.cov_params())
    if not result.converged or not np.all(np.isfinite(params)) or np.abs(params).max() > MAX_COEFFICIENT:
        return "le modèle ne converge pas (séparation des données : un profil a toujours la même issue)"
    return params, cov, np.asarray(result.fittedvalues)


def _model_text(indicator: str, year: int, n: int, exits: pd.DataFrame, notes: list[str]) -> str:
    used = [label for column, label in COVARIATES.items() if column in exits]
    text = (
        f"Régression logistique (statsmodels, GLM binomial) sur les {fmt_number(n)} sorties du réseau "
        f"en {year} (issue : {OUTCOME_LABELS[indicator]}) ; caractéristiques à l'entrée : "
        f"{', '.join(used)} ; sans effet pôle"
    )
    if "territoire" not in exits:
        text += " ; territoire non pris en compte (absent du référentiel des pôles)"
    if notes:
        text += " ; " + " ; ".join(notes)
    return text


def _verdict(low: float, high: float) -> str:
    if low > 0:
        return ABOVE
    if high < 0:
        return BELOW
    return AS_EXPECTED


def adjust_year(exits: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    """The rows of `pathway_adjusted` for one indicator and year from that year's exits."""
    outcome = exits["categorie"].isin(INDICATORS[indicator]).astype(float)
    design, notes = _design(exits, outcome)
    fitted = _fit(design, outcome)
    modele = _model_text(indicator, year, len(exits), exits, notes)
    if isinstance(fitted, str):
        modele = f"Modèle non ajusté : {fitted}. {modele}"
    # Converted once: converting the whole design for each pole made this quadratic in the poles.
    x = design.to_numpy(dtype=float)
    outcomes = outcome.to_numpy()
    rows = []
    # Positions of each pole's exits (`exits` has a range index): `groups` and label lookups cost
    # more than the model itself at thousands of poles.
    positions = exits.groupby("pole_id", sort=True).indices
    for pole_id in sorted(positions):
        where = positions[pole_id]
        n = len(where)
        row: dict[str, object] = {"pole_id": pole_id, "annee": year, "indicateur": indicator, "sorties": n}
        row |= dict.fromkeys(["taux_observe", "taux_attendu", "ecart", "ic_bas", "ic_haut", "verdict"])
        row["modele"] = modele
        if n >= MIN_EXITS:
            row["taux_observe"] = float(outcomes[where].mean())
        if n >= MIN_EXITS and not isinstance(fitted, str):
            _, cov, probabilities = fitted
            p = probabilities[where]
            weight = p * (1 - p)
            gradient = x[where].T @ weight / n
            variance = weight.sum() / n**2 - float(gradient @ cov @ gradient)
            expected = float(p.mean())
            gap = row["taux_observe"] - expected
            half = Z_95 * float(np.sqrt(max(variance, 0.0)))
            row |= {
                "taux_attendu": expected,
                "ecart": gap,
                "ic_bas": gap - half,
                "ic_haut": gap + half,
                "verdict": _verdict(gap - half, gap + half),
            }
        rows.append(row)
    return pd.DataFrame(rows, columns=ADJUSTED_COLUMNS)


def build_adjusted(pathways: pd.DataFrame, territories: Mapping[str, str] | None = None) -> pd.DataFrame:
    """`pathway_adjusted`: per pole, year with exits and indicator, observed against expected."""
    exits = exits_frame(pathways, territories)
    frames = [
        adjust_year(year_exits.reset_index(drop=True), indicator, int(year))
        for year, year_exits in exits.groupby("annee", sort=True)
        for indicator in INDICATORS
    ]
    if not frames:
        return pd.DataFrame(columns=ADJUSTED_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values(["annee", "indicateur", "pole_id"]).reset_index(drop=True)[ADJUSTED_COLUMNS]

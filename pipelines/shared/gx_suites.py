"""Great Expectations suites of the warehouse, and how they are run (GX 1.x, ephemeral context).

Each suite is one Dagster asset check: its rules share a severity (ERROR blocks publication, WARN
is reported). Rules are plain data — a name, a French description, an expectation — so the list
reads as the quality policy. GX is imported lazily: it costs several seconds, which the Dagster UI
and the dashboards should not pay when loading definitions.

Validation results go to filesystem stores under the run's build folder, so the suites of both
check steps (curated tables, then marts) end up in one Data Docs site built at publication.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ptce.contract import INGEST_STATUSES
from ptce.reference import QualityConfig

if TYPE_CHECKING:  # GX is imported lazily: only the type is needed here
    from great_expectations.data_context import AbstractDataContext

MAX_EXAMPLES = 5
SITE_NAME = "observatoire"
# What `html.escape` rewrites.
_HTML_SPECIAL = r"[&<>\"']"


@dataclass(frozen=True)
class RuleContext:
    """What the rules need to know: reference values and thresholds."""

    pole_ids: tuple[str, ...]
    typed_codes: tuple[str, ...]
    all_codes: tuple[str, ...]
    shares: tuple[str, ...]
    config: QualityConfig
    today: date


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    build: Callable[[Any], Any]  # gxe module -> Expectation


@dataclass(frozen=True)
class Suite:
    asset: str
    check_name: str
    description: str
    severity: str
    frame: str
    index_columns: tuple[str, ...]
    rules: Callable[[RuleContext], list[Rule]]


@dataclass
class RuleOutcome:
    suite: Suite
    rule: str
    description: str
    success: bool
    unexpected_count: int
    examples: list[Any] = field(default_factory=list)


def rule(name: str, description: str, build: Callable[[Any], Any]) -> Rule:
    """A rule: its name, French description, and `build(gxe)` returning its GX expectation."""
    return Rule(name, description, build)


def _catalog(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "code_unique",
            "Code d'indicateur unique.",
            lambda g: g.ExpectColumnValuesToBeUnique(column="code"),
        ),
        rule(
            "domaine_connu",
            "Domaine parmi les cinq angles de travail.",
            lambda g: g.ExpectColumnValuesToBeInSet(
                column="domaine", value_set=["emploi", "parcours", "mutualisation", "creation", "qualite"]
            ),
        ),
        rule(
            "agregation_connue",
            "Règle d'agrégation connue.",
            lambda g: g.ExpectColumnValuesToBeInSet(
                column="agregation_poles", value_set=["somme", "moyenne", "ratio"]
            ),
        ),
    ]


def _ingest_log(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "un_fichier_une_ligne",
            "Une ligne de journal par fichier brut.",
            lambda g: g.ExpectColumnValuesToBeUnique(column="source_file"),
        ),
        rule(
            "conservation",
            "Lignes lues = lignes chargées + lignes en quarantaine, pour chaque fichier.",
            lambda g: g.ExpectColumnValuesToBeBetween(column="ecart_conservation", min_value=0, max_value=0),
        ),
        rule(
            "statut_connu",
            "Statut ok, partial, error ou ignored (fichier système ou hors des dossiers, non lu).",
            lambda g: g.ExpectColumnValuesToBeInSet(column="status", value_set=list(INGEST_STATUSES)),
        ),
        rule(
            "ignore_sans_ligne",
            "Un fichier ignoré n'a aucune ligne lue, chargée ni en quarantaine.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="ignore_sans_ligne", value_set=[True]),
        ),
        rule(
            "empreinte_sha256",
            "Empreinte SHA-256 de chaque fichier lu (absente seulement pour un fichier non lu).",
            lambda g: g.ExpectColumnValuesToMatchRegex(column="sha256", regex=r"^[0-9a-f]{64}$"),
        ),
        rule(
            "empreinte_si_lu",
            "Tout fichier chargé (ok ou partial) a son empreinte SHA-256.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="empreinte_si_lu", value_set=[True]),
        ),
        rule(
            "message_francais",
            "Message renseigné.",
            lambda g: g.ExpectColumnValuesToNotBeNull(column="message"),
        ),
    ]


def _quarantine(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "raison_renseignee",
            "Chaque ligne en quarantaine a une raison.",
            lambda g: g.ExpectColumnValuesToNotBeNull(column="reason"),
        ),
        rule(
            "raison_situee",
            "La raison nomme le fichier, la ligne et le champ.",
            lambda g: g.ExpectColumnValuesToMatchRegex(
                column="reason", regex=r"^raw/.+, ligne \d+, champ .+ : "
            ),
        ),
        rule(
            "numero_de_ligne",
            "Numéro de ligne positif.",
            lambda g: g.ExpectColumnValuesToBeBetween(column="row_number", min_value=1),
        ),
    ]


def _completeness(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "cle_unique",
            "Une ligne par pôle, année et type d'envoi.",
            lambda g: g.ExpectCompoundColumnsToBeUnique(column_list=["pole_id", "annee", "kind"]),
        ),
        rule(
            "statut_connu",
            "Statut complet, partiel, manquant ou à venir.",
            lambda g: g.ExpectColumnValuesToBeInSet(
                column="statut", value_set=["complet", "partiel", "manquant", "à venir"]
            ),
        ),
        rule(
            "taux_entre_0_et_1",
            "Taux de complétude entre 0 et 1.",
            lambda g: g.ExpectColumnValuesToBeBetween(column="taux", min_value=0, max_value=1),
        ),
    ]


# Suites of the shared tables; each domain declares its own in `pipelines/<domain>/rules.py`.
SHARED_TABLE_SUITES: tuple[Suite, ...] = (
    Suite(
        "indicator_catalog",
        "gx_indicator_catalog",
        "Catalogue des indicateurs.",
        "ERROR",
        "indicator_catalog",
        ("code",),
        _catalog,
    ),
    Suite(
        "ingest_log",
        "gx_ingest_log",
        "Journal d'intégration complet et conservatif.",
        "ERROR",
        "ingest_log",
        ("source_file",),
        _ingest_log,
    ),
    Suite(
        "quarantine",
        "gx_quarantine",
        "Quarantaine expliquée.",
        "ERROR",
        "quarantine",
        ("source_file", "row_number", "field"),
        _quarantine,
    ),
)
SHARED_MART_SUITES: tuple[Suite, ...] = (
    Suite(
        "completeness",
        "gx_completeness",
        "Table de complétude bien formée.",
        "ERROR",
        "completeness",
        ("pole_id", "annee", "kind"),
        _completeness,
    ),
)


def _context(root: Path, site_dir: Path | None = None) -> AbstractDataContext:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        FilesystemStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if site_dir is not None:
        sites[SITE_NAME] = {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "show_how_to_buttons": False,  # GX tutorials, on GX's site: not for the observatory's staff
        }
    config = DataContextConfig(
        analytics_enabled=False,  # nothing phones home (SPEC §5)
        progress_bars=ProgressBarsConfig(globally=False),
        store_backend_defaults=FilesystemStoreBackendDefaults(root_directory=str(root)),
        data_docs_sites=sites,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _escape_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of `frame` with HTML special characters escaped in text columns.

    GX Data Docs writes unexpected values into its HTML without escaping them, and file names or
    cell texts come from outside: validating an escaped copy keeps the site inert. Rules compare
    with identifiers and patterns that contain no such characters, so their verdicts do not change.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        try:
            # Only the cells holding a character to escape change (`html.escape` returns the others
            # as they are): found by one vectorised search rather than a call per cell, which took
            # seconds on a table of a million rows.
            special = values.str.contains(_HTML_SPECIAL, regex=True, na=False).to_numpy(dtype=bool)
        except (AttributeError, TypeError):  # a column of other objects: cell by cell
            out[column] = values.map(lambda v: html.escape(v) if isinstance(v, str) else v)
            continue
        if special.any():
            out.loc[special, column] = values[special].map(
                lambda v: html.escape(v) if isinstance(v, str) else v
            )
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, str):
        return html.unescape(value)  # examples are stored as the sender wrote them
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)


def run_suites(
    suites: tuple[Suite, ...], frames: dict[str, pd.DataFrame], ctx: RuleContext, root: Path
) -> list[RuleOutcome]:
    """Validate each suite's frame with GX; one outcome per rule."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    context = _context(root)
    outcomes: list[RuleOutcome] = []
    for suite in suites:
        frame = _escape_text(frames[suite.frame])
        rules = suite.rules(ctx)
        name = suite.check_name
        batch = (
            context.data_sources.add_pandas(f"entrepot_{name}")
            .add_dataframe_asset(suite.frame)
            .add_batch_definition_whole_dataframe("tout")
        )
        gx_suite = context.suites.add(gx.ExpectationSuite(name=name))
        for rule in rules:
            expectation = rule.build(gxe)
            expectation.description = rule.description
            expectation.meta = {"regle": rule.name, "severite": suite.severity}
            gx_suite.add_expectation(expectation)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=gx_suite)
        )
        index = [c for c in suite.index_columns if c in frame.columns]
        result = definition.run(
            batch_parameters={"dataframe": frame},
            result_format={
                "result_format": "SUMMARY",
                "partial_unexpected_count": MAX_EXAMPLES,
                "unexpected_index_column_names": index,
            },
        )
        for item in result.results:
            meta = item.expectation_config.meta or {}
            res = item.result or {}
            examples = res.get("partial_unexpected_index_list") or res.get("partial_unexpected_list") or []
            count = res.get("unexpected_count")
            if count is None:  # table-level expectations report an observed value instead
                count = 0 if item.success else 1
                examples = [res.get("observed_value")] if not item.success else []
            outcomes.append(
                RuleOutcome(
                    suite=suite,
                    rule=meta.get("regle", item.expectation_config.type),
                    description=item.expectation_config.description or "",
                    success=bool(item.success),
                    unexpected_count=int(count),
                    examples=_jsonable(list(examples)[:MAX_EXAMPLES]),
                )
            )
    return outcomes


def build_data_docs(root: Path, site_dir: Path) -> Path:
    """Render every suite and validation result of the run's stores as a static site.

    The site then loads only its own files (`data_docs.localize_site`): GX's pages name CDNs and a
    logo address that carries the data context's id.
    """
    from pipelines.shared.data_docs import localize_site

    context = _context(root, site_dir)
    context.build_data_docs()
    removed = localize_site(site_dir)
    if removed:
        logging.getLogger(__name__).warning(
            "Documentation des contrôles : adresse(s) extérieure(s) inconnue(s) retirée(s) des pages "
            "(%s) ; la page peut s'afficher sans ces éléments. Copier ces fichiers dans "
            "pipelines/shared/data_docs_assets/ (voir son README.md) et les déclarer dans "
            "pipelines/shared/data_docs.py.",
            ", ".join(removed),
        )
    return site_dir / "index.html"

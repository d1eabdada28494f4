"""Headless run of the whole pipeline (`ptce run`), and its French summary.

The job runs in-process on a Dagster instance kept under `curated/.dagster/` (so `ptce dagster` shows
the runs); Dagster telemetry is switched off in that instance's configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.definitions import build_definitions
from pipelines.defs.jobs import JOB_NAME
from pipelines.resources import WarehouseResource
from ptce.fmt import fmt_datetime, fmt_number
from ptce.paths import DataLayout
from ptce.warehouse import fetch_one

DAGSTER_YAML = """\
# Written by the `ptce` command. The data are personal and machines may be offline: no telemetry.
telemetry:
  enabled: false
nux:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 1
"""


@dataclass
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    severity: str
    failures: int


@dataclass
class RunOutcome:
    """What a run did: published or not, and the checks that decided it."""

    data_dir: Path
    run_id: str
    success: bool
    published: bool
    checks: list[CheckOutcome] = field(default_factory=list)
    # "step : exception message" of failed steps: technical, for tests and the Dagster log only.
    step_errors: list[str] = field(default_factory=list)

    @property
    def blocking_failures(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed and c.severity == "ERROR"]

    @property
    def warnings(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed and c.severity == "WARN"]


def ensure_dagster_home(layout: DataLayout) -> Path:
    """DAGSTER_HOME for this data directory, with telemetry off; returns its path."""
    home = Path(os.environ.get("DAGSTER_HOME") or layout.curated / ".dagster")
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return home


def run_pipeline(data_dir: Path, instance: dg.DagsterInstance | None = None) -> RunOutcome:
    """Build and, if every blocking check passes, publish the warehouse of `data_dir`."""
    layout = DataLayout(data_dir.resolve())
    defs = build_definitions(WarehouseResource(data_dir=str(layout.data_dir)))
    job = defs.resolve_job_def(JOB_NAME)
    # The French summary explains failures; full logs stay in the Dagster instance (UI).
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    result = job.execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(), raise_on_error=False, run_config=quiet
    )
    checks = [
        CheckOutcome(
            asset=ev.asset_key.to_user_string(),
            name=ev.check_name,
            passed=ev.passed,
            severity=ev.severity.value,
            failures=int(ev.metadata["unexpected_count"].value) if "unexpected_count" in ev.metadata else 0,
        )
        for ev in result.get_asset_check_evaluations()
    ]
    published = any(
        m.asset_key == dg.AssetKey("published_warehouse")
        for m in result.get_asset_materialization_events()
        for m in [m.event_specific_data.materialization]
    )
    errors = [
        f"{ev.step_key} : {ev.event_specific_data.error.message.strip()}"
        for ev in result.all_events
        if ev.is_step_failure and ev.event_specific_data and ev.event_specific_data.error
    ]
    return RunOutcome(
        data_dir=layout.data_dir,
        run_id=result.run_id,
        success=result.success,
        published=published,
        checks=checks,
        step_errors=errors,
    )


def summary_lines(outcome: RunOutcome) -> list[str]:
    """French summary of a run, read back from the published warehouse."""
    layout = DataLayout(outcome.data_dir)
    lines = [f"Observatoire PTCE — dossier de données : {layout.data_dir}"]
    if layout.warehouse.exists():
        with duckdb.connect(str(layout.warehouse), read_only=True) as con:
            log = fetch_one(
                con,
                """select count(*), count(*) filter (status = 'ok'), count(*) filter (status = 'partial'),
                          count(*) filter (status = 'error'), coalesce(sum(rows_read), 0),
                          coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0)
                   from ingest_log""",
            )
            values = fetch_one(
                con, "select count(*), count(distinct pole_id), min(annee), max(annee) from indicator_values"
            )
            n_targets = fetch_one(con, "select count(*) from targets")[0]
            pub = fetch_one(con, "select published_at, donnees_demo from publication")
        state = "publié lors de cette exécution" if outcome.published else "précédent, conservé"
        lines += [
            f"  Fichiers bruts : {log[0]} (complets : {log[1]}, partiels : {log[2]}, en erreur : {log[3]})",
            f"  Lignes lues : {fmt_number(log[4])} — chargées : {fmt_number(log[5])} — "
            f"en quarantaine : {fmt_number(log[6])}",
            f"  Valeurs d'indicateurs : {fmt_number(values[0])} pour {values[1]} pôle(s)"
            + (f", années {values[2]} à {values[3]}" if values[2] else ""),
            f"  Objectifs : {fmt_number(n_targets)}",
            f"  Entrepôt ({state}) : {layout.warehouse} — {fmt_datetime(pub[0])} (UTC)",
        ]
        if pub[1]:
            lines.append("  ⚠ Données fictives de démonstration (commande « ptce sample »).")
    n_ok = sum(c.passed for c in outcome.checks)
    lines.append(
        f"  Contrôles : {n_ok} réussi(s), {len(outcome.warnings)} en alerte, "
        f"{len(outcome.blocking_failures)} bloquant(s)"
    )
    for c in outcome.warnings:
        lines.append(f"    alerte — {c.asset} / {c.name} : {c.failures} écart(s)")
    for c in outcome.blocking_failures:
        lines.append(f"    BLOQUANT — {c.asset} / {c.name} : {c.failures} écart(s)")
    if outcome.published:
        lines.append("Entrepôt publié.")
    else:
        # The exception text of a failed step is technical (and English): it stays in the Dagster
        # log; the summary names the steps and says where to look.
        steps = sorted({error.split(" : ", 1)[0] for error in outcome.step_errors})
        reason = (
            "un contrôle bloquant a échoué"
            if outcome.blocking_failures
            else f"étape(s) en échec ({', '.join(steps[:3]) or 'inconnue'}) à cause d'une erreur interne ; "
            "le détail technique est dans l'interface Dagster (« ptce dagster », exécution "
            f"{outcome.run_id}) : transmettez-le à l'équipe technique"
        )
        lines.append(
            f"Publication annulée : {reason}. L'entrepôt publié précédemment reste en place"
            + ("." if layout.warehouse.exists() else " (aucun entrepôt n'a encore été publié).")
        )
    return lines

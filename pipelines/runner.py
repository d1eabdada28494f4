"""Headless run of the whole pipeline (`ptce run`), and its French summary.

The job runs in-process on a Dagster instance kept under `curated/.dagster/` (so `ptce dagster` shows
the runs); Dagster telemetry is switched off in that instance's configuration.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipelines.definitions import build_definitions
from pipelines.pathways.pseudonym import DEMO_KEY_MARK, KEY_VARIABLE, NO_KEY_MARK
from pipelines.shared import build_lock
from pipelines.shared.jobs import JOB_NAME
from pipelines.shared.resources import WarehouseResource
from pipelines.shared.run_storage import tune_sqlite_storage
from ptce.contract import connect_readonly, fetch_one
from ptce.fmt import fmt_datetime, fmt_number
from ptce.paths import DataLayout

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
    # The check's French account of what failed (files named), when it gives one.
    detail: str | None = None


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
    """DAGSTER_HOME for this data directory, with telemetry off; returns its path.

    Also makes this process's writes to the instance's SQLite storage cheap (`run_storage`).
    """
    tune_sqlite_storage()
    home = Path(os.environ.get("DAGSTER_HOME") or layout.curated / ".dagster")
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return home


def run_pipeline(
    data_dir: Path,
    instance: dg.DagsterInstance | None = None,
    wait: float = build_lock.DEFAULT_WAIT_SECONDS,
    on_wait: Callable[[str], None] | None = None,
) -> RunOutcome:
    """Build and, if every blocking check passes, publish the warehouse of `data_dir`.

    Waits up to `wait` seconds for another build of the same folder to end, then raises
    `build_lock.BuildInProgress` (French message).
    """
    layout = DataLayout(data_dir.resolve())
    with build_lock.build_lock(layout, wait, on_wait):
        return _run(layout, instance)


def _run(layout: DataLayout, instance: dg.DagsterInstance | None) -> RunOutcome:
    defs = build_definitions(WarehouseResource(data_dir=str(layout.data_dir)))
    job = defs.resolve_job_def(JOB_NAME)
    # The French summary explains failures; full logs stay in the Dagster instance (UI).
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    result = job.execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(), raise_on_error=False, run_config=quiet
    )
    labels = {node.name: _step_label(node.definition.description) for node in job.graph.nodes}
    checks = [
        CheckOutcome(
            asset=ev.asset_key.to_user_string(),
            name=ev.check_name,
            passed=ev.passed,
            severity=ev.severity.value,
            failures=int(ev.metadata["unexpected_count"].value) if "unexpected_count" in ev.metadata else 0,
            detail=None if ev.passed else ev.description,
        )
        for ev in result.get_asset_check_evaluations()
    ]
    published = any(
        m.asset_key == dg.AssetKey("published_warehouse")
        for m in result.get_asset_materialization_events()
        for m in [m.event_specific_data.materialization]
    )
    errors = [
        step_error_text(labels.get(ev.step_key or "", ev.step_key or "exécution"), ev, result.run_id)
        for ev in result.all_events
        if (ev.is_step_failure or ev.is_resource_init_failure) and ev.event_specific_data
    ]
    return RunOutcome(
        data_dir=layout.data_dir,
        run_id=result.run_id,
        success=result.success,
        published=published,
        checks=checks,
        step_errors=errors,
    )


# OS errors name the file in their text ("[Errno 13] Permission denied: '/x/y.csv'"), DuckDB's in
# double quotes: the summary names it too.
_QUOTED_PATH = re.compile(r"""['"](/[^'"]+)['"]""")
_ERRNO = re.compile(r"\[Errno (\d+)\]")
_ERRNO_TEXT = {
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota de disque atteint",
    errno.EROFS: "disque en lecture seule",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EISDIR: "c'est un dossier, un fichier est attendu",
}


def _step_label(description: str | None) -> str | None:
    """A step's French name: the start of its asset's description (its docstring)."""
    if not description:
        return None
    return re.split(r" \(| : |\. ", description.strip().splitlines()[0], maxsplit=1)[0].rstrip(".")


def step_error_text(label: str, event: dg.DagsterEvent, run_id: str) -> str:
    """A failed step in French: the step, the file concerned when known, what to do.

    A step that fails on purpose raises `dg.Failure` with a French description; anything else is
    an unexpected error, whose English text and exception name stay in the Dagster log.
    """
    data = event.event_specific_data
    user = getattr(data, "user_failure_data", None)
    if user is not None and user.description:
        return f"étape « {label} » : {user.description}"
    texts = []
    error = getattr(data, "error", None)
    while error is not None:
        if error.cls_name == "Failure":  # raised on purpose (resource set-up): its text is French
            return f"étape « {label} » : {error.message.split(': ', 1)[-1].strip()}"
        texts.append(error.message)
        error = error.cause
    text = " ".join(texts)
    reason = "erreur inattendue"
    if match := _ERRNO.search(text):
        reason = f"erreur d'accès au disque ({_ERRNO_TEXT.get(int(match.group(1)), 'erreur système')})"
    where = f", fichier concerné : {match.group(1)}" if (match := _QUOTED_PATH.search(text)) else ""
    return (
        f"étape « {label} » : {reason}{where}. Corrigez la cause si elle est indiquée puis relancez « ptce "
        f"run » ; sinon transmettez ce message à l'équipe technique (détail dans l'interface Dagster, "
        f"exécution {run_id})."
    )


def summary_lines(outcome: RunOutcome) -> list[str]:
    """French summary of a run, read back from the published warehouse."""
    layout = DataLayout(outcome.data_dir)
    lines = [f"Observatoire PTCE — dossier de données : {layout.data_dir}"]
    if layout.warehouse.exists():
        with connect_readonly(layout.warehouse) as con:
            log = fetch_one(
                con,
                """select count(*), count(*) filter (status = 'ok'), count(*) filter (status = 'partial'),
                          count(*) filter (status = 'error'), coalesce(sum(rows_read), 0),
                          coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0),
                          count(*) filter (status = 'ignored')
                   from ingest_log""",
            )
            values = fetch_one(
                con, "select count(*), count(distinct pole_id), min(annee), max(annee) from indicator_values"
            )
            n_targets = fetch_one(con, "select count(*) from targets")[0]
            events = fetch_one(
                con,
                """select (select count(*) from visits),
                          (select count(*) from visits where type = 'visite apprenante'),
                          (select count(*) from practices),
                          (select count(visit_id) from practices),
                          (select count(*) from visit_offers where statut_offre = 'ouverte')""",
            )
            # Poles in force: the shipped twelve and what the reference files of raw/poles/ changed.
            poles = fetch_one(
                con,
                """select count(*), count(fichier_reference), count(date_depart),
                          (select count(*) from ingest_log where kind = 'poles')
                   from poles""",
            )
            pub = fetch_one(con, "select published_at, donnees_demo from publication")
            # Pathway files read with the public demo key, or refused for want of a key (messages of
            # `pipelines.pathways.pseudonym`).
            keys = fetch_one(
                con,
                f"""select count(*) filter (message like '%{DEMO_KEY_MARK}%'),
                          count(*) filter (message like '%{NO_KEY_MARK}%')
                   from ingest_log where kind = 'parcours'""",
            )
        state = "publié lors de cette exécution" if outcome.published else "précédent, conservé"
        lines += [
            f"  Fichiers bruts : {log[0]} (complets : {log[1]}, partiels : {log[2]}, en erreur : {log[3]}"
            + (f", ignorés car non lus : {log[7]}" if log[7] else "")
            + ")",
            f"  Lignes lues : {fmt_number(log[4])} — chargées : {fmt_number(log[5])} — "
            f"en quarantaine : {fmt_number(log[6])}",
            f"  Valeurs d'indicateurs : {fmt_number(values[0])} pour {values[1]} pôle(s)"
            + (f", années {values[2]} à {values[3]}" if values[2] else ""),
            f"  Objectifs : {fmt_number(n_targets)}",
            f"  Pôles : {poles[0]} au référentiel"
            + (
                f", dont {poles[1]} ajouté(s) ou modifié(s) par {poles[3]} fichier(s) de raw/poles/ et "
                f"{poles[2]} sorti(s) de la communauté"
                if poles[3]
                else ""
            ),
            f"  Visites et rencontres : {fmt_number(events[0])} événement(s), dont {fmt_number(events[1])} "
            f"visite(s) apprenante(s) ; pratiques partagées : {fmt_number(events[2])}, dont "
            f"{fmt_number(events[3])} rattachée(s) à un événement ; offres d'accueil encore ouvertes : "
            f"{fmt_number(events[4])}",
            f"  Entrepôt ({state}) : {layout.warehouse} — {fmt_datetime(pub[0])} (UTC)",
        ]
        if pub[1]:
            lines.append("  ⚠ Données fictives de démonstration (commande « ptce sample »).")
        if keys[0]:
            lines.append(
                f"  ⚠ PARCOURS : {keys[0]} fichier(s) pseudonymisé(s) avec la CLÉ DE DÉMONSTRATION "
                f"({KEY_VARIABLE} absente) : admis seulement pour les données fictives."
            )
        if keys[1]:
            lines.append(
                f"  ⚠ PARCOURS : {keys[1]} fichier(s) non chargé(s) faute de clé de pseudonymisation : "
                f"définissez {KEY_VARIABLE} puis relancez « ptce run »."
            )
    n_ok = sum(c.passed for c in outcome.checks)
    lines.append(
        f"  Contrôles : {n_ok} réussi(s), {len(outcome.warnings)} en alerte, "
        f"{len(outcome.blocking_failures)} bloquant(s)"
    )
    for c in outcome.warnings:
        lines.append(f"    alerte — {c.asset} / {c.name} : {c.failures} écart(s)")
    for c in outcome.blocking_failures:
        lines.append(f"    BLOQUANT — {c.asset} / {c.name} : {c.failures} écart(s)")
        if c.detail:
            lines.append(f"      {c.detail}")
    for error in outcome.step_errors:
        lines.append(f"  ÉCHEC — {error}")
    if outcome.published:
        lines.append("Entrepôt publié.")
    else:
        # A failed step's technical text stays in the Dagster log: `step_error_text` wrote the
        # French lines above, with the file concerned and the run to look at.
        reason = (
            "un contrôle bloquant a échoué"
            if outcome.blocking_failures
            else "une étape a échoué (voir ci-dessus)"
            if outcome.step_errors
            else "l'exécution a été interrompue"
        )
        lines.append(
            f"Publication annulée : {reason}. L'entrepôt publié précédemment reste en place"
            + ("." if layout.warehouse.exists() else " (aucun entrepôt n'a encore été publié).")
        )
    return lines

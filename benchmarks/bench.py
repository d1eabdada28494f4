"""`ptce bench`: generate the data, run everything, measure, and write BENCHMARKS.md (French).

For each scale (`demo`, or a number of poles N): `ptce sample` (`--scale N --xlsx-share 0` for N),
`ptce run` in a child process (wall time, peak memory of its process tree), the DuckDB floor in a
child process of its own (`benchmarks/floor.sql`, checked against the published marts), the
quality steps' durations from the run's event log beside the same blocking rules in SQL, every
page read against its bare SQL, every page's AppTest against an empty page's, and the yearly report.
A phase that fails is reported in the file and the others still run. Progress is printed in French.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import markdown as md
from benchmarks.floor import MartComparison, compare_floor_file, convert_workbooks
from benchmarks.measure import Machine, Measured, bare_import_command, describe_machine, run_measured
from benchmarks.pages import PageTiming, time_pages
from benchmarks.quality import SqlRules, StepTimes, run_sql_rules, step_times
from benchmarks.queries import QueryResults, time_reads
from ptce.fmt import fmt_number
from ptce.paths import PROJECT_ROOT, DataLayout

DEFAULT_SCALES = "demo,2000"
DEFAULT_REPEAT = 20
DEMO_RUNS = 3  # `ptce run` and the bare import, in turn, at the demo (at most --repeat times)
MAX_PAGE_REPEAT = 3  # an AppTest run of a page at scale takes seconds: the median of three is enough
# Bounds on each child process (seconds): a phase past its bound is stopped and said so, and the
# others still run. The yearly report took 12 minutes at 100 poles on the 2-core machine.
SAMPLE_TIMEOUT = 2 * 3600
RUN_TIMEOUT = 4 * 3600
FLOOR_TIMEOUT = 3600
REPORT_TIMEOUT = 1800
WORK_MARK = ".ptce-bench"  # a folder the bench made, which it may empty and fill again
# Targets of issue #16 (ratios: the machine is shared, absolute times drift).
DEMO_RUN_VS_IMPORT = 2.0
RUN_VS_FLOOR = 4.0
PEAK_RSS = 3 * 2**30
QUERY_VS_BARE = 1.5
QUERY_P95 = 0.300
PAGE_VS_EMPTY = 3.0
# Child processes get a pseudonymisation key: the bench's data are fictitious, and without a key
# the pathway files of a data folder without the demo marker would be refused.
BENCH_KEY = "ptce-bench : donnees fictives, cle sans valeur"
NO_DEMO = "(à la démo seulement)"


@dataclass
class ScaleResult:
    """Everything measured at one scale (None: the phase did not run or failed, see `problems`)."""

    key: str
    poles: int | None
    data_dir: Path
    unavailable: str | None = None
    sample: Measured | None = None
    # `ptce run` and the bare import of its libraries, measured in turn (several times for the demo,
    # whose target compares them): `run` and `bare_import` are the median ones.
    runs: list[Measured] = field(default_factory=list)
    imports: list[Measured] = field(default_factory=list)
    data: dict[str, int] = field(default_factory=dict)
    workbooks_converted: int = 0
    floor: dict[str, Any] | None = None
    floor_process: Measured | None = None
    marts: list[MartComparison] = field(default_factory=list)
    steps: StepTimes | None = None
    sql_rules: SqlRules | None = None
    queries: QueryResults | None = None
    pages: list[PageTiming] = field(default_factory=list)
    empty_page: PageTiming | None = None
    report_year: int | None = None
    report: Measured | None = None
    report_seconds: float | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.key == "demo":
            return "Démo — 12 pôles (`ptce sample`)"
        return f"{fmt_number(self.poles)} pôles (`ptce sample --scale {self.poles} --xlsx-share 0`)"

    @property
    def run(self) -> Measured | None:
        return _median(self.runs)

    @property
    def bare_import(self) -> Measured | None:
        return _median(self.imports)

    @property
    def floor_equal(self) -> bool:
        return bool(self.marts) and all(m.equal for m in self.marts)


def _median(measures: list[Measured]) -> Measured | None:
    """The measure of median duration (the lower middle one for an even count), peak memory the
    largest of all."""
    if not measures:
        return None
    ordered = sorted(measures, key=lambda m: m.seconds)
    middle = ordered[(len(ordered) - 1) // 2]
    return dataclasses.replace(middle, peak_rss=max(m.peak_rss for m in measures))


def parse_scales(text: str) -> list[str]:
    """`demo,2000` -> ["demo", "2000"]; a French ValueError for anything else."""
    scales = [s.strip().lower() for s in text.split(",") if s.strip()]
    if not scales:
        raise ValueError("aucune échelle donnée (exemple : --scales demo,2000)")
    for s in scales:
        if s not in {"demo", "démo"} and not (s.isdigit() and int(s) >= 1):
            raise ValueError(
                f"échelle « {s} » non reconnue : « demo » ou un nombre de pôles (exemple : 2000)"
            )
    return ["demo" if s in {"demo", "démo"} else str(int(s)) for s in scales]


def scale_sample_available() -> bool:
    """Whether this version's `ptce sample` takes `--scale` and `--xlsx-share` (issue #16, item 2)."""
    from pipelines.cli import build_parser

    parser = build_parser()
    for action in parser._actions:
        choices = getattr(action, "choices", None)
        if isinstance(choices, dict) and "sample" in choices:
            options = {o for a in choices["sample"]._actions for o in a.option_strings}
            return {"--scale", "--xlsx-share"} <= options
    return False


def _ptce(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipelines.cli", *args]


def _child_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PTCE_DATA_DIR"] = str(data_dir)
    env["DAGSTER_HOME"] = str(DataLayout(data_dir).curated / ".dagster")
    env.setdefault("PTCE_PSEUDO_KEY", BENCH_KEY)
    return env


def _fresh_folder(folder: Path) -> None:
    """Empty `folder` if the bench made it (its mark is there); refuse to touch anything else."""
    if folder.exists():
        if not (folder / WORK_MARK).exists():
            raise RuntimeError(
                f"{folder} existe et n'a pas été créé par « ptce bench » : choisissez un autre --work-dir."
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / WORK_MARK).write_text(
        "Dossier de travail de « ptce bench » : vidé à chaque mesure.\n", encoding="utf-8"
    )


def _data_counts(warehouse: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {
            f"fichiers_{kind}": n
            for kind, n in con.execute("select kind, count(*) from ingest_log group by kind").fetchall()
        }
        for table in ("poles", "indicator_values", "pathways", "mart_pole_year"):
            out[table] = con.execute(f"select count(*) from {table}").fetchall()[0][0]
        return out
    finally:
        con.close()


def measure_scale(key: str, work_dir: Path, repeat: int, tell: Callable[[str], None]) -> ScaleResult:
    """Every measurement at one scale; a phase that fails is noted and the next one runs."""
    folder = work_dir / ("demo" if key == "demo" else f"echelle-{key}")
    result = ScaleResult(key, 12 if key == "demo" else int(key), folder / "data")
    label = "démo" if key == "demo" else f"{key} pôles"

    def say(message: str) -> None:
        tell(f"[{label}] {message}")

    if key != "demo" and not scale_sample_available():
        result.unavailable = (
            "non disponible : cette version de « ptce sample » ne connaît pas encore --scale et "
            "--xlsx-share (issue #16, point 2) ; rien n'a été mesuré à cette échelle."
        )
        say(result.unavailable)
        return result
    _fresh_folder(folder)
    data_dir = result.data_dir
    env = _child_env(data_dir)
    scale_args = [] if key == "demo" else ["--scale", key, "--xlsx-share", "0"]
    say("écriture des données (ptce " + " ".join(["sample", *scale_args]) + ")…")
    result.sample = run_measured(
        _ptce("sample", "--data-dir", str(data_dir), *scale_args), env=env, timeout=SAMPLE_TIMEOUT
    )
    if result.sample.returncode != 0:
        result.problems.append(
            f"« ptce sample » a échoué (code {result.sample.returncode}) : {_tail(result.sample.output)}"
        )
        say(result.problems[-1])
        return result
    say(f"données écrites en {md.seconds(result.sample.seconds)}.")
    # The demo's target is a ratio of two child processes on a shared machine: measured in turn,
    # several times, so that a busy minute weighs on both sides.
    for _ in range(max(1, min(repeat, DEMO_RUNS)) if key == "demo" else 1):
        say("import nu des bibliothèques de « ptce run » (processus à part)…")
        result.imports.append(run_measured(bare_import_command()))
        say(f"import nu : {md.seconds(result.imports[-1].seconds)} ; « ptce run » (durée et mémoire)…")
        result.runs.append(
            run_measured(_ptce("run", "--data-dir", str(data_dir)), env=env, timeout=RUN_TIMEOUT)
        )
        last = result.runs[-1]
        say(
            f"« ptce run » : {md.seconds(last.seconds)}, mémoire maximale {md.size(last.peak_rss)}, "
            f"code {last.returncode}."
        )
        if last.returncode != 0:
            break
    warehouse = DataLayout(data_dir).warehouse
    if result.run.returncode != 0 or not warehouse.exists():
        result.problems.append(
            f"« ptce run » n'a pas publié l'entrepôt (code {result.run.returncode}) : "
            + _tail(result.run.output)
        )
        say(result.problems[-1])
        return result
    result.data = _data_counts(warehouse)

    extra = folder / "classeurs-en-csv"
    result.workbooks_converted = convert_workbooks(data_dir / "raw", extra)
    if result.workbooks_converted:
        say(
            f"{result.workbooks_converted} feuille(s) de classeurs enregistrée(s) en CSV pour le plancher "
            "(non chronométré)."
        )
    say("plancher DuckDB (benchmarks/floor.sql, processus à part)…")
    floor_db, floor_json = folder / "plancher.duckdb", folder / "plancher.json"
    result.floor_process = run_measured(
        [sys.executable, "-m", "benchmarks.floor", str(data_dir), str(extra), str(floor_db), str(floor_json)],
        env=env,
        timeout=FLOOR_TIMEOUT,
    )
    if result.floor_process.returncode == 0:
        result.floor = json.loads(floor_json.read_text(encoding="utf-8"))
        result.marts = compare_floor_file(floor_db, warehouse)
        say(
            f"plancher : {md.seconds(result.floor['seconds'])} ; identique à l'entrepôt publié : "
            f"{'oui' if result.floor_equal else 'NON'}."
        )
    else:
        result.problems.append(f"le plancher a échoué : {_tail(result.floor_process.output)}")
        say(result.problems[-1])

    say("contrôles qualité : durées des étapes (journal Dagster) et règles bloquantes en SQL…")
    _guarded(
        result, "durées des étapes", lambda: setattr(result, "steps", step_times(Path(env["DAGSTER_HOME"])))
    )
    _guarded(result, "règles en SQL", lambda: setattr(result, "sql_rules", run_sql_rules(warehouse)))

    say(f"lectures des pages (jusqu'à {repeat} appels chacune, puis le même SQL nu)…")
    _guarded(result, "requêtes", lambda: setattr(result, "queries", time_reads(warehouse, repeat)))

    page_repeat = max(1, min(repeat, MAX_PAGE_REPEAT))
    say(f"pages (AppTest, {page_repeat} exécution(s) chacune) et page vide…")

    def pages() -> None:
        result.pages, result.empty_page = time_pages(
            data_dir, page_repeat, on_page=lambda p: say(f"  page {p}")
        )

    _guarded(result, "pages", pages)

    result.report_year = 2016 if key == "demo" else _last_year(warehouse)
    say(f"rapport annuel {result.report_year} (ptce report)…")
    result.report = run_measured(
        _ptce(
            "report",
            "--data-dir",
            str(data_dir),
            "--year",
            str(result.report_year),
            "--out",
            str(folder / "rapports"),
        ),
        env=env,
        timeout=REPORT_TIMEOUT,
    )
    if result.report.returncode == 0:
        found = re.search(r"écrit en ([\d\s\u202f\u00a0]+(?:,\d+)?) s", result.report.output)
        if found:
            result.report_seconds = float(re.sub(r"\s", "", found.group(1)).replace(",", "."))
    else:
        result.problems.append(f"le rapport annuel n'a pas été construit : {_tail(result.report.output)}")
    say("terminé.")
    return result


def _last_year(warehouse: Path) -> int:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return int(con.execute("select max(annee) from mart_network_year").fetchall()[0][0])
    finally:
        con.close()


def _guarded(result: ScaleResult, what: str, action: Callable[[], None]) -> None:
    try:
        action()
    except Exception as exc:  # one phase failing must not lose the others' figures
        result.problems.append(f"{what} : {type(exc).__name__} : {exc}")


def _tail(output: str, lines: int = 3) -> str:
    kept = [line for line in output.strip().splitlines() if line.strip()][-lines:]
    return " / ".join(kept) or "(aucune sortie)"


# --- BENCHMARKS.md -------------------------------------------------------------------------------


def machine_section(machine: Machine) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in machine.versions.items())
    rows = [
        ("Processeur", f"{machine.cpu} ({machine.cores} cœurs, {machine.cores_usable} utilisables)"),
        ("Mémoire", md.size(machine.ram_bytes)),
        ("Python", machine.python),
        ("Bibliothèques", versions),
        ("Date", machine.date),
        ("Commit", machine.commit),
        ("Bytecode", machine.bytecode),
    ]
    return "## Machine\n\n" + md.table(["", ""], rows)


@dataclass(frozen=True)
class Target:
    """One target of the issue at one scale: what, measured ratio or value, limit, verdict."""

    scale: str
    what: str
    measured: str
    limit: str
    verdict: str


def scale_targets(result: ScaleResult) -> list[Target]:
    """The issue's targets at this scale (demo: run vs bare import; N: floor, memory, reads, pages)."""
    out: list[Target] = []
    scale = "démo" if result.key == "demo" else f"{result.key} pôles"
    if result.run is None:
        return out
    if result.key == "demo":
        bare_import = result.bare_import
        r = md.safe_ratio(result.run.seconds, bare_import.seconds if bare_import else None)
        out.append(
            Target(
                scale,
                "`ptce run` ÷ import nu de ses bibliothèques",
                md.ratio(r),
                "≤ 2×",
                md.verdict(r, DEMO_RUN_VS_IMPORT),
            )
        )
        return out
    floor_seconds = result.floor["seconds"] if result.floor else None
    r = md.safe_ratio(result.run.seconds, floor_seconds) if result.floor_equal else None
    out.append(
        Target(
            scale,
            "`ptce run` ÷ plancher DuckDB"
            + ("" if result.floor_equal else " (plancher non identique : pas de rapport)"),
            md.ratio(r),
            "≤ 4×",
            md.verdict(r, RUN_VS_FLOOR) if result.floor_equal else md.MISSED,
        )
    )
    out.append(
        Target(
            scale,
            "mémoire maximale de `ptce run`",
            md.size(result.run.peak_rss),
            "≤ 3 Gio",
            md.verdict(result.run.peak_rss, PEAK_RSS),
        )
    )
    if result.queries:
        timed = [t for t in result.queries.reads if t.error is None]
        worst_ratio = max((md.safe_ratio(t.p("read", 95), t.p("bare", 95)) or 0 for t in timed), default=None)
        worst_p95 = max((t.p("read", 95) for t in timed), default=None)
        failed = sum(1 for t in result.queries.reads if t.error)
        out.append(
            Target(
                scale,
                f"lectures des pages : pire p95 ÷ SQL nu ({len(timed)} lectures)",
                md.ratio(worst_ratio),
                "≤ 1,5×",
                md.verdict(worst_ratio, QUERY_VS_BARE) if not failed else md.MISSED,
            )
        )
        out.append(
            Target(
                scale,
                "lectures des pages : pire p95",
                md.seconds(worst_p95),
                "≤ 300 ms",
                md.verdict(worst_p95, QUERY_P95) if not failed else md.MISSED,
            )
        )
    if result.pages and result.empty_page:
        worst = max(
            (md.safe_ratio(p.median, result.empty_page.median) or 0 for p in result.pages if p.seconds),
            default=None,
        )
        errors = any(p.error for p in result.pages)
        out.append(
            Target(
                scale,
                "pages (AppTest) : pire rapport à une page vide",
                md.ratio(worst),
                "≤ 3×",
                md.verdict(worst, PAGE_VS_EMPTY) if not errors else md.MISSED,
            )
        )
    return out


def scale_section(result: ScaleResult, repeat: int) -> str:
    parts = [f"## {result.title}\n"]
    if result.unavailable:
        parts.append(f"Échelle {result.unavailable}\n")
        return "\n".join(parts)
    if result.data:
        d = result.data
        parts.append(
            f"Données : {fmt_number(d.get('poles'))} pôles, "
            + ", ".join(
                f"{fmt_number(n)} fichier(s) {k.removeprefix('fichiers_')}"
                for k, n in sorted(d.items())
                if k.startswith("fichiers_")
            )
            + f" ; {fmt_number(d.get('indicator_values'))} valeurs d'indicateurs en vigueur, "
            f"{fmt_number(d.get('mart_pole_year'))} lignes de `mart_pole_year`, "
            f"{fmt_number(d.get('pathways'))} étapes de parcours.\n"
        )
    for problem in result.problems:
        parts.append(f"- **Problème** : {problem}")
    if result.problems:
        parts.append("")
    parts.append(build_table(result))
    if result.marts:
        parts.append("### Le plancher est-il le même travail ? (plancher comparé à l'entrepôt publié)\n")
        parts.append(
            md.table(
                [
                    "Table",
                    "Lignes plancher",
                    "Lignes publiées",
                    "Clés d'un seul côté",
                    "Lignes différentes",
                    "Codes dont nombre et somme concordent",
                    "Identique",
                ],
                [
                    (
                        f"`{m.table}`",
                        fmt_number(m.floor_rows),
                        fmt_number(m.pipeline_rows),
                        fmt_number(m.only_floor + m.only_pipeline),
                        fmt_number(m.different),
                        f"{m.codes_equal} / {m.codes}",
                        "oui" if m.equal else "**non**",
                    )
                    for m in result.marts
                ],
            )
        )
    if result.queries:
        parts.append(queries_table(result.queries, repeat, result.key != "demo"))
    if result.pages and result.empty_page:
        parts.append(pages_table(result.pages, result.empty_page, result.key != "demo"))
    if result.floor:
        steps = sorted(result.floor["steps"].items(), key=lambda kv: -kv[1])[:8]
        parts.append("### Plancher : étapes les plus longues\n")
        parts.append(md.table(["Étape de floor.sql", "Durée"], [(f"`{k}`", md.seconds(v)) for k, v in steps]))
    return "\n".join(parts)


def build_table(result: ScaleResult) -> str:
    rows: list[tuple[object, ...]] = []
    demo = result.key == "demo"
    run, bare_import = result.run, result.bare_import
    if run is not None:
        r = md.safe_ratio(run.seconds, bare_import.seconds if bare_import else None)
        several = f" (médiane de {len(result.runs)})" if len(result.runs) > 1 else ""
        rows.append(
            (
                "`ptce run` : durée (processus complet)",
                md.seconds(run.seconds) + several,
                "import nu des bibliothèques : "
                + (md.seconds(bare_import.seconds) if bare_import else "–")
                + several,
                md.ratio(r),
                "≤ 2×" if demo else NO_DEMO,
                md.verdict(r, DEMO_RUN_VS_IMPORT) if demo else md.NO_TARGET,
            )
        )
        if result.steps:
            rows.append(("… dont l'exécution Dagster", md.seconds(result.steps.run_seconds), "", "", "", ""))
        rows.append(
            (
                "`ptce run` : mémoire maximale (arbre de processus)",
                md.size(run.peak_rss) + (f" (la plus haute des {len(result.runs)})" if several else ""),
                "",
                "",
                "≤ 3 Gio" if not demo else "(≤ 3 Gio à l'échelle)",
                md.verdict(run.peak_rss, PEAK_RSS) if not demo else md.NO_TARGET,
            )
        )
    if result.floor:
        floor_s = result.floor["seconds"]
        r = md.safe_ratio(run.seconds if run else None, floor_s)
        equal = result.floor_equal
        rows.append(
            (
                "Plancher DuckDB (`benchmarks/floor.sql`)",
                md.seconds(floor_s),
                f"dont classement des {result.floor['exit_texts']} motifs de sortie distincts : "
                f"{md.seconds(result.floor['classify_seconds'])} ; mémoire du processus "
                f"{md.size(result.floor_process.peak_rss if result.floor_process else None)}",
                f"`ptce run` ÷ plancher : {md.ratio(r)}",
                "≤ 4×" if not demo else "(≤ 4× à l'échelle)",
                (md.verdict(r, RUN_VS_FLOOR) if equal else md.MISSED) if not demo else md.NO_TARGET,
            )
        )
        rows.append(
            (
                "Plancher identique à l'entrepôt publié",
                "oui" if equal else "**non**",
                "trois tables comparées ligne à ligne (détail plus bas)",
                "",
                "identique",
                md.MET if equal else md.MISSED,
            )
        )
    if result.steps:
        sql = result.sql_rules
        r = md.safe_ratio(result.steps.gx_seconds, sql.seconds if sql else None)
        reference = (
            f"mêmes règles bloquantes en SQL : {md.seconds(sql.seconds)} ({len(sql.translated)} règles, "
            f"{sql.agreeing} au même décompte que GX)"
            if sql
            else "règles en SQL : non mesurées"
        )
        rows.append(
            (
                "Contrôles Great Expectations (" + ", ".join(f"`{k}`" for k in sorted(result.steps.gx)) + ")",
                md.seconds(result.steps.gx_seconds),
                reference,
                f"GX ÷ SQL : {md.ratio(r)}",
                "",
                md.NO_TARGET,
            )
        )
        rows.append(
            (
                f"Autres contrôles (SQL, {len(result.steps.sql_checks)} étapes)",
                md.seconds(result.steps.sql_check_seconds),
                "",
                "",
                "",
                md.NO_TARGET,
            )
        )
        if sql and sql.untranslated:
            rows.append(("Règles non traduites en SQL", ", ".join(sql.untranslated), "", "", "", ""))
    if result.report is not None:
        rows.append(
            (
                f"Rapport annuel {result.report_year} (`ptce report` : PDF, Excel, HTML)",
                md.seconds(result.report_seconds)
                if result.report_seconds is not None
                else (f"> {md.seconds(REPORT_TIMEOUT)} (arrêté)" if result.report.timed_out else "échec"),
                f"processus complet : {md.seconds(result.report.seconds)}, "
                f"mémoire {md.size(result.report.peak_rss)}",
                "",
                "",
                md.NO_TARGET,
            )
        )
    return "### Construction, contrôles, rapport\n\n" + md.table(
        ["Mesure", "Valeur", "Référence", "Rapport", "Cible", "Verdict"], rows
    )


def queries_table(results: QueryResults, repeat: int, at_scale: bool) -> str:
    rows = []
    for t in results.reads:
        if t.error:
            rows.append((f"`{t.name}`", "–", "–", "–", "–", "–", "–", "–", f"erreur : {t.error}"))
            continue
        read95, bare95 = t.p("read", 95), t.p("bare", 95)
        r = md.safe_ratio(read95, bare95)
        ok = r is not None and r <= QUERY_VS_BARE and read95 <= QUERY_P95
        mark = (md.MET if ok else md.MISSED) if at_scale else md.NO_TARGET
        rows.append(
            (
                f"`{t.name}`",
                t.statements,
                len(t.read),
                md.seconds(t.p("read", 50)),
                md.seconds(read95),
                md.seconds(t.p("bare", 50)),
                md.seconds(bare95),
                md.ratio(r),
                mark,
            )
        )
    intro = (
        f"### Lectures des pages (jusqu'à {repeat} appels chacune, sans cache)\n\n"
        "Chaque fonction de `ptce.read` qu'une page appelle (liste de `dashboards/shared/reads.py`), "
        "comme le personnel COORACE la voit, réseau entier quand la page le propose ; « SQL nu » : les "
        "mêmes requêtes, paramètres compris, capturées puis rejouées sur une connexion DuckDB gardée "
        "ouverte ; une lecture dont le premier appel est long est appelée moins souvent (au moins trois "
        "fois, une minute en tout). La couche de lecture garde sa connexion ouverte d'une requête à "
        "l'autre et n'ouvre à nouveau l'entrepôt que lorsque le fichier a changé (une nouvelle "
        "publication, vue dès la requête suivante) : la première lecture après une publication paie "
        f"cette ouverture, {md.seconds(results.connect_seconds)} (médiane), non comptée ici ; les "
        "autres, un examen du fichier (stat) et un curseur. "
        "Cible à l'échelle : p95 ≤ 1,5 × le SQL nu et ≤ 300 ms.\n\n"
    )
    return intro + md.table(
        ["Lecture", "Requêtes", "Appels", "p50", "p95", "SQL nu p50", "SQL nu p95", "p95 ÷ nu", "Verdict"],
        rows,
    )


def pages_table(pages: list[PageTiming], empty: PageTiming, at_scale: bool) -> str:
    rows = []
    for p in pages:
        if not p.seconds:
            rows.append((f"`{p.page}`", "–", "–", "–", f"erreur : {p.error}"))
            continue
        r = md.safe_ratio(p.median, empty.median)
        mark = md.MISSED if p.error else (md.verdict(r, PAGE_VS_EMPTY) if at_scale else md.NO_TARGET)
        rows.append(
            (
                f"`{p.page}`",
                md.seconds(p.median),
                md.seconds(empty.median),
                md.ratio(r),
                mark + (f" (erreur : {p.error})" if p.error else ""),
            )
        )
    intro = (
        "### Pages (AppTest, médiane)\n\n"
        "L'application ouverte comme le personnel COORACE (première exécution, page d'accueil, non "
        "chronométrée), cache des lectures vidé, puis l'exécution qui affiche la page, chronométrée ; "
        "« page vide » : un script Streamlit d'une ligne, dans un AppTest neuf à chaque fois (création de "
        "la session comprise : c'est ainsi qu'AppTest affiche une page seule). Cible à l'échelle : "
        "≤ 3 × la page vide.\n\n"
    )
    return intro + md.table(["Page", "Durée", "Page vide", "Rapport", "Verdict"], rows)


def write_benchmarks(out: Path, machine: Machine, results: list[ScaleResult], repeat: int) -> str:
    targets = [t for r in results for t in scale_targets(r)]
    text = [
        "# Mesures de performance\n",
        "Écrit par `ptce bench` (voir le README, « Benchmarks ») : ne pas modifier à la main, relancer "
        "la commande. La machine est partagée et les durées absolues varient d'une mesure à l'autre : "
        "ce sont les **rapports**, mesurés côte à côte, qui comptent.\n",
        machine_section(machine),
        "## Cibles de l'issue #16\n",
        md.table(
            ["Échelle", "Cible", "Mesuré", "Limite", "Verdict"],
            [(t.scale, t.what, t.measured, t.limit, t.verdict) for t in targets],
        )
        if targets
        else "Aucune cible mesurée.\n",
        "Le plancher (`benchmarks/floor.sql`) refait le même travail en un seul script DuckDB : lecture des "
        "CSV bruts (octets lus par `read_blob` et décodés en SQL, UTF-8 ou Windows-1252 : `read_csv` ne lit "
        "pas le Windows-1252 sans l'extension `encodings`, absente de la roue duckdb), mêmes règles de "
        "lecture et de quarantaine, dernier envoi par pôle et période, `mart_pole_year`, "
        "`mart_network_year`, "
        "parcours et `pathway_indicators`. Substituts : le pseudonyme y est `sha256(pôle, identifiant)` (le "
        "pipeline calcule un HMAC-SHA256 à clé secrète, que DuckDB n'offre pas) ; les motifs de sortie "
        "distincts sont classés par le moteur de règles du produit (`pipelines/pathways/exits.py`), temps "
        "compté dans le plancher. Les classeurs XLSX de la démo sont enregistrés en CSV avant le plancher, "
        "hors chronomètre (l'extension excel n'est pas dans la roue) ; à l'échelle, les données sont en CSV "
        "seulement (`--xlsx-share 0`). Un plancher qui ne donne pas les mêmes tables n'est pas un plancher : "
        "la comparaison ligne à ligne est donnée pour chaque échelle.\n",
    ]
    text += [scale_section(r, repeat) for r in results]
    content = "\n".join(text).rstrip() + "\n"
    out.write_text(content, encoding="utf-8")
    return content


def main(args: argparse.Namespace) -> int:
    """`ptce bench`: returns 0 when BENCHMARKS.md is written (whatever the verdicts), 1 on bad usage."""
    try:
        scales = parse_scales(args.scales)
    except ValueError as exc:
        print(f"ptce bench : {exc}", file=sys.stderr)
        return 1
    if args.repeat < 1:
        print("ptce bench : --repeat doit valoir au moins 1.", file=sys.stderr)
        return 1
    work_dir = (
        Path(args.work_dir).expanduser().resolve()
        if args.work_dir
        else Path(tempfile.gettempdir()) / "ptce-bench"
    )
    out = Path(args.out).expanduser().resolve() if args.out else PROJECT_ROOT / "BENCHMARKS.md"
    work_dir.mkdir(parents=True, exist_ok=True)
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    def tell(message: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)

    tell(
        f"Mesures « ptce bench » : échelles {', '.join(scales)}, dossier de travail {work_dir}, sortie {out}."
    )
    machine = describe_machine(PROJECT_ROOT)
    results = []
    for key in scales:
        try:
            results.append(measure_scale(key, work_dir, args.repeat, tell))
        except Exception as exc:  # one scale failing must not lose the other's figures
            failed = ScaleResult(key, 12 if key == "demo" else int(key), work_dir)
            failed.problems.append(f"{type(exc).__name__} : {exc}")
            results.append(failed)
            tell(f"Échelle {key} : échec ({type(exc).__name__} : {exc}).")
        write_benchmarks(out, machine, results, args.repeat)
    tell(f"Écrit : {out}.")
    return 0

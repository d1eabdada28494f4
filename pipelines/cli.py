"""The `ptce` command: demo data, pipeline run, deposit and its preview, dashboards, Dagster UI, template,
report, benchmarks.

Used by people and by scripts, so its sub-commands and options are a stable interface (SPEC §4).
Messages are French; exit status is 0 on success, 2 when publication was refused (for `ptce preview`:
would be refused), 3 when another
build of the same data folder was still running after the wait, 1 on usage errors and when a
report cannot be built.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from pipelines.shared.build_lock import DEFAULT_WAIT_SECONDS
from ptce.paths import PROJECT_ROOT, RAW_KINDS, DataLayout, resolve_data_dir

EXIT_BUILD_IN_PROGRESS = 3
PROGRESS_SECONDS = 3.0  # how often `ptce run --journal` writes the run's progress
_KIND_HELP = "type de fichier : " + ", ".join(RAW_KINDS)
_NAME_HELP = (
    "nom d'origine du fichier (une fois par fichier, dans l'ordre) : noté, jamais utilisé comme chemin"
)
STREAMLIT_ENV = {
    # Nothing phones home (SPEC §5): the data are personal and machines may be offline.
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    "STREAMLIT_SERVER_HEADLESS": "true",
    "STREAMLIT_CLIENT_TOOLBAR_MODE": "minimal",
    # Tables are exported by the app's own safe CSV (formulas neutralised), never the raw toolbar.
    "STREAMLIT_CLIENT_DISABLE_DATA_EXPORT": "true",
    # An unexpected error shows Streamlit's generic message, without the traceback (file paths,
    # values) or the « Ask Google / Ask ChatGPT » links that lead outside; the server log keeps it all.
    "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "none",
}


def _data_dir(args: argparse.Namespace) -> Path:
    return resolve_data_dir(args.data_dir)


_SCALE_ONLY = (
    ("years", "--years"),
    ("xlsx_share", "--xlsx-share"),
    ("seed", "--seed"),
    ("no_targets", "--no-targets"),
)


def cmd_sample(args: argparse.Namespace) -> int:
    if args.scale is not None:
        return _sample_scale(args)
    given = [option for name, option in _SCALE_ONLY if getattr(args, name) not in (None, False)]
    if given:
        print(
            f"{', '.join(given)} : seulement avec --scale N (données synthétiques à grande échelle).",
            file=sys.stderr,
        )
        return 1
    from pipelines.shared.sample import write_sample

    data_dir = _data_dir(args)
    written = write_sample(data_dir)
    print(f"Données fictives de démonstration écrites dans {data_dir / 'raw'} : {len(written)} fichier(s).")
    for path in written:
        print(f"  {path.relative_to(data_dir)}")
    return 0


_KIND_WORDS = {
    "indicateurs": "indicateurs",
    "objectifs": "objectifs",
    "parcours": "parcours",
    "poles": "pôles générés (référentiel)",
    "candidatures": "candidatures",
    "visites": "visites",
}


def _sample_scale(args: argparse.Namespace) -> int:
    from pipelines.shared.scale import DEFAULT_XLSX_SHARE, DEFAULT_YEARS, ScaleError, ScaleSpec, write_scale
    from ptce.fmt import fmt_count, fmt_number

    spec = ScaleSpec(
        poles=args.scale,
        years=DEFAULT_YEARS if args.years is None else args.years,
        seed=0 if args.seed is None else args.seed,
        xlsx_share=DEFAULT_XLSX_SHARE if args.xlsx_share is None else args.xlsx_share,
        targets=not args.no_targets,
    )
    data_dir = _data_dir(args)
    try:
        report = write_scale(data_dir, spec, workers=args.workers)
    except ScaleError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:  # a full disk, a folder that may not be written to
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"Écriture impossible dans {data_dir}{where} : {exc.strerror or exc}.", file=sys.stderr)
        return 1
    print(
        f"Données synthétiques à grande échelle (fictives) écrites dans {data_dir / 'raw'} en "
        f"{fmt_number(report.seconds, decimals=1)} s : {fmt_count(spec.poles, 'pôle', 'pôles')} "
        f"(les 12 de la communauté et {fmt_count(spec.generated, 'pôle généré', 'pôles générés')}), "
        f"{fmt_count(spec.years, 'année', 'années')} ({spec.first_year}"
        f"{'' if spec.years == 1 else f' à {spec.last_year}'}), "
        f"graine {spec.seed}."
    )
    for kind in report.kinds:
        label = _KIND_WORDS.get(kind.kind, kind.kind)
        line = f"  {label} : {fmt_count(kind.files, 'fichier', 'fichiers')}"
        if kind.xlsx:
            line += f" (dont {fmt_number(kind.xlsx)} XLSX)"
        if kind.rows is None:
            line += " (fichiers de démonstration des douze pôles)"
        else:
            line += f", {fmt_count(kind.rows, 'ligne', 'lignes')}"
        print(line)
    print(
        f"  Total : {fmt_count(report.files, 'fichier', 'fichiers')}, "
        f"{fmt_number(report.bytes / 1_000_000, decimals=1)} Mo."
    )
    return 0


class Journal:
    """`ptce run --journal FICHIER`: progress and summary lines appended to a file, timestamped,
    plus the run's state beside it (JSON: start, end, published), for a page to show while it runs."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.started = datetime.now(UTC).replace(tzinfo=None)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            # The journal only grows by a run's few lines; a very old long one starts afresh.
            if path.exists() and path.stat().st_size > 1_000_000:
                path.unlink()

    def write(self, line: str) -> None:
        if self.path is None:
            return
        from ptce.fmt import local_time

        # On the Paris clock, like the publication time the pages show beside it.
        now = local_time(datetime.now(UTC).replace(tzinfo=None)) or datetime.now()
        stamp = now.strftime("%d/%m/%Y %H:%M:%S")
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(f"[{stamp}] {line}\n")

    def state(self, finished: bool, published: bool | None = None, code: int | None = None) -> None:
        if self.path is None:
            return
        from pipelines.shared.intake import write_json

        now = datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
        write_json(
            self.path.with_suffix(".json"),
            {
                "pid": os.getpid(),
                "debut": self.started.isoformat(timespec="seconds"),
                "fin": now if finished else None,
                "publie": published,
                "code": code,
            },
        )


def _follow_progress(instance: Any, journal: Journal, stop: threading.Event) -> None:
    """Write « N étape(s) terminée(s) sur M » to the journal while the run goes (a thread).

    Read from the run's events in the Dagster instance; best effort: it never disturbs the run.
    """
    import dagster as dg

    known = set(instance.get_run_ids())
    run_id, total, last = None, 0, -1
    while not stop.wait(PROGRESS_SECONDS):
        try:
            if run_id is None:
                fresh = [r for r in instance.get_run_ids(limit=5) if r not in known]
                if not fresh:
                    continue
                run_id = fresh[0]
                run = instance.get_run_by_id(run_id)
                total = len(instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id).steps)
            done = len(instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_SUCCESS))
            if done != last:
                journal.write(f"Avancement : {done} étape(s) terminée(s) sur {total}.")
                last = done
        except Exception:  # progress is a courtesy: a storage hiccup must not end the run
            continue


def cmd_run(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    layout = DataLayout(data_dir)
    journal = Journal(Path(args.journal).expanduser().resolve() if args.journal else None)
    if not layout.raw.is_dir():
        message = (
            f"Aucun dossier {layout.raw} : déposez les fichiers des pôles dans raw/indicateurs/ "
            "(ou lancez « ptce sample » pour des données de démonstration)."
        )
        print(message, file=sys.stderr)
        journal.write(message)
        journal.state(finished=True, published=False, code=1)
        return 1
    from pipelines.shared import build_lock

    def tell(message: str) -> None:
        print(message, file=sys.stderr, flush=True)
        journal.write(message)

    started = time.perf_counter()
    journal.write(f"Exécution demandée sur le dossier de données {data_dir}.")
    journal.state(finished=False)
    # Taken before Dagster starts: a second `ptce run` waits here, or says why it gives up.
    try:
        build_lock.acquire(layout, args.wait, on_wait=tell)
    except build_lock.BuildInProgress as exc:
        tell(exc.message)
        journal.state(finished=True, published=False, code=EXIT_BUILD_IN_PROGRESS)
        return EXIT_BUILD_IN_PROGRESS
    try:
        # This run reads raw/ from now on: a run requested before (`ptce deposit`) is served by it,
        # and a file deposited after this point asks for a new one.
        layout.run_request.unlink(missing_ok=True)
        journal.write("Construction commencée : lecture des fichiers, contrôles, publication…")
        import dagster as dg

        from pipelines.runner import ensure_dagster_home, run_pipeline, summary_lines

        os.environ["PTCE_DATA_DIR"] = str(data_dir)
        os.environ["DAGSTER_HOME"] = str(ensure_dagster_home(layout))
        with dg.DagsterInstance.get() as instance:
            stop = threading.Event()
            follower = threading.Thread(target=_follow_progress, args=(instance, journal, stop), daemon=True)
            if journal.path is not None:
                follower.start()
            try:
                outcome = run_pipeline(data_dir, instance=instance)
            finally:
                stop.set()
                if follower.is_alive():
                    follower.join(timeout=10)
        # Summary and final state are written while the lock is still held: a page (or a test)
        # that sees the lock free must find the outcome already there, never « no run, no end ».
        for line in summary_lines(outcome):
            print(line)
            journal.write(line)
        duration = f"Durée : {time.perf_counter() - started:.1f} s".replace(".", ",")
        print(duration)
        journal.write(duration)
        code = 0 if outcome.published else 2
        journal.state(finished=True, published=outcome.published, code=code)
    except BaseException:
        journal.write("Échec de l'exécution : erreur inattendue (détail dans l'interface Dagster).")
        journal.state(finished=True, published=False, code=1)
        raise
    finally:
        build_lock.release(layout)
    return code


def _incoming(args: argparse.Namespace) -> list[Any] | str:
    """The files named on the command line with their original names, or a French usage error."""
    from pipelines.shared.intake import Incoming

    names = args.original_name or []
    if names and len(names) != len(args.files):
        return (
            f"{len(names)} nom(s) d'origine (--original-name) pour {len(args.files)} fichier(s) : "
            "donnez-en un par fichier, dans le même ordre."
        )
    items = []
    for number, value in enumerate(args.files):
        path = Path(value).expanduser()
        if not path.is_file():
            return f"Fichier introuvable : {value}"
        items.append(Incoming(path.resolve(), names[number] if names else path.name))
    return items


def cmd_preview(args: argparse.Namespace) -> int:
    from pipelines.shared.intake import IntakeRefused, detect_kinds, preview, write_json
    from ptce.intake import KINDS

    items = _incoming(args)
    if isinstance(items, str):
        print(items, file=sys.stderr)
        return 1
    out = Path(args.json).expanduser().resolve()
    if args.detect_only:
        write_json(out, {"kinds": detect_kinds(items[0].path)})
        return 0
    files = []
    for item in items:
        kind = args.kind
        if kind is None:
            found = detect_kinds(item.path)
            if not found:
                print(
                    f"« {item.original_name} » : type de fichier non reconnu d'après ses colonnes ; "
                    f"précisez-le avec --kind ({', '.join(KINDS)}).",
                    file=sys.stderr,
                )
                return 1
            kind = found[0]
        files.append((item, kind))
    data_dir = _data_dir(args)
    try:
        report = preview(data_dir, files, pole_id=args.pole)
    except IntakeRefused as exc:
        print(exc.message, file=sys.stderr)
        return 1
    write_json(out, report)
    n_problems = len(report["problems"])
    print(
        f"Aperçu en {report['seconds']:.1f} s : {len(report['files'])} fichier(s), ".replace(".", ",", 1)
        + f"{n_problems} problème(s), {len(report['changes'])} valeur(s) publiée(s) modifiée(s) ; "
        + ("publication acceptée." if report["publishable"] else "publication refusée (contrôle bloquant).")
    )
    return 0 if report["publishable"] else 2


def cmd_deposit(args: argparse.Namespace) -> int:
    from pipelines.shared.intake import IntakeRefused, deposit, write_json

    items = _incoming(args)
    if isinstance(items, str):
        print(items, file=sys.stderr)
        return 1
    data_dir = _data_dir(args)
    try:
        stored = deposit(data_dir, items, args.kind, args.who, run=not args.no_run)
    except IntakeRefused as exc:
        print(exc.message, file=sys.stderr)
        return 1
    if args.json:
        write_json(Path(args.json).expanduser().resolve(), {"deposited": stored})
    for entry in stored:
        print(f"Déposé : {entry['stored']}")
    if not args.no_run:
        print("Exécution demandée : suivi dans curated/.build/derniere-execution.log.")
    return 0


def _restore_default_signals() -> None:
    # A command started in the background of a script inherits "ignore SIGINT"; the servers must
    # still stop cleanly when `ptce` forwards Ctrl-C or a termination request to them.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _popen(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=env, cwd=PROJECT_ROOT, preexec_fn=_restore_default_signals)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _child_env(data_dir: Path) -> dict[str, str]:
    from pipelines.runner import ensure_dagster_home

    env = {**os.environ, **STREAMLIT_ENV, "PTCE_DATA_DIR": str(data_dir)}
    env["DAGSTER_HOME"] = str(ensure_dagster_home(DataLayout(data_dir)))
    return env


def _dagster_cmd(port: int, host: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "dagster",
        "dev",
        "-m",
        "pipelines.definitions",
        "-p",
        str(port),
        "-h",
        host,
    ]


def _streamlit_cmd(port: int, host: str, secrets: Path | None = None) -> list[str]:
    # Streamlit reads `secrets.toml` (the login's `[auth]` section) from `~/.streamlit/` and from
    # `.streamlit/` in the project; `--secrets` names one file instead, kept outside the project.
    extra = ["--secrets.files", str(secrets)] if secrets is not None else []
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PROJECT_ROOT / "dashboards" / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        host,
        "--browser.gatherUsageStats",
        "false",
        "--server.headless",
        "true",
        "--client.toolbarMode",
        "minimal",
        "--client.disableDataExport",
        "true",
        *extra,
    ]


def _serve(processes: list[subprocess.Popen]) -> int:
    """Wait for the servers; Ctrl-C (or SIGTERM) stops them all."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nArrêt des serveurs…")
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in processes:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    return max((p.returncode or 0) for p in processes)


def _data_docs_cmd(port: int, host: str, directory: Path) -> list[str]:
    # A plain static server, read-only: the GX Data Docs are HTML files built by the pipeline.
    return [sys.executable, "-m", "http.server", str(port), "--bind", host, "--directory", str(directory)]


def cmd_dashboard(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    secrets = Path(args.secrets).expanduser().resolve() if args.secrets else None
    if secrets is not None and not secrets.is_file():
        print(f"Fichier de secrets introuvable : {secrets}", file=sys.stderr)
        return 1
    env = _child_env(data_dir)
    docs_port = args.port + 1
    docs_dir = DataLayout(data_dir).data_docs_dir
    docs_dir.mkdir(parents=True, exist_ok=True)
    env["PTCE_DATA_DOCS_URL"] = f"http://{args.host}:{docs_port}/index.html"
    processes = [
        _popen(_streamlit_cmd(args.port, args.host, secrets), env),
        _popen(_data_docs_cmd(docs_port, args.host, docs_dir), env),
    ]
    print(f"Tableaux de bord : http://{args.host}:{args.port} (données : {data_dir})")
    print(f"Documentation des contrôles (Great Expectations) : {env['PTCE_DATA_DOCS_URL']}")
    if args.dagster:
        processes.append(_popen(_dagster_cmd(args.dagster_port, args.host), env))
        print(f"Interface Dagster : http://{args.host}:{args.dagster_port}")
    print("Ctrl-C pour arrêter.")
    return _serve(processes)


def cmd_dagster(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    print(f"Interface Dagster : http://{args.host}:{args.port} (données : {data_dir})")
    return _serve([_popen(_dagster_cmd(args.port, args.host), _child_env(data_dir))])


DEFAULT_TEMPLATE_KIND = "indicateurs"


def cmd_template(args: argparse.Namespace) -> int:
    from pipelines.shared.domain import template_notes, template_writers
    from pipelines.shared.pole_reference import KIND as POLES_KIND
    from pipelines.shared.pole_reference import effective_poles, members_for_templates

    writers = template_writers()
    kind = args.kind
    if kind not in writers:
        print(template_notes().get(kind, f"Pas de modèle Excel pour le type « {kind} »."), file=sys.stderr)
        return 1
    out = Path(args.out or f"modele_{kind}_ptce.xlsx").expanduser().resolve()
    # The poles in force in the data folder (the shipped twelve and `raw/poles/`): the lists offer
    # those still members; the poles template lists them all, to copy an identifier from.
    poles = effective_poles(DataLayout(_data_dir(args))).poles
    writers[kind](out, poles if kind == POLES_KIND else members_for_templates(poles))
    print(f"Modèle de saisie vierge ({kind}) écrit : {out}")
    return 0


def _template_kinds() -> list[str]:
    """Every raw kind (cheap: no domain is imported for `--help`); `cmd_template` says which have none."""
    from ptce.paths import RAW_KINDS

    return sorted(RAW_KINDS)


def cmd_report(args: argparse.Namespace) -> int:
    from ptce.fmt import fmt_count, fmt_number
    from reports.build import build_year, published_warehouse, report_years
    from reports.model import ReportError

    data_dir = _data_dir(args)

    def tell(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        year = args.year
        if year is None:
            # Default: the most recent year with network figures in the published warehouse.
            years = report_years(published_warehouse(data_dir))
            if not years:
                raise ReportError("L'entrepôt publié ne contient aucune année de données : pas de rapport.")
            year = years[0]
            tell(f"Année non précisée : rapport de {year}, la dernière année avec des données.")
        out = Path(args.out).expanduser().resolve() if args.out else None
        built = build_year(data_dir, year, out, progress=tell)
    except ReportError as exc:
        tell(str(exc))
        return 1
    print(f"Rapport {built.year} écrit en {fmt_number(built.seconds, decimals=1)} s :")
    print(f"  PDF ({fmt_count(built.pages, 'page', 'pages')}) : {built.pdf}")
    print(f"  Excel : {built.xlsx}")
    print(f"  HTML : {built.html}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    # The benchmark package uses the pipeline, the pages and the report; nothing imports it but this.
    from benchmarks.bench import main as bench_main

    return bench_main(args)


class FrenchHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, with its own words in French."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix="utilisation : " if prefix is None else prefix)


# argparse's error messages (Python 3.11-3.13), by their English opening, in French.
_ERROR_WORDS = (
    ("the following arguments are required: ", "arguments obligatoires manquants : "),
    ("unrecognized arguments: ", "arguments non reconnus : "),
    ("invalid choice: ", "choix invalide : "),
    ("(choose from ", "(choisir parmi "),
    ("expected one argument", "une valeur est attendue"),
    ("invalid float value: ", "nombre invalide : "),
    ("invalid int value: ", "nombre entier invalide : "),
    ("argument ", "option "),
)


class FrenchArgumentParser(argparse.ArgumentParser):
    """`ptce`'s parser: help, section titles and errors in French; a usage error exits with 1."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str) -> NoReturn:
        for english, french in _ERROR_WORDS:
            message = message.replace(english, french)
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog} : erreur : {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="ptce", description="Observatoire PTCE — COORACE, communauté apprenante PTCE Emploi."
    )
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="COMMANDE",
        title="commandes",
        parser_class=FrenchArgumentParser,
    )

    def with_data_dir(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--data-dir",
            metavar="DOSSIER",
            help="dossier de données (défaut : $PTCE_DATA_DIR, sinon data/ du projet)",
        )
        return p

    smp = with_data_dir(sub.add_parser("sample", help="écrire les fichiers fictifs de démonstration"))
    smp.add_argument(
        "--scale",
        type=int,
        metavar="N",
        help="au lieu de la démonstration, des données synthétiques (fictives) à grande échelle pour N "
        "pôles (N ≥ 12 : les douze de la communauté puis des pôles générés), dans un dossier vide",
    )
    smp.add_argument(
        "--years",
        type=int,
        metavar="ANNÉES",
        help="avec --scale : nombre d'années à partir de 2015 (défaut : 10)",
    )
    smp.add_argument(
        "--xlsx-share",
        type=float,
        metavar="PART",
        help="avec --scale : part des pôles qui envoient leurs indicateurs en XLSX, de 0 à 1 (défaut : 0.05)",
    )
    smp.add_argument(
        "--seed", type=int, metavar="GRAINE", help="avec --scale : graine du tirage (défaut : 0)"
    )
    smp.add_argument("--no-targets", action="store_true", help="avec --scale : pas de fichiers d'objectifs")
    smp.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="avec --scale : processus d'écriture en parallèle (défaut : un par cœur ; mêmes fichiers "
        "quel que soit N)",
    )
    smp.set_defaults(func=cmd_sample)
    run = with_data_dir(sub.add_parser("run", help="construire, contrôler et publier l'entrepôt"))
    run.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_SECONDS,
        metavar="SECONDES",
        help="si une construction est déjà en cours sur ce dossier, l'attendre au plus SECONDES "
        f"(défaut : {DEFAULT_WAIT_SECONDS:.0f}), puis abandonner avec le code de sortie 3",
    )
    run.add_argument(
        "--journal",
        metavar="FICHIER",
        help="ajouter aussi l'avancement et le résumé à FICHIER (et l'état de l'exécution dans un .json "
        "voisin), pour qu'une page les montre pendant l'exécution",
    )
    run.set_defaults(func=cmd_run)
    pre = with_data_dir(
        sub.add_parser(
            "preview",
            help="aperçu d'un dépôt : problèmes et valeurs modifiées, sans rien écrire dans le dossier",
        )
    )
    pre.add_argument("files", nargs="+", metavar="FICHIER", help="fichier(s) à examiner")
    pre.add_argument(
        "--kind", choices=list(RAW_KINDS), metavar="TYPE", help=_KIND_HELP + " (défaut : deviné)"
    )
    pre.add_argument(
        "--pole", metavar="PÔLE", help="identifiant du pôle qui dépose : signaler les autres pôles"
    )
    pre.add_argument(
        "--original-name", action="append", metavar="NOM", help="nom d'origine de chaque fichier"
    )
    pre.add_argument("--json", required=True, metavar="SORTIE", help="fichier JSON où écrire le résultat")
    pre.add_argument(
        "--detect-only", action="store_true", help="seulement deviner le type du premier fichier"
    )
    pre.set_defaults(func=cmd_preview)
    dep = with_data_dir(
        sub.add_parser("deposit", help="déposer des fichiers dans raw/ et demander une exécution")
    )
    dep.add_argument("files", nargs="+", metavar="FICHIER", help="fichier(s) à déposer")
    dep.add_argument("--kind", required=True, choices=list(RAW_KINDS), metavar="TYPE", help=_KIND_HELP)
    dep.add_argument("--who", default="", metavar="TEXTE", help="qui dépose (noté dans depots.csv)")
    dep.add_argument(
        "--original-name", action="append", metavar="NOM", help="nom d'origine de chaque fichier"
    )
    dep.add_argument("--json", metavar="SORTIE", help="fichier JSON où écrire les chemins enregistrés")
    dep.add_argument("--no-run", action="store_true", help="ne pas demander d'exécution après le dépôt")
    dep.set_defaults(func=cmd_deposit)
    dash = with_data_dir(sub.add_parser("dashboard", help="servir les tableaux de bord"))
    dash.add_argument(
        "--port", type=int, default=8501, metavar="PORT", help="port des tableaux de bord (défaut : 8501)"
    )
    dash.add_argument(
        "--host", default="127.0.0.1", metavar="ADRESSE", help="adresse d'écoute (défaut : 127.0.0.1)"
    )
    dash.add_argument(
        "--secrets",
        metavar="FICHIER",
        help="fichier secrets.toml à utiliser (connexion : section [auth]) au lieu de "
        ".streamlit/secrets.toml",
    )
    dash.add_argument("--dagster", action="store_true", help="servir aussi l'interface Dagster")
    dash.add_argument(
        "--dagster-port",
        type=int,
        default=3000,
        metavar="PORT",
        help="port de l'interface Dagster (défaut : 3000)",
    )
    dash.set_defaults(func=cmd_dashboard)
    dag = with_data_dir(sub.add_parser("dagster", help="servir l'interface Dagster seule"))
    dag.add_argument(
        "--port", type=int, default=3000, metavar="PORT", help="port de l'interface Dagster (défaut : 3000)"
    )
    dag.add_argument(
        "--host", default="127.0.0.1", metavar="ADRESSE", help="adresse d'écoute (défaut : 127.0.0.1)"
    )
    dag.set_defaults(func=cmd_dagster)
    tpl = with_data_dir(
        sub.add_parser("template", help="écrire un modèle Excel vierge de saisie (un par type de fichier)")
    )
    tpl.add_argument(
        "--kind",
        choices=_template_kinds(),
        default=DEFAULT_TEMPLATE_KIND,
        metavar="TYPE",
        help="type de fichier : " + ", ".join(_template_kinds()) + f" (défaut : {DEFAULT_TEMPLATE_KIND})",
    )
    tpl.add_argument(
        "--out",
        metavar="FICHIER",
        help="fichier .xlsx à écrire (défaut : modele_TYPE_ptce.xlsx, modele_indicateurs_ptce.xlsx pour "
        "les indicateurs)",
    )
    tpl.set_defaults(func=cmd_template)
    rep = with_data_dir(
        sub.add_parser("report", help="écrire le rapport annuel pour le financeur (PDF, Excel, HTML)")
    )
    rep.add_argument(
        "--year",
        type=int,
        metavar="ANNÉE",
        help="année du rapport (défaut : la dernière année avec des données dans l'entrepôt publié)",
    )
    rep.add_argument(
        "--out",
        metavar="DOSSIER",
        help="dossier où écrire les trois fichiers (défaut : curated/rapports/ du dossier de données)",
    )
    rep.set_defaults(func=cmd_report)
    bench = sub.add_parser(
        "bench",
        help="mesurer ptce run, le plancher DuckDB, les contrôles, les lectures, les pages et le rapport ; "
        "écrire BENCHMARKS.md",
    )
    bench.add_argument(
        "--scales",
        default="demo,2000",
        metavar="ÉCHELLES",
        help="échelles séparées par des virgules : « demo » et/ou un nombre de pôles (défaut : demo,2000)",
    )
    bench.add_argument(
        "--out",
        metavar="FICHIER",
        help="fichier Markdown à écrire (défaut : BENCHMARKS.md à la racine du projet)",
    )
    bench.add_argument(
        "--work-dir",
        metavar="DOSSIER",
        help="dossier de travail des données générées (défaut : ptce-bench dans le dossier temporaire)",
    )
    bench.add_argument(
        "--repeat",
        type=int,
        default=20,
        metavar="N",
        help="appels de chaque lecture des pages (p50, p95) ; chaque page est exécutée min(N, 3) fois "
        "(défaut : 20)",
    )
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())

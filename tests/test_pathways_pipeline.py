"""Pathway files through the whole pipeline (issue #11): pseudonyms, resubmission, internal move,
nothing identifying anywhere, and a missing key that refuses the pathway files but publishes the rest.

The demo indicator files give the rest of the run; the demo marker is removed so that the data
count as real (the demo key is then refused). Personal strings are distinctive so that a scan of
every output finds them if they leaked.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import openpyxl
import pytest

from pipelines.runner import RunOutcome, run_pipeline, summary_lines
from pipelines.shared.sample import write_sample
from ptce.paths import DataLayout

pytestmark = pytest.mark.slow

KEY = "cle-de-test-du-pipeline"
SECRETS = (
    "X7Q-4411",
    "DUPONTEL",
    "Marcelline",
    "14/07/1983",
    "1983-07-14",
    "Q-777",
    "CACHÉLIN",
    "HIDDEN-99",
    "0612345678",
    "rue des Lilas",
)


def pseudonym(identifier: str, pole: str = "phares") -> str:
    return hmac.new(KEY.encode(), f"{pole}\x1f{identifier}".encode(), hashlib.sha256).hexdigest()[:32]


def write_files(raw: Path) -> None:
    folder = raw / "parcours"
    first = folder / "essai_phares_2016.csv"
    first.write_bytes(
        "\r\n".join(
            [
                "Identifiant;Nom;Prénom;Adresse;Téléphone;Pôle;Structure;Date d'entrée;Date de sortie;"
                "Motif de sortie;Sexe;Date de naissance;DELD;RSA;QPV;RQTH;Heures de formation;"
                "Certification obtenue",
                "X7Q-4411;DUPONTEL;Marcelline;3 rue des Lilas;0612345678;PHARES;Régie Essai;03/02/2016;;;F;"
                "14/07/1983;oui;non;x;0;35,5;non",
                "Q-777;DUPONTEL;Marcelline;;;PHARES;Régie Essai;03/02/2016;30/06/2016;parti faire du zzz;F;"
                "14/07/1983;;;;;;",
                "Z-1;DUPONTEL;;;;PHAREZ;Régie Essai;03/02/2016;;;;;;;;;;",
            ]
        ).encode("cp1252")
        + b"\r\n"
    )
    # The 2017 file: title rows, the same stay with its exit (a resubmission), then the next stay in
    # another structure 15 days later (an internal move), a hidden row, an Excel birth date cell.
    second = folder / "essai_phares_2017.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Suivi des parcours 2017"
    ws["A2"] = "Pôle : PHARES"
    ws.append([])
    ws.append(
        [
            "N° personne",
            "Nom",
            "Structure",
            "Date d'entrée",
            "Date de sortie",
            "Motif de sortie",
            "Date de naissance",
            "Commentaires",
        ]
    )
    ws.append(
        [
            "X7Q-4411",
            "DUPONTEL",
            "Régie Essai",
            datetime(2016, 2, 3),
            datetime(2017, 6, 30),
            "CDI",
            datetime(1983, 7, 14),
            "Marcelline a trouvé",
        ]
    )
    ws.append([" x7q-4411 ", "DUPONTEL", "Atelier Essai", "15/07/2017", None, None, "14/07/1983", None])
    ws.append(["HIDDEN-99", "CACHÉLIN", "Atelier Essai", "15/07/2017", None, None, "14/07/1983", None])
    ws.row_dimensions[7].hidden = True
    wb.save(second)
    # The worst file: a formula holding a name, a huge cell; refused row by row, never a crash.
    worst = folder / "essai_pire.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Identifiant", "Pôle", "Structure", "Date d'entrée"])
    ws.append(['=CONCAT("DUPONTEL";"X7Q-4411")', "PHARES", "Régie Essai", "03/02/2016"])
    ws.append(["W-2", "PHARES", "R" * 40_000, "03/02/2016"])
    wb.save(worst)
    (folder / "essai_binaire.csv").write_bytes(bytes(range(256)) * 20)
    # Arrival order: the 2016 file first.
    for n, path in enumerate((first, second, worst)):
        stamp = datetime(2017 + n, 1, 15).timestamp()
        os.utime(path, (stamp, stamp))


def run(data_dir: Path, key: str | None) -> tuple[RunOutcome, str]:
    """One pipeline run with `PTCE_PSEUDO_KEY` set to `key` (or unset); returns its Dagster logs too."""
    saved = os.environ.pop("PTCE_PSEUDO_KEY", None)
    if key is not None:
        os.environ["PTCE_PSEUDO_KEY"] = key
    instance = dg.DagsterInstance.ephemeral()
    try:
        outcome = run_pipeline(data_dir, instance=instance)
    finally:
        os.environ.pop("PTCE_PSEUDO_KEY", None)
        if saved is not None:
            os.environ["PTCE_PSEUDO_KEY"] = saved
    logs = "\n".join(repr(entry) for entry in instance.all_logs(outcome.run_id))
    return outcome, logs


def real_data_dir(root: Path) -> Path:
    data_dir = root / "data"
    write_sample(data_dir)
    DataLayout(data_dir).demo_marker.unlink()  # the files now count as real: no demo key
    write_files(data_dir / "raw")
    return data_dir


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunOutcome, str]]:
    data_dir = real_data_dir(tmp_path_factory.mktemp("pathways_keyed"))
    yield run(data_dir, KEY)


def query(outcome: RunOutcome, sql: str) -> list[tuple]:
    with duckdb.connect(str(DataLayout(outcome.data_dir).warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_one_key_per_person_resubmission_and_internal_move(keyed) -> None:
    outcome, _ = keyed
    assert outcome.published, outcome.step_errors
    rows = query(
        outcome,
        "select person_key, structure, date_entree, date_sortie, categorie_sortie, motif_regle, etape, "
        "mobilite_interne, fin_parcours, tranche_age, source_file from pathways "
        "where structure like '% Essai' order by date_entree",
    )
    assert [r[0] for r in rows] == [pseudonym("x7q-4411")] * 2
    regie, atelier = rows
    # The 2017 file's version of the 2016 stay (its exit), once; its exit is an internal move.
    assert (regie[1], str(regie[2]), str(regie[3])) == ("Régie Essai", "2016-02-03", "2017-06-30")
    assert regie[4] is None and regie[5] is not None and regie[8] is False
    assert regie[10] == "raw/parcours/essai_phares_2017.xlsx"
    assert (atelier[1], atelier[6], atelier[7], atelier[4]) == ("Atelier Essai", 2, True, None)
    assert regie[9] == atelier[9] == "26–44 ans"


def test_ledger_quarantine_and_warning_check(keyed) -> None:
    outcome, _ = keyed
    log = {
        r[0]: r[1:]
        for r in query(
            outcome,
            "select source_file, status, rows_read, rows_loaded, rows_quarantined, message from ingest_log "
            "where source_file like 'raw/parcours/essai%'",
        )
    }
    assert log["raw/parcours/essai_phares_2016.csv"][:4] == ("partial", 3, 1, 2)
    assert log["raw/parcours/essai_phares_2017.xlsx"][:4] == ("partial", 2, 2, 0)  # hidden row noted
    assert "ligne(s) 7" in log["raw/parcours/essai_phares_2017.xlsx"][4]
    assert log["raw/parcours/essai_pire.xlsx"][:4] == ("partial", 2, 0, 2)
    assert log["raw/parcours/essai_binaire.csv"][0] == "error"
    quarantined = query(
        outcome,
        "select row_number, field, reason from quarantine where source_file = 'raw/parcours/essai_phares_2016.csv' "
        "order by row_number",
    )
    assert [(r[0], r[1]) for r in quarantined] == [(3, "motif de sortie"), (4, "pôle")]
    assert pseudonym("q-777") in quarantined[0][2]
    # The unknown reason is not counted anywhere: the person has no stay.
    assert query(outcome, f"select count(*) from pathways where person_key = '{pseudonym('q-777')}'") == [
        (0,)
    ]
    checks = dict(
        query(outcome, "select regle, severite from check_results where asset = 'pathway_indicators'")
    )
    assert checks["parcours_vs_declare"] == "WARN"
    assert query(outcome, "select count(*) from pathway_indicators where origine = 'parcours'")[0][0] > 0
    assert not any("CLÉ DE DÉMONSTRATION" in line for line in summary_lines(outcome))


def test_nothing_identifying_anywhere(keyed) -> None:
    outcome, logs = keyed
    layout = DataLayout(outcome.data_dir)
    found: list[str] = []
    controls = 0
    for database in (layout.warehouse, layout.build_database):
        with duckdb.connect(str(database), read_only=True) as con:
            tables = [
                r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
            ]
            for table in tables:
                # Every column of every row cast to text by DuckDB (dates as 1983-07-14).
                columns = [r[0] for r in con.execute(f'describe "{table}"').fetchall()]
                casts = ", ".join(f"coalesce(cast(\"{c}\" as varchar), '')" for c in columns)
                text = con.execute(f"select string_agg(concat_ws('|', {casts}), chr(10)) from \"{table}\"")
                text = (text.fetchall()[0][0] or "").lower()
                found += [f"{database.name}:{table}:{s}" for s in SECRETS if s.lower() in text]
                controls += "atelier essai" in text  # the scan does see what the files gave
    docs = [p for p in layout.data_docs_dir.rglob("*") if p.is_file()]
    assert docs, "Data Docs not built"
    for path in [*docs, *layout.parquet_dir.glob("*.parquet")]:
        text = path.read_bytes().decode("utf-8", errors="ignore").lower()
        found += [f"{path.name}:{s}" for s in SECRETS if s.lower() in text]
    found += [f"logs:{s}" for s in SECRETS if s.lower() in logs.lower()]
    found += [f"summary:{s}" for s in SECRETS if s.lower() in "\n".join(summary_lines(outcome)).lower()]
    assert found == []
    assert controls >= 2  # pathways in the warehouse, the staged stays in the build database
    assert not list(layout.parquet_dir.glob("pathways.parquet"))


def test_no_key_refuses_pathway_files_and_publishes_the_rest(tmp_path: Path) -> None:
    # This module's pathway files and one indicator file (not the whole demo: the run is about the
    # key, and half as long).
    data_dir = tmp_path / "data"
    (data_dir / "raw" / "parcours").mkdir(parents=True)
    (data_dir / "raw" / "indicateurs").mkdir()
    (data_dir / "raw" / "indicateurs" / "phares_2016.csv").write_text(
        "pole;periode;indicateur;valeur\nPHARES;2016;membres;3\n", encoding="utf-8"
    )
    write_files(data_dir / "raw")
    outcome, _ = run(data_dir, None)
    assert outcome.published, outcome.step_errors
    rows = query(outcome, "select status, rows_read, message from ingest_log where kind = 'parcours'")
    assert len(rows) == 4 and all(r[0] == "error" and r[1] == 0 for r in rows)
    assert all("PTCE_PSEUDO_KEY" in r[2] and "non chargé" in r[2] for r in rows)
    assert query(outcome, "select count(*) from pathways") == [(0,)]
    assert query(outcome, "select pole_id, annee, code, valeur from indicator_values") == [
        ("phares", 2016, "membres", 3.0)
    ]
    assert any("faute de clé de pseudonymisation" in line for line in summary_lines(outcome))


def test_demo_data_use_the_demo_key_loudly(demo_run: RunOutcome) -> None:
    """`ptce sample` data without PTCE_PSEUDO_KEY: loaded with the demo key, and said everywhere."""
    messages = query(demo_run, "select status, message from ingest_log where kind = 'parcours'")
    assert messages and all(status != "error" for status, _ in messages)
    assert all("clé de démonstration" in message for _, message in messages)
    assert any("CLÉ DE DÉMONSTRATION" in line for line in summary_lines(demo_run))
    assert query(demo_run, "select count(*) from pathways")[0][0] > 0

"""What the file system can put in the raw folders besides plain files, and what each must give.

The corpus (`corpus.py`) writes bytes under chosen names; these cases are about the names and the
entries themselves: names that are not valid UTF-8 (a Windows archive unzipped on Linux), symbolic
links inside and outside the data folder, links to nothing and link loops, hidden and system files
and folders, a named pipe, files dropped outside the kind folders. Each entry gets exactly one
`ingest_log` row with a French message naming it; nothing outside the data folder is ever read; the
rest publishes (`ptce run` exits 0).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.shared.inventory import scan_inventory
from ptce.paths import DataLayout
from tests.robustness.conftest import OddRun

SECRET = "SECRET-HORS-DU-DOSSIER-42"
GOOD_CSV = "pôle;période;indicateur;valeur\n{pole};{year};membres;{value}\n"


@dataclass(frozen=True)
class Entry:
    """One expected `ingest_log` row: status and a fragment of its message (None: read normally)."""

    source_file: str
    kind: str
    status: str
    fragment: str | None = None


Builder = Callable[[Path, Path], list[Entry]]  # (data dir, a folder outside it) -> expected rows
CASES: dict[str, Builder] = {}


def fs_case(builder: Builder) -> Builder:
    CASES[builder.__name__] = builder
    return builder


def _raw(data: Path, *parts: str | bytes) -> bytes:
    """A path under raw/ as bytes (names that are not UTF-8 can only be written as bytes)."""
    return os.path.join(os.fsencode(data / "raw"), *(os.fsencode(p) for p in parts))


@fs_case
def non_utf8_file_name(data: Path, outside: Path) -> list[Entry]:
    # "résultats" written in CP850 by a Windows zip tool: 0x82 is not UTF-8.
    with open(_raw(data, "indicateurs", b"r\x82sultats_2018.csv"), "wb") as fh:
        fh.write(GOOD_CSV.format(pole="PHARES", year=2018, value=7).encode())
    return [Entry("raw/indicateurs/r\ufffdsultats_2018.csv", "indicateurs", "error", "caractères invalides")]


@fs_case
def non_utf8_names_rendered_alike(data: Path, outside: Path) -> list[Entry]:
    for name in (b"obj\xe9.csv", b"obj\xe8.csv"):  # CP1252 é and è: both render as "obj�.csv"
        with open(_raw(data, "objectifs", name), "wb") as fh:
            fh.write(b"x")
    return [
        Entry("raw/objectifs/obj\ufffd.csv", "objectifs", "error", "Renommez le fichier"),
        Entry("raw/objectifs/obj\ufffd.csv (2)", "objectifs", "error", "Renommez le fichier"),
    ]


@fs_case
def non_utf8_folder_name(data: Path, outside: Path) -> list[Entry]:
    folder = _raw(data, "candidatures", b"R\xe9ponses")
    os.mkdir(folder)
    with open(os.path.join(folder, b"AMI.docx"), "wb") as fh:
        fh.write(b"PK")
    return [Entry("raw/candidatures/R\ufffdponses/", "candidatures", "error", "ses 1 fichier(s)")]


@fs_case
def link_to_a_file_outside(data: Path, outside: Path) -> list[Entry]:
    (outside / "secret.csv").write_text(GOOD_CSV.format(pole=SECRET, year=2019, value=1), encoding="utf-8")
    (data / "raw" / "indicateurs" / "lien_secret.csv").symlink_to(outside / "secret.csv")
    return [Entry("raw/indicateurs/lien_secret.csv", "indicateurs", "error", "hors du dossier de données")]


@fs_case
def link_to_a_folder_outside(data: Path, outside: Path) -> list[Entry]:
    (outside / "partage").mkdir()
    (outside / "partage" / "autre.csv").write_text(SECRET, encoding="utf-8")
    (data / "raw" / "objectifs" / "partage").symlink_to(outside / "partage")
    return [Entry("raw/objectifs/partage", "objectifs", "error", "refusé, non lu")]


@fs_case
def link_inside_the_data_folder(data: Path, outside: Path) -> list[Entry]:
    # Staff keep the originals in an archive folder beside raw/ and link them: read like any file.
    (data / "archives").mkdir()
    # 2022: no corpus file gives figures for that year (they share a run, conftest.py).
    (data / "archives" / "esci_2022.csv").write_text(
        GOOD_CSV.format(pole="ESCI", year=2022, value=13), encoding="utf-8"
    )
    (data / "raw" / "indicateurs" / "esci_2022.csv").symlink_to(Path("../../archives/esci_2022.csv"))
    return [Entry("raw/indicateurs/esci_2022.csv", "indicateurs", "ok")]


@fs_case
def dangling_link(data: Path, outside: Path) -> list[Entry]:
    (data / "raw" / "indicateurs" / "disparu.csv").symlink_to(outside / "n_existe_pas.csv")
    return [Entry("raw/indicateurs/disparu.csv", "indicateurs", "error", "qui n'existe pas")]


@fs_case
def link_loop(data: Path, outside: Path) -> list[Entry]:
    (data / "raw" / "visites" / "boucle").symlink_to(Path("."))
    return [Entry("raw/visites/boucle", "visites", "ignored", "une boucle")]


@fs_case
def hidden_file(data: Path, outside: Path) -> list[Entry]:
    # Good content, hidden name: not read (its value must not reach the warehouse).
    (data / "raw" / "indicateurs" / ".alpen_2021.csv").write_text(
        GOOD_CSV.format(pole="AlpEn", year=2021, value=99), encoding="utf-8"
    )
    return [Entry("raw/indicateurs/.alpen_2021.csv", "indicateurs", "ignored", "fichier masqué")]


@fs_case
def office_lock_file(data: Path, outside: Path) -> list[Entry]:
    (data / "raw" / "indicateurs" / "~$modele.xlsx").write_bytes(b"\x0bJ. Dupont")
    return [Entry("raw/indicateurs/~$modele.xlsx", "indicateurs", "ignored", "fichier temporaire d'Office")]


@fs_case
def system_files(data: Path, outside: Path) -> list[Entry]:
    (data / "raw" / "candidatures" / "Thumbs.db").write_bytes(b"\0" * 16)
    macosx = data / "raw" / "candidatures" / "__MACOSX"
    macosx.mkdir()
    (macosx / "._AMI.docx").write_bytes(b"\0\5\26\7")
    return [
        Entry("raw/candidatures/Thumbs.db", "candidatures", "ignored", "fichier du système"),
        Entry("raw/candidatures/__MACOSX/", "candidatures", "ignored", "ses 1 fichier(s)"),
    ]


@fs_case
def hidden_folder(data: Path, outside: Path) -> list[Entry]:
    folder = data / "raw" / "objectifs" / ".sauvegardes"
    folder.mkdir()
    (folder / "a.csv").write_text("x", encoding="utf-8")
    (folder / "b.csv").write_text("y", encoding="utf-8")
    return [Entry("raw/objectifs/.sauvegardes/", "objectifs", "ignored", "ses 2 fichier(s)")]


@fs_case
def named_pipe(data: Path, outside: Path) -> list[Entry]:
    os.mkfifo(data / "raw" / "visites" / "tube")  # reading it would block the run forever
    return [Entry("raw/visites/tube", "visites", "ignored", "pas un fichier ordinaire")]


@fs_case
def outside_the_kind_folders(data: Path, outside: Path) -> list[Entry]:
    (data / "raw" / "indicateurs_2021.csv").write_text("x", encoding="utf-8")
    (data / "raw" / "2021").mkdir()
    (data / "raw" / "2021" / "phares.csv").write_text("x", encoding="utf-8")
    return [
        Entry("raw/indicateurs_2021.csv", "non_classe", "ignored", "Déplacez-le dans le dossier de son type"),
        Entry("raw/2021/", "non_classe", "ignored", "ses 1 fichier(s)"),
    ]


def build_cases(data: Path, outside: Path) -> list[Entry]:
    for kind in ("candidatures", "indicateurs", "objectifs", "visites"):
        (data / "raw" / kind).mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    return [entry for builder in CASES.values() for entry in builder(data, outside)]


def assert_entries(log: pd.DataFrame, expected: list[Entry], inventory: bool = False) -> None:
    """Each expected entry has exactly one row, with its status and a French message naming it.

    In the inventory (`inventory=True`) a file to read has no status yet: its parser gives it.
    """
    for e in expected:
        rows = log[log["source_file"] == e.source_file]
        assert len(rows) == 1, (e.source_file, log["source_file"].tolist())
        row = rows.iloc[0]
        status = None if inventory and e.status in ("ok", "partial") else e.status
        assert (row["kind"], row["status"]) == (e.kind, status), (e, row["message"])
        if e.fragment is not None:
            assert row["message"].startswith(f"{e.source_file} : "), row["message"]
            assert e.fragment in row["message"], row["message"]
        if e.status in ("ignored", "error"):  # not read: no content hash
            assert pd.isna(row["sha256"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_inventory_lists_each_entry_once(name: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    for kind in ("candidatures", "indicateurs", "objectifs", "visites"):
        (data / "raw" / kind).mkdir(parents=True)
    (tmp_path / "dehors").mkdir()
    expected = CASES[name](data, tmp_path / "dehors")
    entries = scan_inventory(DataLayout(data)).entries
    assert sorted(entries["source_file"]) == sorted(e.source_file for e in expected)
    assert_entries(entries, expected, inventory=True)
    # Names are valid text (DuckDB, the arrival register and messages must hold them).
    for text in [*entries["source_file"], *entries["message"].dropna()]:
        text.encode("utf-8")


def test_the_projects_folder_placeholders_are_not_inputs(tmp_path: Path) -> None:
    # A fresh clone's data/raw/<kind>/.gitkeep keep the folders in git: never listed as ignored files.
    data = tmp_path / "data"
    for kind in ("candidatures", "indicateurs", "parcours"):
        (data / "raw" / kind).mkdir(parents=True)
        (data / "raw" / kind / ".gitkeep").write_text("")
    (data / "raw" / "indicateurs" / ".brouillon.csv").write_text("x")  # a real hidden file still is
    entries = scan_inventory(DataLayout(data)).entries
    assert entries["source_file"].tolist() == ["raw/indicateurs/.brouillon.csv"]


def test_unreadable_file_is_an_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root reads every file whatever its mode: the refusal is simulated where the file is opened.
    data = tmp_path / "data"
    folder = data / "raw" / "indicateurs"
    folder.mkdir(parents=True)
    (folder / "prive.csv").write_text("x", encoding="utf-8")
    (folder / "ok.csv").write_text("y", encoding="utf-8")
    real_open = Path.open

    def refusing_open(self: Path, *args, **kwargs):
        if self.name == "prive.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    entries = scan_inventory(DataLayout(data)).entries.set_index("source_file")
    assert entries.at["raw/indicateurs/prive.csv", "status"] == "error"
    assert "accès refusé" in entries.at["raw/indicateurs/prive.csv", "message"]
    assert pd.isna(entries.at["raw/indicateurs/ok.csv", "status"])


@pytest.mark.slow
def test_demo_plus_every_file_system_case_publishes(odd_run: OddRun) -> None:
    """Issue #8.2 and #8.4: `ptce run` publishes, each odd entry has its row, nothing outside is read.

    The run also holds the malformed corpus (conftest.py); its files are ignored here.
    """
    expected = odd_run.fs_entries
    assert odd_run.exit_code == 0
    assert "Entrepôt publié." in odd_run.out
    n_ignored = sum(e.status == "ignored" for e in expected)
    assert f"ignorés car non lus : {n_ignored}" in odd_run.out
    for english in ("Error", "error:", "Traceback", "Exception"):
        assert english not in odd_run.out + odd_run.err

    with duckdb.connect(str(DataLayout(odd_run.data_dir).warehouse), read_only=True) as con:
        log = con.execute("select * from ingest_log").df()
        values = con.execute("select pole_id, annee, valeur, source_file from indicator_values").df()
        everything = " ".join(
            con.execute(f"select * from {t}").df().astype(str).to_string()
            for t in ("ingest_log", "quarantine", "indicator_values", "targets", "applications")
        )
    assert_entries(log, expected)
    assert log["source_file"].is_unique
    assert (log["rows_read"] == log["rows_loaded"] + log["rows_quarantined"]).all()
    assert (
        (log.loc[log["status"] == "ignored", ["rows_read", "rows_loaded", "rows_quarantined"]] == 0)
        .all()
        .all()
    )
    # The link inside the data folder was read; the hidden file and everything outside were not.
    assert values[values["source_file"] == "raw/indicateurs/esci_2022.csv"]["valeur"].tolist() == [13]
    assert values[(values["pole_id"] == "alpen") & (values["annee"] == 2021)].empty
    assert SECRET not in everything

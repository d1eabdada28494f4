"""The page « Déposer des fichiers » run headless (AppTest), for staff and for a pole.

The intake client (`ptce.intake`: detection, checks, preview, deposit, run state) is replaced by
fakes returning hand-written values: these tests pin the page — what it shows of a preview (files,
problems, changes, checks) and how, the refusal of another pole's file, what « Confirmer le dépôt »
sends, the run's journal — not the pipeline, which the intake tests cover. The demo warehouse is
only read (pole names, the viewer's navigation).
"""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.depot import tables, templates
from dashboards.shared import changes
from dashboards.shared.table_format import display_frame
from ptce import intake
from tests.dashboards.apps import open_app

PAGE = "depot/page.py"
EVIL = "<img src=x onerror=alert(1)>.csv"
GOOD_CSV = b"pole;periode;indicateur;valeur\nphares;2017;salaries;1234\n"

IDLE = intake.RunState(running=False, queued=False, lines=(), finished_at=None, ok=None)


def preview_of(*files: intake.FilePreview, publishable: bool = True) -> intake.Preview:
    return intake.Preview(
        files=files,
        problems=(
            intake.Problem(EVIL, 3, "valeur", "Valeur « abc » illisible : un nombre est attendu.", True),
            intake.Problem(EVIL, None, None, "Colonne « **commentaire** » ignorée.", False),
        ),
        changes=(
            intake.Change(
                "phares",
                "PHARES",
                2017,
                "salaries",
                "Salariés des structures membres",
                "personnes",
                1200.0,
                1234.0,
                "modification",
            ),
            intake.Change(
                "phares",
                "PHARES",
                2017,
                "etp",
                "Équivalents temps plein des membres",
                "ETP",
                None,
                12.5,
                "ajout",
            ),
            intake.Change(
                "phares",
                "PHARES",
                2016,
                "membres",
                "Structures membres du pôle",
                "nombre",
                14.0,
                None,
                "retrait",
            ),
        ),
        checks_blocking=("Conservation des lignes : 1 fichier compte mal ses lignes.",),
        checks_warning=("Complétude : <b>2</b> indicateurs attendus manquent.",),
        publishable=publishable,
        seconds=18.24,
    )


def file_of(
    name: str, poles: tuple[str, ...] = ("phares",), others: tuple[str, ...] = ()
) -> intake.FilePreview:
    return intake.FilePreview(
        name, "indicateurs", "partial", "1 ligne en quarantaine.", 4, 3, 1, poles, others
    )


class Fakes:
    """The intake client's functions, recording their calls."""

    def __init__(
        self,
        preview: intake.Preview,
        after: list[intake.RunState] | None = None,
        before: intake.RunState = IDLE,
    ) -> None:
        self.preview_result = preview
        self.before = before
        self.after = after or [IDLE]
        self.calls: dict[str, list[Any]] = {"preview": [], "deposit": [], "check": [], "detect": []}

    def install(self, monkeypatch: pytest.MonkeyPatch) -> Fakes:
        monkeypatch.setattr(intake, "preview", self.preview)
        monkeypatch.setattr(intake, "deposit", self.deposit)
        monkeypatch.setattr(intake, "run_state", self.run_state)
        monkeypatch.setattr(intake, "check_upload", self.check_upload)
        monkeypatch.setattr(intake, "detect_kind", self.detect_kind)
        return self

    def preview(self, data_dir: Path, uploads: list[intake.Upload], kind: str, pole_id: str | None = None):
        self.calls["preview"].append((data_dir, [u.name for u in uploads], kind, pole_id))
        return self.preview_result

    def deposit(
        self,
        data_dir: Path,
        uploads: list[intake.Upload],
        kind: str,
        who: str,
        run: bool = True,
        pole_id: str | None = None,
    ):
        self.calls["deposit"].append(([(u.name, u.data) for u in uploads], kind, who, run))
        self.calls.setdefault("deposit_pole", []).append(pole_id)
        return [intake.Deposited(u.name, f"raw/{kind}/depot-20170301-101500-0a1b2c3d.csv") for u in uploads]

    def run_state(self, data_dir: Path) -> intake.RunState:
        """`before` until a deposit, then each poll the next of `after` (the last one stays)."""
        if not self.calls["deposit"]:
            return self.before
        return self.after.pop(0) if len(self.after) > 1 else self.after[0]

    def check_upload(self, upload: intake.Upload, kind: str) -> None:
        self.calls["check"].append((upload.name, kind))
        if upload.name.endswith(".txt.csv"):
            raise intake.IntakeError(f"« {upload.name} » : fichier vide, rien à déposer.")

    def detect_kind(self, upload: intake.Upload) -> str | None:
        self.calls["detect"].append(upload.name)
        return None if upload.name.startswith("inconnu") else "indicateurs"


def open_page(monkeypatch: pytest.MonkeyPatch, data_dir: Path, role: str, pole: str | None = None) -> AppTest:
    return open_app(monkeypatch, data_dir, role, pole, PAGE)


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "text/csv") for name, data in files]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def verify(at: AppTest) -> AppTest:
    at.button(key="depot_verifier").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_in(at: AppTest, column: str) -> pd.DataFrame:
    """The frame of the one table with `column`."""
    [frame] = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


def test_staff_check_a_file_and_see_its_problems_changes_and_checks_as_sent(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    fakes = Fakes(preview_of(file_of(EVIL))).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "staff")
    assert [t.value for t in at.title] == ["Déposer des fichiers"]
    chooser = at.selectbox(key="depot_type")
    assert chooser.options == [
        "Détecter automatiquement",
        "Indicateurs d'emploi",
        "Objectifs annuels",
        "Parcours individuels",
        "Visites et pratiques",
        "Candidatures",
        "Référentiel des pôles",
    ]
    assert at.button(key="depot_verifier").disabled  # nothing uploaded yet
    chooser.set_value("indicateurs").run()
    upload(at, (EVIL, GOOD_CSV))
    assert fakes.calls["check"] == [(EVIL, "indicateurs")] and not fakes.calls["detect"]
    verify(at)
    assert [(c[1], c[2], c[3]) for c in fakes.calls["preview"]] == [([EVIL], "indicateurs", None)]
    [status] = at.status
    assert status.state == "complete"
    assert status.label == (
        "Vérification terminée en 18,2 s : 1 fichier, 2 problèmes (dont 2 bloquants), 3 chiffres modifiés."
    )

    files = table_in(at, "Lignes lues")
    assert files.to_dict("records") == [
        {
            "Fichier": EVIL,
            "Type": "Indicateurs d'emploi",
            "État": "⚠️ Partiel (lignes en quarantaine)",
            "Lignes lues": 4,
            "Lignes chargées": 3,
            "Lignes en quarantaine": 1,
            "Pôles": "PHARES",
            "Message": "1 ligne en quarantaine.",
        }
    ]
    problems = table_in(at, "Gravité")
    assert list(problems["Fichier"]) == [EVIL, EVIL]  # the name literally, in a table cell
    assert list(problems["Ligne"].astype("Int64")) == [3, pd.NA]
    assert list(problems["Champ"]) == ["valeur", ""]
    assert list(problems["Problème"]) == [
        "Valeur « abc » illisible : un nombre est attendu.",
        "Colonne « **commentaire** » ignorée.",
    ]
    assert list(problems["Gravité"]) == ["Bloquant", "Avertissement"]

    changes = table_in(at, "Changement")
    assert list(changes["Pôle"]) == ["PHARES"] * 3
    assert list(changes["Changement"]) == ["Modification", "Ajout", "Retrait"]
    assert list(changes["Ancienne valeur"].astype("Float64")) == [1200.0, pd.NA, 14.0]
    assert list(changes["Nouvelle valeur"].astype("Float64")) == [1234.0, 12.5, pd.NA]

    # The checks' sentences as plain text (the tag is shown, not read).
    texts = [t.value for t in at.text]
    assert "• Conservation des lignes : 1 fichier compte mal ses lignes." in texts
    assert "• Complétude : <b>2</b> indicateurs attendus manquent." in texts
    confirm = at.button(key="depot_confirmer")
    assert confirm.label == "Confirmer le dépôt" and not confirm.disabled


def test_the_tables_write_old_and_new_values_the_french_way() -> None:
    shown = display_frame(changes.changes_table(preview_of().changes))
    assert shown[["Année", "Ancienne valeur", "Nouvelle valeur"]].to_dict("records") == [
        {"Année": "2017", "Ancienne valeur": "1\u202f200", "Nouvelle valeur": "1\u202f234"},
        {"Année": "2017", "Ancienne valeur": "–", "Nouvelle valeur": "12,5"},
        {"Année": "2016", "Ancienne valeur": "14", "Nouvelle valeur": "–"},
    ]
    problems = display_frame(tables.problems_table(preview_of().problems))
    assert list(problems["Ligne"]) == ["3", "–"]


def test_confirm_deposits_with_the_kind_and_who_then_follows_the_run(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    finished = datetime(2017, 3, 1, 9, 16, tzinfo=UTC)
    states = [
        intake.RunState(True, False, ("Lecture des fichiers…", "**indicateurs** : 1 fichier"), None, None),
        intake.RunState(False, False, ("Lecture des fichiers…", "Publié : 12 pôles."), finished, True),
    ]
    fakes = Fakes(preview_of(file_of("phares-2017.csv")), states).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "staff")
    upload(at, ("phares-2017.csv", GOOD_CSV))  # kind left to detection
    assert fakes.calls["detect"] == ["phares-2017.csv"]
    assert "Type reconnu : Indicateurs d'emploi." in [c.value for c in at.caption]
    verify(at)
    assert not [i for i in at.info if i.value.startswith("Un dépôt est déjà en cours")]
    at.button(key="depot_confirmer").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert fakes.calls["deposit"] == [
        ([("phares-2017.csv", GOOD_CSV)], "indicateurs", "démonstration — Équipe COORACE", True)
    ]
    assert "« phares-2017.csv » → raw/indicateurs/depot-20170301-101500-0a1b2c3d.csv" in [
        t.value for t in at.text
    ]
    # The run: first its journal while it goes on, as text.
    [status] = [s for s in at.status if s.label.startswith("Traitement")]
    assert status.state == "running", status.label
    assert status.label == "Traitement en cours : lecture des fichiers, contrôles, publication…"
    assert "Lecture des fichiers…\n**indicateurs** : 1 fichier" in [t.value for t in status.text]
    # The uploader is empty again: the same files are not deposited twice by mistake.
    assert not at.file_uploader[0].value
    at.run()  # the next poll: the run has ended
    [status] = [s for s in at.status if s.label.startswith("Traitement")]
    assert status.state == "complete"
    # 09:16 UTC is 10:16 on the Paris clock (winter time).
    assert status.label == "Traitement terminé le 01/03/2017 à 10:16 : les chiffres sont publiés."
    assert "Lecture des fichiers…\nPublié : 12 pôles." in [t.value for t in status.text]


def test_a_running_deposit_is_said_before_confirming(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    queued = intake.RunState(False, True, (), None, None)
    Fakes(preview_of(file_of("a.csv")), before=queued).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "staff")
    upload(at, ("a.csv", GOOD_CSV))
    verify(at)
    assert any(i.value.startswith("Un dépôt est déjà en cours de traitement") for i in at.info)
    assert not at.button(key="depot_confirmer").disabled


def test_a_pole_is_refused_a_file_with_another_poles_figures_and_gets_no_confirm(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    fakes = Fakes(preview_of(file_of(EVIL, poles=("phares", "bousol"), others=("bousol",)))).install(
        monkeypatch
    )
    at = open_page(monkeypatch, demo_data_dir, "pole", "phares")
    at.selectbox(key="depot_type").set_value("indicateurs").run()
    upload(at, (EVIL, GOOD_CSV))
    verify(at)
    # The preview was asked for the pole itself.
    assert [c[3] for c in fakes.calls["preview"]] == ["phares"]
    [refusal] = [e.value for e in at.error if e.value.startswith("Dépôt refusé")]
    # The name escaped for Markdown: shown as sent, never read as a tag.
    assert "« \\<img src=x onerror=alert\\(1\\)\\>\\.csv »" in refusal
    assert "d'un autre pôle \\(PTCE Bou'Sol\\)" in refusal
    assert not [b for b in at.button if b.key == "depot_confirmer"]
    assert not fakes.calls["deposit"]


def test_a_pole_confirms_its_own_file(monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path) -> None:
    fakes = Fakes(preview_of(file_of("a.csv"))).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "pole", "phares")
    at.selectbox(key="depot_type").set_value("objectifs").run()
    upload(at, ("a.csv", GOOD_CSV))
    verify(at)
    at.button(key="depot_confirmer").click().run()
    assert [(d[1], d[2]) for d in fakes.calls["deposit"]] == [("objectifs", "démonstration — pôle phares")]
    assert fakes.calls["deposit_pole"] == ["phares"]  # the client refuses staff-only kinds to a pole


def test_staff_deposit_the_poles_reference_and_a_pole_may_not(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    """A new member, a new alias, a departure: staff deposit a poles file like any other file."""
    fakes = Fakes(preview_of(file_of("ajouts.csv"))).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "staff")
    at.selectbox(key="depot_type").set_value("poles").run()
    upload(at, ("ajouts.csv", b"identifiant;numero;nom\npole_treize;13;PTCE Treize\n"))
    verify(at)
    at.button(key="depot_confirmer").click().run()
    assert [(d[1], d[3]) for d in fakes.calls["deposit"]] == [("poles", True)]
    assert fakes.calls["deposit_pole"] == [None]
    assert "Référentiel des pôles" in at.selectbox(key="depot_modele_type").options

    # A pole is offered neither the kind nor its template; a file detected as one is refused.
    monkeypatch.setattr(intake, "detect_kind", lambda upload: "poles")
    at = open_page(monkeypatch, demo_data_dir, "pole", "phares")
    assert "Référentiel des pôles" not in at.selectbox(key="depot_type").options
    assert "Référentiel des pôles" not in at.selectbox(key="depot_modele_type").options
    upload(at, ("ajouts.csv", b"identifiant;numero;nom\npole_treize;13;PTCE Treize\n"))
    # Said as every message of the page: Markdown escaped (the final period too).
    assert [e.value for e in at.error] == [
        "Seule l'équipe COORACE peut déposer un fichier de type « Référentiel des pôles »\\."
    ]
    assert at.button(key="depot_verifier").disabled
    assert len(fakes.calls["preview"]) == 1 and len(fakes.calls["deposit"]) == 1  # staff's only


def test_a_preview_that_would_not_publish_cannot_be_confirmed(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    Fakes(preview_of(file_of("a.csv"), publishable=False)).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "staff")
    upload(at, ("a.csv", GOOD_CSV))
    verify(at)
    assert at.button(key="depot_confirmer").disabled
    assert any(w.value.startswith("Ce dépôt ne peut pas être confirmé") for w in at.warning)


def test_a_file_of_which_nothing_would_be_loaded_cannot_be_confirmed(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    # Every row quarantined: publication would go on, but the deposit would only fill the quarantine.
    nothing = intake.FilePreview(
        "vide.csv", "indicateurs", "partial", "2 lignes en quarantaine.", 2, 0, 2, ("phares",), ()
    )
    Fakes(preview_of(file_of("a.csv"), nothing)).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "staff")
    upload(at, ("a.csv", GOOD_CSV), ("vide.csv", GOOD_CSV))
    verify(at)
    assert at.button(key="depot_confirmer").disabled
    # The name comes from the upload: Markdown-escaped, so compare without the escapes.
    assert [w.value.replace("\\", "") for w in at.warning if "ne serait chargée" in w.value] == [
        "Aucune ligne du fichier « vide.csv » ne serait chargée : corrigez-le d'après les problèmes "
        "ci-dessus avant de le déposer."
    ]


def test_refused_and_unrecognised_files_are_said_at_once(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path
) -> None:
    fakes = Fakes(preview_of()).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "staff")
    upload(at, ("inconnu.csv", b"x;y\n1;2\n"))
    assert [e.value for e in at.error] == [
        "Le type du fichier « inconnu\\.csv » n'a pas été reconnu d'après ses colonnes \\: choisissez le "
        "type de fichier ci\\-dessus\\."
    ]
    assert at.button(key="depot_verifier").disabled
    at.selectbox(key="depot_type").set_value("indicateurs").run()
    upload(at, ("vide.txt.csv", b""))
    assert [e.value for e in at.error] == ["« vide\\.txt\\.csv » \\: fichier vide, rien à déposer\\."]
    assert at.button(key="depot_verifier").disabled
    assert not fakes.calls["preview"]


def fake_command(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "ptce"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


@pytest.mark.parametrize("works", [True, False])
def test_a_template_is_written_by_the_command_then_offered(
    monkeypatch: pytest.MonkeyPatch, demo_data_dir: Path, tmp_path: Path, works: bool
) -> None:
    # The fake command writes its arguments into the file named after --out.
    body = 'out=""; prev=""; for a in "$@"; do [ "$prev" = "--out" ] && out="$a"; prev="$a"; done\n'
    body += 'echo "$@" > "$out"\n' if works else 'echo "modèle impossible" >&2; exit 2\n'
    monkeypatch.setattr(templates, "ptce_command", lambda: fake_command(tmp_path, body))
    templates.template_bytes.clear()
    Fakes(preview_of()).install(monkeypatch)
    at = open_page(monkeypatch, demo_data_dir, "staff")
    at.selectbox(key="depot_modele_type").set_value("parcours").run()
    at.button(key="depot_modele_preparer").click().run()
    assert not at.exception, [e.value for e in at.exception]
    if works:
        [button] = at.download_button
        assert button.label == "Télécharger le modèle « Parcours individuels »"
        assert not [w for w in at.warning if w.value.startswith("Le modèle")]
    else:
        assert not at.download_button
        assert [w.value for w in at.warning if w.value.startswith("Le modèle")] == [
            "Le modèle « Parcours individuels » n'a pas pu être préparé. Réessayez plus tard ou "
            "demandez-le à l'équipe COORACE ; le détail est écrit dans la console du serveur."
        ]


def test_template_bytes_runs_the_command_with_the_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = 'out=""; prev=""; for a in "$@"; do [ "$prev" = "--out" ] && out="$a"; prev="$a"; done\n'
    body += 'printf "%s|" "$@" > "$out"; printf "%s" "$PTCE_DATA_DIR" >> "$out"\n'
    monkeypatch.setattr(templates, "ptce_command", lambda: fake_command(tmp_path, body))
    data = templates.template_bytes.__wrapped__("visites", "/donnees", None)  # type: ignore[attr-defined]
    words = data.decode().split("|")
    assert words[:3] == ["template", "--kind", "visites"]
    assert words[3] == "--out" and words[4].endswith("modele_visites.xlsx")
    assert words[5] == "/donnees"

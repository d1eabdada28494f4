"""The role file (`<data>/acces/roles.yaml`): who may read what once a login provider is set up."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptce.access import RoleFileError, load_role_file, viewer_for
from ptce.paths import DataLayout
from ptce.read.base import Viewer

GOOD = """\
# Accès à l'Observatoire (fictif)
utilisateurs:
  - e-mail: Marie.Martin@Coorace.example
    rôle: equipe
  - e-mail: suivi@fondation.example
    rôle: financeur
  - e-mail: coordination@bousol.example
    rôle: pole
    pôle: Bou'Sol
  - e-mail: alpen@pole.example
    rôle: pôle
    pôle: 12
  - email: "  tarn@pole.example "
    role: Pole
    pole: tarnais
"""


def write(tmp_path: Path, text: str) -> Path:
    path = DataLayout(tmp_path).role_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_role_file_lives_in_the_access_folder_of_the_data_directory(tmp_path: Path) -> None:
    assert DataLayout(tmp_path).role_file == tmp_path / "acces" / "roles.yaml"


def test_each_listed_address_gets_its_role_and_pole(tmp_path: Path) -> None:
    roles = load_role_file(write(tmp_path, GOOD))

    assert roles.viewer_for("Marie.Martin@Coorace.example") == Viewer("staff")
    assert roles.viewer_for("suivi@fondation.example") == Viewer("funder")
    # By name, by number and by id, with the key and value spelt without accents or in capitals.
    assert roles.viewer_for("coordination@bousol.example") == Viewer("pole", "bousol")
    assert roles.viewer_for("alpen@pole.example") == Viewer("pole", "alpen")
    assert roles.viewer_for("tarn@pole.example") == Viewer("pole", "tarnais")


def test_addresses_are_compared_trimmed_and_case_insensitively(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)

    assert viewer_for("  marie.martin@coorace.EXAMPLE ", path) == Viewer("staff")
    assert viewer_for("SUIVI@fondation.example", path) == Viewer("funder")


def test_an_address_not_listed_gets_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)

    assert viewer_for("inconnu@ailleurs.example", path) is None
    assert viewer_for("", path) is None
    assert viewer_for(None, path) is None


def test_viewer_for_reads_the_data_directory_of_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, GOOD)
    monkeypatch.setenv("PTCE_DATA_DIR", str(tmp_path))

    assert viewer_for("coordination@bousol.example") == Viewer("pole", "bousol")


def errors_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RoleFileError) as raised:
        load_role_file(write(tmp_path, text))
    return raised.value.errors


def test_every_error_names_the_file_the_entry_and_the_field(tmp_path: Path) -> None:
    errors = errors_of(
        tmp_path,
        """\
utilisateurs:
  - e-mail: a@x.example
    rôle: directeur
  - e-mail: b@x.example
    rôle: pole
    pôle: Pôle Imaginaire
  - e-mail: c@x.example
    rôle: pole
  - e-mail: d@x.example
    rôle: equipe
  - e-mail: D@X.example
    rôle: financeur
  - rôle: equipe
  - e-mail: e@x.example
    rôle: financeur
    pôle: bousol
""",
    )

    assert errors == [
        "roles.yaml, entrée n° 1 (a@x.example), champ « rôle » : rôle inconnu ('directeur') ; "
        "rôles possibles : equipe, financeur, pole.",
        "roles.yaml, entrée n° 2 (b@x.example), champ « pôle » : pôle inconnu ('Pôle Imaginaire') ; "
        "donnez son identifiant, son numéro (1 à 12) ou son nom.",
        "roles.yaml, entrée n° 3 (c@x.example), champ « pôle » : pôle manquant pour un utilisateur "
        "de rôle « pole ».",
        "roles.yaml, entrée n° 5 (d@x.example), champ « e-mail » : adresse déjà donnée à l'entrée n° 4.",
        "roles.yaml, entrée n° 6, champ « e-mail » : adresse manquante ou invalide (None).",
        "roles.yaml, entrée n° 7 (e@x.example), champ « pôle » : un pôle n'est donné qu'avec le "
        "rôle « pole ».",
    ]


def test_one_error_and_nobody_is_let_in(tmp_path: Path) -> None:
    # The good entries are not loaded either: a half-read access list could grant the wrong role.
    path = write(tmp_path, GOOD + "  - e-mail: x@x.example\n    rôle: chef\n")

    with pytest.raises(RoleFileError):
        viewer_for("suivi@fondation.example", path)


def test_bad_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    errors = errors_of(tmp_path, "utilisateurs:\n  - e-mail: a@x.example\n    rôle: [equipe\n")

    assert len(errors) == 1
    assert errors[0].startswith("roles.yaml, ligne 4 : YAML invalide (")


def test_a_file_without_the_list_of_users_is_refused(tmp_path: Path) -> None:
    assert errors_of(tmp_path, "- e-mail: a@x.example\n  rôle: equipe\n") == [
        "roles.yaml : la liste « utilisateurs » est absente (voir le README, section Accès)."
    ]


def test_a_missing_file_is_an_error_not_an_empty_list(tmp_path: Path) -> None:
    path = DataLayout(tmp_path).role_file

    with pytest.raises(RoleFileError) as raised:
        viewer_for("suivi@fondation.example", path)

    assert raised.value.errors == [f"roles.yaml : fichier des accès introuvable ({path})."]

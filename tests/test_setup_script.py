"""The set-up shared by the README's two commands (scripts/_setup.sh) chooses its Python by running it.

Under pyenv, `python3.13` exists as a shim for every installed version and fails unless that version
is selected: a set-up that trusted `command -v` stopped on its first line on a fresh machine.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ptce.paths import PROJECT_ROOT

SETUP = PROJECT_ROOT / "scripts" / "_setup.sh"
BASH = shutil.which("bash") or "/bin/bash"
PYENV_SHIM = '#!/bin/sh\necho "pyenv: $(basename "$0"): command not found" >&2\nexit 127\n'


def _bin(tmp_path: Path, **programs: str | Path) -> Path:
    """A folder of programs: a string is a script's text, a path a link to a real program."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name, what in programs.items():
        target = folder / name.replace("_", ".")
        if isinstance(what, Path):
            target.symlink_to(what)
        else:
            target.write_text(what)
            target.chmod(0o755)
    # The few tools the script itself calls, without anything else from the machine.
    for tool in ("ls", "sort", "basename", "cat", "id"):
        found = shutil.which(tool)
        if found and not (folder / tool).exists():
            (folder / tool).symlink_to(found)
    return folder


def _run(script: str, path: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(path), "HOME": str(home), "PYENV_ROOT": str(home / "no-pyenv"), "LANG": "C.UTF-8"}
    return subprocess.run(
        [BASH, "-c", f". {SETUP}; {script}"], env=env, capture_output=True, text=True, timeout=60
    )


def test_a_failing_pyenv_shim_is_passed_over(tmp_path: Path) -> None:
    folder = _bin(tmp_path, python3_13=PYENV_SHIM, python3_12=PYENV_SHIM, python3_11=Path(sys.executable))
    done = _run("find_python", folder, tmp_path)
    assert done.returncode == 0, done.stderr
    chosen = done.stdout.strip()
    version = subprocess.run(
        [chosen, "-c", "import sys; print(sys.version_info[:2] >= (3, 11))"], capture_output=True, text=True
    )
    assert version.stdout.strip() == "True"


def test_an_old_python_is_refused_and_the_failure_said_in_french(tmp_path: Path) -> None:
    old = "#!/bin/sh\nexec false\n"  # stands for a Python older than 3.11: its version check fails
    folder = _bin(tmp_path, python3_13=PYENV_SHIM, python3=old, python=old)
    assert _run("find_python", folder, tmp_path).returncode == 1
    done = _run("ensure_uv", folder, tmp_path)
    assert done.returncode == 1
    assert "ÉCHEC" in done.stderr and "aucun Python 3.11" in done.stderr
    assert "PTCE_PYTHON" in done.stderr  # says how to point at one


def test_a_pyenv_version_that_is_not_selected_is_found(tmp_path: Path) -> None:
    # pyenv's layout: $PYENV_ROOT/versions/<version>/bin/python3, none of them selected.
    versions = tmp_path / "no-pyenv" / "versions"
    (versions / "3.10.13" / "bin").mkdir(parents=True)
    (versions / "3.10.13" / "bin" / "python3").write_text("#!/bin/sh\nexec false\n")
    (versions / "3.10.13" / "bin" / "python3").chmod(0o755)
    (versions / "3.12.1" / "bin").mkdir(parents=True)
    (versions / "3.12.1" / "bin" / "python3").symlink_to(sys.executable)
    folder = _bin(tmp_path, python3=PYENV_SHIM)
    done = _run("find_python", folder, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(versions / "3.12.1" / "bin" / "python3")


def test_debian_packages_already_there_need_no_apt(tmp_path: Path) -> None:
    present = tmp_path / "present"
    present.write_text("")
    folder = _bin(tmp_path)
    done = _run(f"ensure_debian_packages un-paquet {present}", folder, tmp_path)
    assert done.returncode == 0 and done.stderr == ""


def test_missing_debian_packages_are_named_with_the_command(tmp_path: Path) -> None:
    folder = _bin(tmp_path)  # no apt-get on this PATH: the set-up can only say what to run
    done = _run(f"ensure_debian_packages chromium {tmp_path / 'absent'}", folder, tmp_path)
    assert done.returncode == 1
    assert "apt-get install chromium" in done.stderr


def test_a_package_two_features_need_is_named_once(tmp_path: Path) -> None:
    folder = _bin(tmp_path)
    absent = tmp_path / "absent"
    done = _run(
        f"ensure_debian_packages chromium {absent} poppler-utils {absent} chromium {absent}", folder, tmp_path
    )
    assert done.returncode == 1
    assert "sudo apt-get install chromium poppler-utils\n" in done.stderr


def test_the_report_s_packages_are_proved_by_files_this_machine_has(tmp_path: Path) -> None:
    # The machine running the tests was set up by scripts/test.sh: if a file named in the lists
    # does not exist here, the list names the wrong file and the set-up would install every time.
    listed = _run(
        'printf "%s\\n" "${REPORT_PACKAGES[@]}" "${REPORT_TEST_PACKAGES[@]}"', _bin(tmp_path), tmp_path
    )
    words = listed.stdout.split()
    pairs = dict(zip(words[::2], words[1::2], strict=True))
    assert set(pairs) == {
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "fonts-dejavu-core",
        "chromium",
        "poppler-utils",
    }
    assert [pkg for pkg, file in pairs.items() if not Path(file).exists()] == []

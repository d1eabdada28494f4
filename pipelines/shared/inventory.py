"""The inventory of the raw folders: every entry found there, read or not, and why not.

Every entry gets one `ingest_log` row, so staff see each file the observatory did not read:

- `ignored` (nothing to do, or move/rename it): hidden files (`.x`), Office lock files (`~$x.xlsx`),
  system files and folders (Thumbs.db, desktop.ini, __MACOSX/), files that are neither regular files
  nor folders (pipes, sockets), and anything left directly in `raw/` or in a folder that is not a
  kind of file the observatory knows. A folder that is skipped is one entry counting its files.
- `error` (the sender or staff must act): a name that is not valid UTF-8 (as unzipping a Windows
  archive gives), a symbolic link leading outside the data folder (refused, never read: it could
  expose any file of the machine), a link to nothing, a file or folder the process may not read.

Names are rendered as valid text (undecodable bytes become U+FFFD) so that DuckDB, the arrival
register and the messages can hold them. Files to read are hashed (SHA-256); others are not read.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ptce.paths import DEMO_MARKER, RAW_KINDS, DataLayout

# The project's own empty files that keep the raw folders in git: never a pole's submission, so
# neither read nor listed (like the demo marker).
PROJECT_PLACEHOLDERS = frozenset({".gitkeep"})

READ_COLUMNS = ["source_file", "kind", "format", "size_bytes", "sha256"]
INVENTORY_COLUMNS = [*READ_COLUMNS, "status", "message"]
# Kind of the entries found directly in raw/ or in a folder that is not one of RAW_KINDS.
UNSORTED_KIND = "non_classe"
IGNORED = "ignored"
ERROR = "error"

# Compared in lower case. Folders and files that operating systems or archivers leave behind.
_SYSTEM_NAMES = frozenset(
    {"thumbs.db", "ehthumbs.db", "desktop.ini", "__macosx", "$recycle.bin", "system volume information"}
)
_KIND_FOLDERS = ", ".join(f"raw/{folder}/" for folder in RAW_KINDS.values())


def readable_name(text: str) -> str:
    """`text` (a path from the file system) as valid text: undecodable bytes become U+FFFD.

    `os.fsdecode` keeps bytes that are not UTF-8 as lone surrogates, which no UTF-8 text (DuckDB,
    CSV, messages) can hold.
    """
    return os.fsencode(text).decode("utf-8", "replace")


@dataclass(frozen=True)
class Inventory:
    """Every entry of the raw folders. `status` is null for files to read, else ignored or error."""

    entries: pd.DataFrame

    @property
    def to_read(self) -> pd.DataFrame:
        """The files the parsers read: path, kind, format, size and SHA-256."""
        frame = self.entries[self.entries["status"].isna()]
        return frame[READ_COLUMNS].reset_index(drop=True)

    @property
    def unread(self) -> pd.DataFrame:
        """Entries not read, with their status and French message."""
        return self.entries[self.entries["status"].notna()].reset_index(drop=True)


def scan_inventory(layout: DataLayout) -> Inventory:
    """Walk the raw folders (kind folders first, then what lies outside them)."""
    scanner = _Scanner(layout)
    for kind in RAW_KINDS:
        scanner.kind_folder(layout.raw_folder(kind), kind)
    scanner.outside_kind_folders(layout.raw)
    return _inventory(scanner)


def _inventory(scanner: _Scanner) -> Inventory:
    frame = pd.DataFrame(scanner.entries, columns=INVENTORY_COLUMNS)
    names = _unique(frame["source_file"].tolist())
    # Every message names its entry, as the log shows it.
    messages = [None if m is None else f"{n} : {m}" for n, m in zip(names, frame["message"], strict=True)]
    frame["source_file"] = pd.Series(names, index=frame.index, dtype=object)
    frame["message"] = pd.Series(messages, index=frame.index, dtype=object)
    frame["size_bytes"] = frame["size_bytes"].astype("Int64")
    return Inventory(frame.sort_values(["kind", "source_file"], kind="stable").reset_index(drop=True))


def scan_kind(layout: DataLayout, kind: str) -> Inventory:
    """The entries of one kind's folder only (`raw/poles/`, read before a run by `ptce template`)."""
    scanner = _Scanner(layout)
    scanner.kind_folder(layout.raw_folder(kind), kind)
    return _inventory(scanner)


def scan_raw_files(layout: DataLayout) -> pd.DataFrame:
    """The files to read, sorted by kind then path (see `scan_inventory` for the others)."""
    return scan_inventory(layout).to_read


def _unique(names: list[str]) -> list[str]:
    # Two undecodable names can render alike ("r\x82s" and "r\x8as" both give "r�s"): the log needs
    # one row per entry, so a repeated rendering gets a number.
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _format(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".") or "inconnu"


def _count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder, onerror=lambda _: None))


def _system_reason(name: str, is_dir: bool) -> str | None:
    """Why an entry is a system or temporary one, or None when it may be a submission."""
    if name.lower() in _SYSTEM_NAMES:
        return "dossier du système (Windows ou macOS)" if is_dir else "fichier du système (Windows ou macOS)"
    if name.startswith("~$"):
        return "fichier temporaire d'Office (présent tant que le document est ouvert)"
    if name.startswith("."):
        return (
            "dossier masqué (nom commençant par un point)"
            if is_dir
            else ("fichier masqué (nom commençant par un point)")
        )
    return None


def _read_error(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "accès refusé"
    return "erreur de lecture du disque"


class _Scanner:
    def __init__(self, layout: DataLayout) -> None:
        self.layout = layout
        self.entries: list[dict[str, object]] = []

    # --- entries -------------------------------------------------------------------------------

    def _add(self, path: Path, kind: str, *, is_dir: bool = False, **values: object) -> None:
        name = readable_name(path.relative_to(self.layout.data_dir).as_posix()) + ("/" if is_dir else "")
        row = {
            "source_file": name,
            "kind": kind,
            "format": "dossier" if is_dir else _format(name),
            "size_bytes": None,
            "sha256": None,
            "status": None,
            "message": None,
        }
        row.update(values)
        self.entries.append(row)

    def _ignored(self, path: Path, kind: str, message: str, is_dir: bool = False) -> None:
        self._add(path, kind, is_dir=is_dir, status=IGNORED, message=message)

    def _error(self, path: Path, kind: str, message: str, is_dir: bool = False) -> None:
        self._add(path, kind, is_dir=is_dir, status=ERROR, message=message)

    def _file(self, path: Path, kind: str) -> None:
        digest = hashlib.sha256()
        try:
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            size = path.stat().st_size
        except OSError as exc:
            self._error(
                path,
                kind,
                f"fichier illisible ({_read_error(exc)}) : non lu. Vérifiez que le compte qui lance "
                "l'observatoire peut lire ce fichier, puis relancez la construction.",
            )
            return
        self._add(path, kind, size_bytes=size, sha256=digest.hexdigest())

    # --- walking -------------------------------------------------------------------------------

    def kind_folder(self, folder: Path, kind: str) -> None:
        if not folder.is_dir():
            return
        # A kind folder may itself be a link (to a shared drive, say): links inside it may lead
        # anywhere under it or under the data folder, nowhere else.
        roots = (self.layout.data_dir, folder.resolve())
        self._walk(folder, kind, roots, frozenset())

    def outside_kind_folders(self, raw: Path) -> None:
        """Entries left directly in raw/ or in unknown folders: listed, not read."""
        if not raw.is_dir():
            return
        known = set(RAW_KINDS.values()) | {DEMO_MARKER}
        for entry in self._scandir(raw, UNSORTED_KIND):
            if entry.name in known:
                continue
            path = raw / entry.name
            if self._skipped_as_system(path, entry, UNSORTED_KIND):
                continue
            if entry.is_dir(follow_symlinks=False):
                self._ignored(
                    path,
                    UNSORTED_KIND,
                    f"dossier hors des dossiers prévus ({_KIND_FOLDERS}) : ses {_count_files(path)} "
                    "fichier(s) ne sont pas lus. Déplacez chaque fichier dans le dossier de son type.",
                    is_dir=True,
                )
            else:
                self._ignored(
                    path,
                    UNSORTED_KIND,
                    f"fichier hors des dossiers prévus ({_KIND_FOLDERS}) : non lu. Déplacez-le dans le "
                    "dossier de son type.",
                )

    def _scandir(self, directory: Path, kind: str) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(directory) as it:
                return sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self._error(
                directory,
                kind,
                f"dossier illisible ({_read_error(exc)}) : son contenu n'est pas lu. Vérifiez que le "
                "compte qui lance l'observatoire peut lire ce dossier, puis relancez la construction.",
                is_dir=True,
            )
            return []

    def _walk(self, directory: Path, kind: str, roots: tuple[Path, ...], parents: frozenset[str]) -> bool:
        """Walk `directory`, unless it is one of the folders being walked (a link loop): False then."""
        real = os.path.realpath(directory)
        if real in parents:
            return False
        for entry in self._scandir(directory, kind):
            if entry.name in PROJECT_PLACEHOLDERS:
                continue
            self._entry(directory / entry.name, entry, kind, roots, parents | {real})
        return True

    def _skipped_as_system(self, path: Path, entry: os.DirEntry[str], kind: str) -> bool:
        is_dir = entry.is_dir(follow_symlinks=False)
        reason = _system_reason(entry.name, is_dir)
        if reason is None:
            return False
        if is_dir:
            self._ignored(
                path,
                kind,
                f"{reason} : ses {_count_files(path)} fichier(s) ne sont pas lus. S'il contient des "
                "envois des pôles, déplacez-les dans le dossier de leur type.",
                is_dir=True,
            )
        else:
            self._ignored(
                path,
                kind,
                f"{reason} : non lu. S'il s'agit d'un envoi d'un pôle, renommez-le sans point ni « ~$ » "
                "au début ; sinon, rien à faire.",
            )
        return True

    def _entry(
        self, path: Path, entry: os.DirEntry[str], kind: str, roots: tuple[Path, ...], parents: frozenset[str]
    ) -> None:
        if self._skipped_as_system(path, entry, kind):
            return
        is_dir = entry.is_dir(follow_symlinks=False)
        if readable_name(entry.name) != entry.name:
            what = "dossier" if is_dir else "fichier"
            consequence = f"ses {_count_files(path)} fichier(s) ne sont pas lus" if is_dir else "non lu"
            self._error(
                path,
                kind,
                f"le nom de ce {what} contient des caractères invalides (accents mal codés, souvent "
                "après la décompression d'une archive créée sous Windows ; remplacés ici par « � ») : "
                f"{consequence}. Renommez le {what} en retapant son nom ; il sera lu à la prochaine "
                "construction.",
                is_dir=is_dir,
            )
            return
        if entry.is_symlink():
            self._link(path, kind, roots, parents)
        elif is_dir:
            self._walk(path, kind, roots, parents)
        elif entry.is_file(follow_symlinks=False):
            self._file(path, kind)
        else:
            self._special(path, kind)

    def _link(self, path: Path, kind: str, roots: tuple[Path, ...], parents: frozenset[str]) -> None:
        target = Path(os.path.realpath(path))
        shown = readable_name(str(target))
        if not target.exists():
            self._error(
                path,
                kind,
                f"lien symbolique vers « {shown} », qui n'existe pas : non lu. Remplacez le lien par "
                "le fichier lui-même.",
            )
        elif not any(target.is_relative_to(root) for root in roots):
            self._error(
                path,
                kind,
                f"lien symbolique vers « {shown} », hors du dossier de données : refusé, non lu. "
                "Copiez le fichier lui-même dans le dossier au lieu d'y mettre un lien.",
            )
        elif target.is_dir():
            if not self._walk(path, kind, roots, parents):
                self._ignored(
                    path,
                    kind,
                    f"lien symbolique vers « {shown} », un dossier qui le contient (une boucle) : non "
                    "suivi. Retirez ce lien.",
                )
        elif target.is_file():
            self._file(path, kind)
        else:
            self._special(path, kind)

    def _special(self, path: Path, kind: str) -> None:
        self._ignored(
            path,
            kind,
            "ce n'est pas un fichier ordinaire (tube, socket ou périphérique) : non lu. Retirez-le du "
            "dossier.",
        )

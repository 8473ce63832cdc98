"""Every path the program uses comes from here.

Resources (SOP files, fonts, icons) and migrations are found in the source tree,
in an installed wheel (mapped into ``kinerja_desktop._resources``) or, when frozen
by PyInstaller, under ``sys._MEIPASS``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from kinerja_desktop import APP_ID

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled_dir(name: str, mapped: str) -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen:
        candidates.append(Path(frozen) / name)
    candidates.append(_PACKAGE_DIR.parent / name)
    candidates.append(_PACKAGE_DIR / mapped)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Folder {name} tidak ditemukan (dicari di: {candidates})")


def resources_dir() -> Path:
    return _bundled_dir("resources", "_resources")


def migrations_dir() -> Path:
    return _bundled_dir("migrations", "_migrations")


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_ID, appauthor=False, roaming=False))


@dataclass(frozen=True)
class DataDir:
    """The layout of one data directory: database, attachments, backups, logs."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "kinerja.sqlite3"

    @property
    def attachments(self) -> Path:
        """Where earlier versions kept attachment files (now in the database; see
        ``services.files.import_legacy_files``)."""
        return self.root / "lampiran"

    @property
    def backups(self) -> Path:
        return self.root / "cadangan"

    @property
    def logs(self) -> Path:
        return self.root / "log"

    @property
    def lock_file(self) -> Path:
        """The writer lock (see :mod:`kinerja_desktop.locking`)."""
        return self.root / "kinerja.lock"

    @property
    def swap_lock_file(self) -> Path:
        """Held by a restore while it swaps the files, shared by backups while they copy."""
        return self.root / "kinerja-tukar.lock"

    @property
    def quarantine(self) -> Path:
        """Files ``check --repair`` moved out of the attachments folder."""
        return self.root / "karantina"

    def ensure(self) -> DataDir:
        for path in (self.root, self.backups, self.logs):
            path.mkdir(parents=True, exist_ok=True)
        return self

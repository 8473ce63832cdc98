"""The window's share of safe operation: the writer lock, the log, the error dialog,
finishing a restore cut short, and the daily backup with its warning.

The lock itself is Qt-free (:mod:`kinerja_desktop.locking`) so every writing command
takes the same one; the window holds it for as long as it is open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from kinerja_desktop.locking import DataFolderBusy, DataFolderLock, release_all
from kinerja_desktop.paths import DataDir

#: The refusal a second window gets (kept under its old name for callers and tests).
AlreadyRunningError = DataFolderBusy

WINDOW_PURPOSE = "jendela aplikasi terbuka"


class InstanceLock(DataFolderLock):
    """The writer lock as the window holds it."""

    def __init__(self, data_dir: DataDir) -> None:
        super().__init__(data_dir, WINDOW_PURPOSE)


def release_held_locks() -> None:
    """Release every lock this process holds (before starting a new copy, at exit)."""
    release_all()


def acquire_or_explain(data_dir: DataDir) -> InstanceLock | None:
    """Take the lock, or tell the user (a message box) who holds the data folder.

    Needs a QApplication. Returns None when refused; the caller then exits.
    """
    try:
        return InstanceLock(data_dir).acquire()
    except AlreadyRunningError as exc:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Information, "Folder data sedang dipakai",
                          str(exc), QMessageBox.StandardButton.Ok)
        box.button(QMessageBox.StandardButton.Ok).setText("Tutup")
        box.exec()
        return None


def start_guarded(root: Path) -> InstanceLock | None:
    """Start-up safety, in order: the lock, the log, the error dialog, finishing a restore
    cut short (and removing what killed runs left), the daily backup (in the background).

    Needs a QApplication. Returns the held lock, or None when another program writes to
    this data folder (the user has been told). A failed automatic backup is logged and
    does not stop the program; damaged data is reported through :func:`backup_watcher`.
    """
    import atexit
    import logging

    from kinerja_desktop.logging_setup import setup_logging
    from kinerja_desktop.ui.dialogs.error import install_excepthook

    data_dir = DataDir(root)
    lock = acquire_or_explain(data_dir)
    if lock is None:
        return None
    atexit.register(release_held_locks)
    log_file = setup_logging(data_dir)
    install_excepthook(log_file, data_dir.database)
    from kinerja_desktop.services import backup

    log = logging.getLogger("kinerja_desktop.start")
    try:
        if backup.finish_interrupted_restore(data_dir):
            log.warning("Pemulihan yang terputus telah dituntaskan.")
    except OSError as exc:
        log.error("Pemulihan yang terputus belum dapat dituntaskan: %s", exc)
    start_auto_backup(data_dir)
    return lock


class BackupWatcher(QObject):
    """Carries the start-up backup's result from its thread to the GUI thread."""

    finished = Signal(object)  # services.backup.AutoBackupResult

    def __init__(self) -> None:
        super().__init__()
        self.result = None
        self._waiting: list[Callable[[object], None]] = []
        self.finished.connect(self._keep, Qt.ConnectionType.QueuedConnection)

    def _keep(self, result: object) -> None:
        self.result = result
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback(result)

    def when_done(self, callback: Callable[[object], None]) -> None:
        """Call ``callback(result)`` in the GUI thread now (if done) or when it is."""
        if self.result is not None:
            callback(self.result)
        else:
            self._waiting.append(callback)


_auto_backup: threading.Thread | None = None
_office_backup: threading.Thread | None = None
_watcher: BackupWatcher | None = None


def backup_watcher() -> BackupWatcher | None:
    """The watcher of the start-up backup (None before :func:`start_auto_backup`)."""
    return _watcher


def start_auto_backup(data_dir: DataDir) -> threading.Thread:
    """The daily backup (and the check of the data) in a background thread; a failure is
    logged and never stops the program."""
    import logging

    from kinerja_desktop.services import backup

    log = logging.getLogger("kinerja_desktop.start")
    global _auto_backup, _watcher
    watcher = _watcher = BackupWatcher()

    def work() -> None:
        try:
            result = backup.auto_backup(data_dir)
        except Exception as exc:  # noqa: BLE001 - a failed backup never blocks the work
            log.error("Cadangan otomatis gagal: %s", exc, exc_info=exc)
            return
        if result.made is not None:
            log.info("Cadangan otomatis harian: %s", result.made)
        if result.problems:
            log.error("Data rusak; cadangan otomatis tidak dibuat dan tidak ada cadangan yang "
                      "dihapus: %s", "; ".join(result.problems))
        watcher.finished.emit(result)

    _auto_backup = threading.Thread(target=work, name="cadangan-otomatis", daemon=True)
    _auto_backup.start()
    return _auto_backup


def start_office_backup(ctx) -> threading.Thread:
    """On an office server, the office's daily backup in a background thread: made by the
    first PC that starts that day (a server lock decides), into its backup folder. Does
    nothing on SQLite (the data folder's own backup ran before the database opened)."""
    import logging

    from kinerja_desktop.services import server_backup

    log = logging.getLogger("kinerja_desktop.start")

    def work() -> None:
        try:
            made = server_backup.office_daily_backup(ctx)
            if made is not None:
                log.info("Cadangan harian kantor dibuat di komputer ini: %s", made)
        except Exception as exc:  # noqa: BLE001 - a failed backup never blocks the work
            log.error("Cadangan harian kantor gagal: %s", exc, exc_info=exc)

    global _office_backup
    _office_backup = threading.Thread(target=work, name="cadangan-harian-kantor", daemon=True)
    _office_backup.start()
    return _office_backup


#: Backups of the day made later by a window left open (ui/daily_backup.py).
_later_backups: list[threading.Thread] = []


def track_backup(thread: threading.Thread) -> None:
    """Count ``thread`` (a backup started after start-up) among those a restore waits for."""
    _later_backups[:] = [t for t in _later_backups if t.is_alive()] + [thread]


def wait_for_auto_backup(timeout: float | None = None) -> None:
    """Block until the automatic backups running are written (before a restore swaps the
    files): the start-up one and any of the day's made later."""
    for thread in (_auto_backup, _office_backup, *_later_backups):
        if thread is not None:
            thread.join(timeout)


#: Which check found the damage, as the warning says it.
AT_START = "Pemeriksaan saat membuka aplikasi"
AT_DAILY_BACKUP = "Pemeriksaan untuk cadangan otomatis harian"


def damage_warning_text(result: object, data_dir: DataDir, found_by: str = AT_START) -> str:
    """The warning for damaged data: what was found and which backup to restore."""
    from kinerja_desktop.services.backup import restore_hint

    problems = list(getattr(result, "problems", ()))
    shown = "\n".join(f"• {p}" for p in problems[:5])
    more = f"\n• … dan {len(problems) - 5} masalah lain" if len(problems) > 5 else ""
    return (f"{found_by} menemukan kerusakan pada data di "
            f"{data_dir.root}:\n{shown}{more}\n\nCadangan otomatis TIDAK dibuat hari ini dan "
            f"tidak ada cadangan lama yang dihapus. Sebaiknya jangan mengubah data dulu.\n\n"
            f"{restore_hint(data_dir)}")


def show_damage_warning(parent, result: object, data_dir: DataDir,
                        found_by: str = AT_START) -> None:
    """A warning box when a check found damage (nothing when it did not)."""
    if not getattr(result, "problems", ()):
        return
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, "Data rusak: pulihkan dari cadangan",
                      damage_warning_text(result, data_dir, found_by),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("peringatanDataRusak")
    box.button(QMessageBox.StandardButton.Ok).setText("Mengerti")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()

"""One running copy of the program per data directory (QLockFile on ``DataDir.lock_file``).

Only QtCore is used, so the command line (``restore``) can take the same lock without a
window. A lock left by a crashed run is recognised (its process is gone) and removed.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QLockFile

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.paths import DataDir


class AlreadyRunningError(KinerjaError):
    """Another running copy holds the data directory (the message is for the user)."""

    def __init__(self, message: str, pid: int | None = None, host: str | None = None) -> None:
        super().__init__(message)
        self.pid = pid
        self.host = host


_HELD: list[InstanceLock] = []


def release_held_locks() -> None:
    """Release every lock this process holds (before starting a new copy, at exit)."""
    for lock in list(_HELD):
        lock.release()


class InstanceLock:
    """The lock of one data directory; ``acquire`` raises :class:`AlreadyRunningError`."""

    def __init__(self, data_dir: DataDir) -> None:
        self.data_dir = data_dir
        self._lock: QLockFile | None = None

    @property
    def held(self) -> bool:
        return self._lock is not None and self._lock.isLocked()

    def acquire(self) -> InstanceLock:
        self.data_dir.root.mkdir(parents=True, exist_ok=True)
        lock = QLockFile(str(self.data_dir.lock_file))
        # 0: the lock never goes stale by age (the program runs for days); only a lock whose
        # process no longer exists is stale, and tryLock removes that one by itself.
        lock.setStaleLockTime(0)
        if lock.tryLock(0):
            self._lock = lock
            _HELD.append(self)
            return self
        if lock.error() == QLockFile.LockError.LockFailedError:
            pid, host = _holder(lock)
            if pid:
                raise AlreadyRunningError(
                    "Kinerja Desktop sudah berjalan dengan folder data ini "
                    f"({self.data_dir.root}; proses {pid} di komputer {host or 'ini'}). "
                    "Gunakan jendela yang sudah terbuka: basis data yang sama tidak boleh "
                    "dibuka dua kali.", pid, host)
            # The holder vanished between the two calls: one more try.
            if lock.removeStaleLockFile() and lock.tryLock(0):
                self._lock = lock
                _HELD.append(self)
                return self
            raise AlreadyRunningError(
                "Kinerja Desktop sudah berjalan dengan folder data ini "
                f"({self.data_dir.root}). Gunakan jendela yang sudah terbuka.")
        raise AlreadyRunningError(
            f"Folder data {self.data_dir.root} tidak dapat dikunci (izin menulis ditolak "
            "atau folder tidak tersedia). Periksa folder data, lalu coba lagi.")

    def release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        if self in _HELD:
            _HELD.remove(self)

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _holder(lock: QLockFile) -> tuple[int, str]:
    """(pid, host name) written in the lock file; (0, "") when it cannot be read."""
    info = lock.getLockInfo()
    if isinstance(info, tuple) and len(info) >= 2 and isinstance(info[0], int):
        return info[0], str(info[1] or "")
    return 0, ""


def acquire_or_explain(data_dir: DataDir) -> InstanceLock | None:
    """Take the lock, or tell the user (a message box) that a copy is already running.

    Needs a QApplication. Returns None when refused; the caller then exits.
    """
    try:
        return InstanceLock(data_dir).acquire()
    except AlreadyRunningError as exc:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Information, "Kinerja Desktop sudah berjalan",
                          str(exc), QMessageBox.StandardButton.Ok)
        box.button(QMessageBox.StandardButton.Ok).setText("Tutup")
        box.exec()
        return None


def start_guarded(root: Path) -> InstanceLock | None:
    """Start-up safety, in order: the lock, the log, the error dialog, finishing a restore
    cut short, the daily backup (in the background).

    Needs a QApplication. Returns the held lock, or None when another copy runs on this
    data directory (the user has been told). A failed automatic backup is logged and
    does not stop the program.
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
    install_excepthook(log_file)
    from kinerja_desktop.services import backup

    log = logging.getLogger("kinerja_desktop.start")
    try:
        if backup.finish_interrupted_restore(data_dir):
            log.warning("Pemulihan yang terputus telah dituntaskan.")
    except OSError as exc:
        log.error("Pemulihan yang terputus belum dapat dituntaskan: %s", exc)
    start_auto_backup(data_dir)
    return lock


_auto_backup: threading.Thread | None = None
_office_backup: threading.Thread | None = None


def start_auto_backup(data_dir: DataDir) -> threading.Thread:
    """The daily backup in a background thread (it reads a consistent snapshot while the
    window opens); a failure is logged and never stops the program."""
    import logging

    from kinerja_desktop.services import backup

    log = logging.getLogger("kinerja_desktop.start")

    def work() -> None:
        try:
            made = backup.auto_backup(data_dir)
            if made is not None:
                log.info("Cadangan otomatis harian: %s", made)
        except Exception as exc:  # noqa: BLE001 - a failed backup never blocks the work
            log.error("Cadangan otomatis gagal: %s", exc, exc_info=exc)

    global _auto_backup
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


def wait_for_auto_backup(timeout: float | None = None) -> None:
    """Block until the start-up backup is written (before a restore swaps the files)."""
    for thread in (_auto_backup, _office_backup):
        if thread is not None:
            thread.join(timeout)

"""Berkas ▸ Cadangkan… and Berkas ▸ Pulihkan…

Both run off the GUI thread behind a progress dialog (the worker only emits signals).
Restore first checks the chosen file completely while the window stays open, asks for
confirmation, then closes the window (pending edits are saved, the database is
closed), replaces the data and starts the program again, so nothing keeps a handle on
the old files.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.domain.numbers import format_datetime_short, format_number
from kinerja_desktop.ui.common import ask_yes_no, show_error

log = logging.getLogger(__name__)

FILE_FILTER = "Cadangan Kinerja Desktop (*.zip);;Semua berkas (*)"


class _Job(QObject):
    """Runs ``work(progress)`` in a thread; results come back as queued signals."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Callable[[int, int], None]], Any]) -> None:
        super().__init__()
        self._work = work

    def start(self) -> None:
        threading.Thread(target=self._run, name="kinerja-cadangan", daemon=True).start()

    def _run(self) -> None:
        try:
            result = self._work(lambda done, total: self.progressed.emit(
                done // 1024, max(total // 1024, 1)))
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


def run_with_progress(parent: QWidget | None, title: str, label: str,
                      work: Callable[[Callable[[int, int], None]], Any]) -> tuple[bool, Any]:
    """Run ``work`` in a thread behind a modal progress dialog (no cancel).

    Returns ``(True, result)`` or ``(False, exception)``. Unexpected exceptions are
    re-raised in the GUI thread (so the error dialog and the log get them).
    """
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    outcome: dict[str, Any] = {}
    job = _Job(work)

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(min(done, total))

    def finish(key: str, value: Any) -> None:
        outcome[key] = value
        dialog.done(0)

    job.progressed.connect(on_progress)
    job.succeeded.connect(lambda result: finish("result", result))
    job.failed.connect(lambda exc: finish("error", exc))
    job.start()
    dialog.exec()
    dialog.deleteLater()
    if "error" in outcome:
        exc = outcome["error"]
        if isinstance(exc, (KinerjaError, OSError)):
            return False, exc
        raise exc
    return True, outcome.get("result")


def inform(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.button(QMessageBox.StandardButton.Ok).setText("Tutup")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def _size(total: int) -> str:
    return f"{format_number(total / 1048576, 1)} MB"


# --------------------------------------------------------------------------- backup


def choose_backup_target(parent: QWidget | None) -> Path | None:
    from kinerja_desktop.services.backup import SUFFIX, default_backup_name
    from kinerja_desktop.ui.dialogs.files import save_file

    path = save_file(parent, "Simpan cadangan", default_backup_name(), FILE_FILTER,
                     purpose="cadangan")
    if path is None:
        return None
    return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)


def make_backup(window: Any, target: Path | None = None) -> Path | None:
    """Berkas ▸ Cadangkan…: ask where, write the backup, report. Returns the file."""
    from kinerja_desktop.services import backup

    target = target or choose_backup_target(window)
    if target is None:
        return None
    ok, result = run_with_progress(
        window, "Mencadangkan", "Menyalin basis data dan lampiran…",
        lambda progress: backup.backup(window.ctx, target, progress=progress))
    if not ok:
        show_error(window, result, "Cadangan gagal dibuat")
        return None
    log.info("Cadangan dibuat: %s", result.path)
    inform(window, "Cadangan selesai",
           f"Cadangan tersimpan di:\n{result.path}\n\n{result.attachment_count} lampiran, "
           f"{_size(result.total_bytes)}. Simpan salinannya juga di flashdisk atau komputer lain.")
    return result.path


# --------------------------------------------------------------------------- restore


def relaunch() -> None:
    """Start the program again (same arguments) and end this copy."""
    from kinerja_desktop.ui.instance import release_held_locks

    release_held_locks()
    if getattr(sys, "frozen", False):
        program, arguments = sys.executable, sys.argv[1:]
    else:
        program, arguments = sys.executable, ["-m", "kinerja_desktop", *sys.argv[1:]]
    if not QProcess.startDetached(program, arguments):
        log.error("Program tidak dapat dimulai ulang: %s %s", program, arguments)
    QApplication.quit()


def choose_restore_source(parent: QWidget | None, start: Path) -> Path | None:
    from kinerja_desktop.ui.dialogs.files import open_file

    return open_file(parent, "Pulihkan dari cadangan", FILE_FILTER, purpose="cadangan",
                     start=start)


def may_restore(window: Any) -> bool:
    """Restore replaces everyone's data: only an administrator may do it."""
    from kinerja_desktop.domain.permissions import Role

    person = getattr(window, "person", None)
    return person is not None and Role.ADMIN in person.roles


def restore_backup(window: Any, source: Path | None = None,
                   restart: Callable[[], None] = relaunch) -> bool:
    """Berkas ▸ Pulihkan…: check, confirm, close the window, replace the data, restart.

    A bad file is refused with the reason and nothing changes. Returns True when the
    data was replaced.
    """
    from kinerja_desktop.services import restore

    if not may_restore(window):
        show_error(window, KinerjaError("Hanya Administrator yang dapat memulihkan data dari "
                                        "cadangan."), "Pemulihan tidak diizinkan")
        return False
    from kinerja_desktop.services.server_backup import restore_instructions

    on_server = restore_instructions(window.ctx)
    if on_server is not None:  # every PC's data: the server's administrator restores it
        show_error(window, KinerjaError(on_server), "Pemulihan data di server kantor")
        return False
    data_dir = window.ctx.data_dir
    source = source or choose_restore_source(window, data_dir.backups)
    if source is None:
        return False
    ok, info = run_with_progress(window, "Memeriksa cadangan",
                                 f"Memeriksa {source.name}…",
                                 lambda progress: restore.verify_backup(source, data_dir,
                                                                       progress=progress))
    if not ok:
        show_error(window, info, "Cadangan tidak dapat dipulihkan")
        return False
    created = format_datetime_short(info.created_at)
    if not ask_yes_no(window, "Pulihkan data?",
                      f"Pulihkan data dari {source.name}?\n\nCadangan dibuat {created} WITA oleh "
                      f"Kinerja Desktop {info.app_version}; berisi {info.attachment_count} "
                      f"lampiran ({_size(info.total_bytes)}).\n\nSemua data saat ini akan "
                      "diganti. Data saat ini disimpan dulu sebagai cadangan di folder "
                      f"{data_dir.backups}. Jendela akan ditutup dan aplikasi dibuka ulang."):
        return False

    from kinerja_desktop.ui.instance import wait_for_auto_backup

    wait_for_auto_backup()
    app = QApplication.instance()
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    window.close()  # saves pending edits and the window state
    window.ctx.dispose()
    actor_id = window.person.id
    ok, result = run_with_progress(None, "Memulihkan", f"Memulihkan data dari {source.name}…",
                                   lambda progress: restore.restore(data_dir, source,
                                                                   actor_id=actor_id,
                                                                   progress=progress))
    app.setQuitOnLastWindowClosed(quit_on_close)
    if ok:
        log.info("Data dipulihkan dari %s; data lama di %s", source,
                 result.previous_data_backup)
        kept = (f"\n\nData sebelumnya disimpan di:\n{result.previous_data_backup}"
                if result.previous_data_backup else "")
        inform(None, "Pemulihan selesai",
               f"Data telah dipulihkan dari {source.name}.{kept}\n\nAplikasi akan dibuka "
               "ulang; silakan masuk kembali.")
    else:
        log.warning("Pemulihan gagal: %s", result)
        show_error(None, result, "Pemulihan gagal")
    restart()
    return ok

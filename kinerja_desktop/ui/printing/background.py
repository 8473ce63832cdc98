"""Slow work off the GUI thread: :func:`run_in_background` runs a function on the global
QThreadPool (a QRunnable reporting through queued signals) behind a QProgressDialog;
the worker never touches a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.ui.common import show_error


class _TaskSignals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    """Runs ``fn`` on a pool thread; reports through queued signals only."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _TaskSignals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def run_in_background(parent: QWidget | None, label: str,
                      fn: Callable[[], Any]) -> tuple[bool, Any]:
    """Run ``fn`` off the GUI thread behind a progress dialog; wait, keeping the GUI alive.

    Returns ``(True, result)``, or ``(False, None)`` after showing the error.
    """
    task = _Task(fn)
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def done(result: Any) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    task.signals.finished.connect(done, Qt.ConnectionType.QueuedConnection)
    task.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setWindowTitle("Mohon tunggu")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setValue(0)
    QThreadPool.globalInstance().start(task)
    loop.exec()
    progress.close()
    progress.deleteLater()
    if "error" in outcome:
        exc = outcome["error"]
        if isinstance(exc, KinerjaError):
            show_error(parent, exc)
        else:
            show_error(parent, RuntimeError(f"Dokumen tidak dapat dibuat: {exc}"),
                       "Terjadi kesalahan")
        return False, None
    return True, outcome.get("result")

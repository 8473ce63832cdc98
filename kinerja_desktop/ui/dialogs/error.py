"""Unexpected errors: written to the log, shown to the user as a friendly dialog.

``install_excepthook`` replaces ``sys.excepthook`` and ``threading.excepthook``. The
dialog is always shown from the GUI thread (a queued signal), once at a time.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import KinerjaError

log = logging.getLogger("kinerja_desktop.error")

TITLE = "Terjadi kesalahan"


def friendly_text(exc: BaseException, log_file: Path | None,
                  database: Path | None = None) -> str:
    if isinstance(exc, KinerjaError):
        return str(exc)
    from kinerja_desktop.system_messages import describe_failure

    known = describe_failure(exc, database)
    if known is not None:  # disk full, database locked, …: one line naming the file
        return known
    where = f"\n\nRinciannya dicatat di berkas log:\n{log_file}" if log_file else ""
    return ("Maaf, terjadi kesalahan yang tidak terduga. Data yang sudah disimpan tetap aman; "
            "perubahan yang sedang dikerjakan mungkin belum tersimpan. Simpan pekerjaan Anda, "
            "lalu tutup dan buka kembali aplikasi bila masalah berulang." + where +
            "\n\nSampaikan berkas log itu kepada pengelola aplikasi.")


class ErrorDialog(QDialog):
    """Indonesian text; the traceback behind "Tampilkan rincian", with "Salin rincian"."""

    def __init__(self, parent: QWidget | None, exc: BaseException, log_file: Path | None,
                 details: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("dialogKesalahan")
        self.setWindowTitle(TITLE)
        known = isinstance(exc, KinerjaError)
        icon = QLabel()
        pixmap = QStyle.StandardPixmap.SP_MessageBoxWarning if known else \
            QStyle.StandardPixmap.SP_MessageBoxCritical
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(friendly_text(exc, log_file, _database))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMinimumWidth(420)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message, 1)
        from kinerja_desktop.logging_setup import scrub

        self.details = QPlainTextEdit(scrub(details))
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(200)
        self.details.hide()
        buttons = QDialogButtonBox()
        self.toggle_button = buttons.addButton("Tampilkan rincian",
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button = buttons.addButton("Salin rincian",
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.AcceptRole)
        self.toggle_button.clicked.connect(self._toggle)
        self.copy_button.clicked.connect(
            lambda: QApplication.clipboard().setText(self.details.toPlainText()))
        self.close_button.clicked.connect(self.accept)
        self.close_button.setDefault(True)
        has_details = bool(details) and not known
        self.toggle_button.setVisible(has_details)
        self.copy_button.setVisible(has_details)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.message.text()

    def _toggle(self) -> None:
        visible = not self.details.isVisible()
        self.details.setVisible(visible)
        self.toggle_button.setText("Sembunyikan rincian" if visible else "Tampilkan rincian")
        self.adjustSize()


def error_box(parent: QWidget | None, exc: BaseException, log_file: Path | None,
              details: str = "") -> ErrorDialog:
    """The dialog for ``exc`` (not shown yet)."""
    return ErrorDialog(parent, exc, log_file, details)


class _Reporter(QObject):
    report = Signal(object, str)

    def __init__(self, log_file: Path | None) -> None:
        super().__init__()
        self.log_file = log_file
        self.showing = False
        self.shown: list[str] = []  # texts shown, for tests and the log
        self.report.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def _show(self, exc: BaseException, details: str) -> None:
        if self.showing:  # one dialog at a time; the rest is in the log
            return
        self.showing = True
        try:
            app = QApplication.instance()
            parent = app.activeWindow() if isinstance(app, QApplication) else None
            box = error_box(parent, exc, self.log_file, details)
            self.shown.append(box.text())
            box.exec()
        except Exception:  # noqa: BLE001 - the error dialog itself must never raise
            log.exception("Dialog kesalahan tidak dapat ditampilkan")
        finally:
            self.showing = False


_reporter: _Reporter | None = None
_database: Path | None = None


def handle_exception(exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None) -> None:
    """Log the exception and show the dialog (from any thread)."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    if isinstance(exc, KinerjaError):
        log.warning("Penolakan tidak tertangani: %s\n%s", exc, details)
    else:
        log.error("Kesalahan tak terduga:\n%s", details)
    if _reporter is not None and QApplication.instance() is not None:
        _reporter.report.emit(exc, details)
    else:
        sys.__excepthook__(exc_type, exc, tb)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        handle_exception(args.exc_type, args.exc_value, args.exc_traceback)


def install_excepthook(log_file: Path | None, database: Path | None = None) -> None:
    """Route uncaught exceptions to the log and the dialog. Needs a QApplication.

    ``database`` is named in the one-line message for a full disk or a locked database.
    """
    global _reporter, _database
    _database = database
    if _reporter is None:
        _reporter = _Reporter(log_file)
    else:
        _reporter.log_file = log_file
    sys.excepthook = handle_exception
    threading.excepthook = _thread_hook


def uninstall_excepthook() -> None:
    global _reporter
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__
    if _reporter is not None:
        _reporter.deleteLater()
    _reporter = None

"""Excel workbooks from the window: team formats (export/import) and the compiled workbook.

* Berkas ▸ Ekspor Format Tim (Excel)… (Kasubag): one team or all teams of the viewed
  cycle into a folder; the work runs in a thread behind a cancellable QProgressDialog
  (the worker only emits signals; cancelling stops before the next team, files already
  written stay).
* Berkas ▸ Impor Format Tim (Excel)…: the file is checked first (a dry run, off the GUI
  thread) and the validation report shown; nothing changes until **Terapkan**.
* Berkas ▸ Ekspor Excel…: the compiled Dokumen Data Kinerja as a workbook (step 7 data).

``menu_actions.install_workbook_actions`` adds the three actions to a main window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.system_messages import user_text
from kinerja_desktop.ui.common import ERROR_STYLE, label_buttons, show_error
from kinerja_desktop.ui.dialogs.files import (
    choose_folder,
    last_folder,
    open_file,
    remember_folder,
    save_file,
)
from kinerja_desktop.ui.signals import CHANGE_DOCUMENTS, CHANGE_ENTRY
from kinerja_desktop.ui.sizing import size_window

ALL_TEAMS = -1
XLSX_FILTER = "Buku kerja Excel (*.xlsx);;Semua berkas (*)"


class Job(QObject):
    """Runs ``work(report, cancelled)`` in a thread; results come back as queued signals.

    ``report(done, total, text)`` emits :attr:`progressed`; ``cancelled()`` tells the
    work to stop. The worker never touches a widget.
    """

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Callable[[int, int, str], None], Callable[[], bool]],
                                      Any]) -> None:
        super().__init__()
        self._work = work
        self._cancel = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="kinerja-excel", daemon=True)
        self.thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _run(self) -> None:
        try:
            result = self._work(lambda d, t, s: self.progressed.emit(d, t, s),
                                self._cancel.is_set)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


def _message(parent: QWidget | None, title: str, text: str,
             icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.button(QMessageBox.StandardButton.Ok).setText("Tutup")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


# --------------------------------------------------------------------------- export


class ExportFormatDialog(QDialog):
    """Choose one team or all teams and a folder."""

    def __init__(self, ctx, cycle_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kinerja_desktop.services import workbooks

        self.setWindowTitle("Ekspor Format Tim ke Excel")
        self.setObjectName("dialogEksporFormat")
        self.targets = workbooks.list_export_targets(ctx, cycle_id)
        self.team = QComboBox()
        self.team.setObjectName("pilihTim")
        self.team.addItem(f"Semua tim ({len(self.targets)} berkas)", ALL_TEAMS)
        for t in self.targets:
            self.team.addItem(f"{t.team_name} ({t.items} indikator)", t.team_id)
        self.folder = QLineEdit(str(last_folder("format_tim")))
        self.folder.setObjectName("folderTujuan")
        browse = QPushButton("Pilih…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Tim:", self.team)
        form.addRow("Simpan di folder:", row)
        note = QLabel("Setiap tim mendapat satu buku kerja terlindungi berisi indikatornya. "
                      "Nama berkas memuat tahun dan nama tim.")
        note.setWordWrap(True)
        buttons = label_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                                 | QDialogButtonBox.StandardButton.Cancel))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Ekspor")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)
        size_window(self, 560, 180)

    def _browse(self) -> None:
        chosen = choose_folder(self, "Pilih folder tujuan", purpose="format_tim",
                               start=Path(self.folder.text()).expanduser())
        if chosen is not None:
            self.folder.setText(str(chosen))

    def chosen_targets(self):
        team_id = self.team.currentData()
        return [t for t in self.targets if team_id in (ALL_TEAMS, t.team_id)]


def start_format_export(parent: QWidget | None, ctx, actor_id: int, cycle_id: int, targets,
                        folder: Path, on_done: Callable[[list[Path], bool], None] | None = None
                        ) -> tuple[Job, QProgressDialog]:
    """Export ``targets`` into ``folder`` in a thread behind a cancellable progress dialog."""
    from kinerja_desktop.atomic import write_chosen_file
    from kinerja_desktop.services import workbooks

    targets = list(targets)

    def work(report, cancelled) -> list[Path]:
        written: list[Path] = []
        for index, target in enumerate(targets):
            if cancelled():
                break
            report(index, len(targets), f"Mengekspor {target.team_name}…")
            content = workbooks.export_team_workbook(ctx, actor_id, cycle_id, target.team_id)
            path = folder / target.file_name
            write_chosen_file(path, content)
            written.append(path)
        report(len(targets), len(targets), "Selesai.")
        return written

    dialog = QProgressDialog("Menyiapkan ekspor…", "Batal", 0, len(targets), parent)
    dialog.setObjectName("progresEkspor")
    dialog.setWindowTitle("Ekspor Format Tim")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    job = Job(work)
    dialog.job = job  # kept alive with the dialog until its signals are delivered

    def progressed(done: int, total: int, text: str) -> None:
        if dialog.wasCanceled():
            job.cancel()
            return
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(text)

    def finished(written: list[Path]) -> None:
        dialog.close()
        stopped = job.cancelled and len(written) < len(targets)
        if on_done is not None:
            on_done(written, stopped)
        names = "\n".join(p.name for p in written)
        head = (f"Ekspor dibatalkan: {len(written)} dari {len(targets)} berkas sempat ditulis."
                if stopped else f"{len(written)} berkas ditulis ke {folder}:")
        _message(parent, "Ekspor Format Tim", f"{head}\n\n{names}".strip())

    def failed(exc: BaseException) -> None:
        dialog.close()
        if on_done is not None:
            on_done([], True)
        if isinstance(exc, KinerjaError | OSError):
            _message(parent, "Ekspor gagal", user_text(exc), QMessageBox.Icon.Warning)
            return
        raise exc

    dialog.canceled.connect(job.cancel)
    job.progressed.connect(progressed)
    job.succeeded.connect(finished)
    job.failed.connect(failed)
    dialog.show()
    job.start()
    return job, dialog


# --------------------------------------------------------------------------- import


class ImportFormatDialog(QDialog):
    """Shows the validation report of a team workbook; Terapkan applies it (or Batal)."""

    applied = Signal(object)  # the final ImportReport

    def __init__(self, ctx, actor_id: int, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor_id, self.path = ctx, actor_id, Path(path)
        self.report = None
        self.job: Job | None = None
        self.setWindowTitle(f"Impor Format Tim — {self.path.name}")
        self.setObjectName("dialogImporFormat")
        self.summary = QLabel("Memeriksa berkas…")
        self.summary.setObjectName("ringkasanImpor")
        self.summary.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("laporanImpor")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton("Terapkan",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("tombolTerapkan")
        self.cancel_button = self.buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self._apply)
        self.cancel_button.clicked.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        size_window(self, 820, 480)
        self._run(dry_run=True)

    def _run(self, dry_run: bool) -> None:
        from kinerja_desktop.services import workbooks

        def work(_report, cancelled):
            return workbooks.import_workbook(self.ctx, self.actor_id, self.path, dry_run=dry_run,
                                             cancelled=cancelled)

        self.apply_button.setEnabled(False)
        self.cancel_button.setEnabled(True)  # Batal stops the reading or the import itself
        self.job = Job(work)
        self.job.succeeded.connect(self._checked if dry_run else self._done)
        self.job.failed.connect(self._failed)
        self.job.start()

    def _cancel(self) -> None:
        """Batal: stop the work still running (nothing is changed), then close."""
        if self.job is not None and self.job.thread is not None and self.job.thread.is_alive():
            self.job.cancel()
            self.summary.setText("Membatalkan…")
            self.cancel_button.setEnabled(False)
            return  # closed once the worker has stopped (_failed with Cancelled)
        self.reject()

    def _checked(self, report) -> None:
        self.report = report
        self.text.setPlainText("\n".join(report.lines()))
        if report.valid and report.permission_problem:
            self.summary.setText(f"Berkas valid: {report.items_changed} butir akan berubah. "
                                 f"{report.permission_problem}")
            self.summary.setStyleSheet("")
            return
        if report.ok:
            changes = report.items_changed
            self.summary.setText(
                f"Berkas valid: {changes} butir akan berubah, {report.unchanged} tidak berubah"
                + (f", {len(report.warnings)} peringatan" if report.warnings else "")
                + ". Belum ada data yang diubah. Tekan Terapkan untuk menyimpan.")
            self.apply_button.setEnabled(True)
        else:
            self.summary.setText(f"Berkas tidak dapat diimpor: {report.error_count} kesalahan. "
                                 "Tidak ada data yang diubah.")
        self.summary.setStyleSheet("" if report.ok else ERROR_STYLE)

    def _apply(self) -> None:
        self.summary.setText("Menerapkan…")
        self._run(dry_run=False)

    def _done(self, report) -> None:
        self.report = report
        self.text.setPlainText("\n".join(report.lines()))
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Tutup")
        if report.applied:
            self.summary.setText(f"Impor selesai: {report.items_changed} butir disimpan.")
            self.applied.emit(report)
        else:
            self.summary.setText("Impor dibatalkan: berkas berubah atau data tidak lagi cocok; "
                                 "tidak ada data yang diubah.")
            self.summary.setStyleSheet(ERROR_STYLE)

    def _failed(self, exc: BaseException) -> None:
        from kinerja_desktop.domain.errors import Cancelled

        if isinstance(exc, Cancelled) and not self.isVisible():
            return
        if isinstance(exc, Cancelled):
            self.reject()
            return
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Tutup")
        if isinstance(exc, KinerjaError | OSError):
            self.summary.setText(str(exc))
            self.summary.setStyleSheet(ERROR_STYLE)
            self.text.setPlainText("Tidak ada data yang diubah.")
            return
        raise exc


# --------------------------------------------------------------------------- actions


def viewed_cycle(window) -> int | None:
    session = getattr(window, "session", None)
    return getattr(session, "cycle_id", None)


def export_formats(window) -> tuple[Job, QProgressDialog] | None:
    cycle_id = viewed_cycle(window)
    if cycle_id is None:
        show_error(window, KinerjaError("Belum ada siklus yang dipilih."))
        return None
    try:
        dialog = ExportFormatDialog(window.ctx, cycle_id, window)
    except KinerjaError as exc:
        show_error(window, exc)
        return None
    if not dialog.targets:
        show_error(window, KinerjaError("Siklus ini belum memiliki indikator untuk tim mana "
                                        "pun."))
        return None
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    folder = Path(dialog.folder.text()).expanduser()
    if not folder.is_dir():
        show_error(window, KinerjaError(f"Folder {folder} tidak ditemukan."))
        return None
    remember_folder("format_tim", folder)
    return start_format_export(window, window.ctx, window.current_user_id, cycle_id,
                               dialog.chosen_targets(), folder)


def import_format(window, path: Path | None = None) -> ImportFormatDialog | None:
    if path is None:
        path = open_file(window, "Pilih buku kerja tim", XLSX_FILTER, purpose="format_tim")
        if path is None:
            return None
    dialog = ImportFormatDialog(window.ctx, window.current_user_id, path, window)
    dialog.applied.connect(lambda _r: window.signals.data_changed.emit(CHANGE_ENTRY))
    dialog.open()
    return dialog


def export_compiled(window, path: Path | None = None) -> Job | None:
    """Berkas ▸ Ekspor Excel…: the compiled Dokumen Data Kinerja of the viewed cycle."""
    from kinerja_desktop.services import cycles

    cycle_id = viewed_cycle(window)
    if cycle_id is None:
        show_error(window, KinerjaError("Belum ada siklus yang dipilih."))
        return None
    cycle = cycles.get_cycle(window.ctx, cycle_id)
    if path is None:
        path = save_file(window, "Ekspor Excel", f"Dokumen Data Kinerja {cycle.year}.xlsx",
                         XLSX_FILTER, purpose="excel")
        if path is None:
            return None
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")

    def work(_report, _cancelled) -> Path:
        from kinerja_desktop.atomic import write_chosen_file
        from kinerja_desktop.services.document_data.compiled_report import compiled_report_data
        from kinerja_desktop.spreadsheets.compiled_workbook import render_compiled_workbook

        write_chosen_file(path, render_compiled_workbook(compiled_report_data(window.ctx,
                                                                              cycle_id)))
        return path

    job = Job(work)
    job.succeeded.connect(lambda p: (_message(window, "Ekspor Excel", f"Berkas ditulis: {p}"),
                                     window.signals.data_changed.emit(CHANGE_DOCUMENTS)))
    job.failed.connect(lambda exc: _message(window, "Ekspor Excel gagal", user_text(exc),
                                            QMessageBox.Icon.Warning))
    window.statusBar().showMessage("Menyusun buku kerja Excel…", 3000)
    job.start()
    window._workbook_job = job  # keep a reference while the thread runs
    return job

"""Printing: Berkas ▸ Cetak… (Ctrl+P) and Berkas ▸ Ekspor PDF…, the preview, step 7.

- The two Berkas entries are installed by ``menu_actions.install_print_actions``.
- :class:`DocumentChooser` lets the user pick the document (Dokumen Data Kinerja, Lembar
  SOP, Monitoring Pelaksanaan SOP, Berita Acara Verifikasi, Tanda Terima).
- Documents are produced off the GUI thread (:func:`run_in_background`: a QRunnable on
  the global QThreadPool reporting through signals, behind a QProgressDialog; the worker
  never touches a widget).
- :class:`PdfPreviewDialog` shows the pages (QPdfDocument rendered on white), prints
  through QPrintDialog (printer and page range) with QPrinter/QPainter, and saves.
- :func:`open_document_preview` reopens an archived document (Arsip tab).
- :func:`compile_for_step` compiles and archives the Dokumen Data Kinerja before step 7
  is finished.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEventLoop,
    QIODevice,
    QObject,
    QRect,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.ui.common import show_error
from kinerja_desktop.ui.signals import CHANGE_DOCUMENTS

PREVIEW_WIDTH = 760  # pixels of a page in the preview
MAX_PRINT_DPI = 300


# --------------------------------------------------------------------------- background work


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


# --------------------------------------------------------------------------- preview


def page_image(document, page: int, width: int) -> QImage:
    """One page rendered at ``width`` pixels on a white background."""
    size = document.pagePointSize(page)
    height = max(1, round(width * size.height() / max(size.width(), 1)))
    rendered = document.render(page, QSize(width, height))
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


class PdfPreviewDialog(QDialog):
    """Preview of a PDF with Cetak…, Simpan PDF… and Tutup."""

    def __init__(self, pdf: bytes, title: str, file_name: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        from PySide6.QtPdf import QPdfDocument

        self.setObjectName("pratinjauCetak")
        self.setWindowTitle(f"Pratinjau — {title}")
        self.pdf = pdf
        self.title = title
        self.file_name = file_name
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready or self.page_count() == 0:
            raise KinerjaError("Berkas PDF tidak dapat dibuka untuk pratinjau.")

        self.page_label = QLabel()
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_label.setObjectName("halamanPratinjau")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll.setStyleSheet("QScrollArea { background: #7a7a7a; }")
        scroll.setWidget(self.page_label)
        self.spin = QSpinBox()
        self.spin.setRange(1, self.page_count())
        self.spin.valueChanged.connect(self.show_page)
        self.count_label = QLabel(f"dari {self.page_count()}")
        self.prev_button = QPushButton("◀ Sebelumnya")
        self.next_button = QPushButton("Berikutnya ▶")
        self.prev_button.clicked.connect(lambda: self.spin.setValue(self.spin.value() - 1))
        self.next_button.clicked.connect(lambda: self.spin.setValue(self.spin.value() + 1))
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addStretch(1)
        nav.addWidget(QLabel("Halaman"))
        nav.addWidget(self.spin)
        nav.addWidget(self.count_label)
        nav.addStretch(1)
        nav.addWidget(self.next_button)

        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("Cetak…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton("Simpan PDF…",
                                             QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_pdf)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(nav)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(PREVIEW_WIDTH + 80, 900)
        self.show_page(1)

    def page_count(self) -> int:
        return self.document.pageCount()

    def show_page(self, number: int) -> None:
        image = page_image(self.document, number - 1, PREVIEW_WIDTH)
        self.page_label.setPixmap(QPixmap.fromImage(image))
        self.prev_button.setEnabled(number > 1)
        self.next_button.setEnabled(number < self.page_count())

    def save_pdf(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Simpan PDF", self.file_name,
                                              "Dokumen PDF (*.pdf)")
        if name:
            save_pdf_file(self, Path(name), self.pdf)

    def print_document(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Cetak")
        dialog.setMinMax(1, self.page_count())
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        first, last = 1, self.page_count()
        if printer.printRange() == QPrinter.PrintRange.PageRange:
            first = max(1, printer.fromPage())
            last = min(self.page_count(), printer.toPage() or self.page_count())
        self.print_pages(printer, first, last)

    def print_pages(self, printer, first: int, last: int) -> int:
        """Paint pages ``first``..``last`` (1-based) on ``printer``; returns pages printed."""
        painter = QPainter()
        if not painter.begin(printer):
            show_error(self, KinerjaError("Printer tidak dapat dipakai."))
            return 0
        printed = 0
        try:
            for number in range(first, last + 1):
                if printed:
                    printer.newPage()
                target: QRect = painter.viewport()
                dpi = min(printer.resolution(), MAX_PRINT_DPI)
                size = self.document.pagePointSize(number - 1)
                width_px = max(1, round(size.width() / 72 * dpi))
                image = page_image(self.document, number - 1, width_px)
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(target.x(), target.y(), scaled.width(),
                                        scaled.height()), image)
                printed += 1
        finally:
            painter.end()
        return printed


def save_pdf_file(parent: QWidget | None, path: Path, pdf: bytes) -> bool:
    from kinerja_desktop.atomic import atomic_write_bytes

    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(path.suffix + ".pdf") if path.suffix else path.with_suffix(".pdf")
    try:
        atomic_write_bytes(path, pdf)
    except OSError as exc:
        show_error(parent, KinerjaError(f"Berkas {path} tidak dapat disimpan: "
                                        f"{exc.strerror or exc}"))
        return False
    return True


# --------------------------------------------------------------------------- choosing


@dataclass(frozen=True)
class DocumentRequest:
    """What to produce: ``kind`` (documents.KIND_LABELS key) and its subject."""

    kind: str
    cycle_id: int | None = None
    submission_id: int | None = None
    team_id: int | None = None
    sop_id: int | None = None  # Lembar SOP of one version (current when None)


def produce(ctx, request: DocumentRequest) -> tuple[bytes, str, str]:
    """(pdf bytes, title, file name) for a request. Runs on a worker thread."""
    from kinerja_desktop.services import cycles, documents

    label = ""
    if request.cycle_id is not None:
        label = cycles.get_cycle(ctx, request.cycle_id).label
    if request.kind == "dokumen_data_kinerja":
        return (documents.compiled_report_pdf(ctx, request.cycle_id),
                f"Dokumen Data Kinerja {label}", f"Dokumen Data Kinerja {label}.pdf")
    if request.kind == "lembar_sop":
        return documents.sop_sheet_pdf(ctx, request.sop_id), "Lembar SOP", "Lembar SOP.pdf"
    if request.kind == "monitoring_sop":
        return (documents.monitoring_pdf(ctx, request.cycle_id),
                f"Monitoring Pelaksanaan SOP {label}", f"Monitoring SOP {label}.pdf")
    if request.kind == "berita_acara":
        return (documents.verification_record_pdf(ctx, request.cycle_id, request.team_id),
                f"Berita Acara Verifikasi {label}", f"Berita Acara Verifikasi {label}.pdf")
    if request.kind == "tanda_terima":
        return (documents.receipt_pdf(ctx, request.submission_id),
                f"Tanda Terima {label}", f"Tanda Terima {label}.pdf")
    raise KinerjaError(f"Jenis dokumen '{request.kind}' tidak dikenal.")


class DocumentChooser(QDialog):
    """Pick the document to print or export, for the cycle shown in the window."""

    CHOICES = (
        ("dokumen_data_kinerja", "Dokumen Data Kinerja", True),
        ("monitoring_sop", "Monitoring Pelaksanaan SOP", True),
        ("berita_acara", "Berita Acara Verifikasi", True),
        ("tanda_terima", "Tanda Terima penyerahan data", True),
        ("lembar_sop", "Lembar SOP (format PermenPAN-RB 35/2012)", False),
    )

    def __init__(self, ctx, cycle_id: int | None, ok_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kinerja_desktop.services import cycles, submissions, teams

        self.setObjectName("pilihDokumen")
        self.setWindowTitle("Pilih dokumen")
        self.ctx, self.cycle_id = ctx, cycle_id
        layout = QVBoxLayout(self)
        if cycle_id is not None:
            cycle = cycles.get_cycle(ctx, cycle_id)
            layout.addWidget(QLabel(f"Siklus: <b>{cycle.label}</b>"))
        else:
            layout.addWidget(QLabel("Belum ada siklus; hanya Lembar SOP yang dapat dicetak."))
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for kind, label, needs_cycle in self.CHOICES:
            radio = QRadioButton(label)
            radio.setEnabled(cycle_id is not None or not needs_cycle)
            self.group.addButton(radio)
            self.radios[kind] = radio
            layout.addWidget(radio)
            if kind == "berita_acara":
                self.team_combo = QComboBox()
                self.team_combo.addItem("Semua tim", None)
                for team in teams.list_teams(ctx):
                    self.team_combo.addItem(team.name, team.id)
                layout.addWidget(self._indented(self.team_combo))
            if kind == "tanda_terima":
                self.submission_combo = QComboBox()
                subs = submissions.list_submissions(ctx, cycle_id) if cycle_id else []
                for sub in subs:
                    self.submission_combo.addItem(
                        f"{sub.team_name} — versi {sub.version}", sub.id)
                radio.setEnabled(bool(subs))
                layout.addWidget(self._indented(self.submission_combo))
        first = next(r for r in self.radios.values() if r.isEnabled())
        first.setChecked(True)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _indented(widget: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(24, 0, 0, 0)
        row.addWidget(widget, 1)
        return box

    def select(self, kind: str) -> None:
        self.radios[kind].setChecked(True)

    def request(self) -> DocumentRequest:
        kind = next(k for k, r in self.radios.items() if r.isChecked())
        if kind == "lembar_sop":
            return DocumentRequest(kind)
        if kind == "berita_acara":
            return DocumentRequest(kind, self.cycle_id, team_id=self.team_combo.currentData())
        if kind == "tanda_terima":
            return DocumentRequest(kind, self.cycle_id,
                                   submission_id=self.submission_combo.currentData())
        return DocumentRequest(kind, self.cycle_id)


# --------------------------------------------------------------------------- entry points


def preview_request(parent: QWidget | None, ctx, request: DocumentRequest
                    ) -> PdfPreviewDialog | None:
    """Produce the document in the background, then open the preview (returned, shown)."""
    ok, result = run_in_background(parent, "Menyusun dokumen…", lambda: produce(ctx, request))
    if not ok:
        return None
    pdf, title, file_name = result
    try:
        dialog = PdfPreviewDialog(pdf, title, file_name, parent)
    except KinerjaError as exc:
        show_error(parent, exc)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def print_dialog(window) -> PdfPreviewDialog | None:
    """Berkas ▸ Cetak…: choose, produce, preview."""
    chooser = DocumentChooser(window.ctx, window.session.cycle_id, "Pratinjau…", window)
    if chooser.exec() != QDialog.DialogCode.Accepted:
        return None
    return preview_request(window, window.ctx, chooser.request())


def export_pdf(window) -> Path | None:
    """Berkas ▸ Ekspor PDF…: choose, produce, save."""
    chooser = DocumentChooser(window.ctx, window.session.cycle_id, "Ekspor…", window)
    if chooser.exec() != QDialog.DialogCode.Accepted:
        return None
    request = chooser.request()
    ok, result = run_in_background(window, "Menyusun dokumen…",
                                   lambda: produce(window.ctx, request))
    if not ok:
        return None
    pdf, _title, file_name = result
    name, _ = QFileDialog.getSaveFileName(window, "Ekspor PDF", file_name, "Dokumen PDF (*.pdf)")
    if not name:
        return None
    path = Path(name)
    return path if save_pdf_file(window, path, pdf) else None


def preview_sop_sheet(parent: QWidget | None, ctx, sop_id: int | None
                      ) -> PdfPreviewDialog | None:
    """Data ▸ SOP: preview (and print) the SOP sheet of one SOP version."""
    return preview_request(parent, ctx, DocumentRequest("lembar_sop", sop_id=sop_id))


def open_document_preview(parent: QWidget | None, ctx, document_id: int
                          ) -> PdfPreviewDialog | None:
    """Reopen an archived document (checked against its SHA-256) for viewing or reprinting."""
    from kinerja_desktop.services import documents

    try:
        content = documents.document_content(ctx, document_id)
        info = next((d for d in documents.list_documents(ctx) if d.id == document_id), None)
        title = info.title if info else "Dokumen"
        dialog = PdfPreviewDialog(content, title, info.file_name if info else "dokumen.pdf",
                                  parent)
    except KinerjaError as exc:
        show_error(parent, exc)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def compile_for_step(parent: QWidget | None, session) -> bool:
    """Before step 7 is finished: compile and archive the Dokumen Data Kinerja.

    Returns True when the document is in the archive (the step may then finish).
    """
    from kinerja_desktop.services import documents

    ctx, user_id, cycle_id = session.ctx, session.user_id, session.cycle_id
    ok, _info = run_in_background(
        parent, "Mengompilasi Dokumen Data Kinerja…",
        lambda: documents.compile_and_archive(ctx, user_id, cycle_id))
    if ok:
        session.changed(CHANGE_DOCUMENTS)
    return ok

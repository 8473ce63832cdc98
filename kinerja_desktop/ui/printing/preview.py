""":class:`PdfPreviewDialog` shows a PDF's pages (QPdfDocument rendered on white), prints
through QPrintDialog (printer and page range) with QPrinter/QPainter, and saves.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.ui.common import show_error
from kinerja_desktop.ui.sizing import size_window

PREVIEW_WIDTH = 760  # pixels of a page in the preview
PDF_FILTER = "Dokumen PDF (*.pdf)"
MAX_PRINT_DPI = 300


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
    """Preview of a PDF with Cetak…, Simpan PDF… and Tutup; with ``proceed_text`` also a
    button that accepts the dialog (the next step of a flow, e.g. closing a cycle)."""

    def __init__(self, pdf: bytes, title: str, file_name: str, parent: QWidget | None = None,
                 proceed_text: str | None = None) -> None:
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
        self.proceed_button = None
        if proceed_text:
            self.proceed_button = buttons.addButton(proceed_text,
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
            self.proceed_button.clicked.connect(self.accept)
        close = buttons.addButton("Batal" if proceed_text else "Tutup",
                                  QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_pdf)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(nav)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        # As tall as the screen allows: a whole A4 page needs about 1075 pixels.
        size_window(self, PREVIEW_WIDTH + 80, 1100)
        self.show_page(1)

    def page_count(self) -> int:
        return self.document.pageCount()

    def show_page(self, number: int) -> None:
        image = page_image(self.document, number - 1, PREVIEW_WIDTH)
        self.page_label.setPixmap(QPixmap.fromImage(image))
        self.prev_button.setEnabled(number > 1)
        self.next_button.setEnabled(number < self.page_count())

    def save_pdf(self) -> None:
        from kinerja_desktop.ui.dialogs.files import save_file

        path = save_file(self, "Simpan PDF", self.file_name, PDF_FILTER, purpose="pdf")
        if path is not None:
            save_pdf_file(self, path, self.pdf)

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
    from kinerja_desktop.atomic import write_chosen_file

    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(path.suffix + ".pdf") if path.suffix else path.with_suffix(".pdf")
    try:
        write_chosen_file(path, pdf)
    except KinerjaError as exc:
        show_error(parent, exc)
        return False
    return True

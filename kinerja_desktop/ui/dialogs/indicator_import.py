"""Import of the indicator master from Excel: the validation report first (nothing
changed), then Terapkan writes everything at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.ui.common import ERROR_STYLE


class ImportIndicatorsDialog(QDialog):
    """Shows the check of an indicator master workbook; Terapkan applies it (or Batal)."""

    applied = Signal(object)  # the final IndicatorImportReport

    def __init__(self, ctx, actor_id: int, path: Path, year: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor_id, self.path, self.year = ctx, actor_id, Path(path), year
        self.report = None
        self.setWindowTitle(f"Impor Master Indikator — {self.path.name}")
        self.setObjectName("dialogImporIndikator")
        self.summary = QLabel()
        self.summary.setObjectName("ringkasanImporIndikator")
        self.summary.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("laporanImporIndikator")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton("Terapkan",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Batal",
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self.resize(820, 480)
        self._run(dry_run=True)

    def _run(self, dry_run: bool) -> None:
        from kinerja_desktop.services import indicator_import

        self.apply_button.setEnabled(False)
        try:
            report = indicator_import.import_indicators(self.ctx, self.actor_id, self.path,
                                                        self.year, dry_run=dry_run)
        except KinerjaError as exc:
            self.summary.setText(str(exc))
            self.summary.setStyleSheet(ERROR_STYLE)
            self.text.setPlainText("Tidak ada data yang diubah.")
            self.cancel_button.setText("Tutup")
            return
        self.report = report
        self.text.setPlainText("\n".join(report.lines()))
        self.summary.setStyleSheet("" if report.ok else ERROR_STYLE)
        if not report.ok:
            self.summary.setText(f"Berkas tidak dapat diimpor: {len(report.errors)} "
                                 "kesalahan. Tidak ada data yang diubah.")
            self.cancel_button.setText("Tutup")
        elif dry_run:
            self.summary.setText(
                f"Berkas valid: {len(report.created)} indikator baru, {len(report.updated)} "
                f"diperbarui, {report.unchanged} tidak berubah. Belum ada data yang diubah; "
                "tekan Terapkan untuk menyimpan.")
            self.apply_button.setEnabled(bool(report.created or report.updated))
        else:
            self.summary.setText(f"Impor selesai: {len(report.created)} indikator baru, "
                                 f"{len(report.updated)} diperbarui.")
            self.cancel_button.setText("Tutup")
            self.applied.emit(report)

    def apply(self) -> None:
        self._run(dry_run=False)

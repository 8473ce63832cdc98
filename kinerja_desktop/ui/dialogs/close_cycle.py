"""Closing a cycle (step 7, after the draft was previewed) and reopening it for correction.

:class:`CloseCycleDialog` asks to confirm that the cycle will be closed, optionally with
a signing date; :class:`ReopenCycleDialog` asks the reason for "Buka kembali untuk
perbaikan" and reopens the cycle.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QLabel, QPlainTextEdit, QWidget

from kinerja_desktop.ui.common import DateEdit, FormDialog
from kinerja_desktop.ui.widgets.text_limits import limit_text


class CloseCycleDialog(FormDialog):
    """"Tutup siklus?": what closing means, and an optional signing date.

    ``result_value`` after acceptance: the chosen signing date, or None (the day of
    closing).
    """

    def __init__(self, cycle_label: str, version_label: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__("Tutup siklus", parent, ok_text="Ya, tutup siklus")
        self.setObjectName("tutupSiklus")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        self.set_intro(
            f"<p>Dokumen Data Kinerja <b>{cycle_label}</b> akan dikompilasi sebagai dokumen "
            f"resmi (<b>{version_label}</b>), ditandatangani Kepala Dinas, dan disimpan di "
            "arsip dengan kode SHA-256.</p>"
            f"<p><b>Siklus {cycle_label} akan ditutup.</b> Setelah ditutup, data siklus ini "
            "tidak dapat diubah lagi; setiap cetak ulang memberikan dokumen yang sama. "
            "Perbaikan hanya melalui <i>Buka kembali untuk perbaikan</i> (dengan alasan), "
            "yang menghasilkan revisi baru.</p>")
        self.own_date = QCheckBox("Gunakan tanggal penandatanganan lain")
        self.date_edit = DateEdit(today)
        self.date_edit.setEnabled(False)
        self.own_date.toggled.connect(self.date_edit.setEnabled)
        self.form.addRow(self.own_date)
        self.form.addRow("Tanggal penandatanganan:", self.date_edit)
        note = QLabel("Tanpa pilihan ini dokumen bertanggal hari penutupan.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.form.addRow(note)
        self.resize(560, 320)

    def save(self) -> date | None:
        return self.date_edit.value() if self.own_date.isChecked() else None


class ReopenCycleDialog(FormDialog):
    """"Buka kembali untuk perbaikan": the reason is required and kept in the audit log."""

    def __init__(self, ctx, user_id: int, cycle_id: int, cycle_label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__("Buka kembali untuk perbaikan", parent, ok_text="Buka kembali")
        self.setObjectName("bukaKembali")
        self.ctx, self.user_id, self.cycle_id = ctx, user_id, cycle_id
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        self.set_intro(
            f"<p>Siklus <b>{cycle_label}</b> sudah ditutup. Membukanya kembali mengizinkan "
            "perbaikan: Kasubag dapat mengembalikan indikator yang sudah diverifikasi kepada "
            "timnya, lalu langkah 7 dijalankan lagi dan menghasilkan revisi baru. Dokumen "
            "yang sudah diarsipkan tetap tersimpan.</p><p>Tuliskan alasannya (wajib, "
            "tercatat di log audit):</p>")
        self.reason_edit = limit_text(QPlainTextEdit(), "record_versions.reopen_reason")
        self.reason_edit.setObjectName("alasanBukaKembali")
        self.reason_edit.setMinimumHeight(90)
        self.form.addRow(self.reason_edit)
        self.resize(560, 320)

    def save(self):
        from kinerja_desktop.services import cycles

        return cycles.reopen_cycle(self.ctx, self.user_id, self.cycle_id,
                                   self.reason_edit.toPlainText())

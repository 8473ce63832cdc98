"""Dialogs of step 1: a new cycle with its SK (number, date, issuer, optional scanned
file), or a corrected SK. Steps 2, 4–6 have their own screens (format builder, team
entry, verification desk).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from kinerja_desktop.ui.common import DateEdit, FormDialog, RecordDialog, today
from kinerja_desktop.ui.sizing import size_window
from kinerja_desktop.ui.widgets.text_limits import limit_line

DEFAULT_SK_ISSUER = "Inspektur Provinsi Sulawesi Selatan"


class FilePicker(QWidget):
    """A read-only path with Pilih… and Hapus buttons."""

    def __init__(self, caption: str, filter_text: str, parent=None) -> None:
        super().__init__(parent)
        self.caption, self.filter_text = caption, filter_text
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("(tidak ada berkas)")
        choose = QPushButton("Pilih…")
        clear = QPushButton("Hapus")
        choose.clicked.connect(self._choose)
        clear.clicked.connect(lambda: self.path_edit.clear())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.path_edit, 1)
        layout.addWidget(choose)
        layout.addWidget(clear)

    def _choose(self) -> None:
        from kinerja_desktop.ui.dialogs.files import open_file

        chosen = open_file(self, self.caption, self.filter_text, purpose="sk")
        if chosen is not None:
            self.path_edit.setText(str(chosen))

    def path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text) if text else None

    def set_path(self, path: Path | None) -> None:
        self.path_edit.setText(str(path) if path else "")


class SkFields:
    """The SK fields shared by the new-cycle and edit-SK dialogs."""

    def __init__(self, dialog: FormDialog, cycle=None, default_date: date | None = None) -> None:
        self.number = limit_line(QLineEdit(cycle.sk_number if cycle else ""), "cycles.sk_number")
        self.number.setPlaceholderText("mis. 800/123/Itprov/I/2026")
        self.date = DateEdit(cycle.sk_date if cycle else default_date)
        self.issuer = limit_line(QLineEdit(cycle.sk_issuer if cycle else DEFAULT_SK_ISSUER),
                                 "cycles.sk_issuer")
        self.file = FilePicker("Pindaian SK", "Dokumen (*.pdf *.jpg *.jpeg *.png);;Semua (*)")
        dialog.form.addRow("Nomor SK:", self.number)
        dialog.form.addRow("Tanggal SK:", self.date)
        dialog.form.addRow("Penerbit SK:", self.issuer)
        label = "Pindaian SK (opsional):"
        if cycle is not None and cycle.sk_file_name:
            label = f"Ganti pindaian ({cycle.sk_file_name}):"
        dialog.form.addRow(label, self.file)


class NewCycleDialog(FormDialog):
    """Step 1: the Sekretaris starts a cycle with the SK Inspektur."""

    def __init__(self, session, parent=None) -> None:
        super().__init__("Siklus baru", parent, ok_text="Mulai siklus")
        self.session = session
        self.set_intro("Langkah 1: Ketua Tim Penyusun (Sekretaris) memerintahkan pengumpulan data "
                       "kinerja berdasarkan SK Inspektur. Siklus memakai versi SOP yang berlaku "
                       "saat ini.")
        now = today(session.ctx)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(now.year - 1)
        self.quarter = QComboBox()
        self.quarter.addItem("Tahunan", None)
        for q in range(1, 5):
            self.quarter.addItem(f"Triwulan {q}", q)
        self.form.addRow("Tahun data:", self.year)
        self.form.addRow("Periode:", self.quarter)
        self.sk = SkFields(self, default_date=now)
        self.note = limit_line(QLineEdit(), "cycles.note")
        self.form.addRow("Catatan:", self.note)
        size_window(self, 560, self.sizeHint().height())

    def save(self):
        from kinerja_desktop.services import cycles

        return cycles.start_cycle(
            self.session.ctx, self.session.user_id, self.year.value(), self.sk.number.text(),
            self.sk.date.value(), self.sk.issuer.text(), self.quarter.currentData(),
            self.sk.file.path(), self.note.text())


class EditSkDialog(RecordDialog):
    def __init__(self, session, cycle, parent=None) -> None:
        super().__init__(f"Ubah SK — siklus {cycle.label}", parent)
        self.session, self.cycle = session, cycle
        self.set_intro("SK dapat diperbaiki selama langkah 1 belum selesai.")
        self.sk = SkFields(self, cycle)
        size_window(self, 560, self.sizeHint().height())

    def fill(self, cycle) -> None:
        self.sk.number.setText(cycle.sk_number)
        self.sk.date.set_date(cycle.sk_date)
        self.sk.issuer.setText(cycle.sk_issuer)
        self.sk.file.set_path(None)

    def read_stored(self):
        from kinerja_desktop.services import cycles

        return cycles.get_cycle(self.session.ctx, self.cycle.id)

    def adopt(self, cycle) -> None:
        self.cycle = cycle

    def save(self):
        from kinerja_desktop.services import cycles

        return cycles.update_sk(self.session.ctx, self.session.user_id, self.cycle.id,
                                self.sk.number.text(), self.sk.date.value(),
                                self.sk.issuer.text(), self.sk.file.path(),
                                expected_version=self.cycle.version)

"""Indonesian whatever the system language: Qt's locale and its own strings."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QTableView,
    QToolButton,
    QTreeView,
    QWizard,
    QWizardPage,
)

pytestmark = pytest.mark.gui


def plain(text: str) -> str:
    """A menu or button text as the user reads it (no accelerator, no shortcut)."""
    return text.split("\t")[0].replace("&", "")


def test_make_application_speaks_indonesian(qapp):
    from kinerja_desktop.app import make_application

    app = make_application()
    assert app is qapp
    assert app._kinerja_translator is not None  # type: ignore[attr-defined]
    assert QLocale().name() == "id_ID"
    assert QLocale().toString(QDate(2026, 12, 2), "d MMMM yyyy") == "2 Desember 2026"
    assert QLocale().toString(1234.5, "f", 1) == "1.234,5"


def test_text_field_context_menus_are_indonesian(qtbot):
    line = QLineEdit("teks")
    qtbot.addWidget(line)
    texts = [plain(a.text()) for a in line.createStandardContextMenu().actions() if a.text()]
    assert texts == ["Urungkan", "Ulangi", "Potong", "Salin", "Tempel", "Hapus", "Pilih semua"]
    area = QPlainTextEdit("teks")
    qtbot.addWidget(area)
    texts = [plain(a.text()) for a in area.createStandardContextMenu().actions() if a.text()]
    assert texts[:3] == ["Urungkan", "Ulangi", "Potong"] and "Pilih semua" in texts


def test_standard_buttons_message_box_wizard_and_progress(qtbot):
    buttons = QDialogButtonBox()
    for standard in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel,
                     QDialogButtonBox.StandardButton.Save, QDialogButtonBox.StandardButton.Close,
                     QDialogButtonBox.StandardButton.Apply, QDialogButtonBox.StandardButton.Yes,
                     QDialogButtonBox.StandardButton.No, QDialogButtonBox.StandardButton.Open):
        buttons.addButton(standard)
    qtbot.addWidget(buttons)
    assert sorted(plain(b.text()) for b in buttons.buttons()) == sorted(
        ["Oke", "Batal", "Simpan", "Tutup", "Terapkan", "Ya", "Tidak", "Buka"])

    box = QMessageBox(QMessageBox.Icon.Warning, "Judul", "Pesan")
    box.setDetailedText("Rincian")
    qtbot.addWidget(box)
    box.show()
    details = [plain(b.text()) for b in box.findChildren(QPushButton)]
    assert any(t.startswith("Tampilkan rincian") for t in details), details

    wizard = QWizard()
    wizard.addPage(QWizardPage())
    wizard.addPage(QWizardPage())
    qtbot.addWidget(wizard)
    assert plain(wizard.buttonText(QWizard.WizardButton.NextButton)) == "Lanjut >"
    assert plain(wizard.buttonText(QWizard.WizardButton.BackButton)) == "< Kembali"
    assert plain(wizard.buttonText(QWizard.WizardButton.FinishButton)) == "Selesai"
    assert plain(wizard.buttonText(QWizard.WizardButton.CancelButton)) == "Batal"

    progress = QProgressDialog()
    qtbot.addWidget(progress)
    progress.show()
    assert [plain(b.text()) for b in progress.findChildren(QPushButton)] == ["Batal"]
    progress.cancel()


def test_dates_and_their_calendar_are_indonesian(qtbot):
    from kinerja_desktop.ui.common import DateEdit

    edit = DateEdit(date(2026, 12, 2))
    qtbot.addWidget(edit)
    assert edit.text() == "2 Desember 2026"
    calendar = QCalendarWidget()
    calendar.setSelectedDate(QDate(2026, 12, 2))
    qtbot.addWidget(calendar)
    calendar.show()
    month = calendar.findChild(QToolButton, "qt_calendar_monthbutton")
    assert month.text() == "Desember"
    view = calendar.findChild(QTableView, "qt_calendar_calendarview")
    model = view.model()
    header = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    days = [d for d in header if d]
    assert days[:7] == ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"]  # weeks from Sunday


def test_qt_file_dialog_is_drawn_by_the_program_in_indonesian(qtbot, tmp_path):
    from PySide6.QtWidgets import QFileDialog, QLabel

    from kinerja_desktop.ui.dialogs.files import file_dialog

    dialog = file_dialog(None, "Simpan PDF", purpose="uji", filter_text="Dokumen PDF (*.pdf)",
                         save_as="laporan.pdf", start=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.show()
    labels = {plain(label.text()) for label in dialog.findChildren(QLabel) if label.text()}
    assert {"Cari di:", "Nama berkas:", "Jenis berkas:"} <= labels
    buttons = {plain(b.text()) for b in dialog.findChildren(QPushButton) if b.isVisible()}
    assert {"Simpan", "Batal"} <= buttons
    model = dialog.findChild(QTreeView).model()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert titles == ["Nama", "Ukuran", "Jenis", "Tanggal diubah"]


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="Windows and macOS print dialogs are the system's own")
def test_qt_print_dialog_is_indonesian(qtbot):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    buttons = {plain(b.text()) for b in dialog.findChildren(QPushButton) if b.isVisible()}
    assert "Cetak" in buttons and "Batal" in buttons
    assert not {"Print", "Cancel", "Properties"} & buttons

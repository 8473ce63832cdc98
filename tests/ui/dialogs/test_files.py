"""File choosers: Qt's own dialog, each purpose remembering its last folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def chooser(monkeypatch, qapp):
    """QFileDialog.exec answered with the next path in ``answers`` (None = Batal); every
    dialog shown is kept in ``shown``."""
    answers: list[Path | None] = []
    shown: list[QFileDialog] = []

    def exec_(dialog: QFileDialog) -> int:
        shown.append(dialog)
        answer = answers.pop(0)
        if answer is None:
            return 0
        dialog.selectFile(str(answer))
        return 1

    monkeypatch.setattr(QFileDialog, "exec", exec_)
    return answers, shown


def test_each_purpose_remembers_its_folder_across_restarts(chooser, tmp_path):
    from kinerja_desktop import settings
    from kinerja_desktop.ui.dialogs import files

    answers, shown = chooser
    reports, evidence = tmp_path / "laporan", tmp_path / "bukti"
    reports.mkdir()
    evidence.mkdir()
    (evidence / "foto.jpg").write_bytes(b"x")

    answers.append(reports / "Dokumen.pdf")
    assert files.save_file(None, "Simpan PDF", "Dokumen.pdf", "Dokumen PDF (*.pdf)",
                           purpose="pdf") == reports / "Dokumen.pdf"
    assert shown[-1].testOption(QFileDialog.Option.DontUseNativeDialog)
    assert shown[-1].acceptMode() == QFileDialog.AcceptMode.AcceptSave
    answers.append(evidence / "foto.jpg")
    assert files.open_file(None, "Lampirkan", purpose="bukti") == evidence / "foto.jpg"

    # The program starts again: the settings file is read anew.
    ini = tmp_path / "pengaturan.ini"
    settings.use_ini_file(ini)
    answers.append(None)
    assert files.save_file(None, "Simpan PDF", "Lain.pdf", purpose="pdf") is None
    assert Path(shown[-1].directory().absolutePath()) == reports
    assert Path(shown[-1].selectedFiles()[0]).name == "Lain.pdf"
    answers.append(None)
    files.open_file(None, "Lampirkan", purpose="bukti")
    assert Path(shown[-1].directory().absolutePath()) == evidence
    # A purpose never used starts in the given folder, else in Documents.
    answers.append(None)
    files.open_file(None, "Pulihkan", purpose="cadangan", start=tmp_path)
    assert Path(shown[-1].directory().absolutePath()) == tmp_path
    # Cancelling remembers nothing.
    assert settings.get("folders/cadangan") == ""


def test_a_vanished_folder_falls_back(chooser, tmp_path):
    from kinerja_desktop.ui.dialogs import files

    answers, shown = chooser
    gone = tmp_path / "flashdisk"
    gone.mkdir()
    answers.append(gone)
    assert files.choose_folder(None, "Pilih folder", purpose="format_tim") == gone
    assert shown[-1].fileMode() == QFileDialog.FileMode.Directory
    gone.rmdir()
    assert files.last_folder("format_tim") == files.documents_folder()
    assert files.last_folder("format_tim", start=tmp_path) == tmp_path


def test_the_window_choosers_use_the_helper(chooser, qtbot, ctx, small_office, tmp_path):
    """Berkas ▸ Ekspor PDF… and the SK scan of a new cycle go through the helper."""
    from kinerja_desktop.ui.dialogs.cycle import FilePicker

    answers, shown = chooser
    scan = tmp_path / "sk.pdf"
    scan.write_bytes(b"%PDF-1.4")
    picker = FilePicker("Pindaian SK", "Dokumen (*.pdf)")
    qtbot.addWidget(picker)
    answers.append(scan)
    picker._choose()
    assert picker.path() == scan
    assert shown[-1].windowTitle() == "Pindaian SK"
    assert shown[-1].testOption(QFileDialog.Option.DontUseNativeDialog)

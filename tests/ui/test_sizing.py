"""Windows sized from the screen: the tests run on a 1366×768 offscreen screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def fits(qtbot, window) -> None:
    """The window's frame lies inside the available area once Qt has placed it."""
    from kinerja_desktop.ui.sizing import outside_screen

    try:
        qtbot.waitUntil(lambda: outside_screen(window) == "", timeout=2000)
    except AssertionError:
        pass
    assert outside_screen(window) == "", f"{window.windowTitle()}: {outside_screen(window)}"


def test_the_test_screen_is_a_1366x768_laptop(qapp):
    assert qapp.primaryScreen().availableGeometry() == QRect(0, 0, 1366, 768)


def test_size_window_is_bounded_by_the_usable_area(qtbot):
    from kinerja_desktop.ui.sizing import DECORATION, size_window

    dialog = QDialog()
    qtbot.addWidget(dialog)
    size = size_window(dialog, 1280, 860)
    assert size.width() == 1280
    assert size.height() == 768 - DECORATION.top() - DECORATION.bottom()
    assert size_window(dialog, 400, 300).toTuple() == (400, 300)


def test_a_window_shown_too_large_or_off_screen_is_brought_inside(qtbot):
    """The screen guard (installed like the program's) fixes any window, also Qt's own."""
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("Isi"))
    qtbot.addWidget(dialog)
    dialog.resize(1600, 1100)
    dialog.move(900, 500)
    dialog.show()
    qtbot.waitExposed(dialog)
    fits(qtbot, dialog)


def test_keep_inside_screen_and_the_report_of_a_misfit(qtbot):
    from kinerja_desktop.ui.sizing import keep_inside_screen, outside_screen

    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.resize(500, 400)
    dialog.move(1200, 700)
    assert "di luar area layar 1366×768" in outside_screen(dialog)
    keep_inside_screen(dialog)
    assert outside_screen(dialog) == ""
    assert dialog.size().toTuple() == (500, 400)


def test_main_window_opens_inside_the_screen_even_from_a_larger_remembered_one(qtbot, ctx,
                                                                                small_office):
    from kinerja_desktop import settings
    from kinerja_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx, small_office.kasubag, remember=True)
    qtbot.addWidget(window)
    window.show()
    fits(qtbot, window)
    assert window.width() >= 1300 and window.height() >= 700  # uses the laptop's screen
    # A geometry remembered on a 1920×1080 monitor.
    window.resize(1800, 1000)
    window.move(60, 40)
    window.save_state()
    window.close()
    assert settings.get("window/geometry").size() > 0
    again = MainWindow(ctx, small_office.kasubag, remember=True)
    qtbot.addWidget(again)
    again.show()
    fits(qtbot, again)


def test_preview_fits_and_shows_its_buttons(qtbot):
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from kinerja_desktop.ui.printing.preview import PdfPreviewDialog

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawString(72, 720, "Halaman uji")
    page.showPage()
    page.save()
    dialog = PdfPreviewDialog(buffer.getvalue(), "Uji", "uji.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fits(qtbot, dialog)
    window = dialog.geometry()
    for button in (dialog.print_button, dialog.save_button):
        corner = button.mapTo(dialog, button.rect().bottomRight())
        assert corner.y() < window.height(), "tombol di bawah tepi layar"


def test_every_dialog_opens_inside_the_screen(qtbot, ctx, small_office, tmp_path):
    from kinerja_desktop.services import accounts
    from kinerja_desktop.ui.dialogs.cycle import NewCycleDialog
    from kinerja_desktop.ui.dialogs.files import file_dialog
    from kinerja_desktop.ui.dialogs.guide import GuideDialog
    from kinerja_desktop.ui.dialogs.lock import LockDialog
    from kinerja_desktop.ui.dialogs.login import LoginDialog
    from kinerja_desktop.ui.dialogs.person import PersonDialog
    from kinerja_desktop.ui.dialogs.setup_wizard import SetupWizard
    from kinerja_desktop.ui.dialogs.sop_editor import SopEditorDialog
    from kinerja_desktop.ui.dialogs.team import TeamDialog
    from kinerja_desktop.ui.dialogs.text import TextDialog
    from kinerja_desktop.ui.main_window import MainWindow
    from kinerja_desktop.ui.printing.chooser import DocumentChooser

    window = MainWindow(ctx, small_office.admin, remember=False)
    qtbot.addWidget(window)
    window.show()
    session = window.session
    person = accounts.get_person(ctx, small_office.admin)
    dialogs = [
        NewCycleDialog(session, window), PersonDialog(session, None, window),
        TeamDialog(session, None, window), TextDialog("Catatan", "Tulis:", lambda t: t,
                                                      parent=window),
        GuideDialog(window), LoginDialog(ctx, "Kantor"), LockDialog(ctx, person, 5, window),
        SopEditorDialog(session, window), DocumentChooser(ctx, None, "Pratinjau…", window),
        SetupWizard(ctx), file_dialog(window, "Pilih", purpose="uji", start=tmp_path),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        fits(qtbot, dialog)
        dialog.close()

"""The Berkas and Bantuan entries of the optional features, cheap to install.

Cadangkan…/Pulihkan… (``dialogs.backup``), Panduan (``dialogs.guide``), Cetak…/Ekspor PDF…
(``printing.actions``) and the Excel entries (``dialogs.workbooks``) are created here with
handlers that import their module when the entry is triggered, so opening the main
window does not load those screens. Only this module installs them: the screens
never import it back, so there is no import circle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QKeySequence

from kinerja_desktop.domain.permissions import Role


def _add_to_file_menu(window: Any) -> Callable[[QAction], None]:
    return getattr(window, "add_file_action", None) or window.menu_file.addAction


def install_backup_actions(window: Any, restart: Callable[[], None] | None = None) -> None:
    """Add Berkas ▸ Cadangkan… and Berkas ▸ Pulihkan… (administrator only)."""

    def backup() -> None:
        from kinerja_desktop.ui.dialogs.backup import make_backup

        make_backup(window)

    def restore() -> None:
        from kinerja_desktop.ui.dialogs.backup import relaunch, restore_backup

        restore_backup(window, restart=restart or relaunch)

    backup_action = QAction("&Cadangkan…", window)
    backup_action.setObjectName("aksiCadangkan")
    backup_action.setStatusTip("Simpan basis data dan semua lampiran ke satu berkas cadangan")
    backup_action.triggered.connect(backup)
    restore_action = QAction("&Pulihkan…", window)
    restore_action.setObjectName("aksiPulihkan")
    restore_action.setStatusTip("Ganti data dengan isi berkas cadangan (data saat ini "
                                "dicadangkan dulu)")
    restore_action.triggered.connect(restore)
    person = getattr(window, "person", None)
    restore_action.setVisible(person is not None and Role.ADMIN in person.roles)
    add = _add_to_file_menu(window)
    add(backup_action)
    add(restore_action)
    window.action_backup = backup_action
    window.action_restore = restore_action


def install_guide_action(window: Any) -> QAction:
    """Bantuan ▸ Panduan (F1), first in the Bantuan menu."""

    def show() -> None:
        from kinerja_desktop.ui.dialogs.guide import show_guide

        show_guide(window)

    action = QAction("&Panduan", window)
    action.setObjectName("aksiPanduan")
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    action.setStatusTip("Panduan singkat: satu siklus pengumpulan data, langkah demi langkah")
    action.triggered.connect(show)
    menu = window.menu_help
    first = menu.actions()[0] if menu.actions() else None
    if first is not None:
        menu.insertAction(first, action)
        menu.insertSeparator(first)
    else:
        menu.addAction(action)
    window.action_guide = action
    return action


def install_print_actions(window: Any) -> None:
    """Add Cetak… (Ctrl+P) and Ekspor PDF… to the main window's Berkas menu."""

    def print_dialog() -> None:
        from kinerja_desktop.ui.printing.actions import print_dialog as show

        show(window)

    def export_pdf() -> None:
        from kinerja_desktop.ui.printing.actions import export_pdf as export

        export(window)

    window.action_print = QAction("&Cetak…", window)
    window.action_print.setShortcut(QKeySequence.StandardKey.Print)
    window.action_print.setObjectName("aksiCetak")
    window.action_print.triggered.connect(print_dialog)
    window.action_export_pdf = QAction("Ekspor &PDF…", window)
    window.action_export_pdf.setObjectName("aksiEksporPdf")
    window.action_export_pdf.triggered.connect(export_pdf)
    window.add_file_action(window.action_print)
    window.add_file_action(window.action_export_pdf)


def install_workbook_actions(window: Any) -> None:
    """Add the Excel actions to Berkas (before Keluar), visible by role; the Kasubag
    tab also gets its Excel Tim section."""
    person = getattr(window, "person", None)
    roles = person.roles if person is not None else frozenset()
    team_ids = getattr(person, "team_ids", frozenset()) if person is not None else frozenset()
    add = _add_to_file_menu(window)

    def call(name: str) -> Callable[[], None]:
        def run() -> None:
            from kinerja_desktop.ui.dialogs import workbooks

            getattr(workbooks, name)(window)

        return run

    window.action_export_formats = QAction("Ekspor Format Tim (Excel)…", window)
    window.action_export_formats.setObjectName("aksiEksporFormat")
    window.action_export_formats.triggered.connect(call("export_formats"))
    window.action_export_formats.setVisible(Role.KASUBAG in roles)
    add(window.action_export_formats)

    window.action_import_format = QAction("Impor Format Tim (Excel)…", window)
    window.action_import_format.setObjectName("aksiImporFormat")
    window.action_import_format.triggered.connect(call("import_format"))
    window.action_import_format.setVisible(bool(team_ids) or Role.KASUBAG in roles)
    add(window.action_import_format)

    window.action_export_excel = QAction("Ekspor E&xcel…", window)
    window.action_export_excel.setObjectName("aksiEksporExcel")
    window.action_export_excel.triggered.connect(call("export_compiled"))
    add(window.action_export_excel)

    kasubag_tab = getattr(window, "kasubag_tab", None)
    if kasubag_tab is not None:
        from kinerja_desktop.ui.screens.workbook_imports import WorkbookSection

        window.workbook_section = WorkbookSection(window)
        kasubag_tab.add_section("Excel Tim (langkah 3–4)", window.workbook_section)
    follow_cycle_state(window, getattr(window, "viewed_cycle_closed", False))


#: Why the team-workbook actions are greyed out on a closed cycle (their tooltip).
CLOSED_WORKBOOK_TIP = ("Siklus sudah ditutup (catatan resmi): format tim tidak dapat diekspor "
                       "atau diimpor. Buka kembali untuk perbaikan bila perlu.")


def follow_cycle_state(window: Any, closed: bool) -> None:
    """Grey out what would change a closed cycle's data: exporting team workbooks (for
    entry) and importing them, in Berkas and in the Kasubag's Excel Tim section. Called
    whenever the window's status follows the viewed cycle; before the actions exist it
    only remembers the state."""
    window.viewed_cycle_closed = closed
    tip = CLOSED_WORKBOOK_TIP if closed else ""
    for name in ("action_export_formats", "action_import_format"):
        action = getattr(window, name, None)
        if action is not None:
            action.setEnabled(not closed)
            action.setToolTip(tip)
            action.setStatusTip(tip)
    section = getattr(window, "workbook_section", None)
    if section is not None:
        section.set_cycle_closed(closed)

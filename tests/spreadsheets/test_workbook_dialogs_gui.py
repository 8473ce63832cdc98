"""Excel dialogs: export with a cancellable progress dialog, import with the report first."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from kinerja_desktop.services import entries, workbooks
from kinerja_desktop.spreadsheets import format_workbook as fw
from kinerja_desktop.ui.dialogs import workbooks as workbook_dialogs

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _filled(state, xl, tmp_path, value=77):
    book = xl.load(workbooks.export_team_workbook(state.ctx, state.kasubag, state.cycle_id,
                                                  state.team_id))
    ws = book[fw.SHEET_DATA]
    for row in xl.item_rows(ws):
        ws.cell(row, 7).value = value
    return xl.save(book, tmp_path / "isi.xlsx")


def test_import_dialog_shows_report_then_applies(qtbot, state, xl, snap, tmp_path):
    path = _filled(state, xl, tmp_path)
    before = snap(state.ctx)
    dialog = workbook_dialogs.ImportFormatDialog(state.ctx, state.member, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.apply_button.isEnabled(), timeout=10_000)
    assert "3 butir akan berubah" in dialog.text.toPlainText()
    assert "Belum ada data yang diubah" in dialog.summary.text()
    assert snap(state.ctx) == before  # nothing changes before Terapkan
    dialog.grab().save(str(tmp_path / "impor.png"))
    with qtbot.waitSignal(dialog.applied, timeout=10_000) as blocker:
        dialog.apply_button.click()
    assert blocker.args[0].applied
    assert "Impor selesai" in dialog.summary.text()
    values = [i.values.actual for i in entries.list_team_items(state.ctx, state.cycle_id,
                                                               state.team_id)]
    assert values == [77.0, 77.0, 77.0]


def test_import_dialog_refuses_a_bad_file(qtbot, state, snap, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("No;Indikator\n1;x\n", encoding="utf-8")
    before = snap(state.ctx)
    dialog = workbook_dialogs.ImportFormatDialog(state.ctx, state.member, path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "CSV" in dialog.summary.text(), timeout=10_000)
    assert not dialog.apply_button.isEnabled()
    assert dialog.cancel_button.text() == "Tutup"
    assert snap(state.ctx) == before


def test_import_dialog_lists_cell_errors(qtbot, state, xl, tmp_path):
    book = xl.load(workbooks.export_team_workbook(state.ctx, state.kasubag, state.cycle_id,
                                                  state.team_id))
    book[fw.SHEET_DATA]["G7"] = "=1+1"
    path = xl.save(book, tmp_path / "rumus.xlsx")
    dialog = workbook_dialogs.ImportFormatDialog(state.ctx, state.member, path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "kesalahan" in dialog.summary.text(), timeout=10_000)
    assert "Data Kinerja!G7" in dialog.text.toPlainText()
    assert not dialog.apply_button.isEnabled()


def test_export_all_teams_and_cancel(qtbot, state, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    targets = workbooks.list_export_targets(state.ctx, state.cycle_id)
    assert len(targets) == 4
    results = []
    out = tmp_path / "semua"
    out.mkdir()
    job, dialog = workbook_dialogs.start_format_export(
        parent, state.ctx, state.kasubag, state.cycle_id, targets, out,
        on_done=lambda written, stopped: results.append((written, stopped)))
    qtbot.waitUntil(lambda: bool(results), timeout=20_000)
    written, stopped = results[0]
    assert not stopped and len(written) == 4
    assert sorted(p.name for p in out.iterdir()) == sorted(t.file_name for t in targets)

    cancelled_out = tmp_path / "batal"
    cancelled_out.mkdir()
    results.clear()
    job, dialog = workbook_dialogs.start_format_export(
        parent, state.ctx, state.kasubag, state.cycle_id, targets, cancelled_out,
        on_done=lambda written, stopped: results.append((written, stopped)))
    cancel = next(b for b in dialog.findChildren(workbook_dialogs.QPushButton)
                  if b.text() == "Batal")
    cancel.click()  # as the user does
    qtbot.waitUntil(lambda: bool(results), timeout=20_000)
    written, stopped = results[0]
    assert stopped and len(written) < 4
    assert len(list(cancelled_out.iterdir())) == len(written)
    job.thread.join(5)
    for box in parent.findChildren(workbook_dialogs.QMessageBox):
        box.close()


def test_actions_in_main_window(qtbot, state):
    from kinerja_desktop.ui.main_window import MainWindow

    window = MainWindow(state.ctx, state.kasubag, remember=False)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.menu_file.actions()]
    assert "Ekspor Format Tim (Excel)…" in texts and "Impor Format Tim (Excel)…" in texts
    assert window.action_export_formats.isVisible()
    assert texts[-1] == "&Keluar"


def test_berkas_ekspor_excel_writes_the_compiled_workbook(qtbot, state, tmp_path):
    from openpyxl import load_workbook

    from kinerja_desktop.ui.main_window import MainWindow

    window = MainWindow(state.ctx, state.kasubag, remember=False)
    qtbot.addWidget(window)
    target = tmp_path / "Dokumen Data Kinerja.xlsx"
    job = workbook_dialogs.export_compiled(window, target)
    with qtbot.waitSignal(job.succeeded, timeout=20_000):
        pass
    assert "B. Pengukuran" in load_workbook(target).sheetnames
    for box in window.findChildren(workbook_dialogs.QMessageBox):
        box.close()


def test_kasubag_section_lists_imports(qtbot, state, xl, tmp_path):
    from kinerja_desktop.ui.main_window import MainWindow

    path = _filled(state, xl, tmp_path, value=60)
    assert workbooks.import_workbook(state.ctx, state.member, path).applied
    window = MainWindow(state.ctx, state.kasubag, remember=False)
    qtbot.addWidget(window)
    section = window.workbook_section
    tab = window.kasubag_tab
    tab.sections.setCurrentWidget(section)
    section.refresh()
    assert section.table.rowCount() == 1
    assert section.table.item(0, 2).text() == "isi.xlsx"
    assert section.table.item(0, 4).text() == "3"
    assert not section.empty.isVisibleTo(section)

"""A whole cycle, steps 1–7, carried out from the window by the right people."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kinerja_desktop.domain.errors import PermissionDenied
from kinerja_desktop.domain.timing import StepStatus

# The offscreen platform cannot size native windows; harmless there, absent on a desktop.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def open_window(qtbot, ctx, user_id):
    from kinerja_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx, user_id, remember=False)
    qtbot.addWidget(window)
    window.show()
    return window


def tab_titles(window) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def panel_row(window, step_no: int, team_id: int | None = None):
    model = window.workflow_panel.model
    row = model.steps[step_no - 1]
    if team_id is None:
        return row
    return next(c for c in model.children[step_no - 1] if c.team_id == team_id)


def status_cell(window, step_no: int) -> tuple[str, str]:
    """(text, background colour) of the status cell of a step, as the user sees it."""
    from kinerja_desktop.ui.models.workflow import COL_STATUS

    model = window.workflow_panel.model
    index = model.index(step_no - 1, COL_STATUS)
    return (model.data(index), model.data(index, Qt.ItemDataRole.BackgroundRole).color().name())


def section_titles(tab) -> list[str]:
    return [tab.sections.tabText(i) for i in range(tab.sections.count())]


def click_save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_cycle_through_seven_steps(qtbot, ctx, small_office, monkeypatch, when_modal):
    from kinerja_desktop.services import cycles, entries
    from kinerja_desktop.ui.common import status_colour
    from kinerja_desktop.ui.dialogs import cycle as cycle_dialogs
    from kinerja_desktop.ui.dialogs.login import LoginDialog
    from kinerja_desktop.ui.dialogs.text import TextDialog
    from kinerja_desktop.ui.screens import format_builder, team_entry

    o = small_office

    # Log in as the Sekretaris.
    login = LoginDialog(ctx)
    qtbot.addWidget(login)
    login.username.clear()
    qtbot.keyClicks(login.username, "sekretaris")
    qtbot.keyClicks(login.password, "rahasia123")
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    assert login.person is not None and login.person.id == o.sekretaris

    sek = open_window(qtbot, ctx, o.sekretaris)
    assert tab_titles(sek) == ["Sekretaris", "Arsip"]
    assert "belum ada" in sek.status_cycle.text()

    # Step 1: Berkas ▸ Siklus baru…; first without an SK number (refused, nothing made).
    attempts = []

    def fill_and_save(dialog):
        dialog.year.setValue(2025)
        dialog.sk.number.clear()
        if attempts:
            qtbot.keyClicks(dialog.sk.number, "800/12/Itprov/I/2026")
        click_save(dialog)
        attempts.append(dialog.error_label.text())
        if not dialog.result():
            assert "nomor SK" in dialog.error_label.text()
            assert cycles.list_cycles(ctx) == []
            qtbot.keyClicks(dialog.sk.number, "800/12/Itprov/I/2026")
            click_save(dialog)
        return dialog.result()

    monkeypatch.setattr(cycle_dialogs.NewCycleDialog, "exec", fill_and_save)
    assert sek.action_new_cycle.isVisible()
    sek.action_new_cycle.trigger()
    cycle = cycles.active_cycle(ctx)
    assert cycle.sk_number == "800/12/Itprov/I/2026"
    assert sek.session.cycle_id == cycle.id
    assert "Tahun 2025 (berjalan)" in sek.status_cycle.text()
    text, colour = status_cell(sek, 1)
    assert "Berjalan" in text and colour == status_colour(StepStatus.BERJALAN)
    assert "Belum siap" in status_cell(sek, 2)[0]

    # The Sekretaris may not act on step 2: nothing offered, and the service refuses.
    sek.workflow_panel.select(2)
    assert not sek.workflow_panel.start_button.isVisible()
    with pytest.raises(PermissionDenied):
        cycles.start_step(ctx, o.sekretaris, cycle.id, 2)

    # The Sekretaris finishes step 1 from the panel.
    sek.workflow_panel.select(1)
    assert sek.workflow_panel.finish_button.isVisible()
    qtbot.mouseClick(sek.workflow_panel.finish_button, Qt.MouseButton.LeftButton)
    text, colour = status_cell(sek, 1)
    assert "Selesai tepat waktu" in text and colour == status_colour(StepStatus.SELESAI_TEPAT_WAKTU)
    assert "Siap" in status_cell(sek, 2)[0]

    # Step 2: the Kasubag ticks the indicators in the format builder and makes it final.
    kas = open_window(qtbot, ctx, o.kasubag)
    assert tab_titles(kas) == ["Kasubag", "Arsip"]
    assert not kas.action_new_cycle.isVisible()
    ktab = kas.kasubag_tab
    assert section_titles(ktab) == [
        "Ringkasan tim", "Master indikator", "Program anggaran", "Format (langkah 2)",
        "Penyampaian (langkah 3)",
        "Excel Tim (langkah 3–4)", "Verifikasi (langkah 6)", "Kompilasi (langkah 7)"]
    builder = ktab.format_builder
    ktab.show_section("Format (langkah 2)")
    assert ktab.sections.currentWidget().content is builder

    def tick_all(dialog):
        for row in range(dialog.list.count()):
            dialog.list.item(row).setCheckState(Qt.CheckState.Checked)
        click_save(dialog)
        return dialog.result()

    monkeypatch.setattr(format_builder.AddIndicatorsDialog, "exec", tick_all)
    monkeypatch.setattr(format_builder, "ask_yes_no", lambda *a: True)
    monkeypatch.setattr(team_entry, "ask_yes_no", lambda *a: True)
    qtbot.mouseClick(builder.add_button, Qt.MouseButton.LeftButton)
    assert builder.model.rowCount() == 3
    assert "Berjalan" in status_cell(kas, 2)[0]
    assert builder.finish_button.isEnabled()
    qtbot.mouseClick(builder.finish_button, Qt.MouseButton.LeftButton)
    assert panel_row(kas, 2).timing.status.is_finished
    assert not builder.add_button.isEnabled()
    assert panel_row(kas, 3).step.progress_label == "0/2 tim"
    assert len(kas.workflow_panel.model.children[2]) == 2

    # Before step 3 a member sees the items but may not fill them in yet.
    early = open_window(qtbot, ctx, o.member_a2)
    early_entry = early.team_tab.entry_section
    assert early_entry.model.rowCount() == 2
    assert early_entry.actual_edit.isReadOnly()
    assert "langkah 3 belum selesai" in early_entry.form_status.text()
    assert not early_entry.submit_button.isEnabled()
    assert "belum dapat diisi" in early_entry.progress_label.text()

    # Step 3: the format goes to both teams.
    ktab.show_section("Penyampaian (langkah 3)")
    qtbot.mouseClick(ktab.distribute_section.send_all_button, Qt.MouseButton.LeftButton)
    assert panel_row(kas, 3).step.progress_label == "2/2 tim"
    assert "Siap" in status_cell(kas, 4)[0]
    early.signals.data_changed.emit("data")
    assert not early_entry.actual_edit.isReadOnly()
    assert early_entry.form_status.text() == ""
    early.close()

    # Steps 4 and 5, as two different team members, in the Isian data screen. Team A
    # closes step 4 from the workflow panel (Selesaikan), team B with Serahkan alone.
    windows = {}
    for member, team in ((o.member_a2, o.team_a), (o.member_b, o.team_b)):
        win = open_window(qtbot, ctx, member)
        windows[team] = win
        assert tab_titles(win) == ["Tim Penyusun", "Arsip"]
        assert section_titles(win.team_tab) == ["Isian data (langkah 4–5)"]
        entry = win.team_tab.entry_section
        assert entry.team_combo.currentData() == team
        assert all(i.missing for i in entry.model.records)  # nothing filled in yet
        for row in range(entry.model.rowCount()):
            entry.table.selectRow(row)
            entry.actual_edit.clear()
            qtbot.keyClicks(entry.actual_edit, "85,5")
            qtbot.keyClicks(entry.text_edits["penjelasan"][1],
                            "Dihitung dari laporan monev kecamatan.")
            assert entry.save_now()
        assert all(not i.missing for i in entry.model.records)
        assert entry.model.record(0).values.actual == 85.5
        assert "Berjalan" in panel_row(win, 4, team).timing.status.label
        if team == o.team_a:
            win.workflow_panel.select(4, team)
            assert win.workflow_panel.finish_button.isVisible()
            qtbot.mouseClick(win.workflow_panel.finish_button, Qt.MouseButton.LeftButton)
            assert panel_row(win, 4, team).timing.status.is_finished
        assert entry.submit_button.isEnabled()
        qtbot.mouseClick(entry.submit_button, Qt.MouseButton.LeftButton)
        assert "diserahkan</b> (versi 1)" in entry.message.text()
        assert panel_row(win, 4, team).timing.status.is_finished
        assert panel_row(win, 5, team).timing.status.is_finished
    assert panel_row(windows[o.team_b], 5).step.progress_label == "2/2 tim"
    # Team B's member sees nothing to do for team A, and the service refuses.
    assert not panel_row(windows[o.team_b], 6, o.team_a).can_start
    with pytest.raises(PermissionDenied):
        cycles.start_step(ctx, o.member_b, cycle.id, 6, o.team_a)

    # Step 6: the Kasubag returns one item, the team corrects it, then all are verified.
    desk = ktab.verification_desk
    ktab.show_section("Verifikasi (langkah 6)")
    assert ktab.sections.currentWidget().content is desk
    desk.team_combo.setCurrentIndex(desk.team_combo.findData(o.team_a))
    desk.table.selectRow(0)
    returned_id = desk.current.item_id

    def give_reason(dialog):
        dialog.text_edit.setPlainText("Mohon lampirkan rekapitulasi per kecamatan.")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(TextDialog, "exec", give_reason)
    qtbot.mouseClick(desk.return_button, Qt.MouseButton.LeftButton)
    assert entries.get_item(ctx, returned_id).state.value == "dikembalikan"
    assert next(v for v in desk.all_items if v.item_id == returned_id).state.value \
        == "dikembalikan"
    fix = windows[o.team_a].team_tab.entry_section
    windows[o.team_a].signals.data_changed.emit("data")
    assert fix.submit_button.text() == "Serahkan ulang"
    fix.table.selectRow(fix.model.row_of(lambda v: v.item_id == returned_id))
    assert "rekapitulasi per kecamatan" in fix.returned_banner.text()
    fix.actual_edit.clear()
    qtbot.keyClicks(fix.actual_edit, "86")
    assert fix.save_now()
    qtbot.mouseClick(fix.submit_button, Qt.MouseButton.LeftButton)
    assert entries.get_item(ctx, returned_id).state.value == "diserahkan"

    kas.signals.data_changed.emit("data")
    for team in (o.team_a, o.team_b):
        desk.team_combo.setCurrentIndex(desk.team_combo.findData(team))
        # Each verification moves the desk on to the next waiting item.
        while desk.current is not None and desk.current.state.value == "diserahkan":
            qtbot.mouseClick(desk.verify_button, Qt.MouseButton.LeftButton)
        assert all(r.state.value == "diverifikasi" for r in desk.all_items)
        assert panel_row(kas, 6, team).timing.status.is_finished
    assert panel_row(kas, 6).step.progress_label == "2/2 tim"

    # Step 7: the Kasubag compiles after the draft preview and the confirmation; closed.
    from kinerja_desktop.ui.dialogs.close_cycle import CloseCycleDialog
    from kinerja_desktop.ui.printing.preview import PdfPreviewDialog

    compile_section = ktab.compile_section
    ktab.show_section("Kompilasi (langkah 7)")
    qtbot.mouseClick(compile_section.step_bar.start_button, Qt.MouseButton.LeftButton)

    def proceed(preview) -> None:
        when_modal(CloseCycleDialog, lambda dialog: dialog.accept())
        preview.proceed_button.click()

    when_modal(PdfPreviewDialog, proceed)
    qtbot.mouseClick(compile_section.step_bar.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cycles.get_cycle(ctx, cycle.id).status == "selesai", timeout=20_000)
    for n in range(1, 8):
        text, colour = status_cell(kas, n)
        assert text.split(" ", 1)[1].startswith("Selesai")
        assert colour in (status_colour(StepStatus.SELESAI_TEPAT_WAKTU),
                          status_colour(StepStatus.SELESAI_TERLAMBAT))
    assert "Tahun 2025 (ditutup, Asli)" in kas.status_cycle.text()

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
    from kinerja_desktop.ui.workflow_panel import COL_STATUS

    model = window.workflow_panel.model
    index = model.index(step_no - 1, COL_STATUS)
    return (model.data(index), model.data(index, Qt.ItemDataRole.BackgroundRole).color().name())


def click_save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_cycle_through_seven_steps(qtbot, ctx, small_office, monkeypatch):
    from kinerja_desktop.services import cycles, entries
    from kinerja_desktop.ui import cycle_dialogs
    from kinerja_desktop.ui.common import status_colour
    from kinerja_desktop.ui.login import LoginDialog

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

    # Step 2: the Kasubag puts the indicators into the format and makes it final.
    kas = open_window(qtbot, ctx, o.kasubag)
    assert tab_titles(kas) == ["Kasubag", "Arsip"]
    assert not kas.action_new_cycle.isVisible()
    section = kas.kasubag_tab.format_section

    def add_first(dialog):
        dialog.indicator.setCurrentIndex(0)
        click_save(dialog)
        return dialog.result()

    monkeypatch.setattr(cycle_dialogs.AddIndicatorDialog, "exec", add_first)
    for _ in o.indicators:
        qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert section.model.rowCount() == 3
    assert "Berjalan" in status_cell(kas, 2)[0]
    assert section.step_bar.finish_button.isVisible()
    qtbot.mouseClick(section.step_bar.finish_button, Qt.MouseButton.LeftButton)
    assert panel_row(kas, 2).timing.status.is_finished
    assert panel_row(kas, 3).step.progress_label == "0/2 tim"
    assert len(kas.workflow_panel.model.children[2]) == 2

    # Step 3: the format goes to both teams.
    kas.kasubag_tab.sections.setCurrentWidget(kas.kasubag_tab.distribute_section)
    qtbot.mouseClick(kas.kasubag_tab.distribute_section.send_all_button,
                     Qt.MouseButton.LeftButton)
    assert panel_row(kas, 3).step.progress_label == "2/2 tim"
    assert "Siap" in status_cell(kas, 4)[0]

    # Steps 4 and 5, as two different team members.
    def fill(dialog):
        dialog.actual.clear()
        qtbot.keyClicks(dialog.actual, "85,5")
        dialog.explanation.setPlainText("Dihitung dari laporan monev kecamatan.")
        click_save(dialog)
        return dialog.result()

    monkeypatch.setattr(cycle_dialogs.EntryDialog, "exec", fill)
    windows = {}
    for member, team in ((o.member_a2, o.team_a), (o.member_b, o.team_b)):
        win = open_window(qtbot, ctx, member)
        windows[team] = win
        assert tab_titles(win) == ["Tim Penyusun", "Arsip"]
        team_section = win.team_tab.team_sections[team]
        assert not team_section.submit_button.isVisible()
        for row in range(team_section.model.rowCount()):
            team_section.table.selectRow(row)
            qtbot.mouseClick(team_section.edit_button, Qt.MouseButton.LeftButton)
        assert all(not i.missing for i in team_section.model.records)
        assert "Berjalan" in panel_row(win, 4, team).timing.status.label
        qtbot.mouseClick(team_section.finish_button, Qt.MouseButton.LeftButton)
        assert team_section.submit_button.isVisible()
        qtbot.mouseClick(team_section.submit_button, Qt.MouseButton.LeftButton)
        assert panel_row(win, 5, team).timing.status.is_finished
    assert panel_row(windows[o.team_b], 5).step.progress_label == "2/2 tim"
    # Team B's member sees nothing to do for team A, and the service refuses.
    assert not panel_row(windows[o.team_b], 6, o.team_a).can_start
    with pytest.raises(PermissionDenied):
        cycles.start_step(ctx, o.member_b, cycle.id, 6, o.team_a)

    # Step 6: the Kasubag returns one item, the team corrects it, then all are verified.
    verify = kas.kasubag_tab.verify_section
    kas.kasubag_tab.sections.setCurrentWidget(verify)
    kas.signals.data_changed.emit("data")
    verify.team.setCurrentIndex(verify.team.findData(o.team_a))
    verify.table.selectRow(0)

    def give_reason(dialog):
        dialog.reason.setPlainText("Mohon lampirkan rekapitulasi per kecamatan.")
        click_save(dialog)
        return dialog.result()

    monkeypatch.setattr(cycle_dialogs.ReturnDialog, "exec", give_reason)
    qtbot.mouseClick(verify.return_button, Qt.MouseButton.LeftButton)
    returned = verify.model.records[0]
    assert returned.state.value == "dikembalikan"
    team_a_section = windows[o.team_a].team_tab.team_sections[o.team_a]
    windows[o.team_a].signals.data_changed.emit("data")
    assert team_a_section.submit_button.text() == "Serahkan perbaikan"
    team_a_section.table.selectRow(0)
    qtbot.mouseClick(team_a_section.edit_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(team_a_section.submit_button, Qt.MouseButton.LeftButton)
    assert entries.get_item(ctx, returned.item_id).state.value == "diserahkan"

    kas.signals.data_changed.emit("data")
    for team in (o.team_a, o.team_b):
        verify.team.setCurrentIndex(verify.team.findData(team))
        for row in range(verify.model.rowCount()):
            verify.table.selectRow(row)
            qtbot.mouseClick(verify.verify_button, Qt.MouseButton.LeftButton)
        assert panel_row(kas, 6, team).timing.status.is_finished
    assert panel_row(kas, 6).step.progress_label == "2/2 tim"

    # Step 7: the Kasubag compiles; the cycle is done.
    compile_section = kas.kasubag_tab.compile_section
    kas.kasubag_tab.sections.setCurrentWidget(compile_section)
    qtbot.mouseClick(compile_section.step_bar.start_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(compile_section.step_bar.finish_button, Qt.MouseButton.LeftButton)
    assert cycles.get_cycle(ctx, cycle.id).status == "selesai"
    for n in range(1, 8):
        text, colour = status_cell(kas, n)
        assert text.split(" ", 1)[1].startswith("Selesai")
        assert colour in (status_colour(StepStatus.SELESAI_TEPAT_WAKTU),
                          status_colour(StepStatus.SELESAI_TERLAMBAT))
    assert "Tahun 2025 (selesai)" in kas.status_cycle.text()

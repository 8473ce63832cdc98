"""Steps 2–6 driven through the performance-data widgets only, as the people would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services import accounts, cycles, demo, teams, workflow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_steps_two_to_six_from_the_widgets(ctx, qtbot, monkeypatch):
    from kinerja_desktop.ui.screens import format_builder, team_entry
    from kinerja_desktop.ui.screens.verification_desk import VerificationDeskWidget
    from kinerja_desktop.ui.signals import AppSignals

    demo.build_demo(ctx, teams=2, indicators=2, through_step=1)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    kasubag = people["kasubag"]
    cycle = cycles.active_cycle(ctx)
    team_list = teams.list_teams(ctx)
    signals = AppSignals()
    monkeypatch.setattr(format_builder, "ask_yes_no", lambda *a: True)
    monkeypatch.setattr(team_entry, "ask_yes_no", lambda *a: True)

    # Step 2: the Kasubag ticks every indicator and makes the format final.
    builder = format_builder.FormatBuilderWidget(ctx, kasubag, signals)
    qtbot.addWidget(builder)
    builder.show()
    dialog = format_builder.AddIndicatorsDialog(ctx, kasubag, cycle.id, set(), builder)
    qtbot.addWidget(dialog)
    for row in range(dialog.list.count()):
        dialog.list.item(row).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    assert dialog.result_value == 4
    signals.data_changed.emit("format")
    assert builder.model.rowCount() == 4 and builder.finish_button.isEnabled()
    qtbot.mouseClick(builder.finish_button, Qt.MouseButton.LeftButton)
    assert workflow.workflow(ctx, cycle.id).step(2).finished_at is not None

    # Step 3 (the Penyampaian section of the Kasubag tab) for both teams.
    for team in team_list:
        cycles.finish_step(ctx, kasubag, cycle.id, 3, team.id)

    # Steps 4 and 5: a member of each team types the data and presses Serahkan.
    entry_widgets = {}
    for team in team_list:
        widget = team_entry.TeamEntryWidget(ctx, team.members[-1].person_id, signals)
        qtbot.addWidget(widget)
        widget.show()
        entry_widgets[team.id] = widget
        assert widget.team_combo.currentData() == team.id
        for row in range(widget.model.rowCount()):
            widget.table.selectRow(row)
            widget.actual_edit.clear()
            qtbot.keyClicks(widget.actual_edit, "4.250" if row else "45,5")
            qtbot.keyClicks(widget.text_edits["penjelasan"][1], "Dari laporan monev.")
            assert widget.save_now()
        assert widget.progress_label.text().startswith("2/2 indikator lengkap")
        qtbot.mouseClick(widget.submit_button, Qt.MouseButton.LeftButton)
        assert "diserahkan</b> (versi 1)" in widget.message.text()
        assert all(r.state is ItemState.SUBMITTED for r in widget.model.records)
        assert widget.model.record(1).values.actual == 4250.0

    # Step 6: the Kasubag returns one item of the first team and verifies the rest.
    desk = VerificationDeskWidget(ctx, kasubag, signals)
    qtbot.addWidget(desk)
    desk.show()
    first, second = team_list
    desk.team_combo.setCurrentIndex(desk.team_combo.findData(first.id))
    desk.table.selectRow(0)
    returned_id = desk.current.item_id
    assert desk.return_current("Angka realisasi belum sesuai laporan kecamatan.")
    # The desk moved on to the next waiting item; it is verified with one click.
    assert desk.current.item_id != returned_id
    qtbot.mouseClick(desk.verify_button, Qt.MouseButton.LeftButton)
    assert [r.state for r in desk.all_items] == [ItemState.RETURNED, ItemState.VERIFIED]

    # The team sees the reason, corrects the item and hands it in again.
    fix = entry_widgets[first.id]
    fix.table.selectRow(fix.model.row_of(lambda v: v.item_id == returned_id))
    assert "Angka realisasi belum sesuai" in fix.returned_banner.text()
    fix.actual_edit.clear()
    qtbot.keyClicks(fix.actual_edit, "47")
    assert fix.save_now()
    assert fix.submit_button.text() == "Serahkan ulang"
    qtbot.mouseClick(fix.submit_button, Qt.MouseButton.LeftButton)
    assert "(versi 2)" in fix.message.text() and "Realisasi" in fix.message.text()

    # Every remaining item of every team is verified: step 6 completes, step 7 is ready.
    for team in (first, second):
        desk.team_combo.setCurrentIndex(desk.team_combo.findData(team.id))
        while desk.current is not None and desk.current.state is ItemState.SUBMITTED:
            qtbot.mouseClick(desk.verify_button, Qt.MouseButton.LeftButton)
        assert all(r.state is ItemState.VERIFIED for r in desk.all_items)
    flow = workflow.workflow(ctx, cycle.id)
    assert flow.step(6).teams_done == 2 and flow.step(7).ready_at is not None

"""Issue 13 "flow" in the window: plausibility on the entry screen and the desk, the desk's
filters and multi-selection, the member's log-in, step 2 at office speed."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services import cycles, entries, formats, submissions, verification
from kinerja_desktop.ui.signals import AppSignals

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

TEXTS = dict(explanation="Penjelasan", supporting="Pendukung", inhibiting="Penghambat",
             follow_up="Upaya")


def _delivered(ctx, o, teams=None):
    cycle = cycles.start_cycle(ctx, o.sekretaris, o.year, "800/1", date(2026, 1, 9))
    cycles.finish_step(ctx, o.sekretaris, cycle.id, 1)
    formats.add_many_to_format(ctx, o.kasubag, cycle.id, list(o.indicators))
    cycles.finish_step(ctx, o.kasubag, cycle.id, 2)
    for team in teams or (o.team_a, o.team_b):
        cycles.finish_step(ctx, o.kasubag, cycle.id, 3, team)
    return cycle


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1200, 740)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_entry_warns_asks_for_a_note_and_fields_do_not_move(ctx, small_office, qtbot,
                                                             monkeypatch):
    from kinerja_desktop.ui.dialogs.text import TextDialog
    from kinerja_desktop.ui.screens.team_entry import TeamEntryWidget

    o = small_office
    cycle = _delivered(ctx, o)
    entry = _show(qtbot, TeamEntryWidget(ctx, o.member_a2, AppSignals()))
    box = entry.plausibility_box
    assert "Tidak ada peringatan" in box.text() and not box.note_button.isEnabled()
    spent_at = entry.spent_edit.mapTo(entry, entry.spent_edit.rect().topLeft())
    label_height = box.label.height()
    entry.actual_edit.clear()
    qtbot.keyClicks(entry.actual_edit, "914,3")
    assert "2 peringatan:" in box.text()
    assert "914,3% di luar 0–100%" in box.text()
    assert box.note_button.isEnabled() and "Belum ada catatan" in box.text()
    # The value is kept as typed; the warning appears in place, nothing below moves.
    assert entry.spent_edit.mapTo(entry, entry.spent_edit.rect().topLeft()) == spent_at
    assert box.label.height() == label_height
    item_id = entry.current.item_id
    qtbot.waitUntil(lambda: entries.get_item(ctx, item_id).values.actual == 914.3)
    assert entry.model.data(entry.model.index(0, entry.model.COL_ACHIEVEMENT)).startswith("⚠")

    def explain(dialog):
        qtbot.keyClicks(dialog.text_edit, "Kumulatif tiga tahun, sesuai laporan.")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(TextDialog, "exec", explain)
    qtbot.mouseClick(box.note_button, Qt.MouseButton.LeftButton)
    assert "Catatan: Kumulatif tiga tahun" in box.text()
    qtbot.waitUntil(lambda: entries.get_item(ctx, item_id).values.plausibility_note
                    == "Kumulatif tiga tahun, sesuai laporan.")
    assert not entries.get_item(ctx, item_id).needs_note
    # Back to a plausible value: the box says so again, and the note can still be cleared.
    entry.actual_edit.clear()
    qtbot.keyClicks(entry.actual_edit, "86,5")
    assert "Tidak ada peringatan" in box.text() and box.note_button.isEnabled()

    def clear(dialog):
        dialog.text_edit.clear()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(TextDialog, "exec", clear)
    qtbot.mouseClick(box.note_button, Qt.MouseButton.LeftButton)
    assert "Catatan" not in box.text() and not box.note_button.isEnabled()
    qtbot.waitUntil(lambda: entries.get_item(ctx, item_id).values.plausibility_note == "")
    assert cycle is not None


def test_desk_filters_flags_and_verifies_a_selection(ctx, small_office, qtbot, monkeypatch):
    from kinerja_desktop.ui.screens import verification_desk
    from kinerja_desktop.ui.screens.verification_desk import (
        FILTER_ALL,
        FILTER_RETURNED,
        FILTER_WARNED,
        VerificationDeskWidget,
    )

    o = small_office
    cycle = _delivered(ctx, o)
    team_items = formats.format_items(ctx, cycle.id, o.team_a)
    values = (914.3, 80.0)
    for item, actual in zip(team_items, values, strict=True):
        entries.save_entry(ctx, o.member_a2, item.id, entries.EntryInput(actual=actual, **TEXTS))
    submissions.submit(ctx, o.member_a, cycle.id, o.team_a)
    monkeypatch.setattr(verification_desk, "ask_yes_no", lambda *a: True)
    desk = _show(qtbot, VerificationDeskWidget(ctx, o.kasubag, AppSignals()))
    desk.team_combo.setCurrentIndex(desk.team_combo.findData(o.team_a))
    assert desk.filter_combo.currentText() == "Menunggu verifikasi"
    assert desk.model.rowCount() == 2
    flagged = desk.model.row_of(lambda v: bool(v.warnings))
    assert desk.model.data(desk.model.index(flagged, desk.model.COL_WARNINGS)) \
        == "⚠ 2, tanpa catatan"
    desk.table.selectRow(flagged)
    assert desk.warnings_label.isVisible()
    assert "Tim belum memberi catatan" in desk.warnings_label.text()
    desk.filter_combo.setCurrentIndex(FILTER_WARNED)
    assert [v.values.actual for v in desk.model.records] == [914.3]
    desk.filter_combo.setCurrentIndex(FILTER_RETURNED)
    assert desk.model.rowCount() == 0
    desk.filter_combo.setCurrentIndex(FILTER_ALL)
    # Both rows selected with the mouse and verified in one click.
    desk.table.selectRow(0)
    index = desk.model.index(1, 0)
    desk.table.selectionModel().select(index, QItemSelectionModel.SelectionFlag.Select
                                       | QItemSelectionModel.SelectionFlag.Rows)
    assert desk.verify_selected_button.text() == "Verifikasi terpilih (2)"
    qtbot.mouseClick(desk.verify_selected_button, Qt.MouseButton.LeftButton)
    assert all(entries.get_item(ctx, i.id).state is ItemState.VERIFIED for i in team_items)
    assert "2/2 diverifikasi" in desk.progress_label.text()


def test_desk_moves_on_to_the_next_waiting_item(ctx, small_office, qtbot):
    from kinerja_desktop.ui.screens.verification_desk import VerificationDeskWidget

    o = small_office
    cycle = _delivered(ctx, o)
    for item in formats.format_items(ctx, cycle.id, o.team_a):
        entries.save_entry(ctx, o.member_a2, item.id, entries.EntryInput(actual=80.0, **TEXTS))
    submissions.submit(ctx, o.member_a, cycle.id, o.team_a)
    desk = _show(qtbot, VerificationDeskWidget(ctx, o.kasubag, AppSignals()))
    desk.team_combo.setCurrentIndex(desk.team_combo.findData(o.team_a))
    first, second = (v.item_id for v in desk.all_items)
    desk.table.selectRow(desk.model.row_of(lambda v: v.item_id == first))
    qtbot.mouseClick(desk.verify_button, Qt.MouseButton.LeftButton)
    assert desk.current.item_id == second and desk.current.state is ItemState.SUBMITTED


def test_member_logs_in_on_the_first_returned_item(ctx, small_office, qtbot):
    from kinerja_desktop.ui.main_window import MainWindow

    o = small_office
    cycle = _delivered(ctx, o)
    items = formats.format_items(ctx, cycle.id, o.team_a)
    for item in items:
        entries.save_entry(ctx, o.member_a2, item.id, entries.EntryInput(actual=80.0, **TEXTS))
    submissions.submit(ctx, o.member_a, cycle.id, o.team_a)
    for item in items:
        verification.return_item(ctx, o.kasubag, item.id, "Mohon lampirkan rekapitulasi.")
    window = MainWindow(ctx, o.member_a2, remember=False)
    _show(qtbot, window)
    assert window.tabs.currentWidget() is window.team_tab
    entry = window.team_tab.entry_section
    assert entry.attention_label.isVisible()
    assert "2 indikator dikembalikan" in entry.attention_label.text()
    assert entry.current.item_id == items[0].id and entry.returned_banner.isVisible()
    # The banner keeps its room when it goes: the buttons beside it never move.
    submit_at = entry.submit_button.geometry()
    entry.attention_label.hide()
    entry.layout().activate()
    assert entry.submit_button.geometry() == submit_at
    # Team B's member has nothing waiting: no banner.
    other = MainWindow(ctx, o.member_b, remember=False)
    _show(qtbot, other)
    assert "dikembalikan" not in other.team_tab.entry_section.attention_label.text()


def test_format_builder_bulk_selection_and_typing_in_the_table(ctx, small_office, qtbot,
                                                                monkeypatch):
    from kinerja_desktop.ui.screens import format_builder
    from kinerja_desktop.ui.screens.format_builder import BulkFormatDialog, FormatBuilderWidget
    from kinerja_desktop.ui.widgets.number_edit import NumberEdit

    o = small_office
    cycle = cycles.start_cycle(ctx, o.sekretaris, o.year, "800/1", date(2026, 1, 9))
    cycles.finish_step(ctx, o.sekretaris, cycle.id, 1)
    signals = AppSignals()
    builder = _show(qtbot, FormatBuilderWidget(ctx, o.kasubag, signals))
    # The field choices scroll rather than make the window taller than a 1280×720 screen.
    assert builder.minimumSizeHint().height() <= 300

    def tick_all(dialog):
        qtbot.mouseClick(dialog.check_all_button, Qt.MouseButton.LeftButton)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(format_builder.AddIndicatorsDialog, "exec", tick_all)
    qtbot.mouseClick(builder.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: builder.model.rowCount() == 3)
    assert {builder.model.data(builder.model.index(r, builder.model.COL_STATE))
            for r in range(3)} == {"Draf format"}

    qtbot.mouseClick(builder.select_all_button, Qt.MouseButton.LeftButton)
    assert builder.selection_label.text() == "3 indikator terpilih"

    def set_team_b(dialog: BulkFormatDialog):
        dialog.team.setCurrentIndex(dialog.team.findData(o.team_b))
        dialog.field_combos["bukti_dukung"].setCurrentIndex(
            dialog.field_combos["bukti_dukung"].findData("wajib"))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(BulkFormatDialog, "exec", set_team_b)
    qtbot.mouseClick(builder.bulk_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(r.team_id == o.team_b for r in builder.model.records))
    assert builder.model.data(builder.model.index(0, builder.model.COL_FIELDS)) \
        == "Bukti dukung wajib"

    # Per sasaran: the one objective's three items.
    builder.table.clearSelection()
    builder.objective_combo.setCurrentIndex(1)
    builder.objective_combo.activated.emit(1)
    assert builder.selection_label.text() == "3 indikator terpilih"

    # Typing a target in the table: strict numbers, saved at once.
    index = builder.model.index(0, builder.model.COL_TARGET)
    def open_editor():
        builder.table.edit(index)
        shown = [e for e in builder.table.viewport().findChildren(NumberEdit) if e.isVisible()]
        assert len(shown) == 1
        return shown[0]

    builder.table.setCurrentIndex(index)
    editor = open_editor()
    assert editor.text() == "80"
    editor.selectAll()
    qtbot.keyClicks(editor, "4.25")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits on its next event round
    qtbot.waitUntil(lambda: "bukan angka yang valid" in builder.cell_status.text())
    item_id = builder.model.record(0).id
    assert next(i for i in formats.format_items(ctx, cycle.id) if i.id == item_id).target \
        == 80.0
    qtbot.waitUntil(lambda: not any(e.isVisible() for e in
                                    builder.table.viewport().findChildren(NumberEdit)))
    editor = open_editor()
    editor.selectAll()
    qtbot.keyClicks(editor, "87,5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: next(i for i in formats.format_items(ctx, cycle.id)
                                 if i.id == item_id).target == 87.5)
    assert builder.model.data(index) == "87,5"
    budget = builder.model.index(0, builder.model.COL_BUDGET)
    assert builder.model.setData(budget, "125.000.000")
    assert next(i for i in formats.format_items(ctx, cycle.id)
                if i.id == item_id).budget == 125_000_000

    # Once final, rows say "Final", not "Draf".
    cycles.finish_step(ctx, o.kasubag, cycle.id, 2)
    signals.data_changed.emit("siklus")
    qtbot.waitUntil(lambda: builder.model.data(builder.model.index(0, builder.model.COL_STATE))
                    == "Final")
    assert not builder.model.flags(index) & Qt.ItemFlag.ItemIsEditable

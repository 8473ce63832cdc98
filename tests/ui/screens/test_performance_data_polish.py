"""Polish of the performance-data screens: the format's pagu in the team form, locked
inputs that look locked, and format-builder choices that survive a refresh."""

from __future__ import annotations

import pytest

from kinerja_desktop.services import accounts, cycles, demo, entries, formats, teams

# Showing a window on the offscreen platform logs this harmless warning.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

PAGU = 125_000_000.0


def _people(ctx) -> dict[str, int]:
    return {p.username: p.id for p in accounts.list_people(ctx)}


def _entry(ctx, qtbot, user_id):
    from kinerja_desktop.ui.screens.team_entry import TeamEntryWidget
    from kinerja_desktop.ui.signals import AppSignals

    signals = AppSignals()
    widget = TeamEntryWidget(ctx, user_id, signals)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    return widget, signals


def _background(edit) -> str:
    """The colour inside the field, right of its text (what the user sees)."""
    image = edit.grab().toImage()
    return image.pixelColor(image.width() - 6, image.height() // 2).name()


def test_format_pagu_is_prefilled_in_the_team_form(ctx, qtbot):
    demo.build_demo(ctx, teams=1, indicators=2, through_step=1)
    kasubag = _people(ctx)["kasubag"]
    cycle = cycles.active_cycle(ctx)
    first, second = formats.list_indicators(ctx)
    item = formats.add_to_format(ctx, kasubag, cycle.id, first.id)
    formats.add_to_format(ctx, kasubag, cycle.id, second.id)
    formats.update_format_item(ctx, kasubag, item.id, item.team_id, item.target, budget=PAGU)
    cycles.finish_step(ctx, kasubag, cycle.id, 2)
    cycles.start_step(ctx, kasubag, cycle.id, 3, item.team_id)
    cycles.finish_step(ctx, kasubag, cycle.id, 3, item.team_id)
    member = teams.list_teams(ctx)[0].members[-1].person_id

    widget, _signals = _entry(ctx, qtbot, member)
    widget.table.selectRow(widget.model.row_of(lambda v: v.item_id == item.id))
    assert widget.current.item_id == item.id
    assert widget.budget_edit.text() == "125.000.000"
    assert not widget.budget_edit.isReadOnly()
    assert "Pagu dari format" in widget.format_budget_note.text()
    qtbot.keyClicks(widget.spent_edit, "100.000.000")
    assert widget.absorption_label.text().startswith("80")
    # Emptied, the field says the format's pagu applies, and the serapan still uses it.
    widget.budget_edit.clear()
    assert "125.000.000" in widget.budget_edit.placeholderText()
    assert widget.absorption_label.text().startswith("80")
    assert widget.save_now()
    assert entries.get_item(ctx, item.id).values.budget == PAGU


def test_locked_inputs_look_locked(ctx, qtbot):
    from PySide6.QtCore import Qt

    from kinerja_desktop.ui.screens.entry_form import LOCKED_BACKGROUND

    # Format final (step 2) but not yet delivered to the team (step 3).
    demo.build_demo(ctx, teams=1, indicators=2, through_step=2)
    kasubag = _people(ctx)["kasubag"]
    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[0]
    widget, signals = _entry(ctx, qtbot, team.members[-1].person_id)
    model = widget.model
    assert widget.current is not None and not widget._editable(widget.current)
    assert "langkah 3 belum selesai" in widget.form_status.text()
    inputs = [widget.actual_edit, widget.budget_edit, widget.spent_edit, widget.manual_edit,
              widget.justification_edit] + [e for _c, e in widget.text_edits.values()]
    for edit in inputs:
        assert edit.isReadOnly()
        assert _background(edit) == LOCKED_BACKGROUND
    assert not widget.attach_button.isEnabled()
    # The table does not offer an editor for Realisasi either.
    assert not model.flags(model.index(0, model.COL_ACTUAL)) & Qt.ItemFlag.ItemIsEditable

    # Step 3 delivers the format: the same fields open up and look open.
    cycles.start_step(ctx, kasubag, cycle.id, 3, team.id)
    cycles.finish_step(ctx, kasubag, cycle.id, 3, team.id)
    signals.data_changed.emit("siklus")
    assert widget._editable(widget.current)
    for edit in inputs:
        assert not edit.isReadOnly()
        assert _background(edit) != LOCKED_BACKGROUND
    assert model.flags(model.index(0, model.COL_ACTUAL)) & Qt.ItemFlag.ItemIsEditable


def test_verified_item_inputs_look_locked(ctx, qtbot):
    from kinerja_desktop.ui.screens.entry_form import LOCKED_BACKGROUND

    demo.build_demo(ctx, teams=1, indicators=1, through_step=6)  # verified, not closed
    member = teams.list_teams(ctx)[0].members[-1].person_id
    widget, _s = _entry(ctx, qtbot, member)
    assert widget.current.state.label == "Diverifikasi"
    assert "berstatus diverifikasi" in widget.form_status.text()
    for edit in (widget.actual_edit, widget.budget_edit, widget.text_edits["upaya"][1]):
        assert edit.isReadOnly() and _background(edit) == LOCKED_BACKGROUND


def test_format_builder_keeps_a_field_choice_when_data_changes(ctx, qtbot):
    from kinerja_desktop.ui.screens.format_builder import FormatBuilderWidget
    from kinerja_desktop.ui.signals import AppSignals

    demo.build_demo(ctx, teams=1, indicators=2, through_step=1)
    kasubag = _people(ctx)["kasubag"]
    cycle = cycles.active_cycle(ctx)
    signals = AppSignals()
    widget = FormatBuilderWidget(ctx, kasubag, signals)
    qtbot.addWidget(widget)
    widget.show()
    combo = widget.field_combos["faktor_penghambat"]
    assert combo.isEnabled()
    stored = formats.field_requirements(ctx, cycle.id)["faktor_penghambat"]
    choice = "wajib" if stored != "wajib" else "opsional"
    combo.setCurrentIndex(combo.findData(choice))  # the user's choice, nothing else
    # Another screen changes the format meanwhile (an indicator added elsewhere).
    formats.add_to_format(ctx, kasubag, cycle.id, formats.list_indicators(ctx)[0].id)
    signals.data_changed.emit("format")
    assert widget.model.rowCount() == 1  # the refresh did happen
    assert combo.currentData() == choice
    assert formats.field_requirements(ctx, cycle.id)["faktor_penghambat"] == choice

"""A closed cycle in the team's entry screen: every field read-only, nothing to hand in,
and the form says why (issue 11: the window shows a closed cycle read-only)."""

from __future__ import annotations

import pytest

from kinerja_desktop.services import accounts, cycles, demo, teams

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_a_closed_cycle_is_read_only_for_its_team(ctx, qtbot):
    from kinerja_desktop.ui.screens.team_entry import TeamEntryWidget
    from kinerja_desktop.ui.signals import AppSignals

    demo.build_demo(ctx, teams=2, indicators=2, through_step=7)
    cycle = cycles.find_cycle(ctx, max(c.year for c in cycles.list_cycles(ctx)))
    assert cycle.closed
    team = teams.list_teams(ctx)[0]
    lead = next(m.person_id for m in team.members if m.is_lead)
    assert accounts.get_person(ctx, lead).team_ids
    widget = TeamEntryWidget(ctx, lead, AppSignals())
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.show()
    widget.set_cycle(cycle.id)
    assert widget.cycle_closed and widget.model.rowCount() > 0
    for row in range(widget.model.rowCount()):
        widget.table.selectRow(row)
        assert widget.current is not None
        assert widget.actual_edit.isReadOnly() and widget.budget_edit.isReadOnly()
        assert all(edit.isReadOnly() for _caption, edit in widget.text_edits.values())
        assert not widget.attach_button.isEnabled()
        assert not widget.remove_evidence_button.isEnabled()
        assert not widget.comment_button.isEnabled()
        assert widget.form_status.text() == ("Data ini tidak dapat diubah: siklus sudah "
                                             "ditutup (catatan resmi).")
    assert not widget.submit_button.isEnabled()

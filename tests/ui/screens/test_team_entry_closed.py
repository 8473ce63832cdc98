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


def test_team_workbook_actions_greyed_out_while_closed(ctx, qtbot):
    """Berkas ▸ Ekspor/Impor Format Tim and the Excel Tim section's buttons would change a
    closed cycle's data: greyed out with the reason, back once the cycle is reopened."""
    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.ui.main_window import MainWindow
    from kinerja_desktop.ui.signals import CHANGE_CYCLE

    demo.build_demo(ctx, teams=2, indicators=2, through_step=7)
    cycle = cycles.find_cycle(ctx, max(c.year for c in cycles.list_cycles(ctx)))
    assert cycle.closed
    kasubag = next(p.id for p in accounts.list_people(ctx) if Role.KASUBAG in p.roles)
    window = MainWindow(ctx, kasubag, remember=False)
    qtbot.addWidget(window)
    window.session.select_cycle(cycle.id)
    section = window.workbook_section

    def enabled() -> list[bool]:
        return [window.action_export_formats.isEnabled(),
                window.action_import_format.isEnabled(),
                section.export_button.isEnabled(), section.import_button.isEnabled()]

    assert enabled() == [False] * 4
    assert "Siklus sudah ditutup" in window.action_export_formats.toolTip()
    assert section.closed_note.isVisibleTo(section)
    cycles.reopen_cycle(ctx, kasubag, cycle.id, "Salah ketik realisasi indikator 2")
    window.signals.data_changed.emit(CHANGE_CYCLE)
    assert enabled() == [True] * 4
    assert not section.closed_note.isVisibleTo(section)
    assert "ditutup" not in window.action_export_formats.toolTip()

"""The workflow panel tells the truth: ✔ only when the thing exists, per-team parents
aggregate honestly, the Kegiatan wraps, short durations read in jam and menit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from kinerja_desktop.services import cycles, entries, formats, submissions
from kinerja_desktop.ui.models.workflow import COL_ACTIVITY, COL_REQUIREMENTS, COL_STATUS, COL_USED

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

TEXTS = dict(explanation="Penjelasan", supporting="Pendukung", inhibiting="Penghambat",
             follow_up="Upaya")


def _panel(ctx, qtbot, user_id, cycle_id):
    from kinerja_desktop.ui.signals import UiSession
    from kinerja_desktop.ui.widgets.workflow_panel import WorkflowPanel

    session = UiSession(ctx, user_id)
    session.select_cycle(cycle_id)
    panel = WorkflowPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1300, 420)
    panel.show()
    return panel, session


def _cell(panel, step: int, column: int, team: int | None = None) -> str:
    model = panel.model
    index = model.index(step - 1, column)
    if team is not None:
        row = next(i for i, c in enumerate(model.children[step - 1]) if c.team_id == team)
        index = model.index(row, column, model.index(step - 1, 0))
    return model.data(index)


def test_panel_ticks_only_what_exists_and_aggregates_teams(ctx, small_office, qtbot):
    o = small_office
    cycle = cycles.start_cycle(ctx, o.sekretaris, o.year, "800/1", date(2026, 1, 9))
    cycles.finish_step(ctx, o.sekretaris, cycle.id, 1)
    formats.add_many_to_format(ctx, o.kasubag, cycle.id, list(o.indicators))
    cycles.finish_step(ctx, o.kasubag, cycle.id, 2)
    panel, session = _panel(ctx, qtbot, o.kasubag, cycle.id)
    # Only the format exists: step 3 has its input, 4–7 have nothing yet.
    assert _cell(panel, 3, COL_REQUIREMENTS).startswith("✔")
    for step in (4, 5, 6, 7):
        assert _cell(panel, step, COL_REQUIREMENTS).startswith("✖"), step
    assert _cell(panel, 4, COL_REQUIREMENTS).endswith("(0/2 tim)")
    cycles.finish_step(ctx, o.kasubag, cycle.id, 3, o.team_a)
    for item in formats.format_items(ctx, cycle.id, o.team_a):
        entries.save_entry(ctx, o.member_a2, item.id, entries.EntryInput(actual=80.0, **TEXTS))
    submissions.submit(ctx, o.member_a, cycle.id, o.team_a)
    session.changed("data")
    assert _cell(panel, 4, COL_REQUIREMENTS, o.team_a) == "✔ Ada"
    assert _cell(panel, 4, COL_REQUIREMENTS, o.team_b) == "✖ Belum ada"
    assert _cell(panel, 5, COL_REQUIREMENTS).endswith("(1/2 tim)")
    # Team A finished step 3 while team B's is only ready: "Berjalan", not "Siap".
    assert _cell(panel, 3, COL_STATUS).endswith("Berjalan · 1/2 tim selesai")
    assert _cell(panel, 4, COL_STATUS).endswith("Berjalan · 1/2 tim selesai")
    tooltip = panel.model.data(panel.model.index(4, COL_REQUIREMENTS),
                               Qt.ItemDataRole.ToolTipRole)
    assert "Belum ada" in tooltip and "1/2 tim" in tooltip
    # The timer keeps the honest status when it recomputes in memory.
    panel.model.retime(ctx.now() + timedelta(minutes=1))
    assert _cell(panel, 3, COL_STATUS).endswith("Berjalan · 1/2 tim selesai")


def test_kegiatan_wraps_and_day_steps_show_minutes(ctx, small_office, qtbot, clock):
    o = small_office
    cycle = cycles.start_cycle(ctx, o.sekretaris, o.year, "800/1", date(2026, 1, 9))
    cycles.finish_step(ctx, o.sekretaris, cycle.id, 1)
    formats.add_many_to_format(ctx, o.kasubag, cycle.id, list(o.indicators))
    cycles.finish_step(ctx, o.kasubag, cycle.id, 2)
    for team in (o.team_a, o.team_b):
        cycles.finish_step(ctx, o.kasubag, cycle.id, 3, team)
    for team, member in ((o.team_a, o.member_a2), (o.team_b, o.member_b)):
        for item in formats.format_items(ctx, cycle.id, team):
            entries.save_entry(ctx, member, item.id, entries.EntryInput(actual=80.0, **TEXTS))
    submissions.submit(ctx, o.member_a, cycle.id, o.team_a)
    clock.advance(minutes=5)
    cycles.start_step(ctx, o.kasubag, cycle.id, 6, o.team_a)
    clock.advance(hours=1, minutes=25)
    panel, _session = _panel(ctx, qtbot, o.kasubag, cycle.id)
    assert _cell(panel, 6, COL_USED, o.team_a) == "1 jam 25 menit"  # of a 60-hari standard
    assert panel.tree.wordWrap() and not panel.tree.uniformRowHeights()
    activity = _cell(panel, 6, COL_ACTIVITY)
    assert activity.startswith("Memverifikasi") and len(activity) > 60
    qtbot.waitExposed(panel)
    rect = panel.tree.visualRect(panel.model.index(5, COL_ACTIVITY))
    line = panel.tree.fontMetrics().lineSpacing()
    assert rect.height() >= 2 * line  # the whole text, on two lines or more
    panel.select(6)
    assert "Memverifikasi, mengklarifikasi" in panel.detail.text()

"""Issue 12 item 10 in the window: a clock that went backwards is shown flagged in the
workflow panel (also after its timer recomputes the times), in the step bar of a
one-step screen and in the Kasubag's summary table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kinerja_desktop.db.models import StepRun

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

FLAG = "tidak selaras"


def _skewed(ctx):
    """Demo at step 4: team 1 finished step 4 before it started, team 2 still works on
    it; step 2 started before it was ready."""
    from kinerja_desktop.services import accounts, cycles, demo, teams

    demo.build_demo(ctx, teams=2, indicators=2, through_step=4)
    cycle = cycles.active_cycle(ctx)
    team1, team2 = teams.list_teams(ctx)[:2]
    with ctx.transaction() as session:
        runs = {(r.step_number, r.team_id): r for r in session.scalars(
            select(StepRun).where(StepRun.cycle_id == cycle.id))}
        runs[(4, team1.id)].finished_at = runs[(4, team1.id)].started_at - timedelta(hours=1)
        runs[(4, team2.id)].finished_at = None
        runs[(2, None)].started_at = runs[(2, None)].ready_at - timedelta(hours=2)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    return cycle, team1, team2, people


def test_the_workflow_panel_flags_the_rows_and_keeps_the_flag_when_it_retimes(qtbot, ctx):
    from kinerja_desktop.ui.models.workflow import COL_STATUS
    from kinerja_desktop.ui.signals import UiSession
    from kinerja_desktop.ui.widgets.workflow_panel import WorkflowPanel

    cycle, team1, team2, people = _skewed(ctx)
    session = UiSession(ctx, people["kasubag"])
    session.select_cycle(cycle.id)
    panel = WorkflowPanel(session)
    qtbot.addWidget(panel)
    model = panel.model

    def status(row: int, child: int | None = None) -> str:
        parent = model.index(row, 0)
        index = model.index(row, COL_STATUS) if child is None else \
            model.index(child, COL_STATUS, parent)
        return model.data(index)

    def check() -> None:
        assert FLAG in status(1)  # step 2, a whole-office step
        assert FLAG not in status(0)
        assert FLAG in status(3)  # step 4's parent row (one of its teams is flagged)
        kids = {model.data(model.index(k, 1, model.index(3, 0))): status(3, k)
                for k in range(model.rowCount(model.index(3, 0)))}
        assert FLAG in kids[team1.name] and FLAG not in kids[team2.name]

    check()
    panel.timer.timeout.emit()  # the 30-second recomputation, without the database
    check()

    team_row = next(k for k in range(model.rowCount(model.index(3, 0)))
                    if model.data(model.index(k, 1, model.index(3, 0))) == team1.name)
    panel.tree.setCurrentIndex(model.index(team_row, 0, model.index(3, 0)))
    assert FLAG in panel.detail.text() and team1.name in panel.detail.text()


def test_the_step_bar_flags_a_whole_office_step(qtbot, ctx):
    from kinerja_desktop.services import workflow
    from kinerja_desktop.ui.signals import UiSession
    from kinerja_desktop.ui.widgets.step_bar import StepBar

    cycle, team1, team2, people = _skewed(ctx)
    session = UiSession(ctx, people["kasubag"])
    bar = StepBar(session, 2, "Selesaikan")
    qtbot.addWidget(bar)
    bar.show_step(workflow.step_view(ctx, cycle.id, 2, people["kasubag"]))
    assert FLAG in bar.label.text()


def test_the_kasubags_summary_table_flags_the_team(qtbot, ctx):
    from PySide6.QtCore import Qt

    from kinerja_desktop.services import summary
    from kinerja_desktop.ui.models.performance_data import SummaryTableModel

    cycle, team1, team2, people = _skewed(ctx)
    model = SummaryTableModel()
    model.set_records(summary.cycle_summary(ctx, cycle.id).teams)
    rows = {model.data(model.index(r, model.COL_TEAM)): r for r in range(model.rowCount())}
    column = next(c for c, step in model.STEP_COLUMNS.items() if step == 4)
    flagged = model.index(rows[team1.name], column)
    plain = model.index(rows[team2.name], column)
    assert "mundur" in model.data(flagged)
    assert FLAG in model.data(flagged, Qt.ItemDataRole.ToolTipRole)
    assert "mundur" not in model.data(plain)
    assert FLAG not in model.data(plain, Qt.ItemDataRole.ToolTipRole)

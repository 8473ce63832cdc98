"""Every record table model (people, teams, cycles, documents, team steps, workflow)
passes the model tester."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_every_table_model(qapp, qtmodeltester, ctx):
    """All models, filled from a demo office carried through step 6."""
    from kinerja_desktop.services import accounts, cycles, demo, documents
    from kinerja_desktop.services import teams as teams_service
    from kinerja_desktop.services import workflow as workflow_view
    from kinerja_desktop.ui.models.records import (
        cycles_model,
        documents_model,
        people_model,
        teams_model,
    )
    from kinerja_desktop.ui.models.workflow import WorkflowModel, team_step_model

    demo.build_demo(ctx, teams=2, indicators=2, through_step=6)
    cycle = cycles.active_cycle(ctx)
    view = workflow_view.workflow(ctx, cycle.id, None)
    filled = [
        (people_model(), accounts.list_people(ctx)),
        (teams_model(), teams_service.list_teams(ctx)),
        (cycles_model(), cycles.list_cycles(ctx)),
        (documents_model(), documents.list_documents(ctx)),
        (team_step_model(), view.step(3).teams),
    ]
    for model, records in filled:
        model.set_records(records)
        qtmodeltester.check(model)
    assert all(m.rowCount() for m, _ in filled[:3])

    from kinerja_desktop.ui.signals import UiSession
    from kinerja_desktop.ui.tabs.sekretaris_tab import ProgressSection

    session = UiSession(ctx, accounts.list_people(ctx)[0].id)
    session.select_cycle(cycle.id)
    progress = ProgressSection(session)
    progress.refresh()
    assert progress.model.rowCount() == 2
    qtmodeltester.check(progress.model)

    from kinerja_desktop.domain.timing import WorkCalendar

    workflow = WorkflowModel()
    workflow.set_workflow(view, WorkCalendar())
    assert workflow.rowCount() == 7 and workflow.rowCount(workflow.index(2, 0)) == 2
    qtmodeltester.check(workflow)
    workflow.retime(view.now + timedelta(minutes=5))
    qtmodeltester.check(workflow)
    empty = WorkflowModel()
    qtmodeltester.check(empty)

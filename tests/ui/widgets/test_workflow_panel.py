"""The workflow panel recomputes time used without asking the database."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_panel_time_runs_without_database(qtbot, ctx, small_office, monkeypatch):
    """The 30-second timer recomputes time used from data already fetched."""
    from datetime import timedelta

    from kinerja_desktop.services import cycles, workflow
    from kinerja_desktop.ui.models.workflow import COL_STATUS, COL_USED
    from kinerja_desktop.ui.signals import UiSession
    from kinerja_desktop.ui.widgets.workflow_panel import WorkflowPanel

    start = ctx.now()
    cycle = cycles.start_cycle(ctx, small_office.sekretaris, 2025, "800/1/I/2026", start.date())
    session = UiSession(ctx, small_office.sekretaris)
    session.select_cycle(cycle.id)
    panel = WorkflowPanel(session)
    qtbot.addWidget(panel)
    assert panel.timer.isActive() and panel.timer.interval() == 30_000
    model = panel.model

    def forbidden(*_a, **_k):
        raise AssertionError("database queried by the timer")

    monkeypatch.setattr(workflow, "workflow", forbidden)
    monkeypatch.setattr(ctx, "clock", lambda: start + timedelta(minutes=50))
    panel.timer.timeout.emit()
    assert model.data(model.index(0, COL_USED)) == "50 menit"
    assert "Mendekati batas" in model.data(model.index(0, COL_STATUS))
    monkeypatch.setattr(ctx, "clock", lambda: start + timedelta(minutes=75))
    panel.timer.timeout.emit()
    assert "Melewati batas" in model.data(model.index(0, COL_STATUS))


def test_no_cycle_hint_agrees_with_each_users_menu(qtbot, ctx, small_office):
    """Only the Sekretaris has Berkas ▸ Siklus baru…; the others are not sent there."""
    from kinerja_desktop.ui.main_window import MainWindow

    for user, has_entry in ((small_office.sekretaris, True), (small_office.admin, False),
                            (small_office.kasubag, False)):
        window = MainWindow(ctx, user, remember=False)
        qtbot.addWidget(window)
        hint = window.workflow_panel.title.text()
        assert window.action_new_cycle.isVisible() is has_entry
        assert (window.action_new_cycle in window.menu_file.actions()) and (
            window.menu_file.menuAction().isVisible())
        if has_entry:
            assert hint.startswith("Belum ada siklus")
            assert "Mulailah dengan Berkas ▸ Siklus baru…" in hint
        else:
            assert "Siklus dimulai oleh Sekretaris" in hint and "di jendelanya" in hint
            assert "Mulailah" not in hint

"""Start-up details: the Siklus menu filled when it opens, the status bar at start."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_cycle_menu_lists_cycles_when_opened_and_status_names_the_cycle(qtbot, ctx):
    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.services import accounts, demo
    from kinerja_desktop.ui.main_window import MainWindow

    demo.build_demo(ctx, teams=2, indicators=1, through_step=2)
    admin = accounts.first_with_role(ctx, Role.ADMIN)
    window = MainWindow(ctx, admin.id, remember=False)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.menu_cycle.actions()]
    assert "&Segarkan" in texts and not any("Tahun" in t for t in texts)
    assert window.action_refresh.shortcut().toString() == "F5"
    assert "Siklus: Tahun" in window.status_cycle.text()
    assert "(berjalan)" in window.status_cycle.text()
    window.menu_cycle.aboutToShow.emit()
    cycle_actions = [a for a in window.menu_cycle.actions() if a.text().startswith("Tahun")]
    assert len(cycle_actions) == 1 and cycle_actions[0].isChecked()
    assert window.action_refresh in window.menu_cycle.actions()

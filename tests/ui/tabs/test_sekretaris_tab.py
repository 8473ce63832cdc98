"""The Sekretaris tab: the cycle and its SK with step 1 (read alone, not the whole
workflow), and every team's progress."""

from __future__ import annotations

import pytest

from kinerja_desktop.services import accounts, cycles, demo, workflow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_cycle_section_shows_the_viewed_cycle_and_its_step_one(ctx, qtbot, monkeypatch):
    from kinerja_desktop.ui.signals import UiSession
    from kinerja_desktop.ui.tabs.sekretaris_tab import CycleSection

    demo.build_demo(ctx, teams=2, indicators=2, through_step=1)
    sekretaris = next(p.id for p in accounts.list_people(ctx) if p.username == "sekretaris")
    session = UiSession(ctx, sekretaris)
    section = CycleSection(session)
    qtbot.addWidget(section)
    section.refresh()  # no cycle viewed yet
    assert "Belum ada siklus" in section.info.text()
    assert section.edit_button.isHidden()

    cycle = cycles.active_cycle(ctx)
    assert cycle is not None
    session.select_cycle(cycle.id)
    # The section reads step 1 only; the whole workflow is the panel's.
    monkeypatch.setattr(workflow, "workflow", lambda *a, **k: pytest.fail("whole workflow"))
    section.refresh()
    text = section.info.text()
    assert f"Siklus {cycle.label}" in text and cycle.sk_number in text
    running = sum(1 for c in cycles.list_cycles(ctx) if c.status != "selesai")
    assert f"<td>Siklus berjalan</td><td>{running}</td>" in text
    step1 = workflow.step_view(ctx, cycle.id, 1, sekretaris)
    assert "Langkah 1" in section.step_bar.label.text()
    assert section.edit_button.isVisibleTo(section) == (step1.finished_at is None
                                                        and step1.can_finish)

"""The SOP editor saves a new SOP version."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_sop_editor_saves_new_version(qtbot, ctx, small_office):
    from kinerja_desktop.services import cycles, sops
    from kinerja_desktop.ui.dialogs.sop_editor import S_ACTIVITY, S_AMOUNT, SopEditorDialog
    from kinerja_desktop.ui.signals import UiSession

    running = cycles.start_cycle(ctx, small_office.sekretaris, 2025, "800/1/I/2026",
                                 ctx.now().date())
    refused = SopEditorDialog(UiSession(ctx, small_office.kasubag))
    qtbot.addWidget(refused)
    refused.editor.steps.cellWidget(1, S_AMOUNT).setValue(90)
    refused.accept()
    assert "Administrator" in refused.error_label.text()
    assert sops.current_sop(ctx).version == 1

    dialog = SopEditorDialog(UiSession(ctx, small_office.admin))
    qtbot.addWidget(dialog)
    dialog.editor.steps.cellWidget(1, S_AMOUNT).setValue(90)
    dialog.editor.steps.item(0, S_ACTIVITY).setText("Sekretaris memerintahkan pengumpulan data")
    dialog.editor.dates["revised_on"][1].setText("9-1-2026")
    dialog.accept()
    assert "TTTT-BB-HH" in dialog.error_label.text()
    dialog.editor.dates["revised_on"][1].setText("2026-11-24")
    dialog.editor.flowchart_title.setText("  MEKANISME   PENGUMPULAN DATA KINERJA 2026 ")
    dialog.accept()
    current = sops.current_sop(ctx)
    assert current.version == 2
    assert current.definition.flowchart_title == "MEKANISME PENGUMPULAN DATA KINERJA 2026"
    assert current.definition.step(2).time.amount == 90
    assert current.definition.step(1).activity == "Sekretaris memerintahkan pengumpulan data"
    assert cycles.get_cycle(ctx, running.id).sop_version == 1

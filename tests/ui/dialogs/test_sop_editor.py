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


def test_a_version_saved_meanwhile_elsewhere(qtbot, ctx, small_office):
    """Another administrator saved a version while this editor was open: the editor says
    who and when, keeps the changes, and offers Muat ulang or saving on top knowingly."""
    from dataclasses import replace

    from kinerja_desktop.services import accounts, sops
    from kinerja_desktop.ui.dialogs.sop_editor import S_AMOUNT, SopEditorDialog
    from kinerja_desktop.ui.signals import UiSession

    other = accounts.create_person(ctx, small_office.admin, accounts.PersonInput(
        "Admin Kedua", "admin.dua", roles=frozenset({accounts.Role.ADMIN})), "rahasia123").id
    dialogs = []
    for _ in range(2):
        dialog = SopEditorDialog(UiSession(ctx, small_office.admin))
        qtbot.addWidget(dialog)
        dialog.editor.steps.cellWidget(1, S_AMOUNT).setValue(90)
        dialogs.append(dialog)
    base = sops.current_sop(ctx)
    meanwhile = replace(base.definition, name=base.definition.name + " (revisi)")
    sops.save_new_version(ctx, other, meanwhile, base_sop_id=base.id)

    reloaded, replaced = dialogs
    for dialog in dialogs:
        dialog.accept()
        assert not dialog.result()
        text = dialog.error_label.text()
        assert text.startswith("Data ini telah diubah oleh Admin Kedua pada "), text
        assert "Simpan sekali lagi untuk menyimpan perubahan Anda sebagai versi 3" in text
        assert dialog.reload_button.isVisibleTo(dialog)
        assert dialog.editor.steps.cellWidget(1, S_AMOUNT).value() == 90  # kept

    reloaded.reload()
    assert reloaded.editor.definition().name == meanwhile.name
    assert reloaded.editor.steps.cellWidget(1, S_AMOUNT).value() != 90
    assert reloaded.windowTitle() == "Penyunting SOP — versi 2"
    assert not reloaded.reload_button.isVisibleTo(reloaded)

    replaced.accept()
    assert replaced.result()
    current = sops.current_sop(ctx)
    assert current.version == 3 and current.definition.step(2).time.amount == 90

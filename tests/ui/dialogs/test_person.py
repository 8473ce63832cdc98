"""Add or change a person: the NIP is checked before anything is saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_invalid_nip_rejected_with_message(qtbot, ctx, small_office):
    from kinerja_desktop.services import accounts
    from kinerja_desktop.ui.dialogs.person import PersonDialog
    from kinerja_desktop.ui.signals import UiSession

    before = len(accounts.list_people(ctx))
    dialog = PersonDialog(UiSession(ctx, small_office.admin))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Andi Baso")
    qtbot.keyClicks(dialog.username, "andi.baso")
    qtbot.keyClicks(dialog.nip, "19711317 199101 1 001")  # month 13
    qtbot.keyClicks(dialog.password, "rahasia123")
    dialog.pangkat.setCurrentIndex(dialog.pangkat.findData("Penata Muda (III/a)"))
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "tanggal lahir" in dialog.error_label.text()
    assert not dialog.result()
    assert len(accounts.list_people(ctx)) == before

    dialog.nip.clear()
    qtbot.keyClicks(dialog.nip, "197108171991011001")
    dialog.nip.editingFinished.emit()
    assert dialog.nip.text() == "19710817 199101 1 001"
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.result()
    created = dialog.result_value
    assert created.nip == "197108171991011001" and created.pangkat == "Penata Muda (III/a)"


def test_a_stale_person_form_keeps_what_was_typed(qtbot, ctx, small_office):
    """Another administrator changed the account while this dialog was open."""
    from kinerja_desktop.services import accounts
    from kinerja_desktop.ui.dialogs.person import PersonDialog
    from kinerja_desktop.ui.signals import UiSession

    person = accounts.get_person(ctx, small_office.sekretaris)
    dialog = PersonDialog(UiSession(ctx, small_office.admin), person)
    qtbot.addWidget(dialog)
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Sekretaris Dinas, S.Sos")
    other = accounts.create_person(ctx, small_office.admin, accounts.PersonInput(
        "Admin Kedua", "admin.dua", roles=frozenset({accounts.Role.ADMIN})), "rahasia123")
    accounts.update_person(ctx, other.id, person.id, accounts.PersonInput(
        "Sekretaris Dinas, M.Si", person.username, roles=person.roles - {accounts.Role.TIM}),
        expected_version=person.version)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dialog.result()
    assert dialog.error_label.text().startswith("Data ini telah diubah oleh Admin Kedua pada ")
    assert dialog.name.text() == "Sekretaris Dinas, S.Sos"  # kept
    assert accounts.get_person(ctx, person.id).name == "Sekretaris Dinas, M.Si"

"""The office profile screen: a save over another administrator's change is refused
calmly; the fields are kept; reload or save again."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_profile_saved_meanwhile_elsewhere(qtbot, ctx, small_office):
    from kinerja_desktop.services import accounts, office
    from kinerja_desktop.ui.screens.office import OfficeSection
    from kinerja_desktop.ui.signals import UiSession

    section = OfficeSection(UiSession(ctx, small_office.admin))
    qtbot.addWidget(section)
    section.show()
    phone = section.form.fields["phone"]
    phone.clear()
    qtbot.keyClicks(phone, "0484-21111")
    other = accounts.create_person(ctx, small_office.admin, accounts.PersonInput(
        "Admin Kedua", "admin.dua", roles=frozenset({accounts.Role.ADMIN})), "rahasia123")
    stored = office.get_office(ctx)
    office.save_office(ctx, other.id, replace(stored, phone="0484-29999"),
                       expected_version=stored.version)

    assert not section.reload_button.isVisible()
    section.save()
    assert section.message.text().startswith("Data ini telah diubah oleh Admin Kedua pada ")
    assert section.reload_button.isVisible()
    assert phone.text() == "0484-21111"
    assert office.get_office(ctx).phone == "0484-29999"

    qtbot.mouseClick(section.reload_button, Qt.MouseButton.LeftButton)
    assert phone.text() == "0484-29999" and not section.reload_button.isVisible()

    phone.clear()
    qtbot.keyClicks(phone, "0484-21111")
    section.save()  # saved over the newest version now
    assert office.get_office(ctx).phone == "0484-21111"
    assert section.message.text() == "Profil kantor tersimpan."


def test_predikat_scale_saved_meanwhile_elsewhere(qtbot, ctx, small_office):
    from decimal import Decimal

    from kinerja_desktop.services import accounts, office
    from kinerja_desktop.ui.screens.office import PredikatSection
    from kinerja_desktop.ui.signals import UiSession

    section = PredikatSection(UiSession(ctx, small_office.admin))
    qtbot.addWidget(section)
    section.show()
    assert section.version == 0  # never saved: the default scale
    top = section.edits[0]
    top.clear()
    qtbot.keyClicks(top, "91")
    other = accounts.create_person(ctx, small_office.admin, accounts.PersonInput(
        "Admin Kedua", "admin.dua", roles=frozenset({accounts.Role.ADMIN})), "rahasia123")
    stored, version = office.predikat_setting(ctx)
    bands = (replace(stored.bands[0], minimum=Decimal(95)),) + stored.bands[1:]
    office.save_predikat_scale(ctx, other.id, replace(stored, bands=bands),
                               expected_version=version)

    section.save()
    assert section.message.text().startswith("Data ini telah diubah oleh Admin Kedua pada ")
    assert section.reload_button.isVisible() and top.text() == "91"
    assert office.predikat_scale(ctx).bands[0].minimum == 95

    qtbot.mouseClick(section.reload_button, Qt.MouseButton.LeftButton)
    assert top.text() == "95" and not section.reload_button.isVisible()
    top.clear()
    qtbot.keyClicks(top, "91")
    section.save()  # over the newest version now
    assert section.message.text() == "Skala predikat tersimpan."
    assert office.predikat_scale(ctx).bands[0].minimum == 91
    assert section.version == office.predikat_setting(ctx)[1] == 2

    # A second Simpan right after a refusal replaces the other change knowingly.
    office.save_predikat_scale(ctx, other.id, replace(stored, bands=bands),
                               expected_version=2)
    section.save()
    assert section.message.text().startswith("Data ini telah diubah oleh Admin Kedua pada ")
    section.save()
    assert office.predikat_scale(ctx).bands[0].minimum == 91
